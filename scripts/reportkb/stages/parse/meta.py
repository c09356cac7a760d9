"""Report metadata: title, year, period and the reporting body.

The year is the one the report states itself (title, then the opening
paragraphs); an upload date or a web page's own date never counts: those are
removed as noise before parsing. ``…年以来`` says since when, not which year
is reported on, and is skipped.
"""

from __future__ import annotations

import re

from reportkb.stages.clean import match_form
from reportkb.stages.parse.marks import CN
from reportkb.text.fold import nfkc_digits

YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年(?!以来|来)")
CN_YEAR_RE = re.compile(r"([一二〇零○OＯ三四五六七八九]{4})\s*年(?!以来|来)")
# A year printed at the start of a title without 年 ("2016教育局…总结"): used last.
BARE_YEAR_RE = re.compile(r"^\D{0,2}((?:19|20)\d{2})(?=[\u4e00-\u9fff])")
_CN_DIGITS = {"〇": "0", "零": "0", "○": "0", "O": "0", "Ｏ": "0"} | {ch: str(i + 1) for i, ch in enumerate(CN[:9])}
QUARTER_RE = re.compile(r"第?([一二三四1-4])季度")
PERIOD_RULES = (
    ("上半年", re.compile(r"上半年|1-6月|1至6月|一至六月|前半年|^半年(?:以)?来")),
    ("下半年", re.compile(r"下半年|7-12月|7至12月")),
    ("年度", re.compile(r"[本全]年度|年度(?:工作|意识形态)|全年(?:工作|意识形态|各项)|年终")),
)
# A title naming its year as a whole (2021年度…总结); in the body "2018年度共计…" is only a count.
TITLE_YEAR_PERIOD_RE = re.compile(r"(?:19|20)\d{2}\s*年度")
# Said in the body, these still name the whole year as the period reported on.
BODY_PERIOD_RE = re.compile(r"全年(?:共|累计)")
# Party bodies first, administrative bodies as a last resort.
PARTY_UNIT_RE = re.compile(
    r"(医院|学校|公司|总行机关|机关|街道|局|厅|委|办|院|校|所|中心|乡|镇|村)?(党委党支部|党工委|党总支|党支部|党委|党组)"
)
# The kind of body kept before its party organ: 局党组, 医院党委, 学校党委, 乡党委, 街道党工委 …
KEPT_PREFIXES = ("局", "厅", "院", "医院", "学校", "校", "公司", "总行机关", "机关", "街道", "乡", "镇", "村")
ADMIN_UNIT_RE = re.compile(r"(局|厅|委员会|办公室|中心|公司|学校|医院|街道|乡|镇)(?=\d|上半年|下半年|意识形态|$)")
BOOK_TITLE_RE = re.compile(r"《[^》]*》|<[^>]*>")


def year_of(title: str, opening: str) -> int | None:
    """The year the report states: in its title, else its opening, else a bare year opening the title."""
    for text in (title, opening):
        year = _stated_year(text)
        if year:
            return year
    m = BARE_YEAR_RE.search(nfkc_digits(match_form(title)))
    return int(m.group(1)) if m else None


def _stated_year(text: str) -> int | None:
    form = nfkc_digits(match_form(text))
    m = YEAR_RE.search(form)
    if m:
        return int(m.group(1))
    m = CN_YEAR_RE.search(form)
    if m:
        value = "".join(_CN_DIGITS.get(ch, "") for ch in m.group(1))
        if len(value) == 4 and value.startswith(("19", "20")):
            return int(value)
    return None


def period_of(title: str, opening: str, body: str) -> str | None:
    """上半年, 下半年, 第X季度 or 年度, as the title or the opening states it."""
    if TITLE_YEAR_PERIOD_RE.search(nfkc_digits(match_form(title))) and not _period(title):
        return "年度"
    for text in (title, opening):
        period = _period(text)
        if period:
            return period
    return "年度" if BODY_PERIOD_RE.search(match_form(body)) else None


def _period(text: str) -> str | None:
    form = nfkc_digits(match_form(text)).strip()
    m = QUARTER_RE.search(form)
    for name, pattern in PERIOD_RULES:
        hit = pattern.search(form)
        if hit and (m is None or hit.start() < m.start()):
            return name
    if m:
        digit = m.group(1)
        return f"第{CN['1234'.index(digit)] if digit.isdigit() else digit}季度"
    return None


def unit_of(opening: str, title: str, body: str) -> str | None:
    """The body that writes the report: opening, then title, then body text."""
    for text in (opening, title, body):
        m = PARTY_UNIT_RE.search(BOOK_TITLE_RE.sub("", match_form(text)))
        if m:
            # Keep a ministry-style prefix (局党组); drop others (县委党委 → 党委).
            prefix = m.group(1) if m.group(1) in KEPT_PREFIXES else ""
            return prefix + m.group(2)
    m = ADMIN_UNIT_RE.search(match_form(title))
    return m.group(1) if m else None


def derive_title(unit: str | None, year: int | None, period: str | None) -> str:
    """A title for a report whose file has none (marked as derived)."""
    when = f"{year}年" if year else ""
    return f"{unit or ''}{when}{period or ''}意识形态工作报告"
