"""Work on several cores: ordered maps that run side by side, and memo values computed ahead of their use."""

from __future__ import annotations

import os
from functools import partial

import pytest

from reportkb import parallel
from reportkb.store.memo import Batch, Memo

STATE = {"phase": "before", "prepared": 0}
"""Module state a forked worker sees as it was when it was forked."""

@pytest.fixture(autouse=True)
def _fresh_state():
    STATE.update(phase="before", prepared=0)
    yield
    assert not parallel._JOBS, "every map's function is dropped when it ends"


def _tagged(n: int) -> tuple[int, str, bool]:
    """n squared, the phase this process saw and whether it runs in a worker."""
    return n * n, STATE["phase"], os.getpid() != MAIN


MAIN = os.getpid()


def test_two_ordered_maps_run_side_by_side_and_keep_their_order():
    items = range(parallel.MIN_ITEMS * 2)
    with parallel.OrderedMap(_tagged, items, 2) as first, parallel.OrderedMap(lambda n: -n, items, 2) as second:
        seconds = list(second)  # the later map read first
        firsts = list(first)
    assert seconds == [-n for n in items]
    assert firsts == [(n * n, "before", True) for n in items]


def _jobs(count: int, offset: int = 0) -> list:
    return [(f"{n + offset:064x}", partial(_tagged, n + offset)) for n in range(count)]


def _prepare() -> None:
    STATE["prepared"] += 1


@pytest.fixture
def memo(tmp_path):
    memo = Memo(tmp_path, "v1", workers=2)
    yield memo
    memo.end_early()  # even when the test failed: no workers left holding the session's pipes


def test_values_computed_early_are_taken_by_the_later_get_many(memo):
    count = parallel.MIN_ITEMS
    stored = _jobs(count)[:5]
    for key, compute in stored:  # known from an earlier run: not computed again
        memo.get("a", key, compute)
    memo.hits = memo.misses = 0
    a, b = _jobs(count), _jobs(count, offset=count)
    memo.compute_early([Batch("a", a, _prepare), Batch("b", b)])
    STATE["phase"] = "after"  # what a worker forked from now on would see
    got_b = memo.get_many("b", b)  # asked for out of order: a's values are kept meanwhile
    got_a = memo.get_many("a", a, _prepare)
    assert got_b == [(n * n, "before", True) for n in range(count, 2 * count)]
    assert got_a[:5] == [(n * n, "before", False) for n in range(5)]  # from the memo
    assert got_a[5:] == [(n * n, "before", True) for n in range(5, count)]  # computed early, in workers
    assert STATE["prepared"] == 0  # the early workers load what they need themselves; this process goes on
    assert (memo.hits, memo.misses) == (5, 2 * count - 5)  # as without computing early


def test_a_get_many_with_other_keys_computes_its_own(memo):
    count = parallel.MIN_ITEMS
    memo.compute_early([Batch("a", _jobs(count)), Batch("b", _jobs(count))])
    STATE["phase"] = "after"
    other = _jobs(count, offset=1)
    assert memo.get_many("a", other) == [(n * n, "after", True) for n in range(1, count + 1)]
    assert memo.get_many("b", _jobs(count)) == [(n * n, "before", True) for n in range(count)]


def test_few_values_are_not_computed_early(memo):
    memo.compute_early([Batch("a", _jobs(3), _prepare)])
    assert STATE["prepared"] == 0
    assert memo.get_many("a", _jobs(3)) == [(n * n, "before", False) for n in range(3)]
