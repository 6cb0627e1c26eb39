"""The same figure is marked the same way everywhere: in the HTML (``data-provenance``), in the PDF
and the DOCX (the 示 after it) and in the 自评表 workbook (its fill), on both examples and on a
unit that mixes printed, supplied and default figures in one 自评表 and one sentence.

A figure is ``published`` only if it was printed or is computed only from printed figures; a
default jixiao fills in is never printed (docs/data-model.md, "One rule, and it never overstates").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import docx
import openpyxl
import pytest
from lxml import html as lxml_html
from pypdf import PdfReader

from conftest import copy_charts, copy_project, run_jixiao
from helpers_inputs import append_row, read_rows, set_cell, write_rows
from helpers_provenance import (
    cell_figures_with_marks,
    disagreements,
    filled,
    marks_in_text,
    paragraph_marks,
    unmarked_numbers,
    workbook_disagreements,
)

pytestmark = pytest.mark.build

FOOTER = re.compile(r"第\d+页/共\d+页")


@dataclass
class Built:
    out: Path

    @property
    def review(self) -> str:
        return (self.out / "report-review.html").read_text(encoding="utf-8")

    @property
    def filing(self) -> str:
        return (self.out / "report.html").read_text(encoding="utf-8")

    def workbook(self) -> openpyxl.Workbook:
        return openpyxl.load_workbook(self.out / "自评表.xlsx")


def pdf_text(path: Path) -> str:
    """The PDF's text, whitespace, word joiners and page footers removed."""
    text = "".join(page.extract_text() for page in PdfReader(path).pages)
    return FOOTER.sub("", re.sub(r"[\s\u2060]+", "", text))


def docx_texts(path: Path) -> set[str]:
    document = docx.Document(path)
    texts = [p.text for p in document.paragraphs]
    texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return {re.sub(r"\s+", "", t) for t in texts}


def check_everywhere(built: Built, *, at_least: int) -> None:
    """Every figure agrees with itself across the report, the PDF, the DOCX and the workbook."""
    review = built.review
    assert disagreements(review) == []
    assert unmarked_numbers(review) == []
    found, compared = workbook_disagreements(review, built.workbook())
    assert found == []
    assert compared >= at_least
    filing = built.filing
    written = marks_in_text(filing)  # each paragraph and table cell holding a figure, 示 marks included
    assert len(written) > 50
    pdf = pdf_text(built.out / "report.pdf")
    # a paragraph whole; a table cell figure by figure (a PDF's text runs across a table's columns)
    in_pdf = paragraph_marks(filing) + cell_figures_with_marks(filing)
    assert [t for t in in_pdf if t not in pdf] == []
    in_docx = docx_texts(built.out / "report.docx")
    assert [t for t in written if t not in in_docx] == []
    marks = len(lxml_html.fromstring(filing).xpath('//main//span[@class="jx-mark"]'))
    assert sum(t.count("示") for t in written) >= marks > 0


# -- the two examples ----------------------------------------------------------------------------


def test_the_2019_example_marks_each_figure_the_same_everywhere(example):
    check_everywhere(Built(example.out), at_least=400)


def test_the_2019_examples_findings_are_fixed(example):
    """What a careful reading found: each now one state wherever it is shown."""
    states = figure_states(example.html)
    # 全年预算数 10408.34: 一、总体情况 and 四（一） alike, confirmed by the published total
    assert states["01-overview", "10408.34万元"] == states["08-budget", "10408.34万元"] == {"confirmed"}
    # 表2's total 100.00: the same department score as the cover's, confirmed
    assert states["01-overview", "100.00"] == states["cover", "100分"] == {"confirmed"}
    # 表2's −7.31 and 95: the department indicators' supplied cells, marked as in 目标完成 and 评价工作
    assert states["01-overview", "−7.31"] == {"illustrative"}
    assert (
        states["01-overview", "95"] == states["09-goals", "95%"] == states["11-evaluation", "95%"] == {"illustrative"}
    )
    # 表2's 预算完成率 100: computed from the confirmed totals, as the execution rate 100% it equals
    doc = lxml_html.fromstring(example.html)
    table2 = next(t for t in doc.xpath("//table") if "部门整体支出绩效自评表" in t.xpath("string(./caption)"))
    assert cells(table2.xpath("./tbody/tr")[0])[4:6] == [("100示", "illustrative"), ("100", "published")]
    assert states["cover", "100分"] == states["01-overview", "100分"] == {"confirmed"}
    department = openpyxl.load_workbook(example.out / "自评表.xlsx").worksheets[1]
    assert [filled(department.cell(row=5, column=c)) for c in (4, 5, 6, 8)] == [True, False, False, False]


