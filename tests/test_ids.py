"""Report ids: one page per report, whatever the file names, and never the report list's own page."""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import sys

import pytest

from reportkb.pages.reports import RESERVED_IDS
from reportkb.pipeline import assign_ids, base_id

from helpers import ROOT

BODY = (
    "一、加强组织领导，落实主体责任\n"
    "1.高度重视。党委领导班子履行意识形态工作的主体责任，加强对网络阵地和宣传工作的组织领导。\n"
    "二、存在问题\n"
    "{n}宣传阵地管理还需加强，理论学习还不够深入。\n"
)


def _all_ids(ids: dict[str, tuple[str, ...]]) -> list[str]:
    return [rid for own in ids.values() for rid in own]


def _check(parts: dict[str, int]) -> dict[str, tuple[str, ...]]:
    ids = assign_ids(parts)
    flat = _all_ids(ids)
    assert set(ids) == set(parts)
    assert [len(ids[s]) for s in parts] == list(parts.values())
    assert len(flat) == len(set(flat)), ids
    assert not set(flat) & RESERVED_IDS, ids
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9_-]*", rid) for rid in flat), ids
    return ids


def test_index_txt_does_not_take_the_report_lists_page():
    ids = _check({"index.txt": 1, "a.txt": 1})
    assert ids["index.txt"][0].startswith("index-")
    assert ids["a.txt"] == ("a",)  # names that collide with nothing keep their plain id
    assert _check({"index.txt": 2})["index.txt"] == ("index-1", "index-2")  # not the list's name: kept


def test_a_file_of_several_reports_and_the_name_kb_add_gives_a_second_file():
    ids = _check({"report.txt": 3, "report-2.txt": 1})
    assert len(_all_ids(ids)) == 4


def test_equal_names_with_other_suffixes_still_all_get_a_hash():
    ids = _check({"a.txt": 1, "a.docx": 1, "b.txt": 1})
    digest = {s: base_id(s) for s in ids}
    assert ids["a.txt"][0].startswith("a-") and ids["a.docx"][0].startswith("a-")
    assert ids["b.txt"] == (digest["b.txt"],)


def test_a_file_named_like_another_files_hashed_id_gets_a_distinct_one():
    first = assign_ids({"a.txt": 1, "a.docx": 1})["a.txt"][0]  # a-<8 hex>
    _check({"a.txt": 1, "a.docx": 1, f"{first}.txt": 1})
    _check({"a.txt": 2, "a.docx": 1, f"{first}-1.txt": 1, f"{first}.txt": 3})


def test_same_inputs_same_ids_in_any_order():
    parts = {"report.txt": 3, "report-2.txt": 1, "index.txt": 1, "report-1.docx": 2, "x.txt": 1}
    expected = _check(parts)
    for order in itertools.permutations(parts):
        assert assign_ids({s: parts[s] for s in order}) == expected


@pytest.mark.parametrize("names", [
    ["a.txt", "a-1.txt", "a-2.txt", "a-1-1.txt"],
    ["index.txt", "index-1.txt", "Index.txt", "INDEX.docx"],
    ["r.txt", "r.docx", "r-1.txt", "r-2.docx", "sub/r.txt"],
])
def test_every_mix_of_names_and_part_counts_gives_unique_ids(names):
    for counts in itertools.product((1, 2, 3), repeat=len(names)):
        _check(dict(zip(names, counts, strict=True)))


def _kb_generate(project) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "kb.py"), "generate", "--no-cache", "--quiet",
                           "--sources", str(project / "sources"), "--docs", str(project / "docs")],
                          capture_output=True, text=True, timeout=300)


def test_a_run_with_colliding_names_writes_one_page_per_report_and_lists_them_all(tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    (tmp_path / "docs").mkdir()
    (sources / "index.txt").write_text("关于2021年意识形态工作的自查报告\n" + BODY.format(n="甲"), encoding="utf-8")
    several = "".join(f"2022年意识形态工作自查报告篇{n}\n" + BODY.format(n=f"第{n}篇") for n in (1, 2, 3))
    (sources / "report.txt").write_text(several, encoding="utf-8")
    (sources / "report-2.txt").write_text("关于2023年意识形态工作的自查报告\n" + BODY.format(n="乙"), encoding="utf-8")
    result = _kb_generate(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr

    corpus = json.loads((tmp_path / "docs" / "data" / "corpus.json").read_text(encoding="utf-8"))
    reports = corpus["reports"]
    assert sorted((r["source"], r["part"]) for r in reports) == [
        ("index.txt", 1), ("report-2.txt", 1), ("report.txt", 1), ("report.txt", 2), ("report.txt", 3)]
    ids = [r["id"] for r in reports]
    assert len(set(ids)) == 5 and "index" not in ids
    pages = {p.stem: p.read_text(encoding="utf-8") for p in (tmp_path / "docs" / "reports").glob("*.md")}
    assert set(pages) == set(ids) | {"index"}
    titles = {r["id"]: r["title"] for r in reports}
    assert len(set(titles.values())) == 5  # 2021, 2023, 篇1–篇3: five different reports
    for rid, title in titles.items():  # each report on its own page
        assert pages[rid].startswith(f'---\ntitle: "{title}"\n'), rid
    listing = pages["index"]
    assert "# 报告列表" in listing and "共收录 **5** 篇报告" in listing
    links = re.findall(r"\]\(([^)]+)\.md\)", listing)
    assert sorted(t for t in links if not t.startswith("years/")) == sorted(ids)
    assert sorted(t for t in links if t.startswith("years/")) == ["years/2021", "years/2022", "years/2023"]
