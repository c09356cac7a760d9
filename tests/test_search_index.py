"""The search data: every section's own text once, labels from the annotations."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from reportkb.pages.search import SEARCH_JSON, fold_table, render_search, search_data
from reportkb.text.fold import fold


@pytest.fixture()
def built(sample_build):
    return sample_build


def record_text(data: dict, record: list) -> str:
    return data["sep"].join(data["paras"][p] for p in record[4])


def test_one_record_per_section_and_per_opening_with_its_own_text(built):
    data = search_data(built.index)
    corpus = json.loads(built.pages["data/corpus.json"])
    expected = []
    for r in corpus["reports"]:
        if r["opening"]:
            expected.append((r["id"], "", r["opening"]))
        expected.extend((r["id"], s["anchor"], s["text"]) for s in r["outline"])
    got = [(data["reports"][rec[0]][0], rec[1], record_text(data, rec)) for rec in data["records"]]
    assert got == expected
    assert len(got) > 50


def test_section_text_is_the_heading_and_the_paragraphs_directly_under_it(built):
    report = next(r for r in built.index.reports if len({s.depth for s in r.sections}) > 1)
    corpus = json.loads(built.pages["data/corpus.json"])
    entry = next(r for r in corpus["reports"] if r["id"] == report.id)
    parent = next(s for s in report.sections if any(c.parent == s.index for c in report.sections))
    child = next(c for c in report.sections if c.parent == parent.index)
    text = entry["outline"][parent.index]["text"]
    # Its own heading, not the heading of a subsection.
    heading_block = next(b for b in report.blocks if b.kind == "heading" and b.section == parent.index)
    assert text.startswith(heading_block.text)
    child_heading = next(b for b in report.blocks if b.kind == "heading" and b.section == child.index)
    assert child_heading.text not in text.split("\n")
    # Joined in the order of the page; every block of the report is in exactly one record.
    blocks = [b.text for b in report.blocks]
    pieces = ([entry["opening"]] if entry["opening"] else []) + [s["text"] for s in entry["outline"]]
    assert "\n".join(pieces).split("\n") == blocks


def test_identical_paragraphs_are_stored_once(built):
    data = search_data(built.index)
    assert len(data["paras"]) == len(set(data["paras"]))
    references = [p for rec in data["records"] for p in rec[4]]
    assert set(references) == set(range(len(data["paras"])))
    # The sample holds a near-duplicate report: sharing really happened.
    assert len(references) > len(data["paras"])


def test_records_carry_role_themes_year_and_unit_from_the_index(built):
    data = search_data(built.index)
    openings = sections = 0
    for rec in data["records"]:
        report = built.index.by_id(data["reports"][rec[0]][0])
        assert data["reports"][rec[0]][1:3] == [report.title, report.year]
        unit = data["reports"][rec[0]][3]
        assert (data["units"][unit] if unit >= 0 else None) == report.unit
        if not rec[1]:
            openings += 1
            assert rec[2] == -1 and rec[3] == []
            continue
        sections += 1
        section = next(s for s in report.sections if s.anchor == rec[1])
        labels = built.index.annotations[report.id].sections[section.index]
        assert data["roles"][rec[2]] == labels.role
        assert [data["themes"][t] for t in rec[3]] == list(labels.themes)
    assert openings > 0 and sections > 50  # both kinds of record were checked
    assert {u for u in data["units"]} == {r.unit for r in built.index.reports if r.unit is not None}


def test_new_theme_names_reach_the_filters_without_code_changes(built):
    index = built.index
    report = index.reports[0]
    notes = index.annotations[report.id]
    labels = list(notes.sections)
    labels[0] = replace(labels[0], themes=("一个新主题",) + tuple(labels[0].themes))
    changed = replace(index, annotations={**index.annotations, report.id: replace(notes, sections=tuple(labels))})
    data = search_data(changed)
    assert "一个新主题" in data["themes"]
    first = next(rec for rec in data["records"] if rec[0] == 0 and rec[1] == report.sections[0].anchor)
    assert data["themes"][first[3][0]] == "一个新主题"


def test_fold_table_matches_textnorm_fold_one_for_one():
    trad, simp = fold_table()
    assert len(trad) == len(simp) > 2000
    assert all(len(c.encode("utf-16-le")) == 2 for c in trad + simp)
    for a, b in zip(trad, simp, strict=True):
        assert fold(a) == b, a  # single pass, like str.translate
    assert {"網", "評", "員", "Ⅹ", "ⅹ"} <= set(trad)


def test_search_json_is_compact_deterministic_and_in_the_generated_data_folder(built):
    pages = render_search(built.index)
    assert list(pages) == [SEARCH_JSON] and SEARCH_JSON.startswith("data/")
    assert pages == render_search(built.index)  # across runs and processes: test_themes_site
    assert built.pages[SEARCH_JSON] == pages[SEARCH_JSON]
    text = pages[SEARCH_JSON]
    assert "\n " not in text  # not indented: visitors download it
    assert json.loads(text)["format"] == 1
