"""Reading filled 自评表 workbooks: every form found by its labels, never by fixed cells.

:func:`read` takes files and folders (read recursively: ``.xlsx``, ``.xlsm``, ``.xls``, sorted)
and returns a :class:`~jixiao.forms.model.Reading`: the forms, and the problems met, each naming
file, sheet and cell and what was expected. A file that cannot be read at all is one problem and
the other files are still read.

A form starts at its title (a cell reading ``…绩效自评表``; a sheet may stack several) and ends
before the next. Inside it the reader looks for the header labels (项目名称, 主管部门, 实施单位 or
部门名称), the funds block's header row (年初预算数, 全年预算数, 全年执行数, …) and its rows, the
年度总体目标's 预期目标 and 实际完成情况, the indicator table's header row (its columns in any
order, named by any of :data:`COLUMNS`' labels) and its rows to 总分, and 评价等级.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from jixiao.forms import labels
from jixiao.forms.labels import norm
from jixiao.forms.model import (
    BLANK,
    DEPARTMENT,
    FUND_ROWS,
    FUND_TOTAL,
    PROJECT,
    Cell,
    Form,
    FormIndicator,
    FundRow,
    Problem,
    Reading,
    Value,
)
from jixiao.forms.workbooks import SUFFIXES, Sheet, Unreadable, load_sheet, open_sheets, scan

TITLE_WORD = "绩效自评表"

HEADER_LABELS = {
    "project": ("项目名称",),
    "department": ("主管部门", "主管部门及代码", "部门名称", "预算部门", "部门单位名称", "单位名称"),
    "unit": ("实施单位", "项目实施单位", "执行单位"),
}

FUND_COLUMNS = {
    "initial": ("年初预算数", "年初预算", "年初预算金额"),
    "full_year": ("全年预算数", "全年预算", "调整后预算数", "全年预算金额"),
    "executed": ("全年执行数", "全年执行", "执行数", "实际执行数", "全年支出数"),
    "weight": ("分值", "权重"),
    "rate": ("执行率", "预算执行率"),
    "score": ("得分", "自评得分"),
}

COLUMNS = {
    "level1": ("一级指标",),
    "level2": ("二级指标",),
    "name": ("三级指标", "绩效指标", "指标名称", "三级指标名称"),
    "direction": ("指标性质", "指标方向", "性质", "指标类型"),
    "target": ("年度指标值", "指标值", "年度目标值", "目标值", "预期指标值", "全年指标值", "预期目标值"),
    "unit": ("度量单位", "计量单位", "单位"),
    "actual": ("实际完成值", "全年实际完成值", "实际值", "完成值", "全年完成值", "实际完成情况"),
    "weight": ("分值", "权重", "指标分值"),
    "share": ("权重占比", "权重比例", "分值占比"),
    "score": ("得分", "自评得分", "实际得分"),
    "converted": ("折算", "折算得分", "折算分"),
    "reason": ("偏差原因分析及改进措施", "偏差原因分析", "偏差原因", "未完成原因分析", "偏差原因及改进措施", "备注"),
    "core": ("核心指标", "是否核心指标"),
}
"""Each indicator-table column and the labels it goes by (compared normalised)."""

TOTAL_LABELS = ("总分", "合计", "总得分", "综合得分", "自评总分")
GRADE_LABELS = ("评价等级", "自评等级", "等级", "自评结论")
GOAL_LABELS = {"expected": ("预期目标", "年度预期目标"), "actual": ("实际完成情况", "全年实际完成情况", "实际完成")}


_FOOTER = {norm(n) for n in TOTAL_LABELS + GRADE_LABELS}
_TOTAL = {norm(n) for n in TOTAL_LABELS}
_GRADE = {norm(n) for n in GRADE_LABELS}


def _lookup(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {norm(label): key for key, names in table.items() for label in names}


_HEADER = _lookup(HEADER_LABELS)
_FUND = _lookup(FUND_COLUMNS)
_COLUMN = _lookup(COLUMNS)
_KNOWN = (
    set(_HEADER)
    | set(_FUND)
    | set(_COLUMN)
    | {norm(n) for n in FUND_ROWS}
    | {norm(n) for n in TOTAL_LABELS + GRADE_LABELS}
    | {norm(n) for names in GOAL_LABELS.values() for n in names}
    | {"年度总体目标", "项目资金", "年度预算执行情况", "资金来源"}
)


def read(paths: Iterable[str | Path]) -> Reading:
    """Every form in the files and folders given (folders recursively), in sorted order."""
    reading = Reading()
    for one in readings(paths):
        reading.forms += one.forms
        reading.problems += one.problems
    return reading


def readings(paths: Iterable[str | Path]) -> Iterator[Reading]:
    """One :class:`Reading` per file (a missing path: one with its problem), in :func:`read`'s
    order: for a caller that keeps only what it makes of each form, so that memory does not grow
    with the forms read."""
    missing = Reading()
    files = _files(paths, missing)
    for problem in missing.problems:
        yield Reading(problems=[problem])
    for path in files:
        yield read_workbook(path)


def _files(paths: Iterable[str | Path], reading: Reading) -> list[Path]:
    found: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and _workbook_name(p))
        elif path.is_file():
            found.append(path)
        else:
            reading.problems.append(Problem(file=str(path), message="文件不存在 (no such file or folder)"))
    return found


def _workbook_name(path: Path) -> bool:
    """A workbook's name (Excel's ``~$`` lock files left out)."""
    return path.suffix.lower() in SUFFIXES and not path.name.startswith("~$")


def read_workbook(path: str | Path) -> Reading:
    """Every form in one workbook; a workbook that cannot be read, or holds no form, is one problem."""
    path = Path(path)
    file = str(path)
    reading = Reading()
    try:
        names, book, note = open_sheets(path)
        scanned = scan(path)
    except Unreadable as reason:
        reading.problems.append(Problem(file=file, message=str(reason)))
        return reading
    except OSError as error:
        reading.problems.append(Problem(file=file, message=f"文件无法打开 (cannot open: {error.strerror})"))
        return reading
    for name in names:
        try:
            sheet = load_sheet(book, name, scanned.get(name) if scanned else None)
        except Unreadable as reason:
            reading.problems.append(Problem(file=file, sheet=name, message=str(reason)))
            continue
        for start, end in _form_spans(sheet):
            form, problems = _read_form(file, sheet, start, end)
            if note:
                form = dataclasses.replace(form, notes=(note, *form.notes))
            reading.forms.append(form)
            reading.problems += problems
    if not reading.forms and not reading.problems:
        reading.problems.append(
            Problem(
                file=file,
                message=f"不是绩效自评表：{len(names)} 个工作表中没有标题含「{TITLE_WORD}」且有指标表"
                "（一级指标、二级指标、三级指标）的表 (not a 自评表 workbook)",
            )
        )
    return reading


# --- finding forms -------------------------------------------------------------------------------


def _text_cells(sheet: Sheet, top: int, bottom: int):
    """(row, col, normalised text) of every text cell in rows [top, bottom), merged cells once."""
    for r in range(top, min(bottom, sheet.height)):
        for c, value in enumerate(sheet.rows[r]):
            if isinstance(value, str) and value.strip():
                yield r, c, value


def _form_spans(sheet: Sheet) -> list[tuple[int, int]]:
    """The (first row, end row) of each form on a sheet: from a title to the next title.

    A sheet with an indicator table but no title is one form from its first row; a title with no
    indicator table below it (汇总, 计分明细, a cover sheet) is no form."""
    titles = [r for r, c, text in _text_cells(sheet, 0, sheet.height) if _is_title(text)]
    titles = sorted(set(titles))
    headers = [r for r in range(sheet.height) if _indicator_header(sheet, r)]
    if not titles:
        named = headers and any(
            norm(text) in ("项目名称", "部门名称") for r, c, text in _text_cells(sheet, 0, headers[0])
        )
        return [(0, sheet.height)] if named else []
    spans = []
    for i, top in enumerate(titles):
        end = titles[i + 1] if i + 1 < len(titles) else sheet.height
        if any(top <= r < end for r in headers):
            spans.append((top, end))
    return spans


def _is_title(text: str) -> bool:
    key = norm(text)
    return TITLE_WORD in key and len(key) <= 60


def _indicator_header(sheet: Sheet, row: int) -> dict[str, int] | None:
    """The indicator table's columns if ``row`` is its header row (一级/二级/三级指标 at least)."""
    if row >= sheet.height:
        return None
    if row in sheet.headers:
        return sheet.headers[row]
    sheet.headers[row] = found = _header_columns(sheet, row)
    return found


