"""Loading the inputs: the 2019 example's printed figures, provenance, and real-world forms."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from helpers_inputs import UNIT, project_copy, read_rows, rename_column, set_cell, write_rows
from jixiao.inputs.dataset import TABLES
from jixiao.inputs.loading import InputError, load, load_table, parse_number, read, split_header

GENERAL, FUND = "一般公共预算", "政府性基金预算"
NAMED_GENERAL = [
    "特困供养",
    "社会福利",
    "城乡低保",
    "村务监督委员会补贴",
    "临时救助",
    "残疾人两项补贴",
    "其他社会保障和就业支出",
]


@pytest.fixture(scope="module")
def example():
    return load(UNIT, 2019)


def test_example_budget_reproduces_the_opening_paragraph(example):
    budget = example.budget
    assert round(budget["full_year_budget"].sum(), 2) == 10408.34
    assert round(budget["executed"].sum(), 2) == 10408.34
    lines = budget.set_index(["fund_source", "kind"])["executed"]
    assert lines[(GENERAL, "项目支出")] == 8677.53
    assert lines[(FUND, "项目支出")] == 442.25
    assert (lines[(GENERAL, "人员经费")], lines[(GENERAL, "公用经费")]) == (1062.38, 226.18)
    assert round(lines[(GENERAL, "人员经费")] + lines[(GENERAL, "公用经费")], 2) == 1288.56  # 基本支出


def test_example_projects_not_evaluated_make_up_the_rest_of_general_project_spending(example):
    projects = example.projects
    general = projects[projects["fund_source"] == GENERAL]
    rest = general[general["self_evaluated"] == "否"]
    assert round(rest["executed"].sum(), 2) == 1778.89 == round(8677.53 - 6898.64, 2)
    assert round(general["executed"].sum(), 2) == 8677.53
    assert all(rest["not_evaluated_reason"].str.len() > 10)


def test_example_projects_reproduce_the_printed_sums_and_share(example):
    projects = example.projects
    evaluated = projects[projects["self_evaluated"] == "是"]
    general = evaluated[evaluated["fund_source"] == GENERAL]
    fund = evaluated[evaluated["fund_source"] == FUND]
    assert list(general["project_name"]) == NAMED_GENERAL
    assert len(fund) == 6
    assert {"养老服务设施建设", '"双百镇"社工', "儿童福利"} <= set(fund["project_name"])
    assert round(general["executed"].sum(), 2) == 6898.64
    assert round(fund["executed"].sum(), 2) == 442.25
    assert round(6898.64 / 8677.53 * 100, 1) == 79.5
    assert (projects["executed"] == projects["full_year_budget"]).all()
    assert set(projects["source"]) == {"illustrative"}


def test_example_profile_and_types(example):
    row = example.profile.iloc[0]
    assert (row["unit_id"], row["unit_name"], row["year"]) == (UNIT, "乐昌市民政局", 2019)
    assert example.profile["year"].dtype == "Int64"
    assert example.budget["executed"].dtype == "float64"
    assert example.indicators["target"].dtype == "float64"
    assert example.profile["supervisor"].iloc[0] == ""


def test_provenance_columns_and_files(example):
    budget = example.budget
    assert list(budget.columns[-3:]) == ["_file", "_sheet", "_row"]
    assert set(budget["_file"]) == {"data/lechang-mzj/2019/budget.csv"}
    assert set(budget["_sheet"]) == {""}
    assert list(budget["_row"]) == [2, 3, 4, 5]
    assert example.files == [f"data/lechang-mzj/2019/{t}.csv" for t in TABLES]


def test_every_table_has_every_schema_column(example):
    from jixiao.inputs.schema import TABLES as SCHEMA

    for name, table in SCHEMA.items():
        assert list(example.table(name).columns) == [*table.keys, "_file", "_sheet", "_row"]


def test_load_table_reads_one_table(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    (folder / "indicators.csv").unlink()
    frame, files = load_table(UNIT, 2019, "stats")
    assert files == ["data/lechang-mzj/2019/stats.csv"]
    assert list(frame["key"]) == ["dibao_cleared_households", "dibao_cleared_people"]
    assert list(frame["value"]) == [223.0, 489.0]


def test_blank_source_means_published(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    set_cell(folder / "budget.csv", 4, "source", "")
    assert load(UNIT, 2019).budget["source"].iloc[2] == "published"


def test_load_raises_with_every_unreadable_cell(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    set_cell(folder / "budget.csv", 3, "executed", "abc")
    set_cell(folder / "projects.csv", 2, "fund_source", "一般预算")
    with pytest.raises(InputError) as caught:
        load(UNIT, 2019)
    assert len(caught.value.problems) == 2


# --- real-world forms ---------------------------------------------------------------------


def _executed(folder, row=2):
    del folder
    return load(UNIT, 2019).budget["executed"].iloc[row - 2]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030", "gbk"])
def test_csv_encodings(tmp_path, monkeypatch, encoding):
    folder = project_copy(tmp_path, monkeypatch)
    for name in ("budget", "projects"):
        write_rows(folder / f"{name}.csv", read_rows(folder / f"{name}.csv"), encoding)
    data = load(UNIT, 2019)
    assert list(data.budget["fund_source"]) == [GENERAL, GENERAL, FUND, GENERAL]
    assert data.budget["executed"].iloc[1] == 8677.53
    assert list(data.projects["project_name"])[:2] == ["特困供养", "社会福利"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("10,408.34", 10408.34),
        ("1,288.56", 1288.56),
        ("１０４０８．３４", 10408.34),
        ("１，２８８．５６", 1288.56),
        ("  1288.56  ", 1288.56),
        ("\u30001288.56\u3000", 1288.56),
    ],
)
def test_amount_forms(tmp_path, monkeypatch, text, value):
    folder = project_copy(tmp_path, monkeypatch)
    set_cell(folder / "budget.csv", 2, "executed", text)
    assert _executed(folder) == value


@pytest.mark.parametrize(("text", "value"), [("79.5%", 79.5), ("９５％", 95.0), ("100 %", 100.0), ("95", 95.0)])
def test_percent_forms_in_a_number_column(tmp_path, monkeypatch, text, value):
    folder = project_copy(tmp_path, monkeypatch)
    set_cell(folder / "indicators.csv", 3, "target", text)
    assert load(UNIT, 2019).indicators["target"].iloc[1] == value


@pytest.mark.parametrize(
    ("header", "text", "value"),
    [
        ("executed(元)", "104083400", 10408.34),
        ("executed（元）", "12,885,600", 1288.56),
        ("全年执行数（元）", "12885600", 1288.56),
        ("全年执行数(元)", "12885600.00", 1288.56),
        ("全年执行数(万元)", "1288.56", 1288.56),
        ("executed（万元）", "1288.56", 1288.56),
        ("全年执行数", "1288.56", 1288.56),
        (" Executed ", "1288.56", 1288.56),
    ],
)
def test_header_forms_and_yuan(tmp_path, monkeypatch, header, text, value):
    folder = project_copy(tmp_path, monkeypatch)
    set_cell(folder / "budget.csv", 2, "executed", text)
    rename_column(folder / "budget.csv", "executed", header)
    assert _executed(folder) == value


def test_chinese_headers_in_csv(tmp_path, monkeypatch):
    from jixiao.inputs.schema import BUDGET

    folder = project_copy(tmp_path, monkeypatch)
    rows = read_rows(folder / "budget.csv")
    rows[0] = [BUDGET.column(k).label for k in rows[0]]
    write_rows(folder / "budget.csv", rows)
    assert load(UNIT, 2019).budget["executed"].iloc[1] == 8677.53


def test_trailing_blank_rows_and_spaces(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    rows = read_rows(folder / "budget.csv")
    rows[1][0] = "  B01 "
    rows[1][1] = " 一般公共预算\u3000"
    rows += [[""] * 7, [" "] * 7, []]
    write_rows(folder / "budget.csv", rows)
    budget = load(UNIT, 2019).budget
    assert list(budget["line_id"]) == ["B01", "B02", "B03", "B04"]
    assert budget["fund_source"].iloc[0] == GENERAL
    assert list(budget["_row"]) == [2, 3, 4, 5]


def test_blank_row_in_the_middle_keeps_excel_row_numbers(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    rows = read_rows(folder / "budget.csv")
    rows.insert(2, [""] * 7)
    write_rows(folder / "budget.csv", rows)
    assert list(load(UNIT, 2019).budget["_row"]) == [2, 4, 5, 6]


@pytest.mark.parametrize(
    ("text", "code"),
    [(">=", "≥"), ("<=", "≤"), ("＞＝", "≥"), (" ≤ ", "≤"), ("＝", "="), ("定性", "定性")],
)
def test_direction_forms(tmp_path, monkeypatch, text, code):
    folder = project_copy(tmp_path, monkeypatch)
    set_cell(folder / "indicators.csv", 2, "direction", text)
    assert load(UNIT, 2019).indicators["direction"].iloc[0] == code


def test_source_code_is_case_insensitive(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    set_cell(folder / "budget.csv", 2, "source", "Illustrative")
    assert load(UNIT, 2019).budget["source"].iloc[0] == "illustrative"


def test_parse_number_and_split_header():
    assert parse_number("-1,234.5") == (-1234.5, False)
    assert parse_number("−3") == (-3.0, False)
    assert parse_number("79.5%") == (79.5, True)
    assert parse_number("nan") is None
    assert parse_number("1.2.3") is None
    assert parse_number("10408,34") is None
    assert split_header("全年执行数（元）") == ("全年执行数", "元")
    assert split_header("initial_budget [万元]") == ("initial_budget", "万元")
    assert split_header("自评得分(填报)") == ("自评得分(填报)", "")


# --- Excel ----------------------------------------------------------------------------------


def test_excel_types_codes_stay_text(tmp_path, monkeypatch):
    """Codes typed as numbers, dates and percent-formatted cells are read as the user sees them."""
    from jixiao.inputs.template import write_workbook

    folder = project_copy(tmp_path, monkeypatch)
    write_workbook(folder / "data.xlsx", load(UNIT, 2019))
    for name in TABLES:
        (folder / f"{name}.csv").unlink(missing_ok=True)
    from openpyxl import load_workbook

    book = load_workbook(folder / "data.xlsx")
    budget = book["预算"]
    budget["A2"] = 1  # line_id typed as a number
    budget["A3"] = 2.0
    budget["F2"] = "1,288.56"  # executed as text with a separator
    book["项目"]["J2"] = dt.datetime(2019, 10, 1)  # a date in the text column goal
    indicators = book["绩效指标"]
    indicators["G2"] = 6.5  # target as a plain number
    indicators["G3"] = 1.0  # target shown as 100%
    indicators["G3"].number_format = "0%"
    book.save(folder / "data.xlsx")
    data = load(UNIT, 2019)
    assert list(data.budget["line_id"]) == ["1", "2", "B03", "B04"]
    assert data.budget["executed"].iloc[0] == 1288.56
    assert list(data.indicators["target"].iloc[:2]) == [6.5, 100.0]
    assert data.projects["goal"].iloc[0] == "2019-10-01"
    assert list(data.budget["_row"]) == [2, 3, 4, 5]
    assert set(data.budget["_sheet"]) == {"预算"}
    assert data.files == ["data/lechang-mzj/2019/data.xlsx"]


def test_excel_sheet_and_headers_by_key(tmp_path, monkeypatch):
    from jixiao.inputs.template import write_workbook

    folder = project_copy(tmp_path, monkeypatch)
    expected = load(UNIT, 2019)
    write_workbook(folder / "data.xlsx", expected)
    for name in TABLES:
        (folder / f"{name}.csv").unlink(missing_ok=True)
    from openpyxl import load_workbook

    book = load_workbook(folder / "data.xlsx")
    sheet = book["预算"]
    sheet.title = "budget"
    for cell in sheet[1]:
        cell.value = {"全年执行数(万元)": "executed(元)", "资金来源": "fund_source"}.get(cell.value, cell.value)
    for row in range(2, 6):
        sheet.cell(row=row, column=6).value = round(sheet.cell(row=row, column=6).value * 10000)
    book.save(folder / "data.xlsx")
    data = load(UNIT, 2019)
    assert list(data.budget["executed"]) == list(expected.budget["executed"])
    assert set(data.budget["_sheet"]) == {"budget"}


def test_frames_are_pandas(example):
    assert all(isinstance(example.table(t), pd.DataFrame) for t in TABLES)
    assert read(UNIT, 2019).problems == []
