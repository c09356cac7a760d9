"""Themes and roles on text as real pages print it (garbled conversions, generic headings, announced lists)."""

from __future__ import annotations

import pytest

from parsing import one
from reportkb.config import DATA_DIR, load_taxonomy
from reportkb.stages.annotate import annotate


@pytest.fixture(scope="module")
def taxonomy():
    return load_taxonomy(DATA_DIR / "taxonomy.yml")


def labels(report, taxonomy):
    notes = annotate(report, taxonomy)
    return {s.heading: (notes.sections[s.index].themes, notes.sections[s.index].role) for s in report.sections}


def test_pinyin_debris_of_a_garbled_conversion_does_not_hide_keywords(taxonomy):
    report = one("某公司工作報(bào)告\n一、落實(shí)主體責(zé)任\n黨委認(rèn)真落實(shí)主體責(zé)任和一崗雙責(zé)。\n")
    themes, _ = labels(report, taxonomy)["落實(shí)主體責(zé)任"]
    assert themes[0] == "责任落实"


def test_a_generic_heading_takes_the_themes_of_what_it_holds(taxonomy):
    report = one(
        "某局意识形态工作报告\n二、存在的突出问题\n（一）工作机制不够健全\n（二）阵地建设有待加强\n（三）责任制落实有差距\n"
    )
    themes, role = labels(report, taxonomy)["存在的突出问题"]
    assert themes[0] != "其他" and role == "存在问题"


def test_a_part_announced_as_improvements_is_next_steps(taxonomy):
    report = one(
        "某人意识形态工作对照检查\n本人主要存在以下问题：一是学习不够深入。二是创新不够。\n"
        "针对上述问题，我将从以下几方面加以改进：\n一、加强理论学习\n正文。\n"
    )
    _, role = labels(report, taxonomy)["加强理论学习"]
    assert role == "下一步措施"


def test_a_report_paragraph_ending_in_a_colon_does_not_decide_on_a_word_far_before_it(taxonomy):
    report = one("某局意识形态工作报告\n按照巡察工作安排，现将有关情况汇报如下：\n一、牢牢把握领导权\n正文。\n")
    _, role = labels(report, taxonomy)["牢牢把握领导权"]
    assert role == "工作做法"


def test_a_section_without_theme_words_takes_its_parents_theme(taxonomy):
    report = one("某局意识形态工作报告\n（一）加强网评员队伍建设\n一是按时完成。正文。二是质量过硬。正文。\n")
    assert labels(report, taxonomy)["按时完成"][0] == ("队伍建设",)
