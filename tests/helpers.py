"""Helpers shared by the tests: paths, project copies, real builds, tree hashes, screenshots."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from reportkb.testing.project import copy_project as _copy_project

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
ARTIFACTS = ROOT / "tests" / "artifacts"
BROWSER_TIMEOUT_MS = 120_000
"""Playwright's waits (30 s by default) are bounded generously: a loaded machine
only makes them last longer, a real failure still ends the test."""


def copy_project(dest: Path, sources: Path | None = None) -> Path:
    """A copy of the project (hand-written docs, scripts, config) with ``sources``
    or the sample corpus; generated folders are left out so each build starts clean."""
    return _copy_project(dest, sources or ROOT / "sources")


def sample_sources_and_docs(tmp_path: Path) -> tuple[Path, Path]:
    """sources/ with the sample reports and a docs/ holding one hand-written page, in tmp_path."""
    sources = tmp_path / "sources"
    shutil.copytree(ROOT / "sources", sources)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# 手写首页\n", encoding="utf-8")
    return sources, docs


def mkdocs_build(project: Path, strict: bool = True) -> subprocess.CompletedProcess:
    """Run a real ``mkdocs build`` in ``project``; output is kept for assertions."""
    cmd = [sys.executable, "-m", "mkdocs", "build", "-d", "site"] + (["--strict"] if strict else [])
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run(cmd, cwd=project, capture_output=True, text=True, env=env, timeout=600)


def tree_hashes(docs: Path) -> dict[str, str]:
    """sha256 of every generated file (and the manifest), by path relative to docs/."""
    from reportkb.pages.registry import OWNED_FOLDERS
    from reportkb.store.write import MANIFEST

    out = {}
    for folder in OWNED_FOLDERS:
        for path in sorted((docs / folder).rglob("*")):
            if path.is_file():
                out[path.relative_to(docs).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    out[MANIFEST] = hashlib.sha256((docs / MANIFEST).read_bytes()).hexdigest()
    return out


def browser_context(browser, **options):
    """A new Chromium context (1280×900) whose waits and navigations use BROWSER_TIMEOUT_MS."""
    context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **options})
    context.set_default_timeout(BROWSER_TIMEOUT_MS)
    context.set_default_navigation_timeout(BROWSER_TIMEOUT_MS)
    return context


def screenshot(tab, name: str) -> Path:
    """Save a screenshot under tests/artifacts/ for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    tab.screenshot(path=str(path), full_page=False)
    return path
