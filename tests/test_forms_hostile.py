"""Hostile files given to the forms reader: each is one clear line naming the file (and the sheet
and cell where there is one), and the other files of the same run are still read.

Time and memory stay bounded: ``benchmarks/bench_forms.py`` measures them on these files."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from forms_fixtures import FIXTURES, project
from jixiao.forms.reading import read, read_workbook
from jixiao.forms.samples import save, workbook


def good(tmp_path: Path) -> Path:
    return save(tmp_path / "good.xlsx", [(project(), "central")])


def rewrite_sheet(path: Path, change) -> Path:
    """Rewrite the first sheet's XML of an xlsx with ``change(xml) -> xml``."""
    source = path.with_suffix(".orig")
    path.rename(source)
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = change(data.decode("utf-8")).encode("utf-8")
            new.writestr(info, data)
    source.unlink()
    return path


def messages(reading) -> list[str]:
    return [str(p) for p in reading.problems]


def test_a_workbook_that_is_not_a_form(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["姓名", "金额"])
    book.active.append(["张三", 12])
    book.create_sheet("Sheet2")
    book.save(tmp_path / "名单.xlsx")
    path = tmp_path / "名单.xlsx"
    assert messages(read_workbook(path)) == [
        f"{path}：不是绩效自评表：2 个工作表中没有标题含「绩效自评表」且有指标表（一级指标、二级指标、三级指标）的表"
        " (not a 自评表 workbook)"
    ]


