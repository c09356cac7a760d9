"""The search data: every section's own text, labels from the annotations, sharded postings that decide matches exactly."""

from __future__ import annotations

import json
import random
from dataclasses import replace

import pytest

from reportkb.pages import search
from reportkb.pages.search import SEARCH_JSON, SHARD_DIR, browser_fold, fold_table, render_search, search_data
from reportkb.pages.search_codec import decode, decode_positions, decode_records, encode_positions, encode_records, shard_of
from reportkb.store.cache import Memo
from reportkb.testing.search import query_terms
from reportkb.text.fold import fold


@pytest.fixture()
def built(sample_build):
    return sample_build


def record_text(data: dict, record: list) -> str:
    return record[4]


def test_one_record_per_section_and_per_opening_with_its_own_text(built):
    data = search_data(built.index)
    corpus = json.loads(built.pages["data/corpus.json"])
    expected = []
    for r in corpus["reports"]:
        if r["opening"]:
            expected.append((r["id"], "", r["opening"]))
        expected.extend((r["id"], s["anchor"], s["text"]) for s in r["outline"])
    got = [(data["reports"][rec[0]][0], rec[1], record_text(data, rec)) for rec in data["records"]]
    assert got == expected
    assert len(got) > 50


def test_section_text_is_the_heading_and_the_paragraphs_directly_under_it(built):
    report = next(r for r in built.index.reports if len({s.depth for s in r.sections}) > 1)
    corpus = json.loads(built.pages["data/corpus.json"])
    entry = next(r for r in corpus["reports"] if r["id"] == report.id)
    parent = next(s for s in report.sections if any(c.parent == s.index for c in report.sections))
    child = next(c for c in report.sections if c.parent == parent.index)
    text = entry["outline"][parent.index]["text"]
    # Its own heading, not the heading of a subsection.
    heading_block = next(b for b in report.blocks if b.kind == "heading" and b.section == parent.index)
    assert text.startswith(heading_block.text)
    child_heading = next(b for b in report.blocks if b.kind == "heading" and b.section == child.index)
    assert child_heading.text not in text.split("\n")
    # Joined in the order of the page; every block of the report is in exactly one record.
    blocks = [b.text for b in report.blocks]
    pieces = ([entry["opening"]] if entry["opening"] else []) + [s["text"] for s in entry["outline"]]
    assert "\n".join(pieces).split("\n") == blocks


class Files:
    """The search files read back as search.js reads them (written apart from search.js and search.py)."""

    def __init__(self, pages: dict[str, str]):
        self.pages = pages
        self.meta = json.loads(pages[SEARCH_JSON])
        self.solo = {g: i for i, g in enumerate(self.meta["solo"])}

    def posting(self, gram: str) -> str | None:
        name = f"w{self.solo[gram]}" if gram in self.solo else f"g{shard_of(gram, self.meta['shards'])}"
        return json.loads(self.pages[f"{SHARD_DIR}/{name}.json"]).get(gram)

    def records_with(self, term: str) -> set[int]:
        if len(term) == 1:
            text = self.posting(term)
            return set(decode_records(text)) if text else set()
        offsets = list(range(0, len(term) - 1, 2)) + ([len(term) - 2] if len(term) % 2 else [])
        lists = []
        for o in offsets:
            text = self.posting(term[o:o + 2])
            if text is None:
                return set()
            lists.append((o, decode_positions(text)))
        lead_offset, lead = lists[0]
        return {r for r, positions in lead.items()
                if any(all(p - lead_offset + o in hits.get(r, ()) for o, hits in lists) for p in positions)}


def test_the_postings_decide_every_substring_exactly(built):
    """Random substrings (1–9 characters), traditional and full-width variants: the records the
    files give are exactly those whose folded text contains the term."""
    pages = render_search(built.index)
    files = Files(pages)
    data = search_data(built.index)
    texts = [browser_fold(rec[4]) for rec in data["records"]]
    rng = random.Random(13)
    terms = {"网评员", "網評員", "ＸＸ", "意识形态工作责任制", "三", "的", "量子计算机", "（一）", "“三审制”"}
    while len(terms) < 400:
        text = rng.choice(texts)
        size = rng.randint(1, 9)
        start = rng.randrange(max(1, len(text) - size))
        piece = text[start:start + size]
        if "\n" not in piece:
            terms.add(piece)
    checked = 0
    for query in sorted(terms):
        for term in query_terms(f'"{query}"') if '"' not in query else query_terms(query):
            expected = {n for n, t in enumerate(texts) if term in t}
            assert files.records_with(term) == expected, term
            checked += len(expected)
    assert checked > 2000


