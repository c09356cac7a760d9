"""Runs that overlap: two ``kb.py generate`` at once, or one beside ``mkdocs build``,
take turns on docs/ (``store.lock``): both succeed, no traceback, and docs/ ends
exactly as one run alone leaves it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from reportkb.errors import BusyError
from reportkb.pages.registry import OWNED_FOLDERS
from reportkb.store.lock import LOCK, exclusive
from reportkb.store.write import MANIFEST, STAGING

from helpers import copy_project, tree_hashes

OFFSETS = (0.0, 0.02, 0.05, 0.1, 0.15, 0.25, 0.35, 0.5)
"""Seconds between the first and the second run of each pair."""
WAITING = "另一次生成正在进行，等待…"


def _generate(project: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(project / "scripts" / "kb.py"), "generate", *extra], cwd=project,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _finish(process: subprocess.Popen) -> tuple[int, str]:
    out, err = process.communicate(timeout=600)
    return process.returncode, out + err


def _clear_output(docs: Path) -> None:
    """Remove what generation wrote, so the next run has every page to write."""
    for folder in OWNED_FOLDERS:
        shutil.rmtree(docs / folder, ignore_errors=True)
    (docs / MANIFEST).unlink(missing_ok=True)


def test_pairs_of_concurrent_runs_take_turns(tmp_path, sample_tree):
    project = copy_project(tmp_path / "project")
    docs = project / "docs"
    outputs = []
    for number, offset in enumerate(OFFSETS):
        _clear_output(docs)
        if number % 4 == 3:  # now and then from a cold cache, so the first run builds everything
            shutil.rmtree(project / ".kb-cache", ignore_errors=True)
        first = _generate(project)
        time.sleep(offset)
        second = _generate(project)
        for process in (first, second):
            code, output = _finish(process)
            assert code == 0, output
            assert "Traceback" not in output and "错误：" not in output, output
            outputs.append(output)
        assert tree_hashes(docs) == sample_tree, f"pair {number} (offset {offset} s) left docs/ different"
        assert not (docs / STAGING).exists()
    # Whether a pair overlapped depends on the machine's speed; that a run waits for
    # another is shown without timing in test_a_run_waits_for_the_lock_then_completes.


def test_generate_beside_mkdocs_build(tmp_path, sample_tree):
    project = copy_project(tmp_path / "project")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    build = subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", "site"], cwd=project,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    time.sleep(0.2)
    code, output = _finish(_generate(project, "-q"))
    assert code == 0, output
    build_code, build_output = _finish(build)
    assert build_code == 0, build_output
    for text in (output, build_output):
        assert "Traceback" not in text, text
    assert tree_hashes(project / "docs") == sample_tree


def _hold_lock(docs: Path) -> subprocess.Popen:
    """Another process holding docs/'s lock until its stdin is closed (it prints once it has the lock)."""
    script = textwrap.dedent(f"""
        import fcntl, os, sys
        fd = os.open({str(docs / LOCK)!r}, os.O_RDWR | os.O_CREAT)
        fcntl.flock(fd, fcntl.LOCK_EX)
        print("held", flush=True)
        sys.stdin.read()
    """)
    holder = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    return holder


def test_a_run_waits_for_the_lock_then_completes(tmp_path, sample_tree):
    project = copy_project(tmp_path / "project")
    holder = _hold_lock(project / "docs")
    try:
        run = _generate(project, "-q")
        told = run.stderr.readline()  # blocks until the run reports that it waits: no timing involved
        holder.stdin.close()  # the other run ends
        holder.wait(timeout=60)
        code, output = _finish(run)
    finally:
        holder.kill()
        holder.wait()
    assert told.startswith(WAITING) and str(project / "docs" / LOCK) in told, told
    assert code == 0, output
    assert tree_hashes(project / "docs") == sample_tree


def test_a_lock_held_too_long_gives_a_clear_error(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    holder = _hold_lock(docs)
    told: list[str] = []
    try:
        with pytest.raises(BusyError) as caught, exclusive(docs, timeout=0.5, tell=told.append):
            pytest.fail("the lock was taken while another process held it")
    finally:
        holder.kill()
        holder.wait()
    assert told and WAITING in told[0]
    message = str(caught.value)
    assert str(docs / LOCK) in message and "请等它结束后重新运行" in message
    # Once the holder is gone (however it ended), the lock is free again.
    with exclusive(docs, timeout=5):
        pass
