"""The rule engine: ``check(text, spec)`` turns a draft into a verdict, plain data.

``docs/assets/checker-rules.js`` implements the very same rules over the very same
spec in the browser; keep the two in step (tests compare them). The spec and
the verdict are declared in ``contract``.

Rules, in the order of the verdict:

* lines: split at any line break, a leading BOM dropped; matching runs on
  ``match_fold(line)``; a line's indentation is spaces and tabs only.
* structure: the title is the first non-empty line if it is short, has no
  。, is no heading and holds a title cue; headings are lines whose start
  matches a ``heading_levels`` pattern; the highest level present is the top
  level; a top-level heading's role is the first taxonomy role with a cue in
  its words, else the default role.
* themes: score = Σ weight × occurrences of each keyword in the folded draft.
* requirements: addressed when a pattern matches a line and so does one
  pattern of each ``all_of`` group; first 3 lines kept.
* pairing: see ``pairing``.
* placeholders, formulas: per line, see requirements.yml; a placeholder is
  shown with its sentence (``sentence``).
* an empty draft: one gap, and no lists.
* length: Chinese characters (U+4E00–U+9FFF) against corpus quantiles.
"""

from __future__ import annotations

import re

from reportkb.analysis.requirements import han_count, match_fold, split_lines
from reportkb.checker.contract import (
    SCHEMA,
    FormulaItem,
    PlaceholderItem,
    RequirementFound,
    Spec,
    Structure,
    ThemeFound,
    Verdict,
)
from reportkb.checker.pairing import SENTENCE_ENDS, pairing


def _strip(text: str) -> str:
    return text.strip(" \t")


def _heading_words(line: str, folded: str, end: int, max_chars: int) -> tuple[str, str]:
    rest_f = folded[end:]
    cut = len(rest_f)
    for stop in ("。", ":"):
        at = rest_f.find(stop)
        if 0 <= at < cut:
            cut = at
    cut = min(cut, max_chars)
    return line[end : end + cut], rest_f[:cut]


def _structure(lines: list[str], folded: list[str], spec: Spec) -> tuple[Structure, list[dict], int | None]:
    levels = [re.compile(p) for p in spec["heading_levels"]]
    title = None
    first = next((i for i, f in enumerate(folded) if _strip(f)), None)
    headings = []
    for i, f in enumerate(folded):
        indent = len(f) - len(f.lstrip(" \t"))
        body_f, body = f[indent:], lines[i][indent:]
        for level, pattern in enumerate(levels):
            m = pattern.search(body_f)
            if m:
                words, words_f = _heading_words(body, body_f, m.end(), spec["heading_max_chars"])
                headings.append({"line": i + 1, "level": level, "words": words, "folded": words_f})
                break
    heading_lines = {h["line"] for h in headings}
    if first is not None and first + 1 not in heading_lines:
        text_f = _strip(folded[first])
        if len(text_f) <= spec["title"]["max_chars"] and "。" not in text_f and any(c in text_f for c in spec["title"]["cues"]):
            title = {"line": first + 1, "text": _strip(lines[first])}
    top = min((h["level"] for h in headings), default=None)
    tops = [h for h in headings if h["level"] == top]
    for h in tops:
        h["role"] = next((r["name"] for r in spec["roles"] if any(c in h["folded"] for c in r["cues"])), spec["default_role"])
    parts = []
    for part in spec["parts"]:
        hit = next((h for h in tops if h["role"] == part["role"]), None)
        parts.append(
            {
                "label": part["label"],
                "role": part["role"],
                "found": hit is not None,
                "line": hit["line"] if hit else None,
                "heading": hit["words"] if hit else None,
            }
        )
    return {
        "title": title,
        "headings": len(headings),
        "top_level": top,
        "top_headings": [{"line": h["line"], "heading": h["words"], "role": h["role"]} for h in tops],
        "parts": parts,
    }, headings, top


def _count(text: str, term: str) -> int:
    return text.count(term) if term else 0


