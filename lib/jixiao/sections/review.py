"""Section 审核提示: the findings of :mod:`jixiao.checks` on a unit-year, worded for the finance
bureau's reviewer.

Each finding of a check becomes a :class:`Finding` here: what was found, stated with the figures
behind it (each a :class:`~jixiao.writing.provenance.Figure`: the input cell, the setting, or the
formula and its inputs, as the check's numbers say). :func:`findings` returns them, :func:`notes`
renders them as boxes (``jx-warning`` for what needs an answer, ``jx-note`` for what needs a look).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from jixiao import checks, formatting, paths
from jixiao.checks import Finding as Found
from jixiao.checks.amounts import CARRYOVER
from jixiao.checks.findings import NOTE, TITLES, WARNING, Cell, Formula, Number, Setting
from jixiao.inputs import schema
from jixiao.scoring import LOW_RATE
from jixiao.sections.report import Report
from jixiao.writing import provenance
from jixiao.writing.provenance import Figure, Html, Source, escape, render

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
    found: Found | None = None
    """The check's finding it words (:class:`jixiao.checks.Finding`: its subject and numbers as data)."""

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


# -- the check's numbers as figures -------------------------------------------------------------


def _t(text: object) -> str:
    """Text placed into a template: its braces doubled so they are not read as placeholders."""
    return str(text).replace("{", "{{").replace("}", "}}")


def _times(value: float) -> str:
    return f"{formatting.number(value, 1)}倍"


def _wan(value: float | None) -> str:
    return formatting.MISSING if value is None else formatting.wanyuan(value)


def _points(value: float) -> str:
    return f"{formatting.number(value, 2)}分"


def _figure(report: Report, n: Number, label: str, text: str, frame: Any = None) -> Figure:
    """The figure of a check's number: the input cell (read from ``frame``, by default the
    report's table, so that an illustrative row gives an illustrative figure), the setting, or,
    for a row the table does not hold, the cell as the scores cite it."""
    source = n.source
    if isinstance(source, Setting):
        return Figure(n.value, text, label, Source(source.file, column=source.path, column_label=label))
    if isinstance(source, Cell) and source.index is None:
        where = source.where
        return Figure(n.value, text, label, Source(where.file, where.sheet, where.row, source.column, label))
    if isinstance(source, Cell):
        frame = getattr(report.data, source.table) if frame is None else frame
        return Figure.cell(frame, source.index, source.column, label=label, text=text)
    return Figure(n.value, text, label)


def _stat(report: Report, n: Number, label: str = "") -> Figure:
    """A ``stats`` figure, written with its unit, qualifier and numerals; a sum of several with
    the first one's unit, labelled ``label``."""
    stats = report.data.stats
    if isinstance(n.source, Formula):
        parts = [_stat(report, i) for i in n.source.inputs]
        formula = " + ".join(f.label for f in parts)
        return Figure.derive(n.value, formula, parts, label=label, text=formatting.format_value(n.value, n.unit))
    assert isinstance(n.source, Cell)
    return Figure.stat(stats, stats.at[n.source.index, "key"])


def _row(report: Report, cell: Cell) -> Figure:
    """A narrative row cited by its row number, its source the row's text cell."""
    row = report.data.narrative.loc[cell.index]
    source = Source(str(row["_file"]), str(row["_sheet"] or ""), int(row["_row"]), "text", "内容")
    illustrative = str(row.get("source", "")).strip().lower() == "illustrative"
    return Figure(None, f"第{int(row['_row'])}行", "文字材料", source, illustrative=illustrative)


def _project(name: object) -> str:
    """``项目“临时救助”``; quotation marks inside the name become ‘’ (``项目“‘双百镇’社工”``)."""
    inner = str(name).replace('"', "‘", 1).replace('"', "’", 1).replace("“", "‘").replace("”", "’")
    return f"项目“{inner}”"


def _who(scope: str, project_name: str) -> str:
    """``项目“临时救助”`` for a project's score, ``部门整体`` for the department's."""
    return "部门整体" if scope == schema.DEPARTMENT else _project(project_name)


def _illustrative_rows(report: Report, scores: list[Any]) -> bool:
    """Whether any of the indicators' rows is marked illustrative."""
    ind = report.data.indicators
    ids = {s.indicator_id for s in scores}
    rows = ind[ind["indicator_id"].isin(ids)]
    return bool((rows["source"].astype(str).str.strip().str.lower() == "illustrative").any())


