"""Pairing: every problem should have a measure, every cause a problem.

``docs/assets/checker-rules.js`` implements the same rules (``pairing``); keep the
two in step (tests compare them).

* Parts: a top-level heading of the problem, cause or measure role opens a
  part that runs to the next top-level heading.
* Items: when a part has lower-level headings, the highest of them open the
  items (heading and the lines under it); such a heading that names a role
  in a few words (（一）存在问题, （二）原因分析: at most
  ``role_label_max_chars``) and has headings below it is a part of that role
  in turn. Otherwise each non-empty line is an item, or, when it enumerates (一是… 二是…, 第一, 第二,), each enumerated
  piece is; the words before the first marker only introduce and are no item.
  A numbering that starts again (一是 after 三是) ends the previous piece at
  its last sentence end.
* Causes inside a problem part: an item whose introduction (the sentence
  before its numbering starts, its heading, or else its first sentence)
  holds a cause cue (原因) is a cause.
* Theme and key terms: an item's theme is the theme with the highest keyword
  score (Σ weight × occurrences, first theme on a tie) if it reaches
  ``min_theme_score``; its key terms are the keywords of weight at least
  ``min_term_weight`` it contains.
* A problem is matched by a measure, a cause by a problem, when they share a
  key term that is a keyword of the first item's theme (of any theme when it
  has none). A cause without a theme is general (思想认识不到位) and is
  matched by every problem.
"""

from __future__ import annotations

import re

from reportkb.checker.contract import PairingFound, PairingItem, Spec

SENTENCE_ENDS = "。!?;"


def _sentence_end_before(text: str, end: int, start: int = 0) -> int:
    """Position after the last sentence end in ``text[start:end]``, or -1."""
    best = -1
    for stop in SENTENCE_ENDS:
        at = text.rfind(stop, start, end)
        if at >= 0 and at + 1 > best:
            best = at + 1
    return best


def _pieces(folded: str, rule: dict) -> list[tuple[int, int, str]]:
    """(start, end, introduction) of the items on one line without sub-headings."""
    numerals = rule["numerals"]
    markers = []
    expected = 0
    for m in re.finditer(rule["marker"], folded):
        numeral = m.group(1) or m.group(2)
        k = numerals.find(numeral)
        if k == 0 or (k == expected and markers):
            markers.append((m.start(), k))
            expected = k + 1
    if not markers:
        return [(0, len(folded), folded[: max(_first_sentence_end(folded), 0)] or folded)]
    out = []
    for n, (start, k) in enumerate(markers):
        end = markers[n + 1][0] if n + 1 < len(markers) else len(folded)
        if n + 1 < len(markers) and markers[n + 1][1] == 0:
            cut = _sentence_end_before(folded, end, start)
            if cut > start:
                end = cut
        if k == 0:
            before = markers[n - 1][0] if n else 0
            intro_start = max(_sentence_end_before(folded, start, before), before)
            intro = folded[intro_start:start]
        out.append((start, end, intro))
    return out


def _first_sentence_end(text: str) -> int:
    ends = [at for at in (text.find(stop) for stop in SENTENCE_ENDS) if at >= 0]
    return min(ends) + 1 if ends else -1


def _score(text: str, spec: Spec, rule: dict) -> tuple[str | None, list[str]]:
    best, best_score = None, 0.0
    terms: list[str] = []
    for theme in spec["themes"]:
        score = 0.0
        for term, weight in theme["keywords"]:
            n = text.count(term) if term else 0
            if n:
                score += weight * n
                if weight >= rule["min_term_weight"] and term not in terms:
                    terms.append(term)
        if score > best_score:
            best, best_score = theme["name"], score
    return (best if best_score >= rule["min_theme_score"] else None), sorted(terms)


def _matches(item: dict, other: dict, theme_terms: dict[str, set[str]]) -> bool:
    if item["kind"] == "cause" and item["theme"] is None:
        return True  # a general cause (思想认识不到位) explains every problem
    shared = set(item["terms"]) & set(other["terms"])
    if item["theme"] is None:
        return bool(shared)
    return bool(shared & theme_terms[item["theme"]])


def _excerpt(text: str, limit: int) -> str:
    text = text.strip(" \t\u3000")
    return text if len(text) <= limit else text[:limit] + "……"


