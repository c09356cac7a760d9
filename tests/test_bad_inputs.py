"""Bad input never breaks the build: each case gets a Chinese message naming
the file and what to do, the rest of the corpus builds, and nothing is lost."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest

import kb

from helpers import ROOT, copy_project, mkdocs_build, sample_sources_and_docs
from sitetext import article_text

SAMPLE_REPORTS = 7  # reports in the five sample files


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()}


def _generate(tmp_path: Path, capsys, files: dict[str, bytes], strict: bool = False) -> tuple[int, str, dict]:
    sources, docs = sample_sources_and_docs(tmp_path)
    for name, data in files.items():
        (sources / name).parent.mkdir(parents=True, exist_ok=True)
        (sources / name).write_bytes(data)
    before = _snapshot(sources)
    code = kb.main(["generate", "--sources", str(sources), "--docs", str(docs)] + (["--strict"] if strict else []))
    out = capsys.readouterr().out
    assert _snapshot(sources) == before, "sources/ must never be modified"
    corpus = json.loads((docs / "data" / "corpus.json").read_text(encoding="utf-8"))
    return code, out, corpus


def _message_for(out: str, name: str) -> str:
    """The problem lines printed under a file's name in the grouped summary."""
    lines = out.splitlines()
    start = lines.index(f"  {name}")
    block = []
    for line in lines[start + 1:]:
        if not line.startswith("    "):
            break
        block.append(line)
    return "\n".join(block)


def _sources_in(corpus: dict) -> set[str]:
    return {r["source"] for r in corpus["reports"]}


def _docx_bytes(paragraphs: list[str]) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


REPORT = ("2023年上半年意识形态工作自查报告\n一、主要做法\n（一）加强组织领导。党委定期研究意识形态工作。\n"
          "二、存在问题\n学习不够深入。\n三、下一步打算\n持续加强理论武装。\n")


