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

from .errors import DataFileError

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = PROJECT_ROOT / "scripts" / "data"


@dataclass(frozen=True)
class Settings:
    """Where generation reads and writes."""

    sources: Path
    docs: Path
    data: Path = DATA_DIR
    cache: Path | None = None
    """Folder for the parse cache; None disables caching."""


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

    def search(self, text: str) -> bool:
        return any(p.search(text) for p in self.patterns)


@dataclass(frozen=True)
class NoiseRules:
    head_block: PatternGroup
    line_rules: tuple[PatternGroup, ...]
    line_max_chars: int
    tail_markers: PatternGroup


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
    return PatternGroup(reason, tuple(compiled))


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
    v.done()
    return NoiseRules(head, tuple(groups), int(max_chars), tail)


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
