"""The 对比报告 page: two reports side by side (``compare.js`` over data/corpus.json).

This family writes the page and ``data/compare.json``: the settings both
sides of the comparison use (``analysis.compare``) and suggested pairs
(consecutive reports of one unit, the latest first, and near-duplicates).
"""

from __future__ import annotations

import json

from reportkb.analysis.link import Index
from reportkb.config import load_requirements
from reportkb.pages.family import Context, PageFamily, Rendered
from reportkb.pages.safe import front_matter
from reportkb.text.markup import GENERATED_MARK

COMPARE_DIR = "compare"
COMPARE_PAGE = f"{COMPARE_DIR}/index.md"
COMPARE_JSON = "data/compare.json"
FORMAT = 1
MATCH = 0.5
"""Bigram Dice score from which two items say the same thing."""
MIN_CHARS = 12
"""Shorter sentences (a heading such as 加强理论学习) are not flagged as copied."""
MAX_PAIRS = 12


def suggested_pairs(index: Index) -> list[dict]:
    """Pairs worth comparing: a unit's reports one after the other (latest first), then near-duplicates."""
    by_unit: dict[str, list] = {}
    for r in index.reports:
        if r.unit:
            by_unit.setdefault(r.unit, []).append(r)
    pairs: list[tuple[tuple, str, str, str]] = []
    for unit, reports in sorted(by_unit.items()):
        ordered = sorted(reports, key=lambda r: (r.year or 0, r.source, r.part))
        for earlier, later in zip(ordered, ordered[1:], strict=False):
            pairs.append(((-(later.year or 0), unit, later.source, later.part), earlier.id, later.id, f"同一单位（{unit}）"))
    seen = {(a, b) for _, a, b, _ in pairs}
    for rid, similar in sorted(index.similarity.reports.items()):
        for other, score in similar:
            a, b = sorted((rid, other), key=lambda i: (index.by_id(i).source, index.by_id(i).part))
            if (a, b) not in seen and (b, a) not in seen:
                seen.add((a, b))
                pairs.append(((1, "", index.by_id(b).source, index.by_id(b).part), a, b, f"{round(score * 100)}% 相似"))
    pairs.sort()
    return [{"a": a, "b": b, "why": why} for _, a, b, why in pairs[:MAX_PAIRS]]


def compare_settings(ctx: Context) -> dict:
    requirements = load_requirements(ctx.data / "requirements.yml", ctx.taxonomy)
    work = ctx.taxonomy.default_role
    return {"format": FORMAT, "item_roles": [role for _, role in requirements.checker.parts if role != work],
            "other": ctx.taxonomy.other_theme, "match": MATCH, "min_chars": MIN_CHARS, "pairs": suggested_pairs(ctx.index)}


PAGE = """
# 对比报告

选择两篇报告（例如同一单位的上一篇和这一篇），即可并排看到两篇的提纲（按写法和主题对齐），
“存在问题”和“下一步措施”中哪些是新写的、哪些不再出现，以及后一篇中与前一篇**逐字相同**的句子。

<div class="kb-compare">
<p class="kb-compare-pick"><label>前一篇（A）<select id="kb-compare-a" aria-label="前一篇报告"></select></label>
<label>后一篇（B）<select id="kb-compare-b" aria-label="后一篇报告"></select></label>
<button type="button" id="kb-compare-swap" class="md-button">对调</button></p>
<p id="kb-compare-pairs" class="kb-compare-meta"></p>
<p id="kb-compare-status" aria-live="polite">正在载入报告……</p>
<div id="kb-compare-result" data-state="loading"></div>
</div>

<noscript>本页需要启用浏览器脚本才能对比报告。</noscript>

<style>
.md-typeset .kb-compare select { display: block; width: 100%; max-width: 40em; margin: 0.2em 0 0.6em; }
.md-typeset .kb-compare label { display: block; }
.md-typeset .kb-compare-meta, .md-typeset .kb-compare-muted { color: var(--md-default-fg-color--light); font-size: 0.9em; }
.md-typeset .kb-compare-grid { display: grid; grid-template-columns: 8em 1fr 1fr; gap: 0.2em 0.8em; font-size: 0.85em; }
.md-typeset .kb-compare-grid > div { min-width: 0; overflow-wrap: anywhere; padding: 0.2em 0;
  border-top: 1px solid var(--md-default-fg-color--lightest); }
.md-typeset .kb-compare-grid .kb-compare-head { font-weight: 600; }
.md-typeset .kb-compare-new { color: #2e7d32; }
.md-typeset .kb-compare-gone { color: #c62828; }
.md-typeset .kb-compare-repeated li { background: #fff3e0; }
@media (max-width: 600px) { .md-typeset .kb-compare-grid { grid-template-columns: 5em 1fr 1fr; font-size: 0.75em; } }
</style>

<script src="../assets/compare.js"></script>
"""


def _render(ctx: Context) -> Rendered:
    data = json.dumps(compare_settings(ctx), ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
    page = "\n".join([front_matter(title="对比报告"), GENERATED_MARK]) + "\n" + PAGE
    return Rendered(pages={COMPARE_PAGE: page, COMPARE_JSON: data}, nav={f"{COMPARE_DIR}/": [{"对比报告": COMPARE_PAGE}]})


FAMILY = PageFamily("compare", (COMPARE_DIR, "data"), _render)
