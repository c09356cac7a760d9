"""The page families, in render order, and the folders of docs/ they generate.

A new family is one module defining ``FAMILY`` (see ``family.PageFamily``)
plus one line here. Families that add sections to report pages come before
``reports``, which prints them.

``data/`` is shared on purpose: it holds one JSON file per family that needs
one (search.json, checker.json, corpus.json); a test checks that no two
families render the same path and that every page lies in its family's folders.
"""

from __future__ import annotations

from reportkb.pages import compare, formulas, guides, outline, overview, reports, requirements, search, themes
from reportkb.pages.family import PageFamily

FAMILIES: tuple[PageFamily, ...] = (
    search.FAMILY,
    themes.FAMILY,
    guides.FAMILY,
    formulas.FAMILY,
    overview.FAMILY,
    requirements.FAMILY,
    outline.FAMILY,
    compare.FAMILY,
    reports.FAMILY,
)

SHARED_FOLDERS = ("data",)
"""Folders more than one family writes into (each its own files)."""

OWNED_FOLDERS = tuple(sorted({folder for family in FAMILIES for folder in family.folders}))
"""Top-level folders of docs/ that generation owns; nothing else is ever written."""
