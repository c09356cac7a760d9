"""The site data a command reads (data/outline.json, data/corpus.json …), built from the sources as ``generate`` would."""

from __future__ import annotations

import json
from pathlib import Path

from reportkb.cli.output import visible
from reportkb.config import PROJECT_ROOT
from reportkb.errors import SourceError


def built_data(sources: Path | None, *paths: str) -> list:
    """The JSON documents ``paths`` of a build of ``sources`` (default sources/), nothing written."""
    from reportkb.config import Settings
    from reportkb.pipeline import build

    folder = sources or PROJECT_ROOT / "sources"
    if not folder.is_dir():
        shown = visible(str(folder))
        what = f"报告目录 {shown} 不是文件夹" if folder.exists() else f"找不到报告目录 {shown}"
        raise SourceError(f"{what}：请用 --sources 指定放有报告的目录。")
    built = build(Settings(sources=folder, docs=PROJECT_ROOT / "docs"))
    if not built.summary.reports:
        raise SourceError(f"报告目录 {visible(str(folder))} 中没有可用的报告：请放入 .txt 或 .docx 报告，或用 --sources 指定其他目录。")
    return [json.loads(built.pages[path]) for path in paths]
