"""Pipeline: chain the stages. Everything is gathered before anything is written."""

from __future__ import annotations

import gc
import hashlib
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from reportkb.analysis.link import Index, link
from reportkb.analysis.similar import FILE_SKETCH, file_sketch, text_sketch
from reportkb.config import (
    Settings,
    Taxonomy,
    load_formulas,
    load_noise_rules,
    load_taxonomy,
)
from reportkb.errors import ReportError
from reportkb.model import WARNING, Problem, RawDocument, Report
from reportkb.pages.family import Context
from reportkb.pages.registry import FAMILIES, OWNED_FOLDERS
from reportkb.pages.reports import RESERVED_IDS
from reportkb.parallel import map_ordered
from reportkb.stages.annotate import annotate, pack, unpack
from reportkb.stages.clean import clean_document
from reportkb.stages.ingest import SourceFile, decode_source, read_bytes, scan_sources
from reportkb.stages.parse import parse_report
from reportkb.stages.privacy import check_privacy
from reportkb.store.cache import (
    NO_MEMO,
    BuildMemo,
    BuildSummary,
    Memo,
    ParseCache,
    build_fingerprint,
    code_version,
    program_version,
)
from reportkb.store.lock import exclusive
from reportkb.store.write import Changes, write_tree

DEFAULT_GC_THRESHOLD = gc.get_threshold()
SLUG_CLEAN_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")

Progress = Callable[[Iterable, int], Iterable]
"""Wraps an iterable of the given length to show progress (tqdm); identity by
default. It may also have a ``stage(name)`` method, called as each later stage
starts."""


def _stage(progress: Progress, name: str) -> None:
    announce = getattr(progress, "stage", None)
    if announce is not None:
        announce(name)


@dataclass(frozen=True)
class Built:
    """The whole generated site in memory, before writing.

    Either built (``index`` set) or reused by ``generate`` from the previous
    run when nothing changed (``index`` None, ``reused`` set: see
    ``store.build_memo``); ``summary`` serves both.
    """

    index: Index | None
    pages: dict[str, str | bytes]
    nav: dict[str, list]
    problems: tuple[Problem, ...]
    reused: BuildSummary | None = None

    def __post_init__(self) -> None:
        if (self.index is None) == (self.reused is None):
            raise ValueError("Built takes an index (a build) or a summary (a reused build), not both or neither")

    @property
    def summary(self) -> BuildSummary:
        """The build's reports by id and source, whether built or reused."""
        return self.reused if self.reused is not None else BuildSummary.of(self.index.reports)


@dataclass(frozen=True)
class Result:
    built: Built
    changes: Changes = field(default_factory=Changes)

    @property
    def problems(self) -> tuple[Problem, ...]:
        return self.built.problems


def _identity(items: Iterable, total: int | None = None) -> Iterable:
    return items


def base_id(source: str) -> str:
    """ASCII slug of a source path; a hash is added when the name is not already one."""
    stem = source.rsplit(".", 1)[0] if "." in source.rsplit("/", 1)[-1] else source
    slug = re.sub(r"[^a-z0-9_]+", "-", stem.lower()).strip("-")
    if stem == slug and SLUG_CLEAN_RE.match(slug):
        return slug
    digest = hashlib.sha1(source.encode("utf-8")).hexdigest()[:8]
    return f"{slug[:40]}-{digest}" if slug else f"r-{digest}"


def assign_ids(parts: Mapping[str, int], reserved: frozenset[str] = RESERVED_IDS) -> dict[str, tuple[str, ...]]:
    """Source → the ids of its reports: ``base``, or ``base-1``, ``base-2``… for a file of several.

    Ids are unique across all reports and never a name in ``reserved`` (the
    report list's own page). Sources whose bases are equal (a.txt, a.docx), or
    whose report ids meet another's (report.txt's report-2 and report-2.txt) or
    a reserved name (index.txt), all get a hash of their path, longer if that
    still collides. Depends only on the paths and part counts: same inputs,
    same ids, in whatever order the files are listed.
    """
    first = {s: base_id(s) for s in sorted(parts)}
    digest = {s: hashlib.sha1(s.encode("utf-8")).hexdigest() for s in first}
    length = dict.fromkeys(first, 0)  # hex digits of the hash added; 0 for none

    def base(source: str) -> str:
        return f"{first[source]}-{digest[source][:length[source]]}" if length[source] else first[source]

    def ids_of(source: str) -> tuple[str, ...]:
        own = base(source)
        return (own,) if parts[source] == 1 else tuple(f"{own}-{n}" for n in range(1, parts[source] + 1))

    while True:
        ids = {s: ids_of(s) for s in first}
        groups: dict[tuple[str, str], list[str]] = {}
        for source, own in ids.items():
            groups.setdefault(("base", base(source)), []).append(source)
            for rid in own:
                groups.setdefault(("id", rid), []).append(source)
        clash = {s for (kind, name), group in groups.items() if len(group) > 1 or (kind == "id" and name in reserved)
                 for s in group}
        if not clash:
            return ids
        if all(length[s] >= len(digest[s]) for s in clash):  # only on a SHA-1 collision of two paths
            raise ReportError(f"无法为这些文件分配不同的页面名：{'、'.join(sorted(clash))}。请给其中一个改名。")
        for source in clash:
            length[source] = min(length[source] + 8, len(digest[source]))


