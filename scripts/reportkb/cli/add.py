"""``kb.py add``: copy reports into sources/ (a thin call into ``addfiles.add_files``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from reportkb.cli.generate import common_options
from reportkb.cli.output import exit_code, print_problems, visible
from reportkb.cli.parser import Group
from reportkb.config import PROJECT_ROOT

NAME = "add"
HELP = "把报告文件复制进 sources/（安全文件名，拒绝完全重复，提示近似重复）"
DESCRIPTION = ("把给出的 .txt / .docx 报告复制进 sources/：文件名去除不宜使用的字符（保留中文），"
               "从不覆盖已有文件（重名时加 -2、-3 后缀）；与已有报告完全相同或无法读取的文件不添加，"
               "与已有报告高度相似的文件添加并给出警告。添加后请运行 kb.py generate 更新站点。")


def add_arguments(positionals: Group, options: Group) -> None:
    positionals.add_argument("files", nargs="+", type=Path, metavar="文件", help="要添加的报告文件（可多个）")
    options.add_argument("--sources", type=Path, default=PROJECT_ROOT / "sources", metavar="目录", help="报告所在目录（默认 sources/）")
    common_options(options)


def run(args: argparse.Namespace) -> int:
    from reportkb.addfiles import add_files

    results = add_files(list(args.files), args.sources)
    problems = [p for r in results for p in r.problems]
    refused = [r for r in results if r.target is None]
    if not args.quiet:
        for r in results:
            if r.target is not None:
                print(f"已添加：{visible(str(r.given))} → {visible(args.sources.name)}/{visible(r.target)}")
        if len(refused) < len(results):
            print("请运行 python scripts/kb.py generate 更新站点。")
    print_problems(problems, args.quiet)
    if refused:
        print(f"\n{len(refused)} 个文件未添加（原因见上）；sources/ 中已有的文件未作任何改动。", file=sys.stderr)
        return 1
    return exit_code(problems, args.strict)
