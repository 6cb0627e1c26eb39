"""The department's score as a whole, from its own indicator table (scope ``department``)."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from jixiao.scoring.grades import grade
from jixiao.scoring.indicators import (
    Difference,
    IndicatorScore,
    Subtotal,
    _collect_flags,
    _differences,
    _ordered,
    _score_row,
    _subtotals,
)
from jixiao.scoring.rules import DEFAULT_RULES, Rules
from jixiao.scoring.values import DEPARTMENT_SCOPE, _records, _sum, _text
from jixiao.scoring.weights import _department_weight_problems, default_weights


@dataclass(frozen=True)
class DepartmentScore:
    indicators: tuple[IndicatorScore, ...]
    subtotals: tuple[Subtotal, ...]
    total: float
    computed_total: float
    grade: str
    computed_grade: str
    differences: tuple[Difference, ...]
    missing: tuple[str, ...]
    flags: tuple[str, ...]
    weight_problems: tuple[str, ...] = ()

    @property
    def final_total(self) -> float:
        return self.total


def score_department(
    indicators: pd.DataFrame, rules: Rules = DEFAULT_RULES, budget: pd.DataFrame | None = None
) -> DepartmentScore:
    """Score the department as a whole from its own indicator table (scope ``department``).

    Same engine as the projects; the weights are the rows' own (adding up to 100) and there is
    no separate execution score (the department's tables carry 预算完成率 as a row if they
    score it: with ``computed_actual`` 预算执行率 its actual is computed from ``budget``).
    First levels keep the names and order of the data.
    """
    rows = _records(indicators)
    if rows and "scope" in rows[0]:
        rows = [r for r in rows if _text(r.get("scope")) == DEPARTMENT_SCOPE]
    rows = _ordered(rows, ())
    defaulted = default_weights(rows, None)
    scores = tuple(replace(_score_row(r, rules, budget), weight_default=i in defaulted) for i, r in enumerate(rows))
    total = _sum(s.score for s in scores)
    computed_total = _sum(s.computed for s in scores)
    differences = _differences(scores)
    problems = _department_weight_problems(rows)
    extra = (["weights"] if problems else []) + (["differs"] if differences else [])
    return DepartmentScore(
        indicators=scores,
        subtotals=tuple(_subtotals(scores, {}, ())),
        total=total,
        computed_total=computed_total,
        grade=grade(total, rules),
        computed_grade=grade(computed_total, rules),
        differences=tuple(differences),
        missing=tuple(s.name for s in scores if s.missing),
        flags=_collect_flags(*(s.flags for s in scores), extra),
        weight_problems=tuple(problems),
    )
