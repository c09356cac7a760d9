#!/usr/bin/env python3
"""意识形态工作报告知识库的命令行入口。

  python scripts/kb.py generate            由 sources/ 生成 docs/ 下的知识库页面
  python scripts/kb.py generate --strict   有任何问题（警告或错误）时以退出码 1 结束
  python scripts/kb.py check 草稿.docx      按自查清单检查草稿（--json 输出 JSON；退出码 0 齐备，1 有待完善项，2 无法读取）
  python scripts/kb.py add 文件…           把报告复制进 sources/（安全文件名，拒绝重复）

退出码：0 成功；1 --strict 下存在问题，或 add 有文件未添加；2 用法或数据文件错误。
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from reportkb.addfiles import add_files
from reportkb.checker import rules as checker  # noqa: E402
from reportkb.config import PROJECT_ROOT, Settings
from reportkb.errors import ReportError
from reportkb.model import INFO, LEVELS, Problem
from reportkb.parallel import default_workers
from reportkb.pipeline import generate
from reportkb.store.cache import CACHE_DIR, default_cache_folder

LEVEL_NAMES = {"info": "提示", "warning": "警告", "error": "错误"}
PROGRESS_DELAY = 1.0  # seconds before a progress bar appears: short runs stay silent

# argparse's own words (it translates them through gettext).
ARGPARSE_ZH = {
    "usage: ": "用法: ",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s: 错误: %(message)s\n",
    "the following arguments are required: %s": "缺少必需的参数: %s",
    "unrecognized arguments: %s": "无法识别的参数: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择: %(value)r（可选: %(choices)s）",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s: %(message)s",
    "expected one argument": "需要一个值",
    "expected at least one argument": "至少需要一个值",
    "expected at most one argument": "至多一个值",
    "invalid %(type)s value: %(value)r": "无效的 %(type)s 值: %(value)r",
    "ambiguous option: %(option)s could match %(matches)s": "有歧义的选项: %(option)s 可能是 %(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "需要以下参数之一: %s",
}


@contextlib.contextmanager
def _chinese_argparse() -> Iterator[None]:
    """Translate argparse's fixed words while the command line is parsed."""
    saved = argparse._, argparse.ngettext
    argparse._ = lambda text: ARGPARSE_ZH.get(text, text)
    argparse.ngettext = lambda one, many, n: "需要 %s 个值" if one == "expected %s argument" else saved[1](one, many, n)
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved


class ChineseHelpFormatter(argparse.RawDescriptionHelpFormatter):
    """argparse with its fixed English words in Chinese."""

    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, "用法: " if prefix is None else prefix)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kb.py",
        description="意识形态工作报告知识库：把 sources/ 中的报告生成可检索的 MkDocs 站点页面。",
        formatter_class=ChineseHelpFormatter,
        add_help=False,
    )
    parser.add_argument("-h", "--help", action="help", help="显示本帮助并退出")
    parser._positionals.title = "命令"
    parser._optionals.title = "选项"
    sub = parser.add_subparsers(dest="command", metavar="命令")
    sub.required = True

    gen = _command(
        sub, "generate",
        help="由 sources/ 生成知识库页面（只写入有变化的文件）",
        description="读取 sources/ 中的 .txt 和 .docx 报告，生成 docs/ 下的报告页面和 docs/data/corpus.json。",
    )
    gen.add_argument("--sources", type=Path, default=PROJECT_ROOT / "sources", metavar="目录", help="报告所在目录（默认 sources/）")
    gen.add_argument("--docs", type=Path, default=PROJECT_ROOT / "docs", metavar="目录", help="站点页面目录（默认 docs/）")
    gen.add_argument("--cache", type=Path, default=None, metavar="目录",
                     help=f"缓存目录（默认为报告目录旁的 {CACHE_DIR}/，可随时删除）")
    gen.add_argument("--no-cache", action="store_true", help="不使用缓存，全部重新解析和计算")
    gen.add_argument("-j", "--jobs", type=_positive, default=None, metavar="N",
                     help=f"同时使用的进程数（默认为本机可用的核数，当前为 {default_workers()}；结果与单进程完全相同）")
    _common_options(gen)

    add = _command(
        sub, "add",
        help="把报告文件复制进 sources/（安全文件名，拒绝完全重复，提示近似重复）",
        description="把给出的 .txt / .docx 报告复制进 sources/：文件名去除不宜使用的字符（保留中文），"
                    "从不覆盖已有文件（重名时加 -2、-3 后缀）；与已有报告完全相同或无法读取的文件不添加，"
                    "与已有报告高度相似的文件添加并给出警告。添加后请运行 kb.py generate 更新站点。",
    )
    add.add_argument("files", nargs="+", type=Path, metavar="文件", help="要添加的报告文件（可多个）")
    add.add_argument("--sources", type=Path, default=PROJECT_ROOT / "sources", metavar="目录", help="报告所在目录（默认 sources/）")
    _common_options(add)

    chk = _command(
        sub, "check",
        help="按自查清单检查草稿（结构、主题、要求、占位符、规范表述、篇幅）",
        description="检查一份草稿（.txt 或 .docx），输出自查清单；与站点“自查清单”页面的结论相同。"
                    "退出码：0 各项齐备；1 清单中有待完善的项；2 用法错误或文件无法读取。",
    )
    checker.add_arguments(chk)
    return parser


