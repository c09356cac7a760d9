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
from collections.abc import Callable

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


MD_DIV_RE = re.compile(r'<div class="([\w -]+)" markdown="1">')
INLINE_RE = re.compile(
    r"\[(?P<label>(?:[^\[\]\\`*_<>{}&]|&#?\w+;)*)\]\((?P<url>[^()\s<>\\]+)\)(?:\{(?P<attrs>[^{}]*)\})?"
    r"|(?P<tag><[^<>\n]+>)|(?P<text>[^\[\]\\`*_{}<>&\n]+|&#?\w+;)")
ATTR_RE = re.compile(r'\s*(?:\.([\w-]+)|(\w+)="([^"&<>]*)")')


def _attrs(spec: str) -> dict[str, str] | None:
    """attr_list's ``{ .a .b key="v" }`` as attributes, or None when it holds anything else."""
    classes: list[str] = []
    attrs: dict[str, str] = {}
    pos = 0
    for m in ATTR_RE.finditer(spec):
        if m.start() != pos:
            return None
        pos = m.end()
        if m.group(1):
            classes.append(m.group(1))
        else:
            attrs[m.group(2)] = m.group(3)
    if spec[pos:].strip():
        return None
    if classes:
        attrs["class"] = " ".join(classes)
    return attrs


def inline_html(text: str, link: Callable[[str], str]) -> str | None:
    """One line of generated Markdown (links with attributes, inline HTML, plain text) as HTML, or None
    when it holds anything else (emphasis, code, escapes), which Python-Markdown then renders."""
    out: list[str] = []
    pos = 0
    for m in INLINE_RE.finditer(text):
        if m.start() != pos:
            return None
        pos = m.end()
        if m.group("url"):
            attrs = _attrs(m.group("attrs") or "")
            if attrs is None:
                return None
            attrs["href"] = link(m.group("url"))
            # Python-Markdown writes an element's attributes in name order.
            out.append("<a" + "".join(f' {k}="{v}"' for k, v in sorted(attrs.items())) + f">{m.group('label')}</a>")
        else:
            out.append(m.group(0))
    return "".join(out) if pos == len(text) else None


def stash(markdown: str, link: Callable[[str], str] | None = None) -> tuple[str, list[str]]:
    """The page's Markdown with finished HTML blocks replaced by placeholders, and those blocks.

    A block is a run of lines between blank lines that starts at the left
    margin (an indented one belongs to an admonition or a code block). Pages
    with fenced code are left alone: a fence may hold HTML as text. With
    ``link`` (a page's link resolver), a ``markdown="1"`` block holding one
    line of links and inline HTML is rendered here too, as Python-Markdown
    would: ``<div class="…">`` / ``<p>…</p>`` / ``</div>``.
    """
    if "```" in markdown or "~~~" in markdown:
        return markdown, []
    blocks: list[str] = []
    out: list[str] = []
    parts = re.split(r"(\n{2,})", markdown)
    i = 0
    while i < len(parts):
        part = parts[i]
        div = MD_DIV_RE.fullmatch(part) if link else None
        if div and i + 4 < len(parts) and parts[i + 4].rstrip("\n") == "</div>":
            inner = inline_html(parts[i + 2], link)
            if inner is not None:
                out.append(PLACEHOLDER.format(len(blocks)))
                blocks.append(f'<div class="{div.group(1)}">\n<p>{inner}</p>\n</div>')
                out.append(parts[i + 4][len("</div>"):])
                i += 5
                continue
        if part and not part.startswith("\n") and _passes(part):
            out.append(PLACEHOLDER.format(len(blocks)))
            blocks.append(part)
        else:
            out.append(part)
        i += 1
    return "".join(out), blocks


def unstash(html: str, blocks: list[str]) -> str:
    """The rendered page with every placeholder paragraph replaced by its block."""
    if not blocks:
        return html
    return PLACEHOLDER_RE.sub(lambda m: blocks[int(m.group(1))], html)
