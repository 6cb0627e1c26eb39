"""The standard blocks of a 部门整体支出绩效自评报告 on the built 2019 example (exact text and
figures, each traceable), and each block's note to the author when its inputs say nothing.

Expected figures are worked out by hand from the example's data (data/lechang-mzj/DATALOG.md):
基本支出 1062.38 + 226.18 = 1288.56; 项目支出 8677.53 + 442.25 = 9119.78; “三公”经费 11.36 + 2.84 =
14.20 against 12.05 + 3.27 = 15.32 in 2018 (−1.12, −7.3%); the projects not self-evaluated
612.40 + 683.75 + 298.30 + 126.44 + 58.00 = 1778.89 = 8677.53 − 6898.64, i.e. 20.5%.
"""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

import jixiao
from helpers_inputs import UNIT, project_copy, read_rows, set_cell, write_rows
from jixiao.writing.provenance import MARK_HTML
from test_report_content import SPAN, attribute, figures, section
from test_report_content import text as _text


def text(fragment: str) -> str:
    """The text a reader sees, without the 示 marks of illustrative figures (asserted apart)."""
    return _text(str(fragment).replace(MARK_HTML, ""))


def block(html: str, kind: str) -> str:
    """The section of kind ``kind`` (its id ends with the kind)."""
    found = re.search(rf'<section class="jx-section" id="(\d+-{kind})"', html)
    assert found, kind
    return section(html, found.group(1))


def span(fragment: str, shown: str) -> re.Match[str]:
    return next(m for m in SPAN.finditer(fragment) if m.group(3) == shown)


def notes_of(fragment: str) -> list[str]:
    return [text(n) for n in re.findall(r'<div class="jx-note jx-author-note"[^>]*>(.*?)</div>', fragment, re.S)]


# -- the built example --------------------------------------------------------------------------


def test_blocks_have_their_titles(example):
    titles = {"profile": "部门概况", "budget": "部门预算及执行情况", "goals": "年度绩效目标完成情况",
              "conclusion": "自评结论", "evaluation": "评价工作开展情况", "unevaluated": "未开展自评的项目",
              "application": "结果应用和信息公开"}  # fmt: skip
    for kind, title in titles.items():
        heading = re.search(r"<h2[^>]*>(.*?)</h2>", block(example.html, kind), re.S)
        assert heading and title in text(heading.group(1)), kind


def test_profile_states_duties_bodies_and_staffing(example):
    profile = block(example.html, "profile")
    body = text(profile)
    assert "乐昌市民政局负责城乡低保、特困供养、临时救助等社会救助，" in body
    assert (
        "乐昌市民政局内设办公室、社会救助股、养老服务股、社会事务股、基层政权和社区建设股、财务股，共6个内设机构。"
        in body
    )
    assert ("乐昌市民政局核定编制28名，2019年末在职人员26人，在职人员控制率为92.9%；离退休人员19人。"
            "与上年相比，在职人员减少1人，离退休人员增加1人。") in body  # fmt: skip
    quota = span(profile, "28名")
    assert attribute(quota.group(2), "data-source") == "data/lechang-mzj/2019/profile.csv#row=2&col=staff_quota"
    rate = span(profile, "92.9%")
    assert "26人 ÷ 28名 = 92.9%" in attribute(rate.group(2), "title")
    assert "jx-illustrative" in quota.group(1)  # supplied staffing, marked as such
    assert notes_of(profile) == []


def test_budget_states_the_split_of_spending_and_its_change(example):
    budget = block(example.html, "budget")
    body = text(budget)
    assert ("2019年全年预算数10408.34万元，全年执行数10408.34万元，预算执行率为100%。按支出类型分，"
            "基本支出1288.56万元，占全年执行数的12.4%；项目支出9119.78万元，占87.6%。"
            "与上年相比，全年执行数增加719.91万元，增长7.4%。") in body  # fmt: skip
    assert ("基本支出全年预算数1288.56万元，全年执行数1288.56万元，执行率为100%。其中人员经费1062.38万元，"
            "占基本支出的82.4%；公用经费226.18万元，占17.6%。与上年相比，人员经费增加77.26万元（增长7.8%），"
            "公用经费增加21.23万元（增长10.4%）。") in body  # fmt: skip
    assert ("项目支出全年预算数9119.78万元，全年执行数9119.78万元，执行率为100%。按资金来源分，一般公共预算项目支出"
            "8677.53万元，共12个项目，其中7个开展了绩效自评；政府性基金预算项目支出442.25万元，共6个项目，"
            "均开展了绩效自评。") in body  # fmt: skip
    basic = span(budget, "1288.56万元")
    assert attribute(basic.group(2), "data-source") == "formula:预算表中基本支出行全年执行数之和"
    assert "1062.38万元" in attribute(basic.group(2), "title") and "226.18万元" in attribute(basic.group(2), "title")


