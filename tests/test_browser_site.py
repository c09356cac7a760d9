"""The site as a writer uses it, in real Chromium: guides, report text first, phone, print, Chinese only.

Each test is one rule of issue 14; the screenshots (tests/artifacts/site-*.png)
are for a person to look at: every page type at 1366×900 and 390×844, and
print previews.
"""

from __future__ import annotations

import json
import re

import pytest

from helpers import ARTIFACTS, browser_context, screenshot

REPORT = "001_9dfe4ea8b472d475-3"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
PAGE_TYPES = {
    "home": "",
    "guides": "guides/",
    "guide": "guides/network-problems/",
    "themes": "themes/",
    "theme": "themes/network/",
    "roles": "roles/",
    "role": "roles/problems/",
    "report": f"reports/{REPORT}/",
    "reports": "reports/",
    "overview": "overview/",
    "formulas": "formulas/",
    "requirements": "requirements/",
    "requirement": "requirements/network/",
    "search": "search/",
    "check": "check/",
    "maintain": "maintain/",
}
SENTENCE_END = "。！？；;!?”）)"


@pytest.fixture()
def phone(browser, sample_server):
    context = browser_context(browser, viewport=PHONE)
    tab = context.new_page()
    yield tab
    context.close()


def _open(tab, server, path: str) -> None:
    tab.goto(f"{server.url}/{path}", wait_until="networkidle")


