"""Shared fixtures: the package on sys.path, project copies and real builds."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

FIXTURES = ROOT / "tests" / "fixtures"
# Hand-written parts of the project a site build needs.
PROJECT_FILES = ("mkdocs.yml", "scripts", "overrides")


def copy_project(dest: Path, sources: Path | None = None) -> Path:
    """A copy of the project (hand-written docs, scripts, config) in ``dest``.

    Generated folders are not copied, so every build in a test starts clean.
    ``sources`` replaces the sample corpus when given.
    """
    from reportkb.write import MANIFEST, OWNED_DIRS, STAGING

    dest.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.exists():
            shutil.copy2(src, dest / name)
    skip = set(OWNED_DIRS) | {MANIFEST, STAGING}
    shutil.copytree(ROOT / "docs", dest / "docs", ignore=lambda d, names: [n for n in names if Path(d) == ROOT / "docs" and n in skip])
    shutil.copytree(sources or ROOT / "sources", dest / "sources")
    return dest


def mkdocs_build(project: Path, strict: bool = True) -> subprocess.CompletedProcess:
    """Run a real ``mkdocs build`` in ``project``; output is kept for assertions."""
    cmd = [sys.executable, "-m", "mkdocs", "build", "-d", "site"] + (["--strict"] if strict else [])
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run(cmd, cwd=project, capture_output=True, text=True, env=env, timeout=600)


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The sample corpus built once with ``mkdocs build --strict``."""
    project = copy_project(tmp_path_factory.mktemp("sample") / "project")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project


@pytest.fixture(scope="session")
def gold() -> dict:
    return yaml.safe_load((FIXTURES / "gold.yml").read_text(encoding="utf-8"))["files"]
