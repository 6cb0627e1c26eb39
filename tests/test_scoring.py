"""The scoring rules, against numbers worked out by hand in the comments."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.scoring import (
    BandError,
    ScoringError,
    WeightError,
    budget_measure,
    check_weights,
    execution_score,
    grade,
    score_all,
    score_department,
    score_indicator,
    score_project,
    weight_problems,
    weighted_project_summary,
)
from jixiao.scoring.rules import Rules

RULES = Rules()


# --------------------------------------------------------------------------- ≥ (正向)


def test_at_least_met_gets_full_marks():
    # 96 ≥ 95 → full marks, 20.
    s = score_indicator("≥", 95, 96, 20)
    assert s.computed == 20 and s.score == 20 and s.flags == ()
    assert s.rule == "正向指标：实际 96 ≥ 目标 95，得满分 20 分"


def test_at_least_exactly_met():
    # 95 ≥ 95 → 20.
    assert score_indicator("≥", 95, 95, 20).computed == 20


def test_at_least_missed_is_proportional():
    # 80 ÷ 100 × 20 = 16.00
    s = score_indicator("≥", 100, 80, 20)
    assert s.computed == 16.0
    assert s.rule == "正向指标：实际 80 < 目标 100，得分 = 80 ÷ 100 × 20 = 16.00"


def test_at_least_missed_rounds_half_up_to_two_decimals():
    # 2 ÷ 3 × 10 = 6.666… → 6.67;  1 ÷ 3 × 30 = 10 exactly → 10.00
    assert score_indicator("≥", 3, 2, 10).computed == 6.67
    assert score_indicator("≥", 3, 1, 30).computed == 10.0
    # 96.7 ÷ 100 × 15 = 14.505 exactly → half-up 14.51 (binary floats would give 14.50)
    assert score_indicator("≥", 100, 96.7, 15).computed == 14.51


def test_ascii_direction_codes_are_accepted():
    assert score_indicator(">=", 100, 50, 10).computed == 5.0
    assert score_indicator("<=", 10, 5, 10).computed == 10.0


def test_at_least_with_target_zero_full_marks():
    # t = 0: any a ≥ 0 meets it → full marks, and no "far above" flag (1.5 × 0 = 0).
    s = score_indicator("≥", 0, 0, 8)
    assert s.computed == 8 and s.flags == ()
    assert score_indicator("≥", 0, 12, 8).computed == 8
    assert score_indicator("≥", 0, 12, 8).flags == ()
    # a negative actual misses a target of 0: 0, never a negative score
    assert score_indicator("≥", 0, -1, 8).computed == 0


def test_negative_actual_against_positive_target_scores_zero():
    # -5 ÷ 10 × 10 = -5 → floored at 0
    assert score_indicator("≥", 10, -5, 10).computed == 0


# --------------------------------------------------------------------------- = (等于)


def test_equal_with_positive_target_scores_as_at_least():
    # t = 100 > 0: as ≥ → 90 ÷ 100 × 10 = 9.00; 100 → 10
    assert score_indicator("=", 100, 90, 10).computed == 9.0
    assert score_indicator("=", 100, 100, 10).computed == 10.0


def test_equal_with_target_zero():
    # t = 0: a ≤ 0 → w; a > 0 → 0
    assert score_indicator("=", 0, 0, 5).computed == 5.0
    assert score_indicator("=", 0, 1, 5).computed == 0.0
    assert score_indicator("=", 0, 1, 5).rule == "等于指标：目标为 0，实际 1 > 0，得 0 分"


# --------------------------------------------------------------------------- ≤ (反向)


def test_at_most_met():
    # 8 ≤ 10 → 20
    s = score_indicator("≤", 10, 8, 20)
    assert s.computed == 20
    assert s.rule == "反向指标：实际 8 ≤ 目标 10，得满分 20 分"


def test_at_most_between_target_and_twice_target():
    # (1 − (15 − 10) ÷ 10) × 20 = 0.5 × 20 = 10.00
    s = score_indicator("≤", 10, 15, 20)
    assert s.computed == 10.0
    assert s.rule == ("反向指标：目标 10 < 实际 15 < 2 × 目标 20，得分 = (1 − (15 − 10) ÷ 10) × 20 = 10.00")
    # (1 − (12 − 10) ÷ 10) × 15 = 0.8 × 15 = 12.00
    assert score_indicator("≤", 10, 12, 15).computed == 12.0
    # (1 − (3.1 − 3) ÷ 3) × 10 = (29/30) × 10 = 9.666… → 9.67
    assert score_indicator("≤", 3, 3.1, 10).computed == 9.67


def test_at_most_at_or_above_twice_target():
    # a = 2t = 20 → 0;  a = 25 > 20 → 0
    assert score_indicator("≤", 10, 20, 20).computed == 0
    assert score_indicator("≤", 10, 25, 20).computed == 0


def test_at_most_with_target_zero():
    # t = 0: a ≤ 0 → w, else 0
    assert score_indicator("≤", 0, 0, 10).computed == 10
    assert score_indicator("≤", 0, 0.5, 10).computed == 0


# --------------------------------------------------------------------------- 定性


@pytest.mark.parametrize(
    ("grade_", "expected"),
    [
        ("达成", 20.0),  # upper bound: 100% × 20 = 20
        ("部分达成", 14.0),  # midpoint of 60–80%: 70% × 20 = 14
        ("未达成", 6.0),  # midpoint of 0–60%: 30% × 20 = 6
    ],
)
def test_qualitative_without_reported_score(grade_, expected):
    s = score_indicator("定性", None, None, 20, actual_grade=grade_)
    assert s.computed == expected and s.score == expected and s.flags == ()
    assert "未填报得分" in s.rule


def test_qualitative_rule_text_shows_band_and_choice():
    s = score_indicator("定性", None, None, 20, actual_grade="部分达成")
    assert s.rule == (
        "定性指标：完成档次「部分达成」，分值区间 60%–80% × 20 = 12.00–16.00 分；"
        "未填报得分，按区间中值 70% × 20 = 14.00 分计"
    )


@pytest.mark.parametrize(
    ("grade_", "reported"),
    [
        ("达成", 17),  # band 16–20
        ("达成", 16),  # lower edge
        ("部分达成", 12.5),  # band 12–16
        ("部分达成", 16),  # upper edge
        ("未达成", 0),  # band 0–12
        ("未达成", 11.99),
    ],
)
def test_qualitative_reported_inside_band_stands(grade_, reported):
    s = score_indicator("定性", None, None, 20, actual_grade=grade_, reported=reported)
    assert s.score == reported and s.computed == reported and "differs" not in s.flags


@pytest.mark.parametrize(("grade_", "reported"), [("达成", 15.9), ("部分达成", 17), ("部分达成", 11), ("未达成", 13)])
def test_qualitative_reported_outside_band_raises_naming_indicator(grade_, reported):
    with pytest.raises(BandError, match="群众满意度") as err:
        score_indicator("定性", None, None, 20, actual_grade=grade_, reported=reported, name="群众满意度")
    assert isinstance(err.value, ValueError)


def test_qualitative_unknown_grade_raises():
    with pytest.raises(ScoringError, match="服务质量"):
        score_indicator("定性", None, None, 10, actual_grade="优秀", name="服务质量")


def test_qualitative_missing_grade_scores_zero_and_is_flagged():
    s = score_indicator("定性", None, None, 10)
    assert s.computed == 0 and s.flags == ("missing",)


def test_qualitative_custom_bands():
    rules = Rules.from_settings({"qualitative_bands": {"达成": [0.9, 1.0]}})
    # 部分达成 keeps the default 60–80%; 达成 90–100% of 10 = 9–10
    with pytest.raises(BandError):
        score_indicator("定性", None, None, 10, actual_grade="达成", reported=8.5, rules=rules)


# --------------------------------------------------------------------------- flags


def test_missing_actual_scores_zero_and_is_flagged_never_raises():
    s = score_indicator("≥", 100, None, 20)
    assert s.computed == 0 and s.score == 0 and s.flags == ("missing",)
    assert score_indicator("≤", 5, float("nan"), 20).flags == ("missing",)
    assert score_indicator("=", 5, "", 20).flags == ("missing",)


def test_far_above_target_gets_full_marks_and_flag():
    # 160 > 1.5 × 100 = 150 → full marks 20, flagged
    s = score_indicator("≥", 100, 160, 20)
    assert s.computed == 20 and s.flags == ("far_above",)
    assert "1.5 倍" in s.rule
    # exactly 150 is not above 1.5 × 100
    assert score_indicator("≥", 100, 150, 20).flags == ()
    # = is scored as ≥ and flagged too; ≤ never is
    assert score_indicator("=", 10, 20, 5).flags == ("far_above",)
    assert score_indicator("≤", 10, 1, 5).flags == ()


def test_far_above_ratio_is_a_setting():
    rules = Rules.from_settings({"far_above_ratio": 2})
    assert score_indicator("≥", 100, 160, 20, rules=rules).flags == ()


def test_reported_differs_from_computed():
    # computed 80 ÷ 100 × 20 = 16.00; reported 20: the reported one stands, flagged
    s = score_indicator("≥", 100, 80, 20, reported=20)
    assert (s.computed, s.reported, s.score) == (16.0, 20.0, 20.0)
    assert s.flags == ("differs",)
    assert "填报得分 20.00 分，与按规则计算的 16.00 分不一致" in s.rule


def test_reported_within_half_a_cent_is_not_a_difference():
    # computed 16.00, reported 16.004 → same score
    assert score_indicator("≥", 100, 80, 20, reported=16.004).flags == ()
    assert score_indicator("≥", 100, 80, 20, reported=16.01).flags == ("differs",)


def test_unknown_direction_raises():
    with pytest.raises(ScoringError, match="覆盖率"):
        score_indicator(">", 1, 1, 1, name="覆盖率")


# --------------------------------------------------------------------------- execution


def test_execution_below_full():
    # 850 ÷ 1000 × 10 = 8.50; below 90% → low_rate flag
    e = execution_score(1000, 850)
    assert e.score == 8.5 and e.rate == 0.85 and e.flags == ("low_rate",)
    assert "850.00 ÷ 1000.00 × 10 = 8.50" in e.rule


def test_execution_exactly_full():
    # 10408.34 ÷ 10408.34 = 100% → 10
    e = execution_score(10408.34, 10408.34)
    assert e.score == 10 and e.rate == 1 and not e.capped and e.flags == ()


def test_execution_rounding():
    # 95.555 ÷ 100 × 10 = 9.5555 → 9.56 (half-up); 95% is not below 90%
    e = execution_score(100, 95.555)
    assert e.score == 9.56 and e.flags == ()


def test_execution_above_full_is_capped():
    # 105 ÷ 100 = 105% → counted as 100% → 10, flagged
    e = execution_score(100, 105)
    assert e.score == 10 and e.rate == 1.05 and e.capped
    assert "超过 100% 按 100% 计" in e.rule


def test_execution_custom_weight():
    # 90 ÷ 100 × 20 = 18.00
    assert execution_score(100, 90, weight=20).score == 18


def test_execution_zero_budget_is_zero_and_flagged():
    e = execution_score(0, 0)
    assert e.rate is None and e.score == 0 and e.flags == ("no_budget",)


# --------------------------------------------------------------------------- grade


@pytest.mark.parametrize(
    ("total", "expected"),
    [(100, "优"), (90, "优"), (89.99, "良"), (80, "良"), (79.99, "中"), (60, "中"), (59.99, "差"), (0, "差")],
)
def test_national_grade_bands(total, expected):
    assert grade(total, RULES) == expected


@pytest.mark.parametrize(
    ("total", "expected"),
    [(80, "优"), (79.99, "良"), (70, "良"), (69.99, "中"), (60, "中"), (59.99, "差")],
)
def test_custom_grade_bands(total, expected):
    rules = Rules.from_settings({"grades": [[60, "中"], [80, "优"], [0, "差"], [70, "良"]]})
    assert grade(total, rules) == expected


# --------------------------------------------------------------------------- projects


def _project(**kw) -> dict:
    base = {
        "project_id": "P1",
        "project_name": "城乡低保",
        "fund_source": "一般公共预算",
        "initial_budget": 900.0,
        "full_year_budget": 1000.0,
        "executed": 950.0,
        "self_evaluated": "是",
        "_file": "data/u/2019/projects.csv",
        "_sheet": "",
        "_row": 2,
    }
    base.update(kw)
    return base


def _ind(iid, level1, level2, level3, direction, target, actual, weight, scope="P1", **kw):
    row = {
        "indicator_id": iid,
        "scope": scope,
        "level1": level1,
        "level2": level2,
        "level3": level3,
        "direction": direction,
        "target": target,
        "actual": actual,
        "weight": weight,
        "actual_grade": None,
        "reported_score": None,
        "_file": "data/u/2019/indicators.csv",
        "_sheet": "",
        "_row": 2,
    }
    row.update(kw)
    return row


def _indicators() -> pd.DataFrame:
    rows = [
        _ind("I1", "产出指标", "数量指标", "保障人数", "≥", 1000, 900, 30),
        _ind("I2", "产出指标", "时效指标", "发放及时率", "≥", 100, 100, 20),
        _ind("I3", "效益指标", "社会效益指标", "生活改善", "定性", None, None, 30, actual_grade="部分达成"),
        _ind("I4", "满意度指标", "服务对象满意度指标", "满意度", "≥", 90, None, 10),
    ]
    for i, r in enumerate(rows):
        r["_row"] = i + 2
    return pd.DataFrame(rows)


def test_project_total_by_hand():
    # execution 950 ÷ 1000 × 10 = 9.50
    # 保障人数 900 ÷ 1000 × 30 = 27.00;  发放及时率 100 ≥ 100 → 20
    # 生活改善 部分达成, midpoint 70% × 30 = 21.00;  满意度 missing → 0
    # total = 9.50 + 27 + 20 + 21 + 0 = 77.50 → 中
    p = score_project(_project(), _indicators(), RULES)
    assert p.execution.score == 9.5
    assert [s.score for s in p.indicators] == [27.0, 20.0, 21.0, 0.0]
    assert p.total == 77.5 and p.computed_total == 77.5 and p.final_total == 77.5
    assert p.grade == "中" and p.reported_total is None
    assert p.missing == ("满意度",)
    assert "missing" in p.flags and p.weight_problems == ()
    subs = {s.level1: (s.weight, s.indicator_weight, s.score) for s in p.subtotals}
    assert subs == {
        "预算执行率": (10, 10, 9.5),
        "产出指标": (50, 50, 47.0),
        "效益指标": (30, 30, 21.0),
        "满意度指标": (10, 10, 0.0),
    }
    assert p.indicators[0].provenance.row == 2
    assert p.indicators[0].provenance.cite() == "data/u/2019/indicators.csv第 2 行"


def test_project_reported_scores_and_total():
    ind = _indicators()
    ind.loc[0, "reported_score"] = 30.0  # computed 27 → difference
    ind.loc[3, "actual"] = 95.0  # 95 ≥ 90 → 10
    # computed total = 9.5 + 27 + 20 + 21 + 10 = 87.50 (良)
    # table total    = 9.5 + 30 + 20 + 21 + 10 = 90.50
    # reported total 95 → final 95 → 优
    p = score_project(_project(reported_score=95.0), ind, RULES)
    assert p.computed_total == 87.5 and p.total == 90.5 and p.reported_total == 95
    assert p.grade == "优" and p.computed_grade == "良"
    diffs = {(d.item, d.reported, d.computed) for d in p.differences}
    assert diffs == {("保障人数", 30.0, 27.0), ("城乡低保总分", 95.0, 87.5)}
    assert "differs" in p.flags and "total_mismatch" in p.flags
    assert "「保障人数」填报 30.00 分，按规则计算 27.00 分" in p.differences[0].text


def test_project_indicators_are_grouped_by_level1_in_table_order():
    ind = _indicators().iloc[[3, 2, 1, 0]]
    p = score_project(_project(), ind, RULES)
    assert [s.level1 for s in p.indicators] == ["产出指标", "产出指标", "效益指标", "满意度指标"]
    # second levels keep the order they first appear in: 时效指标 (row 2) before 数量指标
    assert [s.name for s in p.indicators][:2] == ["发放及时率", "保障人数"]


def test_project_ignores_other_scopes():
    ind = pd.concat(
        [_indicators(), pd.DataFrame([_ind("X", "产出指标", "数量指标", "别的", "≥", 1, 0, 50, scope="P2")])]
    )
    assert score_project(_project(), ind, RULES).total == 77.5


def test_weight_overrides_per_project():
    # execution 20, output 40 (30 + 10), effect 30, satisfaction 10 → 100
    ind = pd.DataFrame(
        [
            _ind("I1", "产出指标", "数量指标", "a", "≥", 100, 50, 30),
            _ind("I2", "产出指标", "质量指标", "b", "≥", 100, 100, 10),
            _ind("I3", "效益指标", "社会效益指标", "c", "≥", 1, 1, 30),
            _ind("I4", "满意度指标", "服务对象满意度指标", "d", "≥", 90, 90, 10),
        ]
    )
    project = _project(weight_execution=20.0, weight_output=40.0, weight_effect=float("nan"), weight_satisfaction=None)
    # execution 950 ÷ 1000 × 20 = 19.00; a 50 ÷ 100 × 30 = 15; b 10; c 30; d 10
    # total = 19 + 15 + 10 + 30 + 10 = 84.00
    p = score_project(project, ind, RULES)
    assert p.weights == {"execution": 20, "output": 40, "effect": 30, "satisfaction": 10}
    assert p.execution.score == 19.0 and p.total == 84.0 and p.weight_problems == ()


def test_weights_not_summing_name_the_project():
    # output rows 30 + 20 = 50 but effect rows 25 ≠ 30; P2's first levels 10+50+30+20 = 110
    ind = _indicators()
    ind.loc[2, "weight"] = 25.0
    projects = pd.DataFrame(
        [
            _project(),
            _project(project_id="P2", project_name="临时救助", weight_satisfaction=20.0),
            _project(project_id="P3", project_name="未自评", self_evaluated="否"),
        ]
    )
    problems = weight_problems(projects, ind, RULES)
    ids = [pid for pid, _ in problems]
    assert "P1" in ids and "P2" in ids and "P3" not in ids
    p1 = [m for pid, m in problems if pid == "P1"]
    assert p1 == ["效益指标各三级指标分值合计 25，应等于其分值 30"]
    p2 = [m for pid, m in problems if pid == "P2"]
    assert p2[0].startswith("一级指标分值合计 110，应为 100")
    assert "产出指标分值 50，但没有三级指标" in p2
    with pytest.raises(WeightError, match="P1") as err:
        check_weights(projects, ind, RULES)
    assert isinstance(err.value, ValueError)
    # score_project records it instead of raising
    p = score_project(_project(), ind, RULES)
    assert "weights" in p.flags and len(p.weight_problems) == 1


def test_unknown_level1_is_a_weight_problem():
    ind = _indicators()
    ind.loc[0, "level1"] = "投入指标"
    msgs = [m for _, m in weight_problems(pd.DataFrame([_project()]), ind, RULES)]
    assert any("一级指标「投入指标」" in m for m in msgs)


# --------------------------------------------------------------------------- department


def _department() -> pd.DataFrame:
    return pd.DataFrame(
        [
            _ind("D1", "预算执行", "预算完成率", "预算完成率", "≥", 100, 95, 40, scope="department"),
            _ind("D2", "履职效能", "重点工作", "重点工作办结率", "≥", 100, 100, 40, scope="department"),
            _ind(
                "D3",
                "满意度",
                "满意度",
                "群众满意度",
                "定性",
                None,
                None,
                20,
                scope="department",
                actual_grade="达成",
                reported_score=18.0,
            ),
        ]
    )


def test_department_score_by_hand():
    # 95 ÷ 100 × 40 = 38.00; 40; 定性 达成 reported 18 (band 16–20) → 18
    # total = 38 + 40 + 18 = 96.00 → 优
    d = score_department(_department(), RULES)
    assert [s.score for s in d.indicators] == [38.0, 40.0, 18.0]
    assert d.total == 96.0 and d.grade == "优" and d.weight_problems == ()
    assert [s.level1 for s in d.subtotals] == ["预算执行", "履职效能", "满意度"]
    assert d.subtotals[0].weight == 40


def test_department_weights_must_reach_100():
    dep = _department()
    dep.loc[2, "weight"] = 10.0
    dep.loc[2, "reported_score"] = 9.0
    d = score_department(dep, RULES)
    assert d.weight_problems == ("部门整体各指标分值合计 90，应为 100",)
    both = pd.concat([_indicators(), dep], ignore_index=True)
    ids = [pid for pid, _ in weight_problems(pd.DataFrame([_project()]), both, RULES)]
    assert ids == ["department"]


# --------------------------------------------------------------------------- actuals computed from the budget


def _budget() -> pd.DataFrame:
    # the 2018 example's three lines: 9808.62 full-year, 9688.43 executed, 9417.00 initial
    return pd.DataFrame(
        {
            "initial_budget": [1180.0, 7850.0, 387.0],
            "full_year_budget": [1196.32, 8210.40, 401.90],
            "executed": [1190.07, 8108.62, 389.74],
        }
    )


def test_budget_measures_over_the_budget_totals():
    # 9688.43 ÷ 9808.62 × 100 = 98.7746… → 98.77
    rate = budget_measure("预算执行率", _budget())
    assert rate.value == 98.77 and rate.totals == {"executed": 9688.43, "full_year_budget": 9808.62}
    assert rate.formula == "全年执行数 ÷ 全年预算数 × 100"
    assert rate.rule == "全年执行数 9688.43 ÷ 全年预算数 9808.62 × 100 = 98.77"
    # (9808.62 − 9417.00) ÷ 9417.00 × 100 = 4.1586… → 4.16
    adjusted = budget_measure("预算调整率", _budget())
    assert adjusted.value == 4.16
    assert adjusted.rule == "(全年预算数 9808.62 − 年初预算数 9417.00) ÷ 年初预算数 9417.00 × 100 = 4.16"
    # (9808.62 − 9688.43) ÷ 9808.62 × 100 = 1.2253… → 1.23
    assert budget_measure("结转结余率", _budget()).value == 1.23


def test_a_budget_measure_without_a_budget_is_missing():
    empty = budget_measure("预算执行率", pd.DataFrame(columns=["initial_budget", "full_year_budget", "executed"]))
    assert empty.value is None
    assert empty.rule == "全年执行数 0.00 ÷ 全年预算数 0.00 × 100：全年预算数为 0，无法计算"
    with pytest.raises(ScoringError, match="支付进度率"):
        budget_measure("支付进度率", _budget())


def test_department_indicator_with_its_actual_computed_from_the_budget():
    # typed 98.8 would score 98.8 ÷ 100 × 40 = 39.52; computed 98.77 scores 98.77 ÷ 100 × 40 = 39.508 → 39.51
    dep = _department()
    dep["computed_actual"] = ["预算执行率", None, None]
    dep.loc[0, "actual"] = None
    d = score_department(dep, RULES, _budget())
    s = d.indicators[0]
    assert (s.actual, s.score, s.computed_actual) == (98.77, 39.51, "预算执行率")
    assert s.rule == (
        "实际完成值：预算执行率 = 全年执行数 9688.43 ÷ 全年预算数 9808.62 × 100 = 98.77；"
        "正向指标：实际 98.77 < 目标 100，得分 = 98.77 ÷ 100 × 40 = 39.51"
    )
    assert d.total == 97.51  # 39.51 + 40 + 18
    # without a budget the computed actual is missing, scored 0
    assert "missing" in score_department(dep, RULES).indicators[0].flags


def test_the_2018_example_scores_its_budget_completion_from_the_budget():
    # 9688.43 ÷ 9808.62 × 100 = 98.77 (not the typed 98.8): 98.77 ÷ 100 × 20 = 19.754 → 19.75 (not 19.76)
    import jixiao

    for year, actual, score in ((2018, 98.77, 19.75), (2019, 100.0, 20.0)):
        department = jixiao.open_report("lechang-mzj", year).scores.department
        s = next(s for s in department.indicators if s.name == "预算完成率")
        assert (s.actual, s.score, s.computed_actual) == (actual, score, "预算执行率")
    assert s.rule.startswith("实际完成值：预算执行率 = 全年执行数 10408.34 ÷ 全年预算数 10408.34 × 100 = 100；")
    assert jixiao.open_report("lechang-mzj", 2018).scores.department.total == 98.5  # 19.75 + 10 + 23.75 + 15 + 10 + 20


def test_the_department_table_traces_a_computed_actual_to_the_budget_cells():
    import html
    import re

    import jixiao
    from jixiao.sections import overview

    out = str(overview.department_table(jixiao.open_report("lechang-mzj", 2018)))
    row = re.search(r"<tr><td>预算执行</td><td>预算完成</td><td>预算完成率</td>.*?</tr>", out).group(0)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
    actual, score = cells[5], cells[8]
    mark = '<span class="jx-mark">示</span></span>'  # 2018 is illustrative
    assert 'data-source="formula:全年执行数 ÷ 全年预算数 × 100"' in actual
    assert actual.endswith(">98.77</span></a>" + mark)
    tip = html.unescape(re.search(r'title="([^"]*)"', actual).group(1))
    assert "= 9688.43万元 ÷ 9808.62万元 × 100 = 98.77" in tip
    # the cells are one click away, in the 数据来源 appendix (here still on the span)
    derivation = html.unescape(re.search(r'data-derivation="([^"]*)"', actual).group(1))
    assert "来源：data/lechang-mzj/2018/budget.csv 第3行 全年执行数(executed)" in derivation
    assert score.endswith(">19.75</span></a>" + mark)
    assert "得分 = 98.77 ÷ 100 × 20 = 19.75" in html.unescape(score)


# --------------------------------------------------------------------------- summary


def test_spending_weighted_summary():
    # P1: executed 950, total 77.50; P2: executed 50, total 100 (reported)
    # (77.5 × 950 + 100 × 50) ÷ 1000 = (73625 + 5000) ÷ 1000 = 78.625 → 78.63
    p1 = score_project(_project(), _indicators(), RULES)
    p2 = score_project(
        _project(project_id="P2", project_name="临时救助", full_year_budget=50.0, executed=50.0, reported_score=100.0),
        pd.DataFrame(columns=list(_indicators().columns)),
        RULES,
    )
    s = weighted_project_summary([p1, p2])
    assert s.score == 78.63 and s.total_executed == 1000 and s.weighted
    assert s.formula == ("Σ(项目得分 × 全年执行数) ÷ Σ全年执行数 = (77.50 × 950.00 + 100.00 × 50.00) ÷ 1000.00 = 78.63")


def test_summary_without_spending_or_projects():
    assert weighted_project_summary([]).score is None
    p = score_project(_project(executed=0.0, reported_score=80.0), _indicators(), RULES)
    s = weighted_project_summary([p, p])
    assert s.score == 80 and not s.weighted


def test_score_all_takes_self_evaluated_projects_and_department():
    class DS:
        projects = pd.DataFrame(
            [
                _project(),
                _project(project_id="P3", project_name="未自评", self_evaluated="否"),
            ]
        )
        indicators = pd.concat([_indicators(), _department()], ignore_index=True)

    scores = score_all(DS(), RULES)
    assert [p.project_id for p in scores.projects] == ["P1"]
    assert scores.project("P1").total == 77.5
    assert scores.department is not None and scores.department.total == 96.0
    # one project: the weighted mean is its own total
    assert scores.summary.score == 77.5
    assert scores.weight_problems == ()


# --------------------------------------------------------------------------- properties

numbers = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
targets = st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False)
weights = st.floats(min_value=0.01, max_value=100, allow_nan=False, allow_infinity=False)


@given(st.sampled_from(["≥", "≤", "="]), targets, numbers, weights)
def test_score_lies_between_zero_and_weight(direction, t, a, w):
    s = score_indicator(direction, t, a, w)
    assert 0 <= s.computed <= round(w, 2) + 1e-9


@given(st.sampled_from(["达成", "部分达成", "未达成"]), weights)
def test_qualitative_score_lies_between_zero_and_weight(g, w):
    s = score_indicator("定性", None, None, w, actual_grade=g)
    assert 0 <= s.computed <= round(w, 2) + 1e-9


@given(targets, numbers, numbers, weights)
def test_at_least_is_non_decreasing_in_actual(t, a1, a2, w):
    lo, hi = sorted((a1, a2))
    assert score_indicator("≥", t, lo, w).computed <= score_indicator("≥", t, hi, w).computed


@given(targets, numbers, numbers, weights)
def test_at_most_is_non_increasing_in_actual(t, a1, a2, w):
    lo, hi = sorted((a1, a2))
    assert score_indicator("≤", t, lo, w).computed >= score_indicator("≤", t, hi, w).computed


@st.composite
def projects_with_indicators(draw):
    """A project whose weights add up to 100, with 1–3 indicators per first level."""
    w_exec = draw(st.integers(min_value=0, max_value=40))
    rest = 100 - w_exec
    w_out = draw(st.integers(min_value=1, max_value=rest - 2))
    w_eff = draw(st.integers(min_value=1, max_value=rest - w_out - 1))
    w_sat = rest - w_out - w_eff
    rows = []
    for level1, total in (("产出指标", w_out), ("效益指标", w_eff), ("满意度指标", w_sat)):
        n = draw(st.integers(min_value=1, max_value=3))
        cuts = [total * k / n for k in range(n + 1)]
        for k in range(n):
            direction = draw(st.sampled_from(["≥", "≤", "=", "定性"]))
            rows.append(
                _ind(
                    f"{level1}{k}",
                    level1,
                    "x",
                    f"{level1}{k}",
                    direction,
                    None if direction == "定性" else draw(targets),
                    None if direction == "定性" else draw(st.one_of(st.none(), numbers)),
                    cuts[k + 1] - cuts[k],
                    actual_grade=draw(st.sampled_from(["达成", "部分达成", "未达成", None])),
                )
            )
    budget = draw(st.floats(min_value=0, max_value=1e5, allow_nan=False))
    executed = draw(st.floats(min_value=0, max_value=2e5, allow_nan=False))
    project = _project(
        full_year_budget=budget,
        executed=executed,
        weight_execution=w_exec,
        weight_output=w_out,
        weight_effect=w_eff,
        weight_satisfaction=w_sat,
    )
    return project, pd.DataFrame(rows)


@settings(max_examples=60, deadline=None)
@given(projects_with_indicators())
def test_project_total_lies_between_0_and_100(case):
    project, ind = case
    p = score_project(project, ind, RULES)
    assert p.weight_problems == ()
    assert 0 <= p.total <= 100 + 1e-9
    assert p.grade in {"优", "良", "中", "差"}
    assert not math.isnan(p.total)


# --------------------------------------------------------------------------- 一体化平台 variant

PLATFORM = Rules.from_settings(
    {"deviation_ratio": 0.3, "deviation_points": 2, "execution_caps": [[0.8, 89], [0.7, 79], [0.6, 69], [0.5, 59]]}
)


def test_deviation_off_by_default():
    s = score_indicator("≥", 100, 140, 20)
    assert (s.computed, s.flags) == (20.0, ())


def test_deviation_deducts_two_points_at_thirty_percent_above():
    # 130 ≥ 100 × 1.3: full marks 20 − 2 = 18
    s = score_indicator("≥", 100, 130, 20, rules=PLATFORM)
    assert s.computed == 18.0
    assert s.flags == ("deviation",)
    assert s.rule == (
        "正向指标：实际 130 ≥ 目标 100，得满分 20 分；实际 130 ≥ 目标 100 × (1 + 30%) = 130，"
        "指标偏离扣 2 分：20.00 − 2 = 18.00"
    )


def test_deviation_not_below_thirty_percent_nor_on_at_most_nor_below_zero():
    assert score_indicator("≥", 100, 129.99, 20, rules=PLATFORM).computed == 20.0
    assert score_indicator("≤", 100, 140, 20, rules=PLATFORM).computed == 12.0
    assert score_indicator("≥", 10, 20, 1, rules=PLATFORM).computed == 0.0


def _capped_project(executed: float, rules: Rules):
    project = {"project_id": "P1", "project_name": "甲", "full_year_budget": 100, "executed": executed}
    rows = pd.DataFrame(
        [
            {"scope": "P1", "level1": "产出指标", "level3": "a", "direction": "≥", "target": 1, "actual": 1,
             "weight": 50},
            {"scope": "P1", "level1": "效益指标", "level3": "b", "direction": "≥", "target": 1, "actual": 1,
             "weight": 30},
            {"scope": "P1", "level1": "满意度指标", "level3": "c", "direction": "≥", "target": 1, "actual": 1,
             "weight": 10},
        ]
    )  # fmt: skip
    return score_project(project, rows, rules)


@pytest.mark.parametrize(
    ("executed", "total", "cap"),
    [(85, 98.5, None), (75, 89.0, 89.0), (65, 79.0, 79.0), (55, 69.0, 69.0), (45, 59.0, 59.0)],
)
def test_execution_caps_bound_the_total(executed, total, cap):
    # 90 indicator points + executed ÷ 100 × 10
    p = _capped_project(executed, PLATFORM)
    assert (p.computed_total, p.total, p.cap) == (total, total, cap)
    assert ("execution_cap" in p.flags) == (cap is not None)


def test_execution_cap_rule_names_rate_cap_and_deduction():
    p = _capped_project(65, PLATFORM)
    assert p.cap_rule == "预算执行率 65.00% 低于 70%，总分最高 79 分：按规则计算 96.50 分，扣除 17.50 分"
    assert p.grade == "中"
    assert _capped_project(65, RULES).computed_total == 96.5


def test_blank_weights_take_the_rules_defaults_split_evenly_in_whole_cents():
    from jixiao.scoring.weights import default_weights, shares

    assert shares(50, 3) == [16.67, 16.67, 16.66] and sum(shares(50, 3)) == pytest.approx(50)
    rows = [
        {"level1": "产出指标", "weight": None}, {"level1": "产出指标", "weight": 20.0},
        {"level1": "产出指标", "weight": math.nan}, {"level1": "效益指标", "weight": None},
        {"level1": "满意度指标", "weight": 10.0}, {"level1": "其他", "weight": None},
    ]  # fmt: skip
    filled = default_weights(rows, {"产出指标": 50.0, "效益指标": 30.0, "满意度指标": 10.0})
    assert filled == {0, 2, 3}
    assert [r["weight"] for r in rows[:5]] == [15.0, 20.0, 15.0, 30.0, 10.0]
    assert rows[5]["weight"] is None  # an unknown first level keeps its blank
    department = [{"level1": "投入", "weight": 40.0}, {"level1": "产出", "weight": None}, {"level1": "效果"}]
    assert default_weights(department, None) == {1, 2}
    assert [r.get("weight") for r in department] == [40.0, 30.0, 30.0]


def test_a_project_scored_on_default_weights_says_which_are_defaults():
    project = {"project_id": "P1", "full_year_budget": 100.0, "executed": 100.0}
    indicators = pd.DataFrame([
        {"indicator_id": "a", "scope": "P1", "level1": "产出指标", "level3": "甲", "direction": "≥", "target": 10.0,
         "actual": 10.0, "weight": None},
        {"indicator_id": "b", "scope": "P1", "level1": "效益指标", "level3": "乙", "direction": "≥", "target": 10.0,
         "actual": 5.0, "weight": None},
        {"indicator_id": "c", "scope": "P1", "level1": "满意度指标", "level3": "丙", "direction": "≥", "target": 90.0,
         "actual": 95.0, "weight": 10.0},
    ])  # fmt: skip
    p = score_project(project, indicators)
    assert [(s.weight, s.weight_default, s.computed) for s in p.indicators] == [
        (50.0, True, 50.0), (30.0, True, 15.0), (10.0, False, 10.0)
    ]  # fmt: skip
    assert (p.total, p.weight_problems) == (85.0, ())
