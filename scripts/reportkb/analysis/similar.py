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

A report whose similarity to an earlier report (by source, part) reaches
``REPORT_THRESHOLD`` is a duplicate: statistics count only the earlier one.
"""

from __future__ import annotations

import re
import zlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

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
    clean = _DROP_RE.sub("", text if folded else fold(text))
    if len(clean) < size:
        return frozenset({zlib.crc32(clean.encode("utf-8"))}) if clean else frozenset()
    data = memoryview(clean.encode("utf-32-le"))  # 4 bytes a character: slices by offset
    crc = zlib.crc32
    width = 4 * size
    return frozenset(crc(data[4 * i : 4 * i + width]) for i in range(len(clean) - size + 1))


def raw_bins(shingle_set: frozenset[int], k: int = SKETCH) -> list[int | None]:
    """One-permutation MinHash bins: the smallest hash in each of k bins (bin = hash mod k).

    Bins of a union are the element-wise minimum of the parts' bins, so a
    section's bins come from its blocks' bins without touching the text again.
    """
    bins: list[int | None] = [None] * k
    for x in shingle_set:
        i, v = x % k, x // k
        b = bins[i]
        if b is None or v < b:
            bins[i] = v
    return bins


def merge_bins(parts: list[list[int | None]], k: int = SKETCH) -> list[int | None]:
    out: list[int | None] = [None] * k
    for bins in parts:
        for i, v in enumerate(bins):
            if v is not None and (out[i] is None or v < out[i]):
                out[i] = v
    return out


def densify(bins: list[int | None]) -> tuple[int, ...]:
    """Empty bins borrow the next non-empty bin's value, marked with the distance."""
    k = len(bins)
    if all(b is None for b in bins):
        return ()
    out = []
    for i in range(k):
        j = 0
        while bins[(i + j) % k] is None:
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
    """Signature of ``text_shingles``; () if unreadable."""
    return signature(text_shingles(raw)) if raw is not None else ()


def file_sketch(path: Path, root: Path, source: str) -> tuple[int, ...]:
    """``text_sketch`` of a source file, read and decoded again."""
    _, data, _ = read_bytes(path, root)
    return text_sketch(decode_source(source, path.suffix.lower(), data)[0] if data is not None else None)


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    if not a and not b:
        return 0.0
    shared = len(a & b)  # |a ∪ b| = |a| + |b| − |a ∩ b|: no union set is built
    return shared / (len(a) + len(b) - shared)


def candidate_pairs(signatures: dict[Key, tuple[int, ...]]) -> dict[Key, list[Key]]:
    """LSH: texts whose signatures agree on every row of some band share a bucket.

    With BANDS × ROWS = 21 × 3, a pair with Jaccard 0.6 becomes a candidate with
    probability ≈ 1 − (1 − 0.6³)²¹ ≈ 0.99; one with 0.2 with ≈ 0.16.
    Returns, for each later text, its earlier candidates, most shared bands first.
    """
    bands: list[dict[tuple, list[Key]]] = [{} for _ in range(BANDS)]  # one table per band
    for key in sorted(signatures, key=_order):
        sig = signatures[key]
        if not sig:
            continue
        # zip(*[iter(sig)] * ROWS) cuts the signature into bands of ROWS values (in C).
        for table, rows in zip(bands, zip(*[iter(sig)] * ROWS, strict=False), strict=True):
            found = table.get(rows)
            if found is None:
                table[rows] = [key]
            else:
                found.append(key)
    shared: dict[Key, dict[Key, int]] = defaultdict(lambda: defaultdict(int))
    for table in bands:
        for keys in table.values():
            for i in range(1, len(keys)):
                b = keys[i]
                for a in keys[: min(i, MAX_PARTNERS)]:
                    if a[0] != b[0]:
                        shared[b][a] += 1
    return {
        b: sorted(found, key=lambda a: (-found[a], _order(a)))
        for b, found in sorted(shared.items(), key=lambda kv: _order(kv[0]))
    }


def _matches(score_of: Callable[[Key, Key], float], signatures: dict[Key, tuple[int, ...]], threshold: float):
    """(earlier, later, Jaccard) for verified pairs; each later text checks at most MAX_CHECKS candidates."""
    for b, candidates in candidate_pairs(signatures).items():
        found = 0
        for a in candidates[:MAX_CHECKS]:
            score = score_of(a, b)
            if score >= threshold:
                yield a, b, score
                found += 1
                if found == SHOW_MAX:
                    break


