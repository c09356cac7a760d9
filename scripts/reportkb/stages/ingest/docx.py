"""Reading a .docx into Lines: the body streamed in reading order, with numbering, text boxes and notes.

The body (word/document.xml or wherever _rels/.rels points) is parsed as a
stream, one paragraph at a time, and the text is counted as it is produced:
a file that would expand beyond MAX_TEXT_BYTES is refused as soon as it
passes the bound, never after building it whole. python-docx supplies the
XML classes (a run's text as Word shows it) and the default styles.
"""

from __future__ import annotations

from dataclasses import replace

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import nsmap, qn
from docx.oxml.parser import element_class_lookup, parse_xml
from docx.parts.styles import StylesPart
from lxml import etree

from reportkb.model import INFO, WARNING, Line, Problem
from reportkb.stages.ingest.common import MAX_TEXT_BYTES, IngestError
from reportkb.stages.ingest.numbering import Numbering
from reportkb.stages.ingest.ooxml import W_VAL, val
from reportkb.stages.ingest.package import MAX_MAIN_PART, MB, Package, corrupt, open_package
from reportkb.stages.ingest.styles import Styles

NS = {"mc": "http://schemas.openxmlformats.org/markup-compatibility/2006", **nsmap}
# Runs of a paragraph including those in insertions, content controls and smart
# tags (python-docx's paragraph.text sees only w:r and w:hyperlink), but not deleted
# text nor the runs of a text box inside it ($boxes: text boxes the paragraph itself is in).
RUNS = etree.XPath(".//w:r[not(ancestor::w:del) and not(ancestor::w:moveFrom)"
                   " and count(ancestor::w:txbxContent) = $boxes]", namespaces=NS)
# Text boxes anchored in a paragraph, once: mc:Fallback repeats the mc:Choice one (VML after DrawingML).
TEXT_BOXES = etree.XPath(".//w:txbxContent[not(ancestor::mc:Fallback) and not(ancestor::w:del)"
                         " and not(ancestor::w:moveFrom) and count(ancestor::w:txbxContent) = $boxes]", namespaces=NS)
# What holds text this reader does not read: formulas, charts, SmartArt, embedded objects (reported, not guessed at).
UNREAD_TAGS = (qn("m:oMath"), qn("c:chart"), qn("dgm:relIds"), qn("w:object"))
UNREAD_HERE = etree.XPath("not(ancestor::w:del) and count(ancestor::w:txbxContent) = $boxes", namespaces=NS)
W_P, W_TBL, W_TR, W_TC, W_R = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:r")
W_SDT, W_SDT_CONTENT, W_CUSTOM_XML = qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")
W_DOCUMENT, W_BODY, W_ID, W_ALT_CHUNK = qn("w:document"), qn("w:body"), qn("w:id"), qn("w:altChunk")
V_MERGE = f"{qn('w:tcPr')}/{qn('w:vMerge')}"
NOTES = {  # reference tag -> (relationship, note tag, what the label says)
    qn("w:footnoteReference"): (RT.FOOTNOTES, qn("w:footnote"), "注"),
    qn("w:endnoteReference"): (RT.ENDNOTES, qn("w:endnote"), "尾注"),
}
TOO_MUCH_TEXT = ("Word 文件中的文字超过 {limit} MB（读到第 {number} 段时），远超一篇报告的篇幅，已停止读取："
                 "请检查是否放错了文件，或把其中的报告分别另存为 .docx 或 .txt。")


def read_docx(data: bytes) -> tuple[Line, ...]:
    """Lines of a .docx in reading order (see :func:`read_word`), without the notes about them."""
    return read_word(data, "")[0]


def read_word(data: bytes, source: str) -> tuple[tuple[Line, ...], tuple[Problem, ...]]:
    """Lines of a .docx body in reading order, automatic numbering prefixed, and what to tell about them.

    Line.number counts every paragraph of the body (table cells and empty
    paragraphs included), so it is Word's "第N段"; empty paragraphs yield no
    Line. A soft line break (w:br) splits a paragraph into several Lines that
    share its number; the numbering label goes before the first one. The
    paragraphs of a text box follow the paragraph it is anchored in, and a
    footnote or endnote follows the paragraph that first refers to it, as
    "注1：…"; both share that paragraph's number. Hidden text is left out.
    """
    try:
        package = open_package(data)
        reader = _Reader(package, source)
        reader.read(package.stream(package.main, MAX_MAIN_PART))
    except IngestError:
        raise
    except Exception as exc:  # lxml and zipfile raise many types for a damaged file
        raise corrupt() from exc
    return tuple(reader.lines), reader.problems()


