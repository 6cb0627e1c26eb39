"""jixiao.checks on the inputs as loaded, without a report: each finding's rule, subject, numbers
and the source of every number (the input cell, the setting, the formula)."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import pandas as pd
import pytest

from jixiao import checks, paths, scoring
from jixiao.checks import amounts, goals, published, scores, stats
from jixiao.checks.findings import Cell, Formula, Number, Setting
from jixiao.inputs import loading, settings
from jixiao.inputs.published import Source, published_table
from jixiao.scoring.rules import Rules

UNIT, YEAR = "lechang-mzj", 2019
STATS = f"data/{UNIT}/{YEAR}/stats.csv"
NARRATIVE = f"data/{UNIT}/{YEAR}/narrative.csv"
UNIT_YAML = f"params/{UNIT}/unit.yaml"


def inputs(unit: str, year: int) -> tuple[loading.Dataset, scoring.Scores, settings.Settings]:
    unit_settings = settings.load(unit, year)
    data = loading.load(unit, year)
    return data, scoring.score_all(data, Rules.from_settings(unit_settings.scoring)), unit_settings


def last_year(unit: str, year: int):
    return lambda: (year - 1, loading.load_table(unit, year - 1, "projects")[0])


def stat_cell(data, key: str) -> Cell:
    index = data.stats.index[data.stats["key"] == key][0]
    return Cell("stats", index, "value", Source(STATS, "", int(data.stats.at[index, "_row"]), "value", "数值"))


@pytest.fixture(scope="module")
def example():
    return inputs(UNIT, YEAR)


@pytest.fixture(scope="module")
def found(example):
    data, scored, unit_settings = example
    return checks.run(data, scored, unit_settings, published_table(paths.data_dir(UNIT, YEAR)), last_year(UNIT, YEAR))


def test_the_examples_findings_in_order(found):
    assert [(f.kind, f.level, f.subject) for f in found] == [
        ("unit_cost", "warning", ("社会救助", "流浪乞讨救助")),
        ("same_count", "warning", ("敬老院数量",)),
        ("part_of", "warning", ("免除殡葬基本服务费宗数不应超过火化遗体数",)),
        ("all_full_marks", "note", ()),
        ("repeated_text", "note", ("ertong", 11, 12)),
        ("status_conflict", "note", ("地名普查成果转化",)),
        ("goal_indicator", "warning", ("G05", "BM-03")),
    ]  # fmt: skip
    assert [f.title for f in found[:2]] == ["单位成本异常", "同一事项数字不一致"]


def test_a_unit_cost_with_its_cells_and_its_setting(found, example):
    data = example[0]
    f = found[0]
    assert [n.name for n in f.numbers] == ["cost", "low", "ratio", "limit"] and f.details == {"low": "临时救助"}
    assert (f["cost"].value, f["cost"].unit) == (pytest.approx(162 / 153), "万元/人次")
    assert f["cost"].source == Formula("amount / count", (
        Number("amount", 162.0, "万元", stat_cell(data, "liulang_aid_amount")),
        Number("count", 153.0, "人次", stat_cell(data, "liulang_aid_persontimes")),
    ))  # fmt: skip
    assert f["low"].value == pytest.approx(41.95 / 289)
    assert [n.source.where.row for n in f["low"].source.inputs] == [8, 7]
    assert f["ratio"].value == pytest.approx(162 / 153 / (41.95 / 289))
    assert f["ratio"].source == Formula("cost / low", (f["cost"], f["low"]))
    assert f["limit"] == Number("limit", 3.0, "", Setting(UNIT_YAML, "review.unit_costs.max_ratio"))


def test_counts_that_disagree_and_a_part_larger_than_its_whole(found, example):
    data = example[0]
    same, part = found[1], found[2]
    sprinkler = Number("jly_sprinkler_count", 15.0, "间", stat_cell(data, "jly_sprinkler_count"))
    staff = Number("jly_staff_homes", 17.0, "间", stat_cell(data, "jly_staff_homes"))
    assert same.numbers == (sprinkler, staff, Number("gap", 2.0, "间", Formula("jly_staff_homes - jly_sprinkler_count",
                                                                                (staff, sprinkler))))  # fmt: skip
    waived = Number("part", 1157.0, "宗", stat_cell(data, "funeral_fee_waived_cases"))
    cremated = Number("whole", 1115.0, "具", stat_cell(data, "cremations"))
    assert part.numbers == (waived, cremated, Number("excess", 42.0, "宗", Formula("part - whole", (waived, cremated))))


def test_every_indicator_at_full_marks_counted_by_table(found):
    count = found[3]["count"]
    assert (count.value, count.unit) == (68, "个")
    assert count.source.expression.startswith("YB01 + YB02 + ") and count.source.expression.endswith(" + department")
    assert sum(n.value for n in count.source.inputs) == 68 and count.source.inputs[-1] == Number("department", 6, "个")


def test_text_findings_cite_their_rows(found):
    repeated, conflict = found[4], found[5]
    assert [c.where for c in repeated.rows] == [
        Source(NARRATIVE, "", 13, "text", "内容"), Source(NARRATIVE, "", 14, "text", "内容"),
    ]  # fmt: skip
    assert repeated.numbers == (Number("similarity", 1.0, "", Formula("difflib.SequenceMatcher(rows).ratio()")),)
    assert repeated.details["clause"].startswith("积极配合对接百家社会组织")
    assert [c.where.row for c in conflict.rows] == [21]
    assert conflict.details == {"phrase": "地名普查成果转化正在进行中"}


def test_every_published_figure_agrees_and_the_computed_ones_are_the_overviews(example):
    import jixiao
    from jixiao.sections import overview

    data, scored, _ = example
    compared = published.comparisons(data, scored, published_table(paths.data_dir(UNIT, YEAR)))
    assert len(compared) == 84 and all(c.agrees for c in compared)
    report = jixiao.open_report(UNIT, YEAR)
    keyed = {key: figure.value for key, figure in overview.keyed_figures(report)}
    assert {n.name: n.value for n in published.computed(data, scored)} == keyed  # one rule, two writers


def test_a_figure_printed_otherwise(example):
    data, scored, _ = example
    table = published_table(paths.data_dir(UNIT, YEAR))
    share = "evaluated_share.一般公共预算"
    printed = replace(table.by_key[share], value=79.4)
    (f,) = published.differences(data, scored, replace(table, by_key={share: printed}))
    assert (f.kind, f.level, f.subject, f.details) == ("published", "warning", (share,), {"printed": printed})
    (number,) = f.numbers
    assert number.value == pytest.approx(0.795, abs=5e-4) and number.source.expression.endswith(" / spending")


# -- rules on small tables ----------------------------------------------------------------------


@pytest.fixture
def demo():
    """test_review's small tables (a score that differs, an actual twice its target, a missing
    actual, an execution rate of 80%), as a checks' ``data``, and their scores."""
    from test_review import demo_scores, demo_tables

    project, indicators = demo_tables()
    return SimpleNamespace(projects=pd.DataFrame([project]), indicators=indicators), demo_scores()


