"""Sections as theme and role pages see them: a report section, its labels and its words.

Words are jieba's (the slow part of these pages), so each report's block
words are remembered in the memo and shared by all of its sections.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from reportkb.analysis.link import Index
from reportkb.analysis.writing import first_sentence, lead_verb
from reportkb.model import Report, SectionLabels
from reportkb.pages.decorate import section_body
from reportkb.store.cache import NO_MEMO, Memo

PHRASE_MIN_LEN = 2
_PHRASE_OK = re.compile(r"^[\u4e00-\u9fff]+$")


@dataclass(frozen=True)
class Entry:
    report: Report
    section: int
    labels: SectionLabels

    @property
    def heading(self) -> str:
        s = self.report.sections[self.section]
        return f"{s.mark}{s.heading}"

    def score(self, theme: str) -> float:
        return dict(self.labels.scores).get(theme, 0.0)

    def length(self) -> int:
        return len(self.text())

    @cached_property
    def _text(self) -> str:
        return self.report.full_text(self.section)

    def text(self) -> str:
        return self._text

    @cached_property
    def lead(self) -> str:
        """The heading's leading verb (writing.lead_verb); an entry appears on several pages."""
        return lead_verb(self.report.sections[self.section].heading)

    @cached_property
    def opening(self) -> str:
        """First sentence of the section's own paragraphs."""
        return first_sentence(section_body(self.report, self.section))

    @cached_property
    def own(self) -> str:
        """Text of the section without its subsections (nested text is not counted twice)."""
        return self.report.own_text(self.section)

    block_words: tuple[frozenset[str], ...] = field(repr=False, compare=False)
    """Words of each block of the report (``report_words``), shared by its sections."""

    def words(self) -> frozenset[str]:
        """Words of the section and its subsections."""
        owned = self.report.subtree(self.section)
        return frozenset().union(*(w for w, b in zip(self.block_words, self.report.blocks, strict=True) if b.section in owned))


def report_words(report: Report) -> tuple[tuple[str, ...], ...]:
    """The words of each block, sorted (for the memo: jieba is the slow part of these pages)."""
    return tuple(tuple(sorted(_words(b.text))) for b in report.blocks)


def entries(index: Index, memo: Memo = NO_MEMO) -> list[Entry]:
    """Every section with its labels; block words come from ``memo`` for reports seen before."""
    labelled = [r for r in index.reports if index.annotations[r.id].sections]
    per_report = memo.get_many("words", [(memo.report_key(r), lambda r=r: report_words(r)) for r in labelled])
    out = []
    for r, found in zip(labelled, per_report, strict=True):
        words = tuple(frozenset(w) for w in found)
        out += [Entry(r, s.index, index.annotations[r.id].sections[s.index], words) for s in r.sections]
    return out


@lru_cache(maxsize=65536)
def _words(text: str) -> frozenset[str]:
    """Chinese words (jieba) of at least two characters in a text."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return frozenset(w for w in jieba.cut(text) if len(w) >= PHRASE_MIN_LEN and _PHRASE_OK.match(w))
