"""Where a heading's own words end.

A heading runs from its mark to its first sentence end (。！？; for run-in
items also ；). Where no sentence end closes it before the body starts (pages
without line breaks, paragraphs separated only by spaces), the rules in
``END_RULES`` cut it earlier; each returns a cut position or None and the
earliest cut wins. A rule never moves a character: it only decides where the
heading block stops and the body block starts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from reportkb.stages.parse.marks import Mark, find_mark
from reportkb.stages.parse.outline import Outline

SENTENCE_END = "。！？!?"
ITEM_END = SENTENCE_END + "；;"
CLOSERS = "”’」』\"'）)】"
# Words that open a body paragraph; glued to a heading they mark where its words end.
BODY_OPENER_RE = re.compile(
    r"《|(?:为了|然而|但是|近年来|今年以来|按照|根据)"
    r"|(?:19|20)\d{2}\s*年(?:以来|上半年|下半年|度|,)"
)
# A quotation announced inside a heading ("…,党的十九大报告指出:…"): the heading ends at the comma before it.
QUOTE_RE = re.compile(r"[,，][^,，:：。]{0,20}(?:指出|强调|讲过|说过|提出)\s*[:：]")
# A heading is only cut at a body opener or a repeated start when it would otherwise run this long.
LONG_HEADING = 16
MIN_WORDS = 2
"""A cut never leaves a heading shorter than this many characters."""
MIN_BODY = 12
"""A space ends a heading only when at least this much text follows before the sentence end."""


@dataclass(frozen=True)
class Cut:
    """Where a heading's words stop, and the mark that interrupts it (if any)."""

    at: int
    interrupt: Mark | None = None


def sentence_end(form: str, start: int, stop: int, ends: str = SENTENCE_END) -> int:
    """Index just after the first sentence end in form[start:stop], or stop."""
    for i in range(start, stop):
        ch = form[i]
        if ch in ends:
            return i + 1
        # An ASCII full stop ends a sentence in half-width texts (汉字.汉字).
        if ch == "." and 0 < i < len(form) - 1 and is_han(form[i - 1]) and is_han(form[i + 1]):
            return i + 1
    return stop


def is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or ch in "”\"）)"


def _interrupting_mark(form: str, words: int, stop: int, outline: Outline, mark: Mark | None) -> Cut | None:
    """A mark inside the heading that opens the next one: after a space, or glued for bracket styles."""
    for p in range(words + 1, stop):
        before = form[p - 1]
        if not before.isspace() and p - words < MIN_WORDS:
            continue
        found = find_mark(form, p)
        if found is None:
            continue
        if before.isspace():
            if found.style.run_in or outline.continues(found):
                return Cut(p, found)
        elif found.style.glues and outline.continues(found) and form[words:p].strip():
            return Cut(p, found)
    return None


def _space_break(form: str, words: int, stop: int, outline: Outline, mark: Mark | None) -> Cut | None:
    """Paragraphs separated only by spaces: the heading ends at the space before its body."""
    for m in re.finditer(r"\s+", form[words:stop]):
        p = words + m.start()
        if p - words >= MIN_WORDS and stop - (words + m.end()) >= MIN_BODY:
            return Cut(p)
    return None


def _quotation(form: str, words: int, stop: int, outline: Outline, mark: Mark | None) -> Cut | None:
    """A heading runs into a quotation (…,某某指出:“…”): its words end at the comma."""
    m = QUOTE_RE.search(form, words, stop)
    return Cut(m.start()) if m and m.start() - words >= MIN_WORDS else None


def _body_opener(form: str, words: int, stop: int, outline: Outline, mark: Mark | None) -> Cut | None:
    """A long run-on heading ends where a body opener or the heading's own first words recur.

    Not for run-in items: an item is a whole sentence, often a long one.
    """
    if stop - words <= LONG_HEADING or (mark is not None and mark.style.run_in):
        return None
    head = form[words : words + 4]
    for p in range(words + 4, stop):
        if len(head) == 4 and form.startswith(head, p) and not re.search(r"[,，]", form[words:p]):
            return Cut(p)
        if BODY_OPENER_RE.match(form, p) and is_han(form[p - 1]):
            return Cut(p)
    return None


EndRule = Callable[[str, int, int, Outline, "Mark | None"], "Cut | None"]
END_RULES: tuple[EndRule, ...] = (_interrupting_mark, _space_break, _quotation, _body_opener)


def heading_end(form: str, mark: Mark | None, words: int, n: int, outline: Outline) -> tuple[Cut, bool]:
    """The cut that ends the heading whose words start at ``words``; and whether a sentence end closed it."""
    ends = ITEM_END if mark is not None and mark.style.run_in else SENTENCE_END
    stop = sentence_end(form, words, n, ends)
    closed = stop < n or (stop == n and n > 0 and form[n - 1] in ends)
    text_stop = stop - 1 if closed else stop
    cuts = [c for rule in END_RULES if (c := rule(form, words, text_stop, outline, mark)) is not None]
    if cuts:
        return min(cuts, key=lambda c: c.at), False
    return Cut(stop), closed
