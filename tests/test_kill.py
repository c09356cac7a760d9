"""A generation killed with SIGKILL part-way leaves the previous output complete
(or a committed change that any next run, or mkdocs, finishes); the site still
builds strictly and the next run completes."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from reportkb.store.write import COMMIT, STAGING, recover
from reportkb.testing.corpus import make_corpus
from test_determinism import tree_hashes

from helpers import copy_project, mkdocs_build

FRACTIONS = (0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.98)


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
            recover(docs)
            assert tree_hashes(docs) == after
            outcomes.append("committed")
        else:
            state = tree_hashes(docs)
            assert state in (before, after), "a killed run must leave the previous output (or the finished new one)"
            outcomes.append("previous" if state == before else "finished")
        if tree_hashes(docs) == after:
            break  # later kills would only test an unchanged tree

    assert outcomes[0] == "previous", outcomes
    build = mkdocs_build(project)
    assert build.returncode == 0, build.stdout + build.stderr
    _run(project)
    assert tree_hashes(docs) == after
    assert not (docs / STAGING).exists()
