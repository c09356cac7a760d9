"""Writing guides: one page per theme × role (网络阵地 · 存在问题 …) and the matrix linking them.

A guide answers "how is this part usually written?" in the order a writer
needs it: what such sections cover, their headings, their opening sentences,
a few whole exemplars to copy from, a typical length; statistics last.

Exemplars (``pick_exemplars``) are whole sections (or whole passages, for
causes and measures inside a problems part) of reports that are not
near-duplicates. Preferred: sections whose first theme is the guide's theme,
that end on a full stop, of a length near the cell's median, one per report
first; a section that contains, or is contained in, or shares most of its
words with one already picked is skipped.
"""

from __future__ import annotations

import math
from collections import Counter
from itertools import chain

from reportkb.analysis.link import Index
from reportkb.analysis.writing import is_paired
from reportkb.config import Facet
from reportkb.pages.family import Context, PageFamily, Rendered
from reportkb.pages.reports import report_link_from
from reportkb.pages.safe import front_matter, nav_title
from reportkb.pages.sections import (
    DEFINITION,
    DEFINITION_ANCHOR,
    DEFINITION_PAGE,
    Entry,
    corpus_sections,
    counted,
    of_role,
    of_theme,
    report_count,
    typical_words,
)
from reportkb.text.fold import fold
from reportkb.text.markup import GENERATED_MARK, html_attr, html_text, link, md_inline, table

GUIDES_DIR = DEFINITION_PAGE.split("/", 1)[0]
INDEX_PAGE = DEFINITION_PAGE
MAX_EXEMPLARS = 5
MAX_HEADINGS = 8
MAX_OPENINGS = 5
MAX_COVER_WORDS = 8
LONG_EXEMPLAR = 1500
"""Characters beyond which a section is picked only when no shorter one is left."""
MAX_TRIES = 60
"""Candidates looked at for one guide's exemplars: a bound on a large corpus, never reached by the sample."""
MAX_LISTED = 80
"""Sections listed under 全部 on a guide (the sample's largest cell has 19)."""
NEAR_SAME = 0.5
"""Share of common character pairs above which two exemplars count as near the same."""
HOW_CHOSEN = (
    "范例的挑法：只从非近似重复的报告中挑选完整的章节，以本主题为主、以句号结尾、篇幅接近这一类多数章节的优先，"
    "每篇报告先取一节，互相包含或内容相近的只取一节。"
)


def guide_path(theme: Facet, role: Facet) -> str:
    return f"{GUIDES_DIR}/{theme.id}-{role.id}.md"


def _pairs(text: str) -> set[str]:
    folded = fold(text)
    return {folded[i : i + 2] for i in range(len(folded) - 1)}


def _near_same(a: Entry, b: Entry, pa: set[str], pb: set[str]) -> bool:
    """Whether ``a`` and ``b`` (with their ``_pairs``) contain each other or are mostly the same text."""
    if a.report.id == b.report.id and not (a.passage or b.passage):
        owned_a, owned_b = a.report.subtree(a.section), b.report.subtree(b.section)
        if a.section in owned_b or b.section in owned_a:
            return True
    return bool(pa and pb) and len(pa & pb) / min(len(pa), len(pb)) >= NEAR_SAME


def _complete(e: Entry) -> bool:
    text = e.text().rstrip()
    return len(text) >= 20 and text[-1:] in "。！？!?；;”）)"