def indicator_cell(data, n: int, column: str, label: str) -> Cell:
    file = "data/demo/2019/indicators.csv"
    return Cell("indicators", n - 2, column, Source(file, "", n, column, label))


def test_score_differences_name_both_scores_and_the_rule(demo):
    data, scored = demo
    found = scores.score_differences(scored, data)
    assert [(f.subject, f.details) for f in found] == [
        (("P1", "测试项目", "满意度"), {"total": False, "default_weight": False}),
        (("P1", "测试项目", "测试项目总分"), {"total": True, "default_weight": False}),
        (("department", "", "重点工作办结率"), {"total": False, "default_weight": False}),
    ]
    first = found[0]
    assert first["reported"] == Number("reported", 10.0, "分", indicator_cell(data, 4, "reported_score", "得分(填报)"))
    assert first["computed"] == Number(
        "computed", 9.44, "分", Formula("正向指标：实际 85 < 目标 90，得分 = 85 ÷ 90 × 10 = 9.44")
    )
    assert first["gap"].value == pytest.approx(0.56) and first["gap"].source.expression == "reported - computed"
    total = found[1]["reported"]
    assert (total.value, total.source.table, total.source.where.row) == (95.0, "projects", 2)
    assert found[1]["computed"].source == Formula("execution + sum(indicators)")


