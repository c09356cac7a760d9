"""The contract between Python and ``docs/assets/checker-rules.js`` (the page: ``checker.js``): the spec, the verdict, the gap codes.

The spec is ``docs/data/checker.json``; the verdict is what ``check`` (and
the page) make of a draft. Both are plain JSON data; the TypedDicts below
name their fields so a change shows up in one place. ``spec_errors`` checks
a spec read from a file against these declarations.
"""

from __future__ import annotations

import functools
import types
import typing
from typing import Any, TypedDict

SCHEMA = 2
"""Version of the spec and the verdict; both carry it as ``schema``."""

SPEC_PATH = "data/checker.json"
"""Where the spec is published in docs/, for the page and ``kb.py check --spec``."""

GAP_CODES = (
    "empty-draft",
    "not-chinese",
    "no-title",
    "missing-part",
    "missing-theme",
    "missing-requirement",
    "unmatched-problem",
    "unmatched-cause",
    "placeholder",
    "formula-variant",
    "length-short",
    "length-long",
)
"""Every gap code a verdict can list, in the order it lists them."""

GAP_NAMES = {
    "empty-draft": "草稿为空",
    "not-chinese": "草稿中没有中文",
    "no-title": "未找到标题",
    "missing-part": "缺少必要部分",
    "missing-theme": "有主题未涉及",
    "missing-requirement": "有要求未回应",
    "unmatched-problem": "有问题没有对应的整改措施",
    "unmatched-cause": "有原因没有对应的问题",
    "placeholder": "有未填写的占位符",
    "formula-variant": "有规范表述写法不规范",
    "length-short": "篇幅明显偏短",
    "length-long": "篇幅明显偏长",
}


# ---------------------------------------------------------------- the spec


class TitleRule(TypedDict):
    max_chars: int
    cues: list[str]


class RoleRule(TypedDict):
    name: str
    cues: list[str]


class PartRule(TypedDict):
    label: str
    role: str


class ThemeRule(TypedDict):
    name: str
    keywords: list[tuple[str, float]]
    """Folded keyword and its weight."""


class Exemplar(TypedDict):
    report: str
    title: str
    section: str
    line: int
    url: str
    excerpt: str


class RequirementRule(TypedDict):
    id: str
    theme: str
    title: str
    statement: str
    source: str
    patterns: list[str]
    all_of: list[list[str]]
    """Further notions: a line must also match one pattern of each group."""
    page: str
    exemplars: list[Exemplar]


class PlaceholderRule(TypedDict):
    label: str
    pattern: str


class FormulaRule(TypedDict):
    standard: str
    variants: list[str]
    allowed: list[str]


class GuideLink(TypedDict):
    label: str
    url: str


class PairingHelp(TypedDict):
    theme: str
    """A theme name, or empty for an item without a theme."""
    kind: str
    """``problem`` (its measure is missing) or ``cause`` (its problem is missing)."""
    guides: list[GuideLink]
    exemplars: list[Exemplar]


class PairingRule(TypedDict):
    problem_role: str
    cause_role: str
    measure_role: str
    cause_cues: list[str]
    numerals: str
    marker: str
    """Enumeration marker; group 1 or 2 is the numeral."""
    min_theme_score: float
    min_term_weight: float
    excerpt_chars: int
    role_label_max_chars: int
    """A sub-heading this short that names a role (（二）原因分析) opens a part of that role."""
    help: list[PairingHelp]


class LengthFigures(TypedDict):
    reports: int
    min: int
    median: int
    max: int
    short_below: int
    long_above: int


class Spec(TypedDict):
    schema: int
    fold: dict[str, str]
    gap_names: dict[str, str]
    title: TitleRule
    heading_levels: list[str]
    heading_max_chars: int
    roles: list[RoleRule]
    default_role: str
    parts: list[PartRule]
    themes: list[ThemeRule]
    theme_min_score: float
    requirements: list[RequirementRule]
    pairing: PairingRule
    placeholders: list[PlaceholderRule]
    formulas: list[FormulaRule]
    protected_forms: list[str]
    near_miss_min_chars: int
    max_items: int
    matches_per_requirement: int
    gap_codes: list[str]
    length: LengthFigures


# ---------------------------------------------------------------- the verdict


class TitleFound(TypedDict):
    line: int
    text: str


class TopHeading(TypedDict):
    line: int
    heading: str
    role: str


class PartFound(TypedDict):
    label: str
    role: str
    found: bool
    line: int | None
    heading: str | None


