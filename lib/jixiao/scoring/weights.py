"""The weights a score is made of: a project's first-level weights (its own or the rules' defaults)
and the checks that each level's weights add up."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import pandas as pd

from jixiao.scoring.execution import EXECUTION_LABEL
from jixiao.scoring.rules import DEFAULT_RULES, LEVEL1_WEIGHT_KEYS, PROJECT_LEVEL1, Rules
from jixiao.scoring.values import DEPARTMENT_SCOPE, TOLERANCE, ScoringError, _fmt, _num, _records, _sum, _text


class WeightError(ScoringError):
    """Weights that do not add up; ``problems`` holds the (project_id, message) pairs."""

    def __init__(self, problems: Sequence[tuple[str, str]]):
        self.problems = list(problems)
        super().__init__("；".join(f"{pid}：{msg}" for pid, msg in self.problems))


def project_weights(project: Mapping[str, Any] | pd.Series, rules: Rules = DEFAULT_RULES) -> dict[str, float]:
    """A project's first-level weights: its weight_* columns, blanks taking the rules' default."""
    out = {}
    for key in ("execution", "output", "effect", "satisfaction"):
        v = _num(project.get(f"weight_{key}"))
        out[key] = v if v is not None else float(rules.weights[key])
    return out


DEFAULT_WEIGHT_RULE = "未填报分值：取计分规则的默认分值（该一级指标的分值减去已填分值，在未填各行间均分，精确到 0.01）"
"""How a blank indicator weight is filled (said in the report's tooltip and the import log)."""


def shares(total: float, n: int) -> list[float]:
    """``total`` split into ``n`` weights of whole cents that add up to it, the first ones taking
    the odd cents.

    >>> shares(50, 3), shares(30, 2), shares(10, 1)
    ([16.67, 16.67, 16.66], [15.0, 15.0], [10.0])
    """
    cents = int((Decimal(repr(float(total))) * 100).to_integral_value())
    base, extra = divmod(cents, n)
    return [float(Decimal(base + (1 if i < extra else 0)) / 100) for i in range(n)]


def default_weights(rows: Sequence[dict[str, Any]], declared: Mapping[str, float] | None) -> set[int]:
    """Fill in the rows' blank weights (a form without a 分值 column: the Sichuan-style
    transfer-payment form) from the rules' defaults, in place, and return the positions filled.

    For a project (``declared``: each first level's weight, the project's own or the rules'
    default) a first level's weight less the weights its rows give is split evenly, in whole
    cents, among its rows without one; for the department (``declared`` None) 100 less the
    weights given, among all rows without one. A row whose first level is unknown keeps its blank.
    """
    filled: set[int] = set()
    blank = [i for i, r in enumerate(rows) if _num(r.get("weight")) is None]
    if not blank:
        return filled
    groups: dict[str, list[int]] = {}
    for i in blank:
        groups.setdefault("" if declared is None else _text(rows[i].get("level1")) or "", []).append(i)
    for level1, members in groups.items():
        if declared is None:
            total = 100.0
            given = _sum(_num(r.get("weight")) or 0.0 for r in rows)
        elif level1 in declared:
            total = declared[level1]
            mine = [r for r in rows if (_text(r.get("level1")) or "") == level1]
            given = _sum(_num(r.get("weight")) or 0.0 for r in mine)
        else:
            continue
        rest = total - given
        if rest <= 0:
            continue
        for i, w in zip(members, shares(rest, len(members)), strict=True):
            rows[i]["weight"] = w
            filled.add(i)
    return filled


def _project_weight_problems(weights: Mapping[str, float], rows: Sequence[Mapping[str, Any]]) -> list[str]:
    problems: list[str] = []
    total = _sum(weights.values())
    if abs(total - 100) > TOLERANCE:
        parts = " + ".join(
            f"{label} {_fmt(weights[key])}"
            for label, key in ((EXECUTION_LABEL, "execution"), *LEVEL1_WEIGHT_KEYS.items())
        )
        problems.append(f"一级指标分值合计 {_fmt(total)}，应为 100（{parts}）")
    by_l1: dict[str, list[float]] = {}
    for r in rows:
        l1 = _text(r.get("level1")) or ""
        w = _num(r.get("weight"))
        name = _text(r.get("level3")) or _text(r.get("indicator_id")) or "?"
        if w is None or w <= 0:
            problems.append(f"三级指标「{name}」的分值应大于 0")
        if l1 not in LEVEL1_WEIGHT_KEYS:
            known = "、".join(PROJECT_LEVEL1)
            problems.append(f"三级指标「{name}」的一级指标「{l1}」不是 {known} 之一")
            continue
        by_l1.setdefault(l1, []).append(w or 0.0)
    for l1, key in LEVEL1_WEIGHT_KEYS.items():
        declared = weights[key]
        got = _sum(by_l1.get(l1, []))
        if abs(got - declared) > TOLERANCE:
            if l1 not in by_l1:
                problems.append(f"{l1}分值 {_fmt(declared)}，但没有三级指标")
            else:
                problems.append(f"{l1}各三级指标分值合计 {_fmt(got)}，应等于其分值 {_fmt(declared)}")
    return problems


def _department_weight_problems(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    if not rows:
        return []
    problems = []
    for r in rows:
        w = _num(r.get("weight"))
        if w is None or w <= 0:
            name = _text(r.get("level3")) or _text(r.get("indicator_id")) or "?"
            problems.append(f"部门整体指标「{name}」的分值应大于 0")
    total = _sum(_num(r.get("weight")) or 0.0 for r in rows)
    if abs(total - 100) > TOLERANCE:
        problems.append(f"部门整体各指标分值合计 {_fmt(total)}，应为 100")
    return problems


def _is_evaluated(v: Any) -> bool:
    return _text(v) == "是"


def weight_problems(
    projects: pd.DataFrame, indicators: pd.DataFrame, rules: Rules = DEFAULT_RULES
) -> list[tuple[str, str]]:
    """(project_id, message) for every weight that does not add up.

    Per self-evaluated project (every project if there is no ``self_evaluated`` column): the
    first-level weights (execution + output + effect + satisfaction, blanks taking the rules'
    defaults) must add up to 100, and each first level's third-level weights to its weight.
    The department's own indicators (scope ``department``) must add up to 100, reported under
    the id ``department``.
    """
    ind = _records(indicators)
    out: list[tuple[str, str]] = []
    for p in _records(projects):
        if "self_evaluated" in p and not _is_evaluated(p.get("self_evaluated")):
            continue
        pid = _text(p.get("project_id")) or ""
        rows = [r for r in ind if _text(r.get("scope")) == pid]
        out += [(pid, m) for m in _project_weight_problems(project_weights(p, rules), rows)]
    dept = [r for r in ind if _text(r.get("scope")) == DEPARTMENT_SCOPE]
    out += [(DEPARTMENT_SCOPE, m) for m in _department_weight_problems(dept)]
    return out


def check_weights(projects: pd.DataFrame, indicators: pd.DataFrame, rules: Rules = DEFAULT_RULES) -> None:
    """Raise :class:`WeightError` listing every weight problem, if there is any."""
    problems = weight_problems(projects, indicators, rules)
    if problems:
        raise WeightError(problems)
