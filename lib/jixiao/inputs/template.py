"""The Excel form of the inputs: an empty ``data.xlsx`` to fill in, or one filled from a Dataset.

One sheet per table, named in Chinese (预算, 项目, …); a bold, frozen header row of Chinese
labels, each with a note giving the English key, type, unit and meaning; drop-down lists for
coded columns; text columns formatted as text so that codes such as ``001`` stay text.
Everything comes from ``jixiao.inputs.schema``.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.inputs.dataset import Dataset
from jixiao.inputs.schema import LEVEL1, TABLES, TYPE_LABELS, Column, Table

VALIDATION_ROWS = 1000
"""Rows below the header covered by drop-down lists."""
SUGGESTED = {("indicators", "level1"): LEVEL1}
"""Drop-down lists on text columns that only warn: the first levels of project indicators are
offered, but department indicators may use other names."""
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def header_text(column: Column) -> str:
    """The Excel header of a column: its label, with ``(万元)`` for amounts."""
    return f"{column.label}({column.unit})" if column.is_amount else column.label


def note_text(column: Column) -> str:
    """The note on a column's header: key, type, unit, whether required, meaning, codes."""
    lines = [column.key, f"类型：{TYPE_LABELS[column.type]}"]
    if column.unit:
        lines.append(f"单位：{column.unit}")
    lines.append("必填" if column.required else "选填")
    if column.meaning:
        lines.append(column.meaning)
    if column.codes:
        lines.append("可选：" + "、".join(column.codes))
    return "\n".join(lines)


def _width(column: Column) -> float:
    if column.type == "text" and column.key in (
        "goal",
        "outcome",
        "duties",
        "text",
        "note",
        "deviation_reason",
        "target_text",
        "institutions",
        "units",
        "not_evaluated_reason",
    ):
        return 40
    return max(10, 2.2 * len(header_text(column)) + 2)


def _sheet(book: Workbook, table: Table) -> Worksheet:
    sheet = book.create_sheet(table.name)
    for index, column in enumerate(table.columns, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index, value=header_text(column))
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(vertical="center")
        note = Comment(note_text(column), "jixiao")
        note.width, note.height = 260, 140
        cell.comment = note
        sheet.column_dimensions[letter].width = _width(column)
        if column.type in ("text", "code"):
            sheet.column_dimensions[letter].number_format = "@"
        choices = column.codes or SUGGESTED.get((table.key, column.key), ())
        if choices:
            check = DataValidation(
                type="list",
                formula1='"' + ",".join(choices) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorStyle="stop" if column.codes else "warning",
                errorTitle=column.label,
                error=f"应为 {'、'.join(choices)}",
            )
            check.add(f"{letter}2:{letter}{VALIDATION_ROWS + 1}")
            sheet.add_data_validation(check)
    sheet.freeze_panes = "A2"
    return sheet


def table_sheet(book: Workbook, table: Table, rows: Iterable[dict[str, Any]]) -> Worksheet:
    """A sheet of ``table`` added to ``book`` (header, notes, drop-down lists) holding ``rows``
    (column key -> value; None or "" blank): what ``jixiao import`` writes into a unit's workbook."""
    sheet = _sheet(book, table)
    for r, row in enumerate(rows, start=2):
        for c, column in enumerate(table.columns, start=1):
            value = _value(row.get(column.key))
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            cell = sheet.cell(row=r, column=c, value=value)
            if column.type in ("text", "code"):
                cell.number_format = "@"
    return sheet


def _workbook(tables: Iterable[str] | None = None) -> Workbook:
    """A workbook with the sheets of ``tables`` (default every table) and the profile's, in the data
    model's order."""
    wanted = set(TABLES if tables is None else tables) | {"profile"}
    unknown = sorted(wanted - set(TABLES))
    if unknown:
        raise KeyError(f"unknown table {unknown[0]!r}; tables are {', '.join(TABLES)}")
    book = Workbook()
    book.remove(book.active)
    for table in TABLES.values():
        if table.key in wanted:
            _sheet(book, table)
    return book


def write_template(path: Path | str, unit: str, year: int, tables: Iterable[str] | None = None) -> Path:
    """An empty input workbook at ``path``; the profile sheet holds ``unit`` and ``year``. ``tables``
    (keys of :data:`~jixiao.inputs.schema.TABLES`; ``jixiao.inputs.needs.tables_for`` the unit's
    sections: the tables they read) chooses the sheets, in the schema's order; the profile's is
    always there (default: every table)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    _template(unit, year, tables).save(path)
    return path


def template_bytes(unit: str, year: int, tables: Iterable[str] | None = None, unit_name: str = "") -> bytes:
    """The workbook :func:`write_template` writes, as bytes (for a group of files written together);
    the profile sheet holds ``unit_name`` too, when given."""
    buffer = io.BytesIO()
    _template(unit, year, tables, unit_name).save(buffer)
    return buffer.getvalue()


def _template(unit: str, year: int, tables: Iterable[str] | None, unit_name: str = "") -> Workbook:
    book = _workbook(tables)
    profile = book[TABLES["profile"].name]
    keys = TABLES["profile"].keys
    profile.cell(row=2, column=keys.index("unit_id") + 1, value=unit).number_format = "@"
    profile.cell(row=2, column=keys.index("year") + 1, value=int(year))
    if unit_name:
        profile.cell(row=2, column=keys.index("unit_name") + 1, value=unit_name).number_format = "@"
    return book


def _value(value: Any) -> Any:
    """A DataFrame value as an Excel cell value (blank for NaN, NA and empty text)."""
    if value is None or value is pd.NA or value == "":
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def write_workbook(path: Path | str, dataset: Dataset) -> Path:
    """The workbook form of ``dataset`` at ``path``: loads back to the same tables."""
    book = _workbook()
    for table in TABLES.values():
        sheet = book[table.name]
        frame = dataset.table(table.key)
        for r, (_, row) in enumerate(frame.iterrows(), start=2):
            for c, column in enumerate(table.columns, start=1):
                cell = sheet.cell(row=r, column=c, value=_value(row[column.key]))
                if column.type in ("text", "code"):
                    cell.number_format = "@"
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path
