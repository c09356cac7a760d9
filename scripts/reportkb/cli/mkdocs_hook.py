"""The MkDocs hook (``scripts/mkdocs_hooks.py`` re-exports it): the same generation as ``kb.py generate``.

So ``mkdocs build`` and ``mkdocs serve`` are always current: a report dropped
into sources/ (watched in mkdocs.yml) triggers a rebuild and the hook
regenerates. Generation's own writes into docs/ never trigger another build
(``on_serve``): one dropped report, one build. After the build, the site is
made to work offline (``on_post_build``).
"""

from __future__ import annotations

import contextlib
import logging
import os
import posixpath
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote as urlunquote
from urllib.parse import urlsplit, urlunsplit

from markdown.util import AMP_SUBSTITUTE
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from reportkb.cli.dirty import DirtyBuilds
from reportkb.cli.output import visible, visible_lines
from reportkb.cli.page_readers import PageReaders
from reportkb.cli.page_workers import PageWorkers
from reportkb.config import Settings
from reportkb.errors import ReportError
from reportkb.model import INFO
from reportkb.pages.passthrough import stash, unstash
from reportkb.pages.registry import OWNED_FOLDERS
from reportkb.pages.sections import load_segmenter
from reportkb.parallel import default_workers
from reportkb.pipeline import generate
from reportkb.store.cache import default_cache_folder, read_ahead
from reportkb.store.lock import LOCK
from reportkb.store.write import MANIFEST, STAGING

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer

log = logging.getLogger("mkdocs.plugins.reportkb")

# Material's bundle loads two scripts from unpkg.com on demand: a ResizeObserver
# polyfill for old browsers and mermaid for diagrams (we have none). On a closed
# network those requests can only fail or leak, so they become empty inline
# scripts; source maps (which only repeat the bundle) are not published.
OFFLINE_SCRIPT = "data:text/javascript,"
EXTERNAL_SCRIPT_RE = re.compile(r"https://unpkg\.com/[A-Za-z0-9@./_-]+")
SOURCE_MAP_RE = re.compile(r"\n?(?://# sourceMappingURL=\S+|/\*# sourceMappingURL=\S+?\s*\*/)\s*$")


_dirty = DirtyBuilds()
"""Between the builds of ``mkdocs serve --dirty``: what to render again (``cli/dirty.py``)."""
_workers = 1
"""Processes for per-report work: one under ``mkdocs serve``, whose threads make forking unsafe."""
_page_workers = PageWorkers()
"""``mkdocs build``: report pages rendered on every core (``cli/page_workers.py``)."""
_page_readers = PageReaders()
"""``mkdocs build``: report pages read (Markdown to HTML) by two processes (``cli/page_readers.py``)."""


def on_startup(command: str, dirty: bool) -> None:
    """A one-off ``mkdocs build`` parses on every core, as ``kb.py generate`` does; results are identical."""
    global _workers
    _workers = default_workers() if command in ("build", "gh-deploy") else 1
    _dirty.start(dirty)