def _header_columns(sheet: Sheet, row: int) -> dict[str, int] | None:
    found: dict[str, int] = {}
    for c, value in enumerate(sheet.rows[row]):
        key = _COLUMN.get(norm(value)) if isinstance(value, str) else None
        if key and key not in found:
            found[key] = c
    return found if {"level1", "level2", "name"} <= set(found) else None


# --- one form ------------------------------------------------------------------------------------


@dataclass
class _Context:
    file: str
    sheet: Sheet
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    scale: float = 1.0
    """10000 when the form's amounts are in 元."""

    def at(self, row: int, col: int) -> Cell:
        return Cell(self.file, self.sheet.name, self.sheet.name_of(row, col))

    def problem(self, row: int, col: int, message: str) -> None:
        self.problems.append(Problem(self.file, message, self.sheet.name, self.sheet.name_of(row, col)))

    def raw(self, row: int, col: int) -> object:
        """The cell's value; an unreadable cell (formula with no value, #DIV/0!) is a problem and None."""
        top = self.sheet.top_left(row, col)
        reason = self.sheet.unreadable.get(top)
        if reason is not None:
            self.problem(row, col, f"单元格不可读：{reason}")
            return None
        return self.sheet.value(row, col)

    def text(self, row: int | None, col: int | None) -> Value:
        if row is None or col is None:
            return BLANK
        value = self.raw(row, col)
        if labels.is_blank(value):
            return Value(None, labels.shown(value), self.at(row, col))
        return Value(labels.shown(value), labels.shown(value), self.at(row, col))

    def number(self, row: int | None, col: int | None, what: str) -> Value:
        if row is None or col is None:
            return BLANK
        value = self.raw(row, col)
        if labels.is_blank(value):
            return Value(None, labels.shown(value), self.at(row, col))
        parsed = labels.number(value)
        if parsed is None:
            self.problem(row, col, f"{what}应为数字，表中为「{labels.shown(value)}」(expected a number)")
        return Value(parsed, labels.shown(value), self.at(row, col))

    def amount(self, row: int, col: int, what: str) -> Value:
        value = self.raw(row, col)
        if labels.is_blank(value):
            return Value(None, labels.shown(value), self.at(row, col))
        parsed, unit = labels.amount(value)
        if parsed is None:
            self.problem(row, col, f"{what}应为金额，表中为「{labels.shown(value)}」(expected an amount)")
            return Value(None, labels.shown(value), self.at(row, col))
        if unit == "元" or (not unit and self.scale != 1):
            parsed = parsed / 10000
        return Value(round(parsed, 6), labels.shown(value), self.at(row, col))

    def rate(self, row: int, col: int, what: str) -> Value:
        value = self.raw(row, col)
        if labels.is_blank(value):
            return Value(None, labels.shown(value), self.at(row, col))
        parsed, scaled = labels.percent(value)
        if parsed is None:
            self.problem(row, col, f"{what}应为百分比或比率，表中为「{labels.shown(value)}」(expected a percentage)")
            return Value(None, labels.shown(value), self.at(row, col))
        if scaled:
            self.notes.append(f"{self.sheet.name_of(row, col)} {what}「{labels.shown(value)}」按百分数读作 {parsed:g}")
        return Value(parsed, labels.shown(value), self.at(row, col))


