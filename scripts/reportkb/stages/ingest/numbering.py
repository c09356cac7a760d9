"""The labels Word draws for automatic numbering (numbering.xml), and number formats."""

from __future__ import annotations

import re

from docx.oxml.ns import qn

from reportkb.stages.ingest.ooxml import W_VAL, int_val, val
from reportkb.stages.ingest.styles import Styles

LABEL_FIELD_RE = re.compile(r"%([1-9])")
MAX_LIST_NUMBER = 10_000  # far above any list in a report; "Z" * 385 is already no label
MAX_LABEL_TEXT = 200      # characters of w:lvlText; Word's own are a few
LEVELS = range(9)         # Word's list levels (w:ilvl 0-8)
CN_DIGITS, CN_UNITS = "零一二三四五六七八九", ("", "十", "百", "千")
CN_LEGAL_DIGITS, CN_LEGAL_UNITS = "零壹贰叁肆伍陆柒捌玖", ("", "拾", "佰", "仟")
ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
         (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
IDEOGRAPH_DIGITS = str.maketrans("0123456789", "〇一二三四五六七八九")


class Numbering:
    """The labels Word draws for automatic numbering (numbering.xml).

    Counters are kept per abstractNum, as Word does: w:num instances sharing an
    abstractNum continue each other's counting, and a num whose w:lvlOverride
    holds w:startOverride restarts those levels the first time it is used.
    The label is put straight before the text whatever w:suff says (tab, space
    or nothing): the parser accepts a mark directly followed by text, and
    Chinese labels such as 一、 or （一） end in punctuation anyway.

    A number above MAX_LIST_NUMBER (a start value set to millions, which
    letter and Roman formats would spell out at that length) or a label text
    longer than MAX_LABEL_TEXT gives no label; ``refused`` then says why
    until the caller has reported it. A level outside Word's nine has none.
    """

    def __init__(self, root, styles: Styles):
        """root: w:numbering of numbering.xml, or None when the document has none."""
        self.styles = styles
        self.abstract: dict[str, dict[int, object]] = {}  # abstractNumId -> ilvl -> w:lvl
        self.style_link: dict[str, str] = {}               # abstractNumId -> numbering style id
        self.num_abstract: dict[str, str | None] = {}
        self.overrides: dict[str, dict[int, tuple[int | None, object]]] = {}  # numId -> ilvl -> (start, w:lvl)
        self.counters: dict[str, dict[int, int]] = {}
        self.used: set[str] = set()
        self.refused: str | None = None
        if root is None:
            return
        for ab in root.iterchildren(qn("w:abstractNum")):
            key = ab.get(qn("w:abstractNumId"))
            self.abstract[key] = {int(lvl.get(qn("w:ilvl"), "0")): lvl for lvl in ab.iterchildren(qn("w:lvl"))}
            self.style_link[key] = val(ab, "w:numStyleLink")
        for num in root.iterchildren(qn("w:num")):
            num_id = num.get(qn("w:numId"))
            self.num_abstract[num_id] = val(num, "w:abstractNumId")
            self.overrides[num_id] = {
                int(o.get(qn("w:ilvl"), "0")): (int_val(val(o, "w:startOverride")), o.find(qn("w:lvl")))
                for o in num.iterchildren(qn("w:lvlOverride"))}

    def _abstract_of(self, num_id: str | None) -> str | None:
        """abstractNum of a num, following w:numStyleLink to the list style's own list."""
        abstract = self.num_abstract.get(num_id)
        for _ in range(5):
            style = self.styles.by_id.get(self.style_link.get(abstract))
            if style is None:
                break
            abstract = self.num_abstract.get(val(style, "w:pPr/w:numPr/w:numId"))
        return abstract

    def label(self, p) -> str:
        """Advance the counters for paragraph p and return its label ("" if none)."""
        num_id, ilvl = val(p, "w:pPr/w:numPr/w:numId"), int_val(val(p, "w:pPr/w:numPr/w:ilvl"))
        if num_id is None:  # numbering inherited from the paragraph style
            for style in self.styles.chain(p):
                num_id = val(style, "w:pPr/w:numPr/w:numId")
                if num_id is not None:
                    if ilvl is None:
                        ilvl = int_val(val(style, "w:pPr/w:numPr/w:ilvl"))
                    if ilvl is None:  # the level whose w:pStyle names this style
                        levels = self.abstract.get(self._abstract_of(num_id), {})
                        style_id = style.get(qn("w:styleId"))
                        ilvl = next((i for i, lvl in levels.items() if val(lvl, "w:pStyle") == style_id), 0)
                    break
        abstract = self._abstract_of(num_id)
        if num_id in (None, "0") or abstract not in self.abstract:
            return ""
        ilvl, overrides = ilvl or 0, self.overrides.get(num_id, {})
        if ilvl not in LEVELS:  # each stray level would be one more counter to walk for every paragraph
            return ""

        def lvl(i: int):
            replaced = overrides.get(i, (None, None))[1]  # lxml elements: test "is None", not truth
            return self.abstract[abstract].get(i) if replaced is None else replaced

        def start(i: int) -> int:
            override = overrides.get(i, (None, None))[0]
            return override if override is not None else int_val(val(lvl(i), "w:start")) or 0

        counters = self.counters.setdefault(abstract, {})
        if num_id not in self.used:
            self.used.add(num_id)
            for i, (override, _) in overrides.items():
                if override is not None:
                    counters.pop(i, None)
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else start(ilvl)
        for deeper in [i for i in counters if i > ilvl]:
            restart = int_val(val(lvl(deeper), "w:lvlRestart"))  # 0: never restart
            if ilvl < (deeper if restart is None else restart):
                del counters[deeper]
        own = lvl(ilvl)
        if own is None or _num_fmt(own) == "bullet":
            return ""  # a bullet is no mark the parser could use
        legal = own.find(qn("w:isLgl")) is not None and val(own, "w:isLgl") not in ("0", "false")

        text, too_large = val(own, "w:lvlText") or "", []
        if len(text) > MAX_LABEL_TEXT:
            self.refused = f"编号格式长 {len(text)} 个字符，超过上限 {MAX_LABEL_TEXT}"
            return ""

        def field(match: re.Match) -> str:
            i = int(match[1]) - 1
            if lvl(i) is None:
                return ""
            n = counters.get(i, start(i))
            if n > MAX_LIST_NUMBER:
                too_large.append(n)
                return ""
            return format_number(n, "decimal" if legal else _num_fmt(lvl(i)))

        label = LABEL_FIELD_RE.sub(field, text)
        if too_large:
            self.refused = f"编号数值 {max(too_large)} 超过上限 {MAX_LIST_NUMBER}"
            return ""
        return label


def _num_fmt(lvl) -> str:
    """w:numFmt; inside mc:AlternateContent the last (Fallback) one is the plain format."""
    found = list(lvl.iter(qn("w:numFmt")))
    return (found[-1].get(W_VAL) if found else None) or "decimal"


def _chinese(n: int, digits: str = CN_DIGITS, units: tuple[str, ...] = CN_UNITS) -> str:
    """1→一, 10→十, 11→十一, 20→二十, 101→一百零一 (legal digits keep 壹拾)."""
    if not 0 < n < 10000:
        return digits[0] if n == 0 else str(n)
    out, gap = "", False
    for power in (3, 2, 1, 0):
        digit = n // 10**power % 10
        if digit:
            out, gap = out + (digits[0] if gap else "") + digits[digit] + units[power], False
        else:
            gap = bool(out)
    return out[1:] if digits == CN_DIGITS and 10 <= n < 20 else out


def _roman(n: int) -> str:
    out = ""
    for value, letters in ROMAN:
        count, n = divmod(n, value)
        out += letters * count
    return out


def _enclosed(base: int, limit: int):
    return lambda n: chr(base + n - 1) if 1 <= n <= limit else str(n)


NUMBER_FORMATS = {
    "decimal": str, "decimalZero": lambda n: f"{n:02d}", "none": lambda n: "",
    **dict.fromkeys(("chineseCounting", "chineseCountingThousand", "taiwaneseCounting",
                     "taiwaneseCountingThousand", "japaneseCounting"), _chinese),
    "chineseLegalSimplified": lambda n: _chinese(n, CN_LEGAL_DIGITS, CN_LEGAL_UNITS),
    "ideographTraditional": lambda n: "甲乙丙丁戊己庚辛壬癸"[(n - 1) % 10],
    "ideographZodiac": lambda n: "子丑寅卯辰巳午未申酉戌亥"[(n - 1) % 12],
    "ideographDigital": lambda n: str(n).translate(IDEOGRAPH_DIGITS),
    **dict.fromkeys(("decimalFullWidth", "decimalFullWidth2"), lambda n: str(n).translate(FULL_WIDTH)),
    **dict.fromkeys(("decimalEnclosedCircle", "decimalEnclosedCircleChinese"), _enclosed(0x2460, 20)),
    "decimalEnclosedParen": _enclosed(0x2474, 20),
    "decimalEnclosedFullstop": _enclosed(0x2488, 20),
    "ideographEnclosedCircle": _enclosed(0x3280, 10),
    "upperRoman": _roman, "lowerRoman": lambda n: _roman(n).lower(),
    "upperLetter": lambda n: chr(65 + (n - 1) % 26) * ((n - 1) // 26 + 1),
    "lowerLetter": lambda n: chr(97 + (n - 1) % 26) * ((n - 1) // 26 + 1),
}


def format_number(n: int, fmt: str) -> str:
    """Unknown formats fall back to decimal; only decimal and Chinese counting have a zero."""
    if n < 1 and fmt not in ("decimal", "decimalZero", "chineseCounting", "chineseCountingThousand"):
        return str(n)
    return NUMBER_FORMATS.get(fmt, str)(n)
