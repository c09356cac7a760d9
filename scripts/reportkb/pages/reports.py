"""Render: Index → pages, as a mapping of docs-relative path → text.

Pure: nothing here touches the disk. Report text goes through ``markup`` so
that every character reaches the page as written.
"""

from __future__ import annotations

import json

from reportkb.analysis.link import Index
from reportkb.model import Annotations, Problem, Report
from reportkb.pages.decorate import ReportDecor
from reportkb.pages.family import Context, PageFamily, Rendered
from reportkb.pages.safe import front_matter, nav_title
from reportkb.pages.search import opening_text, section_text
from reportkb.store.cache import NO_MEMO, Memo, content_digest
from reportkb.text.markup import GENERATED_MARK, html_attr, html_text, link, md_inline, table

REPORTS_DIR = "reports"
CORPUS_JSON = "data/corpus.json"
RESERVED_IDS = frozenset({"index", "years"})
"""Names in reports/ that are not reports (the list, reports/index.md; the year lists): never a report id."""
NO_YEAR = "未注明年份"


def report_path(report: Report) -> str:
    return f"{REPORTS_DIR}/{report.id}.md"


def report_link_from(page_dir: str, report: Report, anchor: str | None = None) -> str:
    """Relative Markdown link target from a page folder to a report (section)."""
    up = "../" * (page_dir.count("/") + 1) if page_dir else ""
    target = f"{up}{report_path(report)}"
    return f"{target}#{anchor}" if anchor else target


def render_report(
    report: Report, notes: Annotations, appendix: tuple[str, ...] = (), decor: ReportDecor | None = None
) -> str:
    """One report page: title, metadata box, the text verbatim, then appendices.

    ``appendix`` holds Markdown sections other features add after the text
    (requirement coverage, …); they must mark their HTML with ``kb-note``.
    ``decor`` adds the theme annotations (tags, badges, marks; decorate.py).
    """
    tags = decor.tags() if decor else []
    out = [front_matter(title=report.title, tags=tags or None), GENERATED_MARK, ""]
    inline = (lambda text, escape: decor.text(text, escape)) if decor else (lambda text, escape: escape(text))
    # Report pages are outside the nav (it lists years): the way back to the report's year.
    out.extend([f'<div class="kb-crumbs kb-note" markdown="1">\n\n{link("报告列表", "index.md")} › '
                f'{link(year_label(report.year), _year_target(report.year))}\n\n</div>', ""])
    title_block = next((b for b in report.blocks if b.kind == "title"), None)
    out.append(f"# {md_inline(title_block.text if title_block else report.title)}")
    out.append("")
    out.append(_metadata_box(report))
    out.append("")
    if decor:
        out.extend([NOTES_TOGGLE, ""])
    banner = decor.banner() if decor else ""
    if banner:
        out.extend([banner, ""])
    for block in report.blocks:
        if block.kind == "title":
            continue
        if block.kind == "heading":
            section = report.sections[block.section]
            level = min(section.depth + 1, 6)
            role = notes.sections[section.index].role if notes.sections else ""
            attrs = f'#{section.anchor} data-line="{block.line}" data-role="{html_attr(role)}"'
            out.append(f"{'#' * level} {inline(block.text, md_inline)} {{ {attrs} }}")
            if decor:
                out.extend(["", decor.after_heading(section.index)])
        else:
            css = "kb-addressee" if block.kind == "addressee" else "kb-p"
            out.append(f'<p class="{css}" data-line="{block.line}">{inline(block.text, html_text)}</p>')
        out.append("")
    out.extend(f"{part}\n" for part in appendix)
    return "\n".join(out)


NOTES_TOGGLE = (
    '<div class="kb-toolbar kb-note"><button class="kb-notes-toggle md-button" type="button" aria-pressed="false" '
    'title="在每节标题下显示它的主题、写法和分类依据，以及本篇用到的规范表述">显示标注</button></div>'
)
"""The one switch for every annotation of a report page (docs/assets/kb.js remembers the choice; hidden by default)."""


