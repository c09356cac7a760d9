"""The home page starts from the writer's tasks; the 404 page is Chinese."""

from __future__ import annotations

import re


def test_home_page_links_every_task_and_no_maintainer_content(sample_site):
    html = (sample_site / "site" / "index.html").read_text(encoding="utf-8")
    article = html[html.index("<article"):html.index("</article>")]
    for task in ("写某一部分", "查关键词", "检查初稿"):
        assert task in article
    links = set(re.findall(r'href="([^"#]+)', article))
    for target in ("themes/", "roles/", "search/", "check/", "reports/"):
        assert target in links, (target, sorted(links))
    # Staff never see files, commands or the repository on the home page.
    for word in ("README", "kb.py", "scripts/", ".json", "sources/"):
        assert word not in article


def test_404_page_is_chinese(sample_site):
    html = (sample_site / "site" / "404.html").read_text(encoding="utf-8")
    assert "找不到该页面" in html
    assert "Not found" not in html
