#!/usr/bin/env python3
"""Benchmark the draft checker: the command's start-up, Python and Chromium on drafts up to 1 MB.

    python scripts/bench/bench_checker.py [--chromium /usr/bin/chromium] [--cli-only]

First times ``kb.py --help`` and ``kb.py check`` on a short draft against the
sample corpus (median of 5 runs each, after one run that builds and keeps
the spec), then builds the sample site in a temporary folder and times
``checker.check`` and the 自查清单 page (paste → verdict rendered) on the
sample report repeated to 100 KB, 500 KB and 1 MB (characters).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from reportkb.checker.rules import check
from reportkb.config import PROJECT_ROOT as ROOT
from reportkb.testing.project import copy_project


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


KB = [sys.executable, str(ROOT / "scripts" / "kb.py")]
SHORT_DRAFT = "某单位2024年上半年意识形态工作总结\n一、工作情况\n落实网评员队伍。\n二、存在问题\n网络舆情处置不够及时。\n"


def _median_seconds(command: list[str], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cli_startup() -> None:
    """``kb.py check`` against ``kb.py --help``: the check reads the kept spec instead of building the site."""
    with tempfile.TemporaryDirectory() as tmp:
        draft = Path(tmp) / "草稿.txt"
        draft.write_text(SHORT_DRAFT, encoding="utf-8")
        subprocess.run([*KB, "check", str(draft)], capture_output=True, check=False)  # builds and keeps the spec
        helped = _median_seconds([*KB, "--help"])
        checked = _median_seconds([*KB, "check", str(draft)])
    print(f"kb.py --help：{helped:.2f} s；kb.py check（短草稿）：{checked:.2f} s；比值 {checked / helped:.1f}（中位数，各 5 次）")


def main() -> int:
    parser = argparse.ArgumentParser(description="自查清单性能测试")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--cli-only", action="store_true", help="只测命令行启动时间")
    args = parser.parse_args()
    cli_startup()
    if args.cli_only:
        return 0
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        project = copy_project(Path(tmp) / "p", ROOT / "sources")
        result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", "site"], cwd=project,
                                capture_output=True, text=True)
        if result.returncode:
            print(result.stderr)
            return 1
        spec = json.loads((project / "docs" / "data" / "checker.json").read_text(encoding="utf-8"))
        print(f"checker.json：{(project / 'site' / 'data' / 'checker.json').stat().st_size / 1024:.0f} KB")
        base = next((ROOT / "sources").glob("001_*.txt")).read_text(encoding="utf-8")
        handler = functools.partial(_Quiet, directory=str(project / "site"))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}/check/"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=args.chromium, args=["--no-sandbox"])
            page = browser.new_page()
            page.goto(url)
            page.wait_for_selector("#kb-check-result[data-state=ready]", state="attached")
            print(f"{'字符数':>10} {'Python 检查':>12} {'浏览器检查':>12} {'浏览器检查+渲染':>16} {'点击到完成':>12}")
            for size in (10_000, 100_000, 500_000, 1_000_000):
                text = ((base + "\n") * (size // len(base) + 1))[:size]
                start = time.perf_counter()
                check(text, spec)
                py = time.perf_counter() - start
                page.evaluate("t => { document.getElementById('kb-draft').value = t; }", text)
                start = time.perf_counter()
                page.click("#kb-check-run")
                page.wait_for_selector("#kb-check-result[data-state=done]", state="attached", timeout=300_000)
                wall = time.perf_counter() - start
                js = int(page.get_attribute("#kb-check-result", "data-ms"))
                js_all = int(page.get_attribute("#kb-check-result", "data-render-ms"))
                print(f"{size:>10} {py * 1000:>10.0f}ms {js:>10}ms {js_all:>14}ms {wall * 1000:>10.0f}ms")
            browser.close()
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
