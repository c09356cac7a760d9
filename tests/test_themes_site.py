"""Theme, role, formula and overview pages; near-duplicates; annotated report pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reportkb.analysis.marks import DATA, FORMULA, PLACEHOLDER, find_marks
from reportkb.analysis.similar import find_similar
from reportkb.config import DATA_DIR, Settings, load_formulas
from reportkb.pages.registry import OWNED_FOLDERS
from reportkb.pipeline import build

from helpers import ROOT
from sitetext import article_text, report_html

DUP = "001_9dfe4ea8b472d475-2"
ORIGINAL = "000_4923fc270289bbc6"


@pytest.fixture()
def built(sample_build):
    return sample_build


@pytest.fixture(scope="module")
def formulas():
    return load_formulas(DATA_DIR / "formulas.yml")


def test_every_labelled_section_is_on_its_theme_and_role_page(built):
    index = built.index
    facets = {t.name: t for t in index.taxonomy.themes}
    listed = without_page = 0
    for report in index.reports:
        labels = index.annotations[report.id].sections
        for s in report.sections:
            target = f"../reports/{report.id}.md#{s.anchor})"
            for theme in labels[s.index].themes:
                if theme not in facets:
                    assert theme == index.taxonomy.other_theme  # the one label without a page
                    without_page += 1
                    continue
                listed += 1
                assert target in built.pages[f"themes/{facets[theme].id}.md"], (report.id, s.heading, theme)
            role = next(r for r in index.taxonomy.roles if r.name == labels[s.index].role)
            assert target in built.pages[f"roles/{role.id}.md"], (report.id, s.heading, role.name)
    assert listed > 100 and listed > without_page


def test_theme_page_counts_match_exemplars_and_first_themes_lead(built):
    # Issue 14: no score is shown to staff ("得分 …，首选主题"); the order is checked against the labels.
    from reportkb.pages.sections import counted, entries

    page = built.pages["themes/team.md"]
    index = built.index
    mine = [e for e in entries(index) if "队伍建设" in e.labels.themes]
    anchors = {f"../reports/{e.report.id}.md#{e.report.sections[e.section].anchor}": e for e in mine}
    listed = re.findall(r"^1\. \[[^\]]*\]\(([^)]+)\)", page.split("## 范例", 1)[1].split("\n## ", 1)[0], re.M)
    assert listed and len(listed) == len(mine)
    roles = index.taxonomy.role_names()
    assert [roles.index(anchors[t].labels.role) for t in listed] == sorted(roles.index(anchors[t].labels.role) for t in listed)
    for role in roles:  # grouped by role; within a group first-theme sections first, near-duplicates last
        order = [(anchors[t].report.id in index.similarity.duplicates, anchors[t].labels.themes[0] != "队伍建设")
                 for t in listed if anchors[t].labels.role == role]
        assert order == sorted(order)
    assert f"共 {len(counted(index, mine))} 节" in page and "得分" not in page and "log" not in page
    for heading in ("## 覆盖情况", "## 常见标题写法", "## 典型开头句", "## 篇幅"):
        assert heading in page


def test_near_duplicate_is_flagged_on_both_pages_and_counted_once(built):
    sim = built.index.similarity
    assert sim.duplicates == {DUP: ORIGINAL}
    assert sim.reports[DUP][0][0] == ORIGINAL and sim.reports[DUP][0][1] >= 0.8
    pct = round(sim.reports[DUP][0][1] * 100)
    for rid in (DUP, ORIGINAL):
        page = built.pages[f"reports/{rid}.md"]
        assert f"高度相似（{pct}%）" in page
    assert "本篇在统计中不重复计数" in built.pages[f"reports/{DUP}.md"]
    # Sections of the copy point at the matching sections of the original.
    assert f"]({ORIGINAL}.md#一加强意识形态工作组织领导强化主体责任)》高度相似" in built.pages[f"reports/{DUP}.md"]
    distinct = built.index.distinct_reports()
    assert len(distinct) == len(built.index.reports) - 1
    assert f"{len(distinct)} 篇报告（近似重复只计一次）" in built.pages["themes/responsibility.md"]


def test_similarity_ignores_unrelated_reports(built):
    sim = built.index.similarity
    assert set(sim.reports) == {DUP, ORIGINAL}
    assert sim.sections  # the copy's sections do have matches …
    assert all({a, b[0]} <= {DUP, ORIGINAL} for (a, _), others in sim.sections.items() for b in others)


def test_similarity_finds_copies_among_many_reports(built):
    """A copy hidden among 300 generated reports is found through candidates, not all pairs."""
    import random
    from dataclasses import replace

    base = built.index.reports
    fakes = []
    for i in range(300):
        src = base[i % len(base)]
        rng = random.Random(i)  # fixed seeds: the same texts on every run
        blocks = tuple(replace(b, text="".join(rng.sample(b.text, len(b.text)))) for b in src.blocks)
        fakes.append(replace(src, id=f"fake-{i:03d}", source=f"fake-{i:03d}.txt", blocks=blocks))
    copy = replace(base[0], id="zz-copy", source="zz-copy.txt")
    sim = find_similar(tuple(list(base) + fakes + [copy]))
    assert sim.duplicates.get("zz-copy") == ORIGINAL
    assert "fake-000" not in sim.duplicates


def test_marks_cover_formulas_placeholders_and_data(formulas):
    text = "落实主体责任，召开会议XX次，学习31次，于X月X日开展，*党委，四个意识"
    marks = {(text[m.start:m.end], m.kind) for m in find_marks(text, formulas)}
    assert ("主体责任", FORMULA) in marks and ("四个意识", FORMULA) in marks
    assert ("XX次", DATA) in marks and ("31次", DATA) in marks
    assert ("X月X日", PLACEHOLDER) in marks and ("*", PLACEHOLDER) in marks
    # Roman-numeral look-alikes are placeholders too; English words are not.
    marks = {(text[m.start:m.end], m.kind) for text in ["ⅩⅩ单位，App"] for m in find_marks(text, formulas)}
    assert marks == {("ⅩⅩ", PLACEHOLDER)}


def test_formula_glossary_lists_meanings_counts_and_kwic_lines(built, formulas):
    page = built.pages["formulas/index.md"]
    for f in formulas:
        assert f"{{ #{f.id} }}" in page
    section = page.split("{ #main-responsibility }", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("| <span")]
    m = re.search(r"(\d+) 篇报告使用，共 (\d+) 处", section)
    assert m and int(m.group(2)) == len(lines) > 0
    assert all("**主体责任**" in line and "](../reports/" in line for line in lines)
    assert "| ---: | :---: | :--- | --- |" in section


def test_overview_has_counts_matrix_and_inline_svg(built):
    page = built.pages["overview/index.md"]
    assert "<svg" in page and "<script" not in page and "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert page.count('<figure class="kb-chart kb-note">') == 5
    for r in built.index.reports:
        assert f"](../reports/{r.id}.md)" in page
    assert "近似重复" in page


def test_corpus_json_has_themes_and_roles(built):
    import json

    corpus = json.loads(built.pages["data/corpus.json"])
    outline = [o for r in corpus["reports"] for o in r["outline"]]
    assert outline and all(o["themes"] and o["role"] for o in outline)


def test_generation_is_deterministic(built, sample_site):
    """A second build in this process, and the build mkdocs ran in its own process
    from another folder (sample_site), give the same pages and navigation."""
    again = build(Settings(sources=ROOT / "sources", docs=Path("/nonexistent")))
    assert sorted(again.pages) == sorted(built.pages)
    for path in sorted(built.pages):
        assert again.pages[path] == built.pages[path], path
    assert again.nav == built.nav
    docs = sample_site / "docs"
    written = sorted(p.relative_to(docs).as_posix() for folder in OWNED_FOLDERS
                     for p in (docs / folder).rglob("*") if p.is_file())
    assert written == sorted(built.pages)
    for path in written:
        page = built.pages[path]  # the outline family's Word files are bytes
        assert (docs / path).read_bytes() == (page if isinstance(page, bytes) else page.encode("utf-8")), path


def test_built_report_page_keeps_text_and_adds_notes_beside_it(sample_site):
    html_file = report_html(sample_site / "site", "003_18adec3924a66559")
    html = html_file.read_text(encoding="utf-8")
    text = article_text(html_file)
    assert "二、***意识形态工作领域存在问题" in text
    assert "分类依据" not in text and "写法：" not in text  # annotations are kb-note
    assert 'class="kb-why kb-note"' in html and "<summary>分类依据</summary>" in html
    assert 'class="kb-formula"' in html and 'class="kb-ph"' in html and 'class="kb-data' in html
    assert 'class="md-tag"' in html


def test_every_generated_page_is_in_the_built_site(sample_site, built):
    site = sample_site / "site"
    pages = [path for path in built.pages if path.endswith(".md")]
    for path in ("themes/team.md", "roles/problems.md", "formulas/index.md", "overview/index.md", "themes/index.md"):
        assert path in pages
    for path in pages:
        folder = path.removesuffix(".md").removesuffix("index")
        assert (site / folder / "index.html").is_file(), path
    for path in built.pages:
        if not path.endswith(".md"):
            assert (site / path).is_file(), path  # data files are published as they are


def test_formulas_file_mistakes_are_reported_with_their_keys(tmp_path):
    from reportkb.errors import DataFileError

    bad = tmp_path / "formulas.yml"
    bad.write_text(
        "formulas:\n"
        "  - {id: Bad Id, name: 四个意识, meaning: 含义}\n"
        "  - {id: two, name: 两个维护}\n"
        "  - {id: two, name: 讲好故事, meaning: 含义, forms: [], patterns: ['讲好(']}\n",
        encoding="utf-8",
    )
    with pytest.raises(DataFileError) as info:
        load_formulas(bad)
    message = str(info.value)
    for key in ("formulas[0].id", "formulas[1].meaning", "formulas[2].patterns[0]", "formulas[2]: forms", "formulas.id"):
        assert key in message, key


def test_a_theme_added_in_taxonomy_yml_gets_labels_and_a_page(tmp_path):
    import shutil

    import yaml

    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    taxonomy = yaml.safe_load((data / "taxonomy.yml").read_text(encoding="utf-8"))
    taxonomy["themes"].append(
        {"id": "epidemic", "name": "疫情防控", "description": "疫情防控中的宣传与管理。", "keywords": {"疫情防控": 3, "疫情": 2}}
    )
    (data / "taxonomy.yml").write_text(yaml.safe_dump(taxonomy, allow_unicode=True), encoding="utf-8")
    got = build(Settings(sources=ROOT / "sources", docs=Path("/nonexistent"), data=data))
    page = got.pages["themes/epidemic.md"]
    assert "# 疫情防控" in page and "](../reports/001_9dfe4ea8b472d475-1.md#" in page
    assert {"疫情防控": "themes/epidemic.md"} in got.nav["themes/"]
    assert "[疫情防控](../themes/epidemic.md)" in got.pages["reports/001_9dfe4ea8b472d475-1.md"]
