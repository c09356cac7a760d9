"""Atomic file writes: a reader sees the old file or the new one, never a part.

The bytes go to a temporary file in the same folder (so the rename cannot
cross file systems), are flushed (and, for output that must survive a power
cut, fsynced), and the file is moved into place with ``os.replace``. On any
failure the temporary file is removed, so a full disk leaves nothing behind.
"""

from __future__ import annotations

import os
import pickle
import time
from contextlib import suppress
from pathlib import Path
from typing import Any


def write_atomic(path: Path, data: bytes, durable: bool = True) -> None:
    """Replace ``path`` with ``data`` in one step; raises OSError (nothing is left on failure).

    ``durable``: fsync before the rename. Caches skip it: an entry lost in a
    power cut is only a miss, and thousands of fsyncs would cost seconds.
    """
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):
            tmp.unlink()
        raise


def store_pickle(path: Path, value: Any) -> bool:
    """Write a cache entry atomically; False (and nothing written) when it cannot be.

    A read-only or full disk, or a value that does not pickle, only costs speed.
    """
    try:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            write_atomic(path, data, durable=False)
        except FileNotFoundError:  # its folder is new: made only then (thousands of entries share a few)
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, data, durable=False)
        return True
    except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return False


def load_pickle(path: Path, default: Any = None, reuse: bool = False) -> Any:
    """A cache entry, or ``default`` when it is missing, damaged or from an incompatible Python.

    ``reuse``: a file this process has already read, and that is still the
    same file (inode, size, modification time), gives the value read then.
    Only for values nobody changes: ``mkdocs serve`` rebuilds in one process,
    and reading a thousand unchanged entries again costs a second per build.
    """
    try:
        if reuse:
            stat = os.stat(path)
            stamp = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
            known = _READ.get(str(path))
            if known is not None and known[0] == stamp:
                return known[1]
        with open(path, "rb") as handle:
            value = pickle.load(handle)
        # A file changed less than RACY_NS ago could change again within the
        # clock's resolution without its stamp changing (git's "racy" files).
        if reuse and time.time_ns() - stamp[2] > RACY_NS:
            if len(_READ) >= MAX_REUSED:
                _READ.clear()  # entries of files since replaced or removed: start afresh
            _READ[str(path)] = (stamp, value)
        return value
    except Exception:  # unpickling can raise almost anything on damaged data
        return default


RACY_NS = 2_000_000_000
MAX_REUSED = 50_000
"""Entries ``load_pickle`` keeps for reuse; about what two builds of 10,000 reports read."""
_READ: dict[str, tuple[tuple[int, int, int], Any]] = {}
