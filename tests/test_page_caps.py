"""Corpus-wide pages list a bounded number of items; counts still cover the whole corpus.

A synthetic corpus (bench.make_corpus) large enough to cut every list is
built once with the pure ``build``; the sample corpus must show everything.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reportkb.analysis.requirements import best_passages, coverage
from reportkb.checker.spec import requirement_page
from reportkb.config import DATA_DIR, Settings, load_requirements
from reportkb.pages import formulas as render_formulas
from reportkb.pages import requirements as render_requirements
from reportkb.pages import themes as render_themes
from reportkb.pages.formulas import occurrences
from reportkb.pages.sections import entries
from reportkb.pipeline import build
from reportkb.testing.corpus import make_corpus

from helpers import ROOT

REPORTS = 150
"""Enough for every cap: about 90 distinct reports, thousands of sections and passages."""
CUT = "下面列出其中"


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    sources = tmp_path_factory.mktemp("caps") / "sources"
    make_corpus(REPORTS, sources, seed=150)
    return build(Settings(sources=sources, docs=Path("/nonexistent")))


@pytest.fixture(scope="module")
def requirements(big):
    return load_requirements(DATA_DIR / "requirements.yml", big.index.taxonomy)


def _section(page: str, start: str) -> str:
    """From the h2 ``start`` to the next h2."""
    return page.split(start, 1)[1].split("\n## ", 1)[0]


def _targets(lines: list[str]) -> list[str]:
    """The first link target of each line."""
    return [re.search(r"\]\(([^)]+)\)", line).group(1) for line in lines]


def test_sample_corpus_lists_everything():
    sample = build(Settings(sources=ROOT / "sources", docs=Path("/nonexistent")))
    checked = set()
    for path, page in sample.pages.items():
        if path.startswith(("themes/", "roles/", "formulas/", "requirements/")):
            assert CUT not in page and "最有代表性的" not in page.replace("只列出最有代表性的", ""), path
            checked.add(path.split("/", 1)[0])
    assert checked == {"themes", "roles", "formulas", "requirements"}


def test_requirement_pages_list_the_best_passages(big, requirements):
    index = big.index
    covs = coverage(index, requirements)
    theme_ids = {t.name: t.id for t in index.taxonomy.themes}
    cap = render_requirements.MAX_PASSAGES
    cut = full = 0
    for cov in covs:
        r = cov.requirement
        section = _section(big.pages[requirement_page(theme_ids[r.theme])], f"## {r.id} ")
        listed = [line for line in section.splitlines() if line.startswith("- [")]
        # Issue 14: reports are counted like everywhere else on the site, near-duplicates left out.
        hit = len([rid for rid in cov.report_ids if rid not in index.similarity.duplicates])
        assert f"**覆盖**：{hit}/{len(index.distinct_reports())} 篇报告回应了这项要求" in section
        assert f"共 {len(cov.passages)} 段。" in section  # the uncut count
        if len(cov.passages) <= cap:
            assert len(listed) == len(cov.passages)
            full += 1
            continue
        cut += 1
        shown = render_requirements.shown_passages(cov)
        assert len(listed) == len(shown) == cap
        assert f"最有代表性的 {cap} 段（共 {len(cov.passages)} 段）" in section
        assert "要求覆盖情况" in section and "](../reports/index.md)" in section
        # In ranking order, one per report first, one per section before any second.
        assert [t.split("/")[-1].split(".md")[0] for t in _targets(listed)] == [p.report_id for p in shown]
        best = best_passages(cov, cap, render_requirements.LONG_PASSAGE)
        assert shown[: len(best)] == best and len(set(shown)) == cap
        assert len({p.report_id for p in shown}) == min(cap, len(cov.report_ids))
    assert cut >= 5 and cut + full == len(covs) == len(requirements.items)
    # The overview still counts every passage.
    overview = big.pages["requirements/index.md"]
    dups = index.similarity.duplicates
    assert all(f"| {len(set(c.report_ids) - set(dups))}/{len(index.distinct_reports())} |" in overview for c in covs)


def _coverage_table(index, page: str, stats) -> tuple[int, list[str]]:
    """(reports covered, report ids listed) of a page's 覆盖情况 table."""
    section = _section(page, "## 覆盖情况")
    covered = int(re.search(r"中有 \*\*(\d+)\*\* 篇写到", section).group(1))
    assert covered == len({e.report.id for e in stats})  # counted over the whole corpus
    listed = re.findall(r"^\| \[[^\]]*\]\(\.\./reports/([^)]+)\.md\) \| (\d+) \|", section, re.M)
    cap = render_themes.MAX_COVERAGE_ROWS
    assert len(listed) == min(covered, cap)
    if covered > cap:
        assert f"节数最多的 {cap} 篇（共 {covered} 篇" in section
        assert "](index.md#按标签浏览报告)" in section or "](../themes/index.md#按标签浏览报告)" in section
        counts = {}
        for e in stats:
            counts[e.report.id] = counts.get(e.report.id, 0) + 1
        shown = [rid for rid, _ in listed]
        assert shown == sorted(shown)  # in report order
        assert min(counts[rid] for rid in shown) >= max(n for rid, n in counts.items() if rid not in shown)
        assert all(int(n) == counts[rid] for rid, n in listed)
    return covered, [rid for rid, _ in listed]


