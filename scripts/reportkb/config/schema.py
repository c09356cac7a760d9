"""Declared keys of the YAML data files, and the validator that checks them.

Each mapping in a data file is declared once, as a tuple of ``Field`` (name,
kind, default, one-line doc) next to its loader; loaders read values through
``Validator.read``, so a default lives in its declaration and nowhere else.
A mistake is recorded with its key path (``themes[2].keywords``) and all the
mistakes of a file are reported together by ``Validator.done``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from reportkb.config.paths import display_path
from reportkb.errors import DataFileError


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Any = _Required()
"""The default of a key the file must give."""

KIND_NAMES = {dict: "映射", list: "列表", str: "字符串", int: "整数", float: "数字"}
"""How a kind is named in messages; ``float`` stands for any number (an int is accepted)."""


@dataclass(frozen=True)
class Field:
    """One key of a mapping in a data file."""

    name: str
    kind: type
    """``str`` (not blank), ``int``, ``float`` (any number), ``list`` or ``dict``."""
    default: Any = REQUIRED
    """Value when the key is absent or null; ``REQUIRED`` makes it a mistake. Never mutated."""
    doc: str = ""

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    def fallback(self) -> Any:
        """The value used when the key is absent or wrong: the default, or an empty value of the kind."""
        return self.kind() if self.required else self.default


def declared(fields: Sequence[Field], name: str) -> Field:
    """The field called ``name`` in ``fields``."""
    return next(f for f in fields if f.name == name)


def load_yaml(path: Path) -> Any:
    """Read a YAML data file; a syntax error becomes a DataFileError."""
    try:
        with open(path, encoding="utf-8-sig") as handle:
            return yaml.safe_load(handle)
    except OSError as exc:
        raise DataFileError(f"无法读取数据文件 '{display_path(path)}'：{exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise DataFileError(f"数据文件 '{display_path(path)}' 不是有效的 YAML：\n{exc}") from exc


def open_data_file(path: Path) -> tuple[dict, Validator]:
    """The top-level mapping of a data file and the validator collecting its mistakes."""
    raw = load_yaml(path)
    v = Validator(path)
    if not v.expect(raw, dict, "(根)"):
        v.done()
    return raw, v


class Validator:
    """Collects every problem in one data file before raising."""

    def __init__(self, path: Path):
        self.path = path
        self.errors: list[str] = []
        self._failed: set[str] = set()

    def fail(self, key: str, message: str) -> None:
        self.errors.append(f"{key}: {message}")
        self._failed.add(key)

    def expect(self, value: Any, kind: type | tuple[type, ...], key: str) -> bool:
        """Whether ``value`` is of ``kind``; if not, record it under ``key``. A bool is never a number."""
        kinds = kind if isinstance(kind, tuple) else (kind,)
        accepted = tuple(t for k in kinds for t in ((int, float) if k is float else (k,)))
        if isinstance(value, accepted) and not (isinstance(value, bool) and bool not in accepted):
            return True
        wanted = "或".join(KIND_NAMES.get(k, k.__name__) for k in kinds)
        self.fail(key, f"应为{wanted}，实际是 {type(value).__name__}: {value!r}")
        return False

    def read(self, mapping: dict, fields: Sequence[Field], key: str = "") -> dict[str, Any]:
        """The values of the declared ``fields`` in ``mapping`` (under ``key``; "" at the top level).

        An absent or null key takes its default; a wrong one is recorded and
        takes its fallback, so the loader can go on and find further mistakes.
        A number (``float``) is returned as a float. When ``key`` itself was
        wrong (``mapping`` is its fallback), its missing keys are not reported
        again.
        """
        values: dict[str, Any] = {}
        quiet = key in self._failed
        for field in fields:
            path = f"{key}.{field.name}" if key else field.name
            value = mapping.get(field.name)
            if value is None:
                if field.required and not quiet:
                    self.fail(path, "缺少此项")
                value = field.fallback()
            elif not self.expect(value, field.kind, path):
                value = field.fallback()
            elif field.kind is str and not value.strip():
                self.fail(path, "不能为空")
                value = field.fallback()
            elif field.kind is float:
                value = float(value)
            values[field.name] = value
        return values

    def mappings(self, raw: Any, key: str) -> Iterator[tuple[str, dict]]:
        """The items of the list ``raw`` that are mappings, each with its key path (``key[i]``).

        A non-list, or an item that is not a mapping, is recorded and skipped.
        Items come one at a time, so the mistakes are listed in file order.
        """
        if not self.expect(raw, list, key):
            return
        for i, item in enumerate(raw):
            if self.expect(item, dict, f"{key}[{i}]"):
                yield f"{key}[{i}]", item

    def strings(self, raw: Sequence[Any], key: str) -> tuple[str, ...]:
        """The non-empty strings of a list; other items are recorded (an empty string is skipped)."""
        return tuple(x for i, x in enumerate(raw) if self.expect(x, str, f"{key}[{i}]") and x)

    def regex(self, pattern: Any, key: str) -> re.Pattern | None:
        if not self.expect(pattern, str, key):
            return None
        try:
            return re.compile(pattern)
        except re.error as exc:
            self.fail(key, f"正则表达式无效（{exc}）: {pattern!r}")
            return None

    def regexes(self, raw: Sequence[Any], key: str) -> tuple[re.Pattern, ...]:
        """The compiled patterns of a list; an invalid one is recorded with its index."""
        compiled = (self.regex(p, f"{key}[{i}]") for i, p in enumerate(raw))
        return tuple(c for c in compiled if c is not None)

    def unique(self, values: list[str], key: str) -> None:
        seen: set[str] = set()
        for value in values:
            if value in seen:
                self.fail(key, f"重复: {value!r}")
            seen.add(value)

    def done(self) -> None:
        if self.errors:
            shown = display_path(self.path)
            raise DataFileError(f"数据文件 '{shown}' 有误：\n" + "\n".join(f"  - {e}" for e in self.errors))


_REFERENCES_RE = re.compile(r"\\[1-9]|\(\?P=|\(\?\(")
"""Numbered or named backreferences and conditionals: their numbering would change in a joined pattern."""


def join_patterns(patterns: tuple[re.Pattern, ...]) -> re.Pattern | None:
    """One pattern that occurs in a text exactly when one of ``patterns`` does: ``(?:a)|(?:b)|…``.

    The pattern itself if there is only one. None when there is none, or when
    the join is not certain to match alike: different flags, verbose mode (a
    comment would swallow the closing parenthesis), group names,
    backreferences, or inline flags (not allowed mid-pattern).
    """
    if len(patterns) < 2:
        return patterns[0] if patterns else None
    if len({p.flags for p in patterns}) > 1 or patterns[0].flags & re.VERBOSE:
        return None
    if any(p.groupindex or _REFERENCES_RE.search(p.pattern) for p in patterns):
        return None
    try:
        return re.compile("|".join(f"(?:{p.pattern})" for p in patterns), patterns[0].flags)
    except re.error:
        return None
