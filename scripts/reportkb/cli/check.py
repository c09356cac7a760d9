"""``kb.py check``: the checklist for one draft (a thin call into ``checker.rules.check``).

Every input is looked at before it is read: a folder, a FIFO or a device is
named as such, a file over the size cap is refused unread, and a spec that
is not a checker.json is refused with the field that is wrong.
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import re
import stat
import sys
from pathlib import Path

from reportkb.checker.contract import SCHEMA, SPEC_PATH, Spec, spec_errors
from reportkb.cli.output import error, visible, visible_lines
from reportkb.cli.parser import Group
from reportkb.errors import ReportError, SourceError

NAME = "check"
HELP = "按自查清单检查草稿（结构、主题、要求、问题与措施、占位符、规范表述、篇幅）"
DESCRIPTION = ("检查一份草稿（.txt 或 .docx），输出自查清单；与站点“自查清单”页面的结论相同。"
               "退出码：0 各项齐备；1 清单中有待完善的项；2 用法错误或文件无法读取。")

TEXT_SUFFIXES = (".txt", ".text", ".md", "")
MAX_SPEC_BYTES = 50 * 1024 * 1024  # the sample site's spec is about 0.3 MB


def add_arguments(positionals: Group, options: Group) -> None:
    positionals.add_argument("draft", type=Path, metavar="草稿", help="草稿文件（.txt 任意中文编码，或 .docx）")
    options.add_argument("--json", action="store_true", help="以 JSON 输出检查结果（字段见 README）")
    options.add_argument("--spec", type=Path, metavar="文件", help="使用已生成的 checker.json（默认由 sources/ 与数据文件现场生成）")
    options.add_argument("--sources", type=Path, default=None, metavar="目录", help="范例报告目录（默认 sources/）")


def _kind(mode: int) -> str | None:
    """What a path that is not a regular file is, in words (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "一个文件夹"
    if stat.S_ISFIFO(mode):
        return "一个命名管道（FIFO）"
    if stat.S_ISSOCK(mode):
        return "一个套接字"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "一个设备"
    return "一个特殊文件"


def _reason(exc: OSError) -> str:
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "没有读取权限"
    return exc.strerror or str(exc)


DRAFT_ADVICE = "请给出一个 .txt 或 .docx 文件。"
SPEC_ADVICE = f"请给出 kb.py generate 生成的 docs/{SPEC_PATH}。"


def regular_file(path: Path, what: str, limit: int, advice: str) -> None:
    """Nothing if ``path`` is a regular file of at most ``limit`` bytes; else a Chinese SourceError.

    Looks with ``stat`` only: nothing is opened, so a FIFO cannot block and
    a huge file is refused unread.
    """
    shown = visible(str(path))
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise SourceError(f"找不到{what} {shown}。") from None
    except OSError as exc:
        raise SourceError(f"无法读取{what} {shown}：{_reason(exc)}。") from exc
    kind = _kind(info.st_mode)
    if kind:
        raise SourceError(f"{what} {shown} 是{kind}，不是普通文件：{advice}")
    if info.st_size > limit:
        raise _too_large(path, what, f"{info.st_size / 1024 / 1024:.1f} MB", limit)



def _too_large(path: Path, what: str, size: str, limit: int) -> SourceError:
    return SourceError(f"{what} {visible(str(path))} 过大（{size}，上限 {limit // 1024 // 1024} MB），"
                       "未读取：一篇报告通常不足 1 MB，请检查是否给错了文件。")


def _read(path: Path, what: str, limit: int, advice: str) -> bytes:
    """The bytes of a file ``regular_file`` lets through; never more than ``limit`` (a file may grow meanwhile)."""
    regular_file(path, what, limit, advice)
    try:
        with path.open("rb") as f:
            data = f.read(limit + 1)
    except OSError as exc:
        raise SourceError(f"无法读取{what} {visible(str(path))}：{_reason(exc)}。") from exc
    if len(data) > limit:
        raise _too_large(path, what, "读取时仍在增大", limit)
    return data


def read_draft(path: Path) -> str:
    """A draft's text: .docx paragraphs or a .txt in any Chinese encoding."""
    from reportkb.stages.ingest import MAX_FILE_BYTES, MAX_TEXT_BYTES, decode_text, read_docx

    suffix = path.suffix.lower()
    if suffix != ".docx" and suffix not in TEXT_SUFFIXES:
        regular_file(path, "草稿文件", MAX_FILE_BYTES, DRAFT_ADVICE)  # a missing file or a folder is named as such first
        raise SourceError(f"不支持的草稿格式 {visible(path.suffix)}：请提供 .txt 或 .docx 文件。")
    data = _read(path, "草稿文件", MAX_FILE_BYTES if suffix == ".docx" else MAX_TEXT_BYTES, DRAFT_ADVICE)
    try:
        if suffix == ".docx":
            # One line per paragraph, numbered as in Word (empty paragraphs kept),
            # the way text pasted from Word arrives in the browser.
            found = read_docx(data)
            lines = [""] * max((line.number for line in found), default=0)
            for line in found:  # soft line breaks, text boxes and notes share their paragraph's number
                lines[line.number - 1] = "\n".join(filter(None, (lines[line.number - 1], line.text)))
            return "\n".join(lines)
        return decode_text(data)[0] if data else ""
    except SourceError as exc:  # the reader's message says what is wrong, not with which file
        raise SourceError(f"草稿文件 {visible(str(path))}：{exc}") from exc


def read_spec(path: Path) -> Spec:
    """A checker.json written by ``kb.py generate``, checked against the contract before use."""
    shown = visible(str(path))
    raw = _read(path, "规则文件", MAX_SPEC_BYTES, SPEC_ADVICE)
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise SourceError(f"规则文件 {shown} 不是有效的 JSON：{SPEC_ADVICE}") from None
    if isinstance(data, dict) and "schema" in data and data["schema"] != SCHEMA:
        raise SourceError(f"规则文件 {shown} 的格式版本是 {data.get('schema')!r}，本程序需要 {SCHEMA}："
                          "请用 kb.py generate 重新生成。")
    problems = spec_errors(data)
    if not problems:
        problems = _bad_values(data)
    if problems:
        listed = "\n".join(f"  - {visible(p)}" for p in problems)
        raise SourceError(f"规则文件 {shown} 不是有效的 checker.json：{SPEC_ADVICE}\n{listed}")
    return data


def _bad_values(spec: Spec) -> list[str]:
    """What the shape cannot say: patterns that do not compile, empty formula spellings (they match everywhere)."""
    patterns = [(f"heading_levels[{i}]", p) for i, p in enumerate(spec["heading_levels"])]
    patterns += [(f"requirements[{i}].patterns[{k}]", p) for i, r in enumerate(spec["requirements"]) for k, p in enumerate(r["patterns"])]
    patterns += [(f"placeholders[{i}].pattern", p["pattern"]) for i, p in enumerate(spec["placeholders"])]
    bad = []
    for where, pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            bad.append(f"checker.json.{where} 不是有效的正则表达式（{exc}）")
    for i, f in enumerate(spec["formulas"]):
        if not f["standard"] or not all(f["variants"]):
            bad.append(f"checker.json.formulas[{i}] 的 standard 或 variants 中有空字符串")
    return bad


SPEC_CACHE = "checker"
"""Folder of the cache holding specs built by ``kb.py check``, one file per build fingerprint."""


def load_spec(args: argparse.Namespace) -> Spec:
    """``--spec``, or the spec built from ``--sources`` (default sources/) and the data files.

    A built spec is kept in the cache under the build fingerprint (program,
    data files, every source's name and bytes): the next check with the same
    inputs reads it instead of building the whole site again.
    """
    if args.spec:
        return read_spec(args.spec)
    from reportkb.config import DATA_DIR, PROJECT_ROOT

    sources = args.sources or PROJECT_ROOT / "sources"
    if not sources.is_dir():
        shown = visible(str(sources))
        what = f"范例报告目录 {shown} 不是文件夹" if sources.exists() else f"找不到范例报告目录 {shown}"
        raise SourceError(f"{what}：请用 --sources 指定放有报告的目录，或用 --spec 指定已生成的 {SPEC_PATH}。")
    from reportkb.stages.ingest.scan import scan_sources
    from reportkb.store.keys import build_fingerprint, default_cache_folder

    scanned = scan_sources(sources)
    cached = default_cache_folder(sources) / SPEC_CACHE / f"{build_fingerprint(scanned, DATA_DIR)}.json"
    spec = _cached_spec(cached)
    if spec is None:
        spec = _build_spec(sources, PROJECT_ROOT / "docs", cached)
    if not spec["length"]["reports"]:
        raise SourceError(f"范例报告目录 {visible(str(sources))} 中没有可用的报告，无法与范例比较："
                          "请放入 .txt 或 .docx 报告，或用 --sources 指定其他目录。")
    return spec


def _cached_spec(path: Path) -> Spec | None:
    """The spec kept at ``path`` if it is there and whole (anything else only costs a build)."""
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("schema") == SCHEMA and not spec_errors(data, 1) else None


def _build_spec(sources: Path, docs: Path, cached: Path) -> Spec:
    from reportkb.config import Settings
    from reportkb.pipeline import build
    from reportkb.store.atomic import write_atomic

    text = build(Settings(sources=sources, docs=docs)).pages[SPEC_PATH]
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        for old in cached.parent.glob("*.json"):  # specs of other inputs are never read again
            old.unlink(missing_ok=True)
        write_atomic(cached, text.encode("utf-8"), durable=False)
    except OSError:
        pass  # a read-only or full disk only costs the next check a build
    return json.loads(text)


def run(args: argparse.Namespace) -> int:
    """0 all present, 1 the checklist has gaps, 2 an input cannot be used."""
    from reportkb.checker.rules import check
    from reportkb.checker.verdict import format_verdict

    try:
        text = read_draft(args.draft)
        spec = load_spec(args)
    except ReportError as exc:
        error(visible_lines(str(exc)))
        return 2
    verdict = check(text, spec)
    if args.json:
        sys.stdout.write(json.dumps(verdict, ensure_ascii=False, sort_keys=True, indent=1) + "\n")
    else:
        sys.stdout.write(visible_lines(format_verdict(verdict, visible(str(args.draft)))))
    return 0 if verdict["ok"] else 1
