"""Pipeline: chain the stages. Everything is gathered before anything is written."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .annotate import annotate
from .clean import clean_document
from .ingest import list_sources, read_source
from .link import Index, link
from .model import WARNING, Problem, RawDocument, Report
from .parse import parse_report
from .render import render_nav, render_site
from .settings import Settings, load_noise_rules, load_taxonomy
from .write import Changes, write_tree

SLUG_CLEAN_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")

Progress = Callable[[Iterable], Iterable]
"""Wraps an iterable to show progress (tqdm); identity by default."""


@dataclass(frozen=True)
class Built:
    """The whole generated site in memory, before writing."""

    index: Index
    pages: dict[str, str]
    nav: dict[str, list]
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class Result:
    built: Built
    changes: Changes = field(default_factory=Changes)

    @property
    def problems(self) -> tuple[Problem, ...]:
        return self.built.problems


def _identity(items: Iterable) -> Iterable:
    return items


def base_id(source: str) -> str:
    """ASCII slug of a source path; a hash is added when the name is not already one."""
    stem = source.rsplit(".", 1)[0] if "." in source.rsplit("/", 1)[-1] else source
    slug = re.sub(r"[^a-z0-9_]+", "-", stem.lower()).strip("-")
    if stem == slug and SLUG_CLEAN_RE.match(slug):
        return slug
    digest = hashlib.sha1(source.encode("utf-8")).hexdigest()[:8]
    return f"{slug[:40]}-{digest}" if slug else f"r-{digest}"


def assign_ids(sources: list[str]) -> dict[str, str]:
    """Source → base id, unique: names that collide (a.txt, a.docx) all get a hash."""
    ids = {s: base_id(s) for s in sources}
    counts: dict[str, int] = {}
    for value in ids.values():
        counts[value] = counts.get(value, 0) + 1
    for source, value in ids.items():
        if counts[value] > 1:
            ids[source] = f"{value}-{hashlib.sha1(source.encode('utf-8')).hexdigest()[:8]}"
    return ids


def read_all(settings: Settings, progress: Progress = _identity) -> tuple[list[RawDocument], list[Problem]]:
    """Ingest every source file; duplicates of an earlier file are skipped."""
    raws: list[RawDocument] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for path in progress(list_sources(settings.sources)):
        raw, found = read_source(path, settings.sources)
        problems.extend(found)
        if raw is None:
            continue
        if raw.sha256 in seen:
            problems.append(
                Problem(raw.source, None, WARNING, "duplicate-file",
                        f"与 {seen[raw.sha256]} 内容完全相同，已跳过。请删除其中一个文件。")
            )
            continue
        seen[raw.sha256] = raw.source
        raws.append(raw)
    return raws, problems


def parse_all(raws: list[RawDocument], settings: Settings) -> tuple[list[Report], list[Problem]]:
    rules = load_noise_rules(settings.data / "noise.yml")
    ids = assign_ids([r.source for r in raws])
    reports: list[Report] = []
    problems: list[Problem] = []
    for raw in raws:
        texts, found = clean_document(raw, rules)
        problems.extend(found)
        for text in texts:
            rid = ids[raw.source] if text.parts == 1 else f"{ids[raw.source]}-{text.part}"
            report, found = parse_report(text, rid)
            problems.extend(found)
            reports.append(report)
    return reports, problems


def build(settings: Settings, progress: Progress = _identity) -> Built:
    """Read, parse, annotate, link and render — no writing."""
    taxonomy = load_taxonomy(settings.data / "taxonomy.yml")
    raws, problems = read_all(settings, progress)
    reports, found = parse_all(raws, settings)
    problems.extend(found)
    notes = [annotate(r, taxonomy) for r in reports]
    index = link(reports, notes)
    all_problems = tuple(sorted(problems))
    # Features add their pages, report-page appendices and nav sections here,
    # each from the same Index; nothing is written until all are rendered.
    appendices: dict[str, tuple[str, ...]] = {}
    feature_pages: dict[str, str] = {}
    nav = render_nav(index)
    pages = render_site(index, all_problems, appendices)
    pages.update(feature_pages)
    return Built(index=index, pages=pages, nav=nav, problems=all_problems)


def generate(settings: Settings, progress: Progress = _identity) -> Result:
    """Build the site's generated pages and write what changed."""
    built = build(settings, progress)
    changes = write_tree(built.pages, settings.docs)
    return Result(built=built, changes=changes)
