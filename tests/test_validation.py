"""Validation: every kind of error, with its exact message, all reported in one run."""

from __future__ import annotations

import pytest

from helpers_inputs import (
    UNIT,
    append_row,
    project_copy,
    read_rows,
    rename_column,
    set_cell,
    write_rows,
)
from jixiao.inputs.dataset import TABLES
from jixiao.inputs.loading import load
from jixiao.inputs.validation import InputError, Problem, check, stand_ins, validate, validate_with_notes

D = "data/lechang-mzj/2019"


def messages(year: int = 2019, **kw) -> list[str]:
    return [str(p) for p in validate(UNIT, year, **kw)]


@pytest.mark.parametrize("year", [2019, 2018])
def test_the_example_is_valid(year):
    assert validate(UNIT, year) == []
    assert check(UNIT, year).year == year


def test_the_minimal_copy_is_valid(tmp_path, monkeypatch):
    project_copy(tmp_path, monkeypatch)
    assert messages() == []


def test_problem_renders_file_row_column_value_expected():
    problem = Problem(
        file=f"{D}/budget.csv",
        row=3,
        column="executed",
        value="abc",
        expected="数字（万元）",
        message='值 "abc" 不是数字，应为数字（万元）',
        table="budget",
    )
    assert str(problem) == (f'{D}/budget.csv 第3行 全年执行数(executed)：值 "abc" 不是数字，应为数字（万元）')
    sheet = Problem(file=f"{D}/data.xlsx", sheet="预算", row=3, column="executed",
                    message="m", table="budget")  # fmt: skip
    assert str(sheet) == f"{D}/data.xlsx 工作表「预算」 第3行 全年执行数(executed)：m"


# --- files, sheets and columns ----------------------------------------------------------------


def test_missing_folder(tmp_path, monkeypatch):
    project_copy(tmp_path, monkeypatch)
    assert messages(2017) == ["data/lechang-mzj/2017：文件夹不存在，应有 data.xlsx 或各表的 CSV 文件"]