def _collect(lines: list[str], folded: list[str], headings: list[dict], span: tuple[int, int], above: int, kind: str,
             spec: Spec, items: list[dict]) -> None:
    """Items of ``kind`` in lines ``span`` (0-based, end excluded) below a heading of level ``above``."""
    rule = spec["pairing"]
    kinds = {rule["problem_role"]: "problem", rule["cause_role"]: "cause", rule["measure_role"]: "measure"}
    first, last = span
    subs = [h for h in headings if first < h["line"] <= last and h["level"] > above]
    if subs:
        level = min(h["level"] for h in subs)
        starts = [h for h in subs if h["level"] == level]
        for k, h in enumerate(starts):
            end = starts[k + 1]["line"] - 1 if k + 1 < len(starts) else last
            role = next((r["name"] for r in spec["roles"] if any(c in h["folded"] for c in r["cues"])), None)
            deeper = any(h["line"] < g["line"] <= end and g["level"] > level for g in headings)
            label = len(h["folded"]) <= rule["role_label_max_chars"]
            if deeper and label and role in kinds:  # （一）存在问题 / （二）原因分析 with their own items below
                _collect(lines, folded, headings, (h["line"], end), level, kinds[role], spec, items)
                continue
            own = "cause" if kind == "problem" and any(c in h["folded"] for c in rule["cause_cues"]) else kind
            items.append({"kind": own, "line": h["line"], "folded": "\n".join(folded[h["line"] - 1 : end]),
                          "text": _excerpt(lines[h["line"] - 1], rule["excerpt_chars"])})
        return
    for i in range(first, last):
        f = folded[i]
        if not f.strip(" \t"):
            continue
        for start, end, intro in _pieces(f, rule):
            own = "cause" if kind == "problem" and any(c in intro for c in rule["cause_cues"]) else kind
            items.append({"kind": own, "line": i + 1, "folded": f[start:end],
                          "text": _excerpt(lines[i][start:end], rule["excerpt_chars"])})


def pairing(lines: list[str], folded: list[str], headings: list[dict], top: int | None, spec: Spec) -> PairingFound:
    """Problems, causes and measures of a draft, each problem and cause with what matches it."""
    rule = spec["pairing"]
    kinds = {rule["problem_role"]: "problem", rule["cause_role"]: "cause", rule["measure_role"]: "measure"}
    tops = [h for h in headings if h["level"] == top]
    items: list[dict] = []
    for n, t in enumerate(tops):
        if t["role"] in kinds:
            last = tops[n + 1]["line"] - 1 if n + 1 < len(tops) else len(lines)
            _collect(lines, folded, headings, (t["line"], last), top, kinds[t["role"]], spec, items)
    for item in items:
        item["theme"], item["terms"] = _score(item["folded"], spec, rule)
    theme_terms = {t["name"]: {term for term, w in t["keywords"] if w >= rule["min_term_weight"]} for t in spec["themes"]}
    helps = {(h["theme"], h["kind"]): h for h in rule["help"]}
    found: dict[str, list[PairingItem]] = {"problems": [], "causes": [], "measures": []}
    wanted = {"problem": "measure", "cause": "problem"}
    for item in items:
        entry: PairingItem = {"kind": item["kind"], "line": item["line"], "text": item["text"], "theme": item["theme"],
                              "terms": item["terms"], "matched_by": [], "guides": [], "exemplars": []}
        if item["kind"] in wanted:
            partners = [o for o in items if o["kind"] == wanted[item["kind"]]]
            entry["matched_by"] = sorted({o["line"] for o in partners if _matches(item, o, theme_terms)})
            if not entry["matched_by"]:
                help_ = helps.get((item["theme"] or "", item["kind"])) or helps.get(("", item["kind"]))
                if help_:
                    entry["guides"], entry["exemplars"] = help_["guides"], help_["exemplars"]
        found[item["kind"] + "s"].append(entry)
    return {
        "problems": found["problems"],
        "causes": found["causes"],
        "measures": found["measures"],
        "unmatched_problems": sum(1 for p in found["problems"] if not p["matched_by"]),
        "unmatched_causes": sum(1 for c in found["causes"] if not c["matched_by"]),
    }
