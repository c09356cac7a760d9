"""``mkdocs build`` reading and rendering report pages in forked processes: the same site, the same warnings,
clear failures.

Real MkDocs builds of a 70-report project, once on one process and once with
two processes (forced, so this runs on a one-core machine too), through
MkDocs' own command line: a reader converts most report pages while MkDocs
reads the rest (``cli/page_readers.py``), then page workers render them
(``cli/page_workers.py``). A second hook in the project logs a warning, or
fails, on report pages, as a maintainer's own hook might.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from reportkb.cli.page_workers import MIN_PAGES
from reportkb.testing.corpus import make_corpus

from helpers import copy_project

BUILD = """
import sys
from reportkb.cli import mkdocs_hook
mkdocs_hook.default_workers = lambda: int(sys.argv[1])  # as on a machine with that many cores
from mkdocs.__main__ import cli
cli(["build", "-d", sys.argv[2], *sys.argv[3:]])
"""

EXTRA_HOOK = """
import logging, os, time
log = logging.getLogger("mkdocs.plugins.extra")
MAIN = os.getpid()
def on_page_markdown(markdown, page, config, files):
    test = os.environ.get("KB_TEST", "")
    if test.startswith("read-") and page.file.src_uri.startswith("reports/"):
        where = "main" if os.getpid() == MAIN else "reader"
        if test == "read-warn":
            log.warning("extra hook reads %s in the %s process", page.file.src_uri, where)
        if test == "read-link":  # in every process: the link's warning comes from converting the page
            if where == "main":
                time.sleep(0.02)  # MkDocs' process slowed down: the reader converts most pages
            return markdown + "\\n\\n[缺失的页面](missing-page.md)\\n"
        if test == "read-fail" and where == "reader":
            raise RuntimeError("extra hook failed on " + page.file.src_uri)
        if test == "read-differs" and where == "reader":
            return markdown + "\\n\\n只在读取进程中出现的一段。\\n"
    return markdown
def on_page_context(context, page, config, nav):
    test = os.environ.get("KB_TEST")
    if test and page.file.src_uri.startswith("reports/"):
        where = "main" if os.getpid() == MAIN else "worker"
        if test == "fail" and where == "worker":
            raise RuntimeError("extra hook failed on " + page.file.src_uri)
        if test == "warn":
            log.warning("extra hook warns on %s in the %s process", page.file.src_uri, where)
    return context
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("workers")
    make_corpus(MIN_PAGES + 6, root / "sources", seed=7)
    project = copy_project(root / "p", root / "sources")
    (project / "extra_hook.py").write_text(EXTRA_HOOK, encoding="utf-8")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(config.replace("hooks:\n", "hooks:\n  - extra_hook.py\n"), encoding="utf-8")
    return project


def build(project: Path, workers: int, site: str, *flags: str, strict: bool = False, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", BUILD, str(workers), site, *flags, *(["--strict"] if strict else [])],
                          cwd=project,
                          capture_output=True, text=True, timeout=900, env=dict(os.environ, NO_MKDOCS_2_WARNING="1", **env))


def site_hashes(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def report_pages(project: Path) -> list[str]:
    return sorted(p.relative_to(project / "docs").as_posix() for p in (project / "docs" / "reports").rglob("*.md"))


def test_two_workers_build_the_same_site_as_one_process(project):
    one, two = build(project, 1, "site-one"), build(project, 2, "site-two")
    assert one.returncode == 0 and two.returncode == 0, one.stderr + two.stderr
    assert len(report_pages(project)) > MIN_PAGES
    assert site_hashes(project / "site-one") == site_hashes(project / "site-two")


def test_warnings_on_pages_a_worker_renders_are_shown_once_and_fail_strict(project):
    pages = report_pages(project)
    lenient = build(project, 2, "site-warn", KB_TEST="warn")
    assert lenient.returncode == 0, lenient.stderr
    warned = re.findall(r"extra hook warns on (\S+) in the (\w+) process", lenient.stderr)
    assert sorted(page for page, _ in warned) == pages  # every page once, whoever rendered it
    assert {where for _, where in warned} == {"main", "worker"}
    strict = build(project, 2, "site-strict", strict=True, KB_TEST="warn")
    assert strict.returncode != 0 and f"Aborted with {len(pages)} warnings in strict mode" in strict.stdout + strict.stderr


def test_a_page_a_worker_cannot_render_fails_the_build_with_its_error(project):
    failed = build(project, 2, "site-fail", KB_TEST="fail")
    assert failed.returncode != 0
    assert "并行渲染报告页面失败" in failed.stderr and "RuntimeError: extra hook failed on reports/" in failed.stderr


def test_warnings_while_the_reader_reads_are_shown_once_and_fail_strict(project):
    pages = report_pages(project)
    lenient = build(project, 2, "site-read-warn", KB_TEST="read-warn")
    assert lenient.returncode == 0, lenient.stderr
    read = re.findall(r"extra hook reads (\S+) in the (\w+) process", lenient.stderr)
    # MkDocs' process runs every page's events itself: what a plugin logs there is logged once, by it.
    assert sorted(read) == [(page, "main") for page in pages]
    strict = build(project, 2, "site-read-strict", strict=True, KB_TEST="read-warn")
    assert strict.returncode != 0 and f"Aborted with {len(pages)} warnings in strict mode" in strict.stdout + strict.stderr


@pytest.mark.parametrize("test", ["read-fail", "read-differs"])
def test_a_page_the_reader_fails_on_or_reads_differently_is_converted_by_mkdocs(project, test):
    """What the reader made of it is never used: the site is the one-process site."""
    one, two = build(project, 1, "site-one-ref"), build(project, 2, f"site-{test}", KB_TEST=test)
    assert one.returncode == 0 and two.returncode == 0, one.stderr + two.stderr
    assert "只在读取进程中出现的一段" not in "".join(
        p.read_text(encoding="utf-8") for p in (project / f"site-{test}" / "reports").rglob("*.html"))
    assert site_hashes(project / "site-one-ref") == site_hashes(project / f"site-{test}")


def test_link_warnings_of_pages_the_reader_converts_are_shown_once_and_fail_strict(project):
    pages = report_pages(project)
    lenient = build(project, 2, "site-read-link", "--verbose", KB_TEST="read-link")
    assert lenient.returncode == 0, lenient.stderr
    share = re.search(r"报告页的转换：(\d+) 篇由第二个进程完成，共 (\d+) 篇报告页", lenient.stderr)
    assert share and len(pages) // 2 < int(share[1]) <= int(share[2]) == len(pages), lenient.stderr[-2000:]
    linked = re.findall(r"Doc file '(\S+)' contains a link 'missing-page.md'", lenient.stderr)
    assert sorted(linked) == pages
    strict = build(project, 2, "site-read-link-strict", strict=True, KB_TEST="read-link")
    assert strict.returncode != 0 and f"Aborted with {len(pages)} warnings in strict mode" in strict.stdout + strict.stderr
