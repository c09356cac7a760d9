"""Write: the only stage that touches the output folder.

Safe by construction:

* only paths inside the generated folders (``OWNED_DIRS``) are ever written
  or removed, and a file is removed only if a previous run wrote it (it is in
  the manifest, or carries the generated-page mark), so hand-written pages
  are never touched;
* unchanged files are not rewritten, so ``mkdocs serve`` does not loop;
* a run is a transaction: changed files are staged in ``docs/.kb-staging``,
  a COMMIT marker is written atomically, then the staged files are moved in
  with ``os.replace``. A run killed before COMMIT leaves the previous output
  untouched (the staging folder is discarded next time); a run killed after
  it is completed by the next run before anything else happens.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from reportkb.errors import ReportError
from reportkb.text.markup import GENERATED_MARK

OWNED_DIRS = ("data", "formulas", "overview", "reports", "requirements", "roles", "themes")
MANIFEST = ".kb-manifest.json"
STAGING = ".kb-staging"
COMMIT = "COMMIT"
PLAN = "plan.json"


@dataclass(frozen=True)
class Changes:
    """What a run did to the output folder, paths relative to docs/."""

    new: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    unchanged: int = 0

    @property
    def touched(self) -> bool:
        return bool(self.new or self.changed or self.removed)


def _check_path(rel: str) -> None:
    parts = PurePosixPath(rel).parts
    if not parts or parts[0] not in OWNED_DIRS or ".." in parts or PurePosixPath(rel).is_absolute():
        raise ReportError(f"拒绝写入生成目录之外的路径: {rel!r}")


def _encode(content: str | bytes) -> bytes:
    return content.encode("utf-8") if isinstance(content, str) else content


def _read_manifest(docs: Path) -> set[str]:
    try:
        data = json.loads((docs / MANIFEST).read_text(encoding="utf-8"))
        return {p for p in data.get("files", []) if isinstance(p, str)}
    except (OSError, ValueError, AttributeError):
        return set()


def _marked_pages(docs: Path) -> set[str]:
    """Generated pages found on disk (for when the manifest is missing)."""
    found = set()
    for folder in OWNED_DIRS:
        root = docs / folder
        if not root.is_dir():
            continue
        for path in root.rglob("*.md"):
            try:
                with open(path, "rb") as handle:  # the mark is near the top: no need to read whole pages
                    head = handle.read(8192).decode("utf-8", errors="replace")
            except OSError:
                continue
            if GENERATED_MARK in head:
                found.add(path.relative_to(docs).as_posix())
    return found


def plan_changes(pages: dict[str, str | bytes], docs: Path) -> tuple[Changes, dict[str, bytes]]:
    """Compare pages with what is on disk; returns the changes and the bytes to write."""
    to_write: dict[str, bytes] = {}
    new, changed = [], []
    unchanged = 0
    for rel in sorted(pages):
        _check_path(rel)
        data = _encode(pages[rel])
        target = docs / rel
        try:
            current = target.read_bytes()
        except FileNotFoundError:
            current = None
        if current == data:
            unchanged += 1
            continue
        (new if current is None else changed).append(rel)
        to_write[rel] = data
    ours = _read_manifest(docs) | _marked_pages(docs)
    removed = sorted(p for p in ours - set(pages) if (docs / p).exists() and _owned(p))
    return Changes(tuple(new), tuple(changed), tuple(removed), unchanged), to_write


def _owned(rel: str) -> bool:
    try:
        _check_path(rel)
        return True
    except ReportError:
        return False


def write_tree(pages: dict[str, str | bytes], docs: Path) -> Changes:
    """Bring the generated folders in ``docs`` to exactly ``pages``."""
    recover(docs)
    changes, to_write = plan_changes(pages, docs)
    manifest = sorted(pages)
    if not changes.touched and _read_manifest(docs) == set(manifest):
        return changes
    staging = docs / STAGING
    shutil.rmtree(staging, ignore_errors=True)
    (staging / "files").mkdir(parents=True)
    for rel, data in to_write.items():
        path = staging / "files" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    plan = {"write": sorted(to_write), "remove": list(changes.removed), "manifest": manifest}
    (staging / PLAN).write_text(json.dumps(plan, ensure_ascii=False, indent=1), encoding="utf-8")
    _atomic_write(staging / COMMIT, b"ok\n")
    _apply(docs)
    return changes


def recover(docs: Path) -> None:
    """Finish a committed run or discard an unfinished one."""
    staging = docs / STAGING
    if not staging.exists():
        return
    if (staging / COMMIT).exists():
        _apply(docs)
    else:
        shutil.rmtree(staging, ignore_errors=True)


def _apply(docs: Path) -> None:
    staging = docs / STAGING
    plan = json.loads((staging / PLAN).read_text(encoding="utf-8"))
    for rel in plan["write"]:
        _check_path(rel)
        source = staging / "files" / rel
        if source.exists():  # absent when a previous apply already moved it
            (docs / rel).parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, docs / rel)
    for rel in plan["remove"]:
        _check_path(rel)
        (docs / rel).unlink(missing_ok=True)
        _prune_empty((docs / rel).parent, docs)
    _atomic_write(docs / MANIFEST, json.dumps({"files": plan["manifest"]}, ensure_ascii=False, indent=1).encode("utf-8"))
    shutil.rmtree(staging, ignore_errors=True)


def _prune_empty(folder: Path, docs: Path) -> None:
    while folder != docs and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
