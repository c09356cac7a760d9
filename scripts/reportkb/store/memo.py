"""Derived-result memo: results of pure per-report (and per-pair) work kept between runs.

So that adding one report to a large corpus recomputes only what involves
that report. Corpus-wide pages are still built afresh from these results,
so the output is the same as a build without any cache.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportkb.store.atomic import load_pickle, store_pickle
from reportkb.store.keys import content_digest

_MISSING = object()


@dataclass(frozen=True)
class Batch:
    """The jobs of one ``get_many`` call, given to ``Memo.compute_early`` before the call."""

    kind: str
    jobs: list[tuple[Any, Callable[[], Any]]]
    prepare: Callable[[], None] | None = None
    """As ``get_many``'s; ``compute_early`` does not run it (its workers load what they need themselves)."""


class _Early:
    """The values ``compute_early`` computes, batch after batch in one stream, taken batch by batch."""

    def __init__(self, results: Any, batches: list[tuple[str, list[Any]]]) -> None:
        self._results = results
        self._stream = iter(results)
        self._ahead = list(batches)
        """Batches (kind, keys) whose values are still in the stream, in order."""
        self._taken: dict[str, tuple[list[Any], list[Any]]] = {}
        """kind → (keys, values) read from the stream before their kind was asked for."""

    def take(self, kind: str, keys: list[Any]) -> list[Any] | None:
        """The values of batch ``kind`` if its keys are ``keys`` (None otherwise, or if there is no such batch)."""
        if kind in self._taken:
            known, values = self._taken.pop(kind)
            return values if known == keys else None
        if all(ahead != kind for ahead, _ in self._ahead):
            return None
        while self._ahead:
            ahead, known = self._ahead.pop(0)
            values = [next(self._stream) for _ in known]
            if ahead == kind:
                return values if known == keys else None
            self._taken[ahead] = (known, values)
        return None

    def close(self) -> None:
        self._results.close()


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
    drops entries this run did not use and other versions. Every file carries
    the version (and a spread file its key): one that does not, or does not
    unpickle, counts as missing. Without a folder nothing is remembered. Like
    the parse cache it is safe to delete.
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
        self._early: _Early | None = None

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
                    stored = load_pickle(path, reuse=True)
                    if (isinstance(stored, tuple) and len(stored) == 2 and stored[0] == self.version
                            and isinstance(stored[1], dict)):
                        store.update(stored[1])
                        loaded[path.stem] = len(stored[1])
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
            store_pickle(self._spread_path(kind, key), (self.version, key, value))
        else:
            self._changed.add((kind, self._shard(key)))
        return value

    def get_many(self, kind: str, jobs: list[tuple[Any, Callable[[], Any]]],
                 prepare: Callable[[], None] | None = None) -> list[Any]:
        """``get`` for many (key, compute) pairs; the missing values are computed in parallel
        (``parallel.map_ordered``), so ``compute`` must be pure and its result picklable.

        ``prepare``: run once in this process before any value is computed, so
        that what it loads (a dictionary, say) is loaded once, not once per worker.
        Values already computed for the same kind and keys by ``compute_early`` are taken from it.
        """
        from reportkb.parallel import map_ordered

        found: dict[int, Any] = {}
        missing: list[int] = []
        for position, (key, _) in enumerate(jobs):
            value = self._lookup(kind, key)
            if value is _MISSING:
                missing.append(position)
            else:
                found[position] = value
        computed = self._take_early(kind, [jobs[position][0] for position in missing]) if missing else None
        if computed is None:
            if missing and prepare is not None:
                prepare()
            computed = map_ordered(lambda position: jobs[position][1](), missing, self.workers)
        for position, value in zip(missing, computed, strict=True):
            found[position] = self._put(kind, jobs[position][0], value)
        return [found[position] for position in range(len(jobs))]

    def compute_early(self, batches: list[Batch]) -> None:
        """Start computing the missing values of ``batches`` in worker processes now, while this
        process goes on; a later ``get_many`` of the same kind and keys takes them.

        For values this process will ask for later, so that the workers are busy
        while this process does other work. ``end_early`` ends the workers.
        """
        from reportkb.parallel import OrderedMap, worthwhile

        self.end_early()
        pending = []
        for batch in batches:
            missing = [(key, compute) for key, compute in batch.jobs if self._peek(batch.kind, key) is _MISSING]
            if missing:
                pending.append((batch, missing))
        computes = [compute for _, missing in pending for _, compute in missing]
        if not worthwhile(len(computes), self.workers):
            return
        # No ``prepare`` here: the workers load what they need themselves, while this process goes on.
        results = OrderedMap(lambda position: computes[position](), range(len(computes)), self.workers)
        self._early = _Early(results, [(batch.kind, [key for key, _ in missing]) for batch, missing in pending])

    def _take_early(self, kind: str, keys: list[Any]) -> list[Any] | None:
        """The values ``compute_early`` computes for ``kind`` if it was given exactly ``keys``, else None."""
        return None if self._early is None else self._early.take(kind, keys)

    def end_early(self) -> None:
        """End ``compute_early``'s workers; what they have not yet given is computed again where asked."""
        if self._early is not None:
            self._early.close()
            self._early = None

    def _lookup(self, kind: str, key: Any) -> Any:
        """The stored value (marked used), or _MISSING."""
        value = self._peek(kind, key)
        if value is not _MISSING:
            self._used[kind].add(key)
            self.hits += 1
        return value

    def _peek(self, kind: str, key: Any) -> Any:
        """The stored value, or _MISSING; not marked used."""
        if self.folder is None:
            return _MISSING
        store = self._store(kind)
        if key in store:
            return store[key]
        if kind in self.spread:
            stored = load_pickle(self._spread_path(kind, key), reuse=True)
            if isinstance(stored, tuple) and len(stored) == 3 and stored[0] == self.version and stored[1] == key:
                store[key] = value = stored[2]
                return value
        return _MISSING

    def report_key(self, report: Any) -> str:
        """Content digest of a report (computed once per report object)."""
        known = self._report_keys.get(report.id)
        if known is not None and known[0] is report:
            return known[1]
        key = content_digest(report)
        self._report_keys[report.id] = (report, key)
        return key

    def save(self, whole_run: bool = False) -> None:
        """Write what changed; entries not used by this run are dropped.

        ``whole_run``: this run used every kind the program has (a build, not
        ``kb.py add``, which looks at one kind), so other kinds are dropped too.
        """
        if self.folder is None:
            return
        if whole_run:
            with suppress(OSError):
                for other in self.folder.iterdir():  # kinds no longer in use (another program version's)
                    if other.name not in self._stores:
                        shutil.rmtree(other, ignore_errors=True)
        for kind in sorted(self._stores):
            current = self._folder(kind)
            for other in (self.folder / kind).glob("*"):
                if other != current:
                    shutil.rmtree(other, ignore_errors=True)
            used = self._used[kind]
            if kind in self.spread:
                for path in current.glob("*/*"):
                    if path.name.endswith(".tmp") or path.stem not in used:
                        _remove(path)
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
                    store_pickle(path, (self.version, {key: store[key] for key in keys}))
                else:
                    _remove(path)


def _remove(path: Path) -> None:
    with suppress(OSError):  # a read-only cache only costs space
        path.unlink(missing_ok=True)


BLOCK_MEAN = 32
"""Reports per block on average (``report_blocks``)."""


def report_blocks(keys: list[str], mean: int = BLOCK_MEAN) -> list[range]:
    """Consecutive runs of positions in ``keys`` (report keys, hex digests), cut after every key that ends a block.

    Whether a key ends a block depends on the key alone, so adding, removing
    or changing one report changes only the block it falls in: a corpus-wide
    result merged block by block, each block's merge remembered under
    ``block_key``, then recomputes one block and the merge of the blocks.
    """
    out, start = [], 0
    for position, key in enumerate(keys):
        if int(key[:8], 16) % mean == 0:
            out.append(range(start, position + 1))
            start = position + 1
    if start < len(keys):
        out.append(range(start, len(keys)))
    return out


def block_key(keys: list[str]) -> str:
    """Memo key of a block of reports: a digest of their keys, in order."""
    return hashlib.sha256("\0".join(keys).encode()).hexdigest()


NO_MEMO = Memo()
"""Remembers nothing: every ``get`` computes."""
