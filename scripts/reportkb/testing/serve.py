"""A real ``mkdocs serve`` for tests and benchmarks: start it, fetch from it, count its builds.

Waits are bounds on conditions, not expectations of speed: a loaded machine
makes each wait longer, and only a server that never gets there fails.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, timeout: float = 120) -> tuple[int, str]:
    """(HTTP status, body) of a GET; status 0 when the server does not answer."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except OSError:
        return 0, ""


def wait_until(predicate: Callable[[], bool], seconds: float, interval: float = 0.5) -> bool:
    """True as soon as ``predicate()`` holds; False when ``seconds`` have passed without it."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def builds(log: Path) -> tuple[int, int]:
    """(builds started, builds finished) according to the mkdocs serve log."""
    text = log.read_text(encoding="utf-8", errors="replace")
    return text.count("Building documentation..."), text.count("Documentation built in")


def settle(log: Path, quiet: float, seconds: float, most: int | None = None) -> bool:
    """Wait until every build started has finished and the log has not grown for ``quiet`` seconds.

    mkdocs serve logs "Detected file changes" and starts the next build as soon
    as a build ends if files changed meanwhile, so a quiet log with every build
    finished means no rebuild is pending. A server that keeps rebuilding never
    gets quiet and the wait runs out; with ``most``, False at once when more
    than that many builds have started.
    """
    deadline = time.monotonic() + seconds
    last, since = None, time.monotonic()
    while time.monotonic() < deadline:
        text = log.read_text(encoding="utf-8", errors="replace")
        if text != last:
            last, since = text, time.monotonic()
        started, finished = builds(log)
        if most is not None and started > most:
            return False
        if started == finished and time.monotonic() - since >= quiet:
            return True
        time.sleep(0.2)
    return False


@contextlib.contextmanager
def mkdocs_serve(project: Path, log_path: Path) -> Iterator[tuple[subprocess.Popen, str]]:
    """``mkdocs serve --dirty`` of ``project``, as the README runs it, on a free loopback port; output in ``log_path``."""
    port = free_port()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    with open(log_path, "w", encoding="utf-8") as log:
        proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "-a", f"127.0.0.1:{port}"],
                                cwd=project, stdout=log, stderr=subprocess.STDOUT, env=env)
        try:
            yield proc, f"http://127.0.0.1:{port}"
        finally:
            proc.terminate()
            proc.wait(timeout=60)