def test_budget_states_the_sangong_amounts_and_their_change(example):
    budget = block(example.html, "budget")
    assert ("2019年“三公”经费全年预算数15.50万元，全年执行数14.20万元，比上年减少1.12万元，下降7.3%。"
            "其中公务用车运行维护费11.36万元，公务接待费2.84万元；因公出国（境）费和公务用车购置费未发生支出。"
            ) in text(budget)  # fmt: skip
    table = budget.split("“三公”经费支出情况（单位：万元）", 1)[1].split("</table>", 1)[0]
    rows = [[text(c).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r, re.S)]
            for r in re.findall(r"<tr>(.*?)</tr>", table, re.S)]  # fmt: skip
    assert rows == [
        ["项目", "全年预算数", "全年执行数", "上年执行数", "增减", "增减率"],
        ["因公出国（境）费", "0.00", "0.00", "0.00", "0.00", "—"],
        ["公务用车购置费", "0.00", "0.00", "0.00", "0.00", "—"],
        ["公务用车运行维护费", "12.00", "11.36", "12.05", "−0.69", "−5.7%"],
        ["公务接待费", "3.50", "2.84", "3.27", "−0.43", "−13.1%"],
        ["合计", "15.50", "14.20", "15.32", "−1.12", "−7.3%"],
    ]
    # a blank 上年执行数 is last year's 三公经费 row
    last = span(table, "3.27")
    assert attribute(last.group(2), "data-source") == "data/lechang-mzj/2018/sangong.csv#row=5&col=executed"


def test_the_sangong_change_agrees_with_the_department_indicator(example):
    from jixiao.sections import budget

    report = jixiao.open_report(UNIT, 2019)
    rate = budget.sangong_change_rate(report)
    assert rate.text == "−7.31%"  # the minus sign, as every negative figure
    indicator = report.data.indicators.set_index("level3").at["三公经费变动率", "actual"]
    assert indicator == -7.31


def test_goals_state_completion_and_the_reason_for_a_shortfall(example):
    goals = block(example.html, "goals")
    assert "年初设定的6项年度绩效目标中，5项已完成，1项部分完成（目标“完成地名普查成果转化”）。" in text(goals)
    rows = re.findall(r"<tr>(.*?)</tr>", goals.split("<tbody>", 1)[1], re.S)
    assert [text(c) for c in re.findall(r"<td>(.*?)</td>", rows[4], re.S)] == [
        "5", "完成地名普查成果转化", "部分完成", "完成地名释文、词条释文、地名大全和地名录编纂，成果转化工作仍在进行中",
        "地名图录编印跨年度实施，年底尚未完成；已明确时间表，计划于下一年度上半年完成",
    ]  # fmt: skip
    # the goal's own text is a figure of its cell (a supplied goal carries its 示); then the outcome's
    assert figures(rows[2]) == ["完成“幸福计划”和城乡社区养老综合服务设施建设项目", "9个", "180个"]
    nine = span(rows[2], "9个")
    assert attribute(nine.group(2), "data-source").startswith("formula:")


def test_conclusion_states_score_grade_and_what_was_met(example):
    conclusion = block(example.html, "conclusion")
    assert ("经自评，乐昌市民政局2019年部门整体支出绩效自评得分为100分，评价等级为“优”。部门整体绩效指标6项，"
            "均达到年度指标值；但“重点工作办结率”所衡量的年度绩效目标“完成地名普查成果转化”为部分完成。"
            "13个自评项目得分均为100分，评价等级均为“优”。6项年度绩效目标中，5项已完成，"
            "1项部分完成。") in text(conclusion)  # fmt: skip


def test_conclusion_names_the_targets_missed():
    from jixiao.sections import conclusion

    report = jixiao.open_report(UNIT, 2018)  # 2018 missed two department targets
    assert text(conclusion.summary(report)) == (
        "经自评，乐昌市民政局2018年部门整体支出绩效自评得分为98.5分，评价等级为“优”。部门整体绩效指标6项，其中4项"
        "达到年度指标值，“预算完成率”“重点工作办结率”未达到。13个自评项目得分在86.02分至100分之间，其中“优”12个、"
        "“良”1个；未得满分的有“社会福利”“临时救助”“养老服务设施建设”。3项年度绩效目标中，2项已完成，1项部分完成。"
    )