def source_line(report: Report) -> str:
    """Where the report comes from, in one line: unit, year, period, and which of several reports in one source.

    Staff never see file names: the maintainer finds a report's file through
    ``data/corpus.json`` (``source``) and the problem lists of ``kb.py generate``.
    """
    facts = [report.unit or "", f"{report.year}年" if report.year else "", report.period or ""]
    part = f"（同一来源中的第 {report.part}/{report.parts} 篇）" if report.parts > 1 else ""
    return f"出处：{html_text(' · '.join(f for f in facts if f) or '未注明单位和时间')}{html_text(part)}"


def _metadata_box(report: Report) -> str:
    """Source and metadata: one line (the summary, printed on the first page), the details when opened."""
    rows = [
        ("年份", str(report.year) if report.year else "未注明"),
        ("时段", report.period or "未注明"),
        ("单位", report.unit or "未识别"),
        ("章节", f"{len(report.sections)} 个编号标题"),
    ]
    if report.title_derived:
        rows.insert(0, ("标题", "原文无标题，页面标题为推断"))
    if report.addressee:
        rows.append(("主送", report.addressee))
    if report.noise:
        removed = "；".join(
            f"第 {b.first_line}–{b.last_line} 行：{b.reason}（{sum(1 for t in b.lines if t.strip())} 行文字）" for b in report.noise
        )
        rows.append(("已移除", removed))
    cells = "".join(f"<tr><th>{html_text(k)}</th><td>{html_text(v)}</td></tr>" for k, v in rows)
    return (f'<details class="kb-meta kb-note"><summary>{source_line(report)}<span class="kb-meta-more">（详情）</span>'
            f"</summary><table>{cells}</table></details>")


YEARS_DIR = f"{REPORTS_DIR}/years"
"""One list page per year: the navigation lists years, not every report."""


def year_key(year: int | None) -> str:
    return str(year) if year else "none"


def year_label(year: int | None) -> str:
    return f"{year}年" if year else NO_YEAR


def year_path(year: int | None) -> str:
    return f"{YEARS_DIR}/{year_key(year)}.md"


def _year_target(year: int | None) -> str:
    """Link target of a year page from reports/ (the list and the report pages)."""
    return year_path(year).removeprefix(f"{REPORTS_DIR}/")


def render_report_index(index: Index) -> str:
    out = [front_matter(title="报告列表"), GENERATED_MARK, "", "# 报告列表", ""]
    out.append(f"知识库共收录 **{len(index.reports)}** 篇报告。")
    out.append("")
    years = index.years()
    if years:
        counts = {y: sum(1 for r in index.reports if r.year == y) for y in years}
        out.append("按年份：" + " · ".join(link(f"{year_label(y)}（{counts[y]} 篇）", _year_target(y)) for y in years))
        out.append("")
    out.append(_report_table(index.reports, ""))
    out.append("")
    return "\n".join(out)


def render_year_page(index: Index, year: int | None) -> str:
    """The reports of one year (or of no stated year): the navigation's entry for them."""
    reports = [r for r in index.reports if r.year == year]
    label = year_label(year)
    title = f"{label}的报告"
    out = [front_matter(title=title), GENERATED_MARK, "", f"# {md_inline(title)}", ""]
    out.append(f"共 **{len(reports)}** 篇。{link('全部报告', '../index.md')}")
    out.append("")
    out.append(_report_table(reports, "../"))
    out.append("")
    return "\n".join(out)


def _report_table(reports, up: str) -> str:
    rows = [
        [
            link(r.title, f"{up}{r.id}.md") + (" *（推断标题）*" if r.title_derived else ""),
            str(r.year) if r.year else "—",
            md_inline(r.period or "—"),
            md_inline(r.unit or "—"),
            str(len(r.sections)),
        ]
        for r in reports
    ]
    return table(["标题", "年份", "时段", "单位", "章节数"], rows)


