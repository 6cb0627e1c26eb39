"""Section 项目支出绩效自评: which projects were self-evaluated, what they spent, how they scored,
and each project's 项目支出绩效自评表 laid out like the official form.

Every number is a :class:`~jixiao.writing.provenance.Figure`: amounts are cells of ``projects`` or
``project_funds``, rates are derived (全年执行数 ÷ 全年预算数), and every score is derived with the
scoring rule as its formula (:mod:`jixiao.scoring`), so hovering a score shows the rule with its
numbers and the cells they came from. Where the unit's reported score differs from the computed
one, the reported one stands and both are shown (see ``docs/scoring.md``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from jixiao import formatting, scoring
from jixiao.inputs import schema
from jixiao.inputs.parts import positions
from jixiao.inputs.published import computed_key
from jixiao.scoring import FLAG_TEXT, IndicatorScore, ProjectScore
from jixiao.scoring.weights import DEFAULT_WEIGHT_RULE
from jixiao.sections.report import Report, remember
from jixiao.writing import charts
from jixiao.writing.provenance import (
    ILLUSTRATIVE,
    Figure,
    Html,
    confirm,
    escape,
    illustrative_note,
    render,
    table_html,
)

FUND_TYPES = ("当年财政拨款", "上年结转资金", "其他资金")
"""The 其中 rows of the funds block, in the form's order."""
FORM_COLUMNS = (
    "一级指标", "二级指标", "三级指标", "指标性质", "年度指标值", "度量单位",
    "实际完成值", "分值", "得分", "偏差原因分析及改进措施",
)  # fmt: skip
"""The indicator columns of the form; the whole form is laid out on this 10-column grid."""
FUND_COLUMNS = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
"""The columns of the form's funds block (万元)."""
TABLE_COLUMNS = (
    "项目名称", "资金来源", "全年预算数（万元）", "全年执行数（万元）", "执行率", "得分", "等级",
)  # fmt: skip
GENERAL = "一般公共预算"
TABLE_OPEN = '<table class="jx-table jx-project-table">'
"""The project table's tag (report.css keeps room for the project names)."""


# -- small helpers -----------------------------------------------------------------------------


def _bare(value: float | None) -> str:
    """A weight as the form writes it: 100, 17.5."""
    return formatting.MISSING if value is None else formatting.natural(value)


def _score(value: float | None) -> str:
    """A score as the official 自评表 writes it: two decimals (100.00, 19.75, 87.70)."""
    return formatting.MISSING if value is None else formatting.number(value, 2)


def _differ(a: float | None, b: float | None) -> bool:
    return a is not None and b is not None and abs(a - b) > scoring.TOLERANCE


def _index(frame: pd.DataFrame, column: str, key: str) -> Any:
    """The index of the row whose ``column`` is ``key`` (ids are unique: validated on input), found
    through the table's index of values made once (a section looks rows up hundreds of times)."""
    found = positions(frame, column).get(key, [])
    if len(found) != 1:
        raise KeyError(f"{len(found)} rows with {column} {key!r}")
    return frame.index[found[0]]


def _blank(value: Any) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value)) or str(value) == ""


def _text(frame: pd.DataFrame, index: Any, column: str) -> str:
    if column not in frame.columns:
        return ""
    value = frame.at[index, column]
    return "" if _blank(value) else str(value).strip()


def _sum(figures: Sequence[Figure], formula: str, label: str, fmt=formatting.wanyuan) -> Figure:
    total = round(sum(f.value or 0 for f in figures), 2)
    return Figure.derive(total, formula, figures, label=label, text=fmt(total))


def _rate(executed: Figure, budget: Figure, label: str = "执行率") -> Figure:
    """全年执行数 ÷ 全年预算数 (the inputs must carry those two labels)."""
    value = executed.value / budget.value if budget.value else None
    text = formatting.percent(value) if value is not None else formatting.MISSING
    formula = "全年执行数 ÷ 全年预算数"
    return Figure.derive(value, formula, [executed, budget], label=label, text=text)


