"""Draft checker: a Chinese checklist for a draft report, from one JSON spec.

The spec (``docs/data/checker.json``) is built from the YAML data files and
the corpus; ``check(text, spec)`` turns a draft into a verdict, a plain data
structure. ``docs/assets/checker.js`` implements the very same rules over the
very same spec in the browser; keep the two in step (tests compare them).

Rules, in the order of the verdict:

* lines: split at any line break, a leading BOM dropped; matching runs on
  ``match_fold(line)``; a line's indentation is spaces and tabs only.
* structure: the title is the first non-empty line if it is short, has no
  。, is no heading and holds a title cue; headings are lines whose start
  matches a ``heading_levels`` pattern; the highest level present is the top
  level; a top-level heading's role is the first taxonomy role with a cue in
  its words, else the default role.
* themes: score = Σ weight × occurrences of each keyword in the folded draft.
* requirements: addressed when a pattern matches a line; first 3 lines kept.
* placeholders, formulas: per line, see requirements.yml.
* length: Chinese characters (U+4E00–U+9FFF) against corpus quantiles.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from reportkb.analysis.link import Index
from reportkb.analysis.requirements import (
    best_passages,
    coverage,
    excerpt,
    han_count,
    match_fold,
    quantile,
    report_length,
    split_lines,
)
from reportkb.config import Requirements, Taxonomy

SCHEMA = 1
MAX_ITEMS = 100
"""Placeholder and formula findings listed in a verdict (totals count all)."""
MATCHES_PER_REQUIREMENT = 3

GAP_CODES = (
    "empty-draft",
    "not-chinese",
    "no-title",
    "missing-part",
    "missing-theme",
    "missing-requirement",
    "placeholder",
    "formula-variant",
    "length-short",
    "length-long",
)
"""Every gap code a verdict can list, in the order it lists them."""

GAP_NAMES = {
    "empty-draft": "草稿为空",
    "not-chinese": "草稿中没有中文",
    "no-title": "未找到标题",
    "missing-part": "缺少必要部分",
    "missing-theme": "有主题未涉及",
    "missing-requirement": "有要求未回应",
    "placeholder": "有未填写的占位符",
    "formula-variant": "有规范表述写法不规范",
    "length-short": "篇幅明显偏短",
    "length-long": "篇幅明显偏长",
}

SPEC_PATH = "data/checker.json"


def requirement_page(theme_id: str) -> str:
    return f"requirements/{theme_id}.md"


def requirement_anchor(requirement_id: str) -> str:
    return requirement_id.lower()


# ---------------------------------------------------------------------------
# The spec


def fold_table() -> dict[str, str]:
    """Every BMP character ``match_fold`` changes, except ASCII A–Z (lower-cased in code)."""
    from reportkb.text.fold import PLACEHOLDER_FOLD, _simplified_map, _width_map

    candidates = {chr(c) for c in _simplified_map()} | {chr(c) for c in _width_map()} | set(PLACEHOLDER_FOLD)
    table = {}
    for ch in sorted(candidates):
        if ord(ch) > 0xFFFF:
            continue
        folded = match_fold(ch)
        if folded != ch and not ("A" <= ch <= "Z"):
            table[ch] = folded
    return table


def _formula_entries(requirements: Requirements) -> list[dict]:
    return [
        {"standard": f.standard, "variants": list(f.variants), "allowed": list(f.allowed)} for f in requirements.checker.formulas
    ]


def _protected_forms(requirements: Requirements, extra_forms: tuple[str, ...]) -> list[str]:
    """Spellings never reported as near-misses: standards here and in formulas.yml."""
    known = {f.standard for f in requirements.checker.formulas}
    return sorted(known | {match_fold(form) for form in extra_forms if form})


def build_spec(index: Index, requirements: Requirements, taxonomy: Taxonomy, extra_forms: tuple[str, ...] = (),
               covs: tuple | None = None) -> dict:
    """The checker spec: data files plus corpus figures, as one JSON-ready dict.

    ``extra_forms``: spellings of fixed formulas from formulas.yml, checked
    as standards next to those in requirements.yml. ``covs``: the result of
    ``coverage(index, requirements)`` when the caller already has it.
    """
    settings = requirements.checker
    theme_ids = {t.name: t.id for t in taxonomy.themes}
    covs = coverage(index, requirements) if covs is None else covs
    reqs = []
    for cov in covs:
        r = cov.requirement
        exemplars = []
        for p in best_passages(cov, settings.exemplars):
            report = index.by_id(p.report_id)
            section = report.sections[p.section] if p.section is not None else None
            anchor = section.anchor if section else ""
            exemplars.append(
                {
                    "report": report.id,
                    "title": report.title,
                    "section": section.heading if section else "",
                    "line": p.line,
                    "url": f"reports/{report.id}/" + (f"#{anchor}" if anchor else ""),
                    "excerpt": excerpt(p),
                }
            )
        reqs.append(
            {
                "id": r.id,
                "theme": r.theme,
                "title": r.title,
                "statement": r.statement,
                "source": r.source,
                "patterns": list(r.patterns),
                "page": requirement_page(theme_ids[r.theme]).removesuffix(".md") + "/#" + requirement_anchor(r.id),
                "exemplars": exemplars,
            }
        )
    lengths = [report_length(r) for r in index.reports]
    return {
        "schema": SCHEMA,
        "fold": fold_table(),
        "gap_names": GAP_NAMES,  # the page shows the same names as the command line
        "title": {"max_chars": settings.title_max_chars, "cues": [match_fold(c) for c in settings.title_cues]},
        "heading_levels": list(settings.heading_levels),
        "heading_max_chars": settings.heading_max_chars,
        "roles": [{"name": r.name, "cues": [match_fold(c) for c in r.heading_cues]} for r in taxonomy.roles],
        "default_role": taxonomy.default_role,
        "parts": [{"label": label, "role": role} for label, role in settings.parts],
        "themes": [{"name": t.name, "keywords": [[match_fold(k), w] for k, w in t.keywords]} for t in taxonomy.themes],
        "theme_min_score": settings.theme_min_score,
        "requirements": reqs,
        "placeholders": [{"label": p.label, "pattern": p.pattern} for p in settings.placeholders],
        "formulas": _formula_entries(requirements),
        "protected_forms": _protected_forms(requirements, extra_forms),
        "near_miss_min_chars": settings.near_miss_min_chars,
        "max_items": MAX_ITEMS,
        "matches_per_requirement": MATCHES_PER_REQUIREMENT,
        "gap_codes": list(GAP_CODES),
        "length": {
            "reports": len(lengths),
            "min": min(lengths, default=0),
            "median": round(quantile(lengths, 0.5)),
            "max": max(lengths, default=0),
            "short_below": round(quantile(lengths, settings.length_short_quantile)),
            "long_above": round(quantile(lengths, settings.length_long_quantile)),
        },
    }


def spec_json(spec: dict) -> str:
    return json.dumps(spec, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


# ---------------------------------------------------------------------------
# The check


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


def _structure(lines: list[str], folded: list[str], spec: dict) -> dict:
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
    }


def _count(text: str, term: str) -> int:
    return text.count(term) if term else 0


def _themes(whole: str, spec: dict) -> list[dict]:
    out = []
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


def _requirements(lines: list[str], folded: list[str], spec: dict) -> list[dict]:
    out = []
    limit = spec["matches_per_requirement"]
    for req in spec["requirements"]:
        patterns = [re.compile(p) for p in req["patterns"]]
        matches = []
        for i, f in enumerate(folded):
            if len(matches) >= limit:
                break
            for pattern in patterns:
                m = pattern.search(f)
                if m:
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


def _placeholders(lines: list[str], folded: list[str], spec: dict) -> tuple[int, list[dict]]:
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
                items.append({"line": i + 1, "label": label, "text": lines[i][s:e]})
    return total, items


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _formulas(lines: list[str], folded: list[str], spec: dict) -> tuple[int, list[dict]]:
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


def check(text: str, spec: dict) -> dict:
    """The verdict for one draft: plain data, the same as checker.js produces."""
    lines = split_lines(text)
    folded = [match_fold(line) for line in lines]
    nonempty = sum(1 for f in folded if _strip(f))
    chars = han_count(text)
    structure = _structure(lines, folded, spec)
    themes = _themes("\n".join(folded), spec)
    reqs = _requirements(lines, folded, spec)
    ph_total, ph_items = _placeholders(lines, folded, spec)
    fm_total, fm_items = _formulas(lines, folded, spec)
    stats = spec["length"]
    if not nonempty:
        length_verdict = "empty"
    elif chars < stats["short_below"]:
        length_verdict = "short"
    elif chars > stats["long_above"]:
        length_verdict = "long"
    else:
        length_verdict = "normal"
    gaps = set()
    if not nonempty:
        gaps.add("empty-draft")
    else:
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


# ---------------------------------------------------------------------------
# Text output


def format_verdict(verdict: dict, source: str = "") -> str:
    """The checklist in Chinese, as the CLI prints it."""
    ok, no = "✔", "✘"
    out = [f"自查清单：{source}" if source else "自查清单", ""]
    s = verdict["structure"]
    out.append("一、结构")
    if s["title"]:
        out.append(f"  {ok} 标题（第 {s['title']['line']} 行）：{s['title']['text']}")
    else:
        out.append(f"  {no} 标题：未找到（第一行应为“××单位××年上半年意识形态工作自查报告”之类的标题）")
    for p in s["parts"]:
        if p["found"]:
            out.append(f"  {ok} {p['label']}（第 {p['line']} 行）：{p['heading']}")
        else:
            out.append(f"  {no} {p['label']}：未找到以此为内容的一级标题")
    out.append(f"  共识别编号标题 {s['headings']} 个。")
    out.append("")
    out.append("二、主题")
    for t in verdict["themes"]:
        terms = "、".join(f"{term}×{n}" for term, n in t["terms"]) or "无关键词"
        mark = ok if t["covered"] else no
        out.append(f"  {mark} {t['name']}（得分 {t['score']:g}）：{terms}")
    out.append("")
    reqs = verdict["requirements"]
    done = [r for r in reqs if r["addressed"]]
    out.append(f"三、要求（已回应 {len(done)}/{len(reqs)}）")
    for r in reqs:
        if r["addressed"]:
            where = "；".join(f"第 {m['line']} 行“{m['text']}”" for m in r["matches"])
            out.append(f"  {ok} {r['id']} {r['title']}：{where}")
    for r in reqs:
        if not r["addressed"]:
            out.append(f"  {no} {r['id']} {r['title']}（{r['theme']}）　要求说明：{r['page']}")
            for e in r["exemplars"]:
                section = f" · {e['section']}" if e["section"] else ""
                out.append(f"      范例：{e['title']}{section} → {e['url']}")
                out.append(f"            {e['excerpt']}")
    out.append("")
    ph = verdict["placeholders"]
    out.append(f"四、未填写的占位符（{ph['total']} 处）")
    by_line: dict[int, list[str]] = {}
    for item in ph["items"]:
        by_line.setdefault(item["line"], []).append(item["text"])
    for line, texts in by_line.items():
        out.append(f"  {no} 第 {line} 行：" + "　".join(texts))
    if ph["total"] > len(ph["items"]):
        out.append(f"  ……另有 {ph['total'] - len(ph['items'])} 处未列出")
    out.append("")
    fm = verdict["formulas"]
    out.append(f"五、规范表述（{fm['total']} 处可能写得不规范）")
    for item in fm["items"]:
        out.append(f"  {no} 第 {item['line']} 行：“{item['text']}”应为“{item['standard']}”")
    if fm["total"] > len(fm["items"]):
        out.append(f"  ……另有 {fm['total'] - len(fm['items'])} 处未列出")
    out.append("")
    n = verdict["length"]
    names = {"empty": "草稿为空", "short": "明显偏短", "long": "明显偏长", "normal": "与范例相当"}
    out.append("六、篇幅")
    out.append(
        f"  {ok if n['verdict'] == 'normal' else no} 中文字数 {n['chars']}，{names[n['verdict']]}"
        f"（范例 {n['reports']} 篇，中位数 {n['median']}，常见范围 {n['short_below']}–{n['long_above']}）"
    )
    out.append("")
    if verdict["ok"]:
        out.append("结论：各项均已齐备。")
    else:
        out.append("结论：待完善——" + "；".join(f"{GAP_NAMES[g]}（{g}）" for g in verdict["gaps"]))
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------
# CLI


def read_draft(path: Path) -> str:
    """A draft's text: .docx paragraphs or a .txt in any Chinese encoding."""
    from reportkb.errors import SourceError
    from reportkb.stages.ingest import decode_text, read_docx

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"无法读取草稿 {path}：{exc.strerror}") from exc
    suffix = path.suffix.lower()
    if suffix == ".docx":
        # One line per paragraph, numbered as in Word (empty paragraphs kept),
        # the way text pasted from Word arrives in the browser.
        found = read_docx(data)
        lines = [""] * max((line.number for line in found), default=0)
        for line in found:
            lines[line.number - 1] = line.text
        return "\n".join(lines)
    if suffix in (".txt", ".text", ".md", ""):
        if not data:
            return ""
        text, _ = decode_text(data)
        return text
    raise SourceError(f"不支持的草稿格式 {path.suffix}：请提供 .txt 或 .docx 文件。")


