"""Near-duplicate reports and sections: shingles, MinHash + LSH, exact check.

* A text becomes its set of character 6-grams (shingles) in ``fold`` form with
  punctuation, spaces and masking asterisks dropped, so a copy that changed
  X to Ⅹ, half- to full-width or masked a phrase still matches.
* Each set is summarised by a one-permutation MinHash signature (crc32, so it
  is the same on every run); LSH banding puts texts whose signatures agree on
  a band into one bucket, and only texts sharing a bucket become candidates:
  no pair of full texts is compared unless it is likely similar, and within a
  bucket a text is paired with at most MAX_PARTNERS earlier texts, so the work
  grows with the corpus, not its square.
* Candidates are then checked exactly (Jaccard of the full shingle sets).
* Each report's shingles and signatures, and the checks of each text, are
  memo entries (``Memo.get_many``): the missing ones are computed in
  parallel, and a later run recomputes only what involves changed reports.

A report whose similarity to an earlier report (by source, part) reaches
``REPORT_THRESHOLD`` is a duplicate: statistics count only the earlier one.
"""

from __future__ import annotations

import re
import zlib
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache, partial
from itertools import chain
from pathlib import Path

import numpy as np

from reportkb.model import RawDocument, Report
from reportkb.stages.ingest import decode_source, read_bytes
from reportkb.store.cache import NO_MEMO, Memo
from reportkb.text.fold import fold

SHINGLE = 6
SKETCH = 64
REPORT_THRESHOLD = 0.6
SECTION_THRESHOLD = 0.6
SECTION_MIN_CHARS = 40
"""Shorter sections are not compared: a few shared words would look like a copy."""
BANDS = 21
ROWS = 3
MAX_PARTNERS = 5
"""Within one LSH bucket, a text is paired only with the first few
texts (in corpus order): a section copied into 500 reports costs 500 × 5 pairs, not
500²/2, and each copy is still linked to the earliest ones."""
SHOW_MAX = 3
MAX_CHECKS = 8
"""Candidates checked exactly per text, most shared LSH bands first."""
"""At most this many similar reports / sections are kept per report or section."""

LIKELY = 1 / 3
"""Signatures agreeing on this share of values (an estimate of Jaccard) suggest that two sets
share more than half of the smaller one: ``jaccard(likely=True)`` is then cheaper."""
_SIZE_RATIO = min(REPORT_THRESHOLD, SECTION_THRESHOLD) - 0.001
"""Below this size ratio no pair can score a threshold, even after rounding to 4 places:
such a pair scores 0.0 (remembered as such) without comparing shingles."""

_DROP_RE = re.compile(r"[\W_]+")

Key = tuple[str, int | None]
"""(report id, section index) — None for the whole report."""


@dataclass(frozen=True)
class Similarity:
    reports: dict[str, tuple[tuple[str, float], ...]] = field(default_factory=dict)
    """Report id → similar reports (id, Jaccard), most similar first."""
    sections: dict[tuple[str, int], tuple[tuple[str, int, float], ...]] = field(default_factory=dict)
    """(report id, section) → similar sections in other reports (id, section, Jaccard)."""
    duplicates: dict[str, str] = field(default_factory=dict)
    """Report id → the earlier report it repeats; left out of statistics."""


def shingles(text: str, size: int = SHINGLE, folded: bool = False) -> frozenset[int]:
    """crc32 of every ``size``-character run of the cleaned text (``folded``: already in fold form)."""
    return frozenset(_hashes(text, size, folded))


def _hashes(text: str, size: int = SHINGLE, folded: bool = False) -> Iterator[int]:
    """The shingles of ``shingles``, repeats included, as they come."""
    clean = _DROP_RE.sub("", text if folded else fold(text))
    if len(clean) < size:
        return iter((zlib.crc32(clean.encode("utf-8")),) if clean else ())
    data = memoryview(clean.encode("utf-32-le"))  # 4 bytes a character: slices by offset
    end, width = 4 * (len(clean) - size + 1), 4 * size
    # Slices, slicing and crc32 all mapped in C: no Python step per shingle.
    return map(zlib.crc32, map(data.__getitem__, map(slice, range(0, end, 4), range(width, end + width, 4))))


