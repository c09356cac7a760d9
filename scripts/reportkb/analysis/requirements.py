"""Requirements: which passages of the corpus address which requirement.

A passage is one block (heading or paragraph) of a report; it addresses a
requirement when one of the requirement's evidence patterns matches its
folded text and, for a requirement that holds further notions (``all_of``),
one pattern of each of them matches too. The same folding and the same patterns drive the draft checker
in Python and in the browser, see ``checker``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, partial
from typing import TYPE_CHECKING

from reportkb.config import Requirement, Requirements
from reportkb.config.schema import join_patterns
from reportkb.store.memo import NO_MEMO, Batch, Memo
from reportkb.text.fold import fold

if TYPE_CHECKING:  # annotations only: ``kb.py check`` loads this module and should not load the index's machinery
    from reportkb.analysis.link import Index
    from reportkb.model import Report

HAN_RE = re.compile("[\u4e00-\u9fff]+")
LINE_SPLIT_RE = re.compile("\r\n|[\r\n\u2028\u2029]")


@functools.lru_cache(maxsize=1 << 16)  # each block is matched against every requirement
def match_fold(text: str) -> str:
    """``textnorm.fold`` restricted to the Basic Multilingual Plane.

    JavaScript strings count UTF-16 units; the few rare characters whose
    folding leaves or enters the BMP are kept as written on both sides so
    that offsets and verdicts agree.
    """
    folded = fold(text)
    if text.isascii() or max(text) <= "\uffff" and max(folded) <= "\uffff":  # C-speed check of the common case
        return folded
    return "".join(
        f if ord(c) <= 0xFFFF and ord(f) <= 0xFFFF else c for c, f in zip(text, folded, strict=True)
    )


def han_count(text: str) -> int:
    """Chinese characters (CJK Unified Ideographs, U+4E00–U+9FFF)."""
    return sum(map(len, HAN_RE.findall(text)))  # runs, not characters: fewer strings to make


def split_lines(text: str) -> list[str]:
    """Lines as both checkers see them: a leading BOM dropped, any line break."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return LINE_SPLIT_RE.split(text)


@dataclass(frozen=True)
class Passage:
    """One block of a report that addresses a requirement."""

    report_id: str
    block: int
    """Index in ``Report.blocks``."""
    line: int
    section: int | None
    kind: str
    """``heading`` or ``paragraph``."""
    text: str
    """The block's text, verbatim."""
    spans: tuple[tuple[int, int], ...]
    """Matched character ranges in ``text``, sorted and merged."""
    patterns: tuple[int, ...]
    """Indices of the patterns that matched."""


@dataclass(frozen=True)
class Coverage:
    requirement: Requirement
    passages: tuple[Passage, ...]

    @cached_property
    def report_ids(self) -> tuple[str, ...]:
        return tuple(sorted({p.report_id for p in self.passages}))

    @cached_property
    def _rankings(self) -> dict[int, list[Passage]]:
        """max_chars → the ``best_passages`` ranking: the pages and the checker spec both rank every coverage."""
        return {}


def _merge(spans: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)


def match_block(folded: str, compiled: tuple[re.Pattern, ...],
                all_of: tuple[tuple[re.Pattern, ...], ...] = ()) -> tuple[tuple[tuple[int, int], ...], tuple[int, ...]]:
    """(merged spans, indices of the patterns that matched) in a block's ``match_fold`` text; nothing unless
    every notion of ``all_of`` matches too.

    Patterns of ``all_of`` are numbered after ``compiled``, group by group.
    """
    spans: list[tuple[int, int]] = []
    hits: list[int] = []
    for i, pattern in enumerate(compiled):
        found = [(m.start(), m.end()) for m in pattern.finditer(folded)]
        if found:
            hits.append(i)
            spans.extend(found)
    if not hits:
        return (), ()
    offset = len(compiled)
    for group in all_of:
        matched = False
        for i, pattern in enumerate(group):
            found = [(m.start(), m.end()) for m in pattern.finditer(folded)]
            if found:
                matched = True
                hits.append(offset + i)
                spans.extend(found)
        if not matched:
            return (), ()
        offset += len(group)
    return _merge(spans), tuple(hits)


@functools.lru_cache(maxsize=256)
def _any_of(compiled: tuple[re.Pattern, ...]) -> Callable[[str], bool]:
    """Whether any of ``compiled`` occurs in a text: one search where the patterns join (a cheap pre-check)."""
    joined = join_patterns(compiled)
    if joined is not None:
        return lambda text: joined.search(text) is not None
    return lambda text: any(p.search(text) for p in compiled)


