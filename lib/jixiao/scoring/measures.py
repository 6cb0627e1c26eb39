"""Measures computed from the budget table's totals (预算执行率, 预算调整率, 结转结余率): the actual
of a department indicator that names one in ``computed_actual``."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from jixiao.scoring.values import ScoringError, _d, _fmt, _num, _records, _sum, round2

BUDGET_COLUMNS = {"initial_budget": "年初预算数", "full_year_budget": "全年预算数", "executed": "全年执行数"}
"""The budget table's amount columns and their labels, as the formulas name them."""


BUDGET_MEASURES: dict[str, tuple[str, str | None, str]] = {
    "预算执行率": ("executed", None, "full_year_budget"),
    "预算调整率": ("full_year_budget", "initial_budget", "initial_budget"),
    "结转结余率": ("full_year_budget", "executed", "full_year_budget"),
}
"""Measures over the budget table's totals, each (minuend, subtrahend or None, denominator):
value = (Σ minuend − Σ subtrahend) ÷ Σ denominator × 100, in percent (财预〔2013〕53号's
预算完成率, 预算调整率 and 结转结余率)."""


@dataclass(frozen=True)
class BudgetMeasure:
    """A measure (预算执行率 …) computed from the budget table's totals."""

    name: str
    value: float | None
    """In percent, rounded half-up to 2 decimals; None when the denominator is 0."""
    formula: str
    """In words: ``全年执行数 ÷ 全年预算数 × 100``."""
    totals: dict[str, float]
    """The sum of each budget column used (万元, 2 decimals), by column key."""
    rule: str
    """The formula with its numbers: ``全年执行数 9688.43 ÷ 全年预算数 9808.62 × 100 = 98.77``."""


def measure_formula(name: str) -> str:
    """The formula of a budget measure in words (``全年执行数 ÷ 全年预算数 × 100``)."""
    minuend, subtrahend, denominator = BUDGET_MEASURES[name]
    top = BUDGET_COLUMNS[minuend]
    if subtrahend is not None:
        top = f"({top} − {BUDGET_COLUMNS[subtrahend]})"
    return f"{top} ÷ {BUDGET_COLUMNS[denominator]} × 100"


def budget_measure(name: str, budget: pd.DataFrame | None) -> BudgetMeasure:
    """The measure ``name`` (a key of :data:`BUDGET_MEASURES`) over every line of ``budget``.

    >>> b = pd.DataFrame({"initial_budget": [100.0], "full_year_budget": [9808.62], "executed": [9688.43]})
    >>> budget_measure("预算执行率", b).rule
    '全年执行数 9688.43 ÷ 全年预算数 9808.62 × 100 = 98.77'
    """
    if name not in BUDGET_MEASURES:
        raise ScoringError(f"实际值计算口径 {name!r} 不是 {'、'.join(BUDGET_MEASURES)} 之一")
    minuend, subtrahend, denominator = BUDGET_MEASURES[name]
    rows = _records(budget)
    columns = dict.fromkeys(c for c in (minuend, subtrahend, denominator) if c is not None)
    totals = {c: _sum(_num(r.get(c)) or 0.0 for r in rows) for c in columns}
    formula = measure_formula(name)
    top = f"{BUDGET_COLUMNS[minuend]} {totals[minuend]:.2f}"
    if subtrahend is not None:
        top = f"({top} − {BUDGET_COLUMNS[subtrahend]} {totals[subtrahend]:.2f})"
    head = f"{top} ÷ {BUDGET_COLUMNS[denominator]} {totals[denominator]:.2f} × 100"
    if not rows or totals[denominator] <= 0:
        return BudgetMeasure(name, None, formula, totals, f"{head}：{BUDGET_COLUMNS[denominator]}为 0，无法计算")
    numerator = _d(totals[minuend]) - (_d(totals[subtrahend]) if subtrahend is not None else 0)
    value = round2(numerator * 100 / _d(totals[denominator]))
    return BudgetMeasure(name, value, formula, totals, f"{head} = {_fmt(value)}")
