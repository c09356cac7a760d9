"""``mkdocs serve`` with one report dropped into sources/: seconds until its page is served, builds run.

Used by bench.py; runs a real ``mkdocs serve`` on a free loopback port and
counts builds from its log, as tests/test_serve_build.py does.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

WAIT = 900.0
QUIET = 5.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""
    except OSError:
        return 0, b""


def builds(log: Path) -> tuple[int, int]:
    """(builds started, builds finished) according to the mkdocs serve log."""
    text = log.read_text(encoding="utf-8", errors="replace")
    return text.count("Building documentation..."), text.count("Documentation built in")


def settle(log: Path, seconds: float = WAIT) -> bool:
    """Wait until every build started has finished and the log has been quiet for QUIET seconds."""
    deadline = time.monotonic() + seconds
    last, since = None, time.monotonic()
    while time.monotonic() < deadline:
        text = log.read_text(encoding="utf-8", errors="replace")
        if text != last:
            last, since = text, time.monotonic()
        started, finished = builds(log)
        if started == finished and time.monotonic() - since >= QUIET:
            return True
        time.sleep(0.2)
    return False


def measure_serve(project: Path, report: Path, title: str) -> dict:
    """Start mkdocs serve on a built project, drop ``report`` in, time until its page shows its title."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = project / "serve.log"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    with open(log_path, "w", encoding="utf-8") as log:
        proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
                                cwd=project, stdout=log, stderr=subprocess.STDOUT, env=env)
        try:
            start = time.monotonic()
            while _get(f"{base}/reports/")[0] != 200:
                if time.monotonic() - start > WAIT or proc.poll() is not None:
                    raise SystemExit("mkdocs serve 未能启动：\n" + log_path.read_text(encoding="utf-8"))
                time.sleep(0.5)
            settle(log_path)
            before = builds(log_path)[0]
            target = f"{base}/reports/{report.stem}/"
            shutil.copy2(report, project / "sources" / report.name)
            dropped = time.monotonic()
            while True:
                status, body = _get(target)
                if status == 200 and title.encode() in body:
                    break
                if time.monotonic() - dropped > WAIT:
                    raise SystemExit("放入的报告一直没有出现：\n" + log_path.read_text(encoding="utf-8"))
                time.sleep(0.2)
            served_s = time.monotonic() - dropped
            settle(log_path)
            started, finished = builds(log_path)
            _, years = _get(f"{base}/reports/")
            return {"served_s": served_s, "builds": started - before, "finished": finished - before,
                    "listed": title in years.decode("utf-8", errors="replace")}
        finally:
            proc.terminate()
            proc.wait(timeout=60)
