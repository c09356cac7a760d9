"""Link: build the corpus-wide index every page is rendered from."""

from __future__ import annotations

from dataclasses import dataclass

from .model import Annotations, Report


@dataclass(frozen=True)
class Index:
    """Everything known about the corpus, gathered before any page is rendered."""

    reports: tuple[Report, ...]
    """Sorted by source path, then part."""
    annotations: dict[str, Annotations]
    """Report id → annotations."""

    def by_id(self, report_id: str) -> Report:
        return next(r for r in self.reports if r.id == report_id)

    def years(self) -> list[int | None]:
        """Years present, newest first; None (no year) last."""
        years = {r.year for r in self.reports}
        return sorted((y for y in years if y is not None), reverse=True) + ([None] if None in years else [])


def link(reports: list[Report], annotations: list[Annotations]) -> Index:
    ordered = tuple(sorted(reports, key=lambda r: (r.source, r.part)))
    return Index(reports=ordered, annotations={a.report_id: a for a in annotations})
