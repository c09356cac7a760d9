"""Marks inside report text: fixed formulas, placeholders and data points.

A mark is a character range of the original text; rendering wraps the range
in an element whose ``title`` explains it (Material shows it as a tooltip),
so the characters themselves are never changed. Matching runs on ``fold``
form, which has the same length as the text, so offsets carry over.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from reportkb.config import Formula
from reportkb.text.fold import fold
from reportkb.text.markup import html_attr

FORMULA = "formula"
PLACEHOLDER = "placeholder"
DATA = "data"

# Placeholders in folded text (Ⅹ/ⅹ/Ｘ already folded to x): X月X日, X/XX/xx, *, **, ***.
PLACEHOLDER_RE = re.compile(r"(?<![a-z])x+月x+日|(?<![a-z])x+(?![a-z])|\*{1,3}")
# Counts and figures: a number (or placeholder) followed by a counting unit.
UNITS = "人次|场次|余次|余篇|余条|余人|余场|课时|小时|次|条|篇|场|期|项|名|人|个|份|家|批|件|部|天|万|%"
DATA_RE = re.compile(rf"(?:\d+(?:\.\d+)?|(?<![a-z])x+(?![a-z])|\*{{1,3}})(?:{UNITS})")

PLACEHOLDER_TIP = "占位符：原文在此留空或隐去，使用时填写实际内容"
DATA_TIP = "数据：写法参考时替换为本单位的实际数字"


@dataclass(frozen=True, order=True)
class Mark:
    start: int
    end: int
    kind: str
    key: str = ""
    """Formula id for formula marks."""


class _Matcher:
    """Finds marks for one formula list, remembering the texts it has seen.

    Looked up by the identity of the formula tuple: hashing a tuple of 40
    dataclasses on every call cost more than the matching itself.
    """

    def __init__(self, formulas: tuple[Formula, ...]):
        self.formulas = formulas
        rows = {(fold(form), f.id) for f in formulas for form in f.forms}
        self.forms = tuple(sorted(rows, key=lambda r: (-len(r[0]), r[0], r[1])))
        self.marks = lru_cache(maxsize=16384)(self._marks)

    def formula_hits(self, text: str) -> list[Mark]:
        folded = fold(text)
        found: list[Mark] = []
        taken = [False] * len(folded)

        def take(start: int, end: int, fid: str) -> None:
            if end > start and not any(taken[start:end]):
                taken[start:end] = [True] * (end - start)
                found.append(Mark(start, end, FORMULA, fid))

        for f in self.formulas:
            for pattern in f.patterns:
                for m in pattern.finditer(folded):
                    take(m.start(), m.end(), f.id)
        for form, fid in self.forms:
            start = folded.find(form)
            while start != -1:
                take(start, start + len(form), fid)
                start = folded.find(form, start + 1)
        return sorted(found)

    def _marks(self, text: str) -> tuple[Mark, ...]:
        folded = fold(text)
        marks = self.formula_hits(text)
        taken = [False] * len(folded)
        for m in marks:
            taken[m.start : m.end] = [True] * (m.end - m.start)
        for kind, regex in ((DATA, DATA_RE), (PLACEHOLDER, PLACEHOLDER_RE)):
            for m in regex.finditer(folded):
                if not any(taken[m.start() : m.end()]):
                    taken[m.start() : m.end()] = [True] * (m.end() - m.start())
                    marks.append(Mark(m.start(), m.end(), kind))
        return tuple(sorted(marks))


_MATCHERS: dict[int, _Matcher] = {}


def _matcher(formulas: tuple[Formula, ...]) -> _Matcher:
    found = _MATCHERS.get(id(formulas))
    if found is None or found.formulas is not formulas:  # the matcher keeps its tuple alive, so ids are not reused
        if len(_MATCHERS) >= 8:
            _MATCHERS.clear()
        found = _MATCHERS[id(formulas)] = _Matcher(formulas)
    return found


def formula_hits(text: str, formulas: tuple[Formula, ...]) -> list[Mark]:
    """Non-overlapping formula occurrences, longest spelling first."""
    return _matcher(formulas).formula_hits(text)


def find_marks(text: str, formulas: tuple[Formula, ...]) -> list[Mark]:
    """All marks of a text, sorted and non-overlapping (formula > data > placeholder)."""
    return list(_matcher(formulas).marks(text))


def render_marked(
    text: str, marks: list[Mark], escape: Callable[[str], str], meanings: dict[str, tuple[str, str]]
) -> str:
    """Text with each mark wrapped; ``escape`` is html_text or md_inline.

    ``meanings`` maps a formula id to (name, meaning) for its tooltip.
    """
    out: list[str] = []
    pos = 0
    for m in marks:
        out.append(escape(text[pos : m.start]))
        inner = escape(text[m.start : m.end])
        if m.kind == FORMULA:
            name, meaning = meanings[m.key]
            tip = f"规范表述「{name}」：{meaning}"
            out.append(f'<abbr class="kb-formula" data-formula="{m.key}" title="{html_attr(tip)}">{inner}</abbr>')
        elif m.kind == DATA:
            filler = " kb-fill" if PLACEHOLDER_RE.search(fold(text[m.start : m.end])) else ""
            out.append(f'<span class="kb-data{filler}" title="{html_attr(DATA_TIP)}">{inner}</span>')
        else:
            out.append(f'<span class="kb-ph" title="{html_attr(PLACEHOLDER_TIP)}">{inner}</span>')
        pos = m.end
    out.append(escape(text[pos:]))
    return "".join(out)
