"""Sections as theme, role and guide pages see them, and the one way every page counts them.

Words are jieba's (the slow part of these pages), so what the pages read of
each report's entries (``Facts``: words, keywords, opening, length) is
remembered in the memo by report, and the word bits that ``typical_words``
counts with (``Overall``) by block of reports; near-duplicates, which depend
on the whole corpus, are left out only when the blocks are merged.

Causes and measures written inside a problems section's paragraphs
(analysis/parts.py) are entries of their own role: such an entry
(``passage``) links to its section and shows only its sentences.
Every count on every page goes through ``counted``, ``of_theme`` and
``of_role``; ``DEFINITION`` says in plain words what they count.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from dataclasses import replace as _replace
from functools import cached_property, lru_cache, partial
from itertools import chain

from reportkb.analysis.link import Index
from reportkb.analysis.parts import Passage, inner_passages
from reportkb.analysis.writing import first_sentence, lead_verb
from reportkb.config import Taxonomy
from reportkb.model import Report, SectionLabels
from reportkb.pages.decorate import section_body
from reportkb.pages.family import Context
from reportkb.store.cache import NO_MEMO, Memo
from reportkb.store.memo import Batch, block_key, report_blocks
from reportkb.text.fold import fold

DEFINITION_PAGE = "guides/index.md"
DEFINITION_ANCHOR = "统计口径"
DEFINITION = (
    "本站各页的节数、报告数都按同一个口径统计：“某主题的章节”指报告中标为该主题的一个编号标题连同其下文字"
    "（一级、二级、三级标题各算一节，一节可以同时属于几个主题）；“存在问题”部分中分析原因、提出措施的段落"
    "（如“产生问题的原因一是…”）各算一节“原因分析”或“下一步措施”；与更早一篇报告近似重复的报告不计入。"
)
"""What every count on the site counts, stated once (on the guide matrix page)."""

PHRASE_TOP = 15
PHRASE_MIN_REPORTS = 2
PHRASE_LIFT = 1.5
PHRASE_MIN_LEN = 2
_PHRASE_OK = re.compile(r"^[\u4e00-\u9fff]+$")


@dataclass(frozen=True)
class Facts:
    """What the pages read of an entry's text, computed once per report (``report_facts``) and remembered."""

    words: tuple[str, ...]
    """Words of the section and its subsections (of the passage, for a passage), sorted."""
    terms: tuple[str, ...]
    """Keywords of the entry's themes and role whose folded form is in the folded text, each once."""
    opening: str
    """First sentence of the section's own paragraphs (of the passage, for a passage)."""
    length: int
    """Characters of the text."""


@dataclass(frozen=True)
class Entry:
    report: Report
    section: int
    labels: SectionLabels

    @property
    def heading(self) -> str:
        s = self.report.sections[self.section]
        return f"{s.mark}{s.heading}"

    @property
    def role(self) -> str:
        return self.labels.role

    def score(self, theme: str) -> float:
        return dict(self.labels.scores).get(theme, 0.0)

    def length(self) -> int:
        return self.facts.length

    @cached_property
    def _text(self) -> str:
        return _entry_text(self.report, self.section, self.passage)

    def text(self) -> str:
        return self._text

    @cached_property
    def lead(self) -> str:
        """The heading's leading verb (writing.lead_verb); an entry appears on several pages."""
        return lead_verb(self.report.sections[self.section].heading)

    @property
    def opening(self) -> str:
        return self.facts.opening

    @cached_property
    def own(self) -> str:
        """Text of the section without its subsections (nested text is not counted twice)."""
        return self.passage.text if self.passage else self.report.own_text(self.section)

    facts: Facts = field(repr=False, compare=False)

    passage: Passage | None = field(default=None, compare=False)
    """Set for a cause or measure passage inside a problems section."""

    @cached_property
    def _word_set(self) -> frozenset[str]:
        return frozenset(self.facts.words)

    def words(self) -> frozenset[str]:
        """Words of the section and its subsections (of the passage, for a passage)."""
        return self._word_set


def _entry_text(report: Report, section: int, passage: Passage | None) -> str:
    return passage.text if passage else report.full_text(section)


