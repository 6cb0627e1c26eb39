"""The 自评表 workbook: one .xlsx with the summary, the department table and one official
项目支出绩效自评表 per evaluated project, plus the scoring details for reviewers.

Sheets, in order:

- ``汇总``: one row per evaluated project (项目名称, 资金来源, 全年预算数, 全年执行数, 执行率, 得分,
  等级, 备注), their total, the department's score and the spending-weighted mean of the projects;
- ``部门整体支出绩效自评表``: the department's funds and its own indicator table (if it has one);
  its name and title the report kind's (部门整体支出绩效评价表 in an evaluation), and none in a
  report on one project or one fund;
- one sheet per project, named after it, laid out like the official table;
- ``计分明细``: every score with the rule that gave it and the data row it came from.

Every sheet is set for print as the official form: 宋体 throughout (every font named, with the
GB2312 character set so a machine without 宋体 substitutes a Chinese serif face), row heights
estimated from the text and the column widths, the title rows repeated on each page, "第 X 页
共 Y 页" in the footer, and 填报单位 / 联系人 / 联系电话 / 填报日期 lines under each form (from the
profile's optional columns, marked where supplied; blank lines for the unit to fill where they
are absent).

Cells whose value comes from an illustrative input cell (by the report's rule, cell by cell:
:func:`is_illustrative`), or is computed from one, have a pale yellow fill and a note; the summary
sheet explains the fill in a legend.

Text that a spreadsheet would read as a formula (starting with =, +, -, @, a tab or a line break,
such as a project name ``=HYPERLINK(…)``) is stored as text, never as a live formula.

The file is reproducible: the same inputs give the same bytes (fixed document times, from
``SOURCE_DATE_EPOCH`` when set, else the report date or the first day after the report year;
fixed zip entry times). It is written to a temporary file beside the target and renamed, so a
reader never sees half a workbook.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.worksheet import Worksheet

from jixiao import formatting, paths
from jixiao.inputs.kinds import DEFAULT_KIND, KINDS, ReportKind
from jixiao.inputs.schema import LEVELS
from jixiao.outputs import write_atomically
from jixiao.render.properties import document_time, property_text, restamp_zip
from jixiao.scoring import (
    FLAG_TEXT,
    DepartmentScore,
    IndicatorScore,
    ProjectScore,
    Scores,
    grade,
)
from jixiao.writing import provenance

SUMMARY_SHEET = "汇总"
DEPARTMENT_SHEET = "部门整体支出绩效自评表"
DETAIL_SHEET = "计分明细"
FUND_TYPES = ("当年财政拨款", "上年结转资金", "其他资金")
INDICATOR_HEADERS = (
    "一级指标",
    "二级指标",
    "三级指标",
    "指标性质",
    "年度指标值",
    "度量单位",
    "实际完成值",
    "分值",
    "得分",
    "偏差原因分析及改进措施",
)
TABLE_WIDTHS = (12, 14, 24, 9, 12, 9, 12, 9, 9, 34)
"""Column widths A–J of the department and project tables (in Excel character units)."""

AMOUNT = "0.00"
RATE = "0.0%"
SCORE = "0.00"


def weight_format(weight: Any) -> str:
    """分值 as the official form prints them: whole numbers without decimals (20, not 20.00); a
    fractional weight with its decimals (7.5)."""
    value = _num(weight)
    return "0" if value is None or round(float(value), 6).is_integer() else "0.0#"


_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
FONT_NAME = "宋体"
"""The workbook's one font; charset 134 (GB2312) lets a machine without it substitute a Chinese
serif face (LibreOffice: Noto Serif CJK SC) rather than a Latin one."""
FONT_SIZE = 11


def _font(*, bold: bool = False, size: float = FONT_SIZE) -> Font:
    return Font(name=FONT_NAME, sz=size, b=bold, family=3, charset=134)


_PLAIN = _font()
_BOLD = _font(bold=True)
_TITLE = _font(bold=True, size=16)
ILLUSTRATIVE_FILL = PatternFill("solid", fgColor="FFF2CC")
ILLUSTRATIVE_NOTE = "示例数据：此数来自示例（非公开发布）数据，或由其计算得出。"
DEFAULT_NOTE = "默认值：未填报预算执行率分值，取本单位设置的默认分值（非公开发布数）。"
DEFAULT_WEIGHT_NOTE = "默认值：未填报该指标的分值，取计分规则的默认分值（非公开发布数）。"
"""The note of a value the workbook fills in from the settings (a blank 预算执行率分值)."""
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
"""A text starting with one of these would be read as a formula (or DDE) by a spreadsheet."""
FOOTER = "第 &P 页 共 &N 页"
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


# --------------------------------------------------------------------------- helpers


def _clean(v: Any) -> Any:
    """A value openpyxl can write: None for blanks and NaN."""
    if v is None:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(v, "item") and not isinstance(v, str):  # numpy scalars
        return v.item()
    return v


def _text(v: Any) -> str | None:
    v = _clean(v)
    return None if v is None or str(v).strip() == "" else str(v).strip()


def _num(v: Any) -> float | None:
    v = _clean(v)
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    return float(v)


def sheet_name(name: str, taken: Iterable[str], fallback: str = "项目") -> str:
    """A legal, unused sheet name from ``name``: no []:*?/\\, no leading or trailing ', at most
    31 characters, unique without regard to case (as Excel compares them)."""
    base = _BAD_SHEET_CHARS.sub("_", name or "").strip().strip("'").strip() or fallback
    base = base[:31]
    used = {t.casefold() for t in taken}
    candidate, n = base, 1
    while candidate.casefold() in used or candidate.casefold() == "history":
        n += 1
        suffix = f"({n})"
        candidate = base[: 31 - len(suffix)] + suffix
    return candidate


class _Sheet:
    """Write cells with a style, collect merges, and apply them at the end."""

    def __init__(self, ws: Worksheet, widths: Sequence[float]):
        self.ws = ws
        self.merges: list[tuple[int, int, int, int]] = []
        # Setting a cell's font, border, … one by one looks each up in the workbook's style lists
        # (hashing openpyxl's style objects: most of the workbook's time); a sheet sets a few
        # combinations on thousands of cells, so each (old style, change) is worked out once per
        # workbook and its resulting style ids copied.
        wb = ws.parent
        if not hasattr(wb, "_jixiao_styles"):
            wb._jixiao_styles = {}  # type: ignore[attr-defined]
        self._styles: dict[tuple[Any, ...], Any] = wb._jixiao_styles  # type: ignore[attr-defined]
        for i, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = w

    def put(
        self,
        row: int,
        col: int,
        value: Any,
        *,
        to_col: int | None = None,
        to_row: int | None = None,
        fmt: str | None = None,
        bold: bool = False,
        left: bool = False,
        border: bool = True,
        illustrative: bool = False,
        note: str = "",
    ) -> None:
        to_col, to_row = to_col or col, to_row or row
        look = (left, bold, border, illustrative)
        for r in range(row, to_row + 1):
            for c in range(col, to_col + 1):
                cell = self.ws.cell(row=r, column=c)
                key = (tuple(cell._style or ()), look)
                styled = self._styles.get(key)
                if styled is not None:  # the same change to the same style: reuse its result
                    cell._style = copy.copy(styled)
                    continue
                cell.alignment = _LEFT if left else _CENTER
                cell.font = _BOLD if bold else _PLAIN
                if border:
                    cell.border = _BORDER
                if illustrative:
                    cell.fill = ILLUSTRATIVE_FILL
                self._styles[key] = copy.copy(cell._style)
        cell = self.ws.cell(row=row, column=col)
        set_value(cell, value)
        if fmt:
            cell.number_format = fmt
        if illustrative and cell.value is not None:
            cell.comment = _note(note or ILLUSTRATIVE_NOTE)
        if (to_col, to_row) != (col, row):
            self.merges.append((row, col, to_row, to_col))

    def title(self, row: int, text: str, last_col: int, font: Font = _TITLE) -> None:
        self.put(row, 1, text, to_col=last_col, border=False)
        self.ws.cell(row=row, column=1).font = font

    def signature(self, row: int, lines: Sequence[tuple[str, str, bool]], last_col: int) -> int:
        """The 填报单位 / 联系人 / 填报日期 lines under a form, two to a row, a supplied value marked
        as any illustrative figure; returns the next row."""
        half = max(1, last_col // 2)
        for i in range(0, len(lines), 2):
            for j, (label, value, illustrative) in enumerate(lines[i : i + 2]):
                c1 = 1 if j == 0 else half + 1
                c2 = half if j == 0 else last_col
                self.put(row, c1, f"{label}：{value}", to_col=c2, left=True, border=False, illustrative=illustrative)
            row += 1
        return row

    def height(self, row: int, texts: Sequence[tuple[Any, float]], minimum: float = 20) -> None:
        """Set a row's height from the wrapped text it holds: (text, width of its cell)."""
        lines = 1
        for text, width in texts:
            t = _text(text)
            if not t:
                continue
            per_line = max(width - 1, 1)
            need = sum(max(1, math.ceil(_units(part) / per_line)) for part in t.split("\n"))
            lines = max(lines, need)
        self.ws.row_dimensions[row].height = max(minimum, 15 * lines + 4)

    def finish(self, *, title_rows: str | None = None, fit_width: bool = True, title_cols: str | None = None) -> None:
        """Merge, size the rows to their text, and set up the page: A4 landscape, the title rows
        repeated on every page, page numbers in the footer."""
        for r1, c1, r2, c2 in self.merges:
            self._merge(r1, c1, r2, c2)
        self.fit_rows()
        ps = self.ws.page_setup
        ps.orientation = "landscape"
        ps.paperSize = self.ws.PAPERSIZE_A4
        if fit_width:
            ps.fitToWidth = 1
            ps.fitToHeight = 0
            self.ws.sheet_properties.pageSetUpPr.fitToPage = True
        self.ws.print_options.horizontalCentered = True
        self.ws.page_margins.left = self.ws.page_margins.right = 0.4
        self.ws.page_margins.bottom = 0.8  # room for the page number: LibreOffice clips it below 0.3 in
        self.ws.page_margins.footer = 0.3
        if title_rows:
            self.ws.print_title_rows = title_rows
        if title_cols:
            self.ws.print_title_cols = title_cols
        for footer in (self.ws.oddFooter, self.ws.evenFooter):
            footer.center.text = FOOTER
            footer.center.font = f"{FONT_NAME},常规"
            footer.center.size = 10

    def _merge(self, r1: int, c1: int, r2: int, c2: int) -> None:
        """Merge a box as ``Worksheet.merge_cells`` does (the covered cells become merged cells,
        those on the box's edges carry the top-left cell's border on that edge), with each edge
        cell's style worked out once per workbook instead of by adding borders cell by cell."""
        ws = self.ws
        ws.merged_cells.add(MergedCellRange(ws, CellRange(min_col=c1, min_row=r1, max_col=c2, max_row=r2).coord))
        start = ws.cell(row=r1, column=c1)
        sides = {name: getattr(start.border, name) for name in ("top", "left", "right", "bottom")}
        sides = {name: side for name, side in sides.items() if side is not None and side.style is not None}
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if (r, c) == (r1, c1):
                    continue
                cell = MergedCell(ws, row=r, column=c)
                ws._cells[(r, c)] = cell
                edges = tuple(
                    name
                    for name, on in (("top", r == r1), ("left", c == c1), ("right", c == c2), ("bottom", r == r2))
                    if on and name in sides
                )
                if not edges:
                    continue
                key = ("merged", tuple((name, sides[name].style, str(sides[name].color)) for name in edges))
                styled = self._styles.get(key)
                if styled is None:
                    cell.border = Border(**{name: sides[name] for name in edges})
                    self._styles[key] = copy.copy(cell._style)
                else:
                    cell._style = copy.copy(styled)

    def fit_rows(self) -> None:
        """Row heights that fit the wrapped text of every cell (merged cells: their whole box),
        estimated from the text's width in Excel character units and the columns' widths."""
        ws = self.ws
        spans = {(r1, c1): (r2, c2) for r1, c1, r2, c2 in self.merges}
        covered = {(r, c) for r1, c1, r2, c2 in self.merges for r in range(r1, r2 + 1)
                   for c in range(c1, c2 + 1) if (r, c) != (r1, c1)}  # fmt: skip
        need: dict[int, float] = {}
        tall: list[tuple[int, int, float]] = []
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None or (cell.row, cell.column) in covered:
                    continue
                r2, c2 = spans.get((cell.row, cell.column), (cell.row, cell.column))
                width = sum(ws.column_dimensions[get_column_letter(c)].width or 8.43
                            for c in range(cell.column, c2 + 1))  # fmt: skip
                size = float(cell.font.sz or FONT_SIZE) if cell.font else FONT_SIZE
                text = _display(cell.value, cell.number_format)
                per_line = max(width - 1.2, 1.0) * FONT_SIZE / size
                lines = sum(max(1, math.ceil(_units(part) / per_line)) for part in text.split("\n"))
                height = lines * size * 1.38 + 6
                if r2 == cell.row:
                    need[cell.row] = max(need.get(cell.row, 0.0), height)
                else:
                    tall.append((cell.row, r2, height))
        for r, h in need.items():
            current = ws.row_dimensions[r].height
            ws.row_dimensions[r].height = round(max(h, current or 0, 20.0), 1)
        for r1, r2, h in tall:
            have = sum(ws.row_dimensions[r].height or 20.0 for r in range(r1, r2 + 1))
            if have < h:
                ws.row_dimensions[r2].height = round((ws.row_dimensions[r2].height or 20.0) + h - have, 1)