class Structure(TypedDict):
    title: TitleFound | None
    headings: int
    top_level: int | None
    top_headings: list[TopHeading]
    parts: list[PartFound]


class ThemeFound(TypedDict):
    name: str
    score: float
    covered: bool
    terms: list[list[str | int]]
    """Up to five ``[keyword, occurrences]``, heaviest first."""


class Match(TypedDict):
    line: int
    text: str


class RequirementFound(TypedDict):
    id: str
    title: str
    theme: str
    page: str
    addressed: bool
    matches: list[Match]
    exemplars: list[Exemplar]
    """The spec's exemplars when not addressed, else empty."""


class PlaceholderItem(TypedDict):
    line: int
    label: str
    text: str
    sentence: str
    """The sentence around it, ``……`` where the line goes on."""


class PairingItem(TypedDict):
    kind: str
    """``problem``, ``cause`` or ``measure``."""
    line: int
    text: str
    theme: str | None
    terms: list[str]
    matched_by: list[int]
    """Lines of the measures (for a problem) or problems (for a cause) that match it."""
    guides: list[GuideLink]
    """When unmatched: where to read how others write the missing part."""
    exemplars: list[Exemplar]


class PairingFound(TypedDict):
    problems: list[PairingItem]
    causes: list[PairingItem]
    measures: list[PairingItem]
    unmatched_problems: int
    unmatched_causes: int


class FormulaItem(TypedDict):
    line: int
    text: str
    standard: str
    kind: str
    """``variant`` (a listed wrong form) or ``near-miss`` (one character off)."""


class Findings(TypedDict):
    total: int
    items: list[Any]
    """The first ``max_items`` findings (PlaceholderItem or FormulaItem)."""


class LengthVerdict(TypedDict):
    chars: int
    verdict: str
    """``empty``, ``short``, ``long`` or ``normal``."""
    short_below: int
    long_above: int
    median: int
    reports: int


class Verdict(TypedDict):
    schema: int
    lines: int
    structure: Structure
    themes: list[ThemeFound]
    requirements: list[RequirementFound]
    pairing: PairingFound
    placeholders: Findings
    formulas: Findings
    length: LengthVerdict
    gaps: list[str]
    ok: bool


# ---------------------------------------------------------------- checking a spec read from a file


def spec_errors(data: object, limit: int = 5) -> list[str]:
    """What keeps ``data`` from being a ``Spec``: up to ``limit`` messages naming the field (empty if none)."""
    errors: list[str] = []
    _check(data, Spec, "checker.json", errors, limit)
    return errors


_KINDS = {str: "文字", int: "整数", float: "数字", bool: "true/false", list: "列表", dict: "对象"}


def _check(value: object, kind: Any, where: str, errors: list[str], limit: int) -> None:
    if len(errors) >= limit:
        return
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return
        kind = next(a for a in args if a is not type(None)) if len(args) == 2 and type(None) in args else Any
        origin, args = typing.get_origin(kind), typing.get_args(kind)
    if kind is Any:
        return
    if typing.is_typeddict(kind):
        if not isinstance(value, dict):
            errors.append(f"{where} 应为对象")
            return
        for key, field in _fields(kind).items():
            if key not in value:
                errors.append(f"{where} 缺少字段 {key}")
            else:
                _check(value[key], field, f"{where}.{key}", errors, limit)
    elif origin is list:
        if not isinstance(value, list):
            errors.append(f"{where} 应为列表")
            return
        for i, item in enumerate(value):
            _check(item, args[0], f"{where}[{i}]", errors, limit)
    elif origin is tuple:
        if not isinstance(value, list) or len(value) != len(args):
            errors.append(f"{where} 应为 {len(args)} 项的列表")
            return
        for i, (item, field) in enumerate(zip(value, args, strict=True)):
            _check(item, field, f"{where}[{i}]", errors, limit)
    elif origin is dict:
        if not isinstance(value, dict):
            errors.append(f"{where} 应为对象")
            return
        for key, item in value.items():
            _check(item, args[1], f"{where}.{key}", errors, limit)
    elif not _is_a(value, kind):
        errors.append(f"{where} 应为{_KINDS.get(kind, kind.__name__)}，实际是 {type(value).__name__}")


@functools.cache
def _fields(kind: type) -> dict[str, Any]:
    return typing.get_type_hints(kind)


def _is_a(value: object, kind: type) -> bool:
    if isinstance(value, bool):
        return kind is bool
    if kind is float:
        return isinstance(value, (int, float))
    return isinstance(value, kind)
