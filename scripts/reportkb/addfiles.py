"""``kb.py add``: copy report files into sources/ safely.

Never overwrites and never modifies an existing source. A file is refused
(with the same Chinese advice ingest gives) when it could not be read as a
report, or when it is byte-for-byte a copy of an existing source; a file
that is nearly the same as an existing source is added with a warning.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from reportkb.analysis.similar import FILE_SKETCH, REPORT_THRESHOLD, file_sketch, jaccard, signature, text_shingles
from reportkb.config import DATA_DIR
from reportkb.model import INFO, WARNING, Problem
from reportkb.stages.ingest import SKIPPED_PREFIXES, decode_source, read_bytes, scan_sources
from reportkb.store.cache import Memo, default_cache_folder, program_version

MAX_NAME_CHARS = 80
FORBIDDEN = set('\\/:*?"<>|')
NEAR_DUPLICATE = REPORT_THRESHOLD  # the site's own measure (similar.py): Jaccard of 6-character shingles
SHOW_MAX = 3


@dataclass(frozen=True)
class Added:
    """Outcome for one file given to ``add``."""

    given: str
    target: str | None
    """Name in sources/ (None: refused)."""
    problems: tuple[Problem, ...]


def safe_name(name: str) -> str:
    """A file name for sources/: Chinese kept; separators, control and odd characters replaced."""
    name = unicodedata.normalize("NFC", name)
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem:
        stem, suffix = name, ""
    suffix = "".join(ch for ch in suffix.lower() if ch.isascii() and ch.isalnum())

    def ok(ch: str) -> bool:
        category = unicodedata.category(ch)
        if ch in FORBIDDEN or category[0] in "CZ" and ch != " ":
            return False  # control, format, surrogate, private use, odd spaces/separators
        return category[0] in "LN" or ch in " -_.()（）【】《》[]、，,+&#@"

    cleaned = "".join(ch if ok(ch) else "_" for ch in stem)
    cleaned = re.sub(r"_+", "_", re.sub(r"\s+", " ", cleaned)).strip(" ._")
    while cleaned.startswith(SKIPPED_PREFIXES):  # hidden or Word lock-file names would be skipped
        cleaned = cleaned[1:].lstrip(" ._")
    cleaned = cleaned[:MAX_NAME_CHARS].rstrip(" ._") or "报告"
    return f"{cleaned}.{suffix}" if suffix else cleaned


CANDIDATE_MARGIN = 0.2
"""A source is checked exactly when its signature estimate is at most this far below the threshold
(64 bins: the estimate's standard deviation near 0.6 is about 0.06)."""


@dataclass(frozen=True)
class Known:
    """The existing sources, as add compares a new file with them."""

    by_sha: dict[str, str]
    """sha256 → source name."""
    sketches: list[tuple[str, Path, tuple[int, ...]]]
    """(source name, path, MinHash signature of its text)."""
    shingled: dict[str, frozenset[int]]
    """Shingles of sources compared exactly so far, and of files added in this run."""


def _known_sources(sources: Path, memo: Memo) -> Known:
    """Hashes and signatures of every source; signatures of unchanged files come from the memo."""
    known = Known({}, [], {})
    for f in scan_sources(sources):
        if f.sha256 is None:
            continue
        known.by_sha.setdefault(f.sha256, f.source)
        # Generation records these too, so usually no file is decoded here.
        sig = memo.get(FILE_SKETCH, (f.sha256, f.path.suffix.lower()), lambda f=f: file_sketch(f.path, sources, f.source))
        if sig:
            known.sketches.append((f.source, f.path, sig))
    return known


def _estimate(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a) if a and b else 0.0


def add_files(files: list[Path], sources: Path) -> list[Added]:
    """Copy each file into ``sources`` (created if missing) unless it must be refused."""
    sources.mkdir(parents=True, exist_ok=True)
    # The cache kb.py generate keeps next to sources/ spares decoding every existing file.
    memo = Memo(default_cache_folder(sources), program_version(DATA_DIR))
    known = _known_sources(sources, memo)
    results = [_add_one(given, sources, known, memo) for given in files]
    memo.save()
    return results


def _near_duplicates(mine: frozenset[int], sources: Path, known: Known) -> list[tuple[float, str]]:
    """(Jaccard, source) of existing sources at least NEAR_DUPLICATE similar, most similar first.

    Signatures pick the candidates; only those are compared exactly.
    """
    sig = signature(mine)
    close = []
    for source, path, theirs in known.sketches:
        if _estimate(sig, theirs) < NEAR_DUPLICATE - CANDIDATE_MARGIN:
            continue
        if source not in known.shingled:
            _, data, _ = read_bytes(path, sources)
            raw = decode_source(source, path.suffix.lower(), data)[0] if data is not None else None
            known.shingled[source] = text_shingles(raw)
        score = jaccard(mine, known.shingled[source])
        if score >= NEAR_DUPLICATE:
            close.append((score, source))
    return sorted(close, key=lambda t: (-t[0], t[1]))


def _add_one(given: Path, sources: Path, known: Known, memo: Memo) -> Added:
    label = str(given)

    def refuse(code: str, message: str) -> Added:
        return Added(label, None, (Problem(label, None, WARNING, code, message),))

    if not given.exists():
        return refuse("add-missing", "找不到此文件：请检查路径是否正确（含空格的路径请加引号）。")
    if given.is_dir():
        return refuse("add-folder", "这是一个文件夹：请给出其中的报告文件，例如 kb.py add 文件夹/*.docx。")
    # Check the file as generation would read it, from its own folder.
    resolved = given.resolve()
    _, data, problems = read_bytes(resolved, resolved.parent)
    if data is None:
        return Added(label, None, tuple(Problem(label, None, p.level, p.code, p.message) for p in problems))
    raw, problems = decode_source(given.name, given.suffix.lower(), data)
    if raw is None:
        return Added(label, None, tuple(Problem(label, None, p.level, p.code, p.message) for p in problems))
    sha = hashlib.sha256(data).hexdigest()
    if sha in known.by_sha:
        return refuse("add-duplicate", f"与 sources/{known.by_sha[sha]} 内容完全相同，未添加：该报告已在知识库中。")
    found: list[Problem] = []
    mine = text_shingles(raw)
    close = _near_duplicates(mine, sources, known)
    if close:
        listed = "、".join(f"sources/{name}（相似度 {score:.0%}）" for score, name in close[:SHOW_MAX])
        more = f"等 {len(close)} 个文件" if len(close) > SHOW_MAX else ""
        found.append(Problem(label, None, WARNING, "near-duplicate",
                             f"与 {listed}{more}高度相似：已添加，请确认不是同一报告的另一版本；如是，请删除旧版本。"))
    target = _copy_exclusive(data, sources, safe_name(given.name))
    known.by_sha[sha] = target
    sig = memo.get(FILE_SKETCH, (sha, given.suffix.lower()), lambda: signature(mine))  # for the next add
    known.sketches.append((target, sources / target, sig))
    known.shingled[target] = mine
    if target != given.name:
        found.append(Problem(label, None, INFO, "add-renamed", f"已改名为 {target}（去除了不宜用作文件名的字符，或避免与已有文件重名）。"))
    return Added(label, target, tuple(found))


def _copy_exclusive(data: bytes, folder: Path, name: str) -> str:
    """Write data to a new file named name (or name-2, name-3 …); never replaces a file."""
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    for n in range(1, 10000):
        candidate = name if n == 1 else f"{stem}-{n}{dot}{suffix}"
        try:
            fd = os.open(folder / candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            continue
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        return candidate
    raise OSError("no free file name")
