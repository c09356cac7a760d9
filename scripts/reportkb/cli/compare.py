"""``kb.py compare A B``: two reports side by side, the same findings as the 对比报告 page."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from reportkb.cli.output import error, visible, visible_lines
from reportkb.cli.parser import Group

NAME = "compare"
HELP = "对比两篇报告（提纲对照、新增与不再出现的问题和措施、逐字相同的句子）"
DESCRIPTION = ("对比前一篇（A）和后一篇（B）报告，结论与站点“对比报告”页面相同。A、B 可写报告编号"
               "（如 001_9dfe4ea8b472d475-2）、文件名，或“文件名#篇号”（一个文件含多篇报告时）。"
               "退出码：0 已对比；2 用法错误、找不到报告或报告目录不可用。")


def add_arguments(positionals: Group, options: Group) -> None:
    positionals.add_argument("a", metavar="A", help="前一篇报告：编号、文件名或 文件名#篇号")
    positionals.add_argument("b", metavar="B", help="后一篇报告：编号、文件名或 文件名#篇号")
    options.add_argument("--json", action="store_true", help="以 JSON 输出对比结果（与页面使用的结果相同）")
    options.add_argument("--sources", type=Path, default=None, metavar="目录", help="报告目录（默认 sources/）")


def _pick(reports: list[dict], key: str, which: str) -> dict | str:
    from reportkb.analysis.compare import label, resolve

    found = resolve(reports, key)
    if len(found) == 1:
        return found[0]
    if not found:
        return f"找不到{which} {visible(key)}：请写报告编号、文件名或“文件名#篇号”（编号见报告页面的信息框）。"
    names = "、".join(label(r, reports) for r in found)
    return f"{visible(key)} 中有 {len(found)} 篇报告，请指明是哪一篇：{names}。"


def _say(line: str) -> None:
    """One line of the comparison; report text made visible (a control character in a report cannot act on the terminal)."""
    print(visible_lines(line))


def _print(found: dict) -> None:
    a, b = found["a"], found["b"]
    _say(f"对比：A《{a['title']}》（{a['label']}）→ B《{b['title']}》（{b['label']}）")
    repeated = found["repeated"]
    _say(f"\n逐字相同的句子：B 共 {found['sentences']} 句（去掉标点后不少于 {found['min_chars']} 字），"
          f"其中 {len(repeated)} 句与 A 逐字相同" + ("：" if repeated else "。"))
    for n, r in enumerate(repeated, start=1):
        where = f"（B：{r['b_heading']}）" if r["b_heading"] else ""
        _say(f"  {n}. {r['text']}{where}")
    for group in found["items"]:
        _say(f"\n{group['role']}：")
        if not (group["new"] or group["gone"] or group["kept"]):
            _say("  两篇都没有写这一部分。")
            continue
        _say(f"  B 新写的 {len(group['new'])} 条：")
        for x in group["new"]:
            _say(f"    + {x['text']}")
        _say(f"  A 有、B 不再出现的 {len(group['gone'])} 条：")
        for x in group["gone"]:
            _say(f"    - {x['text']}")
        if group["kept"]:
            _say(f"  两篇都写了的 {len(group['kept'])} 条：")
            for k in group["kept"]:
                _say(f"    = {k['a']['text']} → {k['b']['text']}（{k['score']}%）")
    _say("\n提纲对照（写法 · 主题：A 的章节 | B 的章节）：")
    for row in found["rows"]:
        left = "；".join(s["text"] for s in row["a"]) or "（无）"
        right = "；".join(s["text"] for s in row["b"]) or "（无）"
        _say(f"  {row['role']} · {row['theme']}：{left} | {right}")


def run(args: argparse.Namespace) -> int:
    from reportkb.analysis.compare import compare
    from reportkb.cli.corpus_data import built_data
    from reportkb.errors import ReportError

    try:
        corpus, settings = built_data(args.sources, "data/corpus.json", "data/compare.json")
    except ReportError as exc:
        error(visible(str(exc)))
        return 2
    reports = corpus["reports"]
    a, b = _pick(reports, args.a, "报告 A"), _pick(reports, args.b, "报告 B")
    for picked in (a, b):
        if isinstance(picked, str):
            error(picked)
            return 2
    if a["id"] == b["id"]:
        error("A 和 B 是同一篇报告：请给出两篇不同的报告。")
        return 2
    found = compare(a, b, settings, reports)
    if args.json:
        sys.stdout.write(json.dumps(found, ensure_ascii=False, sort_keys=True, indent=1) + "\n")
    else:
        _print(found)
    return 0
