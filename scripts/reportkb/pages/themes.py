"""Theme and role pages: 这一部分通常怎么写, with exemplar sections.

Statistics (coverage, heading forms, openings, phrases, length) count each
near-duplicate report once (``Index.distinct_reports``); the exemplar lists
include near-duplicates, marked, after the others.

Exemplar order on a theme page (the documented score): sections of
near-duplicate reports last; before them, sections whose *first* theme is
this theme; within each group, by the theme's classifier score (annotate.py),
highest first; ties in report and document order.

Lists are bounded so that a page does not grow with the corpus: a theme page
shows the first ``MAX_EXEMPLARS`` exemplars in that order, a role page one
section per report first (``spread``), and the 覆盖情况 table the
``MAX_COVERAGE_ROWS`` reports with most sections. Each cut list says so, with
the total; statistics always count every section.
"""

from __future__ import annotations

from collections import Counter

from reportkb.analysis.link import Index
from reportkb.analysis.writing import is_paired
from reportkb.config import Facet
from reportkb.pages.decorate import ROLES_DIR, THEMES_DIR, role_page, theme_page
from reportkb.pages.family import Context, PageFamily, Rendered
from reportkb.pages.reports import report_link_from
from reportkb.pages.safe import front_matter, nav_title
from reportkb.pages.sections import Entry, entries
from reportkb.text.markup import GENERATED_MARK, link, md_inline, table

PHRASE_TOP = 15
PHRASE_MIN_REPORTS = 2
PHRASE_LIFT = 1.5

MAX_EXEMPLARS = 80
"""Sections listed under 范例 on a theme or role page. The sample corpus's
longest list has 71 (roles/practice), all shown; at 1,000 reports a list has
thousands of sections and the page several megabytes."""
MAX_COVERAGE_ROWS = 50
"""Reports listed in a 覆盖情况 table (the sample corpus needs at most 6); a
large corpus would list every report there."""
EXEMPLARS_HEADING = "## 范例"
"""One heading (and so one anchor, #范例) whether or not the list is cut."""
TAGS_HEADING = "按标签浏览报告"
"""The h2 above Material's tag listing on themes/index.md. Links go to this
heading: the listing's own #tag:… anchors are added after MkDocs checks links."""


def section_link(page_dir: str, e: Entry) -> str:
    s = e.report.sections[e.section]
    return link(f"{e.heading}", report_link_from(page_dir, e.report, s.anchor))


def _dup_note(index: Index, e: Entry) -> str:
    first = index.similarity.duplicates.get(e.report.id)
    return f"（与《{md_inline(index.by_id(first).title)}》近似重复，不计入统计）" if first else ""


def _stats_entries(index: Index, chosen: list[Entry]) -> list[Entry]:
    return [e for e in chosen if e.report.id not in index.similarity.duplicates]


Overall = tuple[Counter, int]
"""Word → number of sections containing it, over all distinct sections; and their number."""


def overall_words(index: Index, all_entries: list[Entry]) -> Overall:
    stats = _stats_entries(index, all_entries)
    counts: Counter[str] = Counter()
    for e in stats:
        counts.update(e.words())
    return counts, len(stats)


def _phrases(chosen: list[Entry], overall_counts: Overall) -> list[tuple[str, int, float]]:
    """Words typical of these sections: in ≥2 reports, ≥ PHRASE_LIFT × as common as in all sections.

    Returns (word, sections containing it, lift), most reports first.
    """
    overall, total = overall_counts
    if not chosen or not total:
        return []
    here: Counter[str] = Counter()
    reports: dict[str, set[str]] = {}
    for e in chosen:
        for w in e.words():
            here[w] += 1
            reports.setdefault(w, set()).add(e.report.id)
    rows = []
    for w, n in here.items():
        lift = (n / len(chosen)) / (overall[w] / total)
        if len(reports[w]) >= PHRASE_MIN_REPORTS and lift >= PHRASE_LIFT:
            rows.append((w, n, round(lift, 1), len(reports[w])))
    rows.sort(key=lambda r: (-r[3], -r[1], -r[2], r[0]))
    return [(w, n, lift) for w, n, lift, _ in rows[:PHRASE_TOP]]


def _lengths(chosen: list[Entry]) -> str:
    values = sorted(e.length() for e in chosen)
    if not values:
        return "—"
    return f"最短 {values[0]} 字，中位 {values[len(values) // 2]} 字，最长 {values[-1]} 字"


