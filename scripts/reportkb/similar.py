"""Near-duplicate reports and sections: shingles, bottom-k MinHash, exact check.

* A text becomes its set of character 6-grams (shingles) in ``fold`` form with
  punctuation, spaces and masking asterisks dropped, so a copy that changed
  X to Ⅹ, half- to full-width or masked a phrase still matches.
* Each set is summarised by a bottom-k MinHash sketch (the k smallest shingle
  hashes; crc32, so it is the same on every run). An inverted index over the
  sketch values yields candidate pairs that share enough values, without ever
  comparing all pairs: the work grows with the corpus, not its square.
* Candidates are then checked exactly (Jaccard of the full shingle sets).

A report whose similarity to an earlier report (by source, part) reaches
``REPORT_THRESHOLD`` is a duplicate: statistics count only the earlier one.
"""

from __future__ import annotations

import re
import zlib
from collections import defaultdict
from dataclasses import dataclass, field

from .model import Report
from .textnorm import fold

SHINGLE = 6
SKETCH = 64
REPORT_THRESHOLD = 0.6
SECTION_THRESHOLD = 0.6
SECTION_MIN_CHARS = 40
"""Shorter sections are not compared: a few shared words would look like a copy."""
MIN_SHARED = 8
"""Sketch values two texts must share to be checked exactly (≈ Jaccard ≥ 0.12)."""
MAX_POSTING = 500
"""Sketch values found in more texts than this are boilerplate and give no candidates."""

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


def shingles(text: str, size: int = SHINGLE) -> frozenset[int]:
    clean = _DROP_RE.sub("", fold(text))
    if len(clean) < size:
        return frozenset({zlib.crc32(clean.encode("utf-8"))}) if clean else frozenset()
    return frozenset(zlib.crc32(clean[i : i + size].encode("utf-8")) for i in range(len(clean) - size + 1))


def sketch(shingle_set: frozenset[int], k: int = SKETCH) -> tuple[int, ...]:
    return tuple(sorted(shingle_set)[:k])


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def candidate_pairs(sketches: dict[Key, tuple[int, ...]]) -> list[tuple[Key, Key]]:
    """Pairs sharing at least MIN_SHARED sketch values, via an inverted index."""
    postings: dict[int, list[Key]] = defaultdict(list)
    for key in sorted(sketches, key=_order):
        for value in sketches[key]:
            postings[value].append(key)
    shared: dict[tuple[Key, Key], int] = defaultdict(int)
    for keys in postings.values():
        if len(keys) > MAX_POSTING:
            continue
        for i, a in enumerate(keys):
            for b in keys[i + 1 :]:
                if a[0] != b[0]:
                    shared[(a, b)] += 1
    return sorted((pair for pair, n in shared.items() if n >= MIN_SHARED), key=lambda p: (_order(p[0]), _order(p[1])))


def _order(key: Key) -> tuple:
    return (key[0], -1 if key[1] is None else key[1])


def find_similar(reports: tuple[Report, ...]) -> Similarity:
    """Near-duplicate reports and sections across different reports."""
    position = {r.id: i for i, r in enumerate(reports)}
    sets: dict[Key, frozenset[int]] = {}
    for r in reports:
        sets[(r.id, None)] = shingles("".join(b.text for b in r.blocks if b.kind != "title"))
        for s in r.sections:
            text = r.full_text(s.index)
            if len(_DROP_RE.sub("", text)) >= SECTION_MIN_CHARS:
                sets[(r.id, s.index)] = shingles(text)
    report_keys = {k: sketch(v) for k, v in sets.items() if k[1] is None}
    section_keys = {k: sketch(v) for k, v in sets.items() if k[1] is not None}
    found_reports: dict[str, list[tuple[str, float]]] = defaultdict(list)
    duplicates: dict[str, str] = {}
    for a, b in candidate_pairs(report_keys):
        score = round(jaccard(sets[a], sets[b]), 4)
        if score >= REPORT_THRESHOLD:
            found_reports[a[0]].append((b[0], score))
            found_reports[b[0]].append((a[0], score))
            first, later = sorted((a[0], b[0]), key=position.__getitem__)
            if later not in duplicates:
                duplicates[later] = duplicates.get(first, first)
    found_sections: dict[tuple[str, int], list[tuple[str, int, float]]] = defaultdict(list)
    for a, b in candidate_pairs(section_keys):
        score = round(jaccard(sets[a], sets[b]), 4)
        if score >= SECTION_THRESHOLD:
            found_sections[a].append((b[0], b[1], score))
            found_sections[b].append((a[0], a[1], score))
    return Similarity(
        reports={k: tuple(sorted(v, key=lambda x: (-x[1], x[0]))) for k, v in sorted(found_reports.items())},
        sections={k: tuple(sorted(v, key=lambda x: (-x[2], x[0], x[1]))) for k, v in sorted(found_sections.items())},
        duplicates=dict(sorted(duplicates.items())),
    )
