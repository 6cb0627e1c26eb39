"""Only what the chosen sections need: the map from sections to tables (``jixiao.inputs.needs``)
held to the sections' code, validation asking for those tables and no others, a build making
what the data allow, and the template writing the sheets a unit's sections read."""

from __future__ import annotations

import json
import re
from pathlib import Path

import lxml.html
import openpyxl
import pytest
import yaml

from conftest import REPO, copy_project, run_jixiao
from helpers_inputs import read_rows, write_rows

UNIT, NAME, YEAR = "shiyan-xj", "示例县乡村振兴局", 2021
EXAMPLE = REPO / "data" / "lechang-mzj" / "2019"
PROFILE = [
    ["unit_id", "unit_name", "year", "duties", "institutions", "staff_quota", "staff_active", "report_date"],
    [UNIT, NAME, str(YEAR), "负责全县乡村振兴工作", "办公室、规划发展股", "12", "11", "2022-03-31"],
]


def make_unit(root: Path, sections: list, tables: dict[str, list[list[str]]]) -> Path:
    """A unit of its own in the project at ``root``: its settings choosing ``sections``, its data
    the ``tables`` given (a table given as ``None`` is the example's 2019 file, its unit renamed)."""
    params = root / "params" / UNIT
    params.mkdir(parents=True)
    settings = {"unit_name": NAME, "sections": sections}
    (params / "unit.yaml").write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    (params / f"{YEAR}.yaml").write_text(f"unit: {UNIT}\nyear: {YEAR}\n", encoding="utf-8")
    folder = root / "data" / UNIT / str(YEAR)
    folder.mkdir(parents=True)
    for name, rows in {"profile": PROFILE, **tables}.items():
        write_rows(folder / f"{name}.csv", rows if rows is not None else read_rows(EXAMPLE / f"{name}.csv"))
    return folder


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "project"
    for name in ("params", "notebooks"):
        (root / name).mkdir(parents=True)
    monkeypatch.setenv("JIXIAO_ROOT", str(root))
    return root


def messages() -> list[str]:
    from jixiao.inputs.validation import validate

    return [str(p) for p in validate(UNIT, YEAR)]


# -- the map --------------------------------------------------------------------------------------


def test_tables_for_the_chosen_sections_in_the_data_models_order():
    from jixiao.inputs import needs
    from jixiao.inputs.kinds import KINDS

    assert needs.tables_for(["profile"]) == ("profile", "published")
    assert needs.needed(["profile"]) == ("profile",)
    assert needs.tables_for(["projects"]) == ("profile", "budget", "projects", "project_funds", "indicators",
                                              "published")  # fmt: skip
    assert needs.needed(["overview", "projects"]) == ("profile", "budget", "projects", "project_funds")
    assert needs.needed(["theme", "problems"]) == ("profile", "stats", "narrative")
    # a report on its evaluated projects opens with them and their funds, not the budget lines
    assert needs.needed(["overview"], KINDS["project"]) == ("profile", "projects")
    assert needs.needed(KINDS["transfer"].sections, KINDS["transfer"]) == (
        "profile", "projects", "project_funds", "narrative", "goals",
    )  # fmt: skip
    assert needs.needed(["overview"], KINDS["department"]) == ("profile", "budget")
    assert needs.needed(KINDS["department_evaluation"].sections) == (
        "profile", "budget", "indicators", "narrative", "goals",
    )  # fmt: skip
    assert needs.tables_for(KINDS["department"].sections) == (
        "profile", "budget", "projects", "project_funds", "indicators", "stats", "narrative", "published",
        "sangong", "goals",
    )  # fmt: skip
    assert needs.needed_by("narrative", ["theme", "profile", "problems", "theme"]) == ("theme", "problems")


def test_every_kind_of_section_has_its_tables():
    from jixiao.inputs import needs
    from jixiao.inputs.schema import TABLES
    from jixiao.inputs.settings import NOTEBOOKS

    assert set(needs.NEEDS) == set(NOTEBOOKS)
    assert set(needs.FILL) == set(TABLES)
    for need in needs.NEEDS.values():
        assert set(need.needs) <= set(TABLES) and set(need.reads) <= set(TABLES)
        assert not set(need.needs) & set(need.reads)


