"""Reading a .docx body into Lines: paragraphs in reading order, styles, automatic numbering."""

from __future__ import annotations

import io
import zipfile

import docx
from docx.oxml.ns import qn

from reportkb.model import Line
from reportkb.stages.ingest.common import IngestError
from reportkb.stages.ingest.numbering import Numbering
from reportkb.stages.ingest.ooxml import W_VAL
from reportkb.stages.ingest.styles import Styles

MAX_DOCX_TOTAL = 200 * 1024 * 1024  # uncompressed bytes of all zip members
MAX_DOCX_RATIO = 100                # compression ratio refused for members ...
RATIO_MIN_SIZE = 10 * 1024 * 1024   # ... larger than this
OLE2_MAGIC = b"\xd0\xcf\x11\xe0"    # old binary .doc/.wps renamed to .docx
# Runs of a paragraph including those in insertions, content controls and smart
# tags (python-docx's paragraph.text sees only w:r and w:hyperlink); deleted
# text and text boxes are not part of the reading order.
RUN_XPATH = ".//w:r[not(ancestor::w:del) and not(ancestor::w:moveFrom) and not(ancestor::w:txbxContent)]"

RESAVE_DOCX = "请用 Word 打开后另存为 .docx 再放入 sources/。"


def read_docx(data: bytes) -> tuple[Line, ...]:
    """Lines of a .docx body in reading order, automatic numbering prefixed.

    Line.number counts every paragraph (body and table cells, empty ones
    included), so it is Word's "第N段"; empty paragraphs yield no Line. A soft
    line break (w:br) splits a paragraph into several Lines that share its
    number; the numbering label goes before the first one.
    """
    _check_zip(data)
    try:
        document = docx.Document(io.BytesIO(data))
        styles = Styles(document)
        numbering = Numbering(document, styles)
        lines: list[Line] = []
        for number, p in enumerate(_iter_paragraphs(document.element.body), 1):
            label = numbering.label(p)  # even for empty paragraphs: Word counts them too
            pieces = [s for s in "".join(r.text for r in p.xpath(RUN_XPATH)).split("\n") if s.strip()]
            if pieces:
                level = styles.heading_level(p)
                pieces[0] = label + pieces[0]
                lines.extend(Line(piece, number, level) for piece in pieces)
        return tuple(lines)
    except Exception as exc:  # python-docx, lxml and zipfile raise many types for a damaged file
        raise IngestError("docx-corrupt", f"Word 文件已损坏，无法读取：{RESAVE_DOCX}") from exc


def _check_zip(data: bytes) -> None:
    """Refuse non-zips, damaged zips and zip bombs before python-docx sees them."""
    if not data.startswith(b"PK"):
        what = "实际是旧版 .doc 文件" if data.startswith(OLE2_MAGIC) else "内容不是 Word 文档"
        raise IngestError("docx-not-zip", f"文件扩展名是 .docx，但{what}：{RESAVE_DOCX}")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise IngestError("docx-corrupt", f"Word 文件已损坏（压缩包不完整）：{RESAVE_DOCX}") from exc
    if "word/document.xml" not in {info.filename for info in infos}:
        raise IngestError("docx-corrupt", f"Word 文件缺少正文部分（word/document.xml）：{RESAVE_DOCX}")
    if sum(info.file_size for info in infos) > MAX_DOCX_TOTAL or any(
            info.file_size > RATIO_MIN_SIZE and info.file_size > MAX_DOCX_RATIO * max(1, info.compress_size)
            for info in infos):
        raise IngestError("docx-too-large", "Word 文件解压后过大（超过 200 MB 或压缩比异常）："
                                            "请删除其中的大图片等内容后另存为 .docx，或复制正文另存为 .txt。")


def _iter_paragraphs(container):
    """w:p elements in reading order; table cells row by row, each merged cell once."""
    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            yield child
        elif child.tag == qn("w:tbl"):
            for tc in child.iterfind(f"{qn('w:tr')}/{qn('w:tc')}"):
                # A horizontal span is one w:tc; a vMerge continuation repeats the cell
                # above (python-docx hands back that cell's _tc), so it is skipped.
                merge = tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
                if merge is None or merge.get(W_VAL) == "restart":
                    yield from _iter_paragraphs(tc)
        elif child.tag in (qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")):
            yield from _iter_paragraphs(child)
