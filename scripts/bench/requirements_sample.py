#!/usr/bin/env python3
"""Print a random sample of (requirement, passage) pairs for a person to judge.

    python scripts/bench/requirements_sample.py [--seed N] [--count N] [--drafts DIR]

The pool holds every passage of the sample corpus that addresses a
requirement (``analysis.requirements.coverage``) and every line the draft
checker counts as addressing one in the draft cases (``checker.rules.check``
on each .txt under ``--drafts``, default scripts/bench/drafts/). Each line:
number, where the pair comes from, requirement, the matched words in [ ] and
the passage around them. Judge whether the passage addresses the
requirement's statement (reporting work on it or a shortfall in it both
count); precision = true / sampled.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

from reportkb.analysis.requirements import coverage
from reportkb.checker.contract import SPEC_PATH
from reportkb.checker.rules import check
from reportkb.config import DATA_DIR, PROJECT_ROOT, Settings, load_requirements, load_taxonomy
from reportkb.pipeline import build

DRAFTS = Path(__file__).resolve().parent / "drafts"


def main() -> int:
    parser = argparse.ArgumentParser(description="随机抽取“要求—段落”匹配，供人工判断准确率。")
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--count", type=int, default=80)
    parser.add_argument("--sources", type=Path, default=PROJECT_ROOT / "sources")
    parser.add_argument("--drafts", type=Path, default=DRAFTS)
    args = parser.parse_args()
    built = build(Settings(sources=args.sources, docs=PROJECT_ROOT / "docs"))
    taxonomy = load_taxonomy(DATA_DIR / "taxonomy.yml")
    requirements = load_requirements(DATA_DIR / "requirements.yml", taxonomy)
    by_id = {r.id: r for r in requirements.items}
    pairs: list[tuple[str, str, str, str]] = []  # (where, requirement id, matched words, passage)
    for cov in coverage(built.index, requirements):
        for p in cov.passages:
            s, e = p.spans[0]
            pairs.append((f"{p.report_id[:3]}:{p.line}", cov.requirement.id, p.text[s:e], p.text[max(0, s - 40) : e + 40]))
    spec = json.loads(built.pages[SPEC_PATH])
    drafts = sorted(args.drafts.glob("*.txt")) if args.drafts.is_dir() else []
    for path in drafts:
        lines = path.read_text(encoding="utf-8").split("\n")
        for r in check("\n".join(lines), spec)["requirements"]:
            for m in r["matches"]:
                line = lines[m["line"] - 1]
                s = line.find(m["text"])
                pairs.append((f"{path.stem}:{m['line']}", r["id"], m["text"], line[max(0, s - 40) : s + len(m["text"]) + 40]))
    pairs.sort()
    count = min(args.count, len(pairs))
    print(f"匹配总数 {len(pairs)}（范例报告与 {len(drafts)} 篇草稿），抽取 {count}（seed={args.seed}）")
    random.seed(args.seed)
    for i, (where, rid, words, passage) in enumerate(random.sample(pairs, count)):
        print(f"{i:02d} {where} {rid} {by_id[rid].title} | [{words}] …{passage}…")
    return 0


if __name__ == "__main__":
    sys.exit(main())
