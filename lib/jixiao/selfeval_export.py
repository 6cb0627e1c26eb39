"""The 自评表 workbook: one .xlsx with the summary, the department table and one official
项目支出绩效自评表 per evaluated project, plus the scoring details for reviewers.

Sheets, in order:

- ``汇总``: one row per evaluated project (项目名称, 资金来源, 全年预算数, 全年执行数, 执行率, 得分,
  等级, 备注), their total, the department's score and the spending-weighted mean of the projects;
- ``部门整体支出绩效自评表``: the department's funds and its own indicator table (if it has one);
- one sheet per project, named after it, laid out like the official table;
- ``计分明细``: every score with the rule that gave it and the data row it came from.

The file is written to a temporary file beside the target and renamed, so a reader never sees
half a workbook.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.outputs import write_atomically
from jixiao.scoring import (
    FLAG_TEXT,
    DepartmentScore,
    IndicatorScore,
    ProjectScore,
    Scores,
    grade,
)

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

_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=16)
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
    ) -> None:
        to_col, to_row = to_col or col, to_row or row
        for r in range(row, to_row + 1):
            for c in range(col, to_col + 1):
                cell = self.ws.cell(row=r, column=c)
                cell.alignment = _LEFT if left else _CENTER
                if border:
                    cell.border = _BORDER
        cell = self.ws.cell(row=row, column=col, value=_clean(value))
        if fmt:
            cell.number_format = fmt
        if bold:
            cell.font = _BOLD
        if (to_col, to_row) != (col, row):
            self.merges.append((row, col, to_row, to_col))

    def title(self, row: int, text: str, last_col: int, font: Font = _TITLE) -> None:
        self.put(row, 1, text, to_col=last_col, border=False)
        self.ws.cell(row=row, column=1).font = font

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

    def finish(self) -> None:
        for r1, c1, r2, c2 in self.merges:
            self.ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
        ps = self.ws.page_setup
        ps.orientation = "landscape"
        ps.paperSize = self.ws.PAPERSIZE_A4
        ps.fitToWidth = 1
        ps.fitToHeight = 0
        self.ws.sheet_properties.pageSetUpPr.fitToPage = True
        self.ws.print_options.horizontalCentered = True
        self.ws.page_margins.left = self.ws.page_margins.right = 0.4


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


# --------------------------------------------------------------------------- tables


def _indicator_block(sh: _Sheet, row: int, scores: Sequence[IndicatorScore]) -> int:
    """Header and one row per indicator from ``row``; first and second levels merged down.
    Returns the next free row."""
    for c, h in enumerate(INDICATOR_HEADERS, start=1):
        sh.put(row, c, h, bold=True)
    sh.ws.row_dimensions[row].height = 30
    first = row + 1
    for i, s in enumerate(scores):
        r = first + i
        qualitative = s.direction == "定性"
        target = (s.target_text or "—") if qualitative else s.target
        actual = s.actual_grade if qualitative else s.actual
        sh.put(r, 1, s.level1)
        sh.put(r, 2, s.level2)
        sh.put(r, 3, s.name, left=True)
        sh.put(r, 4, s.direction)
        sh.put(r, 5, target)
        sh.put(r, 6, s.measure_unit)
        sh.put(r, 7, actual)
        sh.put(r, 8, s.weight, fmt=SCORE)
        sh.put(r, 9, s.score, fmt=SCORE)
        sh.put(r, 10, s.deviation_reason, left=True)
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


def _footer(sh: _Sheet, row: int, weight: float, total: float, grade_: str, notes: Sequence[str]) -> int:
    sh.put(row, 1, "总分", to_col=7, bold=True)
    sh.put(row, 8, weight, fmt=SCORE)
    sh.put(row, 9, total, fmt=SCORE, bold=True)
    sh.put(row, 10, None)
    sh.put(row + 1, 1, "评价等级", to_col=7, bold=True)
    sh.put(row + 1, 8, grade_, to_col=10, bold=True)
    row += 2
    if notes:
        text = "核对说明：\n" + "\n".join(f"{i}. {n}" for i, n in enumerate(notes, start=1))
        sh.put(row, 1, text, to_col=10, left=True)
        sh.height(row, [(text, _width(TABLE_WIDTHS, 1, 10))])
        row += 1
    return row


def _funds_by_type(dataset: Any, project_id: str) -> dict[str, tuple[float, float, float]] | None:
    funds = getattr(dataset, "project_funds", None)
    if funds is None or len(funds) == 0 or "project_id" not in funds:
        return None
    rows = funds[funds["project_id"].astype(str).str.strip() == project_id]
    if len(rows) == 0:
        return None
    out: dict[str, tuple[float, float, float]] = {}
    for ft in FUND_TYPES:
        sel = rows[rows["fund_type"].astype(str).str.strip() == ft]
        out[ft] = tuple(  # type: ignore[assignment]
            round(sum(_num(v) or 0.0 for v in sel[col]), 6)
            for col in ("initial_budget", "full_year_budget", "executed")
        )
    return out


def _project_row(dataset: Any, project_id: str) -> dict[str, Any]:
    projects = dataset.projects
    rows = projects[projects["project_id"].astype(str).str.strip() == project_id]
    return rows.iloc[0].to_dict() if len(rows) else {}


def _rate(executed: float, budget: float) -> float | None:
    return executed / budget if budget else None


def _project_sheet(ws: Worksheet, dataset: Any, p: ProjectScore, unit_name: str) -> None:
    sh = _Sheet(ws, TABLE_WIDTHS)
    info = _project_row(dataset, p.project_id)
    sh.title(1, "项目支出绩效自评表", 10)
    sh.ws.row_dimensions[1].height = 30
    sh.title(2, f"（{dataset.year}年度）", 10, Font(size=11))

    sh.put(3, 1, "项目名称", to_col=2, bold=True)
    sh.put(3, 3, p.project_name, to_col=10, left=True)
    sh.put(4, 1, "主管部门", to_col=2, bold=True)
    sh.put(4, 3, unit_name, to_col=5, left=True)
    sh.put(4, 6, "实施单位", to_col=7, bold=True)
    sh.put(4, 8, _text(info.get("implementer")) or unit_name, to_col=10, left=True)

    # funds block, rows 5–9
    sh.put(5, 1, "项目资金（万元）", to_row=9, bold=True)
    sh.put(5, 2, None, to_col=3)
    for c, h in zip((4, 5, 6, 7, 8), ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率"), strict=True):
        sh.put(5, c, h, bold=True)
    sh.put(5, 9, "得分", to_col=10, bold=True)
    sh.put(6, 2, "年度资金总额", to_col=3)
    sh.put(6, 4, p.initial_budget, fmt=AMOUNT)
    sh.put(6, 5, p.full_year_budget, fmt=AMOUNT)
    sh.put(6, 6, p.executed, fmt=AMOUNT)
    sh.put(6, 7, p.execution.weight, fmt=SCORE)
    sh.put(6, 8, p.execution.rate, fmt=RATE)
    sh.put(6, 9, p.execution.score, to_col=10, fmt=SCORE)
    funds = _funds_by_type(dataset, p.project_id)
    for i, ft in enumerate(FUND_TYPES):
        r = 7 + i
        sh.put(r, 2, f"其中：{ft}" if i == 0 else ft, to_col=3, left=i > 0)
        amounts = funds[ft] if funds else (None, None, None)
        for c, v in zip((4, 5, 6), amounts, strict=True):
            sh.put(r, c, v, fmt=AMOUNT)
        sh.put(r, 7, "—")
        rate = _rate(amounts[2], amounts[1]) if funds else None
        sh.put(r, 8, rate if rate is not None else "—", fmt=RATE)
        sh.put(r, 9, "—", to_col=10)

    # goals, rows 10–11
    goal, outcome = _text(info.get("goal")), _text(info.get("outcome"))
    sh.put(10, 1, "年度总体目标", to_row=11, bold=True)
    sh.put(10, 2, "预期目标", to_col=6, bold=True)
    sh.put(10, 7, "实际完成情况", to_col=10, bold=True)
    sh.put(11, 2, goal, to_col=6, left=True)
    sh.put(11, 7, outcome, to_col=10, left=True)
    sh.height(11, [(goal, _width(TABLE_WIDTHS, 2, 6)), (outcome, _width(TABLE_WIDTHS, 7, 10))], minimum=45)

    row = _indicator_block(sh, 12, p.indicators)
    total_weight = sum(p.weights.values())
    _footer(sh, row, total_weight, p.final_total, p.grade, _notes_project(p))
    sh.finish()


def _department_sheet(ws: Worksheet, dataset: Any, d: DepartmentScore | None, unit_name: str) -> None:
    sh = _Sheet(ws, TABLE_WIDTHS)
    sh.title(1, DEPARTMENT_SHEET, 10)
    sh.ws.row_dimensions[1].height = 30
    sh.title(2, f"（{dataset.year}年度）", 10, Font(size=11))
    sh.put(3, 1, "部门名称", to_col=2, bold=True)
    sh.put(3, 3, unit_name, to_col=10, left=True)

    budget = getattr(dataset, "budget", None)
    sums: dict[str, list[float]] = {key: [0.0, 0.0, 0.0] for key in ("", "基本支出", "项目支出")}
    if budget is not None and len(budget):
        for rec in budget.to_dict("records"):
            kind = _text(rec.get("kind")) or ""
            for i, col in enumerate(("initial_budget", "full_year_budget", "executed")):
                v = _num(rec.get(col)) or 0.0
                sums[""][i] += v
                if kind in sums:
                    sums[kind][i] += v
    sh.put(4, 1, "部门资金（万元）", to_row=7, bold=True)
    sh.put(4, 2, None, to_col=3)
    for c, h in zip((4, 5, 6), ("年初预算数", "全年预算数", "全年执行数"), strict=True):
        sh.put(4, c, h, bold=True)
    sh.put(4, 7, "执行率", to_col=10, bold=True)
    for i, (label, key) in enumerate((("年度资金总额", ""), ("其中：基本支出", "基本支出"), ("项目支出", "项目支出"))):
        r = 5 + i
        ini, full, spent = (round(x, 6) for x in sums[key])
        sh.put(r, 2, label, to_col=3, left=i > 1)
        sh.put(r, 4, ini, fmt=AMOUNT)
        sh.put(r, 5, full, fmt=AMOUNT)
        sh.put(r, 6, spent, fmt=AMOUNT)
        rate = _rate(spent, full)
        sh.put(r, 7, rate if rate is not None else "—", to_col=10, fmt=RATE)

    if d is None:
        sh.put(8, 1, "本年度未设部门整体绩效指标", to_col=10)
        sh.finish()
        return
    row = _indicator_block(sh, 8, d.indicators)
    notes: list[str] = []
    if d.total != d.computed_total:
        notes.append(f"按规则计算总分 {d.computed_total:.2f} 分（{d.computed_grade}）")
    notes += [x.text for x in d.differences]
    notes += _indicator_notes(d.indicators)
    notes += d.weight_problems
    _footer(sh, row, sum(s.weight for s in d.indicators), d.total, d.grade, notes)
    sh.finish()


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


def _summary_sheet(ws: Worksheet, dataset: Any, scores: Scores, unit_name: str) -> None:
    sh = _Sheet(ws, SUMMARY_WIDTHS)
    n = len(SUMMARY_HEADERS)
    sh.title(1, f"{unit_name}{dataset.year}年度绩效自评结果汇总", n)
    sh.ws.row_dimensions[1].height = 30
    sh.put(2, 1, "金额单位：万元", to_col=n, border=False)
    sh.ws.cell(row=2, column=1).alignment = Alignment(horizontal="right")
    for c, h in enumerate(SUMMARY_HEADERS, start=1):
        sh.put(3, c, h, bold=True)
    row = 4
    budget_sum = executed_sum = 0.0
    for p in scores.projects:
        note = "；".join(_notes_project(p))
        sh.put(row, 1, p.project_name, left=True)
        sh.put(row, 2, p.fund_source)
        sh.put(row, 3, p.full_year_budget, fmt=AMOUNT)
        sh.put(row, 4, p.executed, fmt=AMOUNT)
        sh.put(row, 5, p.execution.rate, fmt=RATE)
        sh.put(row, 6, p.final_total, fmt=SCORE)
        sh.put(row, 7, p.grade)
        sh.put(row, 8, note or None, left=True)
        sh.height(row, [(p.project_name, SUMMARY_WIDTHS[0]), (note, SUMMARY_WIDTHS[7])])
        budget_sum += p.full_year_budget
        executed_sum += p.executed
        row += 1
    sh.put(row, 1, f"合计（{len(scores.projects)} 个项目）", bold=True)
    sh.put(row, 2, None)
    sh.put(row, 3, round(budget_sum, 6), fmt=AMOUNT)
    sh.put(row, 4, round(executed_sum, 6), fmt=AMOUNT)
    sh.put(row, 5, _rate(executed_sum, budget_sum), fmt=RATE)
    for c in (6, 7, 8):
        sh.put(row, c, None)
    row += 2

    d = scores.department
    sh.put(row, 1, "部门整体自评得分", to_col=5, bold=True)
    sh.put(row, 6, d.total if d else None, fmt=SCORE)
    sh.put(row, 7, d.grade if d else None)
    sh.put(row, 8, None if d else "未设部门整体绩效指标", left=True)
    row += 1
    s = scores.summary
    sh.put(row, 1, "项目得分加权平均（按全年执行数加权）", to_col=5, bold=True)
    sh.put(row, 6, s.score, fmt=SCORE)
    sh.put(row, 7, grade(s.score, scores.rules) if s.score is not None else None)
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
    sh.ws.freeze_panes = "A4"
    sh.finish()


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
DETAIL_WIDTHS = (20, 12, 14, 22, 8, 12, 12, 8, 9, 9, 9, 60, 30, 36)


def _detail_sheet(ws: Worksheet, scores: Scores) -> None:
    sh = _Sheet(ws, DETAIL_WIDTHS)
    sh.title(1, "计分明细（每项得分的规则与数据来源）", len(DETAIL_HEADERS))
    for c, h in enumerate(DETAIL_HEADERS, start=1):
        sh.put(2, c, h, bold=True)
    row = 3

    def line(owner: str, values: Sequence[Any]) -> None:
        nonlocal row
        sh.put(row, 1, owner, left=True)
        for c, v in enumerate(values, start=2):
            fmt = SCORE if c in (8, 9, 10, 11) else None
            sh.put(row, c, v, fmt=fmt, left=c >= 12)
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
        )

    for p in scores.projects:
        e = p.execution
        line(
            p.project_name,
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
        )
        sh.ws.cell(row=row - 1, column=7).number_format = RATE
        for s in p.indicators:
            indicator(p.project_name, s)
    if scores.department:
        for s in scores.department.indicators:
            indicator("部门整体", s)
    sh.ws.freeze_panes = "A3"
    sh.finish()


# --------------------------------------------------------------------------- entry point


def write_selfeval_workbook(path: str | Path, dataset: Any, scores: Scores, unit_name: str) -> Path:
    """Write the 自评表 workbook to ``path`` (written beside it, then renamed) and return it.

    ``dataset`` is a :class:`jixiao.dataset.Dataset` (its ``year``, ``projects``,
    ``project_funds`` and ``budget`` are read), ``scores`` the result of
    :func:`jixiao.scoring.score_all` on it.
    """
    return write_atomically(Path(path), selfeval_workbook_bytes(dataset, scores, unit_name))


def selfeval_workbook_bytes(dataset: Any, scores: Scores, unit_name: str) -> bytes:
    """The 自评表 workbook as the bytes of an .xlsx file (see :func:`write_selfeval_workbook`)."""
    wb = Workbook()
    summary = wb.active
    summary.title = SUMMARY_SHEET
    _summary_sheet(summary, dataset, scores, unit_name)
    _department_sheet(wb.create_sheet(DEPARTMENT_SHEET), dataset, scores.department, unit_name)
    taken = [SUMMARY_SHEET, DEPARTMENT_SHEET, DETAIL_SHEET]
    for p in scores.projects:
        name = sheet_name(p.project_name, taken, fallback=p.project_id or "项目")
        taken.append(name)
        _project_sheet(wb.create_sheet(name), dataset, p, unit_name)
    _detail_sheet(wb.create_sheet(DETAIL_SHEET), scores)

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
