"""What a check finds, as data: the rule that found it, what it is about, and every number with
where it comes from. No sentence is written here: ``jixiao.sections.review`` words findings for
the report, ``jixiao.summary`` counts them.

A :class:`Number` comes from a :class:`Cell` of the inputs (the table, the row, the column, and
the file, sheet and spreadsheet row it was read from), a :class:`Setting` of the unit (its file and
key path) or a :class:`Formula` over other numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from jixiao.inputs.published import Source, cell_row, cell_text, plain

WARNING = "warning"
"""A finding that needs an answer (a number to correct, a reason to give)."""
NOTE = "note"
"""A finding that needs a look."""

TITLES = {
    "unit_cost": "单位成本异常",
    "same_count": "同一事项数字不一致",
    "body_count": "内设机构数与所列机构不一致",
    "part_of": "部分大于整体",
    "indicator_stat": "自评表与业务统计数字不一致",
    "project_amount": "业务统计金额超过项目支出",
    "carryover": "上年结转资金超过上年结余",
    "score_difference": "填报得分与规则得分不一致",
    "total_score": "部门整体得分与填报总分不一致",
    "far_above": "实际完成值远超目标",
    "missing_actual": "实际完成值缺失",
    "target_equals_actual": "实际完成值与目标值雷同",
    "all_full_marks": "全部指标满分",
    "low_execution": "预算执行率低于90%",
    "repeated_text": "文字重复",
    "status_conflict": "完成情况表述矛盾",
    "goal_indicator": "目标完成情况与指标不一致",
    "published": "与公开报告不一致",
    "unchecked": "未能检查",
}
"""The kinds of finding, in the order they are reported, and their headings."""


@dataclass(frozen=True)
class Cell:
    """A cell of an input table: the table's key, the row's index in the table (None for a row
    the table does not hold), the column, and where it was read."""

    table: str
    index: Any
    column: str
    where: Source


@dataclass(frozen=True)
class Setting:
    """A value of the unit's settings: the file and the key's dotted path."""

    file: str
    path: str


@dataclass(frozen=True)
class Formula:
    """How a number was computed: ``expression`` over the names of its ``inputs`` (or, for a
    score, the rule as ``jixiao.scoring`` wrote it)."""

    expression: str
    inputs: tuple[Number, ...] = ()


@dataclass(frozen=True)
class Number:
    """A number of a finding: its role (or, for a statistic, its key), value, unit and source."""

    name: str
    value: float | int | None
    unit: str = ""
    source: Cell | Setting | Formula | None = None


@dataclass(frozen=True)
class Finding:
    """One finding of a check.

    ``subject`` names what it is about (a group and item of the settings, a project's id and an
    indicator's, a section), ``numbers`` the numbers that show it, ``rows`` the input rows it
    concerns, ``details`` whatever else the rule found (a label of the settings, a clause)."""

    kind: str
    level: str
    subject: tuple[Any, ...] = ()
    numbers: tuple[Number, ...] = ()
    rows: tuple[Cell, ...] = ()
    details: Mapping[str, Any] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Number:
        """The number named ``name``."""
        for n in self.numbers:
            if n.name == name:
                return n
        raise KeyError(name)

    @property
    def title(self) -> str:
        return TITLES.get(self.kind, self.kind)


def ordered(found: list[Finding]) -> list[Finding]:
    """The findings in the order of :data:`TITLES` (each kind's in the order found)."""
    order = list(TITLES)
    return sorted(found, key=lambda f: order.index(f.kind) if f.kind in order else len(order))


def dec(value: float | int) -> Decimal:
    """A value for exact arithmetic: 0.1 + 0.2 is 0.3."""
    return Decimal(repr(value))


def cell(frame: Any, table: str, index: Any, column: str, label: str | None = None) -> Cell:
    """The cell ``column`` of row ``index`` of ``frame`` (the input table ``table``)."""
    from jixiao.inputs import schema

    row = frame.loc[index]
    if label is None:
        found = schema.TABLES.get(table)
        label = found.column(column).label if found is not None and column in found.keys else None
    where = Source(cell_text(row, "_file"), cell_text(row, "_sheet"), cell_row(row), column, label)
    return Cell(table, index, column, where)


def number(name: str, frame: Any, table: str, index: Any, column: str, unit: str = "") -> Number:
    """The number in a cell of an input table."""
    return Number(name, plain(frame.at[index, column]), unit, cell(frame, table, index, column))


def derived(name: str, value: float | int | None, expression: str, *inputs: Number, unit: str = "") -> Number:
    """A number computed by ``expression`` from ``inputs``."""
    return Number(name, value, unit, Formula(expression, inputs))
