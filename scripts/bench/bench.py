#!/usr/bin/env python3
"""Benchmark of the maintainer's loop against the anchor, on distinct reports.

    python scripts/bench/bench.py --reports 100 1000

For each N it writes a synthetic corpus whose paragraphs do not repeat
(``make_corpus(..., distinct=True)``; ``--recombined`` for the old verbatim
recombination) and measures, in one run, side by side:

* the anchor: plain Material building the same reports' text as one Markdown
  page each (``anchor.py``);
* our ``mkdocs build``, cold (no docs/, no cache) and warm (nothing changed);
* ``kb.py add`` of one new report followed by ``mkdocs build``;
* ``mkdocs serve`` running: one report dropped into sources/ → seconds until
  its page is served, and how many builds ran (``bench_serve.py``);
* the bytes a first search query downloads, and the time from keystroke to
  painted results, in Chromium (``bench_first_query.py``);
* peak memory (largest RSS of the cold build's process tree).

It prints the ratios to the anchor. Figures only; nothing here is a test.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from reportkb.testing.corpus import make_corpus
from reportkb.testing.project import copy_project

TARGETS = {"ratio": 0.5, "serve_s": 10.0, "first_query_kb": 150.0, "peak_mb": 1024.0, "paint_ms": 100.0}
MKDOCS_BUILD = [sys.executable, "-m", "mkdocs", "build", "-q", "-d", "site"]


def _timed_run(cmd: list[str], cwd: Path) -> tuple[float, str]:
    """Wall seconds and stdout of a command that must succeed."""
    figures = run(cmd, cwd)
    return figures["wall_s"], figures["stdout"]


def run(cmd: list[str], cwd: Path) -> dict:
    """Run a command; wall and CPU seconds and the peak RSS of its process tree (from wait4)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    # communicate() reads the pipes; wait4 afterwards gives the child's rusage
    # (its own and its reaped workers'), which Popen.wait would discard.
    out, err = _drain(proc)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"命令失败：{' '.join(cmd)}\n{out[-3000:]}\n{err[-3000:]}")
    return {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024, "stdout": out}


def _drain(proc: subprocess.Popen) -> tuple[str, str]:
    import threading

    chunks: dict[str, str] = {}

    def read(name: str, stream) -> None:
        chunks[name] = stream.read()

    threads = [threading.Thread(target=read, args=(n, s)) for n, s in (("out", proc.stdout), ("err", proc.stderr))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return chunks["out"], chunks["err"]


def _build(project: Path) -> dict:
    figures = run(MKDOCS_BUILD, project)
    figures.pop("stdout")
    return figures


def measure(n: int, workdir: Path, distinct: bool = True, log=print, browser: bool = True) -> dict:
    """All figures for a corpus of n reports, measured in workdir."""
    from anchor import make_anchor
    from bench_serve import measure_serve

    project = workdir / f"n{n}"
    copy_project(project)
    log(f"[{n}] 生成合成语料 …")
    make_corpus(n, project / "sources", seed=n, distinct=distinct)
    extra = make_corpus(2, workdir / f"extra{n}", seed=n + 100_000, distinct=distinct)
    log(f"[{n}] 对照：Material 直接构建同样的报告文字 …")
    anchor = workdir / f"anchor{n}"
    make_anchor(anchor, project / "sources")
    result: dict = {"n": n, "distinct": distinct, "anchor": _build(anchor)}
    log(f"[{n}] mkdocs build（冷：无 docs 生成内容、无缓存）…")
    result["cold"] = _build(project)
    log(f"[{n}] mkdocs build（热：无变化）…")
    result["warm"] = _build(project)
    log(f"[{n}] kb.py add + mkdocs build …")
    add = run([sys.executable, "scripts/kb.py", "add", str(extra[0])], project)
    build = _build(project)
    result["add"] = {"add_s": add["wall_s"], "build_s": build["wall_s"], "wall_s": add["wall_s"] + build["wall_s"]}
    log(f"[{n}] mkdocs serve：放入 1 篇报告 …")
    drop = workdir / f"drop{n}" / f"serve-drop-{n}.txt"
    drop.parent.mkdir(parents=True, exist_ok=True)
    drop.write_bytes(_as_utf8_txt(extra[1]))
    result["serve"] = measure_serve(project, drop, _title(drop))
    if browser:
        from bench_first_query import measure_first_query

        log(f"[{n}] Chromium：首次搜索的下载量与绘制时间 …")
        _build(project)
        result["search"] = measure_first_query(project / "site")
    site = project / "site"
    result["site_mb"] = sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 1024 / 1024
    result["md_mb"] = sum(p.stat().st_size for p in (project / "docs" / "reports").rglob("*.md")) / 1024 / 1024
    result["anchor_md_mb"] = sum(p.stat().st_size for p in (anchor / "docs").rglob("*.md")) / 1024 / 1024
    return result


def _as_utf8_txt(path: Path) -> bytes:
    """A synthetic report (.txt in one of the corpus encodings, or .docx) as UTF-8 text."""
    if path.suffix == ".docx":
        import docx

        return ("\n".join(p.text for p in docx.Document(str(path)).paragraphs) + "\n").encode()
    data = path.read_bytes()
    for encoding in ("utf-16", "utf-8-sig", "gb18030") if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding).encode()
        except UnicodeDecodeError:
            continue
    raise SystemExit(f"无法读取 {path}")


