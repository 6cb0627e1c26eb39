"""Section 审核提示: automatic checks over a unit-year's data, for the finance bureau's reviewer.

Each check gives :class:`Finding` s: what was found, stated with the figures behind it (each a
:class:`~jixiao.provenance.Figure`: the input cell, or the formula and its inputs). The checks:

- **unit_cost**: 万元 per case within each group of ``review.unit_costs`` in the unit's settings;
  an item costing more than ``max_ratio`` × the group's cheapest is flagged;
- **same_count**: figures of ``review.same_count`` that count the same thing and disagree;
- **part_of**: a part of ``review.part_of`` larger than its whole (the measure words may differ:
  1157 宗 of fees waived against 1115 具 cremated);
- **score_difference**: a score the unit reported that is not the one the rules give;
- **far_above** / **missing_actual**: indicators far above their target (the rules ask the
  reviewer to judge whether the target was set too low) or with no actual (scored 0);
- **low_execution**: projects whose execution rate is below 90% (a reason is due);
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

from jixiao import formatting, paths
from jixiao.provenance import Figure, Html, Source, escape, render
from jixiao.report import Report

WARNING = "warning"
NOTE = "note"

TITLES = {
    "unit_cost": "单位成本异常",
    "same_count": "同一事项数字不一致",
    "part_of": "部分大于整体",
    "score_difference": "填报得分与规则得分不一致",
    "far_above": "实际完成值远超目标",
    "missing_actual": "实际完成值缺失",
    "low_execution": "预算执行率低于90%",
    "repeated_text": "文字重复",
    "status_conflict": "完成情况表述矛盾",
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
    missing = [str(k) for k in keys if k is None or _stat(report, str(k)) is None]
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
    out: list[tuple[str, str, Any]] = [(f"项目“{p.project_name}”", "projects", p) for p in scores.projects]
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


def low_execution(report: Report) -> list[Finding]:
    """Evaluated projects whose execution rate is below 90%: the rules ask for a reason."""
    from jixiao import scoring

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


def findings(report: Report) -> list[Finding]:
    """Every finding, check by check in the order of :data:`TITLES` (unchecked ones last)."""
    found = [
        *unit_costs(report),
        *same_counts(report),
        *parts_of_whole(report),
        *score_differences(report),
        *indicator_flags(report),
        *low_execution(report),
        *repeated_text(report),
        *status_conflicts(report),
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