def _exemplars(page: str) -> tuple[str, list[str]]:
    section = _section(page, "## 范例")
    return section, [line for line in section.splitlines() if line.startswith("1. ")]


def test_theme_pages_list_the_top_exemplars_and_count_all(big):
    index = big.index
    all_entries = entries(index)
    cap = render_themes.MAX_EXEMPLARS
    cut = coverage_cut = full = 0
    assert index.taxonomy.themes
    for facet in index.taxonomy.themes:
        page = big.pages[f"themes/{facet.id}.md"]
        chosen = [e for e in all_entries if facet.name in e.labels.themes]
        stats = [e for e in chosen if e.report.id not in index.similarity.duplicates]
        covered, _ = _coverage_table(index, page, stats)
        coverage_cut += covered > render_themes.MAX_COVERAGE_ROWS
        assert f"共 **{len(stats)}** 节" in page
        section, listed = _exemplars(page)
        assert len(listed) == min(len(chosen), cap)
        # Issue 14: the list counts sections like every count (near-duplicates listed last, not counted).
        if len(chosen) <= cap:
            assert f"共 {len(stats)} 节，下面列出全部 {len(stats)} 节" in section
            full += 1
            continue
        cut += 1
        assert f"共 {len(stats)} 节" in section and f"，{CUT}排在最前的 {cap} 节。" in section
        # The documented order (near-duplicate reports last, then by score), cut after the first ``cap``.
        dup = index.similarity.duplicates
        chosen.sort(key=lambda e: (e.report.id in dup, e.labels.themes[0] != facet.name, -e.score(facet.name),
                                   e.report.source, e.report.part, e.section))
        # Issue 14: the listed sections are shown grouped by role (taxonomy order), in that order within a group.
        roles = index.taxonomy.role_names()
        listed_order = sorted(chosen[:cap], key=lambda e: roles.index(e.labels.role))
        expected = [f"../reports/{e.report.id}.md#{e.report.sections[e.section].anchor}" for e in listed_order]
        assert _targets(listed) == expected
    assert cut >= 3 and coverage_cut >= 1 and cut + full == len(index.taxonomy.themes)


def test_role_pages_list_one_section_per_report_first(big):
    index = big.index
    all_entries = entries(index)
    cap = render_themes.MAX_EXEMPLARS
    cut = firsts = coverage_cut = 0
    for facet in index.taxonomy.roles:
        page = big.pages[f"roles/{facet.id}.md"]
        chosen = [e for e in all_entries if e.labels.role == facet.name]
        stats = [e for e in chosen if e.report.id not in index.similarity.duplicates]
        covered, _ = _coverage_table(index, page, stats)
        coverage_cut += covered > render_themes.MAX_COVERAGE_ROWS
        section, listed = _exemplars(page)
        assert len(listed) == min(len(chosen), cap)
        if len(chosen) <= cap:
            continue
        cut += 1
        assert f"共 {len(stats)} 节" in section and f"，{CUT} {cap} 节。" in section
        position = {f"../reports/{e.report.id}.md#{e.report.sections[e.section].anchor}": i
                    for i, e in enumerate(chosen)}
        targets = _targets(listed)
        assert [position[t] for t in targets] == sorted(position[t] for t in targets)  # report and document order
        reports = [t.split("/")[-1].split(".md")[0] for t in targets]
        distinct = [r for r in dict.fromkeys(e.report.id for e in chosen) if r not in index.similarity.duplicates]
        assert len(set(reports)) == min(cap, len(set(e.report.id for e in chosen)))
        if len(distinct) >= cap:  # the first section of the first ``cap`` distinct reports
            assert reports == distinct[:cap]
            firsts += 1
    assert cut >= 1 and firsts >= 1 and coverage_cut >= 1


def test_formula_concordance_is_bounded_and_counts_all(big):
    index = big.index
    page = big.pages["formulas/index.md"]
    found = occurrences(index)
    cap = render_formulas.MAX_KWIC
    cut = used = 0
    for f in index.formulas:
        occ = found[f.id]
        reports = len({o.report.id for o in occ})
        assert f"| {reports} | {len(occ)} |" in page  # the summary table counts every occurrence
        if not occ:
            continue
        used += 1
        section = _section(page, f"{{ #{f.id} }}")
        lines = [line for line in section.splitlines() if line.startswith("| <span")]
        assert f"{reports} 篇报告使用，共 {len(occ)} 处" in section
        assert len(lines) == min(len(occ), cap)
        if len(occ) <= cap:
            continue
        cut += 1
        assert f"{CUT} {cap} 处" in section and "](../search.md?q=" in section
        # One per report first: as many reports as lines allow.
        assert len({line.rsplit("](../reports/", 1)[1].split(".md")[0] for line in lines}) == min(reports, cap)
    assert cut >= 5 and used > cut  # some concordances are cut, some are not
