"""Reading a unit's inputs for one year into typed tables (``jixiao.dataset.Dataset``).

The inputs are the CSV files ``data/<unit>/<year>/<table>.csv`` or one workbook ``data.xlsx``
there (see ``docs/data-model.md``). Reading accepts what real spreadsheets hold: CSV in UTF-8
with or without BOM or in GB18030/GBK; Chinese or English headers, with ``(万元)`` or ``(元)``
(元 columns are converted to 万元); thousands separators (``10,408.34``); percent strings
(``79.5%`` → 79.5); full-width digits and punctuation; ``>=``/``<=`` for ≥/≤; blank rows and
surrounding spaces. Every cell it cannot read is reported as a ``Problem`` with the file, sheet,
Excel row and column, and reading goes on, so that one run lists every problem.

``load`` returns the tables or raises ``InputError``; ``read`` returns both the tables and the
problems, for ``jixiao.validation`` to add its cross-table checks to.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from jixiao import paths
from jixiao.dataset import PROVENANCE_COLUMNS, TABLES, Dataset
from jixiao.schema import OPTIONAL_TABLES, Column, Table, table_by_name
from jixiao.schema import TABLES as SCHEMA

WORKBOOK = "data.xlsx"
ENCODINGS = ("utf-8-sig", "gb18030")
"""CSV encodings tried in turn: UTF-8 (a BOM is skipped), then GB18030 (a superset of GBK)."""

_HEADER_UNIT = re.compile(r"^(?P<base>.*?)\s*[(\[【]\s*(?P<unit>万元|元)\s*[)\]】]$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")
_CODE_ALIASES = {">=": "≥", "<=": "≤", "≧": "≥", "≦": "≤", "==": "="}


@dataclass
class Problem:
    """One problem in the inputs, located as the user sees it in a spreadsheet."""

    file: str
    """The file, relative to the project root (or the data folder when the file is missing)."""
    sheet: str = ""
    """The sheet of ``data.xlsx``; ``""`` for a CSV file."""
    row: int | None = None
    """The row as numbered in Excel (header = 1); None for a whole file or table."""
    column: str = ""
    """The column's English key (or the header text when it is not a known column)."""
    value: str = ""
    """The value found, as text."""
    expected: str = ""
    """What was expected, in words."""
    message: str = ""
    """What is wrong, in Chinese, without the location."""
    table: str = ""
    """The table's key; used to name the column by its Chinese label."""

    def __str__(self) -> str:
        place = [self.file]
        if self.sheet:
            place.append(f"工作表「{self.sheet}」")
        if self.row is not None:
            place.append(f"第{self.row}行")
        if self.column:
            place.append(column_display(self.table, self.column))
        return " ".join(place) + "：" + self.message