def _read_form(file: str, sheet: Sheet, top: int, end: int) -> tuple[Form, list[Problem]]:
    ctx = _Context(file, sheet)
    title_col, title_text = next(((c, t) for _r, c, t in _text_cells(sheet, top, top + 1) if _is_title(t)), (0, ""))
    title = "".join(title_text.split())
    kind = DEPARTMENT if "部门整体" in norm(title) else PROJECT
    year = _year(sheet, top, end)
    header_row = next(r for r in range(top, end) if _indicator_header(sheet, r))
    _amount_unit(ctx, top, end)
    fields = _header_fields(ctx, top, header_row)
    funds, fund_end = _funds(ctx, top, header_row)
    expected, actual = _goals(ctx, fund_end, header_row)
    columns, first_row = _continued_header(sheet, header_row, dict(_indicator_header(sheet, header_row)))
    indicators, footer = _indicators(ctx, first_row, columns, end)
    total, grade = _footer(ctx, footer, end, columns)
    layout = _layout(kind, title, columns, indicators)
    if "weight" not in columns and "share" not in columns:
        ctx.notes.append(f"{sheet.name_of(header_row, 0)} 指标表没有分值列：各指标分值留空，按规则的默认权重计分")
    form = Form(
        file=file,
        sheet=sheet.name,
        kind=kind,
        top=labels.cell_name(top, title_col),
        title=title,
        year=year,
        project=fields.get("project", BLANK) if kind == PROJECT else BLANK,
        department=fields.get("department", BLANK),
        unit=fields.get("unit", BLANK),
        funds=funds,
        goal_expected=expected,
        goal_actual=actual,
        indicators=indicators,
        total=total,
        grade=grade,
        layout=layout,
        amount_unit="元" if ctx.scale != 1 else "万元",
        notes=tuple(dict.fromkeys(ctx.notes)),
    )
    if kind == PROJECT and form.project.blank:
        ctx.problems.append(Problem(file, "没有找到项目名称 (项目名称 not found)", sheet.name, form.top))
    if form.department.blank:
        missing = "主管部门" if kind == PROJECT else "部门名称"
        ctx.problems.append(Problem(file, f"没有找到{missing} ({missing} not found)", sheet.name, form.top))
    return dataclasses.replace(form, problems=tuple(ctx.problems)), ctx.problems


