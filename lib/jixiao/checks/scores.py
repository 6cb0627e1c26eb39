"""Checks of the scores (``jixiao.scoring``'s results) and of how the unit filled its 自评表:

- **score_difference**: a score the unit reported that is not the one the rules give;
- **total_score**: the department's total score as reported (``profile.reported_total_score``)
  against the sum of its indicators' scores;
- **far_above** / **missing_actual**: indicators far above their target (the rules ask the
  reviewer to judge whether the target was set too low) or with no actual (scored 0);
- **target_equals_actual**: more than ``review.target_equals_actual.max_share`` of the
  quantitative indicators with an actual exactly equal to the target (targets written after the
  fact?);
- **all_full_marks**: every indicator of the department and of every evaluated project at full
  marks;
- **low_execution**: projects whose execution rate is below 90% (a reason is due).

The subject of a finding on a score is ``(scope, project name, item)``: the project's id (or
``department``), the project's name ("" for the department) and the indicator's name (a score
difference's item; ``details["total"]`` says whether it is the total's, ``details["default_weight"]``
whether it was computed on a weight the rules filled in).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from jixiao import scoring
from jixiao.checks.findings import NOTE, WARNING, Cell, Finding, Formula, Number, cell, dec, derived
from jixiao.checks.stats import setting
from jixiao.inputs.published import Source
from jixiao.inputs.schema import AMOUNT_UNIT, DEPARTMENT
from jixiao.inputs.values import REVIEW_DEFAULTS

POINTS = "分"


def scored(scores: scoring.Scores) -> list[tuple[str, str, Any]]:
    """(scope, project name, score) for every evaluated project, then the department."""
    out: list[tuple[str, str, Any]] = [(p.project_id, p.project_name, p) for p in scores.projects]
    if scores.department is not None:
        out.append((DEPARTMENT, "", scores.department))
    return out


def row_number(name: str, data: Any, table: str, provenance: Any, column: str, value: Any, unit: str) -> Number:
    """The number of ``column`` in the input row a score was computed from: its cell when the
    table holds that row, else sourced from the score's own provenance (index None)."""
    if provenance is None:
        return Number(name, value, unit)
    frame = getattr(data, table)
    match = frame.index[(frame["_file"].astype(str) == provenance.file) & (frame["_row"] == provenance.row)]
    if len(match) == 1 and column in frame.columns:
        return Number(name, value, unit, cell(frame, table, match[0], column))
    where = Source(provenance.file, provenance.sheet, provenance.row, column)
    return Number(name, value, unit, Cell(table, None, column, where))


def score_differences(scores: scoring.Scores, data: Any) -> list[Finding]:
    """Reported scores that are not the computed ones: both numbers and the gap. The computed
    score's formula is the rule (for a total: the execution score plus the indicators' scores)."""
    found: list[Finding] = []
    for scope, project_name, score in scored(scores):
        # the rule as the scoring engine wrote it, without its own note on the difference
        rules = {s.indicator_id: s.rule.split("；填报得分")[0] for s in score.indicators if s.indicator_id}
        defaults = {s.indicator_id for s in score.indicators if s.weight_default}  # weights the rules filled in
        for d in score.differences:
            is_total = d.indicator_id is None
            table = "projects" if is_total else "indicators"
            reported = row_number("reported", data, table, d.provenance, "reported_score", d.reported, POINTS)
            rule = "execution + sum(indicators)" if is_total else rules.get(d.indicator_id, "")
            computed = Number("computed", d.computed, POINTS, Formula(rule))
            gap = derived("gap", float(dec(d.reported) - dec(d.computed)), "reported - computed", reported, computed)
            numbers = (reported, computed, gap)
            default = bool(defaults) if is_total else d.indicator_id in defaults
            details = {"total": is_total, "default_weight": default}
            found.append(Finding("score_difference", WARNING, (scope, project_name, d.item), numbers, details=details))
    return found


def total_score(scores: scoring.Scores, data: Any) -> list[Finding]:
    """The department's reported total (``profile.reported_total_score``) against its indicators'."""
    profile, department = data.profile, scores.department
    if department is None or "reported_total_score" not in profile.columns or not len(profile):
        return []
    i = profile.index[0]
    if pd.isna(profile.at[i, "reported_total_score"]):
        return []
    reported = Number("reported", float(profile.at[i, "reported_total_score"]), POINTS,
                      cell(profile, "profile", i, "reported_total_score"))  # fmt: skip
    if abs(reported.value - department.total) <= scoring.TOLERANCE:
        return []
    parts = [Number(s.name, s.score, POINTS, Formula(s.rule)) for s in department.indicators]
    computed = derived("computed", department.total, "sum(indicators)", *parts, unit=POINTS)
    gap = derived("gap", float(dec(reported.value) - dec(department.total)), "reported - computed", reported, computed)
    return [Finding("total_score", WARNING, (DEPARTMENT, "", ""), (reported, computed, gap))]