def _themes(whole: str, spec: Spec) -> list[ThemeFound]:
    out: list[ThemeFound] = []
    for theme in spec["themes"]:
        score = 0.0
        terms = []
        for term, weight in theme["keywords"]:
            n = _count(whole, term)
            if n:
                score += weight * n
                terms.append((weight * n, term, n))
        terms.sort(key=lambda t: (-t[0], t[1]))
        out.append(
            {
                "name": theme["name"],
                "score": score,
                "covered": score >= spec["theme_min_score"],
                "terms": [[t, n] for _, t, n in terms[:5]],
            }
        )
    return out


def _requirements(lines: list[str], folded: list[str], spec: Spec) -> list[RequirementFound]:
    out: list[RequirementFound] = []
    limit = spec["matches_per_requirement"]
    for req in spec["requirements"]:
        patterns = [re.compile(p) for p in req["patterns"]]
        groups = [[re.compile(p) for p in group] for group in req["all_of"]]
        matches = []
        for i, f in enumerate(folded):
            if len(matches) >= limit:
                break
            for pattern in patterns:
                m = pattern.search(f)
                if m:
                    if all(any(g.search(f) for g in group) for group in groups):
                        matches.append({"line": i + 1, "text": lines[i][m.start() : m.end()]})
                    break
        out.append(
            {
                "id": req["id"],
                "title": req["title"],
                "theme": req["theme"],
                "page": req["page"],
                "addressed": bool(matches),
                "matches": matches,
                "exemplars": [] if matches else req["exemplars"],
            }
        )
    return out


def _placeholders(lines: list[str], folded: list[str], spec: Spec) -> tuple[int, list[PlaceholderItem]]:
    compiled = [(p["label"], re.compile(p["pattern"])) for p in spec["placeholders"]]
    total, items = 0, []
    for i, f in enumerate(folded):
        taken: list[tuple[int, int, str]] = []
        for label, pattern in compiled:
            for m in pattern.finditer(f):
                span = m.span(1) if pattern.groups and m.start(1) >= 0 else m.span()
                if any(s < span[1] and span[0] < e for s, e, _ in taken):
                    continue
                taken.append((span[0], span[1], label))
        taken.sort()
        for s, e, label in taken:
            total += 1
            if len(items) < spec["max_items"]:
                items.append({"line": i + 1, "label": label, "text": lines[i][s:e], "sentence": _sentence(lines[i], f, s, e)})
    return total, items


SENTENCE_CONTEXT = 24
"""Characters kept on either side of a placeholder within its sentence."""


def _sentence(line: str, folded: str, start: int, end: int) -> str:
    """The sentence of ``line`` around ``line[start:end]``, cut to SENTENCE_CONTEXT either side; …… where the line goes on."""
    left = 0
    for stop in SENTENCE_ENDS:
        at = folded.rfind(stop, 0, start)
        left = max(left, at + 1)
    right = len(folded)
    for stop in SENTENCE_ENDS:
        at = folded.find(stop, end)
        if at >= 0:
            right = min(right, at + 1)
    left = max(left, start - SENTENCE_CONTEXT)
    right = min(right, end + SENTENCE_CONTEXT)
    while left < start and line[left] in " \t\u3000":
        left += 1
    return ("……" if left > 0 else "") + line[left:right] + ("……" if right < len(line) else "")


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _formulas(lines: list[str], folded: list[str], spec: Spec) -> tuple[int, list[FormulaItem]]:
    excluded = set(spec["protected_forms"])
    for f in spec["formulas"]:
        excluded.update(f["allowed"])
        excluded.update(f["variants"])
    total, items = 0, []
    for i, f in enumerate(folded):
        found: list[tuple[int, str, str, int]] = []
        for formula in spec["formulas"]:
            std = formula["standard"]
            for variant in formula["variants"]:
                at = f.find(variant)
                while at >= 0:
                    found.append((at, std, "variant", len(variant)))
                    at = f.find(variant, at + len(variant))
            n = len(std)
            if n < spec["near_miss_min_chars"]:
                continue
            half = n // 2
            starts = set()
            at = f.find(std[:half])
            while at >= 0:
                starts.add(at)
                at = f.find(std[:half], at + 1)
            at = f.find(std[half:])
            while at >= 0:
                starts.add(at - half)
                at = f.find(std[half:], at + 1)
            for start in sorted(starts):
                if start < 0 or start + n > len(f):
                    continue
                window = f[start : start + n]
                diff = [k for k in range(n) if window[k] != std[k]]
                if len(diff) == 1 and _is_han(window[diff[0]]) and _is_han(std[diff[0]]) and window not in excluded:
                    found.append((start, std, "near-miss", n))
        found.sort(key=lambda x: (x[0], x[1]))
        for start, std, kind, n in found:
            total += 1
            if len(items) < spec["max_items"]:
                items.append({"line": i + 1, "text": lines[i][start : start + n], "standard": std, "kind": kind})
    return total, items


