"""The formula glossary (规范表述): meaning, usage counts and a KWIC concordance.

Occurrences are found with the same matcher that marks report pages
(marks.formula_hits), so the glossary and the highlights always agree.
Near-duplicate reports (similar.py) are left out of counts and lines.
Counts cover every occurrence; the concordance of a formula lists at most
``MAX_KWIC`` lines (``kwic_lines``), with search links for the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from urllib.parse import quote

from reportkb.analysis.link import Index
from reportkb.analysis.marks import formula_hits
from reportkb.config import Formula
from reportkb.model import Report
from reportkb.pages.decorate import FORMULAS_PAGE
from reportkb.pages.family import Context, PageFamily, Rendered
from reportkb.pages.reports import report_link_from
from reportkb.pages.safe import front_matter
from reportkb.store.cache import NO_MEMO, Memo
from reportkb.store.memo import Batch
from reportkb.text.markup import GENERATED_MARK, link, md_inline, table

CONTEXT = 14
"""Characters of context shown on each side of an occurrence."""
PAGE_DIR = FORMULAS_PAGE.rsplit("/", 1)[0]
SEARCH_PAGE = "../search.md"
"""The search page, relative to the glossary; it reads its query from ``?q=``."""
MAX_KWIC = 30
"""Concordance lines per formula. The sample corpus has at most 20 (主体责任),
all listed; a 1,000-report corpus has thousands, a 2.4 MB page."""


@dataclass(frozen=True, order=True)
class Occurrence:
    report_order: int
    block: int
    start: int
    end: int
    formula: str
    report: Report | None = field(default=None, compare=False)


def report_hits(report: Report, formulas: tuple[Formula, ...]) -> tuple[tuple[int, int, int, str], ...]:
    """(block, start, end, formula id) of every formula occurrence in a report, in document order."""
    return tuple(
        (b, m.start, m.end, m.key) for b, block in enumerate(report.blocks) for m in formula_hits(block.text, formulas)
    )


Hit = tuple[int, int, int, int, str]
"""(report order, block, start, end, formula id): an ``Occurrence`` as plain tuple, cheap to make and sort."""


def hits_batch(index: Index, memo: Memo = NO_MEMO) -> Batch:
    """The per-report work of ``_hits``: each distinct report's formula occurrences."""
    return Batch("formula-hits", [(memo.report_key(r), partial(report_hits, r, index.formulas))
                                  for r in index.distinct_reports()])


def early_batches(ctx: Context) -> list[Batch]:
    return [hits_batch(ctx.index, ctx.memo)] if ctx.index.formulas else []


def _hits(index: Index, memo: Memo = NO_MEMO) -> dict[str, list[Hit]]:
    """Formula id → occurrences in distinct reports, in document order (per-report hits from ``memo``)."""
    found: dict[str, list[Hit]] = {f.id: [] for f in index.formulas}
    batch = hits_batch(index, memo)
    per_report = memo.get_many(batch.kind, batch.jobs)
    for order, hits in enumerate(per_report):
        for b, start, end, key in hits:
            found[key].append((order, b, start, end, key))
    return found


def occurrences(index: Index, memo: Memo = NO_MEMO) -> dict[str, list[Occurrence]]:
    """Formula id → occurrences in distinct reports, in document order (per-report hits from ``memo``)."""
    distinct = index.distinct_reports()
    return {key: [Occurrence(*hit, distinct[hit[0]]) for hit in hits] for key, hits in _hits(index, memo).items()}


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


def kwic_lines(occ: list[Hit], limit: int = MAX_KWIC) -> list[Hit]:
    """Up to ``limit`` occurrences in corpus order: each report's first before any report's second."""
    ordered = sorted(occ)
    if len(ordered) <= limit:
        return ordered
    nth: dict[int, int] = {}
    keys = []
    for position, o in enumerate(ordered):
        nth[o[0]] = nth.get(o[0], -1) + 1
        keys.append((nth[o[0]], position))
    picked = {position for _, position in sorted(keys)[:limit]}
    return [o for position, o in enumerate(ordered) if position in picked]


def search_links(formula: Formula) -> str:
    """Links to the search page, one per literal spelling of a formula.

    A formula found only by patterns (讲好…故事) searches for its fixed parts,
    which the search requires all together in one section.
    """
    forms = formula.forms or (formula.name,)
    return "、".join(link(form, f"{SEARCH_PAGE}?q={quote(' '.join(form.replace('…', ' ').split()))}") for form in forms)


def render_formulas(index: Index, memo: Memo = NO_MEMO) -> str:
    found = _hits(index, memo)
    distinct = index.distinct_reports()
    total = len(distinct)
    out = [front_matter(title="规范表述"), GENERATED_MARK, "", "# 规范表述", ""]
    out.append(
        f"报告中常用的固定提法共 {len(index.formulas)} 条。报告页上，这些表述带虚线下划线，鼠标悬停显示含义。"
        f"下面的统计和上下文索引来自 {total} 篇报告（近似重复的报告只计一次）；每条表述的上下文点开即可查看。"
    )
    out.append("")
    reports = {f.id: len({o[0] for o in found[f.id]}) for f in index.formulas}  # distinct reports are distinct positions
    rows = [[f"[{md_inline(f.name)}](#{f.id})", md_inline(f.meaning), str(reports[f.id]), str(len(found[f.id]))]
            for f in index.formulas]
    out += [table(["表述", "含义", "报告数", "出现次数"], rows), ""]
    for f in index.formulas:
        occ = found[f.id]
        out += [f"## {md_inline(f.name)} {{ #{f.id} }}", ""]
        out += [f"**含义：**{md_inline(f.meaning)}", ""]
        forms = "、".join(f.forms) if f.forms else ""
        if forms and forms != f.name:
            out += [f"**匹配写法：**{md_inline(forms)}", ""]
        if not occ:
            out += ["样本报告中未出现。", ""]
            continue
        lines = kwic_lines(occ)
        if len(lines) == len(occ):
            out += [f"{reports[f.id]} 篇报告使用，共 {len(occ)} 处：", ""]
        else:
            out += [
                f"{reports[f.id]} 篇报告使用，共 {len(occ)} 处；下面列出其中 {len(lines)} 处：每篇报告先取第一处，"
                f"按报告顺序取满 {len(lines)} 处，再按报告和原文顺序排列。全部出处可在搜索页查找：{search_links(f)}。",
                "",
            ]
        # Collapsed per formula: the page lists every formula's concordance (37,000 px on a phone when open).
        out.append(f'<details class="kb-kwic kb-note" markdown="1"><summary>查看上下文（{len(lines)} 处）</summary>')
        out.append("")
        out.append("| 左侧上下文 | 表述 | 右侧上下文 | 出处 |")
        out.append("| ---: | :---: | :--- | --- |")
        out += ["| " + " | ".join(_kwic_row(Occurrence(*o, distinct[o[0]]))) + " |" for o in lines]
        out += ["", "</details>", ""]
    return "\n".join(out)


def render_formula_pages(ctx: Context) -> Rendered:
    if not ctx.index.formulas:
        return Rendered()
    return Rendered({FORMULAS_PAGE: render_formulas(ctx.index, ctx.memo)}, {f"{PAGE_DIR}/": [{"规范表述词表": FORMULAS_PAGE}]})


FAMILY = PageFamily("formulas", (PAGE_DIR,), render_formula_pages, early_batches)