def test_far_above_missing_and_low_execution(demo, example):
    data, scored = demo
    unit_settings = example[2]
    far, missing = scores.indicator_flags(scored, data, unit_settings)
    assert (far.kind, far.subject) == ("far_above", ("P1", "测试项目", "救助人次"))
    assert far["actual"] == Number("actual", 200, "人次", indicator_cell(data, 2, "actual", "实际完成值"))
    assert far["ratio"].value == 2.0 and far["ratio"].source.expression == "actual / target"
    assert far["limit"] == Number("limit", 1.5, "", Setting(UNIT_YAML, "scoring.far_above_ratio"))
    assert (missing.kind, missing.level, missing.subject) == ("missing_actual", "warning", ("P1", "测试项目", "覆盖率"))
    assert missing["weight"] == Number("weight", 30, "分", indicator_cell(data, 3, "weight", "分值"))
    (low,) = scores.low_execution(scored, data)
    assert low["rate"].value == 0.8 and low["rate"].source.expression == "executed / budget"
    assert [(n.name, n.value, n.source.where.row) for n in low.numbers[1:]] == [("executed", 80, 2), ("budget", 100, 2)]


def test_a_carry_over_above_last_years_balance(example):
    data, _, _ = example
    funds = data.project_funds.copy()
    funds.loc[(funds["project_id"] == "JJ01") & (funds["fund_type"] == amounts.CARRYOVER), "full_year_budget"] = 18.0
    (f,) = amounts.carryovers(SimpleNamespace(project_funds=funds, projects=data.projects), last_year(UNIT, YEAR))
    assert (f.kind, f.level, f.subject, f.details) == ("carryover", "warning", ("养老服务设施建设",), {"year": 2018})
    assert f["left"].value == pytest.approx(12.16) and f["excess"].value == pytest.approx(5.84)
    assert [(n.name, n.source.where) for n in f["left"].source.inputs] == [
        ("budget", Source("data/lechang-mzj/2018/projects.csv", "", 9, "full_year_budget", "全年预算数")),
        ("spent", Source("data/lechang-mzj/2018/projects.csv", "", 9, "executed", "全年执行数")),
    ]
    nothing = amounts.carryovers(SimpleNamespace(project_funds=funds, projects=data.projects), lambda: None)
    assert nothing == []  # a first year: nothing to compare with


def test_settings_the_data_cannot_support_are_unchecked(example):
    data, _, unit_settings = example
    asked = replace(unit_settings, raw={**unit_settings.raw, "review": {
        "same_count": [{"label": "床位", "keys": ["liability_ins_beds", "beds_x"]}],
        "project_amounts": [{"project": "殡葬服务", "keys": ["funeral_fee_waived_amount"]},
                            {"project": "JJ06", "keys": ["cremations"]}],
    }})  # fmt: skip
    found = stats.same_counts(data, asked) + amounts.project_amounts(data, asked)
    assert [(f.kind, f.subject, f.details) for f in found] == [
        ("unchecked", ("review.same_count.床位",), {"reason": "keys", "keys": ("beds_x",)}),
        ("unchecked", ("review.project_amounts[1]",), {"reason": "project", "project": "殡葬服务"}),
        ("unchecked", ("review.project_amounts[2]",), {"reason": "units", "units": ("具",)}),
    ]


GOALS = f"data/{UNIT}/{YEAR}/goals.csv"
INDICATORS = f"data/{UNIT}/{YEAR}/indicators.csv"


