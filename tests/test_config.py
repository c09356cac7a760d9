"""The data-file schemas: declared keys, defaults from the declarations, every mistake reported at once."""

from __future__ import annotations

import pytest
import yaml

from reportkb.config import DATA_DIR, PROJECT_ROOT, Taxonomy, Validator, load_formulas, load_noise_rules, load_requirements, load_taxonomy
from reportkb.config.formulas import FORMULA, FORMULAS_FILE
from reportkb.config.noise import LINE_RULES, NOISE_FILE, PATTERN_GROUP
from reportkb.config.requirements import CHECK_FORMULA, CHECKER, PART, PLACEHOLDER, REQUIREMENT, REQUIREMENTS_FILE
from reportkb.config.schema import REQUIRED, Field, declared
from reportkb.config.taxonomy import ROLE, SCORING, TAXONOMY_FILE, THEME
from reportkb.errors import DataFileError

TAXONOMY = load_taxonomy(DATA_DIR / "taxonomy.yml")

# How the declarations nest: (file, top-level fields, {key path: fields}); "[]" marks a list of mappings.
LAYOUT = [
    ("noise.yml", NOISE_FILE, {"head_block": PATTERN_GROUP, "tail_markers": PATTERN_GROUP, "line_rules": LINE_RULES,
                               "line_rules.rules[]": PATTERN_GROUP, "segment_rules[]": PATTERN_GROUP}),
    ("taxonomy.yml", TAXONOMY_FILE, {"scoring": SCORING, "themes[]": THEME, "roles[]": ROLE}),
    ("requirements.yml", REQUIREMENTS_FILE, {"requirements[]": REQUIREMENT, "checker": CHECKER, "checker.parts[]": PART,
                                             "checker.placeholders[]": PLACEHOLDER, "checker.formulas[]": CHECK_FORMULA}),
    ("formulas.yml", FORMULAS_FILE, {"formulas[]": FORMULA}),
]


def _problems(message: str) -> list[str]:
    return [line[4:] for line in message.splitlines() if line.startswith("  - ")]


def _error(load, path, *args) -> str:
    with pytest.raises(DataFileError) as info:
        load(path, *args)
    return str(info.value)


def test_project_root_is_the_folder_holding_scripts_and_data():
    assert (PROJECT_ROOT / "scripts" / "reportkb" / "config" / "schema.py").is_file()
    assert (DATA_DIR / "taxonomy.yml").is_file()


# ---------------------------------------------------------------- every mistake, with file and key


def test_a_taxonomy_with_several_mistakes_reports_each_once_with_its_key(tmp_path):
    bad = tmp_path / "taxonomy.yml"
    bad.write_text(
        "themes:\n"
        "  - {id: a, name: 甲, description: 说明, keywords: {网评员: 0}}\n"
        "  - 7\n"
        "  - {id: a, name: 乙, keywords: [网评员]}\n"
        "roles:\n"
        "  - {id: p, name: 存在问题, description: 说明, heading_cues: [问题, 3]}\n"
        "default_role: 不存在\n"
        "scoring: {min_score: 高, child_weight: true}\n",
        encoding="utf-8",
    )
    message = _error(load_taxonomy, bad)
    assert message.startswith(f"数据文件 '{bad}' 有误：\n")
    assert _problems(message) == [
        "themes[0].keywords.网评员: 权重应为正数，实际是 0",
        "themes[1]: 应为映射，实际是 int: 7",
        "themes[2].description: 缺少此项",
        "themes[2].keywords: 应为映射，实际是 list: ['网评员']",
        "themes.id: 重复: 'a'",
        "roles[0].heading_cues[1]: 应为字符串，实际是 int: 3",
        "default_role: 应为 roles 中的一个名称，实际是 '不存在'",
        "scoring.child_weight: 应为数字，实际是 bool: True",
        "scoring.min_score: 应为数字，实际是 str: '高'",
    ]


def test_a_noise_file_with_several_mistakes_reports_each_with_its_key(tmp_path):
    bad = tmp_path / "noise.yml"
    bad.write_text(
        "head_block: {reason: ' ', patterns: [订阅, '(']}\n"
        "line_rules:\n"
        "  max_chars: 六十\n"
        "  rules: [{reason: 网页导航}, 5]\n",
        encoding="utf-8",
    )
    assert _problems(_error(load_noise_rules, bad)) == [
        "tail_markers: 缺少此项",
        "head_block.reason: 不能为空",
        "head_block.patterns[1]: 正则表达式无效（missing ), unterminated subpattern at position 0）: '('",
        "line_rules.max_chars: 应为整数，实际是 str: '六十'",
        "line_rules.rules[0].patterns: 缺少此项",
        "line_rules.rules[1]: 应为映射，实际是 int: 5",
    ]


def test_a_section_of_the_wrong_kind_is_reported_once_not_with_each_missing_key(tmp_path):
    bad = tmp_path / "requirements.yml"
    bad.write_text(
        "requirements:\n"
        "  - {id: R01, theme: 责任落实, title: a, statement: b, source: c, evidence_patterns: ['网评员']}\n"
        "checker: [parts, placeholders]\n",
        encoding="utf-8",
    )
    assert _problems(_error(load_requirements, bad, TAXONOMY)) == ["checker: 应为映射，实际是 list: ['parts', 'placeholders']"]