def _command(sub, name: str, help: str, description: str) -> argparse.ArgumentParser:
    """A subcommand whose help, headings and usage line are all Chinese."""
    parser = sub.add_parser(name, help=help, description=description,
                            formatter_class=ChineseHelpFormatter, add_help=False)
    parser.add_argument("-h", "--help", action="help", help="显示本帮助并退出")
    parser._positionals.title = "位置参数"
    parser._optionals.title = "选项"
    return parser


def _common_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--strict", action="store_true", help="存在警告或错误时以退出码 1 结束")
    parser.add_argument("-q", "--quiet", action="store_true", help="只输出警告和错误，不显示进度")


STAGE_NAMES = {"annotate": "分析报告", "link": "关联报告", "render": "生成页面", "write": "写入文件"}


class _Progress:
    """tqdm bar over the files on stderr, then one status line per stage.

    Only on a terminal, not with --quiet, and only once the run has taken
    PROGRESS_DELAY seconds, so short runs and logs stay clean.
    """

    def __init__(self, enabled: bool):
        import time

        self.enabled = enabled
        self.clock = time.monotonic
        self.start = self.clock()
        self.shown = False

    def __call__(self, items: Iterable, total: int) -> Iterable:
        if not self.enabled:
            return items
        from tqdm import tqdm

        return tqdm(items, total=total, desc="解析报告", unit="个文件", file=sys.stderr, delay=PROGRESS_DELAY,
                    leave=False, dynamic_ncols=True)

    def stage(self, name: str) -> None:
        if self.enabled and (self.shown or self.clock() - self.start >= PROGRESS_DELAY):
            self.shown = True
            sys.stderr.write(f"\r\033[K{STAGE_NAMES.get(name, name)}……")
            sys.stderr.flush()

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"应为正整数，而不是 {text!r}")
    return value


def _progress(quiet: bool) -> _Progress:
    return _Progress(enabled=not quiet and sys.stderr.isatty())


def _print_problems(problems: Sequence[Problem], quiet: bool) -> None:
    shown = [p for p in problems if not (quiet and p.level == INFO)]
    if not shown:
        return
    counts = "，".join(f"{LEVEL_NAMES[level]} {n}" for level in reversed(LEVELS)
                      if (n := sum(p.level == level for p in shown)))
    print(f"\n问题（{len(shown)} 条：{counts}；涉及 {len({p.source for p in shown})} 个文件，按文件分组）：")
    current = None
    for p in sorted(shown, key=lambda p: (p.source, p.line or 0, LEVELS.index(p.level))):
        if p.source != current:
            current = p.source
            print(f"  {p.source}")
        where = f"第 {p.line} 行" if p.line else "整个文件"
        print(f"    [{LEVEL_NAMES[p.level]}] {where}：{p.message}")


def cmd_generate(args: argparse.Namespace) -> int:
    if not args.sources.is_dir():
        print(f"错误：找不到报告目录 {args.sources}。请创建该目录并放入 .txt 或 .docx 报告。", file=sys.stderr)
        return 2
    cache = None if args.no_cache else (args.cache or default_cache_folder(args.sources))
    progress = _progress(args.quiet)
    try:
        workers = args.jobs or default_workers()
        result = generate(Settings(sources=args.sources, docs=args.docs, cache=cache, workers=workers), progress)
    finally:
        progress.close()
    reports = result.built.index.reports
    changes = result.changes
    if not args.quiet:
        print(f"已生成 {len(reports)} 篇报告（{len({r.source for r in reports})} 个文件）。")
        print(f"页面：新增 {len(changes.new)}，更新 {len(changes.changed)}，删除 {len(changes.removed)}，未变 {changes.unchanged}。")
    _print_problems(result.problems, args.quiet)
    _print_privacy(result.problems)
    return _exit_code(result.problems, args.strict)


def _print_privacy(problems: Sequence[Problem]) -> None:
    counts: dict[str, int] = {}
    for p in problems:
        if p.code == "personal-data":
            counts[p.source] = counts.get(p.source, 0) + 1
    if counts:
        print("\n疑似含个人信息（手机号码、身份证号、电子邮箱）的文件，发布前请核对并删除或打码：")
        for source in sorted(counts):
            print(f"  {source}（{counts[source]} 处）")


def _exit_code(problems: Sequence[Problem], strict: bool) -> int:
    serious = [p for p in problems if p.level != INFO]
    if strict and serious:
        print(f"\n--strict：存在 {len(serious)} 条警告或错误，退出码 1。", file=sys.stderr)
        return 1
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    results = add_files(list(args.files), args.sources)
    problems = [p for r in results for p in r.problems]
    refused = [r for r in results if r.target is None]
    if not args.quiet:
        for r in results:
            if r.target is not None:
                print(f"已添加：{r.given} → {args.sources.name}/{r.target}")
        if len(refused) < len(results):
            print("请运行 python scripts/kb.py generate 更新站点。")
    _print_problems(problems, args.quiet)
    if refused:
        print(f"\n{len(refused)} 个文件未添加（原因见上）；sources/ 中已有的文件未作任何改动。", file=sys.stderr)
        return 1
    return _exit_code(problems, args.strict)


def main(argv: Sequence[str] | None = None) -> int:
    with _chinese_argparse():
        args = _parser().parse_args(argv)
    try:
        return {"generate": cmd_generate, "add": cmd_add, "check": checker.run_cli}[args.command](args)
    except ReportError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # output piped into head/less that quit early
        sys.stderr.close()
        sys.exit(0)