def _block_hits(texts: list[tuple[int, str]], requirement: Requirement,
                compiled: tuple[re.Pattern, ...]) -> tuple[Hit, ...]:
    """The (block, spans, patterns) of the blocks that address ``requirement``, of (block index, folded text)."""
    search = _any_of(compiled)
    all_of = requirement.compiled_all_of()
    out = []
    for i, folded in texts:
        if search(folded):
            spans, hits = match_block(folded, compiled, all_of)
            if hits:
                out.append((i, spans, hits))
    return tuple(out)


Hit = tuple[int, tuple[tuple[int, int], ...], tuple[int, ...]]
"""(block index, spans, patterns) of a passage: a Passage without what its block holds."""


def report_hits(report: Report, requirements: Requirements) -> tuple[tuple[Hit, ...], ...]:
    """For each requirement in order, the blocks of one report that address it."""
    # A block's match is also a match in the report's whole text, so one search
    # over the whole text rules out most requirements cheaply. Anchored
    # patterns (^ $) are exempt: they may match a block but not the whole.
    # Folded block by block (match_fold maps each character on its own; short texts are cached).
    texts = [(i, match_fold(b.text)) for i, b in enumerate(report.blocks) if b.kind in ("heading", "paragraph")]
    whole = "\n".join(folded for _, folded in texts)
    out = []
    for requirement in requirements.items:
        compiled = requirement.compiled()
        anchored = any(("^" in p.pattern or "$" in p.pattern) for p in compiled)
        if anchored or _any_of(compiled)(whole):
            out.append(_block_hits(texts, requirement, compiled))
        else:
            out.append(())
    return tuple(out)


def coverage_batch(index: Index, requirements: Requirements, memo: Memo = NO_MEMO) -> Batch:
    """The per-report work of ``coverage``: each report's passages for every requirement."""
    return Batch("coverage", [(memo.report_key(r), partial(report_hits, r, requirements)) for r in index.reports])


def coverage(index: Index, requirements: Requirements, memo: Memo = NO_MEMO) -> tuple[Coverage, ...]:
    """Every requirement with every passage that addresses it, in corpus order.

    Per-report hits come from ``memo`` when an earlier run had the same report
    (kept as plain tuples: they load much faster than dataclasses).
    """
    found: list[list[Passage]] = [[] for _ in requirements.items]
    batch = coverage_batch(index, requirements, memo)
    per_report = memo.get_many(batch.kind, batch.jobs)
    for report, hits in zip(index.reports, per_report, strict=True):
        for i, rows in enumerate(hits):
            for block_index, spans, patterns in rows:
                block = report.blocks[block_index]
                found[i].append(Passage(report.id, block_index, block.line, block.section, block.kind, block.text,
                                        spans, patterns))
    return tuple(Coverage(requirement, tuple(rows)) for requirement, rows in zip(requirements.items, found, strict=True))


def best_passages(cov: Coverage, count: int, max_chars: int = 400) -> tuple[Passage, ...]:
    """Exemplars: paragraphs before headings, then most distinct patterns, one per report first,
    never two from the same section.

    Ties go to passages with more matched characters, then corpus order; very
    long paragraphs rank after others of equal score so excerpts stay short.
    """
    ranked = cov._rankings.get(max_chars)
    if ranked is None:
        passages = cov.passages
        # Sorting plain tuples ending in the position (never a tie) is much cheaper than a key
        # function; passages of one coverage are distinct objects, so identity stands for equality.
        ranked = cov._rankings[max_chars] = [passages[key[-1]] for key in sorted(
            (p.kind == "heading", -len(p.patterns), len(p.text) > max_chars, -_matched(p.spans), i)
            for i, p in enumerate(passages))]
    chosen: list[Passage] = []
    seen: set[str] = set()
    for p in ranked:
        if len(chosen) >= count:
            break
        if p.report_id not in seen:
            chosen.append(p)
            seen.add(p.report_id)
    taken = {id(c) for c in chosen}
    places = {(c.report_id, c.section) for c in chosen}
    for p in ranked:
        if len(chosen) >= count:
            break
        # A second passage of a section already shown (e.g. its bare heading) adds nothing.
        if id(p) not in taken and (p.report_id, p.section) not in places:
            chosen.append(p)
            taken.add(id(p))
            places.add((p.report_id, p.section))
    return tuple(chosen)


def _matched(spans: tuple[tuple[int, int], ...]) -> int:
    """Matched characters; a plain loop (a generator per passage costs several times more)."""
    n = 0
    for start, end in spans:
        n += end - start
    return n


def report_length(report: Report) -> int:
    return han_count("".join(b.text for b in report.blocks))  # one search per report, not per block


def quantile(values: list[int], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def excerpt(passage: Passage, width: int = 60) -> str:
    """The passage around its first match, at most about ``2 * width`` characters."""
    text = passage.text
    if len(text) <= 2 * width:
        return text
    start = max(0, passage.spans[0][0] - width // 2)
    end = min(len(text), start + 2 * width)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
