"""Requirements data, evidence matching on the corpus, requirement pages and coverage tables."""

from __future__ import annotations

import json
import re
from urllib.parse import unquote

import pytest

from reportkb.analysis.requirements import coverage, match_fold
from reportkb.config import DATA_DIR, load_requirements, load_taxonomy, regex_subset_error
from reportkb.errors import DataFileError

from helpers import ROOT
from sitetext import article_text

TAXONOMY = load_taxonomy(DATA_DIR / "taxonomy.yml")
SAMPLE_LINES = [line for path in sorted((ROOT / "sources").glob("*.txt"))
                for line in path.read_text(encoding="utf-8").split("\n")]


@pytest.fixture(scope="module")
def requirements():
    return load_requirements(DATA_DIR / "requirements.yml", TAXONOMY)


@pytest.fixture()
def built(sample_build):
    return sample_build


# ---------------------------------------------------------------- data file


def test_requirements_file_is_valid_and_complete(requirements):
    items = requirements.items
    assert len(items) == 31
    # R31 (阵地巡查) was split from R23 (一会一报) and sits beside it, with its theme.
    assert [r.id for r in items] == [f"R{i:02d}" for i in range(1, 24)] + ["R31"] + [f"R{i:02d}" for i in range(24, 31)]
    assert {r.theme for r in items} == set(TAXONOMY.theme_names())
    for r in items:
        assert r.statement and r.source and r.patterns
        for p in r.patterns:
            assert regex_subset_error(p) is None, (r.id, p)


@pytest.mark.parametrize(
    "pattern",
    ["(?<=a)b", "a(?=b)", "(?!x)a", r"(a)\1", "(?P<x>a)", "(?i)a", r"\d+", r"\s", r"\w", r"\b", "a+?", "x*", "a|", "[、，]", "（一）",
     "LED", "a{3,60}", "[[a]", "a)", "(a", "a]", "\U00020000"],
)
def test_patterns_outside_the_common_subset_are_refused(pattern):
    assert regex_subset_error(pattern) is not None


@pytest.mark.parametrize("pattern", ["网评员", "纳入[^。]{0,24}目标", "(强化|加强)[^。,]{0,8}组织领导", r"\*{2,}会?和述职",
                                     "^[0-9]{1,2}[.、]", "(?:^|[^a-z])(x{2,})(?:$|[^a-z])", "a.{0,5}b"])
def test_patterns_inside_the_subset_are_accepted(pattern):
    assert regex_subset_error(pattern) is None


def test_a_broken_requirements_file_names_every_mistake(tmp_path):
    bad = tmp_path / "requirements.yml"
    bad.write_text(
        "requirements:\n"
        "  - {id: R01, theme: 不存在, title: a, statement: b, source: c, evidence_patterns: ['(?<=x)y']}\n"
        "  - {id: R01, theme: 责任落实, title: b, statement: b, source: c, evidence_patterns: ['网评员', '网评员']}\n"
        "checker: {parts: [{label: 问题, role: 没有这个角色}], placeholders: [{label: x, pattern: '\\d'}]}\n",
        encoding="utf-8",
    )
    with pytest.raises(DataFileError) as info:
        load_requirements(bad, TAXONOMY)
    message = str(info.value)
    for key in ("requirements[0].theme", "requirements[0].evidence_patterns[0]", "requirements.id", "requirements[1].evidence_patterns",
                "checker.parts[0].role", "checker.placeholders[0].pattern"):
        assert key in message, key


def test_each_mistake_in_a_checker_formula_is_reported_once(tmp_path):
    bad = tmp_path / "requirements.yml"
    bad.write_text(
        "requirements:\n"
        "  - {id: R01, theme: 责任落实, title: a, statement: b, source: c, evidence_patterns: ['网评员']}\n"
        "checker: {formulas: [{standard: 四个意识, variants: [7], allowed: [四種意识]}]}\n",
        encoding="utf-8",
    )
    with pytest.raises(DataFileError) as info:
        load_requirements(bad, TAXONOMY)
    message = str(info.value)
    assert message.count("checker.formulas[0].variants[0]") == 1
    assert message.count("应写成折叠后的形式") == 1


# ---------------------------------------------------------------- matching on the corpus


def _passages(built, requirements, rid):
    cov = next(c for c in coverage(built.index, requirements) if c.requirement.id == rid)
    return cov.passages


def test_every_passage_really_contains_a_pattern_match(built, requirements):
    covs = coverage(built.index, requirements)
    total = 0
    for cov in covs:
        for p in cov.passages:
            total += 1
            folded = match_fold(p.text)
            assert any(re.search(pat, folded) for pat in cov.requirement.patterns)
            for group in cov.requirement.all_of:  # and a word of each further notion
                assert any(re.search(pat, folded) for pat in group), (cov.requirement.id, p.text)
            for start, end in p.spans:
                assert 0 <= start < end <= len(p.text)
    assert total > 200


