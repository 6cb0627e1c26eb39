"""jixiao check: forms re-scored by a rule set, every flag with both numbers and its rule, and the
three outputs (check.html, check.xlsx, check.json), on forms built in code and on real workbooks."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pytest

from jixiao.check import forms, outputs, rules, run
from jixiao.forms.model import DEPARTMENT, FUND_TOTAL, PROJECT, Form, FormIndicator, FundRow, Value

NATIONAL = rules.load("national")
PLATFORM = rules.load("platform")


def v(x, text=None) -> Value:
    return Value(x, text if text is not None else ("" if x is None else str(x)))


def indicator(row, level1, name, direction, target, actual, weight, score, *, level2="", reason=None, unit="%"):
    return FormIndicator(row, v(level1), v(level2), v(name), direction, v(target), unit, v(actual), v(weight),
                         v(score), v(reason))  # fmt: skip


def good_rows() -> list[FormIndicator]:
    """产出 50 + 效益 30 + 满意度 10, every target met: 90 points."""
    return [
        indicator(10, "产出指标", "救助人次", "≥", 1000, 1000, 30, 30, level2="数量指标", unit="人次"),
        indicator(11, "产出指标", "发放及时率", "≥", 95, 98, 20, 20, level2="时效指标"),
        indicator(
            12, "效益指标", "困难群众基本生活保障", "定性", "有效保障", "达成", 30, 30, level2="社会效益", unit=""
        ),
        indicator(13, "满意度指标", "受助对象满意度", "≥", 90, 92, 10, 10, level2="服务对象满意度"),
    ]


def project_form(rows=None, *, funds=None, total=100, grade="优", project="临时救助", department="示例县民政局",
                 file="forms/民政局.xlsx", sheet="临时救助") -> Form:  # fmt: skip
    funds = funds if funds is not None else (
        FundRow(FUND_TOTAL, v(200), v(200), v(200), v(10), v(1.0, "100%"), v(10)),
        FundRow("当年财政拨款", v(200), v(200), v(200)),
    )  # fmt: skip
    return Form(file, sheet, PROJECT, "A1", "项目支出绩效自评表", 2023, v(project), v(department), v(department),
                tuple(funds), v("保障基本生活"), v("已保障"), tuple(rows if rows is not None else good_rows()),
                v(total), v(grade))  # fmt: skip


def codes(record: dict) -> list[str]:
    return [f["code"] for f in record["flags"]]


def row_flags(record: dict, name: str) -> list[dict]:
    return next(i["flags"] for i in record["indicators"] if i["name"] == name)


# --------------------------------------------------------------------------- flags, one rule each


def test_a_good_form_has_no_flag_and_its_totals_agree():
    r = forms.check(project_form(), NATIONAL)
    assert (r["reported_total"], r["computed_total"], r["computed_grade"]) == (100.0, 100.0, "优")
    assert r["flags"] == [] and all(i["flags"] == [] for i in r["indicators"])
    assert [i["computed_score"] for i in r["indicators"]] == [30.0, 20.0, 30.0, 10.0]


def test_score_above_its_weight():
    rows = good_rows()
    rows[0] = indicator(10, "产出指标", "救助人次", "≥", 1000, 1000, 30, 32, unit="人次")
    r = forms.check(project_form(rows, total=102), NATIONAL)
    over = [f for f in row_flags(r, "救助人次") if f["code"] == "over_weight"]
    assert over == [forms.flag("over_weight", "填报得分 32.00 分高于分值 30 分", 32.0, 30.0)]


def test_reported_score_that_differs_from_the_rules_with_both_numbers_and_the_rule():
    rows = good_rows()
    rows[1] = indicator(11, "产出指标", "发放及时率", "≥", 95, 76, 20, 20, reason="资金下达较晚")
    r = forms.check(project_form(rows), NATIONAL)
    assert row_flags(r, "发放及时率") == [
        forms.flag(
            "score_difference",
            "填报 20.00 分，按规则计算 16.00 分（相差 +4.00 分）："
            "正向指标：实际 76 < 目标 95，得分 = 76 ÷ 95 × 20 = 16.00",
            20.0,
            16.0,
        )
    ]
    assert r["flags"] == [
        forms.flag("score_difference", "填报总分 100.00 分，按规则计算 96.00 分（相差 +4.00 分）", 100.0, 96.0)
    ]
    assert r["computed_total"] == 96.0


def test_target_missed_without_a_reason():
    rows = good_rows()
    rows[3] = indicator(13, "满意度指标", "受助对象满意度", "≥", 90, 81, 10, 9)
    r = forms.check(project_form(rows, total=99), NATIONAL)
    assert row_flags(r, "受助对象满意度") == [
        forms.flag("no_reason", "实际 81 未达到目标 ≥90，未填写偏差原因", 81.0, 90.0)
    ]
    assert r["computed_total"] == 99.0 and r["flags"] == []


def test_qualitative_grade_below_target_without_a_reason_and_a_score_outside_its_band():
    rows = good_rows()
    rows[2] = indicator(12, "效益指标", "困难群众基本生活保障", "定性", "有效保障", "部分达成", 30, 27)
    r = forms.check(project_form(rows, total=97), NATIONAL)
    assert row_flags(r, "困难群众基本生活保障") == [
        forms.flag(
            "band",
            "定性指标「困难群众基本生活保障」：完成档次「部分达成」的得分应在 18.00–24.00 分之间，填报 27 分",
            27.0,
        ),
        forms.flag("no_reason", "完成档次「部分达成」，未达成目标，未填写偏差原因", "部分达成", None),
    ]
    # scored at the band's midpoint: 70% × 30 = 21
    assert r["indicators"][2]["computed_score"] == 21.0 and r["computed_total"] == 91.0


def test_qualitative_words_that_are_no_grade_are_named_and_scored_by_the_reported_score():
    rows = good_rows()
    rows[2] = indicator(12, "效益指标", "困难群众基本生活保障", "定性", "有效保障", "好", 30, 30)
    r = forms.check(project_form(rows), NATIONAL)
    assert row_flags(r, "困难群众基本生活保障") == [
        forms.flag(
            "grade_unknown",
            "实际完成值「好」不是 达成、部分达成、未达成 之一，按填报得分 30 分所在区间计为「达成」",
            "好",
            "达成",
        )
    ]


def test_missing_actual_and_missing_target():
    rows = good_rows()
    rows[0] = indicator(10, "产出指标", "救助人次", "≥", 1000, None, 30, 30, unit="人次")
    rows[1] = indicator(11, "产出指标", "发放及时率", "≥", "及时", 98, 20, 20)
    r = forms.check(project_form(rows), NATIONAL)
    assert [f["code"] for f in row_flags(r, "救助人次")] == ["score_difference", "missing_actual"]
    assert row_flags(r, "救助人次")[1] == forms.flag(
        "missing_actual", "实际完成值未填报，按 0 分计（分值 30 分）", None, 0.0
    )
    assert [f["code"] for f in row_flags(r, "发放及时率")] == ["score_difference", "no_target"]
    assert r["computed_total"] == 50.0


def test_far_above_target_is_a_note_from_the_review():
    rows = good_rows()
    rows[0] = indicator(10, "产出指标", "救助人次", "≥", 1000, 1600, 30, 30, unit="人次")
    r = forms.check(project_form(rows), NATIONAL)
    assert row_flags(r, "救助人次") == [
        forms.flag("far_above", "实际 1600 是目标 1000 的 1.60 倍，超过 1.5 倍，请复核目标是否偏低", 1600.0, 1000.0)
    ]
    assert row_flags(r, "救助人次")[0]["level"] == "note"


def test_execution_rate_its_score_and_executed_above_budget():
    funds = (
        FundRow(FUND_TOTAL, v(200), v(200), v(210), v(10), v(0.95, "95%"), v(9.5)),
        FundRow("当年财政拨款", v(200), v(200), v(210)),
    )
    r = forms.check(project_form(funds=funds), NATIONAL)
    assert r["flags"] == [
        forms.flag("over_budget", "年度资金总额：全年执行数 210.00 万元高于全年预算数 200.00 万元", 210.0, 200.0),
        forms.flag(
            "execution_rate",
            "年度资金总额：执行率填报 95%，按全年执行数 210.00 ÷ 全年预算数 200.00 计算为 105%",
            0.95,
            1.05,
        ),
        forms.flag("over_budget", "当年财政拨款：全年执行数 210.00 万元高于全年预算数 200.00 万元", 210.0, 200.0),
        forms.flag(
            "execution_score",
            "执行率得分填报 9.50 分；预算执行率：全年执行数 210.00 ÷ 全年预算数 200.00 = 105.00%，"
            "超过 100% 按 100% 计，得满分 10 分",
            9.5,
            10.0,
        ),
        forms.flag("total_sum", "总分填报 100.00 分，执行率得分 9.5 + 各指标得分之和为 99.50 分", 100.0, 99.5),
    ]


def test_a_rate_printed_with_two_decimals_is_compared_at_two_decimals():
    funds = (FundRow(FUND_TOTAL, v(300), v(300), v(295.6), v(10), v(0.9853, "98.53%"), v(9.85)),)
    r = forms.check(project_form(funds=funds, total=99.85), NATIONAL)
    assert r["flags"] == [] and r["computed_total"] == 99.85


def test_funds_that_do_not_add_up_and_low_execution():
    funds = (
        FundRow(FUND_TOTAL, v(200), v(200), v(160), v(10), v(0.8, "80%"), v(8)),
        FundRow("当年财政拨款", v(150), v(150), v(120)),
        FundRow("上年结转资金", v(40), v(40), v(40)),
    )
    r = forms.check(project_form(funds=funds, total=98), NATIONAL)
    assert r["flags"] == [
        forms.flag(
            "low_execution", "预算执行率 80.00%（全年执行数 160.00 ÷ 全年预算数 200.00）低于 90%，需说明原因", None, 0.8
        ),
        forms.flag(
            "funds_sum",
            "年初预算数：年度资金总额 200.00 万元，各项之和 当年财政拨款 150 + 上年结转资金 40 = 190.00 万元",
            200.0,
            190.0,
        ),
        forms.flag(
            "funds_sum",
            "全年预算数：年度资金总额 200.00 万元，各项之和 当年财政拨款 150 + 上年结转资金 40 = 190.00 万元",
            200.0,
            190.0,
        ),
    ]


def test_weights_that_do_not_sum_to_100_and_a_grade_that_does_not_match_the_total():
    rows = good_rows()
    rows[3] = indicator(13, "满意度指标", "受助对象满意度", "≥", 90, 92, 15, 15)
    r = forms.check(project_form(rows, total=105, grade="良"), NATIONAL)
    assert r["flags"] == [
        forms.flag(
            "weights",
            "一级指标分值合计 105，应为 100（预算执行率 10 + 产出指标 50 + 效益指标 30 + 满意度指标 15）",
            105.0,
            100.0,
        ),
        forms.flag("grade", "总分 105.00 分应为「优」，填报「良」", "良", "优"),
    ]


def test_department_form_weights_and_total():
    rows = [
        indicator(8, "投入", "预算编制质量", "≥", 95, 96, 40, 40),
        indicator(9, "产出", "重点工作办结率", "≥", 100, 90, 50, 45, reason="两项延至次年"),
    ]
    funds = (FundRow(FUND_TOTAL, v(500), v(500), v(490), v(10), v(0.98, "98%"), v(9.8)),)
    form = Form("forms/dept.xlsx", "部门整体", DEPARTMENT, "A1", "部门整体支出绩效自评表", 2023, v(None),
                v("示例县民政局"), v(None), funds, v(""), v(""), tuple(rows), v(94.8), v("优"))  # fmt: skip
    r = forms.check(form, NATIONAL)
    assert (r["form"], r["reported_total"], r["computed_total"]) == ("department", 94.8, 94.8)
    assert r["flags"] == []
    bigger = replace_rows(form, [indicator(8, "投入", "预算编制质量", "≥", 95, 96, 45, 45), rows[1]])
    assert forms.check(bigger, NATIONAL)["flags"][0] == forms.flag(
        "weights", "分值合计 105，应为 100（预算执行率 10 + 各指标分值）", 105.0, 100.0
    )


def replace_rows(form: Form, rows) -> Form:
    from dataclasses import replace

    return replace(form, indicators=tuple(rows))


# --------------------------------------------------------------------------- the 一体化平台 rules


def test_platform_rules_deduct_for_deviation_and_cap_the_total():
    rows = good_rows()
    rows[0] = indicator(10, "产出指标", "救助人次", "≥", 1000, 1300, 30, 30, unit="人次")
    funds = (FundRow(FUND_TOTAL, v(200), v(200), v(130), v(10), v(0.65, "65%"), v(6.5)),)
    form = project_form(rows, funds=funds, total=96.5, grade="优")
    national = forms.check(form, NATIONAL)
    assert national["computed_total"] == 96.5 and "execution_cap" not in codes(national)
    r = forms.check(form, PLATFORM)
    assert row_flags(r, "救助人次") == [
        forms.flag(
            "score_difference",
            "填报 30.00 分，按规则计算 28.00 分（相差 +2.00 分）：正向指标：实际 1300 ≥ 目标 1000，得满分 30 分；"
            "实际 1300 ≥ 目标 1000 × (1 + 30%) = 1300，指标偏离扣 2 分：30.00 − 2 = 28.00",
            30.0,
            28.0,
        ),
        forms.flag(
            "deviation", "实际 1300 ≥ 目标 1000 × (1 + 30%) = 1300，指标偏离扣 2 分：30.00 − 2 = 28.00", None, 28.0
        ),
    ]
    assert r["computed_total"] == 79.0 and r["computed_grade"] == "中"
    cap = "预算执行率 65.00% 低于 70%，总分最高 79 分：按规则计算 94.50 分，扣除 15.50 分"
    assert forms.flag("execution_cap", cap, None, 79.0) in r["flags"]
    assert forms.flag("grade", "总分 96.50 分应为「优」，填报「优」", "优", "优") not in r["flags"]


def test_rule_sets_are_named_settings():
    assert rules.named() == ["national", "platform"]
    assert (NATIONAL.name, PLATFORM.name) == ("全国规则（财预〔2020〕10号）", "预算管理一体化平台规则")
    assert PLATFORM.rules.deviation_ratio == 0.3 and PLATFORM.rules.execution_caps == (
        (0.8, 89.0), (0.7, 79.0), (0.6, 69.0), (0.5, 59.0),
    )  # fmt: skip
    assert NATIONAL.rules.deviation_ratio is None and NATIONAL.rules.execution_caps == ()
    unit = rules.load("lechang-mzj")
    assert (unit.name, unit.source, unit.review["target_equals_actual"]) == (
        "乐昌市民政局的评分规则",
        "params/lechang-mzj/unit.yaml",
        {"max_share": 0.3, "min_count": 10},
    )


def test_a_bureau_writes_its_own_rule_set(tmp_path):
    own = tmp_path / "本省.yaml"
    own.write_text("name: 本省规则\nscoring:\n  grades: [[85, 优], [75, 良], [60, 中], [0, 差]]\n", encoding="utf-8")
    ruleset = rules.load(str(own))
    assert (ruleset.id, ruleset.name, ruleset.rules.grades[0]) == ("本省", "本省规则", (85.0, "优"))
    own.write_text("name: x\nscoring:\n  deviation_ratio: -1\n", encoding="utf-8")
    with pytest.raises(rules.RulesError) as err:
        rules.load(str(own))
    assert str(err.value).endswith("本省.yaml: 'scoring.deviation_ratio' 应为不小于 0 的数字, 实为 -1")
    own.write_text("nmae: x\n", encoding="utf-8")
    with pytest.raises(rules.RulesError) as err:
        rules.load(str(own))
    assert str(err.value).endswith("本省.yaml: 未知设置项 (unknown key) 'nmae'; 允许: name, scoring, review")
    with pytest.raises(rules.RulesError) as err:
        rules.load("no-such-unit")
    assert str(err.value) == (
        "规则集 'no-such-unit' 不存在 (no such rule set)：应为 national、platform、一个规则 YAML 文件，"
        "或 params/ 下已有单位的编码 (a named set, a YAML file or a unit id)"
    )


# --------------------------------------------------------------------------- a department's forms together


def test_targets_equal_to_actuals_across_a_department_by_the_review_setting(tmp_path):
    own = tmp_path / "strict.yaml"
    own.write_text("name: 严格\nreview:\n  target_equals_actual: {max_share: 0.5, min_count: 4}\n", encoding="utf-8")
    ruleset = rules.load(str(own))
    equal = [
        indicator(10, "产出指标", "救助人次", "≥", 1000, 1000, 30, 30),
        indicator(11, "产出指标", "发放及时率", "≥", 95, 95, 20, 20),
        indicator(12, "效益指标", "政策知晓率", "≥", 80, 80, 30, 30),
        indicator(13, "满意度指标", "受助对象满意度", "≥", 90, 92, 10, 10),
    ]
    records = [forms.check(project_form(equal), ruleset), forms.check(project_form(good_rows(), sheet="二"), ruleset)]
    run.department_checks(records, ruleset)
    # 4 of the 7 quantitative indicators of the two forms (救助人次 on both)
    rule = "示例县民政局：4 个定量指标的实际完成值恰等于目标值，占 7 个的 57.1%，超过 50%（严格）"
    assert [(i["name"], [f["rule"] for f in i["flags"]]) for i in records[0]["indicators"]] == [
        ("救助人次", [rule]), ("发放及时率", [rule]), ("政策知晓率", [rule]), ("受助对象满意度", []),
    ]  # fmt: skip
    assert (
        records[0]["flags"]
        == records[1]["flags"]
        == [forms.flag("all_full_marks", "示例县民政局：全部 8 个指标均为满分", 8, None)]
    )
    assert [f["code"] for f in records[1]["indicators"][0]["flags"]] == ["target_equals_actual"]
    # the same figures by the national rules (min_count 5, max_share 0.5): 4 of 7 is above half too
    again = [forms.check(project_form(equal), NATIONAL), forms.check(project_form(good_rows(), sheet="二"), NATIONAL)]
    run.department_checks(again, NATIONAL)
    assert sum(f["code"] == "target_equals_actual" for i in again[0]["indicators"] for f in i["flags"]) == 3


# --------------------------------------------------------------------------- the outputs


def record_of(*records, unread=()) -> run.Record:
    return run.Record(NATIONAL, list(records), list(unread), files=len(records) + len(unread))


def test_check_json_fields(tmp_path):
    rows = good_rows()
    rows[1] = indicator(11, "产出指标", "发放及时率", "≥", 95, 76, 20, 20, level2="时效指标", reason="资金下达较晚")
    unread = {"file": "forms/坏.xlsx", "sheet": "", "cell": "", "message": "forms/坏.xlsx：文件已损坏 (corrupt)"}
    record = record_of(forms.check(project_form(rows), NATIONAL), unread=[unread])
    outputs.write(record, tmp_path)
    data = json.loads((tmp_path / "check.json").read_text(encoding="utf-8"))
    assert len(data) == 2
    first = data[0]
    for key in ("file", "sheet", "form", "project", "department", "unit", "funds", "reported_total", "computed_total",
                "indicators", "flags", "problems"):  # fmt: skip
        assert key in first, key
    assert (first["file"], first["sheet"], first["form"], first["project"], first["department"], first["unit"]) == (
        "forms/民政局.xlsx",
        "临时救助",
        "project",
        "临时救助",
        "示例县民政局",
        "示例县民政局",
    )
    assert first["funds"][0] == {"name": "年度资金总额", "initial": 200.0, "full_year": 200.0, "executed": 200.0,
                                 "weight": 10.0, "rate": 1.0, "score": 10.0}  # fmt: skip
    second = first["indicators"][1]
    assert {k: second[k] for k in ("level1", "level2", "name", "direction", "target", "actual", "unit", "weight",
                                   "reported_score", "computed_score")} == {
        "level1": "产出指标", "level2": "时效指标", "name": "发放及时率", "direction": "≥", "target": 95.0,
        "actual": 76.0, "unit": "%", "weight": 20.0, "reported_score": 20.0, "computed_score": 16.0,
    }  # fmt: skip
    assert [f["code"] for f in second["flags"]] == ["score_difference"]
    assert (first["reported_total"], first["computed_total"]) == (100.0, 96.0)
    assert data[1]["form"] is None and data[1]["problems"] == ["forms/坏.xlsx：文件已损坏 (corrupt)"]


def test_check_html_structure_and_escaping(tmp_path):
    from lxml import html as lhtml

    rows = good_rows()
    rows[1] = indicator(11, "产出指标", "<script>alert(1)</script>", "≥", 95, 76, 20, 20, reason="晚")
    unread = {"file": "a.xlsx", "sheet": "S", "cell": "B2", "message": "a.xlsx：不是绩效自评表"}
    checked = forms.check(project_form(rows), NATIONAL), forms.check(project_form(sheet="二"), NATIONAL)
    record = record_of(*checked, unread=[unread])
    page = outputs.html_page(record, "示例县财政局")
    assert "<script>" not in page
    tree = lhtml.fromstring(page)
    assert tree.findtext(".//h1") == "示例县财政局绩效自评表审核结果"
    assert tree.get_element_by_id("ruleset").text == "全国规则（财预〔2020〕10号）"
    assert [h.text_content() for h in tree.iter("h2")] == [
        "一、总体情况",
        "二、各部门和项目的总分",
        "三、标记明细",
        "四、未能读取的表",
    ]
    assert tree.get_element_by_id("lead").text == (
        "共检查3个文件，识别绩效自评表2份（项目支出2份），其中1份有需核实的问题；1处未能读取。计分规则：全国规则（财预〔2020〕10号）。"
    )
    kinds = [[td.text_content() for td in tr.iter("td")] for tr in tree.get_element_by_id("kinds").iter("tr")][1:]
    assert kinds == [["填报得分与规则得分不一致", "需核实", "2", "1"]]
    totals = tree.get_element_by_id("totals")
    assert totals.findtext("h3") == "示例县民政局"
    cells = [[td.text_content() for td in tr.iter("td")] for tr in totals.iter("tr")][1:]
    assert cells == [
        ["项目支出", "临时救助", "forms/民政局.xlsx工作表「临时救助」A1", "100.00", "96.00", "+4.00", "优", "优", "2"],
        ["项目支出", "临时救助", "forms/民政局.xlsx工作表「二」A1", "100.00", "100.00", "0.00", "优", "优", "0"],
    ]
    flagged = [[td.text_content() for td in tr.iter("td")] for tr in tree.get_element_by_id("details").iter("tr")][1:]
    assert flagged == [
        ["全表", "填报得分与规则得分不一致", "100.00", "96.00",
         "填报总分 100.00 分，按规则计算 96.00 分（相差 +4.00 分）"],
        ["<script>alert(1)</script>（第11行）", "填报得分与规则得分不一致", "20.00", "16.00",
         "填报 20.00 分，按规则计算 16.00 分（相差 +4.00 分）：正向指标：实际 76 < 目标 95，"
         "得分 = 76 ÷ 95 × 20 = 16.00"],
    ]  # fmt: skip
    unread = [[td.text_content() for td in tr.iter("td")] for tr in tree.get_element_by_id("unread").iter("tr")][1:]
    assert unread == [["a.xlsx", "S", "B2", "a.xlsx：不是绩效自评表"]]


def test_check_xlsx_one_row_per_indicator_with_filters_and_no_live_formula(tmp_path):
    rows = good_rows()
    rows[0] = indicator(10, "产出指标", "=SUM(A1:A9)", "≥", 1000, 1000, 30, 30, level2="数量指标", unit="人次")
    record = record_of(forms.check(project_form(rows), NATIONAL))
    book = openpyxl.load_workbook(io.BytesIO(outputs.xlsx_bytes(record)))
    assert book.sheetnames == ["指标", "自评表", "未能读取"]
    sheet = book["指标"]
    assert [c.value for c in sheet[1]] == list(outputs.INDICATOR_COLUMNS)
    assert sheet.max_row == 5 and sheet.auto_filter.ref == "A1:T5"
    first = [c.value for c in sheet[2]]
    assert first == ["forms/民政局.xlsx", "临时救助", "项目支出", "示例县民政局", "示例县民政局", "临时救助", 10,
                     "产出指标", "数量指标", "=SUM(A1:A9)", "≥", 1000, 1000, "人次", 30, 30, 30, None, None,
                     None]  # fmt: skip
    assert sheet["J2"].data_type == "s" and sheet["J2"].quotePrefix
    assert [c.value for c in book["自评表"][2]][6:12] == [200, 200, 100, 100, "优", "优"]
    assert book["自评表"].auto_filter.ref == "A1:N2"


def test_outputs_are_written_together(tmp_path):
    where = outputs.write(record_of(forms.check(project_form(), NATIONAL)), tmp_path / "out")
    assert sorted(p.name for p in where.values()) == ["check.html", "check.json", "check.xlsx"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["check.html", "check.json", "check.xlsx"]


# --------------------------------------------------------------------------- real workbooks


@pytest.fixture(scope="module")
def example_forms(tmp_path_factory) -> Path:
    """The example's own 自评表.xlsx, as its build writes it."""
    import jixiao
    from jixiao.render.xlsx import selfeval_workbook_bytes

    report = jixiao.open_report("lechang-mzj", 2019)
    path = tmp_path_factory.mktemp("forms") / "自评表.xlsx"
    path.write_bytes(selfeval_workbook_bytes(report.data, report.scores, report.unit_name))
    return path