def test_an_encrypted_workbook(tmp_path):
    """An encrypted .xlsx is an OLE compound file (not a zip) whose directory holds an
    EncryptionInfo stream: its signature and that directory entry, as Excel and WPS write them."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    entry = "EncryptionInfo".encode("utf-16-le").ljust(64, b"\0") + bytes(64)
    path = tmp_path / "加密.xlsx"
    path.write_bytes(header + entry + bytes(2048))
    assert messages(read_workbook(path)) == [
        f"{path}：文件已加密（设有打开密码），无法读取 (encrypted or password-protected)"
    ]


def test_a_corrupt_workbook(tmp_path):
    data = good(tmp_path).read_bytes()
    path = tmp_path / "损坏.xlsx"
    path.write_bytes(data[: len(data) // 2])
    assert messages(read_workbook(path)) == [f"{path}：文件已损坏，无法打开 (corrupt file)"]


def test_an_empty_file_and_random_bytes(tmp_path):
    (tmp_path / "空.xlsx").write_bytes(b"")
    (tmp_path / "乱.xls").write_bytes(bytes(range(256)) * 8)
    assert messages(read([tmp_path])) == [
        f"{tmp_path / '乱.xls'}：文件已损坏或不是 Excel 工作簿 (corrupt file, not a workbook)",
        f"{tmp_path / '空.xlsx'}：文件是空的 (empty file)",
    ]


def test_a_csv_and_an_html_page_named_xlsx(tmp_path):
    (tmp_path / "a.xlsx").write_text("项目名称,全年预算数\n临时救助,240\n", encoding="utf-8")
    (tmp_path / "b.xlsx").write_text("<html><body><table><tr><td>项目名称</td></tr></table></body></html>")
    assert messages(read([tmp_path])) == [
        f"{tmp_path / 'a.xlsx'}：是 CSV 文本文件而不是 Excel 工作簿（扩展名为 .xlsx）(a CSV text file, not a workbook)",
        f"{tmp_path / 'b.xlsx'}：是 HTML 网页而不是 Excel 工作簿（扩展名为 .xlsx）(an HTML page, not a workbook)",
    ]


def test_a_formula_with_no_cached_value_is_reported_never_taken_as_zero(tmp_path):
    book = workbook([(project(), "central")])
    book.active["I18"] = "=SUM(I13:I17)+I6"  # openpyxl saves formulas without their values
    book.active["I14"] = "=15*0.9787"
    path = tmp_path / "公式.xlsx"
    book.save(path)
    reading = read_workbook(path)
    assert messages(reading) == [
        f"{path} 工作表「临时救助」I14：单元格不可读：公式没有计算结果（未保存缓存值）(formula with no cached value)",
        f"{path} 工作表「临时救助」I18：单元格不可读：公式没有计算结果（未保存缓存值）(formula with no cached value)",
    ]
    form = reading.forms[0]
    assert list(form.problems) == reading.problems
    assert (form.indicators[1].score.value, form.indicators[1].score.at.cell) == (None, "I14")
    assert (form.total.value, form.total.at.cell) == (None, "I18")


def test_error_values_are_reported(tmp_path):
    book = workbook([(project(), "central")])
    book.active["H6"] = "#DIV/0!"
    book.active["G14"] = "#REF!"
    path = tmp_path / "错误.xlsx"
    book.save(path)
    reading = read_workbook(path)
    assert messages(reading) == [
        f"{path} 工作表「临时救助」H6：单元格不可读：#DIV/0! (error value)",
        f"{path} 工作表「临时救助」G14：单元格不可读：#REF! (error value)",
    ]
    assert reading.forms[0].fund("年度资金总额").rate.value is None
    assert reading.forms[0].indicators[1].actual.value is None


def test_a_sheet_declaring_a_million_rows_is_read_as_it_is(tmp_path):
    path = rewrite_sheet(
        good(tmp_path), lambda xml: re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>', xml)
    )
    reading = read_workbook(path)
    assert reading.problems == []
    assert [f.project.value for f in reading.forms] == ["临时救助"]
    assert len(reading.forms[0].indicators) == 5


def test_a_sheet_holding_a_cell_a_million_rows_down(tmp_path):
    book = workbook([(project(), "central")])
    book.active.cell(row=1048576, column=10, value="x")
    path = tmp_path / "百万行.xlsx"
    book.save(path)
    assert messages(read_workbook(path)) == [
        f"{path} 工作表「临时救助」：工作表数据区为 1048576 行 × 10 列，超出可读范围 4000000 个单元格 (sheet too large)"
    ]


def test_one_merged_range_over_the_whole_sheet(tmp_path):
    path = rewrite_sheet(
        good(tmp_path),
        lambda xml: re.sub(r'<mergeCells count="\d+">', '<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/>', xml),
    )
    assert messages(read_workbook(path)) == [
        f"{path} 工作表「临时救助」：合并单元格 A1:XFD1048576 覆盖 17179869184 个单元格，不是自评表的格式"
        " (a merged range over the whole sheet)"
    ]


def test_two_hundred_sheets(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["说明"])
    for n in range(199):
        book.create_sheet(f"表{n}").append(["项目", n])
    path = tmp_path / "两百表.xlsx"
    book.save(path)
    assert messages(read_workbook(path)) == [
        f"{path}：不是绩效自评表：200 个工作表中没有标题含「绩效自评表」且有指标表（一级指标、二级指标、三级指标）的表"
        " (not a 自评表 workbook)"
    ]


def test_the_other_files_of_the_run_are_still_read(tmp_path):
    good(tmp_path)
    (tmp_path / "a.xlsx").write_text("x,y\n1,2\n", encoding="utf-8")
    (tmp_path / "z.xlsx").write_bytes(b"PK\x03\x04broken")
    reading = read([tmp_path])
    assert [Path(p.file).name for p in reading.problems] == ["a.xlsx", "z.xlsx"]
    assert [(Path(f.file).name, f.project.value) for f in reading.forms] == [("good.xlsx", "临时救助")]


@pytest.mark.parametrize("text", ["总分", "评价等级"])
def test_a_form_without_its_footer_says_what_is_missing(tmp_path, text):
    book = workbook([(project(), "central")])
    sheet = book.active
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value == text:
                cell.value = None
    path = tmp_path / "缺.xlsx"
    book.save(path)
    reading = read_workbook(path)
    if text == "总分":
        assert messages(reading) == [
            f"{path} 工作表「临时救助」A18：指标行没有三级指标名称 (indicator row without a name)",
            f"{path} 工作表「临时救助」A19：没有找到总分一行 (总分 not found)",
        ]
    else:
        assert messages(reading) == []
        assert reading.forms[0].grade.value is None


def test_a_workbook_named_as_the_other_format_is_read_as_what_it_is(tmp_path):
    xlsx = tmp_path / "实为xlsx.xls"
    xlsx.write_bytes(good(tmp_path).read_bytes())
    xls = tmp_path / "实为xls.xlsx"
    xls.write_bytes((FIXTURES / "central.xls").read_bytes())
    reading = read([xlsx, xls])
    assert reading.problems == []
    assert [(f.project.value, len(f.indicators), f.notes[0]) for f in reading.forms] == [
        ("临时救助", 5, "文件扩展名为 .xls，内容是 xlsx：按 xlsx 读取"),
        ("临时救助", 5, "文件扩展名为 .xlsx，内容是 xls：按 xls 读取"),
    ]
