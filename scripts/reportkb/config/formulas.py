"""formulas.yml: the fixed formulas (规范表述) highlighted on report pages and listed in the glossary."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from reportkb.config.schema import REQUIRED, Field, open_data_file

FORMULAS_FILE = (Field("formulas", list, REQUIRED, "the glossary entries"),)
FORMULA = (
    Field("id", str, REQUIRED, "lower-case ASCII slug, the anchor on the glossary page; unique"),
    Field("name", str, REQUIRED, "the formula as usually written; unique"),
    Field("meaning", str, REQUIRED, "what it means, in neutral Chinese (shown as a tooltip)"),
    Field("forms", list, None, "literal spellings found in report text (fold form); absent: the name alone"),
    Field("patterns", list, (), "regular expressions for forms with a variable middle (folded text)"),
)

_SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


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


def load_formulas(path: Path) -> tuple[Formula, ...]:
    """Read formulas.yml; ids are unique ASCII slugs, every entry finds something."""
    raw, v = open_data_file(path)
    top = v.read(raw, FORMULAS_FILE)
    formulas: list[Formula] = []
    for key, item in v.mappings(top["formulas"], "formulas"):
        f = v.read(item, FORMULA, key)
        if f["id"] and not _SLUG_RE.match(f["id"]):
            v.fail(f"{key}.id", f"应为小写字母、数字和连字符组成的标识，实际是 {f['id']!r}")
        # The declared default of forms (None) stands for the entry's own name.
        forms = (f["name"],) if f["forms"] is None else v.strings(f["forms"], f"{key}.forms")
        forms = tuple(form for form in forms if form.strip())
        patterns = v.regexes(f["patterns"], f"{key}.patterns")
        if not forms and not patterns:
            v.fail(key, "forms 和 patterns 不能都为空")
        formulas.append(Formula(f["id"], f["name"], f["meaning"], forms, patterns))
    v.unique([f.id for f in formulas], "formulas.id")
    v.unique([f.name for f in formulas], "formulas.name")
    v.done()
    return tuple(formulas)