def test_the_example_workbook_checks_as_its_report_reviews(example_forms):
    import jixiao
    from jixiao.checks import scores as review

    record = run.run([example_forms], rules.load("lechang-mzj"))
    assert (len(record.forms), record.unread) == (14, [])
    assert [f["form"] for f in record.forms].count("department") == 1
    assert all(f["reported_total"] == f["computed_total"] == 100.0 for f in record.forms)
    report = jixiao.open_report("lechang-mzj", 2019)
    # the report's 审核提示 on the same figures: every indicator at full marks, no target equal to its actual
    assert [f["count"].value for f in review.all_full_marks(report.scores)] == [68]
    assert review.targets_equal_to_actuals(report.scores, report.settings) == []
    found = {(f["code"], f["rule"]) for form in record.forms for _, f in outputs.every_flag(form)}
    assert found == {("all_full_marks", "乐昌市民政局：全部 68 个指标均为满分")}


def test_a_score_changed_in_the_example_workbook_is_flagged(example_forms, tmp_path):
    book = openpyxl.load_workbook(example_forms)
    sheet = book[book.sheetnames[2]]
    record = run.run([example_forms], NATIONAL)
    first = next(f for f in record.forms if f["sheet"] == sheet.title)["indicators"][0]
    score_col = next(c.column for row in sheet.iter_rows() for c in row if c.value == "得分")
    sheet.cell(row=first["row"], column=score_col, value=first["weight"] + 1)
    changed = tmp_path / "改.xlsx"
    book.save(changed)
    again = next(f for f in run.run([changed], NATIONAL).forms if f["sheet"] == sheet.title)
    flags = next(i["flags"] for i in again["indicators"] if i["row"] == first["row"])
    w = first["weight"]
    assert [(f["code"], f["reported"], f["computed"]) for f in flags] == [
        ("score_difference", w + 1, w),
        ("over_weight", w + 1, w),
    ]


