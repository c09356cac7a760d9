"""The anchor of the benchmark: plain Material for MkDocs on the same reports.

What a maintainer would otherwise pick: each report's text as one Markdown
page (title, numbered headings as Markdown headings, paragraphs), Material
with its default search, nothing else.
"""

from __future__ import annotations

from pathlib import Path

from reportkb.config import Settings

MKDOCS_YML = """site_name: 报告
theme:
  name: material
  language: zh
  font: false
plugins:
  - search
"""


def _escape(text: str) -> str:
    """Text as a Markdown paragraph: no line may start a list, heading or quote."""
    return text.replace("\\", "\\\\").replace("<", "&lt;").replace("*", "\\*").replace("_", "\\_").lstrip("#>-+ ")


def make_anchor(project: Path, sources: Path) -> int:
    """Write the anchor project (mkdocs.yml, docs/) for the reports in ``sources``; returns their number."""
    from reportkb.pipeline import load_reports

    reports, _ = load_reports(Settings(sources=sources, docs=project / "docs"))
    docs = project / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    (project / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    (docs / "index.md").write_text("# 报告\n", encoding="utf-8")
    for number, report in enumerate(reports):
        lines = [f"# {_escape(report.title)}", ""]
        for block in report.blocks:
            prefix = "## " if block.kind == "heading" else ""
            lines += [prefix + _escape(block.text), ""]
        (docs / f"r{number:05d}.md").write_text("\n".join(lines), encoding="utf-8")
    return len(reports)
