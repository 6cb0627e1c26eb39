"""``jixiao.frames(report)``: the example's scores, totals, score differences, review notes and
figures as DataFrames, each value the one the report prints."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import pytest
from lxml import html as lxml_html

import jixiao
from conftest import UNIT, YEAR, copy_project
from jixiao.sections import frames as frames_module
from jixiao.sections import report as report_module

FIGURE = '//span[contains(concat(" ", @class, " "), " jx-fig ")]'


@pytest.fixture(scope="module")
def example_frames(example):
    """The frames of the session's example, whose build made ``example.html``."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JIXIAO_ROOT", str(example.root))
        made = jixiao.frames(jixiao.open_report(UNIT, YEAR))
        for name in frames_module.COLUMNS:
            getattr(made, name)  # made now, while JIXIAO_ROOT names the example
        yield made


def one(frame: pd.DataFrame, **where: object) -> pd.Series:
    rows = frame
    for column, value in where.items():
        rows = rows[rows[column] == value]
    assert len(rows) == 1, f"{len(rows)} rows with {where}"
    return rows.iloc[0]


def test_the_scores_are_every_scored_row_with_its_rule_and_cell(example_frames):
    scores = example_frames.scores
    assert list(scores.columns) == [c.key for c in frames_module.COLUMNS["scores"]]
    assert len(scores) == 81  # 13 projects' 预算执行率 rows, their 62 indicators, the department's 6
    assert (scores.level1 == "预算执行率").sum() == 13
    assert (scores.scope == "department").sum() == 6
    visits = one(scores, indicator="农村散居特困供养人员走访人数")
    assert (visits.scope, visits.project, visits.level1, visits.level2, visits.direction) == (
        "YB01", "特困供养", "产出指标", "数量指标", "≥"
    )  # fmt: skip
    assert (visits.target, visits.actual, visits.weight, visits.computed, visits.reported, visits.score) == (
        650, 653, 20, 20, 20, 20
    )  # fmt: skip
    assert visits.rule == "正向指标：实际 653 ≥ 目标 650，得满分 20 分"
    assert (visits.file, visits.sheet, visits.row) == ("data/lechang-mzj/2019/indicators.csv", "", 2)
    execution = one(scores, scope="YB03", level1="预算执行率")
    assert (execution.target, execution.actual, execution.weight, execution.score) == (3265.18, 3265.18, 10, 10)
    assert (
        execution.rule
        == "预算执行率：全年执行数 3265.18 ÷ 全年预算数 3265.18 = 100.00%，得分 = 3265.18 ÷ 3265.18 × 10 = 10.00"
    )
    assert math.isnan(execution.reported)
    sangong = one(scores, scope="department", indicator="三公经费变动率")
    assert (sangong.project, sangong.direction, sangong.target, sangong.actual, sangong.score) == (
        "部门整体", "≤", 0, -7.31, 10
    )  # fmt: skip


def test_the_totals_are_the_projects_and_the_departments_as_printed(example_frames):
    totals, scores = example_frames.totals, example_frames.scores
    assert len(totals) == 14
    department = one(totals, scope="department")
    assert (department.project, department.final_total, department.grade) == ("部门整体", 100.0, "优")
    assert (department.full_year_budget, department.executed, department.execution_rate) == (10408.34, 10408.34, 1.0)
    assert math.isnan(department.reported_total)
    dibao = one(totals, project="城乡低保")
    assert (dibao.scope, dibao.fund_source, dibao.executed, dibao.reported_total, dibao.final_total) == (
        "YB03", "一般公共预算", 3265.18, 100.0, 100.0
    )  # fmt: skip
    # a project's rows add up to its total (no project of the example is capped)
    projects = totals[totals.scope != "department"].set_index("scope")
    added = scores[scores.scope != "department"].groupby("scope").score.sum()
    assert (added.round(2) == projects.total.loc[added.index]).all()
    assert totals.differences.sum() == 0 and totals.missing.sum() == 0


def test_the_review_notes_are_the_ones_the_report_prints(example_frames, example):
    review = example_frames.review
    assert list(review.kind) == ["unit_cost", "same_count", "part_of", "all_full_marks", "repeated_text",
                                 "status_conflict", "goal_indicator"]  # fmt: skip
    assert list(review.severity) == ["warning", "warning", "warning", "note", "note", "note", "warning"]
    assert list(review.title[:3]) == ["单位成本异常", "同一事项数字不一致", "部分大于整体"]
    assert (
        review.message[1]
        == "敬老院数量前后不一致：安装简易喷淋敬老院15间，考核工作人员的镇敬老院17间，相差2间。请核实哪一个数字正确。"
    )
    assert list(review.figures) == [8, 3, 3, 1, 3, 1, 5]
    assert "共7条提示（其中4条需核实或说明）" in example.html
    assert example_frames.differences.empty  # the example's reported scores are the rules'