def indicator_flags(scores: scoring.Scores, data: Any, settings: Any) -> list[Finding]:
    """Indicators far above target (``far_above``) and indicators with no actual (``missing_actual``)."""
    found: list[Finding] = []
    limit = setting(settings, float(scores.rules.far_above_ratio), "scoring.far_above_ratio")
    for scope, project_name, score in scored(scores):
        for s in score.indicators:
            subject = (scope, project_name, s.name)
            unit = s.measure_unit or ""
            if "far_above" in s.flags and s.actual is not None and s.target:
                actual = row_number("actual", data, "indicators", s.provenance, "actual", s.actual, unit)
                target = row_number("target", data, "indicators", s.provenance, "target", s.target, unit)
                ratio = derived("ratio", float(dec(s.actual) / dec(s.target)), "actual / target", actual, target)
                found.append(Finding("far_above", NOTE, subject, (actual, target, ratio, limit)))
            if "missing" in s.flags:
                weight = row_number("weight", data, "indicators", s.provenance, "weight", s.weight, POINTS)
                found.append(Finding("missing_actual", WARNING, subject, (weight,)))
    return found


def _at_bound(s: Any) -> bool:
    """A target that cannot be beaten: ≥ 100%, or ≤ 0. Meeting it exactly says nothing."""
    if s.direction == "≥":
        return (s.measure_unit or "").strip() == "%" and s.target == 100
    return s.direction == "≤" and s.target == 0


def targets_equal_to_actuals(scores: scoring.Scores, settings: Any) -> list[Finding]:
    """Too many quantitative indicators whose actual is exactly their target (``review.target_equals_actual``).

    ``details`` holds the indicators compared and those equal, each as (scope, project name, score)."""
    config = settings.review.get("target_equals_actual") or {}
    if not config:
        return []
    max_share = float(config.get("max_share", REVIEW_DEFAULTS["target_equals_actual.max_share"]))
    min_count = int(config.get("min_count", REVIEW_DEFAULTS["target_equals_actual.min_count"]))
    compared = [
        (scope, name, s) for scope, name, score in scored(scores) for s in score.indicators
        if s.direction in ("≥", "≤") and s.target is not None and s.actual is not None and not s.computed_actual
        and not _at_bound(s)
    ]  # fmt: skip
    equal = [(scope, name, s) for scope, name, s in compared if dec(s.actual) == dec(s.target)]
    if len(compared) < min_count or not compared or len(equal) / len(compared) <= max_share:
        return []
    n = Number("n", len(compared), "个", Formula("count(compared)"))
    k = Number("k", len(equal), "个", Formula("count(equal)"))
    share = derived("share", len(equal) / len(compared), "k / n", k, n)
    limit = setting(settings, max_share, "review.target_equals_actual.max_share")
    details = {"compared": tuple(compared), "equal": tuple(equal)}
    return [Finding("target_equals_actual", NOTE, (), (n, k, share, limit), details=details)]


def all_full_marks(scores: scoring.Scores) -> list[Finding]:
    """Every indicator of the department and of every evaluated project at full marks; the count
    of indicators is the sum of each 自评表's (named by its scope)."""
    every = scored(scores)
    indicators = [s for _, _, score in every for s in score.indicators]
    if not indicators or any(s.score < s.weight - scoring.TOLERANCE for s in indicators):
        return []
    parts = [Number(scope, len(score.indicators), "个") for scope, _, score in every]
    count = derived("count", len(indicators), " + ".join(p.name for p in parts), *parts, unit="个")
    return [Finding("all_full_marks", NOTE, (), (count,))]


def low_execution(scores: scoring.Scores, data: Any) -> list[Finding]:
    """Evaluated projects whose execution rate is below 90% (``scoring.LOW_RATE``): the rules ask
    for a reason."""
    found: list[Finding] = []
    for p in scores.projects:
        rate_value = p.execution.rate
        if rate_value is None or rate_value >= scoring.LOW_RATE:
            continue
        executed = row_number("executed", data, "projects", p.provenance, "executed", p.executed, AMOUNT_UNIT)
        budget = row_number(
            "budget", data, "projects", p.provenance, "full_year_budget", p.full_year_budget, AMOUNT_UNIT
        )
        rate = derived("rate", rate_value, "executed / budget", executed, budget)
        found.append(Finding("low_execution", WARNING, (p.project_id, p.project_name, ""), (rate, executed, budget)))
    return found
