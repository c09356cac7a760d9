"""Unnumbered headings: short lines that stand alone between paragraphs.

``引言``, ``积极方面``, ``著力加强支部建设`` on a line of their own are headings
with mark "". A short line is *not* a heading when it is a sentence (has
punctuation), a title (ends in 报告/总结…, or carries a 篇N marker), a
signature (ends in the name of a body) or a date.
"""

from __future__ import annotations

import re

PLAIN_MAX_CHARS = 20
PLAIN_MIN_HAN = 2
# Punctuation that makes a short line a sentence, a list entry or a label.
_PUNCT_RE = re.compile(r"[。！？!?；;，,：:、…．.（）()《》<>“”\"|/【】\[\]]")
_TITLE_RE = re.compile(
    r"(报告|总结|汇报|计划|方案|发言|讲话|材料|通知|意见|范文)\s*$"
    r"|篇\s*[0-9一二三四五六七八九十]+|第\s*[0-9一二三四五六七八九十]+\s*篇"
)
# A signature: the name of a body at the end of the line.
_BODY_RE = re.compile(
    r"(党委|党组|支部|总支|党工委|委员会|办公室|政府|街道|办事处|局|院|中心|公司|学校|部|厅|所|处|站|馆|队|会|社区|村|镇|乡"
    r"|委|组|同志)\s*$"
)
_DATE_RE = re.compile(r"\d|[〇○零]|[一二三四五六七八九十]+[月日]")
_HAN_RE = re.compile(r"[\u4e00-\u9fff]")
# A fragment of a line broken by PDF extraction starts or ends with a joining word.
_FRAGMENT_RE = re.compile(r"^[年月日的之与和及或等]|[与和及的之或]$")


def is_plain_heading(text: str) -> bool:
    """True for a short unnumbered line that can only be a heading (``text`` in match form)."""
    words = text.strip()
    if 0.8 * (len(words) - words.count(" ")) > PLAIN_MAX_CHARS:
        return False  # too long for the share of Han characters below: no need to count them
    han = len(_HAN_RE.findall(words))
    return (
        PLAIN_MIN_HAN <= han <= PLAIN_MAX_CHARS
        and han >= 0.8 * len(words.replace(" ", ""))
        and not _PUNCT_RE.search(words)
        and not _TITLE_RE.search(words)
        and not _BODY_RE.search(words)
        and not _DATE_RE.search(words)
        and not _FRAGMENT_RE.search(words)
    )
