"""Building the checker spec at render time: the data files plus corpus figures, as one JSON document.

The spec is the contract with ``docs/assets/checker-rules.js`` (see ``contract``);
``pages/requirements`` publishes it as ``data/checker.json``.
"""

from __future__ import annotations

import json

from reportkb.analysis.link import Index
from reportkb.analysis.requirements import best_passages, coverage, excerpt, match_fold, quantile, report_length
from reportkb.checker.contract import (
    GAP_CODES,
    GAP_NAMES,
    SCHEMA,
    Exemplar,
    FormulaRule,
    GuideLink,
    PairingHelp,
    PairingRule,
    RequirementRule,
    Spec,
)
from reportkb.config import Requirements, Taxonomy
from reportkb.text.fold import fold_table

MAX_ITEMS = 100
"""Placeholder and formula findings listed in a verdict (totals count all)."""
MATCHES_PER_REQUIREMENT = 3
PAIRING_ROLES = {"problem": "problems", "cause": "causes", "measure": "next-steps"}
"""Taxonomy role ids of the items the checker pairs."""
PAIRING_EXEMPLARS = 2
PAIRING_MIN_THEME_SCORE = 2.0
PAIRING_MIN_TERM_WEIGHT = 1.0
"""Lighter keywords (创新, 培训 as a study word, 干部职工) are too common to pair a problem with a measure."""
NUMERALS = "一二三四五六七八九十"


def requirement_page(theme_id: str) -> str:
    return f"requirements/{theme_id}.md"


def requirement_anchor(requirement_id: str) -> str:
    return requirement_id.lower()


def _formula_entries(requirements: Requirements) -> list[FormulaRule]:
    return [
        {"standard": f.standard, "variants": list(f.variants), "allowed": list(f.allowed)} for f in requirements.checker.formulas
    ]


def _protected_forms(requirements: Requirements, extra_forms: tuple[str, ...]) -> list[str]:
    """Spellings never reported as near-misses: standards here and in formulas.yml."""
    known = {f.standard for f in requirements.checker.formulas}
    return sorted(known | {match_fold(form) for form in extra_forms if form})


def build_spec(index: Index, requirements: Requirements, taxonomy: Taxonomy, extra_forms: tuple[str, ...] = (),
               covs: tuple | None = None) -> Spec:
    """The checker spec: data files plus corpus figures, as one JSON-ready dict.

    ``extra_forms``: spellings of fixed formulas from formulas.yml, checked
    as standards next to those in requirements.yml. ``covs``: the result of
    ``coverage(index, requirements)`` when the caller already has it.
    """
    settings = requirements.checker
    theme_ids = {t.name: t.id for t in taxonomy.themes}
    covs = coverage(index, requirements) if covs is None else covs
    reqs: list[RequirementRule] = []
    for cov in covs:
        r = cov.requirement
        exemplars: list[Exemplar] = []
        for p in best_passages(cov, settings.exemplars):
            report = index.by_id(p.report_id)
            section = report.sections[p.section] if p.section is not None else None
            anchor = section.anchor if section else ""
            exemplars.append(
                {
                    "report": report.id,
                    "title": report.title,
                    "section": section.heading if section else "",
                    "line": p.line,
                    "url": f"reports/{report.id}/" + (f"#{anchor}" if anchor else ""),
                    "excerpt": excerpt(p),
                }
            )
        reqs.append(
            {
                "id": r.id,
                "theme": r.theme,
                "title": r.title,
                "statement": r.statement,
                "source": r.source,
                "patterns": list(r.patterns),
                "all_of": [list(group) for group in r.all_of],
                "page": requirement_page(theme_ids[r.theme]).removesuffix(".md") + "/#" + requirement_anchor(r.id),
                "exemplars": exemplars,
            }
        )
    lengths = [report_length(r) for r in index.reports]
    return {
        "schema": SCHEMA,
        # Every character match_fold changes (full-width forms too): the page folds with this table alone.
        "fold": dict(zip(*fold_table(width=True), strict=True)),
        "gap_names": GAP_NAMES,  # the page shows the same names as the command line
        "title": {"max_chars": settings.title_max_chars, "cues": [match_fold(c) for c in settings.title_cues]},
        "heading_levels": list(settings.heading_levels),
        "heading_max_chars": settings.heading_max_chars,
        "roles": [{"name": r.name, "cues": [match_fold(c) for c in r.heading_cues]} for r in taxonomy.roles],
        "default_role": taxonomy.default_role,
        "parts": [{"label": label, "role": role} for label, role in settings.parts],
        "themes": [{"name": t.name, "keywords": [(match_fold(k), w) for k, w in t.keywords]} for t in taxonomy.themes],
        "theme_min_score": settings.theme_min_score,
        "requirements": reqs,
        "pairing": pairing_rule(index, taxonomy),
        "placeholders": [{"label": p.label, "pattern": p.pattern} for p in settings.placeholders],
        "formulas": _formula_entries(requirements),
        "protected_forms": _protected_forms(requirements, extra_forms),
        "near_miss_min_chars": settings.near_miss_min_chars,
        "max_items": MAX_ITEMS,
        "matches_per_requirement": MATCHES_PER_REQUIREMENT,
        "gap_codes": list(GAP_CODES),
        "length": {
            "reports": len(lengths),
            "min": min(lengths, default=0),
            "median": round(quantile(lengths, 0.5)),
            "max": max(lengths, default=0),
            "short_below": round(quantile(lengths, settings.length_short_quantile)),
            "long_above": round(quantile(lengths, settings.length_long_quantile)),
        },
    }


