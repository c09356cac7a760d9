"""Strings from reports where Material prints them without escaping: nav, front matter.

Material's templates print navigation titles, ``page.title`` and
``page.meta.title`` (the browser tab, the header topic, tag listings) and tag
names as raw HTML. So a title is HTML-escaped here, once, before it becomes a
nav entry or a front-matter field: ``<img …>`` in a title then shows as that
text and runs nothing. Page bodies escape on their own (``text.markup``).

Front matter must also stay valid YAML for any title: JSON strings are YAML,
except that YAML refuses some characters JSON leaves raw (DEL, C1 controls,
U+FFFE, U+FFFF, lone surrogates) and folds YAML line breaks (U+0085,
U+2028, U+2029) into spaces. Those are written as ``\\uXXXX`` escapes, which
both read back as the same character.
"""

from __future__ import annotations

import re

from reportkb.text.markup import front_matter as _json_front_matter
from reportkb.text.markup import html_text

_NOT_YAML_SAFE_RE = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
"""Characters outside YAML's printable set, plus YAML line breaks and U+FEFF (a BOM)."""


def nav_title(text: str) -> str:
    """A navigation title: shown as written, never taken as HTML."""
    return html_text(text)


def front_matter(title: str, tags: list[str] | None = None) -> str:
    """YAML front matter with an escaped ``title`` (and ``tags``); valid YAML for any text."""
    text = _json_front_matter(title=html_text(title), tags=[html_text(t) for t in tags] if tags else None)
    return _NOT_YAML_SAFE_RE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)
