"""The checker's pairing of problems, causes and measures; evidence that needs every notion; placeholders
in their sentence; the empty draft; the spec kept between checks. Real drafts, real ``kb.py check`` processes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reportkb.checker.rules import check
from reportkb.checker.verdict import EMPTY_MESSAGE, format_verdict
from reportkb.config import DATA_DIR, load_requirements, load_taxonomy
from reportkb.errors import DataFileError

from helpers import ROOT

KB = [sys.executable, str(ROOT / "scripts" / "kb.py")]
TAXONOMY = load_taxonomy(DATA_DIR / "taxonomy.yml")

HEAD = [
    "某县文化局2024年上半年意识形态工作自查报告",
    "一、工作开展情况",
    "（一）强化组织领导。党组落实意识形态工作主体责任，书记履行第一责任人职责。",
    "（二）加强网络阵地管理。严格落实信息发布三审三校制度，做好网络舆情监测。",
    "二、存在的问题",
    "（一）网络舆情处置不够及时。对网上舆情研判不深，微信公众号内容审核把关不严。",
    "（二）理论学习不够深入。中心组学习研讨质量不高。",
    "三、下一步工作打算",
    "（一）深化理论学习。制定中心组学习计划，开展专题研讨。",
]
NETWORK_MEASURE = "（二）加强网络舆情管控。健全网上舆情监测、研判、处置机制，严格公众号信息审核。"
NO_MEASURE = "\n".join(HEAD)
WITH_MEASURE = "\n".join([*HEAD, NETWORK_MEASURE])


def kb_check(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*KB, "check", *args], capture_output=True, text=True, timeout=600, cwd=cwd)


def requirement(verdict: dict, rid: str) -> dict:
    return next(r for r in verdict["requirements"] if r["id"] == rid)


# ---------------------------------------------------------------- pairing


def test_a_network_problem_without_a_measure_is_named_from_the_cli(tmp_path, spec, spec_file):
    draft = tmp_path / "草稿.txt"
    draft.write_text(NO_MEASURE, encoding="utf-8")
    result = kb_check(str(draft), "--spec", str(spec_file))
    assert result.returncode == 1, result.stderr
    out = result.stdout
    assert "四、问题与措施（2 个问题中 1 个未找到对应措施；0 条原因中 0 条未对应问题）" in out
    assert "  ✘ 问题（网络阵地，第 6 行）：（一）网络舆情处置不够及时。对网上舆情研判不深，微信公众号内容审核把关不严。\n" in out
    assert "  ✔ 问题（理论学习，第 7 行）：（二）理论学习不够深入。中心组学习研讨质量不高。　→ 对应措施：第 9 行\n" in out
    assert "      参考：写作指南：网络阵地 · 下一步措施 → guides/network-next-steps/\n" in out
    assert "有问题没有对应的整改措施（unmatched-problem）" in out
    # The JSON verdict says the same, with two exemplar measures on the theme from two reports.
    verdict = json.loads(kb_check(str(draft), "--json", "--spec", str(spec_file)).stdout)
    assert verdict == json.loads(json.dumps(check(NO_MEASURE, spec)))
    (gap,) = [p for p in verdict["pairing"]["problems"] if not p["matched_by"]]
    assert (gap["line"], gap["theme"], gap["kind"]) == (6, "网络阵地", "problem")
    assert len(gap["exemplars"]) == 2 and len({e["report"] for e in gap["exemplars"]}) == 2
    assert all(e["url"].startswith("reports/") and "#" in e["url"] for e in gap["exemplars"])
    assert "unmatched-problem" in verdict["gaps"]


def test_once_the_measure_is_added_the_gap_is_gone(tmp_path, spec, spec_file):
    draft = tmp_path / "草稿.txt"
    draft.write_text(WITH_MEASURE, encoding="utf-8")
    verdict = json.loads(kb_check(str(draft), "--json", "--spec", str(spec_file)).stdout)
    problems = verdict["pairing"]["problems"]
    assert [(p["line"], p["theme"], p["matched_by"]) for p in problems] == [(6, "网络阵地", [10]), (7, "理论学习", [9])]
    assert verdict["pairing"]["unmatched_problems"] == 0
    assert "unmatched-problem" not in verdict["gaps"]
    assert [m["line"] for m in verdict["pairing"]["measures"]] == [9, 10]


def test_enumerated_problems_and_causes_in_one_part_are_told_apart(spec):
    # The sample 004 writes problems and causes in one paragraph under 存在的问题和原因.
    text = next((ROOT / "sources").glob("004_*.txt")).read_text(encoding="utf-8")
    p = check(text, spec)["pairing"]
    assert [x["text"] for x in p["problems"]] == [
        "一是对意识形态理论学习不够，", "二是满足干部职工文化需求的工作有待加强，", "三是宣传思想政治工作还需进一步加强。"]
    assert [x["text"] for x in p["causes"]] == ["一是对意识形态工作缺乏全面深刻理解把握，", "二是对宣传思想政治工作新方法、新手段不多。"]
    # 文化需求 has no measure; the others have one; both causes match a problem.
    assert [bool(x["matched_by"]) for x in p["problems"]] == [True, False, True]
    assert p["unmatched_causes"] == 0
    assert [x["line"] for x in p["measures"]] == [27, 28, 29, 30]


def test_a_cause_that_explains_no_problem_is_listed(spec):
    text = "\n".join([*HEAD[:7], "三、原因分析", "一是网评员队伍配备不足，专职人员缺乏。二是重视程度不够。", *HEAD[7:], NETWORK_MEASURE])
    verdict = check(text, spec)
    causes = verdict["pairing"]["causes"]
    assert [(c["line"], c["theme"], bool(c["matched_by"])) for c in causes] == [(9, "队伍建设", False), (9, None, True)]
    assert causes[0]["guides"] == [{"label": "写作指南：队伍建设 · 存在问题", "url": "guides/team-problems/"}]
    assert verdict["gaps"].count("unmatched-cause") == 1
    assert "  ✘ 原因（队伍建设，第 9 行）：一是网评员队伍配备不足，专职人员缺乏。\n" in format_verdict(verdict)


def test_no_problem_part_means_nothing_to_pair(spec):
    verdict = check("某单位意识形态工作总结\n一、工作情况\n落实网评员队伍。", spec)
    assert verdict["pairing"]["problems"] == [] and "unmatched-problem" not in verdict["gaps"]
    assert "  ✘ 未找到“存在问题”部分，无法核对问题与措施\n" in format_verdict(verdict)


# ---------------------------------------------------------------- evidence needs every notion


def test_religion_and_position_management_do_not_meet_the_one_meeting_one_report_requirement(spec):
    text = "某单位工作总结\n一、工作情况\n加强对宗教事务管理，抓好意识形态阵地管理。"
    verdict = check(text, spec)
    assert not requirement(verdict, "R23")["addressed"]
    assert requirement(verdict, "R31")["addressed"]  # the patrol of positions is its own requirement
    verdict = check(text + "\n举办讲座、论坛严格落实“一会一报”制度。", spec)
    assert requirement(verdict, "R23")["matches"] == [{"line": 4, "text": "一会一报"}]


@pytest.mark.parametrize("line, met", [
    ("严格实行发布信息领导审批制度。", False),
    ("把好政治关、政策关。", False),
    ("完善财务审核制度。", False),
    ("严格执行微信公众号“三审制”。", True),
    ("对外发布的信息先由分管领导审核，再由主要领导终审。", True),
    ("坚持信息发布联审制度。", True),
])
def test_the_review_requirement_needs_a_review_procedure_for_what_is_published(spec, line, met):
    assert requirement(check(f"标题\n{line}", spec), "R20")["addressed"] is met


def test_all_of_groups_are_checked_by_the_schema(tmp_path):
    bad = tmp_path / "requirements.yml"
    bad.write_text(
        "requirements:\n"
        "  - {id: R01, theme: 网络阵地, title: a, statement: b, source: c, evidence_patterns: ['三审'],\n"
        "     all_of: [[], ['(?<=x)y'], '发布']}\n"
        "checker: {parts: [], placeholders: [], formulas: []}\n",
        encoding="utf-8",
    )
    with pytest.raises(DataFileError) as info:
        load_requirements(bad, TAXONOMY)
    message = str(info.value)
    for key in ("requirements[0].all_of[0]", "requirements[0].all_of[1][0]", "requirements[0].all_of[2]"):
        assert key in message, key


# ---------------------------------------------------------------- placeholders, empty drafts


def test_placeholders_are_shown_in_their_sentence_grouped_by_line(spec):
    text = "标题\n" + "\n" * 3 + "一、工作情况\n上半年开展学习X次。共发放宣传资料X份，覆盖X个村。此后再无其他事项需要说明的内容。"
    verdict = check(text, spec)
    items = verdict["placeholders"]["items"]
    assert [(i["line"], i["text"], i["sentence"]) for i in items] == [
        (6, "X次", "上半年开展学习X次。……"),
        (6, "X份", "……共发放宣传资料X份，覆盖X个村。……"),
        (6, "X个", "……共发放宣传资料X份，覆盖X个村。……"),
    ]
    assert "  ✘ 第 6 行：上半年开展学习X次。……　……共发放宣传资料X份，覆盖X个村。……\n" in format_verdict(verdict)


def test_a_long_sentence_is_cut_around_the_placeholder(spec):
    line = "甲" * 40 + "发放宣传资料X份" + "乙" * 40
    (item,) = check("标题\n" + line, spec)["placeholders"]["items"]
    assert item["sentence"] == "……" + "甲" * 18 + "发放宣传资料X份" + "乙" * 24 + "……"


def test_an_empty_draft_gets_one_line_and_no_lists(tmp_path, spec, spec_file):
    draft = tmp_path / "空.txt"
    draft.write_text(" \n\u3000\n", encoding="utf-8")
    result = kb_check(str(draft), "--spec", str(spec_file))
    assert (result.returncode, result.stdout, result.stderr) == (1, EMPTY_MESSAGE + "\n", "")
    verdict = json.loads(kb_check(str(draft), "--json", "--spec", str(spec_file)).stdout)
    assert verdict["gaps"] == ["empty-draft"]
    assert verdict["requirements"] == [] and verdict["themes"] == [] and verdict["pairing"]["problems"] == []


# ---------------------------------------------------------------- the spec kept between checks


def test_a_built_spec_is_kept_and_read_back_until_an_input_changes(tmp_path, spec):
    sources = tmp_path / "sources"
    shutil.copytree(ROOT / "sources", sources)
    draft = tmp_path / "草稿.txt"
    draft.write_text(NO_MEASURE, encoding="utf-8")
    first = kb_check(str(draft), "--json", "--sources", str(sources))
    assert first.returncode == 1, first.stderr
    kept = list((tmp_path / ".kb-cache" / "checker").glob("*.json"))
    assert len(kept) == 1
    assert json.loads(kept[0].read_text(encoding="utf-8")) == spec
    # Read back: a spec changed in the cache shows in the verdict, so it was not rebuilt.
    changed = dict(spec, gap_codes=[g for g in spec["gap_codes"] if g != "unmatched-problem"])
    kept[0].write_text(json.dumps(changed, ensure_ascii=False), encoding="utf-8")
    second = json.loads(kb_check(str(draft), "--json", "--sources", str(sources)).stdout)
    assert "unmatched-problem" not in second["gaps"]
    # A damaged file is rebuilt; a changed source is a new fingerprint and a new build.
    kept[0].write_text("{", encoding="utf-8")
    assert json.loads(kb_check(str(draft), "--json", "--sources", str(sources)).stdout) == json.loads(first.stdout)
    (sources / "000_4923fc270289bbc6.txt").unlink()
    third = kb_check(str(draft), "--json", "--sources", str(sources))
    assert json.loads(third.stdout)["length"]["reports"] == spec["length"]["reports"] - 1
    assert [p.name for p in (tmp_path / ".kb-cache" / "checker").glob("*.json")] != [kept[0].name]


ROLE_LABELS = "\n".join([
    "某单位2024年上半年意识形态工作总结",
    "一、工作情况",
    "落实网评员队伍建设。",
    "二、存在的问题及原因",
    "（一）存在问题",
    "1.网评员队伍力量不足。",
    "2.理论学习不够深入。",
    "（二）原因分析",
    "1.思想认识不到位。",
    "三、下一步措施",
    "（一）针对学习不足的问题",
    "1.深化理论学习，抓好中心组学习。",
    "2.配强网评员队伍。",
])


def test_role_labels_under_one_part_open_parts_of_their_own(spec):
    p = check(ROLE_LABELS, spec)["pairing"]
    assert [(x["line"], x["text"]) for x in p["problems"]] == [(6, "1.网评员队伍力量不足。"), (7, "2.理论学习不够深入。")]
    assert [(x["line"], x["matched_by"]) for x in p["causes"]] == [(9, [6, 7])]
    # A long heading that mentions a problem is an item of the measures, not a part of problems.
    assert [x["line"] for x in p["measures"]] == [11]
    assert [x["matched_by"] for x in p["problems"]] == [[11], [11]]