def test_every_figure_the_report_prints_is_a_row(example_frames, example):
    figures = example_frames.figures
    page = lxml_html.fromstring(example.html)
    spans = page.xpath(FIGURE)
    assert len(figures) == len(spans) == 1057
    for section in page.xpath("//section[@data-notebook]"):
        printed = len(section.xpath("." + FIGURE))
        cover = 1 if section.get("id") == "01-overview" else 0  # the cover's score is the overview's
        assert (figures.section == section.get("id")).sum() == printed + cover, section.get("id")
    assert {s.get("data-source") or "" for s in spans} == set(figures.source)
    banner = re.search(r'data-illustrative="(\d+)"', example.html)
    assert figures.illustrative.sum() == int(banner.group(1)) == 837
    assert figures.state.value_counts().to_dict() == {"illustrative": 837, "published": 198, "confirmed": 22}
    score = figures.iloc[0]
    assert (score.section, score.label, score.value, score.text, score.state) == (
        "01-overview", "部门整体支出绩效自评得分", 100, "100分", "confirmed"
    )  # fmt: skip
    assert (score.source, score.formula, score.inputs) == (
        "formula:部门整体绩效指标得分之和",
        "部门整体绩效指标得分之和",
        6,
    )
    assert score.published_as == "《乐昌市民政局2019年绩效自评报告》第1段（总体情况）"
    name = figures[figures.source == "data/lechang-mzj/2019/projects.csv#row=2&col=project_name"].iloc[0]
    assert (name.text, name.file, name.row, name.column, name.state) == (
        "特困供养", "data/lechang-mzj/2019/projects.csv", 2, "project_name", "published"
    )  # fmt: skip
    assert pd.isna(name.value)
    assert report_module._preloaded == {}, "the report lent to the sections is given back"


def test_chinese_headings_one_per_key(example_frames):
    assert list(frames_module.chinese(example_frames.totals).columns) == [
        "范围", "项目", "资金来源", "全年预算数", "全年执行数", "预算执行率", "按规则计算总分", "各项得分合计",
        "填报总分", "自评得分", "评价等级", "按规则计算等级", "得分不一致处数", "缺失实际完成值个数", "计分提示",
    ]  # fmt: skip
    for columns in frames_module.COLUMNS.values():
        for c in columns:
            assert frames_module.LABELS[c.key] == c.label, f"{c.key}: {c.label} and {frames_module.LABELS[c.key]}"
            # frame.key and row.key read the column: no key is a name pandas has taken (flags, item)
            assert not hasattr(pd.DataFrame, c.key) and not hasattr(pd.Series, c.key), c.key
    assert jixiao.frames(example_frames.report) is example_frames, "made once for a report"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_reported_scores_that_differ_are_rows_with_both_scores_and_the_cell(tmp_path, monkeypatch):
    root = copy_project(tmp_path)
    data = root / "data" / UNIT / str(YEAR)
    _edit(
        data / "indicators.csv", "农村散居特困供养人员走访人数,≥,650,,653,", "农村散居特困供养人员走访人数,≥,650,,585,"
    )
    _edit(data / "profile.csv", "0751-0000000,\n", "0751-0000000,95\n")
    monkeypatch.setenv("JIXIAO_ROOT", str(root))
    made = jixiao.frames(jixiao.open_report(UNIT, YEAR))
    differences = made.differences
    assert list(differences.indicator) == ["农村散居特困供养人员走访人数", "特困供养总分", "部门整体总分"]
    assert list(differences.scope) == ["YB01", "YB01", "department"]
    assert list(differences.is_total) == [False, True, True]
    assert list(zip(differences.reported, differences.computed, differences.gap, strict=True)) == [
        (20, 18, 2), (100, 98, 2), (95, 100, -5)
    ]  # fmt: skip
    assert list(differences.reported_source) == [
        "data/lechang-mzj/2019/indicators.csv#row=2&col=reported_score",
        "data/lechang-mzj/2019/projects.csv#row=2&col=reported_score",
        "data/lechang-mzj/2019/profile.csv#row=2&col=reported_total_score",
    ]
    assert differences.rule[0] == "正向指标：实际 585 < 目标 650，得分 = 585 ÷ 650 × 20 = 18.00"
    assert differences.message[2] == (
        "部门整体自评得分填报95.00分，按6项部门整体绩效指标的得分合计为100.00分（相差-5.00分）。请核实填报的总分或各指标得分。"
    )
    totals = made.totals.set_index("scope")
    assert tuple(totals.loc["YB01", ["computed_total", "total", "reported_total", "final_total", "differences"]]) == (
        98, 100, 100, 100, 2
    )  # fmt: skip
    assert tuple(totals.loc["department", ["reported_total", "final_total", "grade", "differences"]]) == (
        95, 95, "优", 1
    )  # fmt: skip
    visits = one(made.scores, indicator="农村散居特困供养人员走访人数")
    assert (visits.computed, visits.reported, visits.score, visits.scoring_flags) == (18, 20, 20, "differs")
    assert list(made.review.kind).count("score_difference") == 2


def test_the_guide_lists_every_column_of_every_frame():
    guide = (Path(__file__).resolve().parents[1] / "docs" / "department.md").read_text(encoding="utf-8")
    for name, columns in frames_module.COLUMNS.items():
        table = guide.split(f"**`frames.{name}`**", 1)[1].split("\n\n", 2)[1]
        assert table.splitlines()[2:] == [f"| `{c.key}` | {c.label} | {c.meaning} |" for c in columns], name
