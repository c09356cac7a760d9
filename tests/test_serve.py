"""`mkdocs serve` picks up a report dropped into sources/ without a restart."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

from helpers import copy_project

NEW_REPORT = "XX街道党工委2024年上半年意识形态工作总结\n一、主要做法\n1.压实责任。召开专题会议2次。\n"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return 0


def _wait(predicate, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return False


def test_dropped_report_appears_and_rebuilds_settle(tmp_path):
    project = copy_project(tmp_path / "p")
    port = _free_port()
    log = open(tmp_path / "serve.log", "w+", encoding="utf-8")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project, stdout=log, stderr=subprocess.STDOUT, env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        assert _wait(lambda: _get(f"{base}/reports/") == 200, 120), (tmp_path / "serve.log").read_text()
        assert _get(f"{base}/reports/new-report/") == 404

        (project / "sources" / "new-report.txt").write_text(NEW_REPORT, encoding="utf-8")
        assert _wait(lambda: _get(f"{base}/reports/new-report/") == 200, 90), (tmp_path / "serve.log").read_text()

        # Generation writes only changed files, so the rebuild it causes finds
        # nothing to change: the number of builds stops growing.
        def builds() -> int:
            return (tmp_path / "serve.log").read_text(encoding="utf-8").count("Building documentation")

        time.sleep(8)
        settled = builds()
        time.sleep(8)
        assert builds() == settled, "mkdocs serve keeps rebuilding"
        assert settled <= 4
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
