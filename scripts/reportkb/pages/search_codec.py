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
