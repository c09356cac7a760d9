"""The page families and the folders of docs/ they generate.

Placeholder until every family declares its own folder (the writer, the
cleanup and the .gitignore test read the folders from here).
"""

from __future__ import annotations

OWNED_FOLDERS = ("data", "formulas", "overview", "reports", "requirements", "roles", "themes")
"""Top-level folders of docs/ that generation owns; nothing else is ever written."""
