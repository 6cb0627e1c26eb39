"""The report as pandas DataFrames, to filter, sort and plot in JupyterLab: ``jixiao.frames(report)``.

``jixiao.frames(jixiao.open_report(unit, year))`` gives five tables, each made once, on first use,
from the objects the report prints (no figure is computed a second way):

- :attr:`Frames.scores`: every scored row of every self-evaluated project (its 预算执行率 first)
  and of the department, from ``report.scores``;
- :attr:`Frames.totals`: each project's total and the department's, with their grades; the
  department's total is the figure the cover prints;
- :attr:`Frames.differences`: every reported score that is not the one the rules give, a
  project's or the department's total too, as the 审核提示 words it;
- :attr:`Frames.review`: the 审核提示 (``jixiao.sections.review.findings``), one row a note;
- :attr:`Frames.figures`: every figure the report prints, with its provenance and source. The
  report's sections run in this process as their notebooks run them (``jixiao.writing.provenance.shown``
  collects each figure as it is written), so this one takes a few seconds, charts included.

The frames are not an attribute of the report: they are made from the sections (the cover's score,
the 审核提示's words), which build on ``jixiao.sections.report``, so that module cannot import this one.

The columns are English keys (``scores.query("score < weight")``); :data:`COLUMNS` gives each its
Chinese heading and meaning, and :func:`chinese` renames a frame's columns to those headings.
"""

from __future__ import annotations

import json
import weakref
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pandas as pd

from jixiao.scoring import DEPARTMENT_SCOPE, EXECUTION_LABEL
from jixiao.sections import overview
from jixiao.sections import report as report_module
from jixiao.sections.report import Report
from jixiao.sections.review import Finding as Note
from jixiao.sections.review import findings as review_findings
from jixiao.writing import provenance
from jixiao.writing.provenance import Figure

DEPARTMENT_NAME = "部门整体"
"""The ``project`` of the department's rows (their ``scope`` is ``department``)."""


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    meaning: str


def _columns(*rows: tuple[str, str, str]) -> tuple[Column, ...]:
    return tuple(Column(*row) for row in rows)


_SCOPE = ("scope", "范围", "the project's id, or department")
_PROJECT = ("project", "项目", f"the project's name, or {DEPARTMENT_NAME}")
_WHERE = (
    ("file", "文件", "the input file of the row, relative to the project root"),
    ("sheet", "工作表", "its sheet (empty for a CSV file)"),
    ("row", "行", "its row as a spreadsheet numbers it (header = 1)"),
)