def test_the_map_is_what_each_section_reads(monkeypatch):
    """Every section's notebook calls, run on the example (one CSV file per table): the tables it
    read are the ones the map gives it (needed, read when present, or ``profile``), and it read
    every table the map says it needs."""
    import jixiao.sections as sections
    from jixiao import facts
    from jixiao.inputs import needs
    from jixiao.inputs.settings import NOTEBOOKS
    from jixiao.sections.report import Report

    monkeypatch.setenv("JIXIAO_ROOT", str(REPO))
    call = re.compile(r"jixiao\.sections\.(\w+)\.(\w+)\(report(?:, \"(\w+)\")?(?:, theme)?\)")
    for kind, notebook in NOTEBOOKS.items():
        cells = json.loads((REPO / "notebooks" / notebook).read_text(encoding="utf-8"))["cells"]
        source = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        calls = call.findall(source)
        assert calls, notebook
        report = Report("lechang-mzj", 2019)
        with facts.remembering() as reads:
            for module, function, argument in calls:
                run = getattr(getattr(sections, module), function)
                run(report, *([argument] if argument else ["dibao"] if kind == "theme" else []))
        # a table read whole or some of its rows (jixiao.inputs.parts)
        read = {m.group(1) for r in reads if (m := re.search(r"data/lechang-mzj/2019#rows:(\w+)", r))}
        need = needs.NEEDS[kind]
        assert read <= {*need.needs, *need.reads, *needs.ALWAYS}, (kind, read)
        assert set(need.needs) <= read, (kind, read)


def test_the_data_model_page_shows_the_map():
    from jixiao.inputs import needs

    page = (REPO / "docs" / "data-model.md").read_text(encoding="utf-8")
    assert needs.markdown() in page
    assert (
        needs.markdown().splitlines()[2]
        == "| `overview` (总体情况) | `budget` | `projects`, `indicators`, `published` |"
    )


# -- validation asks for what the chosen sections need -------------------------------------------


def test_a_profile_only_report_validates_from_the_profile_alone(root):
    make_unit(root, ["profile"], {})
    assert messages() == []


def test_a_projects_only_report_needs_no_stats_or_narrative(root):
    projects_only = {"projects": None, "project_funds": None, "indicators": None}
    folder = make_unit(root, ["projects"], projects_only)
    indicators = read_rows(folder / "indicators.csv")
    scope = indicators[0].index("scope")  # the department's rows would want the budget they are computed from
    write_rows(folder / "indicators.csv", [indicators[0], *(r for r in indicators[1:] if r[scope] != "department")])
    assert messages() == []
    unit_file = root / "params" / UNIT / "unit.yaml"
    unit_file.write_text(unit_file.read_text(encoding="utf-8").replace("- projects", "- overview\n- projects"))
    assert messages() == [f"data/{UNIT}/{YEAR}/budget.csv：缺少文件，应为预算(budget)表"]


def test_a_chosen_block_without_its_rows_is_an_input_error(root):
    folder = make_unit(root, ["profile", "goals", "unevaluated"], {"goals": [["goal", "completion"]]})
    where, none = f"data/{UNIT}/{YEAR}", "：没有数据行 (no rows)：所选章节"
    goals = (
        f"{where}/goals.csv{none}「年度绩效目标完成情况」(goals)需要年度绩效目标(goals)表的数据，"
        "请填写部门整体的年度绩效目标及其完成情况，每个目标一行"
    )
    assert messages() == [f"{where}/projects.csv：缺少文件，应为项目(projects)表", goals]
    write_rows(folder / "projects.csv", read_rows(EXAMPLE / "projects.csv")[:1])  # the header alone
    assert messages() == [
        f"{where}/projects.csv{none}「未开展自评的项目」(unevaluated)需要项目(projects)表的数据，"
        "请填写每个项目一行（含未开展自评的项目及其原因）",
        goals,
    ]


def test_a_chosen_text_block_without_its_own_rows_is_an_input_error(root):
    """评价工作开展情况 and 结果应用和信息公开 are written from their own narrative sections: without
    them the filing edition would show a bare heading (the note to the author is the review's)."""
    narrative = [["section", "order", "kind", "text"], ["evaluation", "1", "item", "逐项核实指标完成情况。"]]
    make_unit(root, ["profile", "evaluation", {"kind": "application", "title": "结果应用"}], {"narrative": narrative})
    where = f"data/{UNIT}/{YEAR}/narrative.csv 所属章节(section)："
    assert messages() == [
        where + "没有所属章节为 application 的行 (no rows of section application)：所选章节「结果应用」(application)"
        "需要它的文字材料，请填写自评结果的应用情况（所属章节填 application）",
        where + "没有所属章节为 disclosure 的行 (no rows of section disclosure)：所选章节「结果应用」(application)"
        "需要它的文字材料，请填写报告和自评结果的公开情况（所属章节填 disclosure）",
    ]


