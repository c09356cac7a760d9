"""Faults of the disk and the cache: a full disk, a read-only docs/, cache entries of the
wrong shape. Each ends with a Chinese message (or, for the cache, a normal run), never a
traceback, and leaves nothing behind that breaks the next run.

The disks are real: small tmpfs mounts (root only). Without ``mount`` the disk tests are
skipped, except under CI=true, where they fail."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from reportkb.config import Settings
from reportkb.model import Report
from reportkb.pipeline import generate
from reportkb.store.lock import LOCK
from reportkb.store.write import STAGING

from helpers import copy_project, mkdocs_build, tree_hashes


def _kb_generate(project: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(project / "scripts" / "kb.py"), "generate", "-q", *extra],
                          cwd=project, capture_output=True, text=True, timeout=600)


def _remount(target: Path, options: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{options}", str(target)], check=True, capture_output=True)


@contextmanager
def _tmpfs(target: Path, size: str) -> Iterator[None]:
    """``target`` as a file system of its own of ``size`` (its files copied in); unmounted after."""
    saved = target.with_name(f"{target.name}-saved")
    shutil.move(target, saved)
    target.mkdir()
    try:
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=755", "tmpfs", str(target)],
                       check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"cannot mount a tmpfs for the disk tests: {exc}")
        pytest.skip(f"cannot mount a tmpfs (needs root and mount): {exc}")
    try:
        shutil.copytree(saved, target, dirs_exist_ok=True)
        yield
    finally:
        subprocess.run(["umount", "-l", str(target)], capture_output=True)


@pytest.fixture
def small_disk(tmp_path) -> Iterator[Path]:
    """A project copy whose docs/ is its own small file system, with room for the hand-written pages only."""
    project = copy_project(tmp_path / "project")
    with _tmpfs(project / "docs", "400k"):
        yield project


def _files(docs: Path) -> list[str]:
    """Files in docs/ but the cache and the lock file (a test may put the cache there)."""
    return sorted(rel for p in docs.rglob("*") if p.is_file()
                  and not (rel := p.relative_to(docs).as_posix()).startswith(("cache/", LOCK)))


def _no_traceback(result: subprocess.CompletedProcess) -> str:
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    return output


def test_full_disk_gives_a_message_and_leaves_no_staging(small_disk, sample_tree):
    project = small_disk
    docs = project / "docs"
    hand_written = _files(docs)
    # The cache is on the full disk too: that only costs speed.
    result = _kb_generate(project, "--cache", str(docs / "cache"))
    output = _no_traceback(result)
    assert result.returncode == 2, output
    assert result.stderr.startswith("错误：磁盘空间不足") and str(docs) in result.stderr, result.stderr
    assert f"{docs / STAGING}/" in result.stderr, "names the file it could not write"
    assert "请清理" in result.stderr and "仍是上一次生成的完整内容" in result.stderr
    assert not (docs / STAGING).exists()
    assert _files(docs) == hand_written, "a failed run must leave docs/ as it was"

    # Space freed: the next run completes, as if nothing had happened.
    _remount(docs, "size=8m")
    result = _kb_generate(project, "--cache", str(docs / "cache"))
    assert result.returncode == 0, _no_traceback(result)
    assert tree_hashes(docs) == sample_tree


def test_read_only_docs_gives_a_message_from_generate_and_mkdocs(small_disk, sample_tree):
    project = small_disk
    docs = project / "docs"
    _remount(docs, "ro")
    result = _kb_generate(project)
    output = _no_traceback(result)
    assert result.returncode == 2, output
    assert result.stderr.startswith("错误：") and "只读" in result.stderr and str(docs) in result.stderr
    assert "请以读写方式重新挂载" in result.stderr

    build = mkdocs_build(project)
    output = build.stdout + build.stderr
    assert build.returncode != 0 and "Traceback" not in output, output
    assert "只读" in output and str(docs) in output, output

    # Writable again, then read-only with nothing to change: the run succeeds, writing nothing.
    _remount(docs, "rw,size=8m")
    assert _kb_generate(project).returncode == 0
    _remount(docs, "ro")
    result = _kb_generate(project)
    assert result.returncode == 0, _no_traceback(result)
    assert tree_hashes(docs) == sample_tree


def test_read_only_cache_only_costs_speed(tmp_path, sample_tree):
    project = copy_project(tmp_path / "project")
    assert _kb_generate(project).returncode == 0
    cache = project / ".kb-cache"
    with _tmpfs(cache, "8m"):
        shutil.rmtree(cache / "build")  # so the run builds, and would store, again
        _remount(cache, "ro")
        (project / "sources" / "000_4923fc270289bbc6.txt").unlink()  # and prune entries
        result = _kb_generate(project)
        assert result.returncode == 0, _no_traceback(result)
        reference = copy_project(tmp_path / "reference")
        (reference / "sources" / "000_4923fc270289bbc6.txt").unlink()
        assert _kb_generate(reference, "--no-cache").returncode == 0
        assert tree_hashes(project / "docs") == tree_hashes(reference / "docs") != sample_tree


WRONG_SHAPES = (None, 42, ("x",), (1, 2, 3), {"a": 1}, [b"bytes"])
"""Valid pickles of values no cache ever stores."""


WRONG_PARSE_ENTRIES = ((True, ()), ("yes", (), ()), (True, (), ("text",)), (True, ("problem",), ()),
                       (True, (), (object.__new__(Report),)))
"""Parse entries stored under their right key, wrong inside: length, types, a report without its fields."""


def test_cache_entries_of_the_wrong_shape_count_as_missing(tmp_path):
    sources = copy_project(tmp_path / "project") / "sources"
    settings = Settings(sources=sources, docs=tmp_path / "docs", cache=tmp_path / "cache")
    generate(settings)
    reference = tree_hashes(settings.docs)

    for wrong in WRONG_SHAPES:
        files = sorted(settings.cache.rglob("*.pickle"))
        assert any("parse" in p.parts for p in files) and any("build" in p.parts for p in files)
        for path in files:  # every entry of every cache: parse, memo shards, memo pages, the build
            path.write_bytes(pickle.dumps(wrong))
        result = generate(settings)
        assert tree_hashes(settings.docs) == reference, f"after entries holding {wrong!r}"
        assert result.built.index is not None, "a wrong-shaped build memo must not be reused"

    for wrong in WRONG_PARSE_ENTRIES:
        entries = sorted((settings.cache / "parse").rglob("*.pickle"))
        for path in entries:
            key, _ = pickle.loads(path.read_bytes())
            path.write_bytes(pickle.dumps((key, wrong)))
        shutil.rmtree(settings.cache / "build")
        generate(settings)
        assert tree_hashes(settings.docs) == reference, f"after parse entries holding {wrong!r}"
        # That run parsed the files again and stored proper entries in their place.
        assert all(isinstance(pickle.loads(p.read_bytes())[1][0], bool) and len(pickle.loads(p.read_bytes())[1]) == 3
                   for p in entries)


def test_a_reused_cache_entry_is_read_again_once_its_file_changes(tmp_path):
    import os

    from reportkb.store.atomic import RACY_NS, load_pickle, store_pickle

    path = tmp_path / "entry.pickle"
    store_pickle(path, ["first"])
    old = (os.stat(path).st_mtime_ns - 2 * RACY_NS) / 1e9
    os.utime(path, (old, old))
    first = load_pickle(path, reuse=True)
    assert first == ["first"] and load_pickle(path, reuse=True) is first  # the same file: read once
    store_pickle(path, ["second"])  # replaced: another inode, another time
    assert load_pickle(path, reuse=True) == ["second"]
    path.write_bytes(b"damaged")
    assert load_pickle(path, "missing", reuse=True) == "missing"