def _indicator_rows(scores: list[tuple[str, str, Any]]) -> str:
    """``name（file 第r行）、…`` for a formula's text."""
    return "、".join(
        f"{_who(scope, name)}指标“{s.name}”"
        + (f"（{s.provenance.file} 第{s.provenance.row}行）" if s.provenance else "")
        for scope, name, s in scores
    )


# -- each kind, worded --------------------------------------------------------------------------


def _unchecked(report: Report, f: Found) -> Finding:
    reason = f.details["reason"]
    if reason == "count":
        name, label = f.subject
        count = _stat(report, f.numbers[0])
        template = _t(f"{name}：{label}") + "的计数为{count}，无法计算单位成本。"
        return Finding("unchecked", NOTE, template, {"count": count}, subject=f"{name}：{label}")
    (where,) = f.subject
    if f.rows:  # an indicator's stats_key
        where = f"indicators 第{f.rows[0].where.row}行 stats_key"
    if reason == "project":
        text = (f"审核设置 {where} 引用的项目“{f.details['project']}”在{report.year}年项目表（projects）中不存在"
                "（按项目编码和项目名称均未找到），该项未检查。")  # fmt: skip
    elif reason == "units":
        units = "、".join(f.details["units"])
        text = f"审核设置 {where} 的指标键应为金额（万元），其中有计量单位为{units}的，该项未检查。"
    else:
        listed = "、".join(f.details["keys"])
        text = f"审核设置 {where} 引用的指标键 {listed} 在{report.year}年业务统计表（stats）中不存在，该项未检查。"
    return Finding("unchecked", NOTE, _t(text), subject=where)


def _unit_cost(report: Report, f: Found) -> Finding:
    name, label = f.subject
    low_label = f.details["low"]

    def cost(n: Number, item: str) -> tuple[Figure, Figure, Figure]:
        assert isinstance(n.source, Formula)
        amount, count = (_stat(report, i) for i in n.source.inputs)
        text = formatting.natural(n.value, COST_DECIMALS) + n.unit
        figure = Figure.derive(n.value, f"{amount.label} ÷ {count.label}", [amount, count], label=f"{item}单位成本",
                               text=text)  # fmt: skip
        return figure, amount, count

    cost_, amount, count = cost(f["cost"], label)
    low, low_amount, low_count = cost(f["low"], low_label)
    ratio = Figure.derive(
        f["ratio"].value, f"{cost_.label} ÷ {low.label}", [cost_, low],
        label=f"{label}与{low_label}单位成本之比", text=_times(f["ratio"].value),
    )  # fmt: skip
    limit = _figure(report, f["limit"], "单位成本倍数上限", f"{formatting.natural(f['limit'].value)}倍")
    return Finding(
        "unit_cost", WARNING,
        _t(f"{name}中，{label}的单位成本为") + "{cost}（{amount} ÷ {count}），是"
        + _t(low_label) + "{low}（{low_amount} ÷ {low_count}）的{ratio}，"
        "超过设定上限{limit}。请核实支出口径与计数口径。",
        {"cost": cost_, "amount": amount, "count": count, "low": low,
         "low_amount": low_amount, "low_count": low_count, "ratio": ratio, "limit": limit},
        subject=f"{name}：{label}",
    )  # fmt: skip


def _same_count(report: Report, f: Found) -> Finding:
    (label,) = f.subject
    *counted, gap_number = f.numbers
    figures = [_stat(report, n) for n in counted]
    by_name = {n.name: figure for n, figure in zip(counted, figures, strict=True)}
    assert isinstance(gap_number.source, Formula)
    high, low = (by_name[n.name] for n in gap_number.source.inputs)
    gap = Figure.derive(
        gap_number.value, f"{high.label} − {low.label}", [high, low], label=f"{label}之差",
        text=formatting.format_value(gap_number.value, gap_number.unit),
    )  # fmt: skip
    names = {f"f{j}": figure for j, figure in enumerate(figures)}
    listed = "，".join(_t(figure.label) + f"{{f{j}}}" for j, figure in enumerate(figures))
    return Finding(
        "same_count", WARNING,
        _t(f"{label}前后不一致：") + listed + "，相差{gap}。请核实哪一个数字正确。",
        {**names, "gap": gap}, subject=label,
    )  # fmt: skip