def test_the_error_names_the_sections_by_their_headings(root):
    sections = ["profile", {"kind": "goals", "title": "年度目标完成情况"}, "theme:dibao"]
    headers_only = {"goals": [["goal", "completion"]], "narrative": [["section", "order", "kind", "text"]]}
    make_unit(root, sections, {**headers_only, "stats": None})
    none = f"data/{UNIT}/{YEAR}/{{}}.csv：没有数据行 (no rows)：所选章节"
    assert messages() == [
        none.format("narrative")
        + "「theme:dibao」需要文字材料(narrative)表的数据，请填写该章节的文字材料（所属章节填该章节的键）",
        none.format("goals") + "「年度目标完成情况」(goals)需要年度绩效目标(goals)表的数据，"
        "请填写部门整体的年度绩效目标及其完成情况，每个目标一行",
        f"data/{UNIT}/{YEAR}/narrative.csv：主题章节 'dibao' 没有标题行（section 为 dibao、kind 为 title 的行），"
        "应有一行",
    ]


def test_in_a_workbook_the_error_names_the_sheet(root):
    from jixiao.inputs.template import write_template

    folder = make_unit(root, ["profile", "budget"], {})
    (folder / "profile.csv").unlink()
    write_template(folder / "data.xlsx", UNIT, YEAR, ["profile", "budget"])
    assert messages() == [
        f"data/{UNIT}/{YEAR}/data.xlsx 工作表「单位概况」 第2行 单位名称(unit_name)：必填，不能为空",
        f"data/{UNIT}/{YEAR}/data.xlsx 工作表「预算」：没有数据行 (no rows)：所选章节「部门预算及执行情况」(budget)"
        "需要预算(budget)表的数据，请填写部门预算的每个资金来源和支出类型一行（年初预算数、全年预算数、全年执行数）",
    ]


def test_checks_across_tables_run_only_between_tables_that_are_there(root):
    # the example's projects without their funds or indicators: an 未开展自评的项目 report reads
    # the projects alone, and no project is missing its funds rows or its indicators
    make_unit(root, ["profile", "unevaluated"], {"projects": None})
    assert messages() == []


def test_jixiao_validate_lists_a_chosen_block_without_its_rows(tmp_path):
    root = copy_project(tmp_path / "p")
    make_unit(root, ["profile", "budget"], {"budget": read_rows(EXAMPLE / "budget.csv")[:1]})
    result = run_jixiao(root, "validate", "--unit", UNIT, "--year", str(YEAR))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "输入数据有 1 处错误：",
        f"data/{UNIT}/{YEAR}/budget.csv：没有数据行 (no rows)：所选章节「部门预算及执行情况」(budget)"
        "需要预算(budget)表的数据，请填写部门预算的每个资金来源和支出类型一行（年初预算数、全年预算数、全年执行数）",
    ]
    write_rows(root / "data" / UNIT / str(YEAR) / "budget.csv", read_rows(EXAMPLE / "budget.csv"))
    result = run_jixiao(root, "validate", "--unit", UNIT, "--year", str(YEAR))
    assert (result.returncode, result.stdout) == (0, f"{UNIT} {YEAR}: 输入数据校验通过 (inputs valid)\n")


def test_an_earlier_year_is_asked_only_for_its_profile(root):
    from jixiao.engine import pipeline

    make_unit(root, ["profile", "budget", "theme:dibao"], {"budget": None, "stats": None, "narrative": None})
    earlier = root / "data" / UNIT / str(YEAR - 1)
    earlier.mkdir()
    write_rows(earlier / "profile.csv", [PROFILE[0], [*PROFILE[1][:2], str(YEAR - 1), *PROFILE[1][3:]]])
    (root / "params" / UNIT / f"{YEAR - 1}.yaml").write_text(f"unit: {UNIT}\nyear: {YEAR - 1}\n", encoding="utf-8")
    assert pipeline.input_problems(UNIT, [YEAR, YEAR - 1]) == ([], [])
    (earlier / "profile.csv").unlink()
    found, _ = pipeline.input_problems(UNIT, [YEAR, YEAR - 1])
    assert [str(p) for p in found] == [f"data/{UNIT}/{YEAR - 1}：没有输入文件，应有 data.xlsx 或 profile.csv"]


def test_the_bureaus_summary_takes_a_profile_only_unit_as_it_is(root):
    from jixiao import summary

    make_unit(root, ["profile"], {})
    row = summary.unit_row(UNIT, YEAR)
    assert (row.status, row.unit_name, row.score, row.grade) == (summary.VALID, NAME, None, "")
    assert (row.full_year_budget, row.execution_rate, row.projects, row.coverage) == (0.0, None, 0, None)


# -- jixiao template ------------------------------------------------------------------------------


