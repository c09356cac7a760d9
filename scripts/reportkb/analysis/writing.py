"""How a section is written: heading shape, opening sentence, enumeration, data.

Everything is read off the text with simple, documented rules; the result is a
short Chinese note (写法提示) and features the theme pages count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reportkb.text.fold import fold

# Verbs that open a heading clause, longest first so 进一步加强 beats 加强.
LEAD_VERBS = (
    "进一步", "加强", "强化", "坚持", "落实", "完善", "注重", "提高", "提升", "推动", "推进", "深化", "聚焦", "严格",
    "规范", "建立", "健全", "狠抓", "抓好", "管好", "做好", "夯实", "突出", "创新", "巩固", "筑牢", "压实", "守好",
    "强调", "重视", "把握", "维护", "开展", "培育", "营造", "构建", "抓",
)
CLAUSE_SPLIT_RE = re.compile(r"[,，;；、]")
ENUM_RE = re.compile(r"一是.*?二是|第一[,，、].*?第二[,，、]|首先.*?其次|一方面.*?另一方面|\(1\).*?\(2\)|1[.、].*?2[.、]", re.S)
EXAMPLE_RE = re.compile(r"(?:如|例如|比如)(?:在)?(?:x+|\d+|\*+)月")
PROBLEM_RE = re.compile(r"不够|不足|有待|不强|不深|不及时|不到位|薄弱|欠缺|差距|还需|尚需|尚未|不高|偏少")
FURTHER_RE = re.compile(r"进一步|持续|继续|不断")
SENTENCE_RE = re.compile(r"[^。！？!?]*[。！？!?]?")


@dataclass(frozen=True)
class Shape:
    """Writing features of one section."""

    paired: bool
    """Heading is two parallel clauses of (nearly) equal length."""
    lead_verb: str
    """Verb that opens the heading ('' if none)."""
    opening: str
    """First sentence of the body ('' if no body)."""
    enumerated: bool
    data_points: int
    example: bool
    problem_phrasing: bool
    further_phrasing: bool


def heading_clauses(heading: str) -> list[str]:
    return [c for c in CLAUSE_SPLIT_RE.split(heading.strip()) if c.strip()]


def is_paired(heading: str) -> bool:
    """对仗式标题: two clauses, each 4–10 characters, lengths within 2 of each other."""
    clauses = heading_clauses(heading)
    if len(clauses) != 2:
        return False
    a, b = (len(c.strip()) for c in clauses)
    return 4 <= a <= 10 and 4 <= b <= 10 and abs(a - b) <= 2


_LEAD_ORDER = tuple(sorted(LEAD_VERBS, key=lambda v: (-len(v), v)))
"""``LEAD_VERBS`` longest first, sorted once (every section's heading is looked up)."""


def lead_verb(heading: str) -> str:
    folded = fold(heading.strip())
    if not folded.startswith(_LEAD_ORDER):  # one C-level check rules out most headings
        return ""
    for verb in _LEAD_ORDER:
        if folded.startswith(verb):
            return verb
    return ""


def first_sentence(body: str) -> str:
    for m in SENTENCE_RE.finditer(body.strip()):
        if m.group(0).strip():
            return m.group(0).strip()
    return ""


def shape(heading: str, body: str, data_points: int) -> Shape:
    folded = fold(body)
    return Shape(
        paired=is_paired(heading),
        lead_verb=lead_verb(heading),
        opening=first_sentence(body),
        enumerated=bool(ENUM_RE.search(folded)),
        data_points=data_points,
        example=bool(EXAMPLE_RE.search(folded)),
        problem_phrasing=bool(PROBLEM_RE.search(fold(heading) + folded)),
        further_phrasing=bool(FURTHER_RE.search(fold(heading) + folded)),
    )


def writing_note(s: Shape, role: str) -> str:
    """A short note such as 对仗式标题；总起句 + 一是/二是 展开 + 数据支撑（3处）."""
    head: list[str] = []
    if s.paired:
        head.append("对仗式标题")
    if s.lead_verb:
        head.append(f"“{s.lead_verb}”领起")
    body: list[str] = []
    if s.opening and (s.enumerated or len(s.opening) < 60):
        body.append("总起句")
    if s.enumerated:
        body.append("一是/二是 展开")
    if s.data_points:
        body.append(f"数据支撑（{s.data_points}处）")
    if s.example:
        body.append("举例“如X月X日…”")
    if role == "存在问题" and s.problem_phrasing:
        body.append("“…不够/有待加强”式问题表述")
    if role == "下一步措施" and s.further_phrasing:
        body.append("“进一步/持续…”式措施表述")
    parts = ["、".join(head)] if head else []
    if body:
        parts.append(" + ".join(body))
    return "；".join(parts)
