"""Content-hash cache of parsed sources, kept between runs.

One pickle per source file under ``<cache>/parse/``, keyed by the file's
sha256, its name in sources/ and the parsing code's version
(``keys.code_version``, which covers ``noise.yml`` too).

The folder is safe to delete at any time (the next run re-parses). An entry
that is damaged, half-written, or unpickles into anything but a parse entry
(``ParseEntry``) counts as missing. Entries are written atomically, so a run
killed mid-write leaves no partial entry. Only this program writes the
folder; it is local, never published.
"""

from __future__ import annotations

import hashlib
from contextlib import suppress
from dataclasses import fields
from pathlib import Path

from reportkb.model import Block, NoiseBlock, Problem, Report, Section
from reportkb.store.atomic import load_pickle, store_pickle

ParseEntry = tuple[bool, tuple[Problem, ...], tuple[Report, ...]]
"""What a source parsed into: (usable, problems, reports)."""


def _complete(value: object, cls: type) -> bool:
    """An instance of ``cls`` carrying every field (a pickle can hold one without)."""
    return isinstance(value, cls) and all(hasattr(value, f.name) for f in fields(cls))


def _all(values: object, cls: type) -> bool:
    return isinstance(values, tuple) and all(_complete(v, cls) for v in values)


def is_parse_entry(value: object) -> bool:
    """True when ``value`` has the shape of a ``ParseEntry`` all the way down to blocks and sections."""
    if not (isinstance(value, tuple) and len(value) == 3):
        return False
    ok, problems, reports = value
    return (isinstance(ok, bool) and _all(problems, Problem) and _all(reports, Report)
            and all(_all(r.blocks, Block) and _all(r.sections, Section) and _all(r.noise, NoiseBlock)
                    for r in reports))


class ParseCache:
    """get/put of per-source results; ``prune`` drops entries this run did not use."""

    def __init__(self, folder: Path, version: str):
        self.folder = folder / "parse"
        self.version = version
        self.used: set[str] = set()
        self.hits = 0
        self.misses = 0

    def key(self, source: str, sha256: str) -> str:
        return hashlib.sha256(f"{self.version}\0{source}\0{sha256}".encode("utf-8", "surrogateescape")).hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.pickle"

    def get(self, source: str, sha256: str) -> ParseEntry | None:
        key = self.key(source, sha256)
        self.used.add(key)
        # Stored with its key, so a file copied under another entry's name is a miss too.
        stored = load_pickle(self._path(key), reuse=True)
        if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == key and is_parse_entry(stored[1]):
            self.hits += 1
            return stored[1]
        self.misses += 1
        return None

    def put(self, source: str, sha256: str, value: ParseEntry) -> None:
        key = self.key(source, sha256)
        self.used.add(key)
        store_pickle(self._path(key), (key, value))

    def prune(self) -> None:
        """Remove entries (and leftover temporary files) not used by this run."""
        if not self.folder.is_dir():
            return
        for path in self.folder.glob("*/*"):
            if path.name.endswith(".tmp") or path.stem not in self.used:
                with suppress(OSError):
                    path.unlink()
