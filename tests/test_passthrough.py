"""Finished HTML passed through Python-Markdown: every generated page renders as before, with the same toc."""

from __future__ import annotations

import re

import markdown
import pytest
from pymdownx.slugs import slugify

from reportkb.pages.passthrough import inline_html, stash, unstash
from reportkb.pages.registry import OWNED_FOLDERS

EXTENSIONS = ["toc", "attr_list", "md_in_html", "admonition", "tables", "pymdownx.details"]
CONFIG = {"toc": {"permalink": "¶", "permalink_title": "本节链接", "slugify": slugify(case="lower")}}


def render(text: str) -> tuple[str, str]:
    md = markdown.Markdown(extensions=EXTENSIONS, extension_configs=CONFIG)
    return md.convert(text), md.toc


def body(page: str) -> str:
    return page.split("---", 2)[2] if page.startswith("---") else page


@pytest.mark.parametrize("links", [False, True])
def test_every_generated_page_renders_the_same_and_keeps_its_toc(sample_build, links):
    """With ``links``, one-line markdown="1" blocks are rendered too; links resolve to themselves here,
    as plain Python-Markdown leaves them (MkDocs' resolver is used in the hook)."""
    pages = {p: t for p, t in sample_build.pages.items() if p.endswith(".md") and p.split("/")[0] in OWNED_FOLDERS}
    stashed = 0
    for path, page in sorted(pages.items()):
        text = body(page)
        light, blocks = stash(text, (lambda url: url) if links else None)
        stashed += len(blocks)
        html, toc = render(text)
        got_html, got_toc = render(light)
        got_html = unstash(got_html, blocks)
        # Python-Markdown separates raw blocks by a blank line, placeholders by a newline.
        assert re.sub(r"\n+", "\n", got_html) == re.sub(r"\n+", "\n", html), path
        assert got_toc == toc, path
    assert stashed > 150 and any(p.startswith("reports/") for p in pages)


@pytest.mark.parametrize("text", [
    '<div class="a" markdown="1">\n\n[x](y.md)\n\n</div>\n',  # Markdown inside: rendered as usual
    "```\n<p>shown as code</p>\n```\n",  # a fence may hold HTML as text
    '<div class="a"><div>open\n\n</div></div>\n',  # not one balanced block between blank lines
    "    <p>indented: code or admonition content</p>\n",
])
def test_blocks_that_are_not_finished_html_stay_markdown(text):
    assert stash(text) == (text, [])


def test_a_finished_block_is_taken_out_and_put_back():
    text = '# T\n\n<p class="kb-p">a &amp; <abbr title="x">b</abbr></p>\n\n<details><summary>s</summary><table></table></details>\n'
    light, blocks = stash(text)
    # Blocks with only blank lines between them share one placeholder.
    assert blocks == ['<p class="kb-p">a &amp; <abbr title="x">b</abbr></p>\n<details><summary>s</summary><table></table></details>\n']
    assert "<p" not in light.replace("<p>", "")
    assert unstash(render(light)[0], blocks).count("kb-p") == 1


def test_one_line_markdown_blocks_become_html_with_resolved_links():
    line = '[主题](../themes/a.md){ .kb-badge .kb-theme title="主题：甲" } <span class="s">与《[篇&#40;一&#41;](b.md#x)》相似</span>'
    html = inline_html(line, lambda url: "R:" + url)
    assert html == ('<a class="kb-badge kb-theme" href="R:../themes/a.md" title="主题：甲">主题</a> '
                    '<span class="s">与《<a href="R:b.md#x">篇&#40;一&#41;</a>》相似</span>')
    text = f'<div class="kb-labels kb-note" markdown="1">\n\n{line}\n\n</div>\n\n## 下一节\n'
    light, blocks = stash(text, lambda url: url)
    assert blocks == [f'<div class="kb-labels kb-note">\n<p>{inline_html(line, lambda url: url)}</p>\n</div>']
    assert light.startswith("KBPASSTHROUGH000000\n\n## 下一节")


@pytest.mark.parametrize("line", ["*强调", "**a*b**", "* 列表", "_强调_", "** 空格**", "***三***",
                                  "`代码`", "a_b", r"\[x\]", "[x](y.md){ #id }", "a & b", "[x](y.md){ .a title='b' }"])
