"""Incremental runs: unchanged reports are not re-parsed, unchanged pages not rewritten,
and the cache is versioned, self-healing and safe to delete."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import kb
from reportkb import pipeline
from reportkb.config import Settings
from reportkb.pipeline import generate
from reportkb.store import keys

from helpers import ROOT, tree_hashes


@pytest.fixture
def parses(monkeypatch) -> list[str]:
    """Sources parsed during the test (one entry per report part)."""
    seen: list[str] = []
    real = pipeline.parse_report

    def counting(text, report_id):
        seen.append(text.source)
        return real(text, report_id)

    monkeypatch.setattr(pipeline, "parse_report", counting)
    return seen


def _settings(tmp_path: Path) -> Settings:
    sources = tmp_path / "sources"
    if not sources.exists():
        shutil.copytree(ROOT / "sources", sources)
    return Settings(sources=sources, docs=tmp_path / "docs", cache=tmp_path / ".kb-cache")


def test_unchanged_reports_are_not_reparsed(tmp_path, parses):
    settings = _settings(tmp_path)
    generate(settings)
    assert len(parses) == 7
    reference = tree_hashes(settings.docs)
    mtimes = {p: p.stat().st_mtime_ns for p in settings.docs.rglob("*") if p.is_file()}

    parses.clear()
    result = generate(settings)
    assert parses == [] and not result.changes.touched
    assert {p: p.stat().st_mtime_ns for p in settings.docs.rglob("*") if p.is_file()} == mtimes

    # One report edited: only it is parsed again, the output equals a cold run.
    target = settings.sources / "003_18adec3924a66559.txt"
    target.write_text(target.read_text(encoding="utf-8").replace("自查报告", "自查报告（修订）", 1), encoding="utf-8")
    parses.clear()
    result = generate(settings)
    assert parses == ["003_18adec3924a66559.txt"]
    assert result.changes.changed and not result.changes.removed
    cold = tmp_path / "cold"
    generate(Settings(sources=settings.sources, docs=cold, cache=None))
    assert tree_hashes(settings.docs) == tree_hashes(cold) != reference


def test_renamed_file_is_reparsed_under_its_new_name(tmp_path, parses):
    settings = _settings(tmp_path)
    generate(settings)
    (settings.sources / "002_17dde69ecb64a6a5.txt").rename(settings.sources / "改名.txt")
    parses.clear()
    result = generate(settings)
    assert parses == ["改名.txt"]
    assert any(p.startswith("reports/") for p in result.changes.removed)
    assert {r.source for r in result.built.summary.reports} >= {"改名.txt"}


def test_code_version_change_invalidates_the_cache(tmp_path, parses, monkeypatch):
    settings = _settings(tmp_path)
    generate(settings)
    monkeypatch.setattr(keys, "CACHE_VERSION", "test-bump")
    parses.clear()
    generate(settings)
    assert len(parses) == 7
    # Entries of the old version were pruned: one entry per source file.
    assert len(list((settings.cache / "parse").glob("*/*.pickle"))) == 5


def test_noise_rules_are_part_of_the_cache_version(tmp_path, parses):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "scripts" / "data", data)
    base = _settings(tmp_path)
    settings = Settings(sources=base.sources, docs=base.docs, cache=base.cache, data=data)
    generate(settings)
    with open(data / "noise.yml", "a", encoding="utf-8") as handle:
        handle.write("\n# edited\n")
    parses.clear()
    generate(settings)
    assert len(parses) == 7


def test_damaged_or_deleted_cache_is_harmless(tmp_path, parses):
    settings = _settings(tmp_path)
    generate(settings)
    reference = tree_hashes(settings.docs)
    entries = sorted((settings.cache / "parse").glob("*/*.pickle"))
    entries[0].write_bytes(b"not a pickle")
    entries[1].write_bytes(entries[1].read_bytes()[:20])
    shutil.rmtree(settings.cache / "build")  # else the whole previous build is reused
    parses.clear()
    generate(settings)
    assert len(set(parses)) == 2  # each damaged entry is a miss: its file (all its parts) is parsed again
    assert tree_hashes(settings.docs) == reference
    shutil.rmtree(settings.cache)
    parses.clear()
    generate(settings)
    assert len(parses) == 7 and tree_hashes(settings.docs) == reference


def test_cli_uses_a_cache_next_to_sources(tmp_path, capsys):
    settings = _settings(tmp_path)
    settings.docs.mkdir()
    assert kb.main(["generate", "-q", "--sources", str(settings.sources), "--docs", str(settings.docs)]) == 0
    assert len(list((tmp_path / ".kb-cache" / "parse").glob("*/*.pickle"))) == 5
    assert kb.main(["generate", "--sources", str(settings.sources), "--docs", str(settings.docs)]) == 0
    out = capsys.readouterr().out
    assert "已生成 7 篇报告（5 个文件）" in out and "新增 0，更新 0，删除 0" in out


def test_unchanged_inputs_reuse_the_whole_build(tmp_path, monkeypatch):
    settings = _settings(tmp_path)
    first = generate(settings)
    reference = tree_hashes(settings.docs)
    builds = []
    real = pipeline.build
    monkeypatch.setattr(pipeline, "build", lambda *a, **k: builds.append(1) or real(*a, **k))

    again = generate(settings)
    assert builds == [] and not again.changes.touched
    assert again.built.pages == first.built.pages and again.built.nav == first.built.nav
    assert again.built.problems == first.built.problems
    assert again.built.index is None and again.built.summary == first.built.summary
    assert [r.id for r in again.built.summary.reports] == [r.id for r in first.built.index.reports]

    # A generated page edited by hand: the memo no longer matches, the page is rebuilt.
    page = settings.docs / "reports" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "手工改动\n", encoding="utf-8")
    result = generate(settings)
    assert builds == [1] and result.changes.changed == ("reports/index.md",)
    assert tree_hashes(settings.docs) == reference

    # A source touched without changing its bytes: still reused.
    source = settings.sources / "000_4923fc270289bbc6.txt"
    source.write_bytes(source.read_bytes())
    generate(settings)
    assert builds == [1]
    # New bytes: built again.
    source.write_bytes(source.read_bytes() + "\n补充一段。\n".encode())
    generate(settings)
    assert builds == [1, 1]


def test_per_report_results_are_reused_and_match_a_cold_run(tmp_path, monkeypatch):
    """A new report costs its own annotation, coverage and page; the rest comes from the memo."""
    from reportkb.analysis import requirements
    from reportkb.pages import reports as render

    settings = _settings(tmp_path)
    generate(settings)
    calls: dict[str, list[str]] = {"annotate": [], "coverage": [], "page": []}
    real_annotate, real_hits, real_page = pipeline.annotate, requirements.report_hits, render.render_report
    monkeypatch.setattr(pipeline, "annotate", lambda r, t: calls["annotate"].append(r.id) or real_annotate(r, t))
    monkeypatch.setattr(requirements, "report_hits", lambda r, q: calls["coverage"].append(r.id) or real_hits(r, q))
    monkeypatch.setattr(render, "render_report", lambda r, *a: calls["page"].append(r.id) or real_page(r, *a))

    text = (settings.sources / "003_18adec3924a66559.txt").read_text(encoding="utf-8")
    (settings.sources / "新报告.txt").write_text(text.replace("自查报告", "工作总结", 1) + "\n附：新增一段说明。\n",
                                             encoding="utf-8")
    result = generate(settings)
    new_id = next(r.id for r in result.built.index.reports if r.source == "新报告.txt")
    assert calls["annotate"] == [new_id] and calls["coverage"] == [new_id]
    # The new report's page, and the pages that now point to it as similar: no others.
    similar = {other for other, _ in result.built.index.similarity.reports.get(new_id, ())}
    similar |= {key[0] for key, found in result.built.index.similarity.sections.items()
                if any(other == new_id for other, _, _ in found)}
    assert set(calls["page"]) == {new_id} | similar and len(calls["page"]) < 7

    cold = tmp_path / "cold"
    generate(Settings(sources=settings.sources, docs=cold, cache=None))
    assert tree_hashes(settings.docs) == tree_hashes(cold)


def test_damaged_memo_is_harmless(tmp_path):
    settings = _settings(tmp_path)
    generate(settings)
    reference = tree_hashes(settings.docs)
    memo = settings.cache / "memo"
    stores = sorted(p for p in memo.rglob("*.pickle") if "report-page" not in p.parts)
    pages = sorted((memo / "report-page").rglob("*.pickle"))
    assert stores and len(pages) == 7
    for path in stores[:2] + pages[:2]:
        path.write_bytes(b"damaged")
    shutil.rmtree(settings.cache / "build")
    generate(settings)
    assert tree_hashes(settings.docs) == reference
    # Pages of reports no longer present are pruned from the memo.
    (settings.sources / "000_4923fc270289bbc6.txt").unlink()
    generate(settings)
    assert len(list((memo / "report-page").rglob("*.pickle"))) == 6


def test_memo_rewrites_only_changed_shards_and_drops_unused_entries(tmp_path):
    from reportkb.store.cache import Memo

    memo = Memo(tmp_path, "v1")
    keys = [f"{digit}{'0' * 63}" for digit in "0123456789abcdef"]
    for key in keys:
        assert memo.get("kind", key, lambda key=key: key.upper()) == key.upper()
    memo.save()
    folder = tmp_path / "memo" / "kind" / "v1"
    assert len(list(folder.glob("*.pickle"))) == 16
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.glob("*.pickle")}

    again = Memo(tmp_path, "v1")
    for key in keys[:-1]:  # the last key is no longer used; one new key in shard 0
        assert again.get("kind", key, lambda: "recomputed") == key.upper()
    assert again.get("kind", "0" + "1" * 63, lambda: "new") == "new"
    again.save()
    after = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.glob("*.pickle")}
    # The changed shard is found by its bytes (a coarse clock may give it its old mtime);
    # every other shard was not written at all, so its mtime is the same.
    assert sorted(name for name in after if after[name][0] != before[name][0]) == ["0.pickle"]
    assert all(after[name][1] == before[name][1] for name in after if name != "0.pickle")
    assert "f.pickle" not in after and again.hits == 15 and again.misses == 1

    newer = Memo(tmp_path, "v2")  # another program version: nothing reused, old files removed
    assert newer.get("kind", keys[0], lambda: "fresh") == "fresh"
    newer.save()
    assert [p.name for p in (tmp_path / "memo" / "kind").iterdir()] == ["v2"]


def test_report_blocks_change_only_where_a_report_is_added_or_removed():
    import hashlib

    from reportkb.store.memo import block_key, report_blocks

    keys = [hashlib.sha256(str(n).encode()).hexdigest() for n in range(2000)]
    blocks = report_blocks(keys)
    assert [p for b in blocks for p in b] == list(range(len(keys)))
    assert 30 < len(blocks) < 110  # 2,000 keys, a block ends after about one in 32
    before = {block_key([keys[p] for p in b]) for b in blocks}
    for changed in (keys[:1000] + ["f" * 64] + keys[1000:], keys[:1000] + keys[1001:]):
        after = {block_key([changed[p] for p in b]) for b in report_blocks(changed)}
        assert len(after - before) <= 2 and len(before - after) <= 2
    assert report_blocks([]) == []


def test_section_statistics_merged_by_block_match_a_build_without_memo(tmp_path, monkeypatch):
    """Theme, role and guide pages from remembered per-report facts and per-block word bits are those of a
    build without the memo, after a report is added in the middle of the corpus and after it is removed again."""
    from reportkb.pages import sections

    real_blocks, real_bits = sections.report_blocks, sections._word_bits
    monkeypatch.setattr(sections, "report_blocks", lambda keys: real_blocks(keys, 2))  # several blocks of 7 reports
    computed: list[int] = []
    monkeypatch.setattr(sections, "_word_bits", lambda chosen: computed.append(len(chosen)) or real_bits(chosen))
    settings = _settings(tmp_path)
    generate(settings)
    assert len(computed) > 2
    text = (settings.sources / "003_18adec3924a66559.txt").read_text(encoding="utf-8")
    added = settings.sources / "003a_新报告.txt"  # between the fourth and the fifth report; a near-duplicate
    added.write_text(text.replace("自查报告", "工作总结", 1) + "\n附：新增一段说明。\n", encoding="utf-8")
    for step in ("added", "removed"):
        computed.clear()
        result = generate(settings)
        assert 1 <= len(computed) <= 2  # the blocks around the change, not the others
        if step == "added":
            new_id = next(r.id for r in result.built.index.reports if r.source == added.name)
            assert new_id in result.built.index.similarity.duplicates  # left out of the counts at merge time
        cold = tmp_path / f"cold-{step}"
        generate(Settings(sources=settings.sources, docs=cold, cache=None))
        assert tree_hashes(settings.docs) == tree_hashes(cold)
        added.unlink(missing_ok=True)


def test_memo_kinds_a_run_no_longer_uses_are_removed(tmp_path):
    from reportkb.store.cache import Memo

    first = Memo(tmp_path, "v1", spread=("pages",))
    first.get("words", "a" * 64, lambda: 1)
    first.get("pages", "b" * 64, lambda: 2)
    first.save()
    assert sorted(p.name for p in (tmp_path / "memo").iterdir()) == ["pages", "words"]
    partial_run = Memo(tmp_path, "v1", spread=("pages",))  # kb.py add looks at one kind only
    assert partial_run.get("pages", "b" * 64, lambda: "recomputed") == 2
    partial_run.save()
    assert sorted(p.name for p in (tmp_path / "memo").iterdir()) == ["pages", "words"]
    later = Memo(tmp_path, "v1", spread=("pages",))  # a program whose pages no longer need "words"
    assert later.get("pages", "b" * 64, lambda: "recomputed") == 2
    later.save(whole_run=True)
    assert [p.name for p in (tmp_path / "memo").iterdir()] == ["pages"]


def test_entries_read_ahead_are_not_read_again_by_the_next_build(tmp_path, monkeypatch):
    """mkdocs serve reads the cache while it waits: a report dropped in then costs no reading of the others'."""
    import os
    import pickle
    import time

    from reportkb.store.cache import read_ahead

    settings = _settings(tmp_path)
    generate(settings)
    entries = sorted(p for part in ("parse", "memo") for p in (settings.cache / part).rglob("*.pickle"))
    past = time.time() - 60  # entries written just now are never kept for reuse (they could change unseen)
    for path in entries:
        os.utime(path, (past, past))
    assert read_ahead(settings.cache) == len(entries)
    read: list[str] = []
    real = pickle.load
    monkeypatch.setattr(pickle, "load", lambda handle: read.append(handle.name) or real(handle))
    text = (settings.sources / "003_18adec3924a66559.txt").read_text(encoding="utf-8")
    (settings.sources / "新报告.txt").write_text(text.replace("自查报告", "工作总结", 1), encoding="utf-8")
    generate(settings)
    parsed = {str(p) for p in entries if "parse" in p.relative_to(settings.cache).parts}
    assert parsed and not parsed & set(read)
