"""Render requirement pages, per-report coverage tables and the checker spec.

Pure: returns page texts; the pipeline adds them to the site. Report text
keeps every character (``md_inline``); matched words are wrapped in
``<mark>``, which changes no text. Everything added to a report page sits in
a ``kb-note`` block.
"""

from __future__ import annotations

import functools
import re

from reportkb.analysis.link import Index
from reportkb.analysis.requirements import Coverage, Passage, best_passages, coverage, coverage_batch
from reportkb.checker.contract import SPEC_PATH
from reportkb.checker.spec import build_spec, requirement_anchor, requirement_page, spec_json
from reportkb.config import Requirements, Taxonomy, load_requirements
from reportkb.pages.family import Context, PageFamily, Rendered
from reportkb.pages.reports import report_link_from
from reportkb.pages.safe import front_matter, nav_title
from reportkb.pages.sections import DEFINITION_ANCHOR, DEFINITION_PAGE
from reportkb.store.cache import NO_MEMO, Memo
from reportkb.store.memo import Batch
from reportkb.text.markup import GENERATED_MARK, link, md_inline, table

INDEX_PAGE = "requirements/index.md"
NAV_KEY = "requirements/"
REPORTS_INDEX = "../reports/index.md"
"""The report list, linked from requirement pages (which sit in requirements/)."""

MAX_PASSAGES = 30
"""Passages listed under one requirement. The sample corpus has at most 21 per
requirement, all listed; a 1,000-report corpus has thousands (an 18 MB page),
so longer lists show the ``best_passages`` ranking, one per report first. The
coverage figures still count every passage; each report page's 要求覆盖情况
table lists all of that report's passages."""
LONG_PASSAGE = 400
"""Characters beyond which a passage ranks after others of equal score (``best_passages``)."""


def _marked(passage: Passage) -> str:
    out, pos = [], 0
    for start, end in passage.spans:
        out.append(md_inline(passage.text[pos:start]))
        out.append(f'<mark>{md_inline(passage.text[start:end])}</mark>')
        pos = end
    out.append(md_inline(passage.text[pos:]))
    return "".join(out)


COMMON_PRACTICE = "通行做法"
"""What a requirement's source says when it rests on practice rather than a document."""


def source_name(source: str) -> str:
    """A requirement's source as staff read it: its document's name, or 通行做法 (never an English word)."""
    return re.sub(r"\s*common practice\s*", COMMON_PRACTICE, source, flags=re.I)


def _hit(index: Index, cov: Coverage) -> int:
    """Reports that respond to a requirement, counted like every count on the site (near-duplicates left out)."""
    return sum(1 for rid in cov.report_ids if rid not in index.similarity.duplicates)


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "—"


def _where(index: Index, passage: Passage, page_dir: str) -> str:
    report = index.by_id(passage.report_id)
    if passage.section is None:
        return link(f"{report.title} · 开头（第 {passage.line} 行）", report_link_from(page_dir, report))
    section = report.sections[passage.section]
    return link(
        f"{report.title} · {section.mark}{section.heading}（第 {passage.line} 行）",
        report_link_from(page_dir, report, section.anchor),
    )


