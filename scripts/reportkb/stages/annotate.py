"""Annotate: label each section of a report; the report itself is untouched.

The classifier is a weighted keyword count that keeps its evidence:

* keywords come from ``taxonomy.yml``; text is matched in ``fold`` form and
  longest terms win (网络意识形态 is not also counted as 网络), so a term is
  never counted twice for one place in the text;
* a term in the heading counts ``heading_weight`` times; body occurrences are
  damped (1 + log2 n) so one long paragraph cannot outvote its heading;
* a section's score adds ``child_weight`` × the mean score of its children,
  so a generic heading (工作情况, 存在的问题) is labelled from what it holds;
* themes scoring at least ``min_score`` and ``relative_cut`` × the best score
  are kept, ranked; none → ``other_theme``.

The role comes from the top-level heading (heading cues), else from role
keywords in that part; subsections inherit it, except below a problems part:
a subsection there whose heading names causes (原因、根源) or measures (措施、
下一步、整改 …) takes that role, and passes it down (issue 14, "roles inside
parts"; cause sentences inside a paragraph are found by analysis/parts.py).
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from reportkb.config import Facet, Taxonomy
from reportkb.model import Annotations, Evidence, Report, SectionLabels
from reportkb.text.fold import fold

HEADING = "heading"
BODY = "body"
CHILDREN = "children"
ROLE_MIN_SCORE = 6.0
"""A top-level part without a heading cue takes a non-default role only above this score."""


@lru_cache(maxsize=64)
def _terms(facets: tuple[Facet, ...]) -> tuple[tuple[str, str, str, float], ...]:
    """(folded term, term, facet name, weight), longest first, then by term."""
    rows = {(fold(term), term, f.name, w) for f in facets for term, w in f.keywords}
    return tuple(sorted(rows, key=lambda r: (-len(r[0]), r[0], r[2])))


def match_terms(text: str, facets: tuple[Facet, ...], folded: bool = False) -> dict[tuple[str, str], int]:
    """(facet name, term) → count in ``text`` (``folded``: already in fold form); longest match first, no overlaps."""
    folded = text if folded else fold(text)
    taken = [False] * len(folded)
    counts: dict[tuple[str, str], int] = {}
    for key, term, name, _w in _terms(facets):
        start = folded.find(key)
        while start != -1:
            end = start + len(key)
            if not any(taken[start:end]):
                for i in range(start, end):
                    taken[i] = True
                counts[(name, term)] = counts.get((name, term), 0) + 1
            start = folded.find(key, start + 1)
    return counts


def _evidence_order(e: Evidence) -> tuple:
    """Heading evidence first, then by weight × count, then by term."""
    return (e.where != HEADING, -e.weight * e.count, e.term)


def _weights(facets: tuple[Facet, ...]) -> dict[tuple[str, str], float]:
    return {(f.name, term): w for f in facets for term, w in f.keywords}


def _damp(count: int) -> float:
    return 1.0 + math.log2(count) if count > 0 else 0.0


def _own_scores(
    heading: str, body: str, facets: tuple[Facet, ...], heading_weight: float
) -> tuple[dict[str, float], dict[str, list[Evidence]]]:
    """Scores and evidence from a heading and a body (the body already in fold form)."""
    weights = _weights(facets)
    scores: dict[str, float] = {}
    evidence: dict[str, list[Evidence]] = {}
    for where, text, factor in ((HEADING, heading, heading_weight), (BODY, body, 1.0)):
        for (name, term), count in match_terms(text, facets, where == BODY).items():
            w = weights[(name, term)]
            value = w * factor * (count if where == HEADING else _damp(count))
            scores[name] = scores.get(name, 0.0) + value
            evidence.setdefault(name, []).append(Evidence(term, where, count, w))
    return scores, evidence


def _children(report: Report) -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {s.index: [] for s in report.sections}
    for s in report.sections:
        if s.parent is not None:
            kids[s.parent].append(s.index)
    return kids


# Garbled traditional conversions print pinyin after characters (責(zé)任): dropped before matching.
PINYIN_RE = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)")


def _folded_body(report: Report, index: int) -> str:
    """The section's own paragraphs in fold form (folded block by block: short texts are cached)."""
    return PINYIN_RE.sub("", "".join(fold(b.text) for b in report.blocks if b.section == index and b.kind != "heading"))


