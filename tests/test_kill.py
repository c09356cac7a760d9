"""A generation killed with SIGKILL part-way leaves the previous output complete
(or a committed change that any next run, or mkdocs, finishes); the site still
builds strictly and the next run completes."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from reportkb.pages.registry import OWNED_FOLDERS
from reportkb.store.write import COMMIT, STAGING, recover
from reportkb.testing.corpus import make_corpus

from helpers import copy_project, mkdocs_build, tree_hashes

FRACTIONS = (0.0, 0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.98)
"""When to kill, as parts of a measured run's time. Where a kill lands depends on the
machine's load; only the first, at once, surely comes before anything is written."""


def _generate_cmd(project: Path) -> list[str]:
    return [sys.executable, str(project / "scripts" / "kb.py"), "generate", "-q"]


def _run(project: Path) -> float:
    start = time.perf_counter()
    result = subprocess.run(_generate_cmd(project), cwd=project, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr
    return time.perf_counter() - start


def test_killed_generation_leaves_a_complete_buildable_site(tmp_path):
    corpus = tmp_path / "corpus"
    make_corpus(30, corpus, seed=5)
    project = copy_project(tmp_path / "project", corpus)
    docs = project / "docs"
    duration = _run(project)
    before = tree_hashes(docs)

    # New input: reports added, one removed, one edited, so every stage has work.
    make_corpus(12, project / "sources" / "新增", seed=6)
    victim = sorted((project / "sources").glob("*.txt"))[0]
    victim.unlink()
    edited = sorted((project / "sources").glob("*.txt"))[0]
    edited.write_bytes(edited.read_bytes().replace(b"\n", b"\n\n", 1))
    expected_project = tmp_path / "expected"
    shutil.copytree(project, expected_project, symlinks=True)
    _run(expected_project)
    after = tree_hashes(expected_project / "docs")
    assert after != before

    outcomes = []
    for fraction in FRACTIONS:
        process = subprocess.Popen(_generate_cmd(project), cwd=project,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(duration * fraction)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        staging = docs / STAGING
        if (staging / COMMIT).exists():
            # Committed but not fully moved in: the next run (or mkdocs) rolls it forward.
            recover(docs, OWNED_FOLDERS)
            assert tree_hashes(docs) == after
            outcomes.append("committed")
        else:
            state = tree_hashes(docs)
            assert state in (before, after), "a killed run must leave the previous output (or the finished new one)"
            outcomes.append("previous" if state == before else "finished")
        if tree_hashes(docs) == after:
            break  # later kills would only test an unchanged tree

    assert outcomes[0] == "previous", outcomes  # killed at once
    build = mkdocs_build(project)
    assert build.returncode == 0, build.stdout + build.stderr
    _run(project)
    assert tree_hashes(docs) == after
    assert not (docs / STAGING).exists()


def _children(pid: int) -> set[int]:
    """Live (not zombie) processes whose parent is ``pid``, from /proc."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            state, parent = stat.rsplit(")", 1)[1].split()[:2]
            if int(parent) == pid and state != "Z":
                found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        stat = (Path("/proc") / str(pid) / "stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has ended; only its exit status is left


def _poll(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


PROC = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")


@PROC
def test_workers_end_with_a_killed_parent(tmp_path):
    corpus = tmp_path / "corpus"
    make_corpus(160, corpus, seed=11)  # above parallel.MIN_ITEMS: parsing runs in forked workers
    project = copy_project(tmp_path / "project", corpus)
    log = tmp_path / "stderr.txt"
    with open(log, "wb") as stderr:  # the workers share it: what they print on the way out shows here
        process = subprocess.Popen([*_generate_cmd(project), "--no-cache", "-j", "2"], cwd=project,
                                   stdout=subprocess.DEVNULL, stderr=stderr)
    _kill_and_check_workers(process)
    # Ended by the kernel, not by failing to send results to a dead parent.
    assert "Traceback" not in log.read_text(encoding="utf-8", errors="replace")


@PROC
@pytest.mark.parametrize("way", ["kernel", "watcher"])
def test_busy_workers_do_not_outlive_their_parent(way):
    """Workers in the middle of long work (here a minute per item) end when their parent is killed:
    through PR_SET_PDEATHSIG, or the watching thread used where the kernel offers none."""
    script = textwrap.dedent(f"""
        import time
        from reportkb import parallel
        if {way == "watcher"!r}:
            parallel._death_signal = lambda: False  # as on a system without PR_SET_PDEATHSIG
        for _ in parallel.map_ordered(lambda item: time.sleep(60), range(parallel.MIN_ITEMS), workers=2):
            pass
    """)
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _kill_and_check_workers(process)


def _kill_and_check_workers(process: subprocess.Popen) -> None:
    """Wait for the process's two workers, kill it with SIGKILL, and expect the workers gone (within 60 s)."""
    workers: set[int] = set()

    def started() -> bool:
        workers.update(_children(process.pid))  # the workers as first seen alive, before any could end
        return len(workers) >= 2

    try:
        assert _poll(started, 120), "the run never started its workers"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        # A generous bound: on a loaded machine the kernel and the watcher threads run late.
        assert _poll(lambda: not any(_alive(pid) for pid in workers), 60), \
            f"workers still running 60 s after their parent was killed: {sorted(p for p in workers if _alive(p))}"
    finally:
        process.kill()
        for pid in {p for p in workers if _alive(p)}:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