def corpus_data(index: Index, problems: tuple[Problem, ...]) -> dict:
    """The corpus.json document (schema in README.md)."""
    reports = []
    for r in index.reports:
        notes = index.annotations[r.id]
        reports.append(
            {
                "id": r.id,
                "source": r.source,
                "part": r.part,
                "title": r.title,
                "title_derived": r.title_derived,
                "addressee": r.addressee,
                "year": r.year,
                "period": r.period,
                "unit": r.unit,
                "encoding": r.encoding,
                "opening": opening_text(r),
                "noise": [{"first_line": b.first_line, "last_line": b.last_line, "reason": b.reason} for b in r.noise],
                "outline": [
                    {
                        "depth": s.depth,
                        "mark": s.mark,
                        "heading": s.heading,
                        "inline": s.inline,
                        "line": s.line,
                        "anchor": s.anchor,
                        "role": notes.sections[s.index].role,
                        "themes": list(notes.sections[s.index].themes),
                        "text": section_text(r, s.index),
                    }
                    for s in r.sections
                ],
            }
        )
    ordered = sorted(problems, key=lambda p: (p.source, p.line or 0, p.level, p.code, p.message))  # line may be None
    return {"reports": reports, "problems": [p.as_dict() for p in ordered]}


def to_json(data: dict) -> str:
    """JSON with one line per list item at the top level (one report, one problem a line).

    Easy to read and diff, and written by the C encoder: with ``indent`` the
    json module falls back to its pure-Python encoder (seconds for 1,000 reports).
    """
    def dumps(value: object) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True)

    fields = []
    for key in sorted(data):
        value = data[key]
        body = "[\n" + ",\n".join(dumps(item) for item in value) + "\n]" if isinstance(value, list) and value else dumps(value)
        fields.append(f"{dumps(key)}: {body}")
    return "{\n" + ",\n".join(fields) + "\n}\n"


def render_nav(index: Index) -> dict[str, list]:
    """Navigation of generated sections, keyed by the placeholder used in mkdocs.yml."""
    # Years, not reports: every page carries the navigation, so listing each
    # report would make each page's size (and the build) grow with the corpus.
    groups: list = [{"报告列表": f"{REPORTS_DIR}/index.md"}]
    groups.extend({nav_title(year_label(year)): year_path(year)} for year in index.years())
    return {f"{REPORTS_DIR}/": groups}


def _page_context(index: Index, report: Report) -> tuple:
    """What a report page shows of other reports: its similarity notices."""
    sim = index.similarity
    whole = tuple((other, index.by_id(other).title, score) for other, score in sim.reports.get(report.id, ()))
    sections = tuple(
        (s.index, other, index.by_id(other).title, index.by_id(other).sections[at].anchor, score)
        for s in report.sections
        for other, at, score in sim.sections.get((report.id, s.index), ())
    )
    return whole, sim.duplicates.get(report.id), sections


def render_site(
    index: Index,
    problems: tuple[Problem, ...],
    appendices: dict[str, tuple[str, ...]] | None = None,
    memo: Memo = NO_MEMO,
) -> dict[str, str]:
    """The foundation's pages: report pages, their index, corpus.json.

    ``appendices`` maps a report id to extra sections for the end of its page.
    A report page depends on its report, the program (code, data files) and
    ``_page_context``; with all three unchanged, ``memo`` gives the earlier text.
    """
    appendices = appendices or {}
    pages = {f"{REPORTS_DIR}/index.md": render_report_index(index)}  # "index" is in RESERVED_IDS
    pages.update({year_path(year): render_year_page(index, year) for year in index.years()})
    jobs = []
    for report in index.reports:
        appendix = appendices.get(report.id, ())
        key = content_digest((memo.report_key(report), _page_context(index, report), appendix))
        jobs.append((key, lambda report=report, appendix=appendix: render_report(
            report, index.annotations[report.id], appendix, ReportDecor(index, report))))
    for report, page in zip(index.reports, memo.get_many("report-page", jobs), strict=True):
        pages[report_path(report)] = page
    pages[CORPUS_JSON] = to_json(corpus_data(index, problems))
    return pages


def _render(ctx: Context) -> Rendered:
    """Report pages with the appendices of the families before, their list and nav, corpus.json."""
    pages = render_site(ctx.index, ctx.problems, dict(ctx.appendices), ctx.memo)
    return Rendered(pages, render_nav(ctx.index))


FAMILY = PageFamily("reports", (REPORTS_DIR, CORPUS_JSON.split("/", 1)[0]), _render)
