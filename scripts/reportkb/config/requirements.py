"""requirements.yml: the requirements a report answers, with evidence patterns, and the draft checker's settings.

Evidence, placeholder and heading patterns must lie in the regex subset of
``regex_subset.py`` and be written folded; themes and roles must exist in
taxonomy.yml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportkb.config.regex_subset import regex_subset_error
from reportkb.config.schema import REQUIRED, Field, Validator, open_data_file
from reportkb.config.taxonomy import Taxonomy

REQUIREMENTS_FILE = (
    Field("requirements", list, REQUIRED, "what a report is expected to address"),
    Field("checker", dict, REQUIRED, "settings of the draft checker (CLI check and the 自查清单 page)"),
)
REQUIREMENT = (
    Field("id", str, REQUIRED, "R01, R02, ...; unique"),
    Field("theme", str, REQUIRED, "a theme name from taxonomy.yml"),
    Field("title", str, REQUIRED, "short title, unique"),
    Field("statement", str, REQUIRED, "what is required, in neutral Chinese"),
    Field("source", str, REQUIRED, "the document the requirement comes from"),
    Field("evidence_patterns", list, REQUIRED, "regex subset, folded; a passage matching one addresses it"),
    Field("all_of", list, (), "further notions, each a list of patterns: a passage must also match one of each"),
)
CHECKER = (
    Field("title_max_chars", int, 60, "the first line is a title only if at most this long"),
    Field("title_cues", list, (), "a title contains one of these words"),
    Field("heading_levels", list, (), "patterns of numbered headings, highest level first"),
    Field("heading_max_chars", int, 40, "a heading's words are cut to this length"),
    Field("parts", list, REQUIRED, "parts a report needs: label shown and role name"),
    Field("theme_min_score", float, 4.0, "keyword score at which a theme counts as covered"),
    Field("placeholders", list, REQUIRED, "unfilled placeholders to report (label and pattern)"),
    Field("formulas", list, REQUIRED, "fixed formulas checked for variants and near misses"),
    Field("near_miss_min_chars", int, 4, "shorter formulas are only checked for their variants"),
    Field("exemplars", int, 3, "exemplar passages shown for each missing requirement"),
    Field("length_short_quantile", float, 0.1, "a draft shorter than this corpus quantile is short (0 to 1)"),
    Field("length_long_quantile", float, 0.9, "a draft longer than this corpus quantile is long (0 to 1)"),
)
PART = (
    Field("label", str, REQUIRED, "name shown for the part"),
    Field("role", str, REQUIRED, "a role name from taxonomy.yml"),
)
PLACEHOLDER = (
    Field("label", str, REQUIRED, "name shown for the placeholder"),
    Field("pattern", str, REQUIRED, "regex subset, folded; group 1 (if any) is the text reported"),
)
CHECK_FORMULA = (
    Field("standard", str, REQUIRED, "the standard wording, folded; unique"),
    Field("variants", list, (), "known non-standard wordings, always reported"),
    Field("allowed", list, (), "words one character away from the standard that are never reported"),
)


@dataclass(frozen=True)
class Requirement:
    id: str
    theme: str
    """A theme name from taxonomy.yml."""
    title: str
    statement: str
    source: str
    patterns: tuple[str, ...]
    """Evidence patterns in the common regex subset, folded form."""
    all_of: tuple[tuple[str, ...], ...] = ()
    """Further notions the requirement holds: a passage must match one pattern of each, too."""

    def compiled(self) -> tuple[re.Pattern, ...]:
        return tuple(re.compile(p) for p in self.patterns)

    def compiled_all_of(self) -> tuple[tuple[re.Pattern, ...], ...]:
        return tuple(tuple(re.compile(p) for p in group) for group in self.all_of)


@dataclass(frozen=True)
class Placeholder:
    label: str
    pattern: str


@dataclass(frozen=True)
class CheckFormula:
    standard: str
    """The standard wording (folded form)."""
    variants: tuple[str, ...]
    """Known non-standard wordings, always flagged."""
    allowed: tuple[str, ...]
    """Legitimate words one character away from the standard, never flagged."""


@dataclass(frozen=True)
class CheckerSettings:
    title_max_chars: int
    title_cues: tuple[str, ...]
    heading_levels: tuple[str, ...]
    """Patterns for numbered headings, highest level first."""
    heading_max_chars: int
    parts: tuple[tuple[str, str], ...]
    """(label shown, role name in taxonomy.yml) of the parts a report needs."""
    theme_min_score: float
    placeholders: tuple[Placeholder, ...]
    formulas: tuple[CheckFormula, ...]
    near_miss_min_chars: int
    exemplars: int
    length_short_quantile: float
    length_long_quantile: float


@dataclass(frozen=True)
class Requirements:
    items: tuple[Requirement, ...]
    checker: CheckerSettings

    def by_theme(self, theme: str) -> tuple[Requirement, ...]:
        return tuple(r for r in self.items if r.theme == theme)


def _subset_pattern(v: Validator, value: Any, key: str) -> str | None:
    if v.regex(value, key) is None:
        return None
    problem = regex_subset_error(value)
    if problem:
        v.fail(key, f"超出 Python/JavaScript 共同支持的正则子集：{problem}: {value!r}")
        return None
    return value


def _subset_patterns(v: Validator, raw: list, key: str) -> tuple[str, ...]:
    return tuple(p for i, p in enumerate(raw) if _subset_pattern(v, p, f"{key}[{i}]"))


def _requirement(v: Validator, item: dict, k: str, themes: set[str]) -> Requirement:
    r = v.read(item, REQUIREMENT, k)
    if r["id"] and not re.fullmatch(r"R\d{2,3}", r["id"]):
        v.fail(f"{k}.id", f"应形如 R01，实际是 {r['id']!r}")
    if r["theme"] and r["theme"] not in themes:
        v.fail(f"{k}.theme", f"应为 taxonomy.yml 中的主题名称之一（{'、'.join(sorted(themes))}），实际是 {r['theme']!r}")
    if item.get("evidence_patterns") == []:
        v.fail(f"{k}.evidence_patterns", "至少需要一个模式")
    patterns = _subset_patterns(v, r["evidence_patterns"], f"{k}.evidence_patterns")
    v.unique(list(patterns), f"{k}.evidence_patterns")
    groups: list[tuple[str, ...]] = []
    for i, group in enumerate(r["all_of"]):
        key = f"{k}.all_of[{i}]"
        if not isinstance(group, list) or not group:
            v.fail(key, "应为至少含一个模式的列表（这一概念的各种写法，段落中出现其一即可）")
            continue
        found = _subset_patterns(v, group, key)
        v.unique(list(found), key)
        groups.append(found)
    return Requirement(r["id"], r["theme"], r["title"], r["statement"], r["source"], patterns, tuple(groups))


def _check_formula(v: Validator, item: dict, k: str) -> CheckFormula:
    from reportkb.text.fold import fold  # here, so loading settings alone does not load OpenCC

    f = v.read(item, CHECK_FORMULA, k)
    variants = v.strings(f["variants"], f"{k}.variants")
    allowed = v.strings(f["allowed"], f"{k}.allowed")
    for word in (f["standard"], *variants, *allowed):
        if word and fold(word) != word:
            v.fail(k, f"应写成折叠后的形式：{word!r} → {fold(word)!r}")
    return CheckFormula(f["standard"], variants, allowed)


def _checker_settings(v: Validator, raw: dict, roles: set[str]) -> CheckerSettings:
    c = v.read(raw, CHECKER, "checker")
    parts: list[tuple[str, str]] = []
    for k, item in v.mappings(c["parts"], "checker.parts"):
        part = v.read(item, PART, k)
        if part["role"] and part["role"] not in roles:
            v.fail(f"{k}.role", f"应为 taxonomy.yml 中 roles 的名称之一，实际是 {part['role']!r}")
        parts.append((part["label"], part["role"]))
    placeholders: list[Placeholder] = []
    for k, item in v.mappings(c["placeholders"], "checker.placeholders"):
        ph = v.read(item, PLACEHOLDER, k)
        if ph["pattern"] and _subset_pattern(v, ph["pattern"], f"{k}.pattern"):
            placeholders.append(Placeholder(ph["label"], ph["pattern"]))
    formulas = [_check_formula(v, item, k) for k, item in v.mappings(c["formulas"], "checker.formulas")]
    v.unique([f.standard for f in formulas], "checker.formulas.standard")
    for name in ("length_short_quantile", "length_long_quantile"):
        if not 0 <= c[name] <= 1:
            v.fail(f"checker.{name}", f"应在 0 到 1 之间，实际是 {c[name]!r}")
    if c["length_short_quantile"] >= c["length_long_quantile"]:
        v.fail("checker.length_short_quantile", "应小于 length_long_quantile")
    return CheckerSettings(
        title_max_chars=c["title_max_chars"],
        title_cues=v.strings(c["title_cues"], "checker.title_cues"),
        heading_levels=_subset_patterns(v, c["heading_levels"], "checker.heading_levels"),
        heading_max_chars=c["heading_max_chars"],
        parts=tuple(parts),
        theme_min_score=c["theme_min_score"],
        placeholders=tuple(placeholders),
        formulas=tuple(formulas),
        near_miss_min_chars=c["near_miss_min_chars"],
        exemplars=c["exemplars"],
        length_short_quantile=c["length_short_quantile"],
        length_long_quantile=c["length_long_quantile"],
    )


def load_requirements(path: Path, taxonomy: Taxonomy) -> Requirements:
    """Read requirements.yml; themes and roles are checked against ``taxonomy``."""
    raw, v = open_data_file(path)
    top = v.read(raw, REQUIREMENTS_FILE)
    themes = set(taxonomy.theme_names())
    items = [_requirement(v, item, k, themes) for k, item in v.mappings(top["requirements"], "requirements")]
    v.unique([r.id for r in items], "requirements.id")
    v.unique([r.title for r in items], "requirements.title")
    checker = _checker_settings(v, top["checker"], set(taxonomy.role_names()))
    v.done()
    return Requirements(items=tuple(items), checker=checker)
