"""Block 部门预算及执行情况: the year's budget against its execution as a whole, 基本支出 with its
two parts (人员经费, 公用经费), 项目支出 by fund source with the number of projects, and the
“三公”经费 item by item with the change from last year.

Every amount is a cell of ``budget``, ``projects`` or ``sangong`` (or last year's), every total,
share and change a formula over them. 人员经费 and 公用经费 count as 基本支出
(:func:`jixiao.inputs.schema.spending_class`). What the inputs do not give (no split of 基本支出, no
``sangong`` table, no last-year figure) is said in a note to the author, never estimated.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from jixiao import formatting
from jixiao.inputs.published import computed_key
from jixiao.inputs.schema import BASIC, BASIC_PARTS, FUND_SOURCES, PROJECT, SANGONG_ITEMS, spending_class
from jixiao.sections import notes
from jixiao.sections.report import Report
from jixiao.writing.provenance import Figure, Html, confirm, render, table_html

COLUMNS = {"initial_budget": "年初预算数", "full_year_budget": "全年预算数", "executed": "全年执行数"}


# -- small helpers -------------------------------------------------------------------------------


def _wan(value: float) -> str:
    return formatting.wanyuan(value)


def _sum(figures: list[Figure], formula: str, label: str) -> Figure:
    total = round(sum(f.value or 0 for f in figures), 2)
    return Figure.derive(total, formula, figures, label=label, text=_wan(total))


def _share(part: Figure, whole: Figure, label: str) -> Figure:
    value = part.value / whole.value if whole.value else None
    text = formatting.percent(value) if value is not None else formatting.MISSING
    return Figure.derive(value, f"{part.label} ÷ {whole.label}", [part, whole], label=label, text=text)


def _plain(figure: Figure) -> Figure:
    """The figure written as a bare number, for a table whose header carries the unit."""
    return replace(figure, text=formatting.number(figure.value) if figure.value is not None else formatting.MISSING)


def _bare(count: Figure) -> Figure:
    """A count without its measure word, for a table column that names it."""
    return replace(count, text=formatting.natural(count.value))


def _change(now: Figure, before: Figure, label: str) -> tuple[Figure, Figure]:
    """``增加719.91万元`` and ``增长7.4%``: the change from last year and its rate, for a sentence
    that says what it compares with (与上年相比, 比上年); the rate's text is "" when it has none."""
    a, b = replace(now, label=f"本年{label}"), replace(before, label=f"上年{label}")
    diff = round((now.value or 0) - (before.value or 0), 2)
    change = Figure.derive(
        diff,
        f"本年{label} − 上年{label}",
        [a, b],
        label=f"{label}增减",
        text=formatting.change_phrase(now.value, before.value, "万元"),
    )
    rate = Figure.derive(
        diff / before.value if before.value else None,
        f"(本年{label} − 上年{label}) ÷ 上年{label}",
        [a, b],
        label=f"{label}同比",
        text=formatting.growth_phrase(now.value, before.value),
    )
    return change, rate


def _lines(report: Report, klass: str | None = None, fund_source: str | None = None) -> pd.DataFrame:
    """The ``budget`` lines of a spending class (基本支出 includes its parts) and fund source."""
    budget = report.data.budget
    keep = pd.Series(True, index=budget.index)
    if klass is not None:
        keep &= budget["kind"].map(spending_class) == klass
    if fund_source is not None:
        keep &= budget["fund_source"] == fund_source
    return budget[keep]


def line_total(
    report: Report,
    column: str = "executed",
    klass: str | None = None,
    fund_source: str | None = None,
    label: str | None = None,
) -> Figure | None:
    """The sum of ``column`` over the matching budget lines; None when there is none."""
    rows = _lines(report, klass, fund_source)
    if rows.empty:
        return None
    name = label or f"{fund_source or ''}{klass or ''}{COLUMNS[column]}"
    figures = [
        Figure.cell(report.data.budget, i, column, label=f"{name}（{report.data.budget.at[i, 'kind']}）", fmt=_wan)
        for i in rows.index
    ]
    if len(figures) == 1:
        total = replace(figures[0], label=name)
    else:
        total = _sum(figures, f"预算表中{fund_source or ''}{klass or '各'}行{COLUMNS[column]}之和", name)
    key = WHOLE_KEYS.get(column) if klass is None and fund_source is None else None
    # the same figure as the overview's total: the same ``published`` row confirms it in both
    return confirm(report, total, computed_key(key)) if key else total