def add_arguments(parser) -> None:
    parser.add_argument("draft", type=Path, metavar="草稿", help="草稿文件（.txt 任意中文编码，或 .docx）")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出检查结果（字段见 README）")
    parser.add_argument("--spec", type=Path, metavar="文件", help="使用已生成的 checker.json（默认由 sources/ 与数据文件现场生成）")
    parser.add_argument("--sources", type=Path, default=None, metavar="目录", help="范例报告目录（默认 sources/）")


def load_spec(args) -> dict:
    if args.spec:
        return json.loads(args.spec.read_text(encoding="utf-8"))
    from reportkb.config import PROJECT_ROOT, Settings
    from reportkb.pipeline import build

    sources = args.sources or PROJECT_ROOT / "sources"
    built = build(Settings(sources=sources, docs=PROJECT_ROOT / "docs"))
    return json.loads(built.pages[SPEC_PATH])


def run_cli(args) -> int:
    """``kb.py check``: 0 all present, 1 checklist has gaps, 2 unreadable input."""
    from reportkb.errors import ReportError

    if not args.draft.is_file():
        print(f"错误：找不到草稿文件 {args.draft}。", file=sys.stderr)
        return 2
    try:
        text = read_draft(args.draft)
        spec = load_spec(args)
    except ReportError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except (OSError, ValueError) as exc:
        print(f"错误：无法读取 checker.json：{exc}", file=sys.stderr)
        return 2
    verdict = check(text, spec)
    if args.json:
        sys.stdout.write(json.dumps(verdict, ensure_ascii=False, sort_keys=True, indent=1) + "\n")
    else:
        sys.stdout.write(format_verdict(verdict, str(args.draft)))
    return 0 if verdict["ok"] else 1
