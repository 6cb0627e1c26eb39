"""Block 年度绩效目标完成情况: the department's goals for the year, whether each was reached
(完成, 部分完成, 未完成), what was done, and why a goal fell short, from the optional ``goals``
table. ``{key}`` placeholders in ``outcome`` are ``stats`` figures, as in the themed sections.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from jixiao import formatting
from jixiao.inputs.schema import COMPLETION
from jixiao.sections import notes, themes
from jixiao.sections.report import Report
from jixiao.writing.provenance import Figure, Html, escape, render, table_html


@dataclass(frozen=True)
class Tally:
    """How many goals there are and how many reached each completion."""

    total: Figure
    by_completion: dict[str, Figure]


def _rows(report: Report) -> pd.DataFrame:
    return report.data.goals


def _count(rows: pd.DataFrame, what: str, label: str) -> Figure:
    listing = "、".join(str(r) for r in rows["_row"])
    where = rows["_file"].iloc[0] if len(rows) else "年度绩效目标表（goals）"
    return Figure.derive(
        len(rows),
        f"{where} 中{what}的目标个数（第{listing}行）" if listing else f"{what}的目标个数：无",
        [],
        label=label,
        text=formatting.count(len(rows), "项"),
        illustrative=bool((rows["source"] == "illustrative").any()),
    )


def tally(report: Report) -> Tally | None:
    """The number of goals and of goals 完成, 部分完成, 未完成; None without goals."""
    goals = _rows(report)
    if goals.empty:
        return None
    total = _count(goals, "所列", "年度绩效目标个数")
    by = {c: _count(goals[goals["completion"] == c], f"完成情况为“{c}”", f"{c}的目标个数") for c in COMPLETION}
    return Tally(total, by)


def _missing(report: Report) -> Html:
    return notes.to_author(
        f"未填报{report.year}年的年度绩效目标表（goals：每个目标一行，写明完成情况和实际完成情况，"
        "部分完成或未完成的说明偏差原因），本部分暂无内容。"
    )


def summary(report: Report) -> Html:
    """``年初设定的6项年度绩效目标中，5项已完成，1项部分完成（完成地名普查成果转化）。``"""
    counts = tally(report)
    if counts is None:
        return _missing(report)
    goals = _rows(report)
    values: dict = {"total": counts.total}
    parts = []
    for n, (completion, word) in enumerate((("完成", "已完成"), ("部分完成", "部分完成"), ("未完成", "未完成"))):
        figure = counts.by_completion[completion]
        if not figure.value:
            continue
        values[f"c{n}"] = figure
        part = f"{{c{n}}}{word}"
        if completion != "完成":
            # each goal's text a figure of its cell: a supplied goal's figures carry their 示
            named = [f"目标“{{g{n}_{i}}}”" for i in range(int(figure.value))]
            for i, index in enumerate(goals.index[goals["completion"] == completion]):
                values[f"g{n}_{i}"] = Figure.text_cell(goals, index, "goal", label="年度绩效目标")
            part += "（" + "、".join(named) + "）"
        parts.append(part)
    if counts.by_completion["完成"].value == counts.total.value:
        text = "年初设定的{total}年度绩效目标已全部完成。"
    else:
        text = "年初设定的{total}年度绩效目标中，" + "，".join(parts) + "。"
    return Html(f"<p>{render(text, values)}</p>")


def _outcome(report: Report, row: dict) -> Html:
    text = themes.cell_text(row.get("outcome"))
    if not text:
        return Html("")
    return themes.fill(report, {**row, "text": text})


def table(report: Report) -> Html:
    """Every goal: 绩效目标, 完成情况, 实际完成情况, 偏差原因及改进措施."""
    goals = _rows(report)
    if goals.empty:
        return Html("")
    rows = []
    for number, (index, row) in enumerate(goals.iterrows(), start=1):
        record = dict(row)
        goal = Figure.text_cell(goals, index, "goal", label="年度绩效目标")  # its 示 when supplied
        reason = themes.cell_text(record.get("deviation_reason"))
        if reason:
            reason = Figure.text_cell(goals, index, "deviation_reason", label="偏差原因及改进措施")
        rows.append([str(number), goal, record["completion"], _outcome(report, record), reason])
    html = table_html(
        rows,
        ["序号", "绩效目标", "完成情况", "实际完成情况", "偏差原因及改进措施"],
        caption=f"{report.year}年度绩效目标完成情况",
        numeric_columns=[],
    )
    return with_widths(html, (6, 30, 10, 30, 24))


def with_widths(table: Html, percents: tuple[int, ...]) -> Html:
    """A table with its columns' widths set (``<colgroup>``), so that a short column such as
    完成情况 is not squeezed to one character beside long text."""
    cols = "".join(f'<col style="width:{p}%">' for p in percents)
    head, tail = str(table).split("<thead>", 1)
    return Html(f"{head}<colgroup>{cols}</colgroup>\n<thead>{tail}")


__all__ = ["Tally", "escape", "summary", "table", "tally"]
