"""One form checked: its rows converted into what ``jixiao.scoring`` takes, scored by the rule
set, and every flag found, as a plain record (what check.json holds for the form).

A flag is ``{"code", "title", "level", "rule", "reported", "computed"}``: the rule it broke, in
Chinese with its numbers, and the two numbers (the form's and the rules'), either None where the
rule has no such number. The review's own checks (``jixiao.checks.scores``) are applied wherever
they fit a form, so a form and a report with the same figures get the same findings.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pandas as pd

from jixiao import scoring
from jixiao.checks import scores as review
from jixiao.checks.findings import NOTE, TITLES, WARNING, Finding
from jixiao.forms.model import DEPARTMENT, FUND_TOTAL, Form, FormIndicator, Value
from jixiao.scoring.weights import DEFAULT_WEIGHT_RULE

FLAGS = {
    "over_weight": ("得分高于分值", WARNING),
    "score_difference": (TITLES["score_difference"], WARNING),
    "band": ("定性指标得分不在完成档次的区间内", WARNING),
    "grade_unknown": ("定性指标完成档次无法识别", NOTE),
    "no_target": ("年度指标值缺失", WARNING),
    "missing_actual": (TITLES["missing_actual"], WARNING),
    "no_reason": ("未达到目标且未说明偏差原因", WARNING),
    "far_above": (TITLES["far_above"], NOTE),
    "deviation": ("指标偏离扣分", WARNING),
    "target_equals_actual": (TITLES["target_equals_actual"], NOTE),
    "all_full_marks": (TITLES["all_full_marks"], NOTE),
    "execution_rate": ("执行率计算有误", WARNING),
    "execution_score": ("执行率得分有误", WARNING),
    "over_budget": ("全年执行数超过全年预算数", WARNING),
    "funds_sum": ("资金合计不等于各项资金之和", WARNING),
    "total_sum": ("总分不等于各项得分之和", WARNING),
    "weights": ("分值合计不为100", WARNING),
    "default_weights": ("表中未列分值，按规则默认权重计分", NOTE),
    "grade": ("评价等级与总分不符", WARNING),
    "execution_cap": ("总分超过预算执行率对应的上限", WARNING),
    "low_execution": (TITLES["low_execution"], WARNING),
}
"""Every flag's code, its heading and its level (warning: a figure to correct or a reason to give;
note: worth a look), in the order check.html lists them."""

AMOUNT_COLUMNS = (("initial", "年初预算数"), ("full_year", "全年预算数"), ("executed", "全年执行数"))
TOLERANCE = scoring.TOLERANCE
MONEY_TOLERANCE = 0.005
"""Two amounts (万元) closer than this are the same (forms print 2 decimals)."""


def flag(code: str, rule: str, reported: Any = None, computed: Any = None) -> dict[str, Any]:
    title, level = FLAGS[code]
    return {"code": code, "title": title, "level": level, "rule": rule, "reported": reported, "computed": computed}


def number(v: Value | None) -> float | None:
    """A value's number, or None for a blank or a text."""
    if v is None or isinstance(v.value, str) or v.value is None:
        return None
    return float(v.value)


def text(v: Value | None) -> str | None:
    if v is None or v.value is None:
        return None
    s = str(v.value).strip() if isinstance(v.value, str) else (v.text or scoring.values._fmt(v.value))
    return s or None


def plain(v: Value | None) -> Any:
    """A value as check.json writes it: its number, else its text, else None."""
    n = number(v)
    return n if n is not None else text(v)


def _f(x: float | None) -> str:
    return "—" if x is None else scoring.values._fmt(x)


def _level1(name: str | None) -> str | None:
    """A form's first level as the rules name it (产出 → 产出指标), for the project forms."""
    if name is None:
        return None
    for known in scoring.PROJECT_LEVEL1:
        if known[:2] in name:
            return known
    return name


# --------------------------------------------------------------------------- conversion


def project_id(form: Form) -> str:
    return f"{form.file}#{form.sheet}!{form.top}"


