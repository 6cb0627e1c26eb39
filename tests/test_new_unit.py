"""``jixiao new``: a unit started in one command, its workbook filled, validated and built; a year
added to it, compared with the last; ``--like`` and ``--kind``; and every refusal, which writes nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from conftest import REPO, copy_project
from helpers_inputs import SHEETS
from jixiao import cli
from jixiao.inputs import kinds, new_unit, settings
from test_report_content import text

UNIT, NAME = "shili-mzj", "示例县民政局"


@pytest.fixture
def root(tmp_path, monkeypatch) -> Path:
    root = copy_project(tmp_path / "p")
    monkeypatch.setenv("JIXIAO_ROOT", str(root))
    return root


def jixiao(capsys, *args: str) -> tuple[int, list[str], str]:
    """``jixiao …`` through ``cli.main``: its status, its output's lines, its error output."""
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.strip()


def fill(workbook: Path, sheet: str, rows: list[dict[str, object]]) -> None:
    """Write ``rows`` (header label -> value) under a sheet's header, from row 2, as a user would."""
    book = load_workbook(workbook)
    cells = book[sheet]
    header = [c.value for c in cells[1]]
    for number, row in enumerate(rows, start=2):
        for label, value in row.items():
            column = next(i for i, h in enumerate(header, 1) if h == label or h.startswith(f"{label}("))
            cells.cell(row=number, column=column, value=value)
    book.save(workbook)


def fill_year(workbook: Path, staff: int, personnel: float) -> None:
    """A few rows of each table the department's default sections need, as a user fills them."""
    fill(
        workbook,
        "单位概况",
        [
            {
                "单位名称": NAME,
                "编制人数": 20,
                "在职人数": staff,
                "离退休人数": 6,
                "主要职能": "负责社会救助、养老服务等民政工作",
                "内设机构": "办公室、社会救助股、养老服务股",
                "编制单位": NAME,
                "报告日期": "2025-03-31",
            }
        ],
    )
    fill(
        workbook,
        "预算",
        [
            {
                "预算行编码": "B01",
                "资金来源": "一般公共预算",
                "支出类型": "人员经费",
                "年初预算数": 300,
                "全年预算数": 310,
                "全年执行数": personnel,
            },
            {
                "预算行编码": "B02",
                "资金来源": "一般公共预算",
                "支出类型": "项目支出",
                "年初预算数": 500,
                "全年预算数": 520,
                "全年执行数": 494,
            },
        ],
    )
    fill(
        workbook,
        "项目",
        [
            {
                "项目编码": "P01",
                "项目名称": "临时救助",
                "资金来源": "一般公共预算",
                "年初预算数": 500,
                "全年预算数": 520,
                "全年执行数": 494,
                "是否开展自评": "是",
                "年度总体目标": "及时救助困难群众",
                "实际完成情况": "全年救助困难群众1100人次",
            }
        ],
    )
    fill(
        workbook,
        "项目资金",
        [{"项目编码": "P01", "资金性质": "当年财政拨款", "年初预算数": 500, "全年预算数": 520, "全年执行数": 494}],
    )
    indicator = {"适用对象": "P01", "指标性质": "≥"}
    fill(
        workbook,
        "绩效指标",
        [
            {
                **indicator,
                "指标编码": "P01-01",
                "一级指标": "产出指标",
                "二级指标": "数量指标",
                "三级指标": "救助人次",
                "年度指标值": 1000,
                "实际完成值": 1100,
                "度量单位": "人次",
                "分值": 50,
            },
            {
                **indicator,
                "指标编码": "P01-02",
                "一级指标": "效益指标",
                "二级指标": "社会效益指标",
                "三级指标": "救助及时率",
                "年度指标值": 95,
                "实际完成值": 96,
                "度量单位": "%",
                "分值": 30,
            },
            {
                **indicator,
                "指标编码": "P01-03",
                "一级指标": "满意度指标",
                "二级指标": "服务对象满意度指标",
                "三级指标": "受助群众满意度",
                "年度指标值": 90,
                "实际完成值": 92,
                "度量单位": "%",
                "分值": 10,
            },
        ],
    )
    fill(
        workbook,
        "文字材料",
        [
            {"所属章节": "problems", "序号": 1, "类型": "item", "内容": "救助标准有待统一。"},
            {"所属章节": "improvements", "序号": 1, "类型": "item", "内容": "统一救助标准。"},
            {"所属章节": "evaluation", "序号": 1, "类型": "item", "内容": "由财务股组织各股室逐项核实指标完成情况。"},
            {"所属章节": "application", "序号": 1, "类型": "item", "内容": "自评结果作为编制下一年度预算的依据。"},
            {"所属章节": "disclosure", "序号": 1, "类型": "paragraph", "内容": "本报告在县政府门户网站公开。"},
        ],
    )
    fill(
        workbook,
        "年度绩效目标",
        [
            {
                "目标编码": "G01",
                "绩效目标": "及时救助困难群众",
                "完成情况": "完成",
                "实际完成情况": "全年救助困难群众1100人次",
            }
        ],
    )


