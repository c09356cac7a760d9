"""The 概览 page: counts, a report × theme coverage matrix and inline SVG charts.

Charts are drawn here, at build time, as plain SVG in the page: no script,
nothing loaded from anywhere. Every count is the site's one definition
(``sections.counted``): near-duplicate reports are not counted.

A chart is narrow (``CHART_WIDTH``) with each label above its bar, so that on
a 390 px phone the labels are drawn at about their full size (≥ 11 px).
"""

from __future__ import annotations

from collections import Counter

from reportkb.analysis.link import Index
from reportkb.pages.decorate import OVERVIEW_PAGE, theme_page
from reportkb.pages.family import Context, PageFamily, Rendered
from reportkb.pages.reports import NO_YEAR, report_link_from
from reportkb.pages.safe import front_matter
from reportkb.pages.sections import (
    DEFINITION_ANCHOR,
    DEFINITION_PAGE,
    Entry,
    corpus_sections,
    counted,
    of_role,
    of_theme,
    report_count,
)
from reportkb.text.markup import GENERATED_MARK, html_attr, html_text, link, md_inline, table

PAGE_DIR = OVERVIEW_PAGE.rsplit("/", 1)[0]
ROW_HEIGHT = 38
CHART_WIDTH = 340
BAR_WIDTH = 280
LABEL_CHARS = 22


def bar_chart(title: str, rows: list[tuple[str, int]], unit: str) -> str:
    """A horizontal bar chart as one inline <svg> (no blank lines: stays one HTML block)."""
    top = max((v for _, v in rows), default=0) or 1
    height = ROW_HEIGHT * len(rows) + 6
    width = CHART_WIDTH
    parts = [
        f'<figure class="kb-chart kb-note"><svg xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" aria-label="{html_attr(title)}">',
        f"<title>{html_text(title)}</title>",
    ]
    for i, (label, value) in enumerate(rows):
        y = 2 + i * ROW_HEIGHT
        w = round(BAR_WIDTH * value / top, 1)
        shown = label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"
        parts.append(
            f'<g><title>{html_text(f"{label}：{value} {unit}")}</title>'
            f'<text class="kb-chart-label" x="0" y="{y + 14}">{html_text(shown)}</text>'
            f'<rect class="kb-chart-bar" x="0" y="{y + 20}" width="{w}" height="12" rx="2"></rect>'
            f'<text class="kb-chart-value" x="{w + 6}" y="{y + 31}">{value} {html_text(unit)}</text></g>'
        )
    parts.append(f"</svg><figcaption>{html_text(title)}</figcaption></figure>")
    return "".join(parts)


def render_overview(index: Index, all_entries: list[Entry]) -> str:
    tax = index.taxonomy
    distinct = index.distinct_reports()
    sections = len(counted(index, all_entries)) if all_entries else sum(len(r.sections) for r in distinct)
    out = [front_matter(title="概览"), GENERATED_MARK, "", "# 概览", ""]
    dups = index.similarity.duplicates
    out.append(
        f"共 **{len(index.reports)}** 篇报告（来自 {len({r.source for r in index.reports})} 个文件），"
        f"其中 **{len(dups)}** 篇与更早的报告近似重复，统计时只计一次：下列数字基于 **{len(distinct)}** 篇、"
        f"**{sections}** 节。"
    )
    out.append("")
    if dups:
        for rid, first in sorted(dups.items()):
            r, f = index.by_id(rid), index.by_id(first)
            score = dict(index.similarity.reports.get(rid, ())).get(first)
            pct = f"（{round(score * 100)}%）" if score else ""
            out.append(f"- {link(r.title, report_link_from(PAGE_DIR, r))} 与 {link(f.title, report_link_from(PAGE_DIR, f))} 高度相似{pct}")
        out.append("")
    if tax:
        out += ["## 报告 × 主题", "", "每格是该报告中标为该主题的章节数，点击到第一处；“—”表示没有写到。", ""]
        headers = ["报告"] + [link(t.name, f"../{theme_page(index, t.name)}") for t in tax.themes]
        rows = []
        by_report: dict[str, list[Entry]] = {}
        for e in all_entries:
            by_report.setdefault(e.report.id, []).append(e)
        for r in index.reports:
            row = [link(r.title, report_link_from(PAGE_DIR, r)) + (" *（近似重复，不计入）*" if r.id in dups else "")]
            for t in tax.themes:
                hits = of_theme(by_report.get(r.id, []), t.name)
                anchor = r.sections[hits[0].section].anchor if hits else None
                row.append(link(str(len(hits)), report_link_from(PAGE_DIR, r, anchor)) if hits else "—")
            rows.append(row)
        out += [table(headers, rows), ""]
        mine = counted(index, all_entries)
        out += ["## 图表", "", f"图中的篇数、节数按{link('统计口径', f'../{DEFINITION_PAGE}#{DEFINITION_ANCHOR}')}统计"
                f"（{len(distinct)} 篇报告，近似重复的不计）。", ""]
        coverage = [(t.name, report_count(of_theme(mine, t.name))) for t in tax.themes]
        out += [bar_chart("写到各主题的报告有几篇", coverage, "篇"), ""]
        out += [bar_chart("各主题各有几节", [(t.name, len(of_theme(mine, t.name))) for t in tax.themes], "节"), ""]
        out += [bar_chart("各写法（存在问题、原因分析等）各有几节", [(r.name, len(of_role(mine, r.name))) for r in tax.roles], "节"), ""]
    years = Counter(r.year for r in distinct)
    year_rows = [(f"{y}年" if y else NO_YEAR, years[y]) for y in sorted(years, key=lambda y: (y is None, -(y or 0)))]
    out += [bar_chart("各年份的报告有几篇", year_rows, "篇"), ""]
    units = Counter(r.unit or "未识别" for r in distinct)
    unit_rows = sorted(units.items(), key=lambda kv: (-kv[1], kv[0]))
    out += [bar_chart("各单位的报告有几篇", unit_rows, "篇"), ""]
    out += ["## 报告按年份和单位", ""]
    rows = [[md_inline(label), str(n)] for label, n in year_rows]
    out += [table(["年份", "报告数"], rows), ""]
    out += [table(["单位", "报告数"], [[md_inline(u), str(n)] for u, n in unit_rows]), ""]
    return "\n".join(out)


def render_overview_pages(ctx: Context) -> Rendered:
    all_entries = corpus_sections(ctx.index, ctx.memo)[0] if ctx.index.taxonomy else []
    return Rendered({OVERVIEW_PAGE: render_overview(ctx.index, all_entries)}, {f"{PAGE_DIR}/": [{"概览": OVERVIEW_PAGE}]})


FAMILY = PageFamily("overview", (PAGE_DIR,), render_overview_pages)
