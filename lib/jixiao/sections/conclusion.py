"""Block 自评结论: the department's score and grade, how the indicators fared against their
targets (met and missed, by name), how the self-evaluated projects scored, and how many of the
year's goals were reached. Every number is derived from the scores (:mod:`jixiao.scoring`) or
counted from the inputs; nothing here is typed.
"""

from __future__ import annotations

from jixiao import formatting, scoring
from jixiao.checks import goals as goal_checks
from jixiao.inputs.schema import DEPARTMENT
from jixiao.scoring import IndicatorScore
from jixiao.sections import goals, notes, overview
from jixiao.sections.report import Report
from jixiao.writing.provenance import Figure, Html, render


def _met(s: IndicatorScore) -> bool:
    """An indicator met its target: full marks by the rules (the reported score may differ)."""
    return s.computed >= s.weight - scoring.TOLERANCE and not s.missing


def _illustrative(report: Report, table: str) -> bool:
    frame = getattr(report.data, table)
    return bool((frame["source"] == "illustrative").any()) if "source" in frame.columns else False


def score(report: Report) -> Html:
    """``经自评，乐昌市民政局2019年部门整体支出绩效自评得分为100分，评价等级为“优”。`` (the kind's words:
    经评价 … 部门整体支出绩效评价得分 in an evaluation)."""
    figure, grade = overview.department_score(report)
    if figure.value is None:
        return notes.to_author("没有部门整体绩效指标，也没有开展自评的项目，无法得出自评得分。")
    return Html(
        "<p>"
        + render(
            f"{report.kind.by}，{{unit}}{report.year}年{report.kind.score_label}为{{score}}，评价等级为“{{grade}}”。",
            {"unit": report.unit_name, "score": figure, "grade": grade},
        )
        + "</p>"
    )


def indicators(report: Report) -> Html:
    """The department's indicators: how many met their targets, and which did not (均 when all
    or none did)."""
    department = report.scores.department
    if department is None:
        if overview.reported_total(report) is not None:  # a unit that publishes only its total
            return Html("<p>本部门未设部门整体绩效指标，自评得分以单位填报的总分为准。</p>")
        return notes.to_author(
            "绩效指标表（indicators）没有部门整体指标（scope 为 department 的行），未能说明指标完成情况。"
        )
    rows = department.indicators
    met = [s for s in rows if _met(s)]
    missed = [s for s in rows if not _met(s)]
    flag = _illustrative(report, "indicators")
    total = Figure.derive(
        len(rows),
        "部门整体绩效指标（indicators 表中 scope 为 department 的行）的个数",
        [],
        label="部门整体绩效指标个数",
        text=formatting.count(len(rows), "项"),
        illustrative=flag,
    )
    done = Figure.derive(
        len(met),
        "按计分规则得满分（实际完成值达到年度指标值）的部门整体指标个数",
        [],
        label="达到年度指标值的指标个数",
        text=formatting.count(len(met), "项"),
        illustrative=flag,
    )
    after = _goals_apart(report)
    if not missed or not met:
        said = "达到年度指标值" if not missed else "未达到年度指标值"
        said = ("均" if len(rows) > 1 else "") + said  # 均 of one indicator is not said
        return Html("<p>" + render(f"部门整体绩效指标{{total}}，{said}" + after + "。", {"total": total}) + "</p>")
    names = formatting.enumerate_cn([s.name for s in missed], quotes=True, quote_marks=("“", "”"))
    text = "部门整体绩效指标{total}，其中{done}达到年度指标值，" + _literal(names) + "未达到" + after + "。"
    return Html("<p>" + render(text, {"total": total, "done": done}) + "</p>")


def _goals_apart(report: Report) -> str:
    """``；但“重点工作办结率”所衡量的年度绩效目标“完成地名普查成果转化”为部分完成``: where a
    goal's completion and the department indicator that measures it disagree (``jixiao.checks.goals``),
    the conclusion says both and how they are linked, rather than sum up the indicators as if the
    goal did not exist (the review edition's 审核提示 asks which is right)."""
    parts = []
    for f in goal_checks.goal_indicators(report.scores, report.data):
        if f.details["scope"] != DEPARTMENT:
            continue
        if f.details["met"]:
            parts.append(
                f"“{f.details['indicator']}”所衡量的年度绩效目标“{f.details['goal']}”为{f.details['completion']}"
            )
        else:
            parts.append(
                f"“{f.details['indicator']}”未达到年度指标值，而它所衡量的年度绩效目标“{f.details['goal']}”为{f.details['completion']}"
            )
    return _literal("；但" + "；".join(parts)) if parts else ""