def test_conclusion_says_all_or_none_with_均():
    from jixiao.sections import conclusion

    report = jixiao.open_report(UNIT, 2019)
    projects = report.data.projects
    projects["reported_score"] = [95 + (i % 2) for i in range(len(projects))]  # 95 and 96, all 优
    ind = report.data.indicators
    department = ind["scope"] == "department"
    ind.loc[department, "computed_actual"] = ""
    ind.loc[department & (ind["direction"] == "≥"), "actual"] = 1
    ind.loc[department & (ind["direction"] == "≤"), "actual"] = 1000
    ind.loc[department & (ind["direction"] == "定性"), ["actual_grade", "reported_score"]] = ["未达成", 5]
    assert text(conclusion.indicators(report)) == (
        "部门整体绩效指标6项，均未达到年度指标值；但“底线民生保障标准按时提标完成率”未达到年度指标值，而它所衡量的"
        "年度绩效目标“城乡低保、特困供养、孤儿养育和残疾人两项补贴标准按上级要求及时提标，救助资金按时足额发放”为完成；"
        "“服务对象满意度”未达到年度指标值，而它所衡量的年度绩效目标“提高服务对象满意度”为完成。"
    )  # goals said done while the indicators measuring them fell short: said, not summed up away
    report.data.goals["indicator_id"] = ""
    # not 其中0项达到…, nor 其中“优”13个, nor all thirteen named as below full marks
    assert text(conclusion.indicators(report)) == "部门整体绩效指标6项，均未达到年度指标值。"
    assert text(conclusion.projects(report)) == "13个自评项目得分在95分至96分之间，评价等级均为“优”。"


def test_evaluation_states_organisation_method_and_survey(example):
    evaluation = block(example.html, "evaluation")
    body = text(evaluation)
    assert "一是成立由局长任组长" in body and "二是对照年初设定的部门整体和项目绩效目标" in body
    assert (
        "三是以问卷调查了解服务对象满意度。向低保、特困供养、高龄津贴等服务对象发放问卷300份，收回有效问卷286份，服务对象满意度为95%。"
        in body
    )
    assert figures(evaluation) == ["300份", "286份", "95%"]


def test_unevaluated_projects_their_amount_share_and_reasons(example):
    unevaluated = block(example.html, "unevaluated")
    assert (
        "2019年一般公共预算项目支出中，有5个项目未开展绩效自评，全年执行数合计1778.89万元，"
        "占一般公共预算项目支出总额8677.53万元的20.5%。"
    ) in text(unevaluated)
    share = span(unevaluated, "20.5%")
    assert "1778.89万元 ÷ 8677.53万元 = 20.5%" in attribute(share.group(2), "title")
    rows = re.findall(r"<tr>(.*?)</tr>", unevaluated.split("<tbody>", 1)[1].split("</tbody>", 1)[0], re.S)
    names = [text(re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)[0]) for r in rows]
    assert names == [
        "乡镇敬老院运营补助",
        "基层政权和社区建设",
        "困难群众春节慰问",
        "地名普查成果转化",
        "社会组织和社会工作管理",
    ]
    assert "项目跨年度实施，年底尚未完成，待项目完成后开展评价" in rows[3]
    footer = unevaluated.split("<tfoot>", 1)[1]
    assert figures(footer) == ["1778.89", "1778.89", "20.5%"]


def test_application_disclosure_and_the_closing_lines(example):
    application = block(example.html, "application")
    body = text(application)
    assert "一是自评结果作为编制下一年度部门预算的重要依据" in body
    assert "本报告随部门决算在乐昌市人民政府门户网站公开，接受社会监督。" in body
    closing = application.split('class="jx-signature"', 1)[1]
    assert [text(p) for p in re.findall(r"<p>(.*?)</p>", closing, re.S)][:3] == [
        "乐昌市民政局", "2020年4月20日", "联系人：王某，联系电话：0751-0000000",
    ]  # fmt: skip


