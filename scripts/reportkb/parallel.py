"""Run a pure function over many items on several cores, results in input order.

Worker processes are forked, so they inherit the function and its inputs
(closures included) and only results travel back, pickled. Used for
per-report work when generation runs from the command line; the MkDocs hook
keeps to one process, because ``mkdocs serve`` runs threads and forking a
threaded process is unsafe. Small batches run in this process: starting
workers costs more than it saves.

Workers end with their parent, however it ends (``kill -9`` included): on
Linux the kernel kills them (``PR_SET_PDEATHSIG``); elsewhere a thread in each
worker notices that its parent is gone. Otherwise a killed run's workers stay
blocked on the task queue, holding memory, for as long as the machine runs.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

MIN_ITEMS = 64
"""Fewer items than this run in this process."""
MAX_WORKERS = 8

_JOB: tuple[Callable[[Any], Any], Sequence[Any]] | None = None
"""The function and items of the running map; set before forking, read by the workers."""


def default_workers() -> int:
    """The cores this process may use (at most MAX_WORKERS)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_WORKERS))


PR_SET_PDEATHSIG = 1
WATCH_SECONDS = 0.5
"""How often a worker without PR_SET_PDEATHSIG looks whether its parent is still there."""


def die_with_parent(parent: int) -> None:
    """In a forked worker (a pool initializer, or called first): end this process when ``parent`` ends."""
    if not _death_signal() or os.getppid() != parent:
        # No kernel help, or the parent died before the signal was armed.
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="watch-parent").start()


def _death_signal() -> bool:
    """Ask Linux to SIGKILL this process when its parent ends; False where that cannot be had."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_SECONDS)
    os._exit(1)  # orphaned: nobody will read our results


def _run(position: int) -> Any:
    func, items = _JOB
    return func(items[position])


def map_ordered(func: Callable[[Any], Any], items: Sequence[Any], workers: int = 1) -> Iterator[Any]:
    """``func(item)`` for every item, yielded in order; in ``workers`` forked processes when worthwhile."""
    global _JOB
    if workers < 2 or len(items) < MIN_ITEMS or "fork" not in multiprocessing.get_all_start_methods():
        yield from (func(item) for item in items)
        return
    _JOB = (func, items)
    try:
        with multiprocessing.get_context("fork").Pool(min(workers, len(items)), initializer=die_with_parent,
                                                 initargs=(os.getpid(),)) as pool:
            chunk = max(1, min(32, len(items) // (workers * 8)))
            yield from pool.imap(_run, range(len(items)), chunksize=chunk)
    finally:
        _JOB = None