def figure_states(page: str) -> dict[tuple[str, str], set[str]]:
    """(section or ``cover``, the figure's text) → the states it is shown in."""
    doc = lxml_html.fromstring(page)
    out: dict[tuple[str, str], set[str]] = {}
    for span in doc.xpath('//span[contains(concat(" ", @class, " "), " jx-fig ")]'):
        if span.xpath('ancestor::aside[@id="jx-sources"]'):
            continue
        section = next((a.get("id") for a in span.iterancestors("section", "header") if a.get("id")), "")
        out.setdefault((section, span.text_content()), set()).add(span.get("data-provenance"))
    return out


@pytest.fixture(scope="module")
def county(county_example: Path) -> Built:
    """The session's build of 示例县教育局 2020, every format (conftest)."""
    return Built(county_example)


def test_the_2020_example_marks_each_figure_the_same_everywhere(county):
    check_everywhere(county, at_least=60)


# -- a unit that mixes printed, supplied and default figures --------------------------------------


MIXED_UNIT, MIXED_YEAR = "lechang-mzj", 2019


@pytest.fixture(scope="module")
def mixed(example, tmp_path_factory) -> Built:
    """The 2019 example where 特困供养 (YB01) was printed: its row and its indicators published, its
    预算执行率分值 left blank (the default 10), its 当年财政拨款 row named in ``published`` by
    ``project_funds`` key (全年预算数 and 全年执行数; its 年初预算数 not). The department's score is
    no longer published (computed only from supplied indicator rows), the profile's 编制人数 is."""
    root = copy_charts(example, copy_project(tmp_path_factory.mktemp("mixed-provenance")))  # charts as drawn
    folder = root / "data" / MIXED_UNIT / str(MIXED_YEAR)
    set_cell(folder / "projects.csv", 2, "source", "published")
    set_cell(folder / "projects.csv", 2, "reported_score", "")
    assert read_rows(folder / "projects.csv")[1][:1] == ["YB01"]
    assert read_rows(folder / "projects.csv")[1][read_rows(folder / "projects.csv")[0].index("weight_execution")] == ""
    for row in range(2, 7):  # YB01-01 … YB01-05
        set_cell(folder / "indicators.csv", row, "source", "published")
    published = folder / "published.csv"
    rows = read_rows(published)
    # the department's score no longer printed; YB01's row printed whole (no cell of it listed alone)
    write_rows(published, [r for r in rows if r[0] not in ("department_score", "projects:YB01:project_name")])
    where = {"document": "《乐昌市民政局2019年绩效自评报告》", "location": "附表1"}
    for column, label in (
        ("full_year_budget", "特困供养当年财政拨款全年预算数"),
        ("executed", "特困供养当年财政拨款全年执行数"),
    ):
        append_row(published, {"key": f"project_funds:YB01/当年财政拨款:{column}", "label": label,
                               "value": "1586.40", "unit": "万元", **where})  # fmt: skip
    append_row(published, {"key": "profile:lechang-mzj:staff_quota", "label": "编制人数", "value": "28",
                           "unit": "人", **where})  # fmt: skip
    result = run_jixiao(root, "build", "--unit", MIXED_UNIT, "--year", str(MIXED_YEAR))
    assert result.returncode == 0, result.stdout + result.stderr
    return Built(root / "outputs" / MIXED_UNIT / str(MIXED_YEAR))


def test_the_mixed_unit_marks_each_figure_the_same_everywhere(mixed):
    check_everywhere(mixed, at_least=400)


def cells(row) -> list[tuple[str, str | None]]:
    """(text, state of its first figure) of each ``td`` of a table row."""
    out = []
    for td in row.xpath("./td"):
        span = td.xpath('.//span[contains(concat(" ", @class, " "), " jx-fig ")]')
        out.append((re.sub(r"\s+", "", td.text_content()), span[0].get("data-provenance") if span else None))
    return out


