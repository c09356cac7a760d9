"""Atomic file writes: a reader sees the old file or the new one, never a part.

The bytes go to a temporary file in the same folder (so the rename cannot
cross file systems), are flushed (and, for output that must survive a power
cut, fsynced), and the file is moved into place with ``os.replace``. On any
failure the temporary file is removed, so a full disk leaves nothing behind.
"""

from __future__ import annotations

import os
import pickle
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
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, data, durable=False)
        return True
    except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return False


def load_pickle(path: Path, default: Any = None) -> Any:
    """A cache entry, or ``default`` when it is missing, damaged or from an incompatible Python."""
    try:
        with open(path, "rb") as handle:
            return pickle.load(handle)
    except Exception:  # unpickling can raise almost anything on damaged data
        return default