def _body_count(report: Report, f: Found) -> Finding:
    from jixiao.sections import profile  # here: only a unit whose count differs needs it

    given = _figure(report, f["given"], "内设机构数", formatting.count(f["given"].value, "个"))
    listed = profile.listed_institution_count(report)
    assert listed is not None
    gap = Figure.derive(
        abs(given.value - listed.value), f"|{given.label} − {listed.label}|", [given, listed],
        label="内设机构个数之差", text=formatting.count(abs(given.value - listed.value), "个"),
    )  # fmt: skip
    return Finding(
        "body_count", WARNING,
        "单位概况表填报内设机构数{given}，内设机构(institutions)所列机构为{listed}，相差{gap}。"
        "报告以填报的内设机构数为准，请核实哪一个正确。",
        {"given": given, "listed": listed, "gap": gap}, subject="内设机构",
    )  # fmt: skip


def _part_of(report: Report, f: Found) -> Finding:
    (label,) = f.subject
    part, whole = _stat(report, f["part"]), _stat(report, f["whole"])
    excess = Figure.derive(
        f["excess"].value, f"{part.label} − {whole.label}", [part, whole], label=f"{label}超出数",
        text=formatting.format_value(f["excess"].value, f["excess"].unit),
    )  # fmt: skip
    return Finding(
        "part_of", WARNING,
        _t(f"{label}。") + _t(part.label) + "{part}，多于" + _t(whole.label)
        + "{whole}，超出{excess}。请核实统计口径。",
        {"part": part, "whole": whole, "excess": excess}, subject=label,
    )  # fmt: skip


def _indicator_stat(report: Report, f: Found) -> Finding:
    scope, name = f.subject
    projects = report.data.projects
    if scope == schema.DEPARTMENT:
        who = "部门整体"
    else:
        names = projects.loc[projects["project_id"] == scope, "project_name"]
        who = _project(names.iloc[0] if len(names) else scope)
    subject = f"{who}指标“{name}”"
    unit = f["actual"].unit
    actual = _figure(report, f["actual"], f"{name}实际完成值", formatting.format_value(float(f["actual"].value), unit))
    stat = _stat(report, f["stat"], f"业务统计{name}")
    factor = f.details["factor"]
    scaled = _t(f"（即{formatting.format_value(f['expected'].value, unit)}）") if factor != 1 else ""
    scaled_label = f"{stat.label} × {factor}" if factor != 1 else stat.label
    gap = Figure.derive(
        f["gap"].value, f"|{actual.label} − {scaled_label}|", [actual, stat], label=f"{name}之差",
        text=formatting.format_value(f["gap"].value, unit),
    )  # fmt: skip
    figures = {"actual": actual, "stat": stat, "gap": gap}
    if stat.formula:  # a sum of several stats figures
        figures |= {f"s{j}": s for j, s in enumerate(stat.inputs)}
        stated = "（" + " + ".join(_t(s.label) + f"{{s{j}}}" for j, s in enumerate(stat.inputs)) + "）合计为{stat}"
    else:
        stated = "“" + _t(stat.label) + "”为{stat}"
    return Finding(
        "indicator_stat", WARNING,
        _t(f"{subject}的实际完成值为") + "{actual}，业务统计表中同一事项" + stated
        + scaled + "，相差{gap}。同一事项应为同一数字，请核实哪一个正确。",
        figures, subject=subject,
    )  # fmt: skip


def _project_amount(report: Report, f: Found) -> Finding:
    (name,) = f.subject
    amount = _stat(report, f["amount"], f"由{_project(name)}支出的业务统计金额合计")
    executed = _figure(report, f["executed"], f"{name}全年执行数", _wan(f["executed"].value))
    excess = Figure.derive(f["excess"].value, f"{amount.label} − {executed.label}", [amount, executed],
                           label="超出金额", text=_wan(f["excess"].value))  # fmt: skip
    figures = {"amount": amount, "executed": executed, "excess": excess}
    if not amount.formula:
        stated = _t(amount.label) + "{amount}"
    else:
        figures |= {f"a{j}": a for j, a in enumerate(amount.inputs)}
        stated = "、".join(_t(a.label) + f"{{a{j}}}" for j, a in enumerate(amount.inputs)) + "（合计{amount}）"
    return Finding(
        "project_amount", WARNING,
        "业务统计中的" + stated + _t(f"由{_project(name)}支出，") + "超过该项目全年执行数{executed}，超出{excess}。"
        "请核实项目资金或统计口径。",
        figures, subject=_project(name),
    )  # fmt: skip


