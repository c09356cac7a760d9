"""Tests for reportkb.stages.ingest: encodings, line splitting, .docx reading, refusals."""


import codecs
import hashlib
import io
import random
import re
import zipfile

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from reportkb.errors import SourceError
from reportkb.model import INFO, WARNING, Line
from reportkb.stages import ingest
from reportkb.stages.ingest.numbering import format_number
from reportkb.stages.ingest.text import split_lines

GB_TEXT = "关于2023年意识形态工作的自查报告\n一、加强组织领导。（一）Ⅹ＜＞“引号”，顿号、分号；\n"


def write(tmp_path, name, data):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def read(tmp_path, name, data):
    return ingest.read_source(write(tmp_path, name, data), tmp_path)


def texts(doc):
    return [(line.text, line.number) for line in doc.lines]


def only_problem(problems):
    assert len(problems) == 1, problems
    return problems[0]


# ----------------------------------------------------------------- encodings


def test_utf8_without_bom(tmp_path):
    doc, problems = read(tmp_path, "a.txt", "一、意识形态\n**XX**单位\n".encode())
    assert problems == ()
    assert doc.encoding == "utf-8"
    assert texts(doc) == [("一、意识形态", 1), ("**XX**单位", 2)]
    assert doc.source == "a.txt"
    assert doc.sha256 == hashlib.sha256("一、意识形态\n**XX**单位\n".encode()).hexdigest()


def test_plain_ascii_is_utf8():
    assert ingest.decode_text(b"Report 2023\n") == ("Report 2023\n", "utf-8")


def test_utf8_bom(tmp_path):
    doc, problems = read(tmp_path, "a.txt", codecs.BOM_UTF8 + "报告\n正文".encode())
    assert problems == ()
    assert doc.encoding == "utf-8-sig"
    assert texts(doc) == [("报告", 1), ("正文", 2)]


def test_utf16_le_bom(tmp_path):
    data = codecs.BOM_UTF16_LE + "意识形态\r\n工作".encode("utf-16-le")
    doc, problems = read(tmp_path, "a.txt", data)
    assert doc.encoding == "utf-16"
    assert texts(doc) == [("意识形态", 1), ("工作", 2)]
    assert only_problem(problems).code == "encoding"


def test_gb18030(tmp_path):
    doc, problems = read(tmp_path, "gb.txt", GB_TEXT.encode("gb18030"))
    assert doc.encoding == "gb18030"
    assert [line.text for line in doc.lines] == GB_TEXT.splitlines()
    problem = only_problem(problems)
    assert (problem.level, problem.code, problem.line) == (INFO, "encoding", None)
    assert "GB18030" in problem.message and problem.source == "gb.txt"


def test_gbk_only_characters():
    text = "朱镕基同志的讲话精神，堃、喆等字也要保留。意识形态工作责任制落实到位。"
    assert ingest.decode_text(text.encode("gbk")) == (text, "gb18030")


def test_gb2312_bytes_are_not_mistaken():
    text = "党委高度重视意识形态工作，把意识形态工作纳入重要议事日程。"
    assert ingest.decode_text(text.encode("gb2312")) == (text, "gb18030")


def test_big5_via_charset_normalizer():
    text = ("關於2023年上半年意識形態工作的自查報告。根據黨委的統一部署，我們認真開展了"
            "意識形態工作責任制落實情況的自查，現將有關情況報告如下：一、加強組織領導，壓實工作責任。")
    decoded, encoding = ingest.decode_text(text.encode("big5"))
    assert (decoded, encoding) == (text, "big5")


def test_line_endings_crlf_and_cr(tmp_path):
    doc, _ = read(tmp_path, "a.txt", "第一行\r\n第二行\r第三行\n\n第五行\r\n".encode())
    assert texts(doc) == [("第一行", 1), ("第二行", 2), ("第三行", 3), ("", 4), ("第五行", 5)]


