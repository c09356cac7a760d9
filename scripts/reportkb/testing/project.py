"""Copies of the project for builds apart from its own docs/."""

from __future__ import annotations

import shutil
from pathlib import Path

from reportkb.config import PROJECT_ROOT
from reportkb.pages.registry import OWNED_FOLDERS
from reportkb.store.lock import LOCK
from reportkb.store.write import MANIFEST, STAGING

PROJECT_FILES = ("mkdocs.yml", "pyproject.toml", "scripts", "overrides")
"""Hand-written parts of the project a site build needs (besides docs/)."""


def copy_project(dest: Path, sources: Path | None = None) -> Path:
    """A copy of the project's hand-written parts in ``dest``, for builds apart from docs/.

    Generated folders are not copied, so every build starts clean; ``sources``,
    when given, is copied in as the project's sources/.
    """

    dest.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        src = PROJECT_ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.exists():
            shutil.copy2(src, dest / name)
    skip = set(OWNED_FOLDERS) | {MANIFEST, STAGING, LOCK}
    shutil.copytree(PROJECT_ROOT / "docs", dest / "docs",
                    ignore=lambda d, names: [n for n in names if Path(d) == PROJECT_ROOT / "docs" and n in skip])
    if sources is not None:
        shutil.copytree(sources, dest / "sources")
    return dest
