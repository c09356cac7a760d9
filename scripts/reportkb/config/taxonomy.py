"""taxonomy.yml: the themes (what a section is about) and roles (what a section does)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportkb.config.schema import REQUIRED, Field, Validator, open_data_file

TAXONOMY_FILE = (
    Field("themes", list, REQUIRED, "content labels, each with keywords"),
    Field("roles", list, REQUIRED, "section functions (work done, problems, next steps, ...)"),
    Field("default_role", str, REQUIRED, "role of a top-level part whose heading names no other role"),
    Field("other_theme", str, "其他", "shown when no theme scores enough"),
    Field("scoring", dict, {}, "how keyword scores become themes"),
)
SCORING = (
    Field("heading_weight", float, 3.0, "a term in the heading counts this many times more than in the body"),
    Field("child_weight", float, 0.5, "share of the children's mean score passed up to a parent"),
    Field("min_score", float, 1.0, "a theme needs at least this score to be assigned"),
    Field("relative_cut", float, 0.5, "...and at least this share of the best theme's score"),
)
THEME = (
    Field("id", str, REQUIRED, "ASCII slug used in page addresses, unique"),
    Field("name", str, REQUIRED, "the label shown, unique"),
    Field("description", str, REQUIRED, "one sentence shown on the label's page"),
    Field("keywords", dict, {}, "term: weight (3 decisive, 2 strong, 1 supporting), in simplified characters"),
)
ROLE = (
    *THEME,
    Field("heading_cues", list, (), "words in a top-level heading that give the part this role (first role wins)"),
)


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


def _keywords(v: Validator, raw: dict, key: str) -> tuple[tuple[str, float], ...]:
    keywords: list[tuple[str, float]] = []
    for term, weight in raw.items():
        if not isinstance(term, str) or not term.strip():
            v.fail(key, f"关键词应为非空字符串: {term!r}")
        elif not isinstance(weight, (int, float)) or isinstance(weight, bool) or weight <= 0:
            v.fail(f"{key}.{term}", f"权重应为正数，实际是 {weight!r}")
        else:
            keywords.append((term, float(weight)))
    return tuple(keywords)


def _facets(v: Validator, raw: list, key: str, role: bool) -> tuple[Facet, ...]:
    facets: list[Facet] = []
    for k, item in v.mappings(raw, key):
        f = v.read(item, ROLE if role else THEME, k)
        facets.append(
            Facet(
                id=f["id"],
                name=f["name"],
                description=f["description"],
                keywords=_keywords(v, f["keywords"], f"{k}.keywords"),
                heading_cues=v.strings(f["heading_cues"], f"{k}.heading_cues") if role else (),
            )
        )
    v.unique([f.id for f in facets], f"{key}.id")
    v.unique([f.name for f in facets], f"{key}.name")
    return tuple(facets)


def load_taxonomy(path: Path) -> Taxonomy:
    raw, v = open_data_file(path)
    top = v.read(raw, TAXONOMY_FILE)
    themes = _facets(v, top["themes"], "themes", role=False)
    roles = _facets(v, top["roles"], "roles", role=True)
    default_role = top["default_role"]
    if default_role and default_role not in {r.name for r in roles}:
        v.fail("default_role", f"应为 roles 中的一个名称，实际是 {default_role!r}")
    scoring = v.read(top["scoring"], SCORING, "scoring")
    taxonomy = Taxonomy(
        themes=themes,
        roles=roles,
        default_role=default_role,
        other_theme=top["other_theme"],
        heading_weight=scoring["heading_weight"],
        child_weight=scoring["child_weight"],
        min_score=scoring["min_score"],
        relative_cut=scoring["relative_cut"],
    )
    v.done()
    return taxonomy