def test_other_markdown_is_left_to_python_markdown(line):
    assert inline_html(line, lambda url: url) is None


def test_a_markdown_div_with_a_paragraph_and_a_table_renders_as_python_markdown_does():
    text = ('<div class="kb-note kb-coverage" markdown>\n\n本报告回应了 1/2 项要求（见[总览](../r/index.md)）。\n\n'
            '| 编号 | 要求 | 情况 |\n| --- | --- | --- |\n| R01 | [甲](../r/a.md#r01) | ✔ 已回应 |\n'
            '| R02 | [乙&#40;二&#41;](#x) | — |\n\n</div>\n')
    light, blocks = stash(text, lambda url: url)
    assert len(blocks) == 1 and "<table>" in blocks[0]
    assert re.sub(r"\n+", "\n", unstash(render(light)[0], blocks)).strip() == re.sub(r"\n+", "\n", render(text)[0]).strip()


@pytest.mark.parametrize(("text", "taken"), [
    ("**含义：**合称。\n", True),
    ("- [甲](a.md)：一 <mark>二</mark> *（注）*\n- [乙](b.md) 与 **丙**\n", True),
    ("1. [甲](a.md) · 乙\n2. 丙\n", True),
    ("- 甲\n\n- 乙\n", False),  # a loose list: left to Python-Markdown
    ("- 甲\n\n    续\n", False),  # an item continued by an indented block
    ("| 左 | 中 | 右 |\n| ---: | :---: | :--- |\n| <span>甲</span> | **乙** | [丙](c.md#x) |\n", True),
    ('<div class="kb-note" markdown>\n\n- [甲](a.md)\n- 乙\n\n**丙：**丁\n\n</div>\n', True),
])
def test_lists_emphasis_and_aligned_tables_render_as_python_markdown_does(text, taken):
    light, blocks = stash(text, lambda url: url)
    assert re.sub(r"\n+", "\n", unstash(render(light)[0], blocks)).strip() == re.sub(r"\n+", "\n", render(text)[0]).strip()
    assert bool(blocks) == taken


def test_links_known_from_an_earlier_page_resolve_as_mkdocs_resolves_them(tmp_path, caplog):
    """The hook's KnownLinks against MkDocs' own resolver, page by page, on a real MkDocs Files:
    the same URL, the same anchors registered for validation, the same warnings."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files
    from mkdocs.structure.pages import _RelativePathTreeprocessor

    from reportkb.cli.mkdocs_hook import KnownLinks

    docs = tmp_path / "docs"
    for name in ("index.md", "reports/2020/a.md", "reports/2020/b.md", "reports/index.md", "themes/x.md", "data/s.json"):
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text("# t\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: t\n", encoding="utf-8")
    config = load_config(str(tmp_path / "mkdocs.yml"))
    files = get_files(config)
    urls = ["../../themes/x.md#r1", "../../themes/x.md#r2", "../../themes/x.md?q=1#r1", "b.md", "a.md#s",
            "../index.md", "#self", "../../missing.md", "../../missing.md", "https://example.org/x.md",
            "../../data/s.json", "/themes/x.md", "../../themes/", "../../themes/x.md"]
    known = KnownLinks(files)
    for page in ("reports/2020/a.md", "reports/2020/b.md", "reports/index.md", "index.md"):
        file = files.get_file_from_path(page)
        expected_resolver, cached_resolver = (_RelativePathTreeprocessor(file, files, config) for _ in range(2))
        looked_up = []
        cached_resolver.path_to_url = lambda url, own=cached_resolver.path_to_url, seen=looked_up: seen.append(url) or own(url)
        resolve = known.resolver(cached_resolver)
        for url in urls:
            caplog.clear()
            expected = expected_resolver.path_to_url(url)
            expected_log = [r.getMessage() for r in caplog.records]
            caplog.clear()
            assert resolve(url) == expected, (page, url)
            assert [r.getMessage() for r in caplog.records] == expected_log, (page, url)
        assert cached_resolver.links_to_anchors == expected_resolver.links_to_anchors, page
        if page == "reports/2020/b.md":  # a page in the same folder: its clean links were not looked up again
            assert "../../themes/x.md#r2" not in looked_up and "a.md#s" not in looked_up
            assert "../../missing.md" in looked_up and "https://example.org/x.md" in looked_up