def paragraphs(page: str) -> list[str]:
    return [text(p) for p in re.findall(r"<p>(.*?)</p>", page.split("<main>", 1)[1], re.S)]


def test_a_new_unit_is_filled_validated_and_built_and_a_year_added_compares_with_the_last(root, capsys):
    code, out, err = jixiao(capsys, "new", "--unit", UNIT, "--name", NAME, "--year", "2024")
    assert (code, err) == (0, "")
    assert out == [
        f"新单位 (new unit) {UNIT}: {NAME}, 部门整体支出绩效自评报告",
        "写入 (written):",
        f"  params/{UNIT}/unit.yaml",
        f"  params/{UNIT}/2024.yaml",
        f"  data/{UNIT}/2024/data.xlsx",
        f"  工作表 (sheets): {'、'.join(SHEETS)}",
        "下一步 (next steps):",
        f"  1. 填写 data/{UNIT}/2024/data.xlsx: 每个表头的批注说明该列 (each header's note explains its column)",
        f"     按需修改 params/{UNIT}/unit.yaml (the settings: sections, title, scoring…)",
        f"  2. jixiao validate --unit {UNIT} --year 2024",
        f"  3. jixiao build --unit {UNIT} --year 2024",
    ]
    assert yaml.safe_load((root / f"params/{UNIT}/2024.yaml").read_text(encoding="utf-8")) == {
        "unit": UNIT, "year": 2024
    }  # fmt: skip
    loaded = settings.load(UNIT, 2024)
    assert (loaded.unit_name, loaded.kind.id, loaded.title) == (
        NAME,
        "department",
        f"{NAME}2024年度部门整体支出绩效自评报告",
    )
    assert [s.kind for s in loaded.sections] == list(kinds.KINDS["department"].sections)
    workbook = root / f"data/{UNIT}/2024/data.xlsx"
    book = load_workbook(workbook)
    assert book.sheetnames == SHEETS
    assert [c.value for c in book["单位概况"][2]][:3] == [UNIT, NAME, 2024]  # the profile's row begun

    fill_year(workbook, staff=18, personnel=305)
    assert jixiao(capsys, "validate", "--unit", UNIT, "--year", "2024") == (
        0, [f"{UNIT} 2024: 输入数据校验通过 (inputs valid)"], ""
    )  # fmt: skip
    code, out, err = jixiao(capsys, "build", "--unit", UNIT, "--year", "2024", "--format", "html")
    assert (code, err) == (0, ""), out
    page = (root / f"outputs/{UNIT}/2024/report.html").read_text(encoding="utf-8")
    assert f"<title>{NAME}2024年度部门整体支出绩效自评报告</title>" in page
    said = paragraphs(page)
    assert f"{NAME}核定编制20名，2024年末在职人员18人，在职人员控制率为90%；离退休人员6人。" in said
    assert (
        "2024年全年预算数830.00万元，全年执行数799.00万元，预算执行率为96.3%。按支出类型分，基本支出305.00万元，"
        "占全年执行数的38.2%；项目支出494.00万元，占61.8%。"
    ) in said
    # the project's 预算执行率 分值 was left blank: the settings' default, never printed, carries its 示
    assert f"经自评，{NAME}2024年部门整体支出绩效自评得分为99.5分示，评价等级为“优”。" in " ".join(said)
    assert "1项年度绩效目标已完成。" in " ".join(said)  # not 均 of one goal
    whole = text(page.split("<main>", 1)[1])
    assert "由财务股组织各股室逐项核实指标完成情况。" in whole and "一是由财务股" not in whole  # a lone item

    code, out, err = jixiao(capsys, "new", "--unit", UNIT, "--year", "2025")
    assert (code, err) == (0, "")
    assert out == [
        f"新年度 (new year) {UNIT} 2025: {NAME}",
        "写入 (written):",
        f"  params/{UNIT}/2025.yaml",
        f"  data/{UNIT}/2025/data.xlsx",
        f"  工作表 (sheets): {'、'.join(SHEETS)}",
        "下一步 (next steps):",
        f"  1. 填写 data/{UNIT}/2025/data.xlsx: 每个表头的批注说明该列 (each header's note explains its column)",
        f"  2. jixiao validate --unit {UNIT} --year 2025",
        f"  3. jixiao build --unit {UNIT} --year 2025",
    ]
    fill_year(root / f"data/{UNIT}/2025/data.xlsx", staff=17, personnel=308)
    code, out, err = jixiao(capsys, "build", "--unit", UNIT, "--year", "2025", "--format", "html")
    assert (code, err) == (0, ""), out
    said = paragraphs((root / f"outputs/{UNIT}/2025/report.html").read_text(encoding="utf-8"))
    assert (
        f"{NAME}核定编制20名，2025年末在职人员17人，在职人员控制率为85%；离退休人员6人。"
        "与上年相比，在职人员减少1人，离退休人员人数与上年持平。"
    ) in said
    assert [p for p in said if p.startswith("2025年全年预算数")] == [
        "2025年全年预算数830.00万元，全年执行数802.00万元，预算执行率为96.6%。按支出类型分，基本支出308.00万元，"
        "占全年执行数的38.4%；项目支出494.00万元，占61.6%。与上年相比，全年执行数增加3万元，增长0.4%。"
    ]  # 2024's 799.00万元, read from the year added before