def test_home_reaches_three_whole_exemplars_of_a_theme_and_role_in_two_clicks(browser, sample_server, sample_site):
    context = browser_context(browser, viewport=DESKTOP, permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    _open(page, sample_server, "")
    page.locator("article a", has_text="写作指南").first.click()  # click 1
    page.wait_for_load_state("networkidle")
    page.locator("article table a[href*='network-problems']").click()  # click 2
    page.wait_for_load_state("networkidle")
    assert page.locator("article h1").inner_text().rstrip("¶") == "网络阵地 · 存在问题"
    exemplars = page.locator("article .kb-exemplar")
    assert 3 <= exemplars.count() <= 5
    assert "范例的挑法" in page.locator("article").inner_text()  # one sentence says how they were chosen
    corpus = json.loads((sample_site / "site" / "data" / "corpus.json").read_text(encoding="utf-8"))
    sections = {}  # (report, anchor) → the section's text with its subsections, as on the report page
    for r in corpus["reports"]:
        for i, o in enumerate(r["outline"]):
            below = []
            for later in r["outline"][i + 1 :]:
                if later["depth"] <= o["depth"]:
                    break
                below.append(later["text"])
            sections[(r["id"], o["anchor"])] = o["text"] + "".join(below)
    texts = []
    for i in range(exemplars.count()):
        box = exemplars.nth(i)
        text = box.locator(".kb-exemplar-text").inner_text().replace("\n", "")
        assert text.rstrip()[-1] in SENTENCE_END, text[-20:]  # never cut mid-sentence
        source = box.locator("xpath=preceding-sibling::p[1]//a[contains(@href, '/reports/')]")
        rid, anchor = re.search(r"/reports/([^/]+)/#(.+)$", source.get_attribute("href")).groups()
        from urllib.parse import unquote

        whole = sections[(rid, unquote(anchor))]
        assert "".join(whole.split()) == "".join(text.split())  # the whole section, as on its report page
        texts.append(text)
    assert len(set(texts)) == len(texts)
    # Distinct: no exemplar shares most of its character pairs with another.
    pairs = [{t[i : i + 2] for i in range(len(t) - 1)} for t in texts]
    for a in range(len(pairs)):
        for b in range(a + 1, len(pairs)):
            assert len(pairs[a] & pairs[b]) / min(len(pairs[a]), len(pairs[b])) < 0.5
    button = exemplars.first.locator("button.kb-copy")
    button.click()
    page.wait_for_function("document.querySelector('button.kb-copy').textContent === '已复制'")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "".join(copied.split()) == "".join(texts[0].split())
    screenshot(page, "site-guide-copied")
    context.close()


def test_cause_guide_shows_the_cause_analysis_found_inside_a_problems_part(page, sample_server):
    _open(page, sample_server, "guides/")
    header = page.locator("article table thead th").all_inner_texts()
    column = header.index("原因分析")
    cells = page.locator(f"article table tbody tr td:nth-child({column + 1}) a")
    counts = [int(re.match(r"(\d+) 节", t).group(1)) for t in cells.all_inner_texts()]
    assert sum(counts) >= 1
    target = cells.nth(next(i for i, n in enumerate(counts) if n))
    target.click()
    page.wait_for_load_state("networkidle")
    text = page.locator("article .kb-exemplar-text").first.inner_text()
    assert text.startswith("产生问题的原因一是") and text.endswith("新手段不多。")
    assert "暂无" not in page.locator("article").inner_text() and "—。" not in page.locator("article").inner_text()
    screenshot(page, "site-guide-causes")


def _int(text: str) -> int:
    return int(re.search(r"\d+", text).group(0))


def test_counts_agree_on_every_page(page, sample_server):
    _open(page, sample_server, "themes/")
    rows = page.locator("article table").first.locator("tbody tr")
    index_counts = {}
    for i in range(rows.count()):
        cells = rows.nth(i).locator("td").all_inner_texts()
        index_counts[cells[0]] = (int(cells[2]), int(cells[3]))
    assert index_counts["网络阵地"][1] > 5
    _open(page, sample_server, "guides/")
    matrix = {}
    for row in page.locator("article table tbody tr").all():
        cells = row.locator("td").all_inner_texts()
        matrix[cells[0]] = sum(_int(c) for c in cells[1:])
    _open(page, sample_server, "overview/")
    chart = page.locator("article figure.kb-chart", has_text="各主题各有几节")
    titles = "els => els.map(e => e.textContent)"
    bars = {t.split("：")[0]: _int(t.split("：")[1]) for t in chart.locator("g > title").evaluate_all(titles)}
    chart = page.locator("article figure.kb-chart", has_text="写到各主题的报告有几篇")
    covered = {t.split("：")[0]: _int(t.split("：")[1]) for t in chart.locator("g > title").evaluate_all(titles)}
    total_reports = _int(page.locator("article p").first.inner_text().split("下列数字基于")[1])
    checked = 0
    for name, (reports, sections) in index_counts.items():
        assert matrix[name] == sections == bars[name], name
        assert covered[name] == reports, name
        checked += 1
    assert checked == 5
    _open(page, sample_server, "themes/network/")
    article = page.locator("article").inner_text()
    assert f"共 {index_counts['网络阵地'][1]} 节，下面列出全部 {index_counts['网络阵地'][1]} 节" in article
    assert re.search(rf"{total_reports} 篇报告（近似重复只计一次）中有 {index_counts['网络阵地'][0]} 篇写到", article)
    assert "统计口径" in article
    _open(page, sample_server, "requirements/")
    shares = page.locator("article table tbody tr td:nth-child(4)").all_inner_texts()
    assert shares and all(s.endswith(f"/{total_reports}") for s in shares)  # the same reports as the theme pages
    _open(page, sample_server, "requirements/network/")
    assert all(f"/{total_reports} 篇报告回应" in t for t in re.findall(r"覆盖：\d+/\d+ 篇报告回应", page.locator("article").inner_text()))
    _open(page, sample_server, "guides/#统计口径")
    assert "近似重复的报告不计入" in page.locator("article").inner_text()


def test_report_text_first_and_annotations_behind_one_remembered_switch(browser, sample_server):
    context = browser_context(browser, viewport=PHONE)
    page = context.new_page()
    _open(page, sample_server, f"reports/{REPORT}/")
    first = page.locator("article p.kb-p").first
    assert first.bounding_box()["y"] < PHONE["height"] * 0.8  # report text on the first phone screen
    for css in (".kb-labels", "details.kb-why", ".kb-used", ".md-content .md-tags"):
        assert page.locator(f"article {css}, {css}").first.is_hidden(), css
    toggle = page.locator("button.kb-notes-toggle")
    assert toggle.count() == 1 and toggle.inner_text() == "显示标注"
    screenshot(page, "site-report-phone")
    toggle.click()
    assert page.locator("article .kb-labels").first.is_visible()
    assert page.locator("article details.kb-why").first.is_visible()
    assert toggle.inner_text() == "隐藏标注"
    page.reload(wait_until="networkidle")  # the choice is remembered
    assert page.locator("article .kb-labels").first.is_visible()
    screenshot(page, "site-report-phone-notes")
    _open(page, sample_server, "reports/000_4923fc270289bbc6/")  # … on every report page
    assert page.locator("article .kb-labels").first.is_visible()
    page.locator("button.kb-notes-toggle").click()
    page.reload(wait_until="networkidle")
    assert page.locator("article .kb-labels").first.is_hidden()
    context.close()


def test_no_ranking_jargon_on_staff_pages(page, sample_server):
    for path in ("themes/network/", "roles/problems/", "guides/network-problems/", f"reports/{REPORT}/"):
        _open(page, sample_server, path)
        if page.locator("button.kb-notes-toggle").count():
            page.locator("button.kb-notes-toggle").click()
            page.locator("article details.kb-why summary").first.click()
        text = page.locator("article").inner_text()
        for word in ("得分", "首选主题", "log", "权重"):
            assert word not in text, (path, word)


def test_printed_report_has_no_navigation_and_no_scoring_table(page, sample_server):
    _open(page, sample_server, f"reports/{REPORT}/")
    page.locator("button.kb-notes-toggle").click()  # even with the annotations on screen
    page.emulate_media(media="print")
    for css in (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer", ".kb-toolbar"):
        assert page.locator(css).first.is_hidden(), css
    assert page.locator("details.kb-why").evaluate_all("els => els.filter(e => e.offsetParent !== null).length") == 0
    assert page.locator(".kb-coverage").is_hidden()
    visible_tables = page.locator("article table").evaluate_all(
        "ts => ts.filter(t => t.getClientRects().length).map(t => t.closest('.kb-meta') ? 'meta' : 'other')")
    assert visible_tables == ["meta"]  # only the source box, no scoring or coverage table
    title = page.locator("article h1").bounding_box()
    source = page.locator("article .kb-meta summary").bounding_box()
    assert title["y"] < source["y"] < 1000 and "出处" in page.locator("article .kb-meta summary").inner_text()
    for css in ("article h2", "article h3"):
        assert page.locator(css).first.evaluate("e => getComputedStyle(e).breakAfter") == "avoid"
    assert page.locator("article p.kb-p").first.evaluate("e => getComputedStyle(e).breakInside") == "avoid"
    pdf = page.pdf(format="A4")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "site-report-print.pdf").write_bytes(pdf)
    page.screenshot(path=str(ARTIFACTS / "site-report-print.png"))


LATIN_RE = re.compile(r"[A-Za-z]{2,}")


@pytest.fixture(scope="module")
def report_latin_words(sample_site) -> set[str]:
    """Latin-letter words the reports themselves contain (XX, LED …): these may be shown."""
    corpus = json.loads((sample_site / "site" / "data" / "corpus.json").read_text(encoding="utf-8"))
    texts = [r["title"] + r["opening"] + "".join(o["text"] + o["heading"] for o in r["outline"]) for r in corpus["reports"]]
    return set(LATIN_RE.findall(" ".join(texts)))


STAFF_PAGES = [p for name, p in PAGE_TYPES.items() if name != "maintain"] + ["guides/study-causes/", "themes/team/", "404.html"]


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_no_latin_words_on_staff_pages_but_those_of_the_reports(page, sample_server, report_latin_words, path):
    _open(page, sample_server, path)
    page.evaluate("document.querySelectorAll('article details').forEach(d => d.open = true)")  # what opens counts too
    text = page.evaluate("document.querySelector('.md-container').innerText + ' ' + document.title")  # what is rendered
    assert sorted(set(LATIN_RE.findall(text)) - report_latin_words) == []


TABLE_PAGES = ("reports/", "themes/", "roles/", "guides/", "requirements/", "overview/", "formulas/", "themes/network/",
               "guides/network-problems/", "requirements/network/", f"reports/{REPORT}/")


def test_no_table_column_narrower_than_64px_on_a_phone(phone, sample_server):
    checked = 0
    for path in TABLE_PAGES:
        _open(phone, sample_server, path)
        if phone.locator("button.kb-notes-toggle").count():
            phone.locator("button.kb-notes-toggle").click()
        phone.evaluate("document.querySelectorAll('article details').forEach(d => d.open = true)")
        widths = phone.locator("article td, article th").evaluate_all(
            "cs => cs.filter(c => c.getClientRects().length && c.offsetParent !== null).map(c => c.getBoundingClientRect().width)")
        assert min(widths, default=64) >= 64, (path, min(widths))
        overflow = phone.evaluate("document.scrollingElement.scrollWidth")
        assert overflow <= PHONE["width"] + 1, (path, overflow)
        checked += len(widths)
    assert checked > 100


def test_chart_labels_are_at_least_11px_on_a_phone(phone, sample_server):
    _open(phone, sample_server, "overview/")
    sizes = phone.locator("article figure.kb-chart svg").evaluate_all("""svgs => svgs.flatMap(svg => {
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        return [...svg.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
    })""")
    assert len(sizes) > 20 and min(sizes) >= 11, min(sizes)
    phone.locator("article figure.kb-chart").first.scroll_into_view_if_needed()
    screenshot(phone, "site-overview-chart-phone")


def test_long_pages_are_collapsed_per_entry_on_a_phone(phone, sample_server):
    _open(phone, sample_server, "formulas/")
    height = phone.evaluate("document.documentElement.scrollHeight")
    assert height < 37_000 / 2, height
    kwic = phone.locator("article details.kb-kwic")
    assert kwic.count() > 10 and kwic.evaluate_all("ds => ds.every(d => !d.open)")
    kwic.first.locator("summary").click()
    assert kwic.first.locator("table").is_visible()
    _open(phone, sample_server, "requirements/network/")
    assert phone.locator("article details.kb-passages").count() >= 1


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_screenshots_of_every_page_type(browser, sample_server, size):
    context = browser_context(browser, viewport=DESKTOP if size == "desktop" else PHONE)
    page = context.new_page()
    for name, path in PAGE_TYPES.items():
        _open(page, sample_server, path)
        assert page.locator("article h1").count() == 1, path
        screenshot(page, f"site-{name}-{size}")
    page.emulate_media(media="print")
    for name in ("report", "theme", "guide"):
        _open(page, sample_server, PAGE_TYPES[name])
        screenshot(page, f"site-{name}-print-{size}")
    context.close()
