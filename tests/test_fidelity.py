"""Every character of every report reaches its built page; noise reaches none."""

from __future__ import annotations

import json

import pytest
import yaml

from helpers import FIXTURES, ROOT
from sitetext import article_text, report_html

GOLD = yaml.safe_load((FIXTURES / "gold.yml").read_text(encoding="utf-8"))["files"]


@pytest.mark.parametrize("name", sorted(GOLD))
def test_every_non_noise_line_is_on_its_pages_in_order(sample_site, name):
    site = sample_site / "site"
    corpus = json.loads((sample_site / "docs" / "data" / "corpus.json").read_text(encoding="utf-8"))
    ids = [r["id"] for r in sorted(corpus["reports"], key=lambda r: r["part"]) if r["source"] == name]
    assert ids, name
    text = "".join(article_text(report_html(site, rid)) for rid in ids)
    noise = set(GOLD[name].get("noise_lines", []))
    lines = (ROOT / "sources" / name).read_text(encoding="utf-8").split("\n")
    pos = 0
    checked = 0
    for number, line in enumerate(lines, 1):
        if number in noise or not line.strip():
            continue
        found = text.find(line, pos)
        assert found >= 0, f"{name}:{number} missing or out of order: {line[:40]}…"
        pos = found + len(line)
        checked += 1
    assert checked > 10


def test_advertisement_lines_appear_nowhere_in_the_site(sample_site):
    lines = (ROOT / "sources" / "004_9e0e379dcb2381a6.txt").read_text(encoding="utf-8").split("\n")
    ads = [lines[n - 1].strip() for n in GOLD["004_9e0e379dcb2381a6.txt"]["noise_lines"] if lines[n - 1].strip()]
    assert len(ads) == 8
    files = [p for p in (sample_site / "site").rglob("*") if p.is_file() and p.suffix in {".html", ".json", ".js", ".xml", ".txt"}]
    assert files
    for path in files:
        content = path.read_text(encoding="utf-8", errors="replace")
        for ad in ads:
            # search_index.json escapes nothing Chinese, so a plain search is enough.
            assert ad not in content, f"{ad!r} found in {path}"


def test_placeholders_and_markdown_characters_stay_literal(sample_site):
    page = (sample_site / "site" / "reports" / "003_18adec3924a66559" / "index.html").read_text(encoding="utf-8")
    text = article_text(sample_site / "site" / "reports" / "003_18adec3924a66559" / "index.html")
    assert "二、***意识形态工作领域存在问题" in text
    assert "在**党委的正确领导下，*党委认真贯彻" in text
    # Nothing was turned into emphasis.
    assert "<em>" not in page and "<strong>党委" not in page
