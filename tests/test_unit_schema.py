"""The unit settings' one schema (``jixiao.inputs.unit_schema``): its messages, its defaults, the
reference it generates into docs/settings.md, the commented unit.yaml it writes, and the check
remembered so that a build with nothing changed does not import pydantic."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import yaml

from conftest import REPO
from jixiao import paths
from jixiao.inputs import settings, unit_schema, values
from jixiao.scoring.rules import DEFAULT_RULES

PAGE = REPO / "docs" / "settings.md"


def test_the_settings_page_holds_the_reference_the_schema_generates():
    page = PAGE.read_text(encoding="utf-8")
    assert unit_schema.with_reference(page) == page, "docs/settings.md differs from the schema: run `make docs`"
    assert page.count(unit_schema.BEGIN) == 1 and page.count(unit_schema.END) == 1
    row = "| `notable_changes.rate` | number ≥ 0 | `0.1` | 件数或金额变动达上年的这一比例为“增幅/降幅较大” | `0.1` |"
    assert row in page
    edited = page.replace(row, row.replace("`0.1` |", "`0.2` |", 1))
    assert unit_schema.with_reference(edited) == page  # a hand edit of the table is undone, so the test above fails
    assert "## Every key" in page and "## Sections" in page  # the prose around it stays


def test_make_docs_regenerates_the_reference_and_keeps_the_prose(tmp_path, capsys):
    page = tmp_path / "settings.md"
    original = PAGE.read_text(encoding="utf-8")
    start, end = original.index(unit_schema.BEGIN), original.index(unit_schema.END)
    page.write_text(original[:start] + unit_schema.BEGIN + "\nold\n" + original[end:], encoding="utf-8")
    assert unit_schema.main([str(page)]) == 0
    assert page.read_text(encoding="utf-8") == original
    assert unit_schema.main([str(page)]) == 0
    assert capsys.readouterr().out == f"{page}: updated\n{page}: unchanged\n"
    page.write_text("# Settings\n\nno reference here\n", encoding="utf-8")
    with pytest.raises(ValueError, match="the page has no reference part"):
        unit_schema.main([str(page)])


def test_every_key_of_the_settings_is_in_the_reference():
    top = [k.name for k in unit_schema.keys() if "." not in k.name and "[" not in k.name]
    assert top == ["unit_name", "kind", "title", "sections", "numbering", "profile_parts", "last_year_note", "scoring",
                   "themes", "notable_changes", "review", "editions", "formats", "selfeval_forms",
                   "selfeval_targets"]  # fmt: skip
    reference = unit_schema.reference()
    for key in unit_schema.keys():
        assert f"| `{key.name}` |" in reference


def test_the_defaults_are_the_ones_the_code_applies():
    by_name = {k.name: k for k in unit_schema.keys()}
    assert by_name["scoring.weights"].default == DEFAULT_RULES.weights
    assert by_name["scoring.grades"].default == [list(g) for g in DEFAULT_RULES.grades]
    assert by_name["scoring.qualitative_bands"].default == {
        k: list(v) for k, v in DEFAULT_RULES.qualitative_bands.items()
    }
    assert by_name["scoring.far_above_ratio"].default == DEFAULT_RULES.far_above_ratio
    assert by_name["notable_changes"].default == values.NOTABLE_CHANGES
    assert by_name["numbering"].default == list(values.NUMBERING)
    assert by_name["editions"].default == list(values.EDITIONS)
    assert by_name["formats"].default == list(values.FORMATS)
    assert (by_name["kind"].default, by_name["last_year_note"].default) == ("department", "once")
    assert [k.name for k in unit_schema.keys() if k.required] == ["unit_name", "profile_parts[].part"]


def test_every_example_is_a_valid_setting():
    examples = {k.name: k.example for k in unit_schema.keys() if "." not in k.name and "[" not in k.name}
    assert unit_schema.problems(examples) == []
    for key in unit_schema.keys():
        assert key.example is not None and key.meaning, key.name


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({}, "缺少设置项 (missing key) 'unit_name'"),
        ({"unit_name": "甲", "scoring": {"weights": {"outptu": 50}}},
         "未知设置项 (unknown key) 'scoring.weights.outptu'; 允许: execution, output, effect, satisfaction"),
        ({"unit_name": "甲", "review": {"part_of": [{"label": "a", "whole": "b", "parts": "c"}]}},
         "未知设置项 (unknown key) 'review.part_of[1].parts'; 允许: label, part, whole"),
        ({"unit_name": "甲", "themes": {"低保": {"charts": {"kind": "bar"}}}},
         "'themes.低保.charts' 应为列表 (expected a list), 实为 {'kind': 'bar'}"),
        ({"unit_name": "甲", "review": {"unit_costs": [3]}},
         "'review.unit_costs' 应为键值映射 (expected a mapping), 实为 [3]"),
        ({"unit_name": "甲", "scoring": {"weights": {"output": True}}},
         "'scoring.weights.output' 应为 数字 (a number), 实为 True"),
        ({"unit_name": "甲", "scoring": {"grades": [[90, "优", 1]]}},
         "'scoring.grades[1]' 应为 2 项的列表, 实为 [90, '优', 1]"),
        ({"unit_name": "甲", "themes": {"a": {"charts": [{"keys": ["x", 2]}]}}},
         "'themes.a.charts[1].keys[2]' 应为文字 (a text), 实为 2"),
        ({"unit_name": "甲", "kind": "projects"},
         "'kind' 的值 'projects' 不可用; 可用: department, department_evaluation, project, transfer"),
        ({"unit_name": "甲", "formats": []},
         "'formats' 应为非空列表 (a non-empty list), 可用: html, pdf, docx, xlsx; 实为 []"),
        ({"unit_name": "甲", "last_year_note": "twice"},
         "'last_year_note' 的值 'twice' 不可用; 可用: once, each, never"),
        ({"unit_name": "示例\n民政局"},
         "'unit_name' 含控制字符 U+000A (a control character); 应为一行可打印的文字 (one printable line); "
         "实为 '示例\\n民政局'"),
        ({"unit_name": "  "}, "'unit_name' 不能为空 (empty); 实为 '  '"),
        ({"unit_name": 2024}, "'unit_name' 应为文字 (a text), 实为 2024"),
    ],
)  # fmt: skip
def test_a_setting_that_does_not_fit_the_schema_is_named_by_its_dotted_key(raw, message):
    assert unit_schema.problems(raw)[0] == message


def test_an_unknown_key_is_named_before_the_missing_one_it_may_explain():
    assert unit_schema.problems({"unit_nmae": "甲"}) == [
        "未知设置项 (unknown key) 'unit_nmae'; 允许: unit_name, kind, title, sections, numbering, profile_parts, "
        "last_year_note, scoring, themes, notable_changes, review, editions, formats, selfeval_forms, selfeval_targets",
        "缺少设置项 (missing key) 'unit_name'",
    ]


def test_empty_blocks_are_left_at_their_defaults():
    assert unit_schema.problems({"unit_name": "甲", "scoring": None, "review": None, "themes": None}) == []


def test_the_commented_unit_yaml_holds_every_key_and_reads_back_as_given():
    given = {"unit_name": "示例县民政局", "kind": "project", "sections": ["overview", "projects"],
             "scoring": {"weights": {"execution": 20}}}  # fmt: skip
    text = unit_schema.unit_yaml(given)
    assert yaml.safe_load(text) == given
    lines = text.splitlines()
    for key in [k for k in unit_schema.keys() if "." not in k.name and "[" not in k.name]:
        written = f"{key.name}:" if key.name in given else f"# {key.name}:"
        at = next(i for i, line in enumerate(lines) if line.startswith(written))
        assert lines[at - 1 - (not key.required)] == f"# {key.meaning}", key.name
        if not key.required:
            assert lines[at - 1].startswith("# 默认 (default): "), key.name
    assert "# 默认 (default): [html, pdf, docx, xlsx]" in lines
    assert "# formats: [html, pdf]" in lines
    assert "kind: project" in lines


def _load_in_a_process(root, code: str) -> str:
    env = {**os.environ, "JIXIAO_ROOT": str(root), "PYTHONPATH": str(REPO / "lib")}
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout


def test_settings_that_passed_are_remembered_and_checked_again_when_they_change(tmp_path, monkeypatch):
    import shutil

    root = tmp_path / "p"
    shutil.copytree(REPO / "params", root / "params")
    code = (
        "import sys\nfrom jixiao.inputs import settings\n"
        "print(settings.load('lechang-mzj', 2019).unit_name, 'pydantic' in sys.modules)"
    )
    assert _load_in_a_process(root, code) == "乐昌市民政局 True\n"  # checked, and remembered
    assert (root / "outputs/lechang-mzj/2019/.cache/settings.key").is_file()
    assert _load_in_a_process(root, code) == "乐昌市民政局 False\n"  # the same settings: no pydantic
    unit = root / "params/lechang-mzj/unit.yaml"
    unit.write_text(unit.read_text(encoding="utf-8").replace("far_above_ratio: 1.5", "far_above_ratio: 高"))
    monkeypatch.setenv("JIXIAO_ROOT", str(root))
    with pytest.raises(settings.SettingsError) as error:  # changed: checked again, whatever the marker says
        settings.load("lechang-mzj", 2019)
    assert error.value.message == "'scoring.far_above_ratio' 应为 数字 (a number), 实为 '高'"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("", "不能为空 (empty)"),
        ("a\u202eb", "含控制字符 U+202E (a control character); 应为一行可打印的文字 (one printable line)"),
        ("a\u200bb", "含控制字符 U+200B (a control character); 应为一行可打印的文字 (one printable line)"),
        ("局" * 101, "长 101 个字符, 至多 100 个 (too long)"),
    ],
)
def test_the_one_rule_for_names(name, reason):
    with pytest.raises(paths.NameRuleError) as error:
        paths.check_name(name)
    assert error.value.reason == reason
    assert str(error.value) == f"单位名称 (unit name) {name!r} 无效：{reason}"
    assert paths.check_name("  示例县民政局 ") == "示例县民政局"