def _flag(codes: Sequence[str], detail: str = "") -> Html:
    """A small marker whose tooltip says what each flag means (``scoring.FLAG_TEXT``)."""
    if not codes:
        return Html("")
    text = "；".join(FLAG_TEXT.get(c, c) for c in codes)
    if detail:
        text += f"（{detail}）"
    return Html(f'<span class="jx-flag" title="{escape(text)}">!</span>')


def _illustrative(report: Report, ids: Sequence[str]) -> bool:
    projects = report.data.projects
    rows = projects[projects["project_id"].astype(str).isin(ids)]
    return bool(rows.get("source", pd.Series(dtype=str)).astype(str).str.strip()
                .str.lower().eq("illustrative").any())  # fmt: skip


# -- the scores as figures ---------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectFigures:
    """One evaluated project: its score and the figures the table and the form show."""

    score: ProjectScore
    index: Any
    """Its row's index in ``report.data.projects``."""
    initial: Figure
    budget: Figure
    executed: Figure
    rate: Figure
    execution_weight: Figure
    execution: Figure
    indicators: tuple[Figure, ...]
    total: Figure
    """The total that stands (reported if given), derived from the parts."""
    differs: bool
    """The total that stands is not the one the rules give."""

    @property
    def name(self) -> str:
        """The project's name, its quotes made Chinese (“双百镇”社工)."""
        return formatting.quotes(self.score.project_name)


def indicator_figure(report: Report, s: IndicatorScore) -> Figure:
    """An indicator's score, derived by its rule from the cells of its row."""
    ind = report.data.indicators
    inputs: list[Figure] = []
    if s.indicator_id is not None:
        i = _index(ind, "indicator_id", s.indicator_id)
        # labels the rule text never contains, so the rule is shown as written
        columns = (("target", "年度指标值"), ("actual", "实际完成值"), ("weight", "分值"),
                   ("reported_score", "填报得分"))  # fmt: skip
        for column, label in columns:
            if column == "weight" and s.weight_default:  # scored on the rules' default: never published
                inputs.append(replace(_default_weight(s), label=f"「{s.name}」{label}"))
            elif column in ind.columns and not _blank(ind.at[i, column]):
                inputs.append(Figure.cell(ind, i, column, label=f"「{s.name}」{label}"))
    text = _score(s.score)
    if s.differs:
        text = f"{_score(s.score)}（计算 {_score(s.computed)}）"
    return Figure.derive(s.score, s.rule, inputs, label=f"{s.name}得分", text=text)


def _shallow(figure: Figure, label: str) -> Figure:
    """A part of a sum: the number and its rule, without the cells (keeps tooltips short)."""
    return replace(figure, text=_score(figure.value), label=label, source=None, inputs=())


def _unique(labels: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label}（{seen[label]}）")
    return out


def _score_sum(parts: list[Figure], value: float, label: str, cap: float | None = None) -> Figure:
    """The sum of ``parts``; capped at ``cap`` (``scoring.execution_caps``) where the total is the cap."""
    labels = _unique([p.label for p in parts])
    parts = [replace(p, label=lab) for p, lab in zip(parts, labels, strict=True)]
    formula = " + ".join(labels)
    if cap is not None and value == cap:
        formula = f"min({formula}, 预算执行率对应的总分上限 {_bare(cap)})"
    return Figure.derive(value, formula, parts, label=label, text=_score(value))


