"""The real site build: strict, complete, and closed-network safe."""

from __future__ import annotations

import re

EXTERNAL_RE = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//|@import\s+url\(\s*["']?https?:|url\(\s*["']?https?://""")


def test_strict_build_is_clean(sample_site_build):
    # The fixture's `mkdocs build --strict` succeeded; its log has no warning either.
    _, result = sample_site_build
    log = result.stderr + result.stdout
    assert result.returncode == 0 and "Documentation built in" in log
    assert "WARNING" not in log


def test_every_report_has_a_page_and_the_index_lists_them(sample_site):
    site = sample_site / "site"
    pages = sorted(p.parent.name for p in (site / "reports").glob("*/index.html"))
    assert len(pages) == 7
    index = (site / "reports" / "index.html").read_text(encoding="utf-8")
    for rid in pages:
        assert f'href="{rid}/"' in index
    assert (site / "data" / "corpus.json").is_file()


def test_navigation_is_generated_with_years(sample_site):
    # Inside the 报告 section the year groups and the reports are listed…
    html = (sample_site / "site" / "reports" / "index.html").read_text(encoding="utf-8")
    for label in ("2023年", "2020年", "未注明年份", "报告列表"):
        assert label in html
    page = (sample_site / "site" / "reports" / "003_18adec3924a66559" / "index.html").read_text(encoding="utf-8")
    assert "2023年上半年意识形态工作责任制落实情况自查报告" in page
    # …while other pages carry only the visible part (navigation.prune), so
    # the site does not grow with the square of the number of reports.
    home = (sample_site / "site" / "index.html").read_text(encoding="utf-8")
    assert "报告" in home and 'href="reports/003_18adec3924a66559/"' not in home


def test_every_report_page_leads_back_to_its_year_and_the_list(sample_site):
    """Report pages are outside the nav: the line above the title links the list and the report's year page."""
    site = sample_site / "site"
    for page in sorted((site / "reports").glob("*/index.html")):
        if page.parent.name == "years":
            continue
        crumbs = re.search(r'<div class="kb-crumbs kb-note">(.*?)</div>', page.read_text(encoding="utf-8"), re.S)
        assert crumbs, page
        links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', crumbs.group(1))
        assert links[0] == ("../", "报告列表"), page
        year_href, label = links[1]
        assert (page.parent / year_href / "index.html").resolve().is_file(), page
        assert label in (page.parent / year_href / "index.html").resolve().read_text(encoding="utf-8")
        assert f'href="../../{page.parent.name}/"' in (page.parent / year_href / "index.html").resolve().read_text(encoding="utf-8")


def test_headings_keep_chinese_anchors(sample_site):
    html = (sample_site / "site" / "reports" / "000_4923fc270289bbc6" / "index.html").read_text(encoding="utf-8")
    assert 'id="一加强意识形态工作组织领导强化主体责任"' in html
    assert 'href="#1高度重视落实主体责任"' in html  # in the page's table of contents


def test_no_script_or_font_host_anywhere_in_the_site(sample_site):
    # Stricter than attributes: Material's bundle names unpkg.com for lazy
    # loads, which the hook replaces; nothing in site/ may name such a host.
    hosts = re.compile(r"fonts\.googleapis|fonts\.gstatic|cdn\.jsdelivr|unpkg\.com|cdnjs")
    files = [p for p in (sample_site / "site").rglob("*") if p.is_file()]
    assert len(files) > 50 and any(p.suffix == ".js" for p in files)
    found = [p.relative_to(sample_site).as_posix() for p in files
             if hosts.search(p.read_text(encoding="utf-8", errors="replace"))]
    assert found == []
    assert not list((sample_site / "site").rglob("*.map"))


def test_no_reference_to_another_host(sample_site):
    offenders = []
    checked = {".html": 0, ".css": 0, ".js": 0}
    for path in (sample_site / "site").rglob("*"):
        if path.suffix in checked:
            checked[path.suffix] += 1
            for m in EXTERNAL_RE.finditer(path.read_text(encoding="utf-8", errors="replace")):
                offenders.append(f"{path.name}: {m.group(0)}")
    assert all(checked.values()), checked
    assert offenders == []
    # The pattern does catch what it is for.
    assert EXTERNAL_RE.search('<script src="https://cdn.example.com/x.js">')
    assert EXTERNAL_RE.search("@import url('https://fonts.example.com/a.css')")


def test_generated_data_reaches_the_site_as_links_and_a_rebuild_brings_the_new_data(tmp_path):
    from helpers import copy_project, mkdocs_build

    project = copy_project(tmp_path / "p")
    assert mkdocs_build(project).returncode == 0
    docs, site = project / "docs", project / "site"
    data = sorted(p.relative_to(docs) for p in (docs / "data").rglob("*") if p.is_file())
    assert len(data) > 10
    assert all((site / p).samefile(docs / p) for p in data)
    before = (site / "data" / "corpus.json").read_bytes()

    (project / "sources" / "new-2024.txt").write_text(
        "新城街道党工委2024年上半年意识形态工作总结\n一、主要做法\n1.压实责任。召开专题会议2次。\n", encoding="utf-8")
    assert mkdocs_build(project).returncode == 0
    corpus = (site / "data" / "corpus.json").read_bytes()
    assert corpus != before and "新城街道".encode() in corpus
    assert corpus == (docs / "data" / "corpus.json").read_bytes()


def test_a_data_file_is_copied_where_links_cannot_be_made(tmp_path, monkeypatch):
    import os

    from mkdocs.structure.files import File

    from reportkb.cli.mkdocs_hook import LinkedFile

    (tmp_path / "docs" / "data").mkdir(parents=True)
    (tmp_path / "docs" / "data" / "a.json").write_text("[1]", encoding="utf-8")
    file = File("data/a.json", str(tmp_path / "docs"), str(tmp_path / "site"), use_directory_urls=True)
    file.__class__ = LinkedFile

    def no_links(source, target):
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", no_links)
    file.copy_file()
    copied = tmp_path / "site" / "data" / "a.json"
    assert copied.read_text(encoding="utf-8") == "[1]" and not copied.samefile(tmp_path / "docs" / "data" / "a.json")
