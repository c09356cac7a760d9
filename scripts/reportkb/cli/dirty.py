"""``mkdocs serve --dirty`` made exact for this site.

With ``--dirty`` MkDocs renders only the pages whose Markdown is newer than
their HTML, which is what makes a dropped report cheap at 1,000 reports:
generation rewrites only the pages that changed. MkDocs' own caveats, and
what the hook does about each:

* Every page carries the navigation: when the navigation changes (a new
  year, theme or role), every page is rendered again.
* The tag listing (``<!-- material/tags -->``) lists the tags of all pages,
  but Material's tags plugin only sees the pages rendered in this build: the
  listing page is always rendered again, and the tags of the pages not read
  in this build are handed to the plugin from their front matter.
* Output of a page or data file that no longer exists would stay in the
  site: it is removed after the build.

MkDocs' warning that a dirty build may leave navigation inaccurate is
therefore not shown.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from collections.abc import Iterable
from pathlib import Path

TAGS_MARKER = "<!-- material/tags -->"
DIRTY_WARNING = "A 'dirty' build is being performed"


class _HideDirtyWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(DIRTY_WARNING)


class DirtyBuilds:
    """What one ``mkdocs serve --dirty`` process remembers between its builds."""

    def __init__(self) -> None:
        self.enabled = False
        self.nav: str | None = None
        self.listings: frozenset[str] = frozenset()
        self.outputs: set[str] = set()

    def start(self, dirty: bool) -> None:
        self.enabled = dirty
        if dirty:
            logging.getLogger("mkdocs.commands.build").addFilter(_HideDirtyWarning())

    def generated(self, pages: dict[str, str | bytes]) -> None:
        """Note which generated pages hold a tag listing (they depend on every page's tags)."""
        if not self.enabled:
            return
        self.listings = frozenset(path for path, text in pages.items() if isinstance(text, str) and TAGS_MARKER in text)

    def files(self, files, nav: object) -> None:
        """Before MkDocs compares times: drop the HTML of pages whose Markdown is unchanged but whose view is not."""
        if not self.enabled:
            return
        self.outputs = {f.dest_uri for f in files}
        signature = json.dumps(nav, ensure_ascii=False, sort_keys=True)
        everything = signature != self.nav
        self.nav = signature
        for file in files.documentation_pages():
            if everything or file.src_uri in self.listings:
                with contextlib.suppress(FileNotFoundError):
                    os.remove(file.abs_dest_path)

    def tags(self, config, files) -> None:
        """Give the tags plugin the tags of the pages this build did not read (their front matter)."""
        if not self.enabled:
            return
        mappings = next((p.mappings for p in config.plugins.values() if hasattr(getattr(p, "mappings", None), "add")), None)
        if mappings is None:
            return
        for file in files.documentation_pages():
            page = file.page
            if page is not None and page.markdown is None:
                page.read_source(config)
                mappings.add(page, page.markdown)

    def prune(self, site_dir: str, folders: Iterable[str]) -> None:
        """Remove output under the generated folders that no file of this build produced."""
        if not self.enabled:
            return
        site = Path(site_dir)
        for folder in sorted(folders):
            top = site / folder
            if not top.is_dir():
                continue
            for path in sorted(top.rglob("*"), reverse=True):  # children before their folders
                if path.is_dir():
                    if not any(path.iterdir()):
                        path.rmdir()
                elif path.relative_to(site).as_posix() not in self.outputs:
                    path.unlink()
