"""Run a pure function over many items on several cores, results in input order.

Worker processes are forked, so they inherit the function and its inputs
(closures included) and only results travel back, pickled. Used for
per-report work when generation runs from the command line or from a
one-off ``mkdocs build``; under ``mkdocs serve`` the hook keeps to one
process, because serve runs threads and forking a threaded process is
unsafe. Small batches run in this process: starting workers costs more
than it saves. Several maps may run at once (``OrderedMap``).

Workers end with their parent, however it ends (``kill -9`` included): on
Linux the kernel kills them (``PR_SET_PDEATHSIG``); elsewhere a thread in each
worker notices that its parent is gone. Otherwise a killed run's workers stay
blocked on the task queue, holding memory, for as long as the machine runs.
"""

from __future__ import annotations

import ctypes
import itertools
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

_JOBS: dict[int, tuple[Callable[[Any], Any], Sequence[Any]]] = {}
"""The function and items of each running map, by its number; set before forking, read by the workers."""


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


def _run(task: tuple[int, int]) -> Any:
    job, position = task
    func, items = _JOBS[job]
    return func(items[position])


def map_ordered(func: Callable[[Any], Any], items: Sequence[Any], workers: int = 1) -> Iterator[Any]:
    """``func(item)`` for every item, yielded in order; in ``workers`` forked processes when worthwhile."""
    if not worthwhile(len(items), workers):
        yield from (func(item) for item in items)
        return
    with OrderedMap(func, items, workers) as results:
        yield from results


def worthwhile(items: int, workers: int) -> bool:
    """Whether ``items`` items are spread over forked workers (else they run in this process)."""
    return workers >= 2 and items >= MIN_ITEMS and "fork" in multiprocessing.get_all_start_methods()


class OrderedMap:
    """``func(item)`` for every item in ``workers`` forked processes, started at once; iterate for the
    results, in order. The workers go on while this process does other work; ``close`` ends them."""

    def __init__(self, func: Callable[[Any], Any], items: Sequence[Any], workers: int) -> None:
        self._job = next(_NUMBERS)
        _JOBS[self._job] = (func, items)  # until close: a worker the pool starts again forks with it too
        try:
            self._pool = multiprocessing.get_context("fork").Pool(
                min(workers, len(items)), initializer=die_with_parent, initargs=(os.getpid(),))
        except BaseException:
            del _JOBS[self._job]
            raise
        chunk = max(1, min(32, len(items) // (workers * 8)))
        self._results = self._pool.imap(_run, ((self._job, n) for n in range(len(items))), chunksize=chunk)

    def __iter__(self) -> Iterator[Any]:
        return self._results

    def close(self) -> None:
        self._pool.terminate()
        _JOBS.pop(self._job, None)

    def __enter__(self) -> OrderedMap:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_NUMBERS = itertools.count()