def _year(sheet: Sheet, top: int, end: int) -> int | None:
    for _r, _c, text in _text_cells(sheet, top, min(end, top + 4)):
        match = re.search(r"((?:19|20)\d\d)\s*年", text)
        if match:
            return int(match.group(1))
    return None


def _amount_unit(ctx: _Context, top: int, end: int) -> None:
    """``金额单位：元`` (or ``单位：元``) above the funds block: amounts are converted to 万元."""
    for r, c, text in _text_cells(ctx.sheet, max(0, top - 2), min(end, top + 12)):
        key = norm(text)
        match = re.search(r"(?:金额)?单位(万元|元)$", key)
        if match and match.group(1) == "元":
            ctx.scale = 10000
            ctx.notes.append(f"{ctx.sheet.name_of(r, c)} 金额单位为元：各金额已除以 10000 换算为万元")
            return


def _right_value(ctx: _Context, row: int, col: int) -> tuple[int, int] | None:
    """The first cell right of a label (past its merged range) that is not another label."""
    sheet = ctx.sheet
    label_origin = sheet.top_left(row, col)
    for c in range(col + 1, sheet.width(row)):
        if sheet.top_left(row, c) == label_origin:
            continue
        value = sheet.value(row, c)
        if isinstance(value, str) and norm(value) in _KNOWN:
            return None
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        return sheet.top_left(row, c)
    return None


def _header_fields(ctx: _Context, top: int, bottom: int) -> dict[str, Value]:
    found: dict[str, Value] = {}
    for r, c, text in _text_cells(ctx.sheet, top, bottom):
        key = _HEADER.get(norm(text))
        if key is None:
            # 主管部门：乐昌市民政局, label and value in one cell
            label, colon, rest = _split_label(text)
            key = _HEADER.get(norm(label)) if colon else None
            if key and key not in found:
                found[key] = Value(rest or None, rest, ctx.at(r, c))
            continue
        if key in found:
            continue
        cell = _right_value(ctx, r, c)
        found[key] = ctx.text(*cell) if cell else Value(None, "", ctx.at(r, c))
    return found


_LABEL_COLON = re.compile(r"^([^:：]*)([:：])(.*)$", re.S)
"""A label and its value in one cell; compiled once (re's cache lookup took as long as the match)."""


def _split_label(text: str) -> tuple[str, str, str]:
    """``"主管部门：乐昌市民政局"`` -> ("主管部门", "：", "乐昌市民政局"); no colon: (text, "", "")."""
    match = _LABEL_COLON.match(text)
    return (match.group(1), match.group(2), match.group(3).strip()) if match else (text, "", "")