def test_the_command(example_forms, tmp_path, capsys):
    from jixiao import cli

    broken = tmp_path / "坏.xlsx"
    broken.write_text("项目,得分\n甲,1\n", encoding="utf-8")
    code = cli.main(["check", str(example_forms), str(broken), "--output", str(tmp_path / "out"), "--rules",
                     "platform", "--bureau", "示例县财政局"])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    assert "计分规则：预算管理一体化平台规则。" in out
    counted = (
        "14 份表：0 份有需核实的问题，14 份仅有提示，1 处未能读取 (14 forms: 0 with warnings, 14 with notes only, "
        "1 unread)"
    )
    assert counted in out.splitlines()
    page = (tmp_path / "out" / "check.html").read_text(encoding="utf-8")
    assert (
        '<dd id="ruleset">预算管理一体化平台规则</dd>' in page
        and "<title>示例县财政局绩效自评表审核结果</title>" in page
    )
    data = json.loads((tmp_path / "out" / "check.json").read_text(encoding="utf-8"))
    assert len(data) == 15 and data[-1]["form"] is None and data[-1]["file"].endswith("坏.xlsx")
    assert cli.main(["check", str(example_forms), "--rules", "nowhere", "--output", str(tmp_path / "x")]) == 2


# --------------------------------------------------------------------------- the reader's layouts and fixtures


