"""``jixiao import``: filled 自评表 (made in code here: tests/helpers_forms.py) written as a unit's
tables, each printed figure published with its form's cell; a unit made by import alone builds,
with the form's cell in its tooltips; a second import changes no byte; any problem writes nothing
and every problem is listed; ``--dry-run`` writes nothing; existing tables need ``--overwrite``."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from conftest import copy_project
from helpers_forms import department_form, project_form
from jixiao import cli
from jixiao.forms import importing
from jixiao.forms.model import Problem, Reading
from jixiao.inputs import source_refs

UNIT = "shili-mzj"
REF = "forms/临时救助.xlsx#sheet=附件1"


@pytest.fixture
def root(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("JIXIAO_ROOT", str(tmp_path))
    return tmp_path


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_project_form_becomes_a_project_its_funds_and_its_indicators_each_cell_named(root):
    imported = importing.run(Reading([project_form()]), UNIT, 2024)
    folder = root / f"data/{UNIT}/2024"
    assert imported.layout == "csv"
    assert lines(folder / "projects.csv") == [
        "project_id,project_name,fund_source,implementer,initial_budget,full_year_budget,executed,self_evaluated,"
        "not_evaluated_reason,goal,outcome,weight_execution,weight_output,weight_effect,weight_satisfaction,"
        "reported_score,source,source_ref",
        "P01,临时救助,一般公共预算,示例县民政局社会救助股,120,120,118,是,,及时救助遭遇突发困难的群众,全年救助289人次,"
        f"10,50,30,10,100,published,{REF}&project_name=B3&implementer=E4&initial_budget=D6&full_year_budget=E6"
        "&executed=F6&goal=B11&outcome=E11&weight_execution=G6&reported_score=I18",
    ]
    assert lines(folder / "project_funds.csv") == [
        "project_id,fund_type,level,initial_budget,full_year_budget,executed,source,source_ref",
        f"P01,当年财政拨款,,100,100,98,published,{REF}&initial_budget=D7&full_year_budget=E7&executed=F7",
        f"P01,上年结转资金,,20,20,20,published,{REF}&initial_budget=D8&full_year_budget=E8&executed=F8",
    ]
    assert lines(folder / "indicators.csv")[0:4] == [
        "indicator_id,scope,level1,level2,level3,direction,target,target_text,actual,actual_grade,measure_unit,"
        "weight,reported_score,deviation_reason,computed_actual,stats_key,source,source_ref",
        f"P01-01,P01,产出指标,数量指标,救助人次,≥,280,,289,,人次,30,30,,,,published,{REF}&level1=A14&level2=B14"
        "&level3=C14&target=E14&actual=G14&weight=H14&reported_score=I14",
        f"P01-02,P01,产出指标,时效指标,救助金发放及时率,≥,95,,100,,%,20,20,,,,published,{REF}&level1=A15"
        "&level2=B15&level3=C15&target=E15&actual=G15&weight=H15&reported_score=I15",
        "P01-03,P01,效益指标,社会效益指标,困难群众基本生活保障,定性,,有效保障,,达成,,30,28,,,,published,"
        f"{REF}&level1=A16&level2=B16&level3=C16&target_text=E16&actual_grade=G16&weight=H16&reported_score=I16",
    ]
    assert lines(folder / "profile.csv")[1] == (
        f"{UNIT},示例县民政局,2024,,,,,,,,,,,,,,,published,{REF}&unit_name=B4"
    )  # 单位名称 from 主管部门
    assert source_refs.cell_ref(lines(folder / "projects.csv")[1].rpartition(",")[2], "executed") == (
        "forms/临时救助.xlsx#sheet=附件1&cell=F6"
    )  # the form of Cell.ref()


def test_a_department_form_gives_department_indicators_and_the_profiles_reported_total(root):
    imported = importing.run(Reading([project_form(), department_form()]), UNIT, 2024)
    folder = root / f"data/{UNIT}/2024"
    rows = lines(folder / "indicators.csv")
    dep = "forms/部门整体.xlsx#sheet=部门整体"
    assert rows[-2:] == [
        "BM-01,department,投入,预算编制,预算编制科学性,定性,,科学合理,,达成,,40,38,,,,published,"
        f"{dep}&level1=A8&level2=B8&level3=C8&target_text=E8&actual_grade=G8&weight=H8&reported_score=I8",
        "BM-02,department,产出,重点工作,重点工作办结率,≥,95,,100,,%,60,60,,,,published,"
        f"{dep}&level1=A9&level2=B9&level3=C9&target=E9&actual=G9&weight=H9&reported_score=I9",
    ]
    assert lines(folder / "profile.csv")[1] == (
        f"{UNIT},示例县民政局,2024,,,,,,,,,,,,,,98,published,{dep}&unit_name=B3&reported_total_score=I10"
    )
    settings = yaml.safe_load((root / f"params/{UNIT}/unit.yaml").read_text(encoding="utf-8"))
    assert (settings["kind"], settings["sections"]) == (
        "department",
        ["profile", "conclusion", "projects", "unevaluated", "review"],
    )  # the department kind's sections the imported tables serve
    assert imported.left_out == ["budget", "goals", "evaluation", "problems", "improvements", "application"]


def test_a_unit_made_by_import_alone_builds_and_its_tooltips_name_the_forms_cells(tmp_path, monkeypatch, capsys):
    root = copy_project(tmp_path / "p")
    monkeypatch.setenv("JIXIAO_ROOT", str(root))
    forms = [project_form(), project_form("医疗救助", file="forms/医疗救助.xlsx")]
    imported = importing.run(Reading(forms), UNIT, 2024)
    assert [p.relative_to(root).as_posix() for p in imported.written] == [
        f"params/{UNIT}/unit.yaml",
        f"params/{UNIT}/2024.yaml",
        f"data/{UNIT}/2024/projects.csv",
        f"data/{UNIT}/2024/project_funds.csv",
        f"data/{UNIT}/2024/indicators.csv",
        f"data/{UNIT}/2024/profile.csv",
    ]
    settings = yaml.safe_load((root / f"params/{UNIT}/unit.yaml").read_text(encoding="utf-8"))
    assert (settings["unit_name"], settings["kind"], settings["sections"]) == (
        "示例县民政局", "project", ["projects", "review"]
    )  # fmt: skip
    assert cli.main(["build", "--unit", UNIT, "--year", "2024", "--format", "html"]) == 0
    out = root / f"outputs/{UNIT}/2024"
    page = (out / "report-review.html").read_text(encoding="utf-8")
    assert "<title>示例县民政局2024年度项目支出绩效自评报告</title>" in page
    text = re.sub(r"\s+", "", html.unescape(re.sub(r"<[^>]+>", "", page)))
    assert "2024年，示例县民政局对2个项目开展绩效自评，其中一般公共预算项目2个，自评项目全年执行数共236.00万元" in text
    tips = [html.unescape(t) for t in re.findall(r'title="([^"]*)"', page)]
    assert (
        "全年执行数：118.00\n来源：data/shili-mzj/2024/projects.csv 第2行 全年执行数(executed)，"
        "原表 forms/临时救助.xlsx 工作表「附件1」F6"
    ) in tips
    assert (
        "实际完成值：289\n来源：data/shili-mzj/2024/indicators.csv 第6行 实际完成值(actual)，"
        "原表 forms/医疗救助.xlsx 工作表「附件1」G14"
    ) in tips
    assert 'data-provenance="illustrative"' not in page  # every figure printed on a form, or computed from them


def test_importing_the_same_forms_again_changes_no_byte(root):
    forms = Reading([project_form(), department_form()])
    importing.run(forms, UNIT, 2024)
    before = files(root)
    again = importing.run(forms, UNIT, 2024)
    assert again.written == []
    assert [p.name for p in again.unchanged] == ["projects.csv", "project_funds.csv", "indicators.csv"]
    assert files(root) == before
    assert importing.run(forms, UNIT, 2024, overwrite=True).written == []  # nothing to overwrite either
    assert files(root) == before


def test_a_dry_run_says_what_it_would_write_and_writes_nothing(root):
    imported = importing.run(Reading([project_form()]), UNIT, 2024, dry_run=True)
    assert files(root) == {}
    assert importing.report_lines(imported)[-8:] == [
        "表 (tables): projects 1 行、project_funds 2 行、indicators 4 行、profile 1 行",
        "将写入 (would write, --dry-run):",
        f"  params/{UNIT}/unit.yaml",
        f"  params/{UNIT}/2024.yaml",
        f"  data/{UNIT}/2024/projects.csv",
        f"  data/{UNIT}/2024/project_funds.csv",
        f"  data/{UNIT}/2024/indicators.csv",
        f"  data/{UNIT}/2024/profile.csv",
    ]


def test_every_problem_is_listed_at_once_and_nothing_is_written(root):
    forms = [
        project_form(),
        project_form(file="forms/临时救助-副本.xlsx"),
        project_form("医疗救助", file="forms/医疗救助.xlsx", year=2023),
        department_form(),
        department_form(file="forms/部门整体2.xlsx"),
    ]
    unreadable = Problem("forms/坏表.xlsx", "不是 Excel 工作簿（.xlsx）")
    with pytest.raises(importing.ImportProblems) as caught:
        importing.run(Reading(forms, [unreadable]), UNIT, 2024)
    assert caught.value.lines() == [
        "未写入任何文件 (nothing written): 自评表导入有 4 处问题 (problems)：",
        "  forms/坏表.xlsx：不是 Excel 工作簿（.xlsx）",
        "  forms/临时救助-副本.xlsx 工作表「附件1」B3：项目「临时救助」已有一张自评表："
        "forms/临时救助.xlsx 工作表「附件1」A1 (two forms for one project)",
        "  forms/医疗救助.xlsx 工作表「附件1」A1：是 2023 年度的自评表，导入的是 2024 年度 (a form of another year)",
        "  forms/部门整体2.xlsx 工作表「部门整体」A1：第二张部门整体支出绩效自评表；第一张在 "
        "forms/部门整体.xlsx 工作表「部门整体」A1 (two department forms)",
    ]
    assert files(root) == {}


def test_existing_tables_need_overwrite(tmp_path, monkeypatch, capsys):
    root = copy_project(tmp_path / "p")
    monkeypatch.setenv("JIXIAO_ROOT", str(root))
    before = files(root / "data")
    with pytest.raises(importing.ImportProblems) as caught:
        importing.run(Reading([project_form(year=2019)]), "lechang-mzj", 2019)
    assert caught.value.problems == [
        f"data/lechang-mzj/2019/{t}.csv 已有数据 (the table exists)；以自评表覆盖请加 --overwrite"
        for t in ("projects", "project_funds", "indicators")
    ]
    assert files(root / "data") == before
    imported = importing.run(Reading([project_form(year=2019)]), "lechang-mzj", 2019, overwrite=True)
    assert [p.name for p in imported.written] == ["projects.csv", "project_funds.csv", "indicators.csv"]
    assert "profile" not in imported.tables  # the unit-year's own profile is kept
    assert lines(root / "data/lechang-mzj/2019/projects.csv")[1].startswith("P01,临时救助,一般公共预算,")


def test_a_unit_that_keeps_a_workbook_gets_its_sheets_replaced_the_others_kept(tmp_path, monkeypatch, capsys):
    root = copy_project(tmp_path / "p")
    monkeypatch.setenv("JIXIAO_ROOT", str(root))
    assert cli.main(["new", "--unit", UNIT, "--name", "示例县民政局", "--year", "2024", "--kind", "project"]) == 0
    workbook = root / f"data/{UNIT}/2024/data.xlsx"
    sheets = load_workbook(workbook).sheetnames
    imported = importing.run(Reading([project_form()]), UNIT, 2024)
    assert (imported.layout, [p.name for p in imported.written]) == ("xlsx", ["data.xlsx"])
    book = load_workbook(workbook)
    assert book.sheetnames == sheets
    assert [c.value for c in book["项目"][2]][:8] == ["P01", "临时救助", "一般公共预算", "示例县民政局社会救助股",
                                                     120, 120, 118, "是"]  # fmt: skip
    assert [c.value for c in book["单位概况"][2]][:3] == [UNIT, "示例县民政局", 2024]  # jixiao new's row, kept
    assert not list((root / f"data/{UNIT}/2024").glob("*.csv"))
    data = workbook.read_bytes()
    again = importing.run(Reading([project_form()]), UNIT, 2024)
    assert (again.written, [p.name for p in again.unchanged]) == ([], ["data.xlsx"])
    assert workbook.read_bytes() == data


def test_a_form_without_weights_leaves_them_to_the_rules_and_the_log_says_so(root):
    imported = importing.run(Reading([project_form(weights=False)]), UNIT, 2024)
    rows = [r.split(",") for r in lines(root / f"data/{UNIT}/2024/indicators.csv")]
    assert [r[11] for r in rows] == ["weight", "", "", "", ""]
    assert [r[11:16] for r in lines_split(root / f"data/{UNIT}/2024/projects.csv")][1] == ["10", "", "", "", "100"]
    assert imported.log[:2] == [
        "forms/临时救助.xlsx 工作表「附件1」A1：表上没有分值列 (no 分值 column)",
        "forms/临时救助.xlsx 工作表「附件1」A1：表上没有分值：救助人次、救助金发放及时率、困难群众基本生活保障、"
        "受助对象满意度 的分值留空，按规则的默认分值计分，报告标为默认值 (no weight printed: the rules' default "
        "applies, shown as a default)",
    ]


def lines_split(path: Path) -> list[list[str]]:
    return [r.split(",") for r in lines(path)]


def test_the_command_prints_the_log_and_the_next_steps(root, capsys, monkeypatch):
    monkeypatch.setattr(importing, "_read", lambda inputs: Reading([project_form()]))
    code = cli.main(["import", "forms", "--unit", UNIT, "--year", "2024"])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"jixiao import {UNIT} 2024: 读取 (read) 1 张自评表 (forms)",
        "  forms/临时救助.xlsx 工作表「附件1」A1: 项目支出绩效自评表「临时救助」→ P01, 4 个指标 (indicators)",
        "导入记录 (import log):",
        "  资金来源 (fund_source) 不在自评表上：P01 临时救助 按「一般公共预算」写入，请核对 "
        "(no form prints the fund source: written as 一般公共预算, to be checked)",
        "表 (tables): projects 1 行、project_funds 2 行、indicators 4 行、profile 1 行",
        "写入 (written):",
        f"  params/{UNIT}/unit.yaml",
        f"  params/{UNIT}/2024.yaml",
        f"  data/{UNIT}/2024/projects.csv",
        f"  data/{UNIT}/2024/project_funds.csv",
        f"  data/{UNIT}/2024/indicators.csv",
        f"  data/{UNIT}/2024/profile.csv",
        "下一步 (next steps):",
        f"  1. 核对 params/{UNIT}/unit.yaml：单位名称取自主管部门，报告类型项目支出 (check the settings)",
        "     章节 overview 需要 预算(budget)：填写后把它加入 sections (add it once filled)",
        "     章节 goals 需要 年度绩效目标(goals)：填写后把它加入 sections (add it once filled)",
        "     章节 problems 需要 文字材料(narrative)：填写后把它加入 sections (add it once filled)",
        "     章节 improvements 需要 文字材料(narrative)：填写后把它加入 sections (add it once filled)",
        "     章节 application 需要 文字材料(narrative)：填写后把它加入 sections (add it once filled)",
        "  2. 核对资金来源 (fund_source) 等自评表上没有的列 (columns no form prints)",
        f"  3. jixiao validate --unit {UNIT} --year 2024",
        f"  4. jixiao build --unit {UNIT} --year 2024",
    ]


def test_a_unit_imported_from_a_form_without_weights_builds_on_the_rules_defaults_marked_as_defaults(
    tmp_path, monkeypatch, capsys
):
    root = copy_project(tmp_path / "p")
    monkeypatch.setenv("JIXIAO_ROOT", str(root))
    importing.run(Reading([project_form(weights=False)]), UNIT, 2024)
    assert cli.main(["validate", "--unit", UNIT, "--year", "2024"]) == 0
    assert cli.main(["build", "--unit", UNIT, "--year", "2024", "--format", "html", "--format", "xlsx"]) == 0
    out = root / f"outputs/{UNIT}/2024"
    page = (out / "report-review.html").read_text(encoding="utf-8")
    rule = "未填报分值：取计分规则的默认分值（该一级指标的分值减去已填分值，在未填各行间均分，精确到 0.01）"
    weight = (
        f'<span class="jx-nobr"><span class="jx-fig jx-illustrative" data-provenance="illustrative" '
        f'data-source="default:{rule}" title="分值：25&#10;默认值，非公开发布数&#10;来源：{rule}" '
        'tabindex="0">25</span><span class="jx-mark">示</span></span>'
    )
    assert page.count(weight) == 2  # 产出指标 50 split between its two rows
    spans = re.findall(r'data-provenance="(\w+)"[^>]*title="([^"&]*)', page)
    computed = [state for state, title in spans if title == "救助人次按规则计算得分：25.00分"]
    assert computed == ["illustrative"]  # the review's finding: computed on a default weight, never published
    sheet = load_workbook(out / "自评表.xlsx")["临时救助"]
    assert [sheet.cell(row=r, column=8).value for r in range(13, 17)] == [25, 25, 30, 10]
    assert sheet["H13"].comment.text.startswith("默认值：未填报该指标的分值，取计分规则的默认分值（非公开发布数）。")


def test_workbooks_of_every_layout_import_validate_and_build(tmp_path, monkeypatch, capsys):
    from forms_fixtures import FIXTURES, department, project, transfer
    from jixiao.forms.samples import save

    root = copy_project(tmp_path / "p")
    monkeypatch.setenv("JIXIAO_ROOT", str(root))
    forms = root / "forms"
    forms.mkdir()
    for n, layout in enumerate(("central", "combined", "weighted", "starred"), 1):
        quirks = ("spaced_labels", "text_numbers") if layout == "starred" else ()
        save(forms / f"{layout}.xlsx", [(project(f"项目{n}", layout=layout), layout)], quirks=quirks)
    save(forms / "transfer.xlsx", [(transfer(), "transfer")])
    save(forms / "department.xlsx", [(department(), "department")])
    (forms / "old.xls").write_bytes((FIXTURES / "central.xls").read_bytes())  # 临时救助, as WPS saves it

    assert cli.main(["import", str(forms), "--unit", "lechang-forms", "--year", "2019"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1:8] == [
        "  forms/central.xlsx 工作表「项目1」A1: 项目支出绩效自评表「项目1」→ P01, 5 个指标 (indicators)",
        "  forms/combined.xlsx 工作表「项目2」A1: 项目支出绩效自评表「项目2」→ P02, 5 个指标 (indicators)",
        "  forms/department.xlsx 工作表「乐昌市民政局」A1: 部门整体支出绩效自评表, 5 个指标 (indicators)",
        "  forms/old.xls 工作表「临时救助」A1: 项目支出绩效自评表「临时救助」→ P03, 5 个指标 (indicators)",
        "  forms/starred.xlsx 工作表「项目4」A1: 项目支出绩效自评表「项目4」→ P04, 5 个指标 (indicators)",
        "  forms/transfer.xlsx 工作表「困难群众救助补助资金」A1: 项目支出绩效自评表「困难群众救助补助资金」→ P05, "
        "5 个指标 (indicators)",
        "  forms/weighted.xlsx 工作表「项目3」A1: 项目支出绩效自评表「项目3」→ P06, 5 个指标 (indicators)",
    ]
    assert (
        "  forms/transfer.xlsx 工作表「困难群众救助补助资金」A1：资金情况按级次写入项目资金表（中央补助→中央、"
        "省级资金→省级、市县资金→市县），资金性质按「当年财政拨款」写入，请核对 (funds by level; fund_type written as "
        "当年财政拨款, to be checked)"
    ) in out
    folder = root / "data/lechang-forms/2019"
    projects = lines_split(folder / "projects.csv")
    # the same form in every layout (and as .xls) gives the same row; the transfer form prints no weights
    assert {tuple(r[3:16]) for r in projects[1:] if r[0] != "P05"} == {
        ("乐昌市社会救助服务中心", "220", "240", "236.5", "是", "", "及时救助遭遇突发性、临时性困难的群众",
         "全年救助 289 人次，救助及时到位", "10", "50", "30", "10", "97.53")
    }  # fmt: skip
    assert projects[5][1:16] == [
        "困难群众救助补助资金", "一般公共预算", "乐昌市社会救助服务中心", "500", "520", "468", "是", "",
        "及时救助遭遇突发性、临时性困难的群众", "全年救助 289 人次，救助及时到位", "", "", "", "", "91.5",
    ]  # fmt: skip
    assert projects[5][17] == (
        "forms/transfer.xlsx#sheet=困难群众救助补助资金&project_name=C3&implementer=H4&initial_budget=D6"
        "&full_year_budget=E6&executed=F6&goal=B11&outcome=G11&reported_score=D18"
    )
    assert [r for r in lines(folder / "project_funds.csv") if r.startswith("P05,")] == [
        f"P05,当年财政拨款,{level},{a},{b},{c},published,forms/transfer.xlsx#sheet=困难群众救助补助资金"
        f"&initial_budget=D{row}&full_year_budget=E{row}&executed=F{row}"
        for level, a, b, c, row in (("中央", 400, 400, 360, 7), ("省级", 60, 80, 72, 8), ("市县", 40, 40, 36, 9))
    ]  # a transfer fund's money by level
    indicators = lines(folder / "indicators.csv")
    assert "P04-01,P04,产出指标,数量指标,临时救助人次,≥,280,,289,,人次,20,20,,,,published," in "\n".join(indicators)
    assert next(r for r in indicators if r.startswith("P06-")).startswith(
        "P06-01,P06,产出指标,数量指标,临时救助人次,≥,280,,289,,人次,20,20,,,,published,"
    )  # 权重占比 20% read as 20 points
    assert cli.main(["validate", "--unit", "lechang-forms", "--year", "2019"]) == 0
    assert cli.main(["build", "--unit", "lechang-forms", "--year", "2019", "--format", "html"]) == 0
    before = files(folder)
    assert cli.main(["import", str(forms), "--unit", "lechang-forms", "--year", "2019"]) == 0
    assert files(folder) == before


def test_a_department_form_alone_starts_a_department_unit_that_builds(tmp_path, monkeypatch, capsys):
    root = copy_project(tmp_path / "p")
    monkeypatch.setenv("JIXIAO_ROOT", str(root))
    imported = importing.run(Reading([department_form()]), UNIT, 2024)
    assert [p.relative_to(root).as_posix() for p in imported.written] == [
        f"params/{UNIT}/unit.yaml", f"params/{UNIT}/2024.yaml", f"data/{UNIT}/2024/indicators.csv",
        f"data/{UNIT}/2024/profile.csv",
    ]  # fmt: skip
    settings = yaml.safe_load((root / f"params/{UNIT}/unit.yaml").read_text(encoding="utf-8"))
    assert (settings["kind"], settings["sections"]) == ("department", ["profile", "conclusion", "review"])
    assert cli.main(["build", "--unit", UNIT, "--year", "2024", "--format", "html"]) == 0
    page = (root / f"outputs/{UNIT}/2024/report.html").read_text(encoding="utf-8")
    text = re.sub(r"\s+", "", html.unescape(re.sub(r"<[^>]+>", "", page)))
    assert "示例县民政局2024年部门整体支出绩效自评得分为98分" in text


def test_the_command_lists_the_readers_problems_and_its_own_together_and_writes_nothing(root, capsys, monkeypatch):
    from forms_fixtures import project
    from jixiao.forms.samples import save

    forms = root / "forms"
    forms.mkdir()
    save(forms / "临时救助.xlsx", [(project(), "central")])
    (forms / "坏表.xlsx").write_text("项目名称,全年预算数\n临时救助,240\n", encoding="utf-8")
    monkeypatch.chdir(root)
    code = cli.main(["import", "forms", "--unit", UNIT, "--year", "2020"])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    lines_ = err.splitlines()
    assert lines_[lines_.index("未写入任何文件 (nothing written): 自评表导入有 2 处问题 (problems)：") + 1 :] == [
        "  forms/坏表.xlsx：是 CSV 文本文件而不是 Excel 工作簿（扩展名为 .xlsx）(a CSV text file, not a workbook)",
        "  forms/临时救助.xlsx 工作表「临时救助」A1：是 2019 年度的自评表，导入的是 2020 年度 (a form of another year)",
    ]
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()) == [
        "forms/临时救助.xlsx", "forms/坏表.xlsx"
    ]  # fmt: skip
