"""The 自评表 workbook: cells, merged ranges and sheet names, read back with openpyxl."""

from __future__ import annotations

import datetime
import io
import re
import time
import zipfile
from itertools import combinations

import openpyxl
import pandas as pd
import pytest
from openpyxl.utils import range_boundaries

from jixiao import formatting
from jixiao.inputs.dataset import Dataset
from jixiao.render.xlsx import is_illustrative, selfeval_workbook_bytes, sheet_name, write_selfeval_workbook
from jixiao.scoring import score_all
from jixiao.scoring.rules import Rules

LONG_NAME = "养老服务设施建设[福彩]:资金/项目?*第二批次及以后的所有剩余建设工作"


def _frame(table: str, rows: list[dict]) -> pd.DataFrame:
    out = pd.DataFrame(rows)
    out["_file"] = f"data/test/2019/{table}.csv"
    out["_sheet"] = ""
    out["_row"] = range(2, len(rows) + 2)
    return out


def _ind(iid, scope, level1, level2, level3, direction, target, actual, weight, **kw):
    row = {
        "indicator_id": iid,
        "scope": scope,
        "level1": level1,
        "level2": level2,
        "level3": level3,
        "direction": direction,
        "target": target,
        "target_text": None,
        "actual": actual,
        "actual_grade": None,
        "measure_unit": None,
        "weight": weight,
        "reported_score": None,
        "deviation_reason": None,
        "source": None,
    }
    row.update(kw)
    return row


@pytest.fixture
def dataset() -> Dataset:
    nan = float("nan")
    projects = _frame(
        "projects",
        [
            {
                "project_id": "P1",
                "project_name": "城乡低保",
                "fund_source": "一般公共预算",
                "implementer": "乐昌市民政局社会救助股",
                "initial_budget": 900.0,
                "full_year_budget": 1000.0,
                "executed": 950.0,
                "self_evaluated": "是",
                "goal": "保障城乡低保对象基本生活",
                "outcome": "按时足额发放低保金",
                "source": "illustrative",
                "reported_score": nan,
            },
            {
                "project_id": "P2",
                "project_name": LONG_NAME,
                "fund_source": "政府性基金预算",
                "implementer": nan,
                "initial_budget": 442.25,
                "full_year_budget": 442.25,
                "executed": 442.25,
                "self_evaluated": "是",
                "goal": nan,
                "outcome": nan,
                "reported_score": 100.0,
            },
            {
                "project_id": "P3",
                "project_name": "未自评项目",
                "fund_source": "一般公共预算",
                "implementer": nan,
                "initial_budget": 10.0,
                "full_year_budget": 10.0,
                "executed": 10.0,
                "self_evaluated": "否",
                "goal": nan,
                "outcome": nan,
                "reported_score": nan,
            },
            {
                "project_id": "P4",
                "project_name": "城乡低保",
                "fund_source": "一般公共预算",
                "implementer": nan,
                "initial_budget": 50.0,
                "full_year_budget": 50.0,
                "executed": 40.0,
                "self_evaluated": "是",
                "goal": nan,
                "outcome": nan,
                "reported_score": nan,
            },
        ],
    )
    funds = _frame(
        "project_funds",
        [
            {
                "project_id": "P1",
                "fund_type": "当年财政拨款",
                "initial_budget": 800.0,
                "full_year_budget": 900.0,
                "executed": 860.0,
            },
            {
                "project_id": "P1",
                "fund_type": "上年结转资金",
                "initial_budget": 100.0,
                "full_year_budget": 100.0,
                "executed": 90.0,
            },
        ],
    )
    indicators = _frame(
        "indicators",
        [
            _ind(
                "I1",
                "P1",
                "产出指标",
                "数量指标",
                "保障人数",
                "≥",
                1000,
                900,
                20,
                measure_unit="人",
                deviation_reason="部分对象退出保障",
                source="illustrative",
            ),
            _ind("I2", "P1", "产出指标", "数量指标", "覆盖乡镇数", "≥", 17, 17, 10, measure_unit="个"),
            _ind("I3", "P1", "产出指标", "时效指标", "发放及时率", "≥", 100, 100, 20, measure_unit="%"),
            _ind(
                "I4",
                "P1",
                "效益指标",
                "社会效益指标",
                "生活改善",
                "定性",
                nan,
                nan,
                30,
                target_text="困难群众生活得到改善",
                actual_grade="部分达成",
            ),
            _ind("I5", "P1", "满意度指标", "服务对象满意度指标", "满意度", "≥", 90, 95, 10, measure_unit="%"),
            _ind("D1", "department", "预算执行", "预算完成", "预算完成率", "≥", 100, 95, 40),
            _ind("D2", "department", "履职效能", "重点工作", "重点工作办结率", "≥", 100, 100, 40),
            _ind(
                "D3",
                "department",
                "满意度",
                "满意度",
                "群众满意度",
                "定性",
                nan,
                nan,
                20,
                actual_grade="达成",
                reported_score=18.0,
            ),
        ],
    )
    budget = _frame(
        "budget",
        [
            {
                "line_id": "B1",
                "fund_source": "一般公共预算",
                "kind": "基本支出",
                "initial_budget": 100.0,
                "full_year_budget": 120.0,
                "executed": 110.0,
            },
            {
                "line_id": "B2",
                "fund_source": "一般公共预算",
                "kind": "项目支出",
                "initial_budget": 1400.0,
                "full_year_budget": 1500.0,
                "executed": 1432.25,
            },
        ],
    )
    empty = pd.DataFrame()
    return Dataset(
        unit="test",
        year=2019,
        profile=empty,
        budget=budget,
        projects=projects,
        project_funds=funds,
        indicators=indicators,
        stats=empty,
        narrative=empty,
    )


