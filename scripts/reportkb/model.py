"""The document model: frozen dataclasses shared by every stage.

Nothing here does work; stages build these objects and never change them.
Every object keeps its source position so a message can say ``file.txt:42``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

# Problem levels, from least to most serious.
INFO = "info"
WARNING = "warning"
ERROR = "error"
LEVELS = (INFO, WARNING, ERROR)


@dataclass(frozen=True, order=True)
class Problem:
    """Something a maintainer should know about one source file."""

    source: str
    """POSIX path relative to the sources folder (or the file name given)."""
    line: int | None
    """1-based line (txt) or paragraph number (docx); None for the whole file."""
    level: str
    """One of ``info``, ``warning``, ``error``."""
    code: str
    """Stable short identifier, e.g. ``unsupported-format``."""
    message: str
    """Chinese sentence that says what happened and what to do."""

    def where(self) -> str:
        return f"{self.source}:{self.line}" if self.line else self.source

    def as_dict(self) -> dict:
        return {
            "source": self.source,
            "line": self.line,
            "level": self.level,
            "code": self.code,
            "message": self.message,
        }


@dataclass(frozen=True)
class Line:
    """One line of source text, exactly as written (line ending removed)."""

    text: str
    number: int
    """1-based line number (txt) or paragraph number (docx)."""
    style_level: int | None = None
    """Heading level from a Word heading style (1 = Heading 1), else None."""


@dataclass(frozen=True)
class RawDocument:
    """A decoded source file: the only thing ingest hands on."""

    source: str
    """POSIX path relative to the sources folder."""
    encoding: str
    """How the bytes were decoded: utf-8, utf-8-sig, utf-16, gb18030, docx …"""
    lines: tuple[Line, ...]
    sha256: str
    """Hash of the file's bytes, for caching and duplicate detection."""


@dataclass(frozen=True)
class NoiseBlock:
    """Consecutive source lines removed because they are not report text."""

    first_line: int
    last_line: int
    reason: str
    """Chinese reason, e.g. 标题前的广告/水印块."""
    lines: tuple[str, ...]
    """The removed text, kept so the removal can be shown and checked."""


@dataclass(frozen=True)
class ReportText:
    """The lines of one report after cleaning (a file may hold several)."""

    source: str
    part: int
    """1-based position of this report in its file."""
    parts: int
    """How many reports the file holds."""
    encoding: str
    lines: tuple[Line, ...]
    noise: tuple[NoiseBlock, ...] = ()
    sha256: str = ""


@dataclass(frozen=True)
class Block:
    """A run of report text rendered as one unit: a heading or a paragraph.

    A source line may be cut into several blocks (a run-in heading and its
    body, or a heading that starts in the middle of a line); joining the
    blocks of one line in order gives the line back exactly.
    """

    kind: str
    """``title``, ``addressee``, ``heading`` or ``paragraph``."""
    text: str
    """Verbatim source characters, including the numbering mark."""
    line: int
    column: int
    """0-based offset of ``text`` in its source line."""
    section: int | None
    """Index of the outline section this block belongs to (None: before any)."""


@dataclass(frozen=True)
class Section:
    """One numbered heading of the outline and the text under it."""

    index: int
    depth: int
    mark: str
    """Numbering as written: 一、 （一） (一) 1. 3 一是 第一， …"""
    heading: str
    """The heading's own words, without mark and closing punctuation."""
    line: int
    inline: bool
    """True when the heading starts in the middle of a source line."""
    parent: int | None
    anchor: str
    """HTML id of the heading on the report page (keeps Chinese)."""


@dataclass(frozen=True)
class Report:
    """A parsed report: metadata, verbatim blocks and the outline."""

    id: str
    """Stable ASCII slug, used in URLs."""
    source: str
    part: int
    parts: int
    encoding: str
    title: str
    title_derived: bool
    addressee: str | None
    year: int | None
    period: str | None
    unit: str | None
    blocks: tuple[Block, ...]
    sections: tuple[Section, ...]
    noise: tuple[NoiseBlock, ...] = ()
    sha256: str = ""

    @property
    def label(self) -> str:
        """``file.txt`` or ``file.txt#2`` for a file that holds several reports."""
        return f"{self.source}#{self.part}" if self.parts > 1 else self.source

    def section_blocks(self, index: int) -> tuple[Block, ...]:
        """Blocks of a section and all its descendants, heading first."""
        owned = self.subtree(index)
        return tuple(b for b in self.blocks if b.section in owned)

    def subtree(self, index: int) -> frozenset[int]:
        depth = self.sections[index].depth
        owned = {index}
        for later in self.sections[index + 1 :]:
            if later.depth <= depth:
                break
            owned.add(later.index)
        return frozenset(owned)

    def own_text(self, index: int) -> str:
        """Text of a section without its subsections (heading included)."""
        return "".join(b.text for b in self.blocks if b.section == index)

    def full_text(self, index: int) -> str:
        """Text of a section with its subsections."""
        return "".join(b.text for b in self.section_blocks(index))


class Evidence(NamedTuple):
    """Why a label was given: a term that matched, where and how often.

    A named tuple, not a dataclass: a large corpus has a few hundred thousand
    of these, and tuples are much cheaper to make and to load from the memo.
    """

    term: str
    where: str
    """``heading`` or ``body``."""
    count: int
    weight: float


@dataclass(frozen=True)
class SectionLabels:
    """Themes and role of one section, with the evidence kept."""

    themes: tuple[str, ...]
    """Ranked, most important first."""
    scores: tuple[tuple[str, float], ...]
    role: str
    evidence: tuple[tuple[str, tuple[Evidence, ...]], ...] = ()
    """Per theme: the matched terms."""


@dataclass(frozen=True)
class Annotations:
    """Everything annotate derives for one report; the report is untouched."""

    report_id: str
    sections: tuple[SectionLabels, ...]
