"""部门概况 from the settings and the profile row: the parts and their sub-headings as the
settings give them, duties given as a list, bodies with their sub-offices in brackets, the unit's
own count winning over the listed one, and the 二级预算单位 (exact text, on a copy of the example)."""

from __future__ import annotations

import re

import pytest
import yaml

import jixiao
from helpers_inputs import UNIT, project_copy, read_rows, set_cell, write_rows
from jixiao.writing.provenance import MARK_HTML
from test_report_content import SPAN, attribute
from test_report_content import text as _text


def text(fragment: str) -> str:
    return _text(str(fragment).replace(MARK_HTML, ""))


@pytest.fixture
def copy(tmp_path, monkeypatch):
    return project_copy(tmp_path, monkeypatch)


def report():
    return jixiao.open_report(UNIT, 2019)


def add_columns(folder, **values):
    """Columns added to the profile row (an older profile.csv has none of them)."""
    rows = read_rows(folder / "profile.csv")
    write_rows(folder / "profile.csv", [rows[0] + list(values), rows[1] + list(values.values())])


def set_settings(folder, **keys):
    path = folder.parents[2] / "params" / UNIT / "unit.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    raw.update(keys)
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")


def headings(html: str) -> list[str]:
    return re.findall(r"<h3>(.*?)</h3>", str(html))


def test_names_split_outside_brackets():
    from jixiao.sections.profile import names

    assert names("办公室(信访科、政策法规科)、财务股（含会计室，出纳室）,人事股；督导室\n基础教育股") == [
        "办公室(信访科、政策法规科)", "财务股（含会计室，出纳室）", "人事股", "督导室", "基础教育股",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("cell", "items"),
    [
        ("1.负责全县教育；2.负责学生资助。3、负责教育督导", ["负责全县教育", "负责学生资助", "负责教育督导"]),
        ("（一）负责全县教育；（二）负责学生资助", ["负责全县教育", "负责学生资助"]),
        ("一、负责全县教育。二、负责学生资助。", ["负责全县教育", "负责学生资助"]),
        ("负责全县教育\n负责学生资助\n", ["负责全县教育", "负责学生资助"]),
        ("1. 负责全县教育\n2. 负责学生资助", ["负责全县教育", "负责学生资助"]),
        ("负责全县教育，执行2.5倍的标准", []),  # prose: a decimal is no number of an item
        ("负责全县教育。", []),
    ],
)
def test_duty_items(cell, items):
    from jixiao.sections.profile import duty_items

    assert duty_items(cell) == items


def test_default_parts_and_headings(copy):
    from jixiao.sections import profile

    html = profile.parts(report())
    assert headings(html) == ["部门职能", "机构设置", "人员情况"]  # no 二级预算单位 listed: that part is left out
    assert text(html).startswith("部门职能\n乐昌市民政局负责城乡低保、特困供养、临时救助等社会救助，")


def test_parts_their_order_and_headings_from_the_settings(copy):
    from jixiao.sections import profile

    set_settings(copy, profile_parts=[{"part": "staff", "title": "人员编制"}, {"part": "duties", "title": "主要职责"},
                                      {"part": "units"}])  # fmt: skip
    html = str(profile.parts(report()))
    assert headings(html) == ["人员编制", "主要职责", "二级预算单位"]
    assert html.index("核定编制") < html.index("负责城乡低保") < html.index("编写提示")
    assert "机构设置" not in html and "内设" not in html
    assert "编写提示：单位概况表（profile）未填报二级预算单位(units)，本部分暂无内容。" in text(html)


def test_duties_given_as_a_list_are_numbered(copy):
    from jixiao.sections import profile

    set_cell(copy / "profile.csv", 2, "duties", "1.负责城乡低保等社会救助；2.负责养老服务。3.负责殡葬管理")
    html = str(profile.duties(report()))
    assert html.startswith("<p>乐昌市民政局的主要职能是：")
    assert html.endswith('<ol class="jx-duties"><li>负责城乡低保等社会救助。</li><li>负责养老服务。</li>'
                         "<li>负责殡葬管理。</li></ol>")  # fmt: skip


def test_bodies_with_sub_offices_in_brackets_count_once(copy):
    from jixiao.sections import profile

    bodies = "办公室(信访科、政策法规科)、社会救助股、财务股（含会计室、出纳室）"
    set_cell(copy / "profile.csv", 2, "institutions", bodies)
    html = profile.institutions(report())
    assert text(html) == (
        "乐昌市民政局内设办公室(信访科、政策法规科)、社会救助股、财务股（含会计室、出纳室），共3个内设机构。示例"
    )
    count = next(m for m in SPAN.finditer(html) if m.group(3) == "3个")
    assert attribute(count.group(2), "data-source") == (
        "formula:单位概况表（profile，data/lechang-mzj/2019/profile.csv 第2行）内设机构(institutions)所列机构的个数"
    )