@pytest.fixture
def workbook(dataset, tmp_path):
    scores = score_all(dataset, Rules())
    out = write_selfeval_workbook(tmp_path / "out" / "自评表.xlsx", dataset, scores, "乐昌市民政局")
    return out, openpyxl.load_workbook(out)


def _merged(ws) -> set[str]:
    return {str(r) for r in ws.merged_cells.ranges}


def test_sheet_names(workbook):
    out, wb = workbook
    assert wb.sheetnames[:3] == ["汇总", "部门整体支出绩效自评表", "城乡低保"]
    assert wb.sheetnames[-1] == "计分明细"
    assert len(wb.sheetnames) == 6  # summary, department, P1, P2, P4, details (P3 not evaluated)
    assert "城乡低保(2)" in wb.sheetnames
    for name in wb.sheetnames:
        assert len(name) <= 31 and not re.search(r"[\[\]:*?/\\]", name)
    assert len({n.casefold() for n in wb.sheetnames}) == len(wb.sheetnames)
    # the long name: bad characters replaced, cut to 31
    assert wb.sheetnames[3] == "养老服务设施建设_福彩__资金_项目__第二批次及以后的所有剩"
    # atomic write: nothing but the workbook is left in the folder
    assert [p.name for p in out.parent.iterdir()] == ["自评表.xlsx"]


def test_sheet_name_helper():
    assert sheet_name("a/b", []) == "a_b"
    assert sheet_name("汇总", ["汇总"]) == "汇总(2)"
    assert sheet_name("ABC", ["abc", "ABC(2)"]) == "ABC(3)"
    assert sheet_name("'引号'", []) == "引号"
    assert sheet_name("", [], fallback="P9") == "P9"
    long = "长" * 40
    assert sheet_name(long, [long[:31]]) == "长" * 28 + "(2)"