def _row(form: Form, ind: FormIndicator, pid: str, rules: scoring.Rules) -> tuple[dict[str, Any], list[dict]]:
    """The indicator as an ``indicators`` row, and the flags its conversion raised."""
    flags: list[dict] = []
    direction = ind.direction
    name = text(ind.name) or f"第{ind.row}行"
    weight, reported = number(ind.weight), number(ind.score)
    row = {
        "scope": pid, "indicator_id": f"r{ind.row}", "level1": text(ind.level1) if form.kind == DEPARTMENT
        else _level1(text(ind.level1)), "level2": text(ind.level2), "level3": name, "direction": direction,
        "target": number(ind.target), "actual": None, "actual_grade": None, "weight": weight,
        "reported_score": reported, "measure_unit": ind.unit or None, "target_text": text(ind.target),
        "deviation_reason": text(ind.deviation_reason), "_file": form.file, "_sheet": form.sheet, "_row": ind.row,
    }  # fmt: skip
    if direction != "定性":
        row["actual"] = number(ind.actual)
        return row, flags
    grade = text(ind.actual)
    if grade is not None and grade not in rules.qualitative_bands:
        w = weight or 0.0
        inferred = None
        if reported is not None and w > 0:
            share = Decimal(repr(reported)) / Decimal(repr(w))
            inferred = next(
                (
                    g
                    for g, (lo, hi) in rules.qualitative_bands.items()
                    if Decimal(repr(lo)) <= share <= Decimal(repr(hi))
                ),
                None,
            )
        known = "、".join(rules.qualitative_bands)
        how = f"按填报得分 {_f(reported)} 分所在区间计为「{inferred}」" if inferred else "无法计分"
        flags.append(flag("grade_unknown", f"实际完成值「{grade}」不是 {known} 之一，{how}", grade, inferred))
        grade = inferred
    if grade is not None and reported is not None:
        try:
            scoring.score_indicator("定性", None, None, weight, actual_grade=grade, reported=reported, rules=rules,
                                    name=name)  # fmt: skip
        except scoring.BandError as exc:
            flags.append(flag("band", str(exc), reported, None))
            row["reported_score"] = None  # scored by the band's rule; the reported score is kept beside
    row["actual_grade"] = grade
    return row, flags


