"""argparse in Chinese, through its public API only.

Headings come from argument groups that we title ourselves, the usage prefix
from ``HelpFormatter.add_usage(prefix=…)``, and argparse's fixed English
error sentences are translated in ``error()`` by pattern.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import Any, NoReturn, Protocol

HELP = "显示本帮助并退出"
USAGE = "用法: "

# argparse's error sentences (Python 3.11–3.13), outermost first: the
# "argument X: …" wrapper is translated and its inner message again.
ERRORS = [
    (r"argument (?P<name>.+?): (?P<inner>.*)", "参数 {name}: {inner}"),
    (r"the following arguments are required: (?P<a>.*)", "缺少必需的参数: {a}"),
    (r"unrecognized arguments: (?P<a>.*)", "无法识别的参数: {a}"),
    (r"invalid choice: (?P<v>.*) \(choose from (?P<c>.*)\)", "无效的选择: {v}（可选: {c}）"),
    (r"expected one argument", "需要一个值"),
    (r"expected at least one argument", "至少需要一个值"),
    (r"expected at most one argument", "至多一个值"),
    (r"expected (?P<n>\d+) arguments?", "需要 {n} 个值"),
    (r"invalid (?P<t>\S+) value: (?P<v>.*)", "无效的 {t} 值: {v}"),
    (r"ambiguous option: (?P<o>.*) could match (?P<m>.*)", "有歧义的选项: {o} 可能是 {m}"),
    (r"not allowed with argument (?P<a>.*)", "不能与参数 {a} 同时使用"),
    (r"one of the arguments (?P<a>.*) is required", "需要以下参数之一: {a}"),
    (r"ignored explicit argument (?P<v>.*)", "此选项不接受值: {v}"),
]
_ERRORS = [(re.compile(pattern, re.DOTALL), template) for pattern, template in ERRORS]


def translate(message: str) -> str:
    """argparse's English error sentence in Chinese; a message already in Chinese (ours) is kept."""
    for pattern, template in _ERRORS:
        m = pattern.fullmatch(message)
        if m:
            parts = m.groupdict()
            if "inner" in parts:
                parts["inner"] = translate(parts["inner"])
            return template.format(**parts)
    return message


class Group(Protocol):
    """An argument group (argparse does not name its class publicly)."""

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action: ...


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Descriptions kept as written; the usage line starts with 用法."""

    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, USAGE if prefix is None else prefix)


class ChineseParser(argparse.ArgumentParser):
    """An ArgumentParser whose help and errors are Chinese.

    Made without the built-in -h (its group and text are English): callers
    put ``help_option`` into a group titled 选项.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", HelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: 错误: {translate(message)}\n")


def help_option(group: Group) -> None:
    group.add_argument("-h", "--help", action="help", help=HELP)


def command(sub: Any, name: str, help: str, description: str) -> tuple[Group, Group]:
    """A subcommand of ``sub`` (from ``add_subparsers``): its groups for positional arguments and for options (-h first)."""
    parser = sub.add_parser(name, help=help, description=description)
    positionals = parser.add_argument_group("位置参数")
    options = parser.add_argument_group("选项")
    help_option(options)
    return positionals, options


def positive(text: str) -> int:
    """``type=`` for counts: a positive integer, or a Chinese usage error."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"应为正整数，而不是 {text!r}")
    return value
