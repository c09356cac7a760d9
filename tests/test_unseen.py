"""Reports the parser was not built on: other heading styles, traditional
characters, ASCII punctuation, no line breaks, web boilerplate around the text."""

from __future__ import annotations

from pathlib import Path

from reportkb.config import Settings
from reportkb.pipeline import load_reports


def _parse(tmp_path: Path, name: str, text: str, encoding: str = "utf-8"):
    sources = tmp_path / "sources"
    sources.mkdir(exist_ok=True)
    (sources / name).write_bytes(text.encode(encoding))
    settings = Settings(sources=sources, docs=tmp_path / "docs")
    return load_reports(settings)


def _outline(report):
    return [(s.depth, s.mark, s.heading) for s in report.sections]


TRADITIONAL = """二〇二三年上半年意識形態工作自查報告
中共XX縣委宣傳部：
今年以來，我局黨組認真貫徹落實意識形態工作責任制，現將有關情況報告如下：
一、工作開展情況
（一）壓實主體責任。局黨組書記履行第一責任人職責，每半年專題研究意識形態工作X次。
（二）加強網絡陣地管理。嚴格落實“三審三校”制度，網評員隊伍達到**人。
二、存在的問題
（一）理論學習不夠深入。
（二）網絡輿情應對能力有待加強。
三、下一步工作打算
一是持續強化理論武裝。二是加強陣地建設。
"""


def test_traditional_characters(tmp_path):
    (report,), _ = _parse(tmp_path, "trad.txt", TRADITIONAL)
    assert report.title == "二〇二三年上半年意識形態工作自查報告"
    assert (report.year, report.period, report.unit) == (2023, "上半年", "局党组")
    assert report.addressee == "中共XX縣委宣傳部"
    assert _outline(report) == [
        (1, "一、", "工作開展情況"),
        (2, "（一）", "壓實主體責任"),
        (2, "（二）", "加強網絡陣地管理"),
        (1, "二、", "存在的問題"),
        (2, "（一）", "理論學習不夠深入"),
        (2, "（二）", "網絡輿情應對能力有待加強"),
        (1, "三、", "下一步工作打算"),
        (2, "一是", "持續強化理論武裝"),
        (2, "二是", "加強陣地建設"),
    ]


def test_text_without_line_breaks(tmp_path):
    text = (
        "2022年下半年，XX街道党工委认真落实意识形态工作责任制。现报告如下。"
        "一、主要工作 （一）落实责任制。党工委书记带头抓。（二）加强阵地管理。严格执行一会一报。"
        "二、存在问题 （一）队伍不够健全。网评员数量不足。"
        "三、下一步打算 （一）配强队伍。（二）完善制度。"
    )
    (report,), problems = _parse(tmp_path, "oneline.txt", text)
    assert _outline(report) == [
        (1, "一、", "主要工作"),
        (2, "（一）", "落实责任制"),
        (2, "（二）", "加强阵地管理"),
        (1, "二、", "存在问题"),
        (2, "（一）", "队伍不够健全"),
        (1, "三、", "下一步打算"),
        (2, "（一）", "配强队伍"),
        (2, "（二）", "完善制度"),
    ]
    assert all(s.inline for s in report.sections)
    assert "".join(b.text for b in report.blocks) == text
    assert report.title_derived and report.year == 2022 and report.period == "下半年"
    assert [p.code for p in problems] == ["title-derived"]


def test_ascii_punctuation_and_other_heading_styles(tmp_path):
    text = "\n".join([
        "XX公司党委2021年度意识形态工作总结",
        "第一部分 工作开展情况",
        "(1)落实责任.公司党委把意识形态工作纳入年度考核.",
        "(2)加强学习.全年组织中心组学习12次.",
        "1)组织专题研讨.",
        "2)开展主题党日.",
        "第二部分 存在问题",
        "①学习不够系统.",
        "②宣传形式单一.",
        "第三部分 下一步措施",
    ])
    (report,), _ = _parse(tmp_path, "ascii.txt", text)
    assert (report.year, report.period, report.unit) == (2021, "年度", "公司党委")
    assert _outline(report) == [
        (1, "第一部分", "工作开展情况"),
        (2, "(1)", "落实责任"),
        (2, "(2)", "加强学习"),
        (3, "1)", "组织专题研讨"),
        (3, "2)", "开展主题党日"),
        (1, "第二部分", "存在问题"),
        (2, "①", "学习不够系统"),
        (2, "②", "宣传形式单一"),
        (1, "第三部分", "下一步措施"),
    ]


