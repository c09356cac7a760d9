#!/usr/bin/env python3
"""Benchmark of the maintainer workflow on a synthetic corpus.

    python scripts/bench/bench.py --reports 100 1000

For each N it builds a synthetic corpus (``make_corpus``), then times every
stage of a full generation (ingest, parse, annotate, link, render, write), a
warm re-run, the incremental add of one report, ``mkdocs build`` of the
result, and reports the search data size and peak memory.

The synthetic corpus is ``reportkb.testing.corpus.make_corpus``, shared with the tests.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from reportkb.config import Settings
from reportkb.store.cache import CACHE_DIR
from reportkb.testing.corpus import make_corpus
from reportkb.testing.project import copy_project

# ---------------------------------------------------------------------------
# Measurements

STAGES = ("ingest", "parse", "annotate", "link", "render", "write")
TARGETS = {"generation_s": 20.0, "ratio": 0.5, "add_s": 2.0, "peak_mb": 1024.0}



def _child_generate(project: Path) -> None:
    """Run in a fresh process: one generation with stage times and peak memory, as JSON on stdout."""
    import json
    import resource
    import time

    from reportkb.parallel import default_workers
    from reportkb.pipeline import generate

    # As kb.py generate runs it: on every available core.
    settings = Settings(sources=project / "sources", docs=project / "docs", cache=project / CACHE_DIR,
                        workers=default_workers())
    times: dict[str, float] = {}
    start = time.perf_counter()
    result = generate(settings, times=times)
    total = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the largest forked worker
    print(json.dumps({"times": times, "total": total, "peak_mb": peak_kb / 1024, "worker_peak_mb": workers_kb / 1024,
                      "workers": settings.workers,
                      "reports": len(result.built.summary.reports), "pages": len(result.built.pages),
                      "written": len(result.changes.new) + len(result.changes.changed)}))


def _timed_run(cmd: list[str], cwd: Path) -> tuple[float, str]:
    import os
    import subprocess
    import time

    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True,
                            env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"命令失败：{' '.join(cmd)}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return elapsed, result.stdout


def measure(n: int, workdir: Path, log=print) -> dict:
    """All figures for a corpus of n reports, measured in workdir."""
    import json

    project = workdir / f"n{n}"
    copy_project(project)
    log(f"[{n}] 生成合成语料 …")
    make_corpus(n, project / "sources", seed=n)
    # The project's own copy of this script: its code (and so its cache version) is the project's.
    me = [sys.executable, str(project / "scripts" / "bench.py")]
    log(f"[{n}] 首次生成（冷缓存）…")
    _, out = _timed_run(me + ["--child-generate", str(project)], project)
    cold = json.loads(out)
    log(f"[{n}] 再次生成（无变化）…")
    _, out = _timed_run(me + ["--child-generate", str(project)], project)
    warm = json.loads(out)
    log(f"[{n}] 增量添加一篇报告 …")
    extra = project.parent / f"extra{n}"
    new_file = make_corpus(1, extra, seed=n + 100_000)[0]
    kb = [sys.executable, str(project / "scripts" / "kb.py")]
    add_s, _ = _timed_run(kb + ["add", str(new_file)], project)
    gen_s, _ = _timed_run(kb + ["generate", "-q"], project)
    _, out = _timed_run(me + ["--child-generate", str(project)], project)  # stage figures of a no-op, for reference
    log(f"[{n}] mkdocs build …")
    build_s, _ = _timed_run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", "site"], project)
    search_files = sorted((project / "docs" / "data").glob("search*.json"))
    material_index = project / "site" / "search" / "search_index.json"
    return {
        "n": n, "cold": cold, "warm": warm, "add_cmd_s": add_s, "add_generate_s": gen_s,
        "mkdocs_s": build_s,
        "search": {p.name: p.stat().st_size for p in search_files},
        "material_search": material_index.stat().st_size if material_index.exists() else 0,
        "sources_mb": sum(p.stat().st_size for p in (project / "sources").rglob("*") if p.is_file()) / 1024 / 1024,
        "site_mb": sum(p.stat().st_size for p in (project / "site").rglob("*") if p.is_file()) / 1024 / 1024,
    }


def table(results: list[dict]) -> str:
    """Markdown table: one column per corpus size."""
    def mb(size: float) -> str:
        return f"{size / 1024 / 1024:.2f} MB"

    rows: list[tuple[str, list[str], str]] = []
    for stage in STAGES:
        rows.append((f"  {stage}", [f"{r['cold']['times'].get(stage, 0):.2f} s" for r in results], ""))
    gen = [r["cold"]["total"] for r in results]
    rows.insert(0, ("首次生成（冷缓存）", [f"{g:.2f} s" for g in gen], f"≤ {TARGETS['generation_s']:.0f} s（1,000 篇）"))
    rows.append(("再次生成（无变化，缓存命中）", [f"{r['warm']['total']:.2f} s" for r in results], ""))
    rows.append(("增量添加 1 篇：kb.py add", [f"{r['add_cmd_s']:.2f} s" for r in results], ""))
    rows.append(("增量添加 1 篇：kb.py generate", [f"{r['add_generate_s']:.2f} s" for r in results], ""))
    rows.append(("增量添加 1 篇：合计", [f"{r['add_cmd_s'] + r['add_generate_s']:.2f} s" for r in results],
                 f"≤ {TARGETS['add_s']:.0f} s"))
    rows.append(("mkdocs build（含钩子内无变化的生成）", [f"{r['mkdocs_s']:.2f} s" for r in results], ""))
    rows.append(("首次生成 ÷ mkdocs build", [f"{r['cold']['total'] / r['mkdocs_s']:.2f}" for r in results],
                 f"≤ {TARGETS['ratio']}"))
    rows.append(("峰值内存（首次生成主进程 RSS）", [f"{r['cold']['peak_mb']:.0f} MB" for r in results],
                 f"≤ {TARGETS['peak_mb']:.0f} MB"))
    # Forked workers share the parent's pages until they write to them, so RSS
    # counts shared memory in both; the parent's figure is the one that grows with N.
    rows.append(("峰值内存（单个工作进程 RSS，含与主进程共享的页）",
                 [f"{r['cold'].get('worker_peak_mb', 0):.0f} MB × {r['cold'].get('workers', 1)}" for r in results], ""))
    rows.append(("报告篇数 / 生成页面数", [f"{r['cold']['reports']} / {r['cold']['pages']}" for r in results], ""))
    rows.append(("搜索数据 docs/data/search*.json", [mb(sum(r["search"].values())) if r["search"] else "（无）"
                                                 for r in results], ""))
    rows.append(("Material 搜索索引 search_index.json", [mb(r["material_search"]) for r in results], ""))
    rows.append(("sources/ 大小", [f"{r['sources_mb']:.1f} MB" for r in results], ""))
    rows.append(("site/ 大小", [f"{r['site_mb']:.1f} MB" for r in results], ""))
    head = "| 项目 | " + " | ".join(f"{r['n']:,} 篇" for r in results) + " | 目标 |"
    lines = [head, "|" + " --- |" * (len(results) + 2)]
    lines += [f"| {name} | " + " | ".join(values) + f" | {target} |" for name, values, target in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    import json
    import shutil
    import tempfile

    parser = argparse.ArgumentParser(
        prog="bench.py", description="生成流程基准测试：合成语料上的各阶段耗时、增量添加、mkdocs build、搜索数据大小和峰值内存。")
    parser.add_argument("--reports", type=int, nargs="+", default=[100, 1000], metavar="N", help="合成语料的报告篇数（默认 100 1000）")
    parser.add_argument("--json", type=Path, metavar="文件", help="另把全部数据写入此 JSON 文件")
    parser.add_argument("--keep", action="store_true", help="保留临时项目目录以便检查")
    parser.add_argument("--child-generate", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_generate:
        _child_generate(args.child_generate)
        return 0
    workdir = Path(tempfile.mkdtemp(prefix="kb-bench-"))
    try:
        results = [measure(n, workdir, log=lambda m: print(m, file=sys.stderr, flush=True)) for n in args.reports]
    finally:
        if args.keep:
            print(f"临时目录：{workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