def _requirement_section(index: Index, cov: Coverage) -> list[str]:
    r = cov.requirement
    total = len(index.distinct_reports())
    hit = _hit(index, cov)
    out = [
        f"## {r.id} {md_inline(r.title)} {{ #{requirement_anchor(r.id)} }}",
        "",
        f"**要求**：{md_inline(r.statement)}",
        "",
        f"**依据**：{md_inline(source_name(r.source))}",
        "",
        f"**覆盖**：{hit}/{total} 篇报告回应了这项要求（{_percent(hit, total)}），共 {len(cov.passages)} 段。",
        "",
    ]
    shown = shown_passages(cov)
    if len(shown) < len(cov.passages):
        out += [
            f"下面列出其中最有代表性的 {len(shown)} 段（共 {len(cov.passages)} 段），依次排列。挑选方法：正文段落先于标题；"
            f"匹配到的判定词语种类多的在前，同样多时 {LONG_PASSAGE} 字以内的段落在前，再按匹配到的字数从多到少；"
            "每篇报告先取一段，同一节的其他段落放在最后。"
            f"其余段落见各篇报告页末的“要求覆盖情况”表（从[报告列表]({REPORTS_INDEX})进入）。",
            "",
        ]
    if shown:
        # Collapsed per requirement: a theme's page lists up to 30 passages for each of its requirements.
        out += [f'<details class="kb-passages" markdown="1"><summary>查看回应这项要求的 {len(shown)} 段原文</summary>', ""]
        out += [f"- {_where(index, p, 'requirements')}：{_marked(p)}" for p in shown]
        out += ["", "</details>"]
    else:
        out.append("*范例报告中暂无回应这项要求的段落。*")
    out.append("")
    return out


def shown_passages(cov: Coverage) -> tuple[Passage, ...]:
    """Every passage in corpus order, or, beyond ``MAX_PASSAGES``, the best ones in ranking order.

    ``best_passages`` takes one passage per section; when fewer sections than
    ``MAX_PASSAGES`` hold the passages, the others follow in corpus order.
    """
    if len(cov.passages) <= MAX_PASSAGES:
        return cov.passages
    best = best_passages(cov, MAX_PASSAGES, LONG_PASSAGE)
    if len(best) == MAX_PASSAGES:
        return best
    chosen = {id(p) for p in best}  # a coverage's passages are distinct objects: no hashing of their texts
    return best + tuple(p for p in cov.passages if id(p) not in chosen)[: MAX_PASSAGES - len(best)]


def render_theme_page(index: Index, theme_name: str, covs: list[Coverage]) -> str:
    out = [front_matter(title=f"要求：{theme_name}"), GENERATED_MARK, "", f"# {md_inline(theme_name)}", ""]
    out.append(
        f"本主题下有 {len(covs)} 项要求。每项要求列出其依据、覆盖率，以及范例报告中回应它的段落"
        f"（超过 {MAX_PASSAGES} 段时只列出最有代表性的 {MAX_PASSAGES} 段；<mark>高亮</mark>为匹配到的词语，点击可跳到原文所在章节）。"
    )
    out.append("")
    for cov in covs:
        out += _requirement_section(index, cov)
    return "\n".join(out)


def render_index_page(index: Index, covs: tuple[Coverage, ...], theme_ids: dict[str, str]) -> str:
    total = len(index.distinct_reports())
    out = [front_matter(title="要求总览"), GENERATED_MARK, "", "# 要求总览", ""]
    out.append(
        f"意识形态工作自查报告需要回应的 {len(covs)} 项要求，按主题分组。覆盖率指 {total} 篇范例报告"
        f"（近似重复的不计，{link('统计口径', f'../{DEFINITION_PAGE}#{DEFINITION_ANCHOR}')}）中有多少篇回应了该要求。"
        "写好草稿后可用[自查清单](../check.md)逐项核对。"
    )
    out.append("")
    rows = []
    for cov in covs:
        r = cov.requirement
        page = requirement_page(theme_ids[r.theme]).removeprefix("requirements/")
        hit = _hit(index, cov)
        rows.append(
            [r.id, link(r.title, f"{page}#{requirement_anchor(r.id)}"), md_inline(r.theme), f"{hit}/{total}",
             _percent(hit, total), str(len(cov.passages))]
        )
    out.append(table(["编号", "要求", "主题", "回应的报告", "覆盖率", "段落数"], rows))
    out.append("")
    return "\n".join(out)


