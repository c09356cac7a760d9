"""Synthetic corpora for tests and benchmarks: sample sections recombined.

Deterministic for a given (n, seed) and sample corpus. The product never
imports this package; tests and scripts/bench/ do.

``make_corpus(..., distinct=True)`` (the benchmark's default) also perturbs
every paragraph — numbers, placeholder names, the order of the middle clauses
of a sentence — so paragraphs do not repeat across reports, as in real
reports; without it, sections are recombined verbatim (what the tests use).
"""

from __future__ import annotations

import io
import random
import re
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reportkb.config import PROJECT_ROOT, Settings

SAMPLES = PROJECT_ROOT / "sources"

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
        preambles.extend(_body(report, None))
        for section in report.sections:
            if section.parent is None:
                children = tuple((c.heading, _body(report, c.index)) for c in report.sections if c.parent == section.index)
                parts.append(_Part(section.heading, _body(report, section.index), children))
    return tuple(preambles), tuple(parts)


def _body(report, index: int | None) -> tuple[str, ...]:
    """The non-empty paragraphs directly under section ``index`` (None: before the first heading)."""
    return tuple(b.text.strip() for b in report.blocks
                 if b.kind == "paragraph" and b.section == index and b.text.strip())


def _heading(style: str, n: int, words: str, body: tuple[str, ...]) -> tuple[list[str], tuple[str, ...]]:
    fmt, run_in = MARKS[style]
    if run_in and body:
        return [f"{fmt(n)}{words}。{body[0]}"], body[1:]
    return [f"{fmt(n)}{words}"], body


PLACES = ("城东", "河西", "南湖", "青山", "北岭", "西溪", "东港", "桃源", "长宁", "新桥", "云台", "金沙", "石门", "柳营",
          "平安", "梅林", "凤凰", "白鹭", "清河", "紫荆")
NAMES = ("王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗")
NUMBER_RE = re.compile(r"\d+")
PLACEHOLDER_RE = re.compile(r"[XＸ]{2,}")


class _Perturb:
    """Deterministic rewriting of sample paragraphs into ones not seen before."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.seen: set[str] = set()

    def __call__(self, text: str) -> str:
        rng = self.rng
        for attempt in range(8):
            out = NUMBER_RE.sub(lambda m: str(rng.randint(1, 10 ** len(m.group()) - 1)), text)
            out = PLACEHOLDER_RE.sub(lambda m: rng.choice(PLACES) if rng.random() < 0.7 else m.group(), out)
            out = "。".join(self._shuffle(s) for s in out.split("。"))
            if attempt >= 2:  # a short paragraph without numbers or clauses: name who did it
                out = f"{rng.choice(PLACES)}{rng.choice(NAMES)}{rng.choice('明华军平强芳静涛')}同志牵头，" + out
            if out not in self.seen:
                break
        self.seen.add(out)
        return out

    def _shuffle(self, sentence: str) -> str:
        """The clauses between the first and the last, in another order."""
        clauses = sentence.split("，")
        if len(clauses) < 4:
            return sentence
        middle = clauses[1:-1]
        self.rng.shuffle(middle)
        return "，".join([clauses[0], *middle, clauses[-1]])


def _report_lines(i: int, rng: random.Random, perturb=None) -> list[str]:
    lines = _recombined_lines(i, rng)
    if perturb is None:
        return lines
    # Title, closing unit and date stay; every paragraph in between is rewritten.
    return [lines[0], *(perturb(line) for line in lines[1:-2]), *lines[-2:]]


def _recombined_lines(i: int, rng: random.Random) -> list[str]:
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
    # The zip members carry the time of saving too: copy them under a fixed one.
    pinned = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(pinned, "w") as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=(2020, 1, 1, 0, 0, 0))
            member.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(member, source.read(info))
    path.write_bytes(pinned.getvalue())


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


def make_corpus(n: int, dest: Path, seed: int = 0, distinct: bool = False) -> list[Path]:
    """Write n synthetic reports into ``dest`` (created if needed); returns their paths, sorted.

    Deterministic for a given (n, seed) and sample corpus: sections of the
    sample reports are recombined under varied outline styles, written in
    varied encodings, and every tenth report is a .docx made with python-docx.
    With ``distinct`` every paragraph is perturbed so none repeats (module docstring).
    """
    dest.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    perturb = _Perturb(random.Random(seed + 1)) if distinct else None
    paths: list[Path] = []
    for i in range(n):
        lines = _report_lines(i, rng, perturb)
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