def test_the_count_the_unit_gives_wins(copy):
    from jixiao.sections import profile

    add_columns(copy, body_count="8")
    html = profile.institutions(report())
    assert text(html) == (
        "乐昌市民政局内设办公室、社会救助股、养老服务股、社会事务股、基层政权和社区建设股、财务股，共8个内设机构。示例"
    )
    count = next(m for m in SPAN.finditer(html) if m.group(3) == "8个")
    assert attribute(count.group(2), "data-source") == "data/lechang-mzj/2019/profile.csv#row=2&col=body_count"
    assert profile.listed_institution_count(report()).value == 6
    assert profile.institution_count(report()).value == 8
    set_cell(copy / "profile.csv", 2, "institutions", "")
    assert text(profile.institutions(report())) == "乐昌市民政局内设机构8个。示例"


def test_budget_units(copy):
    from jixiao.sections import profile

    add_columns(copy, units="乐昌市社会福利院、乐昌市殡仪馆(含骨灰楼)、乐昌市救助站")
    html = profile.parts(report())
    assert headings(html) == ["部门职能", "机构设置", "人员情况", "二级预算单位"]
    assert text(profile.budget_units(report())) == (
        "乐昌市民政局所属二级预算单位3个：乐昌市社会福利院、乐昌市殡仪馆(含骨灰楼)、乐昌市救助站。示例"
    )
    set_cell(copy / "profile.csv", 2, "units", "无")
    assert text(profile.budget_units(report())) == "乐昌市民政局无二级预算单位。示例"


def test_an_older_profile_without_the_new_columns_loads(copy):
    frame = report().data.profile
    assert {"body_count", "units"} <= set(frame.columns)
    assert frame["body_count"].isna().all() and list(frame["units"]) == [""]


def test_the_closing_lines_end_the_last_filed_section_whichever_it_is(copy):
    """The copy's sections: overview, projects, theme:dibao, problems, review. The closing lines
    go to problems (the 审核提示 is not filed), once; application is not among the sections."""
    from jixiao.sections import closing, profile

    r = report()
    assert [s.kind for s in r.settings.sections] == ["overview", "projects", "theme", "problems", "review"]
    sections = [("overview", ""), ("projects", ""), ("theme", "dibao"), ("problems", ""), ("application", "")]
    closings = {(kind, key): str(closing.closing_lines(r, kind, key)) for kind, key in sections}
    assert [k for k, v in closings.items() if v] == [("problems", "")]
    assert closings[("problems", "")] == str(profile.signature(r))
    assert text(closings[("problems", "")]) == "乐昌市民政局2020年4月20日联系人：王某，联系电话：0751-0000000"
    set_settings(copy, sections=["overview", "theme:dibao", "review"])
    r = report()
    assert str(closing.closing_lines(r, "theme", "dibao")) == str(profile.signature(r))
    assert str(closing.closing_lines(r, "overview")) == ""


def test_every_filed_notebook_ends_with_the_closing_call():
    import json

    from helpers_inputs import REPO
    from jixiao.inputs.settings import NOTEBOOKS

    for kind, name in NOTEBOOKS.items():
        cells = json.loads((REPO / "notebooks" / name).read_text(encoding="utf-8"))["cells"]
        last = "".join(cells[-1]["source"])
        if kind == "review":
            assert "closing" not in last
        elif kind == "theme":
            assert last == 'jixiao.sections.closing.closing_lines(report, "theme", theme)'
        else:
            assert last == f'jixiao.sections.closing.closing_lines(report, "{kind}")'


def test_the_review_notes_a_given_count_that_differs_from_the_list(copy):
    from jixiao.sections import review

    add_columns(copy, body_count="8")
    found = [f for f in review.findings(report()) if f.kind == "body_count"]
    assert [(f.title, f.message) for f in found] == [
        (
            "内设机构数与所列机构不一致",
            "单位概况表填报内设机构数8个，内设机构(institutions)所列机构为6个，相差2个。"
            "报告以填报的内设机构数为准，请核实哪一个正确。",
        )
    ]
    html = str(found[0].html())
    given = next(m for m in SPAN.finditer(html) if m.group(3) == "8个")
    assert attribute(given.group(2), "data-source") == "data/lechang-mzj/2019/profile.csv#row=2&col=body_count"
    assert "内设机构数与所列机构" in str(review.notes(report()))
    set_cell(copy / "profile.csv", 2, "body_count", "6")
    assert [f for f in review.findings(report()) if f.kind == "body_count"] == []
