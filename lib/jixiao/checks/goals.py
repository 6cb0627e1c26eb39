"""Checks of the year's goals (the optional ``goals`` table) against the indicators that measure
them (a goal's ``indicator_id``):

- **goal_indicator**: a goal said to be 部分完成 or 未完成 while every indicator that measures it
  met its target with full marks, or a goal said to be 完成 while such an indicator fell short
  of full marks. The report would otherwise state both as facts (年度绩效目标完成情况 against the
  自评表 and 自评结论). A goal partly done with one indicator met and another missed agrees.

The subject is ``(goal_id, indicator_id)``; the numbers are the indicator's target, actual,
weight and score; ``rows`` the goal's ``completion`` cell; ``details`` the goal's text and
completion, the indicator's name and unit, and its scope and project name.
"""

from __future__ import annotations

from typing import Any

from jixiao import scoring
from jixiao.checks.findings import WARNING, Finding, Formula, Number, cell
from jixiao.checks.scores import POINTS, row_number, scored
from jixiao.inputs.validation import goal_indicator_ids

DONE = "完成"


def met(score: Any) -> bool:
    """An indicator that met its target: full marks by the rules (the reported score may differ),
    its actual given; as the conclusion counts them."""
    return not score.missing and score.computed >= score.weight - scoring.TOLERANCE


def goal_indicators(scores: scoring.Scores, data: Any) -> list[Finding]:
    """Goals whose completion disagrees with an indicator that measures them."""
    goals = data.goals
    if "indicator_id" not in goals.columns or not len(goals):
        return []
    by_id = {s.indicator_id: (scope, name, s) for scope, name, total in scored(scores) for s in total.indicators}
    found: list[Finding] = []
    for index in goals.index:
        completion = str(goals.at[index, "completion"]).strip()
        # validation names an unknown id; an unevaluated project's indicator is not scored
        linked = [i for i in goal_indicator_ids(goals.at[index, "indicator_id"]) if i in by_id]
        if completion != DONE and not all(met(by_id[i][2]) for i in linked):
            continue  # short of done, and so is one of its indicators: they agree
        for indicator_id in linked:
            scope, project_name, s = by_id[indicator_id]
            if met(s) == (completion == DONE):
                continue
            unit = s.measure_unit or ""
            qualitative = s.direction == "定性"
            target_column, actual_column = ("target_text", "actual_grade") if qualitative else ("target", "actual")
            numbers = (
                row_number("target", data, "indicators", s.provenance, target_column,
                           s.target_text if qualitative else s.target, unit),
                row_number("actual", data, "indicators", s.provenance, actual_column,
                           s.actual_grade if qualitative else s.actual, unit),
                row_number("weight", data, "indicators", s.provenance, "weight", s.weight, POINTS),
                Number("score", s.score, POINTS, Formula(s.rule)),
            )  # fmt: skip
            details = {
                "goal": str(goals.at[index, "goal"]).strip(), "completion": completion, "indicator": s.name,
                "scope": scope, "project_name": project_name, "met": met(s),
            }  # fmt: skip
            goal_id = str(goals.at[index, "goal_id"]).strip() if "goal_id" in goals.columns else ""
            rows = (cell(goals, "goals", index, "completion"),)
            found.append(Finding("goal_indicator", WARNING, (goal_id, indicator_id), numbers, rows, details))
    return found
