"""Section 审核提示: automatic checks over a unit-year's data, for the finance bureau's reviewer.

Each check gives :class:`Finding` s: what was found, stated with the figures behind it (each a
:class:`~jixiao.writing.provenance.Figure`: the input cell, or the formula and its inputs). The checks:

- **unit_cost**: 万元 per case within each group of ``review.unit_costs`` in the unit's settings;
  an item costing more than ``max_ratio`` × the group's cheapest is flagged;
- **same_count**: figures of ``review.same_count`` that count the same thing and disagree;
- **part_of**: a part of ``review.part_of`` larger than its whole (the measure words may differ:
  1157 宗 of fees waived against 1115 具 cremated);
- **indicator_stat**: an indicator of the 自评表 whose ``stats_key`` names a ``stats`` figure (or
  a sum ``a+b``) and whose actual is another number (万人次 and 人次 converted);
- **project_amount**: ``stats`` amounts said (``review.project_amounts``) to be spent by a project
  that together exceed that project's 全年执行数;
- **carryover**: a project's 上年结转资金 above what the same project (same id, else same name)
  left unspent last year (全年预算数 − 全年执行数 of last year's ``projects``);
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
- **low_execution**: projects whose execution rate is below 90% (a reason is due);
- **published**: a figure of the report that the unit's published report (the ``published``
  table, 公开数字) printed otherwise;
- **unchecked**: a check the settings ask for that the data cannot support (an unknown key).

:func:`findings` returns them as data, :func:`notes` renders them as boxes (``jx-warning`` for
what needs an answer, ``jx-note`` for what needs a look).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pandas as pd

from jixiao import formatting, paths, scoring
from jixiao.inputs import schema
from jixiao.inputs.published import parse_key
from jixiao.sections.report import Report
from jixiao.writing import provenance
from jixiao.writing.provenance import Figure, Html, Printed, Source, escape, render

WARNING = "warning"
NOTE = "note"

TITLES = {
    "unit_cost": "单位成本异常",
    "same_count": "同一事项数字不一致",
    "part_of": "部分大于整体",
    "indicator_stat": "自评表与业务统计数字不一致",
    "project_amount": "业务统计金额超过项目支出",
    "carryover": "上年结转资金超过上年结余",
    "score_difference": "填报得分与规则得分不一致",
    "total_score": "部门整体得分与填报总分不一致",
    "far_above": "实际完成值远超目标",
    "missing_actual": "实际完成值缺失",
    "target_equals_actual": "实际完成值与目标值雷同",
    "all_full_marks": "全部指标满分",
    "low_execution": "预算执行率低于90%",
    "repeated_text": "文字重复",
    "status_conflict": "完成情况表述矛盾",
    "published": "与公开报告不一致",
    "unchecked": "未能检查",
}
"""The kinds of finding, in the order they are reported, and their headings."""

COST_DECIMALS = 4
"""A unit cost in 万元 is written with up to 4 decimals (1.0588万元/人次): costs of a few
hundred 元 would otherwise all read 0.01 or 0.02."""

_TOKEN = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class Finding:
    """One review note: ``template`` with ``{name}`` placeholders for its ``figures``."""

    kind: str
    severity: str
    template: str
    figures: Mapping[str, Figure] = field(default_factory=dict)
    subject: str = ""
    """What the finding is about (a group, a pair of figures, a project's indicator)."""

    @property
    def title(self) -> str:
        return TITLES.get(self.kind, self.kind)

    @property
    def message(self) -> str:
        """The finding as plain text, each figure written as its text."""

        def one(m: re.Match[str]) -> str:
            token = m.group(0)
            if token in ("{{", "}}"):
                return token[0]
            return self.figures[m.group(1)].text

        return _TOKEN.sub(one, self.template)

    def html(self) -> Html:
        """A box: ``<div class="jx-warning">`` (or ``jx-note``) with the heading and the text."""
        body = render(self.template, dict(self.figures))
        return Html(
            f'<div class="jx-{self.severity}" data-kind="{escape(self.kind)}">'
            f"<p><strong>{escape(self.title)}</strong>：{body}</p></div>"
        )


def _t(text: object) -> str:
    """Text placed into a template: its braces doubled so they are not read as placeholders."""
    return str(text).replace("{", "{{").replace("}", "}}")


def _dec(value: float | int) -> Decimal:
    return Decimal(repr(value))


def _times(value: float) -> str:
    return f"{formatting.number(value, 1)}倍"


def _settings_figure(report: Report, value: float, path: str, label: str, text: str) -> Figure:
    """A threshold from the unit's settings, sourced to ``unit.yaml`` and the key's path."""
    files = report.settings.files
    file = paths.relative(files[0]) if files else f"params/{report.unit}/unit.yaml"
    return Figure(value, text, label, Source(file, column=path, column_label=label))


# -- stats checks -------------------------------------------------------------------------------


def _stat(report: Report, key: str) -> Figure | None:
    stats = report.data.stats
    if not (stats["key"] == key).any():
        return None
    return Figure.stat(stats, key)


def _stat_unit(report: Report, key: str) -> str:
    stats = report.data.stats
    unit = stats.loc[stats["key"] == key, "unit"].iloc[0]
    return "" if pd.isna(unit) else str(unit).strip()


def _unchecked(report: Report, where: str, keys: list[str]) -> Finding | None:
    known = set(report.data.stats["key"])
    missing = [str(k) for k in keys if k is None or str(k) not in known]
    if not missing:
        return None
    listed = "、".join(missing)
    return Finding(
        "unchecked", NOTE,
        _t(f"审核设置 {where} 引用的指标键 {listed} 在{report.year}年业务统计表（stats）中不存在，"
           "该项未检查。"),
        subject=where,
    )  # fmt: skip


def unit_costs(report: Report) -> list[Finding]:
    """Items of a group costing more than ``max_ratio`` × the group's lowest cost per case."""
    config = report.settings.review.get("unit_costs") or {}
    if not config:
        return []
    max_ratio = float(config.get("max_ratio", 3))
    limit = _settings_figure(
        report, max_ratio, "review.unit_costs.max_ratio", "单位成本倍数上限",
        f"{formatting.natural(max_ratio)}倍",
    )  # fmt: skip
    found: list[Finding] = []
    for g, group in enumerate(config.get("groups") or [], start=1):
        name = str(group.get("name") or f"第{g}组")
        costs: list[tuple[str, Figure, Figure, Figure]] = []
        for item in group.get("items") or []:
            label = str(item.get("label") or item.get("amount"))
            where = f"review.unit_costs.{name}.{label}"
            problem = _unchecked(report, where, [item.get("amount"), item.get("count")])
            if problem:
                found.append(problem)
                continue
            amount, count = _stat(report, item["amount"]), _stat(report, item["count"])
            assert amount is not None and count is not None
            if not count.value or amount.value is None:
                found.append(Finding(
                    "unchecked", NOTE,
                    _t(f"{name}：{label}") + "的计数为{count}，无法计算单位成本。",
                    {"count": count}, subject=f"{name}：{label}",
                ))  # fmt: skip
                continue
            value = float(_dec(amount.value) / _dec(count.value))
            per = f"{_stat_unit(report, item['amount'])}/{_stat_unit(report, item['count'])}"
            cost = Figure.derive(
                value, f"{amount.label} ÷ {count.label}", [amount, count],
                label=f"{label}单位成本",
                text=formatting.natural(value, COST_DECIMALS) + per,
            )  # fmt: skip
            costs.append((label, amount, count, cost))
        if len(costs) < 2:
            continue
        low_label, low_amount, low_count, low = min(costs, key=lambda c: c[3].value or 0)
        for label, amount, count, cost in costs:
            if cost is low or not low.value or (cost.value or 0) <= max_ratio * low.value:
                continue
            ratio_value = float(_dec(cost.value or 0) / _dec(low.value))
            ratio = Figure.derive(
                ratio_value, f"{cost.label} ÷ {low.label}", [cost, low],
                label=f"{label}与{low_label}单位成本之比", text=_times(ratio_value),
            )  # fmt: skip
            found.append(Finding(
                "unit_cost", WARNING,
                _t(f"{name}中，{label}的单位成本为") + "{cost}（{amount} ÷ {count}），是"
                + _t(low_label) + "{low}（{low_amount} ÷ {low_count}）的{ratio}，"
                "超过设定上限{limit}。请核实支出口径与计数口径。",
                {"cost": cost, "amount": amount, "count": count, "low": low,
                 "low_amount": low_amount, "low_count": low_count, "ratio": ratio, "limit": limit},
                subject=f"{name}：{label}",
            ))  # fmt: skip
    return found


def same_counts(report: Report) -> list[Finding]:
    """Figures that count the same thing (``review.same_count``) and disagree."""
    found: list[Finding] = []
    for i, check in enumerate(report.settings.review.get("same_count") or [], start=1):
        keys = [str(k) for k in check.get("keys") or []]
        label = str(check.get("label") or f"第{i}项")
        problem = _unchecked(report, f"review.same_count.{label}", keys)
        if problem:
            found.append(problem)
            continue
        figures = [_stat(report, k) for k in keys]
        values = {f.value for f in figures if f is not None}
        if len(values) < 2 or None in values:
            continue
        ordered = sorted(figures, key=lambda f: f.value or 0)  # type: ignore[union-attr]
        low, high = ordered[0], ordered[-1]
        assert low is not None and high is not None
        units = {_stat_unit(report, k) for k in keys}
        gap_value = float(_dec(high.value or 0) - _dec(low.value or 0))
        gap = Figure.derive(
            gap_value, f"{high.label} − {low.label}", [high, low], label=f"{label}之差",
            text=formatting.format_value(gap_value, units.pop() if len(units) == 1 else ""),
        )  # fmt: skip
        names = {f"f{j}": f for j, f in enumerate(figures) if f is not None}
        listed = "，".join(_t(f.label) + f"{{f{j}}}" for j, f in enumerate(figures) if f)
        found.append(Finding(
            "same_count", WARNING,
            _t(f"{label}前后不一致：") + listed + "，相差{gap}。请核实哪一个数字正确。",
            {**names, "gap": gap}, subject=label,
        ))  # fmt: skip
    return found


def parts_of_whole(report: Report) -> list[Finding]:
    """A part (``review.part_of``) larger than its whole; the measure words may differ."""
    found: list[Finding] = []
    for i, check in enumerate(report.settings.review.get("part_of") or [], start=1):
        label = str(check.get("label") or f"第{i}项")
        keys = [str(check.get("part")), str(check.get("whole"))]
        problem = _unchecked(report, f"review.part_of.{label}", keys)
        if problem:
            found.append(problem)
            continue
        part, whole = _stat(report, keys[0]), _stat(report, keys[1])
        assert part is not None and whole is not None
        if part.value is None or whole.value is None or part.value <= whole.value:
            continue
        excess_value = float(_dec(part.value) - _dec(whole.value))
        excess = Figure.derive(
            excess_value, f"{part.label} − {whole.label}", [part, whole], label=f"{label}超出数",
            text=formatting.format_value(excess_value, _stat_unit(report, keys[0])),
        )  # fmt: skip
        found.append(Finding(
            "part_of", WARNING,
            _t(f"{label}。") + _t(part.label) + "{part}，多于" + _t(whole.label)
            + "{whole}，超出{excess}。请核实统计口径。",
            {"part": part, "whole": whole, "excess": excess}, subject=label,
        ))  # fmt: skip
    return found


# -- checks across the 自评表, the stats and the budget -----------------------------------------

CARRYOVER = "上年结转资金"
AMOUNT_UNIT = "万元"
CENT = Decimal("0.005")
"""Amounts in 万元 agree to the cent."""


def _wan(value: float) -> str:
    return formatting.wanyuan(value)


def _project(name: object) -> str:
    """``项目“临时救助”``; quotation marks inside the name become ‘’ (``项目“‘双百镇’社工”``)."""
    inner = str(name).replace('"', "‘", 1).replace('"', "’", 1).replace("“", "‘").replace("”", "’")
    return f"项目“{inner}”"


def _who(report: Report, scope: str) -> str:
    """``项目“临时救助”`` for a project's scope, ``部门整体`` for the department's."""
    if scope == schema.DEPARTMENT:
        return "部门整体"
    projects = report.data.projects
    names = projects.loc[projects["project_id"] == scope, "project_name"]
    return _project(names.iloc[0] if len(names) else scope)


def _stat_sum(report: Report, keys: list[str], label: str) -> tuple[Figure, str]:
    """The stats figure of one key, or the sum of several (written with the first key's unit)."""
    figures = [_stat(report, k) for k in keys]
    assert all(f is not None for f in figures)
    unit = _stat_unit(report, keys[0])
    if len(figures) == 1:
        return figures[0], unit  # type: ignore[return-value]
    total = float(sum((_dec(f.value or 0) for f in figures), Decimal(0)))  # type: ignore[union-attr]
    formula = " + ".join(f.label for f in figures)  # type: ignore[union-attr]
    return Figure.derive(total, formula, figures, label=label, text=formatting.format_value(total, unit)), unit  # type: ignore[arg-type]


def _scale(stat_unit: str, measure_unit: str) -> int:
    """How many of ``measure_unit`` one ``stat_unit`` is: 万人次 → 人次 is 10000, else 1."""
    if stat_unit != measure_unit and stat_unit.startswith("万") and stat_unit[1:] == measure_unit:
        return 10000
    return 1


def indicator_stats(report: Report) -> list[Finding]:
    """An indicator linked to a stats figure (``stats_key``) whose actual is another number."""
    indicators = report.data.indicators
    if "stats_key" not in indicators.columns:
        return []
    found: list[Finding] = []
    for i in indicators.index:
        link = str(indicators.at[i, "stats_key"] or "").strip()
        actual_value = indicators.at[i, "actual"]
        if not link or pd.isna(actual_value):
            continue
        name = str(indicators.at[i, "level3"])
        who = _who(report, str(indicators.at[i, "scope"]))
        subject = f"{who}指标“{name}”"
        keys = [k.strip() for k in link.split("+")]
        problem = _unchecked(report, f"indicators 第{int(indicators.at[i, '_row'])}行 stats_key", keys)
        if problem:
            found.append(problem)
            continue
        stat, stat_unit = _stat_sum(report, keys, f"业务统计{name}")
        unit = str(indicators.at[i, "measure_unit"] or "").strip()
        factor = _scale(stat_unit, unit)
        expected = _dec(stat.value or 0) * factor
        if _dec(float(actual_value)) == expected:
            continue
        actual = Figure.cell(indicators, i, "actual", label=f"{name}实际完成值",
                             text=formatting.format_value(float(actual_value), unit))  # fmt: skip
        gap_value = float(abs(_dec(float(actual_value)) - expected))
        scaled = ""
        if factor != 1:
            scaled = _t(f"（即{formatting.format_value(float(expected), unit)}）")
        scaled_label = f"{stat.label} × {factor}" if factor != 1 else stat.label
        gap = Figure.derive(
            gap_value, f"|{actual.label} − {scaled_label}|", [actual, stat], label=f"{name}之差",
            text=formatting.format_value(gap_value, unit),
        )  # fmt: skip
        figures = {"actual": actual, "stat": stat, "gap": gap}
        if stat.formula:  # a sum of several stats figures
            figures |= {f"s{j}": f for j, f in enumerate(stat.inputs)}
            stated = "（" + " + ".join(_t(f.label) + f"{{s{j}}}" for j, f in enumerate(stat.inputs)) + "）合计为{stat}"
        else:
            stated = "“" + _t(stat.label) + "”为{stat}"
        found.append(Finding(
            "indicator_stat", WARNING,
            _t(f"{subject}的实际完成值为") + "{actual}，业务统计表中同一事项" + stated
            + scaled + "，相差{gap}。同一事项应为同一数字，请核实哪一个正确。",
            figures, subject=subject,
        ))  # fmt: skip
    return found


def _project_row(report: Report, project: str) -> Any:
    """The index of the project whose id, else whose name, is ``project``; None if there is none."""
    projects = report.data.projects
    for column in ("project_id", "project_name"):
        match = projects.index[projects[column].astype(str).str.strip() == project]
        if len(match) == 1:
            return match[0]
    return None


def project_amounts(report: Report) -> list[Finding]:
    """Stats amounts spent by a project (``review.project_amounts``) above its 全年执行数."""
    found: list[Finding] = []
    projects = report.data.projects
    for n, check in enumerate(report.settings.review.get("project_amounts") or [], start=1):
        project = str(check.get("project") or "").strip()
        keys = [str(k) for k in check.get("keys") or []]
        where = f"review.project_amounts[{n}]"
        problem = _unchecked(report, where, keys)
        if problem:
            found.append(problem)
            continue
        i = _project_row(report, project)
        if i is None:
            found.append(Finding(
                "unchecked", NOTE,
                _t(f"审核设置 {where} 引用的项目“{project}”在{report.year}年项目表（projects）中不存在"
                   "（按项目编码和项目名称均未找到），该项未检查。"),
                subject=where,
            ))  # fmt: skip
            continue
        other_units = sorted({u for u in (_stat_unit(report, k) for k in keys) if u != AMOUNT_UNIT})
        if other_units:
            found.append(Finding(
                "unchecked", NOTE,
                _t(f"审核设置 {where} 的指标键应为金额（万元），"
                   f"其中有计量单位为{'、'.join(other_units)}的，该项未检查。"),
                subject=where,
            ))  # fmt: skip
            continue
        name = str(projects.at[i, "project_name"])
        parts = [_stat(report, k) for k in keys]
        amount, _unit = _stat_sum(report, keys, f"由{_project(name)}支出的业务统计金额合计")
        executed = Figure.cell(projects, i, "executed", label=f"{name}全年执行数", fmt=_wan)
        if executed.value is None or _dec(amount.value or 0) <= _dec(executed.value) + CENT:
            continue
        excess_value = float(_dec(amount.value or 0) - _dec(executed.value))
        excess = Figure.derive(excess_value, f"{amount.label} − {executed.label}", [amount, executed],
                               label="超出金额", text=_wan(excess_value))  # fmt: skip
        figures = {"amount": amount, "executed": executed, "excess": excess}
        if len(parts) == 1:
            stated = _t(amount.label) + "{amount}"
        else:
            figures |= {f"a{j}": f for j, f in enumerate(parts) if f is not None}
            stated = "、".join(_t(f.label) + f"{{a{j}}}" for j, f in enumerate(parts) if f) + "（合计{amount}）"
        found.append(Finding(
            "project_amount", WARNING,
            "业务统计中的" + stated + _t(f"由{_project(name)}支出，") + "超过该项目全年执行数{executed}，超出{excess}。"
            "请核实项目资金或统计口径。",
            figures, subject=_project(name),
        ))  # fmt: skip
    return found


def carryovers(report: Report) -> list[Finding]:
    """A project's 上年结转资金 above what it left unspent last year (matched by id, else by name)."""
    funds = report.data.project_funds
    rows = funds[funds["fund_type"] == CARRYOVER]
    if not len(rows):
        return []
    previous = report.previous
    if previous is None:
        return []
    last = previous.data.projects
    projects = report.data.projects
    found: list[Finding] = []
    for i in rows.index:
        pid = str(funds.at[i, "project_id"])
        names = projects.loc[projects["project_id"] == pid, "project_name"]
        name = str(names.iloc[0]) if len(names) else pid
        carry = Figure.cell(funds, i, "full_year_budget", label=f"{name}上年结转资金", fmt=_wan)
        match = last.index[last["project_id"] == pid]
        if len(match) != 1:
            match = last.index[last["project_name"] == name]
        subject = _project(name)
        if len(match) != 1:
            found.append(Finding(
                "carryover", NOTE,
                _t(f"{subject}有{CARRYOVER}") + "{carry}"
                + _t(f"，但{previous.year}年项目表（projects）中没有该项目（按项目编码和项目名称均未找到），"
                     "无法核对上年结余。"),
                {"carry": carry}, subject=subject,
            ))  # fmt: skip
            continue
        j = match[0]
        budget = Figure.cell(last, j, "full_year_budget", label=f"{previous.year}年全年预算数", fmt=_wan)
        spent = Figure.cell(last, j, "executed", label=f"{previous.year}年全年执行数", fmt=_wan)
        left_value = float(_dec(budget.value or 0) - _dec(spent.value or 0))
        left = Figure.derive(left_value, f"{budget.label} − {spent.label}", [budget, spent],
                             label=f"{previous.year}年结余", text=_wan(left_value))  # fmt: skip
        if carry.value is None or _dec(carry.value) <= _dec(left_value) + CENT:
            continue
        excess_value = float(_dec(carry.value) - _dec(left_value))
        excess = Figure.derive(excess_value, f"{carry.label} − {left.label}", [carry, left],
                               label="超出金额", text=_wan(excess_value))  # fmt: skip
        found.append(Finding(
            "carryover", WARNING,
            _t(f"{subject}{report.year}年{CARRYOVER}") + "{carry}，超过该项目" + _t(f"{previous.year}年")
            + "的结余{left}（全年预算数{budget} − 全年执行数{spent}），多出{excess}。结转资金不应超过上年未支出的金额，"
            "请核实资金来源。",
            {"carry": carry, "left": left, "budget": budget, "spent": spent, "excess": excess}, subject=subject,
        ))  # fmt: skip
    return found


# -- score checks -------------------------------------------------------------------------------


def _row_figure(
    report: Report,
    table: str,
    provenance: Any,
    column: str,
    label: str,
    value: float | None,
    text: str,
) -> Figure:
    """The figure of ``column`` in the input row a score was computed from.

    Read from the table (so an illustrative row gives an illustrative figure) when the row is
    found there, else sourced from the score's own provenance.
    """  # fmt: skip
    if provenance is not None:
        frame = getattr(report.data, table)
        match = frame.index[(frame["_file"].astype(str) == provenance.file) & (frame["_row"] == provenance.row)]
        if len(match) == 1 and column in frame.columns:
            return Figure.cell(frame, match[0], column, label=label, text=text)
        source = Source(provenance.file, provenance.sheet, provenance.row, column, label)
        return Figure(value, text, label, source)
    return Figure(value, text, label)


def _points(value: float) -> str:
    return f"{formatting.number(value, 2)}分"


def _scored(report: Report) -> list[tuple[str, str, Any]]:
    """(what, table of its row, score) for every evaluated project, then the department."""
    scores = report.scores
    out: list[tuple[str, str, Any]] = [(_project(p.project_name), "projects", p) for p in scores.projects]
    if scores.department is not None:
        out.append(("部门整体", "indicators", scores.department))
    return out


def score_differences(report: Report) -> list[Finding]:
    """Reported scores that are not the computed ones: both numbers, the gap and the rule."""
    found: list[Finding] = []
    for who, _table, score in _scored(report):
        # the rule as the scoring engine wrote it, without its own note on the difference
        rules = {
            s.indicator_id: s.rule.split("；填报得分")[0]
            for s in score.indicators if s.indicator_id
        }  # fmt: skip
        for d in score.differences:
            is_total = d.indicator_id is None
            rule = (
                "项目总分 = 预算执行率得分 + 各指标按规则计算的得分之和"
                if is_total else rules.get(d.indicator_id, "")
            )  # fmt: skip
            reported = _row_figure(
                report, "projects" if is_total else "indicators", d.provenance, "reported_score",
                f"{d.item}填报得分", d.reported, _points(d.reported),
            )  # fmt: skip
            computed = Figure.derive(
                d.computed, rule or "按规则计算", [], label=f"{d.item}按规则计算得分",
                text=_points(d.computed), illustrative=reported.illustrative,
            )  # fmt: skip
            gap_value = float(_dec(d.reported) - _dec(d.computed))
            gap = Figure.derive(
                gap_value, f"{reported.label} − {computed.label}", [reported, computed],
                label="得分差", text=f"{gap_value:+.2f}分",
            )  # fmt: skip
            subject = who if is_total else f"{who}指标“{d.item}”"
            text = "总分" if is_total else ""
            found.append(Finding(
                "score_difference", WARNING,
                _t(f"{subject}{text}") + "填报{reported}，按规则计算为{computed}（相差{gap}）。"
                + (_t(f"计分规则：{rule}。") if rule else ""),
                {"reported": reported, "computed": computed, "gap": gap}, subject=subject,
            ))  # fmt: skip
    return found


def total_score(report: Report) -> list[Finding]:
    """The department's reported total (``profile.reported_total_score``) against its indicators'."""
    profile, department = report.data.profile, report.scores.department
    if department is None or "reported_total_score" not in profile.columns or not len(profile):
        return []
    i = profile.index[0]
    if pd.isna(profile.at[i, "reported_total_score"]):
        return []
    reported = Figure.cell(profile, i, "reported_total_score", label="部门整体自评得分(填报)",
                           text=_points(float(profile.at[i, "reported_total_score"])))  # fmt: skip
    if abs((reported.value or 0) - department.total) <= scoring.TOLERANCE:
        return []
    parts = [
        Figure.derive(s.score, s.rule, [], label=f"{s.name}得分", text=_points(s.score),
                      illustrative=reported.illustrative)
        for s in department.indicators
    ]  # fmt: skip
    computed = Figure.derive(department.total, "部门整体各项绩效指标得分之和", parts,
                             label="部门整体各指标得分之和", text=_points(department.total))  # fmt: skip
    gap_value = float(_dec(reported.value or 0) - _dec(department.total))
    gap = Figure.derive(gap_value, f"{reported.label} − {computed.label}", [reported, computed],
                        label="得分差", text=f"{gap_value:+.2f}分")  # fmt: skip
    return [Finding(
        "total_score", WARNING,
        "部门整体自评得分填报{reported}，" + _t(f"按{len(parts)}项部门整体绩效指标的得分合计为")
        + "{computed}（相差{gap}）。请核实填报的总分或各指标得分。",
        {"reported": reported, "computed": computed, "gap": gap}, subject="部门整体",
    )]  # fmt: skip


def indicator_flags(report: Report) -> list[Finding]:
    """Indicators far above target (``far_above``) and indicators with no actual (``missing``)."""
    found: list[Finding] = []
    ratio_limit = float(report.rules.far_above_ratio)
    limit = _settings_figure(
        report, ratio_limit, "scoring.far_above_ratio", "远超目标倍数",
        f"{formatting.natural(ratio_limit)}倍",
    )  # fmt: skip
    for who, _table, score in _scored(report):
        for s in score.indicators:
            subject = f"{who}指标“{s.name}”"
            unit = s.measure_unit or ""
            if "far_above" in s.flags and s.actual is not None and s.target:
                actual = _row_figure(report, "indicators", s.provenance, "actual",
                                     f"{s.name}实际完成值", s.actual,
                                     formatting.format_value(s.actual, unit))  # fmt: skip
                target = _row_figure(report, "indicators", s.provenance, "target",
                                     f"{s.name}年度指标值", s.target,
                                     formatting.format_value(s.target, unit))  # fmt: skip
                value = float(_dec(s.actual) / _dec(s.target))
                ratio = Figure.derive(value, f"{actual.label} ÷ {target.label}", [actual, target],
                                      label="实际与目标之比", text=_times(value))  # fmt: skip
                found.append(Finding(
                    "far_above", NOTE,
                    _t(subject) + "实际完成值{actual}，为年度指标值{target}的{ratio}，超过{limit}。"
                    "规则未规定扣分公式，请判断目标是否设定偏低。",
                    {"actual": actual, "target": target, "ratio": ratio, "limit": limit},
                    subject=subject,
                ))  # fmt: skip
            if "missing" in s.flags:
                weight = _row_figure(report, "indicators", s.provenance, "weight",
                                     f"{s.name}分值", s.weight,
                                     f"{formatting.natural(s.weight)}分")  # fmt: skip
                where = (
                    Source(s.provenance.file, s.provenance.sheet, s.provenance.row).describe()
                    if s.provenance else ""
                )  # fmt: skip
                found.append(Finding(
                    "missing_actual", WARNING,
                    _t(subject) + "未填报实际完成值" + (_t(f"（{where}）") if where else "")
                    + "，按规则计0分，该指标分值{weight}全部失去。请补填或说明原因。",
                    {"weight": weight}, subject=subject,
                ))  # fmt: skip
    return found


def _at_bound(s: Any) -> bool:
    """A target that cannot be beaten: ≥ 100%, or ≤ 0. Meeting it exactly says nothing."""
    if s.direction == "≥":
        return (s.measure_unit or "").strip() == "%" and s.target == 100
    return s.direction == "≤" and s.target == 0


def _indicator_rows(report: Report, scores: list[tuple[str, Any]]) -> str:
    """``name（file 第r行）、…`` for a formula's text."""
    return "、".join(
        f"{who}指标“{s.name}”" + (f"（{s.provenance.file} 第{s.provenance.row}行）" if s.provenance else "")
        for who, s in scores
    )


def _illustrative_rows(report: Report, scores: list[Any]) -> bool:
    """Whether any of the indicators' rows is marked illustrative."""
    ind = report.data.indicators
    ids = {s.indicator_id for s in scores}
    rows = ind[ind["indicator_id"].isin(ids)]
    return bool((rows["source"].astype(str).str.strip().str.lower() == "illustrative").any())


def targets_equal_to_actuals(report: Report) -> list[Finding]:
    """Too many quantitative indicators whose actual is exactly their target (``review.target_equals_actual``)."""
    config = report.settings.review.get("target_equals_actual") or {}
    if not config:
        return []
    max_share = float(config.get("max_share", 0.5))
    min_count = int(config.get("min_count", 5))
    compared: list[tuple[str, Any]] = []
    for who, _table, score in _scored(report):
        for s in score.indicators:
            if s.direction in ("≥", "≤") and s.target is not None and s.actual is not None and not s.computed_actual:
                if not _at_bound(s):
                    compared.append((who, s))
    equal = [(who, s) for who, s in compared if _dec(s.actual) == _dec(s.target)]
    if len(compared) < min_count or not compared or len(equal) / len(compared) <= max_share:
        return []
    illustrative = _illustrative_rows(report, [s for _, s in compared])
    n = Figure.derive(len(compared), "指标性质为 ≥ 或 ≤、目标不是 100%（≥）或 0（≤）、填有实际完成值的定量指标："
                      + _indicator_rows(report, compared), [], label="参与比较的定量指标个数",
                      text=f"{len(compared)}个", illustrative=illustrative)  # fmt: skip
    k = Figure.derive(len(equal), "实际完成值等于年度指标值的指标：" + _indicator_rows(report, equal), [],
                      label="实际等于目标的指标个数", text=f"{len(equal)}个", illustrative=illustrative)  # fmt: skip
    share_value = len(equal) / len(compared)
    share = Figure.derive(share_value, f"{k.label} ÷ {n.label}", [k, n], label="实际等于目标的比重",
                          text=formatting.percent(share_value))  # fmt: skip
    limit = _settings_figure(report, max_share, "review.target_equals_actual.max_share", "实际等于目标比重上限",
                             formatting.percent(max_share))  # fmt: skip
    examples = "、".join(
        f"{who}指标“{s.name}”（目标{formatting.format_value(s.target, s.measure_unit or '')}，"
        f"实际{formatting.format_value(s.actual, s.measure_unit or '')}）"
        for who, s in equal[:3]
    )
    more = "等" if len(equal) > 3 else ""
    return [Finding(
        "target_equals_actual", NOTE,
        "{n}定量指标中有{k}的实际完成值与年度指标值完全相同（占{share}，超过{limit}），如"
        + _t(examples + more) + "。年度指标值可能是按完成情况事后填写的，请核实是否为年初设定的目标。",
        {"n": n, "k": k, "share": share, "limit": limit}, subject="实际等于目标",
    )]  # fmt: skip


def all_full_marks(report: Report) -> list[Finding]:
    """Every indicator of the department and of every evaluated project at full marks."""
    scored = _scored(report)
    indicators = [s for _, _, score in scored for s in score.indicators]
    if not indicators or any(s.score < s.weight - scoring.TOLERANCE for s in indicators):
        return []
    n_projects = len(report.scores.projects)
    who = []
    if report.scores.department is not None:
        who.append("部门整体")
    if n_projects:
        who.append(f"{n_projects}个自评项目")
    parts = "；".join(
        f"{name}{len(score.indicators)}个" for name, _, score in scored
    )  # fmt: skip
    count = Figure.derive(len(indicators), f"各自评表的绩效指标个数之和：{parts}", [],
                          label="绩效指标个数", text=f"{len(indicators)}个",
                          illustrative=_illustrative_rows(report, indicators))  # fmt: skip
    return [Finding(
        "all_full_marks", NOTE,
        _t("和".join(who)) + "的全部{count}绩效指标均得满分，没有一项扣分。"
        "全部满分的自评较少见，请核实年度指标值与实际完成值是否如实反映绩效。",
        {"count": count}, subject="全部指标",
    )]  # fmt: skip


def low_execution(report: Report) -> list[Finding]:
    """Evaluated projects whose execution rate is below 90%: the rules ask for a reason."""
    threshold = scoring.LOW_RATE
    found: list[Finding] = []
    for p in report.scores.projects:
        rate_value = p.execution.rate
        if rate_value is None or rate_value >= threshold:
            continue
        executed = _row_figure(report, "projects", p.provenance, "executed", "全年执行数",
                               p.executed, formatting.wanyuan(p.executed))  # fmt: skip
        budget = _row_figure(
            report, "projects", p.provenance, "full_year_budget", "全年预算数",
            p.full_year_budget, formatting.wanyuan(p.full_year_budget),
        )  # fmt: skip
        rate = Figure.derive(rate_value, "全年执行数 ÷ 全年预算数", [executed, budget],
                             label="预算执行率", text=formatting.percent(rate_value))  # fmt: skip
        subject = f"项目“{p.project_name}”"
        found.append(Finding(
            "low_execution", WARNING,
            _t(subject) + "预算执行率{rate}（全年执行数{executed} ÷ 全年预算数{budget}），"
            + _t(f"低于{formatting.percent(threshold)}，") + "按规定应在自评表中说明原因。",
            {"rate": rate, "executed": executed, "budget": budget}, subject=subject,
        ))  # fmt: skip
    return found


# -- the section --------------------------------------------------------------------------------


# -- text checks --------------------------------------------------------------------------------

SIMILAR = 0.8
"""Two clauses at least this similar (difflib's ratio) in one section are noted as repeated."""
REPEAT_MIN = 15
"""Clauses shorter than this (characters) are too common to count as a repeat."""
_CLAUSE = re.compile(r"[^，。；！？：]+")
_IN_PROGRESS = re.compile(r"([^，。；、：]{4,30}?)(?:工作)?(?:正在进行中|正在进行|仍在进行|尚未完成|正在推进中)")


def _narrative_rows(report: Report) -> pd.DataFrame:
    narrative = report.data.narrative
    return narrative[narrative["kind"].isin(["item", "paragraph"])]


def _row_source(narrative: pd.DataFrame, index: Any, label: str) -> Figure:
    """A narrative row cited by its row number, its source the row's text cell."""
    row = narrative.loc[index]
    source = Source(str(row["_file"]), str(row["_sheet"] or ""), int(row["_row"]), "text", "内容")
    illustrative = str(row.get("source", "")).strip().lower() == "illustrative"
    return Figure(None, f"第{int(row['_row'])}行", label, source, illustrative=illustrative)


def repeated_text(report: Report) -> list[Finding]:
    """Clauses repeated nearly word for word in different items of a section (a copy-and-paste slip)."""
    import difflib

    narrative = _narrative_rows(report)
    titles = report.data.narrative.query("kind == 'title'").set_index("section")["text"].to_dict()
    found: list[Finding] = []
    pairs: set[tuple[Any, Any]] = set()
    for section, rows in narrative.groupby("section", sort=False):
        sentences = [
            (index, s.strip()) for index in rows.index for s in _CLAUSE.findall(str(rows.at[index, "text"]))
            if len(s.strip()) >= REPEAT_MIN
        ]  # fmt: skip
        for (i, a), (j, b) in itertools.combinations(sentences, 2):
            if i == j or (i, j) in pairs:
                continue
            ratio = difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
            if ratio < SIMILAR:
                continue
            pairs.add((i, j))
            first, second = _row_source(narrative, i, "文字材料"), _row_source(narrative, j, "文字材料")
            similarity = Figure.derive(
                ratio, "两句文字的相似度（difflib.SequenceMatcher.ratio）", [first, second],
                label="相似度", text=formatting.percent(ratio, 0),
            )  # fmt: skip
            found.append(Finding(
                "repeated_text", NOTE,
                _t(f"「{titles.get(section, section)}」一节")
                + "文字材料{first}与{second}有近乎相同的句子（相似度{similarity}）：“"
                + _t(a[:40] + ("…" if len(a) > 40 else "")) + "”。请删去重复或改写。",
                {"first": first, "second": second, "similarity": similarity}, subject=f"{section}:{i}:{j}",
            ))  # fmt: skip
    return found


def status_conflicts(report: Report) -> list[Finding]:
    """A work item said to be completed and, in the same item, still in progress."""
    narrative = _narrative_rows(report)
    found: list[Finding] = []
    for index in narrative.index:
        text = str(narrative.at[index, "text"])
        for match in _IN_PROGRESS.finditer(text):
            subject = match.group(1).strip()
            before = text[: match.start()]
            if any("完成" in clause and subject in clause for clause in re.split(r"[。；]", before)):
                row = _row_source(narrative, index, "文字材料")
                found.append(Finding(
                    "status_conflict", NOTE,
                    "文字材料{row}"
                    + _t(f"先写“完成……{subject}”，又写“{match.group(0)}”，完成情况前后不一。请核实表述。"),
                    {"row": row}, subject=subject,
                ))  # fmt: skip
    return found


# -- published figures ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PublishedCheck:
    """A figure of the report (computed, or one cell of the inputs) against its published row."""

    key: str
    figure: Figure
    printed: Printed

    @property
    def agrees(self) -> bool:
        parts = parse_key(self.key)
        ratio = not isinstance(parts, str) and parts.unit == "%"
        value = self.figure.text if self.printed.value is None else self.figure.value
        return self.printed.agrees(value, ratio=ratio)


def published_checks(report: Report) -> list[PublishedCheck]:
    """Every figure of the unit's ``published`` table that the data hold or jixiao computes, with
    whether it agrees (at the precision printed): the computed ones first, then the cells it names.

    A check whose ``agrees`` is False is a figure that the report printed otherwise (a computed
    one stays illustrative, a cell is marked illustrative): :func:`published_differences` makes
    it a finding. A key naming a row the data do not have is left out."""
    table = provenance.published_table(paths.data_dir(report.unit, report.year))
    if not table.by_key:
        return []  # nothing published to compare with: the overview's figures are not computed
    from jixiao.sections import overview  # here: a unit without the table does not depend on it

    checks = [
        PublishedCheck(key, figure, printed)
        for key, figure in overview.keyed_figures(report)
        if (printed := table.computed(key)) is not None
    ]
    for key, printed in table.by_key.items():
        parts = parse_key(key)
        if isinstance(parts, str) or not parts.is_cell:
            continue
        frame = getattr(report.data, parts.table)
        rows = frame.index[frame[schema.ID_COLUMNS[parts.table]].astype(str).str.strip() == parts.id]
        if len(rows) == 0:
            continue
        if printed.value is None:
            figure = Figure.text_cell(frame, rows[0], parts.column)
        else:
            figure = Figure.cell(frame, rows[0], parts.column)
        checks.append(PublishedCheck(key, figure, printed))
    return checks


def published_differences(report: Report) -> list[Finding]:
    """Figures the unit's published report printed otherwise (the ``published`` table): a cell of
    the inputs, or a figure computed from them."""
    found = []
    for check in published_checks(report):
        if check.agrees:
            continue
        printed, figure = check.printed, check.figure
        what = printed.label or figure.label
        ask = "。请核实输入数据或公开数字表（published）。"
        if figure.source is not None:
            template = (_t(f"{figure.source.describe()} 的“") + "{figure}"
                        + _t(f"”与公开报告所印的{what}“{printed.shown}”（{printed.where}）不一致{ask}"))  # fmt: skip
        else:
            template = (_t(f"计算得出的{what}（") + "{figure}"
                        + _t(f"）与公开报告所印的{printed.shown}（{printed.where}）不一致{ask}"))  # fmt: skip
        found.append(Finding("published", WARNING, template, {"figure": figure}, subject=check.key))
    return found


def findings(report: Report) -> list[Finding]:
    """Every finding, check by check in the order of :data:`TITLES` (unchecked ones last)."""
    found = [
        *unit_costs(report),
        *same_counts(report),
        *parts_of_whole(report),
        *indicator_stats(report),
        *project_amounts(report),
        *carryovers(report),
        *score_differences(report),
        *total_score(report),
        *indicator_flags(report),
        *targets_equal_to_actuals(report),
        *all_full_marks(report),
        *low_execution(report),
        *repeated_text(report),
        *status_conflicts(report),
        *published_differences(report),
    ]
    order = list(TITLES)
    return sorted(found, key=lambda f: order.index(f.kind) if f.kind in order else len(order))


def _checked(report: Report) -> str:
    review = report.settings.review
    groups = (review.get("unit_costs") or {}).get("groups") or []
    parts = []
    if groups:
        parts.append(f"单位成本{len(groups)}组")
    if review.get("same_count"):
        parts.append(f"同一事项数字{len(review['same_count'])}项")
    if review.get("part_of"):
        parts.append(f"部分与整体{len(review['part_of'])}项")
    indicators = report.data.indicators
    if "stats_key" in indicators.columns:
        linked = int((indicators["stats_key"].astype(str).str.strip() != "").sum())
        if linked:
            parts.append(f"自评表与业务统计数字{linked}项")
    if review.get("project_amounts"):
        parts.append(f"业务统计金额与项目支出{len(review['project_amounts'])}项")
    funds = report.data.project_funds
    carried = int((funds["fund_type"] == CARRYOVER).sum())
    if carried and report.previous is not None:
        parts.append(f"上年结转资金{carried}项")
    printed = len(provenance.published_table(paths.data_dir(report.unit, report.year)).by_key)
    if printed:
        parts.append(f"公开数字{printed}项")
    n_projects = len(report.scores.projects)
    parts.append(f"{n_projects}个自评项目的得分、指标与执行率")
    if report.scores.department is not None:
        parts.append("部门整体绩效指标")
    return "、".join(parts)


def notes(report: Report) -> Html:
    """The 审核提示 section: one box per finding, then what was checked."""
    found = findings(report)
    checked = f"已检查：{_checked(report)}。"
    if not found:
        return Html(f'<p class="jx-note">未发现需要提示的问题。{escape(checked)}</p>')
    warnings = sum(f.severity == WARNING for f in found)
    closing = f"共{len(found)}条提示（其中{warnings}条需核实或说明）。{checked}提示仅供审核参考，不改变填报的得分。"
    boxes = "\n".join(str(f.html()) for f in found)
    return Html(f'{boxes}\n<p class="jx-hint">{escape(closing)}</p>')


__all__ = ["TITLES", "Finding", "findings", "notes"]
