"""Read report text back out of built HTML, the way a reader sees it."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

# Elements that are ours, not the report's: metadata box, annotations, permalinks.
SKIP_CLASSES = {"kb-note", "headerlink"}
VOID = {"br", "img", "hr", "meta", "link", "input", "wbr", "source", "col", "area", "base", "embed", "param", "track"}


class _ArticleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # >0 while inside the article
        self.skip = 0  # >0 while inside an element we skip
        self.stack: list[bool] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        classes = set((dict(attrs).get("class") or "").split())
        if tag == "article" or self.depth:
            self.depth += 1
        skipping = bool(classes & SKIP_CLASSES)
        self.stack.append(skipping)
        if skipping:
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in VOID or not self.stack:
            return
        if self.stack.pop():
            self.skip -= 1
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        # Whitespace with a newline is HTML formatting between elements; report
        # lines never contain a newline, so nothing of theirs is dropped here.
        if self.depth and not self.skip and not (not data.strip() and "\n" in data):
            self.parts.append(data)


def article_text(html_file: Path) -> str:
    """Concatenated visible text of the page's article, annotations excluded."""
    parser = _ArticleText()
    parser.feed(html_file.read_text(encoding="utf-8"))
    return "".join(parser.parts)


def report_html(site: Path, report_id: str) -> Path:
    return site / "reports" / report_id / "index.html"
