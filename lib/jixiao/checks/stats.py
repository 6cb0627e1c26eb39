"""Checks of the business statistics (the ``stats`` table), as the unit's ``review`` settings ask:

- **unit_cost**: 万元 per case within each group of ``review.unit_costs``; an item costing more
  than ``max_ratio`` × the group's cheapest is flagged;
- **same_count**: figures of ``review.same_count`` that count the same thing and disagree;
- **part_of**: a part of ``review.part_of`` larger than its whole (the measure words may differ:
  1157 宗 of fees waived against 1115 具 cremated);
- **indicator_stat**: an indicator of the 自评表 whose ``stats_key`` names a ``stats`` figure (or
  a sum ``a+b``) and whose actual is another number (万人次 and 人次 converted);
- **unchecked**: a check the settings ask for that the data cannot support (an unknown key).
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

import pandas as pd

from jixiao import paths
from jixiao.checks.findings import NOTE, WARNING, Cell, Finding, Number, Setting, cell, dec, derived, number
from jixiao.inputs.values import REVIEW_DEFAULTS


def stat(stats: pd.DataFrame, key: str) -> Number:
    """The ``stats`` figure of ``key``, named by its key, in its unit."""
    index = stats.index[stats["key"] == key][0]
    unit = stats.at[index, "unit"]
    return number(key, stats, "stats", index, "value", "" if pd.isna(unit) else str(unit).strip())


def stat_sum(stats: pd.DataFrame, keys: list[str], name: str) -> Number:
    """The figure of one key (named ``name``), or the sum of several (in the first key's unit)."""
    figures = [stat(stats, k) for k in keys]
    if len(figures) == 1:
        return replace(figures[0], name=name)
    total = float(sum((dec(f.value or 0) for f in figures), Decimal(0)))
    return derived(name, total, " + ".join(keys), *figures, unit=figures[0].unit)


def setting(settings: Any, value: float, path: str) -> Number:
    """A threshold of the unit's settings (a finding's ``limit``), sourced to ``unit.yaml`` and the key's path."""
    files = settings.files
    file = paths.relative(files[0]) if files else f"params/{settings.unit}/unit.yaml"
    return Number("limit", value, "", Setting(file, path))


def unchecked(stats: pd.DataFrame, where: str, keys: list[Any], rows: tuple[Cell, ...] = ()) -> Finding | None:
    """A check of the settings at ``where`` (or of the input cells ``rows``) naming keys the stats
    lack, or None."""
    known = set(stats["key"])
    missing = [str(k) for k in keys if k is None or str(k) not in known]
    if not missing:
        return None
    return Finding("unchecked", NOTE, (where,), (), rows, {"reason": "keys", "keys": tuple(missing)})


def unit_costs(data: Any, settings: Any) -> list[Finding]:
    """Items of a group costing more than ``max_ratio`` × the group's lowest cost per case."""
    config = settings.review.get("unit_costs") or {}
    if not config:
        return []
    max_ratio = float(config.get("max_ratio", REVIEW_DEFAULTS["unit_costs.max_ratio"]))
    limit = setting(settings, max_ratio, "review.unit_costs.max_ratio")
    found: list[Finding] = []
    for g, group in enumerate(config.get("groups") or [], start=1):
        name = str(group.get("name") or f"第{g}组")
        costs: list[tuple[str, Number]] = []
        for item in group.get("items") or []:
            label = str(item.get("label") or item.get("amount"))
            problem = unchecked(
                data.stats, f"review.unit_costs.{name}.{label}", [item.get("amount"), item.get("count")]
            )
            if problem:
                found.append(problem)
                continue
            amount, count = (
                stat_sum(data.stats, [item["amount"]], "amount"),
                stat_sum(data.stats, [item["count"]], "count"),
            )
            if not count.value or amount.value is None:
                found.append(Finding("unchecked", NOTE, (name, label), (count,), details={"reason": "count"}))
                continue
            value = float(dec(amount.value) / dec(count.value))
            unit = f"{amount.unit}/{count.unit}"
            costs.append((label, derived("cost", value, "amount / count", amount, count, unit=unit)))
        if len(costs) < 2:
            continue
        low_label, low = min(costs, key=lambda c: c[1].value or 0)
        lowest = replace(low, name="low")
        for label, cost in costs:
            if cost is low or not low.value or (cost.value or 0) <= max_ratio * low.value:
                continue
            ratio = derived("ratio", float(dec(cost.value or 0) / dec(low.value)), "cost / low", cost, lowest)
            numbers = (cost, lowest, ratio, limit)
            found.append(Finding("unit_cost", WARNING, (name, label), numbers, details={"low": low_label}))
    return found


def same_counts(data: Any, settings: Any) -> list[Finding]:
    """Figures that count the same thing (``review.same_count``) and disagree."""
    found: list[Finding] = []
    for i, check in enumerate(settings.review.get("same_count") or [], start=1):
        keys = [str(k) for k in check.get("keys") or []]
        label = str(check.get("label") or f"第{i}项")
        problem = unchecked(data.stats, f"review.same_count.{label}", keys)
        if problem:
            found.append(problem)
            continue
        figures = [stat(data.stats, k) for k in keys]
        values = {f.value for f in figures}
        if len(values) < 2 or None in values:
            continue
        ordered = sorted(figures, key=lambda f: f.value or 0)
        low, high = ordered[0], ordered[-1]
        units = {f.unit for f in figures}
        gap = derived(
            "gap", float(dec(high.value or 0) - dec(low.value or 0)), f"{high.name} - {low.name}", high, low,
            unit=units.pop() if len(units) == 1 else "",
        )  # fmt: skip
        found.append(Finding("same_count", WARNING, (label,), (*figures, gap)))
    return found


def parts_of_whole(data: Any, settings: Any) -> list[Finding]:
    """A part (``review.part_of``) larger than its whole; the measure words may differ."""
    found: list[Finding] = []
    for i, check in enumerate(settings.review.get("part_of") or [], start=1):
        label = str(check.get("label") or f"第{i}项")
        keys = [str(check.get("part")), str(check.get("whole"))]
        problem = unchecked(data.stats, f"review.part_of.{label}", keys)
        if problem:
            found.append(problem)
            continue
        part, whole = stat_sum(data.stats, keys[:1], "part"), stat_sum(data.stats, keys[1:], "whole")
        if part.value is None or whole.value is None or part.value <= whole.value:
            continue
        excess = derived(
            "excess", float(dec(part.value) - dec(whole.value)), "part - whole", part, whole, unit=part.unit
        )
        found.append(Finding("part_of", WARNING, (label,), (part, whole, excess)))
    return found


def scale(stat_unit: str, measure_unit: str) -> int:
    """How many of ``measure_unit`` one ``stat_unit`` is: 万人次 → 人次 is 10000, else 1."""
    if stat_unit != measure_unit and stat_unit.startswith("万") and stat_unit[1:] == measure_unit:
        return 10000
    return 1


def indicator_stats(data: Any) -> list[Finding]:
    """An indicator linked to a stats figure (``stats_key``) whose actual is another number.

    The subject is the indicator's scope (a project's id, or ``department``) and its name."""
    indicators = data.indicators
    if "stats_key" not in indicators.columns:
        return []
    found: list[Finding] = []
    for i in indicators.index:
        link = str(indicators.at[i, "stats_key"] or "").strip()
        actual_value = indicators.at[i, "actual"]
        if not link or pd.isna(actual_value):
            continue
        subject = (str(indicators.at[i, "scope"]), str(indicators.at[i, "level3"]))
        keys = [k.strip() for k in link.split("+")]
        problem = unchecked(data.stats, "indicators", keys, (cell(indicators, "indicators", i, "stats_key"),))
        if problem:
            found.append(problem)
            continue
        unit = str(indicators.at[i, "measure_unit"] or "").strip()
        linked = stat_sum(data.stats, keys, "stat")
        factor = scale(linked.unit, unit)
        expected = dec(linked.value or 0) * factor
        if dec(float(actual_value)) == expected:
            continue
        actual = number("actual", indicators, "indicators", i, "actual", unit)
        gap_value = float(abs(dec(float(actual_value)) - expected))
        scaled = f"stat * {factor}" if factor != 1 else "stat"
        gap = derived("gap", gap_value, f"abs(actual - {scaled})", actual, linked, unit=unit)
        numbers = (actual, linked, gap)
        if factor != 1:
            numbers += (derived("expected", float(expected), scaled, linked, unit=unit),)
        found.append(Finding("indicator_stat", WARNING, subject, numbers, details={"factor": factor}))
    return found