def test_a_goal_partly_done_while_its_indicator_has_full_marks(found, example):
    """G05 地名普查成果转化 is 部分完成, and the indicator that measures it (BM-03 重点工作办结率)
    gives 100 against 100 with full marks: both cannot be true."""
    data = example[0]
    (f,) = [f for f in found if f.kind == "goal_indicator"]
    assert f.details == {
        "goal": "完成地名普查成果转化", "completion": "部分完成", "indicator": "重点工作办结率",
        "scope": "department", "project_name": "", "met": True,
    }  # fmt: skip
    assert [(n.name, n.value, n.unit) for n in f.numbers] == [
        ("target", 100.0, "%"), ("actual", 100.0, "%"), ("weight", 25.0, "分"), ("score", 25.0, "分")
    ]  # fmt: skip
    assert [(n.source.where.file, n.source.where.row, n.source.column) for n in f.numbers[:3]] == [
        (INDICATORS, 66, "target"), (INDICATORS, 66, "actual"), (INDICATORS, 66, "weight")
    ]  # fmt: skip
    assert f["score"].source == Formula("正向指标：实际 100 ≥ 目标 100，得满分 25 分")
    (row,) = f.rows
    assert (row.table, row.column, row.where.file, row.where.row) == ("goals", "completion", GOALS, 6)
    assert data.goals.at[row.index, "goal_id"] == "G05"


def test_a_goal_done_while_its_indicator_fell_short_and_agreeing_pairs_pass(example):
    data, scored, _ = example
    goals_table = data.goals.copy()
    goals_table.loc[goals_table["goal_id"] == "G05", "completion"] = "完成"  # now agrees with BM-03
    assert goals.goal_indicators(scored, SimpleNamespace(goals=goals_table, indicators=data.indicators)) == []
    short = replace(scored.department.indicators[3], score=10.0, computed=10.0)  # BM-04 at 10 of 15
    department = replace(scored.department, indicators=(*scored.department.indicators[:3], short,
                                                        *scored.department.indicators[4:]))  # fmt: skip
    (f,) = goals.goal_indicators(replace(scored, department=department),
                                 SimpleNamespace(goals=goals_table, indicators=data.indicators))  # fmt: skip
    assert f.subject == ("G01", "BM-04") and f.details["met"] is False and f.details["completion"] == "完成"
    assert goals.goal_indicators(scored, SimpleNamespace(goals=goals_table.drop(columns="indicator_id"))) == []


def test_a_goal_partly_done_agrees_with_one_indicator_met_and_one_missed(example):
    """部分完成 contradicts its indicators only when every one of them met its target; a goal measured
    by a 定性 indicator is worded with the indicator's texts."""
    data, scored, _ = example
    goals_table = data.goals.copy()
    g01 = goals_table["goal_id"] == "G01"
    goals_table.loc[g01, ["completion", "indicator_id"]] = ["部分完成", "BM-04、BM-05"]
    both_met = goals.goal_indicators(scored, SimpleNamespace(goals=goals_table, indicators=data.indicators))
    assert [f.subject for f in both_met if f.subject[0] == "G01"] == [("G01", "BM-04"), ("G01", "BM-05")]
    qualitative = next(f for f in both_met if f.subject == ("G01", "BM-05"))
    assert (qualitative["target"].value, qualitative["actual"].value) == (
        "党风廉政建设深入推进，政治生态风清气正",
        "达成",
    )
    short = replace(scored.department.indicators[3], score=10.0, computed=10.0)  # BM-04 at 10 of 15
    department = replace(scored.department, indicators=(*scored.department.indicators[:3], short,
                                                        *scored.department.indicators[4:]))  # fmt: skip
    one_missed = goals.goal_indicators(replace(scored, department=department),
                                       SimpleNamespace(goals=goals_table, indicators=data.indicators))  # fmt: skip
    assert [f.subject for f in one_missed if f.subject[0] == "G01"] == []


def test_a_figure_printed_only_as_text_is_compared_as_a_number():
    """A published row that gives only a text (80.0%) agrees with the figure as jixiao writes it
    (80%): the styles differ, the numbers do not."""
    from jixiao.inputs.published import Printed

    printed = Printed("evaluated_share", "占比", None, "80.0%", "%", "", "", Source("published.csv"))
    assert printed.agrees("80%") and printed.agrees("80.04%") and not printed.agrees("80.1%")
    assert not printed.agrees("80%个")
    assert Printed("p", "", None, "特困供养", "", "", "", Source("x")).agrees("特困供养")
