"""Hostile and damaged input files: each gets one clear problem (file, sheet, row, column), read
within its limits; nothing hangs, nothing slips through to the report."""

from __future__ import annotations

import time
import zipfile

import pytest

from helpers_inputs import UNIT, project_copy, read_rows, set_cell, write_rows
from jixiao.inputs import loading
from jixiao.inputs.dataset import TABLES
from jixiao.inputs.loading import load
from jixiao.inputs.validation import InputError, validate, validate_with_notes

D = f"data/{UNIT}/2019"
TRUNCATED = "已损坏或不完整（压缩包无法打开，可能未复制完整）；请重新保存或重新复制该文件"


def messages() -> list[str]:
    return [str(p) for p in validate(UNIT, 2019)]


def to_workbook(folder):
    """The copy's CSV inputs as one data.xlsx (the CSV files removed); its path."""
    from jixiao.inputs.template import write_workbook

    write_workbook(folder / "data.xlsx", load(UNIT, 2019))
    for name in TABLES:
        (folder / f"{name}.csv").unlink(missing_ok=True)  # optional tables may be absent
    return folder / "data.xlsx"


def test_a_far_formatted_cell_does_not_make_a_huge_sheet(tmp_path, monkeypatch):
    from openpyxl import load_workbook
    from openpyxl.styles import PatternFill

    path = to_workbook(project_copy(tmp_path, monkeypatch))
    book = load_workbook(path)
    book["预算"]["XFD1048576"].fill = PatternFill("solid", fgColor="FFFF00")  # formatted, empty
    book.save(path)
    with zipfile.ZipFile(path) as archive:
        sheet = next(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet2"))
        assert b'<dimension ref="A1:XFD1048576"/>' in archive.read(sheet)
    start = time.perf_counter()
    assert messages() == []
    assert time.perf_counter() - start < 10  # it hung (16 384 × 1 048 576 cells scanned)


def test_control_characters_are_refused_with_their_place(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    set_cell(folder / "narrative.csv", 3, "text", "清退低保户\x00{dibao_cleared_households}。")
    set_cell(folder / "projects.csv", 2, "project_name", "特困\x1b[31m供养")
    assert messages() == [
        f"{D}/projects.csv 第2行 项目名称(project_name)：值含有控制字符 U+001B（第 3 个字符），"
        "不能用于报告；请删除后重新保存",
        f"{D}/narrative.csv 第3行 内容(text)：值含有控制字符 U+0000（第 6 个字符），不能用于报告；请删除后重新保存",
    ]
    # the terminal is shown the escape, not given it
    problem = validate(UNIT, 2019)[0]
    assert problem.value == "特困\x1b[31m供养" and "\x1b" not in str(InputError([problem]))


def test_listing_is_capped_per_file_and_column(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    rows = read_rows(folder / "stats.csv")
    for number in range(30):
        rows.append(["dibao", f"extra_{number}", "多余", "abc", "户", "", "", "published", ""])
    write_rows(folder / "stats.csv", rows)
    problems = validate(UNIT, 2019)
    assert len(problems) == 30
    lines = str(InputError(problems)).splitlines()
    assert lines[0] == "输入数据有 30 处错误："
    assert lines[1] == f'{D}/stats.csv 第4行 数值(value)：值 "abc" 不是数字，应为数字'
    assert len(lines) == 1 + 20 + 1
    assert lines[-1] == f"{D}/stats.csv 数值(value)：另有 10 处错误未列出（每列至多列出 20 处）"


def test_too_many_rows_is_one_problem(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    rows = read_rows(folder / "stats.csv")
    rows += [["dibao", f"k{n}", "x", "abc", "户", "", "", "published", ""] for n in range(loading.MAX_ROWS)]
    write_rows(folder / "stats.csv", rows)
    assert messages() == [f"{D}/stats.csv：表有超过 50000 行数据（上限 50000 行），未读取；请删减或拆分"]


def test_a_file_above_the_size_limit_is_not_read(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    monkeypatch.setattr(loading, "MAX_FILE_BYTES", 2_000_000)
    path = folder / "budget.csv"
    path.write_bytes(path.read_bytes() + b"\n" * (2_500_000 - path.stat().st_size))
    assert messages() == [f"{D}/budget.csv：文件有 2.5 MB，超过 2 MB 的上限，未读取"]


def test_a_huge_cell_is_refused(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    set_cell(folder / "projects.csv", 2, "goal", "很长" * 6000)
    assert messages() == [
        f"{D}/projects.csv 第2行 年度总体目标(goal)：内容有 12000 个字符，超过每个单元格 10000 个字符的上限"
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"PK\x03\x04" + b"\x00" * 200, TRUNCATED),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100 + "EncryptedPackage".encode("utf-16-le"),
            "是加密（设有打开密码）的工作簿，无法读取；请在 Excel 中取消密码后另存为 .xlsx",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
            "是旧版 Excel 97-2003 工作簿（.xls）或其他 Office 文件，不是 .xlsx；请在 Excel 中另存为 .xlsx",
        ),
        (
            "line_id,fund_source\nB01,一般公共预算\n".encode(),
            "内容是文本（像 CSV 文件），不是 Excel 工作簿：文件名与内容不符；CSV 文件应命名为 <表名>.csv",
        ),
        (b"", "是空文件（0 字节），不是 Excel 工作簿"),
    ],
    ids=["truncated", "encrypted", "xls", "renamed-csv", "empty"],
)
def test_a_file_that_is_not_a_readable_workbook_is_one_problem(tmp_path, monkeypatch, content, message):
    folder = project_copy(tmp_path, monkeypatch)
    for name in TABLES:
        (folder / f"{name}.csv").unlink(missing_ok=True)  # optional tables may be absent
    (folder / "data.xlsx").write_bytes(content)
    assert messages() == [f"{D}/data.xlsx：{message}"]


def test_a_truncated_real_workbook(tmp_path, monkeypatch):
    path = to_workbook(project_copy(tmp_path, monkeypatch))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    assert messages() == [f"{D}/data.xlsx：{TRUNCATED}"]


def test_a_folder_named_data_xlsx(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    (folder / "data.xlsx").mkdir()
    assert messages() == [f"{D}/data.xlsx：是一个文件夹，不是工作簿文件；应为 Excel 工作簿（.xlsx）"]


def test_merged_cells_formulas_without_values_error_values_and_hidden_sheets(tmp_path, monkeypatch):
    from openpyxl import load_workbook

    path = to_workbook(project_copy(tmp_path, monkeypatch))
    book = load_workbook(path)
    projects = book["项目"]
    assert projects["C2"].value == projects["C3"].value == "一般公共预算"
    projects["C3"].value = None
    projects.merge_cells("C2:C3")  # 资金来源 of two projects, merged as on a printed form
    budget = book["预算"]
    budget["F2"] = "=D2+E2"  # a formula openpyxl saves without its value
    budget["F3"] = "#DIV/0!"
    budget["F3"].data_type = "e"
    book["业务统计"].sheet_state = "hidden"
    book.save(path)
    problems, notes = validate_with_notes(UNIT, 2019)
    assert [str(p) for p in problems] == [
        f"{D}/data.xlsx 工作表「预算」 第2行 全年执行数(executed)：是公式，但工作簿没有保存公式的计算结果"
        "（由不计算公式的程序生成）；请在 Excel 中打开并保存或填入数值",
        f"{D}/data.xlsx 工作表「预算」 第3行 全年执行数(executed)：是错误值 #DIV/0!（公式出错），应为数字（万元）",
        f"{D}/data.xlsx 工作表「项目」 第3行 资金来源(fund_source)：在合并单元格 C2:C3 中，只有左上角的单元格有值；"
        "请取消合并，在每一行填写",
    ]
    profile, why = f"{D}/data.xlsx 工作表「单位概况」 第2行", "，报送前请改为真实内容"
    assert notes == [  # not errors: a note, and the example's placeholder contact named by its sheet and cell
        f"注意 (note): {D}/data.xlsx 工作表「业务统计」是隐藏的工作表，已作为业务统计(stats)表读取",
        f'警告 (warning): {profile} 联系人(contact_person)：值 "王某" 像是占位的示例值（姓名带“某”）{why}',
        f'警告 (warning): {profile} 联系电话(contact_phone)：值 "0751-0000000" 像是占位的示例值（号码是一串 0）{why}',
    ]


def test_invalid_utf8_is_named_by_row_not_replaced(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    path = folder / "projects.csv"
    lines = path.read_bytes().split(b"\n")
    lines[3] = lines[3].replace("城乡低保".encode(), "城乡".encode() + b"\xff\xfe")
    path.write_bytes(b"\n".join(lines))
    assert messages() == [f"{D}/projects.csv 第4行：第 12 个字节 0xFF 不是有效的 UTF-8 文本（此行已损坏）"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"\x00\x01\x02\xff\xfe\x80" * 50,
            "不是 UTF-8 或 GBK/GB18030 编码的文本，无法读取：第 1 行有二进制内容（字节 0xFF）",
        ),
        (
            "line_id,x".encode("utf-16"),
            "文件是 UTF-16 编码（Excel 的“Unicode 文本”），应为 UTF-8 或 GBK 编码的 CSV；请另存为“CSV UTF-8”",
        ),
        (b"line_id;fund_source;kind\nB01;x;y\n", "列之间用分号分隔，应为逗号 (,)，未读取；请另存为 CSV（逗号分隔）"),
        (b"\xef\xbb\xbf", "表是空的"),
        (b"", "表是空的"),
    ],
    ids=["binary", "utf-16", "semicolons", "bom-only", "empty"],
)
def test_a_csv_file_that_is_not_a_table_is_one_problem(tmp_path, monkeypatch, content, message):
    folder = project_copy(tmp_path, monkeypatch)
    (folder / "budget.csv").write_bytes(content)
    assert messages() == [f"{D}/budget.csv：{message}"]
