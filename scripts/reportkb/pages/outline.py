"""The 生成提纲 page: pick a kind of report and themes, see the outline, download it as Word.

The Word files are made here, at build time, one for every choice the page
offers (4 kinds × 31 non-empty sets of themes, a few kilobytes each), by the
same writer ``kb.py outline`` uses (``text.gongwen``): the page works on a
closed network with no script library to keep up to date, and the file a
writer downloads is byte for byte the one the command line writes.
The page itself draws the outline from ``data/outline.json`` (``outline.js``).
"""

from __future__ import annotations

import json
from itertools import combinations

from reportkb.analysis.outline import KINDS, file_name, outline_data, select
from reportkb.config import load_requirements
from reportkb.pages.family import Context, PageFamily, Rendered
from reportkb.pages.safe import front_matter
from reportkb.text.gongwen import gongwen_docx
from reportkb.text.markup import GENERATED_MARK, html_attr, html_text

OUTLINE_DIR = "outline"
OUTLINE_PAGE = f"{OUTLINE_DIR}/index.md"
OUTLINE_JSON = "data/outline.json"
FILES_DIR = f"{OUTLINE_DIR}/files"

STYLE = """<style>
.md-typeset .kb-outline fieldset { border: 1px solid var(--md-default-fg-color--lightest); border-radius: 4px;
  margin: 0 0 0.8em; padding: 0.4em 0.8em 0.6em; }
.md-typeset .kb-outline legend { font-weight: 600; padding: 0 0.3em; }
.md-typeset .kb-outline label { display: inline-block; margin: 0.2em 1.2em 0.2em 0; white-space: nowrap; }
.md-typeset #kb-outline-result .kb-outline-title { text-align: center; font-weight: 700; font-size: 1.15em; }
.md-typeset #kb-outline-result .kb-outline-meta,
.md-typeset #kb-outline-result .kb-outline-hint { color: var(--md-default-fg-color--light); font-size: 0.9em; }
.md-typeset #kb-outline-result blockquote { margin: 0.4em 0; }
</style>"""


def all_files(data: dict) -> dict[str, bytes]:
    """Every Word file the page offers, by its path under docs/."""
    themes = data["themes"]
    files = {}
    for kind, _, _ in KINDS:
        for size in range(1, len(themes) + 1):
            for chosen in combinations(themes, size):
                title, blocks = select(data, kind, chosen)
                files[f"{FILES_DIR}/{file_name(kind, chosen, themes)}"] = gongwen_docx(title, blocks)
    return files


def render_page(data: dict) -> str:
    kinds = "".join(
        f'<label><input type="radio" name="kb-outline-kind" value="{html_attr(k["id"])}"{" checked" if i == 0 else ""}> '
        f"{html_text(k['name'])}</label>" for i, k in enumerate(data["kinds"]))
    themes = "".join(
        f'<label><input type="checkbox" name="kb-outline-theme" value="{html_attr(t)}" checked> {html_text(t)}</label>'
        for t in data["themes"])
    first = file_name(data["kinds"][0]["id"], data["themes"], data["themes"])
    return "\n".join([
        front_matter(title="生成提纲"), GENERATED_MARK, "", "# 生成提纲", "",
        "选择报告类型和要写的主题，即可得到一份推荐提纲：各部分的顺序和常见标题取自同类范例报告，"
        "每一节列出应回应的要求，并附一两段范例写法，可点击查看原文。提纲可下载为按党政机关公文格式排版的文档，用文字处理软件打开即可接着写。",
        "", STYLE, "",
        '<div class="kb-outline">',
        f'<fieldset><legend>报告类型</legend>{kinds}</fieldset>',
        f'<fieldset><legend>要写的主题</legend>{themes}</fieldset>',
        f'<p><a id="kb-outline-download" class="md-button md-button--primary" href="files/{html_attr(first)}" download>'
        "下载提纲文档</a></p>",
        '<p id="kb-outline-status" aria-live="polite">正在载入提纲……</p>',
        '<div id="kb-outline-result" data-state="loading"></div>',
        "</div>", "",
        "<noscript>本页需要启用浏览器脚本才能显示提纲。</noscript>", "",
        '<script src="../assets/outline.js"></script>', "",
    ])


def _render(ctx: Context) -> Rendered:
    requirements = load_requirements(ctx.data / "requirements.yml", ctx.taxonomy)
    data = outline_data(ctx.index, ctx.taxonomy, requirements)
    pages: dict = {OUTLINE_PAGE: render_page(data),
                   OUTLINE_JSON: json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"}
    pages.update(all_files(data))
    return Rendered(pages=pages, nav={f"{OUTLINE_DIR}/": [{"生成提纲": OUTLINE_PAGE}]})


FAMILY = PageFamily("outline", (OUTLINE_DIR, "data"), _render)
