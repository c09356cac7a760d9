"""Write: the only stage that touches the output folder.

Safe by construction:

* only paths inside the generated folders (``owned``, given by the caller:
  ``pages.registry.OWNED_FOLDERS``) are ever written or removed, and a file is
  removed only if a previous run wrote it (it is in the manifest, or carries
  the generated-page mark), so hand-written pages are never touched;
* unchanged files are not rewritten, so ``mkdocs serve`` does not loop;
* a run is a transaction: changed files are staged in ``docs/.kb-staging``,
  a COMMIT marker is written atomically, then the staged files are moved in
  with ``os.replace``. A run killed before COMMIT leaves the previous output
  untouched (the staging folder is discarded next time); a run killed after
  it is completed by the next run before anything else happens;
* a disk that is full, read-only or not ours to write ends the run with a
  ``WriteError`` that names the file; before COMMIT the staging folder is
  removed again, so the previous output stays and the next run starts clean.

Runs must not overlap: callers hold ``store.lock.exclusive(docs)``.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
from collections.abc import Collection
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from reportkb.errors import ReportError, WriteError
from reportkb.store.atomic import write_atomic
from reportkb.text.markup import GENERATED_MARK

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


def _check_path(rel: str, owned: Collection[str]) -> None:
    # Split by hand, as PurePosixPath would (no empty or "." parts): it runs for thousands of files.
    parts = [part for part in rel.split("/") if part not in ("", ".")]
    if not parts or parts[0] not in owned or ".." in parts or rel.startswith("/"):
        raise ReportError(f"拒绝写入生成目录之外的路径: {rel!r}")


def _owned(rel: str, owned: Collection[str]) -> bool:
    try:
        _check_path(rel, owned)
        return True
    except ReportError:
        return False


def _encode(content: str | bytes) -> bytes:
    return content.encode("utf-8") if isinstance(content, str) else content


def _read(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def _write_new(path: str, data: bytes, made: set[str]) -> None:
    """Write a file in the staging folder, making its folder first (once: ``made`` holds those made)."""
    folder = os.path.dirname(path)
    if folder not in made:
        os.makedirs(folder, exist_ok=True)
        made.add(folder)
    with open(path, "wb") as handle:
        handle.write(data)


def _read_manifest(docs: Path) -> set[str]:
    try:
        data = json.loads((docs / MANIFEST).read_text(encoding="utf-8"))
        return {p for p in data.get("files", []) if isinstance(p, str)}
    except (OSError, ValueError, AttributeError):
        return set()


def _marked_pages(docs: Path, owned: Collection[str]) -> set[str]:
    """Generated pages found on disk (for when the manifest is missing)."""
    found = set()
    for folder in sorted(owned):
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


def plan_changes(pages: dict[str, str | bytes], docs: Path,
                 owned: Collection[str]) -> tuple[Changes, dict[str, bytes]]:
    """Compare pages with what is on disk; returns the changes and the bytes to write."""
    to_write: dict[str, bytes] = {}
    new, changed = [], []
    unchanged = 0
    present = {folder for folder in owned if os.path.lexists(docs / folder)}  # a first run reads nothing
    for rel in sorted(pages):
        _check_path(rel, owned)
        data = _encode(pages[rel])
        target = os.path.join(docs, rel)
        try:
            current = _read(target) if rel.split("/", 1)[0] in present else None
        except FileNotFoundError:
            current = None
        except OSError as exc:  # a folder in the page's place, or unreadable
            raise _failure(exc, docs, "读取", Path(target)) from exc
        if current == data:
            unchanged += 1
            continue
        (new if current is None else changed).append(rel)
        to_write[rel] = data
    ours = _read_manifest(docs) | _marked_pages(docs, owned)
    removed = sorted(p for p in ours - set(pages) if (docs / p).exists() and _owned(p, owned))
    return Changes(tuple(new), tuple(changed), tuple(removed), unchanged), to_write


def write_tree(pages: dict[str, str | bytes], docs: Path, owned: Collection[str]) -> Changes:
    """Bring the generated folders ``owned`` of ``docs`` to exactly ``pages``."""
    recover(docs, owned)
    changes, to_write = plan_changes(pages, docs, owned)
    manifest = sorted(pages)
    if not changes.touched and _read_manifest(docs) == set(manifest):
        return changes
    staging = docs / STAGING
    path = staging
    try:
        shutil.rmtree(staging, ignore_errors=True)
        (staging / "files").mkdir(parents=True)
        made: set[str] = set()
        files = str(staging / "files")
        for rel, data in to_write.items():  # thousands of files: plain os calls, each folder made once
            path = os.path.join(files, rel)
            _write_new(path, data, made)
        plan = {"write": sorted(to_write), "remove": list(changes.removed), "manifest": manifest}
        path = staging / PLAN
        write_atomic(path, json.dumps(plan, ensure_ascii=False, indent=1).encode("utf-8"), durable=False)
        path = staging / COMMIT
        write_atomic(path, b"ok\n")
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)  # nothing was changed: free the space, leave no half run
        raise _failure(exc, docs, "写入", path, committed=False) from exc
    _apply(docs, owned)
    return changes


def recover(docs: Path, owned: Collection[str]) -> None:
    """Finish a committed run or discard an unfinished one."""
    staging = docs / STAGING
    if not staging.exists():
        return
    if (staging / COMMIT).exists():
        _apply(docs, owned)
    else:
        shutil.rmtree(staging, ignore_errors=True)


def _apply(docs: Path, owned: Collection[str]) -> None:
    staging = docs / STAGING
    try:
        plan = json.loads((staging / PLAN).read_text(encoding="utf-8"))
        writes, removes, manifest = plan["write"], plan["remove"], plan["manifest"]
    except (OSError, ValueError, KeyError, TypeError):
        # A COMMIT without a readable plan cannot come from write_tree; the pages
        # on disk are then compared afresh by the caller.
        shutil.rmtree(staging, ignore_errors=True)
        return
    path = docs
    try:
        # A generated folder not yet in docs/ (a first run) moves in whole: one
        # rename instead of one a file. Its files then count as moved below.
        moved = set()
        for folder in sorted(owned):
            source, path = staging / "files" / folder, docs / folder
            if source.is_dir() and not os.path.lexists(path):
                os.replace(source, path)
                moved.add(folder)
        for rel in writes:
            _check_path(rel, owned)
            if rel.split("/", 1)[0] in moved:
                continue
            source, path = staging / "files" / rel, docs / rel
            if source.exists():  # absent when a previous apply already moved it
                path.parent.mkdir(parents=True, exist_ok=True)
                os.replace(source, path)
        for rel in removes:
            _check_path(rel, owned)
            path = docs / rel
            path.unlink(missing_ok=True)
            _prune_empty(path.parent, docs)
        path = docs / MANIFEST
        write_atomic(path, json.dumps({"files": manifest}, ensure_ascii=False, indent=1).encode("utf-8"))
    except OSError as exc:
        raise _failure(exc, docs, "写入", path, committed=True) from exc
    shutil.rmtree(staging, ignore_errors=True)


def _prune_empty(folder: Path, docs: Path) -> None:
    with suppress(OSError):  # a folder left empty is harmless
        while folder != docs and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent


_CAUSES = {
    errno.EISDIR: "该位置是一个文件夹，而生成的是文件",
    errno.ENOTDIR: "路径中有一段是文件，而不是文件夹",
    errno.ENAMETOOLONG: "路径过长",
    errno.EEXIST: "已有同名的文件或文件夹",
}


def _failure(exc: OSError, docs: Path, verb: str, path: Path | str, committed: bool | None = None) -> WriteError:
    """A message that names the file (``path`` when the error does not), the cause and what to do."""
    where = exc.filename2 or exc.filename or path  # a failed rename names its target second
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        cause = f"磁盘空间不足，无法{verb} {where}。请清理 {docs} 所在磁盘的空间后重新运行"
    elif exc.errno == errno.EROFS:
        cause = f"{docs} 所在的文件系统是只读的，无法{verb} {where}。请以读写方式重新挂载，或换一个可写的文档目录后重新运行"
    elif exc.errno in (errno.EACCES, errno.EPERM):
        cause = f"没有权限{verb} {where}。请检查 {docs} 的所有者和权限后重新运行"
    elif exc.errno in _CAUSES:
        cause = f"无法{verb} {where}：{_CAUSES[exc.errno]}。请移走或改正该路径后重新运行"
    else:
        cause = f"无法{verb} {where}（{exc.strerror or exc}）。请检查该路径后重新运行"
    if committed is False:
        cause += f"。{docs} 未作任何改动，仍是上一次生成的完整内容"
    elif committed:
        cause += f"。已提交的改动尚未全部移入（暂存在 {docs / STAGING}），排除问题后再运行一次即可补完"
    return WriteError(cause + "。")
