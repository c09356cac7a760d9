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
import io
import json
import os
import pickle
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

CACHE_VERSION = "1"
CACHE_DIR = ".kb-cache"
"""Name of the default cache folder, next to sources/."""


def default_cache_folder(sources: Path) -> Path:
    """The cache folder every entry uses unless told otherwise: beside the sources folder."""
    return sources.resolve().parent / CACHE_DIR
PACKAGE = Path(__file__).resolve().parents[1]
# The floors whose code decides what a source parses into: everything below
# the analysis floor.
PARSE_CODE = ("model.py", "errors.py", "text", "config", "store", "stages")


def _code_files(names: tuple[str, ...] = ()) -> list[Path]:
    """The package's Python files (or those under ``names``), in a fixed order."""
    files = sorted(PACKAGE.rglob("*.py"))
    if names:
        files = [f for f in files if f.relative_to(PACKAGE).parts[0] in names]
    return files


def code_version(extra: tuple[Path, ...] = ()) -> str:
    """Digest of the parsing code and the data files given."""
    digest = hashlib.sha256(CACHE_VERSION.encode())
    for path in _code_files(PARSE_CODE):
        digest.update(f"\0{path.relative_to(PACKAGE).as_posix()}\0".encode() + path.read_bytes())
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


# ---------------------------------------------------------------------------
# Whole-build memo: when nothing that decides the output has changed (code,
# data files, libraries, every source's name, bytes and read checks), the
# previous build is reused as is. Makes a no-change run — `mkdocs build` or
# `mkdocs serve` after `kb.py generate` — cost little more than reading the
# sources.

LIBRARIES = ("jieba", "opencc-python-reimplemented", "python-docx", "charset-normalizer", "PyYAML", "lxml")