def test_one_form_mixes_printed_supplied_and_default_figures(mixed):
    doc = lxml_html.fromstring(mixed.review)
    form = next(
        t
        for t in doc.xpath('//table[contains(@class, "jx-selfeval-form")]')
        if "特困供养" in t.xpath("string(.//tr[1])")
    )
    rows = form.xpath(".//tr")
    funds = next(tr for tr in rows if tr.xpath('./th[normalize-space()="年度资金总额"]'))
    # printed amounts, the default 分值 示, the rate from printed amounts, the score from the default 示
    assert cells(funds) == [
        ("1520.00", "published"), ("1586.40", "published"), ("1586.40", "published"),
        ("10示", "illustrative"), ("100%", "published"), ("10.00示", "illustrative"),
    ]  # fmt: skip
    weight = funds.xpath("./td[4]//span[@data-provenance]")[0]
    assert (
        weight.get("title")
        == "预算执行率分值：10\n默认值，非公开发布数\n来源：未填报预算执行率分值，取本单位设置的默认分值"
    )
    own = next(tr for tr in rows if tr.xpath('./th[normalize-space()="其中：当年财政拨款"]'))
    # the same printed 1586.40 as 年度资金总额, named by its project_funds key; its 年初预算数 was not printed
    assert cells(own)[:3] == [("1520.00示", "illustrative"), ("1586.40", "published"), ("1586.40", "published")]
    assert "公开发布：《乐昌市民政局2019年绩效自评报告》附表1" in own.xpath("./td[2]//span")[0].get("title")
    indicators = [cells(tr) for tr in rows if "jx-indicator" in (tr.get("class") or "")]
    assert {state for row in indicators for _, state in row if state} == {"published"}
    total = next(tr for tr in rows if "jx-total" in (tr.get("class") or ""))
    assert cells(total)[:2] == [("100示", "illustrative"), ("100.00示", "illustrative")]

    sheet = next(ws for ws in mixed.workbook().worksheets if "特困供养" in str(ws.cell(row=3, column=3).value))
    assert [filled(sheet.cell(row=6, column=c)) for c in (4, 5, 6, 7, 8, 9)] == [False, False, False, True, False, True]
    assert [filled(sheet.cell(row=7, column=c)) for c in (4, 5, 6)] == [True, False, False]


def test_one_sentence_mixes_printed_and_supplied_figures(mixed):
    """The projects' summary: counts and amounts confirmed by what was printed, their total
    computed only from them (published), the mean score computed from supplied rows and a default."""
    projects = mixed.review.split('<section class="jx-section" id="12-projects"', 1)[1]
    sentence = lxml_html.fromstring(projects.split("</p>", 1)[0].split("<p>", 1)[1].join(("<p>", "</p>")))
    spans = [(s.text_content(), s.get("data-provenance")) for s in sentence.xpath(".//span[@data-provenance]")]
    assert spans == [
        ("13个", "illustrative"), ("7个", "confirmed"), ("6个", "confirmed"), ("7340.89万元", "published"),
        ("6898.64万元", "confirmed"), ("442.25万元", "confirmed"), ("13个", "illustrative"),
        ("100分", "illustrative"),
    ]  # fmt: skip


def test_a_score_computed_only_from_supplied_rows_is_never_published(mixed):
    """Without a published department score, the one computed from supplied indicator rows is 示
    on the cover, in 总体情况, in 表2 and in 自评结论, and filled in the workbook."""
    states = figure_states(mixed.review)
    assert states["cover", "100分"] == {"illustrative"}
    assert states["01-overview", "100分"] == states["01-overview", "100.00"] == {"illustrative"}
    assert states["10-conclusion", "100分"] == {"illustrative"}
    workbook = mixed.workbook()
    summary = workbook.worksheets[0]
    row = next(r for r in range(1, summary.max_row + 1) if summary.cell(row=r, column=1).value == "部门整体自评得分")
    assert filled(summary.cell(row=row, column=6))


def test_a_profile_figure_named_in_published_is_printed(mixed):
    doc = lxml_html.fromstring(mixed.review)
    profile = doc.xpath('//section[@id="07-profile"]')[0]
    by_column = {
        s.get("data-source").rsplit("col=", 1)[1]: s.get("data-provenance")
        for s in profile.xpath(".//span[@data-source]")
        if "profile.csv#" in s.get("data-source")
    }
    assert by_column["staff_quota"] == "published"
    assert by_column["staff_active"] == "illustrative"
