"""The ``jixiao`` command's validate and template verbs, and a build refused on bad input."""

from __future__ import annotations

import os
import subprocess
import sys

import openpyxl

from conftest import REPO, build, copy_project, run_jixiao
from helpers_inputs import SHEETS


def test_validate_passes_on_the_example_warning_of_its_placeholder_contact(tmp_path):
    # the example's supplied contact (王某, 0751-0000000) is no real person or line: warned of, by its
    # cell, and the inputs still pass (exit 0)
    root = copy_project(tmp_path / "p")
    result = run_jixiao(root, "validate", "--unit", "lechang-mzj", "--year", "2019")
    assert result.returncode == 0
    profile, why = "data/lechang-mzj/2019/profile.csv 第2行", "，报送前请改为真实内容"
    assert result.stdout.splitlines() == [
        f'警告 (warning): {profile} 联系人(contact_person)：值 "王某" 像是占位的示例值（姓名带“某”）{why}',
        f'警告 (warning): {profile} 联系电话(contact_phone)：值 "0751-0000000" 像是占位的示例值（号码是一串 0）{why}',
        "lechang-mzj 2019: 输入数据校验通过 (inputs valid)",
    ]
    assert result.stderr == ""


def test_output_read_by_a_reader_that_goes_away_stops_quietly():
    # `jixiao validate ... | head -0`: the pipe is closed before the command writes its line
    env = {**os.environ, "JIXIAO_ROOT": str(REPO), "PYTHONPATH": str(REPO / "lib")}
    env.pop("PYTHONUNBUFFERED", None)  # as in a terminal: the line waits in the buffer until the end
    proc = subprocess.Popen([sys.executable, "-m", "jixiao.cli", "validate", "--unit", "lechang-mzj", "--year", "2019"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)  # fmt: skip
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141  # 128 + SIGPIPE, as a command killed by the closed pipe
    assert stderr == (
        "已中断 (interrupted)：未生成报告；上一次的报告保持不变。(nothing built; the last report is unchanged)\n"
    )


def test_validate_lists_every_problem_and_a_build_touches_nothing(built_copy):
    budget = built_copy / "data/lechang-mzj/2019/budget.csv"
    budget.write_text(
        budget.read_text(encoding="utf-8").replace("1062.38,1062.38", "1062.38,abc").replace("8320.00", "-1"),
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
    assert result.stdout == (  # no settings for 2020 (no params/lechang-mzj/2020.yaml): every table
        "模板 (template): data/lechang-mzj/2020/data.xlsx\n"
        f"工作表 (sheets): {'、'.join(SHEETS)}（全部表 (every table): 尚无该单位的设置）\n"
    )
    workbook = openpyxl.load_workbook(root / "data/lechang-mzj/2020/data.xlsx")
    assert workbook.sheetnames == SHEETS
    again = run_jixiao(root, "template", "--unit", "lechang-mzj", "--year", "2020")
    assert again.returncode == 2
    assert again.stderr == "data/lechang-mzj/2020/data.xlsx 已存在 (exists); use --overwrite to replace it\n"


def test_settings_that_name_missing_data_are_input_errors(tmp_path):
    root = copy_project(tmp_path / "p")
    unit = root / "params/lechang-mzj/unit.yaml"
    unit.write_text(unit.read_text(encoding="utf-8").replace("liulang_aid_persontimes]", "liulang_persontimes]", 1))
    narrative = root / "data/lechang-mzj/2019/narrative.csv"
    narrative.write_text(narrative.read_text(encoding="utf-8").replace("ertong,0,title,", "ertong,0,item,"))
    stats = root / "data/lechang-mzj/2019/stats.csv"
    stats.write_text(stats.read_text(encoding="utf-8").replace(",万元,约,", ",万元,大约,"))
    result = run_jixiao(root, "validate", "--unit", "lechang-mzj", "--year", "2019")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "输入数据有 3 处错误：",
        'data/lechang-mzj/2019/stats.csv 第46行 修饰(qualifier)：值 "大约" 不是可用的代码，应为 约、多',
        "data/lechang-mzj/2019/narrative.csv：主题章节 'ertong' 没有标题行（section 为 ertong、kind 为 title 的行），"
        "应有一行",
        "params/lechang-mzj/unit.yaml themes.dibao.charts[1].keys："
        "指标键 'liulang_persontimes' 在2019年业务统计表（stats）中不存在",
    ]


def test_a_build_also_checks_the_earlier_years_it_compares(built_copy):
    budget = built_copy / "data/lechang-mzj/2018/budget.csv"
    budget.write_text(budget.read_text(encoding="utf-8").replace("985.12,985.12", "985.12,abc"), encoding="utf-8")
    report = built_copy / "outputs/lechang-mzj/2019/report.html"
    before = report.read_bytes()
    result = build(built_copy)
    assert result.returncode == 2
    assert result.stderr.splitlines()[:2] == [
        "输入数据有 1 处错误：",
        'data/lechang-mzj/2018/budget.csv 第2行 全年执行数(executed)：值 "abc" 不是数字，应为数字（万元）',
    ]
    assert report.read_bytes() == before
