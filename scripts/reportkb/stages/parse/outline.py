"""The stack of numbering styles open while a report is read.

Depth comes from the order in which numbering styles open, as in
reStructuredText: a style seen for the first time nests one level deeper,
a style already open closes everything below it. Run-in items (一是) and
unnumbered headings are not on the stack: they sit below the section they
are found in.
"""

from __future__ import annotations

from reportkb.stages.parse.marks import Mark


class Outline:
    """The numbering styles currently open, one per depth."""

    def __init__(self) -> None:
        self.stack: list[tuple[str, int]] = []

    def continues(self, mark: Mark) -> bool:
        """True when the mark is the next number of an open style, or opens a new style at 1."""
        for cls, value in self.stack:
            if cls == mark.cls:
                return mark.value == value + 1
        return mark.value == 1 and not mark.style.needs_sequence

    def is_open(self, mark: Mark) -> bool:
        return any(cls == mark.cls for cls, _ in self.stack)

    def push(self, cls: str, value: int) -> int:
        """Open a heading of this class; returns its depth (1-based)."""
        for i, (open_cls, _) in enumerate(self.stack):
            if open_cls == cls:
                del self.stack[i:]
                break
        self.stack.append((cls, value))
        return len(self.stack)
