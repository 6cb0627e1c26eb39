"""What a filled 自评表 says, as read: every value with the text the form shows and its cell.

A :class:`Form` is one 项目支出绩效自评表 or 部门整体支出绩效自评表 found in a workbook (a sheet
may hold several, stacked). Amounts are in 万元 whatever the form's 金额单位 (a form in 元 is
converted, and :attr:`Form.notes` says so); a rate (执行率) is a ratio (1.0 for 100%). A value the
form leaves blank is a :class:`Value` whose ``value`` is None. What the reader inferred (a unit, a
direction, a default weight) is in :attr:`Form.notes`; what it could not read is a
:class:`Problem`, naming file, sheet and cell and what was expected.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PROJECT = "project"
DEPARTMENT = "department"
FORM_KINDS = (PROJECT, DEPARTMENT)

FUND_TOTAL = "年度资金总额"
FUND_ROWS = (FUND_TOTAL, "当年财政拨款", "上年结转资金", "其他资金")
"""The funds block's rows on the central form (a transfer-payment form may add 中央/省级/市县)."""


@dataclass(frozen=True)
class Cell:
    """Where a value was read: a file, a sheet and a cell (``F12``)."""

    file: str
    sheet: str
    cell: str

    def ref(self) -> str:
        """``forms/民政局-临时救助.xlsx#sheet=附件1&cell=F12``: the cell of the filed form."""
        return f"{self.file}#sheet={self.sheet}&cell={self.cell}"

    def __str__(self) -> str:
        return f"{self.file} 工作表「{self.sheet}」{self.cell}"


@dataclass(frozen=True)
class Value:
    """One value of a form: parsed (a number, or a text for a text field and a 定性 target), the
    text the form shows, and its cell (None for a value the reader inferred)."""

    value: float | str | None = None
    text: str = ""
    at: Cell | None = None

    @property
    def blank(self) -> bool:
        return self.value is None or self.value == ""


BLANK = Value()


@dataclass(frozen=True)
class FundRow:
    """A row of the funds block: 年度资金总额, 当年财政拨款, … (amounts in 万元, the rate a ratio)."""

    name: str
    initial: Value = BLANK
    """年初预算数"""
    full_year: Value = BLANK
    """全年预算数"""
    executed: Value = BLANK
    """全年执行数"""
    weight: Value = BLANK
    """分值 (the total row's; the central form prints 10)"""
    rate: Value = BLANK
    """执行率, as a ratio"""
    score: Value = BLANK
    """得分"""


@dataclass(frozen=True)
class FormIndicator:
    """A row of the indicator table; 一级/二级指标 carried down from merged cells."""

    row: int
    """The sheet row (1-based) it was read from."""
    level1: Value
    level2: Value
    name: Value
    """三级指标"""
    direction: str
    """``≥``, ``≤``, ``=``, ``定性``; inferred from a combined target (``≥95%``) when the form has
    no 指标性质 column (a note says so)."""
    target: Value
    """年度指标值: a number (with ``direction``), or the text of a 定性 target."""
    unit: str
    """度量单位 (from its column, or split from a combined target such as ``>=21933人``)."""
    actual: Value
    """实际完成值: a number, or a text (达成 / 部分达成 / 未达成 or the form's words)."""
    weight: Value
    """分值 (a 权重占比 form: the weight as printed; ``notes`` say how it was scaled)."""
    score: Value
    """得分 as reported (a 折算 form: the converted score)."""
    deviation_reason: Value = BLANK
    core: bool = False
    """Marked ★ on the form (a core indicator)."""


@dataclass(frozen=True)
class Form:
    """One filled 自评表."""

    file: str
    sheet: str
    kind: str
    """``project`` (项目支出绩效自评表) or ``department`` (部门整体支出绩效自评表)."""
    top: str
    """The form's top-left cell (``A1``, ``A41`` for the second form stacked on a sheet)."""
    title: str
    year: int | None
    project: Value
    """项目名称 (a department form: blank)."""
    department: Value
    """主管部门 (a department form: the department's name)."""
    unit: Value
    """实施单位"""
    funds: tuple[FundRow, ...]
    goal_expected: Value
    """年度总体目标: 预期目标"""
    goal_actual: Value
    """年度总体目标: 实际完成情况"""
    indicators: tuple[FormIndicator, ...]
    total: Value
    """总分 as reported"""
    grade: Value
    """评价等级 as reported"""
    layout: str = "central"
    """Which variant was recognised (``central``, ``weighted`` (权重占比/折算), ``starred``,
    ``transfer`` (no 分值), ``department``)."""
    amount_unit: str = "万元"
    """The 金额单位 the form declares; amounts are converted to 万元 on reading."""
    notes: tuple[str, ...] = ()
    """What the reader inferred, for the import log (in Chinese, naming the cell)."""
    problems: tuple[Problem, ...] = ()
    """What the reader could not read in this form (also in :attr:`Reading.problems`): for a
    record that lists each form's problems beside it."""

    def fund(self, name: str) -> FundRow | None:
        return next((f for f in self.funds if f.name == name), None)

    @property
    def where(self) -> str:
        return f"{self.file} 工作表「{self.sheet}」{self.top}"


@dataclass(frozen=True)
class Problem:
    """What the reader could not read: the file, sheet and cell, and what it expected."""

    file: str
    message: str
    sheet: str = ""
    cell: str = ""

    def __str__(self) -> str:
        where = self.file + (f" 工作表「{self.sheet}」" if self.sheet else "") + (f"{self.cell}" if self.cell else "")
        return f"{where}：{self.message}"


@dataclass
class Reading:
    """Every form read from some files, and every problem met (a file that could not be read at all
    is one problem; the other files are still read)."""

    forms: list[Form] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
