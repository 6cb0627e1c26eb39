"""Reading a unit's inputs for one year into typed tables (``jixiao.inputs.dataset.Dataset``).

The inputs are the CSV files ``data/<unit>/<year>/<table>.csv`` or one workbook ``data.xlsx``
there (see ``docs/data-model.md``). Reading accepts what real spreadsheets hold: CSV in UTF-8
with or without BOM or in GB18030/GBK; Chinese or English headers, with ``(万元)`` or ``(元)``
(元 columns are converted to 万元); thousands separators (``10,408.34``); percent strings
(``79.5%`` → 79.5); full-width digits and punctuation; ``>=``/``<=`` for ≥/≤; blank rows and
surrounding spaces. Every cell it cannot read is reported as a ``Problem`` with the file, sheet,
Excel row and column, and reading goes on, so that one run lists every problem.

``load`` returns the tables or raises ``InputError``; ``read`` returns both the tables and the
problems, for ``jixiao.inputs.validation`` to add its cross-table checks to.

Hostile or damaged files get one clear problem each, never a traceback: a file larger than
:data:`MAX_FILE_BYTES`, a table of more than :data:`MAX_ROWS` rows or :data:`MAX_COLUMNS` columns,
a cell longer than :data:`MAX_CELL_CHARS`; an encrypted, legacy (.xls), truncated or renamed
workbook (said what it is, and nothing else about that file); a CSV file that is binary, UTF-16,
or UTF-8 with invalid bytes (the rows named); control characters (NUL…) in a cell; merged cells,
formulas without a saved value and error values in a workbook. A workbook is read by its cells
with data, never by the size it claims (one formatted cell at XFD1048576 costs nothing). Hidden
sheets are read and noted. Listings are capped: at most :data:`MAX_LISTED` problems per file and
column are printed, then how many more there are.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import math
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import load_workbook
from openpyxl.cell.read_only import ReadOnlyCell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

from jixiao import paths
from jixiao.inputs.dataset import TABLES, Dataset, typed_frame
from jixiao.inputs.schema import REQUIRED_TABLES, Column, Table, table_by_name
from jixiao.inputs.schema import TABLES as SCHEMA

WORKBOOK = "data.xlsx"
ENCODINGS = ("utf-8-sig", "gb18030")
"""CSV encodings tried in turn: UTF-8 (a BOM is skipped), then GB18030 (a superset of GBK)."""

_HEADER_UNIT = re.compile(r"^(?P<base>.*?)\s*[(\[【]\s*(?P<unit>万元|元)\s*[)\]】]$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")
_CODE_ALIASES = {">=": "≥", "<=": "≤", "≧": "≥", "≦": "≤", "==": "="}

MAX_FILE_BYTES = 20_000_000
"""An input file (a CSV file, the workbook) of at most 20 MB; the example's largest is 12 KB."""
MAX_UNPACKED_BYTES = 200_000_000
"""A workbook unpacks to at most 200 MB (a 'zip bomb' is refused before it is opened)."""
MAX_ROWS = 50_000
"""Data rows per table (below the header). A department has tens of projects and hundreds of
indicators; 50 000 rows are read and checked in well under a minute."""
MAX_COLUMNS = 100
"""Columns per table; the widest table has 16."""
MAX_CELL_CHARS = 10_000
"""Characters per cell; the example's longest is under 300 (Excel's own limit is 32 767)."""
MAX_LISTED = 20
"""Problems printed per file, sheet and column; the rest are counted in one line."""

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
"""Characters no cell should hold: control characters (NUL, …), except tab and line breaks."""
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
_FORMULA_WITHOUT_VALUE = "\x00formula"
"""The marker of a workbook cell holding a formula whose value was never saved."""


def visible(text: str) -> str:
    """``text`` with control characters and line breaks written as escapes (``\\x00``): a message
    stays one line, and a terminal shows what is there instead of obeying it."""
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


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
        return visible(" ".join(place) + "：" + self.message)


