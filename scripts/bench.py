#!/usr/bin/env python3
"""Benchmark of the maintainer workflow on a synthetic corpus.

    python scripts/bench.py --reports 100 1000

For each N it builds a synthetic corpus (``make_corpus``), then times every
stage of a full generation (ingest, parse, annotate, link, render, write), a
warm re-run, the incremental add of one report, ``mkdocs build`` of the
result, and reports the search data size and peak memory.

``make_corpus`` is importable (``from bench import make_corpus``) so tests
and other measurements can reuse the same deterministic corpus.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from reportkb.cache import CACHE_DIR  # noqa: E402
from reportkb.settings import PROJECT_ROOT, Settings  # noqa: E402

SAMPLES = PROJECT_ROOT / "sources"

# ---------------------------------------------------------------------------
# Synthetic corpus

CN_NUM = "一二三四五六七八九十"
ENCODINGS = ("utf-8", "utf-8", "utf-8-sig", "gb18030", "gb18030", "utf-16")
UNITS = ("市直机关工委", "区教育局党委", "县卫健委党组", "街道党工委", "国资委党委", "市文旅局党组",
         "区税务局党委", "镇党委", "开发区党工委", "市医院党委", "市第一中学党总支", "区人社局党组")
PERIODS = ("上半年", "半年", "年度", "第一季度", "下半年")
KINDS = ("意识形态工作自查报告", "意识形态工作总结", "意识形态工作责任制落实情况自查报告",
         "意识形态工作情况报告")


def _cn(n: int) -> str:
    """1..99 in Chinese counting."""
    if n <= 10:
        return CN_NUM[n - 1]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_NUM[tens - 1]) + "十" + (CN_NUM[ones - 1] if ones else "")


# Mark styles per level: (format(n) -> mark, run_in) — a run-in heading shares
# its line with the first sentence of its body, as 一是… and 第一，… usually do.
MARKS = {
    "一、": (lambda n: f"{_cn(n)}、", False),
    "（一）": (lambda n: f"（{_cn(n)}）", False),
    "1.": (lambda n: f"{n}.", False),
    "（1）": (lambda n: f"（{n}）", False),
    "第一，": (lambda n: f"第{_cn(n)}，", True),
    "一是": (lambda n: f"{_cn(n)}是", True),
}
# Outline styles: marks for depth 1 and depth 2.
STYLES = (("一、", "（一）"), ("一、", "1."), ("一、", "（1）"), ("一、", "一是"), ("一、", "第一，"),
          ("（一）", "1."), ("1.", "（1）"), ("第一，", None), ("一是", None), ("一、", None))


@dataclass(frozen=True)
class _Part:
    heading: str
    body: tuple[str, ...]
    children: tuple[tuple[str, tuple[str, ...]], ...]


@lru_cache(maxsize=1)
def _pool() -> tuple[tuple[str, ...], tuple[_Part, ...]]:
    """Preambles and top-level sections (with their sub-sections) of the sample reports."""
    from reportkb.pipeline import load_reports

    settings = Settings(sources=SAMPLES, docs=PROJECT_ROOT / "docs")
    reports, _ = load_reports(settings)
    preambles: list[str] = []
    parts: list[_Part] = []
    for report in reports:
        def body(index: int | None) -> tuple[str, ...]:
            return tuple(b.text.strip() for b in report.blocks
                         if b.kind == "paragraph" and b.section == index and b.text.strip())

        preambles.extend(body(None))
        for section in report.sections:
            if section.parent is None:
                children = tuple((c.heading, body(c.index)) for c in report.sections if c.parent == section.index)
                parts.append(_Part(section.heading, body(section.index), children))
    return tuple(preambles), tuple(parts)


def _heading(style: str, n: int, words: str, body: tuple[str, ...]) -> tuple[list[str], tuple[str, ...]]:
    fmt, run_in = MARKS[style]
    if run_in and body:
        return [f"{fmt(n)}{words}。{body[0]}"], body[1:]
    return [f"{fmt(n)}{words}"], body


def _report_lines(i: int, rng: random.Random) -> list[str]:
    preambles, parts = _pool()
    unit = rng.choice(UNITS)
    year = 2015 + rng.randrange(11)
    title = f"{unit}第{i + 1}号{year}年{rng.choice(PERIODS)}{rng.choice(KINDS)}"
    top, sub = rng.choice(STYLES)
    lines = [title, rng.choice(preambles)]
    for n, part in enumerate(rng.sample(parts, rng.randint(3, 6)), 1):
        head, body = _heading(top, n, part.heading, part.body)
        lines.extend(head)
        lines.extend(body)
        if sub is None:
            for words, child_body in part.children:  # flatten: the sub-headings become text
                lines.append(words + "。" + "".join(child_body))
            continue
        for m, (words, child_body) in enumerate(part.children, 1):
            head, child_body = _heading(sub, m, words, child_body)
            lines.extend(head)
            lines.extend(child_body)
    lines.append(f"{unit}")
    lines.append(f"{year}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日")
    return lines


def _write_docx(path: Path, lines: list[str]) -> None:
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    # python-docx stamps the current time into docProps/core.xml; pin it so the
    # corpus is byte-identical across runs.
    from datetime import datetime

    fixed = datetime(2020, 1, 1)
    props = document.core_properties
    props.created = props.modified = fixed
    props.last_printed = fixed
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(buffer.getvalue())


def report_name(i: int, rng: random.Random) -> str:
    """Varied file names: ASCII, Chinese, spaces."""
    style = i % 4
    if style == 0:
        return f"report_{i:05d}"
    if style == 1:
        return f"{i:05d}_自查报告"
    if style == 2:
        return f"{i:05d} 半年总结 {rng.choice(UNITS)}"
    return f"r{i:05d}-summary"


def make_corpus(n: int, dest: Path, seed: int = 0) -> list[Path]:
    """Write n synthetic reports into ``dest`` (created if needed); returns their paths, sorted.

    Deterministic for a given (n, seed) and sample corpus: sections of the
    sample reports are recombined under varied outline styles, written in
    varied encodings, and every tenth report is a .docx made with python-docx.
    """
    dest.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths: list[Path] = []
    for i in range(n):
        lines = _report_lines(i, rng)
        name = report_name(i, rng)
        if i % 10 == 9:
            path = dest / f"{name}.docx"
            _write_docx(path, lines)
        else:
            encoding = ENCODINGS[rng.randrange(len(ENCODINGS))]
            newline = "\r\n" if rng.random() < 0.3 else "\n"
            path = dest / f"{name}.txt"
            path.write_bytes((newline.join(lines) + newline).encode(encoding))
        paths.append(path)
    return sorted(paths)


# ---------------------------------------------------------------------------
# Measurements

STAGES = ("ingest", "parse", "annotate", "link", "render", "write")
PROJECT_FILES = ("mkdocs.yml", "scripts", "overrides")
"""Hand-written parts of the project a site build needs (besides docs/)."""
TARGETS = {"generation_s": 20.0, "ratio": 0.5, "add_s": 2.0, "peak_mb": 1024.0}


def copy_project(dest: Path, sources: Path | None = None) -> Path:
    """A copy of the project's hand-written parts in ``dest``, for builds apart from docs/.

    Generated folders are not copied, so every build starts clean; ``sources``,
    when given, is copied in as the project's sources/.
    """
    import shutil

    from reportkb.write import MANIFEST, OWNED_DIRS, STAGING

    dest.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        src = PROJECT_ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.exists():
            shutil.copy2(src, dest / name)
    skip = set(OWNED_DIRS) | {MANIFEST, STAGING}
    shutil.copytree(PROJECT_ROOT / "docs", dest / "docs",
                    ignore=lambda d, names: [n for n in names if Path(d) == PROJECT_ROOT / "docs" and n in skip])
    if sources is not None:
        shutil.copytree(sources, dest / "sources")
    return dest


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
                      "reports": len(result.built.index.reports), "pages": len(result.built.pages),
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

    parser = argparse.ArgumentParser(prog="bench.py", description="生成流程基准测试：合成语料上的各阶段耗时、增量添加、mkdocs build、搜索数据大小和峰值内存。")
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
