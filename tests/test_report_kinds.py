"""Report kinds (settings key ``kind``): a unit of each kind other than the founding example's
builds from its own settings and data (``tests/fixtures/units/``, synthetic and marked
illustrative) with its own title, cover, headings and words, and its key figures exactly:

- ``shili-nyj-xm``: 项目支出绩效自评报告, one project (高标准农田建设项目);
- ``shili-wjj-zx``: 专项（转移支付）资金绩效自评报告, a fund whose money comes from 中央, 省级 and
  市县 (``project_funds.level``), built in every format;
- ``shili-mzj-pj``: 部门整体支出绩效评价报告, whose sections leave out the overview: the cover
  still shows the score.

Also: 编写提示 appear in the review edition only, and the ``level`` column's checks."""

from __future__ import annotations

import csv
import html as htmllib
import re
import shutil
from pathlib import Path

import docx
import openpyxl
import pypdf
import pytest

from conftest import REPO, copy_project, run_jixiao
from helpers_inputs import read_rows, write_rows
from jixiao.inputs.kinds import KINDS
from jixiao.inputs.validation import validate
from jixiao.render.editions import edition_page
from jixiao.sections.notes import to_author
from jixiao.writing.provenance import MARK_HTML

FIXTURES = REPO / "tests" / "fixtures" / "units"
YEAR = 2021


def install(root: Path, unit: str) -> Path:
    """The fixture unit's settings and data put into the project copy at ``root``."""
    shutil.copytree(FIXTURES / unit / "params", root / "params" / unit)
    shutil.copytree(FIXTURES / unit / "data", root / "data" / unit)
    return root


def built(tmp_path_factory: pytest.TempPathFactory, unit: str, *formats: str) -> Path:
    """The fixture unit built in a copy of the project; its output folder."""
    root = install(copy_project(tmp_path_factory.mktemp(unit)), unit)
    chosen = [a for f in formats for a in ("--format", f)]
    result = run_jixiao(root, "build", "--unit", unit, "--year", str(YEAR), *chosen)
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "outputs" / unit / str(YEAR)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return built(tmp_path_factory, "shili-nyj-xm", "html", "xlsx")


@pytest.fixture(scope="module")
def transfer(tmp_path_factory) -> Path:
    return built(tmp_path_factory, "shili-wjj-zx")  # every format


@pytest.fixture(scope="module")
def evaluation(tmp_path_factory) -> Path:
    return built(tmp_path_factory, "shili-mzj-pj", "html", "xlsx")


def page(out: Path, name: str = "report-review.html") -> str:
    return (out / name).read_text(encoding="utf-8")


def text(fragment: str) -> str:
    """The text as written, the 示 markers left out (every figure of these units is illustrative)."""
    return htmllib.unescape(re.sub(r"<[^>]+>", "", fragment.replace(MARK_HTML, ""))).strip()


def cover(html: str) -> list[tuple[str, str]]:
    """The cover's facts (term, value)."""
    header = html.split('<header class="jx-cover"', 1)[1].split("</header>", 1)[0]
    facts = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", header, re.S)
    return [(text(dt), text(dd)) for dt, dd in facts]


def kicker(html: str) -> str:
    return text(re.search(r'<p class="jx-cover-kicker">(.*?)</p>', html).group(1))


def headings(html: str) -> list[tuple[str, str]]:
    main = html.split("<main>", 1)[1].split("</main>", 1)[0]
    return [(m.group(1), text(m.group(2))) for m in re.finditer(r"<(h[1-6])\b[^>]*>(.*?)</\1>", main, re.S)]


def paragraph(html: str, start: str) -> str:
    """The text of the first paragraph of the page's body that starts with ``start``."""
    main = html.split("<main>", 1)[1]
    return next(t for t in (text(p) for p in re.findall(r"<p\b[^>]*>(.*?)</p>", main, re.S)) if t.startswith(start))


