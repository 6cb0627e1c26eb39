"""Filled 自评表 workbooks written from plain values, in every layout the reader knows, with the
quirks real files hold: the reader's test fixtures, and what ``jixiao synth --forms`` writes.

A :class:`SampleForm` holds the values (amounts in 万元, rates as ratios); :func:`write_form`
writes it on a sheet at a given row in one of :data:`LAYOUTS`, with any of :data:`QUIRKS`:

- ``central``: 财预〔2020〕10号 附件1: 一级 | 二级 | 三级 | 指标性质 | 年度指标值 | 度量单位 | 实际完成值 |
  分值 | 得分 | 偏差原因分析及改进措施;
- ``combined``: the central form with 指标值 written as ``≥95%`` (no 指标性质 or 度量单位 column);
- ``weighted`` (Hebei): 权重占比 (``20%`` of 100 points) and 折算 (the converted score) columns;
- ``starred`` (Anhui): ★ before a core indicator's name, targets such as ``>=21933人``;
- ``transfer`` (Sichuan): a 转移支付 form with no 分值 or 得分 column, the total printed beside 总分;
- ``department``: the 部门整体支出绩效自评表 (部门名称, 投入/过程/产出/效果 first levels).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

LAYOUTS = ("central", "combined", "weighted", "starred", "transfer", "department")
QUIRKS = (
    "spaced_labels",  # 项 目 名 称, full-width and doubled spaces, line breaks inside labels
    "no_unit_suffix",  # 项目资金 without （万元）
    "text_numbers",  # numbers stored as text, amounts with 万, rates as "100%" / 100 / "100.00%"
    "yuan",  # amounts in 元, with a 金额单位：元 line
    "hidden",  # a hidden row and a hidden column inside the form
    "spacers",  # blank spacer rows inside the indicator table
    "reordered",  # the indicator table's columns after 三级指标 in the opposite order
    "two_row_header",  # 年度指标值 over 指标性质 | 指标值 | 度量单位 on a second header row
)


@dataclass
class SampleIndicator:
    level1: str
    level2: str
    name: str
    direction: str
    """≥ ≤ = 定性"""
    target: float | str
    unit: str
    actual: float | str
    weight: float
    score: float
    reason: str = ""
    core: bool = False


@dataclass
class SampleFund:
    name: str
    initial: float
    full_year: float
    executed: float


@dataclass
class SampleForm:
    project: str
    department: str
    unit: str
    year: int
    funds: list[SampleFund]
    goal_expected: str
    goal_actual: str
    indicators: list[SampleIndicator]
    execution_weight: float = 10
    execution_score: float | None = None
    total: float | None = None
    grade: str = ""
    kind: str = "project"
    printed_rate: float | None = None
    """The 执行率 printed for 年度资金总额, as a ratio (default: 全年执行数 ÷ 全年预算数)."""

    @property
    def rate(self) -> float | None:
        total = self.funds[0]
        return None if not total.full_year else total.executed / total.full_year

    def reported_total(self) -> float:
        if self.total is not None:
            return self.total
        return round((self.execution_score or 0) + sum(i.score for i in self.indicators), 2)


@dataclass
class _Writer:
    sheet: object
    quirks: frozenset[str]
    row: int
    left: int
    merges: list[str] = field(default_factory=list)

    def put(self, row: int, col: int, value: object) -> None:
        if value is None:
            return
        self.sheet.cell(row=row + 1, column=self.left + col + 1, value=value)

    def merge(self, row0: int, col0: int, row1: int, col1: int) -> None:
        if (row0, col0) != (row1, col1):
            self.sheet.merge_cells(
                start_row=row0 + 1,
                start_column=self.left + col0 + 1,
                end_row=row1 + 1,
                end_column=self.left + col1 + 1,
            )

    def label(self, text: str) -> str:
        if "spaced_labels" not in self.quirks:
            return text
        if len(text) == 4 and text.isalpha():
            return " ".join(text) + "："  # 项 目 名 称：
        if len(text) >= 5:
            return text[:2] + "\n" + text[2:] + "\u3000"  # a line break inside, a full-width space after
        return "  " + text
        # every variant above normalises back to the label

    def amount(self, value: float) -> object:
        if "yuan" in self.quirks:
            value = round(value * 10000, 2)
            return f"{value:,.2f}" if "text_numbers" in self.quirks else value
        if "text_numbers" in self.quirks:
            return f"{_plain(value)}万"
        return value

    def number(self, value: float | str) -> object:
        if isinstance(value, (int, float)) and "text_numbers" in self.quirks:
            return _plain(value)
        return value


_RATE_TEXTS = ("{:.0%}", "{:.2%}")


def _plain(value: float) -> str:
    """A number as a person types it: every digit it has, no trailing zeros (``10408.34``, ``95``);
    ``:g`` would keep six significant digits and write 10408.34 as 10408.3."""
    return f"{value:.10f}".rstrip("0").rstrip(".")


def write_form(sheet, form: SampleForm, layout: str = "central", *, top: int = 0, left: int = 0, quirks=()) -> int:
    """Write ``form`` on ``sheet`` (an openpyxl worksheet) from 0-based row ``top`` and column
    ``left``; returns the row after the form."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}: one of {LAYOUTS}")
    w = _Writer(sheet, frozenset(quirks), top, left)
    department = layout == "department" or form.kind == "department"
    if layout == "transfer":
        title = "中央对地方转移支付项目绩效自评表"
    elif department:
        title = "部门整体支出绩效自评表"
    else:
        title = "项目支出绩效自评表"
    r = top
    w.put(r, 0, title)
    w.merge(r, 0, r, 9)
    r += 1
    w.put(r, 0, f"（{form.year}年度）")
    w.merge(r, 0, r, 9)
    r += 1
    if "yuan" in w.quirks:
        w.put(r, 7, "金额单位：元")
        w.merge(r, 7, r, 9)
        r += 1
    if department:
        w.put(r, 0, w.label("部门名称"))
        w.merge(r, 0, r, 1)
        w.put(r, 2, form.department)
        w.merge(r, 2, r, 9)
        r += 1
    else:
        w.put(r, 0, w.label("项目名称"))
        w.merge(r, 0, r, 1)
        w.put(r, 2, form.project)
        w.merge(r, 2, r, 9)
        r += 1
        w.put(r, 0, w.label("主管部门"))
        w.merge(r, 0, r, 1)
        w.put(r, 2, form.department)
        w.merge(r, 2, r, 4)
        w.put(r, 5, w.label("实施单位"))
        w.merge(r, 5, r, 6)
        w.put(r, 7, form.unit)
        w.merge(r, 7, r, 9)
        r += 1
    r = _funds(w, form, layout, r)
    if "hidden" in w.quirks:
        sheet.row_dimensions[r + 1].hidden = True
        w.put(r, 0, None)
        r += 1  # a hidden blank row between the funds and the goals
    w.put(r, 0, "年度总体目标")
    w.merge(r, 0, r + 1, 0)
    w.put(r, 1, w.label("预期目标"))
    w.merge(r, 1, r, 5)
    w.put(r, 6, w.label("实际完成情况"))
    w.merge(r, 6, r, 9)
    w.put(r + 1, 1, form.goal_expected)
    w.merge(r + 1, 1, r + 1, 5)
    w.put(r + 1, 6, form.goal_actual)
    w.merge(r + 1, 6, r + 1, 9)
    r += 2
    r = _indicators(w, form, layout, r)
    return r