def how_written(index: Index, page_dir: str, chosen: list[Entry], label: str, overall: Overall, rest: str = "") -> list[str]:
    """Coverage, heading forms, openings, phrases and length of a set of sections.

    ``rest`` tells where to find the reports a cut 覆盖情况 table leaves out.
    """
    stats = _stats_entries(index, chosen)
    out: list[str] = []
    covered = sorted({e.report.id for e in stats})
    total = len(index.distinct_reports())
    out += ["## 覆盖情况", ""]
    out.append(f"{total} 篇报告（近似重复只计一次）中有 **{len(covered)}** 篇写到{label}，共 **{len(stats)}** 节。")
    out.append("")
    by_report: dict[str, list[Entry]] = {}
    for e in stats:
        by_report.setdefault(e.report.id, []).append(e)
    listed = covered
    if len(covered) > MAX_COVERAGE_ROWS:
        most = set(sorted(covered, key=lambda rid: -len(by_report[rid]))[:MAX_COVERAGE_ROWS])  # stable: ties in report order
        listed = [rid for rid in covered if rid in most]
        out.append(f"下表列出其中写到{label}节数最多的 {len(listed)} 篇（共 {len(covered)} 篇；节数相同的按报告顺序），"
                   f"按报告顺序排列。{rest}")
        out.append("")
    rows = []
    for rid in listed:
        r = index.by_id(rid)
        secs = by_report[rid]
        where = "、".join(section_link(page_dir, e) for e in secs[:6]) + ("…" if len(secs) > 6 else "")
        rows.append([link(r.title, report_link_from(page_dir, r)), str(len(secs)), where])
    if rows:
        out += [table(["报告", "节数", "位置"], rows), ""]
    out += ["## 常见标题写法", ""]
    paired = [e for e in stats if is_paired(e.report.sections[e.section].heading)]
    out.append(f"对仗式标题（两个分句、字数相当，如“强化组织领导，落实责任担当”）：**{len(paired)}/{len(stats)}** 节。")
    out.append("")
    verbs = Counter(e.lead for e in stats)
    verbs.pop("", None)
    if verbs:
        vrows = []
        for verb, n in sorted(verbs.items(), key=lambda kv: (-kv[1], kv[0])):
            example = next(e for e in stats if e.lead == verb)
            vrows.append([md_inline(verb), str(n), section_link(page_dir, example)])
        out += ["标题领起动词：", "", table(["动词", "节数", "示例"], vrows), ""]
    openings = [(e, e.opening) for e in stats]
    openings = [(e, o) for e, o in openings if o]
    if openings:
        out += ["## 典型开头句", ""]
        for e, o in sorted(openings, key=lambda eo: (len(eo[1]), eo[0].report.id, eo[0].section))[:8]:
            out.append(f"- {md_inline(o)} —— {section_link(page_dir, e)}")
        out.append("")
    phrases = _phrases(stats, overall)
    if phrases:
        out += ["## 高频词语", "", f"至少两篇报告的这类章节都用到、且比在全部章节中常见 {PHRASE_LIFT:g} 倍以上的词语"
                "（按报告数、节数排序；“倍数”= 在这类章节中的比例 ÷ 在全部章节中的比例）：", ""]
        out += [table(["词语", "节数", "倍数"], [[md_inline(w), str(n), f"{lift:g}"] for w, n, lift in phrases]), ""]
    out += ["## 篇幅", "", f"每节（含下级标题）{_lengths(stats)}。", ""]
    return out


def _exemplar_line(index: Index, page_dir: str, e: Entry, theme: str | None) -> str:
    facts = []
    if theme:
        facts.append(f"得分 {e.score(theme):g}" + ("，首选主题" if e.labels.themes[0] == theme else ""))
    page = role_page(index, e.labels.role)
    facts.append(link(e.labels.role, f"../{page}") if page else md_inline(e.labels.role))
    others = [t for t in e.labels.themes if t != theme]
    if others:
        facts.append("；".join(link(t, f"../{theme_page(index, t)}") if theme_page(index, t) else md_inline(t) for t in others))
    facts.append(f"{e.length()} 字")
    opening = e.opening
    quote = f"\n\n    > {md_inline(opening[:80])}{'…' if len(opening) > 80 else ''}\n" if opening else ""
    return (
        f"1. {section_link(page_dir, e)} · 《{link(e.report.title, report_link_from(page_dir, e.report))}》"
        f"{_dup_note(index, e)} · {' · '.join(facts)}{quote}"
    )