@pytest.fixture(scope="module")
def layouts(tmp_path_factory) -> list[Path]:
    from forms_fixtures import FIXTURES, department, project, transfer
    from jixiao.forms.samples import QUIRKS, save

    folder = tmp_path_factory.mktemp("layouts")
    made = [save(folder / f"{layout}.xlsx", [(project(layout=layout), layout)])
            for layout in ("central", "combined", "weighted", "starred")]  # fmt: skip
    made.append(save(folder / "transfer.xlsx", [(transfer(), "transfer")]))
    made.append(save(folder / "department.xlsx", [(department(), "department")]))
    made.append(save(folder / "quirks.xlsx", [(project(), "central")], quirks=QUIRKS))
    return [*made, *sorted(FIXTURES.glob("*.xls"))]


def test_every_layout_the_reader_knows_checks_clean_with_its_totals(layouts):
    record = run.run(layouts, NATIONAL)
    assert record.unread == []
    got = [(Path(f["file"]).name, f["layout"], f["reported_total"], f["computed_total"]) for f in record.forms]
    assert got == [
        ("central.xlsx", "central", 97.53, 97.53),
        ("combined.xlsx", "central", 97.53, 97.53),
        ("weighted.xlsx", "weighted", 97.53, 97.53),
        ("starred.xlsx", "starred", 97.53, 97.53),
        ("transfer.xlsx", "transfer", 91.5, 98.65),
        ("department.xlsx", "department", 100.0, 100.0),
        ("quirks.xlsx", "central", 97.53, 97.53),
        ("central.xls", "central", 97.53, 97.53),
        ("department.xls", "department", 100.0, 100.0),
        ("starred.xls", "starred", 97.53, 97.53),
    ]
    flagged = {Path(f["file"]).name: [(x["code"], x["level"]) for _, x in outputs.every_flag(f)] for f in record.forms}
    assert {name: codes for name, codes in flagged.items() if codes} == {
        "transfer.xlsx": [("default_weights", "note"), ("score_difference", "note")]
    }