def test_project_sheet_layout(workbook):
    _, wb = workbook
    ws = wb["城乡低保"]
    assert ws["A1"].value == "项目支出绩效自评表"
    assert ws["A2"].value == "（2019年度）"
    assert (ws["A3"].value, ws["C3"].value) == ("项目名称", "城乡低保")
    assert (ws["A4"].value, ws["C4"].value) == ("主管部门", "乐昌市民政局")
    assert (ws["F4"].value, ws["H4"].value) == ("实施单位", "乐昌市民政局社会救助股")
    # funds block
    assert ws["A5"].value == "项目资金\n（万元）"
    assert [ws.cell(5, c).value for c in range(4, 10)] == [
        "年初预算数",
        "全年预算数",
        "全年执行数",
        "分值",
        "执行率",
        "得分",
    ]
    assert [ws.cell(6, c).value for c in range(2, 10) if c != 3] == ["年度资金总额", 900, 1000, 950, 10, 0.95, 9.5]
    assert ws["H6"].number_format == "0.0%" and ws["I6"].number_format == "0.00"
    assert ws["D6"].number_format == "0.00"
    assert [ws.cell(7, c).value for c in (2, 4, 5, 6)] == ["其中：当年财政拨款", 800, 900, 860]
    assert ws["H7"].value == pytest.approx(860 / 900)
    assert [ws.cell(8, c).value for c in (2, 4, 5, 6, 8)] == ["上年结转资金", 100, 100, 90, 0.9]
    assert [ws.cell(9, c).value for c in (2, 4, 5, 6, 8)] == ["其他资金", 0, 0, 0, "—"]
    # goals
    assert [ws["A10"].value, ws["B10"].value, ws["G10"].value] == ["年度总体目标", "预期目标", "实际完成情况"]
    assert (ws["B11"].value, ws["G11"].value) == ("保障城乡低保对象基本生活", "按时足额发放低保金")
    # indicators: header on row 12, rows 13–17 grouped 产出 (数量 ×2, 时效), 效益, 满意度
    assert [ws.cell(12, c).value for c in range(1, 11)] == [
        "一级指标",
        "二级指标",
        "三级指标",
        "指标性质",
        "年度指标值",
        "度量单位",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    ]
    rows = [[ws.cell(r, c).value for c in range(1, 11)] for r in range(13, 18)]
    assert rows == [
        # 900 ÷ 1000 × 20 = 18.00
        ["产出指标", "数量指标", "保障人数", "≥", 1000, "人", 900, 20, 18, "部分对象退出保障"],
        [None, None, "覆盖乡镇数", "≥", 17, "个", 17, 10, 10, None],
        [None, "时效指标", "发放及时率", "≥", 100, "%", 100, 20, 20, None],
        # 部分达成, no reported score: midpoint 70% × 30 = 21
        ["效益指标", "社会效益指标", "生活改善", "定性", "困难群众生活得到改善", None, "部分达成", 30, 21, None],
        ["满意度指标", "服务对象满意度指标", "满意度", "≥", 90, "%", 95, 10, 10, None],
    ]
    # footer: total = 9.5 + 18 + 10 + 20 + 21 + 10 = 88.50 → 良
    assert [ws["A18"].value, ws["H18"].value, ws["I18"].value] == ["总分", 100, 88.5]
    assert [ws["A19"].value, ws["H19"].value] == ["评价等级", "良"]
    # no notes; then the 填报 lines, blank where the profile does not give them
    assert [ws["A21"].value, ws["F21"].value] == ["填报单位：乐昌市民政局", "填报日期："]
    assert [ws["A22"].value, ws["F22"].value] == ["联系人：", "联系电话："]
    assert ws.max_row == 22
    assert _merged(ws) >= {
        "A1:J1",
        "A2:J2",
        "A3:B3",
        "C3:J3",
        "A4:B4",
        "C4:E4",
        "F4:G4",
        "H4:J4",
        "A5:A9",
        "B5:C5",
        "I5:J5",
        "B6:C6",
        "I6:J6",
        "B9:C9",
        "A10:A11",
        "B10:F10",
        "G10:J10",
        "B11:F11",
        "G11:J11",
        "A13:A15",
        "B13:B14",
        "A18:G18",
        "A19:G19",
        "H19:J19",
    }
    assert "B15:B15" not in _merged(ws) and not any(m.startswith("A16") for m in _merged(ws))
    assert ws["C13"].border.left.style == "thin" and ws["C13"].alignment.wrap_text
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.column_dimensions["J"].width > ws.column_dimensions["D"].width


def test_project_with_reported_total_and_no_indicators(workbook):
    _, wb = workbook
    ws = wb.worksheets[3]
    assert ws["C3"].value == LONG_NAME
    assert ws["H4"].value == "乐昌市民政局"  # no implementer: the department
    # 442.25 ÷ 442.25 → 10; no indicators; reported total 100 stands → 优
    assert ws["I6"].value == 10
    assert [ws["A12"].value, ws["A13"].value, ws["I13"].value, ws["H14"].value] == ["一级指标", "总分", 100, "优"]
    note = ws["A15"].value
    assert note.startswith("核对说明：")
    assert "填报总分 100.00 分，按规则计算 10.00 分（差）" in note
    assert "产出指标分值 50，但没有三级指标" in note
    assert "A15:J15" in _merged(ws)
    # no project_funds rows: the fund rows are left blank
    assert ws["D7"].value is None and ws["H7"].value == "—"


