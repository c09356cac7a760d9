"""The one shape of a page family: the folders it owns and one render function
(and, if it wants, the per-report work that render asks for, so it can start early).

A family turns the linked corpus (``Context``) into ``Rendered`` output:
pages by docs-relative path, nav sections by the placeholder used in
mkdocs.yml, and sections to append to report pages. The pipeline runs the
families of ``registry.FAMILIES`` in order; each one sees the appendices of
the families before it (the report pages, which print them, come last).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from reportkb.analysis.link import Index
from reportkb.config import Taxonomy
from reportkb.model import Problem
from reportkb.store.cache import NO_MEMO, Memo
from reportkb.store.memo import Batch


@dataclass(frozen=True)
class Context:
    """Everything a family may read; nothing in it is written to."""

    index: Index
    taxonomy: Taxonomy
    data: Path
    """The data folder (scripts/data): requirements.yml and the like."""
    problems: tuple[Problem, ...] = ()
    """The run's problems, sorted (corpus.json lists them)."""
    memo: Memo = NO_MEMO
    appendices: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Report id → sections added by the families rendered so far."""


@dataclass(frozen=True)
class Rendered:
    """One family's output; every page path lies in the family's folders."""

    pages: dict[str, str] = field(default_factory=dict)
    nav: dict[str, list] = field(default_factory=dict)
    appendices: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class PageFamily:
    """A named family of generated pages.

    ``folders``: the top-level folders of docs/ its pages lie in, declared
    once here; the writer and the cleanup own exactly the union of them.
    """

    name: str
    folders: tuple[str, ...]
    render: Callable[[Context], Rendered]
    early: Callable[[Context], list[Batch]] | None = None
    """The per-report work ``render`` asks the memo for (``Memo.get_many``), given to the memo before any
    family renders: worker processes compute it while this process renders the families before."""
