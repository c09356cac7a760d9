"""Content-hash cache of parsed sources, kept between runs.

One pickle per source file under ``<cache>/parse/``, keyed by the file's
sha256, its name in sources/, and a version made of ``CACHE_VERSION``, the
code of every module that reads or parses a source, and ``noise.yml``: a
change to any of them misses the cache, so stale results are never used.

The folder is safe to delete at any time (the next run re-parses). A damaged
or half-written entry is treated as missing. Entries are written atomically
(temporary file + rename), so a run killed mid-write leaves no partial entry.
Only this program writes the folder; it is local, never published.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import Any

CACHE_VERSION = "1"
# Modules whose code decides what a source parses into.
CODE_MODULES = ("model", "textnorm", "markup", "settings", "ingest", "clean", "parse", "privacy", "cache")
PACKAGE = Path(__file__).resolve().parent


def code_version(extra: tuple[Path, ...] = ()) -> str:
    """Digest of the parsing code and the data files given."""
    digest = hashlib.sha256(CACHE_VERSION.encode())
    for name in CODE_MODULES:
        digest.update((PACKAGE / f"{name}.py").read_bytes())
    for path in extra:
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"<missing>")
    return digest.hexdigest()


class ParseCache:
    """get/put of per-source results; ``prune`` drops entries this run did not use."""

    def __init__(self, folder: Path, version: str):
        self.folder = folder / "parse"
        self.version = version
        self.used: set[str] = set()
        self.hits = 0
        self.misses = 0

    def key(self, source: str, sha256: str) -> str:
        return hashlib.sha256(f"{self.version}\0{source}\0{sha256}".encode("utf-8")).hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.pickle"

    def get(self, source: str, sha256: str) -> Any | None:
        key = self.key(source, sha256)
        self.used.add(key)
        try:
            with open(self._path(key), "rb") as handle:
                value = pickle.load(handle)
        except Exception:  # missing, damaged, or from an incompatible Python: a miss
            self.misses += 1
            return None
        self.hits += 1
        return value

    def put(self, source: str, sha256: str, value: Any) -> None:
        key = self.key(source, sha256)
        self.used.add(key)
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
            tmp.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(tmp, path)
        except OSError:
            pass  # a read-only or full disk only costs speed

    def prune(self) -> None:
        """Remove entries (and leftover temporary files) not used by this run."""
        if not self.folder.is_dir():
            return
        for path in self.folder.glob("*/*"):
            if path.name.endswith(".tmp") or path.stem not in self.used:
                try:
                    path.unlink()
                except OSError:
                    pass
