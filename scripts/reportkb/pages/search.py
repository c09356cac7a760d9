"""Search data: every searchable record of the corpus, for the site's own search.

A record is the *own text* of one section (its heading and the paragraphs
directly under it, not its subsections), plus one record per report for the
opening text before the first numbered heading (title, addressee, preamble).
Blocks of a record are joined with ``SEP`` so a query never matches across
two paragraphs.

The browser does the matching (``docs/assets/search.js``): exact substring
over ``textnorm.fold``-ed text. To keep the download small the text is
shipped once, in its original form, and identical paragraphs are stored
once; the browser folds it with the same character table, which is shipped
in the same file so Python and JavaScript cannot drift apart.
"""

from __future__ import annotations

import json

from reportkb.analysis.link import Index
from reportkb.model import Report
from reportkb.pages.family import PageFamily, Rendered
from reportkb.text.fold import fold_table  # traditional→simplified and Ⅹ/ⅹ; search.js folds width itself

SEARCH_JSON = "data/search.json"
SEP = "\n"
"""Joins the blocks of one record; queries cannot contain it."""
FORMAT = 1


def opening_blocks(report: Report) -> list[str]:
    """Texts of the blocks before the first numbered heading."""
    return [b.text for b in report.blocks if b.section is None]


def own_blocks(report: Report, index: int) -> list[str]:
    """Texts of a section's heading and the paragraphs directly under it."""
    return [b.text for b in report.blocks if b.section == index]


def opening_text(report: Report) -> str:
    return SEP.join(opening_blocks(report))


def section_text(report: Report, index: int) -> str:
    return SEP.join(own_blocks(report, index))


def search_data(index: Index) -> dict:
    """The search.json document.

    ``paras`` holds each distinct block text once; a record lists the
    indexes of its blocks. Theme and role names are read from the
    annotations, so new themes appear in the filters without code changes.
    """
    paras: list[str] = []
    para_ids: dict[str, int] = {}

    def para(text: str) -> int:
        if text not in para_ids:
            para_ids[text] = len(paras)
            paras.append(text)
        return para_ids[text]

    themes = sorted({t for notes in index.annotations.values() for s in notes.sections for t in s.themes})
    roles = sorted({s.role for notes in index.annotations.values() for s in notes.sections if s.role})
    units = sorted({r.unit for r in index.reports if r.unit})
    theme_ids = {t: i for i, t in enumerate(themes)}
    role_ids = {r: i for i, r in enumerate(roles)}
    unit_ids = {u: i for i, u in enumerate(units)}

    reports = []
    records = []
    for number, report in enumerate(index.reports):
        notes = index.annotations[report.id]
        reports.append([report.id, report.title, report.year, unit_ids.get(report.unit, -1)])
        opening = opening_blocks(report)
        if opening:
            records.append([number, "", -1, [], [para(t) for t in opening]])
        for section in report.sections:
            blocks = own_blocks(report, section.index)
            if not blocks:
                continue
            labels = notes.sections[section.index] if notes.sections else None
            role = role_ids.get(labels.role, -1) if labels else -1
            section_themes = [theme_ids[t] for t in labels.themes] if labels else []
            records.append([number, section.anchor, role, section_themes, [para(t) for t in blocks]])
    trad, simp = fold_table()
    return {
        "format": FORMAT,
        "fold": {"from": trad, "to": simp},
        "themes": themes,
        "roles": roles,
        "units": units,
        "reports": reports,
        "records": records,
        "paras": paras,
        "sep": SEP,
    }


def render_search(index: Index) -> dict[str, str]:
    """Pages this feature adds: the search data (compact: it is downloaded)."""
    text = json.dumps(search_data(index), ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
    return {SEARCH_JSON: text}


FAMILY = PageFamily("search", ("data",), lambda ctx: Rendered(pages=render_search(ctx.index)))