def test_department_sheet(workbook):
    _, wb = workbook
    ws = wb["部门整体支出绩效自评表"]
    assert ws["A1"].value == "部门整体支出绩效自评表"
    assert ws["C3"].value == "乐昌市民政局"
    # the execution block, as on the project form: amounts, 分值, 执行率, 得分
    assert ws["A4"].value == "年度预算\n执行情况\n（万元）"
    assert [ws.cell(4, c).value for c in range(4, 10)] == [
        "年初预算数",
        "全年预算数",
        "全年执行数",
        "分值",
        "执行率",
        "得分",
    ]
    # funds: 100 + 1400 = 1500; 120 + 1500 = 1620; 110 + 1432.25 = 1542.25
    assert [ws.cell(5, c).value for c in (2, 4, 5, 6)] == ["年度资金总额", 1500, 1620, 1542.25]
    assert ws["H5"].value == pytest.approx(1542.25 / 1620)
    # 分值 and 得分: the department's first-level indicator 预算执行 (D1: 95 ÷ 100 × 40 = 38), counted once
    assert (ws["G5"].value, ws["I5"].value) == ("—", "—")
    assert [ws.cell(6, c).value for c in (2, 4, 5, 6, 7, 9)] == ["其中：基本支出", 100, 120, 110, "—", "—"]
    assert [ws.cell(7, c).value for c in (2, 4, 5, 6)] == ["项目支出", 1400, 1500, 1432.25]
    # 年度总体目标: no goals table, so a note to the author, never invented text
    assert [ws["A8"].value, ws["B8"].value, ws["G8"].value] == ["年度总体目标", "预期目标", "实际完成情况"]
    assert ws["B9"].value == "未提供年度绩效目标（年度绩效目标 goals 表），请填写"
    assert ws["A10"].value == "一级指标"
    # 95 ÷ 100 × 40 = 38; 40; 定性 达成 reported 18 (band 16–20)
    assert [ws.cell(r, 9).value for r in (11, 12, 13)] == [38, 40, 18]
    assert ws["G13"].value == "达成"
    # total 38 + 40 + 18 = 96 → 优
    assert [ws["A14"].value, ws["H14"].value, ws["I14"].value] == ["总分", 100, 96]
    assert ws["H15"].value == "优"
    assert ws["A16"].value.startswith(
        "核对说明：\n1. 年度预算执行情况不另计分：其分值、得分为下表一级指标“预算执行”各项之和（分值40分，得分38分）"
    )
    assert ws["A18"].value == "填报单位：乐昌市民政局"
    assert {"A4:A7", "I4:J4", "I5:J5", "A8:A9", "B9:F9", "G9:J9", "A14:G14", "H15:J15"} <= _merged(ws)


def test_department_goals_from_the_goals_table(dataset, tmp_path):
    dataset.goals = _frame(
        "goals",
        [
            {"goal_id": "G1", "goal": "保障困难群众基本生活", "completion": "完成", "outcome": "应保尽保",
             "source": "published"},
            {"goal_id": "G2", "goal": "提升养老服务", "completion": "部分完成", "outcome": nan_value(),
             "deviation_reason": "设施建设滞后", "source": "illustrative"},
        ],
    )  # fmt: skip
    out = write_selfeval_workbook(tmp_path / "g.xlsx", dataset, score_all(dataset, Rules()), "乐昌市民政局")
    ws = openpyxl.load_workbook(out)["部门整体支出绩效自评表"]
    assert ws["B9"].value == "1. 保障困难群众基本生活\n2. 提升养老服务"
    assert ws["G9"].value == "1. 完成：应保尽保\n2. 部分完成：设施建设滞后"
    assert ws["B9"].fill.fgColor.rgb == "00FFF2CC"  # one goal row is illustrative
    assert ws.row_dimensions[9].height >= 2 * 11 * 1.38


