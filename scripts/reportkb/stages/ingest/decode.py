"""Turning one source's bytes into a RawDocument: .txt through text, .docx through docx."""

from __future__ import annotations

import hashlib
from pathlib import Path

from reportkb.errors import SourceError
from reportkb.model import INFO, WARNING, Problem, RawDocument
from reportkb.stages.ingest.common import IngestError
from reportkb.stages.ingest.docx import read_word
from reportkb.stages.ingest.scan import read_bytes
from reportkb.stages.ingest.text import UTF8_NAMES, decode_text, split_lines


def read_source(path: Path, root: Path) -> tuple[RawDocument | None, tuple[Problem, ...]]:
    """Read one file. Never raises for a bad file: returns (None, problems) instead."""
    source, data, problems = read_bytes(path, root)
    if data is None:
        return None, problems
    raw, found = decode_source(source, path.suffix.lower(), data)
    return raw, problems + found


def decode_source(source: str, suffix: str, data: bytes) -> tuple[RawDocument | None, tuple[Problem, ...]]:
    """Decode the bytes of a supported file (.txt/.docx) into a RawDocument."""
    problems: list[Problem] = []
    try:
        if not data.strip():
            raise IngestError("empty-file", "文件是空的：请放入报告正文，或删除此文件。")
        if suffix == ".docx":
            (lines, found), encoding = read_word(data, source), "docx"
            problems.extend(found)
        else:
            text, encoding = decode_text(data)
            lines = split_lines(text)
            if encoding not in UTF8_NAMES:
                problems.append(Problem(source, None, INFO, "encoding",
                                        f"按 {encoding.upper()} 编码读取；如有乱码，请另存为 UTF-8 后再放入 sources/。"))
    except SourceError as exc:
        return None, (Problem(source, None, WARNING, getattr(exc, "code", "unreadable"), str(exc)),)
    if not any(line.text.strip() for line in lines):
        return None, (Problem(source, None, WARNING, "empty-file", "文件中没有文字：请放入报告正文，或删除此文件。"),)
    return RawDocument(source, encoding, lines, hashlib.sha256(data).hexdigest()), tuple(problems)
