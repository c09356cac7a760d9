"""One generation at a time per output folder.

Two ``kb.py generate`` at once, or one while ``mkdocs serve`` regenerates,
would otherwise stage into the same ``docs/.kb-staging``. The lock is an
``flock`` on ``docs/.kb-lock``: the kernel drops it when its holder ends,
however it ends, so a killed run never leaves a stale lock. The file is
created once and then only opened, never written, so ``mkdocs serve`` (which
watches docs/) sees no change. mkdocs skips dot files, so it is not published.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from reportkb.errors import BusyError

try:
    import fcntl
except ImportError:  # not on this platform: runs are not serialised
    fcntl = None

LOCK = ".kb-lock"
WAIT_SECONDS = 900.0
"""How long a run waits for another one before giving up (a large corpus takes minutes)."""
POLL_SECONDS = 0.05


def _tell(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _open(path: Path) -> int | None:
    """A descriptor for the lock file, or None where none can be had (a read-only docs/
    without one: nothing can be written there anyway, and the writer says so)."""
    with suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
    for flags in (os.O_RDWR | os.O_CREAT, os.O_RDONLY):
        try:
            # Never through a symbolic link: nothing is created outside docs/.
            return os.open(path, flags | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0), 0o644)
        except OSError:
            continue
    return None


@contextmanager
def exclusive(docs: Path, timeout: float = WAIT_SECONDS, tell: Callable[[str], None] = _tell) -> Iterator[None]:
    """Hold the output folder's lock for the block; wait up to ``timeout`` seconds for it.

    ``tell`` is called once, with a Chinese message, when the run has to wait.
    Raises BusyError when the lock is still held after ``timeout``.
    """
    path = docs / LOCK
    fd = _open(path) if fcntl is not None else None
    if fd is None:
        yield
        return
    try:
        if not _try_lock(fd):
            tell(f"另一次生成正在进行，等待…（{path}）")
            deadline = time.monotonic() + timeout
            while not _try_lock(fd):
                if time.monotonic() >= deadline:
                    raise BusyError(f"另一次生成（kb.py generate 或 mkdocs serve）已占用 {docs} 超过 {timeout:.0f} 秒"
                                    f"（锁文件 {path}）。请等它结束后重新运行；可用 ps 查看还在运行的 kb.py 或 mkdocs。")
                time.sleep(POLL_SECONDS)
        yield
    finally:
        os.close(fd)  # releases the lock


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    except OSError:  # a file system without locks: go on unserialised rather than fail
        return True
