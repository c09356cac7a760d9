"""The explainable theme/role classifier: rules on small texts, targets on gold.yml."""

from __future__ import annotations

import pytest

from reportkb.config import DATA_DIR, load_taxonomy
from reportkb.model import Line, ReportText
from reportkb.stages.annotate import annotate, match_terms
from reportkb.stages.parse import parse_report
from reportkb.testing.accuracy import measure

from helpers import FIXTURES, ROOT


@pytest.fixture(scope="module")
def taxonomy():
    return load_taxonomy(DATA_DIR / "taxonomy.yml")


def make_report(text: str, rid: str = "t"):
    lines = tuple(Line(t, i + 1) for i, t in enumerate(text.strip("\n").split("\n")))
    report, _ = parse_report(ReportText("t.txt", 1, 1, "utf-8", lines), rid)
    return report


def labels_of(report, taxonomy, heading_part: str):
    notes = annotate(report, taxonomy)
    index = next(s.index for s in report.sections if heading_part in s.heading)
    return notes.sections[index]


def test_gold_targets_hold_and_figures_are_printed(capsys):
    acc = measure(FIXTURES / "gold.yml", ROOT / "sources")
    with capsys.disabled():
        print("\n" + "\n".join(acc.lines()))
    assert acc.matched == acc.sections
    assert acc.share(acc.among) >= 0.90
    assert acc.share(acc.first) >= 0.80
    assert acc.share(acc.roles) >= 0.90


def test_longest_term_wins_and_counts_once(taxonomy):
    counts = match_terms("加强网络意识形态工作，网络意识形态安全", taxonomy.themes)
    assert counts[("网络阵地", "网络意识形态")] == 2
    assert ("网络阵地", "网络") not in counts


def test_traditional_and_full_width_text_match(taxonomy):
    counts = match_terms("網評員隊伍，落實主體責任", taxonomy.themes)
    assert counts[("队伍建设", "网评员")] == 1
    assert counts[("责任落实", "主体责任")] == 1


TEXT = """2024年上半年意识形态工作自查报告
一、工作情况
（一）加强网评员队伍建设
配备专职网评员，开展业务培训。学习了有关文件。
（二）落实主体责任
党委专题研究意识形态工作两次。
二、存在的问题
（一）理论学习不够深入
中心组学习次数偏少。
三、下一步工作打算
（一）进一步加强阵地管理
严格落实三审制度，管好公众号。
"""


def test_heading_words_outweigh_body_words(taxonomy):
    report = make_report(TEXT)
    labels = labels_of(report, taxonomy, "网评员队伍")
    assert labels.themes[0] == "队伍建设"
    evidence = dict(labels.evidence)["队伍建设"]
    where = {(e.term, e.where) for e in evidence}
    assert ("网评员", "heading") in where and ("网评员", "body") in where
    body_hit = next(e for e in evidence if e.term == "网评员" and e.where == "body")
    assert body_hit.count == 1


def test_children_inform_a_generic_parent(taxonomy):
    report = make_report(TEXT)
    parent = labels_of(report, taxonomy, "工作情况")
    assert parent.themes[0] == "队伍建设"
    scores = dict(parent.scores)
    assert scores["队伍建设"] > scores["责任落实"] > 0
    assert any(e.where == "children" for e in dict(parent.evidence)["队伍建设"])


def test_roles_come_from_top_level_headings_and_are_inherited(taxonomy):
    report = make_report(TEXT)
    notes = annotate(report, taxonomy)
    roles = [(s.heading, notes.sections[s.index].role) for s in report.sections]
    assert roles == [
        ("工作情况", "工作做法"),
        ("加强网评员队伍建设", "工作做法"),
        ("落实主体责任", "工作做法"),
        ("存在的问题", "存在问题"),
        ("理论学习不够深入", "存在问题"),
        ("下一步工作打算", "下一步措施"),
        ("进一步加强阵地管理", "下一步措施"),
    ]


def test_a_problem_heading_without_cue_words_gets_its_role_from_keywords(taxonomy):
    report = make_report("报告\n一、学习教育有待加强\n正文。\n二、加强阵地管理\n正文。")
    notes = annotate(report, taxonomy)
    assert [notes.sections[s.index].role for s in report.sections] == ["存在问题", "工作做法"]


def test_section_without_theme_words_is_other(taxonomy):
    report = make_report("报告\n一、其他事项\n今天天气很好。")
    assert annotate(report, taxonomy).sections[0].themes == ("其他",)


def test_annotation_is_deterministic(taxonomy):
    report = make_report(TEXT)
    assert annotate(report, taxonomy) == annotate(report, taxonomy)
