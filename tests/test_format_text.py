"""Text a format cannot hold (issue 24, item 1): names that break the one rule for names are
refused where they enter (settings, inputs) with the file and key or cell; a long free text (the
settings' ``title``) is kept whole in the report and shortened only in the documents' properties."""

from __future__ import annotations

import io
import zipfile

import pytest

from helpers_inputs import UNIT, project_copy, set_cell
from jixiao.inputs import unit_schema
from jixiao.inputs.validation import validate
from jixiao.render.properties import PROPERTY_LENGTH, property_text

D = f"data/{UNIT}/2019"


def test_a_control_character_in_a_settings_text_names_its_key():
    assert unit_schema.problems({"unit_name": "乐昌\v民政\0局\x1b[31m"}) == [
        "'unit_name' 含控制字符 U+000B (a control character, 第 3 个字符); 应为可打印的文字 (printable text); "
        "实为 '乐昌\\x0b民政\\x00局\\x1b[31m'"
    ]
    assert unit_schema.problems({"unit_name": "甲", "title": "甲\x00{year}年度报告"}) == [
        "'title' 含控制字符 U+0000 (a control character, 第 2 个字符); 应为可打印的文字 (printable text); "
        "实为 '甲\\x00{year}年度报告'"
    ]


def test_a_long_unit_name_in_the_settings_is_refused_with_its_limit():
    name = "乐昌民政😀" * 60
    assert unit_schema.problems({"unit_name": name}) == [
        f"'unit_name' 长 300 个字符, 至多 100 个 (too long); 实为 {name!r}"
    ]


def test_names_in_the_profile_follow_the_rule_for_names(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    set_cell(folder / "profile.csv", 2, "unit_name", "乐昌市\u200b民政局")
    set_cell(folder / "profile.csv", 2, "preparer", "乐昌😀" * 250)
    assert [str(p) for p in validate(UNIT, 2019)] == [
        f"{D}/profile.csv 第2行 单位名称(unit_name)：名称含有控制字符 U+200B（第 4 个字符），应为一行可打印的文字"
        "（名称用于标题和文档属性）",
        f"{D}/profile.csv 第2行 编制单位(preparer)：名称有 750 个字符，超过 100 个字符的上限（名称用于标题和文档属性）",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("乐昌市民政局", "乐昌市民政局"),
        ("乐昌\v民政\0局\x1b[31m", "乐昌民政局[31m"),
        ("第一行\n第二行\t完", "第一行 第二行 完"),
        ("a\ud800b\uffff", "ab"),
    ],
)
def test_a_property_holds_only_what_xml_can(text, expected):
    assert property_text(text) == expected


def test_a_long_property_is_shortened_to_its_limit():
    text = "乐昌市民政局😀" * 50
    shortened = property_text(text)
    assert len(shortened) == PROPERTY_LENGTH == 255
    assert shortened == text[:254] + "…"
    assert property_text(text[:255]) == text[:255]


def test_a_docx_takes_a_shortened_property():
    """python-docx refuses a core property over 255 characters: what ``property_text`` gives fits."""
    import docx

    document = docx.Document()
    document.core_properties.title = property_text("乐昌市民政局😀" * 50)
    document.core_properties.author = property_text("编制\x00单位" * 100)
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        core = archive.read("docProps/core.xml").decode("utf-8")
    assert f"<dc:title>{'乐昌市民政局😀' * 36}乐昌…</dc:title>" in core
    assert f"<dc:creator>{'编制单位' * 63}编制…</dc:creator>" in core


# -- text with no break opportunity (issue 24, item 2) ------------------------------------------


def _narrative(texts):
    from types import SimpleNamespace

    import pandas as pd

    rows = [
        {"section": "dibao", "kind": "item", "text": t, "_file": "narrative.csv", "_sheet": "", "_row": n + 2}
        for n, t in enumerate(texts)
    ]
    return SimpleNamespace(narrative=pd.DataFrame(rows))


def _run(length, seed):
    import random

    rng = random.Random(seed)
    return "https://example.com/" + "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(length))