def tag_listing(page_dir: str, name: str) -> str:
    """Where the reports tagged ``name`` are listed (every report, one line each)."""
    target = "index.md" if page_dir == THEMES_DIR else f"../{THEMES_DIR}/index.md"
    return f"{link(f'主题总览 · {TAGS_HEADING}', f'{target}#{TAGS_HEADING}')}中的“{md_inline(name)}”"


def _shown(total: int, shown: int, which: str = "") -> str:
    """The sentence that opens a 范例 list: how many sections there are and how many follow."""
    if not total:
        return "共 0 节。"
    if shown == total:
        return f"共 {total} 节，下面列出全部 {shown} 节。"
    return f"共 {total} 节，下面列出其中{which} {shown} 节。"


def render_theme(index: Index, facet: Facet, all_entries: list[Entry], overall: Overall) -> str:
    chosen = [e for e in all_entries if facet.name in e.labels.themes]
    # Copies of an earlier report come last: a capped list should show distinct examples.
    duplicates = index.similarity.duplicates
    chosen.sort(key=lambda e: (e.report.id in duplicates, e.labels.themes[0] != facet.name, -e.score(facet.name),
                               e.report.source, e.report.part, e.section))
    rest = f"写到本主题的全部报告见{tag_listing(THEMES_DIR, facet.name)}。"
    out = [front_matter(title=f"主题：{facet.name}"), GENERATED_MARK, "", f"# {md_inline(facet.name)}", ""]
    out += [md_inline(facet.description), "", "这一部分通常怎么写：下面的统计来自所有标为本主题的章节。", ""]
    out += how_written(index, THEMES_DIR, chosen, f"“{facet.name}”", overall, rest)
    shown = chosen[:MAX_EXEMPLARS]
    out += [EXEMPLARS_HEADING, ""]
    order = (f"排序：首选主题为“{md_inline(facet.name)}”的在前，再按本主题得分从高到低"
             "（得分 = 标题关键词权重×3 + 正文关键词权重×(1+log₂次数) + 下级标题平均得分，见各节“分类依据”）；"
             "近似重复的报告排在最后。")
    if len(shown) == len(chosen):
        out.append(_shown(len(chosen), len(shown)) + order)
    else:
        out.append(_shown(len(chosen), len(shown), "排在最前的") + order + f"其余章节见各报告页（每节标题下标有主题）；{rest}")
    out.append("")
    out += [_exemplar_line(index, THEMES_DIR, e, facet.name) for e in shown] or ["（暂无）"]
    out.append("")
    return "\n".join(out)


def _role_phrases(index: Index, facet: Facet, chosen: list[Entry]) -> list[str]:
    rows = []
    for term, _w in sorted(facet.keywords, key=lambda kw: kw[0]):
        hits = [e for e in chosen if term in e.own]
        if hits:
            total = sum(e.own.count(term) for e in hits)
            rows.append((term, total, len({e.report.id for e in hits}), hits[0]))
    rows.sort(key=lambda r: (-r[2], -r[1], r[0]))
    cells = [[f"…{md_inline(t)}…", str(n), str(k), section_link(ROLES_DIR, e)] for t, n, k, e in rows]
    return [table(["表述", "次数", "报告数", "示例"], cells)] if rows else []


ENUM_FORMS = (("一是…二是…", "一是", "二是"), ("第一…第二…", "第一", "第二"), ("首先…其次…", "首先", "其次"),
              ("一方面…另一方面…", "一方面", "另一方面"))


