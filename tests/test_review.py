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
from jixiao import paths, review, scoring
from jixiao.review import Finding

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


def of_data(found: list[Finding]) -> list[Finding]:
    """The findings of the data checks (the example's text oddities are found whatever the settings)."""
    return [f for f in found if f.kind not in TEXT_KINDS]


def one(found: list[Finding], kind: str) -> Finding:
    matches = [f for f in found if f.kind == kind]
    assert len(matches) == 1, [f.kind for f in found]
    return matches[0]


# -- the example's three oddities of the published text -------------------------------------------------


def test_the_example_has_exactly_its_five_oddities(found):
    assert [(f.kind, f.severity) for f in found] == [
        ("unit_cost", "warning"), ("same_count", "warning"), ("part_of", "warning"),
        ("repeated_text", "note"), ("status_conflict", "note"),
    ]  # fmt: skip


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
    assert out.count('<div class="jx-warning"') == 3
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
    assert closing.startswith("共5条提示（其中3条需核实或说明）。已检查：单位成本1组、同一事项数字1项、部分与整体4项、")


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


def demo_scores() -> scoring.Scores:
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
    project_score = scoring.score_project(project, indicators)
    department = scoring.score_department(indicators)
    return scoring.Scores(
        projects=(project_score,), department=department,
        summary=scoring.weighted_project_summary([project_score]),
    )  # fmt: skip


@pytest.fixture
def scored(fresh):
    with_review(fresh, {})
    fresh.scores = demo_scores()
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
