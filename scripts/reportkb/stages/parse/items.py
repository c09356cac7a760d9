"""Run-in list items: 一是…二是…三是… are headings only as part of a run.

The line splitter marks every 一是 that starts a sentence as a candidate.
Here the candidates of one parent section are read in order and cut into
runs of rising numbers (一是, 二是, 三是; a jump such as 一是, 三是 is kept as
written). A run of two or more items is listed; a lone 一是 — one whose
excerpt ends before any 二是 — goes back to being body text.
"""

from __future__ import annotations

from collections.abc import Sequence


def keep_runs(candidates: Sequence[tuple[int | None, int]]) -> set[int]:
    """Positions (into ``candidates``) of the items that belong to a run.

    ``candidates``: (parent key, item number) in document order; the parent
    key is the section the item was found in.
    """
    kept: set[int] = set()
    run: list[int] = []
    last_parent: object = object()
    last_value = 0

    def close() -> None:
        if len(run) >= 2:
            kept.update(run)

    for i, (parent, value) in enumerate(candidates):
        if parent != last_parent or value <= last_value:
            close()
            run = []
        run.append(i)
        last_parent, last_value = parent, value
    close()
    return kept
