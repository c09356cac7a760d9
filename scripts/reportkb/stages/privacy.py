"""Personal-data guard: find what looks like personal data in a source.

The reports are internal documents; a mobile number, an ID card number or an
e-mail address in one should be redacted before the site is published. This
module only reports (``personal-data`` warnings); it never alters the text.
Messages show a masked form, never the full value, because problems are
also published in ``data/corpus.json``.
"""

from __future__ import annotations

import re
from datetime import date

from reportkb.model import WARNING, Problem, RawDocument
from reportkb.text.fold import fold

# fold() turns full-width digits and letters into ASCII, keeping offsets.
MOBILE_RE = re.compile(r"(?<![\d])(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?![\d])")
ID_CARD_RE = re.compile(r"(?<![\dx])([1-9]\d{5})((?:18|19|20)\d{2})(\d{2})(\d{2})(\d{3})([\dx])(?![\dx])")
EMAIL_RE = re.compile(r"(?<![\w.+-])([a-z0-9][a-z0-9._%+-]*)@((?:[a-z0-9-]+\.)+[a-z]{2,})(?![\w-])")
CANDIDATE_RE = re.compile(r"[\d@＠]")  # \d covers full-width digits too
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10x98765432"

KIND_ADVICE = "：发布前请核对，如属个人信息请删除或打码（如 138****5678）。"


def id_card_valid(number: str) -> bool:
    """18-digit resident ID: a real birth date and the ISO 7064 MOD 11-2 check character."""
    number = number.lower()
    if len(number) != 18 or not number[:17].isdigit():
        return False
    try:
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11] == number[17]


def _mask(value: str, keep_start: int, keep_end: int) -> str:
    hidden = max(1, len(value) - keep_start - keep_end)
    return value[:keep_start] + "*" * hidden + (value[-keep_end:] if keep_end else "")


def find_personal_data(text: str) -> list[tuple[str, str]]:
    """(kind, masked value) for each match in one line of text, in order."""
    folded = fold(text)
    found: list[tuple[int, str, str]] = []
    for m in ID_CARD_RE.finditer(folded):
        if id_card_valid(m[0]):
            found.append((m.start(), "身份证号", _mask(text[m.start():m.end()], 3, 2)))
    for m in MOBILE_RE.finditer(folded):
        digits = m[1] + m[2] + m[3]
        found.append((m.start(), "手机号码", digits[:3] + "****" + digits[-4:]))
    for m in EMAIL_RE.finditer(folded):
        local = text[m.start(1):m.end(1)]
        found.append((m.start(), "电子邮箱", _mask(local, 1, 0) + "@" + text[m.start(2):m.end(2)]))
    return [(kind, masked) for _, kind, masked in sorted(found)]


def check_privacy(raw: RawDocument) -> tuple[Problem, ...]:
    """One ``personal-data`` warning per line that holds personal data."""
    problems = []
    for line in raw.lines:
        if not CANDIDATE_RE.search(line.text):
            continue
        hits = find_personal_data(line.text)
        if hits:
            what = "、".join(f"{kind} {masked}" for kind, masked in hits)
            problems.append(Problem(raw.source, line.number, WARNING, "personal-data",
                                    f"疑似包含个人信息（{what}）{KIND_ADVICE}"))
    return tuple(problems)