def test_trailing_empty_line_kept_once():
    assert [line.text for line in split_lines("a\n\n")] == ["a", ""]
    assert [line.text for line in split_lines("a")] == ["a"]


def test_characters_kept_exactly(tmp_path):
    raw = "\u3000\u3000一、加强\u00a0领导 \n**XX**\u000c正文\u2028续 \n"
    doc, _ = read(tmp_path, "a.txt", raw.encode())
    assert texts(doc) == [("\u3000\u3000一、加强\u00a0领导 ", 1), ("**XX**\u000c正文\u2028续 ", 2)]


@pytest.mark.parametrize("data", [b"", b"  \r\n\t", "\u3000\n\u00a0\n".encode(), codecs.BOM_UTF8])
def test_empty_file(tmp_path, data):
    doc, problems = read(tmp_path, "empty.txt", data)
    assert doc is None
    problem = only_problem(problems)
    assert (problem.code, problem.level, problem.source) == ("empty-file", WARNING, "empty.txt")


@pytest.mark.parametrize("data", [
    b"\x00" * 4000,
    bytes(range(256)) * 20 + b"\x00" * 500,
    b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00\x01\x02\x03" * 500,
])
def test_binary_file_refused(tmp_path, data):
    doc, problems = read(tmp_path, "bin.txt", data)
    assert doc is None
    problem = only_problem(problems)
    assert problem.code == "binary-file" and problem.level == WARNING
    assert "请提供" in problem.message
    with pytest.raises(SourceError):
        ingest.decode_text(data)


def test_nearly_utf8_names_line(tmp_path):
    data = ("意识形态工作自查报告\n" * 20).encode() + b"\xff\xfe\xfd" + "正文\n".encode()
    doc, problems = read(tmp_path, "a.txt", data)
    assert doc is None
    problem = only_problem(problems)
    assert problem.code == "encoding-broken" and "第 21 行" in problem.message


# ---------------------------------------------------------------- unsupported


@pytest.mark.parametrize("name, advice", [
    ("old.doc", "请用 Word 或 WPS 打开后另存为 .docx"),
    ("a.wps", "请用 Word 或 WPS 打开后另存为 .docx"),
    ("a.rtf", "请用 Word 或 WPS 打开后另存为 .docx"),
    ("scan.pdf", "请复制正文另存为 .txt（UTF-8）或转换为 .docx"),
    ("photo.PNG", "图片无法读取文字，请提供 .docx 或 .txt"),
    ("data.xyz", "仅支持 .txt 和 .docx"),
    ("README", "仅支持 .txt 和 .docx"),
])
def test_unsupported_format(tmp_path, name, advice):
    doc, problems = read(tmp_path, f"sub/{name}", b"whatever")
    assert doc is None
    problem = only_problem(problems)
    assert (problem.code, problem.level, problem.line) == ("unsupported-format", WARNING, None)
    assert advice in problem.message
    assert problem.source == f"sub/{name}"


def test_list_sources(tmp_path):
    for name in ["b.txt", "a/z.docx", "a/b.txt", ".hidden.txt", ".git/x.txt", "c/.DS_Store", "A.txt"]:
        write(tmp_path, name, b"x")
    found = [p.relative_to(tmp_path).as_posix() for p in ingest.list_sources(tmp_path)]
    assert found == ["A.txt", "a/b.txt", "a/z.docx", "b.txt"]


# ---------------------------------------------------------------------- docx

ABSTRACT_XML = f"""<w:abstractNum {nsdecls('w')} w:abstractNumId="90">
  <w:multiLevelType w:val="multilevel"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>
    <w:lvlText w:val="%1、"/><w:suff w:val="nothing"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>
    <w:lvlText w:val="（%2）"/><w:suff w:val="nothing"/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/>
    <w:lvlText w:val="%3."/></w:lvl>
  <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="bullet"/>
    <w:lvlText w:val="\u25cf"/></w:lvl>
</w:abstractNum>"""
NUM_XML = f'<w:num {nsdecls("w")} w:numId="{{num}}"><w:abstractNumId w:val="90"/>{{extra}}</w:num>'
RESTART_XML = '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>'


