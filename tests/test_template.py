"""The Excel form: the empty template, and the 2019 example as a workbook giving the same tables."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from openpyxl import load_workbook

from helpers_inputs import REPO, SHEETS, UNIT, project_copy
from jixiao.inputs.dataset import TABLES
from jixiao.inputs.loading import load
from jixiao.inputs.schema import TABLES as SCHEMA
from jixiao.inputs.template import write_template, write_workbook
from jixiao.inputs.validation import validate


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "data.xlsx"
    write_template(path, UNIT, 2019)
    return load_workbook(path)


def test_one_sheet_per_table_with_chinese_headers(template):
    assert template.sheetnames == SHEETS
    budget = template["预算"]
    assert [c.value for c in budget[1]] == [
        "预算行编码",
        "资金来源",
        "支出类型",
        "年初预算数(万元)",
        "全年预算数(万元)",
        "全年执行数(万元)",
        "数据来源",
    ]
    assert all(c.font.bold for c in budget[1])
    assert all(template[s].freeze_panes == "A2" for s in SHEETS)


def test_header_notes(template):
    note = template["预算"]["F1"].comment.text
    assert note.splitlines() == [
        "executed",
        "类型：数字",
        "单位：万元",
        "必填",
        "不得超过全年预算数",
    ]
    code_note = template["项目"]["H1"].comment.text
    assert code_note.splitlines()[0] == "self_evaluated"
    assert code_note.splitlines()[-1] == "可选：是、否"


def test_drop_down_lists_for_coded_columns(template):
    lists = {}
    for name in SHEETS:
        for check in template[name].data_validations.dataValidation:
            lists[(name, str(check.sqref))] = (check.formula1, check.errorStyle)
    assert lists[("预算", "B2:B1001")] == (
        '"一般公共预算,政府性基金预算,国有资本经营预算,财政专户管理资金,其他资金"',
        "stop",
    )
    assert lists[("预算", "C2:C1001")] == ('"基本支出,人员经费,公用经费,项目支出"', "stop")
    assert lists[("项目资金", "B2:B1001")] == ('"当年财政拨款,上年结转资金,其他资金"', "stop")
    assert lists[("绩效指标", "C2:C1001")] == ('"产出指标,效益指标,满意度指标"', "warning")
    assert lists[("绩效指标", "F2:F1001")] == ('"≥,≤,=,定性"', "stop")
    assert lists[("绩效指标", "J2:J1001")] == ('"达成,部分达成,未达成"', "stop")
    assert lists[("项目", "H2:H1001")] == ('"是,否"', "stop")
    assert lists[("业务统计", "H2:H1001")] == ('"设定"', "stop")
    assert lists[("业务统计", "I2:I1001")] == ('"published,illustrative"', "stop")
    coded = sum(1 for t in SCHEMA.values() for c in t.columns if c.codes)
    assert len(lists) == coded + 1  # and the suggested first levels of indicators


def test_profile_is_prefilled_and_text_columns_are_text(template):
    profile = template["单位概况"]
    assert [profile["A2"].value, profile["C2"].value] == [UNIT, 2019]
    assert template["预算"].column_dimensions["A"].number_format == "@"
    assert template["预算"].column_dimensions["D"].number_format == "General"


def test_the_empty_template_loads(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    for name in TABLES:
        (folder / f"{name}.csv").unlink(missing_ok=True)
    write_template(folder / "data.xlsx", UNIT, 2019)
    book, none = "data/lechang-mzj/2019/data.xlsx 工作表", "：没有数据行 (no rows)：所选章节"
    assert [str(p) for p in validate(UNIT, 2019)] == [
        f"{book}「单位概况」 第2行 单位名称(unit_name)：必填，不能为空",
        # every table the unit's sections (overview, projects, theme:dibao, problems) need is empty
        f"{book}「预算」{none}「总体情况」(overview)需要预算(budget)表的数据，"
        "请填写部门预算的每个资金来源和支出类型一行（年初预算数、全年预算数、全年执行数）",
        f"{book}「项目」{none}「项目支出绩效自评」(projects)需要项目(projects)表的数据，"
        "请填写每个项目一行（含未开展自评的项目及其原因）",
        f"{book}「项目资金」{none}「项目支出绩效自评」(projects)需要项目资金(project_funds)表的数据，"
        "请填写每个项目按资金性质的资金情况",
        f"{book}「业务统计」{none}「theme:dibao」需要业务统计(stats)表的数据，"
        "请填写专题章节的业务统计数字，每个数字一行",
        f"{book}「文字材料」{none}「theme:dibao」、「存在问题和改进措施」(problems)需要文字材料(narrative)表的数据，"
        "请填写该章节的文字材料（所属章节填该章节的键）",
        # the unit's settings ask for a themed section and its chart: an empty workbook has neither
        "data/lechang-mzj/2019/data.xlsx 工作表「文字材料」：主题章节 'dibao' 没有标题行"
        "（section 为 dibao、kind 为 title 的行），应有一行",
        "params/lechang-mzj/unit.yaml themes.dibao.charts[1].keys："
        "指标键 'dibao_cleared_households' 在2019年业务统计表（stats）中不存在",
    ]


def test_the_2019_workbook_loads_to_the_same_tables_as_the_csv_files(tmp_path, monkeypatch):
    root = tmp_path / "project"
    shutil.copytree(REPO / "params", root / "params")
    shutil.copytree(REPO / "data" / UNIT / "2019", root / "data" / UNIT / "2019")
    monkeypatch.setenv("JIXIAO_ROOT", str(root))
    from_csv = load(UNIT, 2019)
    folder = root / "data" / UNIT / "2019"
    write_workbook(folder / "data.xlsx", from_csv)
    for name in TABLES:
        (folder / f"{name}.csv").unlink(missing_ok=True)
    from_xlsx = load(UNIT, 2019)
    assert from_xlsx.files == ["data/lechang-mzj/2019/data.xlsx"]
    for name in TABLES:
        a, b = from_csv.table(name), from_xlsx.table(name)
        pd.testing.assert_frame_equal(a.drop(columns=["_file", "_sheet"]),
                                      b.drop(columns=["_file", "_sheet"]))  # fmt: skip
        assert set(b["_sheet"]) <= {SCHEMA[name].name}
    assert validate(UNIT, 2019) == []


def test_the_blocks_sheets_and_columns(template):
    assert [c.value for c in template["三公经费"][1]] == [
        "项目", "全年预算数(万元)", "全年执行数(万元)", "上年执行数(万元)", "数据来源",
    ]  # fmt: skip
    assert [c.value for c in template["年度绩效目标"][1]] == [
        "目标编码", "绩效目标", "完成情况", "实际完成情况", "偏差原因及改进措施", "对应指标编码", "数据来源",
    ]  # fmt: skip
    assert [c.value for c in template["单位概况"][1]][9:17] == [
        "内设机构", "内设机构数", "二级预算单位", "编制单位", "报告日期", "联系人", "联系电话",
        "部门整体自评得分(填报)",
    ]  # fmt: skip
    lists = {(name, str(check.sqref)): check.formula1 for name in ("三公经费", "年度绩效目标")
             for check in template[name].data_validations.dataValidation}  # fmt: skip
    assert lists[("三公经费", "A2:A1001")] == '"因公出国（境）费,公务用车购置费,公务用车运行维护费,公务接待费"'
    assert lists[("年度绩效目标", "C2:C1001")] == '"完成,部分完成,未完成"'
    assert template["项目"]["I1"].comment.text.splitlines() == [
        "not_evaluated_reason", "类型：文本", "选填", "是否开展自评为“否”时必填",
    ]  # fmt: skip
    assert template["三公经费"]["D1"].comment.text.splitlines() == [
        "last_year_executed", "类型：数字", "单位：万元", "选填", "空白：取上年三公经费表的全年执行数（如有上年数据）",
    ]  # fmt: skip
    assert template["年度绩效目标"]["E1"].comment.text.splitlines()[-1] == "完成情况为部分完成或未完成时必填"