def _program_digest(data: Path) -> "hashlib._Hash":
    """Digest of everything but the sources that decides the output: Python,
    library versions, this package's code and the data files."""
    import sys
    from importlib import metadata

    digest = hashlib.sha256(f"{CACHE_VERSION}\0{sys.version}".encode())
    for name in LIBRARIES:
        try:
            digest.update(f"\0{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"\0{name}=-".encode())
    for path in _code_files():
        digest.update(f"\0{path.relative_to(PACKAGE).as_posix()}\0".encode() + path.read_bytes())
    if data.is_dir():
        for path in sorted(p for p in data.rglob("*") if p.is_file()):
            digest.update(f"\0{path.relative_to(data).as_posix()}\0".encode() + path.read_bytes())
    return digest


def program_version(data: Path) -> str:
    return _program_digest(data).hexdigest()


def build_fingerprint(scanned: Sequence[Any], data: Path) -> str:
    """Digest of the program and of every source (``ingest.scan_sources``): name, hash, read checks."""
    digest = _program_digest(data)
    for f in scanned:
        digest.update(f"\0{f.source}\0{f.sha256 or '-'}\0{f.problems!r}".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


class BuildMemo:
    """The last build, under ``<cache>/build/<fingerprint>.pickle``.

    A reused build has a light index: its reports keep their metadata (id,
    source, title, year …) but not their text (blocks, sections, noise), and
    it has no annotations. Pages, navigation and problems are complete.

    Stored without its pages, only their sha256: on reuse the pages are read
    back from docs/ and used only if every one is exactly as written (and the
    manifest lists no other), else the caller builds afresh.
    """

    def __init__(self, folder: Path, fingerprint: str):
        self.folder = folder / "build"
        self.path = self.folder / f"{fingerprint}.pickle"

    def load(self, docs: Path) -> Any | None:
        from dataclasses import replace

        from reportkb.store.write import MANIFEST, STAGING

        try:
            with open(self.path, "rb") as handle:
                light, digests = pickle.load(handle)
            if (docs / STAGING).exists():
                return None
            manifest = json.loads((docs / MANIFEST).read_text(encoding="utf-8")).get("files")
            if sorted(manifest) != sorted(digests):
                return None
            pages: dict[str, str | bytes] = {}
            for rel, (sha, is_bytes) in digests.items():
                data = (docs / rel).read_bytes()
                if hashlib.sha256(data).hexdigest() != sha:
                    return None
                pages[rel] = data if is_bytes else data.decode("utf-8")
            return replace(light, pages=pages)
        except Exception:  # missing, damaged, or docs/ changed: build afresh
            return None

    def store(self, built: Any) -> None:
        from dataclasses import replace

        digests = {rel: (hashlib.sha256(page if isinstance(page, bytes) else page.encode("utf-8")).hexdigest(),
                         isinstance(page, bytes)) for rel, page in built.pages.items()}
        # Only what a reused build is read for (counts, navigation, problems): the
        # reports' text and the annotations would make storing it cost half a second.
        index = built.index
        light = replace(index, annotations={},
                        reports=tuple(replace(r, blocks=(), sections=(), noise=()) for r in index.reports))
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
            tmp.write_bytes(pickle.dumps((replace(built, pages={}, index=light), digests), protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(tmp, self.path)
            for other in self.folder.iterdir():
                if other != self.path and not other.name.endswith(".tmp"):
                    other.unlink(missing_ok=True)
        except (OSError, pickle.PicklingError, TypeError, AttributeError):
            pass  # only costs speed


# ---------------------------------------------------------------------------
# Derived-result memo: results of pure per-report (and per-pair) work kept
# between runs, so that adding one report to a large corpus recomputes only
# what involves that report. Corpus-wide pages are still built afresh from
# them, so the output is the same as a build without any cache.


def content_digest(value: Any) -> str:
    """sha256 of a value's content: pickled in fast mode (no memo), so the
    digest depends on what the value holds, not on which parts share objects.
    For tuples, strings, numbers and frozen dataclasses of them (no sets)."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True
    pickler.dump(value)
    return hashlib.sha256(buffer.getvalue()).hexdigest()


class Memo:
    """``get(kind, key, compute)`` runs ``compute()`` once per key, across runs.

    Only for pure computations whose inputs are all named by the key or
    covered by the program version (code, data files, libraries): a stored
    value is then exactly what ``compute()`` would return. Keys are hex
    digests, or tuples that start with one.

    Entries live under ``<cache>/memo/<kind>/<version>/``: small values in 16
    shard files by the key's first digit, loaded on first use; kinds listed in
    ``spread`` (large values such as whole pages) in a file per key. Either
    way a run rewrites only the files whose entries changed, and ``save``
    drops entries this run did not use and other versions. Without a folder
    nothing is remembered. Like the parse cache it is safe to delete.
    """

    def __init__(self, folder: Path | None = None, version: str = "", spread: tuple[str, ...] = (), workers: int = 1):
        self.folder = folder / "memo" if folder else None
        self.version = version
        self.spread = spread
        self.workers = workers
        """Processes ``get_many`` may use for the values it has to compute."""
        self._stores: dict[str, dict] = {}
        self._loaded: dict[str, dict[str, int]] = {}
        """kind → shard → number of entries read from its file."""
        self._used: dict[str, set] = {}
        self._changed: set[tuple[str, str]] = set()
        self._report_keys: dict[str, tuple[Any, str]] = {}
        self.hits = 0
        self.misses = 0

    def _folder(self, kind: str) -> Path:
        return self.folder / kind / self.version[:16]

    @staticmethod
    def _shard(key: Any) -> str:
        first = key if isinstance(key, str) else key[0]
        return first[:1] if isinstance(first, str) and first else "_"

    def _store(self, kind: str) -> dict:
        store = self._stores.get(kind)
        if store is None:
            store, loaded = {}, {}
            if kind not in self.spread:
                for path in sorted(self._folder(kind).glob("*.pickle")):
                    try:
                        with open(path, "rb") as handle:
                            version, stored = pickle.load(handle)
                    except Exception:  # damaged or from another Python: as if missing
                        continue
                    if version == self.version and isinstance(stored, dict):
                        store.update(stored)
                        loaded[path.stem] = len(stored)
            self._stores[kind] = store
            self._loaded[kind] = loaded
            self._used[kind] = set()
        return store

    def _spread_path(self, kind: str, key: str) -> Path:
        return self._folder(kind) / key[:2] / f"{key}.pickle"

    def get(self, kind: str, key: Any, compute: Callable[[], Any]) -> Any:
        value = self._lookup(kind, key)
        return value if value is not _MISSING else self._put(kind, key, compute())

    def _put(self, kind: str, key: Any, value: Any) -> Any:
        """Remember a value just computed (nothing without a folder); returns it."""
        if self.folder is None:
            return value
        self.misses += 1
        self._store(kind)[key] = value
        self._used[kind].add(key)
        if kind in self.spread:
            _write_atomic(self._spread_path(kind, key), value)
        else:
            self._changed.add((kind, self._shard(key)))
        return value

    def get_many(self, kind: str, jobs: list[tuple[Any, Callable[[], Any]]]) -> list[Any]:
        """``get`` for many (key, compute) pairs; the missing values are computed in parallel
        (``parallel.map_ordered``), so ``compute`` must be pure and its result picklable."""
        from reportkb.parallel import map_ordered

        found: dict[int, Any] = {}
        missing: list[int] = []
        for position, (key, _) in enumerate(jobs):
            value = self._lookup(kind, key)
            if value is _MISSING:
                missing.append(position)
            else:
                found[position] = value
        computed = map_ordered(lambda position: jobs[position][1](), missing, self.workers)
        for position, value in zip(missing, computed):
            found[position] = self._put(kind, jobs[position][0], value)
        return [found[position] for position in range(len(jobs))]

    def _lookup(self, kind: str, key: Any) -> Any:
        """The stored value (marked used), or _MISSING."""
        if self.folder is None:
            return _MISSING
        store = self._store(kind)
        if key in store:
            self._used[kind].add(key)
            self.hits += 1
            return store[key]
        if kind in self.spread:
            try:
                with open(self._spread_path(kind, key), "rb") as handle:
                    store[key] = value = pickle.load(handle)
                self._used[kind].add(key)
                self.hits += 1
                return value
            except Exception:  # missing or damaged: compute
                pass
        return _MISSING

    def report_key(self, report: Any) -> str:
        """Content digest of a report (computed once per report object)."""
        known = self._report_keys.get(report.id)
        if known is not None and known[0] is report:
            return known[1]
        key = content_digest(report)
        self._report_keys[report.id] = (report, key)
        return key

    def save(self) -> None:
        """Write what changed; entries not used by this run are dropped."""
        if self.folder is None:
            return
        for kind in sorted(self._stores):
            current = self._folder(kind)
            for other in (self.folder / kind).glob("*"):
                if other != current:
                    shutil.rmtree(other, ignore_errors=True)
            used = self._used[kind]
            if kind in self.spread:
                for path in current.glob("*/*"):
                    if path.name.endswith(".tmp") or path.stem not in used:
                        path.unlink(missing_ok=True)
                continue
            shards: dict[str, list] = {}
            for key in used:
                shards.setdefault(self._shard(key), []).append(key)
            loaded = self._loaded[kind]
            for shard in sorted(set(shards) | set(loaded)):
                keys = shards.get(shard, [])
                if (kind, shard) not in self._changed and len(keys) == loaded.get(shard, 0):
                    continue  # same entries as on disk
                path = current / f"{shard}.pickle"
                if keys:
                    store = self._stores[kind]
                    _write_atomic(path, (self.version, {key: store[key] for key in keys}))
                else:
                    path.unlink(missing_ok=True)


def _write_atomic(path: Path, value: Any) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, path)
    except (OSError, pickle.PicklingError):
        pass  # a read-only or full disk only costs speed


_MISSING = object()
NO_MEMO = Memo()
"""Remembers nothing: every ``get`` computes."""