def _order(key: Key) -> tuple:
    return (key[0], -1 if key[1] is None else key[1])


def sketches(
    report: Report, block_sets: list[frozenset[int]] | None = None
) -> tuple[tuple[int, ...], tuple[tuple[int, tuple[int, ...]], ...]]:
    """MinHash signatures of a report (title left out) and of its sections long enough to compare.

    ``block_sets``: the shingles of each block, when already at hand.
    """
    if block_sets is None:
        block_sets = [shingles(b.text) for b in report.blocks]
    bins = [raw_bins(x) for x in block_sets]
    whole = densify(merge_bins([x for x, b in zip(bins, report.blocks, strict=True) if b.kind != "title"]))
    sections = []
    for sec in report.sections:
        owned = report.subtree(sec.index)
        length = sum(len(_DROP_RE.sub("", b.text)) for b in report.blocks if b.section in owned)
        if length >= SECTION_MIN_CHARS:
            sections.append((sec.index, densify(merge_bins([x for x, b in zip(bins, report.blocks, strict=True) if b.section in owned]))))
    return whole, tuple(sections)


def find_similar(reports: tuple[Report, ...], memo: Memo = NO_MEMO) -> Similarity:
    """Near-duplicate reports and sections across different reports.

    Sketches and verified scores come from ``memo`` when an earlier run
    computed them for the same report contents.
    """
    position = {r.id: i for i, r in enumerate(reports)}
    by_id = {r.id: r for r in reports}
    report_keys: dict[Key, tuple[int, ...]] = {}
    section_keys: dict[Key, tuple[int, ...]] = {}
    shingled: dict[str, list[frozenset[int]]] = {}  # kept from sketching, for the exact checks

    def sketch(r: Report):
        shingled[r.id] = [shingles(b.text) for b in r.blocks]
        return sketches(r, shingled[r.id])

    for r in reports:
        whole, sections = memo.get("sketch", memo.report_key(r), lambda r=r: sketch(r))
        report_keys[(r.id, None)] = whole
        for index, sig in sections:
            section_keys[(r.id, index)] = sig

    def block_sets(report_id: str) -> list[frozenset[int]]:
        if report_id not in shingled:  # sketch came from the memo; only reports still to check get here
            shingled[report_id] = [shingles(b.text) for b in by_id[report_id].blocks]
        return shingled[report_id]

    @lru_cache(maxsize=4096)
    def sets(key: Key) -> frozenset[int]:
        r = by_id[key[0]]
        owned = r.subtree(key[1]) if key[1] is not None else None
        return frozenset().union(
            *(x for x, b in zip(block_sets(r.id), r.blocks, strict=True) if (b.kind != "title" if owned is None else b.section in owned))
        )

    def verified(a: Key, b: Key) -> float:
        pair = (memo.report_key(by_id[a[0]]), a[1], memo.report_key(by_id[b[0]]), b[1])
        return memo.get("pair", pair, lambda: round(jaccard(sets(a), sets(b)), 4))

    found_reports: dict[str, list[tuple[str, float]]] = defaultdict(list)
    duplicates: dict[str, str] = {}
    for a, b, score in _matches(verified, report_keys, REPORT_THRESHOLD):
        found_reports[a[0]].append((b[0], score))
        found_reports[b[0]].append((a[0], score))
        first, later = sorted((a[0], b[0]), key=position.__getitem__)
        if later not in duplicates:
            duplicates[later] = duplicates.get(first, first)
    found_sections: dict[tuple[str, int], list[tuple[str, int, float]]] = defaultdict(list)
    for a, b, score in _matches(verified, section_keys, SECTION_THRESHOLD):
        found_sections[a].append((b[0], b[1], score))
        found_sections[b].append((a[0], a[1], score))
    return Similarity(
        reports={k: tuple(sorted(v, key=lambda x: (-x[1], x[0]))[:SHOW_MAX]) for k, v in sorted(found_reports.items())},
        sections={
            k: tuple(sorted(v, key=lambda x: (-x[2], x[0], x[1]))[:SHOW_MAX]) for k, v in sorted(found_sections.items())
        },
        duplicates=dict(sorted(duplicates.items())),
    )