EMPTY = 1 << 32
"""An empty MinHash bin: above every value (hash // k), so a minimum skips it."""


def raw_bins(shingle_set: Iterable[int], k: int = SKETCH) -> list[int]:
    """One-permutation MinHash bins: the smallest hash in each of k bins (bin = hash mod k); EMPTY if none.

    Bins of a union are the element-wise minimum of the parts' bins, so a
    section's bins come from its blocks' bins without touching the text again.
    """
    hashes = np.fromiter(shingle_set, dtype=np.int64)
    bins = np.full(k, EMPTY, dtype=np.int64)
    np.minimum.at(bins, hashes % k, hashes // k)
    return bins.tolist()


def densify(bins: list[int]) -> tuple[int, ...]:
    """Empty bins borrow the next non-empty bin's value, marked with the distance."""
    k = len(bins)
    if all(b == EMPTY for b in bins):
        return ()
    out = []
    for i in range(k):
        j = 0
        while bins[(i + j) % k] == EMPTY:
            j += 1
        out.append(bins[(i + j) % k] * k + j)
    return tuple(out)


def signature(shingle_set: frozenset[int], k: int = SKETCH) -> tuple[int, ...]:
    return densify(raw_bins(shingle_set, k))


FILE_SKETCH = "file-sketch"
"""Memo kind: signature of each source file's decoded text, by (sha256, suffix);
written by generation and ``kb.py add``, read by ``kb.py add``."""


def text_shingles(raw: RawDocument | None) -> frozenset[int]:
    """Shingles of a decoded file's whole text (lines as read, before cleaning); empty if unreadable."""
    return shingles("\n".join(line.text for line in raw.lines)) if raw is not None else frozenset()


def text_sketch(raw: RawDocument | None) -> tuple[int, ...]:
    """Signature of ``text_shingles``; () if unreadable. A repeat leaves a minimum as it
    is, so the bins are filled as the shingles come, without building their set."""
    return densify(raw_bins(_hashes("\n".join(line.text for line in raw.lines)))) if raw is not None else ()


def file_sketch(path: Path, root: Path, source: str) -> tuple[int, ...]:
    """``text_sketch`` of a source file, read and decoded again."""
    _, data, _ = read_bytes(path, root)
    return text_sketch(decode_source(source, path.suffix.lower(), data)[0] if data is not None else None)


def jaccard(a: frozenset[int], b: frozenset[int], likely: bool = False) -> float:
    """|a ∩ b| / |a ∪ b|. ``likely``: the sets are expected to share most of the
    smaller one, so its (smaller) difference is built instead of the intersection;
    building a set costs the most, and the value is the same either way."""
    if not a and not b:
        return 0.0
    if likely:
        small, large = (a, b) if len(a) <= len(b) else (b, a)
        shared = len(small) - len(small - large)
    else:
        shared = len(a & b)
    return shared / (len(a) + len(b) - shared)  # |a ∪ b| = |a| + |b| − |a ∩ b|: no union set is built


def candidate_pairs(signatures: dict[Key, tuple[int, ...]]) -> dict[Key, list[Key]]:
    """LSH: texts whose signatures agree on every row of some band share a bucket.

    With BANDS × ROWS = 21 × 3, a pair with Jaccard 0.6 becomes a candidate with
    probability ≈ 1 − (1 − 0.6³)²¹ ≈ 0.99; one with 0.2 with ≈ 0.16.
    Returns, for each later text, its earlier candidates, most shared bands first.
    """
    bands: list[dict[tuple, list[Key]]] = [{} for _ in range(BANDS)]  # one table per band
    out: dict[Key, list[Key]] = {}
    for key in sorted(signatures, key=_order):
        sig = signatures[key]
        if not sig:
            continue
        # A text is paired with the first MAX_PARTNERS texts already in each of its
        # buckets: counted as it goes in, the tables are not walked again.
        partners: list[list[Key]] = []
        # zip(*[iter(sig)] * ROWS) cuts the signature into bands of ROWS values (in C).
        for table, rows in zip(bands, zip(*[iter(sig)] * ROWS, strict=False), strict=True):
            found = table.get(rows)
            if found is None:
                table[rows] = [key]
            else:
                partners.append(found[:MAX_PARTNERS])
                found.append(key)
        shared = Counter(chain.from_iterable(partners))  # bands shared with each earlier text, counted in C
        others = {a: n for a, n in shared.items() if a[0] != key[0]}
        if others:
            out[key] = sorted(others, key=lambda a: (-others[a], _order(a)))
    return out


def _checked(candidates: list[Key], threshold: float, score_of: Callable[[Key], float]) -> tuple[float, ...]:
    """Scores of one text's candidates, in order: at most MAX_CHECKS, none after its SHOW_MAX-th match."""
    scores: list[float] = []
    found = 0
    for a in candidates[:MAX_CHECKS]:
        scores.append(score_of(a))
        if scores[-1] >= threshold:
            found += 1
            if found == SHOW_MAX:
                break
    return tuple(scores)


def _order(key: Key) -> tuple:
    return (key[0], -1 if key[1] is None else key[1])


def sketches(
    report: Report, block_sets: list[frozenset[int]]
) -> tuple[tuple[int, ...], tuple[tuple[int, tuple[int, ...]], ...]]:
    """MinHash signatures of a report (title left out) and of its sections long enough to compare,
    from the shingles of each block (``block_sets``)."""
    bins = block_bins(block_sets)
    whole = _merged(bins, [b.kind != "title" for b in report.blocks])
    lengths = [len(_DROP_RE.sub("", b.text)) for b in report.blocks]  # once per block, not once per section
    sections = []
    for sec in report.sections:
        owned = report.subtree(sec.index)
        length = sum(n for n, b in zip(lengths, report.blocks, strict=True) if b.section in owned)
        if length >= SECTION_MIN_CHARS:
            sections.append((sec.index, _merged(bins, [b.section in owned for b in report.blocks])))
    return whole, tuple(sections)


def block_bins(block_sets: list[frozenset[int]], k: int = SKETCH) -> np.ndarray:
    """``raw_bins`` of every block at once: one row a block (one array operation for a whole report)."""
    sizes = [len(x) for x in block_sets]
    hashes = np.fromiter(chain.from_iterable(block_sets), dtype=np.int64, count=sum(sizes))
    rows = np.repeat(np.arange(len(block_sets), dtype=np.int64), sizes)
    bins = np.full((len(block_sets), k), EMPTY, dtype=np.int64)
    np.minimum.at(bins.reshape(-1), rows * k + hashes % k, hashes // k)
    return bins


def _merged(bins: np.ndarray, chosen: list[bool]) -> tuple[int, ...]:
    """The signature of the union of the chosen blocks: ``densify`` of their bins' column minimum."""
    rows = bins[np.array(chosen, dtype=bool)] if chosen else bins[:0]
    return densify(rows.min(axis=0).tolist() if len(rows) else [EMPTY] * bins.shape[1])


@dataclass(frozen=True)
class ReportSketch:
    """What ``find_similar`` keeps of one report: its signatures and its blocks' shingles."""

    whole: tuple[int, ...]
    sections: tuple[tuple[int, tuple[int, ...]], ...]
    blocks: tuple[bytes, ...]
    """Each block's shingles as a packed array (4 bytes each): cheap to pickle, to
    remember and to join; a text's set is built only when a check needs it."""


_PACKED = "I"
"""array type code of a packed shingle (crc32 values fit 4 bytes)."""


def report_sketch(report: Report) -> ReportSketch:
    """Shingles and signatures of one report: the per-report part of ``find_similar``."""
    block_sets = [shingles(b.text) for b in report.blocks]
    whole, sections = sketches(report, block_sets)
    return ReportSketch(whole, sections, tuple(array(_PACKED, x).tobytes() for x in block_sets))


def find_similar(reports: tuple[Report, ...], memo: Memo = NO_MEMO) -> Similarity:
    """Near-duplicate reports and sections across different reports.

    Sketches and verified scores come from ``memo`` when an earlier run
    computed them for the same report contents; the missing sketches are
    computed in parallel (``Memo.get_many``).
    """
    position = {r.id: i for i, r in enumerate(reports)}
    by_id = {r.id: r for r in reports}
    report_keys: dict[Key, tuple[int, ...]] = {}
    section_keys: dict[Key, tuple[int, ...]] = {}
    jobs = [(memo.report_key(r), partial(report_sketch, r)) for r in reports]
    sketched = {r.id: found for r, found in zip(reports, memo.get_many("sketch", jobs), strict=True)}
    for r in reports:
        report_keys[(r.id, None)] = sketched[r.id].whole
        for index, sig in sketched[r.id].sections:
            section_keys[(r.id, index)] = sig

    @lru_cache(maxsize=4096)
    def sets(key: Key) -> frozenset[int]:
        r = by_id[key[0]]
        owned = r.subtree(key[1]) if key[1] is not None else None
        packed = b"".join(
            x for x, b in zip(sketched[r.id].blocks, r.blocks, strict=True)
            if (b.kind != "title" if owned is None else b.section in owned)
        )
        return frozenset(array(_PACKED, packed))

    sig_of = report_keys | section_keys

    def compare(a: Key, b: Key) -> float:
        x, y = sets(a), sets(b)
        if min(len(x), len(y)) < _SIZE_RATIO * max(len(x), len(y)):
            return 0.0  # Jaccard ≤ smaller / larger: too far apart in size to reach a threshold
        agree = sum(1 for p, q in zip(sig_of[a], sig_of[b], strict=True) if p == q)
        return round(jaccard(x, y, likely=agree >= SKETCH * LIKELY), 4)

    content = {r.id: memo.report_key(r) for r in reports}
    # The checks of each later text are one memo entry, keyed by the contents of it
    # and of its candidates; the missing ones, of both passes, run in parallel at once.
    jobs, later = [], []
    for which, (signatures, threshold) in enumerate(((report_keys, REPORT_THRESHOLD), (section_keys, SECTION_THRESHOLD))):
        for b, found in candidate_pairs(signatures).items():
            checked = tuple((content[a[0]], a[1]) for a in found[:MAX_CHECKS])
            jobs.append(((content[b[0]], b[1], checked, threshold), partial(_checked, found, threshold, partial(compare, b=b))))
            later.append((which, b, found, threshold))
    matched: tuple[list[tuple[Key, Key, float]], ...] = ([], [])  # (earlier, later, Jaccard): reports, sections
    for (which, b, found, threshold), scores in zip(later, memo.get_many("checks", jobs), strict=True):
        for a, score in zip(found, scores, strict=False):  # checks stop at the SHOW_MAX-th match
            if score >= threshold:
                matched[which].append((a, b, score))

    found_reports: dict[str, list[tuple[str, float]]] = defaultdict(list)
    duplicates: dict[str, str] = {}
    for a, b, score in matched[0]:
        found_reports[a[0]].append((b[0], score))
        found_reports[b[0]].append((a[0], score))
        first, last = sorted((a[0], b[0]), key=position.__getitem__)
        if last not in duplicates:
            duplicates[last] = duplicates.get(first, first)
    found_sections: dict[tuple[str, int], list[tuple[str, int, float]]] = defaultdict(list)
    for a, b, score in matched[1]:
        found_sections[a].append((b[0], b[1], score))
        found_sections[b].append((a[0], a[1], score))
    return Similarity(
        reports={k: tuple(sorted(v, key=lambda x: (-x[1], x[0]))[:SHOW_MAX]) for k, v in sorted(found_reports.items())},
        sections={
            k: tuple(sorted(v, key=lambda x: (-x[2], x[0], x[1]))[:SHOW_MAX]) for k, v in sorted(found_sections.items())
        },
        duplicates=dict(sorted(duplicates.items())),
    )