def project_figures(report: Report, p: ProjectScore) -> ProjectFigures:
    """The figures of one evaluated project (amounts, rate, execution and indicator scores)."""
    projects = report.data.projects
    i = _index(projects, "project_id", p.project_id)
    number = formatting.number
    initial = Figure.cell(projects, i, "initial_budget", label="年初预算数", fmt=number)
    budget = Figure.cell(projects, i, "full_year_budget", label="全年预算数", fmt=number)
    executed = Figure.cell(projects, i, "executed", label="全年执行数", fmt=number)
    rate = _rate(executed, budget)
    if "weight_execution" in projects.columns and not _blank(projects.at[i, "weight_execution"]):
        weight = Figure.cell(projects, i, "weight_execution", label="预算执行率分值", fmt=_bare)
    else:
        weight = Figure.default_value(p.execution.weight, "未填报预算执行率分值，取本单位设置的默认分值",
                                      label="预算执行率分值", text=_bare(p.execution.weight))  # fmt: skip
    execution = Figure.derive(
        p.execution.score, p.execution.rule,
        [replace(executed, label="项目全年执行数"), replace(budget, label="项目全年预算数"), weight],
        label="预算执行率得分", text=_score(p.execution.score),
    )  # fmt: skip
    indicators = tuple(indicator_figure(report, s) for s in p.indicators)

    parts = [_shallow(execution, "预算执行率得分")]
    parts += [_shallow(f, f"{s.name}得分") for s, f in zip(p.indicators, indicators, strict=True)]
    computed_parts = [parts[0]] + [
        Figure.derive(
            s.computed, s.rule, [], label=f"{s.name}得分", text=_score(s.computed), illustrative=f.illustrative
        )
        for s, f in zip(p.indicators, indicators, strict=True)
    ]
    stands = _score_sum(parts, p.total, "得分", p.cap)
    differs = _differ(p.final_total, p.computed_total)
    reported = None
    if p.reported_total is not None:
        reported = Figure.cell(projects, i, "reported_score", label="填报总分", fmt=_bare)
    if not differs and reported is None:
        total = stands
    elif not differs:  # the reported total stands (it is what the grade is given on), and agrees with the rules
        total = Figure.derive(
            p.final_total, "填报总分（与按规则计算的总分一致）", [reported, stands], label="得分",
            text=_score(p.final_total),
        ).standing_for(reported)  # the reported total stands: printed or supplied as its cell is  # fmt: skip
    else:
        computed = _score_sum(computed_parts, p.computed_total, "计算总分", p.cap)
        claimed = reported if reported is not None else replace(stands, label="填报总分")
        total = Figure.derive(
            p.final_total, "填报总分（按规则计算：计算总分）", [claimed, computed], label="得分",
            text=_score(p.final_total),
        )  # fmt: skip
        total = total.standing_for(reported) if reported is not None else total
    return ProjectFigures(p, i, initial, budget, executed, rate, weight, execution, indicators,
                          total, differs)  # fmt: skip


def all_project_figures(report: Report) -> list[ProjectFigures]:
    """Every self-evaluated project, in the order of the projects table; made once per report
    (the summary, the table, the chart and the 自评表 all show them)."""
    return remember(report, "project_figures", lambda: [project_figures(report, p) for p in report.scores.projects])


def scores_supplied(report: Report) -> bool:
    """Whether any project's score is computed from a supplied figure (a row of ``projects`` or
    of its indicators, or a default 分值): then so is every figure computed from the scores (their
    mean, their range, the grades counted)."""
    return any(pf.total.state == ILLUSTRATIVE for pf in all_project_figures(report))


def _score_cell(pf: ProjectFigures) -> Html:
    """The project's score; a differing one is marked and gives both numbers."""
    if not pf.differs:
        return pf.total.html()
    p = pf.score
    detail = f"填报 {_score(p.final_total)}，按规则计算 {_score(p.computed_total)}"
    return Html(f'<span class="jx-differs">{pf.total.html()}{_flag(["differs"], detail)}</span>')


# -- summary -----------------------------------------------------------------------------------


