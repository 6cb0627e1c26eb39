"""Section 总体情况: the score, the budget against its execution, which projects were
self-evaluated and what share of spending they cover, and how the years compare.

Every figure is a :class:`~jixiao.writing.provenance.Figure`: read from an input cell, or derived by a
formula whose inputs are themselves figures, so hovering any number in the report shows where it
comes from.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from jixiao import facts, formatting
from jixiao.inputs import schema
from jixiao.inputs.published import computed_key
from jixiao.scoring.weights import DEFAULT_WEIGHT_RULE
from jixiao.sections.report import Report
from jixiao.writing import charts
from jixiao.writing.provenance import (
    Figure,
    Html,
    confirm,
    escape,
    illustrative_note,
    is_illustrative,
    render,
    table_html,
)

GENERAL = "一般公共预算"
PROJECT = "项目支出"


def _wan(value: float) -> str:
    return formatting.wanyuan(value)


def _sum(figures: list[Figure], formula: str, label: str) -> Figure:
    total = round(sum(f.value or 0 for f in figures), 2)
    return Figure.derive(total, formula, figures, label=label, text=_wan(total))


def _ratio(part: Figure, whole: Figure, formula: str, label: str) -> Figure:
    value = part.value / whole.value if whole.value else None
    text = formatting.percent(value) if value is not None else formatting.MISSING
    return Figure.derive(value, formula, [part, whole], label=label, text=text)


def _column(report: Report, table: str, column: str, label: str, rows=None) -> list[Figure]:
    frame = getattr(report.data, table)
    index = frame.index if rows is None else rows
    return [Figure.cell(frame, i, column, label=label, fmt=_wan) for i in index]


# -- budget ------------------------------------------------------------------------------------


def _evaluated_rows(report: Report) -> list:
    """The rows of ``projects`` that were self-evaluated (a project or fund report's subject)."""
    projects = report.data.projects
    return list(projects.index[projects["self_evaluated"] == "是"])


def _total(report: Report, column: str, label: str) -> Figure:
    """The report's total of ``column``: over the budget lines, or, in a report on its evaluated
    projects (``kind.of_projects``: one project, one fund), over those projects."""
    if report.kind.of_projects:
        figures = _column(report, "projects", column, f"项目{label}", _evaluated_rows(report))
        return _sum(figures, f"自评项目{label}之和", label)
    return _sum(_column(report, "budget", column, label), f"各预算行{label}之和", label)


def total_budget(report: Report) -> Figure:
    return confirm(report, _total(report, "full_year_budget", "全年预算数"), computed_key("total_budget"))


def total_executed(report: Report) -> Figure:
    return confirm(report, _total(report, "executed", "全年执行数"), computed_key("total_executed"))


def execution_rate(report: Report, executed: Figure | None = None, budget: Figure | None = None) -> Figure:
    """全年执行数 ÷ 全年预算数 (the totals, when the caller has them already)."""
    executed = executed if executed is not None else total_executed(report)
    budget = budget if budget is not None else total_budget(report)
    rate = _ratio(executed, budget, "全年执行数 ÷ 全年预算数", "预算执行率")
    return confirm(report, rate, computed_key("execution_rate"))


# -- score -------------------------------------------------------------------------------------


def reported_total(report: Report) -> Figure | None:
    """The department's total score as the unit reported it (``profile.reported_total_score``),
    if it did."""
    profile = report.data.profile
    if "reported_total_score" not in profile.columns or not len(profile):
        return None
    index = profile.index[0]
    value = profile.at[index, "reported_total_score"]
    if value is None or value != value or value is pd.NA:
        return None
    return Figure.cell(profile, index, "reported_total_score", label="部门整体自评得分（填报）",
                       fmt=lambda v: f"{formatting.natural(v)}分")  # fmt: skip


def computed_score(report: Report) -> Figure | None:
    """The department's total derived from each indicator's score and rule; None without a
    department indicator table."""
    department = report.scores.department
    if department is None:
        return None
    parts = [_indicator_score(report, s) for s in department.indicators]
    figure = Figure.derive(
        department.final_total, "部门整体绩效指标得分之和", parts,
        label="按指标计算的部门整体支出绩效自评得分", text=f"{formatting.natural(department.final_total)}分",
    )  # fmt: skip
    # the same total wherever it is shown (the cover, 表2, the 自评表): the same published row confirms it
    return confirm(report, figure, computed_key("department_score"))


def scores_differ(report: Report) -> tuple[Figure, Figure] | None:
    """(reported, computed) when the unit reported a total that the indicators do not give."""
    return _differs(reported_total(report), computed_score(report))


def _differs(reported: Figure | None, computed: Figure | None) -> tuple[Figure, Figure] | None:
    if reported is None or computed is None or reported.value is None or computed.value is None:
        return None
    from jixiao import scoring

    return (reported, computed) if abs(reported.value - computed.value) > scoring.TOLERANCE else None


def department_score(report: Report) -> tuple[Figure, str]:
    """The department's total and grade. The reported total stands where the unit gave one (with
    the computed one as its input when there is a department indicator table); else the total
    derived from each indicator's score and rule; else the projects' weighted score."""
    reported, computed = reported_total(report), computed_score(report)
    label = report.kind.score_label
    if reported is not None:
        inputs = [reported] + ([computed] if computed is not None else [])
        if computed is None:
            formula = "填报得分（无部门整体绩效指标表，以单位填报的部门整体得分为准）"
        elif _differs(reported, computed):
            formula = "填报得分（与按部门整体绩效指标计算的得分不一致：两者均列出）"
        else:
            formula = "填报得分（与按部门整体绩效指标计算的得分一致）"
        # the reported total is what stands: it is as published or as illustrative as its cell
        figure = Figure.derive(reported.value, formula, inputs, label=label, text=reported.text).standing_for(reported)
        return confirm(report, figure, computed_key("department_score")), _grade(report, reported.value)
    if computed is not None:
        return confirm(
            report, replace(computed, label=label), computed_key("department_score")
        ), report.scores.department.grade
    from jixiao.sections.projects import all_project_figures, scores_supplied

    summary = report.scores.summary
    value = summary.score
    # computed from the projects' scores: supplied when any of them is (a row, an indicator, a default)
    scores = [replace(pf.total, label=f"{pf.name}得分") for pf in all_project_figures(report)]
    figure = Figure.derive(value, summary.formula, scores, label=label,
                           text=f"{formatting.natural(value)}分" if value is not None else "—",
                           illustrative=value is not None and scores_supplied(report))  # fmt: skip
    return figure, formatting.MISSING if value is None else _grade(report, value)


def _grade(report: Report, value: float) -> str:
    from jixiao import scoring

    return scoring.grade(value, report.rules)


def _differs_note(report: Report) -> Html:
    """``（按部门整体绩效指标计算为95.5分，与填报得分不一致）`` with its figure, or nothing."""
    pair = scores_differ(report)
    if pair is None:
        return Html("")
    _, computed = pair
    note = render("（按部门整体绩效指标计算为{computed}，与填报得分不一致）", {"computed": computed})
    return Html(f'<span class="jx-differs-note">{note}</span>')


def cover_values(report: Report) -> dict:
    """The report's score, its HTML (with the computed score beside a reported one that differs)
    and its grade, as the cover shows them."""
    figure, grade = department_score(report)
    return {"score": figure.value, "score_html": str(cover_score_html(report, figure)), "grade": grade}


def cover(report: Report) -> None:
    """Hand the report's score and grade to the build for the report's cover (a report without
    this section has the build compute them: ``engine.pipeline.cover_of``)."""
    facts.publish(**cover_values(report))


def cover_score_html(report: Report, figure: Figure | None = None) -> Html:
    """The cover's score: the figure that stands (``figure``, when the caller has it), and the
    computed one beside a reported one that differs (both numbers)."""
    figure = figure if figure is not None else department_score(report)[0]
    return Html(str(figure.html()) + str(_differs_note(report)))


# -- coverage of the self-evaluation -----------------------------------------------------------


@dataclass
class Coverage:
    fund_source: str
    count: Figure
    names: list[Figure]
    amount: Figure
    spending: Figure | None
    share: Figure | None


def coverage(report: Report) -> list[Coverage]:
    """Per fund source: the self-evaluated projects, their spending and its share of the fund
    source's project spending (the ``budget`` line of kind 项目支出)."""
    projects, budget = report.data.projects, report.data.budget
    evaluated = projects[projects["self_evaluated"] == "是"]
    result = []
    for fund_source, group in evaluated.groupby("fund_source", sort=False):
        names = [Figure.text_cell(projects, i, "project_name", label="项目名称") for i in group.index]
        rows = "、".join(f"{n}（{f} 第{r}行）" for n, f, r in zip(names, group["_file"], group["_row"], strict=True))
        count = Figure.derive(len(group), f"是否开展自评为“是”的项目个数：{rows}", [],
                              label=f"{fund_source}自评项目个数", text=f"{len(group)}个",
                              illustrative=any(is_illustrative(projects, i) for i in group.index))  # fmt: skip
        count = confirm(report, count, computed_key("evaluated_count", str(fund_source)))
        amount = _sum(
            _column(report, "projects", "executed", "项目全年执行数", group.index),
            "自评项目全年执行数之和", f"{fund_source}自评项目资金",
        )  # fmt: skip
        amount = confirm(report, amount, computed_key("evaluated_amount", str(fund_source)))
        lines = budget[(budget["fund_source"] == fund_source) & (budget["kind"] == PROJECT)]
        spending = share = None
        if len(lines):
            spending = _sum(
                _column(report, "budget", "executed", f"{fund_source}项目支出执行数", lines.index),
                f"预算表中{fund_source}项目支出执行数", f"{fund_source}项目支出总额",
            )  # fmt: skip
            share = _ratio(amount, spending, f"{amount.label} ÷ {spending.label}", "占项目支出总额比重")
            share = confirm(report, share, computed_key("evaluated_share", str(fund_source)))
        result.append(Coverage(str(fund_source), count, names, amount, spending, share))
    order = {GENERAL: 0}
    return sorted(result, key=lambda c: order.get(c.fund_source, 1))


def _coverage_sentence(c: Coverage) -> Html:
    quoted = [
        replace(n, text=n.text.replace('"', "‘", 1).replace('"', "’", 1)) for n in c.names
    ]  # quotes inside quotes
    names = "".join(
        f'<span class="jx-nobr">“{n.html(marker=False)}”{n.marker()}</span>' if n.marker() else f"“{n.html()}”"
        for n in quoted
    )  # 示 after the closing quote, never on a line of its own
    listing = "包括{names}等，" if names else ""
    text = f"对{{count}}{c.fund_source}项目支出开展绩效自评，{listing}共涉及资金{{amount}}"
    values: dict[str, Figure | Html] = {"count": c.count, "amount": c.amount, "names": Html(names)}
    if c.share is not None:
        text += f"，占{c.fund_source}项目支出总额的{{share}}"
        values["share"] = c.share
    return render(text, values)


def summary(report: Report) -> Html:
    """The opening paragraph, as the published report writes it, from the data."""
    score, _ = department_score(report)
    budget, executed = total_budget(report), total_executed(report)
    rate = execution_rate(report, executed, budget)
    kind = report.kind
    names = ""
    if kind.of_projects:  # the projects the report is about, by name
        projects = report.data.projects
        names = "、".join(f"“{projects.at[i, 'project_name']}”" for i in _evaluated_rows(report))
    lead = render(
        f"根据年初设定的绩效目标，{{unit_name}}{{year}}年{escape(names)}{kind.score_label}为{{score}}{{differs}}。"
        "全年预算数{budget}，执行数{executed}，完成预算的{rate}。",
        {"unit_name": report.unit_name, "year": report.year, "score": score, "differs": _differs_note(report),
         "budget": budget, "executed": executed, "rate": rate},
    )  # fmt: skip
    if kind.of_projects:
        from jixiao.sections.projects import level_sentence

        body = str(level_sentence(report))
    else:
        parts = [_coverage_sentence(c) for c in coverage(report)]
        body = "其中" + "；".join(parts) + "。" if parts else ""
    paragraph = f"<p>{lead}{body}</p>"
    change = _year_change(report)
    return Html(paragraph + (f"<p>{change}</p>" if change else ""))


def _year_change(report: Report) -> Html | None:
    previous = report.previous
    if previous is None:
        return None
    now = replace(total_budget(report), label="本年全年预算数")
    before = replace(total_budget(previous), label="上年全年预算数")
    diff = round((now.value or 0) - (before.value or 0), 2)
    change = Figure.derive(
        diff, "本年全年预算数 − 上年全年预算数", [now, before], label="全年预算数变动",
        text=formatting.change_phrase(now.value, before.value, "万元"),
    )  # fmt: skip
    rate = Figure.derive(
        diff / before.value if before.value else None, "(本年全年预算数 − 上年全年预算数) ÷ 上年全年预算数",
        [now, before], label="全年预算数同比", text=formatting.growth_phrase(now.value, before.value),
    )  # fmt: skip
    rate_now, rate_before = execution_rate(report), replace(execution_rate(previous), label="上年预算执行率")
    values: dict[str, Figure | str | int] = {"prev_year": previous.year, "change": change, "rate": rate,
                                             "prev_rate": rate_before, "rate_now": rate_now}  # fmt: skip
    text = "与{prev_year}年相比，全年预算数{change}" + ("，{rate}；" if rate.text else "；")
    if rate_now.value is None or rate_before.value is None:
        return render(text[:-1] + "。", values)
    verb, size = formatting.points_phrase(rate_now.value, rate_before.value)
    if not size:
        return render(text + "预算执行率与上年持平，均为{rate_now}。", values)
    values["points"] = Figure.derive(
        (rate_now.value - rate_before.value) * 100, "(本年预算执行率 − 上年预算执行率) × 100",
        [rate_now, rate_before], label="预算执行率变动（百分点）", text=size,
    )  # fmt: skip
    return render(text + f"预算执行率由{{prev_rate}}{verb}{{points}}至{{rate_now}}。", values)


def _ordered(budget) -> list:
    """The budget lines by fund source, then kind (人员经费 and 公用经费 beside each other), in the
    order of the data model's codes; lines keep their input order otherwise."""
    sources, kinds = list(schema.FUND_SOURCES), list(schema.KINDS)

    def key(i):
        fund_source, kind = budget.at[i, "fund_source"], budget.at[i, "kind"]
        return (sources.index(fund_source) if fund_source in sources else len(sources),
                kinds.index(kind) if kind in kinds else len(kinds))  # fmt: skip

    return sorted(budget.index, key=key)


def _funds_table(report: Report) -> Html:
    """The evaluated projects' funds against their execution, by 资金级次 (or 资金性质), with the
    execution rate and the total: a project or fund report's 预算执行情况."""
    from jixiao.sections.projects import fund_groups

    projects = report.data.projects
    rows = []
    for p in _evaluated_rows(report):
        name = projects.at[p, "project_name"]
        for group, shared, lines in fund_groups(report, str(projects.at[p, "project_id"])):
            if not lines:
                continue
            amounts = [
                _plain(_sum(_column(report, "project_funds", column, f"{group}{label}", lines),
                            f"{shared}{label}之和", f"{group}{label}"))
                for column, label in (("initial_budget", "年初预算数"), ("full_year_budget", "全年预算数"),
                                      ("executed", "全年执行数"))
            ]  # fmt: skip
            rows.append([name, group, *amounts, _ratio(amounts[2], amounts[1], "全年执行数 ÷ 全年预算数", "执行率")])
    rows_initial = _column(report, "projects", "initial_budget", "项目年初预算数", _evaluated_rows(report))
    total_initial = _sum(rows_initial, "自评项目年初预算数之和", "年初预算数")
    full, done = total_budget(report), total_executed(report)
    footer = ["合计", "", _plain(total_initial), _plain(full), _plain(done), execution_rate(report, done, full)]
    return table_html(
        rows, ["项目名称", "资金", "年初预算数（万元）", "全年预算数（万元）", "全年执行数（万元）", "执行率"],
        caption=f"{report.year}年资金执行情况", footer=footer,
    )  # fmt: skip


def budget_table(report: Report) -> Html:
    """Budget against execution by fund source and kind, with the execution rate and the total (in
    a project or fund report, its funds: :func:`_funds_table`)."""
    if report.kind.of_projects:
        return _funds_table(report)
    budget = report.data.budget
    rows = []
    for i in _ordered(budget):
        initial = Figure.cell(budget, i, "initial_budget", fmt=formatting.number)
        full = Figure.cell(budget, i, "full_year_budget", label="全年预算数", fmt=formatting.number)
        done = Figure.cell(budget, i, "executed", label="全年执行数", fmt=formatting.number)
        rows.append([budget.at[i, "fund_source"], budget.at[i, "kind"], initial, full, done,
                     _ratio(done, full, "全年执行数 ÷ 全年预算数", "执行率")])  # fmt: skip
    initial = _column(report, "budget", "initial_budget", "年初预算数")
    total_initial = _sum(initial, "各预算行年初预算数之和", "年初预算数")
    full, done = total_budget(report), total_executed(report)
    footer = ["合计", "", _plain(total_initial), _plain(full), _plain(done), execution_rate(report, done, full)]
    return table_html(
        rows, ["资金来源", "支出类型", "年初预算数（万元）", "全年预算数（万元）", "全年执行数（万元）", "执行率"],
        caption=f"{report.year}年预算执行情况", footer=footer,
    )  # fmt: skip


def _plain(figure: Figure) -> Figure:
    """The same figure written as a bare number, for a table whose header carries the unit."""
    return replace(figure, text=formatting.number(figure.value))


def budget_chart(report: Report):
    """全年预算数 and 全年执行数 by fund source and kind (nothing in a project or fund report: its
    funds table says it for its few rows)."""
    if report.kind.of_projects:
        return Html("")
    budget = report.data.budget
    order = _ordered(budget)
    labels = [f"{budget.at[i, 'fund_source']}\n{budget.at[i, 'kind']}" for i in order]
    series = {
        "全年预算数": _column(report, "budget", "full_year_budget", "全年预算数", order),
        "全年执行数": _column(report, "budget", "executed", "全年执行数", order),
    }
    flat = [label.replace("\n", "") for label in labels]
    return charts.grouped_bar(
        labels, series, title=f"{report.year}年预算与执行（按资金来源和支出类型）", ylabel="万元", unit="万元",
        alt=charts.series_alt_text("柱状图", flat, series, "万元"),
        caption=f"{report.year}年全年预算数与执行数" + illustrative_note([f for v in series.values() for f in v]),
    )  # fmt: skip


def department_block(report: Report) -> Html:
    """The department's own indicator table under its heading (部门整体支出绩效自评, or 评价 in an
    evaluation); nothing in a project or fund report, whose 自评表 is its project's."""
    if report.kind.of_projects:
        return Html("")
    return Html(f"<h3>{escape(report.kind.form_title)}</h3>\n{department_table(report)}")


def department_table(report: Report) -> Html:
    """The department's indicators: target, actual, weight, score, with the rule behind each score."""
    department = report.scores.department
    if department is None:
        reported = reported_total(report)
        if reported is not None:  # a unit that publishes only its total
            text = render(
                f"本部门未设部门整体绩效指标，{report.kind.score_label}以填报的{{score}}为准。", {"score": reported}
            )
            return Html(f"<p>{text}</p>")
        return Html('<p class="jx-note">未填报部门整体绩效指标（indicators 表中 scope 为 department 的行）。</p>')
    rows, weights = [], []
    for s in department.indicators:
        score = _indicator_score(report, s)
        qualitative = s.direction == "定性"
        target = s.target_text if qualitative else _cell(report, s, "target", "年度指标值", s.target, "")
        computed = computed_actual(report, s)
        given = _cell(report, s, "actual", "实际完成值", s.actual, "缺失")
        actual = s.actual_grade if qualitative else computed or given
        weight = _cell(report, s, "weight", "分值", s.weight, "")
        weights.append(weight)
        rows.append([s.level1, s.level2, s.name, s.direction, target, actual, s.measure_unit or "", weight, score])
    figure, grade = computed_score(report), department.grade
    full = sum(s.weight for s in department.indicators)
    if all(isinstance(w, Figure) for w in weights):
        full = Figure.derive(full, "各指标分值之和", weights, label="分值合计", text=formatting.natural(full))
    footer = ["合计", "", "", "", "", "", "", full, _bare_score(figure)]
    table = table_html(
        rows, ["一级指标", "二级指标", "三级指标", "指标性质", "年度指标值", "实际完成值", "度量单位", "分值", "得分"],
        caption=f"{report.kind.form_title}表（评价等级：{grade}）", footer=footer,
        numeric_columns=["分值", "得分"],
    )  # fmt: skip
    return Html(str(table) + '<p class="jx-hint jx-screen-only">将鼠标悬停在得分上，可查看计分规则和代入的数值。</p>')


def computed_actual(report: Report, s) -> Figure | None:
    """The actual of a department indicator computed from the budget table (``computed_actual``,
    e.g. 预算执行率 = 全年执行数 ÷ 全年预算数 × 100), derived from the budget's totals; else None."""
    from jixiao import scoring

    if not s.computed_actual or s.actual is None:
        return None
    minuend, subtrahend, denominator = scoring.BUDGET_MEASURES[s.computed_actual]
    whole = {"full_year_budget": total_budget, "executed": total_executed}  # confirmed as printed
    inputs = []
    for column in dict.fromkeys(c for c in (minuend, subtrahend, denominator) if c is not None):
        label = scoring.BUDGET_COLUMNS[column]
        if column in whole:
            inputs.append(replace(whole[column](report), label=label))
        else:
            inputs.append(_sum(_column(report, "budget", column, label), f"各预算行{label}之和", label))
    return Figure.derive(
        s.actual, scoring.measure_formula(s.computed_actual), inputs, label=f"「{s.name}」实际完成值",
        text=formatting.natural(s.actual),
    )  # fmt: skip


def _indicator_score(report: Report, s) -> Figure:
    """An indicator's score by its rule; a computed actual is one of its inputs."""
    from jixiao.sections.projects import indicator_figure

    score = indicator_figure(report, s)
    actual = computed_actual(report, s)
    return score if actual is None else replace(score, inputs=(actual, *score.inputs))


def _cell(report: Report, s, column: str, label: str, value: float | None, missing: str) -> Figure | str:
    """A department indicator's cell (年度指标值, 实际完成值, 分值) as the figure of its input row,
    so it is marked as every other cell of that row is; ``missing`` when blank."""
    indicators = report.data.indicators
    if value is None:
        return missing
    if column == "weight" and s.weight_default:  # the rules' default, never printed
        return Figure.default_value(
            value, DEFAULT_WEIGHT_RULE, label=f"「{s.name}」{label}", text=formatting.natural(value)
        )
    if not s.indicator_id or column not in indicators.columns:
        return formatting.natural(value)
    matches = indicators.index[indicators["indicator_id"].astype(str) == s.indicator_id]
    if len(matches) != 1 or pd.isna(indicators.at[matches[0], column]):
        return formatting.natural(value)
    return Figure.cell(indicators, matches[0], column, label=f"「{s.name}」{label}", text=formatting.natural(value))


def _natural(value: float | None, missing: str) -> str:
    return missing if value is None else formatting.natural(value)


def _bare_score(figure: Figure) -> Figure:
    """A total score as the official form writes it: two decimals, no 分."""
    return replace(figure, text=formatting.number(figure.value, 2))


def trend_chart(report: Report) -> charts.Chart:
    """全年预算数 and 全年执行数 over every year with data, as two lines."""
    history = report.history()
    years = [f"{r.year}年" for r in history]
    series = {"全年预算数": [total_budget(r) for r in history], "全年执行数": [total_executed(r) for r in history]}
    return charts.line(
        years, series, title="历年预算与执行", ylabel="万元", unit="万元",
        alt=charts.series_alt_text("折线图", years, series, "万元"),
        caption="历年全年预算数与执行数" + illustrative_note([f for v in series.values() for f in v]),
    )  # fmt: skip


def trend(report: Report) -> Html:
    """Budget and execution over every year with data, with the year-over-year change."""
    history = report.history()
    if len(history) < 2:
        return Html('<p class="jx-note">仅有本年度数据，暂无历年对比。</p>')
    chart = trend_chart(report)
    rows = []
    for before, now in zip([None, *history[:-1]], history, strict=True):
        b = total_budget(now)
        if before is None:
            change: Figure | str = formatting.MISSING
        else:
            a = total_budget(before)
            change = Figure.derive(
                (b.value - a.value) / a.value if a.value else None,
                f"({now.year}年全年预算数 − {before.year}年全年预算数) ÷ {before.year}年全年预算数",
                [replace(b, label=f"{now.year}年全年预算数"), replace(a, label=f"{before.year}年全年预算数")],
                label="全年预算数同比", text=formatting.yoy_phrase(b.value, a.value),
            )  # fmt: skip
        executed = total_executed(now)
        rows.append([f"{now.year}年", _plain(b), _plain(executed), execution_rate(now, executed, b), change])
    table = table_html(rows, ["年度", "全年预算数（万元）", "全年执行数（万元）", "执行率", "全年预算数同比"],
                       caption="历年预算执行对比")  # fmt: skip
    return Html(str(chart.html()) + str(table))


def keyed_figures(report: Report) -> list[tuple[str, Figure]]:
    """The figures of this section that a ``published`` row may name, with their keys
    (:func:`jixiao.checks.published.comparisons` computes them again to compare them with the published ones)."""
    figure, _ = department_score(report)
    budget, executed = total_budget(report), total_executed(report)
    keyed = [(computed_key("department_score"), figure), (computed_key("total_budget"), budget),
             (computed_key("total_executed"), executed),
             (computed_key("execution_rate"), execution_rate(report, executed, budget))]  # fmt: skip
    for c in coverage(report):
        keyed += [(computed_key("evaluated_count", c.fund_source), c.count),
                  (computed_key("evaluated_amount", c.fund_source), c.amount)]  # fmt: skip
        if c.share is not None:
            keyed.append((computed_key("evaluated_share", c.fund_source), c.share))
    return keyed


__all__ = [
    "budget_chart", "budget_table", "cover", "department_block", "department_table", "escape", "summary", "trend",
]  # fmt: skip