COLUMNS: dict[str, tuple[Column, ...]] = {
    "scores": _columns(
        _SCOPE,
        _PROJECT,
        ("level1", "一级指标", f"{EXECUTION_LABEL} for a project's execution row"),
        ("level2", "二级指标", "the indicator's second level"),
        ("indicator", "三级指标", "the indicator's name"),
        ("indicator_id", "指标编码", "empty for the execution row"),
        ("direction", "指标方向", "≥, ≤, = or 定性"),
        ("target", "年度指标值", "the execution row: its full-year budget (万元)"),
        ("actual", "实际完成值", "the execution row: its executed amount (万元)"),
        ("actual_grade", "完成档次", "达成, 部分达成 or 未达成 for a 定性 indicator"),
        ("measure_unit", "计量单位", "the unit of its target and actual (%, 人)"),
        ("weight", "分值", "the points it is worth"),
        ("computed", "按规则计算得分", "the score the rules give"),
        ("reported", "填报得分", "the score the unit reported, if any"),
        ("score", "得分", "the score that stands: reported if given, else computed"),
        ("scoring_flags", "计分提示", "the scoring flags, comma-separated (jixiao.scoring.FLAG_TEXT says each)"),
        ("rule", "计分规则", "the rule with its numbers, as the 计分明细 writes it"),
        *_WHERE,
    ),
    "totals": _columns(
        _SCOPE,
        _PROJECT,
        ("fund_source", "资金来源", "empty for the department"),
        ("full_year_budget", "全年预算数", "万元; the department's: its total, as the overview prints it"),
        ("executed", "全年执行数", "万元; the department's: its total, as the overview prints it"),
        ("execution_rate", "预算执行率", "executed ÷ full-year budget, a ratio (0.98), not capped"),
        ("computed_total", "按规则计算总分", "the execution score and every row's computed score"),
        ("total", "各项得分合计", "the execution score and every row's standing score"),
        ("reported_total", "填报总分", "the total the unit reported, if any"),
        ("final_total", "自评得分", "the total that stands, as the report prints it (the department's: its cover)"),
        ("grade", "评价等级", "the grade of final_total"),
        ("computed_grade", "按规则计算等级", "the grade of computed_total"),
        ("differences", "得分不一致处数", "its rows in the differences frame (its total's too)"),
        ("missing", "缺失实际完成值个数", "how many indicators have no actual"),
        ("scoring_flags", "计分提示", "the scoring flags of the project or the department, comma-separated"),
    ),
    "differences": _columns(
        _SCOPE,
        _PROJECT,
        ("indicator", "三级指标", "the indicator, or the total (特困供养总分, 部门整体总分)"),
        ("is_total", "是否总分", "True for a project's or the department's total"),
        ("reported", "填报得分", "the score the unit reported"),
        ("computed", "按规则计算得分", "the score the rules give"),
        ("gap", "相差", "reported − computed"),
        ("rule", "计分规则", "how the computed score is reached"),
        ("reported_source", "填报得分来源", "the reported score's cell: file#row=…&col=…"),
        ("message", "审核提示", "the note as the 审核提示 prints it"),
    ),
    "review": _columns(
        ("kind", "类别代码", "the check's kind (unit_cost, same_count, …: jixiao.checks.TITLES)"),
        ("title", "类别", "the kind's heading in the report"),
        ("severity", "级别", "warning (needs an answer) or note (needs a look)"),
        ("subject", "对象", "what the note is about"),
        ("message", "审核提示", "the note as the report prints it, each figure as its text"),
        ("figures", "数字个数", "how many figures the note shows (their rows: figures, section of the review)"),
    ),
    "figures": _columns(
        ("section", "章节", "the section's id (01-overview, 02-dibao, …): its executed notebook's name"),
        ("label", "名称", "what the figure is"),
        ("value", "数值", "the number (empty for a name or a text)"),
        ("text", "文字", "the figure as the report writes it"),
        ("state", "来源状态", "published, confirmed or illustrative: its data-provenance"),
        ("illustrative", "示", "True when the report marks it 示 (supplied, not published)"),
        ("source", "来源", "its input cell (file#row=…&col=…), formula:…, or default:…"),
        ("file", "文件", "the input file of a figure read from a cell"),
        ("sheet", "工作表", "its sheet (empty for a CSV file)"),
        ("row", "行", "its row as a spreadsheet numbers it"),
        ("column", "列", "the column's key"),
        ("formula", "公式", "for a computed figure: its formula over its inputs' labels"),
        ("inputs", "输入个数", "how many figures a computed one is computed from"),
        ("published_as", "公开发布", "where the published report prints it (the published table's row)"),
    ),
}
"""Each frame's columns, in order: key, Chinese heading, meaning (the guide lists the same)."""

LABELS = {c.key: c.label for columns in COLUMNS.values() for c in columns}
"""Each column's Chinese heading: a key has one heading in every frame."""


