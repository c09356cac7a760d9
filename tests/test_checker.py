"""The draft checker in Python: verdicts on real drafts, edge cases, the CLI."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import docx
import pytest

from reportkb.checker.contract import GAP_CODES
from reportkb.checker.rules import check

from helpers import ROOT

SAMPLE = ROOT / "sources" / "003_18adec3924a66559.txt"
KB = [sys.executable, str(ROOT / "scripts" / "kb.py")]


def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


def without_parts(text: str) -> str:
    """The sample report with its 存在问题 and 下一步 parts deleted."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("二、") and "存在问题" in line)
    return "\n".join(lines[:start])


def good_draft(spec: dict) -> str:
    """A draft that should pass every check: built from the spec's own exemplars."""
    def clean(s: str) -> str:
        return "".join(ch for ch in s if ch not in "*＊XxⅩⅹ…")

    lines = ["某县文化局2024年上半年意识形态工作自查报告", "一、工作开展情况"]
    for req in spec["requirements"]:
        excerpt = clean(req["exemplars"][0]["excerpt"])
        own = next(r for r in check(excerpt, spec)["requirements"] if r["id"] == req["id"])
        # A requirement with further notions needs a word of each on the same line.
        notions = "".join(next(p for p in group if p.isalnum()) for group in req["all_of"])
        lines.append(f"我们认真做好{own['matches'][0]['text']}{notions}等工作，取得了较好成效。")
    lines += ["二、存在的问题", "一是网评员队伍建设还不够有力。", "三、下一步工作打算", "继续加强队伍建设，配强网评员、通讯员。"]
    text = "\n".join(lines)
    filler = "我们将坚持以人民为中心，扎实推进各项工作，努力实现更好的发展成效。"
    while check(text, spec)["length"]["verdict"] == "short":
        text += "\n" + filler
    return text


# ---------------------------------------------------------------- verdicts


def test_full_sample_report_has_title_and_three_parts(spec):
    verdict = check(sample_text(), spec)
    s = verdict["structure"]
    assert s["title"] == {"line": 1, "text": "2023年上半年意识形态工作责任制落实情况自查报告"}
    assert [(p["label"], p["found"]) for p in s["parts"]] == [("工作情况", True), ("存在问题", True), ("下一步", True)]
    assert s["parts"][1]["heading"] == "***意识形态工作领域存在问题"
    assert verdict["length"]["verdict"] == "normal"
    # The sample masks names with *; a few themes and requirements it does not touch; its
    # problem 思想动态摸底掌握不及时 has no measure.
    assert verdict["gaps"] == ["missing-theme", "missing-requirement", "unmatched-problem", "placeholder"]
    (gap,) = [p for p in verdict["pairing"]["problems"] if not p["matched_by"]]
    assert gap["line"] == 11 and gap["text"].startswith("（三）思想动态摸底掌握不及时。")


def test_deleting_sections_is_noticed(spec):
    full = check(sample_text(), spec)
    cut = check(without_parts(sample_text()), spec)
    assert [p["found"] for p in cut["structure"]["parts"]] == [True, False, False]
    assert cut["gaps"] == ["missing-part", "missing-theme", "missing-requirement", "placeholder", "length-short"]
    assert cut["length"]["chars"] < full["length"]["chars"]
    addressed_full = {r["id"] for r in full["requirements"] if r["addressed"]}
    addressed_cut = {r["id"] for r in cut["requirements"] if r["addressed"]}
    assert addressed_cut < addressed_full
    for r in cut["requirements"]:
        if not r["addressed"]:
            assert 1 <= len(r["exemplars"]) <= 3
            assert all(e["url"].startswith("reports/") for e in r["exemplars"])


def test_good_draft_passes_everything(spec):
    verdict = check(good_draft(spec), spec)
    assert verdict["gaps"] == [], verdict["gaps"]
    assert verdict["ok"] is True


def test_placeholders_are_found_and_words_are_not(spec):
    text = "标题\n上半年共开展学习X次，XX同志于X月X日到Ⅹ村调研，ⅩⅩ单位，**党委，某某同志，□□。\nXbox and max are words, 3x faster."
    items = check(text, spec)["placeholders"]["items"]
    found = [(i["line"], i["text"]) for i in items]
    # In order; a single Ⅹ before 村 is a letter, and nothing on the English line 3.
    assert found == [(2, "X次"), (2, "XX"), (2, "X月X日"), (2, "ⅩⅩ"), (2, "**"), (2, "某某"), (2, "□□")]


