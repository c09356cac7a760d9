"""Shared fixtures: the sample site built once, gold, the browser."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from reportkb.testing.browser import CHROMIUM, CHROMIUM_ARGS, StaticServer

from helpers import FIXTURES, copy_project, mkdocs_build


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
