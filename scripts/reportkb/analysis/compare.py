"""Compare two reports: outlines aligned by role and theme, new and gone items, repeated sentences.

Works on the report records of the site's ``data/corpus.json`` (id, title,
opening, outline with role, themes and own text per section) and on the
settings of ``data/compare.json``, so that ``kb.py compare`` and the page
(``docs/assets/compare.js``, the same steps in JavaScript) read the same data
and give the same findings. Keep the two in step; the tests compare them.

* **Outline rows**: each section goes to the row of its role and first theme;
  rows come in order of first appearance, in A then in B.
* **Items** of a role (存在问题, 下一步措施): the numbered sections right under a
  part of that role, or the sentences of a part that has none. An item of B
  matches one of A when their character-bigram Dice score reaches
  ``match``; pairs are taken best first. Unmatched items of B are new, of A gone.
* **Repeated sentences**: a sentence of B (of at least ``min_chars``
  characters once punctuation is dropped) that A contains word for word.

Text is compared in NFKC form with everything but Han characters, ASCII
letters and digits dropped, lower case, in both languages alike.
"""

from __future__ import annotations

import re
import unicodedata

KEEP_RE = re.compile("[^0-9A-Za-z\u4e00-\u9fff]")
SENTENCE_END_RE = re.compile("[。！？!?\n]")
EDGE_RE = re.compile("^[ \t\r\n\u00a0\u3000\ufeff]+|[ \t\r\n\u00a0\u3000\ufeff]+$")
"""Spaces trimmed from a sentence: one explicit set, as Python's and JavaScript's own trim differ."""


def norm(text: str) -> str:
    return KEEP_RE.sub("", unicodedata.normalize("NFKC", text)).lower()


def bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} if len(text) > 1 else {text} if text else set()


def dice(a: set[str], b: set[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a or b else 0.0


def sentences(text: str) -> list[str]:
    """The sentences of a text, ending punctuation kept, blank ones left out."""
    out, start = [], 0
    for m in SENTENCE_END_RE.finditer(text):
        out.append(text[start : m.end()])
        start = m.end()
    out.append(text[start:])
    trimmed = (EDGE_RE.sub("", s) for s in out)
    return [s for s in trimmed if s]


def _parents(outline: list[dict]) -> list[int | None]:
    parents: list[int | None] = []
    stack: list[int] = []
    for i, s in enumerate(outline):
        while stack and outline[stack[-1]]["depth"] >= s["depth"]:
            stack.pop()
        parents.append(stack[-1] if stack else None)
        stack.append(i)
    return parents


def _body(section: dict) -> str:
    """A section's own text without its heading line (the text starts with the heading block)."""
    return section["text"].split("\n", 1)[1] if "\n" in section["text"] else ""


def items(report: dict, role: str) -> list[dict]:
    """The items of ``role`` in a report, in report order: {text shown, words compared (no numbering), anchor}."""
    outline = report["outline"]
    parents = _parents(outline)
    out = []
    for i, s in enumerate(outline):
        if s["role"] != role or (parents[i] is not None and outline[parents[i]]["role"] == role):
            continue
        children = [c for c, p in enumerate(parents) if p == i and outline[c]["role"] == role]
        for c in children:
            out.append({"text": outline[c]["mark"] + outline[c]["heading"], "words": outline[c]["heading"],
                        "anchor": outline[c]["anchor"]})
        if not children:
            out += [{"text": t, "words": t, "anchor": s["anchor"]} for t in sentences(_body(s)) if norm(t)]
    return out


def match_items(a: list[dict], b: list[dict], threshold: float) -> dict:
    """Pairs of matching items (best first, each item once), and the items left: gone (A), new (B)."""
    grams_a = [bigrams(norm(x["words"])) for x in a]
    grams_b = [bigrams(norm(x["words"])) for x in b]
    pairs = []
    for i, ga in enumerate(grams_a):
        for j, gb in enumerate(grams_b):
            score = dice(ga, gb)
            if score >= threshold:
                pairs.append((-score, i, j))
    pairs.sort()
    used_a: set[int] = set()
    used_b: set[int] = set()
    kept = []
    for _score, i, j in pairs:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            kept.append((j, i, 200 * len(grams_a[i] & grams_b[j]) // (len(grams_a[i]) + len(grams_b[j]))))
    kept.sort()
    return {"kept": [{"a": a[i], "b": b[j], "score": score} for j, i, score in kept],
            "gone": [x for i, x in enumerate(a) if i not in used_a],
            "new": [x for j, x in enumerate(b) if j not in used_b]}


def _sentences_of(report: dict) -> list[tuple[str, dict | None]]:
    out: list[tuple[str, dict | None]] = [(t, None) for t in sentences(report.get("opening") or "")]
    for s in report["outline"]:
        out += [(t, s) for t in sentences(s["text"])]
    return out


def repeated(a: dict, b: dict, min_chars: int) -> tuple[list[dict], int]:
    """Sentences of B found word for word in A (each once, in B's order), and how many long sentences B has."""
    where_a: dict[str, str] = {}
    for text, section in _sentences_of(a):
        key = norm(text)
        if len(key) >= min_chars:
            where_a.setdefault(key, section["anchor"] if section else "")
    found, seen, total = [], set(), 0
    for text, section in _sentences_of(b):
        key = norm(text)
        if len(key) < min_chars:
            continue
        total += 1
        if key in where_a and key not in seen:
            seen.add(key)
            found.append({"text": text, "a_anchor": where_a[key], "b_anchor": section["anchor"] if section else "",
                          "b_heading": (section["mark"] + section["heading"]) if section else ""})
    return found, total


def outline_rows(a: dict, b: dict, other: str) -> list[dict]:
    """Rows of (role, first theme), each with the matching sections of A and of B."""
    rows: dict[tuple[str, str], dict] = {}
    for side, report in (("a", a), ("b", b)):
        for s in report["outline"]:
            key = (s["role"], s["themes"][0] if s["themes"] else other)
            row = rows.setdefault(key, {"role": key[0], "theme": key[1], "a": [], "b": []})
            row[side].append({"text": s["mark"] + s["heading"], "anchor": s["anchor"], "depth": s["depth"]})
    return list(rows.values())


def label(report: dict, reports: list[dict]) -> str:
    """``file.txt``, or ``file.txt#2`` for a file that holds several reports."""
    several = sum(r["source"] == report["source"] for r in reports) > 1
    return f"{report['source']}#{report['part']}" if several else report["source"]


def compare(a: dict, b: dict, settings: dict, reports: list[dict]) -> dict:
    """Everything the page and the command line show about A (earlier) and B (later); ``reports``: the corpus."""
    shared, total = repeated(a, b, settings["min_chars"])
    return {
        "a": {"id": a["id"], "title": a["title"], "label": label(a, reports)},
        "b": {"id": b["id"], "title": b["title"], "label": label(b, reports)},
        "rows": outline_rows(a, b, settings["other"]),
        "items": [{"role": role, **match_items(items(a, role), items(b, role), settings["match"])}
                  for role in settings["item_roles"]],
        "repeated": shared, "sentences": total, "min_chars": settings["min_chars"],
    }


def resolve(reports: list[dict], key: str) -> list[dict]:
    """The reports ``key`` names: an id, a source file name, or ``file#part`` (several when a file holds several)."""
    exact = [r for r in reports if r["id"] == key]
    if exact:
        return exact
    source, _, part = key.rpartition("#")
    if source and part.isdigit():
        return [r for r in reports if r["source"] == source and r["part"] == int(part)]
    return [r for r in reports if r["source"] == key or r["source"].rsplit("/", 1)[-1] == key]