Times = dict[str, float]
"""Seconds per stage (ingest, parse, annotate, link, render, write), filled in when given."""


@contextmanager
def _timed(times: Times | None, stage: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        if times is not None:
            times[stage] = times.get(stage, 0.0) + time.perf_counter() - start


def _parse_document(raw: RawDocument, rules) -> tuple[tuple[Report, ...], tuple[Problem, ...]]:
    """Clean and parse one document; reports carry an empty id (assigned later)."""
    texts, found = clean_document(raw, rules)
    problems = list(found) + list(check_privacy(raw))
    reports = []
    for text in texts:
        report, found = parse_report(text, "")
        problems.extend(found)
        reports.append(report)
    return tuple(reports), tuple(problems)


def _known_or_sketch(known: tuple[int, ...] | None, path: Path, root: Path, source: str) -> tuple[int, ...]:
    """A file's text signature: the one computed while parsing, or read again (a cached parse)."""
    return known if known is not None else file_sketch(path, root, source)


def _annotate_packed(report: Report, taxonomy: Taxonomy) -> tuple:
    return pack(annotate(report, taxonomy))


def load_reports(settings: Settings, progress: Progress = _identity, times: Times | None = None, memo: Memo = NO_MEMO,
                 scanned: Sequence[SourceFile] | None = None) -> tuple[list[Report], list[Problem]]:
    """Ingest, clean and parse every source, through the parse cache when ``settings.cache`` is set.

    ``scanned``: the sources as ``scan_sources`` read them, when the caller
    already has them. Sources are taken in sorted order whatever order the
    folder lists them in, so which of two identical files is kept never
    depends on the disk. Each kept file's text signature goes into ``memo``
    for ``kb.py add``, which then compares a new file without decoding the
    whole corpus.
    """
    rules = load_noise_rules(settings.data / "noise.yml")
    cache = ParseCache(settings.cache, code_version((settings.data / "noise.yml",))) if settings.cache else None
    root = settings.sources
    problems: list[Problem] = []
    # Look every file up in the cache first, then parse the rest, on several
    # cores when allowed; a file to parse is read again (scan_sources keeps no bytes).
    files: list[tuple[Path, str, str]] = []
    entries: dict[int, tuple] = {}
    sketches: dict[int, tuple[int, ...]] = {}
    with _timed(times, "ingest"):
        for f in scanned if scanned is not None else scan_sources(root):
            problems.extend(f.problems)
            if f.sha256 is None:
                continue
            entry = cache.get(f.source, f.sha256) if cache else None
            if entry is not None:
                entries[len(files)] = entry
            files.append((f.path, f.source, f.sha256))

    def parse_file(position: int) -> tuple[tuple, tuple[int, ...], str]:
        path, source, sha = files[position]
        _, data, found = read_bytes(path, root)
        if data is None:  # gone or changed into something unreadable since it was hashed
            return (False, tuple(found), ()), (), sha
        raw, found = decode_source(source, path.suffix.lower(), data)
        reports, more = _parse_document(raw, rules) if raw is not None else ((), ())
        return (raw is not None, tuple(found) + more, reports), text_sketch(raw), hashlib.sha256(data).hexdigest()

    todo = [position for position in range(len(files)) if position not in entries]
    with _timed(times, "parse"):
        parsed = map_ordered(parse_file, todo, settings.workers)
        for position, (entry, sketch, sha) in zip(todo, progress(parsed, len(todo)), strict=True):
            path, source, _ = files[position]
            files[position] = (path, source, sha)  # the bytes parsed, should the file have changed meanwhile
            entries[position], sketches[position] = entry, sketch
            if cache:
                cache.put(source, sha, entry)
    kept: list[tuple[str, tuple[Report, ...]]] = []
    seen: dict[str, str] = {}
    for position, (path, source, sha) in enumerate(files):
        ok, found, reports = entries[position]
        if ok and sha in seen:  # only this warning: the kept copy reports the rest
            problems.append(Problem(source, None, WARNING, "duplicate-file",
                                    f"与 {seen[sha]} 内容完全相同，已跳过。请删除其中一个文件。"))
            continue
        problems.extend(found)
        if not ok:
            continue
        seen[sha] = source
        kept.append((source, reports))
        suffix = path.suffix.lower()
        memo.get(FILE_SKETCH, (sha, suffix), partial(_known_or_sketch, sketches.get(position), path, root, source))
    if cache:
        cache.prune()
    ids = assign_ids({source: reports[0].parts for source, reports in kept if reports})
    out = [replace(r, id=ids[source][r.part - 1]) for source, reports in kept for r in reports]
    return out, problems


def build(settings: Settings, progress: Progress = _identity, times: Times | None = None,
          scanned: Sequence[SourceFile] | None = None) -> Built:
    """Read, parse, annotate, link and render — no writing. ``scanned``: see ``load_reports``."""
    taxonomy = load_taxonomy(settings.data / "taxonomy.yml")
    # Per-report results of earlier runs (annotations, similarity sketches,
    # requirement passages, report pages) are reused when the report, the
    # code and the data files are unchanged. The large kinds are kept one
    # file per entry: a changed report then rewrites its own entries only.
    memo = Memo(settings.cache, program_version(settings.data) if settings.cache else "", spread=SPREAD_KINDS,
                workers=settings.workers)
    with _gc_threshold(DEFAULT_GC_THRESHOLD):
        reports, problems = load_reports(settings, progress, times, memo, scanned)
        gc.collect()  # the Word documents read are cyclic garbage
    with _gc_threshold(FEWER_COLLECTIONS):
        return _build_from(settings, taxonomy, memo, reports, problems, progress, times)


def _build_from(settings: Settings, taxonomy: Taxonomy, memo: Memo, reports: list[Report], problems: list[Problem],
                progress: Progress, times: Times | None) -> Built:
    _stage(progress, "annotate")
    with _timed(times, "annotate"):
        jobs = [(memo.report_key(r), partial(_annotate_packed, r, taxonomy)) for r in reports]
        notes = [unpack(r.id, p) for r, p in zip(reports, memo.get_many("annotate", jobs), strict=True)]
    _stage(progress, "link")
    with _timed(times, "link"):
        index = link(reports, notes, taxonomy, load_formulas(settings.data / "formulas.yml"), memo)
    _stage(progress, "render")
    render_start = time.perf_counter()
    # A key, not Problem's own order: line is None for whole-file problems.
    all_problems = tuple(sorted(problems, key=lambda p: (p.source, p.line or 0, p.level, p.code, p.message)))
    # Each family adds its pages, nav sections and report-page appendices,
    # all from the same Index; nothing is written until all are rendered.
    context = Context(index=index, taxonomy=taxonomy, data=settings.data, problems=all_problems, memo=memo)
    pages: dict[str, str] = {}
    nav: dict[str, list] = {}
    appendices: dict[str, tuple[str, ...]] = {}
    # The families' per-report work starts now, in worker processes, and goes
    # on while this process renders: each family takes its share when it asks.
    memo.compute_early([batch for family in FAMILIES if family.early for batch in family.early(context)])
    try:
        for family in FAMILIES:
            rendered = family.render(replace(context, appendices=dict(appendices)))
            pages.update(rendered.pages)
            nav.update(rendered.nav)
            for rid, parts in rendered.appendices.items():
                appendices[rid] = appendices.get(rid, ()) + parts
    finally:
        memo.end_early()
    memo.save(whole_run=True)
    if times is not None:  # render = everything from the Index to the pages, features included
        times["render"] = times.get("render", 0.0) + time.perf_counter() - render_start
    return Built(index=index, pages=pages, nav=nav, problems=all_problems)


SPREAD_KINDS = ("report-page", "search-blocks", "search-postings")
"""Memo kinds whose entries are large (whole pages, a block's search postings): one file per entry."""

FEWER_COLLECTIONS = (100_000, 50, 1000)
"""Garbage-collector thresholds while the index and pages are built.

A large corpus makes millions of long-lived objects that hold no cycles;
with CPython's default thresholds the collector walks them again and again
(about a fifth of a 1,000-report build). Only for stages that make little
cyclic garbage: python-docx documents are cyclic and large, so sources are
read under DEFAULT_GC_THRESHOLD and collected after."""


@contextmanager
def _gc_threshold(threshold: tuple[int, int, int]) -> Iterator[None]:
    before = gc.get_threshold()
    gc.set_threshold(*threshold)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def generate(settings: Settings, progress: Progress = _identity, times: Times | None = None) -> Result:
    """Build the site's generated pages and write what changed.

    With a cache folder, a build whose inputs are all unchanged is reused.
    """
    with _gc_threshold(FEWER_COLLECTIONS):
        return _generate(settings, progress, times)


def _generate(settings: Settings, progress: Progress, times: Times | None) -> Result:
    # One run at a time per docs/: a second one waits, then finds the first one's build to reuse.
    with exclusive(settings.docs):
        memo, built, scanned = None, None, None
        if settings.cache:
            with _timed(times, "ingest"):
                scanned = scan_sources(settings.sources)  # read once: for the fingerprint and, if changed, the build
                memo = BuildMemo(settings.cache, build_fingerprint(scanned, settings.data))
                stored = memo.load(settings.docs)
            if stored is not None:
                built = Built(index=None, pages=stored.pages, nav=stored.nav, problems=stored.problems,
                              reused=stored.summary)
        if built is None:
            built = build(settings, progress, times, scanned)
        _stage(progress, "write")
        with _timed(times, "write"):
            changes = write_tree(built.pages, settings.docs, OWNED_FOLDERS)
            if memo and built.index is not None:  # after writing: the page digests match docs/
                memo.store(built.summary, built.pages, built.nav, built.problems)
        return Result(built=built, changes=changes)
