"""Theme and role pages: 这一部分通常怎么写, with exemplar sections.

A theme page opens with its writing guides (one per role, pages/guides.py),
then lists its sections, then the statistics. Every count goes through
``sections.counted`` (the site's one definition, ``sections.DEFINITION``):
near-duplicate reports are not counted; their sections are listed, marked,
after the others.

Exemplar order on a theme page (documented in plain words on the page):
sections of near-duplicate reports last; before them, sections whose *first*
theme is this theme; within each group, by the theme's classifier score
(annotate.py), highest first; ties in report and document order.

Lists are bounded so that a page does not grow with the corpus: a theme page
shows the first ``MAX_EXEMPLARS`` exemplars in that order, a role page one
section per report first (``spread``), and the 覆盖情况 table the
``MAX_COVERAGE_ROWS`` reports with most sections. Each cut list says so, with
the total; statistics always count every section.
"""

from __future__ import annotations

from collections import Counter

from reportkb.analysis.link import Index
from reportkb.analysis.writing import first_sentence, is_paired
from reportkb.config import Facet
from reportkb.pages.decorate import ROLES_DIR, THEMES_DIR, role_page, theme_page
from reportkb.pages.family import Context, PageFamily, Rendered
from reportkb.pages.guides import GUIDES_DIR, guide_path
from reportkb.pages.reports import report_link_from
from reportkb.pages.safe import front_matter, nav_title
from reportkb.pages.sections import (
    DEFINITION_ANCHOR,
    DEFINITION_PAGE,
    PHRASE_LIFT,
    Entry,
    Overall,
    corpus_sections,
    counted,
    early_batches,
    of_role,
    of_theme,
    report_count,
    typical_words,
)
from reportkb.text.markup import GENERATED_MARK, link, md_inline, table

MAX_EXEMPLARS = 85
"""Sections listed under 范例 on a theme or role page. The sample corpus's
longest list has 81 (roles/practice, since the parser lists run-in items), all shown; at 1,000 reports a list has
thousands of sections and the page several megabytes."""
MAX_COVERAGE_ROWS = 50
"""Reports listed in a 覆盖情况 table (the sample corpus needs at most 6); a
large corpus would list every report there."""
EXEMPLARS_HEADING = "## 范例"
"""One heading (and so one anchor, #范例) whether or not the list is cut."""
TAGS_HEADING = "按标签浏览报告"
"""The h2 above Material's tag listing on themes/index.md. Links go to this
heading: the listing's own #tag:… anchors are added after MkDocs checks links."""
EXCERPT = 80


def definition_link(page_dir: str) -> str:
    return link("统计口径", f"../{DEFINITION_PAGE}#{DEFINITION_ANCHOR}")


def section_link(page_dir: str, e: Entry) -> str:
    s = e.report.sections[e.section]
    return link(f"{e.heading}", report_link_from(page_dir, e.report, s.anchor))


def _dup_note(index: Index, e: Entry) -> str:
    first = index.similarity.duplicates.get(e.report.id)
    return f"（与《{md_inline(index.by_id(first).title)}》近似重复，不计入统计）" if first else ""


def _lengths(chosen: list[Entry]) -> str:
    values = sorted(e.length() for e in chosen)
    if not values:
        return "—"
    return f"最短 {values[0]} 字，中位 {values[len(values) // 2]} 字，最长 {values[-1]} 字"


def how_written(index: Index, page_dir: str, chosen: list[Entry], label: str, overall: Overall, rest: str = "") -> list[str]:
    """Coverage, heading forms, openings, phrases and length of a set of sections.

    ``rest`` tells where to find the reports a cut 覆盖情况 table leaves out.
    """
    stats = counted(index, chosen)
    out: list[str] = []
    covered = sorted({e.report.id for e in stats})
    total = len(index.distinct_reports())
    out += ["## 覆盖情况", ""]
    out.append(f"{total} 篇报告（近似重复只计一次）中有 **{len(covered)}** 篇写到{label}，共 **{len(stats)}** 节"
               f"（{definition_link(page_dir)}）。")
    out.append("")
    if not stats:
        return out
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
            role = f"（{md_inline(e.labels.role)}）" if page_dir == THEMES_DIR else ""
            out.append(f"- {role}{md_inline(o)} —— {section_link(page_dir, e)}")
        out.append("")
    phrases = typical_words(stats, overall)
    if phrases:
        out += ["## 高频词语", "", f"至少两篇报告的这类章节都用到、而且比在其他章节中常见得多（{PHRASE_LIFT:g} 倍以上）的词语，"
                "用到的报告多的在前：", ""]
        out += [table(["词语", "用到的节数"], [[md_inline(w), str(n)] for w, n, _lift in phrases]), ""]
    out += ["## 篇幅", "", f"每节连同其下级标题的文字，{_lengths(stats)}。", ""]
    return out