def test_department_goals_fill_placeholders_as_the_report_does(dataset, tmp_path):
    # a sum is written with 约 when any of its rows is approximate (as the page writes it), not
    # with the first row's qualifier; {year}, straight quotes and {{ }} as on the page too
    dataset.stats = _frame(
        "stats",
        [
            {"section": "dibao", "key": "a", "label": "低保户", "value": 120, "unit": "户", "qualifier": "多",
             "numerals": None, "source": "published"},
            {"section": "dibao", "key": "b", "label": "临时救助户", "value": 30, "unit": "户", "qualifier": "约",
             "numerals": None, "source": "published"},
        ],
    )  # fmt: skip
    dataset.goals = _frame(
        "goals",
        [
            {"goal_id": "G1", "goal": "保障困难群众基本生活", "completion": "完成",
             "outcome": '{year}年救助"困难"群众{a + b}，其中{b}为临时救助{{注}}', "source": "published"},
            {"goal_id": "G2", "goal": "提升养老服务", "completion": "完成", "outcome": "新增{unknown}张床位",
             "source": "published"},
        ],
    )  # fmt: skip
    out = write_selfeval_workbook(tmp_path / "g.xlsx", dataset, score_all(dataset, Rules()), "乐昌市民政局")
    ws = openpyxl.load_workbook(out)["部门整体支出绩效自评表"]
    assert ws["G9"].value == (
        "1. 完成：2019年救助“困难”群众约150户，其中约30户为临时救助{注}\n"
        "2. 完成：新增{unknown}张床位"  # an unknown key (the inputs' check names it) stays as typed
    )


def nan_value() -> float:
    return float("nan")


def test_summary_sheet(workbook):
    _, wb = workbook
    ws = wb["汇总"]
    assert ws["A1"].value == "乐昌市民政局2019年度绩效自评结果汇总"
    assert [ws.cell(3, c).value for c in range(1, 8)] == [
        "项目名称",
        "资金来源",
        "全年预算数",
        "全年执行数",
        "执行率",
        "得分",
        "等级",
    ]
    assert [ws.cell(4, c).value for c in range(1, 8)] == ["城乡低保", "一般公共预算", 1000, 950, 0.95, 88.5, "良"]
    assert [ws.cell(5, c).value for c in (1, 6, 7)] == [LONG_NAME, 100, "优"]
    # P4: 40 ÷ 50 × 10 = 8.00, no indicators → 差
    assert [ws.cell(6, c).value for c in (1, 5, 6, 7)] == ["城乡低保", 0.8, 8, "差"]
    assert ws["E4"].number_format == "0.0%" and ws["F4"].number_format == "0.00"
    # totals: 1000 + 442.25 + 50 = 1492.25; 950 + 442.25 + 40 = 1432.25
    assert [ws.cell(7, c).value for c in (1, 3, 4)] == ["合计（3个项目）", 1492.25, 1432.25]
    assert ws["E7"].value == pytest.approx(1432.25 / 1492.25)
    assert [ws["A9"].value, ws["F9"].value, ws["G9"].value] == ["部门整体自评得分", 96, "优"]
    # (88.5 × 950 + 100 × 442.25 + 8 × 40) ÷ 1432.25 = 128620 ÷ 1432.25 = 89.8027… → 89.80
    assert ws["A10"].value.startswith("项目得分加权平均")
    assert ws["F10"].value == 89.8 and ws["G10"].value == "良"
    assert ws["H10"].value.endswith("÷ 1432.25 = 89.80")
    assert {"A1:H1", "A9:E9", "A10:E10"} <= _merged(ws)


def test_summary_sheet_gives_the_reported_total_without_department_indicators(dataset, tmp_path):
    """The score the report's cover shows (the unit's reported total) is the workbook's too."""
    dataset.indicators = dataset.indicators[dataset.indicators["scope"] != "department"]
    dataset.profile = _frame("profile", [{"unit_id": "test", "unit_name": "乐昌市民政局", "year": 2019,
                                          "reported_total_score": 92.5, "source": "illustrative"}])  # fmt: skip
    out = write_selfeval_workbook(tmp_path / "r.xlsx", dataset, score_all(dataset, Rules()), "乐昌市民政局")
    ws = openpyxl.load_workbook(out)["汇总"]
    assert [ws["A9"].value, ws["F9"].value, ws["G9"].value, ws["H9"].value] == [
        "部门整体自评得分", 92.5, "优", "单位填报的总分（未设部门整体绩效指标）"
    ]  # fmt: skip
    assert ws["F9"].fill.fgColor.rgb == "00FFF2CC"  # supplied: 示 in the report, filled here


