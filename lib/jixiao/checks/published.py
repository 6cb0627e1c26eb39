"""**published**: a figure that the unit's published report (the ``published`` table, 公开数字)
printed otherwise: one cell of the inputs, or a figure jixiao computes from them
(``jixiao.inputs.published.COMPUTED_KEYS``: the totals, the department's score, the share of
project spending self-evaluated, …), compared at the precision printed.

The computed figures are those the report's 总体情况 states, computed here from the tables and
the scores, so that a check needs no report.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from jixiao import formatting
from jixiao.checks.findings import WARNING, Finding, Number, cell, derived, number
from jixiao.inputs.published import (
    COMPUTED_KEYS,
    Printed,
    PublishedTable,
    cell_text,
    computed_key,
    parse_key,
    row_id,
)

GENERAL = "一般公共预算"
"""Its evaluated projects come first among the fund sources."""
PROJECT = "项目支出"
"""The ``kind`` of the budget lines of project spending."""


@dataclass(frozen=True)
class Comparison:
    """A figure (computed, or one cell of the inputs) against its published row."""

    key: str
    number: Number
    printed: Printed
    agrees: bool


def _total(name: str, frame: pd.DataFrame, table: str, column: str, rows: Any = None) -> Number:
    cells = [number(column, frame, table, i, column, "万元") for i in (frame.index if rows is None else rows)]
    return derived(name, round(sum(c.value or 0 for c in cells), 2), "sum", *cells, unit="万元")


def _ratio(name: str, part: Number, whole: Number) -> Number:
    return derived(name, part.value / whole.value if whole.value else None, f"{part.name} / {whole.name}", part, whole)


def _score(scores: Any, profile: pd.DataFrame) -> Number:
    """The department's score as the report states it: the reported total when given, else the
    sum of its indicators' scores, else the projects' weighted score."""
    if "reported_total_score" in profile.columns and len(profile):
        reported = number("department_score", profile, "profile", profile.index[0], "reported_total_score", "分")
        if reported.value is not None:
            return reported
    if scores.department is not None:
        return derived("department_score", scores.department.final_total, "sum(indicators)", unit="分")
    return derived("department_score", scores.summary.score, scores.summary.formula, unit="分")


def computed(data: Any, scores: Any) -> list[Number]:
    """Every figure of :data:`~jixiao.inputs.published.COMPUTED_KEYS` the data give, named by its key."""
    budget, projects = data.budget, data.projects
    total = _total(computed_key("total_budget"), budget, "budget", "full_year_budget")
    executed = _total(computed_key("total_executed"), budget, "budget", "executed")
    figures = [_score(scores, data.profile), total, executed, _ratio(computed_key("execution_rate"), executed, total)]
    evaluated = projects[projects["self_evaluated"] == "是"]
    groups = sorted(evaluated.groupby("fund_source", sort=False), key=lambda g: 0 if g[0] == GENERAL else 1)
    for fund_source, group in groups:
        source = str(fund_source)
        count = derived(computed_key("evaluated_count", source), len(group), "count", unit="个")
        amount = _total(computed_key("evaluated_amount", source), projects, "projects", "executed", group.index)
        figures += [count, amount]
        lines = budget[(budget["fund_source"] == fund_source) & (budget["kind"] == PROJECT)]
        if len(lines):
            spending = _total("spending", budget, "budget", "executed", lines.index)
            figures.append(_ratio(computed_key("evaluated_share", source), amount, spending))
    return figures


def _text(key: str, value: float | None) -> str:
    """A computed figure as the report writes it, for a published row that gives only a text."""
    unit = COMPUTED_KEYS[key.partition(".")[0]][1]
    if value is None:
        return formatting.MISSING
    if unit == "万元":
        return formatting.wanyuan(value)
    if unit == "%":
        return formatting.percent(value)
    return f"{value}个" if unit == "个" else f"{formatting.natural(value)}{unit}"


def comparisons(data: Any, scores: Any, table: PublishedTable) -> list[Comparison]:
    """Every figure of the ``published`` table that the data hold or jixiao computes, with whether
    it agrees at the precision printed: the computed ones first, then the cells it names. A key
    naming a row the data do not have is left out."""
    if not table.by_key:
        return []  # nothing published to compare with: nothing is computed
    found = []
    for figure in computed(data, scores):
        printed = table.computed(figure.name)
        if printed is not None:
            ratio = parse_key(figure.name).unit == "%"
            value = _text(figure.name, figure.value) if printed.value is None else figure.value
            found.append(Comparison(figure.name, figure, printed, printed.agrees(value, ratio=ratio)))
    ids: dict[str, dict[str, list[Any]]] = {}
    """Each table's rows by the id a key names them with (``row_id``), found once per table."""
    for key, printed in table.by_key.items():
        parts = parse_key(key)
        if isinstance(parts, str) or not parts.is_cell:
            continue
        frame = getattr(data, parts.table)
        if parts.table not in ids:
            ids[parts.table] = {}
            for i in frame.index:
                ids[parts.table].setdefault(row_id(parts.table, frame.loc[i]), []).append(i)
        rows = ids[parts.table].get(parts.id, [])
        if len(rows) == 0:
            continue
        if printed.value is None:  # a text: a name, a code
            figure = Number(key, None, "", cell(frame, parts.table, rows[0], parts.column))
            value: Any = cell_text(frame.loc[rows[0]], parts.column)
        else:
            figure = number(key, frame, parts.table, rows[0], parts.column)
            value = figure.value
        found.append(Comparison(key, figure, printed, printed.agrees(value)))
    return found


def differences(data: Any, scores: Any, table: PublishedTable) -> list[Finding]:
    """The figures the published report printed otherwise: the subject is the ``published`` key,
    ``details["printed"]`` the row as printed."""
    return [
        Finding("published", WARNING, (c.key,), (c.number,), details={"printed": c.printed})
        for c in comparisons(data, scores, table)
        if not c.agrees
    ]
