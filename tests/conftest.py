"""Shared fixtures: the sample corpus built once (as a site and in memory), gold, the browser.

The session fixtures are read-only: a test that changes files or pages works
on its own copy (``helpers.copy_project``, ``tmp_path``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

import pytest
import yaml

from reportkb.testing.browser import CHROMIUM, CHROMIUM_ARGS, StaticServer

from helpers import FIXTURES, browser_context, copy_project, mkdocs_build, tree_hashes

if TYPE_CHECKING:
    from reportkb.pipeline import Built


@pytest.fixture(scope="session")
def sample_site_build(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """The sample corpus built once with ``mkdocs build --strict``, and its log."""
    project = copy_project(tmp_path_factory.mktemp("sample") / "project")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project, result


@pytest.fixture(scope="session")
def sample_site(sample_site_build) -> Path:
    """The project copy built by ``mkdocs build --strict``: generated ``docs/`` and ``site/``."""
    return sample_site_build[0]


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory) -> Built:
    """The sample corpus built once in memory (pipeline.build): pages, nav, index, problems.

    From a copy of the project, so hand-written pages are where a real run finds
    them; nothing is written. Do not change it: derive with ``dataclasses.replace``.
    """
    from reportkb.config import Settings
    from reportkb.pipeline import build

    project = copy_project(tmp_path_factory.mktemp("sample-build") / "project")
    built = build(Settings(sources=project / "sources", docs=project / "docs"))
    return replace(built, pages=MappingProxyType(built.pages))  # read-only: shared by every test


@pytest.fixture(scope="session")
def sample_docs(tmp_path_factory) -> Path:
    """docs/ of a project copy after one real ``kb.py generate -q --no-cache``: what one run alone leaves."""
    project = copy_project(tmp_path_factory.mktemp("sample-docs") / "project")
    result = subprocess.run([sys.executable, str(project / "scripts" / "kb.py"), "generate", "-q", "--no-cache"],
                            cwd=project, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "docs"


@pytest.fixture(scope="session")
def sample_tree(sample_docs) -> dict[str, str]:
    """helpers.tree_hashes of sample_docs: compare a docs/ with what one run alone writes."""
    return tree_hashes(sample_docs)


@pytest.fixture(scope="module")
def spec(sample_build) -> dict:
    """The sample's checker spec (data/checker.json), a fresh copy for each test module."""
    return json.loads(sample_build.pages["data/checker.json"])


@pytest.fixture(scope="module")
def spec_file(spec, tmp_path_factory) -> Path:
    """``spec`` written to a file, for ``kb.py check --spec``."""
    path = tmp_path_factory.mktemp("spec") / "checker.json"
    path.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    return path


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
    context = browser_context(browser)
    tab = context.new_page()
    tab.requests = []  # type: ignore[attr-defined]
    tab.on("request", lambda r: tab.requests.append(r.url))
    yield tab
    context.close()
