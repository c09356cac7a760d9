"""`mkdocs serve` picks up a report dropped into sources/ and edits to hand-written pages, without a restart."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from reportkb.testing.serve import builds, get, mkdocs_serve, settle, wait_until

from helpers import copy_project

NEW_REPORT = "XX街道党工委2024年上半年意识形态工作总结\n一、主要做法\n1.压实责任。召开专题会议2次。\n"


# Bounds for waiting on the server, not expectations of speed: a loaded machine
# makes each wait longer, and only a server that never gets there fails.
WAIT = 300.0
QUIET = 3.0
"""Seconds without any new log line, with no build running, after which the server has settled."""


def _status(url: str) -> int:
    return get(url, timeout=60)[0]


def _wait(predicate) -> bool:
    return wait_until(predicate, WAIT)


def _settle(log: Path, most: int) -> bool:
    """Settled (``testing.serve.settle``); False at once when more than ``most`` builds have started."""
    return settle(log, QUIET, WAIT, most=most)


@contextmanager
def _serving(tmp_path: Path) -> Iterator[tuple[Path, Path, str]]:
    """The sample project under ``mkdocs serve``, its first build done and settled: (project, log, base URL)."""
    project = copy_project(tmp_path / "p")
    log_path = tmp_path / "serve.log"
    with mkdocs_serve(project, log_path) as (_, base):
        assert _wait(lambda: _status(f"{base}/reports/") == 200), log_path.read_text(encoding="utf-8")
        assert _settle(log_path, most=1), log_path.read_text(encoding="utf-8")
        yield project, log_path, base


def test_dropped_report_appears_and_rebuilds_settle(tmp_path):
    with _serving(tmp_path) as (project, log_path, base):
        assert builds(log_path) == (1, 1)
        assert _status(f"{base}/reports/new-report/") == 404

        (project / "sources" / "new-report.txt").write_text(NEW_REPORT, encoding="utf-8")
        assert _wait(lambda: _status(f"{base}/reports/new-report/") == 200), log_path.read_text(encoding="utf-8")

        # Generation's own writes into docs/ start no build (tests/test_serve_build.py):
        # the builds stop after the one with the new report (a file event split across
        # mkdocs' build delay may add one).
        assert _settle(log_path, most=3), "mkdocs serve keeps rebuilding:\n" + log_path.read_text(encoding="utf-8")
        started, finished = builds(log_path)
        assert 2 <= started <= 3 and started == finished, log_path.read_text(encoding="utf-8")


def test_hand_written_pages_are_still_watched(tmp_path):
    """Generated folders are not watched; the pages maintainers write are, a folder made while serving included."""
    with _serving(tmp_path) as (project, log_path, base):
        home = project / "docs" / "index.md"
        home.write_text(home.read_text(encoding="utf-8") + "\n维护人员新加的一句话。\n", encoding="utf-8")
        assert _wait(lambda: "维护人员新加的一句话" in get(f"{base}/", timeout=60)[1]), log_path.read_text(encoding="utf-8")
        notes = project / "docs" / "notes"
        notes.mkdir()
        (notes / "guide.md").write_text("# 新的说明页\n\n正文。\n", encoding="utf-8")
        assert _wait(lambda: _status(f"{base}/notes/guide/") == 200), log_path.read_text(encoding="utf-8")
        (notes / "guide.md").write_text("# 新的说明页\n\n改过的正文。\n", encoding="utf-8")
        assert _wait(lambda: "改过的正文" in get(f"{base}/notes/guide/", timeout=60)[1]), log_path.read_text(encoding="utf-8")
