"""A Word document (.docx) laid out to GB/T 9704-2012 (党政机关公文格式), as bytes.

Written as plain OOXML with zipfile rather than through python-docx: every
setting the standard asks for (East Asian fonts through ``w:eastAsia``, the
22 × 28 character grid, even/odd footers with the page number between em
dashes) is spelled out here, and the bytes are the same on every run (fixed
zip timestamps, fixed core properties), so a file generated for the site and
one written by the command line are identical.

Layout (GB/T 9704-2012 §5, §7): A4; margins 37 mm top, 35 mm bottom, 28 mm
left, 26 mm right; title 2号 (22 pt) 方正小标宋简体 centred; body 3号 (16 pt)
仿宋_GB2312 with a fixed line pitch of 28.9 pt (22 lines) and 28 characters
a line (characters narrowed by ``char_spacing``); headings 黑体 (level 1), 楷体_GB2312 (level 2), 仿宋_GB2312 bold
(level 3) and 仿宋_GB2312 (level 4); page numbers 4号 宋体 as "— 1 —", at the
outer side of the page: right on odd pages, left on even ones.
"""

from __future__ import annotations

import io
import math
import zipfile
from collections.abc import Sequence
from xml.sax.saxutils import escape

TWIPS_PER_MM = 1440 / 25.4
PAGE_W, PAGE_H = 11906, 16838
"""A4 in twips (210 × 297 mm)."""
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
LINE_TWIPS = 578
"""Fixed line spacing in twentieths of a point: 28.9 pt, 22 lines in the 225 mm text area."""
CHARS_PER_LINE = 28
BODY_PT, TITLE_PT, FOOTER_PT = 16, 22, 14

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONTS = {1: "黑体", 2: "楷体_GB2312", 3: BODY_FONT, 4: BODY_FONT}
BOLD_LEVELS = frozenset({3})
FOOTER_FONT = "宋体"
LATIN_FONT = "Times New Roman"

FIXED_DATE = "2000-01-01T00:00:00Z"
"""Core-properties dates: fixed, so the bytes do not depend on when they were made."""
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

Block = tuple[int, str]
"""(level, text): 0 = body paragraph, 1–4 = heading levels, -1 = body aligned right (signature)."""


def mm(value: float) -> int:
    return round(value * TWIPS_PER_MM)


def char_spacing() -> int:
    """``w:spacing w:val`` of body runs, in twentieths of a point: 3号 characters narrowed so 28 fit a line.

    A character grid (``w:docGrid w:type="linesAndChars"`` with a negative
    ``w:charSpace``) does this in Word, but LibreOffice gives each character
    that is wider than a grid cell two cells (14 characters a line); narrower
    characters and a line grid look the same in both.
    """
    text_width = PAGE_W - mm(MARGINS_MM["left"]) - mm(MARGINS_MM["right"])
    return math.floor(text_width / CHARS_PER_LINE) - BODY_PT * 20


def _fonts(east_asia: str) -> str:
    return (f'<w:rFonts w:ascii="{LATIN_FONT}" w:hAnsi="{LATIN_FONT}" w:eastAsia="{east_asia}" '
            f'w:cs="{LATIN_FONT}" w:hint="eastAsia"/>')


def _rpr(east_asia: str, size_pt: float, bold: bool = False) -> str:
    half = round(size_pt * 2)
    weight = "<w:b/><w:bCs/>" if bold else ""
    narrow = f'<w:spacing w:val="{char_spacing()}"/>' if size_pt == BODY_PT else ""
    return f"<w:rPr>{_fonts(east_asia)}{weight}{narrow}<w:sz w:val=\"{half}\"/><w:szCs w:val=\"{half}\"/></w:rPr>"


def _spacing() -> str:
    return f'<w:spacing w:before="0" w:after="0" w:line="{LINE_TWIPS}" w:lineRule="exact"/>'


def _style(style_id: str, name: str, font: str, size: float, bold: bool = False, align: str = "both",
           outline: int | None = None, indent: bool = True) -> str:
    ind = '<w:ind w:firstLineChars="200" w:firstLine="640"/>' if indent else '<w:ind w:firstLineChars="0" w:firstLine="0"/>'
    level = f'<w:outlineLvl w:val="{outline}"/>' if outline is not None else ""
    head = ('<w:style w:type="paragraph" w:default="1" w:styleId="Normal">' if style_id == "Normal"
            else f'<w:style w:type="paragraph" w:styleId="{style_id}">')
    based = "" if style_id == "Normal" else '<w:basedOn w:val="Normal"/>'
    return (f'{head}<w:name w:val="{name}"/>{based}<w:qFormat/>'
            f'<w:pPr>{_spacing()}{ind}<w:jc w:val="{align}"/>{level}</w:pPr>{_rpr(font, size, bold)}</w:style>')


STYLE_IDS = {0: "Normal", 1: "Heading1", 2: "Heading2", 3: "Heading3", 4: "Heading4", -1: "Signature"}


