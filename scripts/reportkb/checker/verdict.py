"""A verdict as text: the Chinese checklist ``kb.py check`` prints."""

from __future__ import annotations

from reportkb.checker.contract import GAP_NAMES, Verdict

EMPTY_MESSAGE = "草稿为空：请先粘贴或写入报告全文，再检查。"
"""The whole checklist of an empty draft (the page shows the same line)."""

KIND_NAMES = {"problem": "问题", "cause": "原因", "measure": "措施"}


def _pairing_lines(verdict: Verdict, ok: str, no: str) -> list[str]:
    p = verdict["pairing"]
    parts = {part["role"]: part for part in verdict["structure"]["parts"]}
    out = [f"四、问题与措施（{len(p['problems'])} 个问题中 {p['unmatched_problems']} 个未找到对应措施；"
           f"{len(p['causes'])} 条原因中 {p['unmatched_causes']} 条未对应问题）"]
    if not p["problems"] and not p["causes"]:
        found = any(part["found"] and part["label"] == "存在问题" for part in parts.values())
        out.append(f"  {no} 存在问题部分没有列出具体问题" if found else f"  {no} 未找到“存在问题”部分，无法核对问题与措施")
        return out
    for item in p["problems"] + p["causes"]:
        theme = f"{item['theme']}，" if item["theme"] else ""
        head = f"{KIND_NAMES[item['kind']]}（{theme}第 {item['line']} 行）：{item['text']}"
        if item["matched_by"]:
            wanted = "措施" if item["kind"] == "problem" else "问题"
            out.append(f"  {ok} {head}　→ 对应{wanted}：" + "、".join(f"第 {n} 行" for n in item["matched_by"]))
            continue
        missing = "下一步措施中没有与之对应的措施" if item["kind"] == "problem" else "存在问题中没有与之对应的问题"
        terms = f"（关键词：{'、'.join(item['terms'])}）" if item["terms"] else ""
        out.append(f"  {no} {head}")
        out.append(f"      {missing}{terms}")
        for g in item["guides"]:
            out.append(f"      参考：{g['label']} → {g['url']}")
        for e in item["exemplars"]:
            section = f" · {e['section']}" if e["section"] else ""
            out.append(f"      范例：{e['title']}{section} → {e['url']}")
            out.append(f"            {e['excerpt']}")
    return out


def format_verdict(verdict: Verdict, source: str = "") -> str:
    """The checklist in Chinese, as the CLI prints it; one line for an empty draft."""
    if verdict["gaps"] == ["empty-draft"]:
        return EMPTY_MESSAGE + "\n"
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
    out += _pairing_lines(verdict, ok, no)
    out.append("")
    ph = verdict["placeholders"]
    out.append(f"五、未填写的占位符（{ph['total']} 处）")
    by_line: dict[int, list[str]] = {}
    for item in ph["items"]:
        sentences = by_line.setdefault(item["line"], [])
        if item["sentence"] not in sentences:  # several placeholders of one sentence: the sentence once
            sentences.append(item["sentence"])
    for line, sentences in by_line.items():
        out.append(f"  {no} 第 {line} 行：" + "　".join(sentences))
    if ph["total"] > len(ph["items"]):
        out.append(f"  ……另有 {ph['total'] - len(ph['items'])} 处未列出")
    out.append("")
    fm = verdict["formulas"]
    out.append(f"六、规范表述（{fm['total']} 处可能写得不规范）")
    for item in fm["items"]:
        out.append(f"  {no} 第 {item['line']} 行：“{item['text']}”应为“{item['standard']}”")
    if fm["total"] > len(fm["items"]):
        out.append(f"  ……另有 {fm['total'] - len(fm['items'])} 处未列出")
    out.append("")
    n = verdict["length"]
    names = {"empty": "草稿为空", "short": "明显偏短", "long": "明显偏长", "normal": "与范例相当"}
    out.append("七、篇幅")
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