def render_role(index: Index, facet: Facet, all_entries: list[Entry], overall: Overall) -> str:
    chosen = [e for e in all_entries if e.labels.role == facet.name]
    stats = _stats_entries(index, chosen)
    out = [front_matter(title=f"写法：{facet.name}"), GENERATED_MARK, "", f"# {md_inline(facet.name)}", ""]
    out += [md_inline(facet.description), ""]
    out += ["## 常用表述", "", "本作用的关键词在这些章节自身文字中的出现情况（下级标题的文字归下级，近似重复只计一次）：", ""]
    out += _role_phrases(index, facet, stats) or ["（暂无）"]
    out.append("")
    enum_rows = []
    for name, a, b in ENUM_FORMS:
        n = sum(1 for e in stats if a in e.own and b in e.own)
        if n:
            enum_rows.append([md_inline(name), str(n)])
    if enum_rows:
        out += ["列举方式：", "", table(["句式", "节数"], enum_rows), ""]
    rest = f"写到这一部分的全部报告见{tag_listing(ROLES_DIR, facet.name)}。"
    out += how_written(index, ROLES_DIR, chosen, f"“{facet.name}”", overall, rest)
    shown = spread(index, chosen, MAX_EXEMPLARS)
    out += [EXEMPLARS_HEADING, ""]
    if len(shown) == len(chosen):
        out.append(_shown(len(chosen), len(shown)) + "按报告和原文顺序排列。")
    else:
        out.append(_shown(len(chosen), len(shown)) + "挑选方法：每篇报告先取第一节（近似重复的报告放在最后），"
                   f"按报告顺序取满 {len(shown)} 节，再按报告和原文顺序排列。其余章节见各报告页（每节标题下标有作用）；{rest}")
    out.append("")
    out += [_exemplar_line(index, ROLES_DIR, e, None) for e in shown] or ["（暂无）"]
    out.append("")
    return "\n".join(out)


def spread(index: Index, chosen: list[Entry], limit: int) -> list[Entry]:
    """Up to ``limit`` of ``chosen`` (in report and document order), one per report first.

    Each report's first section comes before any report's second, near-duplicate
    reports after the others; the result keeps the order of ``chosen``.
    """
    if len(chosen) <= limit:
        return chosen
    rank: dict[str, int] = {}
    keys = []
    for position, e in enumerate(chosen):
        nth = rank[e.report.id] = rank.get(e.report.id, -1) + 1
        keys.append((nth, e.report.id in index.similarity.duplicates, position))
    picked = {position for _, _, position in sorted(keys)[:limit]}
    return [e for position, e in enumerate(chosen) if position in picked]


def render_index_page(index: Index, kind: str, all_entries: list[Entry]) -> str:
    facets = index.taxonomy.themes if kind == THEMES_DIR else index.taxonomy.roles
    title = "主题" if kind == THEMES_DIR else "写法（按作用）"
    out = [front_matter(title=title), GENERATED_MARK, "", f"# {title}", ""]
    rows = []
    for f in facets:
        if kind == THEMES_DIR:
            chosen = [e for e in all_entries if f.name in e.labels.themes]
        else:
            chosen = [e for e in all_entries if e.labels.role == f.name]
        stats = _stats_entries(index, chosen)
        rows.append([link(f.name, f"{f.id}.md"), md_inline(f.description), str(len({e.report.id for e in stats})), str(len(chosen))])
    out += [table(["名称", "说明", "报告数", "章节数"], rows), ""]
    out.append("分类规则和关键词见 `scripts/data/taxonomy.yml`；每节的判断依据在报告页该节标题下的“分类依据”中。")
    out.append("")
    if kind == THEMES_DIR:
        # Material's tags plugin fills this listing: every report page under each of its tags.
        out += [f"## {TAGS_HEADING}", "", "<!-- material/tags -->", ""]
    return "\n".join(out)


def render_theme_pages(ctx: Context) -> Rendered:
    """Pages under themes/ and roles/, and their nav sections."""
    index = ctx.index
    if index.taxonomy is None:
        return Rendered()
    all_entries = entries(index, ctx.memo)
    overall = overall_words(index, all_entries)
    pages = {
        f"{THEMES_DIR}/index.md": render_index_page(index, THEMES_DIR, all_entries),
        f"{ROLES_DIR}/index.md": render_index_page(index, ROLES_DIR, all_entries),
    }
    nav_themes: list = [{"主题总览": f"{THEMES_DIR}/index.md"}]
    nav_roles: list = [{"写法总览": f"{ROLES_DIR}/index.md"}]
    for f in index.taxonomy.themes:
        pages[f"{THEMES_DIR}/{f.id}.md"] = render_theme(index, f, all_entries, overall)
        nav_themes.append({nav_title(f.name): f"{THEMES_DIR}/{f.id}.md"})
    for f in index.taxonomy.roles:
        pages[f"{ROLES_DIR}/{f.id}.md"] = render_role(index, f, all_entries, overall)
        nav_roles.append({nav_title(f.name): f"{ROLES_DIR}/{f.id}.md"})
    return Rendered(pages, {f"{THEMES_DIR}/": nav_themes, f"{ROLES_DIR}/": nav_roles})


FAMILY = PageFamily("themes", (THEMES_DIR, ROLES_DIR), render_theme_pages)