def test_long_runs_are_compared_in_linear_time():
    """Ten pasted runs of 9,999 characters in one section: 45 pairs whose difflib ratio took over
    30 s in the review section; a run longer than a clause is noted only when repeated exactly."""
    import time

    from jixiao.checks.text import CLAUSE_MAX, repeated_text

    runs = [_run(9979, seed) for seed in range(10)]
    start = time.perf_counter()
    assert repeated_text(_narrative(runs)) == []
    assert time.perf_counter() - start < 1.0
    found = repeated_text(_narrative([runs[0], "另一项工作已经完成了全部的内容和目标", runs[0]]))
    assert [(f.subject, f["similarity"].value, f.details) for f in found] == [
        (("dibao", 0, 2), 1.0, {"clause": runs[0]})
    ]
    assert len(runs[0]) > CLAUSE_MAX == 200


def test_clauses_of_prose_are_still_compared_by_their_ratio():
    from jixiao.checks.text import repeated_text

    texts = [
        "全市共清退低保户一百二十户涉及三百人，追缴低保金十万元",
        "全市共清退低保户一百二十户涉及三百一十人，追缴低保金十万元",
    ]
    found = repeated_text(_narrative(texts))
    # the first clauses: 18 characters of 18 and 20 match (2 × 18 / 38); the second are too short to count
    assert [(f.subject, f["similarity"].value) for f in found] == [(("dibao", 0, 1), pytest.approx(36 / 38))]


# -- both, through a whole build in every format -------------------------------------------------


@pytest.mark.build
def test_a_long_title_and_unbroken_runs_build_in_every_format(example, tmp_path):
    """A 300-character title (CJK and emoji) and ten narrative cells of 9,999 characters with no
    break opportunity: the build passes quickly, each text is whole in the HTML, the PDF and the
    DOCX, and only the documents' properties are shortened."""
    import re

    import pypdf

    from conftest import UNIT as EXAMPLE
    from conftest import YEAR, copy_charts, copy_project, run_jixiao
    from helpers_inputs import read_rows, write_rows

    root = copy_charts(example, copy_project(tmp_path / "project"))  # the texts are the point, not the charts
    unit_yaml = root / "params" / EXAMPLE / "unit.yaml"
    title = "乐昌市民政局😀" * 42 + "{year}年"  # 294 + 4 + 1 characters once the year is in
    text = unit_yaml.read_text(encoding="utf-8")
    unit_yaml.write_text(
        text.replace('title: "{unit_name}{year}年绩效自评报告"', f'title: "{title}"'), encoding="utf-8"
    )
    narrative = root / "data" / EXAMPLE / str(YEAR) / "narrative.csv"
    rows = read_rows(narrative)
    kind, column = rows[0].index("kind"), rows[0].index("text")
    items = [r for r in rows[1:] if r[kind] == "item"][:10]
    runs = [_run(9979, seed) for seed in range(10)]
    for row, run in zip(items, runs, strict=True):
        row[column] = run
    write_rows(narrative, rows)

    formats = ("--format", "html", "--format", "pdf", "--format", "docx", "--format", "xlsx")
    result = run_jixiao(root, "build", "--unit", EXAMPLE, "--year", str(YEAR), *formats)
    assert result.returncode == 0, result.stdout + result.stderr
    review = re.search(r"16-review\s+([\d.]+)s", result.stdout)
    assert review is not None and float(review.group(1)) < 15, result.stdout  # 35 s before
    out = root / "outputs" / EXAMPLE / str(YEAR)
    whole = title.replace("{year}", str(YEAR))
    shown = whole[:254] + "…"

    html = (out / "report.html").read_text(encoding="utf-8")
    assert f"<h1>{whole}</h1>" in html or f">{whole}</h1>" in html
    assert all(run in html for run in runs)
    assert "overflow-wrap: anywhere" in html  # the page's text wraps anywhere a run would overflow

    pdf = pypdf.PdfReader(out / "report.pdf")
    assert pdf.metadata.title == shown
    flat = re.sub(r"第\d+页/共\d+页", "", "".join("".join(page.extract_text().split()) for page in pdf.pages))
    assert all(run in flat for run in runs)

    with zipfile.ZipFile(out / "report.docx") as archive:
        core = archive.read("docProps/core.xml").decode("utf-8")
        body = archive.read("word/document.xml").decode("utf-8")
    assert f"<dc:title>{shown}</dc:title>" in core
    assert whole in body and all(run in body for run in runs)

    with zipfile.ZipFile(out / "自评表.xlsx") as archive:
        core = archive.read("docProps/core.xml").decode("utf-8")
    assert ">乐昌市民政局2019年度绩效自评表</dc:title>" in core  # the unit_name, a name: at most 100 characters
