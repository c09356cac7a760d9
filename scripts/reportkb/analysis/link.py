"""Link: build the corpus-wide index every page is rendered from."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from reportkb.analysis.similar import Similarity, find_similar
from reportkb.config import Formula, Taxonomy
from reportkb.model import Annotations, Report
from reportkb.store.cache import NO_MEMO, Memo


@dataclass(frozen=True)
class Index:
    """Everything known about the corpus, gathered before any page is rendered."""

    reports: tuple[Report, ...]
    """Sorted by source path, then part."""
    annotations: dict[str, Annotations]
    """Report id → annotations."""
    taxonomy: Taxonomy | None = None
    formulas: tuple[Formula, ...] = ()
    similarity: Similarity = field(default_factory=Similarity)
    """Near-duplicate reports and sections (see similar.py)."""

    @cached_property
    def _by_id(self) -> dict[str, Report]:
        return {r.id: r for r in self.reports}

    def by_id(self, report_id: str) -> Report:
        return self._by_id[report_id]

    def years(self) -> list[int | None]:
        """Years present, newest first; None (no year) last."""
        years = {r.year for r in self.reports}
        return sorted((y for y in years if y is not None), reverse=True) + ([None] if None in years else [])

    def distinct_reports(self) -> tuple[Report, ...]:
        """Reports that are not near-duplicates of an earlier one (for statistics)."""
        return tuple(r for r in self.reports if r.id not in self.similarity.duplicates)


def link(
    reports: list[Report],
    annotations: list[Annotations],
    taxonomy: Taxonomy | None = None,
    formulas: tuple[Formula, ...] = (),
    memo: Memo = NO_MEMO,
) -> Index:
    ordered = tuple(sorted(reports, key=lambda r: (r.source, r.part)))
    return Index(
        reports=ordered,
        annotations={a.report_id: a for a in annotations},
        taxonomy=taxonomy,
        formulas=formulas,
        similarity=find_similar(ordered, memo),
    )
