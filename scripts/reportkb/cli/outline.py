"""``kb.py outline``: the recommended outline as a Word file, the same file the 生成提纲 page offers."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from reportkb.cli.output import error, visible
from reportkb.cli.parser import Group

NAME = "outline"
HELP = "生成推荐提纲（Word 文件，按党政机关公文格式排版）"
DESCRIPTION = ("按报告类型和主题，由范例报告生成推荐提纲：各部分的常见标题、每节应回应的要求和范例写法；"
               "与站点“生成提纲”页面下载的文件完全相同。退出码：0 已写入；2 用法错误、报告目录不可用或无法写入。")
KIND_NAMES = {"半年": "half", "年度": "year", "责任制": "duty", "专项": "special"}
THEME_SPLIT_RE = re.compile(r"[,，、;；\s]+")


def add_arguments(positionals: Group, options: Group) -> None:
    options.add_argument("--kind", choices=sorted(KIND_NAMES, key=list(KIND_NAMES).index), default="半年", metavar="类型",
                         help="报告类型：半年、年度、责任制、专项（默认 半年）")
    options.add_argument("--themes", default=None, metavar="主题",
                         help="要写的主题，用逗号或顿号分隔，如“责任落实、网络阵地”（默认全部主题）")
    options.add_argument("-o", "--output", type=Path, default=Path("提纲.docx"), metavar="文件",
                         help="写入的 Word 文件（默认 提纲.docx）")
    options.add_argument("--sources", type=Path, default=None, metavar="目录", help="范例报告目录（默认 sources/）")


def run(args: argparse.Namespace) -> int:
    from reportkb.analysis.outline import select
    from reportkb.cli.corpus_data import built_data
    from reportkb.errors import ReportError
    from reportkb.store.atomic import write_atomic
    from reportkb.text.gongwen import gongwen_docx

    if args.output.suffix.lower() != ".docx":
        error(f"输出文件 {visible(str(args.output))} 应以 .docx 结尾。")
        return 2
    try:
        (data,) = built_data(args.sources, "data/outline.json")
    except ReportError as exc:
        error(visible(str(exc)))
        return 2
    themes = data["themes"]
    chosen = [t for t in THEME_SPLIT_RE.split(args.themes) if t] if args.themes is not None else list(themes)
    unknown = [t for t in chosen if t not in themes]
    if unknown or not chosen:
        error(f"没有主题“{visible('、'.join(unknown))}”：可选 {'、'.join(themes)}。" if unknown else
              f"请至少给出一个主题：可选 {'、'.join(themes)}。")
        return 2
    kind = KIND_NAMES[args.kind]
    title, blocks = select(data, kind, chosen)
    try:
        write_atomic(args.output, gongwen_docx(title, blocks))
    except OSError as exc:
        error(f"无法写入 {visible(str(args.output))}：{exc.strerror or exc}。请检查目录是否存在、是否有写入权限。")
        return 2
    spec = next(k for k in data["kinds"] if k["id"] == kind)
    ordered = [t for t in themes if t in chosen]
    print(f"已写入 {visible(str(args.output))}：{spec['name']}提纲，{len(spec['parts'])} 个部分，主题 {'、'.join(ordered)}。")
    return 0
