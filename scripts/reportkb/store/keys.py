"""What the caches are keyed by: versions of the program, of the parsing code, of a build.

A cached value is used only when everything that decides it is unchanged,
so these digests cover the code, the data files and the libraries; a change
to any of them misses the cache, and stale results are never used.
"""

from __future__ import annotations

import hashlib
import io
import pickle
import sys
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

CACHE_VERSION = "1"
"""Bumped by hand when the layout of cache entries changes."""
CACHE_DIR = ".kb-cache"
"""Name of the default cache folder, next to sources/."""
PACKAGE = Path(__file__).resolve().parents[1]
# The floors whose code decides what a source parses into: everything below
# the analysis floor.
PARSE_CODE = ("model.py", "errors.py", "text", "config", "store", "stages")
LIBRARIES = ("jieba", "numpy", "opencc-python-reimplemented", "python-docx", "charset-normalizer", "PyYAML", "lxml")


def default_cache_folder(sources: Path) -> Path:
    """The cache folder every entry uses unless told otherwise: beside the sources folder."""
    return sources.resolve().parent / CACHE_DIR


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


def _program_digest(data: Path) -> hashlib._Hash:
    """Digest of everything but the sources that decides the output: Python,
    library versions, this package's code and the data files."""
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


def content_digest(value: Any) -> str:
    """sha256 of a value's content: pickled in fast mode (no memo), so the
    digest depends on what the value holds, not on which parts share objects.
    For tuples, strings, numbers and frozen dataclasses of them (no sets)."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True
    pickler.dump(value)
    return hashlib.sha256(buffer.getvalue()).hexdigest()