def test_the_transfer_form_is_scored_on_the_rules_default_weights(layouts):
    """The same default weights as the report of a unit that imported the form (``jixiao.scoring``)."""
    record = run.run([p for p in layouts if p.name == "transfer.xlsx"], NATIONAL)
    (form,) = record.forms
    # 产出 50 over three rows in whole cents; 468 ÷ 520 = 90% of 10
    assert [(i["name"], i["weight"], i["computed_score"]) for i in form["indicators"]] == [
        ("临时救助人次", 16.67, 16.67),
        ("救助对象认定准确率", 16.67, 16.32),
        ("救助办结时限", 16.66, 16.66),
        ("困难群众基本生活", 30.0, 30.0),
        ("服务对象满意度", 10.0, 10.0),
    ]
    assert all(i["weight_default"] for i in form["indicators"])
    assert form["flags"][0] == forms.flag(
        "default_weights",
        "表中未列分值：「临时救助人次」16.67 分、「救助对象认定准确率」16.67 分、「救助办结时限」16.66 分、"
        "「困难群众基本生活」30 分、「服务对象满意度」10 分。"
        "未填报分值：取计分规则的默认分值（该一级指标的分值减去已填分值，在未填各行间均分，精确到 0.01）",
    )
    assert form["flags"][1]["rule"] == "填报总分 91.50 分，按规则计算 98.65 分（相差 -7.15 分）（分值按规则默认权重）"


