"""`mkdocs serve`: one dropped report is one build, and generation's own writes never start another.

A real ``mkdocs serve`` process on a copy of the sample project; builds are
counted from its log. Waits are generous bounds on conditions, not timings.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from helpers import copy_project

TITLE = "河西街道党工委2024年上半年意识形态工作总结"
NEW_REPORT = f"{TITLE}\n一、主要做法\n1.压实责任。召开专题会议2次，研判网络舆情。\n2.网评员队伍建设。设立网评员5人。\n"
WAIT = 600.0
QUIET = 5.0
"""Seconds with an unchanged log and no build running after which the server has settled."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except OSError:
        return 0, ""


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


def _settle(log: Path) -> bool:
    """Every build started has finished, and the log has not grown for QUIET seconds.

    mkdocs serve logs "Detected file changes" and starts the next build when
    files changed during one, so a quiet log with every build finished means
    no rebuild is pending.
    """
    deadline = time.monotonic() + WAIT
    last, since = None, time.monotonic()
    while time.monotonic() < deadline:
        text = log.read_text(encoding="utf-8")
        if text != last:
            last, since = text, time.monotonic()
        started, finished = _builds(log)
        if started == finished and time.monotonic() - since >= QUIET:
            return True
        time.sleep(0.2)
    return False


def test_a_dropped_report_is_one_build_and_every_page_it_affects_is_current(tmp_path):
    project = copy_project(tmp_path / "p")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = tmp_path / "serve.log"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    with open(log_path, "w", encoding="utf-8") as log:
        proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
                                cwd=project, stdout=log, stderr=subprocess.STDOUT, env=env)
        try:
            assert _wait(lambda: _get(f"{base}/reports/")[0] == 200), log_path.read_text(encoding="utf-8")
            assert _settle(log_path), log_path.read_text(encoding="utf-8")
            assert _builds(log_path) == (1, 1)
            assert TITLE not in _get(f"{base}/reports/")[1]

            (project / "sources" / "hexi-2024.txt").write_text(NEW_REPORT, encoding="utf-8")
            assert _wait(lambda: TITLE in _get(f"{base}/reports/hexi-2024/")[1]), log_path.read_text(encoding="utf-8")
            assert _settle(log_path), "mkdocs serve keeps rebuilding:\n" + log_path.read_text(encoding="utf-8")
            # One build for the dropped report; its writes into docs/ start none.
            assert _builds(log_path) == (2, 2), log_path.read_text(encoding="utf-8")
            # The pages it affects are current after that one build.
            assert TITLE in _get(f"{base}/reports/")[1]
            corpus = json.loads(_get(f"{base}/data/corpus.json")[1])
            assert "hexi-2024" in [r["id"] for r in corpus["reports"]]
            # The search data too: its small file counts the report, its text chunks hold it.
            search = json.loads(_get(f"{base}/data/search.json")[1])
            assert len(search["reports"]) == len(corpus["reports"])
            chunks = range(-(-search["records"] // search["chunk"]))
            ids = {row[0] for n in chunks for row in json.loads(_get(f"{base}/data/search/t{n}.json")[1])}
            assert "hexi-2024" in ids

            # A hand-written page is still watched: editing it is one more build.
            maintain = project / "docs" / "maintain.md"
            maintain.write_text(maintain.read_text(encoding="utf-8") + "\n本地修改的说明。\n", encoding="utf-8")
            assert _wait(lambda: "本地修改的说明" in _get(f"{base}/maintain/")[1]), log_path.read_text(encoding="utf-8")
            assert _settle(log_path), log_path.read_text(encoding="utf-8")
            assert _builds(log_path) == (3, 3), log_path.read_text(encoding="utf-8")
        finally:
            proc.terminate()
            proc.wait(timeout=60)
