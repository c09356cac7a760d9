"""The parser against the hand-checked structure of the sample corpus (gold.yml)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportkb.config import Settings
from reportkb.pipeline import load_reports

from helpers import ROOT


@pytest.fixture(scope="module")
def parsed():
    settings = Settings(sources=ROOT / "sources", docs=Path("/nonexistent"))
    reports, problems = load_reports(settings)
    by_file: dict[str, list] = {}
    for r in reports:
        by_file.setdefault(r.source, []).append(r)
    return by_file, problems


def test_every_gold_file_is_read(parsed, gold):
    by_file, _ = parsed
    assert sorted(by_file) == sorted(gold)


@pytest.mark.parametrize("name", ["000_4923fc270289bbc6.txt", "001_9dfe4ea8b472d475.txt", "002_17dde69ecb64a6a5.txt",
                                  "003_18adec3924a66559.txt", "004_9e0e379dcb2381a6.txt"])
def test_reports_and_metadata_match_gold(parsed, gold, name):
    by_file, _ = parsed
    reports = by_file[name]
    expected = gold[name]["reports"]
    assert len(reports) == len(expected)
    for report, want in zip(reports, expected, strict=True):
        if want["title"] is None:
            assert report.title_derived and report.title
        else:
            assert (report.title, report.title_derived) == (want["title"], False)
        assert report.year == want["year"]
        assert report.period == want["period"]
        assert report.unit == want["unit"]
        if "addressee" in want:
            assert report.addressee == want["addressee"]


def _outline(report):
    return [(s.depth, s.mark, s.heading) for s in report.sections]


def _gold_outline(report):
    return [(o["d"], str(o["mark"]), o["text"]) for o in report["outline"]]


def test_outline_accuracy_meets_target(parsed, gold):
    by_file, _ = parsed
    wanted = found = extra = 0
    for name, entry in gold.items():
        for report, want in zip(by_file[name], entry["reports"], strict=True):
            got = _outline(report)
            expected = _gold_outline(want)
            wanted += len(expected)
            found += sum(1 for w in expected if w in got)
            extra += sum(1 for g in got if g not in expected)
    assert found / wanted >= 0.98, f"{found}/{wanted} gold headings found"
    assert extra / wanted <= 0.02, f"{extra} extra headings"


def test_outline_order_and_inline_flags(parsed, gold):
    by_file, _ = parsed
    for name, entry in gold.items():
        for report, want in zip(by_file[name], entry["reports"], strict=True):
            got = {(s.depth, s.mark, s.heading): s for s in report.sections}
            order = [got[k].index for k in _gold_outline(want) if k in got]
            assert order == sorted(order), f"{name}: headings out of order"
            for o in want["outline"]:
                section = got.get((o["d"], str(o["mark"]), o["text"]))
                if section is not None:
                    assert section.inline == bool(o.get("inline")), (name, o)


def test_noise_lines_match_gold(parsed, gold):
    by_file, problems = parsed
    for name, entry in gold.items():
        removed = sorted(
            n for r in by_file[name] for b in r.noise for n in range(b.first_line, b.last_line + 1)
        )
        assert removed == entry.get("noise_lines", []), name
    noted = [p for p in problems if p.code == "noise-removed"]
    assert [(p.source, p.line) for p in noted] == [("004_9e0e379dcb2381a6.txt", 1)]
    assert "1–15" in noted[0].message
