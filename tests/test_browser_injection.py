"""Markup and odd characters in report titles, addressees and file names: shown as text (file names: not at all), never run.

A real ``mkdocs build`` of the sample corpus plus hostile reports, opened in
Chromium. Each payload either calls ``alert`` (caught as a dialog) or sets
``window.__xss``; neither may happen on any page, and the titles must be
visible as the literal text.
"""

from __future__ import annotations

import shutil
from urllib.parse import quote

import pytest
from mkdocs.utils.meta import get_data

from reportkb.pages.overview import bar_chart
from reportkb.pages.safe import front_matter
from reportkb.testing.browser import StaticServer
from reportkb.text.markup import html_attr, html_text

from helpers import ROOT, browser_context, copy_project, mkdocs_build

BODY = (
    "一、加强组织领导，落实主体责任\n"
    "1.高度重视。党委领导班子履行意识形态工作的主体责任，加强对网络阵地和宣传工作的组织领导。\n"
    "二、存在问题\n"
    "宣传阵地管理还需加强，理论学习还不够深入。\n"
)
EVIL = {
    # id: (file name, first lines)
    "evil-img": ("evil-img.txt", "关于2031年意识形态工作的自查报告<img src=x onerror=alert(1)>"),
    "evil-script": ("evil-script.txt", "关于2031年\"意识形态'工作</script><script>window.__xss=2</script>的自查报告"),
    "evil-title": ("evil-title.txt", "中共'X\"党委</title><img src=x onerror=window.__xss=3>关于2031年意识形态工作的自查报告"),
    "evil-addressee": ("evil-addressee.txt",
                       "关于2031年意识形态工作的半年总结\n区委宣传部<img src=x onerror=window.__xss=4>："),
    "evil-heading": ("evil-heading.txt", "关于2031年意识形态工作的情况汇报\n"
                     "三、加强阵地管理<svg/onload=window.__xss=6>'\"</script>\n网站和新媒体账号按照谁主管谁负责的要求管理。"),
}
EVIL_TITLES = {rid: lines.split("\n")[0] for rid, (_, lines) in EVIL.items()}
EVIL_FILE = "x<img src=x onerror=window.__xss=5>.txt"
"""A file name with markup (its id is a slug with a hash)."""
CONTROL_TITLE = "关于2032年意识形态\x01工作\u2028的\uffff自查\x7f报告\x85\u2029\ufeff\x9f"
"""Characters JSON leaves raw that YAML refuses or folds (control_title page)."""


@pytest.fixture(scope="module")
def evil_site(tmp_path_factory):
    sources = tmp_path_factory.mktemp("evil") / "sources"
    shutil.copytree(ROOT / "sources", sources)
    for name, lines in EVIL.values():
        (sources / name).write_text(lines + "\n" + BODY, encoding="utf-8")
    (sources / EVIL_FILE).write_text("关于2031年意识形态工作的情况报告\n" + BODY, encoding="utf-8")
    (sources / "control.txt").write_text(CONTROL_TITLE + "\n" + BODY, encoding="utf-8")
    project = copy_project(sources.parent / "project", sources)
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    server = StaticServer(project / "site")
    yield project, server
    server.close()


@pytest.fixture()
def tab(browser, evil_site):
    """A page that records dialogs (alert) instead of showing them."""
    context = browser_context(browser)
    page = context.new_page()
    page.dialogs = []  # type: ignore[attr-defined]
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    yield page
    context.close()


def _open(tab, server, path: str):
    tab.goto(f"{server.url}{path}")
    tab.wait_for_load_state("load")
    if path.startswith("/search/"):
        tab.wait_for_selector("#kb-search[data-state=done]")
    tab.wait_for_timeout(100)  # let a broken image's onerror fire, if any was parsed as HTML
    return tab


def _assert_inert(tab, where: str) -> None:
    assert tab.dialogs == [], f"{where}: alert ran: {tab.dialogs}"
    assert tab.evaluate("window.__xss") is None, f"{where}: script ran"
    injected = tab.evaluate("document.querySelectorAll('[onerror], img[src=x], script:not([src]):not([type])').length")
    material_inline = tab.evaluate("[...document.scripts].filter(s => !s.src && !s.type && !s.text.includes('__xss')).length")
    assert injected == material_inline, f"{where}: an element from a report was parsed as HTML"


def _text(tab) -> str:
    return tab.locator("body").inner_text()