def render_coverage_appendix(index: Index, report_id: str, covs: tuple[Coverage, ...], theme_ids: dict[str, str],
                             by_report: dict[tuple[int, str], list] | None = None) -> str:
    """The coverage table at the end of a report page, inside a kb-note block.

    ``by_report`` ((coverage position, report id) → passages) spares scanning
    every passage of the corpus for each report.
    """
    report = index.by_id(report_id)
    rows = []
    addressed = 0
    for position, cov in enumerate(covs):
        r = cov.requirement
        mine = (by_report.get((position, report_id), []) if by_report is not None
                else [p for p in cov.passages if p.report_id == report_id])
        target = f"../{requirement_page(theme_ids[r.theme])}#{requirement_anchor(r.id)}"
        places = []
        for p in mine:
            if p.section is None:
                places.append(f"开头（第 {p.line} 行）")
            else:
                s = report.sections[p.section]
                label = f"{s.mark}{s.heading}"
                if len(label) > 16:
                    label = label[:16] + "…"
                places.append(link(f"{label}（第 {p.line} 行）", f"#{s.anchor}"))
        if mine:
            addressed += 1
        rows.append([r.id, link(r.title, target), "✔ 已回应" if mine else "✘ 未回应", "；".join(places) or "—"])
    out = [
        '<div class="kb-note kb-coverage" markdown>',
        "",
        "## 要求覆盖情况 { #kb-requirements }",
        "",
        f"本报告回应了 {addressed}/{len(covs)} 项要求（判定方法见[要求总览](../{INDEX_PAGE})）。",
        "",
        table(["编号", "要求", "情况", "回应位置"], rows),
        "",
        "</div>",
    ]
    return "\n".join(out)


def _by_report(covs: tuple[Coverage, ...]) -> dict[tuple[int, str], list[Passage]]:
    """(coverage position, report id) → passages, for ``render_coverage_appendix``."""
    out: dict[tuple[int, str], list[Passage]] = {}
    for position, cov in enumerate(covs):
        for p in cov.passages:
            out.setdefault((position, p.report_id), []).append(p)
    return out


def render_requirements(
    index: Index, requirements: Requirements, taxonomy: Taxonomy, extra_forms: tuple[str, ...] = (),
    memo: Memo = NO_MEMO,
) -> tuple[dict[str, str], dict[str, tuple[str, ...]], dict[str, list]]:
    """(pages, appendices by report id, nav) for the requirements feature."""
    covs = coverage(index, requirements, memo)
    theme_ids = {t.name: t.id for t in taxonomy.themes}
    pages = {INDEX_PAGE: render_index_page(index, covs, theme_ids)}
    nav: list = [{"要求总览": INDEX_PAGE}]
    for theme in taxonomy.themes:
        mine = [c for c in covs if c.requirement.theme == theme.name]
        if not mine:
            continue
        path = requirement_page(theme.id)
        pages[path] = render_theme_page(index, theme.name, mine)
        nav.append({nav_title(theme.name): path})
    by_report = functools.cache(lambda: _by_report(covs))  # only when some report's table is not remembered
    # A report's table depends only on the report and the data files: remembered by report.
    appendices = {
        r.id: (memo.get("coverage-table", memo.report_key(r),
                        lambda r=r: render_coverage_appendix(index, r.id, covs, theme_ids, by_report())),)
        for r in index.reports
    }
    pages[SPEC_PATH] = spec_json(build_spec(index, requirements, taxonomy, extra_forms, covs))
    return pages, appendices, {NAV_KEY: nav}


def _render(ctx: Context) -> Rendered:
    """requirements/ pages, coverage tables on report pages, data/checker.json."""
    index, taxonomy = ctx.index, ctx.taxonomy
    requirements = load_requirements(ctx.data / "requirements.yml", taxonomy)
    forms = tuple(form for f in index.formulas for form in f.forms)
    pages, appendices, nav = render_requirements(index, requirements, taxonomy, forms, ctx.memo)
    return Rendered(pages, nav, appendices)


def _early(ctx: Context) -> list[Batch]:
    return [coverage_batch(ctx.index, load_requirements(ctx.data / "requirements.yml", ctx.taxonomy), ctx.memo)]


FAMILY = PageFamily("requirements", ("requirements", SPEC_PATH.split("/", 1)[0]), _render, _early)
