"""生成提纲 and 对比报告 in real Chromium: the downloaded Word file, and the same comparison as kb.py compare."""

from __future__ import annotations

import json
import re
from urllib.parse import urlparse

import pytest

from reportkb.analysis.compare import compare, resolve
from test_outline import check_layout

from helpers import browser_context, screenshot

OLD, COPY = "000_4923fc270289bbc6", "001_9dfe4ea8b472d475-2"


def only_own_host(tab, server) -> None:
    host = urlparse(server.url).netloc
    assert {urlparse(u).netloc for u in tab.requests if u.startswith("http")} == {host}


def test_outline_page_offers_the_word_file_for_the_choice(page, sample_server, sample_site):
    page.goto(f"{sample_server.url}/outline/")
    page.wait_for_selector("#kb-outline-result[data-state=ready]", state="attached")
    page.check("input[name=kb-outline-kind][value=special]")
    for theme in ("责任落实", "理论学习", "宣传引导", "队伍建设"):
        page.uncheck(f"input[name=kb-outline-theme][value={theme}]")
    result = page.locator("#kb-outline-result")
    assert result.locator("h3").all_text_contents()[0] == "一、工作情况"
    assert result.locator("h4").count() == 3  # one section on 网络阵地 in each part
    assert "R20 信息发布审核（三审制）" in result.inner_text()
    assert page.inner_text("#kb-outline-status") == "范例中暂无专项报告（如网络意识形态），以下结构取自全部 6 篇报告。"
    # An exemplar links to its report at the section it quotes.
    href = result.locator("blockquote a").first.get_attribute("href")
    assert "/reports/" in href and "#" in href
    with page.expect_download() as info:
        page.click("#kb-outline-download")
    download = info.value
    assert download.suggested_filename == "专项报告（如网络意识形态）提纲.docx"
    raw = download.path().read_bytes()
    assert raw == (sample_site / "docs" / "outline" / "files" / "special-00100.docx").read_bytes()
    check_layout(raw)
    only_own_host(page, sample_server)


def test_outline_page_without_themes_offers_nothing(page, sample_server):
    page.goto(f"{sample_server.url}/outline/")
    page.wait_for_selector("#kb-outline-result[data-state=ready]", state="attached")
    for box in page.locator("input[name=kb-outline-theme]").all():
        box.uncheck()
    assert page.inner_text("#kb-outline-status") == "请至少选择一个主题。"
    assert page.get_attribute("#kb-outline-download", "href") is None
    assert page.inner_text("#kb-outline-result") == ""


@pytest.fixture(scope="module")
def published(sample_site) -> tuple[list[dict], dict]:
    data = sample_site / "docs" / "data"
    corpus = json.loads((data / "corpus.json").read_text(encoding="utf-8"))["reports"]
    return corpus, json.loads((data / "compare.json").read_text(encoding="utf-8"))


def test_compare_page_finds_what_the_cli_finds(page, sample_server, published):
    corpus, settings = published
    page.goto(f"{sample_server.url}/compare/?a={OLD}&b={COPY}")
    page.wait_for_selector("#kb-compare-result[data-state=ready]", state="attached")
    shown = page.locator(".kb-compare-repeated > li")
    assert shown.count() == 28
    assert shown.first.inner_text().startswith("一、加强意识形态工作组织领导,强化主体责任")
    (a,), (b,) = resolve(corpus, OLD), resolve(corpus, COPY)
    expected = compare(a, b, settings, corpus)
    assert page.evaluate(f"window.kbCompare('{OLD}', '{COPY}')") == expected
    # Every other pair too: the two implementations agree on the whole corpus.
    ids = [r["id"] for r in corpus]
    for x in ids:
        for y in ids:
            if x != y:
                found = page.evaluate("([x, y]) => window.kbCompare(x, y)", [x, y])
                assert found == compare(resolve(corpus, x)[0], resolve(corpus, y)[0], settings, corpus), (x, y)
    only_own_host(page, sample_server)


def test_compare_page_follows_the_pickers(page, sample_server):
    page.goto(f"{sample_server.url}/compare/")
    page.wait_for_selector("#kb-compare-result[data-state=ready]", state="attached")
    page.select_option("#kb-compare-a", "001_9dfe4ea8b472d475-3")
    page.select_option("#kb-compare-b", "003_18adec3924a66559")
    assert "a=001_9dfe4ea8b472d475-3&b=003_18adec3924a66559" in page.url
    text = page.inner_text("#kb-compare-result")
    assert "后一篇新写的 3 条" in text and "（一）运用理论指导实践的能力不足" in text
    page.select_option("#kb-compare-b", "001_9dfe4ea8b472d475-3")
    assert page.inner_text("#kb-compare-status") == "请选择两篇不同的报告。"