def test_report_pages_show_titles_as_text_and_run_nothing(tab, evil_site):
    _, server = evil_site
    for rid, title in EVIL_TITLES.items():
        _open(tab, server, f"/reports/{rid}/")
        _assert_inert(tab, rid)
        assert tab.locator("article h1").inner_text().removesuffix("¶") == title
        assert tab.title().startswith(f"{title} - "), (rid, tab.title())
        topic = tab.locator(".md-header__topic[data-md-component=header-topic]").text_content()
        assert topic.strip() == title
    # Their year's list (the nav's entry for them) shows the titles as written.
    _open(tab, server, "/reports/years/2031/")
    _assert_inert(tab, "year list")
    listed = tab.locator("article table").text_content()
    for title in EVIL_TITLES.values():
        assert title in listed, title


def test_addressee_heading_and_file_name_with_markup_are_text(tab, evil_site):
    project, server = evil_site
    _open(tab, server, "/reports/evil-addressee/")
    _assert_inert(tab, "addressee")
    assert "区委宣传部<img src=x onerror=window.__xss=4>" in _text(tab)
    _open(tab, server, "/reports/evil-heading/")
    _assert_inert(tab, "heading")
    heading = "三、加强阵地管理<svg/onload=window.__xss=6>'\"</script>"
    assert tab.locator("article h2", has_text="加强阵地管理").inner_text().removesuffix("¶") == heading
    assert heading in tab.locator(".md-nav--secondary").last.text_content()  # the table of contents
    evil_id = next(p.stem for p in (project / "docs" / "reports").glob("x-img-*.md"))
    _open(tab, server, f"/reports/{evil_id}/")
    _assert_inert(tab, "file name")
    assert "关于2031年意识形态工作的情况报告" in _text(tab)  # the page is there; staff pages show no file names
    assert EVIL_FILE not in _text(tab)


@pytest.mark.parametrize("path", ["/reports/", "/themes/", "/themes/responsibility/", "/roles/", "/overview/",
                                  "/requirements/", "/formulas/", f"/search/?q={quote('2031年')}"])
def test_pages_listing_the_reports_run_nothing_and_show_the_titles(tab, evil_site, path):
    _, server = evil_site
    _open(tab, server, path)
    _assert_inert(tab, path)
    text = tab.locator("body").text_content()
    if path in ("/reports/", "/themes/", "/overview/") or path.startswith("/search/"):
        for title in EVIL_TITLES.values():
            assert title in text, (path, title)


def test_a_title_with_control_characters_keeps_its_front_matter(tab, evil_site):
    project, server = evil_site
    page = (project / "docs" / "reports" / "control.md").read_text(encoding="utf-8")
    body, meta = get_data(page)  # how MkDocs reads it
    assert meta["title"] == html_text(CONTROL_TITLE)
    assert meta["tags"], "tags lost"
    assert not body.startswith("---")
    _open(tab, server, "/reports/control/")
    _assert_inert(tab, "control")
    assert tab.locator(".md-tag").count() == len(meta["tags"])
    assert sorted(t.strip() for t in tab.locator(".md-tag").all_text_contents()) == sorted(meta["tags"])
    assert "title:" not in tab.locator("article").text_content()  # the YAML is not shown as text
    assert tab.title().startswith("关于2032年意识形态")


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x1f", "\x7f", "\x80", "\x85", "\x9f", "\u2028", "\u2029",
                                  "\ufeff", "\ufffe", "\uffff", "\U0010ffff", "\U0001f600", '"', "'", "\\", "\n", "\r",
                                  "\t", "</script>", "<", "&", "---", "\n---\n", "#", ": "])
def test_front_matter_round_trips_any_title(char):
    title = f"关于{char}的自查报告{char}"
    tags = [f"主题{char}", "责任落实"]
    page = front_matter(title=title, tags=tags) + "# x\n"
    body, meta = get_data(page)
    assert meta == {"title": html_text(title), "tags": [html_text(t) for t in tags]}
    assert body == "# x\n"


def test_chart_labels_from_units_are_text():
    """Units come from a fixed vocabulary today (parse.PARTY_UNIT_RE); the charts escape them anyway."""
    evil = "单位\"'</title></svg><img src=x onerror=window.__xss=7>"
    svg = bar_chart(evil, [(evil, 3)], "篇")
    assert "<img" not in svg
    assert svg.count("</title>") == 2 and svg.count("</svg>") == 1  # the chart's own, the bar's own: none from the label
    assert html_text(evil[:12]) in svg and html_attr(evil) in svg
