"""Checks of a project's money against what else the inputs say of it:

- **project_amount**: ``stats`` amounts said (``review.project_amounts``) to be spent by a project
  that together exceed that project's 全年执行数;
- **carryover**: a project's 上年结转资金 above what the same project (same id, else same name)
  left unspent last year (全年预算数 − 全年执行数 of last year's ``projects``).

Amounts in 万元 agree to the cent.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pandas as pd

from jixiao.checks.findings import NOTE, WARNING, Finding, dec, derived, number
from jixiao.checks.stats import stat, stat_sum, unchecked
from jixiao.inputs.schema import AMOUNT_UNIT

CARRYOVER = "上年结转资金"
"""The ``fund_type`` of a project's money carried over from last year."""
CENT = Decimal("0.005")
"""Amounts in 万元 agree to the cent."""


def project_row(projects: pd.DataFrame, project: str) -> Any:
    """The index of the project whose id, else whose name, is ``project``; None if there is none."""
    for column in ("project_id", "project_name"):
        match = projects.index[projects[column].astype(str).str.strip() == project]
        if len(match) == 1:
            return match[0]
    return None


def project_amounts(data: Any, settings: Any) -> list[Finding]:
    """Stats amounts spent by a project (``review.project_amounts``) above its 全年执行数.

    The subject is the project's name."""
    found: list[Finding] = []
    projects = data.projects
    for n, check in enumerate(settings.review.get("project_amounts") or [], start=1):
        project = str(check.get("project") or "").strip()
        keys = [str(k) for k in check.get("keys") or []]
        where = f"review.project_amounts[{n}]"
        problem = unchecked(data.stats, where, keys)
        if problem:
            found.append(problem)
            continue
        i = project_row(projects, project)
        if i is None:
            found.append(Finding("unchecked", NOTE, (where,), details={"reason": "project", "project": project}))
            continue
        other_units = sorted({u for u in (stat(data.stats, k).unit for k in keys) if u != AMOUNT_UNIT})
        if other_units:
            found.append(Finding("unchecked", NOTE, (where,), details={"reason": "units", "units": tuple(other_units)}))
            continue
        amount = stat_sum(data.stats, keys, "amount")
        executed = number("executed", projects, "projects", i, "executed", AMOUNT_UNIT)
        if executed.value is None or dec(amount.value or 0) <= dec(executed.value) + CENT:
            continue
        excess_value = float(dec(amount.value or 0) - dec(executed.value))
        excess = derived("excess", excess_value, "amount - executed", amount, executed, unit=AMOUNT_UNIT)
        found.append(
            Finding("project_amount", WARNING, (str(projects.at[i, "project_name"]),), (amount, executed, excess))
        )
    return found


def carryovers(data: Any, last_year: Callable[[], tuple[int, pd.DataFrame] | None]) -> list[Finding]:
    """A project's 上年结转资金 above what it left unspent last year (matched by id, else by name).

    ``last_year`` gives last year's number and ``projects`` table, or None when there are no
    data of last year; it is asked only when a project has a carry-over. The subject is the
    project's name; a project last year's table lacks is a note."""
    funds = data.project_funds
    rows = funds[funds["fund_type"] == CARRYOVER]
    if not len(rows):
        return []
    last = last_year()
    if last is None:
        return []
    year, previous = last
    projects = data.projects
    found: list[Finding] = []
    for i in rows.index:
        pid = str(funds.at[i, "project_id"])
        names = projects.loc[projects["project_id"] == pid, "project_name"]
        name = str(names.iloc[0]) if len(names) else pid
        carry = number("carry", funds, "project_funds", i, "full_year_budget", AMOUNT_UNIT)
        match = previous.index[previous["project_id"] == pid]
        if len(match) != 1:
            match = previous.index[previous["project_name"] == name]
        if len(match) != 1:
            found.append(Finding("carryover", NOTE, (name,), (carry,), details={"year": year}))
            continue
        j = match[0]
        budget = number("budget", previous, "projects", j, "full_year_budget", AMOUNT_UNIT)
        spent = number("spent", previous, "projects", j, "executed", AMOUNT_UNIT)
        left_value = float(dec(budget.value or 0) - dec(spent.value or 0))
        left = derived("left", left_value, "budget - spent", budget, spent, unit=AMOUNT_UNIT)
        if carry.value is None or dec(carry.value) <= dec(left_value) + CENT:
            continue
        excess_value = float(dec(carry.value) - dec(left_value))
        excess = derived("excess", excess_value, "carry - left", carry, left, unit=AMOUNT_UNIT)
        numbers = (carry, left, budget, spent, excess)
        found.append(Finding("carryover", WARNING, (name,), numbers, details={"year": year}))
    return found
