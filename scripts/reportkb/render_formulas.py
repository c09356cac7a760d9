"""The formula glossary (规范表述): meaning, usage counts and a KWIC concordance.

Occurrences are found with the same matcher that marks report pages
(marks.formula_hits), so the glossary and the highlights always agree.
Near-duplicate reports (similar.py) are left out of counts and lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .decorate import FORMULAS_PAGE
from .link import Index
from .markup import GENERATED_MARK, front_matter, link, md_inline, table
from .marks import formula_hits
from .model import Report
from .render import report_link_from

CONTEXT = 14
"""Characters of context shown on each side of an occurrence."""
PAGE_DIR = FORMULAS_PAGE.rsplit("/", 1)[0]


@dataclass(frozen=True, order=True)
class Occurrence:
    report_order: int
    block: int
    start: int
    end: int
    formula: str
    report: Report | None = field(default=None, compare=False)


def occurrences(index: Index) -> dict[str, list[Occurrence]]:
    """Formula id → occurrences in distinct reports, in document order."""
    found: dict[str, list[Occurrence]] = {f.id: [] for f in index.formulas}
    for order, report in enumerate(index.distinct_reports()):
        for b, block in enumerate(report.blocks):
            for m in formula_hits(block.text, index.formulas):
                found[m.key].append(Occurrence(order, b, m.start, m.end, m.key, report))
    return found


def _kwic_row(o: Occurrence) -> list[str]:
    block = o.report.blocks[o.block]
    text = block.text
    left = text[max(0, o.start - CONTEXT) : o.start]
    right = text[o.end : o.end + CONTEXT]
    left = ("…" if o.start > CONTEXT else "") + left
    right = right + ("…" if o.end + CONTEXT < len(text) else "")
    anchor = o.report.sections[block.section].anchor if block.section is not None else None
    where = o.report.sections[block.section].mark if block.section is not None else "开头"
    target = report_link_from(PAGE_DIR, o.report, anchor)
    return [
        f'<span class="kb-kwic-l">{md_inline(left)}</span>',
        f"**{md_inline(text[o.start:o.end])}**",
        f'<span class="kb-kwic-r">{md_inline(right)}</span>',
        link(f"{o.report.title} · {where}", target),
    ]


def render_formulas(index: Index) -> str:
    found = occurrences(index)
    total = len(index.distinct_reports())
    out = [front_matter(title="规范表述"), GENERATED_MARK, "", "# 规范表述", ""]
    out.append(
        f"报告中常用的固定提法共 {len(index.formulas)} 条。报告页上，这些表述带虚线下划线，鼠标悬停显示含义。"
        f"下面的统计和上下文索引来自 {total} 篇报告（近似重复的报告只计一次）。词表见 `scripts/data/formulas.yml`。"
    )
    out.append("")
    rows = []
    for f in index.formulas:
        occ = found[f.id]
        reports = len({o.report.id for o in occ})
        rows.append([f"[{md_inline(f.name)}](#{f.id})", md_inline(f.meaning), str(reports), str(len(occ))])
    out += [table(["表述", "含义", "报告数", "出现次数"], rows), ""]
    for f in index.formulas:
        occ = found[f.id]
        reports = sorted({o.report.id for o in occ})
        out += [f"## {md_inline(f.name)} {{ #{f.id} }}", ""]
        out += [f"**含义：**{md_inline(f.meaning)}", ""]
        forms = "、".join(f.forms) if f.forms else ""
        if forms and forms != f.name:
            out += [f"**匹配写法：**{md_inline(forms)}", ""]
        if not occ:
            out += ["样本报告中未出现。", ""]
            continue
        out += [f"{len(reports)} 篇报告使用，共 {len(occ)} 处：", ""]
        out.append('<div class="kb-kwic kb-note" markdown="1">')
        out.append("")
        out.append("| 左侧上下文 | 表述 | 右侧上下文 | 出处 |")
        out.append("| ---: | :---: | :--- | --- |")
        out += ["| " + " | ".join(_kwic_row(o)) + " |" for o in sorted(occ)]
        out += ["", "</div>", ""]
    return "\n".join(out)


def render_formula_pages(index: Index) -> tuple[dict[str, str], dict[str, list]]:
    if not index.formulas:
        return {}, {}
    return {FORMULAS_PAGE: render_formulas(index)}, {f"{PAGE_DIR}/": [{"规范表述词表": FORMULAS_PAGE}]}
