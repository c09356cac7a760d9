"""kb.py's whole output, compared exactly: stdout, stderr and exit code of real processes.

The checker runs against a tiny hand-written spec so that the full checklist
fits in the test; generation runs on a tiny sources folder. File names with
ESC and a newline show that names reach the terminal as visible escapes.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest

from reportkb.checker.contract import GAP_CODES, GAP_NAMES, spec_errors

from helpers import ROOT, copy_project

KB = [sys.executable, str(ROOT / "scripts" / "kb.py")]

TINY_SPEC = {
    "schema": 2,
    "fold": {"網": "网", "評": "评", "員": "员"},
    "gap_names": GAP_NAMES,
    "title": {"max_chars": 40, "cues": ["报告"]},
    "heading_levels": ["^[一二三四五六七八九十]+、"],
    "heading_max_chars": 20,
    "roles": [{"name": "存在问题", "cues": ["问题"]}],
    "default_role": "工作情况",
    "parts": [{"label": "工作情况", "role": "工作情况"}, {"label": "存在问题", "role": "存在问题"}],
    "themes": [{"name": "网络阵地", "keywords": [["网评员", 2]]}],
    "theme_min_score": 2,
    "requirements": [{
        "id": "R1", "theme": "网络阵地", "title": "建设网评员队伍", "statement": "配齐网评员。", "source": "某文件",
        "patterns": ["网评员"], "all_of": [], "page": "requirements/network/#r1",
        "exemplars": [{"report": "a", "title": "某县报告", "section": "一、工作情况", "line": 3,
                       "url": "reports/a/#s1", "excerpt": "配齐网评员队伍。"}],
    }],
    "pairing": {
        "problem_role": "存在问题", "cause_role": "原因分析", "measure_role": "下一步措施", "cause_cues": ["原因"],
        "numerals": "一二三四五六七八九十", "marker": "([一二三四五六七八九十])是|第([一二三四五六七八九十])[,、]",
        "min_theme_score": 2, "min_term_weight": 1, "excerpt_chars": 60, "role_label_max_chars": 8,
        "help": [{"theme": "", "kind": "problem", "guides": [{"label": "写法：下一步措施", "url": "roles/next-steps/"}],
                  "exemplars": [{"report": "a", "title": "某县报告", "section": "三、下一步", "line": 9,
                                 "url": "reports/a/#s3", "excerpt": "配强网评员队伍。"}]}],
    },
    "placeholders": [{"label": "星号", "pattern": "\\*{2,}"}],
    "formulas": [{"standard": "一岗双责", "variants": ["一岗两责"], "allowed": []}],
    "protected_forms": ["一岗双责"],
    "near_miss_min_chars": 4,
    "max_items": 100,
    "matches_per_requirement": 3,
    "gap_codes": list(GAP_CODES),
    "length": {"reports": 2, "min": 10, "median": 20, "max": 30, "short_below": 10, "long_above": 30},
}

CHECK_USAGE = "用法: kb.py check [-h] [--json] [--spec 文件] [--sources 目录] 草稿\n"
GENERATE_USAGE = ("用法: kb.py generate [-h] [--sources 目录] [--docs 目录] [--cache 目录] [--no-cache]\n"
                  "                   [-j N] [--strict] [-q]\n")


def kb(*args: str, cwd: Path | None = None) -> tuple[int, str, str]:
    result = subprocess.run([*KB, *args], capture_output=True, text=True, timeout=300, cwd=cwd)
    return result.returncode, result.stdout, result.stderr


@pytest.fixture()
def spec_file(tmp_path) -> Path:
    assert spec_errors(TINY_SPEC) == []  # the fixture is itself a valid spec
    path = tmp_path / "checker.json"
    path.write_text(json.dumps(TINY_SPEC, ensure_ascii=False), encoding="utf-8")
    return path


# ---------------------------------------------------------------- check


def test_check_of_an_empty_draft_prints_one_line(tmp_path, spec_file):
    draft = tmp_path / "empty.txt"
    draft.write_bytes(b"")
    assert kb("check", str(draft), "--spec", str(spec_file)) == (1, "草稿为空：请先粘贴或写入报告全文，再检查。\n", "")


def test_check_escapes_control_characters_in_the_name_and_the_draft(tmp_path, spec_file):
    draft = tmp_path / "草稿\x1b[2J\n伪造.txt"
    lines = ["某县意识形态工作报告", "一、工作情况", "配齐網評員，落实一岗两责。", "二、存在问题\x07", "\x1b[31m还有**未填。"]
    draft.write_text("\n".join(lines), encoding="utf-8")
    code, out, err = kb("check", str(draft), "--spec", str(spec_file))
    assert (code, err) == (1, "")
    assert "\x1b" not in out and "\x07" not in out
    assert out == f"""自查清单：{tmp_path}/草稿\\x1b[2J\\n伪造.txt

一、结构
  ✔ 标题（第 1 行）：某县意识形态工作报告
  ✔ 工作情况（第 2 行）：工作情况
  ✔ 存在问题（第 4 行）：存在问题\\x07
  共识别编号标题 2 个。

二、主题
  ✔ 网络阵地（得分 2）：网评员×1

三、要求（已回应 1/1）
  ✔ R1 建设网评员队伍：第 3 行“網評員”

四、问题与措施（1 个问题中 1 个未找到对应措施；0 条原因中 0 条未对应问题）
  ✘ 问题（第 5 行）：\\x1b[31m还有**未填。
      下一步措施中没有与之对应的措施
      参考：写法：下一步措施 → roles/next-steps/
      范例：某县报告 · 三、下一步 → reports/a/#s3
            配强网评员队伍。

五、未填写的占位符（1 处）
  ✘ 第 5 行：\\x1b[31m还有**未填。

六、规范表述（1 处可能写得不规范）
  ✘ 第 3 行：“一岗两责”应为“一岗双责”

七、篇幅
  ✘ 中文字数 35，明显偏长（范例 2 篇，中位数 20，常见范围 10–30）

结论：待完善——有问题没有对应的整改措施（unmatched-problem）；有未填写的占位符（placeholder）；有规范表述写法不规范（formula-variant）；篇幅明显偏长（length-long）
"""


def test_check_json_is_the_verdict_with_its_schema(tmp_path, spec_file):
    draft = tmp_path / "d.txt"
    draft.write_text("一、工作情况\n配齐网评员。", encoding="utf-8")
    code, out, err = kb("check", str(draft), "--json", "--spec", str(spec_file))
    assert (code, err) == (1, "")
    verdict = json.loads(out)
    assert out == json.dumps(verdict, ensure_ascii=False, sort_keys=True, indent=1) + "\n"
    assert verdict["gaps"] == ["no-title", "missing-part"]
    assert verdict["requirements"][0]["matches"] == [{"line": 2, "text": "网评员"}]


def test_check_of_a_missing_file(tmp_path, spec_file):
    assert kb("check", str(tmp_path / "无.txt"), "--spec", str(spec_file)) == (2, "", f"错误：找不到草稿文件 {tmp_path}/无.txt。\n")


def test_check_of_a_damaged_word_file_names_it(tmp_path, spec_file):
    draft = tmp_path / "坏.docx"
    draft.write_bytes(b"not a zip at all")
    code, out, err = kb("check", str(draft), "--spec", str(spec_file))
    assert (code, out) == (2, "")
    assert err.startswith(f"错误：草稿文件 {draft}：") and err.endswith("\n") and err.count("\n") == 1, err


@pytest.mark.parametrize("args, err", [
    (("check",), CHECK_USAGE + "kb.py check: 错误: 缺少必需的参数: 草稿\n"),
    (("check", "a.txt", "--spec"), CHECK_USAGE + "kb.py check: 错误: 参数 --spec: 需要一个值\n"),
    (("check", "a.txt", "b.txt"), "用法: kb.py [-h] 命令 ...\nkb.py: 错误: 无法识别的参数: b.txt\n"),
    ((), "用法: kb.py [-h] 命令 ...\nkb.py: 错误: 缺少必需的参数: 命令\n"),
    (("gen",), "用法: kb.py [-h] 命令 ...\nkb.py: 错误: 参数 命令: 无效的选择: 'gen'"
               "（可选: 'generate', 'add', 'check', 'outline', 'compare'）\n"),
    (("generate", "-j", "0"), GENERATE_USAGE + "kb.py generate: 错误: 参数 -j/--jobs: 应为正整数，而不是 '0'\n"),
    (("generate", "--no-cache=3"), GENERATE_USAGE + "kb.py generate: 错误: 参数 --no-cache: 此选项不接受值: '3'\n"),
    (("add",), "用法: kb.py add [-h] [--sources 目录] [--strict] [-q] 文件 [文件 ...]\nkb.py add: 错误: 缺少必需的参数: 文件\n"),
])
def test_usage_errors_are_chinese_with_the_usage_line(args, err):
    assert kb(*args) == (2, "", err)


def test_help_has_chinese_headings_only():
    assert kb("--help") == (0, """用法: kb.py [-h] 命令 ...

意识形态工作报告知识库：把 sources/ 中的报告生成可检索的 MkDocs 站点页面。

命令:
  命令
    generate  由 sources/ 生成知识库页面（只写入有变化的文件）
    add       把报告文件复制进 sources/（安全文件名，拒绝完全重复，提示近似重复）
    check     按自查清单检查草稿（结构、主题、要求、问题与措施、占位符、规范表述、篇幅）
    outline   生成推荐提纲（Word 文件，按党政机关公文格式排版）
    compare   对比两篇报告（提纲对照、新增与不再出现的问题和措施、逐字相同的句子）

选项:
  -h, --help  显示本帮助并退出
""", "")
    code, out, err = kb("check", "--help")
    assert (code, err) == (0, "")
    assert out.startswith(CHECK_USAGE + "\n检查一份草稿")
    assert "\n位置参数:\n  草稿 " in out and "\n选项:\n  -h, --help    显示本帮助并退出\n  --json " in out


# ---------------------------------------------------------------- generate


def tiny_sources(folder: Path) -> Path:
    folder.mkdir()
    (folder / "某县2024年上半年意识形态工作自查报告.txt").write_text(
        "某县2024年上半年意识形态工作自查报告\n一、工作情况\n我们认真落实意识形态工作责任制。\n二、存在问题\n学习不够深入。\n三、下一步打算\n继续加强。\n",
        encoding="utf-8")
    (folder / "报告\x1b[2J\n伪造行.txt").write_text(
        "一、工作情况\n我们认真落实意识形态工作责任制，开展学习。\n二、存在问题\n学习不够深入。\n", encoding="utf-8")
    return folder


def test_generate_on_a_tiny_sources_folder(tmp_path):
    sources, docs = tiny_sources(tmp_path / "sources"), tmp_path / "docs"
    code, out, err = kb("generate", "--sources", str(sources), "--docs", str(docs))
    pages = sum(1 for p in docs.rglob("*") if p.is_file() and not p.name.startswith("."))
    assert (code, err) == (0, "")
    assert out == f"""已生成 2 篇报告（2 个文件）。
页面：新增 {pages}，更新 0，删除 0，未变 0。

问题（1 条：提示 1；涉及 1 个文件，按文件分组）：
  报告\\x1b[2J\\n伪造行.txt
    [提示] 第 1 行：未找到标题行，已推断标题“意识形态工作报告”。如需准确标题，请在文件第一行写上报告标题。
"""
    code, out, err = kb("generate", "--quiet", "--strict", "--sources", str(sources), "--docs", str(docs))
    assert (code, out, err) == (0, "", "")  # info only: nothing to say under --quiet, nothing to fail --strict


def test_generate_without_a_sources_folder(tmp_path):
    missing = tmp_path / "没有\x1b]0;标题\x07"
    assert kb("generate", "--sources", str(missing), "--docs", str(tmp_path / "docs")) == (
        2, "", f"错误：找不到报告目录 {tmp_path}/没有\\x1b]0;标题\\x07。请创建该目录并放入 .txt 或 .docx 报告。\n")


def test_add_prints_the_given_name_escaped_and_the_safe_name(tmp_path):
    given = tmp_path / "报告\x1b[2J\n伪造.txt"
    given.write_text("某县2024年意识形态工作自查报告\n一、工作情况\n我们认真落实意识形态工作责任制。\n", encoding="utf-8")
    (tmp_path / "sources").mkdir()
    shown = f"{tmp_path}/报告\\x1b[2J\\n伪造.txt"
    assert kb("add", str(given), "--sources", str(tmp_path / "sources")) == (0, f"""已添加：{shown} → sources/报告_[2J_伪造.txt
请运行 python scripts/kb.py generate 更新站点。

问题（1 条：提示 1；涉及 1 个文件，按文件分组）：
  {shown}
    [提示] 整个文件：已改名为 报告_[2J_伪造.txt（去除了不宜用作文件名的字符，或避免与已有文件重名）。
""", "")
    assert [p.name for p in (tmp_path / "sources").iterdir()] == ["报告_[2J_伪造.txt"]


def test_generate_with_a_file_as_sources(tmp_path):
    (tmp_path / "sources").write_text("", encoding="utf-8")
    assert kb("generate", "--sources", str(tmp_path / "sources"), "--docs", str(tmp_path / "docs")) == (
        2, "", f"错误：报告目录 {tmp_path}/sources 不是文件夹：请用 --sources 指定放有报告的目录。\n")


def test_mkdocs_hook_logs_names_escaped(tmp_path, caplog):
    from mkdocs.config import load_config

    from reportkb.cli.mkdocs_hook import on_config

    project = copy_project(tmp_path / "p", tiny_sources(tmp_path / "sources"))
    config = load_config(str(project / "mkdocs.yml"))
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.reportkb"):
        on_config(config)
    lines = [r.getMessage() for r in caplog.records if r.name == "mkdocs.plugins.reportkb"]
    assert "报告\\x1b[2J\\n伪造行.txt:1: 未找到标题行，已推断标题“意识形态工作报告”。如需准确标题，请在文件第一行写上报告标题。" in lines
    assert not any("\x1b" in line or "\n" in line for line in lines)
