"""The regular-expression subset shared by Python ``re`` and JavaScript ``RegExp``.

Evidence, placeholder and heading patterns in requirements.yml run in Python
and in the browser (``RegExp`` without flags), so they are restricted to a
common subset in which both engines agree; ``regex_subset_error`` says why a
pattern falls outside it. Patterns are matched against the folded text
(``text.fold``), one line at a time, so they must be written folded.
"""

from __future__ import annotations

import re

REGEX_SUBSET_DOC = (
    "文字字符（BMP 内）；转义的元字符 \\\\ \\. \\* \\+ \\? \\( \\) \\[ \\] \\{ \\} \\| \\^ \\$ \\- \\/；"
    "任意字符 .；字符类 [...] / [^...]（字符与范围 a-z，不含 \\d \\s \\w）；"
    "分组 (...) 与 (?:...)；选择 |；量词 ? * + {m} {m,} {m,n}（m、n ≤ 50，不用惰性量词）；不能匹配空字符串；行首 ^、行尾 $"
)
_REGEX_ESCAPABLE = set("\\^$.|?*+()[]{}-/")
_BRACE_RE = re.compile(r"\{(\d+)(?:(,)(\d*))?\}")


def regex_subset_error(pattern: str) -> str | None:
    """Why ``pattern`` is outside the Python/JavaScript common subset, or None."""
    from reportkb.text.fold import fold  # here, so loading settings alone does not load OpenCC

    if not pattern:
        return "不能为空"
    if any(ord(ch) > 0xFFFF for ch in pattern):
        return "含 BMP 以外的字符"
    if fold(pattern) != pattern:
        return f"应写成折叠后的形式（简体、半角、小写）：{fold(pattern)!r}"
    i, n, depth = 0, len(pattern), 0
    can_repeat = False
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            if i + 1 >= n or pattern[i + 1] not in _REGEX_ESCAPABLE:
                return f"第 {i + 1} 个字符：只能转义元字符（不支持 \\d \\s \\w \\b 等）"
            i += 2
            can_repeat = True
        elif ch == "[":
            j = i + 1
            if j < n and pattern[j] == "^":
                j += 1
            members = 0
            while j < n and pattern[j] != "]":
                if pattern[j] == "[":
                    return f"第 {j + 1} 个字符：字符类中的 [ 需转义"
                if pattern[j] == "\\":
                    if j + 1 >= n or pattern[j + 1] not in _REGEX_ESCAPABLE:
                        return f"第 {j + 1} 个字符：字符类中只能转义元字符"
                    j += 1
                elif pattern[j] in "&~|-" and j + 1 < n and pattern[j + 1] == pattern[j]:
                    return f"第 {j + 1} 个字符：字符类中不要连写 {pattern[j] * 2}"
                j += 1
                members += 1
            if j >= n or members == 0:
                return f"第 {i + 1} 个字符：字符类未闭合或为空"
            i = j + 1
            can_repeat = True
        elif ch == "(":
            if pattern.startswith("(?:", i):
                i += 3
            elif i + 1 < n and pattern[i + 1] == "?":
                return f"第 {i + 1} 个字符：只支持 (...) 和 (?:...) 分组（不支持前瞻、后顾、命名组、标志）"
            else:
                i += 1
            depth += 1
            can_repeat = False
        elif ch == ")":
            depth -= 1
            if depth < 0:
                return f"第 {i + 1} 个字符：多余的 )"
            i += 1
            can_repeat = True
        elif ch in "?*+{":
            if not can_repeat:
                return f"第 {i + 1} 个字符：量词 {ch} 前面没有可重复的内容"
            if ch == "{":
                m = _BRACE_RE.match(pattern, i)
                if not m:
                    return f"第 {i + 1} 个字符：{{ 只能用于 {{m}} 或 {{m,n}} 量词"
                low = int(m.group(1))
                high = int(m.group(3)) if m.group(3) else (low if not m.group(2) else 50)
                if high > 50 or low > high:
                    return f"第 {i + 1} 个字符：量词上限应 ≤ 50 且不小于下限"
                i = m.end()
            else:
                i += 1
            if i < n and pattern[i] in "?*+{":
                return f"第 {i + 1} 个字符：不支持惰性或叠加量词"
            can_repeat = False
        elif ch in "]}":
            return f"第 {i + 1} 个字符：{ch} 需转义"
        else:
            i += 1
            can_repeat = ch not in "|^$"
    if depth:
        return "括号未闭合"
    if re.fullmatch(pattern, ""):
        return "能匹配空字符串（两种引擎对空匹配的处理不同）"
    return None
