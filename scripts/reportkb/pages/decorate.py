"""Annotations on a report page: tags, badges, 分类依据, marks, 写法 and similarity.

Everything added here that carries words of its own is wrapped in an element
with the ``kb-note`` class; report characters are only ever wrapped (marks),
never changed. Links are Markdown (inside ``markdown="1"`` blocks) so that
``mkdocs build --strict`` checks them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reportkb.analysis.link import Index
from reportkb.analysis.marks import DATA, FORMULA, find_marks, render_marked
from reportkb.analysis.writing import shape, writing_note
from reportkb.model import Report, SectionLabels
from reportkb.text.markup import html_attr, html_text, link, md_inline

THEMES_DIR = "themes"
ROLES_DIR = "roles"
FORMULAS_PAGE = "formulas/index.md"
OVERVIEW_PAGE = "overview/index.md"
WHERE = {"heading": "标题", "body": "正文", "children": "下级标题"}


def theme_page(index: Index, name: str) -> str | None:
    """Docs-relative page of a theme name (None for 其他)."""
    facet = next((t for t in index.taxonomy.themes if t.name == name), None) if index.taxonomy else None
    return f"{THEMES_DIR}/{facet.id}.md" if facet else None


def role_page(index: Index, name: str) -> str | None:
    facet = next((r for r in index.taxonomy.roles if r.name == name), None) if index.taxonomy else None
    return f"{ROLES_DIR}/{facet.id}.md" if facet else None


def section_body(report: Report, index: int) -> str:
    return "".join(b.text for b in report.blocks if b.section == index and b.kind != "heading")


def section_note(index: Index, report: Report, section: int) -> str:
    """写法提示 of one section, from its own heading and body."""
    body = section_body(report, section)
    data = sum(1 for m in find_marks(body, index.formulas) if m.kind == DATA)
    role = index.annotations[report.id].sections[section].role
    return writing_note(shape(report.sections[section].heading, body, data), role)


def evidence_text(labels: SectionLabels, theme: str) -> str:
    """网评员（标题×1，正文×2）、… for one theme."""
    parts = []
    for name, evidence in labels.evidence:
        if name != theme:
            continue
        for e in evidence:
            if e.where == "children":
                parts.append(f"下级标题（{e.count} 个相关，+{e.weight:g}）")
            else:
                parts.append(f"{e.term}（{WHERE[e.where]}×{e.count}，权重 {e.weight:g}）")
    return "、".join(parts)


@dataclass(frozen=True)
class ReportDecor:
    """What render.py asks for while it writes one report page."""

    index: Index
    report: Report

    @property
    def _labels(self) -> tuple[SectionLabels, ...]:
        return self.index.annotations[self.report.id].sections

    def _meanings(self) -> dict[str, tuple[str, str]]:
        return {f.id: (f.name, f.meaning) for f in self.index.formulas}

    def text(self, text: str, escape: Callable[[str], str]) -> str:
        """Report text with formulas, placeholders and data points marked."""
        return render_marked(text, find_marks(text, self.index.formulas), escape, self._meanings())

    def tags(self) -> list[str]:
        """Page tags: themes and roles of the sections, in taxonomy order."""
        if not self.index.taxonomy or not self._labels:
            return []
        used = {t for lab in self._labels for t in lab.themes} | {lab.role for lab in self._labels}
        order = list(self.index.taxonomy.theme_names()) + list(self.index.taxonomy.role_names())
        return [name for name in order if name in used]

    def banner(self) -> str:
        """Formulas used and near-duplicate notice, under the metadata box."""
        used = {m.key for block in self.report.blocks for m in find_marks(block.text, self.index.formulas) if m.kind == FORMULA}
        parts = []
        if used:
            names = "、".join(
                f"[{md_inline(f.name)}](../{FORMULAS_PAGE}#{f.id})" for f in self.index.formulas if f.id in used
            )
            parts.append(f'<div class="kb-used kb-note" markdown="1">\n\n本篇使用的规范表述：{names}\n\n</div>')
        similar = self._similar()
        if similar:
            parts.append(similar)
        return "\n\n".join(parts)

    def _similar(self) -> str:
        similar = self.index.similarity.reports.get(self.report.id, ())
        if not similar:
            return ""
        items = []
        for other_id, score in similar:
            other = self.index.by_id(other_id)
            items.append(f"与《{link(other.title, f'{other.id}.md')}》高度相似（{round(score * 100)}%）")
        dup = self.index.similarity.duplicates.get(self.report.id)
        tail = "；本篇在统计中不重复计数。" if dup else "。"
        return f'<div class="kb-similar kb-note" markdown="1">\n\n{"；".join(items)}{tail}\n\n</div>'

    def after_heading(self, section: int) -> str:
        """Badges, 写法提示, similar sections and the collapsed 分类依据 of a section."""
        if not self._labels:
            return ""
        labels = self._labels[section]
        badges = []
        for name in labels.themes:
            page = theme_page(self.index, name)
            badges.append(
                f"[{md_inline(name)}](../{page}){{ .kb-badge .kb-theme title=\"主题：{html_attr(name)}\" }}"
                if page
                else f'<span class="kb-badge kb-theme-other">{html_text(name)}</span>'
            )
        page = role_page(self.index, labels.role)
        if page:
            badges.append(f"[{md_inline(labels.role)}](../{page}){{ .kb-badge .kb-role title=\"作用：{html_attr(labels.role)}\" }}")
        note = section_note(self.index, self.report, section)
        if note:
            badges.append(f'<span class="kb-write" title="写法提示：由本节文字自动归纳">写法：{html_text(note)}</span>')
        for other_id, other_section, score in self.index.similarity.sections.get((self.report.id, section), ()):
            other = self.index.by_id(other_id)
            anchor = other.sections[other_section].anchor
            badges.append(
                f'<span class="kb-similar-sec">与《{link(other.title, f"{other.id}.md#{anchor}")}》'
                f"高度相似（{round(score * 100)}%）</span>"
            )
        out = [f'<div class="kb-labels kb-note" markdown="1">\n\n{" ".join(badges)}\n\n</div>']
        out.append(self._why(labels))
        return "\n\n".join(out)

    def _why(self, labels: SectionLabels) -> str:
        rows = []
        score = dict(labels.scores)
        for name, _ in labels.evidence:
            kept = "✓" if name in labels.themes else ""
            rows.append(
                f"<tr><td>{kept}</td><td>{html_text(name)}</td><td>{score.get(name, 0):g}</td>"
                f"<td>{html_text(evidence_text(labels, name))}</td></tr>"
            )
        if not rows:
            rows.append('<tr><td></td><td colspan="3">没有匹配到任何主题关键词</td></tr>')
        head = "<tr><th>入选</th><th>主题</th><th>得分</th><th>匹配词（位置×次数，权重）</th></tr>"
        return (
            f'<details class="kb-why kb-note"><summary>分类依据</summary>'
            f"<table>{head}{''.join(rows)}</table>"
            f"<p>标题中的词按 {self.index.taxonomy.heading_weight:g} 倍计分；正文重复出现按 1+log₂(次数) 递减计分；"
            f"下级标题按位置加权平均后以 {self.index.taxonomy.child_weight:g} 倍计入。"
            f"作用：{html_text(labels.role)}（由所在一级标题决定）。</p></details>"
        )
