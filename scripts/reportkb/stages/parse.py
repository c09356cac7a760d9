"""Parse: one cleaned report → Report (metadata, verbatim blocks, outline).

The outline is found with rules that do not depend on a particular report:

* a numbering mark (一、 （一） (一) 1. 1、 （1） ① 第一， 第一部分 一是 …) at the
  start of a line opens a heading;
* a mark in the middle of a line opens a heading when it follows a space or
  a sentence end and continues the numbering already open at its level
  (``…主题内容 3.注重…`` after 2.) — or, for 一是/二是, when it directly
  follows a heading that has not ended (``(一)注重思想引领 一是加强理论武装。``);
* a bare number with its punctuation missing (``3定期研判``) counts only when
  it continues the sequence;
* depth comes from the order in which numbering styles open, as in
  reStructuredText: a style seen for the first time nests one level deeper,
  a style already open closes everything below it;
* a heading runs from its mark to the first sentence end (。！？); the rest
  of the line is its body (run-in headings).

Lines are cut into blocks without losing or changing a character.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pymdownx.slugs import slugify

from reportkb.model import INFO, Block, Line, Problem, Report, ReportText, Section
from reportkb.stages.clean import is_addressee_line, is_title_line, match_form
from reportkb.text.fold import nfkc_digits

# Plain and formal (大写) numerals; formal ones are common in traditional texts.
CN = "一二三四五六七八九十壹贰叁肆伍陆柒捌玖拾"
CN_VALUES = {ch: i % 10 + 1 for i, ch in enumerate(CN)}
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


@dataclass(frozen=True)
class MarkStyle:
    """One numbering style: its class name and the pattern of its mark."""

    name: str
    pattern: re.Pattern
    needs_sequence: bool = False
    """True for forms that are only trusted when they continue a sequence."""
    joins: str | None = None
    """Class whose sequence this form continues (a bare ``3`` continues ``1.``)."""


# Patterns are matched against the width-folded, simplified form of the line,
# so （一） and (一), １． and 1. are one style. Group "n" is the number.
STYLES: tuple[MarkStyle, ...] = (
    MarkStyle("part", re.compile(rf"第(?P<n>[{CN}]+)部分\s*[、,:.]?")),
    MarkStyle("ordinal", re.compile(rf"第(?P<n>[{CN}]+)\s*[,、:]")),
    MarkStyle("chinese", re.compile(rf"(?P<n>[{CN}]+)\s*(?:、|\.(?![0-9]))")),
    MarkStyle("paren-cn", re.compile(rf"\(\s*(?P<n>[{CN}]+)\s*\)\s*[、.]?")),
    MarkStyle("paren-num", re.compile(r"\(\s*(?P<n>\d{1,2})\s*\)\s*[、.]?")),
    MarkStyle("num-paren", re.compile(r"(?<![\d(])(?P<n>\d{1,2})\)")),
    MarkStyle("circled", re.compile(rf"(?P<n>[{CIRCLED}])\s*[、.]?")),
    MarkStyle("arabic", re.compile(r"(?<!\d)(?P<n>\d{1,2})\s*[.、](?!\d)")),
    MarkStyle("enum", re.compile(rf"(?P<n>[{CN}]{{1,3}})是(?:\s*[,:])?(?=\S)")),
    # "3定期研判": the punctuation is missing; never before a unit word (3月, 5次).
    MarkStyle(
        "arabic-bare",
        re.compile(r"(?<!\d)(?P<n>\d{1,2})(?=[\u4e00-\u9fff])(?![年月日号时分秒个次人项条名万亿元岁天周届期批家所篇份台辆套倍])"),
        needs_sequence=True,
        joins="arabic",
    ),
)

SENTENCE_END = "。！？!?"
# A mid-line mark may start after whitespace or after a sentence end.
INLINE_START_RE = re.compile(rf"(?:(?<=\s)|(?<=[{SENTENCE_END}]))(?=\S)")
HEADING_TRIM = f"{SENTENCE_END}.：:；;，, \t\u3000\u00a0"

YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年")
CN_YEAR_RE = re.compile(r"([一二〇零○OＯ三四五六七八九]{4})\s*年")
PERIOD_RULES = (
    ("上半年", re.compile(r"上半年|1-6月|1至6月|一至六月|前半年")),
    ("下半年", re.compile(r"下半年|7-12月|7至12月")),
    ("季度", re.compile(r"[一二三四1-4]季度|季度")),
    ("全年", re.compile(r"全年|年度|年终|全年度")),
)
# Party bodies first, administrative bodies as a last resort.
PARTY_UNIT_RE = re.compile(r"(局|厅|委|办|院|所|中心|公司)?(党委党支部|党工委|党总支|党支部|党委|党组)")
ADMIN_UNIT_RE = re.compile(r"(局|厅|委员会|办公室|中心|公司|学校|医院|街道|乡|镇)(?=\d|上半年|下半年|意识形态|$)")
BOOK_TITLE_RE = re.compile(r"《[^》]*》|<[^>]*>")

_slug = slugify(case="lower")


def cn_number(text: str) -> int:
    """一 → 1, 十 → 10, 十二 → 12, 二十三 → 23 (enough for outline numbers)."""
    text = text.replace("拾", "十")
    if text in CN_VALUES and text != "十":
        return CN_VALUES[text]
    if "十" in text:
        tens, _, units = text.partition("十")
        return (CN_VALUES.get(tens, 1) if tens else 1) * 10 + (CN_VALUES.get(units, 0) if units else 0)
    return CN_VALUES.get(text[-1], 0)


def mark_value(raw: str) -> int:
    if raw in CIRCLED:  # before isdigit(): '①'.isdigit() is True
        return CIRCLED.index(raw) + 1
    if raw.isdigit():
        return int(raw)
    return cn_number(raw)


@dataclass
class _Mark:
    style: MarkStyle
    start: int
    end: int
    value: int

    @property
    def cls(self) -> str:
        return self.style.joins or self.style.name


def find_mark(form: str, pos: int) -> _Mark | None:
    """The numbering mark starting exactly at ``pos`` of the folded line."""
    for style in STYLES:
        m = style.pattern.match(form, pos)
        if m:
            return _Mark(style, m.start(), m.end(), mark_value(m.group("n")))
    return None


class _Outline:
    """The stack of numbering styles currently open, one per depth."""

    def __init__(self) -> None:
        self.stack: list[tuple[str, int]] = []

    def continues(self, mark: _Mark) -> bool:
        """True when the mark is the next number of an open style, or opens a new style at 1."""
        for cls, value in self.stack:
            if cls == mark.cls:
                return mark.value == value + 1
        return mark.value == 1 and not mark.style.needs_sequence

    def push(self, cls: str, value: int) -> int:
        """Open a heading of this class; returns its depth (1-based)."""
        for i, (open_cls, _) in enumerate(self.stack):
            if open_cls == cls:
                del self.stack[i:]
                break
        self.stack.append((cls, value))
        return len(self.stack)


def _sentence_end(form: str, start: int, stop: int) -> int:
    """Index just after the first sentence end in form[start:stop], or stop."""
    for i in range(start, stop):
        ch = form[i]
        if ch in SENTENCE_END:
            return i + 1
        # An ASCII full stop ends a sentence in half-width texts (汉字.汉字).
        if ch == "." and 0 < i < len(form) - 1 and _is_han(form[i - 1]) and _is_han(form[i + 1]):
            return i + 1
    return stop


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or ch in "”\"）)"


@dataclass
class _Piece:
    kind: str  # heading | paragraph
    start: int
    end: int
    mark: _Mark | None = None
    depth: int = 0
    heading_end: int = 0


def split_line(line: Line, outline: _Outline) -> list[_Piece]:
    """Cut one source line into heading and paragraph pieces."""
    text = line.text
    form = match_form(text)
    n = len(text)
    pieces: list[_Piece] = []
    lead = len(form) - len(form.lstrip())

    pos = 0
    if line.style_level:
        # A Word heading style decides: the whole paragraph is the heading.
        mark = find_mark(form, lead)
        cls = f"style{line.style_level}"
        depth = outline.push(cls, 0)
        return [_Piece("heading", 0, n, mark, depth, n)]

    mark = find_mark(form, lead) if lead < n else None
    if mark and mark.style.needs_sequence and not outline.continues(mark):
        mark = None
    if mark is None:
        # A line that opens with text may still hold a heading further on
        # (a text without line breaks): look for one after a sentence end.
        following = _inline_mark(form, 0, n, outline, in_heading=False)
        if following is None:
            return [_Piece("paragraph", 0, n)] if n else []
        pieces.append(_Piece("paragraph", 0, following.start))
        pos, mark = following.start, following

    while True:
        # A heading at `pos` with `mark`: it ends at its first sentence end, or
        # where an inline mark interrupts it, or at the end of the line.
        depth = outline.push(mark.cls, mark.value)
        stop = _sentence_end(form, mark.end, n)
        interrupt = _inline_mark(form, mark.end, stop, outline, in_heading=True)
        end = interrupt.start if interrupt else stop
        pieces.append(_Piece("heading", pos, end, mark, depth, end))
        if interrupt:
            pos, mark = interrupt.start, interrupt
            continue
        if end >= n:
            break
        following = _inline_mark(form, end, n, outline, in_heading=False)
        body_end = following.start if following else n
        pieces.append(_Piece("paragraph", end, body_end))
        if not following:
            break
        pos, mark = following.start, following
    return pieces


def _inline_mark(form: str, start: int, stop: int, outline: _Outline, in_heading: bool) -> _Mark | None:
    """The first acceptable mark inside form[start:stop] (not at its very start)."""
    for m in INLINE_START_RE.finditer(form, start, stop):
        p = m.start()
        if p >= stop or (in_heading and p <= start):
            continue
        mark = find_mark(form, p)
        if mark is None:
            continue
        if mark.style.name == "enum":
            # 一是 in running text is an inline list, not a heading — unless it
            # directly follows a heading that has not ended yet.
            if in_heading and form[p - 1].isspace():
                return mark
            continue
        if in_heading and not form[p - 1].isspace():
            continue
        if outline.continues(mark):
            return mark
    return None


def parse_report(text: ReportText, report_id: str) -> tuple[Report, tuple[Problem, ...]]:
    """Build the Report for one cleaned report."""
    problems: list[Problem] = []
    lines = list(text.lines)
    content = [line for line in lines if line.text.strip()]
    blocks: list[Block] = []
    sections: list[Section] = []

    title_line = addressee_line = None
    if content and is_title_line(content[0].text):
        title_line = content[0]
        content = content[1:]
    if content and is_addressee_line(content[0].text):
        addressee_line = content[0]
        content = content[1:]
    if title_line:
        blocks.append(Block("title", title_line.text, title_line.number, 0, None))
    if addressee_line:
        blocks.append(Block("addressee", addressee_line.text, addressee_line.number, 0, None))

    outline = _Outline()
    used_anchors: set[str] = set()
    parents: list[int] = []  # section index open at each depth - 1
    current: int | None = None
    for line in content:
        for piece in split_line(line, outline):
            chunk = line.text[piece.start : piece.end]
            if piece.kind == "heading":
                index = len(sections)
                mark_text = line.text[piece.mark.start : piece.mark.end] if piece.mark else ""
                heading = line.text[piece.mark.end if piece.mark else piece.start : piece.heading_end].strip(HEADING_TRIM)
                del parents[piece.depth - 1 :]
                parent = parents[-1] if parents else None
                parents.append(index)
                sections.append(
                    Section(
                        index=index,
                        depth=piece.depth,
                        mark=mark_text.strip(),
                        heading=heading,
                        line=line.number,
                        inline=piece.start > 0 and bool(line.text[: piece.start].strip()),
                        parent=parent,
                        anchor=_anchor(mark_text + heading, index, used_anchors),
                    )
                )
                current = index
                blocks.append(Block("heading", chunk, line.number, piece.start, index))
            else:
                blocks.append(Block("paragraph", chunk, line.number, piece.start, current))

    _fix_depths(sections)
    opening = " ".join(b.text for b in blocks if b.kind == "paragraph" and b.section is None)
    title_text = title_line.text.strip() if title_line else ""
    body = "".join(b.text for b in blocks)
    year = _year(title_text) or _year(opening[:60])
    period = _period(title_text) or _period(opening[:40])
    unit = _unit(opening, title_text, body)
    title = title_text or derive_title(unit, year, period)
    if not title_line:
        problems.append(
            Problem(text.source, content[0].number if content else None, INFO, "title-derived",
                    f"未找到标题行，已推断标题“{title}”。如需准确标题，请在文件第一行写上报告标题。")
        )
    if not sections:
        problems.append(
            Problem(text.source, content[0].number if content else None, INFO, "no-headings",
                    "未识别到编号标题（如“一、”“（一）”“1.”），全文按段落显示。如报告有分级标题，请检查编号格式。")
        )
    report = Report(
        id=report_id,
        source=text.source,
        part=text.part,
        parts=text.parts,
        encoding=text.encoding,
        title=title,
        title_derived=title_line is None,
        addressee=addressee_line.text.strip().rstrip("：:").strip() if addressee_line else None,
        year=year,
        period=period,
        unit=unit,
        blocks=tuple(blocks),
        sections=tuple(sections),
        noise=text.noise,
        sha256=text.sha256,
    )
    return report, tuple(problems)


def _fix_depths(sections: list[Section]) -> None:
    """Depth is the position in the parent chain (robust to styles that skip a level)."""
    for i, s in enumerate(sections):
        depth = sections[s.parent].depth + 1 if s.parent is not None else 1
        if depth != s.depth:
            sections[i] = Section(s.index, depth, s.mark, s.heading, s.line, s.inline, s.parent, s.anchor)


def _anchor(text: str, index: int, used: set[str]) -> str:
    """A stable HTML id that keeps Chinese: 一加强组织领导 (deduplicated)."""
    base = _slug(text, "-")[:60].strip("-") or f"s{index + 1}"
    anchor, n = base, 2
    while anchor in used:
        anchor, n = f"{base}-{n}", n + 1
    used.add(anchor)
    return anchor


def _year(text: str) -> int | None:
    form = nfkc_digits(match_form(text))
    m = YEAR_RE.search(form)
    if m:
        return int(m.group(1))
    m = CN_YEAR_RE.search(form)
    if m:
        digits = {"〇": "0", "零": "0", "○": "0", "O": "0", "Ｏ": "0"} | {ch: str(i + 1) for i, ch in enumerate(CN[:9])}
        value = "".join(digits.get(ch, "") for ch in m.group(1))
        if len(value) == 4 and value.startswith(("19", "20")):
            return int(value)
    return None


def _period(text: str) -> str | None:
    form = match_form(text)
    for name, pattern in PERIOD_RULES:
        if pattern.search(form):
            return name
    return None


def _unit(opening: str, title: str, body: str) -> str | None:
    """The body that writes the report: opening, then title, then body text."""
    for text in (opening, title, body):
        m = PARTY_UNIT_RE.search(BOOK_TITLE_RE.sub("", match_form(text)))
        if m:
            # Keep a ministry-style prefix (局党组); drop others (县委党委 → 党委).
            prefix = m.group(1) if m.group(1) in ("局", "厅", "院") else ""
            return prefix + m.group(2)
    m = ADMIN_UNIT_RE.search(match_form(title))
    return m.group(1) if m else None


def derive_title(unit: str | None, year: int | None, period: str | None) -> str:
    """A title for a report whose file has none (marked as derived)."""
    when = f"{year}年" if year else ""
    return f"{unit or ''}{when}{period or ''}意识形态工作报告"
