#!/usr/bin/env python3
"""意识形态工作报告知识库的命令行入口。

  python scripts/kb.py generate            由 sources/ 生成 docs/ 下的知识库页面
  python scripts/kb.py generate --strict   有任何问题（警告或错误）时以退出码 1 结束

退出码：0 成功；1 --strict 下存在问题；2 用法或数据文件错误。
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from reportkb.errors import ReportError  # noqa: E402
from reportkb.model import INFO, LEVELS, Problem  # noqa: E402
from reportkb.pipeline import generate  # noqa: E402
from reportkb.settings import PROJECT_ROOT, Settings  # noqa: E402

LEVEL_NAMES = {"info": "提示", "warning": "警告", "error": "错误"}


class ChineseHelpFormatter(argparse.RawDescriptionHelpFormatter):
    """argparse with its fixed English words in Chinese."""

    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, prefix or "用法: ")


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

    gen = sub.add_parser(
        "generate",
        help="由 sources/ 生成知识库页面（只写入有变化的文件）",
        description="读取 sources/ 中的 .txt 和 .docx 报告，生成 docs/ 下的报告页面和 docs/data/corpus.json。",
        formatter_class=ChineseHelpFormatter,
        add_help=False,
    )
    gen.add_argument("-h", "--help", action="help", help="显示本帮助并退出")
    gen._optionals.title = "选项"
    gen.add_argument("--sources", type=Path, default=PROJECT_ROOT / "sources", metavar="目录", help="报告所在目录（默认 sources/）")
    gen.add_argument("--docs", type=Path, default=PROJECT_ROOT / "docs", metavar="目录", help="站点页面目录（默认 docs/）")
    gen.add_argument("--strict", action="store_true", help="存在警告或错误时以退出码 1 结束")
    gen.add_argument("-q", "--quiet", action="store_true", help="只输出警告和错误")
    return parser


def _print_problems(problems: Sequence[Problem], quiet: bool) -> None:
    shown = [p for p in problems if not (quiet and p.level == INFO)]
    if not shown:
        return
    print(f"\n问题（{len(shown)} 条，按文件分组）：")
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
    result = generate(Settings(sources=args.sources, docs=args.docs))
    reports = result.built.index.reports
    changes = result.changes
    if not args.quiet:
        print(f"已生成 {len(reports)} 篇报告（{len({r.source for r in reports})} 个文件）。")
        print(f"页面：新增 {len(changes.new)}，更新 {len(changes.changed)}，删除 {len(changes.removed)}，未变 {changes.unchanged}。")
    _print_problems(result.problems, args.quiet)
    serious = [p for p in result.problems if p.level != INFO]
    if args.strict and serious:
        print(f"\n--strict：存在 {len(serious)} 条警告或错误，退出码 1。", file=sys.stderr)
        return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return {"generate": cmd_generate}[args.command](args)
    except ReportError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
