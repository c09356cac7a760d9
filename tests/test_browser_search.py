"""The site's own search in real Chromium: exact result sets against substring truth.

Truth is computed here, independently of the search code, from corpus.json:
a section matches when its own text (``text``; ``opening`` for the part
before the first heading) contains every query term after
``textnorm.fold``.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from urllib.parse import quote

import opencc
import pytest

from reportkb.testing.browser import StaticServer
from reportkb.testing.search import query_terms
from reportkb.text.fold import fold

from helpers import copy_project, mkdocs_build, screenshot

# ---------------------------------------------------------------- truth

def load_corpus(project: Path) -> dict:
    return json.loads((project / "docs" / "data" / "corpus.json").read_text(encoding="utf-8"))


def records(corpus: dict) -> list[dict]:
    out = []
    for r in corpus["reports"]:
        base = {"id": r["id"], "year": r["year"], "unit": r["unit"]}
        if r["opening"]:
            out.append({**base, "anchor": "", "text": r["opening"], "role": None, "themes": []})
        for s in r["outline"]:
            out.append({**base, "anchor": s["anchor"], "text": s["text"], "role": s["role"], "themes": s["themes"]})
    return out


def truth(corpus: dict, query: str, keep=lambda rec: True) -> list[tuple[str, str]]:
    terms = query_terms(query)
    return [
        (rec["id"], rec["anchor"])
        for rec in records(corpus)
        if terms and keep(rec) and all(t in fold(rec["text"]) for t in terms)
    ]


# ---------------------------------------------------------------- browser helpers

def results_page(page, server, query: str, **filters) -> list[tuple[str, str]]:
    params = "&".join(f"{k}={quote(v)}" for k, v in [("q", query), *filters.items()])
    page.goto(f"{server.url}/search/?{params}")
    page.wait_for_selector("#kb-search[data-state=done]")
    return shown_results(page)


def shown_results(page) -> list[tuple[str, str]]:
    more = page.locator(".kb-search__more")
    for _ in range(100):
        if not more.is_visible():
            break
        more.click()
    assert not more.is_visible()
    hits = page.locator("#kb-search .kb-hit")
    return [tuple(x) for x in hits.evaluate_all("els => els.map(e => [e.dataset.report, e.dataset.anchor])")]


def engine_results(page, query: str) -> list[tuple[str, str]]:
    """The same engine the page uses, called directly for many queries."""
    return [
        tuple(x)
        for x in page.evaluate(
            """q => kbSearch.load().then(ix => ix.search(q).results.map(
                   r => [ix.reports[ix.records[r][0]][0], ix.records[r][1]]))""",
            query,
        )
    ]


@pytest.fixture(scope="module")
def corpus(sample_site):
    return load_corpus(sample_site)


# ---------------------------------------------------------------- queries

# Words jieba cuts (网|评员, 三审|制 …), short and long words, placeholders.
QUERIES = ["网评员", "三审制", "意识形态", "意识形态工作责任制", "舆情", "XX", "研判", "三会一课", "学习强国", "“三审制”", "中心组"]


@pytest.mark.parametrize("query", QUERIES)
def test_results_page_lists_exactly_the_sections_that_contain_the_query(page, sample_server, corpus, query):
    expected = truth(corpus, query)
    assert expected, f"{query} must occur in the sample corpus"
    assert results_page(page, sample_server, query) == expected
    count = page.locator(".kb-search__count").inner_text()
    assert int(count) == len(expected)


def test_a_word_jieba_splits_is_found_everywhere_and_nowhere_else(page, sample_server, corpus):
    got = results_page(page, sample_server, "网评员")
    source = {r["id"]: r["source"] for r in corpus["reports"]}
    assert len({source[rid] for rid, _ in got}) == 4  # the issue: Material found 1 of these 4 files
    texts = {(r["id"], r["anchor"]): r["text"] for r in records(corpus)}
    assert all("网评员" in texts[key] for key in got)
    got = results_page(page, sample_server, "三审制")
    assert got and all("三审制" in texts[key] for key in got)  # not 三是, 三会
    screenshot(page, "search-results")


def test_space_separated_words_must_all_be_present(page, sample_server, corpus):
    both = results_page(page, sample_server, "网评员 舆情")
    assert both == truth(corpus, "网评员 舆情")
    one, other = truth(corpus, "网评员"), truth(corpus, "舆情")
    assert set(both) == set(one) & set(other)
    assert len(both) < min(len(one), len(other))  # AND, not OR


def test_a_quoted_phrase_is_one_term_with_its_inner_space(page, sample_server, corpus):
    phrase = '"政治规矩 ,严守"'
    got = results_page(page, sample_server, phrase)
    assert got == truth(corpus, phrase) and len(got) == 1
    loose = results_page(page, sample_server, "政治规矩 ,严守")
    assert set(got) < set(loose) and loose == truth(corpus, "政治规矩 ,严守")


def test_width_case_and_placeholder_variants_match_each_other(page, sample_server, corpus):
    reference = results_page(page, sample_server, "(一)")
    assert reference and results_page(page, sample_server, "（一）") == reference
    placeholders = results_page(page, sample_server, "ⅹx市")
    assert placeholders == truth(corpus, "XX市")
    texts = {(r["id"], r["anchor"]): r["text"] for r in records(corpus)}
    assert any("ⅩX市" in texts[k] for k in placeholders) and any("XX市" in texts[k] for k in placeholders)
    assert results_page(page, sample_server, "ｘｘ市") == placeholders


def test_a_query_without_results_says_so(page, sample_server, corpus):
    assert truth(corpus, "量子计算机") == []
    assert results_page(page, sample_server, "量子计算机") == []
    assert page.locator(".kb-search__count").inner_text() == "0"
    assert "请检查用字" in page.locator(".kb-search__status").inner_text()
    screenshot(page, "search-none")


def test_filters_by_theme_role_year_and_unit(page, sample_server, corpus):
    query = "意识形态"
    sections = records(corpus)
    theme = sorted({t for r in sections for t in r["themes"]})
    role = sorted({r["role"] for r in sections if r["role"]})
    assert theme and role, "the sample corpus is annotated"
    cases = [
        ("theme", theme[0], lambda rec: theme[0] in rec["themes"]),
        ("role", role[0], lambda rec: rec["role"] == role[0]),
        ("year", "2023", lambda rec: rec["year"] == 2023),
        ("unit", "党工委", lambda rec: rec["unit"] == "党工委"),
    ]
    everything = truth(corpus, query)
    for name, value, keep in cases:
        expected = truth(corpus, query, keep)
        assert 0 < len(expected) < len(everything), name
        assert results_page(page, sample_server, query, **{name: value}) == expected, name
        assert page.locator(f"select[name={name}]").input_value() == value
    # Choosing a filter in the page narrows the list and shows per-theme counts.
    results_page(page, sample_server, query)
    counts = dict(
        (b.get_attribute("data-theme"), int(b.locator("span").inner_text()))
        for b in page.locator(".kb-search__theme").all()
    )
    assert counts == {t: len(truth(corpus, query, lambda rec, t=t: t in rec["themes"])) for t in counts}
    assert set(counts) == {t for r in sections for t in r["themes"] if fold(query) in fold(r["text"])}
    assert len(counts) > 3
    page.select_option("select[name=theme]", theme[0])
    page.wait_for_function("location.search.includes('theme=')")
    assert shown_results(page) == truth(corpus, query, lambda rec: theme[0] in rec["themes"])
    screenshot(page, "search-filtered")


def test_a_result_links_to_the_exact_section_and_marks_the_keyword(page, sample_server, corpus):
    results_page(page, sample_server, "三审制")
    first = page.locator("#kb-search .kb-hit").first
    assert first.locator("mark").first.inner_text() == "三审制"
    snippet = first.locator(".kb-hit__snippet").first.inner_text()
    anchor = first.get_attribute("data-anchor")
    text = next(r["text"] for r in records(corpus) if r["anchor"] == anchor and r["id"] == first.get_attribute("data-report"))
    assert snippet.strip("…") in text
    first.locator("a.kb-hit__link").click()
    page.wait_for_load_state()
    assert page.url.startswith(f"{sample_server.url}/reports/{first_id(text, corpus)}/")
    heading = page.locator(f"[id='{anchor}']")
    assert heading.count() == 1
    assert page.evaluate("decodeURIComponent(location.hash.slice(1))") == anchor
    assert heading.evaluate("e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }")


def first_id(text: str, corpus: dict) -> str:
    return next(r["id"] for r in records(corpus) if r["text"] == text)


def test_header_search_box_shows_exact_results_and_enter_opens_the_results_page(page, sample_server, corpus):
    page.goto(f"{sample_server.url}/reports/")
    box = page.locator("header .md-search__input")
    assert box.is_visible()
    box.click()
    page.keyboard.type("网评员")
    expected = truth(corpus, "网评员")
    page.wait_for_function("document.querySelectorAll('.kb-drop__list .kb-hit').length > 0")
    assert f"共 {len(expected)} 处" in page.locator(".kb-drop__meta").inner_text()
    dropdown = page.locator(".kb-drop__list .kb-hit").evaluate_all("els => els.map(e => [e.dataset.report, e.dataset.anchor])")
    assert [tuple(x) for x in dropdown] == expected[: len(dropdown)]
    screenshot(page, "search-header-dropdown")
    page.keyboard.press("Enter")
    page.wait_for_selector("#kb-search[data-state=done]")
    assert "/search/?q=" in page.url
    assert shown_results(page) == expected


def test_search_requests_nothing_from_another_host(page, sample_server):
    results_page(page, sample_server, "意识形态")
    page.goto(f"{sample_server.url}/")
    page.locator("header .md-search__input").fill("宣传")
    page.wait_for_function("document.querySelectorAll('.kb-drop__list .kb-hit').length > 0")
    assert page.requests
    assert [u for u in page.requests if not u.startswith(sample_server.url)] == []
    assert not any("search_index.json" in u for u in page.requests)


def test_recall_and_precision_on_queries_not_used_in_development(page, sample_server, corpus):
    """Random substrings of the corpus and every taxonomy keyword, exact sets compared."""
    import yaml

    from helpers import ROOT

    rng = random.Random(5)
    texts = [r["text"] for r in records(corpus)]
    queries = set()
    while len(queries) < 120:
        text = rng.choice(texts)
        size = rng.randint(2, 8)
        if len(text) <= size:
            continue
        start = rng.randrange(len(text) - size)
        piece = text[start : start + size]
        if "\n" not in piece and piece.strip() and '"' not in piece:
            queries.add(piece.strip())
    taxonomy = yaml.safe_load((ROOT / "scripts" / "data" / "taxonomy.yml").read_text(encoding="utf-8"))
    keywords = sorted({w for w in re.findall(r"[\u4e00-\u9fff]{2,}", json.dumps(taxonomy, ensure_ascii=False))})
    queries = sorted(queries) + keywords[:80]
    page.goto(f"{sample_server.url}/search/")
    page.wait_for_selector("#kb-search[data-state=done]")
    tp = fp = fn = 0
    for query in queries:
        got, expected = set(engine_results(page, query)), set(truth(corpus, query))
        tp += len(got & expected)
        fp += len(got - expected)
        fn += len(expected - got)
    assert len(queries) >= 150 and tp > 500
    assert (fp, fn) == (0, 0), f"precision {tp / (tp + fp):.4f}, recall {tp / (tp + fn):.4f}"


# ---------------------------------------------------------------- traditional text

@pytest.fixture(scope="module")
def traditional_site(tmp_path_factory, sample_site):
    """A report converted to traditional characters, built as its own small site."""
    from helpers import ROOT

    sources = tmp_path_factory.mktemp("trad-sources")
    text = (ROOT / "sources" / "000_4923fc270289bbc6.txt").read_text(encoding="utf-8")
    (sources / "traditional.txt").write_text(opencc.OpenCC("s2t").convert(text), encoding="utf-8")
    project = copy_project(tmp_path_factory.mktemp("trad") / "project", sources)
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    server = StaticServer(project / "site")
    yield project, server
    server.close()


def test_a_simplified_query_finds_traditional_text(page, traditional_site):
    project, server = traditional_site
    corpus = load_corpus(project)
    texts = {(r["id"], r["anchor"]): r["text"] for r in records(corpus)}
    got = results_page(page, server, "网评员")
    assert got == truth(corpus, "网评员") and got
    assert all("網評員" in texts[k] for k in got)
    assert results_page(page, server, "網評員") == got
    assert page.locator("#kb-search mark").first.inner_text() == "網評員"
    screenshot(page, "search-traditional")


def test_the_browser_folds_exactly_like_textnorm(page, sample_server):
    """Every character the table covers, all of ASCII and the full-width block, and a sample text."""
    from reportkb.pages.search import fold_table

    from helpers import ROOT

    trad, simp = fold_table()
    sample = (ROOT / "sources" / "001_9dfe4ea8b472d475.txt").read_text(encoding="utf-8")
    text = trad + simp + "".join(map(chr, range(32, 127))) + "".join(map(chr, range(0xFF01, 0xFF5F))) + "\u3000\u00a0ⅩⅹＸｘ" + sample
    page.goto(f"{sample_server.url}/search/")
    page.wait_for_selector("#kb-search[data-state=done]")
    folded = page.evaluate("s => kbSearch.load().then(ix => ix.fold(s))", text)
    assert len(folded) == len(text)
    assert folded == fold(text)
