#!/usr/bin/env python3
"""Print a random sample of requirement evidence passages for a person to judge.

    python scripts/bench/requirements_sample.py [--seed N] [--count N]

Each line: requirement, the matched words in [ ], and the passage around
them. Judge whether the passage addresses the requirement (reporting work
on it or a shortfall in it both count); precision = true / sampled.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

from reportkb.analysis.requirements import coverage
from reportkb.config import DATA_DIR, PROJECT_ROOT, Settings, load_requirements, load_taxonomy
from reportkb.pipeline import build


def main() -> int:
    parser = argparse.ArgumentParser(description="随机抽取“要求—段落”匹配，供人工判断准确率。")
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--count", type=int, default=80)
    parser.add_argument("--sources", type=Path, default=PROJECT_ROOT / "sources")
    args = parser.parse_args()
    built = build(Settings(sources=args.sources, docs=PROJECT_ROOT / "docs"))
    taxonomy = load_taxonomy(DATA_DIR / "taxonomy.yml")
    requirements = load_requirements(DATA_DIR / "requirements.yml", taxonomy)
    pairs = [(c.requirement, p) for c in coverage(built.index, requirements) for p in c.passages]
    print(f"匹配总数 {len(pairs)}，抽取 {min(args.count, len(pairs))}（seed={args.seed}）")
    random.seed(args.seed)
    for i, (req, p) in enumerate(random.sample(pairs, min(args.count, len(pairs)))):
        s, e = p.spans[0]
        print(f"{i:02d} {req.id} {req.title} | [{p.text[s:e]}] …{p.text[max(0, s - 40):e + 40]}…")
    return 0


if __name__ == "__main__":
    sys.exit(main())
