"""`mkdocs serve` picks up a report dropped into sources/ without a restart."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from helpers import copy_project

NEW_REPORT = "XX街道党工委2024年上半年意识形态工作总结\n一、主要做法\n1.压实责任。召开专题会议2次。\n"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Bounds for waiting on the server, not expectations of speed: a loaded machine
# makes each wait longer, and only a server that never gets there fails.
WAIT = 300.0
QUIET = 3.0
"""Seconds without any new log line, with no build running, after which the server has settled."""


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return 0


def _wait(predicate, seconds: float = WAIT) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return False


def _builds(log: Path) -> tuple[int, int]:
    """(builds started, builds finished) according to the mkdocs serve log."""
    text = log.read_text(encoding="utf-8")
    return text.count("Building documentation..."), text.count("Documentation built in")


def _settle(log: Path, most: int, seconds: float = WAIT) -> bool:
    """Wait until no build runs and the log has not grown for QUIET seconds;
    False at once when more than ``most`` builds have started.

    mkdocs serve logs "Detected file changes" and starts the next build as soon
    as a build ends if files changed meanwhile, so a quiet log with every build
    finished means no rebuild is pending. A server that keeps rebuilding never
    gets quiet and the wait runs out.
    """
    deadline = time.monotonic() + seconds
    last, since = None, time.monotonic()
    while time.monotonic() < deadline:
        text = log.read_text(encoding="utf-8")
        if text != last:
            last, since = text, time.monotonic()
        started, finished = _builds(log)
        if started > most:
            return False
        if started == finished and time.monotonic() - since >= QUIET:
            return True
        time.sleep(0.2)
    return False


def test_dropped_report_appears_and_rebuilds_settle(tmp_path):
    project = copy_project(tmp_path / "p")
    port = _free_port()
    log_path = tmp_path / "serve.log"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    base = f"http://127.0.0.1:{port}"
    with open(log_path, "w+", encoding="utf-8") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
            cwd=project, stdout=log, stderr=subprocess.STDOUT, env=env,
        )
        try:
            assert _wait(lambda: _get(f"{base}/reports/") == 200), log_path.read_text(encoding="utf-8")
            assert _settle(log_path, most=1), log_path.read_text(encoding="utf-8")
            assert _builds(log_path) == (1, 1)
            assert _get(f"{base}/reports/new-report/") == 404

            (project / "sources" / "new-report.txt").write_text(NEW_REPORT, encoding="utf-8")
            assert _wait(lambda: _get(f"{base}/reports/new-report/") == 200), log_path.read_text(encoding="utf-8")

            # Generation's own writes into docs/ start no build (tests/test_serve_build.py):
            # the builds stop after the one with the new report (a file event split across
            # mkdocs' build delay may add one).
            assert _settle(log_path, most=3), "mkdocs serve keeps rebuilding:\n" + log_path.read_text(encoding="utf-8")
            started, finished = _builds(log_path)
            assert 2 <= started <= 3 and started == finished, log_path.read_text(encoding="utf-8")
        finally:
            proc.terminate()
            proc.wait(timeout=60)
