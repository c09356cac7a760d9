"""Search data: every searchable record of the corpus, sharded for the site's own search.

A record is the *own text* of one section (its heading and the paragraphs
directly under it, not its subsections), plus one record per report for the
opening text before the first numbered heading (title, addressee, preamble).
Blocks of a record are joined with ``SEP`` so a query never matches across
two paragraphs.

The browser does the matching (``docs/assets/search.js``): exact substring
over folded text, decided from a positional index so that a first query
downloads only what it needs (no server compression assumed):

* ``data/search.json`` — the small part every query needs: the fold table,
  filter names, per report its year and unit, per record its role and themes,
  and how the rest is laid out;
* ``data/search/g<n>.json`` / ``w<n>.json`` — postings, by gram of the folded
  text: for a character, the records holding it; for two characters, the
  records and positions (UTF-16 offsets). A term of two or more characters
  occurs at p exactly when its bigrams at offsets 0, 2, 4 … and the last one
  occur at p + offset, so no text is needed to decide a match. Grams are
  hashed into shards (``g``); a gram with a long posting has its own file
  (``w``, listed in search.json);
* ``data/search/t<n>.json`` — the text of ``chunk`` consecutive records (report
  id, title, anchor, text), fetched only for the results shown.

Folding is the browser's (``browser_fold``: the shipped table, width, ASCII
case), so the index and the query are folded alike.
"""

from __future__ import annotations

import functools
import json
import re
from array import array
from collections import defaultdict
from dataclasses import dataclass
from functools import partial
from itertools import accumulate, repeat
from operator import add

import numpy as np

from reportkb.analysis.link import Index
from reportkb.model import Report, Section
from reportkb.pages.family import PageFamily, Rendered
from reportkb.pages.search_codec import SMALL_CODES, TAIL_SEP, char_rows, encode, pair_rows, shard_of, units
from reportkb.store.cache import NO_MEMO, Memo
from reportkb.store.memo import block_key, report_blocks
from reportkb.text.fold import fold_table  # traditional→simplified and Ⅹ/ⅹ; search.js folds width itself

SEARCH_JSON = "data/search.json"
SHARD_DIR = "data/search"
SEP = "\n"
"""Joins the blocks of one record; queries cannot contain it."""
FORMAT = 2
SHARD_CHARS = 4000
"""Aim for posting shards of about this many characters (ASCII: bytes)."""
SOLO_CHARS = 3000
"""A gram whose posting is longer has a file of its own, so it never weighs on other grams' shards."""
CHUNK_CHARS = 2000
"""Aim for text chunks of about this many characters (about 6 KB of UTF-8)."""


@dataclass(frozen=True)
class SearchRecord:
    report: int
    anchor: str
    """"" for the opening."""
    role: str | None
    themes: tuple[str, ...]
    text: str


def opening_blocks(report: Report) -> list[str]:
    """Texts of the blocks before the first numbered heading."""
    return [b.text for b in report.blocks if b.section is None]


def own_blocks(report: Report, index: int) -> list[str]:
    """Texts of a section's heading and the paragraphs directly under it."""
    return [b.text for b in report.blocks if b.section == index]


def opening_text(report: Report) -> str:
    return SEP.join(opening_blocks(report))


def section_text(report: Report, index: int) -> str:
    return SEP.join(own_blocks(report, index))


def _report_records(report: Report) -> list[tuple[Section | None, str]]:
    """One report's records as (section, text): its opening (section None), then its sections with own text."""
    opening = opening_blocks(report)
    out: list[tuple[Section | None, str]] = [(None, SEP.join(opening))] if opening else []
    out.extend((s, SEP.join(blocks)) for s in report.sections if (blocks := own_blocks(report, s.index)))
    return out


def search_records(index: Index) -> list[SearchRecord]:
    """Every record in corpus order: a report's opening, then its sections."""
    out = []
    for number, report in enumerate(index.reports):
        notes = index.annotations[report.id]
        for section, text in _report_records(report):
            if section is None:
                out.append(SearchRecord(number, "", None, (), text))
                continue
            labels = notes.sections[section.index] if notes.sections else None
            out.append(SearchRecord(number, section.anchor, labels.role if labels else None,
                                    tuple(labels.themes) if labels else (), text))
    return out


def record_texts(report: Report) -> list[str]:
    """The texts of one report's records, as search_records numbers them."""
    return [text for _, text in _report_records(report)]