def add_numbering(document):
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(ABSTRACT_XML))
    numbering.append(parse_xml(NUM_XML.format(num=90, extra="")))
    numbering.append(parse_xml(NUM_XML.format(num=91, extra=RESTART_XML)))


def numbered(document, text, ilvl, style=None, num=90):
    paragraph = document.add_paragraph(text, style)
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = ilvl
    num_pr.get_or_add_numId().val = num
    return paragraph


def build_docx():
    document = docx.Document()
    add_numbering(document)
    document.add_paragraph("关于2023年意识形态工作的自查报告", "Title")      # 1
    document.add_paragraph("县委宣传部：")                                   # 2
    document.add_paragraph("")                                               # 3 empty
    numbered(document, "加强组织领导", 0, "Heading 1")                       # 4
    numbered(document, "完善制度", 1, "Heading 2")                           # 5
    numbered(document, "高度重视", 2)                                         # 6
    numbered(document, "压实责任", 2)                                         # 7
    document.add_paragraph("正文段落，**XX**保持原样。")                     # 8
    numbered(document, "强化阵地", 1, "Heading 2")                           # 9
    numbered(document, "严格审核", 2)                                         # 10
    numbered(document, "要点", 3)                                             # 11 bullet
    table = document.add_table(rows=3, cols=3)                               # 12..18
    table.cell(0, 0).merge(table.cell(0, 1)).text = "表头甲"
    table.cell(0, 2).text = "表头乙"
    table.cell(1, 0).text = "一行一"
    table.cell(1, 1).text = "一行二"
    table.cell(1, 2).merge(table.cell(2, 2)).text = "纵向合并"
    table.cell(2, 0).text = "二行一"
    table.cell(2, 1).text = "二行二"
    numbered(document, "存在问题", 0, "Heading 1")                           # 19
    numbered(document, "学习不深", 1)                                         # 20
    style = document.styles.add_style("标题 3", WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("中文样式名", style)                              # 21
    derived = document.styles.add_style("一级编号", WD_STYLE_TYPE.PARAGRAPH)
    derived.base_style = document.styles["Heading 1"]
    num_pr = derived.element.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_numId().val = 90
    document.add_paragraph("整改措施", derived)                              # 22
    numbered(document, "重新编号", 0, num=91)                                # 23
    run = document.add_paragraph("软回车前").add_run()                       # 24
    run.add_break()
    run.add_text("软回车后")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def docx_bytes():
    return build_docx()


def test_docx_lines(tmp_path, docx_bytes):
    doc, problems = read(tmp_path, "r.docx", docx_bytes)
    assert problems == ()
    assert doc.encoding == "docx"
    assert doc.sha256 == hashlib.sha256(docx_bytes).hexdigest()
    assert list(doc.lines) == [
        Line("关于2023年意识形态工作的自查报告", 1),
        Line("县委宣传部：", 2),
        Line("一、加强组织领导", 4, 1),
        Line("（一）完善制度", 5, 2),
        Line("1.高度重视", 6),
        Line("2.压实责任", 7),
        Line("正文段落，**XX**保持原样。", 8),
        Line("（二）强化阵地", 9, 2),
        Line("1.严格审核", 10),
        Line("要点", 11),
        Line("表头甲", 12), Line("表头乙", 13),
        Line("一行一", 14), Line("一行二", 15), Line("纵向合并", 16),
        Line("二行一", 17), Line("二行二", 18),
        Line("二、存在问题", 19, 1),
        Line("（一）学习不深", 20),
        Line("中文样式名", 21, 3),
        Line("三、整改措施", 22, 1),
        Line("一、重新编号", 23),
        Line("软回车前", 24), Line("软回车后", 24),
    ]


def test_docx_table_cells_once(docx_bytes):
    cell_texts = [line.text for line in ingest.read_docx(docx_bytes) if line.number in range(12, 19)]
    assert cell_texts == ["表头甲", "表头乙", "一行一", "一行二", "纵向合并", "二行一", "二行二"]


@pytest.mark.parametrize("n, fmt, expected", [
    (1, "chineseCounting", "一"), (10, "chineseCounting", "十"), (11, "chineseCounting", "十一"),
    (20, "chineseCountingThousand", "二十"), (21, "chineseCountingThousand", "二十一"),
    (105, "chineseCounting", "一百零五"), (3, "ideographTraditional", "丙"),
    (12, "ideographDigital", "一二"), (3, "decimalEnclosedCircle", "③"),
    (2, "decimalEnclosedParen", "⑵"), (12, "decimalFullWidth", "１２"),
    (14, "upperRoman", "XIV"), (4, "lowerRoman", "iv"), (28, "upperLetter", "BB"),
    (3, "lowerLetter", "c"), (7, "decimal", "7"), (11, "chineseLegalSimplified", "壹拾壹"),
])
def test_number_formats(n, fmt, expected):
    assert format_number(n, fmt) == expected


def test_docx_without_numbering_part(tmp_path):
    document = docx.Document()
    document.add_paragraph("正文")
    buffer = io.BytesIO()
    document.save(buffer)
    source = io.BytesIO(buffer.getvalue())
    out = io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/_rels/document.xml.rels":
                data = re.sub(rb"<Relationship [^>]*numbering.xml\"/>", b"", data)
                assert b"numbering" not in data
            if info.filename != "word/numbering.xml":
                zout.writestr(info, data)
    assert [line.text for line in ingest.read_docx(out.getvalue())] == ["正文"]


def zip_bytes(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize("data, code, hint", [
    (b"this is plain text, not a zip", "docx-not-zip", "另存为 .docx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "docx-not-zip", "旧版 .doc"),
    (zip_bytes({"other.txt": b"x"}), "docx-corrupt", "word/document.xml"),
    (zip_bytes({"[Content_Types].xml": b"<bad", "word/document.xml": b"<bad"}), "docx-corrupt", "另存为 .docx"),
    (zip_bytes({"word/document.xml": b"0" * (20 * 1024 * 1024)}), "docx-too-large", "200 MB"),
])
def test_bad_docx(tmp_path, data, code, hint):
    doc, problems = read(tmp_path, "bad.docx", data)
    assert doc is None
    problem = only_problem(problems)
    assert (problem.code, problem.level, problem.source) == (code, WARNING, "bad.docx")
    assert hint in problem.message


def test_truncated_docx(tmp_path, docx_bytes):
    doc, problems = read(tmp_path, "cut.docx", docx_bytes[: len(docx_bytes) // 2])
    assert doc is None
    assert only_problem(problems).code == "docx-corrupt"


def test_uppercase_suffix_supported(tmp_path, docx_bytes):
    doc, problems = read(tmp_path, "R.DOCX", docx_bytes)
    assert doc is not None and problems == ()


MULTI_XML = f"""<w:abstractNum {nsdecls('w')} w:abstractNumId="80">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="ideographTraditional"/><w:lvlText w:val="%3、"/></w:lvl>
  <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="decimalEnclosedCircle"/><w:lvlText w:val="%4"/></w:lvl>
  <w:lvl w:ilvl="4"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:isLgl/>
    <w:lvlText w:val="%1.%2.%5"/></w:lvl>
</w:abstractNum>"""


def raw_paragraph(inner, num=None, ilvl=0, ppr=""):
    numpr = f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num}"/></w:numPr>' if num else ""
    return parse_xml(f"<w:p {nsdecls('w')}><w:pPr>{ppr}{numpr}</w:pPr>{inner}</w:p>")


def run(text):
    return f"<w:r><w:t>{text}</w:t></w:r>"


def test_docx_multilevel_shared_counters_and_runs():
    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(MULTI_XML))
    for num in (80, 81):  # two w:num on one abstractNum share its counters
        numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{num}"><w:abstractNumId w:val="80"/></w:num>'))
    outline = document.styles.add_style("大纲三级", WD_STYLE_TYPE.PARAGRAPH)
    outline.element.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="2"/>'))
    document.styles.add_style("派生样式", WD_STYLE_TYPE.PARAGRAPH).base_style = outline
    sect_pr = document.element.body.sectPr
    for element in [
        raw_paragraph(run("总体"), 80, 0),
        raw_paragraph(run("分项"), 80, 1),
        raw_paragraph(run("继续"), 81, 1),
        raw_paragraph(run("第二"), 80, 0),
        raw_paragraph(run("甲项"), 80, 2),
        raw_paragraph(run("圈号"), 80, 3),
        raw_paragraph(run("法律"), 80, 4),
        raw_paragraph(run("保留") + f'<w:ins w:id="1" w:author="a">{run("插入")}</w:ins>'
                      '<w:del w:id="2" w:author="a"><w:r><w:delText>删除</w:delText></w:r></w:del>'
                      f'<w:hyperlink w:anchor="x">{run("链接")}</w:hyperlink>'),
        raw_paragraph(run("大纲"), ppr=f'<w:pStyle w:val="{outline.style_id}"/>'),
        raw_paragraph(run("正文级别"), ppr='<w:pStyle w:val="Heading1"/><w:outlineLvl w:val="9"/>'),
        parse_xml(f"<w:sdt {nsdecls('w')}><w:sdtContent><w:p>{run('控件内')}</w:p></w:sdtContent></w:sdt>"),
    ]:
        sect_pr.addprevious(element)
    document.add_paragraph("派生", "派生样式")
    buffer = io.BytesIO()
    document.save(buffer)
    lines = ingest.read_docx(buffer.getvalue())
    assert [(line.text, line.number, line.style_level) for line in lines] == [
        ("1.总体", 1, None), ("1.1分项", 2, None), ("1.2继续", 3, None), ("2.第二", 4, None),
        ("甲、甲项", 5, None), ("①圈号", 6, None), ("2.1.1法律", 7, None),
        ("保留插入链接", 8, None), ("大纲", 9, 3), ("正文级别", 10, None), ("控件内", 11, None),
        ("派生", 12, 3),
    ]


# ------------------------------------------------------------- docx bounds

TITLE_XML = "<w:p><w:r><w:t>关于2023年意识形态工作的自查报告</w:t></w:r></w:p>"


def docx_with_body(body: str) -> bytes:
    """A python-docx file whose body is replaced by raw WordprocessingML (deflated: small on disk)."""
    document = docx.Document()
    document.add_paragraph("占位")
    buffer = io.BytesIO()
    document.save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                data = re.sub(rb"<w:body>.*<w:sectPr", b"<w:body>" + body.encode() + b"<w:sectPr", data, flags=re.S)
            dst.writestr(info.filename, data)
    return out.getvalue()


def too_much_text_docx() -> bytes:
    """9 MB of body markup holding 8.5 MB of text: the body part is under every size bound, its text is not."""
    paragraph = "<w:p><w:r><w:t>" + "各级党组织认真落实意识形态工作责任制。" * 60 + "</w:t></w:r></w:p>"
    return docx_with_body(TITLE_XML + paragraph * (9 * 1024 * 1024 // len(paragraph.encode())))


def huge_body_docx() -> bytes:
    """A 36 MB body at a compression ratio of about 60, like the 181 MB document.xml of a 2.9 MB file."""
    rng = random.Random(7)
    paragraph = ('<w:p><w:pPr><w:jc w:val="both"/><w:spacing w:line="560" w:lineRule="exact"/><w:ind w:firstLine="640"/>'
                 '</w:pPr><w:r><w:rPr><w:rFonts w:ascii="仿宋" w:hAnsi="仿宋" w:eastAsia="仿宋_GB2312"/><w:sz w:val="32"/>'
                 '<w:szCs w:val="32"/></w:rPr><w:t>{:03x}</w:t></w:r></w:p>')
    count = 36 * 1024 * 1024 // len(paragraph.encode())
    return docx_with_body(TITLE_XML + "".join(paragraph.format(rng.getrandbits(12)) for _ in range(count)))


@pytest.fixture
def zip_reads(monkeypatch):
    """start() -> (members opened, bytes decompressed from each) from then on: zipfile itself, counted."""
    opened, read = [], {}
    real_open, real_read = zipfile.ZipFile.open, zipfile.ZipExtFile.read

    def counting_open(self, name, *args, **kwargs):
        opened.append(getattr(name, "filename", name))
        return real_open(self, name, *args, **kwargs)

    def counting_read(self, n=-1):
        chunk = real_read(self, n)
        read[self.name] = read.get(self.name, 0) + len(chunk)
        return chunk

    def start():
        monkeypatch.setattr(zipfile.ZipFile, "open", counting_open)
        monkeypatch.setattr(zipfile.ZipExtFile, "read", counting_read)
        return opened, read

    return start


def test_docx_text_beyond_5_mb_is_refused_while_reading(tmp_path, zip_reads):
    data = too_much_text_docx()
    size = zipfile.ZipFile(io.BytesIO(data)).getinfo("word/document.xml").file_size
    assert len(data) < 200 * 1024 and size > 9_000_000
    _, read_bytes = zip_reads()
    doc, problems = read(tmp_path, "文字过多.docx", data)
    assert doc is None
    problem = only_problem(problems)
    assert (problem.code, problem.level, problem.source) == ("docx-too-large", WARNING, "文字过多.docx")
    assert "文字超过 5 MB" in problem.message and "已停止读取" in problem.message and "分别另存为" in problem.message
    # The reading stopped soon after the bound: well before the end of the body.
    assert 5 * 1024 * 1024 < read_bytes["word/document.xml"] < 0.7 * size


def test_docx_body_part_beyond_its_bound_is_never_decompressed(tmp_path, zip_reads):
    data = huge_body_docx()
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("word/document.xml")
    assert len(data) < 1024 * 1024 and info.file_size > 36_000_000 and info.file_size < 100 * info.compress_size
    opened, read_bytes = zip_reads()
    doc, problems = read(tmp_path, "正文过大.docx", data)
    assert doc is None
    problem = only_problem(problems)
    assert (problem.code, problem.source) == ("docx-too-large", "正文过大.docx")
    assert f"word/document.xml 有 {info.file_size / 1024 / 1024:.1f} MB（上限 32 MB）" in problem.message
    assert "放错了文件" in problem.message
    assert "[Content_Types].xml" in opened  # the package was looked at ...
    assert "word/document.xml" not in opened and "word/document.xml" not in read_bytes


def test_bounded_stream_refuses_one_byte_past_its_bound():
    """The count made while streaming, for a directory whose sizes cannot be trusted."""
    from reportkb.stages.ingest.common import IngestError
    from reportkb.stages.ingest.package import BoundedStream, read_member

    data = zip_bytes({"word/document.xml": b"<w:p/>" * 100_000})
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        stream = BoundedStream(archive.open("word/document.xml"), "word/document.xml", 10_000)
        with pytest.raises(IngestError) as refused:
            while stream.read(4096):
                pass
        assert stream.read_bytes == 10_001 and refused.value.code == "docx-too-large"
        assert len(read_member(archive, "word/document.xml", 600_000)) == 600_000


LETTERS_XML = f"""<w:abstractNum {nsdecls('w')} w:abstractNumId="70">
  <w:lvl w:ilvl="0"><w:start w:val="{{start}}"/><w:numFmt w:val="upperLetter"/><w:lvlText w:val="%1."/></w:lvl>
</w:abstractNum>"""


@pytest.mark.parametrize("start, override", [(5_000_000, None), (1, 5_000_000)])
def test_docx_numbering_values_are_bounded(tmp_path, start, override):
    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(LETTERS_XML.format(start=start)))
    extra = f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{override}"/></w:lvlOverride>' if override else ""
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="70"><w:abstractNumId w:val="70"/>{extra}</w:num>'))
    document.add_paragraph("关于2023年意识形态工作的自查报告")
    for i in range(40):
        numbered(document, f"第{i + 1}项工作", 0, num=70)
    buffer = io.BytesIO()
    document.save(buffer)
    doc, problems = read(tmp_path, "编号异常.docx", buffer.getvalue())
    assert [line.text for line in doc.lines] == ["关于2023年意识形态工作的自查报告"] + [f"第{i + 1}项工作" for i in range(40)]
    problem = only_problem(problems)
    assert (problem.code, problem.level, problem.line) == ("docx-numbering", WARNING, 2)
    assert "自动编号异常（编号数值 5000000 超过上限 10000），40 段的编号未收录，正文照常读取" in problem.message
    assert "设置编号值" in problem.message


def test_docx_numbering_up_to_the_bound_is_kept():
    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(LETTERS_XML.format(start=9_999).replace("upperLetter", "decimal")))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="70"><w:abstractNumId w:val="70"/></w:num>'))
    for text in ("甲", "乙"):
        numbered(document, text, 0, num=70)
    buffer = io.BytesIO()
    document.save(buffer)
    assert [line.text for line in ingest.read_docx(buffer.getvalue())] == ["9999.甲", "10000.乙"]


def test_docx_numbering_label_text_and_levels_are_bounded(tmp_path):
    """A 5,000-character label format gives no label; a level outside Word's nine gives none and keeps no counter."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(LETTERS_XML.format(start=1).replace('"%1."', '"' + "%1" * 2500 + '"')))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="70"><w:abstractNumId w:val="70"/></w:num>'))
    numbered(document, "长格式", 0, num=70)
    for level in range(100, 110):
        numbered(document, f"第{level}级", level, num=90)
    add_numbering(document)
    numbered(document, "正常编号", 0)
    buffer = io.BytesIO()
    document.save(buffer)
    doc, problems = read(tmp_path, "编号格式.docx", buffer.getvalue())
    assert [line.text for line in doc.lines] == ["长格式"] + [f"第{level}级" for level in range(100, 110)] + ["一、正常编号"]
    problem = only_problem(problems)
    assert (problem.code, problem.line) == ("docx-numbering", 1)
    assert "编号格式长 5000 个字符，超过上限 200" in problem.message and "1 段的编号未收录" in problem.message


def test_style_chains_are_cut_at_a_bounded_depth():
    from reportkb.stages.ingest.styles import MAX_STYLE_DEPTH, Styles

    styles = "".join(f'<w:style w:type="paragraph" w:styleId="s{i}"><w:basedOn w:val="s{i + 1}"/></w:style>'
                     for i in range(500))
    root = parse_xml(f"<w:styles {nsdecls('w')}>{styles}</w:styles>")
    p = parse_xml(f'<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val="s0"/></w:pPr></w:p>')
    chain = Styles(root).chain(p)
    assert len(chain) == MAX_STYLE_DEPTH == 64 and chain[0].get(qn("w:styleId")) == "s0"


def test_zip_with_too_many_members_is_refused_before_zipfile_lists_them(tmp_path):
    data = zip_bytes({"[Content_Types].xml": b"<Types/>", **{f"word/media/m{i}.bin": b"" for i in range(10_001)}})
    doc, problems = read(tmp_path, "部件过多.docx", data)
    assert doc is None
    problem = only_problem(problems)
    assert problem.code == "docx-too-large" and "部件过多（超过 10000 个）" in problem.message
