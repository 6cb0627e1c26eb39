"""Settings and parameters are read strictly: unknown or missing keys are errors naming file and key."""

from __future__ import annotations

import shutil

import pytest

from conftest import copy_project, run_jixiao
from jixiao.inputs import settings


@pytest.fixture
def project(tmp_path, monkeypatch):
    root = tmp_path / "p"
    root.mkdir()
    shutil.copytree(settings.paths.root() / "params", root / "params")
    monkeypatch.setenv("JIXIAO_ROOT", str(root))
    return root


def test_example_settings():
    s = settings.load("lechang-mzj", 2019)
    assert s.unit_name == "乐昌市民政局"
    assert [x.id for x in s.sections] == ["01-overview", "02-dibao", "03-yanglao", "04-ertong", "05-zhili",
                                          "06-dangjian", "07-profile", "08-budget", "09-goals", "10-conclusion",
                                          "11-evaluation", "12-projects", "13-unevaluated", "14-problems",
                                          "15-application", "16-review"]  # fmt: skip
    assert s.sections[1].parameters == {"unit": "lechang-mzj", "year": 2019, "theme": "dibao"}
    assert s.sections[1].key == "dibao"
    assert s.sections[6].notebook.name == "06_profile.ipynb"
    assert s.sections[0].notebook.name == "01_overview.ipynb"


def test_unknown_parameter(project):
    (project / "params/lechang-mzj/2019.yaml").write_text("unit: lechang-mzj\nyear: 2019\nyaer: 2019\n")
    with pytest.raises(settings.SettingsError) as err:
        settings.load("lechang-mzj", 2019)
    assert str(err.value) == "params/lechang-mzj/2019.yaml: 未知参数 (unknown parameter) 'yaer'; 允许的参数: unit, year"


def test_missing_parameter(project):
    (project / "params/lechang-mzj/2019.yaml").write_text("unit: lechang-mzj\n")
    with pytest.raises(settings.SettingsError) as err:
        settings.load("lechang-mzj", 2019)
    assert str(err.value) == "params/lechang-mzj/2019.yaml: 缺少参数 (missing parameter) 'year'"


def test_parameter_of_the_wrong_type_or_year(project):
    path = project / "params/lechang-mzj/2019.yaml"
    path.write_text("unit: lechang-mzj\nyear: '2019'\n")
    with pytest.raises(settings.SettingsError, match="参数 'year' 应为 int, 实为 '2019'"):
        settings.load("lechang-mzj", 2019)
    path.write_text("unit: lechang-mzj\nyear: 2018\n")
    with pytest.raises(settings.SettingsError, match="参数 'year' 为 2018, 与文件名年度 2019 不一致"):
        settings.load("lechang-mzj", 2019)


def test_unknown_unit_setting_and_section(project):
    path = project / "params/lechang-mzj/unit.yaml"
    original = path.read_text(encoding="utf-8")
    path.write_text(original + "colour: red\n", encoding="utf-8")
    with pytest.raises(settings.SettingsError) as err:
        settings.load("lechang-mzj", 2019)
    assert str(err.value).startswith("params/lechang-mzj/unit.yaml: 未知设置项 (unknown key) 'colour'")
    path.write_text(original.replace("  - review\n", "  - reveiw\n"), encoding="utf-8")
    with pytest.raises(settings.SettingsError, match="未知章节 \\(unknown section\\) 'reveiw'"):
        settings.load("lechang-mzj", 2019)


