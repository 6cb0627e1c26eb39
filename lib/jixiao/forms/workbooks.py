"""Opening a workbook as the reader sees it: its sheets as grids of values, each merged cell
pointing at its range's top-left cell, and the cells that hold no readable value (a formula with no
cached value, an error such as ``#DIV/0!``).

Values come from python-calamine (xlsx, xlsm, xls; see the design decisions in docs/design.md).
calamine drops a formula with no cached value and reads an error cell as empty, so for an xlsx
the sheet's XML is scanned (only when it holds a formula or an error) for those cells: a form's
blank that is really an unsaved formula is reported, never taken as 0.

A file that is not a workbook, an encrypted one, a corrupt one, an oversized sheet: each is an
:class:`Unreadable` with a one-line reason, raised before anything large is read.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from jixiao.forms.labels import cell_name

SUFFIXES = (".xlsx", ".xlsm", ".xls")
MAX_SHEET_XML = 64 * 1024 * 1024
"""The largest sheet XML (uncompressed bytes) an xlsx may hold: a form's is tens of KB."""
MAX_CELLS = 4_000_000
"""The largest grid (rows × columns) of one sheet the reader lays out: a hundred stacked forms fit
in a fiftieth of it."""
MAX_MERGE = 10_000
"""The largest merged range (cells) a form may hold: a goal's text spans a few dozen."""
MAX_SHEETS = 1000
"""The most sheets a workbook may have (a province's projects, a sheet each, fit)."""


class Unreadable(Exception):
    """A file, or a sheet, that cannot be read: its one-line reason (Chinese, with an English gloss)."""


@dataclass
class Sheet:
    """One sheet: ``rows[r][c]`` is the value at 0-based (r, c) (a merged range's value is in its
    top-left cell only), ``origin`` maps every other cell of a merged range to its top-left cell,
    ``unreadable`` names the cells that hold no value the form meant (``公式无缓存值``, ``#DIV/0!``)."""

    name: str
    rows: list[list[object]]
    origin: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    unreadable: dict[tuple[int, int], str] = field(default_factory=dict)
    hidden_rows: frozenset[int] = frozenset()
    """0-based rows hidden in an xlsx (an xls's are not known: calamine does not give them)."""
    headers: dict[int, dict[str, int] | None] = field(default_factory=dict)
    """The reader's memo: each row's indicator-table columns, if it is a header row."""

    @property
    def height(self) -> int:
        return len(self.rows)

    def value(self, row: int, col: int) -> object:
        """The value shown at (row, col): a merged cell shows its range's top-left value."""
        row, col = self.origin.get((row, col), (row, col))
        if row < len(self.rows) and col < len(self.rows[row]):
            return self.rows[row][col]
        return None

    def top_left(self, row: int, col: int) -> tuple[int, int]:
        return self.origin.get((row, col), (row, col))

    def name_of(self, row: int, col: int) -> str:
        """``F12`` for the cell (of the merged range) at (row, col)."""
        return cell_name(*self.top_left(row, col))

    def width(self, row: int) -> int:
        return len(self.rows[row]) if row < len(self.rows) else 0


def sniff(path: Path) -> str:
    """``xlsx`` (a zip) or ``xls`` (an OLE container), by the file's first bytes; :class:`Unreadable`
    for a file that is no workbook at all, or an encrypted one."""
    with path.open("rb") as handle:
        head = handle.read(2048)
    if not head:
        raise Unreadable("文件是空的 (empty file)")
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        with path.open("rb") as handle:
            container = handle.read(1 << 20)
        if "EncryptionInfo".encode("utf-16-le") in container:  # an encrypted xlsx is an OLE container
            raise Unreadable("文件已加密（设有打开密码），无法读取 (encrypted or password-protected)")
        return "xls"
    text = head.lstrip(b"\xef\xbb\xbf").lstrip().lower()
    if text.startswith((b"<!doctype html", b"<html", b"<table", b"<meta", b"<?xml")) or b"<html" in text[:512]:
        raise Unreadable(f"是 HTML 网页而不是 Excel 工作簿（扩展名为 {path.suffix}）(an HTML page, not a workbook)")
    try:
        decoded = head.decode("utf-8")
    except UnicodeDecodeError:
        try:
            decoded = head.decode("gb18030")
        except UnicodeDecodeError:
            decoded = ""
    if decoded and ("," in decoded or "\t" in decoded) and "\x00" not in decoded:
        raise Unreadable(
            f"是 CSV 文本文件而不是 Excel 工作簿（扩展名为 {path.suffix}）(a CSV text file, not a workbook)"
        )
    raise Unreadable("文件已损坏或不是 Excel 工作簿 (corrupt file, not a workbook)")