def test_detail_sheet_cites_rows_in_the_reviewers_workbook_only(workbook, dataset, tmp_path):
    _, wb = workbook
    ws = wb["计分明细"]
    rules = [ws.cell(r, 12).value for r in range(3, ws.max_row + 1)]
    assert "正向指标：实际 900 < 目标 1000，得分 = 900 ÷ 1000 × 20 = 18.00" in rules
    assert ws.max_column == 13 and ws["M2"].value == "提示"  # the filed form: no column of file paths
    scores = score_all(dataset, Rules())
    review = write_selfeval_workbook(tmp_path / "r.xlsx", dataset, scores, "乐昌市民政局", "review")
    ws = openpyxl.load_workbook(review)["计分明细"]
    assert ws["N2"].value == "数据来源"
    assert [ws.cell(r, 12).value for r in range(3, ws.max_row + 1)] == rules
    sources = [ws.cell(r, 14).value for r in range(3, ws.max_row + 1)]
    assert "data/test/2019/indicators.csv第 2 行" in sources


def test_merged_ranges_are_valid_everywhere(workbook):
    _, wb = workbook
    for ws in wb.worksheets:
        boxes = [range_boundaries(str(r)) for r in ws.merged_cells.ranges]
        for c1, r1, c2, r2 in boxes:
            assert (c1, r1) != (c2, r2), f"{ws.title}: single-cell merge"
        for a, b in combinations(boxes, 2):
            overlap = not (a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1])
            assert not overlap, f"{ws.title}: {a} overlaps {b}"


def test_rewrite_replaces_file(dataset, tmp_path):
    scores = score_all(dataset, Rules())
    path = tmp_path / "x.xlsx"
    path.write_text("old")
    assert write_selfeval_workbook(path, dataset, scores, "乐昌市民政局") == path
    assert openpyxl.load_workbook(path).sheetnames[0] == "汇总"


# -- the workbook as the official form ---------------------------------------------------------


def test_every_font_is_named_songti(workbook):
    """No Calibri, no unnamed font (LibreOffice would fall back to DejaVu Serif): every font of the
    file's style sheet is 宋体 with the GB2312 character set, and so is every cell's."""
    out, wb = workbook
    with zipfile.ZipFile(out) as z:
        styles = z.read("xl/styles.xml").decode("utf-8")
    fonts = re.findall(r"<font>(.*?)</font>|<font/>", styles, re.S)
    assert fonts and all('<name val="宋体"/>' in f and '<charset val="134"/>' in f for f in fonts), fonts
    assert "Calibri" not in styles
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    assert cell.font.name == "宋体", (ws.title, cell.coordinate)
    assert wb["城乡低保"]["A1"].font.sz == 16 and wb["城乡低保"]["A1"].font.b


def test_row_heights_fit_the_text(workbook):
    _, wb = workbook
    ws = wb["城乡低保"]
    # "服务对象满意度指标": 9 characters, 18 units in a column 14 wide: two lines, not a fixed 20 pt
    assert ws["B17"].value == "服务对象满意度指标"
    assert ws.row_dimensions[17].height >= 2 * 11 * 1.38
    assert ws.row_dimensions[16].height >= 2 * 11 * 1.38  # "社会效益指标" fits; "困难群众生活得到改善" in E does not
    assert ws.row_dimensions[15].height == 21.2  # one line each: 11 pt × 1.38 + 6
    # a long name in a merged cell of the summary: the whole box is enough
    summary = wb["汇总"]
    assert summary.row_dimensions[5].height >= 2 * 11 * 1.38  # LONG_NAME in a 28-wide column


def test_print_titles_and_page_numbers(workbook):
    _, wb = workbook
    for ws in wb.worksheets:
        assert ws.oddFooter.center.text == "第 &P 页 共 &N 页", ws.title
        assert ws.oddFooter.center.font == "宋体,常规"
        assert ws.print_title_rows, ws.title
    assert wb["城乡低保"].print_title_rows == "$1:$3" and wb["汇总"].print_title_rows == "$1:$3"
    detail = wb["计分明细"]
    # readable: printed at full size over several pages, header row and 对象 column on each
    assert detail.print_title_rows == "$1:$2" and detail.print_title_cols == "$A:$A"
    assert not detail.sheet_properties.pageSetUpPr.fitToPage
    assert wb["城乡低保"].sheet_properties.pageSetUpPr.fitToPage