def set_value(cell: Any, value: Any) -> None:
    """Put a value in a cell; text a spreadsheet would read as a formula is stored as text (a
    string cell with the quote prefix that Excel and LibreOffice show as typed)."""
    value = _clean(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.value = value
        cell.data_type = "s"
        cell.quotePrefix = True
        return
    cell.value = value


def _note(text: str = "") -> Comment:
    note = Comment(text or ILLUSTRATIVE_NOTE, "jixiao")
    note.width, note.height = 220, 60
    return note


def _display(value: Any, number_format: str | None) -> str:
    if isinstance(value, float | int) and not isinstance(value, bool):
        return f"{value:.2f}"
    return str(value)


def _units(text: str) -> float:
    """Width of a text in Excel character units: a CJK character takes about two."""
    return sum(2.0 if ord(ch) > 0x2E80 else 1.1 for ch in text)


def _width(widths: Sequence[float], c1: int, c2: int) -> float:
    return float(sum(widths[c1 - 1 : c2]))


def _runs(keys: Sequence[Any]) -> list[tuple[int, int]]:
    """(start, end) index pairs of runs of equal consecutive keys."""
    out: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            out.append((start, i - 1))
            start = i
    return out


def _notes_project(p: ProjectScore) -> list[str]:
    notes: list[str] = []
    if p.reported_total is not None and abs(p.reported_total - p.computed_total) > 0.005:
        notes.append(f"填报总分 {p.reported_total:.2f} 分，按规则计算 {p.computed_total:.2f} 分（{p.computed_grade}）")
    elif p.total != p.computed_total:
        notes.append(f"按规则计算总分 {p.computed_total:.2f} 分（{p.computed_grade}）")
    if "total_mismatch" in p.flags:
        notes.append(f"填报总分不等于各项得分之和 {p.total:.2f} 分")
    notes += [d.text for d in p.differences if d.indicator_id is not None]
    notes += _indicator_notes(p.indicators)
    if p.execution.flags:
        notes.append(p.execution.rule)
    notes += p.weight_problems
    return notes


def _indicator_notes(scores: Sequence[IndicatorScore]) -> list[str]:
    notes: list[str] = []
    missing = [s.name for s in scores if s.missing]
    if missing:
        notes.append(f"实际完成值缺失（按 0 分计）：{'、'.join(missing)}")
    for s in scores:
        if "far_above" in s.flags:
            notes.append(f"「{s.name}」{FLAG_TEXT['far_above']}：实际 {_fmt(s.actual)}，目标 {_fmt(s.target)}")
    return notes


def _fmt(v: float | None) -> str:
    if v is None:
        return ""
    return f"{v:.2f}".rstrip("0").rstrip(".")


# --------------------------------------------------------------------------- illustrative data


def is_illustrative(frame: pd.DataFrame, index: Any, column: str | None = None, *, table: str | None = None) -> bool:
    """Whether a row (``column`` None: as its ``source`` says) or one cell of an input table is
    illustrative, by the report's own rule (:func:`jixiao.writing.provenance.is_illustrative`): a cell the
    ``published`` table lists is published, an unlisted cell of a row whose other cells it lists
    is supplied. The one place the workbook decides it, so its fills agree with the report's 示."""
    return provenance.is_illustrative(frame, index, column, table=table)


PROJECT_COLUMNS = ("initial_budget", "full_year_budget", "executed", "goal", "outcome",
                   "weight_execution", "weight_output", "weight_effect", "weight_satisfaction",
                   "reported_score")  # fmt: skip
"""The cells of a ``projects`` row the workbook prints or scores with."""
FUND_COLUMNS = ("initial_budget", "full_year_budget", "executed")
BUDGET_COLUMNS = ("initial_budget", "full_year_budget", "executed")
INDICATOR_COLUMNS = ("target", "target_text", "actual", "actual_grade", "weight", "computed_actual", "reported_score",
                     "deviation_reason")  # fmt: skip
GOAL_COLUMNS = ("goal", "completion", "outcome", "deviation_reason")


def _listed_rows(dataset: Any) -> dict[str, set[str]]:
    """By table, the ids of the rows that the ``published`` table names cells of: only there can
    a cell's state differ from its row's."""
    try:
        printed = provenance.published_table(paths.data_dir(dataset.unit, dataset.year))
    except (AttributeError, TypeError, ValueError):
        return {}
    out: dict[str, set[str]] = {}
    for table, row_id in printed.cells:
        out.setdefault(table, set()).add(row_id)
    return out


def _illustrative_cells(
    frame: Any, keys: Sequence[str], columns: Sequence[str], table: str, listed: set[str] | None = None
) -> dict[tuple[str, ...], set[str]]:
    """For each row's key (the values of ``keys``), the columns among ``columns`` whose cells are
    illustrative (rows with none left out). When the ``published`` table names no row of this
    table (``listed`` empty), every cell is as its row, so each row is decided once, as a whole."""
    out: dict[tuple[str, ...], set[str]] = {}
    if frame is None or not isinstance(frame, pd.DataFrame) or len(frame) == 0:
        return out
    present = [c for c in columns if c in frame.columns]
    for index in frame.index:
        if listed is not None and not listed:
            cols = set(present) if is_illustrative(frame, index, table=table) else set()
        else:
            cols = {c for c in present if is_illustrative(frame, index, c, table=table)}
        if cols:
            key = tuple(_text(frame.at[index, k]) or "" if k in frame.columns else "" for k in keys)
            out.setdefault(key, set()).update(cols)
    return out


def _records(frame: Any) -> list[dict[str, Any]]:
    if frame is None or not isinstance(frame, pd.DataFrame) or len(frame) == 0:
        return []
    return frame.to_dict("records")


class _Marks:
    """Which figures of the workbook are illustrative, cell by cell: read from an input cell that
    is illustrative (:func:`is_illustrative`), or computed from one. ``column`` None asks whether
    any of the row's figures is."""

    def __init__(self, dataset: Any) -> None:
        listed = _listed_rows(dataset)
        try:
            self._folder: Path | None = paths.data_dir(dataset.unit, dataset.year)
        except (AttributeError, TypeError, ValueError):
            self._folder = None

        def cells(table: str, keys: tuple[str, ...], columns: Sequence[str]) -> dict[tuple[str, ...], set[str]]:
            return _illustrative_cells(getattr(dataset, table, None), keys, columns, table, listed.get(table, set()))

        self._projects = cells("projects", ("project_id",), PROJECT_COLUMNS)
        self._rows = {_text(r.get("project_id")) or "": r for r in _records(getattr(dataset, "projects", None))}
        self._budget_sums = {
            c: round(sum(_num(r.get(c)) or 0.0 for r in _records(getattr(dataset, "budget", None))), 6)
            for c in BUDGET_COLUMNS
        }
        self._funds = cells("project_funds", ("project_id", "fund_type"), FUND_COLUMNS)
        self._fund_levels = cells("project_funds", ("project_id", "level"), FUND_COLUMNS)
        self._indicators = cells("indicators", ("indicator_id",), INDICATOR_COLUMNS)
        self._budget: dict[tuple[str, ...], set[str]] = {}
        for (_line, kind), cols in cells("budget", ("line_id", "kind"), BUDGET_COLUMNS).items():
            self._budget.setdefault((kind,), set()).update(cols)
        self._goals = bool(cells("goals", ("goal_id",), GOAL_COLUMNS))

    @staticmethod
    def _has(cells: dict[tuple[str, ...], set[str]], key: tuple[str, ...], column: str | None) -> bool:
        found = cells.get(key)
        return bool(found) and (column is None or column in found)  # type: ignore[operator]

    def project(self, project_id: str | None, column: str | None = None) -> bool:
        return self._has(self._projects, (project_id or "",), column)

    def execution(self, project_id: str | None) -> bool:
        """The execution rate: from the full-year budget and the spending."""
        return self.project(project_id, "full_year_budget") or self.project(project_id, "executed")

    def execution_weight(self, project_id: str | None, info: Mapping[str, Any]) -> bool:
        """The 预算执行率 分值: the project's cell, or (left blank) the default jixiao fills in,
        which was never printed (:func:`jixiao.writing.provenance.default_state`)."""
        if _num(info.get("weight_execution")) is None:
            return provenance.default_state() == provenance.ILLUSTRATIVE
        return self.project(project_id, "weight_execution")

    def execution_score(self, project_id: str | None, info: Mapping[str, Any]) -> bool:
        """The execution score: from the rate and the 分值."""
        return self.execution(project_id) or self.execution_weight(project_id, info)

    def funds(self, project_id: str, fund_type: str, column: str | None = None) -> bool:
        return self._has(self._funds, (project_id, fund_type), column)

    def fund_level(self, project_id: str, level: str, column: str | None = None) -> bool:
        return self._has(self._fund_levels, (project_id, level), column)

    def indicator(self, s: IndicatorScore, column: str | None = None) -> bool:
        if column == "weight" and s.weight_default:  # the rules' default: never printed
            return True
        return s.indicator_id is not None and self._has(self._indicators, (s.indicator_id,), column)

    def score(self, s: IndicatorScore) -> bool:
        """An indicator's score: from its target, actual, 分值 and reported score, as the report's."""
        return self.target(s) or self.actual(s) or self.indicator(s, "weight") or self.indicator(s, "reported_score")

    def target(self, s: IndicatorScore) -> bool:
        return self.indicator(s, "target_text" if s.direction == "定性" else "target")

    def actual(self, s: IndicatorScore) -> bool:
        """An indicator's 实际完成值: its cell, or one computed from the budget's totals (confirmed
        by the ``published`` table as the report's are)."""
        if s.direction == "定性":
            return self.indicator(s, "actual_grade")
        if s.computed_actual:
            from jixiao.scoring import BUDGET_MEASURES

            return any(self.whole_budget(c) for c in BUDGET_MEASURES[s.computed_actual] if c is not None)
        return self.indicator(s, "actual")

    def whole_budget(self, column: str) -> bool:
        """A total over every budget line: filled unless the ``published`` table confirms it."""
        key = {"full_year_budget": "total_budget", "executed": "total_executed"}.get(column)
        return self.computed(key, self._budget_sums.get(column), self.budget("", column))

    def project_total(self, p: ProjectScore) -> bool:
        """A project's total: the reported one where it stands (printed or supplied as its cell is),
        else computed from its execution score (a default 分值 included) and its indicators'."""
        if p.reported_total is not None:
            return self.project(p.project_id, "reported_score")
        info = self._rows.get(p.project_id or "", {})
        return self.execution_score(p.project_id, info) or any(self.score(s) for s in p.indicators)

    def project_weights(self, p: ProjectScore) -> bool:
        """A project's 满分: its 预算执行率 分值 (a default included) and its indicators' 分值."""
        info = self._rows.get(p.project_id or "", {})
        return self.execution_weight(p.project_id, info) or any(self.indicator(s, "weight") for s in p.indicators)

    def computed(self, key: str | None, value: Any, illustrative: bool) -> bool:
        """Whether a figure jixiao computes (``value``, from inputs of which one is illustrative
        when ``illustrative``) is filled: not when the ``published`` row of ``key`` confirms it,
        as the report decides for its figure of the same key
        (:func:`jixiao.writing.provenance.computed_state`)."""
        if self._folder is None:
            return illustrative
        return provenance.computed_state(self._folder, key, value, illustrative) == provenance.ILLUSTRATIVE

    def department(self, d: DepartmentScore | None) -> bool:
        """The department's total (and its grade): computed from its indicators, confirmed by the
        ``published`` row ``department_score`` as the report's cover and 表2 are."""
        ill = d is not None and any(self.score(s) for s in d.indicators)
        return d is not None and self.computed("department_score", d.total, ill)

    def budget(self, kind: str = "", column: str | None = None) -> bool:
        """A budget sum over the lines of ``kind`` ("" = every line; 基本支出 includes its parts)."""
        kinds = {key[0] for key, cols in self._budget.items() if column is None or column in cols}
        if kind == "":
            return bool(kinds)
        if kind == "基本支出":
            return bool(kinds & {"基本支出", "人员经费", "公用经费"})
        return kind in kinds

    @property
    def goals(self) -> bool:
        return self._goals

    @property
    def any(self) -> bool:
        return bool(self._projects or self._funds or self._indicators or self._budget or self._goals)


# --------------------------------------------------------------------------- the unit's lines


def _profile(dataset: Any) -> dict[str, Any]:
    rows = _records(getattr(dataset, "profile", None))
    return rows[0] if rows else {}


def signature_lines(dataset: Any, unit_name: str) -> list[tuple[str, str, bool]]:
    """填报单位, 填报日期, 联系人, 联系电话 from the profile's optional columns (``preparer``, blank =
    the unit; ``report_date``, ``contact_person``, ``contact_phone``); blank where not given. Each
    with whether it is a supplied value (:func:`is_illustrative`), marked as the report marks it."""
    frame, prof = getattr(dataset, "profile", None), _profile(dataset)

    def supplied(column: str) -> bool:
        return bool(_text(prof.get(column))) and is_illustrative(frame, frame.index[0], column, table="profile")

    return [
        ("填报单位", _text(prof.get("preparer")) or unit_name, supplied("preparer")),
        ("填报日期", formatting.date(_clean(prof.get("report_date"))), supplied("report_date")),
        ("联系人", _text(prof.get("contact_person")) or "", supplied("contact_person")),
        ("联系电话", _text(prof.get("contact_phone")) or "", supplied("contact_phone")),
    ]


# --------------------------------------------------------------------------- tables


def _combined(value: Any, score: IndicatorScore, *, target: bool) -> Any:
    """An indicator's target (≥650人) or actual (653人) in one cell, as the central form prints it."""
    if value is None or score.direction == "定性":
        return value
    text = f"{formatting.natural(value, 6)}{score.measure_unit or ''}"
    return f"{score.direction}{text}" if target else text


def _indicator_block(
    sh: _Sheet, row: int, scores: Sequence[IndicatorScore], marks: _Marks, combined: bool = False
) -> int:
    """Header and one row per indicator from ``row``; first and second levels merged down.
    Returns the next free row."""
    for c, h in enumerate(INDICATOR_HEADERS, start=1):
        if combined and c in (5, 6):  # 指标性质, 年度指标值 and 度量单位 make one column
            continue
        sh.put(row, c, "年度指标值" if combined and c == 4 else h, bold=True, to_col=6 if combined and c == 4 else None)
    sh.ws.row_dimensions[row].height = 30
    first = row + 1
    for i, s in enumerate(scores):
        r = first + i
        qualitative = s.direction == "定性"
        target = (s.target_text or "—") if qualitative else s.target
        actual = s.actual_grade if qualitative else s.actual
        ill = marks.score(s)
        sh.put(r, 1, s.level1)
        sh.put(r, 2, s.level2)
        sh.put(r, 3, s.name, left=True)
        if combined:
            sh.put(r, 4, _combined(target, s, target=True), to_col=6, illustrative=marks.target(s))
            sh.put(r, 7, _combined(actual, s, target=False), illustrative=marks.actual(s))
        else:
            sh.put(r, 4, s.direction)
            sh.put(r, 5, target, illustrative=marks.target(s))
            sh.put(r, 6, s.measure_unit)
            sh.put(r, 7, actual, illustrative=marks.actual(s))
        note = DEFAULT_WEIGHT_NOTE if s.weight_default else ""
        sh.put(r, 8, s.weight, fmt=weight_format(s.weight), illustrative=marks.indicator(s, "weight"), note=note)
        sh.put(r, 9, s.score, fmt=SCORE, illustrative=ill)
        sh.put(r, 10, s.deviation_reason, left=True, illustrative=marks.indicator(s, "deviation_reason"))
        sh.height(
            r,
            [
                (s.name, TABLE_WIDTHS[2]),
                (s.deviation_reason, TABLE_WIDTHS[9]),
                (target if qualitative else None, TABLE_WIDTHS[4]),
            ],
        )
    l1 = [s.level1 for s in scores]
    l2 = [(s.level1, s.level2) for s in scores]
    for col, keys in ((1, l1), (2, l2)):
        for a, b in _runs(keys):
            if b > a:
                sh.merges.append((first + a, col, first + b, col))
    return first + len(scores)


def _footer(
    sh: _Sheet,
    row: int,
    weight: float,
    total: float,
    grade_: str,
    notes: Sequence[str],
    ill: bool = False,
    weight_ill: bool = False,
) -> int:
    sh.put(row, 1, "总分", to_col=7, bold=True)
    sh.put(row, 8, weight, fmt=weight_format(weight), illustrative=weight_ill)
    sh.put(row, 9, total, fmt=SCORE, bold=True, illustrative=ill)
    sh.put(row, 10, None)
    sh.put(row + 1, 1, "评价等级", to_col=7, bold=True)
    sh.put(row + 1, 8, grade_, to_col=10, bold=True, illustrative=ill)
    row += 2
    if notes:
        text = "核对说明：\n" + "\n".join(f"{i}. {n}" for i, n in enumerate(notes, start=1))
        sh.put(row, 1, text, to_col=10, left=True)
        sh.height(row, [(text, _width(TABLE_WIDTHS, 1, 10))])
        row += 1
    return row


def _fund_groups(dataset: Any, project_id: str) -> tuple[str, dict[str, tuple[float, float, float]] | None]:
    """The 其中 rows of a project's funds block, as the report's (``sections.projects.fund_groups``):
    ("level", amounts by 资金级次) when the project's rows give a ``level``, else ("type", amounts
    by 资金性质); amounts None without funds rows."""
    funds = getattr(dataset, "project_funds", None)
    if funds is None or len(funds) == 0 or "project_id" not in funds:
        return "type", None
    rows = funds[funds["project_id"].astype(str).str.strip() == project_id]
    if len(rows) == 0:
        return "type", None
    levels = rows["level"].map(_text) if "level" in rows.columns else None
    by, column, groups = "type", "fund_type", FUND_TYPES
    if levels is not None and any(levels):
        by, column, groups = "level", "level", LEVELS
    out: dict[str, tuple[float, float, float]] = {}
    for group in groups:
        sel = rows[rows[column].map(_text) == group]
        out[group] = tuple(  # type: ignore[assignment]
            round(sum(_num(v) or 0.0 for v in sel[col]), 6)
            for col in ("initial_budget", "full_year_budget", "executed")
        )
    return by, out


def _project_row(dataset: Any, project_id: str) -> dict[str, Any]:
    projects = dataset.projects
    rows = projects[projects["project_id"].astype(str).str.strip() == project_id]
    return rows.iloc[0].to_dict() if len(rows) else {}


def _rate(executed: float, budget: float) -> float | None:
    return executed / budget if budget else None


def _project_sheet(
    ws: Worksheet, dataset: Any, p: ProjectScore, unit_name: str, marks: _Marks, combined: bool = False
) -> None:
    sh = _Sheet(ws, TABLE_WIDTHS)
    info = _project_row(dataset, p.project_id)
    sh.title(1, "项目支出绩效自评表", 10)
    sh.ws.row_dimensions[1].height = 30
    sh.title(2, f"（{dataset.year}年度）", 10, _font(size=11))

    sh.put(3, 1, "项目名称", to_col=2, bold=True)
    sh.put(3, 3, formatting.quotes(p.project_name), to_col=10, left=True)
    sh.put(4, 1, "主管部门", to_col=2, bold=True)
    sh.put(4, 3, unit_name, to_col=5, left=True)
    sh.put(4, 6, "实施单位", to_col=7, bold=True)
    sh.put(4, 8, _text(info.get("implementer")) or unit_name, to_col=10, left=True)

    # funds block, rows 5–9
    sh.put(5, 1, "项目资金\n（万元）", to_row=9, bold=True)
    sh.put(5, 2, None, to_col=3)
    for c, h in zip((4, 5, 6, 7, 8), ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率"), strict=True):
        sh.put(5, c, h, bold=True)
    sh.put(5, 9, "得分", to_col=10, bold=True)
    sh.put(6, 2, "年度资金总额", to_col=3)
    pid = p.project_id
    sh.put(6, 4, p.initial_budget, fmt=AMOUNT, illustrative=marks.project(pid, "initial_budget"))
    sh.put(6, 5, p.full_year_budget, fmt=AMOUNT, illustrative=marks.project(pid, "full_year_budget"))
    sh.put(6, 6, p.executed, fmt=AMOUNT, illustrative=marks.project(pid, "executed"))
    weight_ill = marks.execution_weight(pid, info)
    default = DEFAULT_NOTE if _num(info.get("weight_execution")) is None else ""
    sh.put(6, 7, p.execution.weight, fmt=weight_format(p.execution.weight), illustrative=weight_ill, note=default)
    sh.put(6, 8, p.execution.rate, fmt=RATE, illustrative=marks.execution(pid))
    sh.put(6, 9, p.execution.score, to_col=10, fmt=SCORE, illustrative=marks.execution_score(pid, info))
    by, funds = _fund_groups(dataset, p.project_id)
    for i, group in enumerate(LEVELS if by == "level" else FUND_TYPES):
        r = 7 + i
        label = f"{group}资金" if by == "level" else group
        sh.put(r, 2, f"其中：{label}" if i == 0 else label, to_col=3, left=i > 0)
        amounts = funds[group] if funds else (None, None, None)

        def marked(col: str, group: str = group) -> bool:
            return marks.fund_level(pid, group, col) if by == "level" else marks.funds(pid, group, col)

        for c, v, col in zip((4, 5, 6), amounts, FUND_COLUMNS, strict=True):
            sh.put(r, c, v, fmt=AMOUNT, illustrative=marked(col))
        sh.put(r, 7, "—")
        rate = _rate(amounts[2], amounts[1]) if funds else None
        fill = marked("full_year_budget") or marked("executed")
        sh.put(r, 8, rate if rate is not None else "—", fmt=RATE, illustrative=fill and rate is not None)
        sh.put(r, 9, "—", to_col=10)

    # goals, rows 10–11
    goal, outcome = _text(info.get("goal")), _text(info.get("outcome"))
    sh.put(10, 1, "年度总体目标", to_row=11, bold=True)
    sh.put(10, 2, "预期目标", to_col=6, bold=True)
    sh.put(10, 7, "实际完成情况", to_col=10, bold=True)
    sh.put(11, 2, goal, to_col=6, left=True, illustrative=marks.project(pid, "goal"))
    sh.put(11, 7, outcome, to_col=10, left=True, illustrative=marks.project(pid, "outcome"))
    sh.height(11, [(goal, _width(TABLE_WIDTHS, 2, 6)), (outcome, _width(TABLE_WIDTHS, 7, 10))], minimum=45)

    row = _indicator_block(sh, 12, p.indicators, marks, combined)
    total_weight = sum(p.weights.values())
    row = _footer(
        sh,
        row,
        total_weight,
        p.final_total,
        p.grade,
        _notes_project(p),
        marks.project_total(p),
        marks.project_weights(p),
    )
    sh.signature(row + 1, signature_lines(dataset, unit_name), 10)
    sh.finish(title_rows="1:3")


EXECUTION_LEVEL1 = "预算执行"
"""The department's first-level indicator whose weight and score the execution block shows."""


def _department_goals(dataset: Any, unit_name: str) -> tuple[str | None, str | None]:
    """年度总体目标 of the department from the optional ``goals`` table: the goals numbered, and
    what was achieved of each, its placeholders filled as the report fills them (``{key}``,
    ``{a+b}``: value, unit, qualifier); (None, None) when there is no such table."""
    from jixiao.sections.themes import fill_text

    rows = _records(getattr(dataset, "goals", None))
    if not rows:
        return None, None
    goals, outcomes = [], []
    for i, r in enumerate(rows, start=1):
        goals.append(f"{i}. {_text(r.get('goal')) or ''}")
        done = _text(r.get("completion")) or ""
        typed = _text(r.get("outcome"))
        outcome = fill_text(typed, dataset.stats, dataset.unit, dataset.year, unit_name) if typed else typed
        said = "；".join(x for x in (outcome, _text(r.get("deviation_reason"))) if x)
        outcomes.append(f"{i}. {done}" + (f"：{said}" if said else ""))
    return "\n".join(goals), "\n".join(outcomes)


def _department_sheet(
    ws: Worksheet, dataset: Any, d: DepartmentScore | None, unit_name: str, marks: _Marks, combined: bool = False,
    title: str = DEPARTMENT_SHEET,
) -> None:  # fmt: skip
    sh = _Sheet(ws, TABLE_WIDTHS)
    sh.title(1, title, 10)
    sh.ws.row_dimensions[1].height = 30
    sh.title(2, f"（{dataset.year}年度）", 10, _font(size=11))
    sh.put(3, 1, "部门名称", to_col=2, bold=True)
    sh.put(3, 3, unit_name, to_col=10, left=True)

    budget = getattr(dataset, "budget", None)
    sums: dict[str, list[float]] = {key: [0.0, 0.0, 0.0] for key in ("", "基本支出", "项目支出")}
    for rec in _records(budget):
        kind = _text(rec.get("kind")) or ""
        if kind in ("人员经费", "公用经费"):  # the two parts of 基本支出
            kind = "基本支出"
        for i, col in enumerate(("initial_budget", "full_year_budget", "executed")):
            v = _num(rec.get(col)) or 0.0
            sums[""][i] += v
            if kind in sums:
                sums[kind][i] += v
    execution = next((t for t in (d.subtotals if d else ()) if EXECUTION_LEVEL1 in t.level1), None)
    sh.put(4, 1, "年度预算\n执行情况\n（万元）", to_row=7, bold=True)
    sh.put(4, 2, None, to_col=3)
    for c, h in zip((4, 5, 6, 7, 8), ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率"), strict=True):
        sh.put(4, c, h, bold=True)
    sh.put(4, 9, "得分", to_col=10, bold=True)
    for i, (label, key) in enumerate((("年度资金总额", ""), ("其中：基本支出", "基本支出"), ("项目支出", "项目支出"))):
        r = 5 + i
        ini, full, spent = (round(x, 6) for x in sums[key])
        rate = _rate(spent, full)
        whole = key == ""  # the totals over every line, which the ``published`` table may name

        def fill(column: str, value: Any, name: str, whole: bool = whole, key: str = key) -> bool:
            return marks.computed(name if whole else None, value, marks.budget(key, column))

        full_ill = fill("full_year_budget", full, "total_budget")
        spent_ill = fill("executed", spent, "total_executed")
        rate_ill = marks.computed("execution_rate" if whole else None, rate, full_ill or spent_ill)
        sh.put(r, 2, label, to_col=3, left=i > 1)
        sh.put(r, 4, ini, fmt=AMOUNT, illustrative=marks.budget(key, "initial_budget"))
        sh.put(r, 5, full, fmt=AMOUNT, illustrative=full_ill)
        sh.put(r, 6, spent, fmt=AMOUNT, illustrative=spent_ill)
        sh.put(r, 8, rate if rate is not None else "—", fmt=RATE, illustrative=rate_ill and rate is not None)
        sh.put(r, 7, "—")  # the department's execution is scored among its indicators (below), not twice
        sh.put(r, 9, "—", to_col=10)

    goal, outcome = _department_goals(dataset, unit_name)
    if goal is None:
        goal = outcome = "未提供年度绩效目标（年度绩效目标 goals 表），请填写"
    sh.put(8, 1, "年度总体目标", to_row=9, bold=True)
    sh.put(8, 2, "预期目标", to_col=6, bold=True)
    sh.put(8, 7, "实际完成情况", to_col=10, bold=True)
    sh.put(9, 2, goal, to_col=6, left=True, illustrative=marks.goals)
    sh.put(9, 7, outcome, to_col=10, left=True, illustrative=marks.goals)
    sh.height(9, [(goal, _width(TABLE_WIDTHS, 2, 6)), (outcome, _width(TABLE_WIDTHS, 7, 10))], minimum=45)

    lines = signature_lines(dataset, unit_name)
    if d is None:
        sh.put(10, 1, "本年度未设部门整体绩效指标", to_col=10)
        sh.signature(12, lines, 10)
        sh.finish(title_rows="1:3")
        return
    row = _indicator_block(sh, 10, d.indicators, marks, combined)
    notes: list[str] = []
    if execution is not None:
        notes.append(
            f"年度预算执行情况不另计分：其分值、得分为下表一级指标“{execution.level1}”各项之和"
            f"（分值{_fmt(execution.weight)}分，得分{_fmt(execution.score)}分），已含在总分中"
        )
    if d.total != d.computed_total:
        notes.append(f"按规则计算总分 {d.computed_total:.2f} 分（{d.computed_grade}）")
    notes += [x.text for x in d.differences]
    notes += _indicator_notes(d.indicators)
    notes += d.weight_problems
    weights_ill = any(marks.indicator(s, "weight") for s in d.indicators)
    row = _footer(
        sh, row, sum(s.weight for s in d.indicators), d.total, d.grade, notes, marks.department(d), weights_ill
    )
    sh.signature(row + 1, lines, 10)
    sh.finish(title_rows="1:3")


SUMMARY_HEADERS = (
    "项目名称",
    "资金来源",
    "全年预算数",
    "全年执行数",
    "执行率",
    "得分",
    "等级",
    "备注",
)
SUMMARY_WIDTHS = (28, 16, 14, 14, 10, 10, 8, 50)
LEGEND = {
    "filing": "底色如左者为示例数据：非公开发布的数字，由编制者补充，或由这样的数计算得出；各单元格附有批注说明。",
    "review": "底色如左者为示例数据：该数取自来源（source）标为 illustrative 的输入行（非公开发布的数字，"
    "由编制者补充），或由这样的数计算得出；各单元格附有批注说明。",
}
"""The legend of the illustrative fill: the filed form in Chinese only, the reviewer's with the
input column that marks a row."""


def _reported_total(dataset: Any) -> tuple[float, bool] | None:
    """The department's total as the unit reported it (``profile.reported_total_score``) and whether
    it was supplied (示), or None: the score the report's cover shows when there are no department
    indicators."""
    profile = getattr(dataset, "profile", None)
    if profile is None or not len(profile) or "reported_total_score" not in profile.columns:
        return None
    index = profile.index[0]
    value = _num(profile.at[index, "reported_total_score"])
    if value is None:
        return None
    state = provenance.cell_state(profile, index, "reported_total_score", table="profile")
    return float(value), state == provenance.ILLUSTRATIVE


def _summary_sheet(ws: Worksheet, dataset: Any, scores: Scores, unit_name: str, marks: _Marks, edition: str,
                   kind: ReportKind = KINDS[DEFAULT_KIND]) -> None:  # fmt: skip
    sh = _Sheet(ws, SUMMARY_WIDTHS)
    n = len(SUMMARY_HEADERS)
    sh.title(1, f"{unit_name}{dataset.year}年度绩效{kind.act}结果汇总", n)
    sh.ws.row_dimensions[1].height = 30
    sh.put(2, 1, "金额单位：万元", to_col=n, border=False)
    sh.ws.cell(row=2, column=1).alignment = Alignment(horizontal="right")
    for c, h in enumerate(SUMMARY_HEADERS, start=1):
        sh.put(3, c, h, bold=True)
    row = 4
    budget_sum = executed_sum = 0.0
    for p in scores.projects:
        note = "；".join(_notes_project(p))
        pid, ill_total = p.project_id, marks.project_total(p)
        sh.put(row, 1, formatting.quotes(p.project_name), left=True)
        sh.put(row, 2, p.fund_source)
        sh.put(row, 3, p.full_year_budget, fmt=AMOUNT, illustrative=marks.project(pid, "full_year_budget"))
        sh.put(row, 4, p.executed, fmt=AMOUNT, illustrative=marks.project(pid, "executed"))
        sh.put(row, 5, p.execution.rate, fmt=RATE, illustrative=marks.execution(pid))
        sh.put(row, 6, p.final_total, fmt=SCORE, illustrative=ill_total)
        sh.put(row, 7, p.grade, illustrative=ill_total)
        sh.put(row, 8, note or None, left=True)
        sh.height(row, [(p.project_name, SUMMARY_WIDTHS[0]), (note, SUMMARY_WIDTHS[7])])
        budget_sum += p.full_year_budget
        executed_sum += p.executed
        row += 1
    sh.put(row, 1, f"合计（{len(scores.projects)}个项目）", bold=True)
    sh.put(row, 2, None)
    any_budget = any(marks.project(p.project_id, "full_year_budget") for p in scores.projects)
    any_executed = any(marks.project(p.project_id, "executed") for p in scores.projects)
    any_total = any(marks.project_total(p) for p in scores.projects)
    sh.put(row, 3, round(budget_sum, 6), fmt=AMOUNT, illustrative=any_budget)
    sh.put(row, 4, round(executed_sum, 6), fmt=AMOUNT, illustrative=any_executed)
    sh.put(row, 5, _rate(executed_sum, budget_sum), fmt=RATE, illustrative=any_budget or any_executed)
    for c in (6, 7, 8):
        sh.put(row, c, None)
    row += 2

    d = scores.department
    if not kind.of_projects:  # a project or fund report has no department score
        sh.put(row, 1, f"部门整体{kind.act}得分", to_col=5, bold=True)
        reported = None if d else _reported_total(dataset)
        if reported is not None:  # no department indicators: the total the unit reported, as the report's cover
            value, supplied = reported
            sh.put(row, 6, value, fmt=SCORE, illustrative=supplied)
            sh.put(row, 7, grade(value, scores.rules), illustrative=supplied)
            sh.put(row, 8, "单位填报的总分（未设部门整体绩效指标）", left=True)
        else:
            sh.put(row, 6, d.total if d else None, fmt=SCORE, illustrative=marks.department(d))
            sh.put(row, 7, d.grade if d else None, illustrative=marks.department(d))
            sh.put(row, 8, None if d else "未设部门整体绩效指标", left=True)
        row += 1
    s = scores.summary
    sh.put(row, 1, "项目得分加权平均（按全年执行数加权）", to_col=5, bold=True)
    sh.put(row, 6, s.score, fmt=SCORE, illustrative=any_total)
    sh.put(row, 7, grade(s.score, scores.rules) if s.score is not None else None, illustrative=any_total)
    sh.put(row, 8, s.formula, left=True)
    sh.height(row, [(s.formula, SUMMARY_WIDTHS[7])])
    row += 2
    sh.put(
        row,
        1,
        "说明：执行率 = 全年执行数 ÷ 全年预算数；"
        "得分为单位填报的总分，未填报时为自评表各项得分之和；备注列出与按规则计算的得分不一致之处及缺失数据。",
        to_col=n,
        left=True,
        border=False,
    )
    sh.ws.row_dimensions[row].height = 32
    row += 1
    lines = signature_lines(dataset, unit_name)
    if marks.any or any(supplied for *_, supplied in lines):
        sh.put(row, 1, "示例数据", illustrative=True)
        sh.ws.cell(row=row, column=1).comment = None
        sh.put(row, 2, LEGEND[edition], to_col=n, left=True, border=False)
        row += 1
    sh.signature(row + 1, lines, n)
    sh.ws.freeze_panes = "A4"
    sh.finish(title_rows="1:3")


DETAIL_HEADERS = (
    "对象",
    "一级指标",
    "二级指标",
    "三级指标",
    "指标性质",
    "年度指标值",
    "实际完成值",
    "分值",
    "计算得分",
    "填报得分",
    "采用得分",
    "计分规则",
    "提示",
    "数据来源",
)
DETAIL_WIDTHS = (18, 11, 13, 20, 8, 11, 11, 8, 9, 9, 9, 44, 22, 30)


def _detail_sheet(ws: Worksheet, scores: Scores, marks: _Marks, sources: bool) -> None:
    """Every score with its rule; with ``sources``, the input row it came from (file and row: the
    reviewer's workbook, never the filed one)."""
    columns = len(DETAIL_HEADERS) - (0 if sources else 1)
    sh = _Sheet(ws, DETAIL_WIDTHS[:columns])
    sh.title(1, "计分明细（每项得分的规则与数据来源）" if sources else "计分明细（每项得分的规则）", columns)
    for c, h in enumerate(DETAIL_HEADERS[:columns], start=1):
        sh.put(2, c, h, bold=True)
    row = 3

    def line(owner: str, values: Sequence[Any], ill: bool = False) -> None:
        nonlocal row
        sh.put(row, 1, owner, left=True)
        for c, v in enumerate(values[: columns - 1], start=2):
            fmt = SCORE if c in (8, 9, 10, 11) else None
            sh.put(row, c, v, fmt=fmt, left=c >= 12, illustrative=ill and 6 <= c <= 11 and v is not None)
        sh.height(row, [(values[10], DETAIL_WIDTHS[11]), (values[11], DETAIL_WIDTHS[12])])
        row += 1

    def indicator(owner: str, s: IndicatorScore) -> None:
        q = s.direction == "定性"
        line(
            owner,
            [
                s.level1,
                s.level2,
                s.name,
                s.direction,
                s.target_text if q else s.target,
                s.actual_grade if q else s.actual,
                s.weight,
                s.computed,
                s.reported,
                s.score,
                s.rule,
                "；".join(FLAG_TEXT.get(f, f) for f in s.flags) or None,
                s.provenance.cite() if s.provenance else None,
            ],
            marks.score(s),
        )

    for p in scores.projects:
        e = p.execution
        line(
            formatting.quotes(p.project_name),
            [
                "预算执行率",
                None,
                "预算执行率",
                None,
                None,
                e.rate,
                e.weight,
                e.score,
                None,
                e.score,
                e.rule,
                "；".join(FLAG_TEXT.get(f, f) for f in e.flags) or None,
                p.provenance.cite() if p.provenance else None,
            ],
            marks.execution(p.project_id),
        )
        sh.ws.cell(row=row - 1, column=7).number_format = RATE
        for s in p.indicators:
            indicator(formatting.quotes(p.project_name), s)
    if scores.department:
        for s in scores.department.indicators:
            indicator("部门整体", s)
    sh.ws.freeze_panes = "B3"
    # readable on paper: printed at full size over several pages, the header row and the
    # 对象 column repeated on each, rather than shrunk to one page's width
    sh.finish(title_rows="1:2", title_cols="A:A", fit_width=False)
    sh.ws.page_setup.pageOrder = "overThenDown"


# --------------------------------------------------------------------------- entry point


def write_selfeval_workbook(
    path: str | Path, dataset: Any, scores: Scores, unit_name: str, edition: str = "filing", combined: bool = False
) -> Path:
    """Write the 自评表 workbook to ``path`` (written beside it, then renamed) and return it.

    ``dataset`` is a :class:`jixiao.inputs.dataset.Dataset` (its ``year``, ``profile``, ``projects``,
    ``project_funds``, ``indicators``, ``budget`` and, when present, ``goals`` are read),
    ``scores`` the result of :func:`jixiao.scoring.score_all` on it.
    """
    return write_atomically(Path(path), selfeval_workbook_bytes(dataset, scores, unit_name, edition, combined))


def selfeval_workbook_bytes(
    dataset: Any, scores: Scores, unit_name: str, edition: str = "filing", combined: bool = False,
    kind: ReportKind = KINDS[DEFAULT_KIND],
) -> bytes:  # fmt: skip
    """The 自评表 workbook as the bytes of an .xlsx file (see :func:`write_selfeval_workbook`);
    the same inputs give the same bytes. ``edition``: ``filing``, the form a department files (in
    Chinese, no file paths), or ``review``, whose 计分明细 names each score's input row.
    ``combined``: an indicator's 年度指标值 in one cell (≥650人), as the central form prints it
    (the unit's ``selfeval_targets``). ``kind``: the report's kind (``Settings.kind``), whose words
    the sheets use (部门整体支出绩效评价表 in an evaluation); a project or fund report has no
    department sheet."""
    wb = Workbook()
    _base_font(wb)
    marks = _Marks(dataset)
    summary = wb.active
    summary.title = SUMMARY_SHEET
    _summary_sheet(summary, dataset, scores, unit_name, marks, edition, kind)
    taken = [SUMMARY_SHEET, DETAIL_SHEET]
    if not kind.of_projects:
        department = f"{kind.form_title}表"
        _department_sheet(wb.create_sheet(department), dataset, scores.department, unit_name, marks, combined,
                          department)  # fmt: skip
        taken.append(department)
    for p in scores.projects:
        name = sheet_name(formatting.quotes(p.project_name), taken, fallback=p.project_id or "项目")
        taken.append(name)
        _project_sheet(wb.create_sheet(name), dataset, p, unit_name, marks, combined)
    _detail_sheet(wb.create_sheet(DETAIL_SHEET), scores, marks, sources=edition == "review")

    when = document_time(int(dataset.year), _profile(dataset).get("report_date"))
    props = wb.properties
    props.created = props.modified = when
    props.creator = props.lastModifiedBy = property_text(signature_lines(dataset, unit_name)[0][1])
    props.title = property_text(f"{unit_name}{dataset.year}年度绩效{kind.act}表")
    buffer = io.BytesIO()
    wb.save(buffer)
    return _reproducible_zip(buffer.getvalue(), when)


def _base_font(wb: Workbook) -> None:
    """宋体 as the workbook's default font (openpyxl's is Calibri), for cells and the Normal style."""
    wb._fonts.clear()  # the default font is the first of the workbook's font list
    wb._fonts.add(_PLAIN)
    for style in wb._named_styles:
        if style.name == "Normal":
            style.font = _PLAIN


def _reproducible_zip(data: bytes, when: dt.datetime) -> bytes:
    """The workbook with every entry dated ``when`` and its created and modified times set to it
    (openpyxl stamps "modified" with the clock)."""

    iso = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode("ascii")

    def dated(name: str, content: bytes) -> bytes:
        if name != "docProps/core.xml":
            return content
        return re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)", rb"\g<1>" + iso + rb"\g<2>", content)

    return restamp_zip(data, when, 0o600, dated)
