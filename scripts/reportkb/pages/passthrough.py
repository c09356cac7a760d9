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
from functools import lru_cache

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


MD_DIV_RE = re.compile(r'<div class="([\w -]+)" markdown(?:="1")?>')
TABLE_RULE_RE = re.compile(r"\|(?: :?---:? \|)+")
ALIGN = {":---": "left", "---:": "right", ":---:": "center"}
EMPHASIS_TEXT = r"(?:[^\s\[\]\\`*_{}<>&]|&#?\w+;)(?:(?:[^\[\]\\`*_{}<>&\n]|&#?\w+;)*(?:[^\s\[\]\\`*_{}<>&]|&#?\w+;))?"
"""Text between emphasis marks: no marks, links or tags inside, no space at either end."""
INLINE_RE = re.compile(
    r"\[(?P<label>(?:[^\[\]\\`*_<>{}&]|&#?\w+;)*)\]\((?P<url>[^()\s<>\\]+)\)(?:\{(?P<attrs>[^{}]*)\})?"
    rf"|\*\*(?P<strong>{EMPHASIS_TEXT})\*\*(?!\*)|(?<!\*)\*(?P<em>{EMPHASIS_TEXT})\*(?!\*)"
    r"|(?P<tag><[^<>\n]+>)|(?P<text>[^\[\]\\`*_{}<>&\n]+|&#?\w+;)")
MARKUP_RE = re.compile(r"[\[\]\\`*_{}<>&\n]")
"""A character that starts or ends something other than plain text in ``INLINE_RE``."""
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
    """One line of generated Markdown (links with attributes, ``**strong**`` and ``*em*`` around plain
    text, inline HTML, plain text) as HTML, or None when it holds anything else (code, escapes, nested
    or unbalanced emphasis), which Python-Markdown then renders."""
    if not MARKUP_RE.search(text):
        return text  # plain text (most table cells): one text token, printed as it is
    parts = _inline_parts(text)
    if parts is None:
        return None
    # Every link is resolved here, every time: its warnings come out as often as the page has it.
    return "".join(part if isinstance(part, str) else _anchor(*part, link) for part in parts)


Link = tuple[tuple[tuple[str, str], ...], str, str]
"""A link of ``_inline_parts``: its attributes but href, its URL, its label."""


@lru_cache(maxsize=1 << 16)
def _inline_parts(text: str) -> tuple[str | Link, ...] | None:
    """``inline_html`` of one line, links left unresolved; the same lines recur on every page (badges)."""
    out: list[str | Link] = []
    pos = 0
    for m in INLINE_RE.finditer(text):
        if m.start() != pos:
            return None
        pos = m.end()
        if m.group("url"):
            attrs = _attrs(m.group("attrs") or "")
            if attrs is None:
                return None
            attrs.pop("href", None)  # replaced by the resolved URL
            out.append((tuple(attrs.items()), m.group("url"), m.group("label")))
        elif m.group("strong"):
            out.append(f"<strong>{m.group('strong')}</strong>")
        elif m.group("em"):
            out.append(f"<em>{m.group('em')}</em>")
        else:
            out.append(m.group(0))
    return tuple(out) if pos == len(text) else None


def _anchor(attrs: tuple[tuple[str, str], ...], url: str, label: str, link: Callable[[str], str]) -> str:
    items = dict(attrs)
    items["href"] = link(url)
    # Python-Markdown writes an element's attributes in name order.
    return "<a" + "".join(f' {k}="{v}"' for k, v in sorted(items.items())) + f">{label}</a>"


def table_html(block: str, link: Callable[[str], str]) -> str | None:
    """A generated pipe table (``| a | b |``, rule ``| --- | :---: |``) as the tables extension writes it."""
    lines = block.rstrip("\n").split("\n")
    if len(lines) < 2 or not TABLE_RULE_RE.fullmatch(lines[1]) or "\\" in block or "`" in block:
        return None
    rule = lines[1][2:-2].split(" | ")
    width = len(rule)
    styles = [f' style="text-align: {ALIGN[r]};"' if r in ALIGN else "" for r in rule]
    rows = []
    for line in [lines[0], *lines[2:]]:
        if not (line.startswith("| ") and line.endswith(" |")):
            return None
        cells = [c.strip() for c in line[2:-2].split(" | ")]
        if len(cells) != width:
            return None
        html = [inline_html(c, link) if c else "" for c in cells]
        if any(h is None for h in html):
            return None
        rows.append(html)
    head = "".join(f"<th{st}>{c}</th>\n" for st, c in zip(styles, rows[0], strict=True))
    body = "".join("<tr>\n" + "".join(f"<td{st}>{c}</td>\n" for st, c in zip(styles, row, strict=True)) + "</tr>\n"
                   for row in rows[1:])
    return f"<table>\n<thead>\n<tr>\n{head}</tr>\n</thead>\n<tbody>\n{body}</tbody>\n</table>"


def _markdown_block_html(part: str, link: Callable[[str], str]) -> str | None:
    """A one-line paragraph, a list of one-line items or a pipe table of generated Markdown as HTML, or None."""
    if part.startswith("|"):
        return table_html(part, link)
    if LIST_ITEM_RE.match(part):
        return list_html(part, link)
    if "\n" in part.rstrip("\n"):
        return None
    inner = _line_html(part.rstrip(), link)
    return None if inner is None else f"<p>{inner}</p>"