def test_every_record_text_is_in_one_text_chunk_with_its_report_and_anchor(built):
    pages = render_search(built.index)
    meta = json.loads(pages[SEARCH_JSON])
    data = search_data(built.index)
    rows = []
    for n in range(-(-meta["records"] // meta["chunk"])):
        rows += json.loads(pages[f"{SHARD_DIR}/t{n}.json"])
    assert rows == [[data["reports"][rec[0]][0], data["reports"][rec[0]][1], rec[1], rec[4]] for rec in data["records"]]
    # Roles and themes per record, and records per report, from the small file alone.
    labels = [meta["labels"][i] for i in decode(meta["label_of"])]
    assert labels == [[rec[2], rec[3]] for rec in data["records"]]
    spans = decode(meta["spans"])
    assert [n for n, count in enumerate(spans) for _ in range(count)] == [rec[0] for rec in data["records"]]
    assert meta["reports"] == [r[2:] for r in data["reports"]]


def test_the_browser_fold_is_the_shipped_table_with_width_and_case():
    trad, simp = fold_table()
    sample = trad + "ＡＢｃ　\u00a0ⅩⅹＸｘ（一）網評員ABC"
    assert browser_fold(sample) == fold(sample)
    assert len(browser_fold(sample)) == len(sample)


def test_records_carry_role_themes_year_and_unit_from_the_index(built):
    data = search_data(built.index)
    openings = sections = 0
    for rec in data["records"]:
        report = built.index.by_id(data["reports"][rec[0]][0])
        assert data["reports"][rec[0]][1:3] == [report.title, report.year]
        unit = data["reports"][rec[0]][3]
        assert (data["units"][unit] if unit >= 0 else None) == report.unit
        if not rec[1]:
            openings += 1
            assert rec[2] == -1 and rec[3] == []
            continue
        sections += 1
        section = next(s for s in report.sections if s.anchor == rec[1])
        labels = built.index.annotations[report.id].sections[section.index]
        assert data["roles"][rec[2]] == labels.role
        assert [data["themes"][t] for t in rec[3]] == list(labels.themes)
    assert openings > 0 and sections > 50  # both kinds of record were checked
    assert {u for u in data["units"]} == {r.unit for r in built.index.reports if r.unit is not None}


def test_new_theme_names_reach_the_filters_without_code_changes(built):
    index = built.index
    report = index.reports[0]
    notes = index.annotations[report.id]
    labels = list(notes.sections)
    labels[0] = replace(labels[0], themes=("一个新主题",) + tuple(labels[0].themes))
    changed = replace(index, annotations={**index.annotations, report.id: replace(notes, sections=tuple(labels))})
    data = search_data(changed)
    assert "一个新主题" in data["themes"]
    first = next(rec for rec in data["records"] if rec[0] == 0 and rec[1] == report.sections[0].anchor)
    assert data["themes"][first[3][0]] == "一个新主题"


def test_fold_table_matches_textnorm_fold_one_for_one():
    trad, simp = fold_table()
    assert len(trad) == len(simp) > 2000
    assert all(len(c.encode("utf-16-le")) == 2 for c in trad + simp)
    for a, b in zip(trad, simp, strict=True):
        assert fold(a) == b, a  # single pass, like str.translate
    assert {"網", "評", "員", "Ⅹ", "ⅹ"} <= set(trad)


def test_search_data_is_compact_deterministic_and_in_the_generated_data_folder(built):
    pages = render_search(built.index)
    assert SEARCH_JSON in pages and all(p == SEARCH_JSON or p.startswith(f"{SHARD_DIR}/") for p in pages)
    assert pages == render_search(built.index)  # across runs and processes: test_themes_site
    assert all(built.pages[p] == text for p, text in pages.items())
    for text in pages.values():
        assert "\n " not in text  # not indented: visitors download it
    meta = json.loads(pages[SEARCH_JSON])
    assert meta["format"] == 2
    # The small file holds no report text; shards stay small.
    assert len(pages[SEARCH_JSON].encode()) < 40_000
    assert max(len(t.encode()) for p, t in pages.items() if "/g" in p) < 20_000


def _corpus_encoding(texts: list[str]) -> dict[str, str]:
    """The encoded postings computed over the whole corpus at once (the definition)."""
    chars, pairs = search.postings(texts)
    out = {g: encode_records(rs) for g, rs in chars.items()}
    out.update({g: encode_positions(hits) for g, hits in pairs.items()})
    return out


@pytest.mark.parametrize("texts", [
    ["網評員ＡＢ", "", "ab\nab\nba", "a"],
    ["𠀀𠀁𠀀x", "\ud800\udc00\ud800", "x𠀀"],  # outside the BMP (two units each) and lone surrogates
    ["xy" + "a" * 40_000 + "xy", "b" * 33_000],  # gaps, positions and counts past SMALL_CODES
    ["\n", "\n\n", ""],
    [],
])
def test_a_report_part_is_the_encoding_of_its_records(texts):
    assert search.encoded_postings([search.posting_part(texts)], [len(texts)]) == _corpus_encoding(texts)
    halves = [texts[:1], texts[1:]]
    joined = search.join_parts([search.posting_part(t) for t in halves], [len(t) for t in halves])
    assert search.encoded_postings([joined], [len(texts)]) == _corpus_encoding(texts)


@pytest.mark.parametrize("pick", ["all", "every other", "reversed"])
def test_postings_joined_from_report_parts_are_the_corpus_postings(built, pick):
    reports = list(built.index.reports)
    reports = {"all": reports, "every other": reports[::2], "reversed": reports[::-1]}[pick]
    texts = [search.record_texts(r) for r in reports]
    joined = search.encoded_postings([search.posting_part(t) for t in texts], [len(t) for t in texts])
    expected = _corpus_encoding([text for report in texts for text in report])
    assert joined == expected
    assert len(expected) > 1000


def test_search_data_built_from_remembered_parts_is_the_same(built, tmp_path):
    fresh = render_search(built.index)
    memo = Memo(tmp_path, "v1")
    assert render_search(built.index, memo) == fresh
    memo.save()
    again = Memo(tmp_path, "v1")
    assert render_search(built.index, again) == fresh
    assert again.hits > 0 and again.misses == 0


def test_search_data_joined_block_by_block_stays_the_corpus_encoding_as_reports_come_and_go(built, tmp_path, monkeypatch):
    """Blocks of a few reports on several levels, remembered on disk between runs; reports removed and added back
    in the middle: the files are those built without a memo, and their postings the corpus's."""
    monkeypatch.setattr(search, "FIRST_MEAN", 2)
    monkeypatch.setattr(search, "UPPER_MEAN", 2)
    monkeypatch.setattr(search, "TOP_PARTS", 1)
    index = built.index
    copies = [replace(r, id=f"{r.id}-{k}") for k in range(4) for r in index.reports]  # enough for several levels
    notes = {c.id: index.annotations[r.id] for c, r in zip(copies, list(index.reports) * 4, strict=True)}
    middle = len(copies) // 2
    versions = [copies, copies[:middle] + copies[middle + 1:], copies[:2] + copies[3:middle] + copies[middle + 1:], copies]
    for n, kept in enumerate(versions):
        changed = replace(index, reports=tuple(kept), annotations=notes)
        memo = Memo(tmp_path, "v1")
        pages = render_search(changed, memo)
        memo.save()
        assert pages == render_search(changed), n
        files = Files(pages)
        expected = _corpus_encoding([text for report in kept for text in search.record_texts(report)])
        assert all(files.posting(gram) == text for gram, text in expected.items()), n
        if n == 0:
            cold = memo.misses  # every report's part and every block's
        else:  # only the blocks around the change are joined again
            assert 0 < memo.misses < cold / 2, n


def test_posting_shards_are_written_as_their_json():
    grams = ["ab", 'a"', "\\x", "\n\t", "\x01", "\ud800a", "a\udfff", "\x7f", "网评", " ", "\u2028", "\ufeff"]
    postings = {g: f"AB-_{n}" for n, g in enumerate(grams)}
    assert search._dump_postings(postings) == search._dump(postings)