def open_sheets(path: Path) -> tuple[list[str], object, str]:
    """The sheet names, the open calamine workbook, and a note when the file's name says another
    format than its content (an xlsx named .xls: read as what it is); :class:`Unreadable` with
    the reason."""
    import python_calamine

    kind = sniff(path)
    named = "xls" if path.suffix.lower() == ".xls" else "xlsx"
    note = ""
    try:
        if kind == named:
            book = python_calamine.CalamineWorkbook.from_path(str(path))
        else:  # calamine picks the format by the name; from a file object, by the content
            note = f"文件扩展名为 {path.suffix}，内容是 {kind}：按 {kind} 读取"
            with path.open("rb") as handle:
                book = python_calamine.CalamineWorkbook.from_filelike(handle)
    except python_calamine.PasswordError:
        raise Unreadable("文件已加密（设有打开密码），无法读取 (encrypted or password-protected)") from None
    except Exception:  # calamine's zip, XML and format errors alike
        raise Unreadable("文件已损坏，无法打开 (corrupt file)") from None
    names = list(book.sheet_names)
    if len(names) > MAX_SHEETS:
        raise Unreadable(f"工作簿有 {len(names)} 个工作表，多于可读的 {MAX_SHEETS} 个 (too many sheets)")
    return names, book, note


def _short(error: Exception) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text[:120]


def load_sheet(book: object, name: str, scanned: Scan | None) -> Sheet:
    """One sheet as a :class:`Sheet`; ``scanned`` is what :func:`scan` found in an xlsx's XML
    (None for an xls), checked before calamine lays the sheet out."""
    if scanned is not None and scanned.problem:
        raise Unreadable(scanned.problem)
    try:
        raw = book.get_sheet_by_name(name)
    except Exception as error:
        raise Unreadable(f"工作表无法读取 (sheet unreadable: {_short(error)})") from None
    end_row, end_col = raw.end if raw.height else (-1, -1)
    if (end_row + 1) * (end_col + 1) > MAX_CELLS:
        raise Unreadable(
            f"工作表数据区为 {end_row + 1} 行 × {end_col + 1} 列，超出可读范围 {MAX_CELLS} 个单元格 (sheet too large)"
        )
    rows = raw.to_python(skip_empty_area=False) if raw.height else []
    sheet = Sheet(name=name, rows=rows)
    if scanned is not None:
        sheet.unreadable, sheet.hidden_rows = scanned.unreadable, scanned.hidden_rows
    height = len(rows)
    width = max((len(r) for r in rows), default=0)
    for (r0, c0), (r1, c1) in raw.merged_cell_ranges or ():
        if (r1 - r0 + 1) * (c1 - c0 + 1) > MAX_MERGE:
            ref = f"{cell_name(r0, c0)}:{cell_name(r1, c1)}"
            raise Unreadable(f"合并单元格 {ref} 过大，不是自评表的格式 (a merged range over the whole sheet)")
        # clamp to the data: a range reaching past it costs no more than the cells it holds
        r1, c1 = min(r1, height - 1), min(c1, width - 1)
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    sheet.origin[(r, c)] = (r0, c0)
    return sheet


_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_TYPE = re.compile(rb'\bt="(\w+)"')
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")


def unreadable_cells(data: bytes) -> dict[tuple[int, int], str]:
    """The cells of a sheet's XML holding a formula with no cached value, or an error value."""
    if b"<f" not in data and b't="e"' not in data and b":f" not in data:
        return {}
    found: dict[tuple[int, int], str] = {}
    for match in _CELL.finditer(data):
        attributes, body = match.group(1), match.group(2) or b""
        ref = _REF.search(attributes)
        if not ref:
            continue
        kind = _TYPE.search(attributes)
        value = _VALUE.search(body)
        has_formula = b"<f" in body or b":f>" in body or b":f " in body
        where = (int(ref.group(2)) - 1, _column(ref.group(1).decode()))
        if kind and kind.group(1) == b"e":
            found[where] = (value.group(1).decode() if value else "#错误") + " (error value)"
        elif has_formula and (value is None or value.group(1) == b""):
            found[where] = "公式没有计算结果（未保存缓存值）(formula with no cached value)"
    return found