def _funds(ctx: _Context, top: int, bottom: int) -> tuple[tuple[FundRow, ...], int]:
    """The funds block's rows, and the row after it."""
    sheet = ctx.sheet
    for r in range(top, bottom):
        columns: dict[str, int] = {}
        for c, value in enumerate(sheet.rows[r]):
            key = _FUND.get(norm(value)) if isinstance(value, str) else None
            if key and key not in columns:
                columns[key] = c
        if {"full_year", "executed"} <= set(columns):
            break
    else:
        ctx.problems.append(
            Problem(
                ctx.file,
                "没有找到资金表的表头行（年初预算数、全年预算数、全年执行数）(funds header row not found)",
                sheet.name,
                labels.cell_name(top, 0),
            )
        )
        return (), top
    first_amount = min(columns.values())
    rows: list[FundRow] = []
    row = r + 1
    while row < bottom:
        if _indicator_header(sheet, row) or any(norm(v) in _GOAL_WORDS for v in sheet.rows[row]):
            break
        name = _fund_row_label(sheet, row, first_amount)
        if not name:
            if all(labels.is_blank(sheet.value(row, c)) for c in columns.values()):
                break
            ctx.problem(row, 0, "资金表这一行没有名称（应为年度资金总额、当年财政拨款等）(fund row without a name)")
            row += 1
            continue
        known = name in _FUND_ROW_KEYS.values()
        if not known and not any(
            labels.amount(sheet.value(row, columns[k]))[0] is not None
            for k in ("initial", "full_year", "executed")
            if k in columns
        ):
            break  # no amount and no fund's name: the block has ended
        if row in sheet.hidden_rows:
            ctx.notes.append(f"{sheet.name_of(row, first_amount)} 第 {row + 1} 行是隐藏行：照常读取")
        amounts = {
            key: ctx.amount(row, columns[key], f"{name}的{FUND_COLUMNS[key][0]}")
            for key in ("initial", "full_year", "executed")
            if key in columns
        }
        rows.append(
            FundRow(
                name=name,
                initial=amounts.get("initial", BLANK),
                full_year=amounts.get("full_year", BLANK),
                executed=amounts.get("executed", BLANK),
                weight=ctx.number(row, columns.get("weight"), f"{name}的分值"),
                rate=ctx.rate(row, columns["rate"], f"{name}的执行率") if "rate" in columns else BLANK,
                score=ctx.number(row, columns.get("score"), f"{name}的得分"),
            )
        )
        row += 1
    if not any(f.name == FUND_TOTAL for f in rows):
        ctx.problem(r, first_amount, f"资金表中没有「{FUND_TOTAL}」一行 (no {FUND_TOTAL} row)")
    return tuple(rows), row


_FUND_ROW_KEYS = {norm(n): n for n in FUND_ROWS} | {"资金总额": FUND_TOTAL, "合计": FUND_TOTAL}


_GOAL_WORDS = {"年度总体目标", "年度目标", "总体目标", "绩效目标", "预期目标", "实际完成情况", "年度绩效目标"}
_BLOCK_LABELS = {"项目资金", "年度预算执行情况", "资金", "年度资金", "资金情况", "项目资金情况"}


def _fund_row_label(sheet: Sheet, row: int, first_amount: int) -> str:
    """The name of a funds row: a known one (年度资金总额, 当年财政拨款, …) left of the amounts, or
    else the rightmost other text there that is not the block's own label (项目资金（万元）)."""
    other = ""
    for c in range(first_amount):
        key = norm(sheet.value(row, c))
        if key in _FUND_ROW_KEYS:
            return _FUND_ROW_KEYS[key]
        if key and key not in _BLOCK_LABELS and not key.startswith("项目资金") and not key.startswith("年度预算执行"):
            other = key
    return other


def _goals(ctx: _Context, top: int, bottom: int) -> tuple[Value, Value]:
    sheet = ctx.sheet
    found: dict[str, Value] = {}
    for r, c, text in _text_cells(sheet, top, bottom):
        key = next((k for k, names in GOAL_LABELS.items() if norm(text) in {norm(n) for n in names}), None)
        if key is None or key in found:
            continue
        below = r + 1
        while below < bottom and sheet.top_left(below, c)[0] == r:
            below += 1
        if below < bottom and not labels.is_blank(sheet.value(below, c)) and not _indicator_header(sheet, below):
            found[key] = ctx.text(below, c)
            continue
        cell = _right_value(ctx, r, c)
        found[key] = ctx.text(*cell) if cell else Value(None, "", ctx.at(r, c))
    if "expected" not in found:
        # 年度总体目标 with its text beside it, no 预期目标 / 实际完成情况 columns
        for r, c, text in _text_cells(sheet, top, bottom):
            if norm(text) in _GOAL_BLOCK:
                cell = _right_value(ctx, r, c)
                if cell:
                    found["expected"] = ctx.text(*cell)
                    ctx.notes.append(f"{sheet.name_of(*cell)} 年度总体目标没有分预期目标和实际完成情况：读作预期目标")
                break
        else:
            ctx.problems.append(
                Problem(
                    ctx.file,
                    "没有找到年度总体目标（预期目标、实际完成情况）(annual goals not found)",
                    sheet.name,
                    labels.cell_name(top, 0),
                )
            )
    return found.get("expected", BLANK), found.get("actual", BLANK)