def test_a_missing_params_file_says_what_it_holds_and_points_to_jixiao_new(project):
    with pytest.raises(settings.SettingsError) as err:
        settings.load("lechang-mzj", 2030)
    assert str(err.value) == (
        "params/lechang-mzj/2030.yaml: 文件不存在 (file not found); "
        "应含本年度的参数 unit: lechang-mzj 和 year: 2030 (this year's parameters); "
        "为单位新增年度 (to add the year): jixiao new --unit lechang-mzj --year 2030"
    )
    expected = (
        "文件不存在 (file not found); 应为单位设置, 至少含 unit_name: 单位名称 (the unit's settings; see "
        "docs/settings.md); 新建单位 (to start a unit): jixiao new --unit lechang-mzj --name 单位名称 --year 2019"
    )
    (project / "params/lechang-mzj/unit.yaml").unlink()
    with pytest.raises(settings.SettingsError) as err:
        settings.load("lechang-mzj", 2019)
    assert str(err.value) == f"params/lechang-mzj/unit.yaml: {expected}"
    with pytest.raises(settings.SettingsError) as err:  # neither file: the unit is to be started
        settings.load("lechang-mzj", 2030)
    assert str(err.value) == f"params/lechang-mzj/2030.yaml: {expected.replace('2019', '2030')}"


def test_cli_reports_a_settings_error_and_builds_nothing(tmp_path):
    root = copy_project(tmp_path / "p")
    (root / "params/lechang-mzj/2019.yaml").write_text("unit: lechang-mzj\nyear: 2019\ntheme: x\n")
    result = run_jixiao(root, "build", "--unit", "lechang-mzj", "--year", "2019")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "设置错误 (settings error): params/lechang-mzj/2019.yaml: "
        "未知参数 (unknown parameter) 'theme'; 允许的参数: unit, year"
    )
    assert not (root / "outputs").exists()


def test_a_misspelt_key_inside_a_block_is_refused_not_ignored(project):
    path = project / "params/lechang-mzj/unit.yaml"
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace("  weights: {", "  weigths: {"), encoding="utf-8")
    with pytest.raises(settings.SettingsError) as err:
        settings.load("lechang-mzj", 2019)
    assert str(err.value) == (
        "params/lechang-mzj/unit.yaml: 未知设置项 (unknown key) 'scoring.weigths'; "
        "允许: weights, grades, qualitative_bands, far_above_ratio, deviation_ratio, deviation_points, execution_caps"
    )
    path.write_text(original.replace("far_above_ratio: 1.5", "far_above_ratio: high"), encoding="utf-8")
    with pytest.raises(settings.SettingsError, match=r"'scoring.far_above_ratio' 应为 数字 \(a number\), 实为 'high'"):
        settings.load("lechang-mzj", 2019)
    path.write_text(original.replace("      - kind: hbar", "      - knd: hbar", 1), encoding="utf-8")
    with pytest.raises(settings.SettingsError, match=r"'themes.yanglao.charts\[1\].knd'"):
        settings.load("lechang-mzj", 2019)


def test_notable_changes_are_read_strictly(project):
    path = project / "params/lechang-mzj/unit.yaml"
    original = path.read_text(encoding="utf-8")
    written = "notable_changes: {rate: 0.1, amount: 1, points: 5}"
    assert written in original
    assert settings.load("lechang-mzj", 2019).notable_changes == {"rate": 0.1, "amount": 1, "points": 5}
    path.write_text(original.replace(written, "notable_changes: {amount: 5}"), encoding="utf-8")
    assert settings.load("lechang-mzj", 2019).notable_changes == {"rate": 0.1, "amount": 5, "points": 5}
    path.write_text(original.replace(written, ""), encoding="utf-8")  # left out: the defaults
    assert settings.load("lechang-mzj", 2019).notable_changes == {"rate": 0.1, "amount": 1, "points": 5}
    path.write_text(original.replace(written, "notable_changes: {ratio: 0.2}"), encoding="utf-8")
    with pytest.raises(settings.SettingsError) as err:
        settings.load("lechang-mzj", 2019)
    assert str(err.value) == (
        "params/lechang-mzj/unit.yaml: 未知设置项 (unknown key) 'notable_changes.ratio'; 允许: rate, amount, points"
    )
    path.write_text(original.replace(written, "notable_changes: {rate: -0.1}"), encoding="utf-8")
    with pytest.raises(settings.SettingsError) as err:
        settings.load("lechang-mzj", 2019)
    assert str(err.value) == "params/lechang-mzj/unit.yaml: 'notable_changes.rate' 应为不小于 0 的数字, 实为 -0.1"