def test_formula_variants_and_near_misses(spec):
    text = "\n".join(["牢固树立四个意思，坚定四个自信。", "落实一岗两责。",
                      "增强四个意识，做到两个维护，第一负责人。", "守土尽责，党员意识形态。"])
    items = check(text, spec)["formulas"]["items"]
    assert [(i["line"], i["text"], i["standard"], i["kind"]) for i in items] == [
        (1, "四个意思", "四个意识", "near-miss"),
        (2, "一岗两责", "一岗双责", "variant"),
    ]


def test_traditional_and_full_width_drafts_match_as_simplified(spec):
    verdict = check("二〇二四年上半年意識形態工作總結\n一、工作情況\n配齊網評員隊伍，ＸＸ名。", spec)
    assert verdict["structure"]["title"] is not None
    r28 = next(r for r in verdict["requirements"] if r["id"] == "R28")
    assert r28["addressed"] and r28["matches"][0]["text"] == "網評員"
    assert any(i["text"] == "ＸＸ" for i in verdict["placeholders"]["items"])


@pytest.mark.parametrize(
    "text, gaps",
    [
        ("", ["empty-draft"]),
        ("  \n\t\n\u3000", ["empty-draft"]),
        ("This is an English memo.\nNothing Chinese here.",
         ["not-chinese", "no-title", "missing-part", "missing-theme", "missing-requirement", "length-short"]),
    ],
)
def test_edge_inputs(spec, text, gaps):
    verdict = check(text, spec)
    assert verdict["gaps"] == gaps
    assert not any(r["addressed"] for r in verdict["requirements"])
    assert set(verdict["gaps"]) <= set(GAP_CODES)


def test_draft_without_headings(spec):
    mark = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|[0-9]+[.、]|第[一二三四五]，)")
    flat = "\n".join(mark.sub("", line) for line in sample_text().split("\n"))
    assert flat != sample_text()
    verdict = check(flat, spec)
    assert verdict["structure"]["headings"] == 0
    assert not any(p["found"] for p in verdict["structure"]["parts"])
    assert verdict["structure"]["title"] is not None
    assert any(r["addressed"] for r in verdict["requirements"])


# ---------------------------------------------------------------- CLI


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*KB, "check", *args], capture_output=True, text=True, timeout=300)


def test_cli_text_output_is_a_chinese_checklist(tmp_path, spec_file):
    draft = tmp_path / "草稿.txt"
    draft.write_text(without_parts(sample_text()), encoding="gb18030")
    result = run(str(draft), "--spec", str(spec_file))
    assert result.returncode == 1, result.stderr
    out = result.stdout
    for heading in ("一、结构", "二、主题", "三、要求", "四、问题与措施", "五、未填写的占位符", "六、规范表述", "七、篇幅"):
        assert heading in out
    assert "✘ 存在问题：未找到" in out
    assert "范例：" in out and "reports/" in out
    assert "（missing-part）" in out


def test_cli_json_equals_the_library_verdict_for_docx(tmp_path, spec, spec_file):
    paragraphs = sample_text().split("\n")
    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    path = tmp_path / "草稿.docx"
    document.save(path)
    result = run(str(path), "--json", "--spec", str(spec_file))
    assert result.returncode == 1, result.stderr
    assert json.loads(result.stdout) == json.loads(json.dumps(check("\n".join(paragraphs), spec)))


def test_cli_exit_zero_when_everything_is_there(tmp_path, spec, spec_file):
    draft = tmp_path / "good.txt"
    draft.write_text(good_draft(spec), encoding="utf-8")
    result = run(str(draft), "--spec", str(spec_file))
    assert result.returncode == 0, result.stdout
    assert "结论：各项均已齐备。" in result.stdout


def test_cli_builds_the_spec_from_sources_when_not_given(tmp_path, spec):
    draft = tmp_path / "d.txt"
    draft.write_text("一、工作情况\n落实网评员队伍。", encoding="utf-8")
    result = run(str(draft), "--json")
    assert result.returncode == 1, result.stderr
    assert json.loads(result.stdout) == json.loads(json.dumps(check("一、工作情况\n落实网评员队伍。", spec)))


@pytest.mark.parametrize("name, content", [("missing.txt", None), ("draft.pdf", b"%PDF-1.4"), ("bad.docx", b"not a zip")])
def test_cli_usage_and_unreadable_files_exit_2(tmp_path, spec_file, name, content):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    result = run(str(path), "--spec", str(spec_file))
    assert result.returncode == 2
    assert result.stderr.startswith("错误：")
    assert result.stdout == ""


def test_cli_empty_file_is_a_gap_not_an_error(tmp_path, spec_file):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    result = run(str(path), "--json", "--spec", str(spec_file))
    assert result.returncode == 1
    assert json.loads(result.stdout)["gaps"] == ["empty-draft"]
