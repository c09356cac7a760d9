"""Clean: remove named noise and split a file into the reports it holds.

Characters are never rewritten: a line is either kept exactly or removed as
part of a reported NoiseBlock.
"""

from __future__ import annotations

import re

from reportkb.config import NoiseRules
from reportkb.model import INFO, Line, NoiseBlock, Problem, RawDocument, ReportText
from reportkb.text.fold import simplified_half_width

CN_DIGITS = "一二三四五六七八九十"
# 篇1 / 篇２ / 第一篇 / 篇一： / 范文3 — how aggregator pages number the reports
# they collect. A marker is either at the end of a short title line or opens it.
PART_MARKER_RE = re.compile(
    rf"(?:(?:篇|范文)\s*[0-9{CN_DIGITS}]+\s*$)|(?:[\u4e00-\u9fff][(（]\s*[0-9]\s*[)）]\s*$)"
    rf"|(?:^\s*(?:第\s*[0-9{CN_DIGITS}]+\s*篇|篇\s*[0-9{CN_DIGITS}]+|范文\s*[0-9{CN_DIGITS}]+)\s*[:：、.]?)"
)
# What a report title looks like: a short line naming a report or summary.
TITLE_WORDS_RE = re.compile(r"(报告|总结|汇报|自查|情况|意识形态)")
TITLE_END_RE = re.compile(r"[。；;，,：:]\s*$")
ADDRESSEE_RE = re.compile(r"^\s*[^。；;，,]{2,40}[：:]\s*$")
HEADING_START_RE = re.compile(
    rf"^\s*(?:[{CN_DIGITS}]+\s*[、.．]|[（(]\s*(?:[{CN_DIGITS}]+|\d{{1,2}})\s*[)）]|\d+\s*[.．、])"
)
TITLE_MAX_CHARS = 80
# A piece of a line broken by PDF extraction ("年意识形态工作总结与") is no title.
FRAGMENT_START_RE = re.compile(r"[年月日与和及的之]")


def match_form(text: str) -> str:
    """The form of a line that rules are matched against (never displayed)."""
    return simplified_half_width(text)


def is_title_line(text: str) -> bool:
    """A short line that names a report (not a sentence, not a heading)."""
    form = noise_form(text).strip()
    return (
        0 < len(form) <= TITLE_MAX_CHARS
        and "。" not in form
        and not TITLE_END_RE.search(form)
        and not HEADING_START_RE.match(form)
        and not FRAGMENT_START_RE.match(form)
        and (bool(TITLE_WORDS_RE.search(form)) or bool(PART_MARKER_RE.search(form)))
    )


def is_addressee_line(text: str) -> bool:
    """主送: the receiving body on its own line, ending in a colon."""
    form = match_form(text)
    return bool(ADDRESSEE_RE.match(form)) and not HEADING_START_RE.match(form)


def clean_document(raw: RawDocument, rules: NoiseRules) -> tuple[tuple[ReportText, ...], tuple[Problem, ...]]:
    """Remove noise lines and split the document into reports."""
    noise = _find_noise(raw.lines, rules)
    kept = [line for line in raw.lines if line.number not in noise]
    kept, pieces, emptied = _cut_segments(kept, rules)
    line_blocks = _noise_blocks(raw.lines, noise) + emptied
    blocks = tuple(sorted(line_blocks + pieces, key=lambda b: (b.first_line, b not in pieces)))
    parts = _split_parts(kept)
    problems = [_removal_problem(raw.source, block, block in pieces) for block in blocks]
    texts = tuple(
        ReportText(
            source=raw.source,
            part=i + 1,
            parts=len(parts),
            encoding=raw.encoding,
            lines=tuple(part),
            # Noise is shown on the page of the report it was found in or next to.
            noise=tuple(b for b in blocks if _owner(b, parts) == i),
            sha256=raw.sha256,
        )
        for i, part in enumerate(parts)
    )
    return texts, tuple(problems)


def _removal_problem(source: str, block: NoiseBlock, segment: bool) -> Problem:
    if segment:
        what = f"已移除第 {block.first_line} 行中的一段文字“{block.lines[0].strip()[:30]}”（{block.reason}）"
    else:
        what = (
            f"已移除第 {block.first_line}–{block.last_line} 行（{block.reason}，"
            f"{sum(1 for t in block.lines if t.strip())} 行文字）"
        )
    return Problem(source, block.first_line, INFO, "noise-removed",
                   f"{what}。如这些内容属于报告正文，请调整 scripts/data/noise.yml。")


# ---------------------------------------------------------------------------


