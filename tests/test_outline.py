"""生成提纲: the outline drawn from the corpus and its Word file in GB/T 9704-2012 layout.

The Word file is read back with zipfile (raw XML) and python-docx; the file
``kb.py outline`` writes is compared byte for byte with the one the site offers.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import zipfile

import docx
import pytest
from docx.shared import Mm, Pt

from reportkb.analysis.outline import file_name, select
from reportkb.pages.outline import FILES_DIR, OUTLINE_JSON
from reportkb.text.gongwen import gongwen_docx

from helpers import ROOT

KB = [sys.executable, str(ROOT / "scripts" / "kb.py")]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def data(sample_build) -> dict:
    return json.loads(sample_build.pages[OUTLINE_JSON])


def check_layout(raw: bytes) -> None:
    """The GB/T 9704-2012 settings, read from the file's own XML (shared with the browser test)."""
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        styles = archive.read("word/styles.xml").decode("utf-8")
        document = archive.read("word/document.xml").decode("utf-8")
        settings = archive.read("word/settings.xml").decode("utf-8")
        footers = {name: archive.read(name).decode("utf-8") for name in ("word/footer1.xml", "word/footer2.xml")}
    assert "<w:evenAndOddHeaders/>" in settings
    assert 'w:line="578" w:lineRule="exact"' in styles
    assert '<w:docGrid w:type="lines" w:linePitch="578"/>' in document
    # 28 characters a line: 3号 (320 twentieths of a point) narrowed by 5, 28 × 315 ≤ 8845 (156 mm).
    assert '<w:spacing w:val="-5"/><w:sz w:val="32"/>' in _style(styles, "Normal")
    for fragment in ('w:styleId="Title"', 'w:eastAsia="方正小标宋简体"', 'w:val="44"'):
        assert fragment in _style(styles, "Title"), fragment
    assert 'w:jc w:val="center"' in _style(styles, "Title")
    assert 'w:eastAsia="仿宋_GB2312"' in _style(styles, "Normal") and 'w:sz w:val="32"' in _style(styles, "Normal")
    assert 'w:eastAsia="黑体"' in _style(styles, "Heading1")
    assert 'w:eastAsia="楷体_GB2312"' in _style(styles, "Heading2")
    assert 'w:eastAsia="仿宋_GB2312"' in _style(styles, "Heading3") and "<w:b/>" in _style(styles, "Heading3")
    assert 'w:eastAsia="仿宋_GB2312"' in _style(styles, "Heading4") and "<w:b/>" not in _style(styles, "Heading4")
    # Page numbers "— PAGE —": right on odd pages (default footer), left on even ones.
    odd, even = footers["word/footer1.xml"], footers["word/footer2.xml"]
    for footer, side in ((odd, "right"), (even, "left")):
        assert f'<w:jc w:val="{side}"/>' in footer
        assert re.search(r"— </w:t>.*PAGE.*<w:t xml:space=\"preserve\"> —</w:t>", footer)
    assert 'w:footerReference w:type="default" r:id="rIdFooterOdd"' in document
    assert 'w:footerReference w:type="even" r:id="rIdFooterEven"' in document

    # The same through python-docx: page size and margins, fonts of the runs.
    word = docx.Document(io.BytesIO(raw))
    section = word.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)] == [
        37, 35, 28, 26]
    assert abs(section.top_margin - Mm(37)) < Mm(0.1)
    title = word.paragraphs[0]
    assert title.style.name == "Title" and title.runs[0].font.size == Pt(22)
    assert title.runs[0]._element.rPr.rFonts.get(f"{W}eastAsia") == "方正小标宋简体"
    normal = word.styles["Normal"]
    assert normal.font.size == Pt(16)
    assert normal.paragraph_format.line_spacing == Pt(28.9)
    fonts = {p.style.name.lower(): p.runs[0]._element.rPr.rFonts.get(f"{W}eastAsia") for p in word.paragraphs if p.runs}
    assert fonts["heading 1"] == "黑体" and fonts["heading 2"] == "楷体_GB2312" and fonts["heading 3"] == "仿宋_GB2312"


def _style(styles: str, style_id: str) -> str:
    return re.search(rf'<w:style [^>]*w:styleId="{style_id}">.*?</w:style>', styles).group(0)