def _carryover(report: Report, f: Found) -> Finding:
    (name,) = f.subject
    year, subject = f.details["year"], _project(name)
    carry = _figure(report, f["carry"], f"{name}上年结转资金", _wan(f["carry"].value))
    if f.level == NOTE:
        return Finding(
            "carryover", NOTE,
            _t(f"{subject}有{CARRYOVER}") + "{carry}"
            + _t(f"，但{year}年项目表（projects）中没有该项目（按项目编码和项目名称均未找到），无法核对上年结余。"),
            {"carry": carry}, subject=subject,
        )  # fmt: skip
    last = report.previous.data.projects  # type: ignore[union-attr]
    budget = _figure(report, f["budget"], f"{year}年全年预算数", _wan(f["budget"].value), last)
    spent = _figure(report, f["spent"], f"{year}年全年执行数", _wan(f["spent"].value), last)
    left = Figure.derive(f["left"].value, f"{budget.label} − {spent.label}", [budget, spent],
                         label=f"{year}年结余", text=_wan(f["left"].value))  # fmt: skip
    excess = Figure.derive(f["excess"].value, f"{carry.label} − {left.label}", [carry, left],
                           label="超出金额", text=_wan(f["excess"].value))  # fmt: skip
    return Finding(
        "carryover", WARNING,
        _t(f"{subject}{report.year}年{CARRYOVER}") + "{carry}，超过该项目" + _t(f"{year}年")
        + "的结余{left}（全年预算数{budget} − 全年执行数{spent}），多出{excess}。结转资金不应超过上年未支出的金额，"
        "请核实资金来源。",
        {"carry": carry, "left": left, "budget": budget, "spent": spent, "excess": excess}, subject=subject,
    )  # fmt: skip


def _score_difference(report: Report, f: Found) -> Finding:
    scope, project_name, item = f.subject
    who, is_total = _who(scope, project_name), f.details["total"]
    computed_rule = f["computed"].source
    assert isinstance(computed_rule, Formula)
    rule = "项目总分 = 预算执行率得分 + 各指标按规则计算的得分之和" if is_total else computed_rule.expression
    reported = _figure(report, f["reported"], f"{item}填报得分", _points(f["reported"].value))
    computed = Figure.derive(
        f["computed"].value, rule or "按规则计算", [], label=f"{item}按规则计算得分",
        text=_points(f["computed"].value),
        # computed on a weight the rules filled in (never printed): never published
        illustrative=reported.illustrative or bool(f.details.get("default_weight")),
    )  # fmt: skip
    gap = Figure.derive(f["gap"].value, f"{reported.label} − {computed.label}", [reported, computed],
                        label="得分差", text=f"{f['gap'].value:+.2f}分")  # fmt: skip
    subject = who if is_total else f"{who}指标“{item}”"
    return Finding(
        "score_difference", WARNING,
        _t(f"{subject}{'总分' if is_total else ''}") + "填报{reported}，按规则计算为{computed}（相差{gap}）。"
        + (_t(f"计分规则：{rule}。") if rule else ""),
        {"reported": reported, "computed": computed, "gap": gap}, subject=subject,
    )  # fmt: skip


def _total_score(report: Report, f: Found) -> Finding:
    reported = _figure(report, f["reported"], "部门整体自评得分(填报)", _points(f["reported"].value))
    assert isinstance(f["computed"].source, Formula)
    parts = [
        Figure.derive(p.value, p.source.expression, [], label=f"{p.name}得分", text=_points(p.value),
                      illustrative=reported.illustrative)
        for p in f["computed"].source.inputs if isinstance(p.source, Formula)
    ]  # fmt: skip
    computed = Figure.derive(f["computed"].value, "部门整体各项绩效指标得分之和", parts,
                             label="部门整体各指标得分之和", text=_points(f["computed"].value))  # fmt: skip
    gap = Figure.derive(f["gap"].value, f"{reported.label} − {computed.label}", [reported, computed],
                        label="得分差", text=f"{f['gap'].value:+.2f}分")  # fmt: skip
    return Finding(
        "total_score", WARNING,
        "部门整体自评得分填报{reported}，" + _t(f"按{len(parts)}项部门整体绩效指标的得分合计为")
        + "{computed}（相差{gap}）。请核实填报的总分或各指标得分。",
        {"reported": reported, "computed": computed, "gap": gap}, subject="部门整体",
    )  # fmt: skip