Fact = tuple[tuple[str, ...], tuple[str, ...], str, int]
"""``Facts`` as the memo keeps them: plain tuples load much faster than dataclasses."""


def report_facts(report: Report, labels: tuple[SectionLabels, ...],
                 taxonomy: Taxonomy | None) -> tuple[tuple[Inner, ...], tuple[Fact, ...]]:
    """The inner passages of a report and the facts of each of its entries, in ``entries`` order
    (for the memo: jieba is the slow part of these pages).

    A section's words are those of its own blocks and its subsections': each
    block is cut once; blocks before the first heading belong to no section.
    Folding maps each character on its own, so a section's folded text is
    its blocks' folded texts joined.
    """
    roles = tuple(lab.role for lab in labels)
    inner = inner_passages(report, roles, taxonomy) if taxonomy else ()
    passages: dict[int, list[Passage]] = {}
    for p in inner:
        passages.setdefault(p.section, []).append(p)
    own: list[set[str]] = [set() for _ in report.sections]
    for b in report.blocks:
        if b.section is not None:
            own[b.section] |= _words(b.text)
    folded_blocks = [fold(b.text) for b in report.blocks]
    keywords = {f.name: tuple((term, fold(term)) for term, _w in f.keywords)
                for f in ((*taxonomy.themes, *taxonomy.roles) if taxonomy else ())}

    def fact(words, held: str, length: int, themes: tuple[str, ...], role: str, opening_of: str) -> Fact:
        wanted = dict(pair for name in (*themes, role) for pair in keywords.get(name, ()))
        return tuple(sorted(words)), tuple(t for t, f in wanted.items() if f in held), first_sentence(opening_of), length

    out = []
    for s in report.sections:
        owned = report.subtree(s.index)
        mine = [i for i, b in enumerate(report.blocks) if b.section in owned]
        out.append(fact(set().union(*(own[i] for i in owned)), "".join(folded_blocks[i] for i in mine),
                        sum(len(report.blocks[i].text) for i in mine), labels[s.index].themes, labels[s.index].role,
                        section_body(report, s.index)))
        out += [fact(_words(p.text), fold(p.text), len(p.text), labels[s.index].themes, p.role, p.text)
                for p in passages.get(s.index, ())]
    return tuple((p.section, p.role, p.text, p.line) for p in inner), tuple(out)


Inner = tuple[int, str, str, int]
"""A ``parts.Passage`` as the memo keeps it."""


def _labelled(index: Index) -> list[Report]:
    return [r for r in index.reports if index.annotations[r.id].sections]


def facts_batch(index: Index, memo: Memo = NO_MEMO) -> Batch:
    """The per-report work of ``entries``: each labelled report's passages and section facts."""
    jobs = [(memo.report_key(r), partial(report_facts, r, index.annotations[r.id].sections, index.taxonomy))
            for r in _labelled(index)]
    return Batch("section-facts", jobs, prepare=load_segmenter)


def early_batches(ctx: Context) -> list[Batch]:
    """What the families that list sections compute per report, to start before they render."""
    return [facts_batch(ctx.index, ctx.memo)] if ctx.index.taxonomy is not None else []


def entries(index: Index, memo: Memo = NO_MEMO) -> list[Entry]:
    """Every section with its labels; their passages and facts come from ``memo`` for reports seen before."""
    labelled, batch = _labelled(index), facts_batch(index, memo)
    per_report = memo.get_many(batch.kind, batch.jobs, batch.prepare)
    out = []
    for r, (inner, found) in zip(labelled, per_report, strict=True):
        passages: dict[int, list[Passage]] = {}
        for p in inner:
            passages.setdefault(p[0], []).append(Passage(*p))
        facts = iter([Facts(*fact) for fact in found])
        labels = index.annotations[r.id].sections
        for s in r.sections:
            out.append(Entry(r, s.index, labels[s.index], next(facts)))
            out += [Entry(r, s.index, _replace(labels[s.index], role=p.role), next(facts), p) for p in passages.get(s.index, ())]
    return out