def excerpt(e: Entry) -> str:
    """The opening sentence, or the first sentence below the heading, or the subheadings: never empty for a section with text."""
    text = e.opening
    if not text and not e.passage:
        kids = [s for s in e.report.sections if s.parent == e.section]
        if kids:
            return "下设：" + "；".join(f"{s.mark}{s.heading}" for s in kids[:4]) + ("…" if len(kids) > 4 else "")
        text = first_sentence(e.text()[len(e.report.sections[e.section].mark + e.report.sections[e.section].heading):])
    return text[:EXCERPT] + ("…" if len(text) > EXCERPT else "")


def _exemplar_line(index: Index, page_dir: str, e: Entry, theme: str | None) -> str:
    facts = []
    page = role_page(index, e.labels.role)
    facts.append(link(e.labels.role, f"../{page}") if page else md_inline(e.labels.role))
    others = [t for t in e.labels.themes if t != theme]
    if others:
        facts.append("；".join(link(t, f"../{theme_page(index, t)}") if theme_page(index, t) else md_inline(t) for t in others))
    facts.append(f"{e.length()} 字")
    shown = excerpt(e)
    quote = f"\n\n    > {md_inline(shown)}\n" if shown else ""
    where = "（其中分析原因、提出措施的段落）" if e.passage else ""
    return (
        f"1. {section_link(page_dir, e)}{where} · 《{link(e.report.title, report_link_from(page_dir, e.report))}》"
        f"{_dup_note(index, e)} · {' · '.join(facts)}{quote}"
    )


def tag_listing(page_dir: str, name: str) -> str:
    """Where the reports tagged ``name`` are listed (every report, one line each)."""
    target = "index.md" if page_dir == THEMES_DIR else f"../{THEMES_DIR}/index.md"
    return f"{link(f'主题总览 · {TAGS_HEADING}', f'{target}#{TAGS_HEADING}')}中的“{md_inline(name)}”"


def _shown(index: Index, chosen: list[Entry], shown: int, which: str = "") -> str:
    """The sentence that opens a 范例 list: how many sections count, how many copies follow, how many are listed."""
    total = len(counted(index, chosen))
    copies = len(chosen) - total
    extra = f"另有近似重复报告中的 {copies} 节（不计入），排在最后" if copies else ""
    if not chosen:
        return "共 0 节。"
    if shown == len(chosen):
        return f"共 {total} 节，下面列出全部 {total} 节" + (f"；{extra}" if extra else "") + "。"
    return f"共 {total} 节" + (f"（{extra}）" if extra else "") + f"，下面列出其中{which} {shown} 节。"


def _guide_links(index: Index, page_dir: str, pairs: list[tuple[Facet, Facet]], label, mine: list[Entry]) -> list[str]:
    """The table that opens a theme (role) page: one writing guide per role (theme), with its number of sections."""
    rows = []
    for theme, role in pairs:
        n = len(of_role(of_theme(mine, theme.name), role.name))
        rows.append([link(label(theme, role), f"../{guide_path(theme, role)}"), f"{n} 节"])
    return ["## 按写法看范例" if page_dir == THEMES_DIR else "## 按主题看范例", "",
            "每份写作指南给出这一类章节通常写什么、常见标题、开头句和几篇完整范例：", "",
            table(["写作指南", "节数"], rows), ""]


