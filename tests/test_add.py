"""kb.py add: safe names, never overwrite, refuse duplicates and unreadable files, warn on near-duplicates."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

import kb
from reportkb.addfiles import safe_name

from helpers import ROOT

SAMPLE = ROOT / "sources" / "000_4923fc270289bbc6.txt"
REPORT = ("2023年上半年意识形态工作自查报告\n一、主要做法\n党委定期研究意识形态工作，落实主体责任。\n"
          "二、存在问题\n学习不够深入，形式比较单一。\n")


@pytest.fixture
def sources(tmp_path):
    folder = tmp_path / "sources"
    shutil.copytree(ROOT / "sources", folder)
    return folder


def _snapshot(folder):
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def _add(capsys, sources, *files, strict=False):
    code = kb.main(["add", *map(str, files), "--sources", str(sources)] + (["--strict"] if strict else []))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.mark.parametrize("given, expected", [
    ("2023年 上半年 报告.txt", "2023年 上半年 报告.txt"),
    ("报告\x07名\u202e称?*.TXT", "报告_名_称.txt"),
    ("a\nb:c|d.docx", "a_b_c_d.docx"),
    (".隐藏报告.txt", "隐藏报告.txt"),
    ("~$临时.docx", "临时.docx"),
    ("...", "报告"),
    ("x" * 300 + ".txt", "x" * 80 + ".txt"),
])
def test_safe_name(given, expected):
    assert safe_name(given) == expected


def test_add_copies_under_a_safe_name_and_never_overwrites(tmp_path, capsys, sources):
    before = _snapshot(sources)
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    first = incoming / "报告\x07 终稿?.txt"
    first.write_text(REPORT, encoding="utf-8")
    code, out = _add(capsys, sources, first)
    assert code == 0 and "已添加" in out and "报告_ 终稿.txt" in out
    assert (sources / "报告_ 终稿.txt").read_text(encoding="utf-8") == REPORT
    # Same name, different content: a suffix, the first file is untouched.
    other = tmp_path / "报告\x07 终稿?.txt"
    other.write_text(REPORT.replace("2023", "2022"), encoding="utf-8")
    code, out = _add(capsys, sources, other)
    assert code == 0 and (sources / "报告_ 终稿-2.txt").exists()
    assert (sources / "报告_ 终稿.txt").read_text(encoding="utf-8") == REPORT
    after = _snapshot(sources)
    assert {k: v for k, v in after.items() if k in before} == before
    assert first.read_text(encoding="utf-8") == REPORT  # the original stays where it was


def test_exact_duplicate_is_refused(tmp_path, capsys, sources):
    before = _snapshot(sources)
    copy = tmp_path / "另一个名字.txt"
    copy.write_bytes(SAMPLE.read_bytes())
    code, out = _add(capsys, sources, copy)
    assert code == 1
    assert "另一个名字.txt" in out and "sources/000_4923fc270289bbc6.txt 内容完全相同" in out and "未添加" in out
    assert _snapshot(sources) == before


def test_duplicate_within_one_batch_is_refused(tmp_path, capsys, sources):
    a, b = tmp_path / "甲.txt", tmp_path / "乙.txt"
    a.write_text(REPORT, encoding="utf-8")
    b.write_text(REPORT, encoding="utf-8")
    code, out = _add(capsys, sources, a, b)
    assert code == 1 and (sources / "甲.txt").exists() and not (sources / "乙.txt").exists()
    assert "sources/甲.txt 内容完全相同" in out


def test_near_duplicate_is_added_with_a_warning(tmp_path, capsys, sources):
    text = SAMPLE.read_text(encoding="utf-8").replace("2020年上半年", "2020年上半年（修订稿）", 1)
    edited = tmp_path / "修订稿.txt"
    edited.write_text(text, encoding="utf-8")
    code, out = _add(capsys, sources, edited)
    assert code == 0 and (sources / "修订稿.txt").exists()
    assert "[警告]" in out and "sources/000_4923fc270289bbc6.txt（相似度" in out and "高度相似" in out and "请确认" in out
    (sources / "修订稿.txt").unlink()
    code, _ = _add(capsys, sources, edited, strict=True)
    assert code == 1


def test_existing_sources_are_not_decoded_again(tmp_path, capsys, sources, monkeypatch):
    """Text signatures are remembered next to sources/ (by generate and by add): an add decodes
    only the new file and the near-duplicate candidates it compares exactly."""
    from reportkb import addfiles
    from reportkb.analysis import similar

    decoded: list[str] = []
    real = addfiles.decode_source
    for module in (addfiles, similar):  # add decodes new files and candidates; similar.file_sketch decodes sources
        monkeypatch.setattr(module, "decode_source", lambda source, *a: decoded.append(source) or real(source, *a))
    docs = tmp_path / "docs"
    docs.mkdir()
    assert kb.main(["generate", "-q", "--sources", str(sources), "--docs", str(docs)]) == 0
    first = tmp_path / "新报告.txt"
    first.write_text(REPORT, encoding="utf-8")
    assert _add(capsys, sources, first)[0] == 0
    assert decoded == ["新报告.txt"]
    decoded.clear()
    text = SAMPLE.read_text(encoding="utf-8").replace("2020年上半年", "2020年上半年（修订稿）", 1)
    edited = tmp_path / "修订稿.txt"
    edited.write_text(text, encoding="utf-8")
    code, out = _add(capsys, sources, edited)
    # The file added before is known too; only the near-duplicate candidate is decoded, for the exact check.
    assert code == 0 and decoded == ["修订稿.txt", "000_4923fc270289bbc6.txt"] and "高度相似" in out


def test_add_without_a_previous_generate_reads_every_source_once(tmp_path, capsys, sources, monkeypatch):
    from reportkb import addfiles
    from reportkb.analysis import similar

    decoded: list[str] = []
    real = addfiles.decode_source
    for module in (addfiles, similar):  # add decodes new files and candidates; similar.file_sketch decodes sources
        monkeypatch.setattr(module, "decode_source", lambda source, *a: decoded.append(source) or real(source, *a))
    first = tmp_path / "新报告.txt"
    first.write_text(REPORT, encoding="utf-8")
    assert _add(capsys, sources, first)[0] == 0
    assert sorted(decoded) == sorted([p.name for p in (ROOT / "sources").iterdir()] + ["新报告.txt"])
    decoded.clear()
    second = tmp_path / "另一篇.txt"
    second.write_text(REPORT.replace("2023年", "2024年"), encoding="utf-8")
    assert _add(capsys, sources, second)[0] == 0
    assert decoded[0] == "另一篇.txt" and "000_4923fc270289bbc6.txt" not in decoded


@pytest.mark.parametrize("name, data, advice", [
    ("旧报告.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "请用 Word 或 WPS 打开后另存为 .docx"),
    ("扫描.pdf", b"%PDF-1.4\n", "请复制正文另存为 .txt"),
    ("空.txt", b"", "文件是空的"),
    ("坏.docx", b"not a zip", "另存为 .docx"),
])
def test_unreadable_or_unsupported_files_are_refused_with_advice(tmp_path, capsys, sources, name, data, advice):
    before = _snapshot(sources)
    path = tmp_path / name
    path.write_bytes(data)
    code, out = _add(capsys, sources, path)
    assert code == 1 and name in out and advice in out and "未添加" in out
    assert _snapshot(sources) == before


def test_missing_file_and_folder(tmp_path, capsys, sources):
    code, out = _add(capsys, sources, tmp_path / "没有这个文件.txt", tmp_path)
    assert code == 1 and "找不到此文件" in out and "这是一个文件夹" in out


@pytest.mark.parametrize("command", [[], ["generate"], ["add"], ["check"]])
def test_every_help_is_chinese(command):
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "kb.py"), *command, "--help"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0
    assert result.stdout.startswith("用法: ") and "选项:" in result.stdout
    for english in ("usage:", "options:", "positional arguments", "show this help"):
        assert english not in result.stdout


def test_usage_errors_are_chinese():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "kb.py"), "add"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "用法: " in result.stderr and "缺少必需的参数" in result.stderr and "usage" not in result.stderr


def test_add_keeps_what_the_last_build_remembered(tmp_path, capsys, sources):
    """kb.py add reads one memo kind; the next build still finds every other kind (regression: add emptied the memo)."""
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    assert kb.main(["generate", "--sources", str(sources), "--docs", str(docs), "-q"]) == 0
    memo = sources.parent / ".kb-cache" / "memo"
    kinds = sorted(p.name for p in memo.iterdir())
    assert len(kinds) > 5
    new = tmp_path / "新报告.txt"
    new.write_text(REPORT, encoding="utf-8")
    assert _add(capsys, sources, new)[0] == 0
    assert sorted(p.name for p in memo.iterdir()) == kinds
