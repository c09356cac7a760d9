"""Annotations on a report page: tags, badges, 分类依据, marks, 写法 and similarity.

Everything added here that carries words of its own is wrapped in an element
with the ``kb-note`` class and sits behind the page's one 显示标注 switch
(reports.NOTES_TOGGLE, docs/assets/kb.js; hidden until a reader turns it on); report characters are only ever wrapped (marks),
never changed. Links are Markdown (inside ``markdown="1"`` blocks) so that
``mkdocs build --strict`` checks them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from reportkb.analysis.link import Index
from reportkb.analysis.marks import DATA, FORMULA, find_marks, render_marked
from reportkb.analysis.parts import Passage, inner_passages
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
    """网评员（标题中 1 次）、… for one theme."""
    parts = []
    for name, evidence in labels.evidence:
        if name != theme:
            continue
        for e in evidence:
            if e.where == "children":
                parts.append(f"{e.count} 个下级标题")
            else:
                parts.append(f"{e.term}（{WHERE[e.where]}中 {e.count} 次）")
    return "、".join(parts)


@dataclass(frozen=True)
class ReportDecor:
    """What render.py asks for while it writes one report page."""

    index: Index
    report: Report

    @property
    def _labels(self) -> tuple[SectionLabels, ...]:
        return self.index.annotations[self.report.id].sections

    @cached_property
    def _roles(self) -> tuple[str, ...]:
        return tuple(lab.role for lab in self._labels)

    @cached_property
    def _passages(self) -> tuple[Passage, ...]:
        return inner_passages(self.report, self._roles, self.index.taxonomy) if self.index.taxonomy and self._roles else ()

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
        role = self._roles[section]
        page = role_page(self.index, role)
        if page:
            badges.append(f"[{md_inline(role)}](../{page}){{ .kb-badge .kb-role title=\"写法：{html_attr(role)}\" }}")
        for p in self._passages:
            page = role_page(self.index, p.role)
            if p.section == section and page:
                opening = p.text[:10] + ("…" if len(p.text) > 10 else "")
                badges.append(f"[{md_inline(p.role)}：“{md_inline(opening)}”](../{page}){{ .kb-badge .kb-role }}")
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
        out.append(self._why(labels, role))
        return "\n\n".join(out)

    def _why(self, labels: SectionLabels, role: str) -> str:
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
        head = "<tr><th>入选</th><th>主题</th><th>分数</th><th>依据的词语</th></tr>"
        return (
            f'<details class="kb-why kb-note"><summary>分类依据</summary>'
            f"<table>{head}{''.join(rows)}</table>"
            "<p>标题中的词比正文中的词分量重；同一个词在正文中多次出现，分量逐次减小；下级标题的主题也算入上级。"
            f"写法：{html_text(role)}（由所在部分的标题决定）。</p></details>"
        )