def _far_above(report: Report, f: Found) -> Finding:
    scope, project_name, name = f.subject
    subject, unit = f"{_who(scope, project_name)}指标“{name}”", f["actual"].unit
    actual = _figure(report, f["actual"], f"{name}实际完成值", formatting.format_value(f["actual"].value, unit))
    target = _figure(report, f["target"], f"{name}年度指标值", formatting.format_value(f["target"].value, unit))
    ratio = Figure.derive(f["ratio"].value, f"{actual.label} ÷ {target.label}", [actual, target],
                          label="实际与目标之比", text=_times(f["ratio"].value))  # fmt: skip
    limit = _figure(report, f["limit"], "远超目标倍数", f"{formatting.natural(f['limit'].value)}倍")
    return Finding(
        "far_above", NOTE,
        _t(subject) + "实际完成值{actual}，为年度指标值{target}的{ratio}，超过{limit}。"
        "规则未规定扣分公式，请判断目标是否设定偏低。",
        {"actual": actual, "target": target, "ratio": ratio, "limit": limit}, subject=subject,
    )  # fmt: skip


def _missing_actual(report: Report, f: Found) -> Finding:
    scope, project_name, name = f.subject
    subject = f"{_who(scope, project_name)}指标“{name}”"
    weight = _figure(report, f["weight"], f"{name}分值", f"{formatting.natural(f['weight'].value)}分")
    cell = f["weight"].source
    where = Source(cell.where.file, cell.where.sheet, cell.where.row).describe() if isinstance(cell, Cell) else ""
    return Finding(
        "missing_actual", WARNING,
        _t(subject) + "未填报实际完成值" + (_t(f"（{where}）") if where else "")
        + "，按规则计0分，该指标分值{weight}全部失去。请补填或说明原因。",
        {"weight": weight}, subject=subject,
    )  # fmt: skip


def _target_equals_actual(report: Report, f: Found) -> Finding:
    compared, equal = list(f.details["compared"]), list(f.details["equal"])
    illustrative = _illustrative_rows(report, [s for _, _, s in compared])
    n = Figure.derive(f["n"].value, "指标性质为 ≥ 或 ≤、目标不是 100%（≥）或 0（≤）、填有实际完成值的定量指标："
                      + _indicator_rows(compared), [], label="参与比较的定量指标个数",
                      text=f"{f['n'].value}个", illustrative=illustrative)  # fmt: skip
    k = Figure.derive(f["k"].value, "实际完成值等于年度指标值的指标：" + _indicator_rows(equal), [],
                      label="实际等于目标的指标个数", text=f"{f['k'].value}个", illustrative=illustrative)  # fmt: skip
    share = Figure.derive(f["share"].value, f"{k.label} ÷ {n.label}", [k, n], label="实际等于目标的比重",
                          text=formatting.percent(f["share"].value))  # fmt: skip
    limit = _figure(report, f["limit"], "实际等于目标比重上限", formatting.percent(f["limit"].value))
    examples = "、".join(
        f"{_who(scope, name)}指标“{s.name}”（目标{formatting.format_value(s.target, s.measure_unit or '')}，"
        f"实际{formatting.format_value(s.actual, s.measure_unit or '')}）"
        for scope, name, s in equal[:3]
    )
    more = "等" if len(equal) > 3 else ""
    return Finding(
        "target_equals_actual", NOTE,
        "{n}定量指标中有{k}的实际完成值与年度指标值完全相同（占{share}，超过{limit}），如"
        + _t(examples + more) + "。年度指标值可能是按完成情况事后填写的，请核实是否为年初设定的目标。",
        {"n": n, "k": k, "share": share, "limit": limit}, subject="实际等于目标",
    )  # fmt: skip


