"""Decoding .txt bytes: BOMs, UTF-8, GB18030 and, as a last resort, charset-normalizer's guess."""

from __future__ import annotations

import codecs
import re
import unicodedata

import charset_normalizer

from reportkb.model import Line
from reportkb.stages.ingest.common import IngestError

# UTF-32 first: its little-endian BOM starts with the UTF-16 one.
BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
UTF8_NAMES = ("utf-8", "utf-8-sig")
MAX_BAD_RATIO = 0.05     # share of control/unassigned/private-use chars a real text may hold
MIN_PLAIN_RATIO = 0.9    # a charset-normalizer guess must read as mostly ASCII/CJK
MIN_GB2312_RATIO = 0.8   # below this, gb18030 output looks like Big5 read as GBK
NEAR_UTF8_RATIO = 0.01   # this few bad bytes in UTF-8: report them rather than guess
# Characters that are never control, unassigned, private-use or surrogate (checked in tests).
SURELY_GOOD_RE = re.compile(r"[\t\n\v\f\r\x20-\x7e\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff01-\uffbe]+")
HAN_RE = re.compile(r"[\u4e00-\u9fff]")
LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")  # not str.splitlines(): \x0c, \x1c, U+2028 stay text
PLAIN_RE = re.compile(r"[\x20-\x7e\s\u00b7\u2000-\u206f\u2150-\u218f\u2460-\u24ff\u2500-\u25ff"
                      r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")
# The GB2312 hanzi (rows 16-87): real simplified text stays almost entirely inside them.
# errors="replace" only marks the few empty code points, which are then dropped.
GB2312_HANZI = frozenset(bytes((a, b)).decode("gb2312", "replace")
                         for a in range(0xB0, 0xF8) for b in range(0xA1, 0xFF)) - {"\ufffd"}


def split_lines(text: str) -> tuple[Line, ...]:
    parts = LINE_BREAK_RE.split(text)
    if len(parts) > 1 and parts[-1] == "":
        parts.pop()  # a final newline ends the last line; it does not start a new one
    return tuple(Line(part, number) for number, part in enumerate(parts, 1))


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode bytes strictly; returns (text, encoding_name). Raises SourceError when nothing decodes cleanly."""
    for bom, name in BOMS:
        if data.startswith(bom):
            text = _try(data, name)
            if text is None:
                raise IngestError("encoding-broken", f"文件开头标明是 {name.upper()} 编码，"
                                                     "但内容无法按此编码读取：请用记事本打开后另存为 UTF-8。")
            return text, name
    utf8 = _try(data, "utf-8")
    if utf8 is not None and _bad_ratio(utf8) <= MAX_BAD_RATIO:
        return utf8, "utf-8"
    if utf8 is None:
        _refuse_near_utf8(data)
    gb = _try(data, "gb18030")
    gb_ok = gb is not None and _bad_ratio(gb) <= MAX_BAD_RATIO
    if gb_ok and _gb2312_ratio(gb) >= MIN_GB2312_RATIO:
        return gb, "gb18030"
    best = charset_normalizer.from_bytes(data).best()
    if best is not None:  # last resort (Big5, UTF-16 without BOM …), only if it reads as text
        name = codecs.lookup(best.encoding).name
        text = _try(data, name)
        if text is not None and _bad_ratio(text) <= MAX_BAD_RATIO \
                and len(PLAIN_RE.findall(text)) >= MIN_PLAIN_RATIO * len(text):
            return text, name
    if gb_ok:
        return gb, "gb18030"  # rare characters, but nothing reads better
    if 0 in data or utf8 is not None or gb is not None:  # decodes only into control characters
        raise IngestError("binary-file", "文件内容不是文字（可能是图片、压缩包等改了扩展名）：请提供 .txt 或 .docx 格式的报告正文。")
    raise IngestError("encoding-unknown", "无法识别文件的文字编码：请用记事本或 WPS 打开后另存为 UTF-8 编码的 .txt。")


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _refuse_near_utf8(data: bytes) -> None:
    """UTF-8 with a few broken bytes: any other encoding would garble the whole file."""
    text = data.decode("utf-8", "replace")  # diagnosis only: locate the broken bytes
    # Characters above 0x7F that are not the replacement mark, counted in C.
    wide = len(text) - len(text.encode("ascii", "ignore")) - text.count("\ufffd")
    if wide >= 10 and text.count("\ufffd") <= max(3, NEAR_UTF8_RATIO * len(text)):
        line = len(LINE_BREAK_RE.split(text[: text.index("\ufffd")]))
        raise IngestError("encoding-broken", f"文件基本是 UTF-8 编码，但第 {line} 行附近有无法识别的字节"
                                                 "（可能被截断或混入其他编码）：请修正该行后另存为 UTF-8。")


def _bad_ratio(text: str) -> float:
    rest = SURELY_GOOD_RE.sub("", text)  # C speed; only the other characters are looked at one by one
    bad = sum(1 for ch in rest if ch == "\ufffd" or (
        unicodedata.category(ch) in ("Cc", "Cn", "Co", "Cs") and ch not in "\t\n\r\f\v"))
    return bad / max(1, len(text))


def _gb2312_ratio(text: str) -> float:
    """Share of CJK ideographs in GB2312: near 1 for GB text, ~0.5 for Big5 read as GBK."""
    ideographs = HAN_RE.findall(text)
    return sum(map(GB2312_HANZI.__contains__, ideographs)) / len(ideographs) if ideographs else 1.0