def test_the_filed_report_ends_with_one_closing_every_supplied_value_marked(example):
    # the closing lines once, at the end of the last section; the profile row is supplied
    # (illustrative), so its date, name and number carry 示 as every figure does (编制单位 blank: the unit)
    filing = example.filing_html
    assert filing.count('class="jx-signature"') == 1 and "jx-closing" not in filing
    signature, after = filing.split('<div class="jx-signature"', 1)[1].split("</div>", 1)
    assert re.sub(r"\s+", "", after.split("</section>\n</main>", 1)[1]) == "</body></html>"

    def marked(column: str, shown: str) -> str:
        source = f"data/{UNIT}/2019/profile.csv#row=2&amp;col={column}"
        return (
            '<span class="jx-nobr"><span class="jx-fig jx-illustrative" data-provenance="illustrative" '
            f'data-source="{source}" tabindex="0">{shown}</span>{MARK_HTML}</span>'
        )

    assert signature == (
        ' style="text-align:right"><p>乐昌市民政局</p>'
        f"<p>{marked('report_date', '2020年4月20日')}</p>"
        f"<p>联系人：{marked('contact_person', '王某')}，联系电话：{marked('contact_phone', '0751-0000000')}</p>"
    )


def test_overview_table_lists_the_two_parts_of_basic_spending_together(example):
    overview = block(example.html, "overview")
    table = overview.split("预算执行情况</caption>", 1)[1].split("</tbody>", 1)[0]
    kinds = [text(r[1]) for r in re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td>", table)]
    assert kinds == ["人员经费", "公用经费", "项目支出", "项目支出"]


# -- a block without its inputs: a note to the author, never invented text -----------------------


@pytest.fixture
def copy(tmp_path, monkeypatch):
    """A copy of the 2019 inputs (no 2018, minimal stats and narrative, no goals.csv)."""
    return project_copy(tmp_path, monkeypatch)


def report():
    return jixiao.open_report(UNIT, 2019)


def test_no_sangong_table(copy):
    from jixiao.sections import budget

    (copy / "sangong.csv").unlink()
    absent = report().data.sangong  # an empty table with every column
    assert len(absent) == 0
    assert list(absent.columns) == ["item", "full_year_budget", "executed", "last_year_executed", "source",
                                    "_file", "_sheet", "_row"]  # fmt: skip
    assert notes_of(budget.sangong(report())) == [
        "编写提示：未填报2019年的三公经费表（sangong：因公出国（境）费、公务用车购置费、公务用车运行维护费、"
        "公务接待费的全年预算数、全年执行数和上年执行数），本部分未列出“三公”经费。"
    ]


def test_sangong_without_last_year(copy):
    from jixiao.sections import budget

    html = budget.sangong(report())  # no 2018 data in the copy, and 上年执行数 blank
    assert "比上年" not in text(html)
    assert notes_of(html) == [
        "编写提示：三公经费表（sangong）未填报因公出国（境）费、公务用车购置费、公务用车运行维护费、公务接待费的"
        "上年执行数，也没有上年的三公经费数据，本部分未计算与上年的增减。"
    ]


def test_no_goals_table(copy):
    from jixiao.sections import conclusion, goals

    assert notes_of(goals.summary(report())) == [
        "编写提示：未填报2019年的年度绩效目标表（goals：每个目标一行，写明完成情况和实际完成情况，部分完成或未完成的"
        "说明偏差原因），本部分暂无内容。"
    ]
    assert goals.table(report()) == ""
    assert "年度绩效目标" not in text(conclusion.summary(report()))


def test_no_evaluation_application_or_disclosure_text(copy):
    from jixiao.sections import application, evaluation

    r = report()
    assert notes_of(evaluation.work(r)) == [
        "编写提示：文字材料表（narrative）未填报2019年的评价工作开展情况（组织、方法、满意度调查）（section 为 "
        "evaluation 的行），本部分暂无内容。"
    ]
    assert notes_of(application.application(r)) == [
        "编写提示：文字材料表（narrative）未填报2019年的自评结果应用情况（section 为 application 的行），"
        "本部分暂无内容。"
    ]
    assert notes_of(application.disclosure(r)) == [
        "编写提示：文字材料表（narrative）未填报2019年的信息公开情况（section 为 disclosure 的行），本部分暂无内容。"
    ]


def test_profile_without_staffing_bodies_or_contact(copy):
    from jixiao.sections import profile

    for column in ("staff_quota", "staff_active", "staff_retired", "institutions", "report_date", "contact_person",
                   "contact_phone"):  # fmt: skip
        set_cell(copy / "profile.csv", 2, column, "")
    r = report()
    assert notes_of(profile.staffing(r)) == [
        "编写提示：单位概况表（profile）未填报编制人数、在职人数和离退休人数，本部分暂无内容。"
    ]
    assert notes_of(profile.institutions(r)) == [
        "编写提示：单位概况表（profile）未填报内设机构(institutions)和内设机构数(body_count)，本部分暂无内容。"
    ]
    assert notes_of(profile.signature(r)) == [
        "编写提示：单位概况表（profile）未填报报告日期(report_date)、联系人(contact_person)、联系电话(contact_phone)。"
    ]
    assert text(profile.signature(r)).startswith("乐昌市民政局")  # 编制单位 blank: the unit itself


@pytest.mark.parametrize(
    ("typed", "written", "stamp"),
    [
        ("2020-4-2 10:30", "2020年4月2日", "2020-04-02T00:00:00Z"),  # a spreadsheet's date cell, read as text
        ("2020/4/2", "2020/4/2", "2020-01-01T00:00:00Z"),  # not a date jixiao reads: as typed, the default
    ],
)
def test_report_date_read_alike_by_the_page_the_workbook_and_the_documents(copy, monkeypatch, typed, written, stamp):
    from jixiao import render
    from jixiao.inputs import settings
    from jixiao.render import xlsx
    from jixiao.sections import profile

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    set_cell(copy / "profile.csv", 2, "report_date", typed)
    r = report()
    assert profile.report_date(r) == written
    assert ("填报日期", written, True) in xlsx.signature_lines(r.data, r.unit_name)  # the example's row: supplied
    assert render.metadata(settings.load(UNIT, 2019)).date == stamp
    workbook = load_workbook(io.BytesIO(xlsx.selfeval_workbook_bytes(r.data, r.scores, r.unit_name)))
    assert workbook.properties.created.isoformat() == workbook.properties.modified.isoformat() == stamp[:19]


def test_profile_with_part_of_the_staffing(copy):
    from jixiao.sections import profile

    set_cell(copy / "profile.csv", 2, "staff_retired", "")
    html = profile.staffing(report())
    assert text(html).startswith("乐昌市民政局核定编制28名，2019年末在职人员26人，在职人员控制率为92.9%。")
    assert notes_of(html) == ["编写提示：单位概况表（profile）未填报离退休人数(staff_retired)，本段未列出。"]


def test_basic_spending_not_split(copy):
    from jixiao.sections import budget

    rows = read_rows(copy / "budget.csv")
    rows[1][2], rows[1][3:6] = "基本支出", ["1250.00", "1288.56", "1288.56"]
    write_rows(copy / "budget.csv", rows[:4])  # the 公用经费 line dropped: 基本支出 in one line
    html = budget.basic(report())
    assert text(html).startswith("基本支出全年预算数1288.56万元，全年执行数1288.56万元，执行率为100%。")
    assert notes_of(html) == [
        "编写提示：预算表（budget）未将基本支出分为人员经费和公用经费（支出类型 kind），本部分未说明基本支出的构成。"
    ]


def test_every_project_evaluated_or_some_spending_unlisted(copy):
    from jixiao.sections import unevaluated

    rows = read_rows(copy / "projects.csv")
    write_rows(copy / "projects.csv", rows[:14])  # only the 13 evaluated projects
    assert notes_of(unevaluated.summary(report())) == [
        "编写提示：项目表（projects）没有未开展自评的项目，但一般公共预算项目支出执行数 8677.53 万元，项目表所列项目"
        "合计 6898.64 万元，相差 1778.89 万元。请在项目表中列出其余项目（是否开展自评填“否”，并说明未开展自评原因）。"
    ]
    set_cell(copy / "budget.csv", 3, "executed", "6898.64")
    set_cell(copy / "budget.csv", 3, "full_year_budget", "6898.64")
    assert text(unevaluated.summary(report())) == "2019年各资金来源的项目均已开展绩效自评。"
    assert unevaluated.table(report()) == ""


def test_shares_that_do_not_add_up_after_rounding_say_so():
    """九: the five shares as printed (7.1% + 7.9% + 3.4% + 1.5% + 0.7% = 20.6%) against 合计 20.5%:
    a line under the table says they are rounded; shares that add up get none."""
    from jixiao.sections import unevaluated

    report = jixiao.open_report(UNIT, 2019)
    out = str(unevaluated.table(report))
    shares = re.findall(r">(\d+\.\d)%<", out)
    assert shares[:-1] == ["7.1", "7.9", "3.4", "1.5", "0.7"] and shares[-1] == "20.5"
    assert out.endswith('<p class="jx-hint">占比按四舍五入列示，各项之和与合计略有出入。</p>')
    total = report.data.projects.loc[report.data.projects["self_evaluated"] == "否", "executed"]
    report.data.projects.loc[total.index[1:], "executed"] = 0.0  # one project holds the whole share
    assert "四舍五入" not in str(unevaluated.table(report))
