"""Block 未开展自评的项目: the projects with ``self_evaluated`` = 否, what they spent, their share
of their fund source's project spending (the ``budget`` line of kind 项目支出), and why they were
not evaluated (``not_evaluated_reason``).

For the example: 5 general-budget projects, 1778.89 万元, 20.5% of the 8677.53 万元 of
general-budget project spending, the complement of the 79.5% the published report states for
the self-evaluated ones. Where the projects listed do not add up to the budget line, a note asks
the author to list the rest, rather than the block pretending coverage is complete.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

import pandas as pd

from jixiao import formatting
from jixiao.inputs.schema import FUND_SOURCES
from jixiao.sections import budget, goals, notes
from jixiao.sections.report import Report
from jixiao.writing.provenance import Figure, Html, render, table_html


@dataclass(frozen=True)
class Unevaluated:
    """The projects of one fund source that were not self-evaluated."""

    fund_source: str
    rows: pd.DataFrame
    count: Figure
    amount: Figure
    spending: Figure | None
    """The fund source's 项目支出 execution (budget table)."""
    share: Figure | None


def _wan(value: float) -> str:
    return formatting.wanyuan(value)


def by_fund_source(report: Report) -> list[Unevaluated]:
    """Per fund source with projects not self-evaluated: count, amount, share of project spending."""
    projects = report.data.projects
    rest = projects[projects["self_evaluated"] == "否"]
    result = []
    for source in [s for s in FUND_SOURCES if s in set(rest["fund_source"])]:
        rows = rest[rest["fund_source"] == source]
        listing = "、".join(f"{n}（第{r}行）" for n, r in zip(rows["project_name"], rows["_row"], strict=True))
        count = Figure.derive(
            len(rows),
            f"{rows['_file'].iloc[0]} 中资金来源为“{source}”、是否开展自评为“否”的项目个数：{listing}",
            [],
            label=f"{source}未自评项目个数",
            text=formatting.count(len(rows), "个"),
            illustrative=bool((rows["source"] == "illustrative").any()),
        )
        figures = [Figure.cell(projects, i, "executed", label="项目全年执行数", fmt=_wan) for i in rows.index]
        total = round(sum(f.value or 0 for f in figures), 2)
        amount = Figure.derive(
            total, "未开展自评项目全年执行数之和", figures, label=f"{source}未自评项目资金", text=_wan(total)
        )
        spending = budget.project_spending(report, source)
        share = None
        if spending is not None and spending.value:
            value = amount.value / spending.value
            share = Figure.derive(
                value,
                f"{amount.label} ÷ {spending.label}",
                [amount, spending],
                label="占项目支出总额比重",
                text=formatting.percent(value),
            )
        result.append(Unevaluated(source, rows, count, amount, spending, share))
    return result


def summary(report: Report) -> Html:
    """``2019年一般公共预算项目支出中，有5个项目未开展绩效自评，全年执行数合计1778.89万元，
    占一般公共预算项目支出总额8677.53万元的20.5%。``; or that every project was evaluated."""
    groups = by_fund_source(report)
    gaps = _gaps(report)
    if not groups:
        if gaps:
            return notes.to_author(
                "项目表（projects）没有未开展自评的项目，但"
                + "；".join(gaps)
                + "。请在项目表中列出其余项目（是否开展自评填“否”，并说明未开展自评原因）。"
            )
        return Html(f"<p>{report.year}年各资金来源的项目均已开展绩效自评。</p>")
    sentences, values = [], {}
    for n, g in enumerate(groups):
        values.update({f"n{n}": g.count, f"a{n}": g.amount})
        text = f"{report.year}年{g.fund_source}项目支出中，有{{n{n}}}项目未开展绩效自评，全年执行数合计{{a{n}}}"
        if g.share is not None and g.spending is not None:
            values.update({f"t{n}": g.spending, f"s{n}": g.share})
            text += f"，占{g.fund_source}项目支出总额{{t{n}}}的{{s{n}}}"
        sentences.append(text + "。")
    out = "<p>" + render("".join(sentences), values) + "</p>"
    if gaps:
        out += notes.to_author("；".join(gaps) + "。请在项目表中列出其余项目。")
    return Html(out)