WHOLE_KEYS = {"full_year_budget": "total_budget", "executed": "total_executed"}
"""The ``published`` keys of the totals over every budget line."""


def _rate(executed: Figure, budget: Figure, report: Report | None = None) -> Figure:
    """全年执行数 ÷ 全年预算数; over every line of ``report`` (its whole totals), confirmed as the
    overview's 预算执行率 is."""
    value = executed.value / budget.value if budget.value else None
    text = formatting.percent(value) if value is not None else formatting.MISSING
    rate = Figure.derive(value, f"{executed.label} ÷ {budget.label}", [executed, budget], label="执行率", text=text)
    return confirm(report, rate, computed_key("execution_rate")) if report is not None else rate


# -- 收支总体 ------------------------------------------------------------------------------------


def overall(report: Report) -> Html:
    """The year's budget and execution, split into 基本支出 and 项目支出, and the change from last year."""
    budget = line_total(report, "full_year_budget", label="全年预算数")
    executed = line_total(report, "executed", label="全年执行数")
    if budget is None or executed is None:
        return notes.to_author("预算表（budget）没有数据行，本部分暂无内容。")
    values = {"budget": budget, "executed": executed, "rate": _rate(executed, budget, report)}
    text = f"{report.year}年全年预算数{{budget}}，全年执行数{{executed}}，预算执行率为{{rate}}。"
    parts = []
    for key, klass in (("basic", BASIC), ("project", PROJECT)):
        amount = line_total(report, "executed", klass, label=f"{klass}执行数")
        if amount is None:
            continue
        values[key], values[f"{key}_share"] = amount, _share(amount, executed, f"{klass}占比")
        parts.append(
            f"{klass}{{{key}}}，占全年执行数的{{{key}_share}}" if not parts else f"{klass}{{{key}}}，占{{{key}_share}}"
        )
    if parts:
        text += "按支出类型分，" + "；".join(parts) + "。"
    previous = report.previous
    before = line_total(previous, "executed", label="全年执行数") if previous is not None else None
    if before is not None:
        values["change"], values["yoy"] = _change(executed, before, "全年执行数")
        text += "与上年相比，全年执行数{change}" + ("，{yoy}。" if values["yoy"].text else "。")
    return Html(f"<p>{render(text, values)}</p>")


# -- 基本支出 ------------------------------------------------------------------------------------


def basic(report: Report) -> Html:
    """基本支出: its budget and execution, its two parts with their shares and their change."""
    budget = line_total(report, "full_year_budget", BASIC, label="基本支出全年预算数")
    executed = line_total(report, "executed", BASIC, label="基本支出执行数")
    if budget is None or executed is None:
        return notes.to_author("预算表（budget）没有基本支出（或人员经费、公用经费）行，本部分暂无内容。")
    values = {"budget": budget, "executed": executed, "rate": _rate(executed, budget, report)}
    text = "基本支出全年预算数{budget}，全年执行数{executed}，执行率为{rate}。"
    parts, changes = [], []
    previous = report.previous
    for number, part in enumerate(BASIC_PARTS):
        amount = _part_total(report, part)
        if amount is None:
            continue
        values[f"p{number}"], values[f"s{number}"] = amount, _share(amount, executed, f"{part}占基本支出比重")
        parts.append(
            f"{part}{{p{number}}}，占基本支出的{{s{number}}}" if not parts else f"{part}{{p{number}}}，占{{s{number}}}"
        )
        before = _part_total(previous, part) if previous is not None else None
        if before is not None:
            values[f"c{number}"], values[f"y{number}"] = _change(amount, before, f"{part}执行数")
            changes.append(f"{part}{{c{number}}}" + (f"（{{y{number}}}）" if values[f"y{number}"].text else ""))
    if not parts:
        text_html = render(text, values)
        note = notes.to_author(
            "预算表（budget）未将基本支出分为人员经费和公用经费（支出类型 kind），本部分未说明基本支出的构成。"
        )
        return Html(f"<p>{text_html}</p>{note}")
    text += "其中" + "；".join(parts) + "。"
    if changes:
        text += "与上年相比，" + "，".join(changes) + "。"
    return Html(f"<p>{render(text, values)}</p>")