@functools.cache
def _browser_map() -> dict[int, str]:
    """search.js's fold: the shipped table, then full-width → ASCII, then A–Z lower-cased."""
    trad, simp = fold_table()
    simplified = dict(zip(trad, simp, strict=True))

    def width(c: str) -> str:
        code = ord(c)
        if code in (0x3000, 0x00A0):
            return " "
        return chr(code - 0xFEE0) if 0xFF01 <= code <= 0xFF5E else c

    def lower(c: str) -> str:
        return c.lower() if "A" <= c <= "Z" else c

    keys = set(trad) | {"\u3000", "\u00a0"} | {chr(c) for c in range(0xFF01, 0xFF5F)} | {chr(c) for c in range(65, 91)}
    table = {c: lower(width(simplified.get(c, c))) for c in keys}
    return {ord(c): v for c, v in table.items() if v != c}


@functools.cache
def _browser_table() -> tuple:
    """``_browser_map`` for str.translate, as a tuple over the BMP: looked up faster than a dict, and no character
    outside the BMP is folded."""
    table: list[int | str] = list(range(0x10000))
    for code, folded in _browser_map().items():
        table[code] = folded  # every code is in the BMP (test_fold_table_matches_textnorm_fold_one_for_one)
    return tuple(table)


def browser_fold(text: str) -> str:
    return text.translate(_browser_table())


def postings(texts: list[str]) -> tuple[dict[str, list[int]], dict[str, list[tuple[int, list[int]]]]]:
    """Characters → records (numbered by their place in ``texts``) holding them; pairs of characters → (record, positions).

    The definition; ``posting_part`` computes its encoding list-wise."""
    chars: dict[str, list[int]] = {}
    pairs: dict[str, list[tuple[int, list[int]]]] = {}
    for number, text in enumerate(texts):
        folded = browser_fold(text)
        u = folded if folded.isascii() or max(folded) < "\U00010000" else units(folded)
        for c in set(u):
            chars.setdefault(c, []).append(number)
        local: defaultdict[str, list[int]] = defaultdict(list)
        for p, gram in enumerate(map(str.__add__, u, u[1:])):
            local[gram].append(p)
        for gram, positions in local.items():
            pairs.setdefault(gram, []).append((number, positions))
    # Queries never hold SEP: grams with it are never looked up.
    chars.pop(SEP, None)
    for gram in [g for g in pairs if SEP in g]:
        del pairs[gram]
    return chars, pairs


@dataclass(frozen=True)
class PostingPart:
    """The postings of consecutive records (one report's, or a block of reports'), numbered from the first,
    encoded so that parts concatenate.

    A gram's encoded posting (``encode_records`` / ``encode_positions``) is a
    run of numbers of which only the first record's gap depends on what came
    before; ``tails`` holds the rest. Joining the parts of all reports in
    corpus order, each behind the gap to the previous report's last record,
    gives exactly the encoding of the whole corpus's posting. Kept compact
    (three strings, two arrays) because every report's part stays in memory.
    """

    grams: str
    """The characters (one code unit each), then the pairs (two each)."""
    chars: int
    firsts: bytes
    """array('I'): per gram, its first local record."""
    lasts: bytes
    """array('I'): per gram, its last local record."""
    tails: str
    """Per gram, the encoding after its first gap, joined by TAIL_SEP."""

    def gram_list(self) -> list[str]:
        """The grams, one str each."""
        grams, chars = self.grams, self.chars
        return [*grams[:chars], *map(str.__add__, grams[chars::2], grams[chars + 1::2])]

    def tail_list(self) -> list[str]:
        return self.tails.split(TAIL_SEP) if self.grams else []


