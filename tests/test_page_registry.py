"""The page registry: every family declares its folders once, and keeps to them."""

from __future__ import annotations

from dataclasses import replace
from pathlib import PurePosixPath

import pytest

from reportkb.config import Settings
from reportkb.pages.family import Context
from reportkb.pages.registry import FAMILIES, OWNED_FOLDERS, SHARED_FOLDERS
from reportkb.pipeline import build

from helpers import ROOT


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, dict]:
    """Each family's output on the sample corpus, rendered in registry order as the pipeline does."""
    settings = Settings(sources=ROOT / "sources", docs=tmp_path_factory.mktemp("docs"))
    built = build(settings)
    context = Context(index=built.index, taxonomy=built.index.taxonomy, data=settings.data, problems=built.problems)
    out, appendices = {}, {}
    for family in FAMILIES:
        result = family.render(replace(context, appendices=dict(appendices)))
        out[family.name] = result
        for rid, parts in result.appendices.items():
            appendices[rid] = appendices.get(rid, ()) + parts
    out["_built"] = built
    return out


def test_gitignore_lists_every_declared_folder():
    lines = set((ROOT / ".gitignore").read_text(encoding="utf-8").splitlines())
    assert OWNED_FOLDERS, "no family declares a folder"
    missing = [folder for folder in OWNED_FOLDERS if f"/docs/{folder}/" not in lines]
    assert not missing, f".gitignore lacks {missing}"


def test_owned_folders_are_exactly_the_declared_ones():
    declared = {folder for family in FAMILIES for folder in family.folders}
    assert set(OWNED_FOLDERS) == declared
    assert len(OWNED_FOLDERS) == len(declared)


def test_families_share_only_the_shared_folders():
    owners: dict[str, list[str]] = {}
    for family in FAMILIES:
        assert len(set(family.folders)) == len(family.folders), family.name
        for folder in family.folders:
            owners.setdefault(folder, []).append(family.name)
    shared = {folder for folder, names in owners.items() if len(names) > 1}
    assert shared <= set(SHARED_FOLDERS), {f: owners[f] for f in shared}
    assert len({family.name for family in FAMILIES}) == len(FAMILIES)


def test_every_page_lies_in_its_familys_folders(rendered):
    seen = 0
    for family in FAMILIES:
        for path in rendered[family.name].pages:
            seen += 1
            assert PurePosixPath(path).parts[0] in family.folders, (family.name, path)
    assert seen == len(rendered["_built"].pages) > 0


def test_no_two_families_render_the_same_path(rendered):
    owner: dict[str, str] = {}
    for family in FAMILIES:
        for path in rendered[family.name].pages:
            assert path not in owner, f"{path}: {owner.get(path)} and {family.name}"
            owner[path] = family.name
    assert set(owner) == set(rendered["_built"].pages)  # the pipeline writes exactly these


def test_every_family_renders_on_the_sample(rendered):
    for family in FAMILIES:
        assert rendered[family.name].pages, f"{family.name} rendered nothing on the sample corpus"


def test_nav_of_each_family_points_into_its_folders(rendered):
    for family in FAMILIES:
        for key, section in rendered[family.name].nav.items():
            assert key.rstrip("/") in family.folders, (family.name, key)
            for target in _targets(section):
                assert PurePosixPath(target).parts[0] in family.folders, (family.name, target)
                assert target in rendered[family.name].pages, (family.name, target)


def _targets(section: list) -> list[str]:
    out = []
    for item in section:
        for value in item.values():
            out += _targets(value) if isinstance(value, list) else [value]
    return out
