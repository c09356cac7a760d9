"""Report pages in real Chromium, served by a plain static server."""

from __future__ import annotations

from urllib.parse import quote

from helpers import screenshot


def test_report_page_requests_nothing_from_another_host(page, sample_server):
    page.goto(f"{sample_server.url}/reports/004_9e0e379dcb2381a6/", wait_until="networkidle")
    assert page.title().startswith("市X局2020年上半年意识形态工作总结")
    assert page.requests, "the page loaded nothing at all"
    outside = [u for u in page.requests if not u.startswith(sample_server.url)]
    assert outside == []
    # Headings are real headings with Chinese anchors and appear in the page TOC.
    toc = page.locator("nav.md-nav--secondary a.md-nav__link").all_inner_texts()
    assert any("重点工作任务完成情况" in t for t in toc)
    page.locator("a.md-nav__link[href='#一重点工作任务完成情况']:visible").first.click()
    assert page.evaluate("location.hash") == "#" + quote("一重点工作任务完成情况")
    screenshot(page, "report-004")


def test_placeholders_show_literally(page, sample_server):
    page.goto(f"{sample_server.url}/reports/003_18adec3924a66559/")
    heading = page.locator("h2", has_text="意识形态工作领域存在问题").inner_text()
    assert heading.startswith("二、***意识形态工作领域存在问题")


def test_report_index_lists_all_reports(page, sample_server):
    page.goto(f"{sample_server.url}/reports/")
    rows = page.locator("article table tbody tr")
    assert rows.count() == 7
    screenshot(page, "report-index")
