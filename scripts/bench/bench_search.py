#!/usr/bin/env python3
"""Search benchmark: data size, latency and recall/precision in real Chromium.

    python scripts/bench/bench_search.py --reports 100 1000

For each N it builds the distinct-paragraph synthetic corpus (``make_corpus(distinct=True)``) with a
real ``mkdocs build``, serves the site with a plain static server and, in
Chromium, measures:

* the size of the search data (the small search.json and all shard files);
* the first use (download of search.json, then what the query needs) and, per query, the time from
  the input event to the results being in the page and painted;
* section-level recall and precision against substring truth from
  corpus.json on random substrings and taxonomy keywords.

Figures are printed; nothing here is a pass/fail test.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from reportkb.config import PROJECT_ROOT
from reportkb.testing.browser import CHROMIUM_ARGS, StaticServer
from reportkb.testing.corpus import make_corpus
from reportkb.testing.project import copy_project
from reportkb.testing.search import query_terms
from reportkb.text.fold import fold

from bench import _timed_run

CHROMIUM = os.environ.get("KB_CHROMIUM", "/usr/bin/chromium")
LATENCY_QUERIES = ["网评员", "三审制", "意识形态", "工作", "的", "网评员 舆情", '"意识形态 工作"',
                   "意识形态工作责任制", "學習強國", "XX市", "量子计算机"]


def build_site(project: Path) -> float:
    return _timed_run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", "site"], project)[0]


def records(corpus: dict) -> list[tuple[str, str, str]]:
    out = []
    for r in corpus["reports"]:
        if r["opening"]:
            out.append((r["id"], "", r["opening"]))
        out.extend((r["id"], s["anchor"], s["text"]) for s in r["outline"])
    return out




def sizes(site: Path, corpus: dict) -> dict:
    """Bytes of the search data: the small file every query needs, and all shard files together."""
    meta = (site / "data" / "search.json").read_bytes()
    shards = sorted((site / "data" / "search").glob("*.json"))
    raw = len(meta) + sum(p.stat().st_size for p in shards)
    data = json.loads(meta)
    return {
        "meta": len(meta), "raw": raw, "files": len(shards) + 1,
        "gzip": len(gzip.compress(meta, 6)) + sum(len(gzip.compress(p.read_bytes(), 6)) for p in shards),
        "records": data["records"], "shards": data["shards"], "solo": len(data["solo"]), "chunk": data["chunk"],
        "text_chars": sum(len(t) for _, _, t in records(corpus)),
    }


def unseen_queries(corpus: dict, count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    texts = [t for _, _, t in records(corpus)]
    queries: set[str] = set()
    while len(queries) < count:
        text = rng.choice(texts)
        size = rng.randint(2, 8)
        if len(text) <= size:
            continue
        start = rng.randrange(len(text) - size)
        piece = text[start:start + size].strip()
        if piece and "\n" not in piece and '"' not in piece:
            queries.add(piece)
    taxonomy = (PROJECT_ROOT / "scripts" / "data" / "taxonomy.yml").read_text(encoding="utf-8")
    keywords = sorted(set(re.findall(r"[\u4e00-\u9fff]{2,}", taxonomy)))
    return sorted(queries) + keywords


def measure_browser(site: Path, corpus: dict, queries: list[str]) -> dict:
    from playwright.sync_api import sync_playwright

    server = StaticServer(site)
    folded = [(rid, anchor, fold(text)) for rid, anchor, text in records(corpus)]
    out: dict = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            outside: list[str] = []
            page.on("request", lambda r: None if r.url.startswith(server.url) else outside.append(r.url))
            start = time.perf_counter()
            page.goto(f"{server.url}/search/")
            page.wait_for_selector("#kb-search[data-state=done]", timeout=120_000)
            out["first_use_s"] = time.perf_counter() - start
            timings = {}
            # Keystroke → paint once the data is loaded: load it all first.
            page.evaluate("kbSearch.load().then(() => true)")
            for query in LATENCY_QUERIES:
                runs = [page.evaluate(
                    """q => new Promise(done => {
                        const input = document.querySelector('#kb-search input[name=q]');
                        input.value = q;
                        const t0 = performance.now();
                        input.dispatchEvent(new Event('input'));
                        const inDom = performance.now() - t0;
                        requestAnimationFrame(() => setTimeout(() => done([inDom, performance.now() - t0,
                            document.querySelector('.kb-search__count')?.textContent || '0']), 0));
                    })""", query) for _ in range(5)]
                engine = page.evaluate(
                    """q => kbSearch.load().then(ix => { const t = []; for (let i = 0; i < 5; i++) {
                        const t0 = performance.now(); ix.search(q, {}); t.push(performance.now() - t0); }
                        return t; })""", query)
                timings[query] = {"engine_ms": statistics.median(engine), "dom_ms": statistics.median(r[0] for r in runs),
                                  "paint_ms": statistics.median(r[1] for r in runs), "count": runs[0][2]}
            out["latency"] = timings
            # Typing into the header box, one key at a time, on another page.
            page.goto(f"{server.url}/reports/")
            box = page.locator("header .md-search__input")
            box.click()
            page.evaluate("kbSearch.load()")
            page.wait_for_function("window.kbSearch && kbSearch.load().then(() => true)")
            header = []
            for key in "意识形态工作":
                page.keyboard.type(key)
                page.wait_for_function("document.querySelector('.kb-drop__meta').textContent.includes('“')")
                header.append(page.evaluate("kbSearch.lastMs"))
            out["header_ms_max"] = max(header)
            tp = fp = fn = 0
            for query in queries:
                got = {tuple(x) for x in page.evaluate(
                    """q => kbSearch.load().then(ix => ix.search(q).results.map(
                           r => [ix.reports[ix.records[r][0]][0], ix.records[r][1]]))""", query)}
                terms = query_terms(query)
                expected = {(rid, anchor) for rid, anchor, text in folded if all(t in text for t in terms)}
                tp += len(got & expected)
                fp += len(got - expected)
                fn += len(expected - got)
            out.update(queries=len(queries), tp=tp, fp=fp, fn=fn,
                       precision=tp / (tp + fp) if tp + fp else 1.0, recall=tp / (tp + fn) if tp + fn else 1.0)
            out["outside_requests"] = outside
            browser.close()
    finally:
        server.close()
    return out


def measure(n: int, workdir: Path, queries: int) -> dict:
    project = workdir / f"n{n}"
    build_s = 0.0
    if (project / "site" / "search" / "index.html").exists():
        # A site kept from an earlier run (--workdir): only the search code is refreshed.
        shutil.copy2(PROJECT_ROOT / "docs" / "assets" / "search.js", project / "site" / "assets" / "search.js")
    else:
        shutil.rmtree(project, ignore_errors=True)
        copy_project(project)
        print(f"[{n}] 生成合成语料并 mkdocs build …", file=sys.stderr, flush=True)
        make_corpus(n, project / "sources", seed=n, distinct=True)
        build_s = build_site(project)
    corpus = json.loads((project / "docs" / "data" / "corpus.json").read_text(encoding="utf-8"))
    result = {"n": n, "build_s": build_s, "reports": len(corpus["reports"])}
    result["size"] = sizes(project / "site", corpus)
    print(f"[{n}] Chromium 测量 …", file=sys.stderr, flush=True)
    result["browser"] = measure_browser(project / "site", corpus, unseen_queries(corpus, queries, seed=n))
    return result


def report(results: list[dict]) -> str:
    def mb(b: int) -> str:
        return f"{b / 1024 / 1024:.2f} MB"

    lines = []
    for r in results:
        s, b = r["size"], r["browser"]
        lines.append(f"## {r['n']:,} 篇（实际 {r['reports']} 篇报告，{s['records']} 条记录，{s['text_chars']:,} 字）")
        lines.append(f"- 搜索数据：search.json {s['meta'] / 1024:.0f} KB；全部 {s['files']:,} 个文件 {mb(s['raw'])}，"
                     f"gzip {mb(s['gzip'])}（倒排分片 {s['shards']}，独立文件 {s['solo']}，每块正文 {s['chunk']} 处）")
        lines.append(f"- 首次使用（下载、解析、折叠、建索引，打开搜索页到出结果）：{b['first_use_s'] * 1000:.0f} ms")
        lines.append(f"- 页眉搜索框逐字输入，每次出结果最慢：{b['header_ms_max']:.1f} ms")
        lines.append("- 结果页从输入到结果（中位数，5 次）：")
        for q, t in b["latency"].items():
            lines.append(f"  - `{q}`：{t['count']} 处；匹配 {t['engine_ms']:.1f} ms，"
                         f"写入页面 {t['dom_ms']:.1f} ms，到绘制 {t['paint_ms']:.1f} ms")
        worst = max(t["paint_ms"] for t in b["latency"].values())
        lines.append(f"  - 最慢 {worst:.1f} ms（目标 ≤ 100 ms）")
        lines.append(f"- 查全率 {b['recall']:.4f}，查准率 {b['precision']:.4f}（{b['queries']} 个查询，"
                     f"命中 {b['tp']:,}，误报 {b['fp']}，漏报 {b['fn']}）")
        lines.append(f"- 对其他主机的请求：{len(b['outside_requests'])}")
        if r["build_s"]:
            lines.append(f"- mkdocs build：{r['build_s']:.1f} s")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench_search.py", description="搜索基准：数据大小、Chromium 中的响应时间、查全率与查准率。")
    parser.add_argument("--reports", type=int, nargs="+", default=[100, 1000], metavar="N", help="合成语料的报告篇数（默认 100 1000）")
    parser.add_argument("--queries", type=int, default=150, help="随机子串查询个数（另加分类词表中的全部关键词）")
    parser.add_argument("--json", type=Path, metavar="文件", help="另把全部数据写入此 JSON 文件")
    parser.add_argument("--workdir", type=Path, metavar="目录",
                        help="保留并复用此目录中已构建的站点（只更新 search.js），便于反复测量")
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="kb-bench-search-"))
    try:
        results = [measure(n, workdir, args.queries) for n in args.reports]
    finally:
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    print(report(results))
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