def iter_paragraphs(container):
    """w:p elements in reading order; table cells row by row, each merged cell once."""
    for child in container.iterchildren():
        if child.tag == W_P:
            yield child
        elif child.tag == W_TBL:
            for tc in child.iterfind(f"{W_TR}/{W_TC}"):
                # A horizontal span is one w:tc; a vMerge continuation repeats the cell
                # above (python-docx hands back that cell's _tc), so it is skipped.
                if _continues_cell_above(tc):
                    continue
                yield from iter_paragraphs(tc)
        elif child.tag in (W_SDT, W_SDT_CONTENT, W_CUSTOM_XML):
            yield from iter_paragraphs(child)


def _continues_cell_above(tc) -> bool:
    merge = tc.find(V_MERGE)
    return merge is not None and merge.get(W_VAL) != "restart"


def _in_reading_order(p, body) -> bool:
    """Whether iter_paragraphs(body) yields p, decided from p's ancestors alone (the stream has no later siblings)."""
    node = p.getparent()
    while node is not None and node is not body:
        if node.tag == W_TC:
            row = node.getparent()
            table = None if row is None or row.tag != W_TR else row.getparent()
            if _continues_cell_above(node) or table is None or table.tag != W_TBL:
                return False
            node = table.getparent()
        elif node.tag in (W_SDT, W_SDT_CONTENT, W_CUSTOM_XML):
            node = node.getparent()
        else:
            return False  # e.g. a paragraph of a text box: read with the paragraph it is anchored in
    return node is not None