def counted(index: Index, chosen: list[Entry]) -> list[Entry]:
    """The entries every count counts: those of reports that are not near-duplicates (``DEFINITION``)."""
    return [e for e in chosen if e.report.id not in index.similarity.duplicates]


def of_theme(chosen: list[Entry], theme: str) -> list[Entry]:
    return [e for e in chosen if theme in e.labels.themes]


def of_role(chosen: list[Entry], role: str) -> list[Entry]:
    return [e for e in chosen if e.labels.role == role]


def report_count(chosen: list[Entry]) -> int:
    return len({e.report.id for e in chosen})


@lru_cache(maxsize=65536)
def _words(text: str) -> frozenset[str]:
    """Chinese words (jieba) of at least two characters in a text."""
    import jieba

    # jieba cuts each run of its block pattern on its own, so the words of a
    # text are those of its runs: each distinct run is cut once (reports repeat
    # phrases), and a run without two Chinese characters in a row (2021年4月) holds no word.
    return frozenset().union(*(_cut(run) for run in jieba.re_han_default.findall(text) if _TWO_HAN.search(run)))


_TWO_HAN = re.compile("[\u4e00-\u9fd5]{2}")
"""Two Chinese characters in a row, of those jieba's block pattern takes (U+4E00–U+9FD5): a word is a substring of its run."""


def load_segmenter() -> None:
    """Load jieba's dictionary now (it loads on first use otherwise): about a second, better spent once than in
    every worker."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()


@lru_cache(maxsize=1 << 17)
def _cut(run: str) -> frozenset[str]:
    """``_words`` of one run of jieba's block pattern."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return frozenset(w for w in jieba.cut(run) if len(w) >= PHRASE_MIN_LEN and _PHRASE_OK.match(w))


@dataclass(frozen=True, eq=False)
class Overall:
    """Word statistics of a build's entries for ``typical_words``, as bit sets over the entries.

    Bit i stands for ``entries[i]``; a report's entries are consecutive, so
    ``low`` and ``top`` (every bit of a report's run but its last; the last)
    count reports with one addition (``_reports``). Python's big integers make
    a group's figures a few C-level operations per word.
    """

    entries: tuple[Entry, ...]
    bits: dict[str, int]
    """Word → the entries that contain it."""
    counts: dict[str, int]
    """Word → number of counted sections containing it."""
    total: int
    """Number of counted sections."""
    position: dict[int, int]
    """id(entry) → its bit (``entries`` keeps the entries, so the ids stay theirs)."""
    low: int
    top: int


