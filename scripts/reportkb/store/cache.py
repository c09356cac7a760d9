"""The caches kept between runs, under one folder (default ``.kb-cache`` beside sources/):

* ``parse/`` — parsed sources by content hash (``parse_cache.ParseCache``);
* ``memo/`` — results of pure per-report work (``memo.Memo``);
* ``build/`` — the last whole build, reused when nothing changed (``build_memo.BuildMemo``).

Each is keyed by the versions in ``keys``, so stale results are never used;
a damaged entry, or one of the wrong shape, counts as missing; entries are
written atomically. The folder is safe to delete at any time. This module is
the one the rest of the package imports from.
"""

from __future__ import annotations

from pathlib import Path

from reportkb.store.atomic import load_pickle
from reportkb.store.build_memo import BuildMemo, BuildSummary, ReportRef, StoredBuild
from reportkb.store.keys import (
    CACHE_DIR,
    CACHE_VERSION,
    build_fingerprint,
    code_version,
    content_digest,
    default_cache_folder,
    program_version,
)
from reportkb.store.memo import NO_MEMO, Memo
from reportkb.store.parse_cache import ParseCache, ParseEntry

__all__ = [
    "CACHE_DIR", "CACHE_VERSION", "NO_MEMO", "BuildMemo", "BuildSummary", "Memo", "ParseCache", "ParseEntry",
    "ReportRef", "StoredBuild", "build_fingerprint", "code_version", "content_digest", "default_cache_folder",
    "program_version", "read_ahead",
]


def read_ahead(folder: Path) -> int:
    """Read every parse and memo entry of the cache ``folder`` into this process's reuse table (``load_pickle``).

    For ``mkdocs serve``, while it waits: its next build then finds what it
    reads already in memory (each file still checked for being the same
    file), instead of reading a thousand entries when a report is dropped
    in. Returns how many files were read.
    """
    paths = sorted(p for part in ("parse", "memo") for p in (folder / part).rglob("*.pickle"))
    for path in paths:
        load_pickle(path, reuse=True)
    return len(paths)
