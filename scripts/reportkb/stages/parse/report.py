"""Build the Report of one cleaned report: title, blocks, outline, metadata."""

from __future__ import annotations

import re

from pymdownx.slugs import slugify

from reportkb.model import INFO, Block, Line, Problem, Report, ReportText, Section
from reportkb.stages.clean import is_addressee_line, is_title_line, match_form, noise_form
from reportkb.stages.parse.ends import SENTENCE_END
from reportkb.stages.parse.items import keep_runs
from reportkb.stages.parse.marks import find_mark, lead_length
from reportkb.stages.parse.meta import derive_title, period_of, unit_of, year_of
from reportkb.stages.parse.outline import Outline
from reportkb.stages.parse.pdf import fragment_title, joined_heading
from reportkb.stages.parse.plain import is_plain_heading
from reportkb.stages.parse.split import LineContext, Piece, split_line

HEADING_TRIM = f"{SENTENCE_END}.：:；;，, \t\u3000\u00a0"
# A title glued to the text after it (pages without line breaks): a short
# prefix ending in a report word, with an optional site suffix (精编, (2)).
GLUED_TITLE_RE = re.compile(
    r"^(?:\d{1,2}、)?[^。！？!?，,：:；;\s]{4,80}?(?:报告|总结|汇报|篇[一二三四五六七八九十\d]{1,2})(?:精编|范文|\(\d\))?"
    r"(?=\S)(?![)）”\"》]|报告|总结|汇报)"
)

_slug = slugify(case="lower")


TITLE_SCAN = 40
"""How many leading lines may hold page titles (or a printed outline) before the report's own title."""
OUTLINE_LINE_MAX = 40
PAGE_TITLE_MAX = 40
SENTENCE_PUNCT_RE = re.compile(r"[。！？!?：:；;，,]")
# The download name of a document: "….docx", "….pdf" (and a badge glued to it).
FILE_SUFFIX_RE = re.compile(r"\.(?:docx?|pdf|pptx?|wps|txt)\S*$", re.IGNORECASE)
# A collection's title before the report's own (…范文(精选五篇)新形势…篇一) and a page-count suffix (十页).
COLLECTION_RE = re.compile(r"^.*?[(（](?:精选|优质|通用)?[0-9一二三四五六七八九十]+篇[)）]\s*(?=\S)")
# A later title line must end like a title (not "…现报告如下").
TITLE_TAIL_RE = re.compile(r"(报告|总结|汇报|发言|材料|精编|范文|篇[一二三四五六七八九十\d]{1,2}|\(\d\))\s*$")
# A page title stuffed with keywords after a space: "某某报告 某某,某某,报告".
KEYWORDS_RE = re.compile(r"\s+[^\s,，]+(?:[,，][^\s,，]+)+\s*$")
PAGE_SUFFIX_RE = re.compile(r"\s*[(（][0-9一二三四五六七八九十]+页[)）]\s*$")


def _title_index(content: list[Line]) -> int | None:
    """The report's own title among its leading lines: the last title line before the body starts.

    Pages print their own title (and the site's) before the report's title;
    an outline of numbered lines may stand between them.
    """
    chosen = None
    for i, line in enumerate(content[:TITLE_SCAN]):
        form = noise_form(line.text).strip()
        if is_title_line(line.text):
            if chosen is None or TITLE_TAIL_RE.search(form):
                chosen = i
            continue
        if find_mark(form, lead_length(form)) and (i == 0 or len(form) <= OUTLINE_LINE_MAX):
            continue  # an outline printed before the title
        if chosen is None and len(form) <= PAGE_TITLE_MAX and not SENTENCE_PUNCT_RE.search(form):
            continue  # a page or collection title that names no report
        break
    return chosen


def _clean_title(text: str) -> str:
    """The title's words: without a collection prefix or a page-count suffix."""
    title = re.sub(r"^\d{1,2}、", "", text.strip())  # a document viewer's page marker
    title = FILE_SUFFIX_RE.sub("", title)
    m = COLLECTION_RE.match(title)
    if m and len(title) > m.end():
        title = title[m.end() :]
    title = KEYWORDS_RE.sub("", title)
    return PAGE_SUFFIX_RE.sub("", title).strip()


def _glued_title(text: str) -> int:
    """Length of a title glued to the body on the report's first line, or 0."""
    form = match_form(text)
    m = GLUED_TITLE_RE.match(form)
    return m.end() if m and len(form) > m.end() + 10 else 0


def parse_report(text: ReportText, report_id: str) -> tuple[Report, tuple[Problem, ...]]:
    """Build the Report for one cleaned report."""
    problems: list[Problem] = []
    content = [line for line in text.lines if line.text.strip()]
    blocks: list[Block] = []

    title_line = addressee_line = None
    title_block: Block | None = None
    title_text = ""
    first_start = 0
    chosen = _title_index(content)
    if chosen is not None:
        title_line = content.pop(chosen)
        title_text = _clean_title(title_line.text)
        title_block = Block("title", title_line.text, title_line.number, 0, None)
    elif content and (cut := _glued_title(content[0].text)):
        title_line = content[0]
        title_text = _clean_title(title_line.text[:cut])
        first_start = cut
        title_block = Block("title", title_line.text[:cut], title_line.number, 0, None)
        chosen = 0
    elif pieces := fragment_title(content):
        # A title broken over several lines: read joined, its lines stay as paragraphs.
        title_text = "".join(line.text.strip() for line in content[:pieces])
        title_line = content[0]
        title_block = None
    after = chosen or 0
    if not first_start and len(content) > after and is_addressee_line(content[after].text):
        addressee_line = content.pop(after)

    sections, body_blocks = _read_outline(content, first_start, title_line)
    if title_block is not None:
        place = next((i for i, b in enumerate(body_blocks) if b.line >= title_line.number), len(body_blocks))
        if first_start:
            place = 0
        body_blocks.insert(place, title_block)
        place += 1
        if addressee_line is not None:
            body_blocks.insert(place, Block("addressee", addressee_line.text, addressee_line.number, 0, None))
    elif addressee_line is not None:
        body_blocks.insert(0, Block("addressee", addressee_line.text, addressee_line.number, 0, None))
    blocks.extend(body_blocks)

    # The opening: paragraphs before the first numbered heading (an unnumbered 引言 may precede it).
    first_numbered = next((s.index for s in sections if s.mark), len(sections))
    opening = " ".join(
        b.text for b in blocks if b.kind == "paragraph" and (b.section is None or b.section < first_numbered)
    )
    body = "".join(b.text for b in blocks)
    year = year_of(title_text, opening)
    period = period_of(title_text, opening, body)
    unit = unit_of(opening, title_text, body)
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


