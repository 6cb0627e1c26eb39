"""check.xlsx as written directly (``jixiao.check.outputs.table_workbook``): what openpyxl and
LibreOffice read back of it: values and their types, the header's style, frozen panes, filters,
text that would be a formula kept as text, characters XML cannot hold dropped."""

from __future__ import annotations

import io

import openpyxl

from jixiao.check.outputs import table_workbook


def test_a_table_workbook_reads_back_as_written():
    rows = [
        ["forms/民政局.xlsx", 10, 96.5, None, "=SUM(A1:A9)", "<b>&", " 前后空格 ", True],
        ["a\x01b", -3, 0.0, "", "+1", "@x", "", False],
    ]
    data = table_workbook([("指标", ("文件", "行", "得分", "空", "公式", "标记", "空格", "真"), rows),
                           ("未能读取", ("文件",), [])])  # fmt: skip
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["指标", "未能读取"]
    sheet = book["指标"]
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["文件", "行", "得分", "空", "公式", "标记", "空格", "真"],
        ["forms/民政局.xlsx", 10, 96.5, None, "=SUM(A1:A9)", "<b>&", " 前后空格 ", True],
        ["ab", -3, 0, None, "+1", "@x", None, False],
    ]
    assert [sheet["E2"].data_type, sheet["E2"].quotePrefix, sheet["F3"].quotePrefix, sheet["A2"].quotePrefix] == [
        "s", True, True, False,
    ]  # fmt: skip
    assert sheet["A1"].font.b and sheet["A1"].fill.fgColor.rgb == "00EEF1F5" and sheet["A1"].alignment.wrap_text
    assert not sheet["A2"].font.b
    assert (sheet.freeze_panes, sheet.auto_filter.ref, sheet.dimensions) == ("A2", "A1:H3", "A1:H3")
    empty = book["未能读取"]
    assert (empty.auto_filter.ref, [c.value for c in empty[1]]) == ("A1:A1", ["文件"])


def test_a_thousand_rows_and_more_are_all_written():
    rows = [[f"表{n}", n] for n in range(2500)]
    sheet = openpyxl.load_workbook(io.BytesIO(table_workbook([("表", ("名", "号"), rows)])))["表"]
    assert sheet.max_row == 2501 and sheet.auto_filter.ref == "A1:B2501"
    assert [c.value for c in sheet[1001]] == ["表999", 999] and [c.value for c in sheet[2501]] == ["表2499", 2499]
