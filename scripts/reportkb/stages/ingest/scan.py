"""Listing sources/ and reading each entry's bytes once: the checks made before content is looked at."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from reportkb.model import INFO, WARNING, Problem
from reportkb.stages.ingest.common import MAX_FILE_BYTES, MAX_TEXT_BYTES

SUPPORTED_SUFFIXES: tuple[str, ...] = (".txt", ".docx")
SKIPPED_PREFIXES = (".", "~$")

ADVICE_WORD = "请用 Word 或 WPS 打开后另存为 .docx"
ADVICE_PDF = "请复制正文另存为 .txt（UTF-8）或转换为 .docx"
ADVICE_IMAGE = "图片无法读取文字，请提供 .docx 或 .txt"
ADVICE_OTHER = "仅支持 .txt 和 .docx，请转换格式"
UNSUPPORTED = {  # suffix -> (what it is, what to do)
    ".doc": ("旧版 Word 文档", ADVICE_WORD),
    **dict.fromkeys((".docm", ".dot", ".dotx"), ("Word 模板或宏文档", ADVICE_WORD)),
    **dict.fromkeys((".wps", ".wpt", ".rtf", ".odt"), ("文字处理文档", ADVICE_WORD)),
    ".pdf": ("PDF 文件", ADVICE_PDF),
    **dict.fromkeys((".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".heic"),
                    ("图片", ADVICE_IMAGE)),
}


def list_sources(root: Path) -> list[Path]:
    """Every entry under root that may be a report, sorted by POSIX relative path.

    Regular files, and symbolic links of any kind (to files, to folders,
    broken) so that :func:`read_source` can say what it did with them; other
    special files (FIFOs, sockets, devices) too, so they are reported rather
    than silently dropped. Folder links are not followed. Hidden names ('.')
    and Word's lock files ('~$') are skipped, files and folders.
    """
    found: list[Path] = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        here = Path(folder)
        dirs[:] = [d for d in dirs if not d.startswith(SKIPPED_PREFIXES)]
        for name in (*dirs, *files):
            path = here / name
            if name.startswith(SKIPPED_PREFIXES):
                continue
            if name in dirs and not path.is_symlink():
                continue  # walked into
            found.append(path)
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


@dataclass(frozen=True)
class SourceFile:
    """One entry of sources/ as read once per run: its name, content hash and read problems."""

    path: Path
    source: str
    """POSIX path relative to the sources folder."""
    sha256: str | None
    """Hash of the file's bytes; None when it could not be read (see ``problems``)."""
    problems: tuple[Problem, ...]


def scan_sources(root: Path) -> tuple[SourceFile, ...]:
    """Read and hash every source, in POSIX path order whatever order the folder lists them in.

    The bytes are not kept: a batch of large Word files must not sit in
    memory at once; what is parsed is read again.
    """
    scanned = []
    for path in list_sources(root):
        source, data, problems = read_bytes(path, root)
        sha = hashlib.sha256(data).hexdigest() if data is not None else None
        scanned.append(SourceFile(path, source, sha, tuple(problems)))
    # Sorted here as well: the order must hold whatever order the listing came in.
    return tuple(sorted(scanned, key=lambda f: f.path.relative_to(root).as_posix()))


def read_bytes(path: Path, root: Path) -> tuple[str, bytes | None, tuple[Problem, ...]]:
    """(source name, bytes or None, problems): every check made before a file's content is looked at.

    A link to a file that is read under its own name in ``root`` is skipped
    (read once); a link that leads out of ``root`` is refused and never read.
    """
    source, suffix = _relative(path, root), path.suffix.lower()
    notes: tuple[Problem, ...] = ()
    if not _encodable(source):  # a name in another encoding (e.g. from a zip made elsewhere)
        source = source.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        notes = (Problem(source, None, WARNING, "bad-filename",
                         "文件名含有无法识别的字符（可能来自其他系统的压缩包），已照常读取："
                         "请把文件重命名为正常的中文或英文名称。"),)

    def refuse(code: str, message: str, level: str = WARNING) -> tuple[str, None, tuple[Problem, ...]]:
        return source, None, notes + (Problem(source, None, level, code, message),)

    if path.is_symlink():
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):
            return refuse("symlink-broken", "是一个指向不存在文件的快捷方式（符号链接）：请删除它，把报告文件本身放入 sources/。")
        real_root = root.resolve()
        if not target.is_relative_to(real_root):
            return refuse("symlink-outside", "是指向 sources/ 之外的快捷方式（符号链接），为安全起见未读取："
                                             "请把报告文件本身复制到 sources/（可用 kb.py add）。")
        inner = target.relative_to(real_root)
        if target.is_dir():
            return refuse("symlink-inside", f"是指向 sources/ 内文件夹 {inner.as_posix()} 的链接，"
                                            "该文件夹中的报告已按原位置读取，此链接不再重复读取。", INFO)
        if not any(part.startswith(SKIPPED_PREFIXES) for part in inner.parts) and target.is_file():
            return refuse("symlink-inside", f"是指向 sources/ 内文件 {inner.as_posix()} 的链接，"
                                            "该报告已按原文件读取一次，此链接不再重复读取。", INFO)
        path = target
    if path.is_dir():
        return source, None, ()  # a plain folder handed in by mistake: list_sources walks into it
    if not path.is_file():
        return refuse("special-file", "不是普通文件（可能是管道或设备文件），未读取：请放入 .txt 或 .docx 报告文件。")
    if suffix not in SUPPORTED_SUFFIXES:
        kind, advice = UNSUPPORTED.get(suffix, ("未知类型", ADVICE_OTHER))
        return refuse("unsupported-format",
                      f"不支持的文件格式 {suffix or '（无扩展名）'}（{kind}）：{advice}，再放入 sources/。")
    try:
        size, limit = path.stat().st_size, MAX_TEXT_BYTES if suffix == ".txt" else MAX_FILE_BYTES
        if size > limit:
            return refuse("file-too-large", f"文件过大（{size / 1024 / 1024:.1f} MB，上限 {limit // 1024 // 1024} MB），未读取："
                                            "一篇报告通常不足 1 MB，请检查是否放错了文件，或把其中的报告分别另存为 .txt。")
        data = path.read_bytes()
    except OSError as exc:
        return refuse("unreadable", f"无法读取文件（{exc.strerror}）：请检查文件权限，或关闭正在使用它的程序后重试。")
    return source, data, notes


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def _relative(path: Path, root: Path) -> str:
    try:  # the usual case: resolving both paths costs a system call per folder
        return path.relative_to(root).as_posix()
    except ValueError:
        pass
    real, real_root = path.resolve(), root.resolve()
    if real.is_relative_to(real_root):
        return real.relative_to(real_root).as_posix()
    return path.name  # not under root: the name alone still identifies it
