"""``mkdocs serve`` with one report dropped into sources/: seconds until its page is served, builds run.

Used by bench.py; runs a real ``mkdocs serve`` on a free loopback port and
counts builds from its log with reportkb.testing.serve, as the serve tests do.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from reportkb.testing.serve import builds, get, mkdocs_serve, settle

WAIT = 900.0
QUIET = 5.0


def measure_serve(project: Path, report: Path, title: str) -> dict:
    """Start mkdocs serve on a built project, drop ``report`` in, time until its page shows its title."""
    log_path = project / "serve.log"
    with mkdocs_serve(project, log_path) as (proc, base):
        start = time.monotonic()
        while get(f"{base}/reports/")[0] != 200:
            if time.monotonic() - start > WAIT or proc.poll() is not None:
                raise SystemExit("mkdocs serve 未能启动：\n" + log_path.read_text(encoding="utf-8"))
            time.sleep(0.5)
        settle(log_path, QUIET, WAIT)
        before = builds(log_path)[0]
        target = f"{base}/reports/{report.stem}/"
        shutil.copy2(report, project / "sources" / report.name)
        dropped = time.monotonic()
        while True:
            status, body = get(target)
            if status == 200 and title in body:
                break
            if time.monotonic() - dropped > WAIT:
                raise SystemExit("放入的报告一直没有出现：\n" + log_path.read_text(encoding="utf-8"))
            time.sleep(0.2)
        served_s = time.monotonic() - dropped
        settle(log_path, QUIET, WAIT)
        started, finished = builds(log_path)
        _, years = get(f"{base}/reports/")
        return {"served_s": served_s, "builds": started - before, "finished": finished - before,
                "listed": title in years}