def _cut_segments(
    lines: list[Line], rules: NoiseRules
) -> tuple[list[Line], tuple[NoiseBlock, ...], tuple[NoiseBlock, ...]]:
    """Remove noise glued to report text inside a line; the rest of the line is kept as it is.

    Returns the kept lines, the removed segments, and the lines that held
    nothing but noise (removed whole). Head-only rules apply before the first
    numbered heading line.
    """
    if not rules.segment_rules:
        return lines, (), ()
    headings = (i for i, line in enumerate(lines) if HEADING_START_RE.match(match_form(line.text)))
    first_heading = next(headings, len(lines))
    out: list[Line] = []
    removed: list[NoiseBlock] = []
    emptied: list[NoiseBlock] = []
    for i, line in enumerate(lines):
        text = line.text
        found: list[NoiseBlock] = []
        for group in rules.segment_rules:
            if group.head_only and i >= first_heading:
                continue
            if not group.search(match_form(text)):
                continue  # most lines: none of the group's patterns occurs, so none removes anything
            for pattern in group.patterns:
                while text.strip() and (m := pattern.search(match_form(text))) and m.end() > m.start():
                    found.append(NoiseBlock(line.number, line.number, group.reason, (text[m.start() : m.end()],)))
                    text = text[: m.start()] + text[m.end() :]
        if not found:
            out.append(line)
        elif text.strip():
            removed.extend(found)
            out.append(Line(text, line.number, line.style_level))
        else:
            emptied.append(NoiseBlock(line.number, line.number, found[0].reason, (line.text,)))
    return out, tuple(removed), tuple(emptied)


# Garbled traditional conversions print pinyin after characters: 時(shí)間 = 时间.
PINYIN_RE = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)")


def noise_form(text: str) -> str:
    """The form noise rules are matched against: match form without pinyin debris."""
    return PINYIN_RE.sub("", match_form(text))


def _find_noise(lines: tuple[Line, ...], rules: NoiseRules) -> dict[int, str]:
    """Line number → reason, for every line that is not report text."""
    noise: dict[int, str] = {}
    forms = [noise_form(line.text) for line in lines]

    for line, form in zip(lines, forms, strict=True):
        size = len(form.strip())
        if not size:
            continue
        for group in rules.line_rules:
            if size <= (group.max_chars or rules.line_max_chars) and group.search(form):
                noise[line.number] = group.reason
                break

    for i, form in enumerate(forms):
        if form.strip() and len(form.strip()) <= rules.line_max_chars and rules.tail_markers.search(form):
            for later in lines[i:]:
                noise[later.number] = rules.tail_markers.reason
            break

    # Everything before the first title or addressee is a head block; it is
    # noise only when it carries a known advertising/web cue, so an issuing
    # body or a file reference above the title is kept.
    candidates = [i for i, line in enumerate(lines) if line.number not in noise]
    start = next((i for i in candidates if is_title_line(lines[i].text)), None)
    if start is None:
        start = next((i for i in candidates if is_addressee_line(lines[i].text)), None)
    if start:
        head = lines[:start]
        if any(rules.head_block.search(forms[i]) for i in range(start)):
            for line in head:
                noise[line.number] = rules.head_block.reason
    return noise


def _noise_blocks(lines: tuple[Line, ...], noise: dict[int, str]) -> tuple[NoiseBlock, ...]:
    """Group noise lines into blocks of consecutive lines with one reason.

    Blank lines between two noise lines of the same reason join the block;
    blank lines are never reported on their own.
    """
    blocks: list[NoiseBlock] = []
    current: list[Line] = []
    reason = ""
    for line in lines:
        this = noise.get(line.number)
        if this and this == reason and current:
            current.append(line)
            continue
        if current:
            blocks.append(_make_block(current, reason))
            current = []
        if this:
            current, reason = [line], this
    if current:
        blocks.append(_make_block(current, reason))
    return tuple(b for b in blocks if any(t.strip() for t in b.lines))


def _make_block(lines: list[Line], reason: str) -> NoiseBlock:
    return NoiseBlock(lines[0].number, lines[-1].number, reason, tuple(line.text for line in lines))


def _split_parts(lines: list[Line]) -> list[list[Line]]:
    """Cut at part markers (篇1/篇2 …) when a file holds several reports."""
    markers = [
        i for i, line in enumerate(lines) if is_title_line(line.text) and PART_MARKER_RE.search(match_form(line.text))
    ]
    if len(markers) < 2:
        return [lines]
    parts = []
    # Text before the first marker stays with the first report: nothing is lost.
    cuts = [0] + markers[1:] + [len(lines)]
    for start, end in zip(cuts, cuts[1:], strict=False):
        parts.append(lines[start:end])
    return parts


def _owner(block: NoiseBlock, parts: list[list[Line]]) -> int:
    """Index of the report a noise block is shown with: the last one starting before it."""
    owner = 0
    for i, part in enumerate(parts):
        if part and part[0].number <= block.first_line:
            owner = i
    return owner
