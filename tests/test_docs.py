"""The README stays true: its commands, its problem codes."""

from __future__ import annotations

import re

from helpers import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _code_blocks() -> list[str]:
    return re.findall(r"```bash\n(.*?)\n```", README, flags=re.S)


def test_readme_starts_with_the_two_commands():
    serve, test = _code_blocks()[:2]
    assert "requirements.txt" in serve and "mkdocs serve" in serve
    assert "requirements.txt" in test and "pytest" in test


def test_ci_runs_exactly_the_readme_test_command():
    test_command = _code_blocks()[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command in ci.splitlines()


def test_every_problem_code_is_documented():
    codes = set()
    for path in sorted((ROOT / "scripts" / "reportkb").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        codes |= set(re.findall(r'(?:INFO|WARNING|ERROR),\s*"([a-z][a-z-]+)"', source))
        codes |= set(re.findall(r'refuse\(\s*"([a-z][a-z-]+)"', source))
        codes |= set(re.findall(r'IngestError\(\s*"([a-z][a-z-]+)"', source))
    assert len(codes) >= 10
    missing = sorted(c for c in codes if f"`{c}`" not in README)
    assert missing == []
