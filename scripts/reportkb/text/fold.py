"""Text normalisation used for *matching only*; report text is never rewritten.

Every function here maps one character to one character, so an offset in
the normalised string is the same offset in the original.
"""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path

import opencc

# OpenCC's traditional→simplified character table; phrases are ignored on
# purpose so that the mapping stays one character to one character.
_TS_TABLE = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"

# Placeholder look-alikes: Roman numeral Ⅹ/ⅹ and full-width Ｘ/ｘ stand for X.
PLACEHOLDER_FOLD = {"Ⅹ": "x", "ⅹ": "x"}


@functools.cache
def _simplified_map() -> dict[int, str]:
    table: dict[int, str] = {}
    for row in _TS_TABLE.read_text(encoding="utf-8").splitlines():
        trad, _, simp = row.partition("\t")
        first = simp.split(" ")[0] if simp else ""
        if len(trad) == 1 and len(first) == 1 and trad != first:
            table[ord(trad)] = first
    return table


def to_simplified(text: str) -> str:
    """Map traditional characters to simplified ones, one for one."""
    return text.translate(_simplified_map())


@functools.cache
def _width_map() -> dict[int, str]:
    """Full-width ASCII forms and ideographic space → half-width."""
    table = {0x3000: " ", 0x00A0: " "}
    for code in range(0xFF01, 0xFF5F):
        table[code] = chr(code - 0xFEE0)
    return table


def fold_width(text: str) -> str:
    """Fold full-width letters, digits and punctuation to ASCII, one for one."""
    return text.translate(_width_map())


def simplified_half_width(text: str) -> str:
    """``fold_width(to_simplified(text))`` in one pass (the form line rules are matched against)."""
    if len(text) <= FOLD_CACHE_MAX_LEN:
        return _simplified_half_width_cached(text)
    return text.translate(_simplified_half_width_map())


@functools.lru_cache(maxsize=1 << 16)
def _simplified_half_width_cached(text: str) -> str:
    return text.translate(_simplified_half_width_map())


@functools.cache
def _simplified_half_width_map() -> dict[int, str]:
    keys = set(_simplified_map()) | set(_width_map())
    return {code: fold_width(to_simplified(chr(code))) for code in keys}


def fold(text: str) -> str:
    """The matching form: simplified, half-width, lower-case ASCII, Ⅹ/ⅹ → x.

    Used by search, the classifier and the checker so that 網評員 matches 网评员,
    （一） matches (一) and Ⅹ月ⅹ日 matches X月X日. Length is preserved.
    """
    return _fold_cached(text) if len(text) <= FOLD_CACHE_MAX_LEN else text.translate(_fold_map())


FOLD_CACHE_MAX_LEN = 2000  # paragraphs are folded by several features: remember the short ones


@functools.lru_cache(maxsize=1 << 16)
def _fold_cached(text: str) -> str:
    return text.translate(_fold_map())


@functools.cache
def _fold_map() -> dict[int, str]:
    """One table for the whole chain: simplified → half-width → Ⅹ/ⅹ to x, ASCII lower-case."""
    def chain(ch: str) -> str:
        ch = fold_width(to_simplified(ch))
        return PLACEHOLDER_FOLD.get(ch) or (ch.lower() if ch.isascii() else ch)

    keys = set(_simplified_map()) | set(_width_map()) | {ord(c) for c in PLACEHOLDER_FOLD} | set(range(65, 91))
    return {code: chain(chr(code)) for code in keys if chain(chr(code)) != chr(code)}


def nfkc_digits(text: str) -> str:
    """Full-width digits to ASCII (for reading years), other characters kept."""
    return "".join(
        str(unicodedata.digit(ch)) if ch.isdigit() and not ch.isascii() and unicodedata.digit(ch, None) is not None else ch
        for ch in text
    )


def fold_table(*, width: bool = False) -> tuple[str, str]:
    """The characters ``fold`` changes, as two equal-length strings ``(from, to)``, for JavaScript.

    Traditional characters in code-point order, then (with ``width``) the
    full-width forms and wide spaces, then the placeholder look-alikes.
    ASCII A–Z is left out (code lower-cases it), and so is every pair with a
    character outside the Basic Multilingual Plane: JavaScript strings count
    UTF-16 units, and folding must keep every offset.
    """
    groups = [sorted(_simplified_map())]
    if width:
        groups.append(sorted(set(_width_map()) - set(_simplified_map())))
    groups.append(sorted(ord(c) for c in PLACEHOLDER_FOLD))
    pairs = [(chr(code), fold(chr(code))) for group in groups for code in group]
    pairs = [(a, b) for a, b in pairs if a != b and a <= "\uffff" and b <= "\uffff"]
    return "".join(a for a, _ in pairs), "".join(b for _, b in pairs)
