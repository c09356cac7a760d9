"""Lines broken by PDF extraction: a title or a heading spread over short fragments.

A PDF-to-text conversion often puts numbers and the words around them on
lines of their own (``市政协办公室`` / ``2025`` / ``年意识形态工作总结与`` …) and
leaves a mark alone on its line (``一、`` / ``2025`` / ``年意识形态工作成效与经验``).
The lines stay as they are; only the title or heading text is read joined.
"""

from __future__ import annotations

import re

from reportkb.model import Line
from reportkb.stages.clean import is_title_line, match_form
from reportkb.stages.parse.marks import find_mark, lead_length

FRAGMENT_MAX = 20
JOINED_MAX = 60
MAX_FRAGMENTS = 6
_PUNCT_RE = re.compile(r"[。！？!?，,；;：:]")
# Signs that short lines are pieces of one line: a line of digits only, or one starting with a joining word.
_BROKEN_RE = re.compile(r"^\s*(?:\d{1,4}\s*$|[年月日与和及的之])")
_TITLE_END_RE = re.compile(r"(报告|总结|汇报|计划|方案)\s*$")


def _fragment(line: Line) -> bool:
    words = line.text.strip()
    return 0 < len(words) <= FRAGMENT_MAX and not _PUNCT_RE.search(match_form(words))


def fragment_title(content: list[Line]) -> int:
    """How many leading lines are pieces of one title (0: none)."""
    count = 0
    while count < min(MAX_FRAGMENTS, len(content)) and _fragment(content[count]):
        count += 1
    for k in range(count, 1, -1):
        parts = content[:k]
        joined = "".join(line.text.strip() for line in parts)
        broken = any(_BROKEN_RE.match(match_form(line.text)) for line in parts[1:])
        if broken and len(joined) <= JOINED_MAX and is_title_line(joined) and _TITLE_END_RE.search(match_form(joined)):
            return k
    return 0


def joined_heading(content: list[Line], i: int) -> tuple[str, int] | None:
    """A mark alone on line i whose words follow on short fragment lines: (joined words, fragment count)."""
    form = match_form(content[i].text).rstrip()
    lead = lead_length(form)
    mark = find_mark(form, lead)
    if mark is None or mark.end < len(form) or mark.style.run_in:
        return None
    count = 0
    while i + 1 + count < len(content) and count < 3 and _fragment(content[i + 1 + count]):
        count += 1
    if not count:
        return None
    joined = "".join(line.text.strip() for line in content[i + 1 : i + 1 + count])
    return (joined, count) if len(joined) <= JOINED_MAX else None
