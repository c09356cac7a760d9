"""Settings and the YAML data files, validated into frozen dataclasses.

A maintainer edits ``scripts/data/*.yml`` without touching code; a mistake
there is reported with the file and key, all mistakes at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from reportkb.errors import DataFileError

PROJECT_ROOT = Path(__file__).resolve().parents[3]
DATA_DIR = PROJECT_ROOT / "scripts" / "data"


@dataclass(frozen=True)
class Settings:
    """Where generation reads and writes."""

    sources: Path
    docs: Path
    data: Path = DATA_DIR
    cache: Path | None = None
    """Folder for the parse cache; None disables caching."""
    workers: int = 1
    """Processes for per-report work (parallel.py); the command line uses every core."""


# ---------------------------------------------------------------------------
# Validation helpers


class Validator:
    """Collects every problem in one data file before raising."""

    def __init__(self, path: Path):
        self.path = path
        self.errors: list[str] = []

    def fail(self, key: str, message: str) -> None:
        self.errors.append(f"{key}: {message}")

    def expect(self, value: Any, kind: type | tuple[type, ...], key: str) -> bool:
        if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
            return True
        names = {dict: "映射", list: "列表", str: "字符串", int: "整数", float: "数字"}
        wanted = "或".join(names.get(k, k.__name__) for k in (kind if isinstance(kind, tuple) else (kind,)))
        self.fail(key, f"应为{wanted}，实际是 {type(value).__name__}: {value!r}")
        return False

    def text(self, mapping: dict, name: str, key: str, required: bool = True) -> str:
        value = mapping.get(name)
        if value is None:
            if required:
                self.fail(f"{key}.{name}", "缺少此项")
            return ""
        if not self.expect(value, str, f"{key}.{name}") or (required and not value.strip()):
            if isinstance(value, str):
                self.fail(f"{key}.{name}", "不能为空")
            return ""
        return value

    def regex(self, pattern: Any, key: str) -> re.Pattern | None:
        if not self.expect(pattern, str, key):
            return None
        try:
            return re.compile(pattern)
        except re.error as exc:
            self.fail(key, f"正则表达式无效（{exc}）: {pattern!r}")
            return None

    def unique(self, values: list[str], key: str) -> None:
        seen: set[str] = set()
        for value in values:
            if value in seen:
                self.fail(key, f"重复: {value!r}")
            seen.add(value)

    def done(self) -> None:
        if self.errors:
            shown = _display(self.path)
            raise DataFileError(f"数据文件 '{shown}' 有误：\n" + "\n".join(f"  - {e}" for e in self.errors))


def _display(path: Path) -> str:
    try:
        return path.resolve().relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return str(path)


def load_yaml(path: Path) -> Any:
    """Read a YAML data file; a syntax error becomes a DataFileError."""
    try:
        with open(path, encoding="utf-8-sig") as handle:
            return yaml.safe_load(handle)
    except OSError as exc:
        raise DataFileError(f"无法读取数据文件 '{_display(path)}'：{exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise DataFileError(f"数据文件 '{_display(path)}' 不是有效的 YAML：\n{exc}") from exc


# ---------------------------------------------------------------------------
# noise.yml


@dataclass(frozen=True)
class PatternGroup:
    reason: str
    patterns: tuple[re.Pattern, ...]
    max_chars: int | None = None
    """Longest line this group removes (line rules only); None: line_rules.max_chars."""
    head_only: bool = False
    """Segment rules only: applies before the first numbered heading line."""

    def search(self, text: str) -> bool:
        return any(p.search(text) for p in self.patterns)


@dataclass(frozen=True)
class NoiseRules:
    head_block: PatternGroup
    line_rules: tuple[PatternGroup, ...]
    line_max_chars: int
    tail_markers: PatternGroup
    segment_rules: tuple[PatternGroup, ...] = ()
    """Noise glued to report text inside one line: only the matched span is removed."""


def _pattern_group(v: Validator, raw: Any, key: str) -> PatternGroup:
    if not v.expect(raw, dict, key):
        return PatternGroup("", ())
    reason = v.text(raw, "reason", key)
    patterns = raw.get("patterns")
    compiled: list[re.Pattern] = []
    if v.expect(patterns, list, f"{key}.patterns"):
        for i, p in enumerate(patterns):
            c = v.regex(p, f"{key}.patterns[{i}]")
            if c is not None:
                compiled.append(c)
    limit = raw.get("max_chars")
    if limit is not None and not v.expect(limit, int, f"{key}.max_chars"):
        limit = None
    head_only = raw.get("head_only", False)
    if not v.expect(head_only, bool, f"{key}.head_only"):
        head_only = False
    return PatternGroup(reason, tuple(compiled), limit, head_only)


def load_noise_rules(path: Path) -> NoiseRules:
    raw = load_yaml(path)
    v = Validator(path)
    if not v.expect(raw, dict, "(根)"):
        v.done()
    head = _pattern_group(v, raw.get("head_block"), "head_block")
    tail = _pattern_group(v, raw.get("tail_markers"), "tail_markers")
    line_raw = raw.get("line_rules") or {}
    groups: list[PatternGroup] = []
    max_chars = 60
    if v.expect(line_raw, dict, "line_rules"):
        max_chars = line_raw.get("max_chars", 60)
        v.expect(max_chars, int, "line_rules.max_chars")
        rules = line_raw.get("rules")
        if v.expect(rules, list, "line_rules.rules"):
            groups = [_pattern_group(v, r, f"line_rules.rules[{i}]") for i, r in enumerate(rules)]
    segments: list[PatternGroup] = []
    raw_segments = raw.get("segment_rules") or []
    if v.expect(raw_segments, list, "segment_rules"):
        segments = [_pattern_group(v, r, f"segment_rules[{i}]") for i, r in enumerate(raw_segments)]
    v.done()
    return NoiseRules(head, tuple(groups), int(max_chars), tail, tuple(segments))


# ---------------------------------------------------------------------------
# taxonomy.yml


@dataclass(frozen=True)
class Facet:
    """A theme (content label) or a role (section function)."""

    id: str
    name: str
    description: str
    keywords: tuple[tuple[str, float], ...]
    """(term, weight), terms in simplified characters."""
    heading_cues: tuple[str, ...] = ()
    """Roles only: words in a top-level heading that decide the role."""


@dataclass(frozen=True)
class Taxonomy:
    themes: tuple[Facet, ...]
    roles: tuple[Facet, ...]
    default_role: str
    other_theme: str
    heading_weight: float
    child_weight: float
    min_score: float
    relative_cut: float

    def theme_names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.themes)

    def role_names(self) -> tuple[str, ...]:
        return tuple(r.name for r in self.roles)


def _facets(v: Validator, raw: Any, key: str, role: bool) -> tuple[Facet, ...]:
    facets: list[Facet] = []
    if not v.expect(raw, list, key):
        return ()
    for i, item in enumerate(raw):
        k = f"{key}[{i}]"
        if not v.expect(item, dict, k):
            continue
        keywords: list[tuple[str, float]] = []
        kw = item.get("keywords") or {}
        if v.expect(kw, dict, f"{k}.keywords"):
            for term, weight in kw.items():
                if not isinstance(term, str) or not term.strip():
                    v.fail(f"{k}.keywords", f"关键词应为非空字符串: {term!r}")
                elif not isinstance(weight, (int, float)) or isinstance(weight, bool) or weight <= 0:
                    v.fail(f"{k}.keywords.{term}", f"权重应为正数，实际是 {weight!r}")
                else:
                    keywords.append((term, float(weight)))
        cues: tuple[str, ...] = ()
        if role:
            raw_cues = item.get("heading_cues") or []
            if v.expect(raw_cues, list, f"{k}.heading_cues"):
                cues = tuple(c for c in raw_cues if v.expect(c, str, f"{k}.heading_cues"))
        facets.append(
            Facet(
                id=v.text(item, "id", k),
                name=v.text(item, "name", k),
                description=v.text(item, "description", k),
                keywords=tuple(keywords),
                heading_cues=cues,
            )
        )
    v.unique([f.id for f in facets], f"{key}.id")
    v.unique([f.name for f in facets], f"{key}.name")
    return tuple(facets)


def _number(v: Validator, raw: dict, name: str, default: float) -> float:
    value = raw.get(name, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        v.fail(name, f"应为数字，实际是 {value!r}")
        return default
    return float(value)


def load_taxonomy(path: Path) -> Taxonomy:
    raw = load_yaml(path)
    v = Validator(path)
    if not v.expect(raw, dict, "(根)"):
        v.done()
    themes = _facets(v, raw.get("themes"), "themes", role=False)
    roles = _facets(v, raw.get("roles"), "roles", role=True)
    default_role = raw.get("default_role", "")
    if default_role not in {r.name for r in roles}:
        v.fail("default_role", f"应为 roles 中的一个名称，实际是 {default_role!r}")
    scoring = raw.get("scoring") or {}
    v.expect(scoring, dict, "scoring")
    taxonomy = Taxonomy(
        themes=themes,
        roles=roles,
        default_role=default_role,
        other_theme=str(raw.get("other_theme", "其他")),
        heading_weight=_number(v, scoring, "heading_weight", 3.0),
        child_weight=_number(v, scoring, "child_weight", 0.5),
        min_score=_number(v, scoring, "min_score", 1.0),
        relative_cut=_number(v, scoring, "relative_cut", 0.5),
    )
    v.done()
    return taxonomy


# ---------------------------------------------------------------------------
# requirements.yml: requirements with evidence patterns, and checker settings.
#
# Evidence, placeholder and heading patterns run in Python (``re``) and in the
# browser (JavaScript ``RegExp`` without flags), so they are restricted to a
# common subset in which both engines agree; ``regex_subset_error`` says why a
# pattern falls outside it. Patterns are matched against the folded text
# (``textnorm.fold``), one line at a time, so they must be written folded.

REGEX_SUBSET_DOC = (
    "文字字符（BMP 内）；转义的元字符 \\\\ \\. \\* \\+ \\? \\( \\) \\[ \\] \\{ \\} \\| \\^ \\$ \\- \\/；"
    "任意字符 .；字符类 [...] / [^...]（字符与范围 a-z，不含 \\d \\s \\w）；"
    "分组 (...) 与 (?:...)；选择 |；量词 ? * + {m} {m,} {m,n}（m、n ≤ 50，不用惰性量词）；不能匹配空字符串；行首 ^、行尾 $"
)
_REGEX_META = set("\\^$.|?*+()[]{}")
_REGEX_ESCAPABLE = set("\\^$.|?*+()[]{}-/")
_BRACE_RE = re.compile(r"\{(\d+)(?:(,)(\d*))?\}")


def regex_subset_error(pattern: str) -> str | None:
    """Why ``pattern`` is outside the Python/JavaScript common subset, or None."""
    from reportkb.text.fold import fold

    if not pattern:
        return "不能为空"
    if any(ord(ch) > 0xFFFF for ch in pattern):
        return "含 BMP 以外的字符"
    if fold(pattern) != pattern:
        return f"应写成折叠后的形式（简体、半角、小写）：{fold(pattern)!r}"
    i, n, depth = 0, len(pattern), 0
    can_repeat = False
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            if i + 1 >= n or pattern[i + 1] not in _REGEX_ESCAPABLE:
                return f"第 {i + 1} 个字符：只能转义元字符（不支持 \\d \\s \\w \\b 等）"
            i += 2
            can_repeat = True
        elif ch == "[":
            j = i + 1
            if j < n and pattern[j] == "^":
                j += 1
            members = 0
            while j < n and pattern[j] != "]":
                if pattern[j] == "[":
                    return f"第 {j + 1} 个字符：字符类中的 [ 需转义"
                if pattern[j] == "\\":
                    if j + 1 >= n or pattern[j + 1] not in _REGEX_ESCAPABLE:
                        return f"第 {j + 1} 个字符：字符类中只能转义元字符"
                    j += 1
                elif pattern[j] in "&~|-" and j + 1 < n and pattern[j + 1] == pattern[j]:
                    return f"第 {j + 1} 个字符：字符类中不要连写 {pattern[j] * 2}"
                j += 1
                members += 1
            if j >= n or members == 0:
                return f"第 {i + 1} 个字符：字符类未闭合或为空"
            i = j + 1
            can_repeat = True
        elif ch == "(":
            if pattern.startswith("(?:", i):
                i += 3
            elif i + 1 < n and pattern[i + 1] == "?":
                return f"第 {i + 1} 个字符：只支持 (...) 和 (?:...) 分组（不支持前瞻、后顾、命名组、标志）"
            else:
                i += 1
            depth += 1
            can_repeat = False
        elif ch == ")":
            depth -= 1
            if depth < 0:
                return f"第 {i + 1} 个字符：多余的 )"
            i += 1
            can_repeat = True
        elif ch in "?*+{":
            if not can_repeat:
                return f"第 {i + 1} 个字符：量词 {ch} 前面没有可重复的内容"
            if ch == "{":
                m = _BRACE_RE.match(pattern, i)
                if not m:
                    return f"第 {i + 1} 个字符：{{ 只能用于 {{m}} 或 {{m,n}} 量词"
                low = int(m.group(1))
                high = int(m.group(3)) if m.group(3) else (low if not m.group(2) else 50)
                if high > 50 or low > high:
                    return f"第 {i + 1} 个字符：量词上限应 ≤ 50 且不小于下限"
                i = m.end()
            else:
                i += 1
            if i < n and pattern[i] in "?*+{":
                return f"第 {i + 1} 个字符：不支持惰性或叠加量词"
            can_repeat = False
        elif ch in "]}":
            return f"第 {i + 1} 个字符：{ch} 需转义"
        else:
            i += 1
            can_repeat = ch not in "|^$"
    if depth:
        return "括号未闭合"
    if re.fullmatch(pattern, ""):
        return "能匹配空字符串（两种引擎对空匹配的处理不同）"
    return None


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

    def compiled(self) -> tuple[re.Pattern, ...]:
        return tuple(re.compile(p) for p in self.patterns)


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


def _str_list(v: Validator, raw: Any, key: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not v.expect(raw, list, key):
        return ()
    return tuple(x for i, x in enumerate(raw) if v.expect(x, str, f"{key}[{i}]") and x)


def _checker_settings(v: Validator, raw: Any, roles: set[str]) -> CheckerSettings:
    from reportkb.text.fold import fold

    if not v.expect(raw, dict, "checker"):
        raw = {}

    def integer(name: str, default: int) -> int:
        value = raw.get(name, default)
        return value if v.expect(value, int, f"checker.{name}") else default

    def fraction(name: str, default: float) -> float:
        value = _number(v, raw, name, default)
        if not 0 <= value <= 1:
            v.fail(f"checker.{name}", f"应在 0 到 1 之间，实际是 {value!r}")
        return value

    parts: list[tuple[str, str]] = []
    raw_parts = raw.get("parts")
    if v.expect(raw_parts, list, "checker.parts"):
        for i, item in enumerate(raw_parts):
            k = f"checker.parts[{i}]"
            if v.expect(item, dict, k):
                label, role = v.text(item, "label", k), v.text(item, "role", k)
                if role and role not in roles:
                    v.fail(f"{k}.role", f"应为 taxonomy.yml 中 roles 的名称之一，实际是 {role!r}")
                parts.append((label, role))
    levels = tuple(
        p for i, p in enumerate(_str_list(v, raw.get("heading_levels"), "checker.heading_levels"))
        if _subset_pattern(v, p, f"checker.heading_levels[{i}]")
    )
    placeholders: list[Placeholder] = []
    raw_ph = raw.get("placeholders")
    if v.expect(raw_ph, list, "checker.placeholders"):
        for i, item in enumerate(raw_ph):
            k = f"checker.placeholders[{i}]"
            if v.expect(item, dict, k):
                label = v.text(item, "label", k)
                pattern = _subset_pattern(v, item.get("pattern"), f"{k}.pattern")
                if pattern:
                    placeholders.append(Placeholder(label, pattern))
    formulas: list[CheckFormula] = []
    raw_f = raw.get("formulas")
    if v.expect(raw_f, list, "checker.formulas"):
        for i, item in enumerate(raw_f):
            k = f"checker.formulas[{i}]"
            if not v.expect(item, dict, k):
                continue
            standard = v.text(item, "standard", k)
            variants = _str_list(v, item.get("variants"), f"{k}.variants")
            allowed = _str_list(v, item.get("allowed"), f"{k}.allowed")
            for word in (standard, *variants, *allowed):
                if word and fold(word) != word:
                    v.fail(k, f"应写成折叠后的形式：{word!r} → {fold(word)!r}")
            formulas.append(CheckFormula(standard, variants, allowed))
        v.unique([f.standard for f in formulas], "checker.formulas.standard")
    lo = fraction("length_short_quantile", 0.1)
    hi = fraction("length_long_quantile", 0.9)
    if lo >= hi:
        v.fail("checker.length_short_quantile", "应小于 length_long_quantile")
    return CheckerSettings(
        title_max_chars=integer("title_max_chars", 60),
        title_cues=_str_list(v, raw.get("title_cues"), "checker.title_cues"),
        heading_levels=levels,
        heading_max_chars=integer("heading_max_chars", 40),
        parts=tuple(parts),
        theme_min_score=_number(v, raw, "theme_min_score", 4.0),
        placeholders=tuple(placeholders),
        formulas=tuple(formulas),
        near_miss_min_chars=integer("near_miss_min_chars", 4),
        exemplars=integer("exemplars", 3),
        length_short_quantile=lo,
        length_long_quantile=hi,
    )


def load_requirements(path: Path, taxonomy: Taxonomy) -> Requirements:
    """Read requirements.yml; themes and roles are checked against ``taxonomy``."""
    raw = load_yaml(path)
    v = Validator(path)
    if not v.expect(raw, dict, "(根)"):
        v.done()
    themes = set(taxonomy.theme_names())
    items: list[Requirement] = []
    raw_items = raw.get("requirements")
    if v.expect(raw_items, list, "requirements"):
        for i, item in enumerate(raw_items):
            k = f"requirements[{i}]"
            if not v.expect(item, dict, k):
                continue
            rid = v.text(item, "id", k)
            if rid and not re.fullmatch(r"R\d{2,3}", rid):
                v.fail(f"{k}.id", f"应形如 R01，实际是 {rid!r}")
            theme = v.text(item, "theme", k)
            if theme and theme not in themes:
                v.fail(f"{k}.theme", f"应为 taxonomy.yml 中的主题名称之一（{'、'.join(sorted(themes))}），实际是 {theme!r}")
            patterns: list[str] = []
            raw_patterns = item.get("evidence_patterns")
            if v.expect(raw_patterns, list, f"{k}.evidence_patterns"):
                if not raw_patterns:
                    v.fail(f"{k}.evidence_patterns", "至少需要一个模式")
                for j, p in enumerate(raw_patterns):
                    ok = _subset_pattern(v, p, f"{k}.evidence_patterns[{j}]")
                    if ok:
                        patterns.append(ok)
                v.unique(patterns, f"{k}.evidence_patterns")
            items.append(
                Requirement(
                    id=rid,
                    theme=theme,
                    title=v.text(item, "title", k),
                    statement=v.text(item, "statement", k),
                    source=v.text(item, "source", k),
                    patterns=tuple(patterns),
                )
            )
        v.unique([r.id for r in items], "requirements.id")
        v.unique([r.title for r in items], "requirements.title")
    checker = _checker_settings(v, raw.get("checker"), set(taxonomy.role_names()))
    v.done()
    return Requirements(items=tuple(items), checker=checker)


# ---------------------------------------------------------------------------
# formulas.yml


@dataclass(frozen=True)
class Formula:
    """A fixed formula (规范表述) and the spellings that find it in report text."""

    id: str
    name: str
    meaning: str
    forms: tuple[str, ...]
    """Literal spellings, compared in ``fold`` form."""
    patterns: tuple[re.Pattern, ...] = ()
    """Regular expressions for forms with a variable middle (run on folded text)."""


_SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def load_formulas(path: Path) -> tuple[Formula, ...]:
    """Read formulas.yml; ids are unique ASCII slugs, every entry finds something."""
    raw = load_yaml(path)
    v = Validator(path)
    if not v.expect(raw, dict, "(根)"):
        v.done()
    items = raw.get("formulas")
    formulas: list[Formula] = []
    if v.expect(items, list, "formulas"):
        for i, item in enumerate(items):
            key = f"formulas[{i}]"
            if not v.expect(item, dict, key):
                continue
            fid = v.text(item, "id", key)
            if fid and not _SLUG_RE.match(fid):
                v.fail(f"{key}.id", f"应为小写字母、数字和连字符组成的标识，实际是 {fid!r}")
            name = v.text(item, "name", key)
            meaning = v.text(item, "meaning", key)
            forms_raw = item.get("forms", [name] if name else [])
            forms: list[str] = []
            if v.expect(forms_raw, list, f"{key}.forms"):
                for j, form in enumerate(forms_raw):
                    if v.expect(form, str, f"{key}.forms[{j}]") and form.strip():
                        forms.append(form)
            patterns: list[re.Pattern] = []
            pats_raw = item.get("patterns", [])
            if v.expect(pats_raw, list, f"{key}.patterns"):
                for j, pattern in enumerate(pats_raw):
                    compiled = v.regex(pattern, f"{key}.patterns[{j}]")
                    if compiled is not None:
                        patterns.append(compiled)
            if not forms and not patterns:
                v.fail(key, "forms 和 patterns 不能都为空")
            formulas.append(Formula(fid, name, meaning, tuple(forms), tuple(patterns)))
    v.unique([f.id for f in formulas], "formulas.id")
    v.unique([f.name for f in formulas], "formulas.name")
    v.done()
    return tuple(formulas)