def test_signature_lines_from_the_profile(dataset, tmp_path):
    dataset.profile = _frame(
        "profile",
        [{"unit_id": "test", "unit_name": "乐昌市民政局", "year": 2019, "preparer": "乐昌市民政局财务股",
          "report_date": "2020-03-31", "contact_person": "张三", "contact_phone": "0751-5555555"}],
    )  # fmt: skip
    out = write_selfeval_workbook(tmp_path / "s.xlsx", dataset, score_all(dataset, Rules()), "乐昌市民政局")
    wb = openpyxl.load_workbook(out)
    ws = wb["城乡低保"]
    assert [ws["A21"].value, ws["F21"].value] == ["填报单位：乐昌市民政局财务股", "填报日期：2020年3月31日"]
    assert [ws["A22"].value, ws["F22"].value] == ["联系人：张三", "联系电话：0751-5555555"]
    summary = wb["汇总"]
    lines = [c.value for row in summary.iter_rows() for c in row if isinstance(c.value, str) and "：" in c.value]
    assert "填报单位：乐昌市民政局财务股" in lines and "联系人：张三" in lines
    # the document's time is the report date, its author the preparer
    assert wb.properties.created == datetime.datetime(2020, 3, 31)
    assert wb.properties.creator == "乐昌市民政局财务股"


HOSTILE = ['=HYPERLINK("http://example.com","点我")', "=cmd|' /C calc'!A0", "+1+2", "-3+4", "@SUM(1,2)",
           "\t=1", "\r=2"]  # fmt: skip


