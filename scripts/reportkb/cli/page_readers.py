"""``mkdocs build`` on two cores while MkDocs reads pages: a forked reader converts most report pages.

MkDocs reads every page (front matter, the ``page_markdown`` hooks, Markdown
to HTML) on one core before it renders any; at 1,000 reports that is a
sixth of a cold build while the other core idles. Once the navigation is
ready, the hook forks one reader that runs MkDocs' own page reader on three
of every five report pages, this hook's passthrough included, and streams
the results back in order. MkDocs' process reads the rest itself, and still
reads each of the reader's pages too (so every plugin sees them as before),
but takes the reader's Markdown and HTML instead of converting them again:
the text, table of contents, title, anchors and links to anchors, and what
was logged while converting (re-logged here, so ``--strict`` counts it; what
plugins log in their page events is logged here, as they run here again). A
page whose source reads differently here, or that failed in the reader, is
converted here as usual. The pages come out the same, whoever reads them. Only for ``mkdocs build``
(see ``page_workers``); relies on MkDocs 1.6's reading loop.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial

from mkdocs.structure.files import InclusionLevel

from reportkb.cli.page_workers import MIN_PAGES, SHARED_FOLDER, Collect, end_worker, route_logs
from reportkb.parallel import die_with_parent

READER_SLOTS = (1, 2, 4)
"""Of every five report pages, those the reader converts (three): MkDocs' process also reads every page,
converts the other pages of the site, and installs the reader's results."""
HEADER = struct.Struct("<Q")
"""Length of each pickled result on the pipe."""

log = logging.getLogger("mkdocs.plugins.reportkb")


@dataclass(frozen=True)
class ReadPage:
    """What MkDocs' reader made of one page in the reader process."""

    source_digest: str
    """Of the Markdown the hook was given, to check this process read the same."""
    markdown: str
    """What the hook returned for it (later plugins change it again, here as there)."""
    content: str
    toc: object
    title_from_render: str | None
    present_anchor_ids: set[str] | None
    links_to_anchors: dict[str, dict[str, str]] | None
    """By the linked file's source path (files do not travel between processes)."""
    records: tuple[tuple[str, int, str], ...]


def digest(markdown: str) -> str:
    return hashlib.sha1(markdown.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass
class PageReaders:
    """One build's reader: forked when the navigation is ready, drained as MkDocs reads the pages."""

    pid: int = 0
    pipe: object = None
    share: dict[str, int] = field(default_factory=dict)
    """The reader's pages, by source path, in the order it sends them."""
    taken: int = 0
    installed: int = 0
    in_reader: bool = False
    collect: Collect | None = None
    """In the reader: the log records of the conversions (``converting``)."""
    seen: dict[str, tuple[str, str]] = field(default_factory=dict)
    """In the reader: by page, the digest of the Markdown the hook was given and the Markdown it returned."""

    def start(self, workers: int, files, config) -> None:
        self.stop()
        if workers < 2:
            return
        shared = [f for f in files.documentation_pages(inclusion=InclusionLevel.is_included)
                  if f.src_uri.split("/", 1)[0] == SHARED_FOLDER]
        if len(shared) < MIN_PAGES:
            return
        share = [f for n, f in enumerate(shared) if n % len(READER_SLOTS) in READER_SLOTS]
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read)
            self.in_reader = True
            _read_share(self, share, files, config, write)
        os.close(write)
        self.pid, self.pipe, self.taken, self.installed = pid, os.fdopen(read, "rb"), 0, 0
        self.share = {f.src_uri: n for n, f in enumerate(share)}

    @contextmanager
    def converting(self) -> Iterator[None]:
        """In the reader, what is logged in this block travels with the page: this process skips the block."""
        if self.collect is None:
            yield
            return
        self.collect.keep = True
        try:
            yield
        finally:
            self.collect.keep = False

    def record(self, page, markdown: str, light: str) -> None:
        """In the reader: what the hook made of a page's Markdown."""
        if self.in_reader:
            self.seen[page.file.src_uri] = (digest(markdown), light)

    def take(self, page, markdown: str) -> str | None:
        """The reader's Markdown for ``page`` (its conversion installed in place of MkDocs'), or None: convert it here."""
        if self.in_reader or self.pipe is None or self.share.get(page.file.src_uri) != self.taken:
            return None
        self.taken += 1
        read = self._next()
        light = None
        if read is not None and read.source_digest == digest(markdown):
            page.render = partial(_install, page, read)  # MkDocs calls it next, instead of converting again
            self.installed += 1
            light = read.markdown
        if self.taken == len(self.share):
            self.stop()
        return light

    def _next(self) -> ReadPage | None:
        try:
            head = self.pipe.read(HEADER.size)
            data = self.pipe.read(HEADER.unpack(head)[0]) if len(head) == HEADER.size else b""
            return pickle.loads(data) if data else None
        except Exception:  # the reader is gone: this process reads the rest
            self.stop()
            return None

    def stop(self) -> None:
        """No more pages to take (or the build ended): end the reader, before anything else forks."""
        if self.pipe is not None:
            self.pipe.close()
            end_worker(self.pid)
            log.debug(f"报告页的转换：{self.installed} 篇由第二个进程完成，共分给它 {len(self.share)} 篇")
        self.pid, self.pipe, self.share, self.taken = 0, None, {}, 0


def _read_share(readers: PageReaders, share: list, files, config, write: int) -> None:
    """In the reader: MkDocs' reader on each page of ``share``, each result sent as it is ready. Never returns."""
    from mkdocs.commands.build import _populate_page
    from mkdocs.structure.pages import Page

    status = 1
    try:
        die_with_parent(os.getppid())
        collect = readers.collect = route_logs(Collect(keep=False))
        with os.fdopen(write, "wb") as pipe:
            for file in share:
                collect.records = []
                try:
                    page = file.page if file.page is not None else Page(None, file, config)
                    page.render = partial(_render, readers, page)
                    _populate_page(page, config, files)
                    links = page.links_to_anchors
                    source_digest, light = readers.seen.pop(file.src_uri)
                    result = ReadPage(
                        source_digest=source_digest, markdown=light, content=page.content, toc=page.toc,
                        title_from_render=page._title_from_render, present_anchor_ids=page.present_anchor_ids,
                        links_to_anchors=None if links is None else {t.src_uri: a for t, a in links.items()},
                        records=tuple(collect.records))
                except Exception:
                    result = None  # MkDocs' process converts it, with its own messages
                data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
                pipe.write(HEADER.pack(len(data)) + data)
        status = 0
    finally:
        os._exit(status)


def _render(readers: PageReaders, page, config, files) -> None:
    """In the reader: MkDocs' conversion, keeping what it logs."""
    with readers.converting():
        type(page).render(page, config, files)


def _install(page, read: ReadPage, config, files) -> None:
    """``Page.render`` for a page the reader has read: its results, and its log records logged here."""
    for name, level, message in read.records:
        logging.getLogger(name).log(level, message)
    page.content, page.toc, page._title_from_render = read.content, read.toc, read.title_from_render
    page.present_anchor_ids = read.present_anchor_ids
    if read.links_to_anchors is not None:
        page.links_to_anchors = {files.get_file_from_path(uri): anchors for uri, anchors in read.links_to_anchors.items()}