def _empty(spec: Spec) -> Verdict:
    """An empty draft: one gap and nothing listed (there is nothing to list)."""
    stats = spec["length"]
    return {
        "schema": SCHEMA,
        "lines": 0,
        "structure": {"title": None, "headings": 0, "top_level": None, "top_headings": [], "parts": []},
        "themes": [],
        "requirements": [],
        "pairing": {"problems": [], "causes": [], "measures": [], "unmatched_problems": 0, "unmatched_causes": 0},
        "placeholders": {"total": 0, "items": []},
        "formulas": {"total": 0, "items": []},
        "length": {"chars": 0, "verdict": "empty", "short_below": stats["short_below"], "long_above": stats["long_above"],
                   "median": stats["median"], "reports": stats["reports"]},
        "gaps": ["empty-draft"],
        "ok": False,
    }


def check(text: str, spec: Spec) -> Verdict:
    """The verdict for one draft: plain data, the same as checker.js produces."""
    lines = split_lines(text)
    folded = [match_fold(line) for line in lines]
    nonempty = sum(1 for f in folded if _strip(f))
    if not nonempty:
        return _empty(spec)
    chars = han_count(text)
    structure, headings, top = _structure(lines, folded, spec)
    themes = _themes("\n".join(folded), spec)
    reqs = _requirements(lines, folded, spec)
    paired = pairing(lines, folded, headings, top, spec)
    ph_total, ph_items = _placeholders(lines, folded, spec)
    fm_total, fm_items = _formulas(lines, folded, spec)
    stats = spec["length"]
    if chars < stats["short_below"]:
        length_verdict = "short"
    elif chars > stats["long_above"]:
        length_verdict = "long"
    else:
        length_verdict = "normal"
    gaps = set()
    if chars == 0:
        gaps.add("not-chinese")
    if structure["title"] is None:
        gaps.add("no-title")
    if not all(p["found"] for p in structure["parts"]):
        gaps.add("missing-part")
    if not all(t["covered"] for t in themes):
        gaps.add("missing-theme")
    if not all(r["addressed"] for r in reqs):
        gaps.add("missing-requirement")
    if paired["unmatched_problems"]:
        gaps.add("unmatched-problem")
    if paired["unmatched_causes"]:
        gaps.add("unmatched-cause")
    if ph_total:
        gaps.add("placeholder")
    if fm_total:
        gaps.add("formula-variant")
    if length_verdict in ("short", "long"):
        gaps.add(f"length-{length_verdict}")
    return {
        "schema": SCHEMA,
        "lines": nonempty,
        "structure": structure,
        "themes": themes,
        "requirements": reqs,
        "pairing": paired,
        "placeholders": {"total": ph_total, "items": ph_items},
        "formulas": {"total": fm_total, "items": fm_items},
        "length": {
            "chars": chars,
            "verdict": length_verdict,
            "short_below": stats["short_below"],
            "long_above": stats["long_above"],
            "median": stats["median"],
            "reports": stats["reports"],
        },
        "gaps": [g for g in spec["gap_codes"] if g in gaps],
        "ok": not gaps,
    }