def _read_outline(content: list[Line], first_start: int, title_line: Line | None) -> tuple[list[Section], list[Block]]:
    """Split every line, keep the run-in items that form runs, build sections and blocks."""
    outline = Outline()
    cut: list[tuple[Line, Piece]] = []
    skip = 0
    short: dict[int, bool] = {}  # _short_line by index: each line is the neighbour of two others

    def is_short(k: int) -> bool:
        found = short.get(k)
        if found is None:
            found = short[k] = _short_line(content[k])
        return found

    for i, line in enumerate(content):
        if skip:
            skip -= 1
            cut.append((line, Piece("paragraph", 0, len(line.text))))
            continue
        joined = joined_heading(content, i)
        if joined:
            form = match_form(line.text)
            mark = find_mark(form, lead_length(form))
            depth = outline.push(mark.cls, mark.value)
            n = len(line.text)
            cut.append((line, Piece("heading", 0, n, mark, depth, mark.end, n, joined=joined[0])))
            skip = joined[1]
            continue
        start = first_start if (i == 0 and title_line is line) else 0
        alone = (
            (i > 0 or title_line is not None)
            and i + 1 < len(content)
            and not is_short(i + 1)
            and not (i > 0 and is_short(i - 1))
        )
        ctx = LineContext(match_form(line.text), outline, alone, i > 0 and _broken_off(content[i - 1].text))
        cut.extend((line, piece) for piece in split_line(line, ctx, start))

    # Which run-in items form runs: candidates grouped by the section they are in.
    candidates: list[tuple[int | None, int]] = []
    where: list[int] = []
    owner: int | None = None
    for k, (_, piece) in enumerate(cut):
        if piece.kind != "heading":
            continue
        if piece.item:
            candidates.append((owner, piece.mark.value))
            where.append(k)
        else:
            owner = k
    kept = {where[i] for i in keep_runs(candidates)}

    sections: list[Section] = []
    blocks: list[Block] = []
    used_anchors: set[str] = set()
    numbered: list[int] = []  # numbered section open at each depth - 1
    current: int | None = None  # section the text belongs to
    holder: int | None = None  # last section that is not a run-in item
    for k, (line, piece) in enumerate(cut):
        chunk = line.text[piece.start : piece.end]
        is_heading = piece.kind == "heading" and (not piece.item or k in kept)
        if not is_heading:
            if blocks and blocks[-1].kind == "paragraph" and blocks[-1].line == line.number:
                last = blocks[-1]
                blocks[-1] = Block("paragraph", last.text + chunk, last.line, last.column, last.section)
            else:
                blocks.append(Block("paragraph", chunk, line.number, piece.start, current))
            continue
        index = len(sections)
        if piece.item:
            parent = holder
        elif piece.plain:
            parent = numbered[-1] if numbered else None
        else:
            del numbered[piece.depth - 1 :]
            parent = numbered[-1] if numbered else None
            numbered.append(index)
        depth = sections[parent].depth + 1 if parent is not None else 1
        mark_text = line.text[piece.mark.start : piece.mark.end] if piece.mark else ""
        heading = piece.joined or line.text[piece.words : piece.heading_end].strip(HEADING_TRIM)
        sections.append(
            Section(
                index=index,
                depth=depth,
                mark=mark_text.strip(),
                heading=heading,
                line=line.number,
                inline=piece.start > 0 and bool(line.text[: piece.start].strip()),
                parent=parent,
                anchor=_anchor(mark_text + heading, index, used_anchors),
            )
        )
        current = index
        if not piece.item:
            holder = index
        blocks.append(Block("heading", chunk, line.number, piece.start, index))
    return sections, blocks


BROKEN_MIN_CHARS = 100


def _short_line(line: Line) -> bool:
    """A neighbour that could itself be an unnumbered heading: short lines side by side are a table or a list."""
    form = match_form(line.text)
    return is_plain_heading(form[lead_length(form) :])


def _broken_off(text: str) -> bool:
    """A long line that stops in the middle of a sentence (a page break cut it)."""
    words = text.rstrip()
    return len(words) >= BROKEN_MIN_CHARS and "\u4e00" <= words[-1] <= "\u9fff"


def _anchor(text: str, index: int, used: set[str]) -> str:
    """A stable HTML id that keeps Chinese: 一加强组织领导 (deduplicated)."""
    base = _slug(text, "-")[:60].strip("-") or f"s{index + 1}"
    anchor, n = base, 2
    while anchor in used:
        anchor, n = f"{base}-{n}", n + 1
    used.add(anchor)
    return anchor