def _part_total(report: Report, part: str) -> Figure | None:
    """The execution of 人员经费 or 公用经费 over every fund source; None when no line has it."""
    budget = report.data.budget
    rows = budget[budget["kind"] == part]
    if rows.empty:
        return None
    figures = [
        Figure.cell(budget, i, "executed", label=f"{budget.at[i, 'fund_source']}{part}执行数", fmt=_wan)
        for i in rows.index
    ]
    if len(figures) == 1:
        return replace(figures[0], label=f"{part}执行数")
    return _sum(figures, f"预算表中各资金来源{part}执行数之和", f"{part}执行数")


# -- 项目支出 ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FundProjects:
    """The projects of one fund source against its 项目支出 line."""

    fund_source: str
    count: Figure
    evaluated: Figure
    budget: Figure | None
    executed: Figure | None
    listed: Figure
    """The executed amounts of the projects listed in ``projects``, summed."""


def _count(rows: pd.DataFrame, what: str, label: str) -> Figure:
    listing = "、".join(f"{n}（第{r}行）" for n, r in zip(rows["project_name"], rows["_row"], strict=True))
    where = rows["_file"].iloc[0] if len(rows) else "项目表（projects）"
    return Figure.derive(
        len(rows),
        f"{where} 中{what}的项目个数：{listing or '无'}",
        [],
        label=label,
        text=formatting.count(len(rows), "个"),
        illustrative=bool((rows["source"] == "illustrative").any()),
    )


def fund_projects(report: Report) -> list[FundProjects]:
    """Per fund source having projects or a 项目支出 line, in the order of the data model's codes."""
    projects = report.data.projects
    sources = set(projects["fund_source"]) | set(_lines(report, PROJECT)["fund_source"])
    result = []
    for source in [s for s in FUND_SOURCES if s in sources]:
        own = projects[projects["fund_source"] == source]
        evaluated = own[own["self_evaluated"] == "是"]
        listed = _sum(
            [Figure.cell(projects, i, "executed", label="项目全年执行数", fmt=_wan) for i in own.index],
            f"项目表中{source}各项目全年执行数之和",
            f"{source}项目合计",
        )
        result.append(
            FundProjects(
                source,
                _count(own, f"资金来源为“{source}”", f"{source}项目个数"),
                _count(evaluated, f"资金来源为“{source}”且开展了自评", f"{source}自评项目个数"),
                line_total(report, "full_year_budget", PROJECT, source, f"{source}项目支出全年预算数"),
                line_total(report, "executed", PROJECT, source, f"{source}项目支出执行数"),
                listed,
            )
        )
    return result


def project_spending(report: Report, fund_source: str) -> Figure | None:
    """The executed amount of a fund source's 项目支出 line(s)."""
    return line_total(report, "executed", PROJECT, fund_source, f"{fund_source}项目支出总额")


