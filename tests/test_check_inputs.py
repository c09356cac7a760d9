"""kb.py check on inputs that are not a draft or not a spec: a Chinese message naming the file, exit 2, no traceback.

Real folders, FIFOs, sparse files over the size cap and damaged checker.json
files; the FIFO cases run in a real process with a timeout, since opening a
FIFO for reading blocks until someone writes.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import kb
from reportkb.stages.ingest import MAX_FILE_BYTES, MAX_TEXT_BYTES

from helpers import ROOT

KB = [sys.executable, str(ROOT / "scripts" / "kb.py")]


@pytest.fixture()
def spec_file(spec, tmp_path) -> Path:
    path = tmp_path / "checker.json"
    path.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture()
def draft(tmp_path) -> Path:
    path = tmp_path / "草稿.txt"
    path.write_text("某县2024年意识形态工作自查报告\n一、工作情况\n配齐网评员队伍。", encoding="utf-8")
    return path


def check(capsys, *args: str) -> tuple[int, str, str]:
    code = kb.main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def refused(result: tuple[int, str, str]) -> str:
    """The one error line of a refused input (and that nothing else was printed)."""
    code, out, err = result
    assert (code, out) == (2, ""), err
    assert err.startswith("错误：") and "Traceback" not in err, err
    return err


# ---------------------------------------------------------------- the draft


def test_a_folder_is_named_as_a_folder(capsys, tmp_path, spec_file):
    folder = tmp_path / "草稿目录.txt"
    folder.mkdir()
    err = refused(check(capsys, str(folder), "--spec", str(spec_file)))
    assert err == f"错误：草稿文件 {folder} 是一个文件夹，不是普通文件：请给出一个 .txt 或 .docx 文件。\n"


@pytest.mark.parametrize("name", ["管道.txt", "管道.docx", "管道"])
def test_a_fifo_is_named_as_a_fifo_and_never_opened(tmp_path, spec_file, name):
    fifo = tmp_path / name
    os.mkfifo(fifo)
    # Nobody writes to the FIFO: a program that opened it would hang until the timeout.
    result = subprocess.run([*KB, "check", str(fifo), "--spec", str(spec_file)], capture_output=True, text=True, timeout=120)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"错误：草稿文件 {fifo} 是一个命名管道（FIFO），不是普通文件：请给出一个 .txt 或 .docx 文件。\n"


def test_a_link_to_a_folder_is_a_folder_and_a_broken_link_is_missing(capsys, tmp_path, spec_file):
    (tmp_path / "d").mkdir()
    (tmp_path / "到目录.txt").symlink_to(tmp_path / "d")
    (tmp_path / "断链.txt").symlink_to(tmp_path / "无此文件.txt")
    assert "是一个文件夹" in refused(check(capsys, str(tmp_path / "到目录.txt"), "--spec", str(spec_file)))
    assert refused(check(capsys, str(tmp_path / "断链.txt"), "--spec", str(spec_file))) == f"错误：找不到草稿文件 {tmp_path}/断链.txt。\n"


@pytest.mark.parametrize("name, limit", [("大.txt", MAX_TEXT_BYTES), ("大.md", MAX_TEXT_BYTES), ("大.docx", MAX_FILE_BYTES)])
def test_a_draft_over_the_size_cap_is_refused_with_its_size(capsys, tmp_path, spec_file, name, limit):
    big = tmp_path / name
    with big.open("wb") as f:
        f.truncate(limit + 1)  # sparse: costs no disk
    err = refused(check(capsys, str(big), "--spec", str(spec_file)))
    size, mb = f"{(limit + 1) / 1024 / 1024:.1f} MB", limit // 1024 // 1024
    assert err == f"错误：草稿文件 {big} 过大（{size}，上限 {mb} MB），未读取：一篇报告通常不足 1 MB，请检查是否给错了文件。\n"


def test_a_draft_at_the_size_cap_is_read(capsys, tmp_path, spec_file):
    text = ("某县意识形态工作报告\n" + "配齐网评员队伍。\n" * (MAX_TEXT_BYTES // 25))
    data = text.encode("utf-8")[:MAX_TEXT_BYTES]
    data = data[: data.rindex(b"\n")]
    path = tmp_path / "刚好.txt"
    path.write_bytes(data)
    assert path.stat().st_size <= MAX_TEXT_BYTES
    code, out, err = check(capsys, str(path), "--json", "--spec", str(spec_file))
    assert (code, err) == (1, "")
    assert json.loads(out)["length"]["verdict"] == "long"


def test_an_unsupported_format_names_the_suffix(capsys, tmp_path, spec_file):
    pdf = tmp_path / "草稿.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    assert refused(check(capsys, str(pdf), "--spec", str(spec_file))) == "错误：不支持的草稿格式 .pdf：请提供 .txt 或 .docx 文件。\n"


# ---------------------------------------------------------------- --sources


def test_a_missing_sources_folder_is_an_error_not_zero_examples(capsys, tmp_path, draft):
    missing = tmp_path / "没有的目录"
    err = refused(check(capsys, str(draft), "--sources", str(missing)))
    assert err == (f"错误：找不到范例报告目录 {missing}：请用 --sources 指定放有报告的目录，"
                   "或用 --spec 指定已生成的 data/checker.json。\n")


def test_a_file_given_as_sources_is_not_a_folder(capsys, draft):
    assert refused(check(capsys, str(draft), "--sources", str(draft))) == (
        f"错误：范例报告目录 {draft} 不是文件夹：请用 --sources 指定放有报告的目录，或用 --spec 指定已生成的 data/checker.json。\n")


def test_a_sources_folder_without_reports_is_an_error(capsys, tmp_path, draft):
    empty = tmp_path / "空目录"
    empty.mkdir()
    (empty / "说明.md").write_text("不是报告", encoding="utf-8")
    err = refused(check(capsys, str(draft), "--sources", str(empty)))
    assert err.startswith(f"错误：范例报告目录 {empty} 中没有可用的报告，无法与范例比较")


# ---------------------------------------------------------------- --spec


def damaged(spec: dict) -> dict[str, tuple[bytes, str]]:
    """name → (file content, what the message must say)."""
    def variant(change) -> bytes:
        data = copy.deepcopy(spec)
        change(data)
        return json.dumps(data, ensure_ascii=False).encode("utf-8")

    keywords = "checker.json.themes[0].keywords[0]"
    return {
        "not-json": (b"<html>not json</html>", "不是有效的 JSON"),
        "truncated": (json.dumps(spec).encode()[:5000], "不是有效的 JSON"),
        "not-utf8": ("{\"规则\": 1}".encode("gb18030"), "不是有效的 JSON"),
        "a-list": (b"[1, 2, 3]", "checker.json 应为对象"),
        "empty-object": (b"{}", "checker.json 缺少字段 schema"),
        "other-schema": (variant(lambda d: d.update(schema=99)), "格式版本是 99，本程序需要 2"),
        "no-themes": (variant(lambda d: d.pop("themes")), "checker.json 缺少字段 themes"),
        "themes-text": (variant(lambda d: d.update(themes="网络")), "checker.json.themes 应为列表"),
        "bad-keyword": (variant(lambda d: d["themes"][0]["keywords"].__setitem__(0, ["网评员"])), f"{keywords} 应为 2 项的列表"),
        "weight-text": (variant(lambda d: d["themes"][0]["keywords"][0].__setitem__(1, "2")), f"{keywords}[1] 应为数字"),
        "no-patterns": (variant(lambda d: d["requirements"][3].pop("patterns")), "checker.json.requirements[3] 缺少字段 patterns"),
        "length-null": (variant(lambda d: d.update(length=None)), "checker.json.length 应为对象"),
        "empty-variant": (variant(lambda d: d["formulas"][0]["variants"].append("")),  # would match everywhere, forever
                          "checker.json.formulas[0] 的 standard 或 variants 中有空字符串"),
        "bad-regex": (variant(lambda d: d["requirements"][2]["patterns"].append("(未闭合")),
                      "checker.json.requirements[2].patterns["),
    }


def test_a_damaged_spec_is_refused_with_the_field_that_is_wrong(capsys, tmp_path, spec, draft):
    for name, (content, said) in damaged(spec).items():
        path = tmp_path / f"{name}.json"
        path.write_bytes(content)
        err = refused(check(capsys, str(draft), "--spec", str(path)))
        assert f"规则文件 {path} " in err and said in err, (name, err)
    assert "不是有效的正则表达式" in err


@pytest.mark.parametrize("kind", ["missing", "folder", "fifo"])
def test_a_spec_that_is_not_a_file(tmp_path, draft, kind):
    path = tmp_path / "checker.json"
    if kind == "folder":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    result = subprocess.run([*KB, "check", str(draft), "--spec", str(path)], capture_output=True, text=True, timeout=120)
    assert (result.returncode, result.stdout) == (2, "")
    said = {"missing": f"错误：找不到规则文件 {path}。\n",
            "folder": f"错误：规则文件 {path} 是一个文件夹，不是普通文件：请给出 kb.py generate 生成的 docs/data/checker.json。\n",
            "fifo": f"错误：规则文件 {path} 是一个命名管道（FIFO），不是普通文件：请给出 kb.py generate 生成的 docs/data/checker.json。\n"}
    assert result.stderr == said[kind]


def test_the_real_spec_passes_the_contract(capsys, spec_file, draft):
    code, out, err = check(capsys, str(draft), "--spec", str(spec_file))
    assert (code, err) == (1, "")
    assert out.startswith(f"自查清单：{draft}\n")
