"""Measure the theme classifier against a hand-labelled gold file and print the figures.

    python scripts/bench/theme_accuracy.py [gold.yml] [sources/]

Gold sections are matched to parsed sections by (folded) mark and heading;
for each matched section: is the first gold theme among the predicted
themes, is it predicted first, is the role right.
"""

from __future__ import annotations

import sys
from pathlib import Path

from reportkb.config import PROJECT_ROOT
from reportkb.testing.accuracy import measure


def main(argv: list[str]) -> int:
    gold = Path(argv[0]) if argv else PROJECT_ROOT / "tests" / "fixtures" / "gold.yml"
    sources = Path(argv[1]) if len(argv) > 1 else PROJECT_ROOT / "sources"
    acc = measure(gold, sources)
    print("\n".join(acc.lines()))
    for miss in acc.misses:
        print("  ·", miss)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