@pytest.mark.parametrize(("width", "height"), [(1366, 900), (390, 844)])
def test_screenshots(browser, sample_server, width, height):
    context = browser_context(browser, viewport={"width": width, "height": height})
    tab = context.new_page()
    tab.goto(f"{sample_server.url}/outline/")
    tab.wait_for_selector("#kb-outline-result[data-state=ready]", state="attached")
    screenshot(tab, f"outline-{width}")
    tab.goto(f"{sample_server.url}/compare/?a={OLD}&b={COPY}")
    tab.wait_for_selector("#kb-compare-result[data-state=ready]", state="attached")
    screenshot(tab, f"compare-{width}")
    overflow = tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    context.close()


HOSTILE_HEADING = "一、加强阵地管理<img/src=x/onerror=window.__xss=1>'\"</script>"
"""No spaces: the parser ends such a heading at a space and puts the rest in the body."""
HOSTILE = {
    "hostile-a.txt": "2031年上半年意识形态工作自查报告<img src=x onerror=window.__xss=2>\n",
    "hostile-b.txt": "2032年上半年意识形态工作自查报告</script><script>window.__xss=3</script>\n",
}
HOSTILE_BODY = (HOSTILE_HEADING + "\n网站和新媒体账号按照谁主管谁负责的要求管理<b onmouseover=window.__xss=4>严格</b>审核。\n"
                "二、存在问题\n（一）网络阵地管理<img/src=x/onerror=window.__xss=5>不够规范\n"
                "三、下一步措施\n（一）加强网络阵地管理，落实三审制度。\n")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    from reportkb.testing.browser import StaticServer

    from helpers import copy_project, mkdocs_build

    sources = tmp_path_factory.mktemp("hostile") / "sources"
    sources.mkdir()
    for name, title in HOSTILE.items():
        (sources / name).write_text(title + HOSTILE_BODY, encoding="utf-8")
    project = copy_project(sources.parent / "project", sources)
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    server = StaticServer(project / "site")
    yield server
    server.close()


def test_markup_in_reports_is_shown_as_text(browser, hostile_site):
    context = browser_context(browser)
    tab = context.new_page()
    tab.goto(f"{hostile_site.url}/compare/?a=hostile-a&b=hostile-b")
    tab.wait_for_selector("#kb-compare-result[data-state=ready]", state="attached")
    tab.wait_for_timeout(100)  # a broken image's onerror would have fired by now
    text = tab.inner_text("#kb-compare-result")
    assert HOSTILE_HEADING in text and "（一）网络阵地管理<img/src=x/onerror=window.__xss=5>不够规范" in text
    assert "2032年上半年意识形态工作自查报告</script><script>window.__xss=3</script>" in tab.inner_text("#kb-compare-b")
    assert tab.locator("#kb-compare-result img, #kb-compare-result script, #kb-compare-result b").count() == 0
    tab.goto(f"{hostile_site.url}/outline/")
    tab.wait_for_selector("#kb-outline-result[data-state=ready]", state="attached")
    tab.wait_for_timeout(100)
    assert "加强阵地管理<img/src=x/onerror=window.__xss=1>'\"</script>" in tab.inner_text("#kb-outline-result")
    assert tab.locator("#kb-outline-result img, #kb-outline-result script").count() == 0
    assert tab.evaluate("window.__xss") is None
    context.close()


@pytest.mark.parametrize("path", ["/outline/", f"/compare/?a={OLD}&b={COPY}"])
def test_no_latin_words_but_the_reports_own(page, sample_server, published, path):
    """Staff see no file names, commands or English: only Latin words the reports themselves contain (XX …)."""
    latin = re.compile(r"[A-Za-z]{2,}")
    corpus, _ = published
    own = set(latin.findall(" ".join(r["title"] + r["opening"] + "".join(o["text"] for o in r["outline"]) for r in corpus)))
    page.goto(f"{sample_server.url}{path}")
    page.wait_for_selector("[data-state=ready]", state="attached")
    text = page.evaluate("document.querySelector('.md-container').innerText + ' ' + document.title + ' ' + "
                         "Array.from(document.querySelectorAll('option')).map(o => o.textContent).join(' ')")
    assert sorted(set(latin.findall(text)) - own) == []
