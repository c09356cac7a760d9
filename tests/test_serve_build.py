"""`mkdocs serve`: one dropped report is one build, and generation's own writes never start another.

A real ``mkdocs serve`` process on a copy of the sample project; builds are
counted from its log. Waits are generous bounds on conditions, not timings.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path

from reportkb.testing.serve import builds, get, mkdocs_serve, settle, wait_until

from helpers import copy_project

TITLE = "河西街道党工委2024年上半年意识形态工作总结"
NEW_REPORT = f"{TITLE}\n一、主要做法\n1.压实责任。召开专题会议2次，研判网络舆情。\n2.网评员队伍建设。设立网评员5人。\n"
WAIT = 600.0
QUIET = 5.0
"""Seconds with an unchanged log and no build running after which the server has settled."""


def _wait(predicate) -> bool:
    return wait_until(predicate, WAIT)


def _settle(log: Path) -> bool:
    return settle(log, QUIET, WAIT)


@contextlib.contextmanager
def _served(tmp_path: Path) -> Iterator[tuple[Path, Path, str]]:
    """A copy of the sample project under mkdocs serve, its first build done: (project, log, base URL)."""
    project = copy_project(tmp_path / "p")
    log_path = tmp_path / "serve.log"
    with mkdocs_serve(project, log_path) as (_, base):
        assert _wait(lambda: get(f"{base}/reports/")[0] == 200), log_path.read_text(encoding="utf-8")
        assert _settle(log_path), log_path.read_text(encoding="utf-8")
        yield project, log_path, base


def test_a_dropped_report_is_one_build_and_every_page_it_affects_is_current(tmp_path):
    with _served(tmp_path) as (project, log_path, base):
        assert builds(log_path) == (1, 1)
        assert TITLE not in get(f"{base}/reports/")[1]

        (project / "sources" / "hexi-2024.txt").write_text(NEW_REPORT, encoding="utf-8")
        assert _wait(lambda: TITLE in get(f"{base}/reports/hexi-2024/")[1]), log_path.read_text(encoding="utf-8")
        assert _settle(log_path), "mkdocs serve keeps rebuilding:\n" + log_path.read_text(encoding="utf-8")
        # One build for the dropped report; its writes into docs/ start none.
        assert builds(log_path) == (2, 2), log_path.read_text(encoding="utf-8")
        # The pages it affects are current after that one build.
        assert TITLE in get(f"{base}/reports/")[1]
        corpus = json.loads(get(f"{base}/data/corpus.json")[1])
        assert "hexi-2024" in [r["id"] for r in corpus["reports"]]
        # The search data too: its small file counts the report, its text chunks hold it.
        search = json.loads(get(f"{base}/data/search.json")[1])
        assert len(search["reports"]) == len(corpus["reports"])
        chunks = range(-(-search["records"] // search["chunk"]))
        ids = {row[0] for n in chunks for row in json.loads(get(f"{base}/data/search/t{n}.json")[1])}
        assert "hexi-2024" in ids

        # A hand-written page is still watched: editing it is one more build.
        maintain = project / "docs" / "maintain.md"
        maintain.write_text(maintain.read_text(encoding="utf-8") + "\n本地修改的说明。\n", encoding="utf-8")
        assert _wait(lambda: "本地修改的说明" in get(f"{base}/maintain/")[1]), log_path.read_text(encoding="utf-8")
        assert _settle(log_path), log_path.read_text(encoding="utf-8")
        assert builds(log_path) == (3, 3), log_path.read_text(encoding="utf-8")


OLD_TITLE = "2023年上半年意识形态工作责任制落实情况自查报告"
NEW_YEAR_TITLE = "城南社区党支部2019年下半年意识形态工作总结"
NEW_YEAR_REPORT = f"{NEW_YEAR_TITLE}\n一、主要做法\n1.加强网络阵地管理。清理网络群组3个，网评员队伍常态化开展工作。\n"


def test_dirty_builds_render_again_what_a_report_changes_elsewhere(tmp_path):
    """Under --dirty, pages whose Markdown is unchanged still show a new year, a full tag listing, no removed report."""
    with _served(tmp_path) as (project, log_path, base):
        year_page = f"{base}/reports/years/2023/"
        assert "2019年" not in get(year_page)[1]

        dropped = project / "sources" / "chengnan-2019.txt"
        dropped.write_text(NEW_YEAR_REPORT, encoding="utf-8")
        assert _wait(lambda: NEW_YEAR_TITLE in get(f"{base}/reports/chengnan-2019/")[1]), log_path.read_text(encoding="utf-8")
        assert _settle(log_path), log_path.read_text(encoding="utf-8")
        assert builds(log_path) == (2, 2), log_path.read_text(encoding="utf-8")
        # The 2023 list did not change, but its navigation now lists 2019.
        assert "2019年" in get(year_page)[1]
        # The tag listing holds the new report and the reports not rendered in this build.
        listing = get(f"{base}/themes/")[1]
        assert NEW_YEAR_TITLE in listing and OLD_TITLE in listing
        assert "DIRTY" not in log_path.read_text(encoding="utf-8").upper().replace("--DIRTY", "")

        dropped.unlink()
        assert _wait(lambda: get(f"{base}/reports/chengnan-2019/")[0] == 404), log_path.read_text(encoding="utf-8")
        assert _settle(log_path), log_path.read_text(encoding="utf-8")
        assert "2019年" not in get(year_page)[1]
        assert NEW_YEAR_TITLE not in get(f"{base}/themes/")[1]