def _gaps(report: Report) -> list[str]:
    """Fund sources whose projects (evaluated or not) do not add up to their 项目支出 line."""
    gaps = []
    for g in budget.fund_projects(report):
        if g.executed is None:
            continue
        gap = round((g.executed.value or 0) - (g.listed.value or 0), 2)
        if abs(gap) >= 0.005:
            gaps.append(
                f"{g.fund_source}项目支出执行数 {formatting.number(g.executed.value)} 万元，项目表所列项目合计 "
                f"{formatting.number(g.listed.value)} 万元，相差 {formatting.number(abs(gap))} 万元"
            )
    return gaps


def table(report: Report) -> Html:
    """Each project not self-evaluated: budget, execution, share of its fund source's project
    spending, and the reason given."""
    groups = by_fund_source(report)
    if not groups:
        return Html("")
    projects = report.data.projects
    single = len(groups) == 1
    rows = []
    for g in groups:
        for i in g.rows.index:
            full = Figure.cell(projects, i, "full_year_budget", label="全年预算数", fmt=formatting.number)
            done = Figure.cell(projects, i, "executed", label="全年执行数", fmt=formatting.number)
            share = None
            if g.spending is not None and g.spending.value:
                value = (done.value or 0) / g.spending.value
                share = Figure.derive(
                    value,
                    f"全年执行数 ÷ {g.spending.label}",
                    [done, g.spending],
                    label="占项目支出总额比重",
                    text=formatting.percent(value),
                )
            row = [projects.at[i, "project_name"], g.fund_source, full, done, share,
                   projects.at[i, "not_evaluated_reason"]]  # fmt: skip
            rows.append(row[:1] + row[2:] if single else row)
    columns = ["项目名称", "资金来源", "全年预算数", "全年执行数", "占比", "未开展自评原因"]
    widths = (20, 14, 11, 11, 9, 35)
    footer = None
    if single:
        g = groups[0]
        budgets = [Figure.cell(projects, i, "full_year_budget", label="项目全年预算数") for i in g.rows.index]
        total = round(sum(f.value or 0 for f in budgets), 2)
        planned = Figure.derive(
            total, "未开展自评项目全年预算数之和", budgets, label="未自评项目全年预算数", text=formatting.number(total)
        )
        footer = ["合计", planned, replace(g.amount, text=formatting.number(g.amount.value)), g.share, ""]
        columns, widths = columns[:1] + columns[2:], (24, 13, 13, 10, 40)
    source = f"{groups[0].fund_source}项目支出总额" if single else "该资金来源项目支出总额"
    note = ""
    if footer is not None and footer[3] is not None and not _adds_up([r[3] for r in rows], footer[3]):
        note = '<p class="jx-hint">占比按四舍五入列示，各项之和与合计略有出入。</p>'
    html = table_html(
        rows,
        columns,
        caption=f"{report.year}年未开展绩效自评的项目（金额单位：万元；占比为占{source}的比重）",
        footer=footer,
        numeric_columns=["全年预算数", "全年执行数", "占比"],
    )
    return Html(goals.with_widths(html, widths) + note)


def _adds_up(shares: list[Figure | None], total: Figure) -> bool:
    """Whether the shares as printed (7.1%, 7.9% …) add up to the total as printed (20.5%)."""

    def shown(figure: Figure) -> Decimal:
        return Decimal(figure.text.rstrip("%").replace(formatting.MINUS, "-"))

    return sum((shown(f) for f in shares if f is not None), Decimal(0)) == shown(total)


__all__ = ["Unevaluated", "by_fund_source", "summary", "table"]