def _all_full_marks(report: Report, f: Found) -> Finding:
    scores = report.scores
    n_projects = len(scores.projects)
    who = (["部门整体"] if scores.department is not None else []) + ([f"{n_projects}个自评项目"] if n_projects else [])
    named = [(_project(p.project_name), p) for p in scores.projects]
    named += [("部门整体", scores.department)] if scores.department is not None else []
    parts = "；".join(f"{name}{len(score.indicators)}个" for name, score in named)
    total = f["count"].value
    illustrative = _illustrative_rows(report, [s for _, score in named for s in score.indicators])
    count = Figure.derive(total, f"各自评表的绩效指标个数之和：{parts}", [], label="绩效指标个数", text=f"{total}个",
                          illustrative=illustrative)  # fmt: skip
    return Finding(
        "all_full_marks", NOTE,
        _t("和".join(who)) + "的全部{count}绩效指标均得满分，没有一项扣分。"
        "全部满分的自评较少见，请核实年度指标值与实际完成值是否如实反映绩效。",
        {"count": count}, subject="全部指标",
    )  # fmt: skip


def _low_execution(report: Report, f: Found) -> Finding:
    _, project_name, _ = f.subject
    executed = _figure(report, f["executed"], "全年执行数", formatting.wanyuan(f["executed"].value))
    budget = _figure(report, f["budget"], "全年预算数", formatting.wanyuan(f["budget"].value))
    rate = Figure.derive(f["rate"].value, "全年执行数 ÷ 全年预算数", [executed, budget], label="预算执行率",
                         text=formatting.percent(f["rate"].value))  # fmt: skip
    subject = f"项目“{project_name}”"
    return Finding(
        "low_execution", WARNING,
        _t(subject) + "预算执行率{rate}（全年执行数{executed} ÷ 全年预算数{budget}），"
        + _t(f"低于{formatting.percent(LOW_RATE)}，") + "按规定应在自评表中说明原因。",
        {"rate": rate, "executed": executed, "budget": budget}, subject=subject,
    )  # fmt: skip


def _repeated_text(report: Report, f: Found) -> Finding:
    section, i, j = f.subject
    titles = report.data.narrative.query("kind == 'title'").set_index("section")["text"].to_dict()
    first, second = (_row(report, cell) for cell in f.rows)
    similarity = Figure.derive(
        f["similarity"].value, "两句文字的相似度（difflib.SequenceMatcher.ratio）", [first, second],
        label="相似度", text=formatting.percent(f["similarity"].value, 0),
    )  # fmt: skip
    clause = f.details["clause"]
    return Finding(
        "repeated_text", NOTE,
        _t(f"「{titles.get(section, section)}」一节")
        + "文字材料{first}与{second}有近乎相同的句子（相似度{similarity}）：“"
        + _t(clause[:40] + ("…" if len(clause) > 40 else "")) + "”。请删去重复或改写。",
        {"first": first, "second": second, "similarity": similarity}, subject=f"{section}:{i}:{j}",
    )  # fmt: skip


def _status_conflict(report: Report, f: Found) -> Finding:
    (subject,) = f.subject
    return Finding(
        "status_conflict", NOTE,
        "文字材料{row}" + _t(f"先写“完成……{subject}”，又写“{f.details['phrase']}”，完成情况前后不一。请核实表述。"),
        {"row": _row(report, f.rows[0])}, subject=subject,
    )  # fmt: skip


def _side(report: Report, n: Number, label: str, unit: str) -> Figure:
    """A target or actual as the 自评表 writes it: a number with its unit, a 定性 one's text (its
    cell as a text figure)."""
    source = n.source
    if isinstance(n.value, str) and isinstance(source, Cell) and source.index is not None:
        return Figure.text_cell(getattr(report.data, source.table), source.index, source.column, label=label)
    return _figure(report, n, label, formatting.format_value(n.value, unit))