def _funds(w: _Writer, form: SampleForm, layout: str, r: int) -> int:
    block = "项目资金" if "no_unit_suffix" in w.quirks or "yuan" in w.quirks else "项目资金（万元）"
    if layout == "department":
        block = "年度预算执行情况" if "no_unit_suffix" in w.quirks else "年度预算执行情况（万元）"
    has_weight = layout != "transfer"
    heads = ["年初预算数", "全年预算数", "全年执行数"] + (["分值"] if has_weight else []) + ["执行率"]
    heads += ["得分"] if has_weight else []
    w.put(r, 0, w.label(block))
    w.merge(r, 0, r + len(form.funds), 0)
    w.merge(r, 1, r, 2)
    for i, head in enumerate(heads):
        w.put(r, 3 + i, w.label(head))
    w.merge(r, 3 + len(heads) - 1, r, 9)
    r += 1
    rate_style = 0
    for n, fund in enumerate(form.funds):
        label = fund.name if n in (0, 2, 3) or n > 3 else f"其中：{fund.name}"
        w.put(r, 1, label)
        w.merge(r, 1, r, 2)
        w.put(r, 3, w.amount(fund.initial))
        w.put(r, 4, w.amount(fund.full_year))
        w.put(r, 5, w.amount(fund.executed))
        col = 6
        if has_weight:
            w.put(r, col, form.execution_weight if n == 0 and layout != "department" else "—")
            col += 1
        rate = fund.executed / fund.full_year if fund.full_year else None
        if n == 0 and form.printed_rate is not None:
            rate = form.printed_rate
        if rate is None:
            w.put(r, col, "—")
        elif "text_numbers" in w.quirks:
            # one column mixing "100%", 100 and "100.00%"
            style = rate_style % 3
            rate_style += 1
            w.put(r, col, round(rate * 100, 2) if style == 1 else _RATE_TEXTS[style // 2].format(rate))
        else:
            w.put(r, col, round(rate, 4))
            w.sheet.cell(row=r + 1, column=w.left + col + 1).number_format = "0.00%"
        col += 1
        if has_weight:
            w.put(r, col, w.number(form.execution_score) if n == 0 and layout != "department" else "—")
            w.merge(r, col, r, 9)
        r += 1
    return r


def _columns(layout: str) -> list[tuple[str, str]]:
    """(key, header) of the indicator table's columns for a layout."""
    head = [("level1", "一级指标"), ("level2", "二级指标"), ("name", "三级指标")]
    if layout in ("central", "department"):
        return [
            *head,
            ("direction", "指标性质"),
            ("target", "年度指标值"),
            ("unit", "度量单位"),
            ("actual", "实际完成值"),
            ("weight", "分值"),
            ("score", "得分"),
            ("reason", "偏差原因分析及改进措施"),
        ]
    if layout == "combined":
        return [
            *head,
            ("combined", "年度指标值"),
            ("actual_unit", "实际完成值"),
            ("weight", "分值"),
            ("score", "得分"),
            ("reason", "偏差原因分析及改进措施"),
        ]
    if layout == "weighted":
        return [
            *head,
            ("direction", "指标性质"),
            ("target", "指标值"),
            ("unit", "度量单位"),
            ("actual", "完成值"),
            ("share", "权重占比"),
            ("score", "折算得分"),
            ("reason", "偏差原因"),
        ]
    if layout == "starred":
        return [
            *head,
            ("combined_ascii", "年度指标值"),
            ("actual", "实际完成值"),
            ("weight", "分值"),
            ("score", "得分"),
            ("reason", "偏差原因分析及改进措施"),
        ]
    return [*head, ("combined", "年度指标值"), ("actual_unit", "全年实际完成值"), ("reason", "偏差原因分析及改进措施")]


_ASCII = {"≥": ">=", "≤": "<=", "=": "="}


def _cell(w: _Writer, key: str, ind: SampleIndicator, total_points: float, layout: str) -> object:
    if key == "name":
        return ("★" if ind.core and layout == "starred" else "") + ind.name
    if key in ("combined", "combined_ascii"):
        if ind.direction == "定性":
            return ind.target
        sign = _ASCII[ind.direction] if key == "combined_ascii" else ind.direction
        return f"{sign}{_plain(ind.target)}{ind.unit}"
    if key == "actual_unit":
        return ind.actual if isinstance(ind.actual, str) else f"{_plain(ind.actual)}{ind.unit}"
    if key == "share":
        return f"{ind.weight / total_points:.0%}" if total_points else None
    if key in ("target", "actual", "weight", "score"):
        return w.number(getattr(ind, key))
    value = getattr(ind, key)
    return value if value != "" else None


def _indicators(w: _Writer, form: SampleForm, layout: str, r: int) -> int:
    columns = _columns(layout)
    if "reordered" in w.quirks:  # the columns after 三级指标 in the opposite order
        columns = columns[:3] + columns[:2:-1]
    keys = [key for key, _head in columns]
    if "two_row_header" in w.quirks and {"direction", "target", "unit"} <= set(keys):
        # 年度指标值 over 指标性质 | 指标值 | 度量单位; every other header merged down two rows
        under = [keys.index(k) for k in ("direction", "target", "unit")]
        for c, (key, head) in enumerate(columns):
            if c in under:
                w.put(r + 1, c, w.label({"direction": "指标性质", "target": "指标值", "unit": "度量单位"}[key]))
            else:
                w.put(r, c, w.label(head))
                w.merge(r, c, r + 1, c if c < len(columns) - 1 or len(columns) == 10 else 9)
        w.put(r, min(under), w.label("年度指标值"))
        w.merge(r, min(under), r, max(under))
        r += 2
    else:
        for c, (_key, head) in enumerate(columns):
            w.put(r, c, w.label(head))
        if len(columns) < 10:
            w.merge(r, len(columns) - 1, r, 9)
        r += 1
    first = r
    groups: list[tuple[int, int, str]] = []  # (row0, row1, level) merges
    points = 100.0
    for n, ind in enumerate(form.indicators):
        if "spacers" in w.quirks and n == 2:
            r += 1  # a blank spacer row
        if "hidden" in w.quirks and n == 1:
            w.sheet.row_dimensions[r + 1].hidden = True
        for c, (key, _head) in enumerate(columns):
            if key in ("level1", "level2"):
                continue
            w.put(r, c, _cell(w, key, ind, points, layout))
        if len(columns) < 10:
            w.merge(r, len(columns) - 1, r, 9)
        groups.append((r, r, ind.level1 + "\x00" + ind.level2))
        r += 1
    # 一级 and 二级 written once per run of equal values, merged down (the spacer row inside too)
    for level, col in (("level1", 0), ("level2", 1)):
        start = None
        previous = None
        rows = [g[0] for g in groups]
        for k, ind in enumerate(form.indicators):
            key = ind.level1 if level == "level1" else ind.level1 + "\x00" + ind.level2
            if key != previous:
                if start is not None:
                    w.merge(rows[start], col, rows[k] - 1, col)
                w.put(rows[k], col, getattr(ind, level))
                start, previous = k, key
        if start is not None:
            w.merge(rows[start], col, rows[-1], col)
    del first
    total = form.reported_total()
    w.put(r, 0, w.label("总分"))
    if layout == "transfer":
        w.merge(r, 0, r, 2)
        w.put(r, 3, w.number(total))
        w.merge(r, 3, r, 9)
    else:
        keys = [key for key, _head in columns]
        score_col = keys.index("score")
        weight_col = keys.index("share" if "share" in keys else "weight")
        w.merge(r, 0, r, 2)
        w.put(r, weight_col, 100 if layout != "weighted" else "100%")
        w.put(r, score_col, w.number(total))
    r += 1
    w.put(r, 0, w.label("评价等级"))
    w.merge(r, 0, r, 2)
    w.put(r, 3, form.grade)
    w.merge(r, 3, r, 9)
    r += 1
    if "hidden" in w.quirks:
        w.sheet.column_dimensions["K"].hidden = True
    return r


def workbook(forms: list[tuple[SampleForm, str]], *, stacked: bool = False, quirks=(), leading: bool = False):
    """An openpyxl workbook: a sheet per form (named by its project), or all stacked on one sheet
    with two blank rows between; ``leading`` leaves an empty first row and column."""
    import openpyxl

    book = openpyxl.Workbook()
    first = book.active
    offset = 1 if leading else 0
    if stacked:
        first.title = "自评表"
        row = offset
        for form, layout in forms:
            row = write_form(first, form, layout, top=row, left=offset, quirks=quirks) + 2
        return book
    book.remove(first)
    for form, layout in forms:
        sheet = book.create_sheet(_sheet_title(form.project or form.department))
        write_form(sheet, form, layout, top=offset, left=offset, quirks=quirks)
    return book


def _sheet_title(name: str) -> str:
    for bad in "[]:*?/\\":
        name = name.replace(bad, "")
    return name[:31] or "自评表"


def save(path: str | Path, forms: list[tuple[SampleForm, str]], **options) -> Path:
    path = Path(path)
    workbook(forms, **options).save(path)
    return path