def _literal(text: str) -> str:
    """Text placed into a template: its braces doubled so they are not read as placeholders."""
    return text.replace("{", "{{").replace("}", "}}")


def projects(report: Report) -> Html:
    """The self-evaluated projects: ``13个自评项目得分均为100分，评价等级均为“优”。`` or the range
    of scores, the grades counted (均 when there is one) and, when some scored full marks, the
    projects that did not."""
    scored = report.scores.projects
    if not scored:
        return notes.to_author("项目表（projects）没有开展自评的项目（是否开展自评为“是”），未能说明项目自评结果。")
    flag = _illustrative(report, "projects")
    from jixiao.sections.projects import scores_supplied

    supplied = flag or scores_supplied(report)  # the scores: from the projects' rows and their indicators'
    count = Figure.derive(
        len(scored),
        "是否开展自评为“是”的项目个数",
        [],
        label="自评项目个数",
        text=formatting.count(len(scored), "个"),
        illustrative=flag,
    )
    totals = [p.final_total for p in scored]
    if len({round(t, 2) for t in totals}) == 1:
        value = totals[0]
        same = Figure.derive(
            value,
            "各自评项目得分（均相同）",
            [],
            label="项目自评得分",
            text=f"{formatting.natural(value)}分",
            illustrative=supplied,
        )
        grade = scored[0].grade
        both = "均" if len(scored) > 1 else ""  # one project: 得分为, not 得分均为
        said = f"{{count}}自评项目得分{both}为{{score}}，评价等级{both}为“{grade}”。"
        return Html("<p>" + render(said, {"count": count, "score": same}) + "</p>")
    low, high = min(totals), max(totals)
    lo = Figure.derive(
        low, "自评项目得分的最低值", [], label="最低得分", text=f"{formatting.natural(low)}分", illustrative=supplied
    )
    hi = Figure.derive(
        high, "自评项目得分的最高值", [], label="最高得分", text=f"{formatting.natural(high)}分", illustrative=supplied
    )
    grades: dict[str, int] = {}
    for p in scored:
        grades[p.grade] = grades.get(p.grade, 0) + 1
    parts = [f"“{g}”{grades[g]}个" for _, g in report.rules.grades if g in grades]
    below = [p.project_name for p in scored if p.final_total < 100 - scoring.TOLERANCE]
    text = "{count}自评项目得分在{low}至{high}之间，"
    text += _literal(f"评价等级均为“{next(iter(grades))}”" if len(grades) == 1 else "其中" + "、".join(parts))
    if below and len(below) < len(scored):  # all below: the range says so
        names = formatting.enumerate_cn(below, quotes=True, quote_marks=("“", "”"))
        text += "；未得满分的有" + _literal(names)
    return Html("<p>" + render(text + "。", {"count": count, "low": lo, "high": hi}) + "</p>")


def goals_reached(report: Report) -> Html:
    """``6项年度绩效目标中，5项已完成，1项部分完成。`` (which ones, and why, are in the 年度绩效目标
    block); nothing when there is no ``goals`` table (that block says what to fill in)."""
    counts = goals.tally(report)
    if counts is None:
        return Html("")
    values = {"total": counts.total}
    parts = []
    for n, (completion, word) in enumerate((("完成", "已完成"), ("部分完成", "部分完成"), ("未完成", "未完成"))):
        if counts.by_completion[completion].value:
            values[f"c{n}"] = counts.by_completion[completion]
            parts.append(f"{{c{n}}}{word}")
    if len(parts) == 1 and "c0" in values:
        said = "均已完成" if counts.total.value > 1 else "已完成"  # 均 of one goal is not said
        return Html("<p>" + render("{total}年度绩效目标" + said + "。", values) + "</p>")
    return Html("<p>" + render("{total}年度绩效目标中，" + "，".join(parts) + "。", values) + "</p>")


def summary(report: Report) -> Html:
    """The conclusion as one paragraph: the score and grade, the department's indicators, the
    projects' scores, the goals reached (each part as :func:`score`, :func:`indicators`,
    :func:`projects`, :func:`goals_reached` write it); notes to the author after it."""
    sentences, boxes = [], []
    for part in (score, indicators, projects, goals_reached):
        html = str(part(report))
        if html.startswith("<p>") and html.endswith("</p>"):
            sentences.append(html[len("<p>") : -len("</p>")])
        elif html:
            boxes.append(html)
    paragraph = f"<p>{''.join(sentences)}</p>" if sentences else ""
    return Html(paragraph + "".join(boxes))


__all__ = ["goals_reached", "indicators", "projects", "score", "summary"]