class InputError(Exception):
    """The inputs have problems; carries all of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        lines = [f"输入数据有 {len(self.problems)} 处错误："]
        lines += [str(p) for p in self.problems]
        return "\n".join(lines)


@dataclass
class Reading:
    """What ``read`` found: the tables (None when there was nothing to read) and the problems."""

    dataset: Dataset | None
    problems: list[Problem] = field(default_factory=list)


def column_display(table: str, key: str) -> str:
    """``全年执行数(executed)`` for a known column, else ``key`` itself."""
    schema = SCHEMA.get(table)
    if schema is not None and key in schema.keys:
        return schema.column(key).display
    return key


def load(unit: str, year: int) -> Dataset:
    """The typed tables of ``unit`` for ``year``; raises ``InputError`` if any cell is unreadable.

    Cross-table checks (sums, weights, unknown projects) are ``jixiao.validation.check``'s job.
    """
    reading = read(unit, year)
    if reading.problems or reading.dataset is None:
        raise InputError(reading.problems)
    return reading.dataset


def load_table(unit: str, year: int, name: str) -> tuple[pd.DataFrame, list[str]]:
    """One table of ``unit`` for ``year`` and the files read for it (the CSV or the workbook).

    Reads only that table (a notebook needing ``stats`` does not read ``indicators``); raises
    ``InputError`` if it cannot be read cleanly.
    """
    if name not in TABLES:
        raise KeyError(f"unknown table {name!r}; tables are {', '.join(TABLES)}")
    problems: list[Problem] = []
    found = _sources(unit, year, (name,), problems)
    if found is None or problems:
        raise InputError(problems)
    grids, files = found
    frame = _table(SCHEMA[name], grids.get(name), problems)
    if problems:
        raise InputError(problems)
    return frame, files


def read(unit: str, year: int) -> Reading:
    """Read every table of ``unit`` for ``year``, collecting problems instead of stopping."""
    problems: list[Problem] = []
    found = _sources(unit, year, TABLES, problems)
    if found is None:
        return Reading(None, problems)
    grids, files = found
    tables = {name: _table(SCHEMA[name], grids.get(name), problems) for name in TABLES}
    return Reading(Dataset(unit=unit, year=year, files=files, **tables), problems)


def _sources(
    unit: str, year: int, names: tuple[str, ...], problems: list[Problem]
) -> tuple[dict[str, _Grid], list[str]] | None:
    """The text cells of the tables ``names`` and the files read; None when there is no input."""
    folder = paths.data_dir(unit, year)
    where = paths.relative(folder)
    if not folder.is_dir():
        message = f"文件夹不存在，应有 {WORKBOOK} 或各表的 CSV 文件"
        problems.append(Problem(where, message=message))
        return None
    workbook = folder / WORKBOOK
    csv_files = [folder / f"{t}.csv" for t in TABLES if (folder / f"{t}.csv").is_file()]
    if workbook.is_file():
        if csv_files:
            listed = "、".join(p.name for p in csv_files)
            problems.append(
                Problem(
                    where,
                    value=listed,
                    expected="只用一种形式",
                    message=f"同时有 {WORKBOOK} 和 CSV 文件（{listed}），只能保留一种；已读取 {WORKBOOK}",
                )
            )
        return _read_workbook(workbook, names, problems), [paths.relative(workbook)]
    if not csv_files:
        expected = "、".join(f"{t}.csv" for t in TABLES if t not in OPTIONAL_TABLES)
        problems.append(
            Problem(
                where,
                expected=expected,
                message=f"没有输入文件，应有 {WORKBOOK} 或 {expected}",
            )
        )
        return None
    grids: dict[str, _Grid] = {}
    files: list[str] = []
    for name in names:
        path = folder / f"{name}.csv"
        if not path.is_file():
            if name in OPTIONAL_TABLES:  # read as an empty table
                continue
            problems.append(
                Problem(
                    paths.relative(path),
                    table=name,
                    expected=SCHEMA[name].display,
                    message=f"缺少文件，应为{SCHEMA[name].display}表",
                )
            )
            continue
        grids[name] = _Grid(paths.relative(path), "", _read_csv(path))
        files.append(paths.relative(path))
    return grids, files


@dataclass
class _Grid:
    """The cells of one CSV file or sheet, as text, first row the header."""

    file: str
    sheet: str
    rows: list[list[str]]


def _read_csv(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes nearly anything
        text = data.decode("utf-8", errors="replace")
    return [list(r) for r in csv.reader(io.StringIO(text, newline=""))]


def _read_workbook(path: Path, names: tuple[str, ...], problems: list[Problem]) -> dict[str, _Grid]:
    """The sheets of the tables ``names`` as text cells; problems for missing sheets."""
    file = paths.relative(path)
    grids: dict[str, _Grid] = {}
    unknown: list[str] = []
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # a damaged or non-Excel file
        problems.append(Problem(file, message=f"无法打开工作簿：{exc}"))
        return grids
    try:
        for sheet in book.worksheets:
            table = table_by_name(sheet.title)
            if table is None:
                unknown.append(sheet.title)
                continue
            if table.key not in names:
                continue
            if table.key in grids:
                problems.append(
                    Problem(
                        file,
                        sheet=sheet.title,
                        value=sheet.title,
                        message=f"与工作表「{grids[table.key].sheet}」是同一张表{table.display}，只能有一个",
                    )
                )
                continue
            sheet.reset_dimensions()
            rows = [[_cell_text(c) for c in r] for r in sheet.iter_rows()]
            grids[table.key] = _Grid(file, sheet.title, rows)
    finally:
        book.close()
    for name in names:
        if name in grids or name in OPTIONAL_TABLES:
            continue
        table = SCHEMA[name]
        close = difflib.get_close_matches(table.name, unknown, n=1, cutoff=0.5)
        close += difflib.get_close_matches(table.key, unknown, n=1, cutoff=0.6)
        hint = f"；是否是工作表「{close[0]}」？" if close else ""
        problems.append(
            Problem(
                file,
                table=name,
                expected=table.name,
                message=f"缺少工作表「{table.name}」({table.key}){hint}",
            )
        )
    return grids


def _cell_text(cell: Any) -> str:
    """An Excel cell as the text the user sees: 12 not 12.0, a percent cell 0.795 as 79.5%."""
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        if "%" in (getattr(cell, "number_format", "") or ""):
            return _number_text(round(value * 100, 10)) + "%"
        return _number_text(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _number_text(value: float) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def normalize(text: str) -> str:
    """Full-width digits, letters and punctuation to their ASCII forms; spaces trimmed."""
    return unicodedata.normalize("NFKC", text).strip()


def parse_number(text: str) -> tuple[float, bool] | None:
    """``(value, is_percent)`` for a number as people type it, or None.

    Accepts ``10,408.34``, ``79.5%``, full-width ``１０４０８．３４``, a leading ``+``/``-``/``−``.
    """
    s = normalize(text).replace(" ", "").replace("\u2212", "-")
    percent = s.endswith("%")
    if percent:
        s = s[:-1]
    if _THOUSANDS.match(s):
        s = s.replace(",", "")
    if not _NUMBER.match(s):
        return None
    value = float(s)
    return (value, percent) if math.isfinite(value) else None


def normalize_code(column: Column, text: str) -> str:
    """A code as written in the data model: ``>=`` → ``≥``, ``Published`` → ``published``."""
    s = normalize(text)
    s = _CODE_ALIASES.get(s, s)
    if column.key == "source":
        s = s.lower()
    return s


def split_header(text: str) -> tuple[str, str]:
    """``("全年执行数", "元")`` for ``全年执行数（元）``; the unit is ``""`` when none is given."""
    s = normalize(text)
    match = _HEADER_UNIT.match(s)
    if match:
        return match["base"].strip(), match["unit"]
    return s, ""


@dataclass
class _Header:
    index: int
    column: Column
    yuan: bool


def _map_headers(table: Table, grid: _Grid, problems: list[Problem]) -> list[_Header]:
    """The known columns of a header row; problems for unknown, misspelt and duplicate ones."""
    lookup: dict[str, Column] = {}
    for column in table.columns:
        lookup[column.key.lower()] = column
        lookup[normalize(column.label)] = column
    width = max((len(r) for r in grid.rows), default=0)
    header = [*grid.rows[0], *[""] * width][:width] if grid.rows else []
    found: dict[str, _Header] = {}
    suggested: set[str] = set()
    at = {"file": grid.file, "sheet": grid.sheet, "row": 1, "table": table.key}
    for index, text in enumerate(header):
        base, unit = split_header(text)
        letter = get_column_letter(index + 1)
        if not base:
            if any(_cell(r, index) for r in grid.rows[1:]):
                problems.append(Problem(**at, message=f"{letter} 列有数据但没有列名"))
            continue
        column = lookup.get(base) or lookup.get(base.lower())
        if column is None:
            guess = difflib.get_close_matches(base, list(lookup), n=1, cutoff=0.6)
            if guess:
                suggested.add(lookup[guess[0]].key)
                hint = f"，是否应为 {lookup[guess[0]].display}？"
            else:
                hint = f"；本表的列为 {'、'.join(c.label for c in table.columns)}"
            problems.append(
                Problem(
                    **at,
                    value=text.strip(),
                    expected=lookup[guess[0]].display if guess else "",
                    message=f'{letter} 列的列名 "{text.strip()}" 不是{table.display}表的列{hint}',
                )
            )
            continue
        if column.key in found:
            first = get_column_letter(found[column.key].index + 1)
            problems.append(
                Problem(
                    **at,
                    column=column.key,
                    value=text.strip(),
                    message=f"列重复（{first} 列和 {letter} 列），只能有一列；已读取 {first} 列",
                )
            )
            continue
        if unit == "元" and not column.is_amount:
            problems.append(
                Problem(
                    **at,
                    column=column.key,
                    value=text.strip(),
                    expected=column.unit or "无单位",
                    message=f"列名标有单位 元，但该列不是金额（单位应为 {column.unit or '无'}）",
                )
            )
            continue
        found[column.key] = _Header(index, column, unit == "元")
    for column in table.columns:
        if column.required and column.key not in found and column.key not in suggested:
            problems.append(Problem(**at, column=column.key, message="缺少此列（必填列）"))
    return list(found.values())


def _cell(row: list[str], index: int) -> str:
    return row[index].strip() if index < len(row) else ""


def _table(table: Table, grid: _Grid | None, problems: list[Problem]) -> pd.DataFrame:
    """One table's typed DataFrame (empty when its file is missing)."""
    records: list[dict[str, Any]] = []
    if grid is not None and grid.rows:
        headers = _map_headers(table, grid, problems)
        for number, row in enumerate(grid.rows[1:], start=2):
            if not any(c.strip() for c in row):
                continue
            record: dict[str, Any] = {"_file": grid.file, "_sheet": grid.sheet, "_row": number}
            for h in headers:
                place = Problem(grid.file, grid.sheet, number, h.column.key, table=table.key)
                record[h.column.key] = _convert(h, _cell(row, h.index), place, problems)
            records.append(record)
    elif grid is not None:
        problems.append(Problem(grid.file, grid.sheet, table=table.key, message="表是空的"))
    return _frame(table, records)