_GOAL_BLOCK = {"年度总体目标", "年度目标", "总体目标", "年度绩效目标", "绩效目标"}


_SUB_HEADERS = {"数值": "target", "指标值": "target", "目标值": "target", "值": "target"}


def _continued_header(sheet: Sheet, header: int, columns: dict[str, int]) -> tuple[dict[str, int], int]:
    """The columns, and the first row under the header: a header on two rows (三级指标 merged down
    over both, 年度指标值 over 指标性质 | 指标值 | 度量单位) names its columns on the second."""
    row = header + 1
    while row < sheet.height and sheet.top_left(row, columns["name"])[0] < row:
        for c, value in enumerate(sheet.rows[row]):
            key = norm(value)
            found = _COLUMN.get(key) or _SUB_HEADERS.get(key)
            if found and (row, c) not in sheet.origin:
                columns[found] = c
        row += 1
    return columns, row


def _indicators(ctx: _Context, first: int, columns: dict[str, int], end: int) -> tuple[tuple[FormIndicator, ...], int]:
    """The indicator rows (一级/二级 carried down), and the row where the table ends (总分 or end)."""
    sheet = ctx.sheet
    rows: list[FormIndicator] = []
    carried: dict[str, Value] = {"level1": BLANK, "level2": BLANK}
    row = first
    while row < end:
        if any(norm(value) in _FOOTER for value in sheet.rows[row]):
            break
        if _indicator_header(sheet, row):  # the header repeated (a form printed on two pages)
            row += 1
            continue
        own = [sheet.value(row, c) for key, c in columns.items() if key not in ("level1", "level2")]
        if all(labels.is_blank(v) or (isinstance(v, str) and not v.strip()) for v in own):
            row += 1
            continue
        for level in ("level1", "level2"):
            value = ctx.text(row, columns[level])
            if not value.blank:
                carried[level] = value
                if level == "level1":
                    carried["level2"] = BLANK
        name = ctx.text(row, columns["name"])
        if name.blank:
            ctx.problem(row, columns["name"], "指标行没有三级指标名称 (indicator row without a name)")
            row += 1
            continue
        if row in sheet.hidden_rows:
            ctx.notes.append(f"{sheet.name_of(row, columns['name'])} 第 {row + 1} 行是隐藏行：照常读取")
        rows.append(_indicator(ctx, row, columns, carried, name))
        row += 1
    return tuple(rows), row