def render_theme(index: Index, facet: Facet, all_entries: list[Entry], overall: Overall) -> str:
    chosen = [e for e in all_entries if facet.name in e.labels.themes]
    # Copies of an earlier report come last: a capped list should show distinct examples.
    duplicates = index.similarity.duplicates
    chosen.sort(key=lambda e: (e.report.id in duplicates, e.labels.themes[0] != facet.name, -e.score(facet.name),
                               e.report.source, e.report.part, e.section))
    rest = f"写到本主题的全部报告见{tag_listing(THEMES_DIR, facet.name)}。"
    out = [front_matter(title=f"主题：{facet.name}"), GENERATED_MARK, "", f"# {md_inline(facet.name)}", ""]
    out += [md_inline(facet.description), ""]
    pairs = [(facet, role) for role in index.taxonomy.roles]
    out += _guide_links(index, THEMES_DIR, pairs, lambda t, r: f"{t.name} · {r.name}", counted(index, all_entries))
    shown = chosen[:MAX_EXEMPLARS]
    out += [EXEMPLARS_HEADING, ""]
    order = "主要写本主题的章节在前，其余按与本主题关系的密切程度排列。"
    if len(shown) == len(chosen):
        out.append(_shown(index, chosen, len(shown)) + order)
    else:
        out.append(_shown(index, chosen, len(shown), "排在最前的") + order + f"其余章节见各报告页；{rest}")
    out.append("")
    out += _grouped(index, facet, shown) or ["（暂无）"]
    out.append("")
    out += ["统计：下面的数字来自所有标为本主题的章节。", ""]
    out += how_written(index, THEMES_DIR, chosen, f"“{facet.name}”", overall, rest)
    return "\n".join(out)


def _grouped(index: Index, facet: Facet, shown: list[Entry]) -> list[str]:
    """The listed sections by role (in taxonomy order; the list's order within), each group collapsed: pick one part to read."""
    out: list[str] = []
    for role in index.taxonomy.roles:
        group = [e for e in shown if e.labels.role == role.name]
        if group:
            out += [f'<details class="kb-group" markdown="1"><summary>{md_inline(role.name)}（{len(group)} 节）</summary>', ""]
            out += [_exemplar_line(index, THEMES_DIR, e, facet.name) for e in group]
            out += ["", "</details>", ""]
    rest = [e for e in shown if e.labels.role not in index.taxonomy.role_names()]
    return out + [_exemplar_line(index, THEMES_DIR, e, facet.name) for e in rest]


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
    stats = counted(index, chosen)
    out = [front_matter(title=f"写法：{facet.name}"), GENERATED_MARK, "", f"# {md_inline(facet.name)}", ""]
    out += [md_inline(facet.description), ""]
    pairs = [(theme, facet) for theme in index.taxonomy.themes]
    out += _guide_links(index, ROLES_DIR, pairs, lambda t, r: f"{t.name} · {r.name}", counted(index, all_entries))
    rest = f"写到这一部分的全部报告见{tag_listing(ROLES_DIR, facet.name)}。"
    shown = spread(index, chosen, MAX_EXEMPLARS)
    out += [EXEMPLARS_HEADING, ""]
    if len(shown) == len(chosen):
        out.append(_shown(index, chosen, len(shown)) + "按报告和原文顺序排列。")
    else:
        out.append(_shown(index, chosen, len(shown)) + "挑选方法：每篇报告先取第一节（近似重复的报告放在最后），"
                   f"按报告顺序取满 {len(shown)} 节，再按报告和原文顺序排列。其余章节见各报告页；{rest}")
    out.append("")
    out += [_exemplar_line(index, ROLES_DIR, e, None) for e in shown] or ["（暂无）"]
    out.append("")
    out += ["## 常用表述", "", "这一部分的常用说法在这些章节自身文字中出现的次数（下级标题的文字算在下级，近似重复的报告不计）：", ""]
    out += _role_phrases(index, facet, stats) or ["暂无。"]
    out.append("")
    enum_rows = []
    for name, a, b in ENUM_FORMS:
        n = sum(1 for e in stats if a in e.own and b in e.own)
        if n:
            enum_rows.append([md_inline(name), str(n)])
    if enum_rows:
        out += ["列举方式：", "", table(["句式", "节数"], enum_rows), ""]
    out += how_written(index, ROLES_DIR, chosen, f"“{facet.name}”", overall, rest)
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
    mine = counted(index, all_entries)
    out += [f"按主题和写法挑范例，最快的是{link('写作指南', f'../{GUIDES_DIR}/index.md')}。", ""]
    rows = []
    for f in facets:
        stats = of_theme(mine, f.name) if kind == THEMES_DIR else of_role(mine, f.name)
        rows.append([link(f.name, f"{f.id}.md"), md_inline(f.description), str(report_count(stats)), str(len(stats))])
    out += [table(["名称", "说明", "报告数", "章节数"], rows), ""]
    out.append(f"报告数、章节数按{definition_link(kind)}统计。每节属于哪些主题，可在报告页打开“显示标注”查看。")
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
    all_entries, overall = corpus_sections(index, ctx.memo)
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


FAMILY = PageFamily("themes", (THEMES_DIR, ROLES_DIR), render_theme_pages, early_batches)
