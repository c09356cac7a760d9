"""Roles inside parts: cause analyses and measures written inside a 存在问题 part's paragraphs.

annotate.py gives a section below a problems part the role its heading names
(原因分析, 下一步措施). A paragraph cannot carry a role of its own in the
annotations, so the sentences "产生问题的原因一是…" inside "二、存在的问题和原因"
are found here, reading those annotations, and every page counts them
(pages/sections.py): inside a problems section, a sentence that opens with a
cause or measure cue starts a passage of that role, which runs to the end of
its paragraph or to the next such sentence. Passages are whole sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reportkb.config import Taxonomy
from reportkb.model import Report
from reportkb.text.fold import fold

PROBLEMS, CAUSES, MEASURES = "problems", "causes", "next-steps"
"""Role ids in taxonomy.yml that the refinements concern."""

CAUSE_OPENERS = ("产生问题的原因", "产生这些问题的原因", "出现问题的原因", "问题产生的原因", "存在问题的原因", "究其原因",
                 "分析原因", "原因分析", "原因主要", "原因是", "原因有", "主要原因", "深层次原因", "根源在于", "问题的根源")
MEASURE_OPENERS = ("下一步", "针对上述问题", "针对以上问题", "针对存在的问题", "整改措施", "改进措施", "今后")
SENTENCE_RE = re.compile(r"[^。！？!?；;]*(?:[。！？!?]+[”’」』）)]*|[；;]|$)")


@dataclass(frozen=True)
class Passage:
    """A run of whole sentences inside one section's own paragraphs that has a role of its own."""

    section: int
    role: str
    text: str
    line: int
    """Line of the paragraph the passage starts in."""


def _role_name(taxonomy: Taxonomy, role_id: str) -> str | None:
    return next((r.name for r in taxonomy.roles if r.id == role_id), None)


def sentences(text: str) -> list[str]:
    """Whole sentences of a paragraph (closing quotes and brackets stay with their sentence)."""
    return [m.group(0) for m in SENTENCE_RE.finditer(text) if m.group(0)]


def _opener(sentence: str, causes: str | None, measures: str | None) -> str | None:
    head = fold(sentence.lstrip())[:12]
    if causes and any(head.startswith(cue) for cue in CAUSE_OPENERS):
        return causes
    if measures and any(head.startswith(cue) for cue in MEASURE_OPENERS):
        return measures
    return None


def inner_passages(report: Report, roles: tuple[str, ...], taxonomy: Taxonomy) -> tuple[Passage, ...]:
    """Cause and measure passages inside the own paragraphs of problems sections."""
    problems, causes, measures = (_role_name(taxonomy, i) for i in (PROBLEMS, CAUSES, MEASURES))
    out: list[Passage] = []
    for block in report.blocks:
        if block.kind == "heading" or block.section is None or roles[block.section] != problems:
            continue
        current: tuple[str, list[str]] | None = None
        for sentence in sentences(block.text):
            role = _opener(sentence, causes, measures)
            if role and (current is None or current[0] != role):
                if current:
                    out.append(Passage(block.section, current[0], "".join(current[1]), block.line))
                current = (role, [])
            if current:
                current[1].append(sentence)
        if current:
            out.append(Passage(block.section, current[0], "".join(current[1]), block.line))
    return tuple(out)