def _mask(positions: list[int]) -> int:
    """The integer with these bits set."""
    out = bytearray(max(positions, default=-1) // 8 + 1)
    for i in positions:
        out[i >> 3] |= 1 << (i & 7)
    return int.from_bytes(out, "little")


def overall_words(index: Index, all_entries: list[Entry], memo: Memo = NO_MEMO) -> Overall:
    """The ``Overall`` of a build's entries; the word bits of each block of reports come from ``memo``.

    A block's bits depend on its reports alone (``store.memo.report_blocks``), so
    one added report recomputes one block; near-duplicates are left out
    afterwards, with one mask over the entries.
    """
    runs: list[tuple[Report, int]] = []  # each report's first entry
    for i, e in enumerate(all_entries):
        if not runs or runs[-1][0] is not e.report:
            runs.append((e.report, i))
    ends = [start for _, start in runs[1:]] + [len(all_entries)] if runs else []
    top = [end - 1 for end in ends]
    low = [i for (_, start), end in zip(runs, ends, strict=True) for i in range(start, end - 1)]
    bits: dict[str, int] = {}
    if len({r.id for r, _ in runs}) == len(runs):
        keys = [memo.report_key(r) for r, _ in runs]
        for block in report_blocks(keys):
            start, end = runs[block.start][1], ends[block.stop - 1]
            found = memo.get("section-bits", block_key(keys[block.start:block.stop]),
                             lambda start=start, end=end: _word_bits(all_entries[start:end]))
            for w, b in found.items():
                bits[w] = bits.get(w, 0) | b << start
    else:  # a report's entries apart: no blocks of reports, nor runs to count reports by
        bits, low, top = _word_bits(all_entries), [], []
    stats = _mask([i for i, e in enumerate(all_entries) if e.report.id not in index.similarity.duplicates])
    counts = {w: (b & stats).bit_count() for w, b in bits.items()}
    return Overall(tuple(all_entries), bits, counts, stats.bit_count(), {id(e): i for i, e in enumerate(all_entries)},
                   _mask(low), _mask(top))


def _word_bits(chosen: list[Entry]) -> dict[str, int]:
    """Word → the entries of ``chosen`` that contain it, as bits."""
    found: dict[str, list[int]] = {}
    for i, e in enumerate(chosen):
        for w in e.facts.words:
            found.setdefault(w, []).append(i)
    return {w: _mask(positions) for w, positions in found.items()}


_LAST_BUILD: list[tuple[Index, Memo, list[Entry], Overall]] = []
"""The sections of the last build, kept while its families render (see ``corpus_sections``)."""


def corpus_sections(index: Index, memo: Memo = NO_MEMO) -> tuple[list[Entry], Overall]:
    """``entries`` and ``overall_words`` of a build, computed once for every family that lists sections.

    The themes, guides and overview families all read them; the index is immutable, so the
    result for the last (index, memo) is handed out again. Families only read it: they
    filter it into lists of their own.
    """
    if _LAST_BUILD and _LAST_BUILD[0][0] is index and _LAST_BUILD[0][1] is memo:
        return _LAST_BUILD[0][2], _LAST_BUILD[0][3]
    found = entries(index, memo)
    overall = overall_words(index, found, memo)
    _LAST_BUILD[:] = [(index, memo, found, overall)]
    return found, overall


def typical_words(chosen: list[Entry], overall: Overall) -> list[tuple[str, int, float]]:
    """Words typical of these sections: in ≥2 reports, ≥ PHRASE_LIFT × as common as in all sections.

    Returns (word, sections containing it, lift), most reports first.
    """
    total = overall.total
    if not chosen or not total:
        return []
    positions = [overall.position.get(id(e)) for e in chosen]
    if None in positions or len(set(positions)) < len(chosen) or not overall.top:
        return _typical_words(chosen, overall)
    group = _mask(positions)
    rows = []
    for w, b in overall.bits.items():
        here = b & group
        if not here:
            continue
        n = here.bit_count()
        lift = _lift(n, len(chosen), overall.counts[w], total)
        if lift >= PHRASE_LIFT and (reports := _reports(here, overall)) >= PHRASE_MIN_REPORTS:
            rows.append((w, n, round(lift, 1), reports))
    return _top(rows)


def _lift(n: int, size: int, common: int, total: int) -> float:
    """How much more often a word is in ``n`` of ``size`` chosen sections than in ``common`` of ``total`` counted ones."""
    return (n / size) / (common / total) if common else PHRASE_LIFT


def _reports(here: int, overall: Overall) -> int:
    """Reports with an entry in ``here``: adding ``low`` to a report's run below its last bit
    carries into that bit exactly when one of them is set, and never beyond the run."""
    return ((((here & overall.low) + overall.low) | here) & overall.top).bit_count()


def _typical_words(chosen: list[Entry], overall: Overall) -> list[tuple[str, int, float]]:
    """``typical_words`` for entries that are not all distinct entries of ``overall``."""
    here = Counter(chain.from_iterable(e.words() for e in chosen))
    by_report: dict[str, list[frozenset[str]]] = {}
    for e in chosen:
        by_report.setdefault(e.report.id, []).append(e.words())
    reports = Counter(chain.from_iterable(frozenset().union(*found) for found in by_report.values()))
    rows = []
    for w, n in here.items():
        lift = _lift(n, len(chosen), overall.counts.get(w, 0), overall.total)
        if reports[w] >= PHRASE_MIN_REPORTS and lift >= PHRASE_LIFT:
            rows.append((w, n, round(lift, 1), reports[w]))
    return _top(rows)


def _top(rows: list[tuple[str, int, float, int]]) -> list[tuple[str, int, float]]:
    rows.sort(key=lambda r: (-r[3], -r[1], -r[2], r[0]))
    return [(w, n, lift) for w, n, lift, _ in rows[:PHRASE_TOP]]
