"""Reports, titles and metadata: several reports per page, repeated titles, years and periods."""

from __future__ import annotations

import pytest

from parsing import one, read


def test_a_collection_page_is_split_at_its_part_markers():
    reports, _ = read(
        """
某某工作报告汇编（精选3篇）
某某工作报告篇一
一、工作情况
正文。
某某工作报告篇二
一、工作情况
正文。
"""
    )
    assert [r.title for r in reports] == ["某某工作报告篇一", "某某工作报告篇二"]
    assert [len(r.sections) for r in reports] == [1, 1]


def test_numbered_titles_split_reports_too():
    reports, _ = read("2019教育局工作总结(1)\n正文一。\n2019教育局工作总结(2)\n正文二。\n")
    assert [(r.title, r.year) for r in reports] == [("2019教育局工作总结(1)", 2019), ("2019教育局工作总结(2)", 2019)]


def test_a_title_printed_several_times_is_one_title_the_last_before_the_body():
    report = one("某局意识形态工作报告（六页）\n某局意识形态工作报告\n按照要求，现报告如下：\n一、工作情况\n")
    assert report.title == "某局意识形态工作报告" and not report.title_derived
    assert [b.kind for b in report.blocks][:3] == ["paragraph", "title", "paragraph"]


def test_a_collection_title_glued_before_the_report_title_is_dropped():
    report = one("某某问题及措施范文(精选五篇)某某问题及措施篇一《方案》下发以来，我局高度重视，逐项整改落实。")
    assert report.title == "某某问题及措施篇一"


def test_a_report_without_a_title_line_gets_a_derived_title_flagged_as_derived():
    reports, problems = read("今年以来，县委宣传部认真落实意识形态工作责任制。\n一、工作情况\n正文。\n")
    assert reports[0].title_derived
    assert any(p.code == "title-derived" for p in problems)


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("某单位工作总结\n根据《关于报送二○一九年工作总结的通知》要求，总结如下。\n", 2019),
        ("某单位工作总结\n2021年以来，我单位持续推进各项工作。\n", None),
        ("2018单位工作总结\n今年以来，我单位持续推进各项工作。\n", 2018),
        ("某单位工作总结\n时间:2023-04-10 14:01:14\n今年以来，我单位持续推进各项工作。\n", None),
    ],
)
def test_the_year_is_the_one_the_report_states(text, year):
    assert one(text).year == year


@pytest.mark.parametrize(
    ("title", "opening", "period"),
    [
        ("某医院2025年第三季度意识形态研判报告", "本季度以来，院党委高度重视。", "第三季度"),
        ("某局4季度意识形态工作总结", "本季度以来，局党组高度重视。", "第四季度"),
        ("某学校意识形态工作总结", "本年度，我校认真落实责任制。", "年度"),
        ("某局意识形态工作总结", "今年以来，圆满完成了全年各项工作任务。", "年度"),
        ("某局意识形态工作总结", "半年来，局党组认真落实责任制。", "上半年"),
        ("某局意识形态工作总结", "今年以来，局党组认真落实责任制。", None),
        ("某公司党委2021年度意识形态工作总结", "今年以来，公司党委认真落实责任制。", "年度"),
        ("某馆工作总结", "2018年度共计组织业务培训8次。", None),
    ],
)
def test_periods_quarters_and_whole_years(title, opening, period):
    assert one(f"{title}\n{opening}\n一、工作情况\n正文。\n").period == period


def test_a_count_for_the_whole_year_in_the_body_names_the_year_as_the_period():
    report = one("某局意识形态工作报告\n今年以来，局党组高度重视。\n一、工作情况\n党组全年共专题研究4次。\n")
    assert report.period == "年度"


def test_a_title_broken_over_pdf_lines_is_read_joined():
    pieces = "某某办公室\n2025\n年意识形态工作总结与\n2026\n年工作计划\n"
    report = one(pieces + "全年工作扎实推进，成效明显。\n一、主要成效\n")
    assert (report.title, report.title_derived) == ("某某办公室2025年意识形态工作总结与2026年工作计划", False)
    assert (report.year, report.period) == (2025, "年度")
    assert "".join(b.text for b in report.blocks).startswith("某某办公室2025年意识形态工作总结与")