@pytest.mark.parametrize("name, data, code, advice", [
    ("空报告.txt", b"", "empty-file", "请放入报告正文，或删除此文件"),
    ("只有空白.txt", b" \r\n\t\n", "empty-file", "请放入报告正文，或删除此文件"),
    ("图片改名.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, "binary-file", "请提供 .txt 或 .docx"),
    ("坏字节.txt", REPORT.encode("utf-8").replace(b"\n", b"\n\xff\xfe", 1), "encoding-broken", "第 2 行附近"),
    ("乱码.txt", bytes(range(128, 256)) * 40, "encoding-unknown", "另存为 UTF-8"),
    ("不是文档.docx", b"This is plain text, not a Word file.", "docx-not-zip", "另存为 .docx"),
    ("旧版改名.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2048, "docx-not-zip", "另存为 .docx"),
    ("扫描件.pdf", b"%PDF-1.4\n" + b"0" * 100, "unsupported-format", "另存为 .txt"),
])
def test_unreadable_file_is_named_with_advice_and_the_rest_builds(tmp_path, capsys, name, data, code, advice):
    exit_code, out, corpus = _generate(tmp_path, capsys, {name: data})
    assert exit_code == 0
    message = _message_for(out, name)
    assert "[警告]" in message and advice in message
    assert any(p["code"] == code and p["source"] == name for p in corpus["problems"])
    assert len(corpus["reports"]) == SAMPLE_REPORTS and name not in _sources_in(corpus)


def test_strict_turns_any_warning_into_exit_1(tmp_path, capsys):
    exit_code, _, _ = _generate(tmp_path, capsys, {"空报告.txt": b""}, strict=True)
    assert exit_code == 1


def test_corrupt_docx(tmp_path, capsys):
    good = _docx_bytes(REPORT.splitlines())
    truncated = good[: len(good) // 2]
    # A zip whose document part is not XML.
    buffer = io.BytesIO()
    with zipfile.ZipFile(good and io.BytesIO(good)) as src, zipfile.ZipFile(buffer, "w") as dst:
        for info in src.infolist():
            dst.writestr(info.filename, b"<<<not xml" if info.filename == "word/document.xml" else src.read(info.filename))
    files = {"截断.docx": truncated, "坏正文.docx": buffer.getvalue(), "好的.docx": good}
    _, out, corpus = _generate(tmp_path, capsys, files)
    for name in ("截断.docx", "坏正文.docx"):
        message = _message_for(out, name)
        assert "Word 文件已损坏" in message and "另存为 .docx" in message
    assert "好的.docx" in _sources_in(corpus) and len(corpus["reports"]) == SAMPLE_REPORTS + 1


def test_zip_bomb_is_refused_before_parsing(tmp_path, capsys, monkeypatch):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(300):  # 300 MB of zeros, about 300 KB compressed
                member.write(chunk)
    data = buffer.getvalue()
    assert len(data) < 2 * 1024 * 1024
    opened: list[str] = []
    real_open = zipfile.ZipFile.open

    def open_member(self, name, mode="r", *args, **kwargs):
        if mode == "r":  # reading only: the site's own Word outlines are written through zipfile too
            opened.append(name)
        return real_open(self, name, mode, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", open_member)
    _, out, corpus = _generate(tmp_path, capsys, {"炸弹.docx": data})
    message = _message_for(out, "炸弹.docx")
    assert "解压后过大" in message and "另存为 .docx" in message
    assert len(corpus["reports"]) == SAMPLE_REPORTS
    # Refused from the zip directory: not one member was decompressed (the samples are .txt).
    assert opened == []


def test_word_files_that_would_expand_without_bound_are_refused_or_bounded(tmp_path, capsys):
    from test_ingest import huge_body_docx, too_much_text_docx

    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.insert(0, docx.oxml.parse_xml(
        f'<w:abstractNum {docx.oxml.ns.nsdecls("w")} w:abstractNumId="70"><w:lvl w:ilvl="0"><w:start w:val="5000000"/>'
        '<w:numFmt w:val="upperLetter"/><w:lvlText w:val="%1、"/></w:lvl></w:abstractNum>'))
    numbering.append(docx.oxml.parse_xml(
        f'<w:num {docx.oxml.ns.nsdecls("w")} w:numId="70"><w:abstractNumId w:val="70"/></w:num>'))
    for line in REPORT.splitlines():
        paragraph = document.add_paragraph(line)
        if line.startswith(("一、", "二、", "三、")):
            paragraph.text = line[2:]
            num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = 0
            num_pr.get_or_add_numId().val = 70
    buffer = io.BytesIO()
    document.save(buffer)
    files = {"正文过大.docx": huge_body_docx(), "文字过多.docx": too_much_text_docx(), "编号异常.docx": buffer.getvalue()}
    exit_code, out, corpus = _generate(tmp_path, capsys, files)
    assert exit_code == 0
    assert "[警告]" in _message_for(out, "正文过大.docx") and "word/document.xml 有 35.6 MB（上限 32 MB）" in out
    assert "[警告]" in _message_for(out, "文字过多.docx") and "文字超过 5 MB" in _message_for(out, "文字过多.docx")
    numbering_message = _message_for(out, "编号异常.docx")
    assert "自动编号异常（编号数值 5000000 超过上限 10000）" in numbering_message and "设置编号值" in numbering_message
    assert _sources_in(corpus) >= {"编号异常.docx"} and len(corpus["reports"]) == SAMPLE_REPORTS + 1
    pages = [p for p in (tmp_path / "docs" / "reports").glob("*.md") if "存在问题" in p.read_text(encoding="utf-8")]
    assert pages and max(p.stat().st_size for p in pages) < 100_000  # not the 7.7 MB page of old


def test_ten_megabyte_text_file_is_refused_unread(tmp_path, capsys, monkeypatch):
    """Refused by its size before decoding, with advice; the file itself stays in sources/."""
    from reportkb import pipeline

    decoded: list[str] = []
    real = pipeline.decode_source
    monkeypatch.setattr(pipeline, "decode_source", lambda source, *a: decoded.append(source) or real(source, *a))
    # Ten megabytes of running text without any line break or heading.
    sentence = "各级党组织认真落实意识形态工作责任制，加强阵地建设和管理。"
    data = (sentence * (10 * 1024 * 1024 // len(sentence.encode("utf-8")) + 1)).encode("utf-8")
    assert len(data) >= 10 * 1024 * 1024
    exit_code, out, corpus = _generate(tmp_path, capsys, {"超大文件.txt": data})
    message = _message_for(out, "超大文件.txt")
    assert exit_code == 0 and "文件过大" in message and "分别另存为" in message
    assert len(corpus["reports"]) == SAMPLE_REPORTS
    assert "超大文件.txt" not in decoded and len(decoded) == 5  # the samples were read; _generate checks sources/ is unchanged


def test_no_headings_and_only_headings_both_build(tmp_path, capsys):
    files = {
        "无标题.txt": "今年以来，我们认真落实意识形态工作责任制。\n全体党员参加了集中学习。\n下一步将继续加强。\n".encode(),
        "只有标题.txt": "一、加强组织领导\n二、强化理论学习\n（一）落实第一议题制度\n三、下一步打算\n".encode(),
    }
    _, out, corpus = _generate(tmp_path, capsys, files)
    by_source = {r["source"]: r for r in corpus["reports"]}
    assert set(files) <= set(by_source) and len(corpus["reports"]) == SAMPLE_REPORTS + 2
    assert by_source["无标题.txt"]["outline"] == []
    assert any(p["code"] == "no-headings" and p["source"] == "无标题.txt" for p in corpus["problems"])
    assert [s["heading"] for s in by_source["只有标题.txt"]["outline"]][:2] == ["加强组织领导", "强化理论学习"]


def test_duplicate_file_is_read_once(tmp_path, capsys):
    sample = (ROOT / "sources" / "000_4923fc270289bbc6.txt").read_bytes()
    _, out, corpus = _generate(tmp_path, capsys, {"副本/同一份报告.txt": sample})
    message = _message_for(out, "副本/同一份报告.txt")
    assert "000_4923fc270289bbc6.txt 内容完全相同" in message and "请删除其中一个文件" in message
    assert len(corpus["reports"]) == SAMPLE_REPORTS and "副本/同一份报告.txt" not in _sources_in(corpus)


def test_symlinks_inside_are_read_once_and_outside_are_never_read(tmp_path, capsys):
    sources, docs = sample_sources_and_docs(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "机密.txt").write_text("外部机密文件 SECRET-MARKER-42\n一、不应出现\n", encoding="utf-8")
    os.mkfifo(outside / "管道.txt")  # reading it would block: proof that it is never opened
    (sources / "内部链接.txt").symlink_to("000_4923fc270289bbc6.txt")
    (sources / "外部链接.txt").symlink_to(outside / "机密.txt")
    (sources / "外部管道.txt").symlink_to(outside / "管道.txt")
    (sources / "外部文件夹").symlink_to(outside, target_is_directory=True)
    (sources / "断开的链接.txt").symlink_to(tmp_path / "不存在.txt")
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "kb.py"), "generate",
                             "--sources", str(sources), "--docs", str(docs)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for name in ("外部链接.txt", "外部管道.txt", "外部文件夹"):
        message = _message_for(out, name)
        assert "sources/ 之外" in message and "未读取" in message and "复制到 sources/" in message
    assert "已按原文件读取一次" in _message_for(out, "内部链接.txt")
    broken = _message_for(out, "断开的链接.txt")
    assert "[警告]" in broken and "指向不存在文件的快捷方式（符号链接）" in broken and "请删除它" in broken
    corpus_text = (docs / "data" / "corpus.json").read_text(encoding="utf-8")
    assert "SECRET-MARKER-42" not in corpus_text
    assert not any("SECRET-MARKER-42" in p.read_text(encoding="utf-8") for p in docs.rglob("*.md"))
    corpus = json.loads(corpus_text)
    assert len(corpus["reports"]) == SAMPLE_REPORTS
    assert (sources / "外部链接.txt").is_symlink()  # left alone


def test_odd_names_html_and_markdown_in_text_build_strictly_and_show_literally(tmp_path, browser):
    sources = tmp_path / "sources"
    sources.mkdir()
    shutil.copy(ROOT / "sources" / "000_4923fc270289bbc6.txt", sources)
    script_report = (
        "2023年意识形态工作报告\n"
        "一、网页内容\n"
        "正文含有<script>window.__kbPwned = 1; alert('x')</script>脚本。\n"
        "图片<img src=x onerror=\"window.__kbPwned = 2\">与<b>粗体标签</b>&amp;实体&lt;。\n"
        "二、Markdown 语法\n"
        "# 不是标题\n"
        "**不是粗体** 和 [不是链接](http://example.com) 以及 `不是代码` 与 <!-- 注释 -->\n"
        "| 不是 | 表格 |\n"
        "> 不是引用\n"
        "* 不是列表 {: #attr } ::: note\n"
    )
    names = ["带 空格 的报告.txt", "报告（终稿）#1&2%.txt", "odd'name\"[x].txt", "中文名称.txt"]
    (sources / names[0]).write_text(script_report, encoding="utf-8")
    for i, name in enumerate(names[1:], 1):
        (sources / name).write_text(REPORT.replace("2023", str(2010 + i)), encoding="utf-8")
    project = copy_project(tmp_path / "project", sources)
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    corpus = json.loads((project / "docs" / "data" / "corpus.json").read_text(encoding="utf-8"))
    ids = {r["source"]: r["id"] for r in corpus["reports"]}
    assert set(names) <= set(ids)
    assert all(rid.isascii() and " " not in rid for rid in ids.values())
    for name in names[1:]:
        assert (project / "site" / "reports" / ids[name] / "index.html").exists()

    html = project / "site" / "reports" / ids[names[0]] / "index.html"
    text = article_text(html)
    for literal in ("<script>window.__kbPwned = 1; alert('x')</script>", "<img src=x onerror=\"window.__kbPwned = 2\">",
                    "<b>粗体标签</b>&amp;实体&lt;", "# 不是标题",
                    "**不是粗体** 和 [不是链接](http://example.com) 以及 `不是代码` 与 <!-- 注释 -->",
                    "| 不是 | 表格 |", "> 不是引用", "* 不是列表 {: #attr } ::: note"):
        assert literal in text, literal

    tab = browser.new_page()
    dialogs = []
    tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    tab.goto(html.as_uri())
    tab.wait_for_load_state("load")
    assert tab.evaluate("typeof window.__kbPwned") == "undefined"
    assert dialogs == []
    body = tab.inner_text("article")
    assert "<script>window.__kbPwned = 1; alert('x')</script>" in body
    assert tab.locator("article img[src=x]").count() == 0
    tab.close()


def test_personal_data_is_reported_masked_and_never_altered(tmp_path, capsys):
    text = ("2023年意识形态工作报告\n一、工作情况\n联系人张三，手机13812345678，邮箱 zhangsan@example.com。\n"
            "身份证号 11010519491231002X 已登记。订单号 110105194912310021 不是身份证号。\n")
    _, out, corpus = _generate(tmp_path, capsys, {"含个人信息.txt": text.encode("utf-8")})
    message = _message_for(out, "含个人信息.txt")
    assert "手机号码 138****5678" in message and "电子邮箱 z*******@example.com" in message
    assert "身份证号 110*************2X" in message
    assert "13812345678" not in out and "11010519491231002X" not in out and "110105194912310021" not in message
    assert "疑似含个人信息" in out and "含个人信息.txt（2 处）" in out
    assert "13812345678" not in json.dumps(corpus["problems"], ensure_ascii=False)
    page = (tmp_path / "docs" / "reports" / f"{[r['id'] for r in corpus['reports'] if r['source'] == '含个人信息.txt'][0]}.md")
    assert "13812345678" in page.read_text(encoding="utf-8")  # the report text itself is untouched


@pytest.mark.parametrize("text, expected", [
    ("电话：138-1234-5678。", [("手机号码", "138****5678")]),
    ("手机１３９１２３４５６７８", [("手机号码", "139****5678")]),  # full-width digits
    ("身份证 11010519491231002x", [("身份证号", "110*************2x")]),
    ("邮箱：wang.li@dept.gov.cn", [("电子邮箱", "w******@dept.gov.cn")]),
    ("文号20230615123456789、金额12345678901234元", []),     # long numbers that are neither
    ("110105194912310021", []),                             # wrong check digit
    ("11010519491331002X", []),                             # month 13
    ("2023年上半年召开会议12次，参加人数138人", []),
])
def test_personal_data_patterns(text, expected):
    from reportkb.stages.privacy import find_personal_data

    assert find_personal_data(text) == expected


def test_file_name_in_another_encoding_is_read_with_a_warning(tmp_path, capsys):
    sources, docs = sample_sources_and_docs(tmp_path)
    raw_name = os.fsencode(sources) + b"/" + "报告".encode("gbk") + b".txt"  # not UTF-8
    with open(raw_name, "wb") as handle:
        handle.write(REPORT.encode("utf-8"))
    assert kb.main(["generate", "--sources", str(sources), "--docs", str(docs)]) == 0
    out = capsys.readouterr().out
    shown = "报告".encode("gbk").decode("utf-8", "backslashreplace") + ".txt"
    assert "文件名含有无法识别的字符" in _message_for(out, shown) and "请把文件重命名" in _message_for(out, shown)
    corpus = json.loads((docs / "data" / "corpus.json").read_text(encoding="utf-8"))
    assert shown in _sources_in(corpus) and len(corpus["reports"]) == SAMPLE_REPORTS + 1
    assert all(r["id"].isascii() for r in corpus["reports"])


def test_fast_path_of_the_text_check_skips_only_harmless_characters():
    import unicodedata

    from reportkb.stages.ingest import SURELY_GOOD_RE

    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    skipped = "".join(SURELY_GOOD_RE.findall(every))
    assert len(skipped) > 27000
    assert not [c for c in skipped if c == "\ufffd" or (
        unicodedata.category(c) in ("Cc", "Cn", "Co", "Cs") and c not in "\t\n\r\f\v")]