def test_review_fixes_hold_on_the_sample(built, requirements):
    # An addressee line naming a 领导小组办公室 is no evidence of a leading group …
    r13 = _passages(built, requirements, "R13")
    assert r13 and not [p for p in r13 if p.text.endswith("领导小组办公室：")]
    assert any("领导小组办公室：" in line for line in SAMPLE_LINES)  # … and the sample has one
    # A problem statement (缺乏…研究和推进部署) is no evidence of twice-yearly study.
    r07 = _passages(built, requirements, "R07")
    assert r07 and not [p for p in r07 if "研究和推进部署" in p.text and "专题" not in p.text]
    assert any("研究和推进部署" in line and "专题" not in line for line in SAMPLE_LINES)
    # Half-width and full-width punctuation both match after folding.
    r06 = _passages(built, requirements, "R06")
    assert any("同部署,同落实" in p.text or "同部署、同落实" in p.text for p in r06)
    assert any("同检查,同考核" in p.text for p in r06) and any("同检查，同考核" in p.text for p in r06)


def test_each_notion_is_needed_on_the_sample(built, requirements):
    # 一会一报 is no longer met by 宗教 or 阵地管理 alone: those passages address the patrol of positions (R31).
    r23 = _passages(built, requirements, "R23")
    assert r23 and all(re.search("一会一报|一事一报|讲座|论坛|报告会|研讨会", match_fold(p.text)) for p in r23)
    r31 = _passages(built, requirements, "R31")
    assert any("宗教" in p.text and "一会一报" not in p.text for p in r31)
    # 领导审批 and 把好…关 describe no review procedure; 三审制 and 联审 do.
    r20 = _passages(built, requirements, "R20")
    assert not [p for p in r20 if "领导审批" in p.text and not re.search("三审|联审|审核", p.text)]
    assert any("三审制" in p.text for p in r20) and any("联审制度" in p.text for p in r20)
    assert any("领导审批" in line for line in SAMPLE_LINES)


# ---------------------------------------------------------------- pages


def test_requirement_pages_and_nav(built, requirements):
    pages = built.pages
    index = pages["requirements/index.md"]
    for r in requirements.items:
        assert f"| {r.id} |" in index
    themes = {t.name: t.id for t in TAXONOMY.themes}
    page = pages[f"requirements/{themes['网络阵地']}.md"]
    assert "## R28" not in page and "## R20 " in page and "{ #r20 }" in page
    assert "<mark>" in page and "../reports/" in page
    assert "**覆盖**：" in page and "%" in page
    nav = built.nav["requirements/"]
    assert nav[0] == {"要求总览": "requirements/index.md"}
    assert [list(n)[0] for n in nav[1:]] == list(TAXONOMY.theme_names())


def test_report_pages_carry_a_coverage_table_in_a_kb_note(built):
    report = built.index.reports[0]
    page = built.pages[f"reports/{report.id}.md"]
    start = page.index('<div class="kb-note kb-coverage" markdown>')
    block = page[start:]
    assert "## 要求覆盖情况" in block and "✔ 已回应" in block and "✘ 未回应" in block
    assert block.count("| R") == 31


def test_checker_json_is_complete(built):
    # Deterministic like every page: test_themes_site.test_generation_is_deterministic.
    spec = json.loads(built.pages["data/checker.json"])
    assert len(spec["requirements"]) == 31
    assert spec["fold"]["網"] == "网" and spec["fold"]["，"] == "," and spec["fold"]["Ⅹ"] == "x"
    assert all(len(k) == 1 and len(v) == 1 and ord(k) <= 0xFFFF and ord(v) <= 0xFFFF for k, v in spec["fold"].items())
    assert spec["length"]["short_below"] < spec["length"]["median"] < spec["length"]["long_above"]


def test_built_requirement_pages(sample_site):
    site = sample_site / "site"
    html = (site / "requirements" / "index.html").read_text(encoding="utf-8")
    assert "要求总览" in html and "R30" in html
    theme = (site / "requirements" / "responsibility" / "index.html").read_text(encoding="utf-8")
    assert 'id="r01"' in theme and "<mark>" in theme
    # Each passage links to an anchor that exists on the report page.
    links = sorted(set(re.findall(r'href="\.\./\.\./reports/([^"/]+)/#([^"]+)"', theme)))
    assert len(links) > 5
    for report_id, anchor in links:
        target = (site / "reports" / report_id / "index.html").read_text(encoding="utf-8")
        assert f'id="{unquote(anchor)}"' in target, (report_id, anchor)
    report = next((site / "reports").glob("003_*/index.html"))
    text = article_text(report)
    assert "二、***意识形态工作领域存在问题" in text  # the report's own text is read …
    assert "要求覆盖情况" not in text  # … and the table is a kb-note, not report text
    assert "要求覆盖情况" in report.read_text(encoding="utf-8")
    assert (site / "check" / "index.html").exists() and (site / "data" / "checker.json").exists()