def _indicator(ctx: _Context, row: int, columns: dict[str, int], carried: dict[str, Value], name: Value):
    core = "★" in name.text or "☆" in name.text
    if core:
        plain = name.text.replace("★", "").replace("☆", "").strip()
        name = Value(plain, name.text, name.at)
    label = f"指标「{name.value}」"
    where = ctx.sheet.name_of(row, columns["name"])
    direction = ""
    unknown = False
    if "direction" in columns:
        raw = ctx.raw(row, columns["direction"])
        if not labels.is_blank(raw):
            direction = labels.direction(raw)
            if direction is None:
                ctx.problem(
                    row,
                    columns["direction"],
                    f"{label}的指标性质「{labels.shown(raw)}」无法识别，应为 ≥、≤、=、定性 之一 (unknown direction)",
                )
                direction = ""
                unknown = True
    unit = labels.shown(ctx.raw(row, columns["unit"])) if "unit" in columns else ""
    unit = "" if labels.is_blank(unit) else unit
    target = ctx.text(row, columns.get("target"))
    if not target.blank:
        parsed = labels.combined(ctx.raw(row, columns["target"]))
        if parsed is None:
            if not direction and not unknown:
                direction = "定性"
                ctx.notes.append(f"{where} {label}的指标值「{target.text}」为文字：按定性指标读")
        else:
            sign, figure, split_unit = parsed
            if sign and not direction:
                direction = sign
                ctx.notes.append(f"{where} {label}的指标性质由指标值「{target.text}」读出：{sign}")
            if split_unit:
                if not unit:
                    unit = split_unit
                    ctx.notes.append(f"{where} {label}的度量单位由指标值「{target.text}」读出：{split_unit}")
            target = Value(figure, target.text, target.at)
            if not direction and not unknown:
                direction = "≥"
                ctx.notes.append(f"{where} {label}未标指标性质：按正向指标（≥）读")
    actual = ctx.text(row, columns.get("actual"))
    if not actual.blank:
        parsed = labels.combined(ctx.raw(row, columns["actual"]))
        if parsed is not None and not parsed[0]:
            actual = Value(parsed[1], actual.text, actual.at)
            if parsed[2] and not unit:
                unit = parsed[2]
    weight = ctx.number(row, columns.get("weight"), f"{label}的分值")
    if "share" in columns and "weight" not in columns:
        weight = _share(ctx, row, columns["share"], label)
    score = ctx.number(row, columns.get("score"), f"{label}的得分")
    if "converted" in columns:
        score = ctx.number(row, columns["converted"], f"{label}的折算得分")
    reason = ctx.text(row, columns.get("reason"))
    if "core" in columns:
        mark = ctx.raw(row, columns["core"])
        core = core or (isinstance(mark, str) and norm(mark) in ("是", "★", "核心", "√"))
    return FormIndicator(
        row=row + 1,
        level1=carried["level1"],
        level2=carried["level2"],
        name=name,
        direction=direction,
        target=target,
        unit=unit,
        actual=actual,
        weight=weight,
        score=score,
        deviation_reason=reason,
        core=core,
    )


def _share(ctx: _Context, row: int, col: int, label: str) -> Value:
    """A 权重占比 cell (``"20%"``, 0.2 or 20) as points out of 100; the note says how it was read."""
    value = ctx.raw(row, col)
    if labels.is_blank(value):
        return Value(None, labels.shown(value), ctx.at(row, col))
    text = labels.shown(value)
    if isinstance(value, str) and value.strip().endswith(("%", "％")):
        ratio, _ = labels.percent(value)
    else:
        plain = labels.number(value)
        ratio = None if plain is None else (plain if plain <= 1 else plain / 100)
    if ratio is None:
        ctx.problem(row, col, f"{label}的权重占比应为百分比，表中为「{text}」(expected a percentage)")
        return Value(None, text, ctx.at(row, col))
    points = round(ratio * 100, 6)
    ctx.notes.append(f"{ctx.sheet.name_of(row, col)} {label}的权重占比「{text}」读作分值 {points:g}（满分 100）")
    return Value(points, text, ctx.at(row, col))


def _footer(ctx: _Context, top: int, end: int, columns: dict[str, int]) -> tuple[Value, Value]:
    sheet = ctx.sheet
    total = grade = None
    score_col = columns.get("converted", columns.get("score"))
    for r, c, text in _text_cells(sheet, top, end):
        key = norm(text)
        if total is None and key in _TOTAL:
            cell = (r, score_col) if score_col is not None and score_col > c else _right_value(ctx, r, c)
            total = ctx.number(*cell, "总分") if cell else Value(None, "", ctx.at(r, c))
        elif grade is None and key in _GRADE:
            cell = _right_value(ctx, r, c)
            grade = ctx.text(*cell) if cell else Value(None, "", ctx.at(r, c))
        elif grade is None and re.match(r"^(评价等级|自评等级)[:：]", text.strip()):
            rest = re.split(r"[:：]", text, maxsplit=1)[1].strip()
            grade = Value(rest or None, rest, ctx.at(r, c))
    if total is None:
        where = labels.cell_name(top, 0)
        ctx.problems.append(Problem(ctx.file, "没有找到总分一行 (总分 not found)", sheet.name, where))
    return total or BLANK, grade or BLANK


def _layout(kind: str, title: str, columns: dict[str, int], indicators: tuple[FormIndicator, ...]) -> str:
    if kind == DEPARTMENT:
        return "department"
    if "转移支付" in title or ("weight" not in columns and "share" not in columns):
        return "transfer"
    if "share" in columns or "converted" in columns:
        return "weighted"
    if any(i.core for i in indicators):
        return "starred"
    return "central"