def classify_themes(report: Report, taxonomy: Taxonomy) -> list[SectionLabels]:
    """Ranked themes per section with scores and evidence (role left empty)."""
    kids = _children(report)
    total: dict[int, dict[str, float]] = {}
    passed: dict[int, dict[str, float]] = {}  # the share each theme got from the children
    evid: dict[int, dict[str, list[Evidence]]] = {}
    # Children come after their parent in document order: walk backwards.
    for section in reversed(report.sections):
        body = _folded_body(report, section.index)
        own, ev = _own_scores(PINYIN_RE.sub("", fold(section.heading)), body, taxonomy.themes, taxonomy.heading_weight)
        children = kids[section.index]
        if children:
            for name in taxonomy.theme_names():
                parts = [total[c].get(name, 0.0) for c in children]
                decay = [1.0 / (k + 1) for k in range(len(parts))]
                share = taxonomy.child_weight * sum(p * d for p, d in zip(parts, decay, strict=True)) / sum(decay)
                if share > 0:
                    own[name] = own.get(name, 0.0) + share
                    passed.setdefault(section.index, {})[name] = share
                    hits = sum(1 for p in parts if p > 0)
                    ev.setdefault(name, []).append(Evidence("下级标题", CHILDREN, hits, round(share, 2)))
        total[section.index] = own
        evid[section.index] = ev
    labels = []
    order = {name: i for i, name in enumerate(taxonomy.theme_names())}
    for section in report.sections:
        scores = total[section.index]
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], order[kv[0]]))
        best = ranked[0][1] if ranked else 0.0
        themes = tuple(
            name for name, value in ranked if value >= taxonomy.min_score and value >= taxonomy.relative_cut * best
        )
        if not themes and passed.get(section.index):
            # A generic heading (存在的问题) whose own words name no theme: labelled from what it holds.
            shares = passed[section.index]
            top = max(shares.values())
            themes = tuple(name for name, value in ranked if shares.get(name, 0.0) >= taxonomy.relative_cut * top)
        if not themes and section.parent is not None and labels[section.parent].themes != (taxonomy.other_theme,):
            # No theme word of its own (一是人力保障): the section is about what its parent is about.
            themes = labels[section.parent].themes[:1]
        if not themes:
            themes = (taxonomy.other_theme,)
        evidence = tuple(
            (name, tuple(sorted(evid[section.index].get(name, []), key=_evidence_order)))
            for name, _ in ranked
        )
        labels.append(
            SectionLabels(
                themes=themes,
                scores=tuple((name, round(value, 2)) for name, value in ranked),
                role="",
                evidence=evidence,
            )
        )
    return labels


def _announcement(report: Report, index: int) -> str:
    """The paragraph right before a part's heading when it announces what follows (…加以改进：)."""
    before = ""
    for block in report.blocks:
        if block.kind == "heading" and block.section == index:
            break
        before = block.text if block.kind == "paragraph" else ""
    before = PINYIN_RE.sub("", fold(before.rstrip()))
    if not before.endswith(":"):
        return ""
    return re.split(r"[,.;!?。，；！？]", before)[-1]  # its last clause only


def _role_of_part(report: Report, index: int, taxonomy: Taxonomy) -> str:
    heading = PINYIN_RE.sub("", fold(report.sections[index].heading))
    # The heading names its role; else a sentence announcing the list may (针对上述问题，…加以改进：).
    for text in (heading, _announcement(report, index)):
        for role in taxonomy.roles:
            if text and any(fold(cue) in text for cue in role.heading_cues):
                return role.name
    # No cue: strong role keywords in the heading itself may decide (…不够, 有待加强).
    scores, _ = _own_scores(heading, "", taxonomy.roles, taxonomy.heading_weight)
    scores.pop(taxonomy.default_role, None)
    if scores:
        name, value = max(scores.items(), key=lambda kv: (kv[1], kv[0]))
        if value >= ROLE_MIN_SCORE:
            return name
    return taxonomy.default_role


PROBLEMS_ROLE, CAUSES_ROLE, MEASURES_ROLE = "problems", "causes", "next-steps"
"""Role ids (taxonomy.yml) of the parts whose subsections may analyse causes or propose measures."""
CAUSE_CUES = ("原因", "根源")
MEASURE_CUES = ("措施", "下一步", "整改", "改进", "打算", "对策")
PROBLEM_WORDS = ("不力", "不够", "不足", "不到位", "不强", "欠缺", "薄弱", "有待", "不高", "缺乏")
"""A measure cue next to these names a problem (整改措施不够有力), not a measure."""


def _role_below_problems(heading: str, taxonomy: Taxonomy) -> str | None:
    """The role a subsection of a problems part names in its own heading, if any."""
    names = {r.id: r.name for r in taxonomy.roles}
    folded = PINYIN_RE.sub("", fold(heading))
    if CAUSES_ROLE in names and any(cue in folded for cue in CAUSE_CUES):
        return names[CAUSES_ROLE]
    if MEASURES_ROLE in names and any(cue in folded for cue in MEASURE_CUES) and not any(w in folded for w in PROBLEM_WORDS):
        return names[MEASURES_ROLE]
    return None


def section_roles(report: Report, taxonomy: Taxonomy) -> tuple[str, ...]:
    """Role of every section: decided by its top-level part, inherited below (see the module docstring)."""
    problems = next((r.name for r in taxonomy.roles if r.id == PROBLEMS_ROLE), None)
    roles: list[str] = []
    for section in report.sections:
        if section.parent is None:
            roles.append(_role_of_part(report, section.index, taxonomy))
        elif roles[section.parent] == problems:
            roles.append(_role_below_problems(section.heading, taxonomy) or problems)
        else:
            roles.append(roles[section.parent])
    return tuple(roles)


def annotate(report: Report, taxonomy: Taxonomy) -> Annotations:
    roles = section_roles(report, taxonomy)
    themes = classify_themes(report, taxonomy)
    return Annotations(
        report.id,
        tuple(
            SectionLabels(themes=t.themes, scores=t.scores, role=role, evidence=t.evidence)
            for t, role in zip(themes, roles, strict=True)
        ),
    )


def pack(notes: Annotations) -> tuple:
    """Annotations as tuples, for the memo (they load much faster than dataclasses)."""
    return tuple((s.themes, s.scores, s.role, s.evidence) for s in notes.sections)


def unpack(report_id: str, packed: tuple) -> Annotations:
    return Annotations(report_id, tuple(SectionLabels(*fields) for fields in packed))