def test_a_fault_planted_in_a_layout_is_found_with_both_numbers(tmp_path):
    from forms_fixtures import project
    from jixiao.forms.samples import save

    form = project()
    form.indicators[4].score = 12  # 满意度 scored 12 of 10
    form.funds[0].executed = 250  # 250 of 240 spent
    path = save(tmp_path / "错.xlsx", [(form, "starred")])
    (checked,) = run.run([path], NATIONAL).forms
    codes_ = [(x["code"], x["reported"], x["computed"]) for _, x in outputs.every_flag(checked)]
    assert ("over_weight", 12.0, 10.0) in codes_
    assert ("score_difference", 12.0, 10.0) in codes_
    assert ("over_budget", 250.0, 240.0) in codes_


def test_hostile_files_are_listed_with_one_line_and_the_others_checked(layouts, tmp_path):
    fake = tmp_path / "假.xlsx"
    fake.write_text("<html><body>自评表</body></html>", encoding="utf-8")
    names = tmp_path / "名单.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["姓名", "金额"])
    book.save(names)
    record = run.run([layouts[0], fake, names], NATIONAL)
    assert len(record.forms) == 1
    assert [Path(u["file"]).name for u in record.unread] == ["假.xlsx", "名单.xlsx"]
    assert all("\n" not in u["message"] and u["message"] for u in record.unread)
    from lxml import html as lhtml

    tree = lhtml.fromstring(outputs.html_page(record))
    rows = [[td.text_content() for td in tr.iter("td")] for tr in tree.get_element_by_id("unread").iter("tr")][1:]
    assert [(Path(r[0]).name, r[3]) for r in rows] == [(Path(u["file"]).name, u["message"]) for u in record.unread]


