"""Shared fixtures: the package on sys.path, project copies and real builds."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

FIXTURES = ROOT / "tests" / "fixtures"
def copy_project(dest: Path, sources: Path | None = None) -> Path:
    """A copy of the project (hand-written docs, scripts, config) with ``sources``
    or the sample corpus; generated folders are left out so each build starts clean."""
    from bench import copy_project as copy

    return copy(dest, sources or ROOT / "sources")


def sample_sources_and_docs(tmp_path: Path) -> tuple[Path, Path]:
    """sources/ with the sample reports and a docs/ holding one hand-written page, in tmp_path."""
    import shutil

    sources = tmp_path / "sources"
    shutil.copytree(ROOT / "sources", sources)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# 手写首页\n", encoding="utf-8")
    return sources, docs


def mkdocs_build(project: Path, strict: bool = True) -> subprocess.CompletedProcess:
    """Run a real ``mkdocs build`` in ``project``; output is kept for assertions."""
    cmd = [sys.executable, "-m", "mkdocs", "build", "-d", "site"] + (["--strict"] if strict else [])
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run(cmd, cwd=project, capture_output=True, text=True, env=env, timeout=600)


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The sample corpus built once with ``mkdocs build --strict``."""
    project = copy_project(tmp_path_factory.mktemp("sample") / "project")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project


@pytest.fixture(scope="session")
def gold() -> dict:
    return yaml.safe_load((FIXTURES / "gold.yml").read_text(encoding="utf-8"))["files"]


# ---------------------------------------------------------------------------
# Browser tests: real Debian Chromium through Playwright.

CHROMIUM = Path(os.environ.get("KB_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = ROOT / "tests" / "artifacts"


def _require_chromium() -> None:
    """Skip on a developer machine without Chromium; fail in CI, where it must run."""
    if CHROMIUM.exists():
        return
    message = f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


class StaticServer:
    """A plain static web server on loopback, as on a closed network."""

    def __init__(self, root: Path):
        import functools
        import http.server
        import threading

        handler = functools.partial(_QuietHandler, directory=str(root))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _quiet_handler_class():
    import http.server

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):  # keep test output readable
            pass

    return Handler


_QuietHandler = _quiet_handler_class()


@pytest.fixture(scope="session")
def sample_server(sample_site):
    server = StaticServer(sample_site / "site")
    yield server
    server.close()


@pytest.fixture()
def page(browser, sample_server):
    """A fresh page that records every request it makes."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.requests = []  # type: ignore[attr-defined]
    tab.on("request", lambda r: tab.requests.append(r.url))
    yield tab
    context.close()


def screenshot(tab, name: str) -> Path:
    """Save a screenshot under tests/artifacts/ for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    tab.screenshot(path=str(path), full_page=False)
    return path
