"""What of a Word file is published: hidden text is not; text boxes and notes are, in reading order;
a package whose main part has another name is read. Real files, made with python-docx and zipfile edits."""

from __future__ import annotations

import io
import json
import re
import zipfile

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from lxml import etree

import kb
from reportkb.model import INFO, WARNING, Line
from reportkb.stages.ingest import read_docx, read_source

from helpers import sample_sources_and_docs

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "v": "urn:schemas-microsoft-com:vml",
}
DECLS = " ".join(f'xmlns:{k}="{v}"' for k, v in NS.items())


def saved(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def rezip(data: bytes, edit) -> bytes:
    """A copy of the package with edit(name, bytes) -> (name, bytes) or None applied to each member."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            kept = edit(info.filename, src.read(info))
            if kept is not None:
                dst.writestr(kept[0], kept[1])
    return out.getvalue()


def add_members(data: bytes, members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def body_xml(document, xml: str) -> None:
    """Append a raw w:p (or other block) before the final section properties."""
    document.element.body.sectPr.addprevious(etree.fromstring(xml))


def texts(lines) -> list[tuple[str, int]]:
    return [(line.text, line.number) for line in lines]


# ------------------------------------------------------------------ hidden text


def hidden_docx() -> bytes:
    document = docx.Document()
    secret_char = document.styles.add_style("隐藏字符", WD_STYLE_TYPE.CHARACTER)
    secret_char.font.hidden = True
    secret_para = document.styles.add_style("隐藏段落", WD_STYLE_TYPE.PARAGRAPH)
    secret_para.font.hidden = True
    derived = document.styles.add_style("隐藏段落派生", WD_STYLE_TYPE.PARAGRAPH)
    derived.base_style = secret_para
    document.add_paragraph("关于2023年意识形态工作的自查报告")                       # 1
    p = document.add_paragraph("公开文字")                                           # 2
    p.add_run("【直接隐藏】").font.hidden = True
    p.add_run("继续公开")
    p = document.add_paragraph("样式之前")                                           # 3
    p.add_run("【字符样式隐藏】", secret_char)
    document.add_paragraph("【段落样式隐藏】", secret_para)                          # 4
    document.add_paragraph("【基于隐藏样式】", derived)                              # 5
    p = document.add_paragraph("", secret_para)                                      # 6
    p.add_run("显式取消隐藏").font.hidden = False
    document.add_paragraph("一、正文照常")                                           # 7
    return saved(document)


def test_hidden_text_is_left_out_and_reported(tmp_path):
    path = tmp_path / "隐藏.docx"
    path.write_bytes(hidden_docx())
    doc, problems = read_source(path, tmp_path)
    assert texts(doc.lines) == [("关于2023年意识形态工作的自查报告", 1), ("公开文字继续公开", 2), ("样式之前", 3),
                                ("显式取消隐藏", 6), ("一、正文照常", 7)]
    (problem,) = problems
    assert (problem.source, problem.line, problem.level, problem.code) == ("隐藏.docx", 2, INFO, "docx-hidden")
    assert "有 4 段含有隐藏文字" in problem.message and "取消“字体→隐藏”" in problem.message


def test_hidden_text_never_reaches_the_site(tmp_path, capsys):
    sources, docs = sample_sources_and_docs(tmp_path)
    (sources / "隐藏.docx").write_bytes(hidden_docx())
    assert kb.main(["generate", "--sources", str(sources), "--docs", str(docs)]) == 0
    out = capsys.readouterr().out
    assert "隐藏.docx" in out and "隐藏文字" in out
    published = "".join(p.read_text(encoding="utf-8") for p in docs.rglob("*") if p.is_file() and p.suffix in (".md", ".json"))
    assert "公开文字继续公开" in published and "显式取消隐藏" in published
    assert not re.search(r"【(直接隐藏|字符样式隐藏|段落样式隐藏|基于隐藏样式)】", published)
    corpus = json.loads((docs / "data" / "corpus.json").read_text(encoding="utf-8"))
    assert [(p["code"], p["line"]) for p in corpus["problems"] if p["source"] == "隐藏.docx"] == [("docx-hidden", 2)]


# --------------------------------------------------------------- text boxes


def text_box(text: str, vml_only: bool = False) -> str:
    content = f"<w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent>"
    vml = f"<w:pict><v:shape><v:textbox>{content}</v:textbox></v:shape></w:pict>"
    if vml_only:  # Word 2007 and WPS write only this
        return f"<w:r>{vml}</w:r>"
    drawing = ('<w:drawing><wp:inline><wp:extent cx="914400" cy="457200"/><wp:docPr id="7" name="文本框 1"/>'
               '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
               f"<wps:wsp><wps:txbx>{content}</wps:txbx><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic>"
               "</wp:inline></w:drawing>")
    return (f'<w:r><mc:AlternateContent><mc:Choice Requires="wps">{drawing}</mc:Choice>'
            f"<mc:Fallback>{vml}</mc:Fallback></mc:AlternateContent></w:r>")


def test_text_boxes_are_read_once_after_their_paragraph():
    document = docx.Document()
    document.add_paragraph("关于2023年意识形态工作的自查报告")                                    # 1
    body_xml(document, f"<w:p {DECLS}><w:r><w:t>锚定段落</w:t></w:r>{text_box('框内文字')}"
                       "<w:r><w:t>之后文字</w:t></w:r></w:p>")                                   # 2
    body_xml(document, f"<w:p {DECLS}><w:r><w:t>旧式文本框</w:t></w:r>{text_box('旧框文字', True)}</w:p>")  # 3
    nested = text_box("外框文字").replace("外框文字</w:t></w:r>", "外框文字</w:t></w:r>" + text_box("内框文字"))
    body_xml(document, f"<w:p {DECLS}>{nested}</w:p>")                                           # 4
    hidden = text_box("隐藏框").replace("<w:r>", '<w:r><w:rPr><w:vanish/></w:rPr>', 1)
    body_xml(document, f"<w:p {DECLS}><w:r><w:t>框被隐藏</w:t></w:r>{hidden}</w:p>")              # 5
    document.add_paragraph("下一段")                                                              # 6
    data = saved(document)
    assert docx.Document(io.BytesIO(data)).paragraphs[1].text == "锚定段落之后文字"  # python-docx reads the file
    assert texts(read_docx(data)) == [
        ("关于2023年意识形态工作的自查报告", 1),
        ("锚定段落之后文字", 2), ("框内文字", 2),
        ("旧式文本框", 3), ("旧框文字", 3),
        ("外框文字", 4), ("内框文字", 4),
        ("框被隐藏", 5),
        ("下一段", 6),
    ]


# ----------------------------------------------------------------------- notes

NOTES_PART = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:{kind}s xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
  <w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>
  <w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:{kind}>
  {notes}
</w:{kind}s>"""
NOTE = ('<w:{kind} w:id="{id}"><w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>'
        '<w:r><w:{kind}Ref/></w:r><w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p>{more}</w:{kind}>')
REL = ('<Relationship Id="rIdNote{kind}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}s"'
       ' Target="{kind}s.xml"/>')
OVERRIDE = ('<Override PartName="/word/{kind}s.xml"'
            ' ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}s+xml"/>')


def ref(kind: str, note_id: int) -> str:
    return f'<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:{kind}Reference w:id="{note_id}"/></w:r>'


def with_notes(data: bytes, parts: dict[str, str]) -> bytes:
    """Add footnotes.xml / endnotes.xml with their relationship and content type, as Word stores them."""
    def edit(name, content):
        if name == "word/_rels/document.xml.rels":
            content = content.replace(b"</Relationships>", "".join(REL.format(kind=k) for k in parts).encode()
                                      + b"</Relationships>")
        if name == "[Content_Types].xml":
            content = content.replace(b"</Types>", "".join(OVERRIDE.format(kind=k) for k in parts).encode() + b"</Types>")
        return name, content

    return add_members(rezip(data, edit), {f"word/{k}s.xml": v.encode() for k, v in parts.items()})


def notes_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("关于2023年意识形态工作的自查报告")                                       # 1
    body_xml(document, f"<w:p {DECLS}><w:r><w:t>落实责任制</w:t></w:r>{ref('footnote', 1)}"
                       f"<w:r><w:t>，加强阵地管理</w:t></w:r>{ref('footnote', 2)}</w:p>")            # 2
    body_xml(document, f"<w:p {DECLS}><w:r><w:t>再次引用</w:t></w:r>{ref('footnote', 1)}"
                       f"{ref('endnote', 1)}</w:p>")                                                 # 3
    body_xml(document, f"<w:p {DECLS}><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐</w:t></w:r>"
                       f"{ref('footnote', 3).replace('<w:rPr>', '<w:rPr><w:vanish/>')}</w:p>")        # 4
    document.add_paragraph("下一段")                                                                 # 5
    footnotes = NOTES_PART.format(kind="footnote", notes="".join([
        NOTE.format(kind="footnote", id=1, style="FootnoteText", text="见《条例》第三条。", more=""),
        NOTE.format(kind="footnote", id=2, style="FootnoteText", text="含网站、公众号。",
                    more="<w:p><w:r><w:t>第二段脚注。</w:t></w:r></w:p>"),
        NOTE.format(kind="footnote", id=3, style="FootnoteText", text="隐藏引用的脚注", more=""),
    ]))
    endnotes = NOTES_PART.format(kind="endnote", notes=NOTE.format(kind="endnote", id=1, style="EndnoteText",
                                                                   text="数据截至6月底。", more=""))
    return with_notes(saved(document), {"footnote": footnotes, "endnote": endnotes})


def test_footnotes_and_endnotes_follow_the_paragraph_that_refers_to_them():
    data = notes_docx()
    assert len(docx.Document(io.BytesIO(data)).paragraphs) == 5  # a package python-docx opens
    assert texts(read_docx(data)) == [
        ("关于2023年意识形态工作的自查报告", 1),
        ("落实责任制，加强阵地管理", 2), ("注1：见《条例》第三条。", 2), ("注2：含网站、公众号。", 2), ("第二段脚注。", 2),
        ("再次引用", 3), ("尾注1：数据截至6月底。", 3),  # footnote 1 is not repeated
        ("下一段", 5),
    ]


def test_a_draft_checked_from_word_keeps_each_paragraph_with_its_notes(tmp_path):
    from reportkb.cli.check import read_draft

    path = tmp_path / "草稿.docx"
    path.write_bytes(notes_docx())
    assert read_draft(path).split("\n") == [
        "关于2023年意识形态工作的自查报告",
        "落实责任制，加强阵地管理", "注1：见《条例》第三条。", "注2：含网站、公众号。", "第二段脚注。",
        "再次引用", "尾注1：数据截至6月底。", "", "下一段"]


def test_formulas_charts_and_embedded_objects_are_reported_as_left_out(tmp_path):
    document = docx.Document()
    document.add_paragraph("关于2023年意识形态工作的自查报告")                                      # 1
    math = "http://schemas.openxmlformats.org/officeDocument/2006/math"
    body_xml(document, f'<w:p {DECLS} xmlns:m="{math}"><w:r><w:t>覆盖率为</w:t></w:r>'
                       "<m:oMath><m:r><m:t>x+1</m:t></m:r></m:oMath></w:p>")                     # 2
    document.add_paragraph("正文")                                                                # 3
    body_xml(document, f'<w:p {DECLS}><w:r><w:object><v:shape id="o1"/></w:object></w:r></w:p>')  # 4
    path = tmp_path / "对象.docx"
    path.write_bytes(saved(document))
    doc, problems = read_source(path, tmp_path)
    assert texts(doc.lines) == [("关于2023年意识形态工作的自查报告", 1), ("覆盖率为", 2), ("正文", 3)]
    (problem,) = problems
    assert (problem.code, problem.level, problem.line) == ("docx-left-out", INFO, 2)
    assert "有 2 处公式、图表" in problem.message and "改为普通文字" in problem.message


# ------------------------------------------------------------ package layout


def renamed_main_part(data: bytes, new: str = "word/main-body.xml") -> bytes:
    """The same document with its main part under another name, found only through _rels/.rels."""
    folder, base = new.rsplit("/", 1)

    def edit(name, content):
        if name == "word/document.xml":
            return new, content
        if name == "word/_rels/document.xml.rels":
            return f"{folder}/_rels/{base}.rels", content
        if name == "_rels/.rels":
            assert b"word/document.xml" in content
            return name, content.replace(b"word/document.xml", new.encode())
        if name == "[Content_Types].xml":
            return name, content.replace(b"/word/document.xml", f"/{new}".encode())
        return name, content

    return rezip(data, edit)


def test_main_part_under_another_name_is_read():
    import test_ingest

    original = test_ingest.build_docx()  # numbering, styles and tables, all reached through the renamed part
    data = renamed_main_part(original)
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert "word/document.xml" not in names and "word/_rels/main-body.xml.rels" in names
    assert docx.Document(io.BytesIO(data)).paragraphs[0].text == "关于2023年意识形态工作的自查报告"
    assert read_docx(data) == read_docx(original)
    assert Line("一、加强组织领导", 4, 1) in read_docx(data)


def test_main_part_in_another_folder_with_absolute_target():
    document = docx.Document()
    document.add_paragraph("正文在别处")
    data = renamed_main_part(saved(document), "content/doc.xml")
    data = rezip(data, lambda name, c: (name, c.replace(b'Target="content/doc.xml"', b'Target="/content/doc.xml"')))
    assert texts(read_docx(data)) == [("正文在别处", 1)]


@pytest.mark.parametrize("edit, code, hint", [
    (lambda n, c: None if n == "word/document.xml" else (n, c), "docx-corrupt", "找不到正文部分"),
    (lambda n, c: (n, c.replace(b"document.main+xml", b"template.main+xml")), "docx-not-document", "Word 模板"),
    (lambda n, c: (n, c.replace(b"wordprocessingml.document.main+xml", b"spreadsheetml.sheet.main+xml")),
     "docx-not-document", "Excel 表格"),
])
def test_package_without_a_word_main_part_says_what_it_is(tmp_path, edit, code, hint):
    document = docx.Document()
    document.add_paragraph("正文")
    path = tmp_path / "包.docx"
    path.write_bytes(rezip(saved(document), edit))
    doc, problems = read_source(path, tmp_path)
    assert doc is None
    (problem,) = problems
    assert (problem.source, problem.level, problem.code) == ("包.docx", WARNING, code)
    assert hint in problem.message and ("另存为 .docx" in problem.message or "请提供" in problem.message)