def _settings(config: MkDocsConfig) -> Settings:
    root = Path(config.config_file_path).resolve().parent
    sources = Path(config.extra.get("kb_sources", "sources"))
    # Same parse cache as kb.py generate: unchanged reports are not re-parsed.
    return Settings(sources=root / sources, docs=Path(config.docs_dir), cache=default_cache_folder(root / sources),
                    workers=_workers)


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Generate docs/ from the sources folder (``extra.kb_sources``, default sources/) and expand the nav."""
    settings = _settings(config)
    try:
        result = generate(settings)
    except ReportError as exc:
        raise PluginError(visible_lines(str(exc))) from exc
    for p in result.problems:
        # Routine cleanup is info; a file that could not be used is a warning,
        # so `mkdocs build --strict` fails on real problems only.
        (log.info if p.level == INFO else log.warning)(f"{visible(p.where())}: {visible(p.message)}")
    changes = result.changes
    if changes.touched:
        log.info(f"知识库页面：新增 {len(changes.new)}，更新 {len(changes.changed)}，删除 {len(changes.removed)}")
    config.nav = _expand_nav(config.nav, result.built.nav)
    _dirty.generated(result.built.pages)
    return config


def on_files(files, config: MkDocsConfig):
    _dirty.files(files, config.nav)
    for file in files:
        if not file.is_documentation_page() and file.src_uri.split("/", 1)[0] in OWNED_FOLDERS:
            file.__class__ = LinkedFile
    return files


class LinkedFile(File):
    """A generated data file (search shards, downloads) put into the site as a hard link, not a copy.

    Thousands of search shards would otherwise be copied byte for byte on
    every build. Generation never writes a file in place (it writes a new file
    and renames it over the old one), so the site keeps the content it was
    built with, as a copy would. Where links cannot be made (another file
    system, no support), the file is copied.
    """

    def copy_file(self, dirty: bool = False) -> None:
        if self._content is not None or (dirty and not self.is_modified()):
            return super().copy_file(dirty)
        output = self.abs_dest_path
        with contextlib.suppress(FileNotFoundError):
            if os.path.samefile(self.abs_src_path, output):
                return  # already this very file (linked before, or the site is the source)
            os.unlink(output)
        os.makedirs(os.path.dirname(output), exist_ok=True)
        try:
            os.link(self.abs_src_path, output)
        except OSError:
            super().copy_file(dirty)


def on_nav(nav, config: MkDocsConfig, files):
    _page_workers.start_build(_workers, nav, config)
    # A dirty build reads changed pages only, which the reader cannot know: it reads them all here.
    _page_readers.start(1 if _dirty.enabled else _workers, files, config)
    return nav


@event_priority(150)  # before Material's tags plugin fills its listings (priority 100)
def on_env(env, config: MkDocsConfig, files):
    _page_readers.stop()
    _dirty.tags(config, files)
    _page_workers.pages_read(env, files)
    return env


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    _page_workers.template_written(config)
    return output_content


def on_build_error(error: Exception) -> None:
    _page_readers.stop()
    _page_workers.stop()


def _expand_nav(nav: list | None, generated: dict[str, list]) -> list | None:
    """Replace placeholder entries such as ``报告: reports/`` with generated sections."""
    if nav is None:
        return None
    out = []
    for item in nav:
        if isinstance(item, dict):
            (title, value), = item.items()
            if isinstance(value, str) and value in generated:
                out.append({title: generated[value]})
            elif isinstance(value, list):
                out.append({title: _expand_nav(value, generated)})
            else:
                out.append(item)
        else:
            out.append(item)
    return out


_stashed: dict[str, tuple[list[str], object]] = {}
"""Finished HTML blocks taken out of a generated page's Markdown, by page, until its HTML is rendered."""


def on_page_markdown(markdown: str, page, config: MkDocsConfig, files) -> str:
    """Generated pages: finished HTML skips Python-Markdown (``pages/passthrough.py``); headings stay for the toc.

    Links in the one-line ``markdown="1"`` blocks are resolved by MkDocs' own
    resolver, with its warnings; the anchors they point to join the page's
    links for MkDocs' anchor validation (``on_page_content``).
    """
    if page.file.src_uri.split("/", 1)[0] not in OWNED_FOLDERS:
        return markdown
    read = _page_readers.take(page, markdown)
    if read is not None:
        return read
    resolver = _resolver(page, files, config)
    with _page_readers.converting():  # the links' warnings
        light, blocks = stash(markdown, _href(_known_links(files).resolver(resolver)) if resolver else None)
    if blocks:
        _stashed[page.file.src_uri] = (blocks, resolver)
    _page_readers.record(page, markdown, light)
    return light


def on_page_content(html: str, page, config: MkDocsConfig, files) -> str:
    blocks, resolver = _stashed.pop(page.file.src_uri, ([], None))
    if resolver is not None and isinstance(getattr(page, "links_to_anchors", None), dict):
        for target, anchors in resolver.links_to_anchors.items():
            for anchor, url in anchors.items():
                page.links_to_anchors.setdefault(target, {}).setdefault(anchor, url)
    return unstash(html, blocks) if blocks else html


def _resolver(page, files, config):
    """MkDocs' link resolver for this page (mkdocs 1.6), or None on another version."""
    try:
        from mkdocs.structure.pages import _RelativePathTreeprocessor
    except ImportError:
        return None
    return _RelativePathTreeprocessor(page.file, files, config)


class KnownLinks:
    """Links of generated pages already resolved in this build, by the folder of the page they are on.

    A thousand report pages in one folder carry the same links to theme,
    requirement and year pages; MkDocs' resolver would look each one up again
    (about a tenth of a build). Only a link that resolved cleanly (a file in
    the build, not excluded) is remembered: its relative URL is then computed
    for the page, and its anchor registered for MkDocs' anchor validation, as
    the resolver does. Any other link goes to the resolver, with its warnings.
    """

    def __init__(self, files) -> None:
        self.files = files
        self._targets: dict[tuple[str, str], object] = {}

    def resolver(self, page_resolver) -> Callable[[str], str]:
        folder = posixpath.dirname(page_resolver.file.src_uri)

        def resolve(url: str) -> str:
            scheme, netloc, path, query, anchor = urlsplit(url)
            target = self._targets.get((folder, path))
            if target is None or scheme or netloc or AMP_SUBSTITUTE in url:
                resolved = page_resolver.path_to_url(url)
                target = None if scheme or netloc or AMP_SUBSTITUTE in url else self._clean_target(page_resolver, url, path)
                if target is not None:
                    self._targets[folder, path] = target
                return resolved
            if anchor:
                page_resolver.links_to_anchors.setdefault(target, {}).setdefault(anchor, url)
            return urlunsplit(("", "", get_relative_url(target.url, page_resolver.file.url), query, anchor))

        return resolve

    def _clean_target(self, page_resolver, url: str, path: str):
        """The file a relative link leads to when MkDocs resolves it to a file of the build without a word, else None."""
        if not path or url.startswith(("/", "\\")):
            return None
        target = self.files.get_file_from_path(page_resolver._target_uri(page_resolver.file.src_uri, urlunquote(path)))
        return None if target is None or target.inclusion.is_excluded() else target


