"""The 预算执行率 part of a project's score: executed ÷ full-year budget × weight, capped at 100%."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from jixiao.scoring.values import _d, _fmt, _num, _pct_d, round2

EXECUTION_LABEL = "预算执行率"


LOW_RATE = 0.9
"""Below this execution rate several provinces ask for a reason: flagged ``low_rate``."""


@dataclass(frozen=True)
class ExecutionScore:
    """The 预算执行率 part of a project's score."""

    full_year_budget: float
    executed: float
    weight: float
    rate: float | None
    """executed ÷ full_year_budget, not capped; None when the budget is 0."""
    score: float
    rule: str
    flags: tuple[str, ...] = ()

    @property
    def capped(self) -> bool:
        return "capped" in self.flags


def execution_score(full_year_budget: float, executed: float, weight: float = 10) -> ExecutionScore:
    """The 预算执行率 score: executed ÷ full-year budget × weight, the rate capped at 100%.

    - rate above 100%: full marks, flag ``capped``;
    - rate below 90%: flag ``low_rate`` (a reason is due);
    - full-year budget 0 (or blank): rate ``None``, score 0, flag ``no_budget``;
    - a negative result is scored 0.
    """
    budget = _num(full_year_budget) or 0.0
    spent = _num(executed) or 0.0
    w = _num(weight) or 0.0
    head = f"预算执行率：全年执行数 {spent:.2f} ÷ 全年预算数 {budget:.2f}"
    if budget <= 0:
        return ExecutionScore(
            budget,
            spent,
            w,
            None,
            0.0,
            f"预算执行率：全年预算数为 {budget:.2f}，执行率无法计算，得 0 分（请核对预算数）",
            ("no_budget",),
        )
    rate_d = _d(spent) / _d(budget)
    rate = float(rate_d)
    flags: list[str] = []
    if rate_d > 1:
        flags.append("capped")
        score = round2(_d(w))
        rule = f"{head} = {_pct_d(rate_d)}，超过 100% 按 100% 计，得满分 {_fmt(w)} 分"
    else:
        score = max(0.0, round2(_d(spent) * _d(w) / _d(budget)))
        rule = f"{head} = {_pct_d(rate_d)}，得分 = {spent:.2f} ÷ {budget:.2f} × {_fmt(w)} = {score:.2f}"
        if rate_d < Decimal(repr(LOW_RATE)):
            flags.append("low_rate")
            rule += "；执行率低于 90%，需说明原因"
    return ExecutionScore(budget, spent, w, rate, score, rule, tuple(flags))