def _title(path: Path) -> str:
    return path.read_text(encoding="utf-8").splitlines()[0].strip()


def table(results: list[dict]) -> str:
    """Markdown table: one column per corpus size."""
    rows: list[tuple[str, list[str], str]] = []

    def ratio(r: dict, key: str) -> str:
        return f"{r[key]['wall_s']:.1f} s（{r[key]['wall_s'] / r['anchor']['wall_s']:.2f}×；CPU {r[key]['cpu_s']:.1f} s，" \
               f"{r[key]['cpu_s'] / r['anchor']['cpu_s']:.2f}×）"

    rows.append(("对照：Material 构建同样的报告文字", [f"{r['anchor']['wall_s']:.1f} s（CPU {r['anchor']['cpu_s']:.1f} s）"
                                                   for r in results], ""))
    rows.append(("mkdocs build，冷（含生成）", [ratio(r, "cold") for r in results], f"≤ {TARGETS['ratio']}×"))
    rows.append(("mkdocs build，热（无变化）", [ratio(r, "warm") for r in results], f"≤ {TARGETS['ratio']}×"))
    rows.append(("kb.py add + mkdocs build", [f"{r['add']['add_s']:.1f} + {r['add']['build_s']:.1f} = {r['add']['wall_s']:.1f} s"
                                              for r in results], ""))
    rows.append(("mkdocs serve：放入 1 篇到页面可看", [f"{r['serve']['served_s']:.1f} s，构建 {r['serve']['builds']} 次"
                                                 for r in results], f"≤ {TARGETS['serve_s']:.0f} s，1 次"))
    if all("search" in r for r in results):
        rows.append(("首次搜索下载（网评员）", [f"{r['search']['first_query_bytes'] / 1024:.0f} KB" for r in results],
                     f"≤ {TARGETS['first_query_kb']:.0f} KB"))
        rows.append(("按键到结果绘制（数据已载入，最慢）", [f"{r['search']['paint_ms_max']:.0f} ms" for r in results],
                     f"≤ {TARGETS['paint_ms']:.0f} ms"))
    rows.append(("峰值内存（冷构建进程树最大 RSS）", [f"{r['cold']['peak_mb']:.0f} MB" for r in results],
                 f"≤ {TARGETS['peak_mb']:.0f} MB"))
    rows.append(("报告页 Markdown / 对照 Markdown", [f"{r['md_mb']:.1f} MB / {r['anchor_md_mb']:.1f} MB" for r in results], ""))
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
        prog="bench.py",
        description="维护流程基准：与直接用 Material 构建同样报告文字对比的构建、增量添加、预览服务、首次搜索下载量和峰值内存。")
    parser.add_argument("--reports", type=int, nargs="+", default=[100, 1000], metavar="N", help="合成语料的报告篇数（默认 100 1000）")
    parser.add_argument("--recombined", action="store_true", help="用原样重组示例章节的语料（段落大量重复），而不是互不重复的段落")
    parser.add_argument("--no-browser", action="store_true", help="不用 Chromium 测量搜索")
    parser.add_argument("--json", type=Path, metavar="文件", help="另把全部数据写入此 JSON 文件")
    parser.add_argument("--keep", action="store_true", help="保留临时项目目录以便检查")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    workdir = Path(tempfile.mkdtemp(prefix="kb-bench-"))
    results = []
    try:
        for n in args.reports:
            results.append(measure(n, workdir, distinct=not args.recombined, browser=not args.no_browser,
                                   log=lambda m: print(m, file=sys.stderr, flush=True)))
            print(os.getloadavg(), file=sys.stderr)
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