_known: list[KnownLinks] = []
"""This build's KnownLinks (a new Files, a new build)."""


def _known_links(files) -> KnownLinks:
    if not _known or _known[0].files is not files:
        _known[:] = [KnownLinks(files)]
    return _known[0]


def _href(resolve):
    """A resolved link as an attribute value, escaped as Python-Markdown escapes it."""
    def href(url: str) -> str:
        return resolve(url).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return href


GENERATED_TOP = frozenset(OWNED_FOLDERS) | {MANIFEST, STAGING, LOCK}
"""Top-level entries of docs/ that only generation writes (its folders and its bookkeeping)."""


def written_by_generation(path: str, docs: str) -> bool:
    """True for a path under docs/ that generation owns: a change there is generation's own write."""
    relative = os.path.relpath(path, docs)
    top = relative.split(os.sep, 1)[0]
    return not relative.startswith("..") and top in GENERATED_TOP


def on_serve(server: LiveReloadServer, config: MkDocsConfig, builder) -> LiveReloadServer:
    """Watch docs/ without generation's own files: they change because a build ran, never to ask for one.

    mkdocs serve rebuilds on any change under docs/; the build's own writes
    (new and changed generated pages) would then start a second full build.
    Only the hand-written part of docs/ is watched: its top level (index.md …,
    and a folder made there), and each hand-written folder (assets/ …). The
    generated folders are not polled at all: mkdocs serve polls every watched
    file twice a second, and at 1,000 reports they hold thousands, which slowed
    the very build they wait for. sources/ and scripts/data/ are watched
    through mkdocs.yml.
    """
    import watchdog.events

    docs = os.path.abspath(config.docs_dir)
    condition = getattr(server, "_rebuild_cond", None)
    if condition is None or docs not in getattr(server, "_watched_paths", {}):
        return server  # another mkdocs version: keep its own watching
    handler = watchdog.events.FileSystemEventHandler()

    def watch_folder(path: str) -> None:
        server.observer.schedule(handler, path, recursive=True)

    def callback(event) -> None:
        paths = [os.fsdecode(p) for p in (event.src_path, getattr(event, "dest_path", "")) if p]
        if event.is_directory:
            made = [p for p in paths if os.path.dirname(p) == docs and not written_by_generation(p, docs)]
            if event.event_type not in ("created", "moved") or not made:
                return
            for path in made:  # a hand-written folder new to docs/: watched from now on
                watch_folder(path)
        elif all(written_by_generation(p, docs) for p in paths):
            return
        with condition:
            server._want_rebuild = True
            condition.notify_all()

    handler.on_any_event = callback
    # While the server waits for a change: jieba's dictionary and the cache's entries, which the next build
    # needs (the first build reused the whole previous one and read neither), are read in the background.
    threading.Thread(target=_read_ahead, args=(_settings(config).cache,), daemon=True, name="kb-read-ahead").start()
    server.unwatch(docs)
    server.observer.schedule(handler, docs, recursive=False)
    with os.scandir(docs) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            if entry.is_dir() and not written_by_generation(entry.path, docs):
                watch_folder(entry.path)
    return server


def _read_ahead(cache: Path) -> None:
    load_segmenter()
    read_ahead(cache)


def on_post_build(config: MkDocsConfig) -> None:
    """Material's bundle without its calls to unpkg.com and without source maps; no stale output of a dirty build."""
    _page_workers.finish()
    _dirty.prune(config.site_dir, OWNED_FOLDERS)
    assets = Path(config.site_dir) / "assets"
    for path in sorted(assets.rglob("*.map")):
        path.unlink()
    for path in sorted([*assets.rglob("*.js"), *assets.rglob("*.css")]):
        text = path.read_text(encoding="utf-8")
        offline = SOURCE_MAP_RE.sub("", EXTERNAL_SCRIPT_RE.sub(OFFLINE_SCRIPT, text))
        if offline != text:
            path.write_text(offline, encoding="utf-8")