def pick_exemplars(theme: str, cell: list[Entry], limit: int = MAX_EXEMPLARS) -> list[Entry]:
    """Up to ``limit`` distinct, complete, representative entries of a cell (see the module docstring)."""
    if not cell:
        return []
    lengths = sorted(e.length() for e in cell)
    median = max(lengths[len(lengths) // 2], 1)
    # The preference is (not complete, too long, picked from the report before, not of the theme first,
    # distance to the median, cell order). Only the third part changes as entries are picked, so the
    # others are computed once and the candidates kept sorted by them.
    left = sorted(
        ((not _complete(e), e.length() > LONG_EXEMPLAR),
         (e.labels.themes[0] != theme, abs(math.log(max(e.length(), 1) / median)), i), e)
        for i, e in enumerate(cell)
    )
    orders = {id(e): i for i, e in enumerate(cell)}
    picked: list[tuple[int, Entry]] = []
    pairs: list[set[str]] = []
    used: Counter[str] = Counter()
    tries = 0
    while left and len(picked) < limit and tries < MAX_TRIES:
        tries += 1
        e = left[_best(left, used)][2]
        order = orders[id(e)]
        left.pop(_first_equal(left, e))
        e_pairs = _pairs(e.text())
        if any(_near_same(e, p, e_pairs, q) for (_, p), q in zip(picked, pairs, strict=True)):
            continue
        picked.append((order, e))
        pairs.append(e_pairs)
        used[e.report.id] += 1
    return [e for _, e in sorted(picked, key=lambda oe: oe[0])]


def _first_equal(left: list, e: Entry) -> int:
    """Position in ``left`` of the candidate removed when ``e`` is picked: the first equal to it in cell order.

    Two passages of one role in one section are equal entries (``Entry.passage`` is not
    compared), and the first of them goes, as ``list.remove`` on the cell would.
    """
    if not e.passage:
        return next(position for position, (_, _, x) in enumerate(left) if x is e)
    return min((rest[2], position) for position, (_, rest, x) in enumerate(left) if x == e)[1]


def _best(left: list, used: Counter[str]) -> int:
    """Position in ``left`` (sorted by the fixed parts of the preference) of the most preferred candidate.

    That is the candidate of the first group of equal leading parts whose report was picked
    least often, the first such in order; an unpicked report cannot be beaten.
    """
    group = left[0][0]
    best, fewest = 0, None
    for position, (lead, _, e) in enumerate(left):
        if lead != group:
            break
        n = used[e.report.id]
        if fewest is None or n < fewest:
            best, fewest = position, n
            if n == 0:
                break
    return best


def entry_link(page_dir: str, e: Entry, with_title: bool = True) -> str:
    s = e.report.sections[e.section]
    label = (f"《{e.report.title}》 · " if with_title else "") + e.heading
    return link(label, report_link_from(page_dir, e.report, s.anchor))


def exemplar_html(e: Entry, number: int) -> str:
    """The whole text of an entry in one raw HTML block (no blank line: Markdown leaves it alone), with a copy button."""
    if e.passage:
        lines = [f"<p>{html_text(e.passage.text)}</p>"]
    else:
        lines = []
        for b in e.report.section_blocks(e.section):
            css = ' class="kb-ex-h"' if b.kind == "heading" else ""
            lines.append(f"<p{css}>{html_text(b.text)}</p>")
    return (
        f'<div class="kb-exemplar" id="kb-ex-{number}">'
        f'<div class="kb-exemplar-bar kb-note"><button class="kb-copy md-button" type="button" '
        f'data-copy="kb-ex-{number}-text" title="{html_attr("复制这段范例的全文")}">复制全文</button></div>'
        f'<div class="kb-exemplar-text" id="kb-ex-{number}-text">{"".join(lines)}</div></div>'
    )


def _covers(theme: Facet, role: Facet, cell: list[Entry]) -> list[str]:
    """Plain sentences: which theme and role words the cell's sections use, by number of sections."""
    out = []
    found = Counter(chain.from_iterable(e.facts.terms for e in cell))  # sections whose text holds each keyword
    for facet, what in ((theme, "常写到"), (role, "常用说法")):
        counts = Counter()
        for term, _w in facet.keywords:
            if found[term]:
                counts[term] += found[term]
        top = sorted(counts.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[:MAX_COVER_WORDS]
        if top:
            out.append(f"{what}：" + "、".join(f"“{md_inline(t)}”（{n} 节）" for t, n in top) + "。")
    return out


def _length_sentence(cell: list[Entry]) -> str:
    values = sorted(e.length() for e in cell)
    if not values:
        return "暂无。"
    q1, mid, q3 = values[len(values) // 4], values[len(values) // 2], values[(3 * len(values)) // 4]
    if len(values) < 4:
        return f"这一类的 {len(values)} 节分别有 {'、'.join(str(v) for v in values)} 字，可按 {mid} 字左右安排。"
    return (f"这一类章节一般写 {q1}–{q3} 字（一半的章节在这个范围内），中位数 {mid} 字；"
            f"最短 {values[0]} 字，最长 {values[-1]} 字。")


def render_guide(index: Index, theme: Facet, role: Facet, cell: list[Entry], overall_words) -> str:
    title = f"{theme.name} · {role.name}"
    out = [front_matter(title=f"写作指南：{title}"), GENERATED_MARK, "", f"# {md_inline(title)}", ""]
    out += [f"写报告中“{md_inline(role.name)}”部分里{md_inline(theme.name)}方面的内容时，可参考本页："
            "先看通常写什么和范例，统计放在最后。", ""]
    out += [f"- **{md_inline(theme.name)}**：{md_inline(theme.description)}",
            f"- **{md_inline(role.name)}**：{md_inline(role.description)}", ""]
    total = len(index.distinct_reports())
    definition = link("统计口径", f"index.md#{DEFINITION_ANCHOR}")
    out += ["## 通常写什么", ""]
    if not cell:
        out += [f"{total} 篇报告中还没有这一类章节（{definition}）。可参考同一主题的其他写法和同一写法的其他主题：", ""]
        out += [f"- {link(f'主题：{theme.name}', f'../themes/{theme.id}.md')}",
                f"- {link(f'写法：{role.name}', f'../roles/{role.id}.md')}", ""]
        return "\n".join(out)
    out += [f"{total} 篇报告中有 {report_count(cell)} 篇写到，共 {len(cell)} 节（{definition}）。", ""]
    out += _covers(theme, role, cell) + [""]
    headed = [e for e in cell if not e.passage]
    out += ["## 常见标题写法", ""]
    if headed:
        paired = sum(1 for e in headed if is_paired(e.report.sections[e.section].heading))
        leads = Counter(e.lead for e in headed if e.lead)
        sentence = (f"{len(headed)} 个标题中有 {paired} 个是前后两个分句、字数相当的对仗式" if paired
                    else f"这 {len(headed)} 个标题都没有写成对仗式（前后两个分句、字数相当）")
        if leads:
            common = sorted(leads.items(), key=lambda kv: (-kv[1], kv[0]))[:4]
            sentence += "，常用" + "、".join(f"“{md_inline(v)}”" for v, _ in common) + "开头"
        out += [sentence + "。", ""]
        seen = set()
        for e in headed:
            key = fold(e.report.sections[e.section].heading)
            if key in seen or len(seen) >= MAX_HEADINGS:
                continue
            seen.add(key)
            out.append(f"- {entry_link(GUIDES_DIR, e, with_title=False)}（《{md_inline(e.report.title)}》）")
        out.append("")
    if len(headed) < len(cell):
        out += [f"另有 {len(cell) - len(headed)} 节没有单独的标题，写在“存在问题”部分的段落中（见下面的范例）。", ""]
    openings, seen_reports = [], set()
    for e in sorted(cell, key=lambda e: (len(e.opening) > 80, e.report.id in seen_reports, len(e.opening))):
        if e.opening and len(e.opening) >= 8 and e.report.id not in seen_reports and len(openings) < MAX_OPENINGS:
            openings.append(e)
            seen_reports.add(e.report.id)
    if openings:
        out += ["## 典型开头句", ""]
        out += [f"- {md_inline(e.opening)}（{entry_link(GUIDES_DIR, e)}）" for e in openings] + [""]
    picked = pick_exemplars(theme.name, cell)
    out += ["## 范例", "", HOW_CHOSEN + f"共 {len(picked)} 篇，每篇都是原文全文，可直接复制。", ""]
    for number, e in enumerate(picked, 1):
        where = f"（出自该节的段落：{md_inline(role.name)}）" if e.passage else ""
        out += [f"### 范例 {number}", "", f"出自{entry_link(GUIDES_DIR, e)}{where}，{e.length()} 字。", "", exemplar_html(e, number), ""]
    out += ["## 篇幅", "", _length_sentence(cell), ""]
    out += ["## 统计", ""]
    out.append(f"- 写到这一类的报告：{total} 篇中有 {report_count(cell)} 篇。")
    words = typical_words(cell, overall_words)
    if words:
        out.append("- 这类章节比其他章节更常用的词语：" + "、".join(md_inline(w) for w, _n, _lift in words) + "。")
    listed = cell[:MAX_LISTED]
    which = f"全部 {len(cell)} 节" if len(listed) == len(cell) else f"{len(cell)} 节中按报告顺序的前 {len(listed)} 节"
    out += ["", f'<details class="kb-all" markdown="1"><summary>这一类的{which}</summary>', ""]
    out += [f"1. {entry_link(GUIDES_DIR, e)}，{e.length()} 字" for e in listed]
    out += ["", "</details>", ""]
    return "\n".join(out)


def render_matrix(index: Index, cells: dict[tuple[str, str], list[Entry]]) -> str:
    tax = index.taxonomy
    out = [front_matter(title="写作指南"), GENERATED_MARK, "", "# 写作指南", ""]
    out += ["要写报告的某一部分时，在下表中先找主题（行），再找写法（列），点开格子即可看到这一类章节的范例全文、"
            "常见标题和开头句。格中数字是这一类的节数。", ""]
    headers = ["主题"] + [md_inline(r.name) for r in tax.roles]
    rows = []
    for t in tax.themes:
        row = [link(t.name, f"../themes/{t.id}.md")]
        for r in tax.roles:
            row.append(link(f"{len(cells[(t.id, r.id)])} 节", f"{t.id}-{r.id}.md"))
        rows.append(row)
    out += [table(headers, rows), ""]
    out += [f"## 统计口径 {{ #{DEFINITION_ANCHOR} }}", "", DEFINITION, ""]
    return "\n".join(out)


def render_guides(ctx: Context) -> Rendered:
    index = ctx.index
    if index.taxonomy is None:
        return Rendered()
    all_entries, overall = corpus_sections(index, ctx.memo)
    mine = counted(index, all_entries)
    cells = {(t.id, r.id): of_role(of_theme(mine, t.name), r.name) for t in index.taxonomy.themes for r in index.taxonomy.roles}
    pages = {INDEX_PAGE: render_matrix(index, cells)}
    nav: list = [{"写作指南总览": INDEX_PAGE}]
    for t in index.taxonomy.themes:
        group = []
        for r in index.taxonomy.roles:
            path = guide_path(t, r)
            pages[path] = render_guide(index, t, r, cells[(t.id, r.id)], overall)
            group.append({nav_title(f"{t.name} · {r.name}"): path})
        nav.append({nav_title(t.name): group})
    return Rendered(pages, {f"{GUIDES_DIR}/": nav})


FAMILY = PageFamily("guides", (GUIDES_DIR,), render_guides)