def styles_xml() -> str:
    styles = [
        _style("Normal", "Normal", BODY_FONT, BODY_PT),
        _style("Title", "Title", TITLE_FONT, TITLE_PT, align="center", indent=False),
        _style("Signature", "Signature", BODY_FONT, BODY_PT, align="right", indent=False),
    ]
    for level in (1, 2, 3, 4):
        styles.append(_style(STYLE_IDS[level], f"heading {level}", HEADING_FONTS[level], BODY_PT,
                             bold=level in BOLD_LEVELS, outline=level - 1))
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles xmlns:w="{W_NS}">'
            f"<w:docDefaults><w:rPrDefault>{_rpr(BODY_FONT, BODY_PT)}</w:rPrDefault>"
            f"<w:pPrDefault><w:pPr>{_spacing()}</w:pPr></w:pPrDefault></w:docDefaults>"
            + "".join(styles) + "</w:styles>")


def _paragraph(style: str, text: str, font: str, size: float, bold: bool = False) -> str:
    # Run properties repeat the style's: a paragraph pasted into another document keeps its fonts.
    return (f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>'
            f'<w:r>{_rpr(font, size, bold)}<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>')


def _block(level: int, text: str) -> str:
    if level in (1, 2, 3, 4):
        return _paragraph(STYLE_IDS[level], text, HEADING_FONTS[level], BODY_PT, level in BOLD_LEVELS)
    return _paragraph(STYLE_IDS.get(level, "Normal"), text, BODY_FONT, BODY_PT)


def _sect_pr() -> str:
    m = {k: mm(v) for k, v in MARGINS_MM.items()}
    return (f'<w:sectPr><w:footerReference w:type="default" r:id="rIdFooterOdd"/>'
            f'<w:footerReference w:type="even" r:id="rIdFooterEven"/>'
            f'<w:pgSz w:w="{PAGE_W}" w:h="{PAGE_H}"/>'
            f'<w:pgMar w:top="{m["top"]}" w:right="{m["right"]}" w:bottom="{m["bottom"]}" w:left="{m["left"]}" '
            f'w:header="851" w:footer="{mm(23)}" w:gutter="0"/>'
            f'<w:docGrid w:type="lines" w:linePitch="{LINE_TWIPS}"/></w:sectPr>')


def document_xml(title: str, blocks: Sequence[Block]) -> str:
    body = [_paragraph("Title", title, TITLE_FONT, TITLE_PT), _paragraph("Normal", "", BODY_FONT, BODY_PT)]
    body += [_block(level, text) for level, text in blocks]
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}">'
            f"<w:body>{''.join(body)}{_sect_pr()}</w:body></w:document>")


def footer_xml(side: str) -> str:
    """A footer with "— PAGE —" on ``side`` (right: odd pages, left: even pages), one character in from the edge."""
    rpr = _rpr(FOOTER_FONT, FOOTER_PT)
    indent = "w:right" if side == "right" else "w:left"
    field = (f'<w:r>{rpr}<w:t xml:space="preserve">— </w:t></w:r>'
             f'<w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>'
             f'<w:r>{rpr}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
             f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>'
             f"<w:r>{rpr}<w:t>1</w:t></w:r>"
             f'<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r>'
             f'<w:r>{rpr}<w:t xml:space="preserve"> —</w:t></w:r>')
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:ftr xmlns:w="{W_NS}" xmlns:r="{R_NS}">'
            f'<w:p><w:pPr><w:jc w:val="{side}"/><w:ind {indent}="{FOOTER_PT * 20}"/></w:pPr>{field}</w:p></w:ftr>')


SETTINGS_XML = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:settings xmlns:w="{W_NS}">'
                '<w:evenAndOddHeaders/><w:defaultTabStop w:val="420"/>'
                '<w:characterSpacingControl w:val="compressPunctuation"/><w:compat>'
                '<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>'
                "</w:compat></w:settings>")

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/settings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>'
    '<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>'
    '<Override PartName="/word/footer2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    "</Types>")

ROOT_RELS = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{REL_NS}">'
    f'<Relationship Id="rId1" Type="{DOC_REL}/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" '
    'Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{DOC_REL}/extended-properties" Target="docProps/app.xml"/></Relationships>')

DOCUMENT_RELS = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{REL_NS}">'
    f'<Relationship Id="rIdStyles" Type="{DOC_REL}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rIdSettings" Type="{DOC_REL}/settings" Target="settings.xml"/>'
    f'<Relationship Id="rIdFooterOdd" Type="{DOC_REL}/footer" Target="footer1.xml"/>'
    f'<Relationship Id="rIdFooterEven" Type="{DOC_REL}/footer" Target="footer2.xml"/></Relationships>')

APP_XML = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
           "<Application>reportkb</Application></Properties>")


def core_xml(title: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{escape(title)}</dc:title><dc:creator>意识形态工作报告知识库</dc:creator>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{FIXED_DATE}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{FIXED_DATE}</dcterms:modified></cp:coreProperties>')


def gongwen_docx(title: str, blocks: Sequence[Block]) -> bytes:
    """The .docx bytes of a document with ``title`` and ``blocks``; the same input gives the same bytes."""
    parts = [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", ROOT_RELS),
        ("docProps/app.xml", APP_XML),
        ("docProps/core.xml", core_xml(title)),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS),
        ("word/document.xml", document_xml(title, blocks)),
        ("word/footer1.xml", footer_xml("right")),
        ("word/footer2.xml", footer_xml("left")),
        ("word/settings.xml", SETTINGS_XML),
        ("word/styles.xml", styles_xml()),
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in parts:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0  # not the platform's default: the bytes are the same everywhere
            info.external_attr = 0o600 << 16
            archive.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()
