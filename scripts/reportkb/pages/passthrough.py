"""Finished HTML passed through Python-Markdown without being parsed again.

Generated pages are mostly HTML that generation has already escaped and
assembled (report paragraphs, tables, classification details). Python-Markdown
with ``md_in_html`` would parse every such block with html.parser twice only
to print it back unchanged. ``stash`` takes those blocks out of a page's
Markdown, leaving one placeholder paragraph each; the rest (headings, which
feed the table of contents, and ``markdown="1"`` blocks with links MkDocs must
resolve) is rendered as before, and ``unstash`` puts the blocks back into the
rendered HTML. A block is taken only when it is one balanced element with no
Markdown inside, so the page renders the same.
"""

from __future__ import annotations

import re

PLACEHOLDER = "KBPASSTHROUGH{:06d}"
PLACEHOLDER_RE = re.compile(r"<p>KBPASSTHROUGH(\d{6})</p>")
BLOCK_START_RE = re.compile(r"<(p|details|div|table|ol|ul|section|figure|aside|nav|dl|blockquote)[\s>]")


def _passes(block: str) -> bool:
    """One balanced element that Python-Markdown would print back as it is."""
    m = BLOCK_START_RE.match(block)
    if not m or "markdown=" in block or "KBPASSTHROUGH" in block:
        return False
    tag = m.group(1)
    if not block.rstrip().endswith(f"</{tag}>"):
        return False
    return len(re.findall(rf"<{tag}[\s>]", block)) == block.count(f"</{tag}>")


def stash(markdown: str) -> tuple[str, list[str]]:
    """The page's Markdown with finished HTML blocks replaced by placeholders, and those blocks.

    A block is a run of lines between blank lines that starts at the left
    margin (an indented one belongs to an admonition or a code block). Pages
    with fenced code are left alone: a fence may hold HTML as text.
    """
    if "```" in markdown or "~~~" in markdown:
        return markdown, []
    blocks: list[str] = []
    out: list[str] = []
    for part in re.split(r"(\n{2,})", markdown):
        if part and not part.startswith("\n") and _passes(part):
            out.append(PLACEHOLDER.format(len(blocks)))
            blocks.append(part)
        else:
            out.append(part)
    return "".join(out), blocks


def unstash(html: str, blocks: list[str]) -> str:
    """The rendered page with every placeholder paragraph replaced by its block."""
    if not blocks:
        return html
    return PLACEHOLDER_RE.sub(lambda m: blocks[int(m.group(1))], html)