def summary(report: Report) -> Html:
    """One paragraph: projects evaluated (by fund source), their spending, the spending-weighted
    mean score with its formula, how many got each grade, and reported-vs-computed differences."""
    figures = all_project_figures(report)
    if not figures:
        return Html('<p class="jx-note">本年度没有开展绩效自评的项目（projects 表中'
                    "是否开展自评均为“否”）。</p>")  # fmt: skip
    by_source: dict[str, list[ProjectFigures]] = {}
    for pf in figures:
        by_source.setdefault(pf.score.fund_source or "未注明资金来源", []).append(pf)
    order = sorted(by_source, key=lambda s: 0 if s == GENERAL else 1)
    ids = [pf.score.project_id for pf in figures]
    illustrative = _illustrative(report, ids)
    # the scores are computed from the projects' rows and their indicators' (and a default 分值)
    scores_supplied = any(pf.total.state == ILLUSTRATIVE for pf in figures)

    def listing(group: list[ProjectFigures]) -> str:
        return "、".join(f"{pf.name}（第{pf.executed.source.row}行）" for pf in group
                        if pf.executed.source)  # fmt: skip

    count = Figure.derive(len(figures), f"是否开展自评为“是”的项目：{listing(figures)}", [],
                          label="自评项目个数", text=f"{len(figures)}个", illustrative=illustrative)  # fmt: skip
    values: dict[str, Any] = {"year": report.year, "unit": report.unit_name, "count": count}
    counts, amounts = [], []
    for k, source in enumerate(order):
        group = by_source[source]
        values[f"n{k}"] = confirm(report, Figure.derive(
            len(group), f"资金来源为{source}的自评项目：{listing(group)}", [],
            label=f"{source}自评项目个数", text=f"{len(group)}个",
            illustrative=_illustrative(report, [pf.score.project_id for pf in group]),
        ), computed_key("evaluated_count", source))  # fmt: skip
        values[f"a{k}"] = _evaluated_amount(report, source, group)
        counts.append(f"{source}项目{{n{k}}}")
        amounts.append(f"{source}{{a{k}}}")
    values["total"] = evaluated_total(report, figures)
    weighted = report.scores.summary
    values["mean"] = Figure.derive(
        weighted.score, weighted.formula, [], label="项目加权平均得分",
        text=f"{_bare(weighted.score)}分", illustrative=scores_supplied,
    )  # fmt: skip
    grades = []
    for _, grade in report.rules.grades:
        named = [pf for pf in figures if pf.score.grade == grade]
        if named:
            key = f"g{len(grades)}"
            values[key] = Figure.derive(
                len(named), f"评价等级为“{grade}”的项目：" + "、".join(pf.name for pf in named),
                [], label=f"评价等级为“{grade}”的项目个数", text=f"{len(named)}个",
                illustrative=scores_supplied,
            )  # fmt: skip
            grades.append(f"{{{key}}}" + ("项目评价等级为" if not grades else "为") + f"“{grade}”")
    totals = {round(pf.score.final_total, 2) for pf in figures}
    if len(figures) == 1:
        scored = "项目自评得分为{mean}"
    elif len(totals) == 1:  # every project scored the same: no average to explain
        each = "、".join(f"{pf.name} {_bare(pf.score.final_total)}" for pf in figures)
        values["mean"] = Figure.derive(weighted.score, f"各自评项目得分：{each}", [], label="项目自评得分",
                                       text=f"{_bare(weighted.score)}分", illustrative=scores_supplied)  # fmt: skip
        scored = "{count}项目自评得分均为{mean}"  # the same count as the sentence's, marked as it is
    elif weighted.weighted:
        scored = "按全年执行数加权，项目平均得分为{mean}"
    else:
        scored = "各项目全年执行数均为0，按算术平均，项目平均得分为{mean}"
    separator = "；"
    if len(grades) == 1 and len(figures) > 1:
        grades, separator = [f"评价等级均为“{figures[0].score.grade}”"], "，"
    text = (
        "{year}年，{unit}对{count}项目开展绩效自评，其中" + "、".join(counts) + "，"
        "自评项目全年执行数共{total}（" + "，".join(amounts) + "）。"
        f"{scored}{separator}" + "，".join(grades) + "。"
    )
    differences = [d for pf in figures for d in pf.score.differences]
    if differences:
        values["diff"] = Figure.derive(
            len(differences), "；".join(d.text for d in differences), [],
            label="填报得分与计算得分不一致处数", text=f"{len(differences)}处",
            illustrative=scores_supplied,
        )  # fmt: skip
        text += "其中有{diff}填报得分与按规则计算的得分不一致，已在表中标出并列明两个得分。"
    return Html(f"<p>{render(text, values)}</p>")


