"""What the commands print: problem lists, file names made visible, progress, exit codes."""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Iterable, Sequence

from reportkb.model import INFO, LEVELS, Problem

LEVEL_NAMES = {"info": "提示", "warning": "警告", "error": "错误"}
PROGRESS_DELAY = 1.0  # seconds before a progress bar appears: short runs stay silent
STAGE_NAMES = {"annotate": "分析报告", "link": "关联报告", "render": "生成页面", "write": "写入文件"}

# Control, format, surrogate, private-use and unassigned characters, and the
# line and paragraph separators: a terminal acts on them (ESC starts a
# command, CR and newline move the cursor, U+202E turns text around) instead
# of showing them.
INVISIBLE = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def visible(text: str) -> str:
    """``text`` with every character a terminal would act on written as an escape (``\\x1b``, ``\\n``, ``\\u202e``).

    Used for every file name and problem message printed, so a name cannot
    clear the screen or forge a line of output. Ordinary text is unchanged.
    """
    if text.isprintable():
        return text
    return "".join(_escape(ch) if unicodedata.category(ch) in INVISIBLE else ch for ch in text)


def _escape(ch: str) -> str:
    code = ord(ch)
    if ch in NAMED_ESCAPES:
        return NAMED_ESCAPES[ch]
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def visible_lines(text: str) -> str:
    """``visible`` for each line of a message meant to span lines (a data file's list of errors)."""
    return "\n".join(visible(line) for line in text.split("\n"))


def error(message: str) -> None:
    """One Chinese error line on stderr (names in ``message`` already made visible)."""
    print(f"错误：{message}", file=sys.stderr)


def print_problems(problems: Sequence[Problem], quiet: bool) -> None:
    """Problems grouped by file, most serious level counted first; with ``quiet`` no info."""
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
            print(f"  {visible(p.source)}")
        where = f"第 {p.line} 行" if p.line else "整个文件"
        print(f"    [{LEVEL_NAMES[p.level]}] {where}：{visible(p.message)}")


def exit_code(problems: Sequence[Problem], strict: bool) -> int:
    """0, or 1 under --strict when any warning or error was found (said on stderr)."""
    serious = [p for p in problems if p.level != INFO]
    if strict and serious:
        print(f"\n--strict：存在 {len(serious)} 条警告或错误，退出码 1。", file=sys.stderr)
        return 1
    return 0


class Progress:
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

    @classmethod
    def for_run(cls, quiet: bool) -> Progress:
        return cls(enabled=not quiet and sys.stderr.isatty())

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
