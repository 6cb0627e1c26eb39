"""jixiao's own 自评表 workbook (render.xlsx) read back by the forms reader: every form found
(13 projects and the 部门整体 form; 汇总 and 计分明细 are no forms), and every printed name, amount,
goal, target, actual and weight equal to the example's inputs, with the targets split into
columns (the default) or combined in one cell (``≥650人``)."""

from __future__ import annotations

import math
import re

import pytest

import jixiao
from jixiao.forms.reading import read_workbook
from jixiao.render.xlsx import selfeval_workbook_bytes

NOTE = r"C\d+ 指标「.+」的((指标性质|度量单位)由指标值「.+」读出：.+|指标值「.+」为文字：按定性指标读)"


@pytest.fixture(scope="module")
def report():
    return jixiao.open_report("lechang-mzj", 2019)


def straight(text):
    """The workbook prints typographic quotes (“双百镇”社工) where the inputs may have straight ones."""
    return text.replace("“", '"').replace("”", '"') if isinstance(text, str) else text


def number(value) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) or value == "" else float(value)


def read_back(form) -> list[tuple]:
    return [
        (
            i.level1.value,
            i.level2.value,
            straight(i.name.value),
            i.direction,
            straight(i.target.value),
            i.unit,
            straight(i.actual.value),
            i.weight.value,
        )
        for i in form.indicators
    ]


def expected(rows) -> list[tuple]:
    return [
        (
            r["level1"],
            r["level2"],
            straight(r["level3"]),
            r["direction"],
            straight(r["target_text"]) if r["direction"] == "定性" else number(r["target"]),
            "" if r["direction"] == "定性" else r["measure_unit"],
            r["actual_grade"] if r["direction"] == "定性" else number(r["actual"]),
            number(r["weight"]),
        )
        for _, r in rows.iterrows()
    ]


@pytest.mark.parametrize("combined", [False, True], ids=["split", "combined"])
def test_the_example_workbook_reads_back(report, tmp_path, combined):
    path = tmp_path / "自评表.xlsx"
    path.write_bytes(selfeval_workbook_bytes(report.data, report.scores, report.unit_name, "filing", combined))
    reading = read_workbook(path)
    assert reading.problems == []
    projects = report.data.projects
    evaluated = projects[projects["self_evaluated"] == "是"]
    assert [straight(f.sheet) for f in reading.forms] == ["部门整体支出绩效自评表", *evaluated["project_name"]]
    assert {f.kind for f in reading.forms[1:]} == {"project"}
    assert reading.forms[0].kind == "department"
    assert reading.forms[0].department.value == "乐昌市民政局"
    indicators = report.data.indicators
    department = reading.forms[0]
    # its 预算完成率 is computed from the budget tables, not typed: the actuals are compared where typed
    rows = indicators[indicators["scope"] == "department"]
    assert [t[:6] + t[7:] for t in read_back(department)] == [t[:6] + t[7:] for t in expected(rows)]
    typed = [(t[2], t[6]) for t in expected(rows) if t[6] is not None]
    assert [(t[2], t[6]) for t in read_back(department) if t[2] in dict(typed)] == typed
    assert department.total.value == 100.0 and department.grade.value == "优"
    for form, (_, project) in zip(reading.forms[1:], evaluated.iterrows(), strict=True):
        assert (straight(form.project.value), form.unit.value, form.year) == (
            project["project_name"],
            project["implementer"],
            2019,
        )
        total = form.fund("年度资金总额")
        assert (total.initial.value, total.full_year.value, total.executed.value) == (
            float(project["initial_budget"]),
            float(project["full_year_budget"]),
            float(project["executed"]),
        )
        assert total.rate.value == round(project["executed"] / project["full_year_budget"], 4)
        assert (straight(form.goal_expected.value), straight(form.goal_actual.value)) == (
            straight(project["goal"]),
            straight(project["outcome"]),
        )
        rows = indicators[indicators["scope"] == project["project_id"]]
        assert read_back(form) == expected(rows), form.project.value
        if combined:  # what was split from ≥650人 is said, cell by cell
            assert form.notes and all(re.fullmatch(NOTE, note) for note in form.notes), form.notes
        else:
            assert form.notes == ()
