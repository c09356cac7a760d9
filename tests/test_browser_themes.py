"""Annotations, tooltips, tags and cross-links in real Chromium."""

from __future__ import annotations

import re
from urllib.parse import unquote

from helpers import screenshot

REPORT = "000_4923fc270289bbc6"
DUP = "001_9dfe4ea8b472d475-2"


def _no_outside_requests(page, server):
    assert page.requests
    assert [u for u in page.requests if not u.startswith(server.url)] == []


def test_formula_tooltip_shows_its_meaning_on_hover(page, sample_server):
    page.goto(f"{sample_server.url}/reports/{REPORT}/", wait_until="networkidle")
    formula = page.locator("article p.kb-p abbr.kb-formula[data-formula='main-responsibility']").first
    formula.scroll_into_view_if_needed()
    formula.hover()
    tooltip = page.locator(".md-tooltip2--active, .md-tooltip--active").first
    tooltip.wait_for(state="visible")
    assert "领导班子作为整体" in tooltip.inner_text()
    page.wait_for_timeout(500)  # let the fade-in finish before the screenshot
    screenshot(page, "themes-report-tooltip")
    _no_outside_requests(page, sample_server)


def test_placeholder_and_data_marks_have_tooltips(page, sample_server):
    page.goto(f"{sample_server.url}/reports/{DUP}/", wait_until="networkidle")
    ph = page.locator("article .kb-ph").first
    ph.scroll_into_view_if_needed()
    assert ph.inner_text() == "XX"  # the report's first placeholder, as written
    ph.hover()
    tip = page.locator(".md-tooltip2--active, .md-tooltip--active").first
    tip.wait_for(state="visible")
    assert "占位符" in tip.inner_text()
    assert page.locator("article .kb-data").count() > 0


def _show_notes(page) -> None:
    """Annotations sit behind the page's 显示标注 switch (issue 14)."""
    page.locator("button.kb-notes-toggle").click()


def test_tags_badges_and_classification_evidence(page, sample_server):
    page.goto(f"{sample_server.url}/reports/{REPORT}/", wait_until="networkidle")
    _show_notes(page)
    tags = page.locator("nav.md-tags .md-tag").all_inner_texts()
    assert "责任落实" in tags and "工作做法" in tags
    heading = page.locator("h2#一加强意识形态工作组织领导强化主体责任")
    labels = heading.locator("xpath=following-sibling::div[contains(@class,'kb-labels')][1]")
    assert labels.locator("a.kb-badge.kb-theme").first.inner_text() == "责任落实"
    why = heading.locator("xpath=following-sibling::details[contains(@class,'kb-why')][1]")
    assert not why.evaluate("d => d.open")
    assert not why.locator("table").is_visible()
    why.locator("summary").click()
    assert why.evaluate("d => d.open")
    assert why.locator("table").is_visible()
    assert "主体责任" in why.locator("table").inner_text()
    why.scroll_into_view_if_needed()
    screenshot(page, "themes-report-evidence")
    # The badge leads to the theme page …
    labels.locator("a.kb-badge.kb-theme").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/themes/responsibility/")
    assert page.locator("article h1").inner_text().startswith("责任落实")
    # … whose exemplars link to the exact heading on a report page.
    page.locator("article details.kb-group summary").first.click()  # sections are grouped by role, collapsed
    link = page.locator("article details.kb-group ol > li a[href*='/reports/']").first
    link.click()
    page.wait_for_load_state()
    anchor = unquote(page.evaluate("location.hash"))[1:]
    assert anchor and page.locator(f"[id='{anchor}']").count() == 1
    assert page.locator(f"[id='{anchor}']").evaluate("e => /^H[1-6]$/.test(e.tagName)")


def test_tag_leads_to_tag_listing(page, sample_server):
    page.goto(f"{sample_server.url}/reports/{REPORT}/", wait_until="networkidle")
    _show_notes(page)
    page.locator("nav.md-tags a.md-tag", has_text="网络阵地").click()
    page.wait_for_load_state()
    assert "/themes/" in page.url
    assert page.locator("article").get_by_text("2020年上半年意识形态工作自查报告").count() >= 1


def test_near_duplicate_notice_links_both_ways(page, sample_server):
    page.goto(f"{sample_server.url}/reports/{DUP}/", wait_until="networkidle")
    notice = page.locator("article .kb-similar").first
    assert "高度相似" in notice.inner_text() and "%" in notice.inner_text()
    notice.locator("a").first.click()
    page.wait_for_load_state()
    assert REPORT in page.url
    assert "高度相似" in page.locator("article .kb-similar").first.inner_text()


def test_theme_page_and_glossary_and_overview_render(page, sample_server):
    page.goto(f"{sample_server.url}/themes/network/", wait_until="networkidle")
    assert page.locator("article h2#范例").count() == 1
    intro = page.locator("article h2#范例 + p").inner_text()
    total, shown = (int(n) for n in re.match(r"共 (\d+) 节，下面列出\D*(\d+) 节", intro).groups())
    copies = re.search(r"另有近似重复报告中的 (\d+) 节", intro)
    page.evaluate("document.querySelectorAll('article details.kb-group').forEach(d => d.open = true)")
    items = page.locator("article h2#范例 ~ details.kb-group ol > li")
    assert total > 5 and shown == total  # the sample corpus shows every exemplar
    assert items.count() == shown + (int(copies.group(1)) if copies else 0)  # one list item per exemplar, none swallowed
    assert all(item.locator("blockquote").count() == 1 for item in items.all())  # each with an excerpt
    screenshot(page, "themes-theme-page")
    page.goto(f"{sample_server.url}/formulas/#main-responsibility", wait_until="networkidle")
    page.locator("#main-responsibility ~ details.kb-kwic summary").first.click()  # collapsed per formula (issue 14)
    row = page.locator("#main-responsibility ~ .kb-kwic tbody tr").first
    cells = row.locator("td")
    assert cells.nth(1).inner_text() == "主体责任"
    # Left context is right-aligned so the formulas line up.
    assert cells.nth(0).evaluate("e => getComputedStyle(e).textAlign") in {"right", "end"}
    screenshot(page, "themes-formulas")
    page.goto(f"{sample_server.url}/overview/", wait_until="networkidle")
    charts = page.locator("article figure.kb-chart svg")
    assert charts.count() == 5
    box = charts.first.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 50
    assert page.locator("article table a[href*='/reports/']").count() > 10
    charts.first.scroll_into_view_if_needed()
    screenshot(page, "themes-overview")
    _no_outside_requests(page, sample_server)
