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

import numpy as np

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


TAIL_SEP = " "
"""Not a character of ALPHABET: separates the tails of ``char_rows`` and ``pair_rows``."""
_ALPHABET_BYTES = np.frombuffer(ALPHABET.encode("ascii"), dtype=np.uint8)


def encode_array(numbers: np.ndarray, sep: np.ndarray | None = None) -> str:
    """``encode(numbers)`` for an integer array, but TAIL_SEP in place of the numbers where ``sep`` is set.

    Every character of the output at once: a number's width (its 5-bit
    groups), then each character's group from its number and place in it.
    """
    if not len(numbers):
        return ""
    values = numbers.astype(np.int64)
    if sep is not None:
        values[sep] = 0  # a placeholder: its width is 1 and its character is replaced below
    width = np.ones(len(values), dtype=np.int64)
    rest = values >> 5
    while rest.any():
        width += rest > 0
        rest >>= 5
    ends = np.cumsum(width)
    starts = ends - width
    owner = np.repeat(np.arange(len(values)), width)
    place = np.arange(int(ends[-1])) - starts[owner]
    groups = (values[owner] >> (5 * place)) & 31
    out = _ALPHABET_BYTES[groups | ((place < width[owner] - 1) << 5)]  # 32 added to all but a number's last
    if sep is not None:
        out[starts[sep]] = ord(TAIL_SEP)
    return out.tobytes().decode("ascii")


def _changes(values: np.ndarray) -> np.ndarray:
    """True where a value differs from the one before it (and at the first)."""
    out = np.ones(len(values), dtype=bool)
    out[1:] = values[1:] != values[:-1]
    return out


def _gaps(values: np.ndarray) -> np.ndarray:
    """Each value minus the one before it (the first minus 0)."""
    return np.diff(values, prepend=0)


def _ends(values: np.ndarray, new: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The value at each gram's first entry and at its last entry."""
    last = np.ones(len(new), dtype=bool)
    last[:-1] = new[1:]
    return values[new], values[last]


def _text(units: np.ndarray, plain: bool) -> str:
    """UTF-16 code units as a str, decoded at once if ``plain`` (no surrogate, which could pair with its neighbour)."""
    if plain:
        return units.astype("<u2").tobytes().decode("utf-16-le")
    return "".join(map(chr, units.tolist()))


Rows = tuple[str, np.ndarray, np.ndarray, str]
"""The grams (as one str), per gram its first and last record, and the tails, each behind TAIL_SEP."""


def char_rows(units: np.ndarray, rec_of: np.ndarray, keep: np.ndarray, plain: bool) -> Rows:
    """Postings of single code units: ``units`` (each of record ``rec_of``) where ``keep``.

    The tails are ``encode_records`` after the first gap. Built with whole-
    array operations rather than a loop per character: this runs over every
    character of the corpus. ``plain``: no unit is a surrogate.
    """
    shift = int(rec_of[-1]).bit_length() if len(rec_of) else 0  # records ascend
    keys = np.unique((units[keep] << shift) | rec_of[keep])
    grams, records = keys >> shift, keys & ((1 << shift) - 1)
    new = _changes(grams)
    firsts, lasts = _ends(records, new)
    return _text(grams[new], plain), firsts, lasts, encode_array(_gaps(records), new)


def pair_rows(units: np.ndarray, keep: np.ndarray, rec_of: np.ndarray, local_of: np.ndarray, plain: bool) -> Rows:
    """Postings of pairs of code units, as ``char_rows``: units p and p + 1, at position ``local_of[p]`` of record
    ``rec_of[p]``, where both are kept.

    Grams come in the order of their last place. The tails are
    ``encode_positions`` after the first gap: per record, the gap from the
    previous one (TAIL_SEP for the first), the number of positions, the
    positions as deltas.
    """
    places = np.flatnonzero(keep[1:] & keep[:-1])
    if not len(places):
        return "", places, places, ""
    pairs = (units[places + 1] << 16) | units[places]  # first unit low, as _pair_text decodes
    # A pair's id is its last place: unique of the reversed pairs finds each one's last occurrence.
    _, last, inverse = np.unique(pairs[::-1], return_index=True, return_inverse=True)
    ids = places[len(places) - 1 - last][inverse][::-1]
    shift = int(len(units)).bit_length()
    keys = np.sort((ids << shift) | places)
    grams, at = keys >> shift, keys & ((1 << shift) - 1)
    new = _changes(grams)
    records = rec_of[at]
    starts = new | _changes(records)
    """Where a (pair, record) group starts: it gets three numbers (record gap, count, first position), others one."""
    group_records, group_new = records[starts], new[starts]
    firsts, lasts = _ends(group_records, group_new)
    first_entries = np.flatnonzero(starts)
    counts = np.diff(first_entries, append=len(at))
    slot = np.arange(len(at)) + 2 * (np.cumsum(starts) - starts)
    """Each entry's first number in the joined numbers."""
    numbers = np.empty(len(at) + 2 * len(first_entries), dtype=np.int64)
    seps = np.zeros(len(numbers), dtype=bool)
    numbers[slot[~starts]] = _gaps(at)[~starts]  # within a group the places' delta is the positions'
    heads = slot[starts]
    numbers[heads], seps[heads] = _gaps(group_records), group_new
    numbers[heads + 1], numbers[heads + 2] = counts, local_of[at[starts]]
    first_at = at[new]
    pair_units = np.empty(2 * len(first_at), dtype=np.int64)
    pair_units[0::2], pair_units[1::2] = units[first_at], units[first_at + 1]
    return _text(pair_units, plain), firsts, lasts, encode_array(numbers, seps)
