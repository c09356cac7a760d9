"""Cut one source line into heading and paragraph pieces.

A line is read with two registered rule lists:

* ``START_RULES`` decide what opens the line: a Word heading style, a
  numbering mark (after indentation or bullets), or an unnumbered short
  line standing alone;
* inside the line, a mark opens a heading where a sentence starts (after a
  space or 。！？, for bracket styles also after ：) and it continues the
  numbering open at its level; run-in items (一是…) open where a sentence
  starts (also after ；：) or right after a heading not closed by 。.

Where each heading's words end is decided by ``ends.END_RULES``. Run-in
items are only candidates here: ``items.keep_runs`` keeps those that form
a run. Lines are cut without losing or changing a character.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from reportkb.model import Line
from reportkb.stages.parse.ends import CLOSERS, heading_end
from reportkb.stages.parse.marks import Mark, find_mark, lead_length
from reportkb.stages.parse.outline import Outline
from reportkb.stages.parse.plain import is_plain_heading

EMPTY = "。.：:；;，, \t\u3000\u00a0…"
# Where ``_start_kind`` can be other than None: a word right after a space, a
# closer or 。；：. Lookbehind sees before the search start, as _start_kind does.
_MAY_START_RE = re.compile(rf"(?<=[\s{re.escape(CLOSERS)}。！？!?；;：:])\S")


@dataclass
class Piece:
    kind: str  # heading | paragraph
    start: int
    end: int
    mark: Mark | None = None
    depth: int = 0
    words: int = 0
    """Where the heading's own words start (after mark and spaces)."""
    heading_end: int = 0
    plain: bool = False
    """An unnumbered heading (mark "")."""
    joined: str | None = None
    """Heading words read from the following lines (a mark alone on a PDF line)."""

    @property
    def item(self) -> bool:
        return self.mark is not None and self.mark.style.run_in


@dataclass(frozen=True)
class LineContext:
    form: str
    outline: Outline
    alone: bool
    """The line stands alone between other lines (not the report's first line)."""
    continues: bool = False
    """The line carries on a long paragraph the previous line broke off mid-sentence."""


def _style_heading(line: Line, ctx: LineContext, lead: int) -> list[Piece] | None:
    """A Word heading style decides: the whole paragraph is the heading."""
    if not line.style_level:
        return None
    mark = find_mark(ctx.form, lead)
    depth = ctx.outline.push(f"style{line.style_level}", 0)
    n = len(line.text)
    return [Piece("heading", 0, n, mark, depth, mark.end if mark else lead, n)]


def _plain_heading(line: Line, ctx: LineContext, lead: int) -> list[Piece] | None:
    """An unnumbered short line standing alone between paragraphs."""
    if not ctx.alone or find_mark(ctx.form, lead) or not is_plain_heading(ctx.form[lead:]):
        return None
    n = len(line.text)
    return [Piece("heading", 0, n, None, 0, lead, len(ctx.form.rstrip()), plain=True)]


StartRule = Callable[[Line, LineContext, int], "list[Piece] | None"]
START_RULES: tuple[StartRule, ...] = (_style_heading, _plain_heading)


def _start_kind(form: str, p: int) -> str | None:
    """How a sentence may start at p: 'end' (after 。！？), 'semi', 'colon', 'space', or None."""
    if p == 0 or form[p].isspace():
        return None
    i = p
    while i > 0 and form[i - 1].isspace():
        i -= 1
    spaced = i < p
    while i > 0 and form[i - 1] in CLOSERS:
        i -= 1
    ch = form[i - 1] if i > 0 else ""
    if ch and ch in "。！？!?":
        return "end"
    if ch and ch in "；;":
        return "semi"
    if ch and ch in "：:":
        # "如下: 一、" is a new paragraph; "四件事:一、…,二、…" is a list inside one sentence.
        return "space" if spaced else "colon"
    return "space" if spaced else None


def inline_mark(form: str, start: int, stop: int, outline: Outline, after_open: bool) -> Mark | None:
    """The first mark in form[start:stop] that opens a heading or a run-in item.

    ``after_open``: form[start] directly follows a heading not closed by 。, so
    an item right there (after optional spaces) starts a sentence.
    """
    # Only positions where a sentence may start are read (not every character);
    # with ``after_open`` also the first word, which may start one regardless.
    positions = [m.start() for m in _MAY_START_RE.finditer(form, start, stop)]
    if after_open:
        first = stop - len(form[start:stop].lstrip())
        if first < stop and (not positions or positions[0] != first):
            positions.insert(0, first)
    for p in positions:
        kind = _start_kind(form, p)
        at_open = after_open and not form[start:p].strip()
        if kind is None and not at_open:
            continue
        mark = find_mark(form, p)
        if mark is None:
            continue
        if mark.style.run_in:
            if kind in ("end", "semi", "colon") or at_open:
                return mark
            continue
        opens = kind in ("end", "space") or (kind == "colon" and mark.style.glues)
        if opens and outline.continues(mark):
            return mark
    return None


def split_line(line: Line, ctx: LineContext, start: int = 0) -> list[Piece]:
    """Cut ``line.text[start:]`` into heading and paragraph pieces."""
    form, outline = ctx.form, ctx.outline
    n = len(form)
    lead = start + lead_length(form[start:])
    if start == 0:
        for rule in START_RULES:
            pieces = rule(line, ctx, lead)
            if pieces is not None:
                return pieces
    pieces: list[Piece] = []
    mark = find_mark(form, lead) if lead < n else None
    if mark and mark.style.needs_sequence and not outline.continues(mark):
        mark = None
    if mark and ctx.continues and mark.cls == "arabic":
        # A document viewer's page number ("2、" before the rest of a broken sentence).
        mark = None
    pos = start
    if mark is None:
        following = inline_mark(form, start, n, outline, after_open=False)
        if following is None:
            return [Piece("paragraph", start, n)] if n > start else []
        pieces.append(Piece("paragraph", start, following.start))
        pos, mark = following.start, following

    while True:
        words = mark.end
        while words < n and form[words].isspace():
            words += 1
        depth = 0 if mark.style.run_in else outline.push(mark.cls, mark.value)
        cut, closed = heading_end(form, mark, words, n, outline)
        end = cut.at
        if not cut.interrupt and end >= n and not form[words:end].strip(EMPTY):
            # A mark with no words (a page cut off after "四、") is not a heading.
            pieces.append(Piece("paragraph", pos, end))
            break
        pieces.append(Piece("heading", pos, end, mark, depth, words, end))
        if cut.interrupt:
            pos, mark = cut.interrupt.start, cut.interrupt
            continue
        if end >= n:
            break
        following = inline_mark(form, end, n, outline, after_open=not closed)
        body_end = following.start if following else n
        pieces.append(Piece("paragraph", end, body_end))
        if not following:
            break
        pos, mark = following.start, following
    return pieces
