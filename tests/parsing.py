"""Read a short text the way the pipeline does: clean (noise.yml) then parse."""

from __future__ import annotations

from functools import cache

from reportkb.config import DATA_DIR, load_noise_rules
from reportkb.model import Line, Problem, RawDocument, Report
from reportkb.stages.clean import clean_document
from reportkb.stages.parse import parse_report


@cache
def _rules():
    return load_noise_rules(DATA_DIR / "noise.yml")


def read(text: str, name: str = "t.txt") -> tuple[list[Report], list[Problem]]:
    """The reports of one file whose content is ``text`` and every problem found."""
    lines = tuple(Line(t, i + 1) for i, t in enumerate(text.strip("\n").split("\n")))
    texts, problems = clean_document(RawDocument(name, "utf-8", lines, "0"), _rules())
    reports = []
    found = list(problems)
    for part in texts:
        report, more = parse_report(part, f"r{part.part}")
        reports.append(report)
        found.extend(more)
    return reports, found


def outline(report: Report) -> list[tuple[int, str, str]]:
    """(depth, mark, heading) of every section."""
    return [(s.depth, s.mark, s.heading) for s in report.sections]


def one(text: str) -> Report:
    reports, _ = read(text)
    assert len(reports) == 1, [r.title for r in reports]
    return reports[0]


def page_text(report: Report) -> str:
    """Everything the report page shows, in order (blocks joined)."""
    return "".join(b.text for b in report.blocks)
