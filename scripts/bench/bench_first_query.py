"""A first search in Chromium on a built site: bytes of search data downloaded, and keystroke → paint.

Used by bench.py. The site is served by a plain static server (no
compression), as on a closed network; the visitor opens a report list,
types a query into the header box and waits for the dropdown's results.
"""

from __future__ import annotations

from pathlib import Path

from reportkb.testing.browser import CHROMIUM, CHROMIUM_ARGS, StaticServer

FIRST_QUERY = "网评员"
PAINT_QUERIES = ["网评员", "三审制", "意识形态", "工作", "的", "网评员 舆情", "意识形态工作责任制", "學習強國", "量子计算机"]
DATA_BYTES = """() => performance.getEntriesByType('resource')
    .filter(e => e.name.includes('/data/search'))
    .reduce((sum, e) => sum + e.encodedBodySize, 0)"""
# Set the header box's value, fire the input event, resolve after the next paint
# once the dropdown shows the count for this query.
TYPE_AND_PAINT = """q => new Promise(done => {
    const input = document.querySelector('header .md-search__input');
    const meta = document.querySelector('.kb-drop__meta');
    input.value = q;
    const t0 = performance.now();
    input.dispatchEvent(new Event('input'));
    const check = () => {
        if (meta.textContent.includes('“' + q.trim() + '”')) {
            requestAnimationFrame(() => setTimeout(() => done(performance.now() - t0), 0));
        } else setTimeout(check, 1);
    };
    check();
})"""


def measure_first_query(site: Path) -> dict:
    from playwright.sync_api import sync_playwright

    server = StaticServer(site)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            page.goto(f"{server.url}/reports/")
            page.locator("header .md-search__input").click()
            page.keyboard.type(FIRST_QUERY)
            page.wait_for_function("document.querySelectorAll('.kb-drop__list .kb-hit').length > 0", timeout=300_000)
            first = page.evaluate(DATA_BYTES)
            paint = {}
            for query in PAINT_QUERIES:
                page.evaluate(TYPE_AND_PAINT, query)  # loads what the query needs
                paint[query] = min(page.evaluate(TYPE_AND_PAINT, query) for _ in range(3))
            total = page.evaluate(DATA_BYTES)
            browser.close()
    finally:
        server.close()
    return {"first_query_bytes": first, "after_all_queries_bytes": total, "paint_ms": paint,
            "paint_ms_max": max(paint.values())}
