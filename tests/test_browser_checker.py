"""自查清单 in real Chromium: the same verdicts as the CLI, nothing sent anywhere.

The CLI (``kb.py check --json``) and the page both read the sample site's
``data/checker.json``; the page's verdict is read back from the DOM after a
real paste or typing into the box and a click on 检查.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import docx
import opencc
import pytest

from reportkb.analysis.requirements import match_fold
from reportkb.checker.contract import GAP_NAMES
from reportkb.checker.rules import check
from test_checker_pairing import NO_MEASURE, ROLE_LABELS, WITH_MEASURE

from helpers import ROOT, screenshot

KB = [sys.executable, str(ROOT / "scripts" / "kb.py")]
SOURCES = ROOT / "sources"


def source(name: str) -> str:
    return next(SOURCES.glob(f"{name}_*.txt")).read_text(encoding="utf-8")


def delete_parts(text: str) -> str:
    """A sample report with its 存在问题 part removed and one themed section cut."""
    lines = text.split("\n")
    out, skipping = [], False
    for line in lines:
        if re.match(r"^[一二三四五六七八九十]+、", line):
            skipping = "问题" in line or "网络" in line or "阵地" in line
        if not skipping:
            out.append(line)
    return "\n".join(out)


@pytest.fixture(scope="module")
def spec_path(sample_site) -> Path:
    return sample_site / "docs" / "data" / "checker.json"


@pytest.fixture(scope="module")
def spec(spec_path) -> dict:
    return json.loads(spec_path.read_text(encoding="utf-8"))


@pytest.fixture()
def checker_page(page, sample_server):
    page.goto(f"{sample_server.url}/check/")
    page.wait_for_selector("#kb-check-result[data-state=ready]", state="attached")
    return page


def cli_verdict(path: Path, spec_path: Path) -> dict:
    result = subprocess.run([*KB, "check", str(path), "--json", "--spec", str(spec_path)], capture_output=True, text=True, timeout=300)
    assert result.returncode in (0, 1), result.stderr
    verdict = json.loads(result.stdout)
    assert result.returncode == (0 if verdict["ok"] else 1)
    return verdict


def page_verdict(tab, text: str, how: str = "fill") -> dict:
    if how == "type":
        tab.click("#kb-check-clear")
        tab.click("#kb-draft")
        tab.keyboard.type(text)
    elif how == "paste":
        # A paste event carrying the text, as from Word or a text editor. A
        # synthetic event does not insert text by itself (browsers only do that
        # for trusted events), so the value is then set as the paste would, with its input event.
        tab.click("#kb-check-clear")
        tab.focus("#kb-draft")
        tab.evaluate(
            """t => { const box = document.getElementById('kb-draft');
                      const data = new DataTransfer(); data.setData('text/plain', t);
                      box.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
                      if (box.value !== t) { box.value = t; }
                      box.dispatchEvent(new InputEvent('input', {inputType: 'insertFromPaste', bubbles: true})); }""",
            text,
        )
    else:
        tab.fill("#kb-draft", text)
    assert tab.input_value("#kb-draft") == text
    if tab.evaluate("t => window.kbChecker.isEmpty(t, window.kbChecker.spec)", text):
        # Nothing to check: the button stays disabled; the verdict is the page's own engine's.
        assert tab.is_disabled("#kb-check-run")
        return tab.evaluate("t => window.kbChecker.check(t, window.kbChecker.spec)", text)
    tab.click("#kb-check-run")
    tab.wait_for_selector("#kb-check-result[data-state=done]", state="attached", timeout=120_000)
    return json.loads(tab.text_content("#kb-check-verdict"))


def drafts(tmp: Path) -> dict[str, tuple[Path, str]]:
    """name → (file for the CLI, text the page gets)."""
    out: dict[str, tuple[Path, str]] = {}

    def txt(name: str, text: str, encoding: str = "utf-8") -> None:
        path = tmp / f"{name}.txt"
        path.write_text(text, encoding=encoding)
        out[name] = (path, text)

    txt("full-003", source("003"))
    txt("deleted-000", delete_parts(source("000")), "gb18030")
    txt("empty", "")
    txt("english", "Quarterly memo\n1. Overview\nThe team met XX times; see box 3.")
    mark = r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|[0-9]+[.、])"
    flat = "\n".join(re.sub(mark, "", line) for line in source("002").split("\n"))
    txt("no-headings-002", flat)
    txt("traditional-003", opencc.OpenCC("s2t").convert(source("003")))
    txt("network-no-measure", NO_MEASURE)
    txt("network-with-measure", WITH_MEASURE)
    txt("causes-004", source("004"))
    txt("role-labels", ROLE_LABELS)
    # A Word draft made with python-docx: the CLI reads the .docx, the page gets its paragraphs.
    paragraphs = delete_parts(source("004")).split("\n")
    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    path = tmp / "deleted-004.docx"
    document.save(path)
    out["docx-004"] = (path, "\n".join(paragraphs))
    return out


def test_cli_and_page_agree_on_every_draft(checker_page, spec_path, spec, tmp_path):
    before = list(checker_page.requests)
    seen_gaps: set[str] = set()
    for name, (path, text) in drafts(tmp_path).items():
        expected = cli_verdict(path, spec_path)
        got = page_verdict(checker_page, text, how="paste" if name.startswith("docx") else "fill")
        assert got == expected, name
        assert expected == json.loads(json.dumps(check(text, spec))), name
        seen_gaps.update(expected["gaps"])
        # The rendered checklist says the same thing in Chinese.
        if expected["gaps"] == ["empty-draft"]:
            continue
        summary = checker_page.text_content(".kb-check-summary")
        assert summary.startswith("结论："), name
        assert all(GAP_NAMES[g] in summary for g in expected["gaps"]), name  # names shipped in checker.json
        missing = [r for r in expected["requirements"] if not r["addressed"]]
        shown = checker_page.locator("ul.kb-check-requirements > li.kb-gap").count()
        assert shown == len(missing), name
        unmatched = [x for x in expected["pairing"]["problems"] + expected["pairing"]["causes"] if not x["matched_by"]]
        assert checker_page.locator("li.kb-check-unmatched").count() == len(unmatched), name
    assert {"empty-draft", "not-chinese", "missing-part", "missing-requirement", "placeholder", "no-title",
            "unmatched-problem"} <= seen_gaps
    checker_page.locator(".kb-check-summary").scroll_into_view_if_needed()
    screenshot(checker_page, "checker-docx-004")
    # The drafts were never sent anywhere: no request at all while checking.
    assert checker_page.requests == before
    assert all(url.startswith("http://127.0.0.1:") for url in checker_page.requests)


def test_typed_draft_with_placeholders_and_formula_slips(checker_page, spec_path, tmp_path):
    text = ("某单位2024年上半年意识形态工作总结\n一、工作情况\n牢固树立四个意思，落实一岗两责，开展学习X次，于X月X日召开**会议。"
            "\n二、存在问题\n三、下一步打算")
    path = tmp_path / "typed.txt"
    path.write_text(text, encoding="utf-8")
    expected = cli_verdict(path, spec_path)
    got = page_verdict(checker_page, text, how="type")
    assert got == expected
    assert [i["standard"] for i in got["formulas"]["items"]] == ["四个意识", "一岗双责"]
    assert {i["text"] for i in got["placeholders"]["items"]} == {"X次", "X月X日", "**"}
    assert all(p["found"] for p in got["structure"]["parts"])
    body = checker_page.text_content("#kb-check-result")
    assert "“四个意思”应为“四个意识”" in body
    assert "第 3 行：牢固树立四个意思，落实一岗两责，开展学习X次，于X月X日召开**会议。" in body  # their sentence, once
    checker_page.locator(".kb-check-summary").scroll_into_view_if_needed()
    screenshot(checker_page, "checker-typed")


def test_one_megabyte_paste_is_checked_and_agrees(checker_page, spec):
    base = source("001")
    text = (base + "\n") * (1_000_000 // (len(base) + 1) + 1)
    text = text[:1_000_000]
    got = page_verdict(checker_page, text, how="paste")
    assert got == json.loads(json.dumps(check(text, spec)))
    ph = got["placeholders"]
    assert ph["total"] > len(ph["items"]) == spec["max_items"]
    # A known draft: the sample report many times over, so far too long, and the page says so.
    assert got["structure"]["title"]["line"] == 1 and got["length"]["verdict"] == "long"
    assert "length-long" in got["gaps"] and got["length"]["chars"] > 50 * spec["length"]["long_above"]
    body = checker_page.text_content("#kb-check-result")
    assert f"五、未填写的占位符（{ph['total']} 处）" in body
    assert f"……另有 {ph['total'] - spec['max_items']} 处未列出" in body


def test_evidence_patterns_match_identically_in_both_engines(checker_page, spec):
    patterns = [p for r in spec["requirements"] for p in r["patterns"]]
    patterns += [p["pattern"] for p in spec["placeholders"]] + spec["heading_levels"]
    texts = [f.read_text(encoding="utf-8") for f in sorted(SOURCES.glob("*.txt"))]
    lines = sorted({match_fold(line) for text in texts for line in text.split("\n") if line.strip()})
    extra = ["一、工作情况", "(一)强化組織領導", "12.配強隊伍", "xxbox xx月x日 ***",
             "同部署，同落实、同检查,同考核", "网评员\u2028网管员", ""]
    lines += [match_fold(s) for s in extra]
    got = checker_page.evaluate(
        """([patterns, lines]) => patterns.map(p => { const re = new RegExp(p);
               return lines.map(l => { const m = re.exec(l); return m ? [m.index, m[0]] : null; }); })""",
        [patterns, lines],
    )
    expected = [[(lambda m: [m.start(), m.group()] if m else None)(re.search(p, line)) for line in lines] for p in patterns]
    assert got == expected
    assert sum(1 for row in expected for m in row if m) > 300


def test_fold_is_the_same_in_both_engines(checker_page, spec):
    text = "".join(sorted(spec["fold"])) + "ABC xyz Ⅹⅹ （一）網評員，ＸＸ\u3000\u00a0𠀾" + source("004")
    got = checker_page.evaluate("([t, table]) => window.kbChecker.fold(t, table)", [text, spec["fold"]])
    assert got == match_fold(text)


def test_a_network_problem_without_a_measure_is_named_on_the_page(checker_page, spec_path, tmp_path, sample_site, sample_server):
    path = tmp_path / "no-measure.txt"
    path.write_text(NO_MEASURE, encoding="utf-8")
    expected = cli_verdict(path, spec_path)
    assert page_verdict(checker_page, NO_MEASURE) == expected
    gap = checker_page.locator("li.kb-check-unmatched")
    assert gap.count() == 1 and gap.get_attribute("data-line") == "6"
    said = gap.text_content()
    assert said.startswith("✘ 问题（网络阵地，第 6 行）：（一）网络舆情处置不够及时。") and "下一步措施中没有与之对应的措施" in said
    links = gap.locator("a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert hrefs[0].endswith("/guides/network-next-steps/")
    assert len(hrefs) == 3 and all("/reports/" in h for h in hrefs[1:])
    # Every link leads to a page of the site, an exemplar to its section.
    for href in hrefs:
        where, _, anchor = href.removeprefix(sample_server.url + "/").partition("#")
        page = (sample_site / "site" / unquote(where) / "index.html").read_text(encoding="utf-8")
        assert not anchor or f'id="{unquote(anchor)}"' in page, href
    assert "有问题没有对应的整改措施" in checker_page.text_content(".kb-check-summary")
    gap.scroll_into_view_if_needed()
    screenshot(checker_page, "checker-unmatched-problem")
    # Once the measure is written, the gap is gone, here as from the command line.
    path.write_text(WITH_MEASURE, encoding="utf-8")
    expected = cli_verdict(path, spec_path)
    assert page_verdict(checker_page, WITH_MEASURE) == expected
    assert checker_page.locator("li.kb-check-unmatched").count() == 0
    assert "有问题没有对应的整改措施" not in checker_page.text_content(".kb-check-summary")
    assert "→ 对应措施：第 10 行" in checker_page.text_content("ul.kb-check-pairing")


def test_the_button_waits_for_a_draft_and_an_empty_one_gets_one_line(checker_page):
    assert checker_page.is_disabled("#kb-check-run")
    for blank in ("", "   ", "\n\u3000\t\n"):
        checker_page.fill("#kb-draft", blank)
        assert checker_page.is_disabled("#kb-check-run"), repr(blank)
    checker_page.fill("#kb-draft", "一")
    assert checker_page.is_enabled("#kb-check-run")
    # Typed away again: disabled; the box emptied by 清空 too.
    checker_page.press("#kb-draft", "Backspace")
    assert checker_page.is_disabled("#kb-check-run")
    checker_page.fill("#kb-draft", "某单位报告")
    checker_page.click("#kb-check-clear")
    assert checker_page.is_disabled("#kb-check-run")
    # Ctrl+Enter on an empty box does nothing either: no checklist, no list of requirements.
    checker_page.press("#kb-draft", "Control+Enter")
    assert checker_page.text_content("#kb-check-result") == ""
    assert checker_page.locator("ul.kb-check-requirements").count() == 0


def test_placeholders_are_shown_in_their_sentence_on_the_page(checker_page):
    text = "某单位2024年上半年意识形态工作总结\n一、工作情况\n上半年开展学习X次。共发放宣传资料X份，覆盖X个村。"
    page_verdict(checker_page, text)
    items = checker_page.locator("ul.kb-check-placeholders > li")
    assert items.count() == 1
    assert items.first.text_content() == "✘ 第 3 行：上半年开展学习X次。……　……共发放宣传资料X份，覆盖X个村。"