def _guides(theme_id: str | None, theme: str, role_id: str, role: str) -> list[GuideLink]:
    """The writing guide for this theme and role (``pages/guides.guide_path``); the role page for an item without theme."""
    if theme_id:
        return [{"label": f"写作指南：{theme} · {role}", "url": f"guides/{theme_id}-{role_id}/"}]
    return [{"label": f"写法：{role}", "url": f"roles/{role_id}/"}]


def _section_exemplars(index: Index, role: str, theme: str, count: int) -> list[Exemplar]:
    """Up to ``count`` sections of ``role`` on ``theme`` (any theme when empty), one per report:
    items (sections below a part) before parts, the theme first in their labels first, then by score."""
    ranked = []
    for position, report in enumerate(index.reports):
        labels = index.annotations[report.id].sections
        for section, label in zip(report.sections, labels, strict=False):
            score = dict(label.scores).get(theme, 0.0) if theme else max((s for _, s in label.scores), default=0.0)
            if label.role != role or score <= 0:
                continue
            first = not theme or (label.themes[:1] == (theme,))
            ranked.append(((section.parent is None, not first, -score, position, section.index), report, section))
    ranked.sort(key=lambda x: x[0])
    out: list[Exemplar] = []
    seen: set[str] = set()
    for _, report, section in ranked:
        if report.id in seen or len(out) >= count:
            continue
        seen.add(report.id)
        body = report.own_text(section.index)
        out.append({
            "report": report.id,
            "title": report.title,
            "section": section.heading,
            "line": section.line,
            "url": f"reports/{report.id}/#{section.anchor}",
            "excerpt": body if len(body) <= 120 else body[:120] + "…",
        })
    return out


def pairing_rule(index: Index, taxonomy: Taxonomy) -> PairingRule:
    """The pairing rules, with the guides and exemplars shown for an unmatched item of each theme."""
    roles = {r.id: r for r in taxonomy.roles}
    names = {kind: roles[rid].name if rid in roles else "" for kind, rid in PAIRING_ROLES.items()}
    cause_cues = [match_fold(c) for c in roles["causes"].heading_cues] if "causes" in roles else []
    helps: list[PairingHelp] = []
    # An unmatched problem wants a measure; an unmatched cause wants a problem.
    for kind, wanted in (("problem", "measure"), ("cause", "problem")):
        role_id = PAIRING_ROLES[wanted]
        if role_id not in roles:
            continue
        for theme_id, theme in [(None, "")] + [(t.id, t.name) for t in taxonomy.themes]:
            helps.append({
                "theme": theme,
                "kind": kind,
                "guides": _guides(theme_id, theme, role_id, names[wanted]),
                "exemplars": _section_exemplars(index, names[wanted], theme, PAIRING_EXEMPLARS),
            })
    return {
        "problem_role": names["problem"],
        "cause_role": names["cause"],
        "measure_role": names["measure"],
        "cause_cues": cause_cues,
        "numerals": NUMERALS,
        "marker": f"([{NUMERALS}])是|第([{NUMERALS}])[,、]",
        "min_theme_score": PAIRING_MIN_THEME_SCORE,
        "min_term_weight": PAIRING_MIN_TERM_WEIGHT,
        "excerpt_chars": 60,
        "role_label_max_chars": 8,
        "help": helps,
    }


def spec_json(spec: Spec) -> str:
    return json.dumps(spec, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