# --------------------------------------------------------------------------- summary --forms


def test_summary_takes_check_folders_beside_the_units_built(tmp_path, capsys):
    import csv

    from jixiao import cli

    # 城建局 filed two project forms: 96 on 200 spent (its reported total) and 80 on 100 spent
    first = project_form(department="示例县城建局", total=96)
    rows = good_rows()
    rows[1] = indicator(11, "产出指标", "发放及时率", "≥", 95, 19, 20, 4, reason="工期延误")
    funds = (FundRow(FUND_TOTAL, v(100), v(100), v(100), v(10), v(1.0, "100%"), v(10)),)
    second = project_form(rows, funds=funds, total=84, grade="良", department="示例县城建局", project="道路养护")
    whole = Form("forms/dept.xlsx", "部门整体", DEPARTMENT, "A1", "部门整体支出绩效自评表", 2023, v(None),
                 v("示例县水利局"), v(None), (FundRow(FUND_TOTAL, v(500), v(500), v(450)),), v(""), v(""),
                 tuple(good_rows()), v(90), v("优"))  # fmt: skip
    record = record_of(*(forms.check(f, NATIONAL) for f in (first, second, whole)))
    outputs.write(record, tmp_path / "check")
    code = cli.main(["summary", "--forms", str(tmp_path / "check"), "--year", "2023", "--output", str(tmp_path / "s")])
    assert code == 0
    lines = list(csv.DictReader((tmp_path / "s/_summary/2023/summary.csv").open(encoding="utf-8-sig")))
    columns = ("自评得分", "按规则计算得分", "评价等级", "全年执行数（万元）", "预算执行率（%）", "自评项目个数",
               "得分不一致处数")  # fmt: skip
    got = {r["单位名称"]: tuple(r[c] for c in columns) for r in lines}
    # 城建局: reported (96 × 200 + 84 × 100) ÷ 300 = 92; by the rules (100 × 200 + 84 × 100) ÷ 300 = 94.67;
    # one score differs (the first form's total: 96 against 100)
    # 水利局: its 部门整体 form's total 90, computed 90 (its indicators' 90 points, no execution weight printed)
    assert got == {
        "示例县城建局": ("92", "94.67", "优", "300", "100", "2", "1"),
        "示例县水利局": ("90", "90", "优", "450", "90", "0", "0"),
    }
    assert lines[0]["报告"].endswith("check/check.html")
    assert cli.main(["summary", "--year", "2023"]) == 2
    assert cli.main(["summary", "--forms", str(tmp_path), "--year", "2023", "--output", str(tmp_path / "s")]) == 2
    assert "check.json" in capsys.readouterr().err