def _column(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number - 1


_SHEET = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"')
_SHEET_ID_FIRST = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\br:id="([^"]*)"[^>]*?\bname="([^"]*)"')
_REL = re.compile(rb'<Relationship\b[^>]*?\bId="([^"]*)"[^>]*?\bTarget="([^"]*)"')
_REL_TARGET_FIRST = re.compile(rb'<Relationship\b[^>]*?\bTarget="([^"]*)"[^>]*?\bId="([^"]*)"')
_LAST_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="(\d+)"')
_CELL_COLUMN = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3})\d')
_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b[^>]*>")
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')
_HIDDEN = re.compile(rb'\bhidden="(?:1|true)"')
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


@dataclass
class Scan:
    """What an xlsx sheet's XML says before calamine lays it out: its extent (rows × columns of
    the cells it holds), and the cells with no readable value."""

    rows: int = 0
    columns: int = 0
    unreadable: dict[tuple[int, int], str] = field(default_factory=dict)
    hidden_rows: frozenset[int] = frozenset()
    """0-based rows the sheet hides (read like any other; the reader notes those it read)."""
    problem: str = ""
    """Why the sheet must not be laid out (too large, a merged range over the whole sheet)."""


def scan(path: Path) -> dict[str, Scan]:
    """Each sheet of an xlsx, scanned (empty for a file that is not a zip: an xls)."""
    import html

    if not zipfile.is_zipfile(path):
        return {}
    try:
        with zipfile.ZipFile(path) as archive:
            book = archive.read("xl/workbook.xml")
            rels = archive.read("xl/_rels/workbook.xml.rels")
            targets = {rid: target for rid, target in _REL.findall(rels)}
            targets.update({rid: target for target, rid in _REL_TARGET_FIRST.findall(rels)})
            pairs = _SHEET.findall(book) + [(n, r) for r, n in _SHEET_ID_FIRST.findall(book)]
            members = {info.filename: info for info in archive.infolist()}
            found: dict[str, Scan] = {}
            for name, rid in pairs:
                target = targets.get(rid, b"").decode()
                member = target.lstrip("/") if target.startswith("/") else "xl/" + target
                info = members.get(member)
                if info is None:
                    continue
                found[html.unescape(name.decode("utf-8"))] = _scan_sheet(archive, info)
            return found
    except (KeyError, zipfile.BadZipFile, OSError, UnicodeDecodeError, EOFError):
        return {}


def _scan_sheet(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Scan:
    if info.file_size > MAX_SHEET_XML:
        size = f"{info.file_size // (1024 * 1024)} MB"
        return Scan(problem=f"工作表的内容有 {size}，超出可读的 {MAX_SHEET_XML // (1024 * 1024)} MB (sheet too large)")
    data = archive.read(info)
    rows = max((int(r) for r in _LAST_ROW.findall(data[-4096:])), default=0) or max(
        (int(r) for r in _LAST_ROW.findall(data)), default=0
    )
    columns = max((_column(c.decode()) + 1 for c in set(_CELL_COLUMN.findall(data))), default=0)
    found = Scan(rows=rows, columns=columns)
    if rows * columns > MAX_CELLS:
        found.problem = f"工作表数据区为 {rows} 行 × {columns} 列，超出可读范围 {MAX_CELLS} 个单元格 (sheet too large)"
        return found
    for c0, r0, c1, r1 in _MERGE.findall(data):
        size = (int(r1) - int(r0) + 1) * (_column(c1.decode()) - _column(c0.decode()) + 1)
        if size > MAX_MERGE:
            ref = f"{c0.decode()}{r0.decode()}:{c1.decode()}{r1.decode()}"
            found.problem = (
                f"合并单元格 {ref} 覆盖 {size} 个单元格，不是自评表的格式 (a merged range over the whole sheet)"
            )
            return found
    found.unreadable = unreadable_cells(data)
    if b'hidden="1"' in data or b'hidden="true"' in data:
        found.hidden_rows = frozenset(
            int(r) - 1 for tag in _ROW_TAG.findall(data) if _HIDDEN.search(tag) for r in _ROW_NUMBER.findall(tag)
        )
    return found