def _evaluated_amount(report: Report, source: str, group: Sequence[ProjectFigures]) -> Figure:
    """The 全年执行数 of a fund source's evaluated projects, confirmed by its ``published`` row."""
    amount = _sum([replace(pf.executed, label="项目全年执行数") for pf in group], "各项目全年执行数之和",
                  f"{source}自评项目全年执行数")  # fmt: skip
    return confirm(report, amount, computed_key("evaluated_amount", source))


def evaluated_total(report: Report, figures: Sequence[ProjectFigures]) -> Figure:
    """The evaluated projects' 全年执行数: the sum of each fund source's (each confirmed by its
    ``published`` row), so the sentence and the table's 合计 are the same figure in the same state."""
    by_source: dict[str, list[ProjectFigures]] = {}
    for pf in figures:
        by_source.setdefault(pf.score.fund_source or "未注明资金来源", []).append(pf)
    parts = [_evaluated_amount(report, source, by_source[source])
             for source in sorted(by_source, key=lambda s: 0 if s == GENERAL else 1)]  # fmt: skip
    return _sum(parts, " + ".join(p.label for p in parts), "自评项目全年执行数")


# -- the table of projects ---------------------------------------------------------------------


def project_table(report: Report) -> Html:
    """All evaluated projects: budget, execution, rate, score and grade, with a 合计 row."""
    figures = all_project_figures(report)
    rows = [
        [pf.name, pf.score.fund_source or "", pf.budget, pf.executed, pf.rate, _score_cell(pf),
         pf.score.grade]
        for pf in figures
    ]  # fmt: skip
    budget = _sum([pf.budget for pf in figures], "各自评项目全年预算数之和", "全年预算数",
                  formatting.number)  # fmt: skip
    total = evaluated_total(report, figures)
    executed = replace(total, label="全年执行数", text=formatting.number(total.value))
    footer = ["合计", "", budget, executed, _rate(executed, budget), "", ""]
    table = table_html(
        rows, TABLE_COLUMNS, caption=f"{report.year}年项目支出绩效自评结果", footer=footer,
        numeric_columns=TABLE_COLUMNS[2:6],
    )  # fmt: skip
    cols = "<colgroup>" + "<col>" * len(TABLE_COLUMNS) + "</colgroup>"  # widths in report.css
    table = Html(table.replace('<table class="jx-table">', TABLE_OPEN, 1)
                 .replace("</caption>", "</caption>\n" + cols, 1))  # fmt: skip
    hint = "得分为预算执行率得分与各三级指标得分之和"
    if any(pf.differs for pf in figures):  # the legend of a mark only where the mark is (_score_cell)
        hint += "；标“!”者为填报得分与按规则计算的得分不一致"
    hint += "。"
    screen = "将鼠标悬停在数字上，可查看其来源、计分规则和代入的数值。"
    return Html(f'{table}\n<p class="jx-hint">{escape(hint)}<span class="jx-screen-only">{escape(screen)}</span></p>')


# -- the chart ---------------------------------------------------------------------------------


def project_chart(report: Report) -> charts.Chart:
    """全年预算数 against 全年执行数 (万元) per evaluated project, as horizontal bars."""
    figures = all_project_figures(report)
    names = [pf.name for pf in figures]
    series = {"全年预算数": [pf.budget for pf in figures],
              "全年执行数": [pf.executed for pf in figures]}  # fmt: skip
    alt_series = {k: [replace(f, text=formatting.wanyuan(f.value)) for f in v]
                  for k, v in series.items()}  # fmt: skip
    return charts.grouped_hbar(
        names, series, title=f"{report.year}年自评项目全年预算数与执行数", xlabel="万元", unit="万元",
        alt=charts.series_alt_text("条形图", names, alt_series, "万元"),
        caption=f"{report.year}年自评项目全年预算数与执行数" + illustrative_note([*series["全年执行数"]]),
    )  # fmt: skip


# -- the 项目支出绩效自评表 --------------------------------------------------------------------