def posting_part(texts: list[str]) -> PostingPart:
    """The part of the records ``texts`` (one report's), numbered from 0: ``postings`` encoded, computed array-wise."""
    folded = browser_fold(SEP.join(texts))  # SEP between records too, so no pair spans two of them
    code_units = np.frombuffer(folded.encode("utf-16-le", "surrogatepass"), dtype="<u2").astype(np.int64)
    # Folding keeps the length; in the BMP a character is one unit.
    bmp = len(code_units) == len(folded)
    lengths = [len(t) if bmp else len(t.encode("utf-16-le", "surrogatepass")) // 2 for t in texts]
    plain = not ((code_units >= 0xD800) & (code_units <= 0xDFFF)).any()
    keep = code_units != ord(SEP)  # grams with SEP are never looked up
    spans = np.array(lengths, dtype=np.int64) + 1
    """Units per record with the SEP after it (the last one has none)."""
    size = len(code_units)
    rec_of = np.repeat(np.arange(len(texts)), spans)[:size]
    local_of = np.arange(size) - np.repeat(np.cumsum(spans) - spans, spans)[:size]
    chars, char_firsts, char_lasts, char_tails = char_rows(code_units, rec_of, keep, plain)
    pairs, pair_firsts, pair_lasts, pair_tails = pair_rows(code_units, keep, rec_of, local_of, plain)
    return PostingPart(chars + pairs, len(chars), _uints(char_firsts, pair_firsts), _uints(char_lasts, pair_lasts),
                       (char_tails + pair_tails)[1:])  # each behind TAIL_SEP


def _uints(*parts: np.ndarray) -> bytes:
    """The numbers as array('I') bytes."""
    return np.concatenate(parts).astype(np.uintc).tobytes()


def join_parts(parts: list[PostingPart], records: list[int]) -> PostingPart:
    """The part of consecutive parts, each of ``records`` records: joining is associative, so blocks of reports
    can be joined first (and remembered) and the blocks then."""
    runs = _runs(parts, records)
    chars = [g for g in runs if len(g) == 1]
    pairs = [g for g in runs if len(g) == 2]
    order = chars + pairs
    rows = [runs[g] for g in order]
    return PostingPart("".join(order), len(chars), array("I", [r[0] for r in rows]).tobytes(),
                       array("I", [r[1] for r in rows]).tobytes(), TAIL_SEP.join(["".join(r[2:]) for r in rows]))


def _runs(parts: list[PostingPart], records: list[int]) -> dict[str, list]:
    """gram → [first record, last record, encoded pieces after the first gap …], over the joined parts."""
    runs: dict[str, list] = {}
    small, limit = SMALL_CODES, len(SMALL_CODES)
    offset = 0
    for part, count in zip(parts, records, strict=True):
        shifted = map(add, array("I", part.firsts), repeat(offset)), map(add, array("I", part.lasts), repeat(offset))
        for gram, first, last, tail in zip(part.gram_list(), *shifted, part.tail_list(), strict=True):
            if gram in runs:  # faster than runs.get: this loop runs over every gram of every part
                run = runs[gram]
                gap = first - run[1]
                run[1] = last
                run += (small[gap] if gap < limit else encode([gap]), tail)
            else:
                runs[gram] = [first, last, tail]
        offset += count
    return runs


FIRST_MEAN = 8
"""Reports per block of the first level on average (``search_files``)."""
UPPER_MEAN = 8
"""Blocks per block on average above the first level (``_joined_blocks``)."""
TOP_PARTS = 8
"""At most this many parts are left for the last join."""


def _joined_blocks(memo: Memo, keys: list[str], parts: list[PostingPart],
                   records: list[int]) -> tuple[list[PostingPart], list[int]]:
    """Consecutive parts (keyed by ``keys``) joined block by block, level by level until few are left, each
    block's part remembered: a change to one report then costs one block's join per level, then the last."""
    while len(parts) > TOP_PARTS:
        blocks = report_blocks(keys, UPPER_MEAN)
        if len(blocks) == len(parts):
            break
        keys = [block_key(keys[b.start:b.stop]) for b in blocks]
        parts = [memo.get("search-blocks", key, partial(join_parts, parts[b.start:b.stop], records[b.start:b.stop]))
                 for key, b in zip(keys, blocks, strict=True)]
        records = [sum(records[b.start:b.stop]) for b in blocks]
    return parts, records


def encoded_postings(parts: list[PostingPart], records: list[int]) -> dict[str, str]:
    """Every gram's encoded posting over the corpus, from consecutive parts and their numbers of records."""
    return {gram: encode([run[0]]) + "".join(run[2:]) for gram, run in _runs(parts, records).items()}


def search_data(index: Index, records: list[SearchRecord] | None = None) -> dict:
    """The logical content of the search data (what the files encode), for tests and tools; ``records``: the
    index's ``search_records``, if known."""
    records = search_records(index) if records is None else records
    themes = sorted({t for r in records for t in r.themes})
    roles = sorted({r.role for r in records if r.role})
    units_ = sorted({r.unit for r in index.reports if r.unit})
    return {
        "themes": themes, "roles": roles, "units": units_, "sep": SEP,
        "reports": [[r.id, r.title, r.year, units_.index(r.unit) if r.unit else -1] for r in index.reports],
        "records": [[r.report, r.anchor, roles.index(r.role) if r.role else -1, [themes.index(t) for t in r.themes], r.text]
                    for r in records],
    }


def search_files(index: Index, memo: Memo = NO_MEMO) -> dict[str, str]:
    """Every file of the search data, by docs-relative path.

    Postings come from ``PostingPart``s of blocks of reports, kept in
    ``memo`` (``_joined_blocks``): a change to one report recomputes only the
    parts of the blocks it is in, then the last join.
    """
    records = search_records(index)
    data = search_data(index, records)
    reports = index.reports
    spans = [0] * len(reports)
    """Records per report."""
    for r in records:
        spans[r.report] += 1
    # The first level's blocks (a few reports each) computed from their records' texts, in parallel when cold:
    # a block's part costs about what its reports' parts would, and saves joining them.
    report_keys = [memo.report_key(r) for r in reports]
    blocks = report_blocks(report_keys, FIRST_MEAN)
    keys = [block_key(report_keys[b.start:b.stop]) for b in blocks]
    firsts = [0, *accumulate(spans)]
    """Number of each report's first record."""
    texts = [r.text for r in records]
    jobs = [(key, partial(posting_part, texts[firsts[b.start]:firsts[b.stop]])) for key, b in zip(keys, blocks, strict=True)]
    counts = [firsts[b.stop] - firsts[b.start] for b in blocks]
    encoded = encoded_postings(*_joined_blocks(memo, keys, memo.get_many("search-postings", jobs), counts))
    solo = sorted(g for g, text in encoded.items() if len(text) > SOLO_CHARS)
    rest = sum(len(text) + 8 for g, text in encoded.items() if len(text) <= SOLO_CHARS)
    shards = 1
    while shards * SHARD_CHARS < rest:
        shards *= 2
    files: dict[str, str] = {}
    buckets: list[dict[str, str]] = [{} for _ in range(shards)]
    solo_set = set(solo)
    for gram, text in encoded.items():
        if gram not in solo_set:
            buckets[shard_of(gram, shards)][gram] = text
    for n, bucket in enumerate(buckets):
        files[f"{SHARD_DIR}/g{n}.json"] = _dump_postings(bucket)
    for n, gram in enumerate(solo):
        files[f"{SHARD_DIR}/w{n}.json"] = _dump_postings({gram: encoded[gram]})
    mean = sum(len(r.text) for r in records) / len(records) if records else 1
    chunk = max(1, round(CHUNK_CHARS / max(mean, 1)))
    for n in range(0, len(records), chunk):
        part = records[n:n + chunk]
        files[f"{SHARD_DIR}/t{n // chunk}.json"] = _dump(
            [[reports[r.report].id, reports[r.report].title, r.anchor, r.text] for r in part])
    labels: dict[tuple[int, tuple[int, ...]], int] = {}
    label_of = [labels.setdefault((rec[2], tuple(rec[3])), len(labels)) for rec in data["records"]]
    trad, simp = fold_table()
    files[SEARCH_JSON] = _dump({
        "format": FORMAT, "fold": {"from": trad, "to": simp}, "sep": SEP,
        "themes": data["themes"], "roles": data["roles"], "units": data["units"],
        "reports": [[r.year, unit] for r, (*_, unit) in zip(reports, data["reports"], strict=True)],
        "spans": encode(spans), "labels": [[role, list(ts)] for role, ts in labels], "label_of": encode(label_of),
        "records": len(records), "shards": shards, "solo": solo, "chunk": chunk,
    })
    return files


LONE_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def _dump(value) -> str:
    """Compact JSON (it is downloaded); a gram cut inside a character outside the BMP is escaped."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return LONE_SURROGATE_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


ESCAPED_RE = re.compile('["\\\\\x00-\x1f\ud800-\udfff]')
"""What ``_dump`` writes otherwise than as itself: JSON's escapes (ensure_ascii off), and lone surrogates."""


def _dump_postings(postings: dict[str, str]) -> str:
    """``_dump(postings)``, written directly: the encoded postings need no escaping, and few grams do."""
    return "{" + ",".join([f'{_json_key(gram)}:"{text}"' for gram, text in sorted(postings.items())]) + "}\n"


def _json_key(gram: str) -> str:
    return _dump(gram)[:-1] if ESCAPED_RE.search(gram) else f'"{gram}"'


def render_search(index: Index, memo: Memo = NO_MEMO) -> dict[str, str]:
    """Pages this feature adds: the search data files."""
    return search_files(index, memo)


FAMILY = PageFamily("search", ("data",), lambda ctx: Rendered(pages=render_search(ctx.index, ctx.memo)))
