"""What the parser reads as a heading: one short made-up case per phenomenon.

These cases are the documentation of the heading styles the tool recognises
(README “解析能识别的标题样式与网页噪声”). No text here is copied from a real page.
"""

from __future__ import annotations

import pytest

from parsing import one, outline, page_text


def test_classic_levels_nest_by_the_order_styles_open():
    report = one(
        """
某某局2024年上半年意识形态工作总结
一、主要做法
（一）压实责任
1.召开专题会议。会议研究了有关工作。
（1）制定工作清单。清单明确了分工。
2.开展督导检查。检查覆盖全部科室。
二、存在问题
"""
    )
    assert outline(report) == [
        (1, "一、", "主要做法"),
        (2, "（一）", "压实责任"),
        (3, "1.", "召开专题会议"),
        (4, "（1）", "制定工作清单"),
        (3, "2.", "开展督导检查"),
        (1, "二、", "存在问题"),
    ]


@pytest.mark.parametrize(
    ("line", "mark", "heading"),
    [
        ("①完善学习制度。制度规定了学习内容。", "①", "完善学习制度"),
        ("第一节：阵地管理的做法", "第一节：", "阵地管理的做法"),
        ("第一步，是摸清底数，建立台账。随后逐项核对。", "第一步，", "是摸清底数，建立台账"),
        ("第一部分 基本情况", "第一部分", "基本情况"),
        ("1、抓好舆情处置。建立了处置流程。", "1、", "抓好舆情处置"),
    ],
)
def test_more_numbering_styles(line, mark, heading):
    report = one(f"某单位意识形态工作报告\n{line}\n正文内容。")
    assert outline(report)[0][1:] == (mark, heading)


@pytest.mark.parametrize("lead", ["> ", "#### ", "?", "  ", "　　"])
def test_marks_after_quote_markers_hashes_lost_characters_and_indentation(lead):
    report = one(f"某单位意识形态工作报告\n{lead}一、工作开展情况\n正文内容。")
    section = report.sections[0]
    assert (section.mark, section.heading, section.inline) == ("一、", "工作开展情况", False)


def test_a_page_without_line_breaks_keeps_title_headings_and_every_character():
    text = (
        "某县委2023年上半年意识形态工作总结2023年上半年，县委认真落实责任制。现总结如下。"
        "一、主要工作情况（一）加强组织领导，压实工作责任。县委召开专题会议三次。"
        "（二）抓好理论武装。中心组集中学习六次。二、存在的问题。一是研判不够深入。二是阵地管理有短板。"
    )
    report = one(text)
    assert report.title == "某县委2023年上半年意识形态工作总结" and not report.title_derived
    assert (report.year, report.period) == (2023, "上半年")
    assert outline(report) == [
        (1, "一、", "主要工作情况"),
        (2, "（一）", "加强组织领导，压实工作责任"),
        (2, "（二）", "抓好理论武装"),
        (1, "二、", "存在的问题"),
        (2, "一是", "研判不够深入"),
        (2, "二是", "阵地管理有短板"),
    ]
    assert all(s.inline for s in report.sections)
    assert page_text(report) == text


def test_paragraphs_separated_only_by_spaces_end_headings_at_the_space():
    text = (
        "一、总体情况 今年以来，我委高度重视意识形态工作，各项任务扎实推进。 "
        "（一）健全工作机制 成立了领导小组，明确了分工和职责，形成了合力。 "
        "（二）抓好队伍建设 选配网评员十名，组织业务培训两次，效果良好。"
    )
    report = one(text)
    assert outline(report) == [(1, "一、", "总体情况"), (2, "（一）", "健全工作机制"), (2, "（二）", "抓好队伍建设")]
    assert page_text(report) == text


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("一、主要成效2023年以来，我办党组坚持把意识形态工作抓在手上。", "主要成效"),
        ("第一节:加强阵地管理为了管好阵地，我们建立了审核制度。", "加强阵地管理"),
        ("第二节:网络舆情处置网络舆情处置关系到单位形象和群众利益。", "网络舆情处置"),
        ("一、强化责任，细化分工，推进整改工作《方案》印发后，各科室逐项落实。", "强化责任，细化分工，推进整改工作"),
    ],
)
def test_a_heading_glued_to_its_body_ends_where_its_own_words_end(line, heading):
    report = one(f"某单位意识形态工作报告\n{line}")
    assert report.sections[0].heading == heading


def test_numbering_that_jumps_or_restarts_is_kept_as_written():
    report = one("某单位意识形态工作报告\n一、工作情况\n（一）抓学习\n（三）抓阵地\n二、问题\n（一）认识不足\n")
    assert outline(report) == [
        (1, "一、", "工作情况"), (2, "（一）", "抓学习"), (2, "（三）", "抓阵地"),
        (1, "二、", "问题"), (2, "（一）", "认识不足"),
    ]


def test_a_numbered_list_continues_in_the_middle_of_a_line():
    report = one("某单位意识形态工作报告\n一、主要做法\n1、抓好学习。学习了文件。 2、严格审核。审核了稿件。\n")
    assert outline(report)[1:] == [(2, "1、", "抓好学习"), (2, "2、", "严格审核")]
    assert report.sections[2].inline


def test_unnumbered_short_lines_standing_alone_are_headings():
    report = one(
        """
某公司意识形态工作总结
引言
今年公司党委认真落实意识形态工作责任制，取得了较好成效。
一、主要做法
○ 完善领导机制
○ 调整了领导小组成员。
○ 加强阵地管理
○ 对宣传栏和公众号实行审核。
某某公司党委
中共某某县委
2024年7月1日
"""
    )
    assert outline(report) == [
        (1, "", "引言"),
        (1, "一、", "主要做法"),
        (2, "", "完善领导机制"),
        (2, "", "加强阵地管理"),
    ]
    assert not any(s.inline for s in report.sections)


def test_a_mark_alone_at_the_end_of_a_cut_page_is_no_heading():
    report = one("某单位意识形态工作报告\n一、工作情况\n正文内容。\n二、\n")
    assert outline(report) == [(1, "一、", "工作情况")]


def test_doc_viewer_page_numbers_that_split_a_sentence_are_no_headings():
    long = "理论学习宣传工作在本单位持续推进，干部职工的认识不断提高，学习的形式也更加丰富多样，" * 3
    report = one(f"某单位意识形态工作报告\n一、工作情况\n{long}引导大家形成正\n2、确的价值观念。学习活动持续开展。\n")
    assert outline(report) == [(1, "一、", "工作情况")]


def test_short_lines_side_by_side_are_a_table_or_a_list_not_headings():
    table = "项目名称\n完成情况\n学习教育\n"
    report = one(f"某单位意识形态工作报告\n一、工作情况\n正文内容很长，说明了有关情况。\n{table}正文又一段。\n")
    assert outline(report) == [(1, "一、", "工作情况")]


def test_a_mark_alone_on_a_pdf_line_takes_its_words_from_the_fragments_below():
    report = one("某单位意识形态工作报告\n一、\n2024\n年工作成效\n在意识形态工作实践中，我们深刻认识到责任的重要。\n")
    assert outline(report) == [(1, "一、", "2024年工作成效")]
    assert page_text(report).endswith("一、2024年工作成效在意识形态工作实践中，我们深刻认识到责任的重要。")