def test_on_a_dask_cluster_the_files_travel_as_bytes_and_keep_their_names(layouts):
    from dask.distributed import LocalCluster

    given = [p for p in layouts if p.suffix == ".xlsx"][:3]
    here = run.run(given, NATIONAL)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0") as cluster:
        there = run.run(given, NATIONAL, scheduler=cluster.scheduler_address, chunk=2)
    assert [f["file"] for f in there.forms] == [f["file"] for f in here.forms] == [run.label(p) for p in given]
    assert there.to_json() == here.to_json()


def test_a_local_pool_gives_the_same_record_in_the_same_order(layouts):
    one = run.run(layouts, NATIONAL, workers=1, chunk=3)
    two = run.run(layouts, NATIONAL, workers=2, chunk=3)
    assert two.to_json() == one.to_json() and len(one.forms) == 10


def test_a_first_level_of_a_newer_form_is_scored_and_counted_in_the_weights():
    rows = good_rows()
    rows[0] = indicator(10, "产出指标", "救助人次", "≥", 1000, 1000, 20, 20, level2="数量指标", unit="人次")
    rows.append(indicator(14, "成本指标", "人均救助成本", "≤", 0.2, 0.18, 10, 10, level2="经济成本指标", unit="万元"))
    r = forms.check(project_form(rows), NATIONAL)
    assert (r["flags"], r["problems"], r["computed_total"]) == ([], [], 100.0)
    rows[4] = indicator(14, "成本指标", "人均救助成本", "≤", 0.2, 0.18, 15, 15)
    parts = "预算执行率 10 + 产出指标 40 + 效益指标 30 + 满意度指标 10 + 成本指标 15"
    assert forms.check(project_form(rows, total=105), NATIONAL)["flags"][0] == forms.flag(
        "weights", f"一级指标分值合计 105，应为 100（{parts}）", 105.0, 100.0
    )


def test_a_form_checked_and_the_same_form_imported_score_the_same(tmp_path, monkeypatch, capsys):
    """``jixiao check`` on a folder of forms and the report of a unit made from them by
    ``jixiao import``: every project's computed total and every indicator's computed score agree."""
    import jixiao
    from conftest import copy_project
    from forms_fixtures import department, project, transfer
    from jixiao import cli
    from jixiao.forms.samples import save

    root = copy_project(tmp_path / "p")
    monkeypatch.setenv("JIXIAO_ROOT", str(root))
    folder = root / "forms"
    folder.mkdir()
    rows = project("临时救助")
    rows.indicators[1].actual = 80  # 80 of 95: 12.63 of 15, reported 14.68
    save(folder / "central.xlsx", [(rows, "central")])
    save(folder / "transfer.xlsx", [(transfer(), "transfer")])
    save(folder / "department.xlsx", [(department(), "department")])
    assert cli.main(["import", str(folder), "--unit", "lechang-forms", "--year", "2019"]) == 0
    capsys.readouterr()
    report = jixiao.open_report("lechang-forms", 2019)
    record = run.run([folder], NATIONAL)
    checked = {f["project"]: f for f in record.forms if f["form"] == "project"}
    assert sorted(checked) == sorted(p.project_name for p in report.scores.projects)
    for p in report.scores.projects:
        f = checked[p.project_name]
        assert f["computed_total"] == p.computed_total, p.project_name
        assert [i["computed_score"] for i in f["indicators"]] == [s.computed for s in p.indicators]
        assert [i["weight"] for i in f["indicators"]] == [s.weight for s in p.indicators]
    whole = next(f for f in record.forms if f["form"] == "department")
    assert whole["computed_total"] == report.scores.department.computed_total == 100.0
    assert checked["临时救助"]["computed_total"] == 95.48


def test_a_problem_inside_a_form_stays_with_it_on_a_cluster_too(tmp_path):
    from dask.distributed import LocalCluster

    from forms_fixtures import project
    from jixiao.forms.samples import save

    path = save(tmp_path / "分值.xlsx", [(project(), "central")])
    book = openpyxl.load_workbook(path)
    book.active["H13"] = "二十分"  # 临时救助人次's 分值
    book.save(path)
    here = run.run([path], NATIONAL)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0") as cluster:
        there = run.run([path], NATIONAL, scheduler=cluster.scheduler_address)
    name = run.label(path)
    for record in (here, there):
        (form,) = record.forms
        assert record.unread == []
        assert form["problems"] == [
            f"{name} 工作表「临时救助」H13：指标「临时救助人次」的分值应为数字，表中为「二十分」(expected a number)"
        ]
        # read as blank, the weight is the rules' default: 产出 50 less the 30 the other rows give
        assert (form["indicators"][0]["weight"], form["indicators"][0]["weight_default"]) == (20.0, True)
