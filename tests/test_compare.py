"""对比报告: two reports aligned, new and gone items, sentences repeated word for word (Python and kb.py compare)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from reportkb.analysis.compare import compare, items, match_items, norm, resolve, sentences
from reportkb.pages.compare import COMPARE_JSON
from reportkb.pages.reports import CORPUS_JSON

from helpers import ROOT

KB = [sys.executable, str(ROOT / "scripts" / "kb.py")]
OLD, COPY = "000_4923fc270289bbc6.txt", "001_9dfe4ea8b472d475.txt#2"


@pytest.fixture(scope="module")
def corpus(sample_build) -> list[dict]:
    return json.loads(sample_build.pages[CORPUS_JSON])["reports"]


@pytest.fixture(scope="module")
def settings(sample_build) -> dict:
    return json.loads(sample_build.pages[COMPARE_JSON])


def pick(corpus, key) -> dict:
    (found,) = resolve(corpus, key)
    return found


def test_near_copy_has_its_shared_sentences_flagged(corpus, settings):
    a, b = pick(corpus, OLD), pick(corpus, COPY)
    found = compare(a, b, settings, corpus)
    texts = [r["text"] for r in found["repeated"]]
    assert found["sentences"] == 38 and len(texts) == 28
    # A sentence both reports hold (full-width commas in one, half-width in the other).
    assert ("XX党工委每年召开两次专题会,研究部署意识形态工作,对重大事件、重要情况、重要社情民意中的倾向性苗头性问题,"
            "有针对性地进行引导,作出工作安排。") in texts
    # Every flagged sentence really is in both, word for word once punctuation is dropped.
    text_a = norm(a["opening"] + "".join(s["text"] for s in a["outline"]))
    text_b = norm(b["opening"] + "".join(s["text"] for s in b["outline"]))
    assert all(norm(t) in text_a and norm(t) in text_b for t in texts)
    # …and a sentence of B that A does not hold is not flagged.
    own = [t for s in b["outline"] for t in sentences(s["text"]) if len(norm(t)) >= 12 and norm(t) not in text_a]
    assert own and not set(own) & set(texts)
    assert found["a"]["label"] == OLD and found["b"]["label"] == COPY


def test_outline_rows_align_by_role_and_theme(corpus, settings):
    found = compare(pick(corpus, OLD), pick(corpus, COPY), settings, corpus)
    rows = {(r["role"], r["theme"]): r for r in found["rows"]}
    network = rows[("工作做法", "网络阵地")]
    items_shown = ["1.建立信息发布审核制度", "3.及时参与网上评论引导", "4.管好官微宣传阵地"]
    assert [s["text"] for s in network["a"]] == ["三、加强网络意识形态安全维护，把握主导权", *items_shown]
    assert [s["text"] for s in network["b"]] == ["三、加强网络意识形态安全维护,把握主导权", *items_shown]


def test_new_and_gone_problems_and_measures(corpus, settings):
    a, b = pick(corpus, "001_9dfe4ea8b472d475.txt#3"), pick(corpus, "003_18adec3924a66559.txt")
    found = compare(a, b, settings, corpus)
    assert [g["role"] for g in found["items"]] == ["存在问题", "下一步措施"]
    problems = found["items"][0]
    assert [x["text"] for x in problems["new"]] == [
        "（一）运用理论指导实践的能力不足", "（二）宣传舆情引导能力不强", "（三）思想动态摸底掌握不及时"]
    assert len(problems["gone"]) == 3 and not problems["kept"]


def test_items_match_on_their_words_not_their_numbering():
    a = [{"text": "一是宣传力度尚显薄弱", "words": "宣传力度尚显薄弱", "anchor": "x"},
         {"text": "二是队伍建设有待加强", "words": "队伍建设有待加强", "anchor": "y"}]
    b = [{"text": "（一）宣传力度仍显薄弱", "words": "宣传力度仍显薄弱", "anchor": "z"},
         {"text": "（二）网络阵地管理不够规范", "words": "网络阵地管理不够规范", "anchor": "w"}]
    found = match_items(a, b, 0.5)
    assert [(k["a"]["anchor"], k["b"]["anchor"], k["score"]) for k in found["kept"]] == [("x", "z", 71)]
    assert [x["anchor"] for x in found["gone"]] == ["y"] and [x["anchor"] for x in found["new"]] == ["w"]


def test_a_part_without_numbered_items_gives_its_sentences():
    report = {"outline": [
        {"depth": 1, "mark": "二、", "heading": "存在的问题", "anchor": "p", "role": "存在问题", "themes": [],
         "text": "二、存在的问题\n一是学习不深。二是阵地管理不严！"}]}
    assert [x["text"] for x in items(report, "存在问题")] == ["一是学习不深。", "二是阵地管理不严！"]


def test_cli_prints_the_same_findings(corpus, settings):
    result = subprocess.run(KB + ["compare", OLD, COPY, "--json"], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == compare(pick(corpus, OLD), pick(corpus, COPY), settings, corpus)
    text = subprocess.run(KB + ["compare", OLD, "001_9dfe4ea8b472d475-2"], capture_output=True, text=True, timeout=600)
    assert text.returncode == 0, text.stderr
    assert "逐字相同的句子：B 共 38 句（去掉标点后不少于 12 字），其中 28 句与 A 逐字相同：" in text.stdout
    assert "存在问题：\n  两篇都没有写这一部分。" in text.stdout


@pytest.mark.parametrize(("args", "message"), [
    ([OLD, "001_9dfe4ea8b472d475.txt"], "错误：001_9dfe4ea8b472d475.txt 中有 3 篇报告，请指明是哪一篇：001_9dfe4ea8b472d475.txt#1、"
                                        "001_9dfe4ea8b472d475.txt#2、001_9dfe4ea8b472d475.txt#3。\n"),
    ([OLD, "nothing.txt"], "错误：找不到报告 B nothing.txt：请写报告编号、文件名或“文件名#篇号”（编号见报告页面的信息框）。\n"),
    ([OLD, OLD], "错误：A 和 B 是同一篇报告：请给出两篇不同的报告。\n"),
])
def test_cli_names_what_it_cannot_compare(args, message):
    result = subprocess.run(KB + ["compare", *args], capture_output=True, text=True, timeout=600)
    assert (result.returncode, result.stderr, result.stdout) == (2, message, "")
