"""Run a pure function over many items on several cores, results in input order.

Worker processes are forked, so they inherit the function and its inputs
(closures included) and only results travel back, pickled. Used for
per-report work when generation runs from the command line; the MkDocs hook
keeps to one process, because ``mkdocs serve`` runs threads and forking a
threaded process is unsafe. Small batches run in this process: starting
workers costs more than it saves.
"""

from __future__ import annotations

import multiprocessing
import os
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
        with multiprocessing.get_context("fork").Pool(min(workers, len(items))) as pool:
            chunk = max(1, min(32, len(items) // (workers * 8)))
            yield from pool.imap(_run, range(len(items)), chunksize=chunk)
    finally:
        _JOB = None