def _project(form: Form, pid: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    total = form.fund(FUND_TOTAL)
    weights: dict[str, float | None] = {}
    for level1, key in scoring.LEVEL1_WEIGHT_KEYS.items():  # as jixiao import writes them
        mine = [r["weight"] for r in rows if r["level1"] == level1]
        weights[key] = scoring.round2(sum(mine)) if mine and all(w is not None for w in mine) else None
    return {
        "project_id": pid, "project_name": text(form.project) or pid,
        "full_year_budget": number(total.full_year) if total else None,
        "executed": number(total.executed) if total else None,
        "initial_budget": number(total.initial) if total else None,
        "weight_execution": number(total.weight) if total else None,
        **{f"weight_{k}": v for k, v in weights.items()},
        "reported_score": number(form.total), "_file": form.file, "_sheet": form.sheet,
        "_row": int(re.sub(r"\D", "", form.top) or 0),
    }  # fmt: skip


def _project_weights(execution: float, rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The flag for a project form whose weights (the execution rate's and every row's) do not
    add up to 100, each first level's sum shown; or None."""
    by_level: dict[str, Decimal] = {label: Decimal(0) for label in scoring.PROJECT_LEVEL1}
    for r in rows:
        level = r["level1"] or "—"
        by_level[level] = by_level.get(level, Decimal(0)) + Decimal(repr(r["weight"] or 0.0))
    total = scoring.round2(Decimal(repr(execution)) + sum(by_level.values(), Decimal(0)))
    if abs(total - 100) <= TOLERANCE:
        return None
    parts = " + ".join([f"预算执行率 {_f(execution)}", *(f"{k} {_f(float(v))}" for k, v in by_level.items())])
    return flag("weights", f"一级指标分值合计 {_f(total)}，应为 100（{parts}）", total, 100.0)


class Rows(list):
    """A table's rows as ``jixiao.scoring`` reads a DataFrame (``to_dict("records")``), without
    building one: a form's dozen rows cost pandas more than their scoring."""

    def to_dict(self, orient: str = "records") -> list[dict[str, Any]]:
        return list(self)


class Data:
    """The tables the review's checks read (``projects``, ``indicators``), for one form; made into
    DataFrames only when a finding names a cell of them."""

    def __init__(self, projects: list[dict[str, Any]], indicators: list[dict[str, Any]]) -> None:
        self._rows = {"projects": projects, "indicators": indicators}
        self._frames: dict[str, pd.DataFrame] = {}

    def __getattr__(self, table: str) -> pd.DataFrame:
        if table.startswith("_") or table not in self._rows:
            raise AttributeError(table)
        if table not in self._frames:
            self._frames[table] = pd.DataFrame(self._rows[table])
        return self._frames[table]


# --------------------------------------------------------------------------- one form


def check(form: Form, ruleset: Any) -> dict[str, Any]:
    """The form's record: its figures as read, the rules' scores (``ruleset``: a
    :class:`jixiao.check.rules.RuleSet`), and every flag."""
    rules = ruleset.rules
    pid = project_id(form)
    converted = [_row(form, ind, pid, rules) for ind in form.indicators]
    rows = [r for r, _ in converted]
    row_flags = {r["indicator_id"]: list(f) for r, f in converted}
    frame = Rows(rows)
    form_flags: list[dict] = []
    problems: list[str] = [str(p) for p in form.problems]
    execution = None
    total_row = form.fund(FUND_TOTAL)
    if form.kind == DEPARTMENT:
        for r in rows:
            r["scope"] = scoring.DEPARTMENT_SCOPE
        score = scoring.score_department(frame, rules) if rows else None
        w = number(total_row.weight) if total_row else None
        if total_row is not None and w:
            execution = scoring.execution_score(number(total_row.full_year) or 0, number(total_row.executed) or 0, w)
        indicators = score.indicators if score else ()
        computed_total = scoring.round2(
            sum(Decimal(repr(x)) for x in [*(s.computed for s in indicators), execution.score if execution else 0])
        )
        scored = _Scored((), score, rules)
        weight_sum = scoring.round2(sum(Decimal(repr(s.weight)) for s in indicators) + Decimal(repr(w or 0)))
        if abs(weight_sum - 100) > TOLERANCE:
            parts = (f"预算执行率 {_f(w)} + " if w else "") + "各指标分值"
            form_flags.append(flag("weights", f"分值合计 {_f(weight_sum)}，应为 100（{parts}）", weight_sum, 100.0))
        data = Data([], rows)
    else:
        project = _project(form, pid, rows)
        score = scoring.score_project(project, frame, rules)
        execution = score.execution
        indicators = score.indicators
        computed_total = score.computed_total
        scored = _Scored((score,), None, rules)
        weights_flag = _project_weights(score.weights["execution"], rows)
        form_flags += [weights_flag] if weights_flag else []
        # the first levels' own sums are the rows' (the form prints no first-level weight), so only
        # a row's own weight is left to say (a first level of a newer form, 成本指标, is scored as any)
        problems += [p for p in score.weight_problems if p.endswith("的分值应大于 0")]
        if score.cap_rule:
            form_flags.append(flag("execution_cap", score.cap_rule, None, score.cap))
        data = Data([project], rows)

    for finding in _review(scored, data, ruleset):
        _place(finding, form_flags, row_flags, rows)
    defaults = [s for s in _in_form_order(form, indicators) if s.weight_default]
    if defaults:  # a total scored on weights the form never printed is a note, not a finding
        named = "、".join(f"「{s.name}」{_f(s.weight)} 分" for s in defaults)
        form_flags.insert(0, flag("default_weights", f"表中未列分值：{named}。{DEFAULT_WEIGHT_RULE}"))
        for f in form_flags:
            if f["code"] == "score_difference":
                f["level"], f["rule"] = NOTE, f["rule"] + "（分值按规则默认权重）"
    for s in indicators:
        row_flags[s.indicator_id] += _indicator_flags(s)
    form_flags += _funds(form, execution)
    form_flags += _totals(form, indicators, execution, computed_total, rules)

    records = []
    for ind, s in zip(form.indicators, _in_form_order(form, indicators), strict=True):
        records.append({
            "row": ind.row, "level1": text(ind.level1), "level2": text(ind.level2), "name": text(ind.name),
            "direction": ind.direction, "target": plain(ind.target), "actual": plain(ind.actual), "unit": ind.unit,
            "weight": s.weight if s.weight_default else number(ind.weight), "weight_default": s.weight_default,
            "reported_score": number(ind.score), "computed_score": s.computed,
            "rule": s.rule.split("；填报得分")[0], "deviation_reason": text(ind.deviation_reason), "core": ind.core,
            "flags": row_flags[s.indicator_id],
        })  # fmt: skip
    return {
        "file": form.file, "sheet": form.sheet, "top": form.top, "form": form.kind, "layout": form.layout,
        "year": form.year, "project": text(form.project), "department": text(form.department),
        "unit": text(form.unit), "funds": [_fund(f) for f in form.funds],
        "reported_total": number(form.total), "computed_total": computed_total,
        "reported_grade": text(form.grade), "computed_grade": scoring.grade(computed_total, rules),
        "indicators": records, "flags": form_flags, "problems": problems, "notes": list(form.notes),
    }  # fmt: skip


class _Scored:
    """What the review's score checks read of ``jixiao.scoring.Scores``: the projects, the department."""

    def __init__(self, projects: tuple, department: Any, rules: scoring.Rules | None = None) -> None:
        self.projects, self.department = projects, department
        self.rules = rules or scoring.DEFAULT_RULES


def _review(scored: _Scored, data: Data, ruleset: Any) -> list[Finding]:
    """The review's checks that fit one form (the report's ``jixiao.checks.scores``)."""
    return [
        *review.score_differences(scored, data),
        *review.indicator_flags(scored, data, ruleset),
        *review.low_execution(scored, data),
    ]


def _place(finding: Finding, form_flags: list[dict], row_flags: dict[str, list], rows: list[dict]) -> None:
    """A review finding as a flag, on its indicator's row (found by the input row its first
    number was read from) or on the form."""
    source = finding.numbers[0].source if finding.numbers else None
    index = getattr(source, "index", None)
    indicator = (
        rows[index]["indicator_id"] if getattr(source, "table", "") == "indicators" and index is not None else ""
    )
    if finding.kind == "score_difference":
        reported, computed = finding["reported"].value, finding["computed"].value
        gap = finding["gap"].value
        if finding.details.get("total"):
            rule = f"填报总分 {reported:.2f} 分，按规则计算 {computed:.2f} 分（相差 {gap:+.2f} 分）"
            form_flags.append(flag("score_difference", rule, reported, computed))
            return
        how = finding["computed"].source.expression
        rule = f"填报 {reported:.2f} 分，按规则计算 {computed:.2f} 分（相差 {gap:+.2f} 分）：{how}"
        row_flags[indicator].append(flag("score_difference", rule, reported, computed))
    elif finding.kind == "far_above":
        actual, tgt, ratio = finding["actual"].value, finding["target"].value, finding["ratio"].value
        limit = finding["limit"].value
        times = f"{scoring.round2(ratio):.2f}"
        rule = f"实际 {_f(actual)} 是目标 {_f(tgt)} 的 {times} 倍，超过 {_f(limit)} 倍，请复核目标是否偏低"
        row_flags[indicator].append(flag("far_above", rule, actual, tgt))
    elif finding.kind == "missing_actual":
        rule = f"实际完成值未填报，按 0 分计（分值 {_f(finding['weight'].value)} 分）"
        row_flags[indicator].append(flag("missing_actual", rule, None, 0.0))
    elif finding.kind == "low_execution":
        rate = finding["rate"].value
        rule = (f"预算执行率 {scoring.round2(rate * 100):.2f}%（全年执行数 {finding['executed'].value:.2f} ÷ "
                f"全年预算数 {finding['budget'].value:.2f}）低于 90%，需说明原因")  # fmt: skip
        form_flags.append(flag("low_execution", rule, None, rate))


def _in_form_order(form: Form, indicators: tuple) -> list[Any]:
    by_id = {s.indicator_id: s for s in indicators}
    return [by_id[f"r{ind.row}"] for ind in form.indicators]


def _met(s: Any) -> bool | None:
    """Whether the indicator met its target (None: cannot tell)."""
    if s.direction == "定性":
        return None if s.actual_grade is None else s.actual_grade == "达成"
    if s.actual is None or s.target is None:
        return None
    a, t = Decimal(repr(s.actual)), Decimal(repr(s.target))
    return {"≥": a >= t, "≤": a <= t, "=": a == t}[s.direction]


_OP = {"≥": "≥", "≤": "≤", "=": "="}


def _indicator_flags(s: Any) -> list[dict]:
    out = []
    if s.reported is not None and s.reported > s.weight + TOLERANCE:
        out.append(flag("over_weight", f"填报得分 {s.reported:.2f} 分高于分值 {_f(s.weight)} 分", s.reported, s.weight))
    if "no_target" in s.flags:
        out.append(flag("no_target", "年度指标值未填报或不是数字，无法计分，按 0 分计", None, 0.0))
    if "deviation" in s.flags:
        rule = next((part for part in s.rule.split("；") if "指标偏离" in part), s.rule)
        out.append(flag("deviation", rule, None, s.computed))
    if _met(s) is False and not s.deviation_reason:
        if s.direction == "定性":
            rule = f"完成档次「{s.actual_grade}」，未达成目标，未填写偏差原因"
        else:
            rule = f"实际 {_f(s.actual)} 未达到目标 {_OP[s.direction]}{_f(s.target)}，未填写偏差原因"
        out.append(flag("no_reason", rule, s.actual if s.direction != "定性" else s.actual_grade, s.target))
    return out


def _fund(f: Any) -> dict[str, Any]:
    return {"name": f.name, "initial": number(f.initial), "full_year": number(f.full_year),
            "executed": number(f.executed), "weight": number(f.weight), "rate": number(f.rate),
            "score": number(f.score)}  # fmt: skip


def _decimals(v: Value) -> int:
    """The decimals of a percentage as the form prints it (``98.53%`` → 2; a number → 2)."""
    m = re.search(r"\.(\d+)\s*%", v.text or "")
    return len(m.group(1)) if m else (0 if re.search(r"\d%", v.text or "") else 2)


def _funds(form: Form, execution: Any) -> list[dict]:
    out: list[dict] = []
    for f in form.funds:
        budget, spent = number(f.full_year), number(f.executed)
        if budget is not None and spent is not None and spent > budget + MONEY_TOLERANCE:
            out.append(flag("over_budget", f"{f.name}：全年执行数 {spent:.2f} 万元高于全年预算数 {budget:.2f} 万元",
                            spent, budget))  # fmt: skip
        printed = number(f.rate)
        if printed is not None and budget:
            d = _decimals(f.rate)
            rate = Decimal(repr(spent or 0)) / Decimal(repr(budget))
            shown = (rate * 100).quantize(Decimal(1).scaleb(-d), rounding="ROUND_HALF_UP")
            got = (Decimal(repr(printed)) * 100).quantize(Decimal(1).scaleb(-d), rounding="ROUND_HALF_UP")
            if shown != got:
                out.append(flag("execution_rate", f"{f.name}：执行率填报 {got}%，按全年执行数 {spent:.2f} ÷ 全年预算数 "
                                f"{budget:.2f} 计算为 {shown}%", printed, float(rate)))  # fmt: skip
    total = form.fund(FUND_TOTAL)
    if total is not None and execution is not None:
        printed = number(total.score)
        if printed is not None and abs(printed - execution.score) > TOLERANCE:
            out.append(flag("execution_score", f"执行率得分填报 {printed:.2f} 分；{execution.rule}", printed,
                            execution.score))  # fmt: skip
    parts = [f for f in form.funds if f.name != FUND_TOTAL]
    if total is not None and parts:
        for attr, label in AMOUNT_COLUMNS:
            values = [number(getattr(f, attr)) for f in parts]
            whole = number(getattr(total, attr))
            if whole is None or all(v is None for v in values):
                continue
            got = scoring.round2(sum(Decimal(repr(v or 0)) for v in values))
            if abs(got - whole) > MONEY_TOLERANCE:
                names = " + ".join(f"{f.name} {_f(v or 0)}" for f, v in zip(parts, values, strict=True))
                rule = f"{label}：{FUND_TOTAL} {whole:.2f} 万元，各项之和 {names} = {got:.2f} 万元"
                out.append(flag("funds_sum", rule, whole, got))
    return out


def _totals(form: Form, indicators: tuple, execution: Any, computed_total: float, rules: scoring.Rules) -> list[dict]:
    out: list[dict] = []
    reported = number(form.total)
    printed = [number(i.score) for i in form.indicators]
    total = form.fund(FUND_TOTAL)
    exec_printed = number(total.score) if total is not None else None
    if reported is not None and printed and all(p is not None for p in printed):
        parts = ([exec_printed] if exec_printed is not None else []) + printed
        got = scoring.round2(sum(Decimal(repr(p)) for p in parts))
        if abs(got - reported) > TOLERANCE:
            head = f"执行率得分 {_f(exec_printed)} + " if exec_printed is not None else ""
            out.append(
                flag("total_sum", f"总分填报 {reported:.2f} 分，{head}各指标得分之和为 {got:.2f} 分", reported, got)
            )
    grade = text(form.grade)
    if reported is not None and grade:
        should = scoring.grade(reported, rules)
        if grade != should:
            out.append(flag("grade", f"总分 {reported:.2f} 分应为「{should}」，填报「{grade}」", grade, should))
    return out
