"""Whole-build memo: when nothing that decides the output has changed (code,
data files, libraries, every source's name, bytes and read checks), the
previous build is reused as is.

Makes a no-change run — ``mkdocs build`` or ``mkdocs serve`` after
``kb.py generate`` — cost little more than reading the sources. A reused
build has no index: what callers read of it is a ``BuildSummary``, with the
navigation and problems, and the pages read back from docs/.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportkb.model import Problem
from reportkb.store.atomic import load_pickle, store_pickle
from reportkb.store.write import MANIFEST, STAGING

Pages = dict[str, str | bytes]
"""Generated files by path relative to docs/."""


@dataclass(frozen=True)
class ReportRef:
    """A report of a build, as callers of a finished build name it."""

    id: str
    source: str


@dataclass(frozen=True)
class BuildSummary:
    """What is read of a finished build besides its pages, navigation and problems:
    its reports, in order (to count them and the files they came from)."""

    reports: tuple[ReportRef, ...]

    @classmethod
    def of(cls, reports: Iterable[Any]) -> BuildSummary:
        """From reports that have ``id`` and ``source`` (``model.Report``)."""
        return cls(tuple(ReportRef(r.id, r.source) for r in reports))


@dataclass(frozen=True)
class StoredBuild:
    """A build as the memo gives it back."""

    summary: BuildSummary
    pages: Pages
    nav: dict[str, list]
    problems: tuple[Problem, ...]


def _is_stored(value: Any, fingerprint: str) -> bool:
    """The shape ``BuildMemo.store`` writes; anything else (a foreign or damaged pickle) is a miss."""
    if not (isinstance(value, tuple) and len(value) == 5 and value[0] == fingerprint):
        return False
    _, summary, nav, problems, digests = value
    return (isinstance(summary, BuildSummary) and isinstance(summary.reports, tuple)
            and all(isinstance(r, ReportRef) and isinstance(r.id, str) and isinstance(r.source, str)
                    for r in summary.reports)
            and isinstance(nav, dict) and isinstance(problems, tuple)
            and all(isinstance(p, Problem) for p in problems)
            and isinstance(digests, dict)
            and all(isinstance(rel, str) and isinstance(d, tuple) and len(d) == 2
                    and isinstance(d[0], str) and isinstance(d[1], bool) for rel, d in digests.items()))


class BuildMemo:
    """The last build, under ``<cache>/build/<fingerprint>.pickle``.

    Stored without its pages, only their sha256: on reuse the pages are read
    back from docs/ and used only if every one is exactly as written (and the
    manifest lists no other), else the caller builds afresh.
    """

    def __init__(self, folder: Path, fingerprint: str):
        self.folder = folder / "build"
        self.fingerprint = fingerprint
        self.path = self.folder / f"{fingerprint}.pickle"

    def load(self, docs: Path) -> StoredBuild | None:
        stored = load_pickle(self.path)
        if not _is_stored(stored, self.fingerprint):
            return None
        _, summary, nav, problems, digests = stored
        try:
            if (docs / STAGING).exists():
                return None
            manifest = json.loads((docs / MANIFEST).read_text(encoding="utf-8")).get("files")
            if not isinstance(manifest, list) or sorted(manifest) != sorted(digests):
                return None
            pages: Pages = {}
            for rel, (sha, is_bytes) in digests.items():
                data = (docs / rel).read_bytes()
                if hashlib.sha256(data).hexdigest() != sha:
                    return None
                pages[rel] = data if is_bytes else data.decode("utf-8")
        except (OSError, ValueError, AttributeError, TypeError):  # docs/ changed or damaged: build afresh
            return None
        return StoredBuild(summary, pages, nav, problems)

    def store(self, summary: BuildSummary, pages: Pages, nav: dict[str, list], problems: tuple[Problem, ...]) -> None:
        """Remember a build just written (its pages as they now are in docs/); drops older builds."""
        digests = {rel: (hashlib.sha256(page if isinstance(page, bytes) else page.encode("utf-8")).hexdigest(),
                         isinstance(page, bytes)) for rel, page in pages.items()}
        if not store_pickle(self.path, (self.fingerprint, summary, nav, problems, digests)):
            return  # only costs speed
        try:
            for other in self.folder.iterdir():
                if other != self.path and not other.name.endswith(".tmp"):
                    other.unlink(missing_ok=True)
        except OSError:
            pass
