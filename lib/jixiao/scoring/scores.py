"""Every score of a unit-year: each self-evaluated project, the department, the weighted summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from jixiao.scoring.department import DepartmentScore, score_department
from jixiao.scoring.projects import ProjectScore, WeightedSummary, score_project, weighted_project_summary
from jixiao.scoring.rules import DEFAULT_RULES, Rules
from jixiao.scoring.values import DEPARTMENT_SCOPE, _records, _text
from jixiao.scoring.weights import _is_evaluated, weight_problems


@dataclass(frozen=True)
class Scores:
    projects: tuple[ProjectScore, ...]
    department: DepartmentScore | None
    summary: WeightedSummary
    rules: Rules = field(default_factory=Rules)
    weight_problems: tuple[tuple[str, str], ...] = ()

    def project(self, project_id: str) -> ProjectScore:
        for p in self.projects:
            if p.project_id == project_id:
                return p
        raise KeyError(f"no evaluated project {project_id!r}")


def score_all(dataset: Any, rules: Rules = DEFAULT_RULES) -> Scores:
    """Every self-evaluated project (``self_evaluated`` 是), the department, the weighted summary.

    ``dataset`` is a :class:`jixiao.inputs.dataset.Dataset` (anything with ``projects`` and
    ``indicators`` DataFrames).
    """
    projects = dataset.projects
    indicators = dataset.indicators
    ind_rows = _records(indicators)
    scores = []
    for p in _records(projects):
        if not _is_evaluated(p.get("self_evaluated")):
            continue
        pid = _text(p.get("project_id"))
        rows = pd.DataFrame([r for r in ind_rows if _text(r.get("scope")) == pid])
        scores.append(score_project(p, rows, rules))
    dept_rows = [r for r in ind_rows if _text(r.get("scope")) == DEPARTMENT_SCOPE]
    # the budget is read only when a department indicator computes its actual from it
    budget = getattr(dataset, "budget", None) if any(_text(r.get("computed_actual")) for r in dept_rows) else None
    department = score_department(pd.DataFrame(dept_rows), rules, budget) if dept_rows else None
    return Scores(
        projects=tuple(scores),
        department=department,
        summary=weighted_project_summary(scores),
        rules=rules,
        weight_problems=tuple(weight_problems(projects, indicators, rules)),
    )