def test_empty_folder(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    for name in TABLES:
        (folder / f"{name}.csv").unlink(missing_ok=True)
    # the copy's sections (overview, projects, theme:dibao, problems, review) need no indicators
    assert messages() == [
        f"{D}：没有输入文件，应有 data.xlsx 或 profile.csv、budget.csv、projects.csv、"
        "project_funds.csv、stats.csv、narrative.csv"
    ]


def test_missing_file(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    (folder / "stats.csv").unlink()
    assert messages() == [f"{D}/stats.csv：缺少文件，应为业务统计(stats)表"]


def test_missing_and_misnamed_sheet(tmp_path, monkeypatch):
    from openpyxl import load_workbook

    from jixiao.inputs.template import write_workbook

    folder = project_copy(tmp_path, monkeypatch)
    write_workbook(folder / "data.xlsx", load(UNIT, 2019))
    for name in TABLES:
        (folder / f"{name}.csv").unlink(missing_ok=True)
    book = load_workbook(folder / "data.xlsx")
    book.remove(book["文字材料"])
    book["业务统计"].title = "业务统记"
    book.save(folder / "data.xlsx")
    assert messages() == [
        f"{D}/data.xlsx：缺少工作表「业务统计」(stats)；是否是工作表「业务统记」？",
        f"{D}/data.xlsx：缺少工作表「文字材料」(narrative)",
    ]


def test_workbook_and_csv_together(tmp_path, monkeypatch):
    from jixiao.inputs.template import write_workbook

    folder = project_copy(tmp_path, monkeypatch)
    write_workbook(folder / "data.xlsx", load(UNIT, 2019))
    (folder / "stats.csv").unlink()
    (folder / "narrative.csv").unlink()
    assert messages() == [
        f"{D}：同时有 data.xlsx 和 CSV 文件（profile.csv、budget.csv、projects.csv、"
        "project_funds.csv、indicators.csv、published.csv、sangong.csv），只能保留一种；已读取 data.xlsx"
    ]


def test_missing_column(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    rows = read_rows(folder / "budget.csv")
    write_rows(folder / "budget.csv", [r[:5] + r[6:] for r in rows])
    assert messages() == [f"{D}/budget.csv 第1行 全年执行数(executed)：缺少此列（必填列）"]


def test_misspelt_column_suggests_the_closest(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    rename_column(folder / "budget.csv", "executed", "excuted")
    rename_column(folder / "projects.csv", "project_name", "项目名")
    assert messages() == [
        f'{D}/budget.csv 第1行：F 列的列名 "excuted" 不是预算(budget)表的列，是否应为 全年执行数(executed)？',
        f'{D}/projects.csv 第1行：B 列的列名 "项目名" 不是项目(projects)表的列，是否应为 项目名称(project_name)？',
    ]


def test_unknown_column_lists_the_columns(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    rows = read_rows(folder / "budget.csv")
    write_rows(folder / "budget.csv", [[*r, "x"] for r in rows[:1]] + rows[1:])
    rename_column(folder / "budget.csv", "x", "备注栏")
    assert messages() == [
        f'{D}/budget.csv 第1行：H 列的列名 "备注栏" 不是预算(budget)表的列；'
        "本表的列为 预算行编码、资金来源、支出类型、年初预算数、全年预算数、全年执行数、数据来源"
    ]


def test_duplicate_column(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    rows = read_rows(folder / "budget.csv")
    rows = [[*rows[0], "全年执行数"]] + [[*r, r[5]] for r in rows[1:]]
    write_rows(folder / "budget.csv", rows)
    assert messages() == [f"{D}/budget.csv 第1行 全年执行数(executed)：列重复（F 列和 H 列），只能有一列；已读取 F 列"]


def test_yuan_header_on_a_column_that_is_not_an_amount(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    rename_column(folder / "indicators.csv", "weight", "分值(元)")
    problems = messages()
    assert problems[0] == (f"{D}/indicators.csv 第1行 分值(weight)：列名标有单位 元，但该列不是金额（单位应为 分）")


# --- cells ---------------------------------------------------------------------------------


def test_text_in_a_numeric_column(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    set_cell(folder / "budget.csv", 3, "executed", "abc")
    set_cell(folder / "indicators.csv", 2, "actual", "约650")
    set_cell(folder / "profile.csv", 2, "staff_quota", "12.5")
    assert messages() == [
        f'{D}/profile.csv 第2行 编制人数(staff_quota)：值 "12.5" 不是整数，应为整数（人）',
        f'{D}/budget.csv 第3行 全年执行数(executed)：值 "abc" 不是数字，应为数字（万元）',
        f'{D}/indicators.csv 第2行 实际完成值(actual)：值 "约650" 不是数字，应为数字',
    ]


def test_percent_in_an_amount_column(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    set_cell(folder / "budget.csv", 2, "initial_budget", "95%")
    assert messages() == [
        f'{D}/budget.csv 第2行 年初预算数(initial_budget)：值 "95%" 是百分数，应为不小于 0 的数字（万元）'
    ]


def test_empty_required_cell(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    set_cell(folder / "projects.csv", 2, "project_name", " ")
    set_cell(folder / "indicators.csv", 4, "level3", "")
    set_cell(folder / "indicators.csv", 5, "weight", "")  # a blank weight takes the rules' default
    problems = messages()
    assert problems == [
        f"{D}/projects.csv 第2行 项目名称(project_name)：必填，不能为空",
        f"{D}/indicators.csv 第4行 三级指标(level3)：必填，不能为空",
    ]


def test_conditionally_required_target_and_grade(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    set_cell(folder / "indicators.csv", 2, "target", "")
    set_cell(folder / "indicators.csv", 10, "actual_grade", "")  # YB02-04, 定性
    assert messages() == [
        f"{D}/indicators.csv 第2行 年度指标值(target)：指标性质为 ≥ 时必填，不能为空",
        f"{D}/indicators.csv 第10行 定性完成档次(actual_grade)：定性指标必填，不能为空",
    ]


def test_negative_amount_and_bounds(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    set_cell(folder / "budget.csv", 2, "initial_budget", "-5")
    set_cell(folder / "projects.csv", 2, "reported_score", "120")
    set_cell(folder / "indicators.csv", 3, "reported_score", "-1")
    assert messages() == [
        f'{D}/budget.csv 第2行 年初预算数(initial_budget)：值 "-5" 为负数，应为不小于 0 的数字（万元）',
        f'{D}/projects.csv 第2行 自评得分(填报)(reported_score)：值 "120" 大于 100，应为0～100 的数字（分）',
        f'{D}/indicators.csv 第3行 得分(填报)(reported_score)：值 "-1" 为负数，应为不小于 0 的数字（分）',
    ]


def test_zero_weight(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    set_cell(folder / "indicators.csv", 2, "weight", "0")
    assert messages()[0] == (f'{D}/indicators.csv 第2行 分值(weight)：值 "0" 不大于 0，应为大于 0 的数字（分）')


def test_unknown_code(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    set_cell(folder / "budget.csv", 2, "fund_source", "一般预算")
    set_cell(folder / "indicators.csv", 2, "direction", "大于")
    set_cell(folder / "indicators.csv", 3, "level1", "产出")
    assert messages() == [
        f'{D}/budget.csv 第2行 资金来源(fund_source)：值 "一般预算" 不是可用的代码，'
        "应为 一般公共预算、政府性基金预算、国有资本经营预算、财政专户管理资金、其他资金",
        f'{D}/indicators.csv 第2行 指标性质(direction)：值 "大于" 不是可用的代码，应为 ≥、≤、=、定性',
        f'{D}/indicators.csv 第3行 一级指标(level1)：值 "产出" 不是项目的一级指标，应为 产出指标、效益指标、满意度指标',
        f"{D}/indicators.csv 分值(weight)：项目 YB01「特困供养」产出指标的三级指标分值合计 35，"
        "应等于该项目的产出指标分值 50",
    ]


# --- across rows and tables ----------------------------------------------------------------


def test_executed_above_full_year_budget(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    set_cell(folder / "budget.csv", 2, "executed", "1300")
    assert messages() == [f"{D}/budget.csv 第2行 全年执行数(executed)：执行数 1300.00 超过全年预算数 1062.38"]


def test_duplicate_ids(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    set_cell(folder / "budget.csv", 3, "line_id", "B01")
    set_cell(folder / "indicators.csv", 3, "indicator_id", "YB01-01")
    set_cell(folder / "stats.csv", 3, "key", "dibao_cleared_households")
    set_cell(folder / "narrative.csv", 3, "text", "{dibao_cleared_households}")
    rows = read_rows(folder / "projects.csv")
    rows[3][0] = "YB01"  # the third project claims the first one's id
    write_rows(folder / "projects.csv", rows)
    problems = messages()
    for expected in [
        f'{D}/budget.csv 第3行 预算行编码(line_id)：值 "B01" 重复（第2行已有），应唯一',
        f'{D}/projects.csv 第4行 项目编码(project_id)：值 "YB01" 重复（第2行已有），应唯一',
        f'{D}/indicators.csv 第3行 指标编码(indicator_id)：值 "YB01-01" 重复（第2行已有），应唯一',
        f'{D}/stats.csv 第3行 指标键(key)：值 "dibao_cleared_households" 重复（第2行已有），应唯一',
    ]:
        assert expected in problems


def test_duplicate_budget_line_and_fund_type(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    set_cell(folder / "budget.csv", 2, "kind", "项目支出")
    set_cell(folder / "project_funds.csv", 10, "fund_type", "当年财政拨款")
    problems = messages()
    assert (
        f"{D}/budget.csv 第3行 支出类型(kind)：资金来源“一般公共预算”的项目支出与第2行重复，"
        "每个资金来源和支出类型只能有一行"
    ) in problems
    assert (
        f"{D}/project_funds.csv 第10行 资金性质(fund_type)：项目 JJ01 的资金性质“当年财政拨款”与第9行重复"
    ) in problems


def test_rows_for_an_unknown_project(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    funds = append_row(folder / "project_funds.csv", {
        "project_id": "YB99", "fund_type": "当年财政拨款", "initial_budget": "1",
        "full_year_budget": "1", "executed": "1",
    })  # fmt: skip
    indicator = append_row(folder / "indicators.csv", {
        "indicator_id": "YB99-01", "scope": "YB99", "level1": "产出指标", "level2": "数量指标",
        "level3": "x", "direction": "≥", "target": "1", "actual": "1", "weight": "50",
    })  # fmt: skip
    assert messages() == [
        f'{D}/project_funds.csv 第{funds}行 项目编码(project_id)：值 "YB99" 不是项目(projects)表中的项目编码',
        f'{D}/indicators.csv 第{indicator}行 适用对象(scope)：值 "YB99" 不是项目(projects)'
        "表中的项目编码，也不是 department（部门整体）",
    ]


def test_a_goal_naming_an_unknown_indicator(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    write_rows(folder / "goals.csv", [
        ["goal_id", "goal", "completion", "indicator_id"], ["G01", "提标", "完成", "BM-04"],
        ["G02", "满意度", "完成", "BM-04、BM-99"],
    ])  # fmt: skip
    assert messages() == [
        f'{D}/goals.csv 第3行 对应指标编码(indicator_id)：值 "BM-99" 不是绩效指标(indicators)表中的指标编码'
    ]


def test_project_indicator_weights(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    set_cell(folder / "indicators.csv", 2, "weight", "25")  # YB01 产出 20 -> 25
    assert messages() == [
        f"{D}/indicators.csv 分值(weight)：项目 YB01「特困供养」产出指标的三级指标分值合计 55，"
        "应等于该项目的产出指标分值 50"
    ]


def test_project_first_level_weights(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    set_cell(folder / "projects.csv", 2, "weight_output", "40")
    assert messages() == [
        f"{D}/projects.csv 第2行：项目 YB01「特困供养」的一级指标分值合计 90"
        "（预算执行率 10 + 产出 40 + 效益 30 + 满意度 10），应为 100",
        f"{D}/indicators.csv 分值(weight)：项目 YB01「特困供养」产出指标的三级指标分值合计 50，"
        "应等于该项目的产出指标分值 40",
    ]


def test_weights_default_from_the_unit_settings(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    settings = folder.parents[2] / "params" / UNIT / "unit.yaml"
    text = settings.read_text(encoding="utf-8")
    old = "weights: {execution: 10, output: 50, effect: 30, satisfaction: 10}"
    assert old in text
    settings.write_text(text.replace(old, "weights: {output: 40, effect: 40}"), encoding="utf-8")
    problems = messages()
    assert len(problems) == 26  # 13 projects × (产出, 效益)
    assert problems[0] == (
        f"{D}/indicators.csv 分值(weight)：项目 YB01「特困供养」产出指标的三级指标分值合计 50，"
        "应等于该项目的产出指标分值 40"
    )


def test_department_weights(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    rows = read_rows(folder / "indicators.csv")
    first = next(i for i, r in enumerate(rows) if r[1] == "department")
    set_cell(folder / "indicators.csv", first + 1, "weight", "15")
    assert messages() == [f"{D}/indicators.csv 分值(weight)：部门整体(department)指标分值合计 95，应为 100"]


def test_project_without_indicators(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    rows = read_rows(folder / "indicators.csv")
    write_rows(folder / "indicators.csv", [r for r in rows if r[1] != "YB04"])
    assert messages() == [
        f"{D}/projects.csv 第5行 项目编码(project_id)：项目 YB04「村务监督委员会补贴」开展了自评，"
        "但绩效指标(indicators)表中没有它的指标"
    ]


def test_qualitative_score_outside_its_band(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    set_cell(folder / "indicators.csv", 10, "reported_score", "20")  # YB02-04 达成, weight 30
    set_cell(folder / "indicators.csv", 20, "actual_grade", "部分达成")  # YB04-03, reported 30
    assert messages() == [
        f"{D}/indicators.csv 第10行 得分(填报)(reported_score)：定性档次“达成”的得分应在 24～30 分"
        "之间（分值 30 的 80%～100%），填报 20",
        f"{D}/indicators.csv 第20行 得分(填报)(reported_score)：定性档次“部分达成”的得分应在 "
        "18～24 分之间（分值 30 的 60%～80%），填报 30",
    ]


def test_profile_year_and_unit(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    set_cell(folder / "profile.csv", 2, "year", "2018")
    set_cell(folder / "profile.csv", 2, "unit_id", "lechang")
    assert messages(expected_year=2019) == [
        f"{D}/profile.csv 第2行 年度(year)：值 2018 与所选年度 2019 不符",
        f"{D}/profile.csv 第2行 年度(year)：值 2018 与参数的年度 2019 不符",
        f'{D}/profile.csv 第2行 单位编码(unit_id)：值 "lechang" 与单位 lechang-mzj 不符',
    ]


def test_profile_report_date_must_be_a_date(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    for typed in ("2020-4-2", "2020-04-20 00:00:00", ""):  # without zeros, a date cell read with its time, blank
        set_cell(folder / "profile.csv", 2, "report_date", typed)
        assert messages() == [], typed
    for typed in ("2020/4/2", "2020-02-30", "四月"):
        set_cell(folder / "profile.csv", 2, "report_date", typed)
        assert messages() == [
            f'{D}/profile.csv 第2行 报告日期(report_date)：值 "{typed}" 不是日期，应为 YYYY-MM-DD（如 2020-04-20）'
        ]


def test_profile_rows(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    rows = read_rows(folder / "profile.csv")
    write_rows(folder / "profile.csv", [rows[0], rows[1], rows[1]])
    assert messages() == [f"{D}/profile.csv 第3行：单位概况只能有一行"]
    write_rows(folder / "profile.csv", rows[:1])
    assert messages() == [f"{D}/profile.csv：没有数据行，应有一行单位概况"]


def test_expected_year_of_the_parameters(tmp_path, monkeypatch):
    project_copy(tmp_path, monkeypatch)
    assert messages(expected_year=2020) == [f"{D}/profile.csv 第2行 年度(year)：值 2019 与参数的年度 2020 不符"]


def test_project_funds_disagree_with_the_project(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    set_cell(folder / "project_funds.csv", 2, "executed", "1500")
    set_cell(folder / "project_funds.csv", 10, "full_year_budget", "12.17")  # JJ01 carry-over
    set_cell(folder / "project_funds.csv", 10, "executed", "12.165")  # within 0.01: accepted
    assert messages() == [
        f"{D}/projects.csv 第2行 全年执行数(executed)：项目 YB01「特困供养」的全年执行数 1586.40 "
        "与项目资金(project_funds)表各行合计 1500.00 不符（相差 86.40）",
        f"{D}/projects.csv 第9行 全年预算数(full_year_budget)：项目 JJ01「养老服务设施建设」的全年预算数 "
        "120.00 与项目资金(project_funds)表各行合计 120.01 不符（相差 0.01）",
    ]


def test_project_without_funds(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    rows = read_rows(folder / "project_funds.csv")
    write_rows(folder / "project_funds.csv", [r for r in rows if r[0] != "JJ06"])
    assert messages() == [
        f"{D}/projects.csv 第14行 项目编码(project_id)：项目 JJ06「殡葬改革」在项目资金(project_funds)表中没有资金行"
    ]


def test_evaluated_projects_above_their_fund_source_line(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    set_cell(folder / "budget.csv", 3, "executed", "6000")
    set_cell(folder / "budget.csv", 4, "fund_source", "其他资金")
    assert messages() == [
        f"{D}/projects.csv 全年执行数(executed)：资金来源“一般公共预算”的自评项目全年执行数合计 "
        "6898.64，超过预算(budget)表该资金来源项目支出的全年执行数 6000.00",
        f"{D}/budget.csv 资金来源(fund_source)：没有资金来源“政府性基金预算”的项目支出行，"
        "但项目(projects)表有该资金来源的自评项目",
    ]


def test_narrative_placeholder_naming_no_stats_key(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    text = "清退{dibao_cleared_house}，{{注}}，{year}年{unit_name}，{dibao_cleared_people+x}"
    set_cell(folder / "narrative.csv", 3, "text", text)
    assert messages() == [
        f"{D}/narrative.csv 第3行 内容(text)：占位符 {{dibao_cleared_house}} 不是业务统计(stats)"
        "表中的指标键，是否应为 {dibao_cleared_households}？",
        f"{D}/narrative.csv 第3行 内容(text)：占位符 {{dibao_cleared_people+x}} 中的 x 不是业务统计(stats)表中的指标键",
    ]


def test_a_sum_of_figures_of_different_units(tmp_path, monkeypatch):
    # 户 + 人: the report could not write the sum (its section would fail), nor compare it
    folder = project_copy(tmp_path, monkeypatch)
    set_cell(folder / "narrative.csv", 3, "text", "共清退{dibao_cleared_households + dibao_cleared_people}。")
    set_cell(folder / "indicators.csv", 2, "stats_key", "dibao_cleared_households+dibao_cleared_people")
    assert messages() == [
        f"{D}/narrative.csv 第3行 内容(text)：占位符 {{dibao_cleared_households + dibao_cleared_people}} "
        "求和的指标计量单位不同，不能相加：dibao_cleared_households（户）、dibao_cleared_people（人）",
        f"{D}/indicators.csv 第2行 业务统计指标键(stats_key)：dibao_cleared_households+dibao_cleared_people "
        "求和的指标计量单位不同，不能相加：dibao_cleared_households（户）、dibao_cleared_people（人）",
    ]


# --- all at once -----------------------------------------------------------------------------


def test_every_problem_is_reported_in_one_run(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    set_cell(folder / "budget.csv", 3, "executed", "abc")
    set_cell(folder / "projects.csv", 3, "fund_source", "一般预算")
    set_cell(folder / "indicators.csv", 2, "weight", "25")
    set_cell(folder / "profile.csv", 2, "year", "2018")
    set_cell(folder / "narrative.csv", 3, "text", "{nothing}")
    problems = validate(UNIT, 2019)
    assert len(problems) == 5
    with pytest.raises(InputError) as caught:
        check(UNIT, 2019)
    text = str(caught.value)
    assert text.splitlines()[0] == "输入数据有 5 处错误："
    assert text.splitlines()[1:] == [str(p) for p in problems]
    assert caught.value.problems == problems
    assert {p.file for p in problems} == {
        f"{D}/{t}.csv" for t in ("budget", "projects", "indicators", "profile", "narrative")
    }
    first = next(p for p in problems if p.column == "executed")
    assert (first.row, first.value, first.expected) == (3, "abc", "数字（万元）")


def test_two_sheets_for_one_table_and_data_without_header(tmp_path, monkeypatch):
    from openpyxl import load_workbook

    from jixiao.inputs.template import write_workbook

    folder = project_copy(tmp_path, monkeypatch)
    write_workbook(folder / "data.xlsx", load(UNIT, 2019))
    for name in TABLES:
        (folder / f"{name}.csv").unlink(missing_ok=True)
    book = load_workbook(folder / "data.xlsx")
    book.copy_worksheet(book["预算"]).title = "budget"
    book["预算"]["H3"] = 5
    book.save(folder / "data.xlsx")
    assert messages() == [
        f"{D}/data.xlsx 工作表「budget」：与工作表「预算」是同一张表预算(budget)，只能有一个",
        f"{D}/data.xlsx 工作表「预算」 第1行：H 列有数据但没有列名",
    ]


def test_an_actual_computed_from_the_budget_must_be_left_blank_on_a_department_row(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    set_cell(folder / "indicators.csv", 64, "actual", "98.8")  # BM-01 预算完成率
    set_cell(folder / "indicators.csv", 2, "computed_actual", "预算执行率")  # YB01-01
    set_cell(folder / "indicators.csv", 68, "computed_actual", "结转结余率")  # BM-05 定性
    assert messages() == [
        f"{D}/indicators.csv 第2行 实际值计算口径(computed_actual)："
        "计算口径“预算执行率”只用于部门整体(department)指标，项目 YB01 的指标应留空",
        f"{D}/indicators.csv 第64行 实际完成值(actual)：实际完成值按计算口径“预算执行率”由预算(budget)表计算，"
        "应留空（填报 98.8）",
        f"{D}/indicators.csv 第68行 实际值计算口径(computed_actual)："
        "定性指标没有数值实际完成值，不能按“结转结余率”计算",
    ]


def test_an_unknown_computed_measure_is_refused(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    set_cell(folder / "indicators.csv", 64, "computed_actual", "支付进度率")
    assert messages() == [
        f'{D}/indicators.csv 第64行 实际值计算口径(computed_actual)：值 "支付进度率" 不是可用的代码，'
        "应为 预算执行率、预算调整率、结转结余率"
    ]


def test_a_stats_key_of_an_indicator_must_name_a_stats_key(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    set_cell(folder / "indicators.csv", 12, "stats_key", "dibao_cleared_household")  # YB03-01
    set_cell(folder / "indicators.csv", 2, "stats_key", "dibao_cleared_people+tekun_people")
    assert messages() == [
        f"{D}/indicators.csv 第2行 业务统计指标键(stats_key)：dibao_cleared_people+tekun_people 中的 tekun_people "
        "不是业务统计(stats)表中的指标键",
        f"{D}/indicators.csv 第12行 业务统计指标键(stats_key)："
        "dibao_cleared_household 不是业务统计(stats)表中的指标键，是否应为 dibao_cleared_households？",
    ]


# --- the optional tables and the blocks' columns ------------------------------------------------

SANGONG = ["item", "full_year_budget", "executed", "last_year_executed", "source"]
GOALS = ["goal_id", "goal", "completion", "outcome", "deviation_reason", "source"]


def test_optional_tables_may_be_left_out(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)  # without goals.csv
    (folder / "sangong.csv").unlink()
    assert messages() == []
    data = load(UNIT, 2019)
    assert data.absent == ["sangong", "goals"]
    assert list(data.sangong.columns) == [*SANGONG, "_file", "_sheet", "_row"] and len(data.sangong) == 0


def test_optional_sheets_may_be_left_out_of_the_workbook(tmp_path, monkeypatch):
    from openpyxl import load_workbook

    from jixiao.inputs.template import write_workbook

    folder = project_copy(tmp_path, monkeypatch)
    write_workbook(folder / "data.xlsx", load(UNIT, 2019))
    for name in TABLES:
        (folder / f"{name}.csv").unlink(missing_ok=True)
    book = load_workbook(folder / "data.xlsx")
    book.remove(book["年度绩效目标"])
    book.save(folder / "data.xlsx")
    assert messages() == []
    data = load(UNIT, 2019)
    assert data.absent == ["goals"]
    assert list(data.sangong["item"]) == ["因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费"]


def test_basic_spending_as_one_line_or_its_two_parts_never_both(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    basic = {"line_id": "B05", "fund_source": "一般公共预算", "kind": "基本支出"}
    row = append_row(folder / "budget.csv", {**basic, "initial_budget": "0", "full_year_budget": "0", "executed": "0"})
    assert messages() == [
        f"{D}/budget.csv 第{row}行 支出类型(kind)：资金来源“一般公共预算”的基本支出与第2行的人员经费不能同时填报："
        "人员经费和公用经费是基本支出的两部分，应只填基本支出一行，或分填人员经费和公用经费"
    ]


def test_a_basic_line_before_its_parts(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    set_cell(folder / "budget.csv", 2, "kind", "基本支出")
    assert messages() == [
        f"{D}/budget.csv 第5行 支出类型(kind)：资金来源“一般公共预算”的公用经费与第2行的基本支出不能同时填报："
        "人员经费和公用经费是基本支出的两部分，应只填基本支出一行，或分填人员经费和公用经费"
    ]


def test_a_project_not_evaluated_needs_its_reason(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    set_cell(folder / "projects.csv", 15, "not_evaluated_reason", "")
    assert messages() == [
        f"{D}/projects.csv 第15行 未开展自评原因(not_evaluated_reason)：是否开展自评为“否”时必填，不能为空"
    ]


def test_all_projects_of_a_fund_source_within_its_project_line(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    set_cell(folder / "budget.csv", 3, "executed", "8000.00")
    assert messages() == [
        f"{D}/projects.csv 全年执行数(executed)：资金来源“一般公共预算”的全部项目（含未开展自评的）"
        "全年执行数合计 8677.53，超过预算(budget)表该资金来源项目支出的全年执行数 8000.00"
    ]


def test_sangong_items_are_codes_unique_and_within_budget(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    write_rows(folder / "sangong.csv", [
        SANGONG,
        ["因公出国(境)费", "0", "0", "", ""],  # half-width brackets: the same code
        ["公务接待费", "3.50", "2.84", "3.27", ""],
        ["公务接待费", "1", "1", "", ""],
        ["会议费", "1", "1", "", ""],
        ["公务用车运行维护费", "12.00", "13.00", "", ""],
    ])  # fmt: skip
    assert messages() == [
        f'{D}/sangong.csv 第5行 项目(item)：值 "会议费" 不是可用的代码，应为 因公出国（境）费、公务用车购置费、'
        "公务用车运行维护费、公务接待费",
        f'{D}/sangong.csv 第4行 项目(item)：值 "公务接待费" 重复（第3行已有），应唯一',
        f"{D}/sangong.csv 第6行 全年执行数(executed)：执行数 13.00 超过全年预算数 12.00",
    ]
    assert load_item(folder) == "因公出国（境）费"


def load_item(folder) -> str:
    from jixiao.inputs.loading import read

    return read(UNIT, 2019).dataset.sangong["item"].iloc[0]


def test_goals_completion_and_the_reason_for_a_shortfall(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    write_rows(folder / "goals.csv", [
        GOALS,
        ["G1", "清退不符合条件的低保户", "完成", "清退{dibao_cleared_households}", "", ""],
        ["G2", "完成地名普查成果转化", "部分完成", "仍在进行中", "", ""],
        ["G3", "建成区域性养老服务中心", "未完成", "", "", ""],
        ["G3", "", "达成", "清退{dibao_cleared_house}", "", ""],
    ])  # fmt: skip
    assert messages() == [
        f"{D}/goals.csv 第5行 绩效目标(goal)：必填，不能为空",
        f'{D}/goals.csv 第5行 完成情况(completion)：值 "达成" 不是可用的代码，应为 完成、部分完成、未完成',
        f'{D}/goals.csv 第5行 目标编码(goal_id)：值 "G3" 重复（第4行已有），应唯一',
        f"{D}/goals.csv 第3行 偏差原因及改进措施(deviation_reason)：完成情况为“部分完成”时必填，不能为空",
        f"{D}/goals.csv 第4行 偏差原因及改进措施(deviation_reason)：完成情况为“未完成”时必填，不能为空",
        f"{D}/goals.csv 第5行 实际完成情况(outcome)：占位符 {{dibao_cleared_house}} 不是业务统计(stats)表中的指标键，"
        "是否应为 {dibao_cleared_households}？",
    ]


def test_placeholder_values_are_warnings_named_by_their_cell(tmp_path, monkeypatch):
    from jixiao.inputs.loading import read

    folder = project_copy(tmp_path, monkeypatch)
    set_cell(folder / "profile.csv", 2, "contact_person", "张某某")
    set_cell(folder / "profile.csv", 2, "contact_phone", "00000000")
    set_cell(folder / "narrative.csv", 3, "text", "清退低保户xxx户，{dibao_cleared_households}。")
    set_cell(folder / "projects.csv", 2, "goal", "XXX")
    why = "，报送前请改为真实内容"
    found = [
        f'{D}/profile.csv 第2行 联系人(contact_person)：值 "张某某" 像是占位的示例值（姓名带“某”）{why}',
        f'{D}/profile.csv 第2行 联系电话(contact_phone)：值 "00000000" 像是占位的示例值（号码是一串 0）{why}',
        f'{D}/projects.csv 第2行 年度总体目标(goal)：值 "XXX" 像是占位的示例值（含 XXX）{why}',
        f"{D}/narrative.csv 第3行 内容(text)：内容像是占位的示例值（含 XXX）{why}",  # a long text is not quoted
    ]
    assert [str(p) for p in stand_ins(read(UNIT, 2019).dataset)] == found
    problems, notes = validate_with_notes(UNIT, 2019)
    assert problems == [] and notes == [f"警告 (warning): {line}" for line in found]  # not errors
    # what real values look like is no placeholder: a name, a number with 0s that are not all of it
    set_cell(folder / "profile.csv", 2, "contact_person", "王明")
    for phone in ("0751-8000000", "13800138000", "0751-6000001"):
        set_cell(folder / "profile.csv", 2, "contact_phone", phone)
        assert [p.column for p in stand_ins(read(UNIT, 2019).dataset)] == ["goal", "text"], phone
