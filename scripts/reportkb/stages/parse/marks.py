"""Numbering marks: the registered list of heading styles and how to read them.

Every style is one entry of ``STYLES`` (tried in order, first match wins), so
a new numbering style is one new line here. Patterns are matched against the
width-folded, simplified form of a line (``match_form``): （一） and (一),
１． and 1. are one style. Group ``n`` is the number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Plain and formal (大写) numerals; formal ones are common in traditional texts.
CN = "一二三四五六七八九十壹贰叁肆伍陆柒捌玖拾"
CN_VALUES = {ch: i % 10 + 1 for i, ch in enumerate(CN)}
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

# Unit words after a bare number: "3月", "5次" are quantities, never marks.
UNIT_WORDS = "年月日号时分秒个次人项条名万亿元岁天周届期批家所篇份台辆套倍页字"


@dataclass(frozen=True)
class MarkStyle:
    """One numbering style: its class name and the pattern of its mark."""

    name: str
    pattern: re.Pattern
    needs_sequence: bool = False
    """True for forms that are only trusted when they continue a sequence."""
    joins: str | None = None
    """Class whose sequence this form continues (a bare ``3`` continues ``1.``)."""
    run_in: bool = False
    """Run-in list items (一是…二是…): listed only as part of a run, one level below their section."""
    glues: bool = False
    """May interrupt a heading with no space before it (``…开展情况(一)强化…``)."""


STYLES: tuple[MarkStyle, ...] = (
    MarkStyle("part", re.compile(rf"第(?P<n>[{CN}]+)部分\s*[、,:.]?"), glues=True),
    MarkStyle("chapter", re.compile(rf"第(?P<n>[{CN}\d]+)节\s*[、,:.]?"), glues=True),
    MarkStyle("step", re.compile(rf"第(?P<n>[{CN}]+)步\s*[,、:]")),
    MarkStyle("ordinal", re.compile(rf"第(?P<n>[{CN}]+)\s*[,、:]")),
    MarkStyle("chinese", re.compile(rf"(?P<n>[{CN}]+)\s*(?:、|\.(?![0-9]))")),
    MarkStyle("paren-cn", re.compile(rf"\(\s*(?P<n>[{CN}]+)\s*\)\s*[、.]?"), glues=True),
    MarkStyle("paren-num", re.compile(r"\(\s*(?P<n>\d{1,2})\s*\)\s*[、.]?"), glues=True),
    MarkStyle("num-paren", re.compile(r"(?<![\d(])(?P<n>\d{1,2})\)")),
    MarkStyle("circled", re.compile(rf"(?P<n>[{CIRCLED}])\s*[、.]?")),
    MarkStyle("arabic", re.compile(r"(?<!\d)(?P<n>\d{1,2})\s*[.、](?!\d)")),
    MarkStyle("enum", re.compile(rf"(?P<n>[{CN}]{{1,3}})是(?:\s*[,:])?(?=\S)"), run_in=True),
    # "3定期研判": the punctuation is missing; never before a unit word (3月, 5次).
    MarkStyle(
        "arabic-bare",
        re.compile(rf"(?<!\d)(?P<n>\d{{1,2}})(?=[\u4e00-\u9fff])(?![{UNIT_WORDS}])"),
        needs_sequence=True,
        joins="arabic",
    ),
)

# What may stand before a line's mark without making it inline: indentation,
# list bullets, quote and markdown markers, a lost character shown as '?',
# a bracketed label such as 【提纲】.
LEAD_RE = re.compile(r"[\s>#?○●◎•·▪■□◆◇★☆-]*(?:【[^】]{1,6}】\s*)?")


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


@dataclass(frozen=True)
class Mark:
    """A numbering mark found in a line: its style, span and number."""

    style: MarkStyle
    start: int
    end: int
    value: int

    @property
    def cls(self) -> str:
        return self.style.joins or self.style.name


# Every style's mark opens with one of these (lookbehinds take no character):
# most positions of a line are ruled out without trying each style.
_MARK_START_RE = re.compile(rf"[第{CN}{CIRCLED}(\d]")


def find_mark(form: str, pos: int) -> Mark | None:
    """The numbering mark starting exactly at ``pos`` of the folded line."""
    if not _MARK_START_RE.match(form, pos):
        return None
    for style in STYLES:
        m = style.pattern.match(form, pos)
        if m:
            return Mark(style, m.start(), m.end(), mark_value(m.group("n")))
    return None


def lead_length(form: str) -> int:
    """Length of the indentation and bullets before a line's first word."""
    return LEAD_RE.match(form).end()