def files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for folder in ("params", "data") for p in (root / folder).rglob("*"))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--unit", "lechang-mzj", "--name", "乐昌市民政局", "--year", "2020"],
         "单位 lechang-mzj 已存在 (the unit exists): params/lechang-mzj; 为它新增年度请不给 --name (to add a year): "
         "jixiao new --unit lechang-mzj --year 2020"),
        (["--unit", "lechang-mzj", "--year", "2019"],
         "lechang-mzj 2019年已存在 (the year exists): params/lechang-mzj/2019.yaml"),
        (["--unit", "nobody", "--year", "2024"],
         "单位 nobody 不存在 (no such unit): 没有 params/nobody/unit.yaml; 新建单位须给单位名称 (to start a unit): "
         "jixiao new --unit nobody --name 单位名称 --year 2024"),
        (["--unit", "lechang-mzj", "--year", "2020", "--kind", "project"],
         "--like 和 --kind 只用于新建单位 (only when starting a unit); "
         "单位 lechang-mzj 的设置在 params/lechang-mzj/unit.yaml"),
        (["--unit", UNIT, "--name", NAME, "--year", "2024", "--like", "nobody"],
         "--like 的单位 nobody 不存在 (no such unit): 没有 params/nobody/unit.yaml"),
    ],
)  # fmt: skip
def test_new_refuses_and_writes_nothing(root, capsys, args, message):
    before = files(root)
    code, out, err = jixiao(capsys, "new", *args)
    assert (code, out, err) == (2, [], f"未写入任何文件 (nothing written): {message}")
    assert files(root) == before


def test_a_year_with_data_but_no_parameters_is_refused_too(root, capsys):
    (root / "data/lechang-mzj/2030").mkdir()
    before = files(root)
    assert jixiao(capsys, "new", "--unit", "lechang-mzj", "--year", "2030") == (
        2, [], "未写入任何文件 (nothing written): lechang-mzj 2030年已存在 (the year exists): data/lechang-mzj/2030"
    )  # fmt: skip
    assert files(root) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--unit", "../x", "--name", NAME, "--year", "2024"],
         "argument --unit: 单位编码 (unit id) '../x' 无效：应为一个文件夹名，由字母、汉字、数字、- _ . 组成，"
         "不以 . 或 - 开头，不含 / \\ 或 ..，至多 64 个字符"),
        (["--unit", UNIT, "--name", "示例县\n民政局", "--year", "2024"],
         "argument --name: 单位名称 (unit name) '示例县\\n民政局' 无效：含控制字符 U+000A (a control character); "
         "应为一行可打印的文字 (one printable line)"),
        (["--unit", UNIT, "--name", NAME, "--year", "2024", "--kind", "county"],
         "argument --kind: invalid choice: 'county' (choose from 'department', 'department_evaluation', 'project', "
         "'transfer')"),
    ],
)  # fmt: skip
def test_a_bad_id_name_or_kind_is_refused_by_the_command_line(root, capsys, args, message):
    before = files(root)
    with pytest.raises(SystemExit) as exit:
        cli.main(["new", *args])
    assert exit.value.code == 2
    assert capsys.readouterr().err.strip().splitlines()[-1] == f"jixiao new: error: {message}"
    assert files(root) == before