LIST_ITEM_RE = re.compile(r"(?:(- )|\d+\. )")
"""A bullet (group 1) or numbered list item; Python-Markdown ignores the first number (lazy_ol)."""


def list_html(part: str, link: Callable[[str], str]) -> str | None:
    """A list of one-line items with no blank line between them, as Python-Markdown writes it.

    The caller makes sure no list item or indented line comes right before or
    after it (``_alone``): Python-Markdown would join those into one loose list.
    """
    lines = part.rstrip("\n").split("\n")
    bullet = bool(LIST_ITEM_RE.match(lines[0]).group(1))
    items = []
    for line in lines:
        m = LIST_ITEM_RE.match(line)
        html = _line_html(line[m.end():].rstrip(), link) if m and bool(m.group(1)) == bullet else None
        if html is None:
            return None
        items.append(f"<li>{html}</li>\n")
    tag = "ul" if bullet else "ol"
    return f"<{tag}>\n" + "".join(items) + f"</{tag}>"


def _alone(parts: list[str], i: int) -> bool:
    """parts[i] (a block between blank lines) is not continued by a list item or indented line before or after it."""
    before = parts[i - 2] if i >= 2 else ""
    after = parts[i + 2] if i + 2 < len(parts) else ""
    last = before.rstrip("\n").rsplit("\n", 1)[-1]
    return not (LIST_ITEM_RE.match(last) or last[:1].isspace() or LIST_ITEM_RE.match(after) or after[:1].isspace())


def _line_html(line: str, link: Callable[[str], str]) -> str | None:
    """A line that Python-Markdown reads as one paragraph of inline Markdown, as HTML, or None."""
    if not line.startswith(("[", "<span", "<a ", "<abbr", "<mark")) and not _plain_start(line):
        return None
    return inline_html(line, link)


def _plain_start(part: str) -> bool:
    """Starts like running text or strong text, not like a Markdown block (heading, list, quote, number, HTML block)."""
    return bool(part) and (not re.match(r"[\s#>*+\-=|:<!\d]", part) or bool(re.match(r"\*\*\S", part)))


def _div_html(parts: list[str], i: int, link: Callable[[str], str]) -> tuple[str, int] | None:
    """A ``markdown`` div starting at parts[i] whose every block converts: its HTML and the index after it."""
    div = MD_DIV_RE.fullmatch(parts[i])
    if not div:
        return None
    inner = []
    j = i + 2
    while j < len(parts):
        part = parts[j]
        if part.rstrip("\n") == "</div>":
            body = "\n".join(inner)
            return f'<div class="{div.group(1)}">\n{body}\n</div>' + part[len("</div>"):], j + 1
        html = _markdown_block_html(part, link) if _alone(parts, j) else None
        if html is None:
            return None
        inner.append(html)
        j += 2
    return None


def stash(markdown: str, link: Callable[[str], str] | None = None) -> tuple[str, list[str]]:
    """The page's Markdown with finished HTML blocks replaced by placeholders, and those blocks.

    A block is a run of lines between blank lines that starts at the left
    margin (an indented one belongs to an admonition or a code block). Pages
    with fenced code are left alone: a fence may hold HTML as text. With
    ``link`` (a page's link resolver), generated Markdown of a few simple
    shapes is rendered here too, as Python-Markdown would: one-line paragraphs
    of links, emphasis and inline HTML, bullet lists of such lines, pipe
    tables, and ``markdown`` divs holding only these.
    """
    if "```" in markdown or "~~~" in markdown:
        return markdown, []
    blocks: list[str] = []
    out: list[str] = []
    parts = re.split(r"(\n{2,})", markdown)
    i = 0
    while i < len(parts):
        part = parts[i]
        done = None
        if link and part.startswith("<div"):
            done = _div_html(parts, i, link)
        elif link and part and not part.startswith("\n") and _alone(parts, i):
            html = _markdown_block_html(part, link)
            done = (html, i + 1) if html is not None else None
        if done is not None:
            html, i = done
            _put(out, blocks, html)
            continue
        if part and not part.startswith("\n") and _passes(part):
            _put(out, blocks, part)
        else:
            out.append(part)
        i += 1
    return "".join(out), blocks


def _put(out: list[str], blocks: list[str], html: str) -> None:
    """A placeholder for ``html``; a block right after another one (only blank lines between) joins it.

    Every placeholder is a paragraph Python-Markdown's inline patterns all try,
    so a run of paragraphs between two headings costs one, not one each.
    """
    if len(out) >= 2 and out[-1].startswith("\n") and out[-2] == PLACEHOLDER.format(len(blocks) - 1):
        out.pop()
        blocks[-1] += "\n" + html
        return
    out.append(PLACEHOLDER.format(len(blocks)))
    blocks.append(html)


def unstash(html: str, blocks: list[str]) -> str:
    """The rendered page with every placeholder paragraph replaced by its block."""
    if not blocks:
        return html
    return PLACEHOLDER_RE.sub(lambda m: blocks[int(m.group(1))], html)