def test_every_kind_has_the_parts_a_report_needs(data):
    assert [k["id"] for k in data["kinds"]] == ["half", "year", "duty", "special"]
    for kind in data["kinds"]:
        roles = [p["role"] for p in kind["parts"]]
        assert roles[:1] == ["工作做法"] and "存在问题" in roles and "下一步措施" in roles, kind["id"]
        assert roles.index("存在问题") < roles.index("下一步措施")
    half = data["kinds"][0]
    assert half["reports"] == 4  # 000, 001#1, 001#3, 004; 001#2 repeats 000 and counts once
    assert [h[0] for h in half["parts"][1]["headings"]] == ["主要问题", "存在的问题和原因"]


def test_sections_name_requirements_and_link_exemplars_to_their_reports(data, sample_build):
    work = data["kinds"][0]["parts"][0]["sections"]
    network = work["网络阵地"]
    assert "R20" in [r[0] for r in network["requirements"]]
    assert 1 <= len(network["exemplars"]) <= 2
    reports = {r.id: r for r in sample_build.index.reports}
    for theme, section in work.items():
        for e in section["exemplars"]:
            report = reports[e["report"]]
            assert e["anchor"] in {s.anchor for s in report.sections}, theme
            assert e["text"].rstrip("…") in "".join(b.text for b in report.blocks), theme
        assert len({e["report"] for e in section["exemplars"]}) == len(section["exemplars"])  # two reports, not one twice


def test_selection_keeps_taxonomy_order_and_only_the_chosen_themes(data):
    title, blocks = select(data, "duty", ["网络阵地", "责任落实"])
    assert title == "××××年意识形态工作责任制落实情况报告"
    level2 = [text for level, text in blocks if level == 2]
    assert len(level2) == 2 * 3  # two themes in each of the three parts
    tags = [text for level, text in blocks if level == 0 and text.startswith("【")]
    assert [t[1:5] for t in tags[:2]] == ["责任落实", "网络阵地"]
    assert not any("【理论学习】" in text for _, text in blocks)


def test_word_file_has_the_gongwen_layout(data):
    title, blocks = select(data, "half", data["themes"])
    raw = gongwen_docx(title, blocks)
    check_layout(raw)
    assert gongwen_docx(title, blocks) == raw  # same bytes every time
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert "2000-01-01T00:00:00Z" in archive.read("docProps/core.xml").decode("utf-8")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(raw)).paragraphs)
    assert text.startswith("××××年上半年意识形态工作自查报告\n")
    assert "一、总体情况" in text and "应回应的要求" in text and "R01 班子主体责任与党管意识形态" in text


def test_site_offers_a_file_for_every_choice(sample_build, data):
    files = [p for p in sample_build.pages if p.startswith(FILES_DIR + "/")]
    assert len(files) == 4 * 31
    assert f"{FILES_DIR}/{file_name('special', ['网络阵地'], data['themes'])}" == f"{FILES_DIR}/special-00100.docx"
    assert all(isinstance(sample_build.pages[p], bytes) for p in files)


def test_cli_writes_the_file_the_site_offers(tmp_path, sample_build, data):
    out = tmp_path / "提纲.docx"
    result = subprocess.run(KB + ["outline", "--kind", "专项", "--themes", "网络阵地，宣传引导", "-o", str(out)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"已写入 {out}：专项报告（如网络意识形态）提纲，3 个部分，主题 网络阵地、宣传引导。\n"
    raw = out.read_bytes()
    check_layout(raw)
    assert raw == sample_build.pages[f"{FILES_DIR}/special-00110.docx"]


@pytest.mark.parametrize(("argv", "message"), [
    (["--themes", "网络安全"], "错误：没有主题“网络安全”：可选 责任落实、理论学习、网络阵地、宣传引导、队伍建设。\n"),
    (["-o", "提纲.doc"], "错误：输出文件 提纲.doc 应以 .docx 结尾。\n"),
])
def test_cli_refuses_what_it_cannot_do_in_chinese(tmp_path, argv, message):
    result = subprocess.run(KB + ["outline", *argv], capture_output=True, text=True, cwd=tmp_path, timeout=600)
    assert (result.returncode, result.stderr, result.stdout) == (2, message, "")
    assert not list(tmp_path.iterdir())


def test_cli_help_is_chinese():
    result = subprocess.run(KB + ["outline", "-h"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert "报告类型：半年、年度、责任制、专项" in result.stdout and "选项" in result.stdout