def projects(report: Report) -> Html:
    """项目支出: its total, then per fund source the amount, the number of projects and how many
    were self-evaluated, as a sentence and a table; a note where the projects listed do not add
    up to the budget line."""
    budget = line_total(report, "full_year_budget", PROJECT, label="项目支出全年预算数")
    executed = line_total(report, "executed", PROJECT, label="项目支出执行数")
    if budget is None or executed is None:
        return notes.to_author("预算表（budget）没有项目支出行，本部分暂无内容。")
    values: dict = {"budget": budget, "executed": executed, "rate": _rate(executed, budget)}
    text = "项目支出全年预算数{budget}，全年执行数{executed}，执行率为{rate}。"
    groups, parts, rows, gaps = fund_projects(report), [], [], []
    for n, g in enumerate(groups):
        if g.executed is None:
            continue
        values[f"a{n}"], values[f"n{n}"], values[f"e{n}"] = g.executed, g.count, g.evaluated
        if g.evaluated.value == g.count.value:
            tail = "均开展了绩效自评" if g.count.value > 1 else "已开展绩效自评"
            parts.append(f"{g.fund_source}项目支出{{a{n}}}，共{{n{n}}}项目，{tail}")
        else:
            parts.append(f"{g.fund_source}项目支出{{a{n}}}，共{{n{n}}}项目，其中{{e{n}}}开展了绩效自评")
        rows.append(
            [
                g.fund_source,
                _bare(g.count),
                _bare(g.evaluated),
                _plain(g.budget) if g.budget else None,
                _plain(g.executed),
                _rate(g.executed, g.budget) if g.budget else None,
            ]
        )
        gap = round((g.executed.value or 0) - (g.listed.value or 0), 2)
        if abs(gap) >= 0.005:
            gaps.append(
                f"{g.fund_source}项目支出执行数 {formatting.number(g.executed.value)} 万元，项目表（projects）"
                f"所列项目合计 {formatting.number(g.listed.value)} 万元，相差 {formatting.number(abs(gap))} 万元"
            )
    if parts:
        text += "按资金来源分，" + "；".join(parts) + "。"
    table = table_html(
        rows,
        ["资金来源", "项目个数", "开展自评", "全年预算数", "全年执行数", "执行率"],
        caption=f"{report.year}年项目支出情况（按资金来源，金额单位：万元）",
    )
    note = ""
    if gaps:
        note = notes.to_author("；".join(gaps) + "。请在项目表中列出其余项目（未开展自评的填“否”并说明原因）。")
    return Html(f"<p>{render(text, values)}</p>{table}{note}")


# -- “三公”经费 ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SangongItem:
    item: str
    budget: Figure
    executed: Figure
    last_year: Figure | None
    """Last year's execution: the row's ``last_year_executed``, else last year's ``sangong`` row."""


def _last_year(report: Report, item: str, frame: pd.DataFrame, index) -> Figure | None:
    value = frame.at[index, "last_year_executed"]
    if not pd.isna(value):
        return Figure.cell(frame, index, "last_year_executed", label=f"{item}上年执行数", fmt=_wan)
    previous = report.previous
    if previous is None:
        return None
    before = previous.data.sangong
    match = before.index[before["item"] == item]
    if len(match) == 0 or pd.isna(before.at[match[0], "executed"]):
        return None
    return Figure.cell(before, match[0], "executed", label=f"{item}上年执行数", fmt=_wan)


def sangong_items(report: Report) -> list[SangongItem]:
    """The ``sangong`` rows in the order of the data model's items."""
    frame = report.data.sangong
    order = {item: n for n, item in enumerate(SANGONG_ITEMS)}
    items = []
    for index in sorted(frame.index, key=lambda i: order.get(frame.at[i, "item"], len(order))):
        item = str(frame.at[index, "item"])
        items.append(
            SangongItem(
                item,
                Figure.cell(frame, index, "full_year_budget", label=f"{item}全年预算数", fmt=_wan),
                Figure.cell(frame, index, "executed", label=f"{item}执行数", fmt=_wan),
                _last_year(report, item, frame, index),
            )
        )
    return items


def sangong_totals(report: Report) -> tuple[Figure, Figure, Figure | None] | None:
    """The “三公”经费 budget, execution and last year's execution (None when an item lacks it)."""
    items = sangong_items(report)
    if not items:
        return None
    budget = _sum([i.budget for i in items], "各项“三公”经费全年预算数之和", "“三公”经费全年预算数")
    executed = _sum([i.executed for i in items], "各项“三公”经费执行数之和", "“三公”经费执行数")
    last = None
    if all(i.last_year is not None for i in items):
        last = _sum([i.last_year for i in items], "各项“三公”经费上年执行数之和", "“三公”经费上年执行数")  # type: ignore[misc]
    return budget, executed, last