def _cell(tag: str, content: Any = "", *, cls: str = "", colspan: int = 1,
          rowspan: int = 1) -> str:  # fmt: skip
    attrs = f' class="{cls}"' if cls else ""
    attrs += f' colspan="{colspan}"' if colspan > 1 else ""
    attrs += f' rowspan="{rowspan}"' if rowspan > 1 else ""
    if isinstance(content, Figure):
        content = content.html()
    return f"<{tag}{attrs}>{escape(content)}</{tag}>"


def fund_groups(report: Report, project_id: str) -> list[tuple[str, str, list[Any]]]:
    """The 其中 rows of a project's funds block: (label, how a sum names its rows, their indexes in
    ``project_funds``). By 资金级次 (中央资金 / 省级资金 / 市县资金, as the transfer-payment forms
    lay them out) when the project's rows give a ``level``; else by 资金性质 (当年财政拨款 /
    上年结转资金 / 其他资金)."""
    funds = report.data.project_funds
    mine = funds[funds["project_id"].astype(str) == project_id]
    levels = mine["level"] if "level" in mine.columns else None
    if levels is not None and any(not _blank(v) for v in levels):
        return [(f"{level}资金", f"各{level}资金行", list(mine.index[levels.astype(str) == level]))
                for level in schema.LEVELS]  # fmt: skip
    types = mine["fund_type"].astype(str)
    return [(t, f"各{t}行", list(mine.index[types == t])) for t in FUND_TYPES]


def level_amounts(report: Report) -> list[tuple[str, Figure]]:
    """The evaluated projects' 全年预算数 by 资金级次 (中央资金, 省级资金, 市县资金), each the sum of
    its ``project_funds`` rows; empty when no row gives a level."""
    funds = report.data.project_funds
    if "level" not in funds.columns:
        return []
    ids = {p.project_id for p in report.scores.projects}
    mine = funds[funds["project_id"].astype(str).isin(ids)]
    levels = mine["level"].map(lambda v: "" if _blank(v) else str(v))
    if not (levels != "").any():
        return []
    out = []
    for level in schema.LEVELS:
        rows = mine.index[levels == level]
        parts = [Figure.cell(funds, i, "full_year_budget", label=f"{level}资金全年预算数", fmt=formatting.wanyuan)
                 for i in rows]  # fmt: skip
        out.append((f"{level}资金", _sum(parts, f"资金级次为{level}的项目资金行全年预算数之和", f"{level}资金")))
    return out


def level_sentence(report: Report) -> Html:
    """``全年预算数中，中央资金600.00万元、省级资金250.00万元、市县资金150.00万元。``, or nothing
    when the funds are not given by level."""
    amounts = level_amounts(report)
    if not amounts:
        return Html("")
    values = {f"l{k}": figure for k, (_, figure) in enumerate(amounts)}
    text = "全年预算数中，" + "、".join(f"{label}{{l{k}}}" for k, (label, _) in enumerate(amounts)) + "。"
    return render(text, values)


def _fund_rows(report: Report, pf: ProjectFigures) -> list[str]:
    """The funds block: header, 年度资金总额, then 当年财政拨款 / 上年结转资金 / 其他资金 (or, for
    funds given by level, 中央资金 / 省级资金 / 市县资金)."""
    funds = report.data.project_funds
    ex = pf.score.execution
    marker = _flag(ex.flags)
    rows = [
        "<tr>" + _cell("th", "项目资金（万元）", colspan=2, rowspan=5)
        + _cell("th", "", colspan=2)
        + "".join(_cell("th", h) for h in FUND_COLUMNS)
        + "</tr>",
        '<tr class="jx-funds">' + _cell("th", "年度资金总额", colspan=2)
        + "".join(_cell("td", f, cls="num") for f in (pf.initial, pf.budget, pf.executed,
                                                       pf.execution_weight, pf.rate))
        + _cell("td", Html(f"{pf.execution.html()}{marker}"), cls="num") + "</tr>",
    ]  # fmt: skip
    for k, (group, shared, lines) in enumerate(fund_groups(report, pf.score.project_id)):
        label = ("其中：" if k == 0 else "") + group
        cells = []
        for column, name in (("initial_budget", "年初预算数"), ("full_year_budget", "全年预算数"),
                             ("executed", "全年执行数")):  # fmt: skip
            parts = [Figure.cell(funds, i, column, label=f"{group}{name}",
                                 fmt=formatting.number) for i in lines]  # fmt: skip
            if len(parts) > 1:
                parts = [_sum(parts, f"{shared}{name}之和", f"{group}{name}",
                              formatting.number)]  # fmt: skip
            cells.append(_cell("td", parts[0] if parts else "", cls="num"))
        rows.append(
            '<tr class="jx-funds">' + _cell("th", label, colspan=2) + "".join(cells)
            + "".join(_cell("td", formatting.MISSING, cls="jx-na") for _ in range(3)) + "</tr>"
        )  # fmt: skip
    return rows