def fund_rows(html: str) -> list[list[str]]:
    """The funds block of the first 项目支出绩效自评表: each row's cells as written."""
    form = html.split('<table class="jx-table jx-selfeval-form">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr\b[^>]*>(.*?)</tr>", form, re.S)
    start = next(i for i, r in enumerate(rows) if "项目资金（万元）" in r)
    return [[text(c) for c in re.findall(r"<t[hd]\b[^>]*>(.*?)</t[hd]>", r, re.S)] for r in rows[start : start + 5]]


# -- 项目支出绩效自评报告 ---------------------------------------------------------------------------


def test_a_project_report_has_its_own_title_cover_and_headings(project):
    html = page(project)
    assert "<title>示例县农业农村局2021年度项目支出绩效自评报告</title>" in html
    assert kicker(html) == "预算绩效管理 · 绩效自评报告"
    assert cover(html) == [
        ("单位", "示例县农业农村局"),
        ("年度", "2021年"),
        ("报告类型", "项目支出绩效自评报告"),
        ("项目支出绩效自评得分", "99.05分"),  # 9.80 + 20 + 15 + 14.25 + 15 + 15 + 10
        ("评价等级", "优"),
    ]
    assert headings(html) == [
        ("h2", "一、项目基本情况"),
        ("h3", "（一）预算执行情况"),
        ("h3", "（二）历年对比"),
        ("h2", "二、项目绩效目标完成情况"),
        ("h2", "三、项目支出绩效自评情况"),
        ("h3", "项目支出绩效自评表"),
        ("h2", "四、存在的问题和原因"),
        ("h2", "五、下一步改进措施"),
        ("h2", "六、结果应用和信息公开"),
        ("h3", "（一）结果应用"),
        ("h3", "（二）信息公开"),
        ("h2", "审核提示"),
    ]
    assert "部门整体" not in text(html.split("<main>", 1)[1].split("</main>", 1)[0])


def test_a_project_reports_opening_speaks_of_the_project_and_its_funds(project):
    html = page(project)
    assert paragraph(html, "根据年初设定的绩效目标") == (
        "根据年初设定的绩效目标，示例县农业农村局2021年“高标准农田建设项目”项目支出绩效自评得分为99.05分。"
        "全年预算数860.00万元，执行数842.50万元，完成预算的98%。"  # 842.50 ÷ 860.00 = 97.97%
    )
    overview = html.split('id="01-overview"', 1)[1].split("</section>", 1)[0]
    table = overview.split("<table", 1)[1].split("</table>", 1)[0]
    rows = [[text(c) for c in re.findall(r"<t[hd]\b[^>]*>(.*?)</t[hd]>", r, re.S)]
            for r in re.findall(r"<tr\b[^>]*>(.*?)</tr>", table, re.S)]  # fmt: skip
    assert rows == [
        ["项目名称", "资金", "年初预算数（万元）", "全年预算数（万元）", "全年执行数（万元）", "执行率"],
        ["高标准农田建设项目", "当年财政拨款", "700.00", "760.00", "748.30", "98.5%"],
        ["高标准农田建设项目", "上年结转资金", "100.00", "100.00", "94.20", "94.2%"],
        ["合计", "", "800.00", "860.00", "842.50", "98%"],
    ]


def test_a_project_reports_form_shows_its_funds_by_type(project):
    assert fund_rows(page(project)) == [
        ["项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        ["年度资金总额", "800.00", "860.00", "842.50", "10", "98%", "9.80"],
        ["其中：当年财政拨款", "700.00", "760.00", "748.30", "—", "—", "—"],
        ["上年结转资金", "100.00", "100.00", "94.20", "—", "—", "—"],
        ["其他资金", "", "", "", "—", "—", "—"],
    ]


# -- 专项（转移支付）资金绩效自评报告 -------------------------------------------------------------


def test_a_transfer_report_has_its_own_title_cover_and_headings(transfer):
    html = page(transfer)
    assert "<title>示例县卫生健康局2021年度专项（转移支付）资金绩效自评报告</title>" in html
    assert cover(html) == [
        ("单位", "示例县卫生健康局"),
        ("年度", "2021年"),
        ("报告类型", "专项（转移支付）资金绩效自评报告"),
        ("专项资金绩效自评得分", "99.17分"),  # 9.92 + 20 + 15 + 14.25 + 30 + 10
        ("评价等级", "优"),
    ]
    assert [h for h in headings(html) if h[0] == "h2"] == [
        ("h2", "一、专项资金基本情况"),
        ("h2", "二、绩效目标完成情况"),
        ("h2", "三、专项资金绩效自评情况"),
        ("h2", "四、存在的问题和原因"),
        ("h2", "五、下一步改进措施"),
        ("h2", "六、结果应用和信息公开"),
        ("h2", "审核提示"),
    ]


def test_a_transfer_report_says_its_funds_by_level(transfer):
    html = page(transfer)
    assert paragraph(html, "根据年初设定的绩效目标") == (
        "根据年初设定的绩效目标，示例县卫生健康局2021年“基本公共卫生服务补助资金”专项资金绩效自评得分为99.17分。"
        "全年预算数1020.00万元，执行数1012.20万元，完成预算的99.2%。"
        "全年预算数中，中央资金620.00万元、省级资金250.00万元、市县资金150.00万元。"
    )
    assert fund_rows(html) == [
        ["项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        ["年度资金总额", "1000.00", "1020.00", "1012.20", "10", "99.2%", "9.92"],
        ["其中：中央资金", "600.00", "620.00", "615.40", "—", "—", "—"],
        ["省级资金", "250.00", "250.00", "246.80", "—", "—", "—"],
        ["市县资金", "150.00", "150.00", "150.00", "—", "—", "—"],
    ]


def test_the_transfer_workbook_shows_its_funds_by_level(transfer):
    book = openpyxl.load_workbook(transfer / "自评表.xlsx")
    sheet = next(ws for ws in book.worksheets if ws["A1"].value == "项目支出绩效自评表")
    rows = [[sheet.cell(r, c).value for c in (2, 4, 5, 6, 8)] for r in range(6, 10)]
    assert rows == [
        ["年度资金总额", 1000.0, 1020.0, 1012.2, pytest.approx(1012.2 / 1020)],
        ["其中：中央资金", 600.0, 620.0, 615.4, pytest.approx(615.4 / 620)],
        ["省级资金", 250.0, 250.0, 246.8, pytest.approx(246.8 / 250)],
        ["市县资金", 150.0, 150.0, 150.0, 1.0],
    ]


def test_each_kinds_workbook_has_its_own_sheets(project, transfer, evaluation):
    titles = {
        out: [(ws.title, ws["A1"].value) for ws in openpyxl.load_workbook(out / "自评表.xlsx").worksheets]
        for out in (project, transfer, evaluation)
    }
    assert titles[project] == [  # one project: no department sheet
        ("汇总", "示例县农业农村局2021年度绩效自评结果汇总"),
        ("高标准农田建设项目", "项目支出绩效自评表"),
        ("计分明细", "计分明细（每项得分的规则）"),
    ]
    assert [t for t, _ in titles[transfer]] == ["汇总", "基本公共卫生服务补助资金", "计分明细"]
    assert titles[evaluation] == [
        ("汇总", "示例市民政局2021年度绩效评价结果汇总"),
        ("部门整体支出绩效评价表", "部门整体支出绩效评价表"),
        ("城乡最低生活保障资金", "项目支出绩效自评表"),
        ("计分明细", "计分明细（每项得分的规则）"),
    ]
    summary = openpyxl.load_workbook(evaluation / "自评表.xlsx")["汇总"]
    department = next(r for r in summary.iter_rows(values_only=True) if r[0] == "部门整体评价得分")
    assert department[5:7] == (pytest.approx(99.76), "优")


def pdf_text(path: Path) -> str:
    return "\n".join(p.extract_text() for p in pypdf.PdfReader(path).pages)


def docx_text(path: Path) -> str:
    document = docx.Document(path)
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_transfer_reports_pdf_and_docx_carry_the_levels_and_the_kind(transfer):
    for said in (pdf_text(transfer / "report.pdf"), docx_text(transfer / "report.docx")):
        flat = re.sub(r"\s+", "", said)
        assert "专项（转移支付）资金绩效自评报告" in flat
        assert "全年预算数中，中央资金620.00万元" in flat
        assert "其中：中央资金" in flat and "市县资金" in flat


# -- 编写提示: the review edition only -------------------------------------------------------------


def test_notes_to_the_author_are_in_the_review_edition_only(transfer):
    note = "编写提示：单位概况表（profile）未填报联系人(contact_person)、联系电话(contact_phone)。"
    review, filing = page(transfer), page(transfer, "report.html")
    assert note in text(review)
    assert "编写提示" not in filing and 'data-note="author"' not in filing
    assert "编写提示" in pdf_text(transfer / "report-review.pdf")
    assert "编写提示" in docx_text(transfer / "report-review.docx")
    assert "编写提示" not in pdf_text(transfer / "report.pdf")
    assert "编写提示" not in docx_text(transfer / "report.docx")


def test_the_filing_edition_page_drops_author_notes():
    note = str(to_author("未填报联系人。"))
    stitched = f"<html><head></head><body><main><p>正文</p>{note}</main></body></html>"
    assert 'data-note="author"' not in edition_page(stitched, "filing")
    assert "<p>正文</p>" in edition_page(stitched, "filing")
    assert edition_page(stitched, "review") == stitched


# -- 部门整体支出绩效评价报告, and the cover's score without the overview --------------------------


def test_an_evaluation_report_says_evaluation_and_its_cover_shows_the_score(evaluation):
    html = page(evaluation)
    assert "<title>示例市民政局2021年度部门整体支出绩效评价报告</title>" in html
    assert kicker(html) == "预算绩效管理 · 绩效评价报告"
    # no overview among its sections: the build computes the score for the cover
    assert 'id="01-overview"' not in html
    assert cover(html) == [
        ("单位", "示例市民政局"),
        ("年度", "2021年"),
        ("报告类型", "部门整体支出绩效评价报告"),
        ("部门整体支出绩效评价得分", "99.76分"),  # 3823.70 ÷ 3870.00 × 100 = 98.80 → 19.76; + 30 + 20 + 30
        ("评价等级", "优"),
    ]
    assert [h for h in headings(html) if h[0] == "h2"] == [
        ("h2", "一、部门概况"),
        ("h2", "二、部门预算及执行情况"),
        ("h2", "三、年度绩效目标完成情况"),
        ("h2", "四、评价结论"),
        ("h2", "五、存在的问题和原因"),
        ("h2", "六、下一步改进措施"),
        ("h2", "七、结果应用和信息公开"),
        ("h2", "审核提示"),
    ]
    assert paragraph(html, "经评价") == (
        "经评价，示例市民政局2021年部门整体支出绩效评价得分为99.76分，评价等级为“优”。"
        "部门整体绩效指标4项，其中3项达到年度指标值，“预算完成率”未达到。"
        "1个自评项目得分为99.89分，评价等级为“优”。"  # one project: not 均
        "2项年度绩效目标中，1项已完成，1项部分完成。"
    )


def test_a_restitch_from_the_cache_keeps_the_score_on_the_cover(evaluation):
    before = cover(page(evaluation, "report.html"))
    (evaluation / "report.html").unlink()  # every section cached: the build computes the cover itself
    result = run_jixiao(
        evaluation.parents[2], "build", "--unit", "shili-mzj-pj", "--year", str(YEAR), "--format", "html"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "缓存 (cached)" in result.stdout and "01-profile" in result.stdout
    assert cover(page(evaluation, "report.html")) == before
    assert ("部门整体支出绩效评价得分", "99.76分") in before


def test_every_kind_has_its_own_words():
    assert {k: (v.name, v.score_label, v.kicker) for k, v in KINDS.items()} == {
        "department": ("部门整体支出绩效自评报告", "部门整体支出绩效自评得分", "预算绩效管理 · 绩效自评报告"),
        "department_evaluation": (
            "部门整体支出绩效评价报告",
            "部门整体支出绩效评价得分",
            "预算绩效管理 · 绩效评价报告",
        ),
        "project": ("项目支出绩效自评报告", "项目支出绩效自评得分", "预算绩效管理 · 绩效自评报告"),
        "transfer": ("专项（转移支付）资金绩效自评报告", "专项资金绩效自评得分", "预算绩效管理 · 绩效自评报告"),
    }


def test_fixture_rows_are_all_illustrative():
    for unit in ("shili-nyj-xm", "shili-wjj-zx", "shili-mzj-pj"):
        for path in (FIXTURES / unit / "data" / str(YEAR)).glob("*.csv"):
            rows = list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))
            assert {row["source"] for row in rows} <= {"illustrative"}, path


# -- the level column's checks -----------------------------------------------------------------


@pytest.fixture
def funds(tmp_path, monkeypatch) -> Path:
    """The transfer unit's project_funds.csv in a copy named by JIXIAO_ROOT."""
    root = tmp_path / "project"
    shutil.copytree(REPO / "params", root / "params")
    install(root, "shili-wjj-zx")
    monkeypatch.setenv("JIXIAO_ROOT", str(root))
    return root / "data" / "shili-wjj-zx" / str(YEAR) / "project_funds.csv"


F = "data/shili-wjj-zx/2021/project_funds.csv"


def test_the_transfer_fixture_is_valid(funds):
    assert validate("shili-wjj-zx", YEAR) == []


def test_a_level_on_some_rows_of_a_project_only_is_refused(funds):
    rows = read_rows(funds)
    rows[3][rows[0].index("level")] = ""
    write_rows(funds, rows)
    assert [str(p) for p in validate("shili-wjj-zx", YEAR)] == [
        f"{F} 第4行 资金级次(level)：项目 ZX01 的资金行第2行填写了资金级次，本行未填写；"
        "同一项目的资金行须全部填写资金级次（中央、省级、市县）或全部空白"
    ]


def test_a_level_is_one_of_the_three(funds):
    rows = read_rows(funds)
    rows[2][rows[0].index("level")] = "省"
    write_rows(funds, rows)
    problems = [str(p) for p in validate("shili-wjj-zx", YEAR)]
    assert problems[0].startswith(f'{F} 第3行 资金级次(level)：值 "省"')
    assert "中央、省级、市县" in problems[0]


def test_a_fund_type_may_repeat_across_levels_but_not_within_one(funds):
    rows = read_rows(funds)
    rows[3][rows[0].index("level")] = "中央"
    write_rows(funds, rows)
    assert [str(p) for p in validate("shili-wjj-zx", YEAR)] == [
        f"{F} 第4行 资金性质(fund_type)：项目 ZX01 的资金性质“当年财政拨款”、资金级次“中央”与第2行重复"
    ]
