"""The 概览 page: counts, a report × theme coverage matrix and inline SVG charts.

Charts are drawn here, at build time, as plain SVG in the page: no script,
nothing loaded from anywhere. Statistics count each near-duplicate report once.
"""

from __future__ import annotations

from collections import Counter

from reportkb.analysis.link import Index
from reportkb.pages.decorate import OVERVIEW_PAGE, theme_page
from reportkb.pages.family import Context, PageFamily, Rendered
from reportkb.pages.reports import NO_YEAR, report_link_from
from reportkb.pages.safe import front_matter
from reportkb.text.markup import GENERATED_MARK, html_attr, html_text, link, md_inline, table

PAGE_DIR = OVERVIEW_PAGE.rsplit("/", 1)[0]
BAR_HEIGHT = 22
LABEL_WIDTH = 150
BAR_WIDTH = 360


def bar_chart(title: str, rows: list[tuple[str, int]], unit: str) -> str:
    """A horizontal bar chart as one inline <svg> (no blank lines: stays one HTML block)."""
    top = max((v for _, v in rows), default=0) or 1
    height = BAR_HEIGHT * len(rows) + 8
    width = LABEL_WIDTH + BAR_WIDTH + 60
    parts = [
        f'<figure class="kb-chart kb-note"><svg xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" aria-label="{html_attr(title)}">',
        f"<title>{html_text(title)}</title>",
    ]
    for i, (label, value) in enumerate(rows):
        y = 4 + i * BAR_HEIGHT
        w = round(BAR_WIDTH * value / top, 1)
        parts.append(
            f'<g><title>{html_text(f"{label}：{value} {unit}")}</title>'
            f'<text class="kb-chart-label" x="{LABEL_WIDTH - 6}" y="{y + 15}" text-anchor="end">{html_text(label[:12])}</text>'
            f'<rect class="kb-chart-bar" x="{LABEL_WIDTH}" y="{y + 3}" width="{w}" height="{BAR_HEIGHT - 6}" rx="2"></rect>'
            f'<text class="kb-chart-value" x="{LABEL_WIDTH + w + 6}" y="{y + 15}">{value}</text></g>'
        )
    parts.append(f"</svg><figcaption>{html_text(title)}</figcaption></figure>")
    return "".join(parts)


def render_overview(index: Index) -> str:
    tax = index.taxonomy
    distinct = index.distinct_reports()
    sections = sum(len(r.sections) for r in distinct)
    out = [front_matter(title="概览"), GENERATED_MARK, "", "# 概览", ""]
    dups = index.similarity.duplicates
    out.append(
        f"共 **{len(index.reports)}** 篇报告（来自 {len({r.source for r in index.reports})} 个文件），"
        f"其中 **{len(dups)}** 篇与更早的报告近似重复，统计时只计一次：下列数字基于 **{len(distinct)}** 篇、"
        f"**{sections}** 个编号章节。"
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
        for r in index.reports:
            labels = index.annotations[r.id].sections
            row = [link(r.title, report_link_from(PAGE_DIR, r)) + (" *（近似重复）*" if r.id in dups else "")]
            for t in tax.themes:
                hits = [s for s in r.sections if labels and t.name in labels[s.index].themes]
                row.append(link(str(len(hits)), report_link_from(PAGE_DIR, r, hits[0].anchor)) if hits else "—")
            rows.append(row)
        out += [table(headers, rows), ""]
        out += ["## 图表", ""]
        coverage = []
        for t in tax.themes:
            covered = sum(
                1 for r in distinct if any(t.name in lab.themes for lab in index.annotations[r.id].sections)
            )
            coverage.append((t.name, covered))
        out += [bar_chart("各主题覆盖的报告数", coverage, "篇"), ""]
        per_theme = Counter(t for r in distinct for lab in index.annotations[r.id].sections for t in lab.themes[:1])
        out += [bar_chart("各主题作为首选主题的章节数", [(t.name, per_theme.get(t.name, 0)) for t in tax.themes], "节"), ""]
        roles = Counter(lab.role for r in distinct for lab in index.annotations[r.id].sections)
        out += [bar_chart("各作用的章节数", [(name, roles.get(name, 0)) for name in tax.role_names()], "节"), ""]
    years = Counter(r.year for r in distinct)
    year_rows = [(f"{y}年" if y else NO_YEAR, years[y]) for y in sorted(years, key=lambda y: (y is None, -(y or 0)))]
    out += [bar_chart("各年份报告数", year_rows, "篇"), ""]
    units = Counter(r.unit or "未识别" for r in distinct)
    unit_rows = sorted(units.items(), key=lambda kv: (-kv[1], kv[0]))
    out += [bar_chart("各单位报告数", unit_rows, "篇"), ""]
    out += ["## 报告按年份和单位", ""]
    rows = [[md_inline(label), str(n)] for label, n in year_rows]
    out += [table(["年份", "报告数"], rows), ""]
    out += [table(["单位", "报告数"], [[md_inline(u), str(n)] for u, n in unit_rows]), ""]
    return "\n".join(out)


def render_overview_pages(ctx: Context) -> Rendered:
    return Rendered({OVERVIEW_PAGE: render_overview(ctx.index)}, {f"{PAGE_DIR}/": [{"概览": OVERVIEW_PAGE}]})


FAMILY = PageFamily("overview", (PAGE_DIR,), render_overview_pages)
