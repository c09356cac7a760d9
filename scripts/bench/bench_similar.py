#!/usr/bin/env python3
"""Benchmark of near-duplicate detection (similar.py) on a synthetic corpus.

    python scripts/bench/bench_similar.py --reports 100 1000

Prints, for each N, the reports and sections compared, the seconds taken by
find_similar (parsing excluded) and how many near-duplicates were found. The
synthetic corpus recombines sections of the sample reports, so it holds many
more near-duplicates than a real one: a hard case for the candidate step.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from reportkb.analysis.similar import find_similar
from reportkb.config import Settings
from reportkb.pipeline import load_reports

from bench import make_corpus


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="近似重复检测的耗时测量")
    parser.add_argument("--reports", type=int, nargs="+", default=[100, 1000], help="报告篇数（可给多个）")
    args = parser.parse_args(argv)
    for n in args.reports:
        with tempfile.TemporaryDirectory() as tmp:
            make_corpus(n, Path(tmp))
            reports, _ = load_reports(Settings(sources=Path(tmp), docs=Path(tmp) / "docs"))
            ordered = tuple(sorted(reports, key=lambda r: (r.source, r.part)))
            start = time.perf_counter()
            sim = find_similar(ordered)
            seconds = time.perf_counter() - start
        sections = sum(len(r.sections) for r in ordered)
        print(
            f"{n} 篇：报告 {len(ordered)}，章节 {sections}；find_similar {seconds:.1f} 秒；"
            f"近似重复报告 {len(sim.duplicates)}，有相似章节的章节 {len(sim.sections)}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
