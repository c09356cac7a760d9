"""The writer: only generated folders, only changed files, transactional."""

from __future__ import annotations

import json
import shutil

import pytest

from reportkb.errors import ReportError, WriteError
from reportkb.pages.registry import OWNED_FOLDERS
from reportkb.store.write import COMMIT, MANIFEST, PLAN, STAGING, recover, write_tree
from reportkb.text.markup import GENERATED_MARK


def test_writes_only_what_changed_and_removes_stale_pages(tmp_path):
    docs = tmp_path / "docs"
    (docs / "reports").mkdir(parents=True)
    (docs / "reports" / "hand.md").write_text("# 手写页面\n", encoding="utf-8")
    (docs / "index.md").write_text("# 首页\n", encoding="utf-8")

    first = write_tree({"reports/a.md": "A", "reports/b.md": "B", "data/corpus.json": "{}"}, docs, OWNED_FOLDERS)
    assert (first.new, first.changed, first.removed) == (("data/corpus.json", "reports/a.md", "reports/b.md"), (), ())
    mtime = (docs / "reports" / "a.md").stat().st_mtime_ns

    second = write_tree({"reports/a.md": "A", "reports/c.md": "C", "data/corpus.json": "{\"x\": 1}"}, docs, OWNED_FOLDERS)
    assert second.new == ("reports/c.md",)
    assert second.changed == ("data/corpus.json",)
    assert second.removed == ("reports/b.md",)
    assert (docs / "reports" / "a.md").stat().st_mtime_ns == mtime
    assert not (docs / "reports" / "b.md").exists()
    # Hand-written pages, even inside a generated folder, are left alone.
    assert (docs / "reports" / "hand.md").read_text(encoding="utf-8") == "# 手写页面\n"
    assert (docs / "index.md").read_text(encoding="utf-8") == "# 首页\n"

    third = write_tree({"reports/a.md": "A", "reports/c.md": "C", "data/corpus.json": "{\"x\": 1}"}, docs, OWNED_FOLDERS)
    assert not third.touched and third.unchanged == 3


def test_generated_pages_are_found_without_a_manifest(tmp_path):
    docs = tmp_path / "docs"
    write_tree({"reports/old.md": f"{GENERATED_MARK}\n旧页面"}, docs, OWNED_FOLDERS)
    (docs / MANIFEST).unlink()
    changes = write_tree({"reports/new.md": "新页面"}, docs, OWNED_FOLDERS)
    assert changes.removed == ("reports/old.md",)


@pytest.mark.parametrize("path", ["index.md", "../x.md", "reports/../../x.md", "/etc/x"])
def test_refuses_paths_outside_generated_folders(tmp_path, path):
    with pytest.raises(ReportError):
        write_tree({path: "x"}, tmp_path / "docs", OWNED_FOLDERS)


def test_uncommitted_staging_is_discarded(tmp_path):
    docs = tmp_path / "docs"
    write_tree({"reports/a.md": "old"}, docs, OWNED_FOLDERS)
    # A run killed while staging: files staged, no COMMIT marker.
    (docs / STAGING / "files" / "reports").mkdir(parents=True)
    (docs / STAGING / "files" / "reports" / "a.md").write_text("half", encoding="utf-8")
    recover(docs, OWNED_FOLDERS)
    assert (docs / "reports" / "a.md").read_text(encoding="utf-8") == "old"
    assert not (docs / STAGING).exists()


def test_committed_staging_is_completed(tmp_path):
    docs = tmp_path / "docs"
    write_tree({"reports/a.md": "old", "reports/b.md": "gone"}, docs, OWNED_FOLDERS)
    staging = docs / STAGING
    (staging / "files" / "reports").mkdir(parents=True)
    (staging / "files" / "reports" / "a.md").write_text("new", encoding="utf-8")
    plan = {"write": ["reports/a.md"], "remove": ["reports/b.md"], "manifest": ["reports/a.md"]}
    (staging / PLAN).write_text(json.dumps(plan), encoding="utf-8")
    (staging / COMMIT).write_text("ok\n", encoding="utf-8")
    recover(docs, OWNED_FOLDERS)
    assert (docs / "reports" / "a.md").read_text(encoding="utf-8") == "new"
    assert not (docs / "reports" / "b.md").exists()
    assert json.loads((docs / MANIFEST).read_text(encoding="utf-8")) == {"files": ["reports/a.md"]}


