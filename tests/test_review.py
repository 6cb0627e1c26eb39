"""审核提示: the three oddities of the 2019 example, score checks on small tables, the rendering."""

from __future__ import annotations

import csv
import html
import math
import re
from dataclasses import replace

import pandas as pd
import pytest

import jixiao
from jixiao import checks, paths, scoring
from jixiao.sections import review
from jixiao.sections.review import Finding

UNIT, YEAR = "lechang-mzj", 2019
STATS = f"data/{UNIT}/{YEAR}/stats.csv"
DEMO = "data/demo/2019"


def stats_row(key: str, file: str = STATS) -> int:
    """The spreadsheet row (header = 1) of ``key``, read with the csv module."""
    with open(paths.root() / file, encoding="utf-8", newline="") as f:
        for number, row in enumerate(csv.DictReader(f), start=2):
            if row["key"] == key:
                return number
    raise AssertionError(key)


def text_of(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


@pytest.fixture(scope="module")
def report():
    return jixiao.open_report(UNIT, YEAR)


@pytest.fixture(scope="module")
def found(report) -> list[Finding]:
    return review.findings(report)


@pytest.fixture
def fresh():
    return jixiao.open_report(UNIT, YEAR)


def with_review(report, value: dict) -> None:
    report.settings = replace(report.settings, raw={**report.settings.raw, "review": value})


TEXT_KINDS = {"repeated_text", "status_conflict"}
SETTINGS_FREE = {*TEXT_KINDS, "all_full_marks", "goal_indicator"}
"""The example's notes found whatever the review settings: its text oddities, its full marks and
its goal partly done while the indicator measuring it has full marks."""


def of_data(found: list[Finding]) -> list[Finding]:
    """The findings of the checks the review settings drive."""
    return [f for f in found if f.kind not in SETTINGS_FREE]


def one(found: list[Finding], kind: str) -> Finding:
    matches = [f for f in found if f.kind == kind]
    assert len(matches) == 1, [f.kind for f in found]
    return matches[0]


# -- the example's three oddities of the published text -------------------------------------------------


def test_the_example_has_exactly_its_seven_oddities(found):
    """The published report's own: a 7.3× unit cost, 15 vs 17 敬老院, 1157 > 1115, a repeated
    clause, 完成 vs 正在进行中, and a score of 100 (every indicator at full marks); and the one the
    published report makes between its sections: 重点工作办结率 100 with full marks, while the goal
    地名普查成果转化 is only partly done. The supplied data contradict neither themselves nor the
    published figures otherwise."""
    assert [(f.kind, f.severity) for f in found] == [
        ("unit_cost", "warning"), ("same_count", "warning"), ("part_of", "warning"),
        ("all_full_marks", "note"), ("repeated_text", "note"), ("status_conflict", "note"),
        ("goal_indicator", "warning"),
    ]  # fmt: skip


def test_a_goal_and_the_indicator_measuring_it_disagree(found):
    finding = one(found, "goal_indicator")
    assert finding.message == (
        "年度绩效目标“完成地名普查成果转化”的完成情况为“部分完成”，而衡量它的部门整体指标“重点工作办结率”"
        "实际完成值100%（年度指标值100%），得满分（25.00分，分值25分）。两者不能同时属实：请核实指标的实际完成值"
        "或目标的完成情况，并使自评结论与之一致。"
    )
    sources = {name: f.source for name, f in finding.figures.items() if f.source is not None}
    assert (sources["completion"].file, sources["completion"].row) == ("data/lechang-mzj/2019/goals.csv", 6)
    assert (sources["actual"].file, sources["actual"].row) == ("data/lechang-mzj/2019/indicators.csv", 66)


def test_clauses_repeated_word_for_word_in_section_three(found):
    finding = one(found, "repeated_text")
    assert finding.message == (
        "「儿童福利保障全面落实」一节文字材料第13行与第14行有近乎相同的句子（相似度100%）："
        "“积极配合对接百家社会组织走近留守和困境儿童“牵手行动”和社会组织扶百村专项行动”。请删去重复或改写。"
    )
    assert finding.figures["first"].source.row == 13 and finding.figures["second"].source.row == 14


def test_work_both_completed_and_in_progress(found):
    finding = one(found, "status_conflict")
    assert finding.message == (
        "文字材料第21行先写“完成……地名普查成果转化”，又写“地名普查成果转化正在进行中”，完成情况前后不一。请核实表述。"
    )
    assert finding.figures["row"].source.file == "data/lechang-mzj/2019/narrative.csv"


def test_text_checks_pass_on_distinct_and_consistent_items(fresh):
    narrative = fresh.data.narrative.copy()
    narrative.loc[narrative["_row"] == 14, "text"] = "组织留守儿童参加暑期阅读与安全教育活动，覆盖各镇中心小学。"
    narrative.loc[narrative["_row"] == 21, "text"] = "完成地名普查成果转化工作。"
    fresh.data._frames["narrative"] = narrative
    assert [f.kind for f in review.findings(fresh) if f.kind in {"repeated_text", "status_conflict"}] == []


def test_unit_cost_of_vagrancy_aid(found):
    f = one(found, "unit_cost")
    assert f.subject == "社会救助：流浪乞讨救助"
    assert f.message == (
        "社会救助中，流浪乞讨救助的单位成本为1.0588万元/人次（162万元 ÷ 153人次），"
        "是临时救助0.1452万元/人次（41.95万元 ÷ 289人次）的7.3倍，超过设定上限3倍。"
        "请核实支出口径与计数口径。"
    )
    ratio, cost, low = f.figures["ratio"], f.figures["cost"], f.figures["low"]
    assert ratio.text == "7.3倍" and ratio.value == pytest.approx(162 / 153 / (41.95 / 289))
    assert ratio.formula == "流浪乞讨救助单位成本 ÷ 临时救助单位成本"
    assert cost.formula == "流浪乞讨救助金 ÷ 流浪乞讨救助人次"
    assert cost.value == pytest.approx(162 / 153) and low.value == pytest.approx(41.95 / 289)
    assert [i.source.row for i in cost.inputs] == [
        stats_row("liulang_aid_amount"), stats_row("liulang_aid_persontimes"),
    ]  # fmt: skip
    limit = f.figures["limit"]
    assert limit.value == 3 and limit.source.file == f"params/{UNIT}/unit.yaml"
    assert limit.source.column == "review.unit_costs.max_ratio"


def test_same_count_of_homes_for_the_elderly(found):
    f = one(found, "same_count")
    assert f.message == (
        "敬老院数量前后不一致：安装简易喷淋敬老院15间，考核工作人员的镇敬老院17间，相差2间。请核实哪一个数字正确。"
    )
    assert f.figures["gap"].formula == "考核工作人员的镇敬老院 − 安装简易喷淋敬老院"
    assert f.figures["f0"].source.row == stats_row("jly_sprinkler_count")


def test_part_larger_than_whole_with_different_measure_words(found):
    f = one(found, "part_of")
    assert f.message == (
        "免除殡葬基本服务费宗数不应超过火化遗体数。免除殡葬基本服务费1157宗，多于火化遗体1115具，"
        "超出42宗。请核实统计口径。"
    )
    excess = f.figures["excess"]
    assert excess.value == 42 and excess.formula == "免除殡葬基本服务费 − 火化遗体"


def test_notes_render_boxes_with_figure_spans(report):
    out = review.notes(report)
    assert out.count('<div class="jx-warning"') == 4
    assert '<div class="jx-warning" data-kind="unit_cost"><p><strong>单位成本异常</strong>：' in out
    row = stats_row("funeral_fee_waived_cases")
    where = "公开发布：《乐昌市民政局2019年绩效自评报告》（四）民政领域社会治理水平得到提升 一是"
    assert (
        f'<span class="jx-fig" data-provenance="published" data-source="{STATS}#row={row}&amp;col=value" '
        f'title="免除殡葬基本服务费：1157宗&#10;{where}&#10;来源：{STATS} 第{row}行 数值(value)" '
        'tabindex="0">1157宗</span>'
    ) in out
    ratio = "formula:流浪乞讨救助单位成本 ÷ 临时救助单位成本"
    assert f'<span class="jx-fig" data-provenance="published" data-source="{ratio}"' in out
    closing = text_of(re.findall(r'<p class="jx-hint">.*?</p>', out)[-1])
    assert closing == (
        "共7条提示（其中4条需核实或说明）。已检查：单位成本1组、同一事项数字1项、部分与整体4项、"
        "自评表与业务统计数字17项、年度绩效目标与衡量它的指标3项、业务统计金额与项目支出4项、上年结转资金1项、公开数字84项、"
        "13个自评项目的得分、指标与执行率、"
        "部门整体绩效指标。提示仅供审核参考，不改变填报的得分。"
    )


def test_illustrative_year_flags_only_what_its_data_say():
    earlier = jixiao.open_report(UNIT, 2018)
    found = review.findings(earlier)
    assert [f.kind for f in found] == ["unit_cost"]  # 17 = 17 homes; 1052 宗 ≤ 1068 具
    assert "的4.3倍" in found[0].message
    assert found[0].figures["ratio"].illustrative


# -- no findings, and settings the data cannot support ------------------------------------------


def test_nothing_found_gives_the_closing_line(fresh):
    with_review(fresh, {})
    narrative = fresh.data.narrative
    fresh.data._frames["narrative"] = narrative[narrative["kind"] == "title"]
    indicators = fresh.data.indicators.copy()
    indicators.loc[indicators["indicator_id"] == "JJ04-01", "actual"] = 2990  # of 3000 人次: not full marks
    fresh.data._frames["indicators"] = indicators
    fresh.data._frames["goals"] = fresh.data.goals.drop(columns="indicator_id")
    assert review.findings(fresh) == []
    out = review.notes(fresh)
    assert out.startswith('<p class="jx-note">未发现需要提示的问题。已检查：')
    assert "jx-warning" not in out


def test_a_key_the_stats_lack_is_noted_not_raised(fresh):
    same = [{"label": "床位", "keys": ["liability_ins_beds", "beds_x"]}]
    with_review(fresh, {"same_count": same})
    (f,) = of_data(review.findings(fresh))
    assert (f.kind, f.severity) == ("unchecked", "note")
    assert "beds_x" in f.message and "未检查" in f.message
    assert '<div class="jx-note" data-kind="unchecked">' in review.notes(fresh)


def test_counts_that_agree_and_parts_within_their_whole_pass(fresh):
    with_review(fresh, {
        "same_count": [{"label": "社工站", "keys": ["shegong_stations", "shegong_stations"]}],
        "part_of": [{"label": "清退", "part": "dibao_cleared_households",
                     "whole": "dibao_cleared_people"}],
        "unit_costs": {"max_ratio": 10, "groups": [{"name": "救助", "items": [
            {"label": "临时救助", "amount": "linshi_aid_amount", "count": "linshi_aid_persontimes"},
            {"label": "流浪乞讨救助", "amount": "liulang_aid_amount",
             "count": "liulang_aid_persontimes"}]}]},
    })  # fmt: skip
    assert of_data(review.findings(fresh)) == []  # 7.3 < 10


# -- score checks on small tables ---------------------------------------------------------------


def demo_tables() -> tuple[dict, pd.DataFrame]:
    """One project row and its indicators (with one department indicator): a reported score that
    differs, an actual twice its target, a missing actual, an execution rate of 80%."""
    project = {
        "project_id": "P1", "project_name": "测试项目", "fund_source": "一般公共预算",
        "initial_budget": 100, "full_year_budget": 100, "executed": 80, "reported_score": 95,
        "_file": f"{DEMO}/projects.csv", "_sheet": "", "_row": 2,
    }  # fmt: skip
    file = f"{DEMO}/indicators.csv"

    def row(i, scope, l1, name, target, actual, weight, reported, unit, n):
        return dict(
            indicator_id=i, scope=scope, level1=l1, level2="数量指标", level3=name,
            direction="≥", target=target, actual=actual, weight=weight,
            reported_score=reported, measure_unit=unit, _file=file, _sheet="", _row=n,
        )  # fmt: skip

    indicators = pd.DataFrame([
        row("I1", "P1", "产出指标", "救助人次", 100, 200, 50, math.nan, "人次", 2),
        row("I2", "P1", "效益指标", "覆盖率", 100, math.nan, 30, math.nan, "%", 3),
        row("I3", "P1", "满意度指标", "满意度", 90, 85, 10, 10, "%", 4),
        row("D1", "department", "产出", "重点工作办结率", 100, 90, 100, 100, "%", 5),
    ])  # fmt: skip
    return project, indicators


def demo_scores() -> scoring.Scores:
    project, indicators = demo_tables()
    project_score = scoring.score_project(project, indicators)
    department = scoring.score_department(indicators)
    return scoring.Scores(
        projects=(project_score,), department=department,
        summary=scoring.weighted_project_summary([project_score]),
    )  # fmt: skip


@pytest.fixture
def scored(fresh, monkeypatch):
    with_review(fresh, {})
    fresh.scores = demo_scores()
    # the demo scores name indicators the example's data do not hold: the report's own figures, which
    # the published check compares with the published table, cannot be computed from them
    monkeypatch.setattr(checks.published, "differences", lambda data, scores, table: [])
    return review.findings(fresh)


def test_score_differences_show_both_numbers_and_the_rule(scored):
    diffs = [f for f in scored if f.kind == "score_difference"]
    assert [f.message for f in diffs] == [
        "项目“测试项目”指标“满意度”填报10.00分，按规则计算为9.44分（相差+0.56分）。"
        "计分规则：正向指标：实际 85 < 目标 90，得分 = 85 ÷ 90 × 10 = 9.44。",
        "项目“测试项目”总分填报95.00分，按规则计算为67.44分（相差+27.56分）。"
        "计分规则：项目总分 = 预算执行率得分 + 各指标按规则计算的得分之和。",
        "部门整体指标“重点工作办结率”填报100.00分，按规则计算为90.00分（相差+10.00分）。"
        "计分规则：正向指标：实际 90 < 目标 100，得分 = 90 ÷ 100 × 100 = 90.00。",
    ]
    reported = diffs[0].figures["reported"]
    assert reported.data_source() == f"{DEMO}/indicators.csv#row=4&col=reported_score"
    total = diffs[1].figures["reported"]
    assert total.data_source() == f"{DEMO}/projects.csv#row=2&col=reported_score"
    assert diffs[0].figures["gap"].formula == "满意度填报得分 − 满意度按规则计算得分"


def test_far_above_target_and_missing_actual(scored):
    far = one(scored, "far_above")
    assert far.severity == "note"
    assert far.message == (
        "项目“测试项目”指标“救助人次”实际完成值200人次，为年度指标值100人次的2.0倍，超过1.5倍。"
        "规则未规定扣分公式，请判断目标是否设定偏低。"
    )
    assert far.figures["actual"].data_source() == f"{DEMO}/indicators.csv#row=2&col=actual"
    assert far.figures["limit"].source.column == "scoring.far_above_ratio"
    missing = one(scored, "missing_actual")
    assert missing.message == (
        f"项目“测试项目”指标“覆盖率”未填报实际完成值（{DEMO}/indicators.csv 第3行），"
        "按规则计0分，该指标分值30分全部失去。请补填或说明原因。"
    )


def test_low_execution_rate(scored):
    low = one(scored, "low_execution")
    assert low.message == (
        "项目“测试项目”预算执行率80%（全年执行数80.00万元 ÷ 全年预算数100.00万元），"
        "低于90%，按规定应在自评表中说明原因。"
    )
    assert low.figures["rate"].formula == "全年执行数 ÷ 全年预算数"
    assert low.figures["budget"].data_source() == f"{DEMO}/projects.csv#row=2&col=full_year_budget"


def test_findings_are_in_check_order(scored):
    assert [f.kind for f in scored] == [
        "score_difference", "score_difference", "score_difference",
        "far_above", "missing_actual", "low_execution", "repeated_text", "status_conflict",
    ]  # fmt: skip


# -- the contradictions the supplied data once had, seeded back -------------------------------------


def seeded(report, table: str, changes: dict[str, dict[str, object]], id_column: str = "indicator_id") -> None:
    """Set cells of ``report``'s table ``table``: {row id: {column: value}}."""
    frame = getattr(report.data, table).copy()
    for key, cells in changes.items():
        rows = frame[id_column] == key
        assert rows.sum() == 1, key
        for column, value in cells.items():
            frame.loc[rows, column] = value
    report.data._frames[table] = frame


@pytest.fixture
def fresh_2018():
    return jixiao.open_report(UNIT, 2018)


def test_an_indicator_of_the_self_evaluation_table_against_its_stats_figure(fresh_2018):
    # the 2018 自评表 once said 临时救助 276 人次 while the 2018 stats (表（一）) said 312
    seeded(fresh_2018, "indicators", {
        "YB05-01": {"actual": 276}, "YB02-01": {"actual": 9032}, "JJ02-04": {"actual": 8600},
        "JJ01-01": {"actual": 7},
    })  # fmt: skip
    found = [f for f in review.findings(fresh_2018) if f.kind == "indicator_stat"]
    assert [f.message for f in found] == [
        "项目“社会福利”指标“高龄津贴发放人数”的实际完成值为9032人，业务统计表中同一事项“高龄津贴发放人数”为9128名，"
        "相差96人。同一事项应为同一数字，请核实哪一个正确。",
        "项目“临时救助”指标“临时救助人次”的实际完成值为276人次，业务统计表中同一事项“临时救助人次”为312人次，"
        "相差36人次。同一事项应为同一数字，请核实哪一个正确。",
        "项目“养老服务设施建设”指标“养老服务项目建设个数”的实际完成值为7个，业务统计表中同一事项"
        "（“幸福计划”项目5个 + 城乡社区养老综合服务设施1个）合计为6个，相差1个。"
        "同一事项应为同一数字，请核实哪一个正确。",
        "项目“‘双百镇’社工”指标“帮助困难群众人次”的实际完成值为8600人次，业务统计表中同一事项“社工站帮助困难群众”"
        "为0.8万人次（即8000人次），相差600人次。同一事项应为同一数字，请核实哪一个正确。",
    ]
    assert all(f.severity == "warning" for f in found)
    linshi = found[1]
    assert linshi.figures["actual"].data_source() == "data/lechang-mzj/2018/indicators.csv#row=22&col=actual"
    assert linshi.figures["stat"].data_source() == (
        f"data/lechang-mzj/2018/stats.csv#row={stats_row('linshi_aid_persontimes', 'data/lechang-mzj/2018/stats.csv')}"
        "&col=value"
    )
    assert linshi.figures["gap"].formula == "|临时救助人次实际完成值 − 临时救助人次|"
    assert found[3].figures["gap"].formula == "|帮助困难群众人次实际完成值 − 社工站帮助困难群众 × 10000|"
    assert found[2].figures["stat"].formula == "“幸福计划”项目 + 城乡社区养老综合服务设施"


def test_a_stats_amount_above_the_spending_of_the_project_said_to_pay_it(fresh):
    # 殡葬改革 once had 38.00 万元 while the published text says 免费总金额 156.2 万元
    seeded(fresh, "projects", {"JJ06": {"executed": 38.0}, "YB05": {"executed": 200.0}}, "project_id")
    found = [f for f in review.findings(fresh) if f.kind == "project_amount"]
    assert [f.message for f in found] == [
        "业务统计中的临时救助金41.95万元、流浪乞讨救助金162万元（合计203.95万元）由项目“临时救助”支出，"
        "超过该项目全年执行数200.00万元，超出3.95万元。请核实项目资金或统计口径。",
        "业务统计中的殡葬免费总金额156.2万元由项目“殡葬改革”支出，超过该项目全年执行数38.00万元，超出118.20万元。"
        "请核实项目资金或统计口径。",
    ]
    funeral = found[1]
    assert funeral.figures["amount"].data_source() == f"{STATS}#row={stats_row('funeral_fee_waived_amount')}&col=value"
    assert not funeral.figures["amount"].illustrative  # published
    assert funeral.figures["executed"].data_source() == f"data/{UNIT}/{YEAR}/projects.csv#row=14&col=executed"
    assert funeral.figures["executed"].illustrative
    assert funeral.figures["excess"].formula == "殡葬免费总金额 − 殡葬改革全年执行数"
    total = found[0].figures["amount"]
    assert total.formula == "临时救助金 + 流浪乞讨救助金" and total.label == "由项目“临时救助”支出的业务统计金额合计"


def test_project_amounts_the_data_cannot_support_are_noted(fresh):
    with_review(fresh, {"project_amounts": [
        {"project": "殡葬服务", "keys": ["funeral_fee_waived_amount"]},
        {"project": "JJ06", "keys": ["cremations"]},
    ]})  # fmt: skip
    assert [f.message for f in of_data(review.findings(fresh))] == [
        "审核设置 review.project_amounts[1] 引用的项目“殡葬服务”在2019年项目表（projects）中不存在"
        "（按项目编码和项目名称均未找到），该项未检查。",
        "审核设置 review.project_amounts[2] 的指标键应为金额（万元），其中有计量单位为具的，该项未检查。",
    ]


def carry_over(report, project_id: str, amount: float, row: int) -> None:
    """Add (or set) the 上年结转资金 row of ``project_id`` in ``report``'s project_funds."""
    funds = report.data.project_funds.copy()
    rows = (funds["project_id"] == project_id) & (funds["fund_type"] == "上年结转资金")
    if rows.any():
        funds.loc[rows, "full_year_budget"] = amount
    else:
        extra = funds[funds["project_id"] == project_id].iloc[[0]].copy()
        extra["fund_type"], extra["full_year_budget"], extra["_row"] = "上年结转资金", amount, row
        funds = pd.concat([funds, extra], ignore_index=True)
    report.data._frames["project_funds"] = funds


def test_a_carry_over_above_last_years_unspent_balance(fresh):
    # 2019 once carried 18.00 for 养老服务设施建设 (2018 left 12.16) and 65.18 for 城乡低保 (2018 spent 100%)
    carry_over(fresh, "JJ01", 18.0, 10)
    carry_over(fresh, "YB03", 65.18, 16)
    found = [f for f in review.findings(fresh) if f.kind == "carryover"]
    assert [(f.severity, f.message) for f in found] == [
        ("warning", "项目“养老服务设施建设”2019年上年结转资金18.00万元，超过该项目2018年的结余12.16万元"
                    "（全年预算数125.00万元 − 全年执行数112.84万元），多出5.84万元。结转资金不应超过上年未支出的金额，"
                    "请核实资金来源。"),
        ("warning", "项目“城乡低保”2019年上年结转资金65.18万元，超过该项目2018年的结余0.00万元"
                    "（全年预算数3108.45万元 − 全年执行数3108.45万元），多出65.18万元。"
                    "结转资金不应超过上年未支出的金额，请核实资金来源。"),
    ]  # fmt: skip
    left = found[0].figures["left"]
    assert left.value == pytest.approx(12.16) and left.formula == "2018年全年预算数 − 2018年全年执行数"
    assert [i.data_source() for i in left.inputs] == [
        "data/lechang-mzj/2018/projects.csv#row=9&col=full_year_budget",
        "data/lechang-mzj/2018/projects.csv#row=9&col=executed",
    ]
    assert (
        found[0].figures["carry"].data_source() == f"data/{UNIT}/{YEAR}/project_funds.csv#row=10&col=full_year_budget"
    )


def test_a_carry_over_is_matched_by_name_when_the_ids_differ(fresh):
    carry_over(fresh, "JJ01", 18.0, 10)
    carry_over(fresh, "YB03", 65.18, 16)
    seeded(fresh.previous, "projects", {"JJ01": {"project_id": "FL01"}}, "project_id")
    seeded(fresh.previous, "projects", {"YB03": {"project_id": "DB03", "project_name": "最低生活保障"}}, "project_id")
    found = [f for f in review.findings(fresh) if f.kind == "carryover"]
    assert [f.severity for f in found] == ["warning", "note"]
    assert found[0].figures["budget"].data_source() == "data/lechang-mzj/2018/projects.csv#row=9&col=full_year_budget"
    assert found[1].message == (
        "项目“城乡低保”有上年结转资金65.18万元，但2018年项目表（projects）中没有该项目（按项目编码和项目名称均未找到），"
        "无法核对上年结余。"
    )


def test_a_carry_over_within_last_years_balance_passes_and_a_first_year_is_not_checked(fresh, fresh_2018):
    carry_over(fresh, "JJ01", 12.165, 10)  # within the cent
    assert [f for f in review.findings(fresh) if f.kind == "carryover"] == []
    carry_over(fresh_2018, "JJ01", 50.0, 14)  # no 2017 data to compare with
    assert [f for f in review.findings(fresh_2018) if f.kind == "carryover"] == []


def test_a_reported_department_total_that_differs_from_its_indicators(fresh_2018):
    profile = fresh_2018.data.profile.copy()
    profile["reported_total_score"] = 98.8  # the typed 预算完成率 would have given 98.51; the rules give 98.50
    fresh_2018.data._frames["profile"] = profile
    (f,) = [f for f in review.findings(fresh_2018) if f.kind == "total_score"]
    assert (f.severity, f.message) == (
        "warning",
        "部门整体自评得分填报98.80分，按6项部门整体绩效指标的得分合计为98.50分（相差+0.30分）。请核实填报的总分或各指标得分。",
    )
    assert f.figures["reported"].data_source() == "data/lechang-mzj/2018/profile.csv#row=2&col=reported_total_score"
    assert f.figures["computed"].formula == "部门整体各项绩效指标得分之和"
    assert [i.text for i in f.figures["computed"].inputs] == ["19.75分", "10.00分", "23.75分", "15.00分", "10.00分",
                                                              "20.00分"]  # fmt: skip


def test_a_reported_department_total_equal_to_its_indicators_passes(fresh):
    profile = fresh.data.profile.copy()
    profile["reported_total_score"] = 100.0  # the published score
    fresh.data._frames["profile"] = profile
    assert [f for f in review.findings(fresh) if f.kind == "total_score"] == []


def test_too_many_targets_equal_to_their_actuals(fresh):
    with_review(fresh, {"target_equals_actual": {"max_share": 0.1}})
    (f,) = of_data(review.findings(fresh))
    assert (f.kind, f.severity) == ("target_equals_actual", "note")
    assert f.message == (
        "37个定量指标中有4个的实际完成值与年度指标值完全相同（占10.8%，超过10%），"
        "如项目“养老服务设施建设”指标“养老服务项目建设个数”（目标9个，实际9个）、"
        "项目“养老服务设施建设”指标“新增日间照料养老床位”（目标180个，实际180个）、"
        "项目“‘双百镇’社工”指标“帮助困难群众人次”（目标10000人次，实际10000人次）等。"
        "年度指标值可能是按完成情况事后填写的，请核实是否为年初设定的目标。"
    )
    assert f.figures["share"].formula == "实际等于目标的指标个数 ÷ 参与比较的定量指标个数"
    assert f.figures["k"].formula.endswith(
        "项目“儿童福利”指标“开展“女童保护”课程的小学数”（data/lechang-mzj/2019/indicators.csv 第46行）"
    )
    assert f.figures["limit"].data_source() == f"params/{UNIT}/unit.yaml#col=review.target_equals_actual.max_share"
    assert f.figures["k"].illustrative


def test_targets_equal_to_actuals_within_the_units_share_pass(found):
    assert not [f for f in found if f.kind == "target_equals_actual"]  # 4 of 37 = 10.8% ≤ 30%


def test_every_indicator_at_full_marks(found):
    f = one(found, "all_full_marks")
    assert f.message == (
        "部门整体和13个自评项目的全部68个绩效指标均得满分，没有一项扣分。"
        "全部满分的自评较少见，请核实年度指标值与实际完成值是否如实反映绩效。"
    )
    count = f.figures["count"]
    assert count.value == 68 and count.formula.startswith(
        "各自评表的绩效指标个数之和：项目“特困供养”5个；项目“社会福利”5个；"
    )
    assert count.formula.endswith("；部门整体6个")


def test_a_year_with_missed_targets_is_not_at_full_marks(fresh_2018):
    assert [f for f in review.findings(fresh_2018) if f.kind == "all_full_marks"] == []


def test_the_new_review_settings_are_read_strictly(tmp_path, monkeypatch):
    from helpers_inputs import project_copy
    from jixiao.inputs import settings

    project_copy(tmp_path, monkeypatch)
    unit = tmp_path / "project" / "params" / UNIT / "unit.yaml"
    text = unit.read_text(encoding="utf-8")
    assert "target_equals_actual:" in text and "max_share: 0.3" in text
    unit.write_text(text.replace("target_equals_actual:", "target_equal_actual:"), encoding="utf-8")
    with pytest.raises(settings.SettingsError) as typo:
        settings.load(UNIT, YEAR)
    assert typo.value.message == (
        "未知设置项 (unknown key) 'review.target_equal_actual'; "
        "允许: unit_costs, same_count, part_of, project_amounts, target_equals_actual"
    )
    unit.write_text(text.replace("max_share: 0.3", "max_share: 三成"), encoding="utf-8")
    with pytest.raises(settings.SettingsError) as word:
        settings.load(UNIT, YEAR)
    assert word.value.message == "'review.target_equals_actual.max_share' 应为 数字 (a number), 实为 '三成'"


def test_a_goal_measured_by_a_qualitative_indicator_is_worded_with_its_texts(fresh):
    goals = fresh.data.goals.copy()
    goals.loc[goals["goal_id"] == "G01", ["completion", "deviation_reason", "indicator_id"]] = [
        "部分完成", "部分县区滞后", "BM-05"
    ]  # fmt: skip
    fresh.data._frames["goals"] = goals
    messages = [f.message for f in review.findings(fresh) if f.kind == "goal_indicator"]
    assert messages[0] == (
        "年度绩效目标“城乡低保、特困供养、孤儿养育和残疾人两项补贴标准按上级要求及时提标，救助资金按时足额发放”的完成情况为"
        "“部分完成”，而衡量它的部门整体指标“全面从严治党”实际完成值达成（年度指标值党风廉政建设深入推进，政治生态风清气正），"
        "得满分（10.00分，分值10分）。两者不能同时属实：请核实指标的实际完成值或目标的完成情况，并使自评结论与之一致。"
    )