def test_a_file_that_is_not_a_mapping_or_not_yaml_names_the_file(tmp_path):
    listed = tmp_path / "formulas.yml"
    listed.write_text("- 四个意识\n", encoding="utf-8")
    assert _error(load_formulas, listed) == f"数据文件 '{listed}' 有误：\n  - (根): 应为映射，实际是 list: ['四个意识']"
    broken = tmp_path / "noise.yml"
    broken.write_text("head_block: [\n", encoding="utf-8")
    assert _error(load_noise_rules, broken).startswith(f"数据文件 '{broken}' 不是有效的 YAML：\n")


def test_a_data_file_inside_the_project_is_named_by_its_project_path():
    message = _error(load_requirements, DATA_DIR / "requirements.yml", Taxonomy((), (), "", "", 1, 1, 1, 1))
    assert message.startswith("数据文件 'scripts/data/requirements.yml' 有误：\n")
    assert "requirements[0].theme: 应为 taxonomy.yml 中的主题名称之一（），实际是 '责任落实'" in message


# ---------------------------------------------------------------- defaults come from the declarations


def test_read_takes_absent_and_null_keys_from_the_declared_default(tmp_path):
    v = Validator(tmp_path / "x.yml")
    fields = (Field("limit", int, 7, "a limit"), Field("share", float, 0.25, "a share"), Field("name", str, REQUIRED, "a name"))
    assert v.read({"share": None, "name": "甲"}, fields, "top") == {"limit": 7, "share": 0.25, "name": "甲"}
    assert v.read({"share": 1, "name": "乙"}, fields, "top")["share"] == 1.0
    assert v.errors == []


def test_a_taxonomy_without_optional_keys_gets_the_declared_defaults(tmp_path):
    plain = tmp_path / "taxonomy.yml"
    plain.write_text(
        "themes: [{id: a, name: 甲, description: 说明}]\n"
        "roles: [{id: p, name: 存在问题, description: 说明}]\n"
        "default_role: 存在问题\n",
        encoding="utf-8",
    )
    taxonomy = load_taxonomy(plain)
    assert taxonomy.other_theme == declared(TAXONOMY_FILE, "other_theme").default == "其他"
    for field in SCORING:
        assert getattr(taxonomy, field.name) == field.default, field.name
    assert taxonomy.themes[0].keywords == () and taxonomy.roles[0].heading_cues == ()


def test_a_checker_without_optional_keys_gets_the_declared_defaults(tmp_path):
    plain = tmp_path / "requirements.yml"
    plain.write_text(
        "requirements:\n"
        "  - {id: R01, theme: 责任落实, title: a, statement: b, source: c, evidence_patterns: ['网评员']}\n"
        "checker: {parts: [], placeholders: [], formulas: [{standard: 四个意识}]}\n",
        encoding="utf-8",
    )
    checker = load_requirements(plain, TAXONOMY).checker
    for field in CHECKER:
        if not field.required:
            assert getattr(checker, field.name) == field.default, field.name
    assert checker.formulas[0].variants == () and checker.formulas[0].allowed == ()


def test_a_formula_without_forms_is_found_by_its_name(tmp_path):
    plain = tmp_path / "formulas.yml"
    plain.write_text("formulas:\n  - {id: four, name: 四个意识, meaning: 含义}\n", encoding="utf-8-sig")
    (formula,) = load_formulas(plain)
    assert formula.forms == ("四个意识",) and formula.patterns == ()


def test_every_declared_field_has_a_kind_and_a_doc():
    for _, top, nested in LAYOUT:
        for fields in (top, *nested.values()):
            for field in fields:
                assert field.kind in (str, int, float, bool, list, dict), field
                assert field.doc.strip(), field.name
                assert field.required or field.default is None or isinstance(field.default, (field.kind, tuple)), field


@pytest.mark.parametrize(("name", "top", "nested"), LAYOUT, ids=[entry[0] for entry in LAYOUT])
def test_every_key_in_the_shipped_data_files_is_declared(name, top, nested):
    raw = yaml.safe_load((DATA_DIR / name).read_text(encoding="utf-8-sig"))

    def walk(mapping: dict, fields, path: str) -> int:
        names = {f.name for f in fields}
        assert set(mapping) <= names, f"{name} {path or '(根)'}: undeclared {sorted(set(mapping) - names)}"
        seen = 1
        for key, value in mapping.items():
            sub = f"{path}.{key}" if path else key
            if sub in nested:
                seen += walk(value, nested[sub], sub)
            elif f"{sub}[]" in nested:
                seen += sum(walk(item, nested[f"{sub}[]"], f"{sub}[]") for item in value)
        return seen

    assert walk(raw, top, "") > len(nested)


# ---------------------------------------------------------------- the list-of-mappings helper


def test_mappings_rejects_a_non_list(tmp_path):
    v = Validator(tmp_path / "taxonomy.yml")
    assert list(v.mappings({"id": "a"}, "themes")) == []
    assert v.errors == ["themes: 应为列表，实际是 dict: {'id': 'a'}"]


def test_mappings_skips_and_reports_an_item_that_is_not_a_mapping(tmp_path):
    v = Validator(tmp_path / "taxonomy.yml")
    assert list(v.mappings([{"id": "a"}, "b", {"id": "c"}], "roles")) == [("roles[0]", {"id": "a"}), ("roles[2]", {"id": "c"})]
    assert v.errors == ["roles[1]: 应为映射，实际是 str: 'b'"]
    with pytest.raises(DataFileError) as info:
        v.done()
    assert str(info.value) == f"数据文件 '{tmp_path / 'taxonomy.yml'}' 有误：\n  - roles[1]: 应为映射，实际是 str: 'b'"
