"""The compact encodings of the sharded search data, shared with ``docs/assets/search.js``.

* Numbers are written as base-64 varints in one JSON string: each character
  of ``ALPHABET`` carries 5 bits, low group first; the value 32 is added to
  every character except a number's last.
* Text positions count UTF-16 code units, as JavaScript strings do, so an
  offset computed here is the offset the browser sees.
* ``shard_of`` is FNV-1a over a gram's UTF-16 code units, the same in search.js.

A decoder is kept here so tests can read the data back without a browser.
"""

from __future__ import annotations

import sys
from array import array
from bisect import bisect_left
from collections import deque
from itertools import chain, compress, count, repeat
from operator import add, and_, lshift, ne, or_, rshift, setitem, sub

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"
_VALUE = {c: i for i, c in enumerate(ALPHABET)}


def _encode_one(n: int) -> str:
    out = []
    while n >= 32:
        out.append(ALPHABET[32 | (n & 31)])
        n >>= 5
    out.append(ALPHABET[n])
    return "".join(out)


SMALL_CODES = tuple(_encode_one(n) for n in range(1 << 15))
"""Every value below 32768 (one to three characters), looked up instead of computed: positions and gaps mostly are."""


def encode(numbers) -> str:
    small = SMALL_CODES
    return "".join([small[n] if n < 32768 else _encode_one(n) for n in numbers])


def decode(text: str) -> list[int]:
    out, value, shift = [], 0, 0
    for c in text:
        v = _VALUE[c]
        value |= (v & 31) << shift
        if v & 32:
            shift += 5
        else:
            out.append(value)
            value, shift = 0, 0
    return out


def units(text: str) -> list[str]:
    """The text as UTF-16 code units, one str each (a character outside the BMP gives two surrogates)."""
    if text.isascii() or all(ord(c) < 0x10000 for c in text):
        return list(text)
    raw = text.encode("utf-16-le", "surrogatepass")
    return [chr(raw[i] | raw[i + 1] << 8) for i in range(0, len(raw), 2)]


def shard_of(gram: str, shards: int) -> int:
    """FNV-1a (32 bit) over the gram's code units, modulo the number of shards."""
    h = 2166136261
    for c in gram:
        h = ((h ^ ord(c)) * 16777619) & 0xFFFFFFFF
    return h % shards


def encode_records(records: list[int]) -> str:
    """Sorted record numbers as deltas."""
    return encode([b - a for a, b in zip([0, *records], records, strict=False)])


def encode_positions(hits: list[tuple[int, list[int]]]) -> str:
    """Per record (ascending): record delta, number of positions, positions as deltas."""
    out: list[int] = []
    prev = 0
    for record, positions in hits:
        out.append(record - prev)
        out.append(len(positions))
        prev = record
        out.extend([b - a for a, b in zip([0, *positions], positions, strict=False)])
    return encode(out)


def decode_positions(text: str) -> dict[int, list[int]]:
    numbers = decode(text)
    out: dict[int, list[int]] = {}
    i = record = 0
    while i < len(numbers):
        record += numbers[i]
        count = numbers[i + 1]
        i += 2
        pos, positions = 0, []
        for d in numbers[i:i + count]:
            pos += d
            positions.append(pos)
        out[record] = positions
        i += count
    return out


def decode_records(text: str) -> list[int]:
    out, r = [], 0
    for d in decode(text):
        r += d
        out.append(r)
    return out


def codes(numbers: list[int]) -> list[str]:
    """The code of each number; SMALL_CODES lookups unless one is too large for them. A negative number (a
    placeholder, overwritten by the caller) gives some string."""
    try:
        return list(map(SMALL_CODES.__getitem__, numbers))
    except IndexError:
        return [_encode_one(n) if n >= 0 else "" for n in numbers]


TAIL_SEP = " "
"""Not a character of ALPHABET: separates the tails of ``char_rows`` and ``pair_rows``."""
_LITTLE = sys.byteorder == "little" and array("H").itemsize == 2 and array("I").itemsize == 4


def overwrite(target: list, places, values) -> None:
    """target[i] = v for each place i and value v, without a Python-level loop."""
    deque(map(setitem, repeat(target), places, values), 0)


def _gaps(values: list[int], new: list[bool]) -> list[str]:
    """Per entry, the code of the gap from the previous entry's value, but TAIL_SEP where ``new`` (a gram's first
    entry: its gap is not part of the tail)."""
    out = codes(list(map(sub, values, [0, *values[:-1]])))  # where new, a placeholder
    overwrite(out, compress(count(), new), repeat(TAIL_SEP))
    return out


