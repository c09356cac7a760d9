"""``mkdocs build`` on several cores: report pages rendered into the site by forked processes.

MkDocs renders every page's template on one core; at 1,000 reports that is a
fifth of a warm build while the other cores idle. When MkDocs is about to
render the pages (every page read, the theme's templates such as the sitemap
written), the hook forks: each worker renders a share of the report pages
with MkDocs' own page builder and checks their anchors, and MkDocs renders the
rest. The pages come out the same, whoever renders them.

A worker's log records (warnings of ``--strict`` included) are sent back and
logged by MkDocs' process after its own pages, so they are shown and counted
as before. Only for ``mkdocs build``: ``mkdocs serve`` runs threads, and
forking a threaded process is unsafe. This relies on MkDocs 1.6's order of
events; on another order the build simply stays on one core.
"""

from __future__ import annotations

import logging
import os
import pickle
import signal
import traceback
from dataclasses import dataclass, field

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import InclusionLevel

from reportkb.parallel import die_with_parent

SHARED_FOLDER = "reports"
"""Pages of this docs/ folder are shared out: many, alike, and only linked, never listing others."""
MIN_PAGES = 64
"""Fewer shared pages than this are rendered by MkDocs alone: forking costs more than it saves."""


class Collect(logging.Handler):
    """Log records of a forked process, kept to be logged by MkDocs' process (only while ``keep``)."""

    def __init__(self, keep: bool = True) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[tuple[str, int, str]] = []
        self.keep = keep

    def emit(self, record: logging.LogRecord) -> None:
        if self.keep:
            self.records.append((record.name, record.levelno, record.getMessage()))


@dataclass
class PageWorkers:
    """One build's workers: started once MkDocs has written its theme templates, waited for after its pages."""

    workers: int = 1
    nav: object = None
    files: object = None
    env: object = None
    templates_left: int = -1
    running: list[tuple[int, int, list]] = field(default_factory=list)

    def start_build(self, workers: int, nav, config) -> None:
        """A new build (its navigation is ready): how many processes may render, and the templates MkDocs
        renders before the pages."""
        self.workers, self.nav, self.files, self.env = workers, nav, None, None
        self.templates_left = len(config.theme.static_templates) + len(config.extra_templates)
        self.running = []

    def pages_read(self, env, files) -> None:
        """Every page has been read: the environment and files the pages are rendered with."""
        self.env, self.files = env, files

    def template_written(self, config) -> None:
        """After each theme or extra template: once the last one is written, the pages are next."""
        self.templates_left -= 1
        if self.templates_left != 0 or self.workers < 2 or self.nav is None or self.files is None:
            return
        files, env = self.files, self.env
        pages = files.documentation_pages(inclusion=InclusionLevel.is_included)
        shared = [f for f in pages if f.src_uri.split("/", 1)[0] == SHARED_FOLDER and f.page is not None]
        if len(shared) < MIN_PAGES:
            return
        for share in (shared[k::self.workers] for k in range(1, self.workers)):
            read, write = os.pipe()
            pid = os.fork()
            if pid == 0:  # the worker: render its share, report, and leave without running any cleanup
                os.close(read)
                _render_share(share, pages, files, self.nav, env, config, write)
            os.close(write)
            self.running.append((pid, read, share))
        for _, _, share in self.running:  # after every fork: MkDocs' own page loop renders the rest
            for file in share:
                files.remove(file)

    def finish(self) -> None:
        """Wait for the workers, log what they logged, and give their pages back to MkDocs' file list."""
        running, self.running, files = self.running, [], self.files
        failed = []
        for pid, read, share in running:
            with os.fdopen(read, "rb") as pipe:
                data = pipe.read()
            _, status = os.waitpid(pid, 0)
            try:
                records, error = pickle.loads(data)
            except Exception:
                records, error = [], f"进程 {pid} 意外退出（状态 {status}）"
            for name, level, message in records:
                logging.getLogger(name).log(level, message)
            if error:
                failed.append(error)
            for file in share:
                files.append(file)
        if failed:
            raise PluginError("并行渲染报告页面失败：\n" + "\n".join(failed))

    def stop(self) -> None:
        """The build failed elsewhere: end the workers."""
        for pid, read, _ in self.running:
            end_worker(pid)
            os.close(read)
        self.running = []


def route_logs(collect: Collect) -> Collect:
    """In a forked worker: every log record goes to ``collect`` (MkDocs' process logs them), none to the terminal."""
    for name in ("", "mkdocs"):
        logger = logging.getLogger(name)
        logger.handlers = [collect] if name == "mkdocs" or not logger.propagate else []
    return collect


def end_worker(pid: int) -> None:
    """End a forked worker, finished or not, and reap it."""
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except OSError:
        pass


def _render_share(share: list, pages: list, files, nav, env, config, write: int) -> None:
    """In a forked worker: MkDocs' page builder for each page of ``share``, then its anchors. Never returns."""
    from mkdocs.commands.build import _build_page

    status = 1
    try:
        die_with_parent(os.getppid())
        collect = route_logs(Collect())
        error = ""
        try:
            for file in share:
                _build_page(file.page, config, pages, nav, env, excluded=file.inclusion.is_excluded())
            for file in share:
                file.page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
        except Exception:
            error = traceback.format_exc(limit=-3)
        with os.fdopen(write, "wb") as pipe:
            pipe.write(pickle.dumps((collect.records, error)))
        status = 0
    finally:
        os._exit(status)