def test_template_writes_the_sheets_the_units_sections_read(tmp_path):
    root = copy_project(tmp_path / "p")
    make_unit(root, ["profile", "budget"], {})
    (root / "data" / UNIT / str(YEAR) / "profile.csv").unlink()
    result = run_jixiao(root, "template", "--unit", UNIT, "--year", str(YEAR))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"模板 (template): data/{UNIT}/{YEAR}/data.xlsx",
        f"工作表 (sheets): 单位概况、预算、项目、公开数字、三公经费（params/{UNIT}/unit.yaml 所选章节读取的表 "
        "(the tables its sections read)）",
    ]
    book = openpyxl.load_workbook(root / "data" / UNIT / str(YEAR) / "data.xlsx")
    assert book.sheetnames == ["单位概况", "预算", "项目", "公开数字", "三公经费"]
    assert [c.value for c in book["单位概况"][2][:3]] == [UNIT, None, YEAR]


# -- what a build makes follows from the data -----------------------------------------------------


def test_a_cover_without_a_score_shows_none():
    from jixiao.render import html as stitching

    page = stitching.render_page(title="t", unit_name="u", year=YEAR, score_html=None, grade="—", sections=[])
    facts = lxml.html.fromstring(page).find_class("jx-cover-facts")[0]
    assert [(d.findtext("dt"), d.findtext("dd")) for d in facts] == [
        ("单位", "u"), ("年度", f"{YEAR}年"), ("报告类型", "部门整体支出绩效自评报告")
    ]  # fmt: skip


def _build(root: Path) -> tuple[object, Path]:
    result = run_jixiao(root, "build", "--unit", UNIT, "--year", str(YEAR), "--format", "html", "--format", "xlsx")
    assert result.returncode == 0, result.stdout + result.stderr
    return result, root / "outputs" / UNIT / str(YEAR)


def _headings(html: str) -> list[str]:
    main = lxml.html.fromstring(html).find(".//main")
    return [h.text_content() for h in main.iter("h2")]


@pytest.mark.build
def test_a_profile_only_report_builds(tmp_path):
    root = copy_project(tmp_path / "p")
    make_unit(root, ["profile"], {})
    _, out = _build(root)
    page = lxml.html.fromstring((out / "report.html").read_text(encoding="utf-8"))
    assert page.findtext(".//h1") == f"{NAME}{YEAR}年度部门整体支出绩效自评报告"
    assert _headings((out / "report.html").read_text(encoding="utf-8")) == ["一、部门概况"]
    assert page.find_class("jx-cover-score") == []
    assert "负责全县乡村振兴工作" in page.find(".//main").text_content()
    assert not (out / "自评表.xlsx").exists()


@pytest.mark.build
def test_a_projects_report_without_stats_or_narrative_builds(tmp_path):
    root = copy_project(tmp_path / "p")
    make_unit(root, ["overview", "projects"], {t: None for t in ("budget", "projects", "project_funds", "indicators")})
    _, out = _build(root)
    html = (out / "report.html").read_text(encoding="utf-8")
    assert _headings(html) == ["一、总体情况", "二、项目支出绩效自评"]
    page = lxml.html.fromstring(html)
    assert len(page.find_class("jx-cover-score")) == 1
    assert (out / "自评表.xlsx").is_file()
    assert "not_made" not in json.loads((out / "build.json").read_text(encoding="utf-8"))


@pytest.mark.build
def test_no_indicators_no_score_and_no_workbook_said_in_one_line(tmp_path):
    root = copy_project(tmp_path / "p")
    make_unit(root, ["overview", "budget"], {"budget": None, "sangong": None})
    result, out = _build(root)
    line = (
        "  未生成 (not made)       自评表.xlsx、自评表-review.xlsx：绩效指标(indicators)表没有数据行，没有自评得分，"
        "也没有可填的自评表 (no indicators: no score and no self-evaluation form)"
    )
    assert [x for x in result.stdout.splitlines() if "未生成" in x] == [line]
    assert not (out / "自评表.xlsx").exists() and not (out / "自评表-review.xlsx").exists()
    page = lxml.html.fromstring((out / "report.html").read_text(encoding="utf-8"))
    assert page.find_class("jx-cover-score") == [] and page.find_class("jx-cover-grade") == []
    assert [a.text for a in page.find_class("jx-links")[0]] == ["PDF 版", "Word 版"]  # no link to a workbook
    info = json.loads((out / "build.json").read_text(encoding="utf-8"))
    reason = line.split("：", 1)[1]
    assert info["not_made"] == {"自评表.xlsx": reason, "自评表-review.xlsx": reason}
    assert sorted(info["outputs"]) == ["report-review.html", "report.html"]
    again = run_jixiao(root, "build", "--unit", UNIT, "--year", str(YEAR), "--format", "html", "--format", "xlsx")
    assert [x for x in again.stdout.splitlines() if "未生成" in x or "拼接" in x] == [
        line,
        "  拼接报告 (stitch)       未变 (unchanged)",
    ]
