"""``mkdocs build`` on two cores while MkDocs reads pages: a forked reader converts report pages.

MkDocs reads every page (front matter, the ``page_markdown`` hooks, Markdown
to HTML) on one core before it renders any; at 1,000 reports that is a
sixth of a cold build while the other core idles. Once the navigation is
ready, the hook forks one reader that runs MkDocs' own page reader on the
report pages from the last one backwards, this hook's passthrough included,
while MkDocs' process converts them from the first one on: each process
claims its next page in shared memory, so they meet wherever their speeds
put the meeting, and neither waits for the other but for one page. MkDocs'
process still reads each of the reader's pages too (so every plugin sees
them as before), but takes the reader's Markdown and HTML instead of converting them again:
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
import multiprocessing
import os
import pickle
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial

from mkdocs.structure.files import InclusionLevel

from reportkb.cli.page_workers import MIN_PAGES, SHARED_FOLDER, Collect, end_worker, route_logs
from reportkb.parallel import die_with_parent

HEADER = struct.Struct("<QQ")
"""Each result on the pipe: its page's position among the report pages, and the length of its pickle."""

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


class Claims:
    """Who converts which of ``count`` pages: this process from the first on, the reader from the last back.

    Two positions in memory shared across the fork, under one lock: pages
    before ``front`` are this process's, pages from ``back`` on the reader's.
    """

    def __init__(self, count: int) -> None:
        context = multiprocessing.get_context("fork")
        self._lock = context.Lock()
        self._ends = context.RawArray("q", [0, count])

    def mine(self, position: int) -> bool:
        """In MkDocs' process, as it reaches page ``position``: True to convert it here, False if the reader has it."""
        with self._lock:
            if position < self._ends[1]:
                self._ends[0] = max(self._ends[0], position + 1)
                return True
            return False

    def next_for_reader(self) -> int | None:
        """In the reader: the page it converts next, or None when the two have met."""
        with self._lock:
            if self._ends[1] - 1 < self._ends[0]:
                return None
            self._ends[1] -= 1
            return self._ends[1]


@dataclass
class PageReaders:
    """One build's reader: forked when the navigation is ready, its results taken as MkDocs reads the pages."""

    pid: int = 0
    claims: Claims | None = None
    position: dict[str, int] = field(default_factory=dict)
    """Every report page's position, by source path: the order both processes go by."""
    results: dict[int, ReadPage | None] | None = None
    """The reader's results by position, once it is done."""
    drain: threading.Thread | None = None
    chunks: list[bytes] = field(default_factory=list)
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
        claims = Claims(len(shared))
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read)
            self.in_reader = True
            _read_share(self, claims, shared, files, config, write)
        os.close(write)
        self.pid, self.claims, self.installed, self.results = pid, claims, 0, None
        self.position = {f.src_uri: n for n, f in enumerate(shared)}
        # Read the pipe as the reader writes (a full pipe would stop it); the GIL is free while reading.
        pipe, self.chunks = os.fdopen(read, "rb"), []
        self.drain = threading.Thread(target=_drain, args=(pipe, self.chunks), daemon=True)
        self.drain.start()

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
        position = self.position.get(page.file.src_uri)
        if self.in_reader or self.claims is None or position is None or self.claims.mine(position):
            return None
        if self.results is None:  # the processes have met: the reader is on its last page, if not done
            self.results = self._collect()
        read = self.results.pop(position, None)
        if read is None or read.source_digest != digest(markdown):
            return None
        page.render = partial(_install, page, read)  # MkDocs calls it next, instead of converting again
        self.installed += 1
        return read.markdown

    def _collect(self) -> dict[int, ReadPage | None]:
        """All the reader's results, once it has ended; a reader that failed leaves its pages to this process."""
        self.drain.join()
        data, out, at = b"".join(self.chunks), {}, 0
        self.chunks = []
        while at + HEADER.size <= len(data):
            position, length = HEADER.unpack_from(data, at)
            at += HEADER.size
            if at + length > len(data):
                break  # cut short: the reader died while writing
            try:
                out[position] = pickle.loads(data[at:at + length])
            except Exception:
                out[position] = None
            at += length
        return out

    def stop(self) -> None:
        """No more pages to take (or the build ended): end the reader, before anything else forks."""
        if self.pid:
            end_worker(self.pid)
            self.drain.join()
            log.debug(f"报告页的转换：{self.installed} 篇由第二个进程完成，共 {len(self.position)} 篇报告页")
        self.pid, self.claims, self.drain, self.chunks, self.results = 0, None, None, [], None
        self.position = {}


def _drain(pipe, chunks: list[bytes]) -> None:
    with pipe:
        while chunk := pipe.read1(1 << 20):
            chunks.append(chunk)


def _read_share(readers: PageReaders, claims: Claims, shared: list, files, config, write: int) -> None:
    """In the reader: MkDocs' reader on each page it claims, each result sent as it is ready. Never returns."""
    from mkdocs.commands.build import _populate_page
    from mkdocs.structure.pages import Page

    status = 1
    try:
        die_with_parent(os.getppid())
        collect = readers.collect = route_logs(Collect(keep=False))
        with os.fdopen(write, "wb") as pipe:
            while (position := claims.next_for_reader()) is not None:
                file = shared[position]
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
                pipe.write(HEADER.pack(position, len(data)) + data)
                pipe.flush()
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