def _spans(keys: Sequence[tuple[str, ...]]) -> list[int]:
    """For each row, the rowspan of its group of equal consecutive keys (0 inside a group)."""
    spans = [0] * len(keys)
    start = 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            spans[start] = i - start
            start = i
    return spans


def _indicator_rows(report: Report, pf: ProjectFigures) -> list[str]:
    ind = report.data.indicators
    scores = pf.score.indicators
    l1 = _spans([(s.level1 or "",) for s in scores])
    l2 = _spans([(s.level1 or "", s.level2 or "") for s in scores])
    rows = ["<tr>" + "".join(_cell("th", h) for h in FORM_COLUMNS) + "</tr>"]
    for k, (s, score) in enumerate(zip(scores, pf.indicators, strict=True)):
        i = _index(ind, "indicator_id", s.indicator_id) if s.indicator_id else None

        def value(column: str, label: str, present: bool, i: Any = i) -> Any:
            return Figure.cell(ind, i, column, label=label) if i is not None and present else ""

        if s.direction == "定性":
            target: Any = s.target_text or ""
            actual: Any = s.actual_grade or "缺失"
        else:
            target = value("target", "年度指标值", s.target is not None)
            actual = value("actual", "实际完成值", s.actual is not None) or "缺失"
        weight = _default_weight(s) if s.weight_default else value("weight", "分值", True) or _bare(s.weight)
        detail = f"填报 {_score(s.reported)}，按规则计算 {_score(s.computed)}" if s.differs else ""
        cls = "num jx-differs" if s.differs else "num"
        cells = []
        if l1[k]:
            cells.append(_cell("td", s.level1 or "", rowspan=l1[k], cls="jx-level"))
        if l2[k]:
            cells.append(_cell("td", s.level2 or "", rowspan=l2[k], cls="jx-level"))
        cells += [
            _cell("td", s.name), _cell("td", s.direction, cls="jx-center"),
            _cell("td", target, cls="num" if s.direction != "定性" else ""),
            _cell("td", s.measure_unit or "", cls="jx-center"),
            _cell("td", actual, cls="num" if s.direction != "定性" else ""),
            _cell("td", weight, cls="num"),
            _cell("td", Html(f"{score.html()}{_flag(s.flags, detail)}"), cls=cls),
            _cell("td", Figure.text_cell(ind, i, "deviation_reason", label="偏差原因分析及改进措施")
                  if i is not None and s.deviation_reason else s.deviation_reason or ""),
        ]  # fmt: skip
        rows.append('<tr class="jx-indicator">' + "".join(cells) + "</tr>")
    return rows


def _default_weight(s: Any) -> Figure:
    """An indicator's 分值 the row left blank: the rules' default (never printed, marked so)."""
    return Figure.default_value(s.weight, DEFAULT_WEIGHT_RULE, label="分值", text=_bare(s.weight))