def test_formula_like_text_is_stored_as_text(dataset, tmp_path):
    dataset.projects["project_name"] = [HOSTILE[0], HOSTILE[1], "未自评项目", HOSTILE[3]]
    dataset.projects.loc[0, "goal"] = HOSTILE[2]
    dataset.projects.loc[0, "implementer"] = HOSTILE[6]
    dataset.indicators.loc[0, "deviation_reason"] = HOSTILE[4]
    out = write_selfeval_workbook(tmp_path / "h.xlsx", dataset, score_all(dataset, Rules()), HOSTILE[5])
    with zipfile.ZipFile(out) as z:
        sheets = [z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
    assert sheets and not any("<f>" in x or "<f " in x for x in sheets)  # no formula anywhere
    wb = openpyxl.load_workbook(out)
    seen = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.lstrip("\t\r").startswith(("=", "+", "-", "@")):
                    seen[cell.value] = cell
                    assert cell.data_type == "s", (ws.title, cell.coordinate, cell.value)
                    assert cell.quotePrefix, (ws.title, cell.coordinate)
    # as given (a project's name with its quotes made Chinese, as the report writes it), or trimmed of
    # the white space a cell's text loses (still text)
    assert {formatting.quotes(text) for text in HOSTILE[:6]} | {"=2"} <= set(seen), set(seen)
    summary = wb["汇总"]
    assert summary["A4"].value == formatting.quotes(HOSTILE[0]) and summary["A4"].data_type == "s"


def test_two_builds_are_byte_identical(dataset, tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    scores = score_all(dataset, Rules())
    first = selfeval_workbook_bytes(dataset, scores, "乐昌市民政局")
    time.sleep(2.1)  # zip entry times have a resolution of 2 s
    assert selfeval_workbook_bytes(dataset, scores, "乐昌市民政局") == first
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        assert {i.date_time for i in z.infolist()} == {(2020, 1, 1, 0, 0, 0)}  # the day after the year
        core = z.read("docProps/core.xml").decode("utf-8")
    assert core.count("2020-01-01T00:00:00Z") == 2  # created and modified
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    with zipfile.ZipFile(io.BytesIO(selfeval_workbook_bytes(dataset, scores, "乐昌市民政局"))) as z:
        assert z.infolist()[0].date_time == (2023, 11, 14, 22, 13, 20)
        assert "2023-11-14T22:13:20Z" in z.read("docProps/core.xml").decode("utf-8")


def test_illustrative_cells_have_a_fill_a_note_and_a_legend(workbook):
    """P1's project row and its indicator I1 are illustrative: their figures, and what is computed
    from them (the execution score, the total, the grade, the summary's sums), are marked; P2's
    published figures are not."""
    _, wb = workbook
    yellow = "00FFF2CC"
    ws = wb["城乡低保"]
    for ref in ("D6", "E6", "F6", "H6", "I6", "E13", "G13", "H13", "I13", "I18", "H19", "B11"):
        assert ws[ref].fill.fgColor.rgb == yellow, ref
        assert ws[ref].comment.text == "示例数据：此数来自示例（非公开发布）数据，或由其计算得出。", ref
    # the 预算执行率分值 left blank: the default 10, which was never printed
    assert (ws["G6"].value, ws["G6"].fill.fgColor.rgb, ws["G6"].comment.text) == (
        10,
        yellow,
        "默认值：未填报预算执行率分值，取本单位设置的默认分值（非公开发布数）。",
    )
    for ref in ("E14", "I14", "C3", "D7"):  # I2 is published; the name; funds rows published
        assert ws[ref].fill.fgColor.rgb != yellow and ws[ref].comment is None, ref
    p2 = wb.worksheets[3]  # printed, its reported total standing; its 分值 the default, with the score from it
    assert [p2[ref].fill.fgColor.rgb == yellow for ref in ("D6", "I13", "I19", "G6", "I6")] == [False] * 3 + [True] * 2
    summary = wb["汇总"]
    assert [summary.cell(4, c).fill.fgColor.rgb == yellow for c in range(1, 8)] == [False, False] + [True] * 5
    assert not any(summary.cell(5, c).fill.fgColor.rgb == yellow for c in range(1, 8))
    assert summary["C7"].fill.fgColor.rgb == yellow  # the total includes P1's amounts
    legend = next(r for r in summary.iter_rows() if r[0].value == "示例数据")
    assert legend[0].fill.fgColor.rgb == yellow and legend[0].comment is None
    assert legend[1].value.startswith("底色如左者为示例数据：非公开发布的数字，由编制者补充")
    detail = wb["计分明细"]
    i1 = next(r for r in detail.iter_rows(min_row=3) if r[3].value == "保障人数")
    # 年度指标值, 实际完成值, 分值, 计算得分, (no 填报得分), 采用得分
    assert [c.fill.fgColor.rgb == yellow for c in i1[5:11]] == [True, True, True, True, False, True]
    lines = _frame(
        "budget",
        [
            {"line_id": "B1", "kind": "项目支出", "initial_budget": 1.0, "source": "illustrative"},
            {"line_id": "B2", "kind": "项目支出", "initial_budget": 2.0, "source": "published"},
        ],
    )
    assert is_illustrative(lines, 0) and is_illustrative(lines, 0, "initial_budget")
    assert not is_illustrative(lines, 1) and not is_illustrative(lines, 1, "initial_budget")


def test_marks_follow_the_reports_cell_rule(tmp_path, monkeypatch):
    """The example's published report prints B03's 全年预算数 and 全年执行数 (442.25) but not its
    年初预算数 (420.00): with the other budget lines published, the workbook marks the 年初预算数
    sums that include B03's 420.00 as illustrative, as the report does, and not the 442.25 ones."""
    from helpers_inputs import UNIT, project_copy, set_cell
    from jixiao.engine import pipeline as build
    from jixiao.inputs import settings

    folder = project_copy(tmp_path, monkeypatch)
    for row in (2, 3, 5):  # B01, B02, B04: every line but B03 published, none listed
        set_cell(folder / "budget.csv", row, "source", "published")
    wb = openpyxl.load_workbook(io.BytesIO(build.workbook_bytes(settings.load(UNIT, 2019))["filing"]))
    ws = wb["部门整体支出绩效自评表"]
    yellow = "00FFF2CC"
    assert [ws.cell(r, 2).value for r in (5, 6, 7)] == ["年度资金总额", "其中：基本支出", "项目支出"]
    assert [ws.cell(7, c).value for c in (4, 5, 6)] == [8740.0, 9119.78, 9119.78]  # B02 + B03
    marked = {(r, c): ws.cell(r, c).fill.fgColor.rgb == yellow for r in (5, 6, 7) for c in (4, 5, 6, 8)}
    assert marked == {
        (5, 4): True, (5, 5): False, (5, 6): False, (5, 8): False,  # 年度资金总额: B03's 420.00 in it
        (6, 4): False, (6, 5): False, (6, 6): False, (6, 8): False,  # 基本支出: B01 and B04, published
        (7, 4): True, (7, 5): False, (7, 6): False, (7, 8): False,  # 项目支出: B02 and B03
    }  # fmt: skip
    assert ws.cell(7, 4).comment.text == "示例数据：此数来自示例（非公开发布）数据，或由其计算得出。"
