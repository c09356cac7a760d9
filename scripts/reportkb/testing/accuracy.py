"""The theme classifier measured against a hand-labelled gold file.

Gold sections are matched to parsed sections by (folded) mark and heading;
for each matched section: is the first gold theme among the predicted
themes, is it predicted first, is the role right.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from reportkb.config import DATA_DIR, Settings, load_taxonomy
from reportkb.pipeline import load_reports
from reportkb.stages.annotate import annotate
from reportkb.text.fold import fold


@dataclass
class Accuracy:
    sections: int = 0
    matched: int = 0
    among: int = 0
    first: int = 0
    roles: int = 0
    misses: list[str] = field(default_factory=list)

    def share(self, value: int) -> float:
        return value / self.sections if self.sections else 0.0

    def lines(self) -> list[str]:
        return [
            f"金标准章节 {self.sections} 个，匹配到 {self.matched} 个",
            f"首个金标准主题在预测主题中：{self.among}/{self.sections} = {self.share(self.among):.1%}",
            f"首个金标准主题被预测为第一：{self.first}/{self.sections} = {self.share(self.first):.1%}",
            f"作用（role）正确：{self.roles}/{self.sections} = {self.share(self.roles):.1%}",
        ]


def measure(gold_file: Path, sources: Path, data: Path = DATA_DIR) -> Accuracy:
    taxonomy = load_taxonomy(data / "taxonomy.yml")
    settings = Settings(sources=sources, docs=Path("/nonexistent"), data=data)
    reports, _ = load_reports(settings)
    by_file: dict[str, list] = {}
    for report in reports:
        by_file.setdefault(report.source, []).append(report)
    gold = yaml.safe_load(gold_file.read_text(encoding="utf-8"))["files"]
    acc = Accuracy()
    for name in sorted(gold):
        parsed = by_file.get(name, [])
        for number, want in enumerate(gold[name]["reports"]):
            if number >= len(parsed):  # a gold report the parser did not find: all its sections missed
                acc.sections += len(want["outline"])
                acc.misses.append(f"{name}: 未解析出第 {number + 1} 篇报告")
                continue
            report = parsed[number]
            notes = annotate(report, taxonomy)
            index = {(fold(s.mark), fold(s.heading)): s.index for s in report.sections}
            role = None
            for entry in want["outline"]:
                role = entry.get("role", role) if entry["d"] == 1 else role
                acc.sections += 1
                found = index.get((fold(str(entry["mark"])), fold(entry["text"])))
                if found is None:
                    acc.misses.append(f"{report.label}: 未解析出 {entry['text']}")
                    continue
                acc.matched += 1
                labels = notes.sections[found]
                acc.among += entry["themes"][0] in labels.themes
                acc.first += labels.themes[0] == entry["themes"][0]
                acc.roles += labels.role == role
                if labels.themes[0] != entry["themes"][0]:
                    acc.misses.append(f"{report.label}: {entry['text']} 金标准 {entry['themes']} 预测 {list(labels.themes)}")
    return acc
