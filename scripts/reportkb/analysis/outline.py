"""The recommended outline (提纲) of a report, drawn from the corpus.

For each kind of report (half-year or annual self-inspection, 责任制落实情况,
专项) the reports of that kind are pooled (near-duplicates counted once;
a kind with no report of its own draws on every report, and says so):

* **parts**: the roles that head a top-level part in at least half of the
  pool, plus the parts every report needs (``checker.parts``), in writing
  order (work first, then the other roles as taxonomy.yml lists them);
* **headings**: for each part, the usual top-level heading wordings with how
  many reports use them; for each theme in a part, the usual section headings;
* **requirements**: the requirements of requirements.yml a work section on
  that theme should answer (a problem section names them by id: its gaps are
  measured against them; a measure section is told to pair with the problems);
* **exemplars**: one or two first sentences of such sections in different
  reports, each with the report and section it comes from.

The result is plain data (``outline_data``): the site ships it as JSON, the
page and the Word writer read the same selection (``select``).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from reportkb.analysis.link import Index
from reportkb.config import Requirements, Taxonomy
from reportkb.model import Report

FORMAT = 1
KINDS = (
    ("half", "半年自查报告", "××××年上半年意识形态工作自查报告"),
    ("year", "年度自查报告", "××××年度意识形态工作自查报告"),
    ("duty", "责任制落实情况报告", "××××年意识形态工作责任制落实情况报告"),
    ("special", "专项报告（如网络意识形态）", "××××年网络意识形态工作专项报告"),
)
"""(id, name, title template) of the kinds offered, in the order shown."""
KIND_IDS = tuple(k[0] for k in KINDS)
DEFAULT_WORK_HEADING = "工作开展情况"
CONTAINER_RE = re.compile("情况|做法|成效|总体|概况|主要工作")
"""A work part with such a heading holds sections on several themes (一、工作情况 → （一）…（二）…)."""
HEADINGS_SHOWN = 3
EXEMPLARS = 2
EXEMPLAR_CHARS = 90
SENTENCE_RE = re.compile(r"[^。！？；!?;]*[。！？；!?;]?")
_DROP_RE = re.compile(r"[\W_]+")
YEAR_RE = re.compile(r"(?:19|20)\d\d年")
MASK_RE = re.compile(r"\*+")
HINTS = {
    "problem": "对照本主题的要求查找差距，写具体表现，避免泛泛而谈。",
    "cause": "从思想认识、制度机制、能力作风等方面分析上述问题的原因。",
    "measure": "与“存在问题”中本主题的问题一一对应，写清措施、责任和时限。",
}


def report_kind(report: Report) -> str | None:
    """The kind of a report from its title and period (None: none of the kinds)."""
    title = report.title
    if "专项" in title or "网络意识形态" in title:
        return "special"
    if "责任制" in title:
        return "duty"
    if "半年" in title or (report.period or "").endswith("半年"):
        return "half"
    if "年度" in title or "全年" in title or "年终" in title or report.period in ("全年", "年度"):
        return "year"
    return None


def _plain(text: str) -> str:
    """A heading compared by its words only: no punctuation, no spaces, no placeholder asterisks."""
    return _DROP_RE.sub("", text)


def _first_sentence(text: str) -> str:
    text = text.strip()
    first = next((m.group(0) for m in SENTENCE_RE.finditer(text) if m.group(0).strip()), text)
    return first if len(first) <= EXEMPLAR_CHARS else first[: EXEMPLAR_CHARS - 2] + "……"


def _general(heading: str) -> str:
    """A heading as a pattern to follow: its year as ××××, masking asterisks left out."""
    return MASK_RE.sub("", YEAR_RE.sub("××××年", heading)).strip()


def _usual(headings: list[str], part: bool = False) -> list[list]:
    """[[wording, reports using it], …]: most used first; ties: the shortest part heading, the
    section heading closest to a usual length."""
    counts: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for heading in map(_general, headings):
        key = _plain(heading)
        if key:
            counts[key] += 1
            shown.setdefault(key, heading)
    ranked = sorted(counts, key=lambda k: (-counts[k], len(k) if part else abs(len(k) - 12), k))
    return [[shown[k], counts[k]] for k in ranked[:HEADINGS_SHOWN]]


def _is_container(report: Report, labels, index: int) -> bool:
    children = [s for s in report.sections if s.parent == index]
    kinds = {labels[s.index].themes[0] for s in children if labels[s.index].themes}
    return bool(children) and (len(kinds) >= 3 or bool(CONTAINER_RE.search(report.sections[index].heading)))


class _Pool:
    """The sections of a pool of reports, grouped the way the outline needs them."""

    def __init__(self, index: Index, reports: list[Report], work_role: str):
        self.size = len(reports)
        self.part_reports: dict[str, set[str]] = defaultdict(set)
        self.part_headings: dict[str, list[str]] = defaultdict(list)
        self.sections: dict[tuple[str, str], list[tuple[Report, int]]] = defaultdict(list)
        for report in reports:
            labels = index.annotations[report.id].sections
            for section in report.sections:
                role = labels[section.index].role
                theme = labels[section.index].themes[0] if labels[section.index].themes else None
                if section.parent is None:
                    self.part_reports[role].add(report.id)
                    container = role != work_role or _is_container(report, labels, section.index)
                    if container:
                        self.part_headings[role].append(section.heading)
                        continue
                elif role != work_role and report.sections[section.parent].parent is not None:
                    continue  # problems and measures: the items right under the part
                if theme:
                    self.sections[(role, theme)].append((report, section.index))


def _exemplars(index: Index, found: list[tuple[Report, int]]) -> list[dict]:
    out, seen = [], set()
    for report, number in found:
        if report.id in seen:
            continue
        section = report.sections[number]
        body = [b.text for b in report.blocks if b.section == number and b.kind == "paragraph"]
        text = _first_sentence(body[0]) if body else ""
        if not text:
            continue
        seen.add(report.id)
        out.append({"heading": section.mark + section.heading, "text": text, "report": report.id,
                    "anchor": section.anchor, "title": report.title, "label": report.label})
        if len(out) == EXEMPLARS:
            break
    return out


def _part(pool: _Pool, wider: _Pool, index: Index, role: str, kind_role: str, themes: tuple[str, ...],
          requirements: Requirements) -> dict:
    headings = _usual(pool.part_headings[role], True) or _usual(wider.part_headings[role], True)
    fallback = DEFAULT_WORK_HEADING if role == kind_role else role
    sections = {}
    for theme in themes:
        found = pool.sections[(role, theme)] or wider.sections[(role, theme)]
        usual = _usual([r.sections[i].heading for r, i in found])
        if role == kind_role:
            reqs = [[r.id, r.title] for r in requirements.by_theme(theme)]
            hint = "写清本单位的具体做法和成效，回应下列要求。"
        else:
            reqs = []
            hint = HINTS.get(_role_key(role), HINTS["problem"])
            ids = "、".join(r.id for r in requirements.by_theme(theme))
            if _role_key(role) in ("problem", "") and ids:  # a problem is a gap against these requirements
                hint = hint.replace("本主题的要求", f"本主题的要求（{ids}）", 1)
        sections[theme] = {"heading": usual[0][0] if usual else f"{theme}方面", "headings": usual,
                           "hint": hint, "requirements": reqs, "exemplars": _exemplars(index, found)}
    return {"role": role, "heading": headings[0][0] if headings else fallback, "headings": headings,
            "reports": len(pool.part_reports[role]), "sections": sections}


def _role_key(role: str) -> str:
    return "problem" if "问题" in role else "cause" if "原因" in role else "measure" if "措施" in role else ""


def outline_data(index: Index, taxonomy: Taxonomy, requirements: Requirements) -> dict:
    """The outline for every kind, as plain data (the site's data/outline.json)."""
    work = taxonomy.default_role
    roles = (work, *(r for r in taxonomy.role_names() if r != work))
    needed = {role for _, role in requirements.checker.parts}
    themes = taxonomy.theme_names()
    distinct = list(index.distinct_reports())
    wider = _Pool(index, distinct, work)
    kinds = []
    for kind, name, title in KINDS:
        members = [r for r in distinct if report_kind(r) == kind]
        pool = _Pool(index, members, work) if members else wider
        usual = [role for role in roles if role in needed or 2 * len(pool.part_reports[role]) >= pool.size > 0]
        kinds.append({
            "id": kind, "name": name, "title": title, "reports": len(members), "pool": pool.size,
            "examples": [[r.id, r.title] for r in members[:HEADINGS_SHOWN]],
            "parts": [_part(pool, wider, index, role, work, themes, requirements) for role in usual],
        })
    return {"format": FORMAT, "themes": list(themes), "kinds": kinds}


NUMERALS = "一二三四五六七八九十"


def _numeral(n: int) -> str:
    return NUMERALS[n - 1] if n <= 10 else f"十{NUMERALS[n - 11]}"


def select(data: dict, kind: str, themes: list[str] | tuple[str, ...]) -> tuple[str, list[tuple[int, str]]]:
    """Title and (level, text) blocks of the outline of ``kind`` covering ``themes`` (in taxonomy order).

    Levels as in the Word writer: 1 part, 2 section, 3 point, 0 body.
    """
    chosen = [t for t in data["themes"] if t in themes]
    spec = next(k for k in data["kinds"] if k["id"] == kind)
    blocks: list[tuple[int, str]] = [(0, "××××（主送机关）：")]
    blocks.append((0, "（开头：用一两句话概述本单位本期意识形态工作的总体情况。）"))
    for p, part in enumerate(spec["parts"], start=1):
        blocks.append((1, f"{_numeral(p)}、{part['heading']}"))
        for s, theme in enumerate(chosen, start=1):
            section = part["sections"][theme]
            blocks.append((2, f"（{_numeral(s)}）{section['heading']}"))
            blocks.append((0, f"【{theme}】{section['hint']}"))
            if section["requirements"]:
                blocks.append((3, "1.应回应的要求"))
                blocks += [(0, f"（{i}）{rid} {title}") for i, (rid, title) in enumerate(section["requirements"], start=1)]
            if section["exemplars"]:
                blocks.append((3, f"{2 if section['requirements'] else 1}.范例写法"))
                blocks += [(0, f"“{e['text']}”（见《{e['title']}》{e['heading']}）") for e in section["exemplars"]]
    blocks += [(0, ""), (-1, "××××（单位署名）"), (-1, "××××年××月××日")]
    return spec["title"], blocks


def file_name(kind: str, themes: list[str] | tuple[str, ...], all_themes: list[str] | tuple[str, ...]) -> str:
    """The site's file for a choice: ``half-11010.docx`` (one digit per theme, in taxonomy order)."""
    return f"{kind}-{''.join('1' if t in themes else '0' for t in all_themes)}.docx"
