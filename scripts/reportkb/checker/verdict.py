"""A verdict as text: the Chinese checklist ``kb.py check`` prints."""

from __future__ import annotations

from reportkb.checker.contract import GAP_NAMES, Verdict


def format_verdict(verdict: Verdict, source: str = "") -> str:
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