class InputError(Exception):
    """The inputs have problems; carries all of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__(f"输入数据有 {len(self.problems)} 处错误")

    def __str__(self) -> str:
        return "\n".join(listing(self.problems))


def listing(problems: list[Problem]) -> list[str]:
    """The lines that list ``problems``: a count, then each problem, at most :data:`MAX_LISTED`
    per file, sheet and column (a million bad rows print a few lines, not a million)."""

    def group(p: Problem) -> tuple[str, str, str]:
        return (p.file, p.sheet, p.column)

    totals = Counter(group(p) for p in problems)
    shown: Counter = Counter()
    lines = [f"输入数据有 {len(problems)} 处错误："]
    for problem in problems:
        key = group(problem)
        shown[key] += 1
        if shown[key] <= MAX_LISTED:
            lines.append(str(problem))
        if shown[key] == MAX_LISTED and totals[key] > MAX_LISTED:
            where = " ".join(x for x in (problem.file, f"工作表「{problem.sheet}」" if problem.sheet else "",
                                         column_display(problem.table, problem.column)) if x)  # fmt: skip
            rest = totals[key] - MAX_LISTED
            lines.append(visible(f"{where}：另有 {rest} 处错误未列出（每列至多列出 {MAX_LISTED} 处）"))
    return lines


@dataclass
class Reading:
    """What ``read`` found: the tables (None when there was nothing to read), the problems, and
    notes that are not errors (a hidden sheet read)."""

    dataset: Dataset | None
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def column_display(table: str, key: str) -> str:
    """``全年执行数(executed)`` for a known column, else ``key`` itself."""
    schema = SCHEMA.get(table)
    if schema is not None and key in schema.keys:
        return schema.column(key).display
    return key


def load(unit: str, year: int, required: Iterable[str] = REQUIRED_TABLES) -> Dataset:
    """The typed tables of ``unit`` for ``year``; raises ``InputError`` if any cell is unreadable
    (or a table of ``required`` is not there; any other absent table is empty).

    Cross-table checks (sums, weights, unknown projects) are ``jixiao.inputs.validation.check``'s job.
    """
    reading = read(unit, year, required)
    if reading.problems or reading.dataset is None:
        raise InputError(reading.problems)
    return reading.dataset


def load_table(unit: str, year: int, name: str) -> tuple[pd.DataFrame, list[str]]:
    """One table of ``unit`` for ``year`` and the files read for it (the CSV or the workbook).

    Reads only that table (a notebook needing ``stats`` does not read ``indicators``); raises
    ``InputError`` if it cannot be read cleanly. A table that is not there is read as empty:
    whether the report needs it is validation's question (``read``'s ``required``).
    """
    if name not in TABLES:
        raise KeyError(f"unknown table {name!r}; tables are {', '.join(TABLES)}")
    problems: list[Problem] = []
    found = _sources(unit, year, (name,), problems, [], required=())
    if found is None or problems:
        raise InputError(problems)
    grids, files = found
    frame = _table(SCHEMA[name], grids.get(name), problems)
    if problems:
        raise InputError(problems)
    return frame, files


def read(unit: str, year: int, required: Iterable[str] = REQUIRED_TABLES) -> Reading:
    """Read every table of ``unit`` for ``year``, collecting problems instead of stopping.

    ``required``: the tables whose file (or sheet) must be there (``jixiao.inputs.needs``: those
    the report's sections need); any other table that is not there is read as empty."""
    problems: list[Problem] = []
    notes: list[str] = []
    required = tuple(t for t in TABLES if t in set(required))
    found = _sources(unit, year, TABLES, problems, notes, required)
    if found is None:
        return Reading(None, problems, notes)
    grids, files = found
    tables = {name: _table(SCHEMA[name], grids.get(name), problems) for name in TABLES}
    absent = [name for name in TABLES if name not in grids and name not in required]
    return Reading(Dataset(unit=unit, year=year, files=files, absent=absent, **tables), problems, notes)


def _sources(
    unit: str, year: int, names: tuple[str, ...], problems: list[Problem], notes: list[str],
    required: tuple[str, ...] = REQUIRED_TABLES,
) -> tuple[dict[str, _Grid], list[str]] | None:  # fmt: skip
    """The text cells of the tables ``names`` and the files read; None when there is no input.
    A table of ``required`` that is not there is a problem; another is read as empty."""
    folder = paths.data_dir(unit, year)
    where = paths.relative(folder)
    if not folder.is_dir():
        message = f"文件夹不存在，应有 {WORKBOOK} 或各表的 CSV 文件"
        problems.append(Problem(where, message=message))
        return None
    workbook = folder / WORKBOOK
    csv_files = [folder / f"{t}.csv" for t in TABLES if (folder / f"{t}.csv").is_file()]
    if workbook.exists() and not workbook.is_file():
        message = "是一个文件夹，不是工作簿文件；应为 Excel 工作簿（.xlsx）"
        problems.append(Problem(paths.relative(workbook), message=message))
        return None
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
        grids = _read_workbook(workbook, names, problems, notes, required)
        return (grids, [paths.relative(workbook)]) if grids is not None else None
    if not csv_files:
        expected = "、".join(f"{t}.csv" for t in required or REQUIRED_TABLES)
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
        if path.exists() and not path.is_file():
            problems.append(Problem(paths.relative(path), table=name, message="是一个文件夹，不是 CSV 文件"))
            continue
        if not path.is_file() and name not in required:
            continue  # a table the report can do without: read as an empty table
        if not path.is_file():
            problems.append(
                Problem(
                    paths.relative(path),
                    table=name,
                    expected=SCHEMA[name].display,
                    message=f"缺少文件，应为{SCHEMA[name].display}表",
                )
            )
            continue
        rows = _read_csv(path, name, problems)
        if rows is not None:
            grids[name] = _Grid(paths.relative(path), "", rows)
        files.append(paths.relative(path))
    return grids, files


@dataclass
class _Grid:
    """The cells of one CSV file or sheet, as text, first row the header."""

    file: str
    sheet: str
    rows: list[list[str]]
    numbers: list[int] = field(default_factory=list)
    """Each row's number as Excel shows it (a workbook's empty rows are left out); 1, 2, … if empty."""
    marks: dict[tuple[int, int], str] = field(default_factory=dict)
    """Why an empty-looking cell is empty, by (row number, column index): a merged range, a
    formula without a saved value."""

    def __post_init__(self) -> None:
        if not self.numbers:
            self.numbers = list(range(1, len(self.rows) + 1))


def _too_large(path: Path, table: str, problems: list[Problem]) -> bool:
    size = path.stat().st_size
    if size <= MAX_FILE_BYTES:
        return False
    message = f"文件有 {size / 1e6:.1f} MB，超过 {MAX_FILE_BYTES // 1_000_000} MB 的上限，未读取"
    problems.append(Problem(paths.relative(path), table=table, message=message))
    return True


def _read_csv(path: Path, table: str, problems: list[Problem]) -> list[list[str]] | None:
    """A CSV file's rows of text; None (and a problem) when it cannot be read as a table."""
    file = paths.relative(path)

    def refuse(message: str, row: int | None = None) -> None:
        problems.append(Problem(file, row=row, table=table, message=message))

    if _too_large(path, table, problems):
        return None
    data = path.read_bytes()
    text = _decode_csv(data, file, table, problems)
    if text is None:
        return None
    csv.field_size_limit(max(MAX_FILE_BYTES, 131072))  # a long cell is refused by its length, below
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[list[str]] = []
    wide = False
    try:
        for row in reader:
            if len(row) > MAX_COLUMNS:
                wide = wide or any(c.strip() for c in row[MAX_COLUMNS:])
                row = row[:MAX_COLUMNS]
            rows.append(row)
            if len(rows) > MAX_ROWS + 1 and any(c.strip() for c in row):
                refuse(f"表有超过 {MAX_ROWS} 行数据（上限 {MAX_ROWS} 行），未读取；请删减或拆分")
                return None
    except csv.Error as exc:
        refuse(f"不是有效的 CSV 文件（第 {reader.line_num} 行：{exc}），未读取")
        return None
    if wide:
        refuse(f"有数据超出第 {MAX_COLUMNS} 列（上限 {MAX_COLUMNS} 列），超出的列未读取")
    header = [c for c in rows[0] if c.strip()] if rows else []
    if len(header) == 1:
        for separator, name in (("\t", "制表符"), (";", "分号"), ("|", "竖线")):
            if header[0].count(separator) >= 2:
                refuse(f"列之间用{name}分隔，应为逗号 (,)，未读取；请另存为 CSV（逗号分隔）")
                return None
    return rows


def _decode_csv(data: bytes, file: str, table: str, problems: list[Problem]) -> str | None:
    """The text of a CSV file in UTF-8 (with or without BOM) or GB18030; None and a problem when
    it is not text. A UTF-8 file with a few invalid bytes is read, and each row holding one is a
    problem (never silently replaced by �)."""

    def refuse(message: str, row: int | None = None) -> None:
        problems.append(Problem(file, row=row, table=table, message=message))

    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        refuse("文件是 UTF-16 编码（Excel 的“Unicode 文本”），应为 UTF-8 或 GBK 编码的 CSV；请另存为“CSV UTF-8”")
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    replaced = data.decode("utf-8", errors="replace").removeprefix("\ufeff")
    wide = sum(1 for c in replaced if ord(c) > 127)
    bad = replaced.count("\ufffd")
    if bad and wide and bad / wide < 0.1:  # mostly valid UTF-8: a damaged UTF-8 file, not GBK
        for number, line in enumerate(data.split(b"\n"), start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as exc:
                byte = line[exc.start]
                message = f"第 {exc.start + 1} 个字节 0x{byte:02X} 不是有效的 UTF-8 文本（此行已损坏）"
                refuse(message, number)
        return replaced
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        kind = "二进制内容" if b"\x00" in data[:4096] else "无法识别的字节"
        refuse(f"不是 UTF-8 或 GBK/GB18030 编码的文本，无法读取：第 {line} 行有{kind}（字节 0x{data[exc.start]:02X}）")
        return None


class _Parser(WorkSheetParser):
    """openpyxl's sheet parser; a formula cell without a saved value is marked, not just empty."""

    def parse_cell(self, element: Any) -> dict[str, Any]:
        cell = super().parse_cell(element)
        if cell["value"] is None and element.find(FORMULA_TAG) is not None:
            cell["value"] = _FORMULA_WITHOUT_VALUE
        return cell


def _workbook_kind(path: Path, data_head: bytes) -> str | None:
    """What a file named .xlsx is when it is not a workbook openpyxl can read; None if it is."""
    if data_head.startswith(b"\xd0\xcf\x11\xe0"):  # an OLE compound file
        head = path.read_bytes()[:1_000_000]
        if "EncryptedPackage".encode("utf-16-le") in head:
            return "是加密（设有打开密码）的工作簿，无法读取；请在 Excel 中取消密码后另存为 .xlsx"
        return "是旧版 Excel 97-2003 工作簿（.xls）或其他 Office 文件，不是 .xlsx；请在 Excel 中另存为 .xlsx"
    if not data_head.startswith(b"PK"):
        if not data_head:
            return "是空文件（0 字节），不是 Excel 工作簿"
        try:
            data_head.decode("utf-8")
            text = True
        except UnicodeDecodeError:
            text = False
        if text or b"," in data_head:
            return "内容是文本（像 CSV 文件），不是 Excel 工作簿：文件名与内容不符；CSV 文件应命名为 <表名>.csv"
        return "不是 Excel 工作簿（.xlsx）"
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            unpacked = sum(i.file_size for i in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return "已损坏或不完整（压缩包无法打开，可能未复制完整）；请重新保存或重新复制该文件"
    if "xl/workbook.xml" not in names:
        return "是 ZIP 压缩包，但不是 Excel 工作簿（.xlsx）"
    if unpacked > MAX_UNPACKED_BYTES:
        return f"解压后有 {unpacked / 1e6:.0f} MB，超过 {MAX_UNPACKED_BYTES // 1_000_000} MB 的上限，未读取"
    return None


def _read_workbook(
    path: Path, names: tuple[str, ...], problems: list[Problem], notes: list[str],
    required: tuple[str, ...] = REQUIRED_TABLES,
) -> dict[str, _Grid] | None:  # fmt: skip
    """The sheets of the tables ``names`` as text cells; problems for missing sheets. None when
    the file is not a workbook that can be read (one problem says what it is)."""
    file = paths.relative(path)
    grids: dict[str, _Grid] = {}
    unknown: list[str] = []
    unreadable: set[str] = set()
    first: dict[str, str] = {}
    if _too_large(path, "", problems):
        return None
    with path.open("rb") as f:
        kind = _workbook_kind(path, f.read(4096))
    if kind is not None:
        problems.append(Problem(file, message=kind))
        return None
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # damaged inside: say what openpyxl found, in one line
        problems.append(Problem(file, message=f"工作簿已损坏，无法打开（{type(exc).__name__}: {exc}）"))
        return None
    try:
        for sheet in book.worksheets:
            table = table_by_name(sheet.title)
            if table is None:
                unknown.append(sheet.title)
                continue
            if table.key not in names:
                continue
            if table.key in grids or table.key in unreadable:
                problems.append(
                    Problem(
                        file,
                        sheet=sheet.title,
                        value=sheet.title,
                        message=f"与工作表「{first[table.key]}」是同一张表{table.display}，只能有一个",
                    )
                )
                continue
            first[table.key] = sheet.title
            if sheet.sheet_state != "visible":
                notes.append(f"{file} 工作表「{sheet.title}」是隐藏的工作表，已作为{table.display}表读取")
            try:
                grid = _sheet_grid(sheet, file, table.key, problems)
            except Exception as exc:  # a damaged sheet inside a workbook that opened
                message = f"工作表已损坏，无法读取（{type(exc).__name__}: {exc}）"
                problems.append(Problem(file, sheet=sheet.title, table=table.key, message=message))
                grid = None
            if grid is not None:
                grids[table.key] = grid
            unreadable.add(table.key)  # found: if it could not be read, that was reported
    finally:
        book.close()
    for name in names:
        if name in grids or name in unreadable or name not in required:
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


def _sheet_grid(sheet: Any, file: str, table: str, problems: list[Problem]) -> _Grid | None:
    """A sheet's cells with data, as text: read cell by cell from the sheet's XML, so that a sheet
    claiming a million rows (one formatted cell far away) costs what its data costs."""
    rows: list[list[str]] = []
    numbers: list[int] = []
    marks: dict[tuple[int, int], str] = {}
    wide = False
    book = sheet.parent
    with sheet._get_source() as source:
        parser = _Parser(source, sheet._shared_strings, data_only=True, epoch=book.epoch,
                         date_formats=book._date_formats, timedelta_formats=book._timedelta_formats)  # fmt: skip
        for number, cells in parser.parse():
            row: list[str] = []
            for cell in cells:
                value = cell["value"]
                if value is None or value == "":
                    continue
                column = cell["column"]
                if column > MAX_COLUMNS:
                    wide = True
                    continue
                if value == _FORMULA_WITHOUT_VALUE:
                    marks[(number, column - 1)] = "formula"
                    text = ""
                elif cell["data_type"] == "e":
                    marks[(number, column - 1)] = f"error:{value}"
                    text = ""
                else:
                    text = _cell_text(ReadOnlyCell(sheet, **cell))
                row += [""] * (column - 1 - len(row)) + [text]
            if not any(row) and not any(k[0] == number for k in marks):
                continue
            rows.append(row)
            numbers.append(number)
            if len(rows) > MAX_ROWS + 1:
                message = f"表有超过 {MAX_ROWS} 行数据（上限 {MAX_ROWS} 行），未读取；请删减或拆分"
                problems.append(Problem(file, sheet=sheet.title, table=table, message=message))
                return None
        merged = parser.merged_cells.mergeCell if parser.merged_cells else []
    if wide:
        message = f"有数据超出第 {MAX_COLUMNS} 列（上限 {MAX_COLUMNS} 列），超出的列未读取"
        problems.append(Problem(file, sheet=sheet.title, table=table, message=message))
    for merge in merged:
        ref = str(merge.ref)
        low, high = ref.split(":") if ":" in ref else (ref, ref)
        from openpyxl.utils.cell import coordinate_to_tuple

        (r1, c1), (r2, c2) = coordinate_to_tuple(low), coordinate_to_tuple(high)
        for r in range(r1, min(r2, r1 + MAX_ROWS) + 1):
            for c in range(c1, min(c2, MAX_COLUMNS) + 1):
                if (r, c) != (r1, c1):
                    marks[(r, c - 1)] = f"merged:{ref}"
    return _Grid(file, sheet.title, rows, numbers, marks)


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
    # a code written with full-width punctuation (因公出国（境）费) matches however it is typed
    return next((code for code in column.codes if normalize(code) == s), s)


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
    at = {"file": grid.file, "sheet": grid.sheet, "row": grid.numbers[0] if grid.numbers else 1, "table": table.key}
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
        for number, row in zip(grid.numbers[1:], grid.rows[1:], strict=True):
            if not any(c.strip() for c in row) and not any(k[0] == number for k in grid.marks):
                continue
            record: dict[str, Any] = {"_file": grid.file, "_sheet": grid.sheet, "_row": number}
            for h in headers:
                place = Problem(grid.file, grid.sheet, number, h.column.key, table=table.key)
                mark = grid.marks.get((number, h.index), "")
                record[h.column.key] = _convert(h, _cell(row, h.index), place, problems, mark)
            records.append(record)
    elif grid is not None:
        problems.append(Problem(grid.file, grid.sheet, table=table.key, message="表是空的"))
    return typed_frame(table, records)


def _name_problem(text: str) -> str:
    """Why a name cell breaks ``paths.check_name``'s rule: a line break, a tab or a format character
    (zero-width, bidirectional), or its length."""
    for index, char in enumerate(text):
        if unicodedata.category(char) in ("Cc", "Cf"):
            return (
                f"名称含有控制字符 U+{ord(char):04X}（第 {index + 1} 个字符），应为一行可打印的文字"
                "（名称用于标题和文档属性）"
            )
    return f"名称有 {len(text)} 个字符，超过 {paths.NAME_LENGTH} 个字符的上限（名称用于标题和文档属性）"


def _convert(header: _Header, text: str, place: Problem, problems: list[Problem], mark: str = "") -> Any:
    """One cell as its column's type; on error a problem is added and the cell left blank.

    ``mark`` says why a workbook cell is empty when it is not simply blank (see ``_Grid.marks``)."""
    column = header.column

    def fail(message: str, expected: str = column.expected) -> None:
        place.value, place.expected, place.message = text, expected, message
        problems.append(place)

    if not text and mark:
        kind, _, detail = mark.partition(":")
        if kind == "formula":
            fail("是公式，但工作簿没有保存公式的计算结果（由不计算公式的程序生成）；请在 Excel 中打开并保存或填入数值")
        elif kind == "error":
            fail(f"是错误值 {detail}（公式出错），应为{column.type_text}")
        elif kind == "merged":
            fail(f"在合并单元格 {detail} 中，只有左上角的单元格有值；请取消合并，在每一行填写")
        return None
    if not text:
        if column.required:
            fail("必填，不能为空")
        return None
    bad = _CONTROL.search(text)
    if bad:
        code = f"U+{ord(bad.group()):04X}"
        where = f"第 {bad.start() + 1} 个字符"
        fail(f"值含有控制字符 {code}（{where}），不能用于报告；请删除后重新保存", "不含控制字符的文字")
        return None
    if len(text) > MAX_CELL_CHARS:
        place.value, place.expected = text[:40] + "…", f"至多 {MAX_CELL_CHARS} 个字符"
        place.message = f"内容有 {len(text)} 个字符，超过每个单元格 {MAX_CELL_CHARS} 个字符的上限"
        problems.append(place)
        return None
    if column.name:
        try:
            return paths.check_name(text, column.display)
        except paths.NameRuleError:
            fail(_name_problem(text), f"一行可打印的文字，至多 {paths.NAME_LENGTH} 个字符")
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
