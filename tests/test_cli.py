"""The ``jixiao`` command's validate and template verbs, and a build refused on bad input."""

from __future__ import annotations

import openpyxl

from conftest import build, copy_project, run_jixiao


def test_validate_passes_on_the_example(tmp_path):
    root = copy_project(tmp_path / "p")
    result = run_jixiao(root, "validate", "--unit", "lechang-mzj", "--year", "2019")
    assert result.returncode == 0
    assert result.stdout == "lechang-mzj 2019: 输入数据校验通过 (inputs valid)\n"


def test_validate_lists_every_problem_and_a_build_touches_nothing(built_copy):
    budget = built_copy / "data/lechang-mzj/2019/budget.csv"
    budget.write_text(
        budget.read_text(encoding="utf-8").replace("1288.56,1288.56", "1288.56,abc").replace("8320.00", "-1"),
        encoding="utf-8",
    )
    expected = [
        "输入数据有 2 处错误：",
        'data/lechang-mzj/2019/budget.csv 第2行 全年执行数(executed)：值 "abc" 不是数字，应为数字（万元）',
    ]
    result = run_jixiao(built_copy, "validate", "--unit", "lechang-mzj", "--year", "2019")
    assert result.returncode == 2
    expected.append(
        'data/lechang-mzj/2019/budget.csv 第3行 年初预算数(initial_budget)：值 "-1" 为负数，应为不小于 0 的数字（万元）'
    )
    assert result.stderr.splitlines() == expected

    out = built_copy / "outputs/lechang-mzj/2019"
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    result = build(built_copy)
    assert result.returncode == 2
    assert result.stderr.splitlines()[:3] == expected
    assert (
        result.stderr.splitlines()[-1]
        == "未生成报告；上一次的报告保持不变。(nothing built; the last report is unchanged)"
    )
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_template_writes_an_empty_workbook_and_refuses_to_overwrite(tmp_path):
    root = copy_project(tmp_path / "p")
    result = run_jixiao(root, "template", "--unit", "lechang-mzj", "--year", "2020")
    assert result.returncode == 0
    assert result.stdout == "模板 (template): data/lechang-mzj/2020/data.xlsx\n"
    workbook = openpyxl.load_workbook(root / "data/lechang-mzj/2020/data.xlsx")
    assert workbook.sheetnames == ["单位概况", "预算", "项目", "项目资金", "绩效指标", "业务统计", "文字材料"]
    again = run_jixiao(root, "template", "--unit", "lechang-mzj", "--year", "2020")
    assert again.returncode == 2
    assert again.stderr == "data/lechang-mzj/2020/data.xlsx 已存在 (exists); use --overwrite to replace it\n"
