"""Run-in list items (一是…二是…): listed wherever they start a sentence, only as part of a run."""

from __future__ import annotations

from parsing import one, outline, page_text

TITLE = "某单位意识形态工作报告\n"


def test_every_item_of_a_paragraph_is_listed_one_level_below_its_section():
    text = "（一）抓好理论学习。一是完善学习制度。制定了计划。二是丰富学习形式。开展了研讨。三是注重学习效果。"
    report = one(TITLE + "一、工作情况\n" + text)
    items = [(3, "一是", "完善学习制度"), (3, "二是", "丰富学习形式"), (3, "三是", "注重学习效果")]
    assert outline(report)[2:] == items
    assert [s.inline for s in report.sections[2:]] == [True, True, True]
    assert all(s.parent == 1 for s in report.sections[2:])


def test_items_opening_their_lines_are_not_inline():
    report = one(TITLE + "一、工作情况\n一是责任落实到位。正文。\n二是阵地管理到位。正文。\n")
    assert outline(report)[1:] == [(2, "一是", "责任落实到位"), (2, "二是", "阵地管理到位")]
    assert not any(s.inline for s in report.sections)


def test_an_item_right_after_a_heading_not_closed_by_a_full_stop_starts_a_sentence():
    report = one(TITLE + "（一）注重思想引领 一是加强理论武装。正文。二是抓好宣传教育。正文。\n")
    assert outline(report) == [(1, "（一）", "注重思想引领"), (2, "一是", "加强理论武装"), (2, "二是", "抓好宣传教育")]


def test_a_lone_first_item_stays_body_text():
    line = "1.高度重视，落实责任。一是成立了领导小组，明确了分工。"
    report = one(TITLE + "一、工作情况\n" + line + "\n")
    assert outline(report) == [(1, "一、", "工作情况"), (2, "1.", "高度重视，落实责任")]
    assert [b.text for b in report.blocks if b.kind == "paragraph"] == ["一是成立了领导小组，明确了分工。"]


def test_items_inside_one_sentence_stay_body_text():
    report = one(TITLE + "二、存在的问题\n存在的问题一是认识不深，二是措施不实，三是效果不好。\n")
    assert outline(report) == [(1, "二、", "存在的问题")]


def test_a_colon_announced_list_separated_by_semicolons_is_listed():
    line = "主要风险有以下几点：一是新媒体管理不够到位；二是舆论引导能力不足；三是阵地建设有待加强。"
    report = one(TITLE + "一、排查情况\n" + line + "\n")
    assert outline(report)[1:] == [
        (2, "一是", "新媒体管理不够到位"), (2, "二是", "舆论引导能力不足"), (2, "三是", "阵地建设有待加强"),
    ]


def test_a_numbering_jump_is_kept_and_a_new_run_restarts_at_one():
    text = "一、工作情况\n一是抓学习。正文。三是抓阵地。正文。一是查文件。正文。二是查账号。正文。\n"
    report = one(TITLE + text)
    assert [s.mark for s in report.sections[1:]] == ["一是", "三是", "一是", "二是"]


def test_item_text_runs_to_its_sentence_end_or_to_a_quotation():
    line = "一是善于从政治上看问题，有关文件指出：要旗帜鲜明讲政治。二是把握基本原则。"
    report = one(TITLE + "一、提升鉴别力\n" + line + "\n")
    assert outline(report)[1:] == [(2, "一是", "善于从政治上看问题"), (2, "二是", "把握基本原则")]
    assert page_text(report).endswith(line)