def test_the_same_rule_for_the_bureaus_name(root, capsys):
    with pytest.raises(SystemExit) as exit:
        cli.main(["summary", "--units", "lechang-mzj", "--year", "2019", "--bureau", "示例县\u202e财政局"])
    assert exit.value.code == 2
    assert capsys.readouterr().err.strip().splitlines()[-1] == (
        "jixiao summary: error: argument --bureau: 局名 (bureau name) '示例县\\u202e财政局' 无效："
        "含控制字符 U+202E (a control character); 应为一行可打印的文字 (one printable line)"
    )


def test_like_starts_from_another_units_settings_under_the_new_name(root, capsys):
    code, _, err = jixiao(capsys, "new", "--unit", UNIT, "--name", NAME, "--year", "2024", "--like", "lechang-mzj")
    assert (code, err) == (0, "")
    new = yaml.safe_load((root / f"params/{UNIT}/unit.yaml").read_text(encoding="utf-8"))
    like = yaml.safe_load((root / "params/lechang-mzj/unit.yaml").read_text(encoding="utf-8"))
    assert new == {**like, "unit_name": NAME}
    loaded = settings.load(UNIT, 2024)
    assert [s.id for s in loaded.sections] == [s.id for s in settings.load("lechang-mzj", 2019).sections]
    assert loaded.title == f"{NAME}2024年绩效自评报告"  # the like unit's title, with the new name filled in


@pytest.mark.parametrize("kind", list(kinds.KINDS))
def test_kind_gives_the_kinds_sections_written_out_and_its_title(root, capsys, kind):
    code, out, err = jixiao(capsys, "new", "--unit", UNIT, "--name", NAME, "--year", "2024", "--kind", kind)
    assert (code, err) == (0, "")
    assert out[0] == f"新单位 (new unit) {UNIT}: {NAME}, {kinds.KINDS[kind].name}"
    text_written = (root / f"params/{UNIT}/unit.yaml").read_text(encoding="utf-8")
    assert f"\nkind: {kind}\n" in text_written
    loaded = settings.load(UNIT, 2024)
    assert loaded.raw["sections"] == list(kinds.KINDS[kind].sections)
    assert loaded.title == f"{NAME}2024年度{kinds.KINDS[kind].name}"


def test_write_unit_settings_is_the_one_function_that_writes_a_new_units_settings(root):
    path = new_unit.write_unit_settings("imported", "示例县财政局", "transfer", {"formats": ["html"], "unit_name": "x"})
    assert path == root / "params/imported/unit.yaml"
    assert yaml.safe_load(path.read_text(encoding="utf-8")) == {
        "unit_name": "示例县财政局", "kind": "transfer", "formats": ["html"],
        "sections": list(kinds.KINDS["transfer"].sections),
    }  # fmt: skip
    with pytest.raises(settings.SettingsError) as error:  # checked before it is written
        new_unit.write_unit_settings("imported2", "示例县财政局", base={"formats": ["pfd"]})
    assert error.value.message == "'formats' 的值 'pfd' 不可用; 可用: html, pdf, docx, xlsx"
    assert not (root / "params/imported2").exists()


def test_the_command_lines_kinds_are_the_report_kinds():
    assert cli.KIND_IDS == tuple(kinds.KINDS)


def test_the_next_steps_name_the_guide_where_the_project_has_it(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A checkout of jixiao has the guide's data-model page; a department's own project has no
    ``docs/``, and is not pointed at a page it lacks (the two tests above)."""
    monkeypatch.setenv("JIXIAO_ROOT", str(REPO))
    created = new_unit.Created(UNIT, 2024, NAME, "department", (REPO / "params" / UNIT / "unit.yaml",
                               REPO / "data" / UNIT / "2024" / "data.xlsx"), ("基本信息",), True, ())  # fmt: skip
    assert new_unit.next_steps(created)[6] == (
        f"  1. 填写 data/{UNIT}/2024/data.xlsx: 每个表头的批注说明该列 (each header's note explains its column; "
        "docs/data-model.md)"
    )
