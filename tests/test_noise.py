"""Web-page boilerplate is removed by the classes in noise.yml, and every removal is reported."""

from __future__ import annotations

import re

import pytest

from parsing import one, page_text, read
from reportkb.config.noise import PatternGroup

BODY = "一、工作情况\n今年以来，局党组认真落实意识形态工作责任制，定期分析研判形势。\n"


@pytest.mark.parametrize(
    "line",
    [
        # aggregator blurbs
        "写总结是一件难事，怎样才能写好呢？下面是小编为大家收集的几篇范文，仅供参考，一起来看看吧。",
        "以下是本网为大家整理的工作总结范文五篇，欢迎阅读借鉴！",
        "希望对大家有所帮助。",
        # page metadata
        "时间：2022-06-01 10:20:30   作者：admin",
        "发布时间：2021-05-06  浏览量：86",
        "2020-03-02 | 阅读 : 120 | 下载 : 5",
        "某某工作报告[此文共2048字]",
        "全文共1402字",
        "- 58.2 KB",
        "- 6页",
        "索 引 号: 000000/2021-00001",
        "目录/提纲：……",
        # doc-viewer and shop chrome
        "VIP",
        "购物车",
        "我的足迹",
        "立即下载",
        "……(某某文库此处隐藏2428字，下载后查看)……",
        "- 1、本文档由用户上传，本站不保证内容完整，付费前请仔细阅读。",
        "成为VIP后，可免费下载本文档。",
        # site names, breadcrumbs, ads with contact handles
        "您好，欢迎访问某某文库",
        "【www.example.com--范文大全】",
        "首页 >> 工作总结 >> 自查报告 >> 正文",
        "网站客服QQ：123456789",
        "加微信：abc12345 获取更多范文",
    ],
)
def test_each_class_of_boilerplate_is_removed_and_reported(line):
    reports, problems = read(f"某局意识形态工作报告\n{line}\n{BODY}")
    report = reports[0]
    assert line not in page_text(report)
    assert report.noise and report.noise[0].first_line == 2
    assert [p.line for p in problems if p.code == "noise-removed"] == [2]
    assert report.sections[0].heading == "工作情况"


def test_garbled_traditional_conversions_are_recognised():
    report = one(f"某局意识形态工作报告\n時(shí)間:2023-04-10 14:01:14     小編:abc\n{BODY}")
    assert "小編" not in page_text(report)


def test_the_end_of_a_free_preview_removes_the_rest_of_the_page():
    reports, problems = read(f"某局意识形态工作报告\n{BODY}免费阅读已结束，下载后查看全文。\n来源：网络 联系我们\n")
    assert "免费阅读" not in page_text(reports[0])
    assert reports[0].noise[-1].last_line == 5


def test_report_text_that_mentions_download_or_reference_words_is_kept():
    long_line = (
        "我局严格落实信息发布审核制度，对网站上传、下载的文件逐一审核，确保导向正确；"
        "对仅供内部参考的材料严格管理，防止泄露。" * 4
    )
    report = one(f"某局意识形态工作报告\n{BODY}{long_line}\n")
    assert long_line in page_text(report)
    assert not report.noise


def test_report_lines_are_not_taken_for_page_metadata():
    report = one(f"某局意识形态工作报告\n{BODY}某某局党组\n2024年7月10日\n")
    assert "2024年7月10日" in page_text(report)
    assert not report.noise


def test_noise_glued_to_report_text_is_cut_out_and_the_report_text_kept():
    body = "局党组每季度专题研究意识形态工作，" * 6
    line = f"{body}……(某某文库此处省略520字，点击下载全文)……督促各支部落实到位。"
    reports, problems = read(f"某局意识形态工作报告[此文共1800字]\n{BODY}{line}\n")
    report = reports[0]
    shown = page_text(report)
    assert "此文共" not in shown and "此处省略" not in shown
    assert report.title == "某局意识形态工作报告"
    assert body + "督促各支部落实到位。" in shown
    notes = [p.message for p in problems if p.code == "noise-removed"]
    assert len(notes) == 2 and all("行中的一段文字" in m for m in notes)
    assert sorted(b.first_line for b in report.noise) == [1, 4]


def test_a_blurb_glued_before_the_report_on_a_page_without_line_breaks_is_cut_out():
    blurb = "想写好总结吗？下面是小编为大家整理的范文，欢迎阅读！"
    text = blurb + "某局意识形态工作报告今年以来，局党组认真落实责任制。一、工作情况"
    report = one(text)
    assert "小编" not in page_text(report)
    assert report.title == "某局意识形态工作报告"
    assert [s.heading for s in report.sections] == ["工作情况"]


def test_a_keyword_stuffed_page_title_keeps_only_the_title():
    report = one("某局意识形态工作报告 意识形态,工作,报告\n今年以来，局党组认真落实责任制。\n一、工作情况\n")
    assert report.title == "某局意识形态工作报告"


def test_a_meeting_record_keeps_its_own_time_and_place_lines():
    report = one(f"某支部意识形态分析研判会议记录\n时间：2023年5月10日\n地点：党员活动室\n{BODY}")
    assert "时间：2023年5月10日" in page_text(report) and not report.noise


def test_a_groups_joined_patterns_find_a_line_exactly_when_one_of_them_does():
    group = PatternGroup("广告", (re.compile("扫码关注"), re.compile(r"第\d+页"), re.compile("^来源：")))
    assert group.joined is not None
    for text in ("请扫码关注本站", "第12页", "来源：某网", "正文 来源：某网", "第页", "正文"):
        assert group.search(text) == any(p.search(text) for p in group.patterns), text
    # Numbered groups would shift, names clash, inline flags must come first: these are searched one by one.
    for patterns in ((r"(页)\1", "广告"), (r"(?P<n>页)", "广告"), ("(?i)ad", "广告")):
        alone = PatternGroup("广告", tuple(re.compile(p) for p in patterns))
        assert alone.joined is None
        assert alone.search("页页") == (patterns[0] != "(?i)ad") and alone.search("AD") == (patterns[0] == "(?i)ad")