WEB_PAGE = """首页 > 范文大全 > 工作总结
XX街道党工委2024年上半年意识形态工作总结
发布时间：2024-07-05 来源：本站 浏览次数：1234
【字体：大 中 小】
2024年上半年，街道党工委坚持把意识形态工作摆在突出位置。
一、主要做法
1.压实责任。召开专题会议2次。
2.管好阵地。对辖区宣传栏全面排查。
二、下一步打算
持续加强网评员队伍建设。
相关文章
XX社区2024年上半年意识形态工作总结
XX镇2023年意识形态工作总结
Copyright © 2024 范文网 版权所有
"""


def test_web_boilerplate_is_removed_and_reported(tmp_path):
    (report,), problems = _parse(tmp_path, "web.txt", WEB_PAGE)
    assert report.title == "XX街道党工委2024年上半年意识形态工作总结"
    assert _outline(report) == [
        (1, "一、", "主要做法"), (2, "1.", "压实责任"), (2, "2.", "管好阵地"), (1, "二、", "下一步打算"),
    ]
    kept = "".join(b.text for b in report.blocks)
    for gone in ("首页", "发布时间", "字体", "相关文章", "XX社区", "Copyright"):
        assert gone not in kept
    assert "持续加强网评员队伍建设。" in kept
    removed = sorted((b.first_line, b.last_line) for b in report.noise)
    # Lines 3 and 4 are removed for different reasons, so they are two blocks.
    assert removed == [(1, 1), (3, 3), (4, 4), (11, 14)]
    assert len([p for p in problems if p.code == "noise-removed"]) == 4


def test_gb18030_report_with_headings_only(tmp_path):
    text = "意识形态工作自查报告\r\n一、工作情况\r\n二、存在问题\r\n三、下一步措施\r\n"
    (report,), _ = _parse(tmp_path, "headings.txt", text, encoding="gb18030")
    assert report.encoding == "gb18030"
    assert [s.heading for s in report.sections] == ["工作情况", "存在问题", "下一步措施"]


def test_report_without_headings_is_kept_whole(tmp_path):
    text = "XX局意识形态工作情况报告\n今年以来，我局认真落实意识形态工作责任制，未发生意识形态领域重大问题。\n"
    (report,), problems = _parse(tmp_path, "flat.txt", text)
    assert report.sections == ()
    assert [b.kind for b in report.blocks] == ["title", "paragraph"]
    assert [p.code for p in problems] == ["no-headings"] and "编号标题" in problems[0].message


def test_word_document_with_automatic_numbering(tmp_path):
    from test_ingest import build_docx

    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "自查报告.docx").write_bytes(build_docx())
    settings = Settings(sources=sources, docs=tmp_path / "docs")
    (report,), _ = load_reports(settings)
    assert report.title == "关于2023年意识形态工作的自查报告"
    assert report.addressee == "县委宣传部"
    assert report.id.startswith("r-") and report.id.isascii()
    assert _outline(report)[:8] == [
        (1, "一、", "加强组织领导"),
        (2, "（一）", "完善制度"),
        (3, "1.", "高度重视"),
        (3, "2.", "压实责任"),
        (2, "（二）", "强化阵地"),
        (3, "1.", "严格审核"),
        (1, "二、", "存在问题"),
        (2, "（一）", "学习不深"),
    ]
    # Table cells are report text too.
    assert {"表头甲", "一行二", "纵向合并"} <= {b.text for b in report.blocks}


def test_breadcrumbs_counters_and_formal_numerals(tmp_path):
    text = "\n".join([
        "XX区政府网 > 党建工作 > 正文",
        "XX區委辦公室2023年度意識形態工作總結",
        "阅读：1523次",
        "壹、工作開展情況",
        "（壹）壓實責任。嚴格落實責任制。",
        "（貳）管好陣地。",
        "貳、存在問題",
    ])
    (report,), _ = _parse(tmp_path, "formal.txt", text)
    assert sorted((b.first_line, b.last_line) for b in report.noise) == [(1, 1), (3, 3)]
    assert _outline(report) == [
        (1, "壹、", "工作開展情況"),
        (2, "（壹）", "壓實責任"),
        (2, "（貳）", "管好陣地"),
        (1, "貳、", "存在問題"),
    ]
