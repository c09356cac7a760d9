"""Where generation reads and writes: the project root, the data folder, ``Settings``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# config/paths.py -> config -> reportkb -> scripts -> the project root.
PROJECT_ROOT = Path(__file__).resolve().parents[3]
DATA_DIR = PROJECT_ROOT / "scripts" / "data"


@dataclass(frozen=True)
class Settings:
    """Where generation reads and writes."""

    sources: Path
    docs: Path
    data: Path = DATA_DIR
    cache: Path | None = None
    """Folder for the parse cache; None disables caching."""
    workers: int = 1
    """Processes for per-report work (parallel.py); the command line uses every core."""


def display_path(path: Path) -> str:
    """``path`` as a maintainer types it: relative to the project root when inside it."""
    try:
        return path.resolve().relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return str(path)
