"""A project's score (its execution rate and its indicator rows), and the projects' totals averaged
with their executed amounts as weights."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from jixiao.scoring.execution import EXECUTION_LABEL, ExecutionScore, execution_score
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
from jixiao.scoring.rules import DEFAULT_RULES, LEVEL1_WEIGHT_KEYS, PROJECT_LEVEL1, Rules
from jixiao.scoring.values import (
    TOLERANCE,
    Provenance,
    _d,
    _fmt,
    _num,
    _pct_d,
    _provenance,
    _records,
    _sum,
    _text,
    round2,
)
from jixiao.scoring.weights import _project_weight_problems, default_weights, project_weights


@dataclass(frozen=True)
class ProjectScore:
    project_id: str
    project_name: str
    fund_source: str | None
    initial_budget: float
    full_year_budget: float
    executed: float
    weights: dict[str, float]
    """Effective first-level weights: execution, output, effect, satisfaction."""
    execution: ExecutionScore
    indicators: tuple[IndicatorScore, ...]
    subtotals: tuple[Subtotal, ...]
    """预算执行率 first, then 产出指标, 效益指标, 满意度指标, then any other first level."""
    total: float
    """Execution score + Σ row scores (reported where given), rounded to 2 decimals."""
    computed_total: float
    """Execution score + Σ computed row scores."""
    reported_total: float | None
    grade: str
    """The grade of ``final_total``."""
    computed_grade: str
    differences: tuple[Difference, ...]
    missing: tuple[str, ...]
    """Names of the indicators with no actual."""
    flags: tuple[str, ...]
    weight_problems: tuple[str, ...] = ()
    provenance: Provenance | None = None
    cap: float | None = None
    """The most the total may be at the project's execution rate (``rules.execution_caps``), or None."""
    cap_rule: str = ""
    """The cap with its numbers, when the totals were capped."""

    @property
    def final_total(self) -> float:
        """The total that stands: the reported total if given, else ``total``."""
        return self.reported_total if self.reported_total is not None else self.total


@dataclass(frozen=True)
class WeightedSummary:
    """Project totals averaged with their executed amounts as weights."""

    score: float | None
    """None when there is no project."""
    total_executed: float
    terms: tuple[tuple[str, float, float], ...]
    """(project name, executed, final total) per project."""
    formula: str
    weighted: bool
    """False when every executed amount is 0 and a plain mean had to be taken."""


def score_project(
    project: Mapping[str, Any] | pd.Series,
    indicators: pd.DataFrame,
    rules: Rules = DEFAULT_RULES,
) -> ProjectScore:
    """Score one project: its execution rate and its indicator rows.

    ``indicators`` holds the project's rows (rows of other scopes, if any, are ignored).
    Weights come from the project's weight_* columns, blanks taking the rules' defaults; sums
    that do not add up are listed in ``weight_problems`` (flag ``weights``), never raised.
    """
    pid = _text(project.get("project_id")) or ""
    rows = _records(indicators)
    if rows and "scope" in rows[0]:
        rows = [r for r in rows if _text(r.get("scope")) == pid]
    rows = _ordered(rows, PROJECT_LEVEL1)
    weights = project_weights(project, rules)
    budget = _num(project.get("full_year_budget")) or 0.0
    spent = _num(project.get("executed")) or 0.0
    execution = execution_score(budget, spent, weights["execution"])
    declared = {l1: weights[key] for l1, key in LEVEL1_WEIGHT_KEYS.items()}
    defaulted = default_weights(rows, declared)
    scores = tuple(replace(_score_row(r, rules), weight_default=i in defaulted) for i, r in enumerate(rows))

    subtotals = [
        Subtotal(EXECUTION_LABEL, weights["execution"], weights["execution"], execution.score, execution.score),
        *_subtotals(scores, declared, PROJECT_LEVEL1),
    ]
    total = _sum([execution.score, *(s.score for s in scores)])
    computed_total = _sum([execution.score, *(s.computed for s in scores)])
    reported_total = _num(project.get("reported_score"))
    name = _text(project.get("project_name")) or pid
    bound = rules.execution_cap(execution.rate)
    cap, cap_rule = (None, "") if bound is None else (bound[1], "")
    if cap is not None and computed_total > cap + TOLERANCE:
        cap_rule = (
            f"预算执行率 {_pct_d(_d(execution.rate))} 低于 {_fmt(bound[0] * 100)}%，总分最高 {_fmt(cap)} 分："
            f"按规则计算 {computed_total:.2f} 分，扣除 {round2(_d(computed_total) - _d(cap)):.2f} 分"
        )
    if cap is not None:
        total, computed_total = min(total, cap), min(computed_total, cap)

    differences = _differences(scores)
    flags: list[str] = []
    if reported_total is not None:
        if abs(reported_total - computed_total) > TOLERANCE:
            differences.append(Difference(f"{name}总分", reported_total, computed_total, None, _provenance(project)))
        if abs(reported_total - total) > TOLERANCE:
            flags.append("total_mismatch")
    problems = _project_weight_problems(weights, rows)
    if problems:
        flags.append("weights")
    if differences:
        flags.append("differs")
    if cap_rule:
        flags.append("execution_cap")
    final = reported_total if reported_total is not None else total
    return ProjectScore(
        project_id=pid,
        project_name=name,
        fund_source=_text(project.get("fund_source")),
        initial_budget=_num(project.get("initial_budget")) or 0.0,
        full_year_budget=budget,
        executed=spent,
        weights=weights,
        execution=execution,
        indicators=scores,
        subtotals=tuple(subtotals),
        total=total,
        computed_total=computed_total,
        reported_total=reported_total,
        grade=grade(final, rules),
        computed_grade=grade(computed_total, rules),
        differences=tuple(differences),
        missing=tuple(s.name for s in scores if s.missing),
        flags=_collect_flags(execution.flags, *(s.flags for s in scores), flags),
        weight_problems=tuple(problems),
        provenance=_provenance(project),
        cap=cap,
        cap_rule=cap_rule,
    )


def weighted_project_summary(project_scores: Sequence[ProjectScore]) -> WeightedSummary:
    """The projects' totals averaged with their executed amounts (全年执行数) as weights.

    score = Σ(final total × executed) ÷ Σ executed, rounded to 2 decimals, where a project's
    final total is its reported total if given, else its table's total. If every executed
    amount is 0 the plain mean is taken (``weighted`` False); with no project the score is None.
    """
    terms = tuple((p.project_name, p.executed, p.final_total) for p in project_scores)
    if not terms:
        return WeightedSummary(None, 0.0, (), "没有开展自评的项目", True)
    total_exec = _d(0)
    acc = _d(0)
    for _, e, s in terms:
        total_exec += _d(e)
        acc += _d(e) * _d(s)
    if total_exec > 0:
        score = round2(acc / total_exec)
        parts = " + ".join(f"{s:.2f} × {e:.2f}" for _, e, s in terms)
        formula = f"Σ(项目得分 × 全年执行数) ÷ Σ全年执行数 = ({parts}) ÷ {float(total_exec):.2f} = {score:.2f}"
        return WeightedSummary(score, float(total_exec), terms, formula, True)
    score = round2(sum((_d(s) for _, _, s in terms), _d(0)) / len(terms))
    parts = " + ".join(f"{s:.2f}" for _, _, s in terms)
    formula = f"各项目全年执行数均为 0，取算术平均：({parts}) ÷ {len(terms)} = {score:.2f}"
    return WeightedSummary(score, 0.0, terms, formula, False)