def test_a_first_run_cut_off_after_moving_a_whole_folder_is_completed(tmp_path):
    docs = tmp_path / "docs"
    staging = docs / STAGING
    # A first run's commit: reports/ (new to docs/) already moved in whole, data/ still staged.
    (docs / "reports").mkdir(parents=True)
    (docs / "reports" / "a.md").write_text("A", encoding="utf-8")
    (staging / "files" / "data").mkdir(parents=True)
    (staging / "files" / "data" / "corpus.json").write_text("{}", encoding="utf-8")
    plan = {"write": ["data/corpus.json", "reports/a.md"], "remove": [], "manifest": ["data/corpus.json", "reports/a.md"]}
    (staging / PLAN).write_text(json.dumps(plan), encoding="utf-8")
    (staging / COMMIT).write_text("ok\n", encoding="utf-8")
    recover(docs, OWNED_FOLDERS)
    assert (docs / "reports" / "a.md").read_text(encoding="utf-8") == "A"
    assert (docs / "data" / "corpus.json").read_text(encoding="utf-8") == "{}"
    assert json.loads((docs / MANIFEST).read_text(encoding="utf-8")) == {"files": plan["manifest"]}
    assert not staging.exists()


def test_the_owned_folders_are_the_callers(tmp_path):
    docs = tmp_path / "docs"
    assert write_tree({"extra/a.md": "A"}, docs, ("extra",)).new == ("extra/a.md",)
    with pytest.raises(ReportError):
        write_tree({"extra/a.md": "A"}, docs, OWNED_FOLDERS)
    # A page of a folder no longer owned is not removed either: only owned folders are touched.
    assert write_tree({"reports/a.md": "A"}, docs, ("reports",)).removed == ()
    assert (docs / "extra" / "a.md").exists()


def test_commit_without_a_readable_plan_is_discarded(tmp_path):
    docs = tmp_path / "docs"
    write_tree({"reports/a.md": "old"}, docs, OWNED_FOLDERS)
    (docs / STAGING / "files" / "reports").mkdir(parents=True)
    (docs / STAGING / "files" / "reports" / "a.md").write_text("half", encoding="utf-8")
    (docs / STAGING / COMMIT).write_text("ok\n", encoding="utf-8")
    (docs / STAGING / PLAN).write_text("{\"write\": [", encoding="utf-8")  # cut short
    recover(docs, OWNED_FOLDERS)
    assert not (docs / STAGING).exists()
    assert write_tree({"reports/a.md": "new"}, docs, OWNED_FOLDERS).changed == ("reports/a.md",)


def test_a_committed_change_that_cannot_be_moved_in_is_kept_for_the_next_run(tmp_path):
    docs = tmp_path / "docs"
    write_tree({"reports/a.md": "old"}, docs, OWNED_FOLDERS)
    staging = docs / STAGING
    (staging / "files" / "reports").mkdir(parents=True)
    (staging / "files" / "reports" / "b.md").write_text("new", encoding="utf-8")
    plan = {"write": ["reports/b.md"], "remove": [], "manifest": ["reports/a.md", "reports/b.md"]}
    (staging / PLAN).write_text(json.dumps(plan), encoding="utf-8")
    (staging / COMMIT).write_text("ok\n", encoding="utf-8")
    (docs / "reports" / "b.md" / "x").mkdir(parents=True)  # a folder where the page goes
    with pytest.raises(WriteError) as caught:
        write_tree({"reports/a.md": "old", "reports/b.md": "new"}, docs, OWNED_FOLDERS)
    message = str(caught.value)
    assert str(docs / "reports" / "b.md") in message and "再运行一次即可补完" in message
    assert (staging / COMMIT).exists()
    shutil.rmtree(docs / "reports" / "b.md")
    assert not write_tree({"reports/a.md": "old", "reports/b.md": "new"}, docs, OWNED_FOLDERS).touched
    assert (docs / "reports" / "b.md").read_text(encoding="utf-8") == "new" and not staging.exists()
