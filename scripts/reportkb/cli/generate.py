"""``kb.py generate``: build docs/ from sources/ (a thin call into ``pipeline.generate``)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from reportkb.cli.output import Progress, error, exit_code, print_problems, visible
from reportkb.cli.parser import Group, positive
from reportkb.config import PROJECT_ROOT
from reportkb.model import Problem
from reportkb.parallel import default_workers
from reportkb.store.cache import CACHE_DIR, default_cache_folder

NAME = "generate"
HELP = "由 sources/ 生成知识库页面（只写入有变化的文件）"
DESCRIPTION = "读取 sources/ 中的 .txt 和 .docx 报告，生成 docs/ 下的报告页面和 docs/data/corpus.json。"


def add_arguments(positionals: Group, options: Group) -> None:
    options.add_argument("--sources", type=Path, default=PROJECT_ROOT / "sources", metavar="目录", help="报告所在目录（默认 sources/）")
    options.add_argument("--docs", type=Path, default=PROJECT_ROOT / "docs", metavar="目录", help="站点页面目录（默认 docs/）")
    options.add_argument("--cache", type=Path, default=None, metavar="目录",
                         help=f"缓存目录（默认为报告目录旁的 {CACHE_DIR}/，可随时删除）")
    options.add_argument("--no-cache", action="store_true", help="不使用缓存，全部重新解析和计算")
    options.add_argument("-j", "--jobs", type=positive, default=None, metavar="N",
                         help=f"同时使用的进程数（默认为本机可用的核数，当前为 {default_workers()}；结果与单进程完全相同）")
    common_options(options)


def common_options(options: Group) -> None:
    options.add_argument("--strict", action="store_true", help="存在警告或错误时以退出码 1 结束")
    options.add_argument("-q", "--quiet", action="store_true", help="只输出警告和错误，不显示进度")


def run(args: argparse.Namespace) -> int:
    from reportkb.config import Settings
    from reportkb.pipeline import generate

    if not args.sources.is_dir():
        shown = visible(str(args.sources))
        error(f"报告目录 {shown} 不是文件夹：请用 --sources 指定放有报告的目录。" if args.sources.exists()
              else f"找不到报告目录 {shown}。请创建该目录并放入 .txt 或 .docx 报告。")
        return 2
    cache = None if args.no_cache else (args.cache or default_cache_folder(args.sources))
    progress = Progress.for_run(args.quiet)
    try:
        workers = args.jobs or default_workers()
        result = generate(Settings(sources=args.sources, docs=args.docs, cache=cache, workers=workers), progress)
    finally:
        progress.close()
    reports = result.built.summary.reports
    changes = result.changes
    if not args.quiet:
        print(f"已生成 {len(reports)} 篇报告（{len({r.source for r in reports})} 个文件）。")
        print(f"页面：新增 {len(changes.new)}，更新 {len(changes.changed)}，删除 {len(changes.removed)}，未变 {changes.unchanged}。")
    print_problems(result.problems, args.quiet)
    print_privacy(result.problems)
    return exit_code(result.problems, args.strict)


def print_privacy(problems: Sequence[Problem]) -> None:
    """The files that seem to hold personal data, once each: the list to go through before publishing."""
    counts: dict[str, int] = {}
    for p in problems:
        if p.code == "personal-data":
            counts[p.source] = counts.get(p.source, 0) + 1
    if counts:
        print("\n疑似含个人信息（手机号码、身份证号、电子邮箱）的文件，发布前请核对并删除或打码：")
        for source in sorted(counts):
            print(f"  {visible(source)}（{counts[source]} 处）")