def _goal_indicator(report: Report, f: Found) -> Finding:
    d = f.details
    name, unit = d["indicator"], f["actual"].unit
    subject = f"{_who(d['scope'], d['project_name'])}指标“{name}”"
    goals = report.data.goals
    completion = Figure.text_cell(goals, f.rows[0].index, "completion")
    actual = _side(report, f["actual"], f"{name}实际完成值", unit)
    target = _side(report, f["target"], f"{name}年度指标值", unit)
    weight = _figure(report, f["weight"], f"{name}分值", f"{formatting.natural(f['weight'].value)}分")
    score = Figure.derive(f["score"].value, str(f["score"].source.expression), [actual, target, weight],
                          label=f"{name}得分", text=_points(f["score"].value))  # fmt: skip
    said = "得满分" if d["met"] else "未得满分"
    return Finding(
        "goal_indicator", WARNING,
        _t(f"年度绩效目标“{d['goal']}”的完成情况为“") + "{completion}" + _t("”，而衡量它的" + subject)
        + "实际完成值{actual}（年度指标值{target}），" + _t(said) + "（{score}，分值{weight}）。"
        "两者不能同时属实：请核实指标的实际完成值或目标的完成情况，并使自评结论与之一致。",
        {"completion": completion, "actual": actual, "target": target, "weight": weight, "score": score},
        subject=f"{d['goal']}:{name}",
    )  # fmt: skip


def _published(report: Report, f: Found) -> Finding:
    (key,) = f.subject
    printed, cell = f.details["printed"], f.numbers[0].source
    if isinstance(cell, Cell):
        frame = getattr(report.data, cell.table)
        text = printed.value is None
        figure = (Figure.text_cell if text else Figure.cell)(frame, cell.index, cell.column)
    else:
        from jixiao.sections import overview  # here: only a computed figure that differs needs it

        figure = dict(overview.keyed_figures(report))[key]
    what = printed.label or figure.label
    ask = "。请核实输入数据或公开数字表（published）。"
    if figure.source is not None:
        template = (_t(f"{figure.source.describe()} 的“") + "{figure}"
                    + _t(f"”与公开报告所印的{what}“{printed.shown}”（{printed.where}）不一致{ask}"))  # fmt: skip
    else:
        template = (_t(f"计算得出的{what}（") + "{figure}"
                    + _t(f"）与公开报告所印的{printed.shown}（{printed.where}）不一致{ask}"))  # fmt: skip
    return Finding("published", WARNING, template, {"figure": figure}, subject=key)


WORDING: dict[str, Callable[[Report, Found], Finding]] = {
    "unit_cost": _unit_cost,
    "same_count": _same_count,
    "body_count": _body_count,
    "part_of": _part_of,
    "indicator_stat": _indicator_stat,
    "project_amount": _project_amount,
    "carryover": _carryover,
    "score_difference": _score_difference,
    "total_score": _total_score,
    "far_above": _far_above,
    "missing_actual": _missing_actual,
    "target_equals_actual": _target_equals_actual,
    "all_full_marks": _all_full_marks,
    "low_execution": _low_execution,
    "repeated_text": _repeated_text,
    "status_conflict": _status_conflict,
    "goal_indicator": _goal_indicator,
    "published": _published,
    "unchecked": _unchecked,
}
"""How each kind of finding is written."""


# -- the section --------------------------------------------------------------------------------


def _last_year(report: Report) -> tuple[int, Any] | None:
    previous = report.previous
    return None if previous is None else (previous.year, previous.data.projects)


def findings(report: Report) -> list[Finding]:
    """Every finding of :func:`jixiao.checks.run` on the report's data, worded, in the order of
    :data:`~jixiao.checks.findings.TITLES` (unchecked ones last)."""
    printed = provenance.published_table(paths.data_dir(report.unit, report.year))
    found = checks.run(report.data, report.scores, report.settings, printed, lambda: _last_year(report))
    return [replace(WORDING[f.kind](report, f), found=f) for f in found]


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
    profile = report.data.profile
    if len(profile) and {"body_count", "institutions"} <= set(profile.columns):
        first = profile.iloc[0]
        if not pd.isna(first["body_count"]) and str(first["institutions"] or "").strip():
            parts.append("内设机构数与所列机构")
    indicators = report.data.indicators
    if "stats_key" in indicators.columns:
        linked = int((indicators["stats_key"].astype(str).str.strip() != "").sum())
        if linked:
            parts.append(f"自评表与业务统计数字{linked}项")
    goals = report.data.goals
    if "indicator_id" in goals.columns:
        linked = int((goals["indicator_id"].astype(str).str.strip() != "").sum())
        if linked:
            parts.append(f"年度绩效目标与衡量它的指标{linked}项")
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