def sangong_change_rate(report: Report) -> Figure | None:
    """三公经费变动率 = (本年执行数 − 上年执行数) ÷ 上年执行数 (two decimals of a percent)."""
    totals = sangong_totals(report)
    if totals is None or totals[2] is None or not totals[2].value:
        return None
    _, now, before = totals
    value = (now.value - before.value) / before.value
    return Figure.derive(
        value,
        "(“三公”经费执行数 − “三公”经费上年执行数) ÷ “三公”经费上年执行数",
        [now, before],
        label="“三公”经费变动率",
        text=formatting.percent(value, 2),
    )


def sangong(report: Report) -> Html:
    """“三公”经费: the total against its budget, the change from last year, each item; a table."""
    items = sangong_items(report)
    if not items:
        return notes.to_author(
            f"未填报{report.year}年的三公经费表（sangong：因公出国（境）费、公务用车购置费、公务用车运行维护费、"
            "公务接待费的全年预算数、全年执行数和上年执行数），本部分未列出“三公”经费。"
        )
    budget, executed, last = sangong_totals(report)  # type: ignore[misc]
    values: dict = {"budget": budget, "executed": executed}
    text = f"{report.year}年“三公”经费全年预算数{{budget}}，全年执行数{{executed}}"
    if last is not None:
        values["change"], values["yoy"] = _change(executed, last, "“三公”经费执行数")
        if not values["change"].value:
            text += "，与上年持平"
        else:
            text += "，比上年{change}" + ("，{yoy}" if values["yoy"].text else "")
    text += "。"
    spent = [i for i in items if i.executed.value]
    nil = [i.item for i in items if not i.executed.value]
    if spent:
        text += "其中" + "，".join(f"{i.item}{{i{n}}}" for n, i in enumerate(spent))
        values.update({f"i{n}": i.executed for n, i in enumerate(spent)})
        text += "；" if nil else "。"
    if nil:
        text += "、".join(nil).replace("、", "和", 1) if len(nil) == 2 else "、".join(nil)
        text += "未发生支出。"
    rows = []
    for i in items:
        change = _change(i.executed, i.last_year, f"{i.item}执行数") if i.last_year is not None else None
        rows.append(
            [
                i.item,
                _plain(i.budget),
                _plain(i.executed),
                _plain(i.last_year) if i.last_year else None,
                _signed(change[0]) if change else None,
                _signed_rate(change[1]) if change else None,
            ]
        )
    footer_change = _change(executed, last, "“三公”经费执行数") if last is not None else None
    footer = [
        "合计",
        _plain(budget),
        _plain(executed),
        _plain(last) if last else None,
        _signed(footer_change[0]) if footer_change else None,
        _signed_rate(footer_change[1]) if footer_change else None,
    ]
    table = table_html(
        rows,
        ["项目", "全年预算数", "全年执行数", "上年执行数", "增减", "增减率"],
        caption=f"{report.year}年“三公”经费支出情况（单位：万元）",
        footer=footer,
    )
    note = ""
    lacking = [i.item for i in items if i.last_year is None]
    if lacking:
        note = notes.to_author(
            f"三公经费表（sangong）未填报{'、'.join(lacking)}的上年执行数，也没有上年的三公经费数据，"
            "本部分未计算与上年的增减。"
        )
    return Html(f"<p>{render(text, values)}</p>{table}{note}")


def _signed_rate(rate: Figure) -> Figure:
    """A rate of change for a table column: −7.3%, +2%; — when last year was 0."""
    if rate.value is None:
        return replace(rate, text=formatting.MISSING)
    text = formatting.percent(abs(rate.value))
    return replace(rate, text=(formatting.MINUS if rate.value < 0 else "+" if rate.value > 0 else "") + text)


def _signed(change: Figure) -> Figure:
    """A change as a signed number for a table column: −1.12, +0.57, 0.00."""
    value = change.value or 0
    text = formatting.number(value) if value <= 0 else "+" + formatting.number(value)
    return replace(change, text=text)


__all__ = [
    "FundProjects",
    "SangongItem",
    "basic",
    "fund_projects",
    "line_total",
    "overall",
    "project_spending",
    "projects",
    "sangong",
    "sangong_change_rate",
    "sangong_items",
    "sangong_totals",
]