def _total_rows(report: Report, pf: ProjectFigures) -> list[str]:
    p = pf.score
    weights = [pf.execution_weight] + [
        Figure.default_value(s.weight, "未填报该指标的分值，取计分规则的默认分值", label="分值", text=_bare(s.weight))
        if s.indicator_id is None else _default_weight(s) if s.weight_default else
        Figure.cell(report.data.indicators, _index(report.data.indicators, "indicator_id",
                    s.indicator_id), "weight", label="分值", fmt=_bare)
        for s in p.indicators
    ]  # fmt: skip
    full = _sum(weights, "预算执行率分值 + 各三级指标分值之和", "满分", _bare)
    text = _score(p.final_total)
    if pf.differs:
        text += f"（计算 {_score(p.computed_total)}）"
    total = replace(pf.total, text=text)
    detail = f"填报 {_score(p.final_total)}，按规则计算 {_score(p.computed_total)}"
    marker = _flag(["differs"], detail) if pf.differs else Html("")
    grade = p.grade
    if p.computed_grade != p.grade:
        grade += f"（按计算总分为{p.computed_grade}）"
    return [
        '<tr class="jx-total">' + _cell("th", "总分", colspan=7) + _cell("td", full, cls="num")
        + _cell("td", Html(f"{total.html()}{marker}"),
                cls="num jx-differs" if pf.differs else "num")
        + _cell("td", "") + "</tr>",
        '<tr class="jx-grade">' + _cell("th", "评价等级", colspan=7)
        + _cell("td", grade, colspan=3) + "</tr>",
    ]  # fmt: skip


def selfeval_form(report: Report, pf: ProjectFigures) -> Html:
    """One project's 项目支出绩效自评表 (a ``<table class="jx-table jx-selfeval-form">``)."""
    projects = report.data.projects
    implementer = _text(projects, pf.index, "implementer")
    # the goal and the outcome are the project row's text: marked 示 where supplied, as the workbook fills them
    goal, outcome = (
        Figure.text_cell(projects, pf.index, column, label=label) if _text(projects, pf.index, column) else ""
        for column, label in (("goal", "年度总体目标"), ("outcome", "实际完成情况"))
    )
    head = [
        "<tr>" + _cell("th", "项目名称", colspan=2) + _cell("td", pf.name, colspan=8) + "</tr>",
        "<tr>" + _cell("th", "主管部门", colspan=2) + _cell("td", report.unit_name, colspan=3)
        + _cell("th", "实施单位", colspan=2) + _cell("td", implementer, colspan=3) + "</tr>",
    ]  # fmt: skip
    goals = [
        "<tr>" + _cell("th", "年度总体目标", colspan=2, rowspan=2)
        + _cell("th", "预期目标", colspan=4) + _cell("th", "实际完成情况", colspan=4) + "</tr>",
        '<tr class="jx-goal">' + _cell("td", goal, colspan=4) + _cell("td", outcome, colspan=4)
        + "</tr>",
    ]  # fmt: skip
    body = [*head, *_fund_rows(report, pf), *goals, *_indicator_rows(report, pf),
            *_total_rows(report, pf)]  # fmt: skip
    caption = f"项目支出绩效自评表（{report.year}年度）"
    cols = "<col>" * len(FORM_COLUMNS)  # widths in report.css
    return Html(
        f'<table class="jx-table jx-selfeval-form">\n<caption>{escape(caption)}</caption>\n'
        f"<colgroup>{cols}</colgroup>\n<tbody>\n" + "\n".join(body) + "\n</tbody>\n</table>"
    )


def selfeval_tables(report: Report) -> Html:
    """Every evaluated project's 自评表, each folded in ``<details>`` (the first one open) under
    the project's name: its score and grade are the form's 总分 and 评价等级, and the project
    table's, not said a third time."""
    out = []
    for k, pf in enumerate(all_project_figures(report)):
        codes = [c for c in ("differs", "missing", "far_above") if c in pf.score.flags]
        open_ = " open" if k == 0 else ""
        title = f"{escape(pf.name)}{_flag(codes)}"
        out.append(
            f'<details class="jx-selfeval"{open_}><summary>{title}</summary>\n{selfeval_form(report, pf)}\n</details>'
        )
    if not out:
        return Html('<p class="jx-note">本年度没有开展绩效自评的项目。</p>')
    return Html("\n".join(out))


__all__ = [
    "ProjectFigures", "all_project_figures", "indicator_figure", "project_chart", "project_figures", "project_table",
    "selfeval_form", "selfeval_tables", "summary",
]  # fmt: skip
