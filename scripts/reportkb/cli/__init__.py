"""The command line (``scripts/kb.py``) and the MkDocs hook: the edges, which only call into the package.

One module per command (``generate``, ``add``, ``check``, ``outline``, ``compare``), each with NAME,
HELP, DESCRIPTION, ``add_arguments(positionals, options)`` and ``run(args)``;
``output`` prints, ``parser`` speaks Chinese. Nothing below this package
imports it. Heavy modules (the pipeline, python-docx) are imported inside
``run`` so that ``--help`` and ``check`` start quickly.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportkb.cli import add, check, compare, generate, outline
from reportkb.cli.output import error, visible_lines
from reportkb.cli.parser import ChineseParser, command, help_option
from reportkb.errors import ReportError

COMMANDS = (generate, add, check, outline, compare)


def build_parser() -> ChineseParser:
    parser = ChineseParser(prog="kb.py", description="意识形态工作报告知识库：把 sources/ 中的报告生成可检索的 MkDocs 站点页面。")
    sub = parser.add_subparsers(title="命令", dest="command", metavar="命令", required=True)
    help_option(parser.add_argument_group("选项"))
    for module in COMMANDS:
        module.add_arguments(*command(sub, module.NAME, module.HELP, module.DESCRIPTION))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; its exit code (2 for a usage error, a data file error or an unusable input)."""
    args = build_parser().parse_args(argv)
    try:
        return {m.NAME: m for m in COMMANDS}[args.command].run(args)
    except ReportError as exc:
        error(visible_lines(str(exc)))
        return 2
