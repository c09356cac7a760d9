"""Annotate: label each section of a report; the report itself is untouched."""

from __future__ import annotations

from .model import Annotations, Report, SectionLabels
from .settings import Taxonomy
from .textnorm import fold


def section_roles(report: Report, taxonomy: Taxonomy) -> tuple[str, ...]:
    """Role of every section: decided by its top-level heading, inherited below."""
    roles: list[str] = []
    for section in report.sections:
        if section.parent is not None:
            roles.append(roles[section.parent])
            continue
        heading = fold(section.heading)
        role = next(
            (r.name for r in taxonomy.roles if any(fold(cue) in heading for cue in r.heading_cues)),
            taxonomy.default_role,
        )
        roles.append(role)
    return tuple(roles)


def annotate(report: Report, taxonomy: Taxonomy) -> Annotations:
    roles = section_roles(report, taxonomy)
    return Annotations(report.id, tuple(SectionLabels(themes=(), scores=(), role=role) for role in roles))
