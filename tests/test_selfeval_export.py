"""The 自评表 workbook: cells, merged ranges and sheet names, read back with openpyxl."""

from __future__ import annotations

import re
from itertools import combinations

import openpyxl
import pandas as pd
import pytest
from openpyxl.utils import range_boundaries

from jixiao.dataset import Dataset
from jixiao.rules import Rules
from jixiao.scoring import score_all
from jixiao.selfeval_export import sheet_name, write_selfeval_workbook

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
    assert ws["A5"].value == "项目资金（万元）"
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
    assert ws.max_row == 19  # nothing to note
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
    # funds: 100 + 1400 = 1500; 120 + 1500 = 1620; 110 + 1432.25 = 1542.25
    assert [ws.cell(5, c).value for c in (2, 4, 5, 6)] == ["年度资金总额", 1500, 1620, 1542.25]
    assert ws["G5"].value == pytest.approx(1542.25 / 1620)
    assert [ws.cell(6, c).value for c in (2, 4, 5, 6)] == ["其中：基本支出", 100, 120, 110]
    assert [ws.cell(7, c).value for c in (2, 4, 5, 6)] == ["项目支出", 1400, 1500, 1432.25]
    assert ws["A8"].value == "一级指标"
    # 95 ÷ 100 × 40 = 38; 40; 定性 达成 reported 18 (band 16–20)
    assert [ws.cell(r, 9).value for r in (9, 10, 11)] == [38, 40, 18]
    assert ws["G11"].value == "达成"
    # total 38 + 40 + 18 = 96 → 优
    assert [ws["A12"].value, ws["H12"].value, ws["I12"].value] == ["总分", 100, 96]
    assert ws["H13"].value == "优"
    assert {"A4:A7", "G4:J4", "A12:G12", "H13:J13"} <= _merged(ws)


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
    assert [ws.cell(7, c).value for c in (1, 3, 4)] == ["合计（3 个项目）", 1492.25, 1432.25]
    assert ws["E7"].value == pytest.approx(1432.25 / 1492.25)
    assert [ws["A9"].value, ws["F9"].value, ws["G9"].value] == ["部门整体自评得分", 96, "优"]
    # (88.5 × 950 + 100 × 442.25 + 8 × 40) ÷ 1432.25 = 128620 ÷ 1432.25 = 89.8027… → 89.80
    assert ws["A10"].value.startswith("项目得分加权平均")
    assert ws["F10"].value == 89.8 and ws["G10"].value == "良"
    assert ws["H10"].value.endswith("÷ 1432.25 = 89.80")
    assert {"A1:H1", "A9:E9", "A10:E10"} <= _merged(ws)


def test_detail_sheet_cites_rows(workbook):
    _, wb = workbook
    ws = wb["计分明细"]
    rules = [ws.cell(r, 12).value for r in range(3, ws.max_row + 1)]
    assert "正向指标：实际 900 < 目标 1000，得分 = 900 ÷ 1000 × 20 = 18.00" in rules
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
