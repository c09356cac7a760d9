"""kb.py as a maintainer uses it."""

from __future__ import annotations

import json
import re
import time

import pytest

import kb
from reportkb.cli import output

from helpers import sample_sources_and_docs


def test_generate_writes_pages_and_corpus_json(tmp_path, capsys):
    sources, docs = sample_sources_and_docs(tmp_path)
    assert kb.main(["generate", "--sources", str(sources), "--docs", str(docs)]) == 0
    out = capsys.readouterr().out
    assert "已生成 7 篇报告（5 个文件）" in out
    assert "004_9e0e379dcb2381a6.txt" in out and "已移除第 1–15 行" in out
    corpus = json.loads((docs / "data" / "corpus.json").read_text(encoding="utf-8"))
    assert len(corpus["reports"]) == 7
    first = corpus["reports"][0]
    assert set(first) >= {"id", "source", "part", "title", "title_derived", "addressee", "year", "period", "unit", "encoding", "outline"}
    assert set(first["outline"][0]) >= {"depth", "mark", "heading", "inline", "line", "role", "themes"}
    assert all(r["id"].isascii() for r in corpus["reports"])
    assert {p["code"] for p in corpus["problems"]} == {"noise-removed", "title-derived"}
    assert (docs / "index.md").read_text(encoding="utf-8") == "# 手写首页\n"

    # A second run changes nothing and writes nothing.
    before = {p: p.stat().st_mtime_ns for p in docs.rglob("*") if p.is_file()}
    assert kb.main(["generate", "--sources", str(sources), "--docs", str(docs)]) == 0
    assert "新增 0，更新 0，删除 0" in capsys.readouterr().out
    assert {p: p.stat().st_mtime_ns for p in docs.rglob("*") if p.is_file()} == before


def test_unsupported_file_gets_a_message_and_the_rest_builds(tmp_path, capsys):
    sources, docs = sample_sources_and_docs(tmp_path)
    (sources / "旧格式报告.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    assert kb.main(["generate", "--sources", str(sources), "--docs", str(docs)]) == 0
    out = capsys.readouterr().out
    assert "旧格式报告.doc" in out and "另存为 .docx" in out
    assert len(json.loads((docs / "data" / "corpus.json").read_text(encoding="utf-8"))["reports"]) == 7
    assert kb.main(["generate", "--strict", "--sources", str(sources), "--docs", str(docs)]) == 1


def test_sources_are_never_modified(tmp_path):
    sources, docs = sample_sources_and_docs(tmp_path)
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sources.iterdir()}
    assert kb.main(["generate", "--sources", str(sources), "--docs", str(docs)]) == 0
    assert (docs / "data" / "corpus.json").is_file()
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sources.iterdir()} == before


def test_missing_sources_folder_is_a_usage_error(tmp_path, capsys):
    assert kb.main(["generate", "--sources", str(tmp_path / "nope"), "--docs", str(tmp_path / "docs")]) == 2
    assert "找不到报告目录" in capsys.readouterr().err


def test_help_is_chinese(capsys):
    with pytest.raises(SystemExit) as exit_info:
        kb.main(["generate", "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "用法" in out and "报告所在目录" in out


def _past(delay: float, n: int):
    """n items; the last one only once ``delay`` seconds have surely passed.

    Sleeping sets a lower bound on the time taken, never an upper one, so a
    loaded machine cannot make the run shorter than the delay.
    """
    yield from range(n - 1)
    time.sleep(delay * 1.5)
    yield n - 1


def test_long_runs_show_a_progress_bar_then_stage_lines(capsys, monkeypatch):
    """On a terminal, after PROGRESS_DELAY: a tqdm bar over the files being parsed, then one line per stage."""
    monkeypatch.setattr(output, "PROGRESS_DELAY", 0.2)
    progress = output.Progress(enabled=True)
    assert list(progress(_past(0.2, 30), 30)) == list(range(30))
    progress.stage("render")
    progress.close()
    err = capsys.readouterr().err
    # How often tqdm redraws depends on the machine's speed, and so do the counts
    # shown (the bar is erased when parsing ends): at least one, in order.
    counts = [int(n) for n in re.findall(r"(\d+)/30", err)]
    assert counts and counts == sorted(counts) and counts[-1] <= 30, err
    assert 0 <= err.index("解析报告") < err.index("生成页面……")
    assert err.endswith("生成页面……\r\033[K")  # the status line is cleared at the end


def test_short_runs_and_quiet_runs_show_nothing(capsys, monkeypatch):
    monkeypatch.setattr(output, "PROGRESS_DELAY", 3600.0)  # a run shorter than the delay: silent
    short = output.Progress(enabled=True)
    assert list(short(iter(range(30)), 30)) == list(range(30))
    short.stage("render")
    short.close()
    assert capsys.readouterr().err == ""

    monkeypatch.setattr(output, "PROGRESS_DELAY", 0.0)
    quiet = output.Progress(enabled=False)  # --quiet, or not a terminal: nothing at all, however long
    assert list(quiet(iter(range(3)), 3)) == [0, 1, 2]
    quiet.stage("render")
    quiet.close()
    assert capsys.readouterr().err == ""