class _Reader:
    """One document's reading: styles, numbering and notes parsed whole, the body as a stream."""

    def __init__(self, package: Package, source: str):
        self.source = source
        styles = package.read_related(RT.STYLES)
        # python-docx gives a document without styles.xml its default styles; so do we.
        self.styles = Styles(parse_xml(styles if styles is not None else StylesPart._default_styles_xml()))
        numbering = package.read_related(RT.NUMBERING)
        self.numbering = Numbering(None if numbering is None else parse_xml(numbering), self.styles)
        self.notes: dict[str, dict[str | None, object]] = {}
        for reltype, note_tag, _ in NOTES.values():
            part = package.read_related(reltype)
            root = None if part is None else parse_xml(part)
            self.notes[note_tag] = {} if root is None else {
                note.get(W_ID): note for note in root.iterchildren(note_tag)
                if note.get(qn("w:type")) in (None, "normal")}  # not the separator lines
        self.note_counts = dict.fromkeys(self.notes, 0)
        self.notes_read: set[tuple[str, str | None]] = set()
        self.lines: list[Line] = []
        self.text_bytes = 0
        self.hidden: list[int] = []               # paragraphs with hidden text
        self.refused: list[tuple[int, str]] = []  # (paragraph, why its numbering label was left out)
        self.unread: list[int] = []               # paragraphs holding formulas, charts, embedded objects

    def read(self, stream) -> None:
        events = etree.iterparse(stream, events=("end",), tag=(W_P, W_TBL, W_SDT, W_CUSTOM_XML, W_ALT_CHUNK),
                                 remove_blank_text=True, resolve_entities=False)  # as python-docx parses
        events.set_element_class_lookup(element_class_lookup)
        body, number = None, 0
        for _, element in events:
            if body is None:
                root = element.getroottree().getroot()
                body = root.find(W_BODY) if root.tag == W_DOCUMENT else None
            if element.tag == W_ALT_CHUNK:  # a whole imported file (HTML, RTF) in its own part
                self.unread.append(number)
            if element.tag == W_P and body is not None and _in_reading_order(element, body):
                number += 1
                self.paragraph(element, number, 0)
                element.clear()  # read: only the empty shell stays in memory
            if body is not None and element.getparent() is body:
                element.clear()
                while element.getprevious() is not None:
                    del body[0]
        if events.root is None or events.root.tag != W_DOCUMENT or events.root.find(W_BODY) is None:
            raise corrupt("（缺少正文）")

    def paragraph(self, p, number: int, boxes: int, numbered: bool = True) -> None:
        """Lines of one paragraph, then of the text boxes anchored in it, then of the notes it refers to."""
        label = self.numbering.label(p) if numbered else ""  # even for empty paragraphs: Word counts them too
        if self.numbering.refused is not None:
            self.refused.append((number, self.numbering.refused))
            self.numbering.refused = None
        runs, shown, p_style = RUNS(p, boxes=boxes), [], val(p, "w:pPr/w:pStyle") or ""
        for run in runs:
            if not self.styles.hidden(run, p, p_style):
                shown.append(run)
            elif run.text.strip() and (not self.hidden or self.hidden[-1] != number):
                self.hidden.append(number)  # numbers only grow: notes and text boxes share their paragraph's
        pieces = [s for s in "".join(r.text for r in shown).split("\n") if s.strip()]
        if pieces:
            level = self.styles.heading_level(p)
            pieces[0] = label + pieces[0]
            for piece in pieces:
                self.emit(Line(piece, number, level))
        for box in TEXT_BOXES(p, boxes=boxes):
            anchor = next(box.iterancestors(W_R), None)
            if anchor is None or not self.styles.hidden(anchor, p):
                for inner in iter_paragraphs(box):
                    self.paragraph(inner, number, boxes + 1)
        if (not self.unread or self.unread[-1] != number) and any(
                UNREAD_HERE(e, boxes=boxes) for e in p.iter(*UNREAD_TAGS)):  # iter first: C speed, rarely found
            self.unread.append(number)
        for run in shown:
            for ref in run.iterchildren(*NOTES):
                self.note(ref, number)

    def note(self, ref, number: int) -> None:
        """A footnote or endnote, once, after the first paragraph that refers to it."""
        _, note_tag, name = NOTES[ref.tag]
        key = (note_tag, ref.get(W_ID))
        note = self.notes[note_tag].get(key[1])
        if note is None or key in self.notes_read:
            return
        self.notes_read.add(key)
        custom = ref.get(qn("w:customMarkFollows")) in ("1", "true", "on")  # its own mark, outside the count
        if not custom:
            self.note_counts[note_tag] += 1
        first = len(self.lines)
        for inner in iter_paragraphs(note):
            self.paragraph(inner, number, 0, numbered=False)
        if len(self.lines) > first:
            prefix = f"{name}{'' if custom else self.note_counts[note_tag]}："
            # The space Word puts after the note's own mark would follow the label.
            self.lines[first] = replace(self.lines[first], text=prefix + self.lines[first].text.lstrip())
            self.count(prefix, number)

    def emit(self, line: Line) -> None:
        self.count(line.text + "\n", line.number)
        self.lines.append(line)

    def count(self, text: str, number: int) -> None:
        self.text_bytes += len(text.encode("utf-8", "surrogatepass"))
        if self.text_bytes > MAX_TEXT_BYTES:
            raise IngestError("docx-too-large", TOO_MUCH_TEXT.format(limit=MAX_TEXT_BYTES // MB, number=number))

    def problems(self) -> tuple[Problem, ...]:
        found = []
        if self.refused:
            first, why = self.refused[0]
            found.append(Problem(self.source, first, WARNING, "docx-numbering",
                                 f"自动编号异常（{why}），{len(self.refused)} 段的编号未收录，正文照常读取："
                                 "请在 Word 中右键该编号，用“设置编号值”或“定义新编号格式”改正后另存为 .docx。"))
        if self.unread:
            found.append(Problem(self.source, self.unread[0] or None, INFO, "docx-left-out",
                                 f"有 {len(self.unread)} 处公式、图表、SmartArt 或嵌入的对象/文档，其中的文字未收录："
                                 "如需收录，请在 Word 中把这些内容改为普通文字后另存为 .docx。"))
        if self.hidden:
            found.append(Problem(self.source, self.hidden[0], INFO, "docx-hidden",
                                 f"有 {len(self.hidden)} 段含有隐藏文字（在 Word 中设为“隐藏”），这些文字未收录："
                                 "如需收录，请在 Word 中选中这些文字，取消“字体→隐藏”后另存为 .docx。"))
        return tuple(found)