def _ends(values: list[int], new: list[bool]) -> tuple[list[int], list[int]]:
    """The value at each gram's first entry and at its last entry."""
    return list(compress(values, new)), list(compress(values, [*new[1:], True]))


def _text(units: list[int], plain: bool) -> str:
    """Code units as a str, decoded at once if ``plain`` (no surrogate, which could pair with its neighbour)."""
    if plain and _LITTLE:
        return array("H", units).tobytes().decode("utf-16-le")
    return "".join(map(chr, units))


SEP_UNIT = 1 << 40
"""Stands for a separator in ``char_rows`` and ``pair_rows``: every gram with it sorts after all others."""


def char_rows(units: list[int], rec_of: list[int], plain: bool) -> tuple[str, list[int], list[int], str]:
    """Postings of single code units (``units``, each of record ``rec_of``; SEP_UNIT ones are never looked up).

    Returns the grams, per gram its first and last record, and the tails
    (``encode_records`` after the first gap), each behind TAIL_SEP. Built
    with whole-list operations (sort, map, compress) rather than a loop per
    character: this runs over every character of the corpus. ``plain``: no
    unit is a surrogate.
    """
    shift = rec_of[-1].bit_length() if rec_of else 0  # records ascend
    keys = sorted(set(map(or_, map(lshift, units, repeat(shift)), rec_of)))
    del keys[bisect_left(keys, 0x10000 << shift):]
    grams = list(map(rshift, keys, repeat(shift)))
    records = list(map(and_, keys, repeat((1 << shift) - 1)))
    new = list(map(ne, grams, [-1, *grams[:-1]]))
    firsts, lasts = _ends(records, new)
    return _text(list(compress(grams, new)), plain), firsts, lasts, "".join(_gaps(records, new))


def pair_rows(units: list[int], seps: list[int], rec_of: list[int], local_of: list[int],
              plain: bool) -> tuple[str, list[int], list[int], str]:
    """Postings of pairs of code units, as ``char_rows``: units p and p + 1, at position ``local_of[p]`` of record
    ``rec_of[p]``, unless one is at a place in ``seps`` (SEP_UNIT; they include the ends of records).

    The tails are ``encode_positions`` after the first gap: per record, the
    gap from the previous one (TAIL_SEP for the first), the number of
    positions, the positions as deltas.
    """
    pairs = list(map(or_, map(lshift, units[1:], repeat(16)), units))  # first unit low, as _pair_text decodes
    # Sorted as (pair id, place): small numbers, that compare fast. A pair's id is its last place in ``pairs``;
    # pairs with a separator get an id past all others, so they sort last and are cut off.
    ids = dict(zip(pairs, count(), strict=False))
    cut = len(pairs)
    overwrite(ids, map(pairs.__getitem__, [q for s in seps for q in (s - 1, s) if 0 <= q < cut]), repeat(cut))
    shift = len(units).bit_length()
    keys = sorted(map(or_, map(lshift, map(ids.__getitem__, pairs), repeat(shift)), count()))
    del keys[bisect_left(keys, cut << shift):]
    size = len(keys)
    grams = list(map(rshift, keys, repeat(shift)))
    at = list(map(and_, keys, repeat((1 << shift) - 1)))
    new = list(map(ne, grams, [-1, *grams[:-1]]))
    records = list(map(rec_of.__getitem__, at))
    starts = list(map(or_, new, map(ne, records, [-1, *records[:-1]])))
    """Where a (pair, record) group starts."""
    # Within a group a position's delta is that of the places; a group's first entry is overwritten below.
    entries = codes(list(map(sub, at, [0, *at[:-1]])))
    first_entries = list(compress(count(), starts))
    counts = list(map(sub, [*first_entries[1:], size], first_entries))
    group_records, group_new = list(compress(records, starts)), list(compress(new, starts))
    heads = map(add, map(add, _gaps(group_records, group_new), codes(counts)),
                codes(list(map(local_of.__getitem__, compress(at, starts)))))
    overwrite(entries, first_entries, heads)
    firsts, lasts = _ends(group_records, group_new)
    return _pair_text(list(map(pairs.__getitem__, compress(grams, new))), plain), firsts, lasts, "".join(entries)


def _pair_text(pairs: list[int], plain: bool) -> str:
    if plain and _LITTLE:
        return array("I", pairs).tobytes().decode("utf-16-le")
    return _text(list(chain.from_iterable(zip(map(and_, pairs, repeat(0xFFFF)), map(rshift, pairs, repeat(16)),
                                              strict=True))), False)