def _convert(header: _Header, text: str, place: Problem, problems: list[Problem]) -> Any:
    """One cell as its column's type; on error a problem is added and the cell left blank."""
    column = header.column

    def fail(message: str, expected: str = column.expected) -> None:
        place.value, place.expected, place.message = text, expected, message
        problems.append(place)

    if not text:
        if column.required:
            fail("必填，不能为空")
        return None
    if column.type == "text":
        return text
    if column.type == "code":
        code = normalize_code(column, text)
        if code not in column.codes:
            fail(f'值 "{text}" 不是可用的代码，应为 {column.expected}')
            return None
        return code
    parsed = parse_number(text)
    if parsed is None:
        fail(f'值 "{text}" 不是数字，应为{column.type_text}', column.type_text)
        return None
    value, percent = parsed
    if percent and column.is_amount:
        fail(f'值 "{text}" 是百分数，应为{column.expected}')
        return None
    if header.yuan:
        value = round(value / 10000, 6)
    if column.type == "integer" and not value.is_integer():
        fail(f'值 "{text}" 不是整数，应为{column.type_text}', column.type_text)
        return None
    if column.minimum is not None and value < column.minimum:
        word = "为负数" if column.minimum == 0 else f"小于 {column.minimum:g}"
        fail(f'值 "{text}" {word}，应为{column.expected}')
        return None
    if column.positive and value <= 0:
        fail(f'值 "{text}" 不大于 0，应为{column.expected}')
        return None
    if column.maximum is not None and value > column.maximum:
        fail(f'值 "{text}" 大于 {column.maximum:g}，应为{column.expected}')
        return None
    return int(value) if column.type == "integer" else value


_DTYPES = {"text": "str", "code": "str", "number": "float64", "integer": "Int64"}


def _frame(table: Table, records: list[dict[str, Any]]) -> pd.DataFrame:
    """Records as a DataFrame with every column of the table, typed; blank text is ``""``."""
    data: dict[str, pd.Series] = {}
    for column in table.columns:
        values = [r.get(column.key) for r in records]
        if column.type in ("text", "code"):
            default = "published" if column.key == "source" else ""
            values = [default if v is None else v for v in values]
        elif column.type == "number":
            values = [math.nan if v is None else v for v in values]
        data[column.key] = pd.Series(values, dtype=_DTYPES[column.type])
    data["_file"] = pd.Series([r["_file"] for r in records], dtype="str")
    data["_sheet"] = pd.Series([r["_sheet"] for r in records], dtype="str")
    data["_row"] = pd.Series([r["_row"] for r in records], dtype="int64")
    frame = pd.DataFrame(data)
    assert tuple(frame.columns[-3:]) == PROVENANCE_COLUMNS
    return frame