def chinese(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its columns headed in Chinese (:data:`COLUMNS`), to show or to save for Excel."""
    return frame.rename(columns=LABELS)


def _frame(name: str, rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=[c.key for c in COLUMNS[name]])
    if "row" in frame.columns:  # a whole number, or nothing (a figure computed, not read)
        frame["row"] = frame["row"].astype("Int64")
    return frame


def _where(p: Any) -> tuple[str, str, int | None]:
    return ("", "", None) if p is None else (p.file, p.sheet, p.row)


def _flags(flags: tuple[str, ...]) -> str:
    return ",".join(flags)


class Frames:
    """The report's scores, differences, review notes and figures as DataFrames (module docstring)."""

    chinese = staticmethod(chinese)

    def __init__(self, report: Report) -> None:
        self.report = report

    def __repr__(self) -> str:
        return f"<frames of {self.report!r}: {', '.join(COLUMNS)}>"

    @cached_property
    def scores(self) -> pd.DataFrame:
        rows = []
        scores = self.report.scores
        for p in scores.projects:
            e = p.execution
            rows.append((p.project_id, p.project_name, EXECUTION_LABEL, "", EXECUTION_LABEL, "", "", e.full_year_budget,
                         e.executed, None, "万元", e.weight, e.score, None, e.score, _flags(e.flags), e.rule,
                         *_where(p.provenance)))  # fmt: skip
            rows += [_indicator_row(p.project_id, p.project_name, s) for s in p.indicators]
        if scores.department is not None:
            rows += [_indicator_row(DEPARTMENT_SCOPE, DEPARTMENT_NAME, s) for s in scores.department.indicators]
        return _frame("scores", rows)

    @cached_property
    def totals(self) -> pd.DataFrame:
        scores = self.report.scores
        differing = self.differences["scope"].value_counts().to_dict()
        rows = [
            (p.project_id, p.project_name, p.fund_source or "", p.full_year_budget, p.executed, p.execution.rate,
             p.computed_total, p.total, p.reported_total, p.final_total, p.grade, p.computed_grade,
             differing.get(p.project_id, 0), len(p.missing), _flags(p.flags))
            for p in scores.projects
        ]  # fmt: skip
        # the department's as the report prints them: the cover's score, the overview's totals
        figure, grade = overview.department_score(self.report)
        reported = overview.reported_total(self.report)
        budget, executed = overview.total_budget(self.report), overview.total_executed(self.report)
        rate = overview.execution_rate(self.report, executed, budget)
        d = scores.department
        rows.append((DEPARTMENT_SCOPE, DEPARTMENT_NAME, "", budget.value, executed.value, rate.value,
                     None if d is None else d.computed_total, None if d is None else d.total,
                     None if reported is None else reported.value, figure.value, grade,
                     "" if d is None else d.computed_grade, differing.get(DEPARTMENT_SCOPE, 0),
                     0 if d is None else len(d.missing), "" if d is None else _flags(d.flags)))  # fmt: skip
        return _frame("totals", rows)

    @cached_property
    def _notes(self) -> list[Note]:
        return review_findings(self.report)

    @cached_property
    def differences(self) -> pd.DataFrame:
        rows = []
        for worded in self._notes:
            found = worded.found
            if found.kind not in ("score_difference", "total_score"):
                continue
            scope, project, item = found.subject
            is_total = found.kind == "total_score" or bool(found.details.get("total"))
            reported, computed, gap = (worded.figures[k] for k in ("reported", "computed", "gap"))
            item = item or f"{DEPARTMENT_NAME}总分"
            rows.append((scope, project or DEPARTMENT_NAME, item, is_total, reported.value, computed.value,
                         gap.value, computed.formula or "", reported.data_source(), worded.message))  # fmt: skip
        return _frame("differences", rows)

    @cached_property
    def review(self) -> pd.DataFrame:
        rows = [(f.kind, f.title, f.severity, f.subject, f.message, len(f.figures)) for f in self._notes]
        return _frame("review", rows)

    @cached_property
    def figures(self) -> pd.DataFrame:
        rows = []
        for section in self.report.settings.sections:
            rows += [_figure_row(section.id, f) for f in shown(self.report, section)]
        return _frame("figures", rows)


_made: weakref.WeakKeyDictionary[Report, Frames] = weakref.WeakKeyDictionary()


def frames(report: Report) -> Frames:
    """The report's frames (:class:`Frames`): the same object for the same report, so that each
    frame is made once."""
    made = _made.get(report)
    if made is None:
        made = _made[report] = Frames(report)
    return made


def _indicator_row(scope: str, project: str, s: Any) -> tuple[Any, ...]:
    return (scope, project, s.level1 or "", s.level2 or "", s.name, s.indicator_id or "", s.direction, s.target,
            s.actual, s.actual_grade or "", s.measure_unit or "", s.weight, s.computed, s.reported, s.score,
            _flags(s.flags), s.rule, *_where(s.provenance))  # fmt: skip


def _figure_row(section: str, f: Figure) -> tuple[Any, ...]:
    src = f.source
    file, sheet, row, column = ("", "", None, "") if src is None else (src.file, src.sheet, src.row, src.column or "")
    printed = "" if f.published_as is None else f.published_as.where
    return (section, f.label, f.value, f.text, f.state, f.state == provenance.ILLUSTRATIVE, f.data_source(), file,
            sheet, row, column, f.formula or "", len(f.inputs), printed)  # fmt: skip


def shown(report: Report, section: Any) -> list[Figure]:
    """The figures ``section`` (one of ``report.settings.sections``) shows, in order: its notebook's
    code run in this process, as papermill runs it (the parameters cell, then the section's
    parameters), its ``jixiao.open_report`` call given ``report`` itself."""
    notebook = json.loads(section.notebook.read_text(encoding="utf-8"))
    namespace: dict[str, Any] = {}
    with report_module.lent(report), provenance.shown() as figures:
        for cell in notebook["cells"]:
            if cell["cell_type"] != "code":
                continue
            exec(compile("".join(cell["source"]), str(section.notebook), "exec"), namespace)
            if "parameters" in cell["metadata"].get("tags", []):
                namespace.update(section.parameters)
    return figures
