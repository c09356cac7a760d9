"""Writing guides (theme × role), roles inside parts, and the one counting definition (issue 14)."""

from __future__ import annotations

import html
import re

import pytest

from reportkb.analysis.parts import inner_passages
from reportkb.config import DATA_DIR, load_taxonomy
from reportkb.model import Line, ReportText
from reportkb.pages.guides import guide_path, pick_exemplars
from reportkb.pages.sections import DEFINITION, counted, entries, of_role, of_theme
from reportkb.stages.annotate import annotate
from reportkb.stages.parse import parse_report

CAUSES_REPORT = "004_9e0e379dcb2381a6"
EXEMPLAR_RE = re.compile(r'<div class="kb-exemplar-text" id="kb-ex-\d+-text">(.*?)</div></div>')


@pytest.fixture(scope="module")
def taxonomy():
    return load_taxonomy(DATA_DIR / "taxonomy.yml")


@pytest.fixture(scope="module")
def cells(sample_build):
    index = sample_build.index
    mine = counted(index, entries(index))
    return {(t, r): of_role(of_theme(mine, t.name), r.name) for t in index.taxonomy.themes for r in index.taxonomy.roles}


def _report(text: str):
    lines = tuple(Line(t, i + 1) for i, t in enumerate(text.strip("\n").split("\n")))
    return parse_report(ReportText("t.txt", 1, 1, "utf-8", lines), "t")[0]


def test_matrix_links_every_cell_with_its_count_and_states_the_definition_once(sample_build, cells):
    matrix = sample_build.pages["guides/index.md"]
    for (theme, role), cell in cells.items():
        assert f"[{len(cell)} 节]({guide_path(theme, role).removeprefix('guides/')})" in matrix
        assert guide_path(theme, role) in sample_build.pages
    assert DEFINITION in matrix
    assert sum(DEFINITION in page for page in sample_build.pages.values() if isinstance(page, str)) == 1  # stated once
    assert "统计口径" in sample_build.pages["themes/index.md"] and "统计口径" in sample_build.pages["overview/index.md"]


def test_guide_exemplars_are_whole_distinct_and_from_different_reports_first(sample_build, cells):
    checked = 0
    for (theme, role), cell in cells.items():
        page = sample_build.pages[guide_path(theme, role)]
        shown = [html.unescape(re.sub(r"<[^>]+>", "", t)) for t in EXEMPLAR_RE.findall(page)]
        picked = pick_exemplars(theme.name, cell)
        assert len(shown) == len(picked) <= 5
        for text, e in zip(shown, picked, strict=True):
            assert text == e.text()  # the whole section (or passage), as written
        reports = [e.report.id for e in picked]
        assert len(set(reports)) == min(len(reports), len({e.report.id for e in cell}))  # one per report first
        for a in picked:
            for b in picked:
                if a is not b and a.report.id == b.report.id and not (a.passage or b.passage):
                    assert b.section not in a.report.subtree(a.section)  # never a section and its own subsection
        if len(cell) >= 3:
            assert len(picked) >= 3 or len({e.report.id for e in cell}) < 3
        checked += bool(picked)
    network_problems = next(cell for (t, r), cell in cells.items() if t.id == "network" and r.id == "problems")
    assert len(pick_exemplars("网络阵地", network_problems)) >= 3
    assert checked >= 12


def test_a_cause_analysis_inside_a_problems_paragraph_is_its_own_part(sample_build, taxonomy):
    report = sample_build.index.by_id(CAUSES_REPORT)
    roles = tuple(lab.role for lab in sample_build.index.annotations[report.id].sections)
    passages = inner_passages(report, roles, taxonomy)
    assert [(p.role, p.text) for p in passages] == [
        ("原因分析", "产生问题的原因一是对意识形态工作缺乏全面深刻理解把握，二是对宣传思想政治工作新方法、新手段不多。")]
    assert roles[passages[0].section] == "存在问题"  # the section itself still lists problems
    causes = [p for path, p in sample_build.pages.items() if path.startswith("guides/") and path.endswith("-causes.md")]
    assert any("产生问题的原因一是对意识形态工作缺乏全面深刻理解把握" in p for p in causes)
    assert "原因分析：“产生问题的原因一是对…”" in sample_build.pages[f"reports/{CAUSES_REPORT}.md"]


def test_subsections_of_a_problems_part_that_name_causes_or_measures_take_that_role(taxonomy):
    report = _report("""
工作总结
一、主要做法
（一）加强理论学习。中心组集中学习6次。
二、存在的问题
（一）理论学习不够深入。学习形式单一。
（二）产生问题的原因。思想认识不到位，重视不够。
（三）整改措施不够有力。个别问题反复出现。
（四）下一步整改措施。持续加强理论武装。
""")
    roles = {s.heading: lab.role for s, lab in zip(report.sections, annotate(report, taxonomy).sections, strict=True)}
    assert roles["理论学习不够深入"] == "存在问题"
    assert roles["产生问题的原因"] == "原因分析"
    assert roles["整改措施不够有力"] == "存在问题"  # a measure word next to a problem word names a problem
    assert roles["下一步整改措施"] == "下一步措施"
    assert roles["加强理论学习"] == "工作做法"


def test_passages_are_whole_sentences_and_measures_are_found_too(taxonomy):
    report = _report("""
二、存在的问题和原因
一是学习不够深入，二是阵地管理有待加强。究其原因，主要是重视不够。针对上述问题，我们将持续加强学习。
""")
    roles = tuple(lab.role for lab in annotate(report, taxonomy).sections)
    passages = inner_passages(report, roles, taxonomy)
    assert [(p.role, p.text) for p in passages] == [("原因分析", "究其原因，主要是重视不够。"),
                                                      ("下一步措施", "针对上述问题，我们将持续加强学习。")]


def test_every_count_follows_the_one_definition(sample_build, cells):
    pages = sample_build.pages
    index = sample_build.index
    distinct = len(index.distinct_reports())
    for theme in index.taxonomy.themes:
        total = sum(len(cell) for (t, _r), cell in cells.items() if t is theme)
        assert f"| {total} |" in pages["themes/index.md"].split(f"]({theme.id}.md)", 1)[1].split("\n", 1)[0]
        assert f"共 **{total}** 节" in pages[f"themes/{theme.id}.md"]
        assert f"{theme.name}：{total} 节" in pages["overview/index.md"]
    for role in index.taxonomy.roles:
        total = sum(len(cell) for (_t, r), cell in cells.items() if r is role)
        overview = pages["overview/index.md"]
        theme_free = len(of_role(counted(index, entries(index)), role.name))
        assert f"{role.name}：{theme_free} 节" in overview and total >= theme_free
    assert f"{distinct} 篇报告（近似重复只计一次）" in pages["themes/network.md"]
    assert re.findall(r"\| \d+/(\d+) \|", pages["requirements/index.md"]) and all(
        int(n) == distinct for n in re.findall(r"\| \d+/(\d+) \|", pages["requirements/index.md"]))


def test_staff_pages_name_no_config_file_command_or_english_source(sample_build):
    for path, page in sample_build.pages.items():
        if not path.endswith(".md") or not isinstance(page, str) or path.startswith(("reports/", "outline/", "compare/")):
            continue
        body = page.split("-->", 1)[-1]  # the generated-page comment is not shown
        for word in ("scripts/", ".yml", "common practice", "kb.py", "log₂", "得分", "首选主题"):
            assert word not in body, (path, word)
    assert "依据**：通行做法" in "".join(p for path, p in sample_build.pages.items() if path.startswith("requirements/"))
