"""Escaping report text into Markdown and HTML so no character is taken as syntax.

Two forms are used by every renderer:

* ``html_text`` for text inside raw HTML blocks (paragraphs): only ``& < >``
  need escaping there, Markdown never looks inside a raw HTML block;
* ``md_inline`` for text Markdown must parse (headings, table cells, link
  text): every ASCII punctuation character becomes a numeric character
  reference, which Markdown leaves alone and the browser shows as the
  character itself, so ``***`` stays three asterisks and ``<b>`` stays text.
"""

from __future__ import annotations

import html
import json
import re

GENERATED_MARK = "<!-- 本页由 scripts/kb.py 根据 sources/ 生成，请勿手工编辑。 -->"

_ASCII_PUNCT = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
_PUNCT_REFS = {ord(ch): f"&#{ord(ch)};" for ch in _ASCII_PUNCT}
_EDGE_SPACE_RE = re.compile(r"^\s+|\s+$")


def html_text(text: str) -> str:
    """Text for raw HTML: & < > escaped, everything else as written."""
    return html.escape(text, quote=False)


def html_attr(text: str) -> str:
    return html.escape(text, quote=True)


def md_inline(text: str) -> str:
    """Text for a place Markdown parses inline; round-trips every character."""
    escaped = text.translate(_PUNCT_REFS)
    # Markdown strips spaces at the edges of headings and cells; keep them.
    return _EDGE_SPACE_RE.sub(lambda m: "".join(f"&#{ord(c)};" for c in m.group(0)), escaped)


def front_matter(**fields: object) -> str:
    """YAML front matter; values are JSON-quoted, which is valid YAML."""
    lines = ["---"]
    for key, value in fields.items():
        if value is None:
            continue
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    lines.append("---")
    return "\n".join(lines) + "\n"


def link(text: str, target: str) -> str:
    """A Markdown link whose text is escaped; MkDocs checks the target."""
    return f"[{md_inline(text)}]({target})"


def table(headers: list[str], rows: list[list[str]]) -> str:
    """A Markdown table; cells are given already escaped or linked."""
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(out)
