"""The 自评表 workbook written by the build says what the report says."""

from __future__ import annotations

import html as htmllib
import re
import shutil
import subprocess

import openpyxl

from conftest import tool
from test_report_content import section, text


def report_project_rows(html: str) -> list[list[str]]:
    projects = section(html, "12-projects")
    table = projects.split('<table class="jx-table', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    body = body.replace('<span class="jx-mark">示</span>', "")  # the marker of illustrative figures
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [[text(cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)] for row in rows]


def test_summary_sheet_matches_the_report(example):
    workbook = openpyxl.load_workbook(example.out / "自评表.xlsx")
    assert workbook.sheetnames[:2] == ["汇总", "部门整体支出绩效自评表"]
    sheet = workbook["汇总"]
    headers = ["项目名称", "资金来源", "全年预算数", "全年执行数", "执行率", "得分", "等级"]
    assert [c.value for c in sheet[3]][:7] == headers
    report_rows = report_project_rows(example.html)
    assert len(report_rows) == 13
    for offset, row in enumerate(report_rows):
        cells = [c.value for c in sheet[4 + offset]][:7]
        name, fund, budget, executed, rate, score, grade = cells
        assert row[0] == htmllib.unescape(name)  # both write “双百镇”社工
        assert row[1] == fund
        assert row[2] == f"{budget:.2f}" and row[3] == f"{executed:.2f}"
        assert row[4] == ("100%" if rate == 1 else f"{rate * 100:.1f}%")
        assert row[5].startswith(f"{score:g}") and row[6] == grade
    total = [c.value for c in sheet[17]][:5]
    assert total[0] == "合计（13个项目）" and round(total[2], 2) == 7340.89 and round(total[3], 2) == 7340.89


def test_department_score_in_the_workbook_is_the_cover_score(example):
    sheet = openpyxl.load_workbook(example.out / "自评表.xlsx")["汇总"]
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=18) if r[0].value}
    department = rows["部门整体自评得分"]
    assert department[5].value == 100 and department[6].value == "优"
    cover = example.html.split('<header class="jx-cover"', 1)[1].split("</header>", 1)[0]
    assert ">100分</span>" in cover and "<dd>优</dd>" in cover


def test_one_sheet_per_project_with_the_official_layout(example):
    workbook = openpyxl.load_workbook(example.out / "自评表.xlsx")
    project_sheets = [n for n in workbook.sheetnames if n not in {"汇总", "部门整体支出绩效自评表", "计分明细"}]
    assert len(project_sheets) == 13
    sheet = workbook[project_sheets[0]]
    values = [c.value for row in sheet.iter_rows() for c in row if c.value is not None]
    for label in ("项目名称", "主管部门", "实施单位", "年初预算数", "全年预算数", "全年执行数", "年度资金总额",
                  "当年财政拨款", "上年结转资金", "其他资金", "一级指标", "三级指标", "总分", "评价等级"):  # fmt: skip
        assert any(label in str(v) for v in values), label
    assert sheet.merged_cells.ranges, "the form merges its header cells"


def test_libreoffice_opens_the_workbook(example, tmp_path):
    """LibreOffice reads every sheet (merged cells, borders, print setup) and prints it to PDF."""
    soffice = tool("soffice")
    shutil.copy(example.out / "自评表.xlsx", tmp_path / "selfeval.xlsx")
    proc = subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                           str(tmp_path / "selfeval.xlsx")], capture_output=True, text=True, timeout=180)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    pdf = (tmp_path / "selfeval.pdf").read_bytes()
    pages = re.findall(rb"/Type\s*/Page(?!s)", pdf)
    assert pdf.startswith(b"%PDF") and len(pages) >= 16  # the summary, the department, 13 projects, details
    # every font is named 宋体 (charset GB2312): no fallback to a Latin serif face for unnamed fonts
    assert b"DejaVuSerif" not in pdf


def test_the_example_workbook_marks_its_illustrative_figures(example):
    """The example's per-project amounts and indicator tables are illustrative (DATALOG.md): every
    project sheet's amounts and scores are filled and noted; the summary explains the fill."""
    workbook = openpyxl.load_workbook(example.out / "自评表.xlsx")
    projects = [n for n in workbook.sheetnames if n not in {"汇总", "部门整体支出绩效自评表", "计分明细"}]
    for name in projects:
        sheet = workbook[name]
        assert sheet["F6"].fill.fgColor.rgb == "00FFF2CC" and sheet["F6"].comment is not None, name
        assert sheet.print_title_rows == "$1:$3" and sheet.oddFooter.center.text == "第 &P 页 共 &N 页"
        lines = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
        assert "填报单位：乐昌市民政局" in lines and "联系人：王某" in lines and "联系电话：0751-0000000" in lines
    summary = workbook["汇总"]
    legend = next(r for r in summary.iter_rows() if r[0].value == "示例数据")
    assert (
        legend[1].value
        == "底色如左者为示例数据：非公开发布的数字，由编制者补充，或由这样的数计算得出；各单元格附有批注说明。"
    )
    review = openpyxl.load_workbook(example.out / "自评表-review.xlsx")["汇总"]
    legend = next(r for r in review.iter_rows() if r[0].value == "示例数据")
    assert "来源（source）标为 illustrative 的输入行" in legend[1].value
    department = workbook["部门整体支出绩效自评表"]
    # 10408.34 spent of 10408.34; the 预算执行 indicators' weight and score are counted once, below
    assert [department.cell(5, c).value for c in (5, 6)] == [10408.34, 10408.34]
    assert department["G5"].value == "—" and department["I5"].value == "—"
    assert department["A8"].value == "年度总体目标"


def test_the_example_workbook_marks_the_supplied_signature_lines(example):
    """The 填报 lines come from the profile row, which is supplied (illustrative): its date, name and
    number are filled and noted as any illustrative figure, on the summary and under every form;
    填报单位 (a blank preparer: the unit's own name) is not."""
    from jixiao.render.xlsx import ILLUSTRATIVE_NOTE

    workbook = openpyxl.load_workbook(example.out / "自评表.xlsx")
    expected = {"填报单位：乐昌市民政局": False, "填报日期：2020年4月20日": True, "联系人：王某": True,
                "联系电话：0751-0000000": True}  # fmt: skip
    signed = [name for name in workbook.sheetnames if name != "计分明细"]
    assert len(signed) == 2 + 13  # the summary, the department's form, a form per evaluated project
    for name in signed:
        cells = [c for row in workbook[name].iter_rows() for c in row if c.value in expected]
        marked = {c.value: c.fill.fgColor.rgb == "00FFF2CC" and c.comment is not None for c in cells}
        assert len(cells) == 4 and marked == expected, name
        assert {c.comment.text for c in cells if c.comment} == {ILLUSTRATIVE_NOTE}, name


def test_the_example_workbook_is_reproducible(example, monkeypatch):
    """Building the workbook again from the same inputs gives the very bytes the build wrote."""
    import jixiao
    from jixiao.render.xlsx import selfeval_workbook_bytes

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    report = jixiao.open_report("lechang-mzj", 2019)
    again = selfeval_workbook_bytes(report.data, report.scores, report.unit_name)
    assert again == (example.out / "自评表.xlsx").read_bytes()


def test_the_department_goals_are_written_as_the_report_writes_them(example):
    sheet = openpyxl.load_workbook(example.out / "自评表.xlsx")["部门整体支出绩效自评表"]
    texts = [str(c.value) for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    achieved = next(t for t in texts if t.startswith("1. 完成："))
    assert "2. 完成：清退低保户223户、489人，追缴低保金4.1万元" in achieved
    assert "3. 完成：9个养老服务项目全面完工，新增日间照料养老床位180个" in achieved  # {a+b}: 7 + 2
    assert "{" not in achieved


def test_the_workbook_prints_as_the_official_form(example):
    """分值 whole (20, not 20.00); the department sheet adds up as printed (its execution is scored
    among its indicators only, not again in the funds block); names with Chinese quotes."""
    workbook = openpyxl.load_workbook(example.out / "自评表.xlsx")
    assert "“双百镇”社工" in workbook.sheetnames and '"双百镇"社工' not in workbook.sheetnames
    department = workbook["部门整体支出绩效自评表"]
    weights = [department.cell(r, 8) for r in range(11, 17)]
    assert [(c.value, c.number_format) for c in weights] == [(20, "0"), (10, "0"), (25, "0"), (15, "0"), (10, "0"),
                                                             (20, "0")]  # fmt: skip
    assert (department["A17"].value, department["H17"].value, department["I17"].value) == ("总分", 100, 100)
    printed = [department.cell(r, c).value for r in range(5, 8) for c in (7, 9)]
    assert all(v == "—" for v in printed)  # nothing in the funds block adds to the 100
    assert department["A19"].value == (
        "核对说明：\n1. 年度预算执行情况不另计分：其分值、得分为下表一级指标“预算执行”各项之和"
        "（分值30分，得分30分），已含在总分中"
    )
    project = workbook["特困供养"]
    assert [(project.cell(r, 8).value, project.cell(r, 8).number_format) for r in (13, 17, 18)] == [
        (20, "0"), (10, "0"), (100, "0")
    ]  # fmt: skip
    assert (project["G6"].value, project["G6"].number_format) == (10, "0")
    assert project["I18"].number_format == "0.00"  # scores keep their two decimals


def test_targets_in_one_cell_as_the_central_form_prints_them(tmp_path):
    """``selfeval_targets: combined``: 年度指标值 ≥650人 in one cell over 指标性质, 年度指标值 and
    度量单位, 实际完成值 653人; a 定性 indicator keeps its text. The default splits them."""
    import io

    import jixiao
    from jixiao.render.xlsx import selfeval_workbook_bytes

    report = jixiao.open_report("lechang-mzj", 2019)
    data = selfeval_workbook_bytes(report.data, report.scores, report.unit_name, "filing", True)
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook["特困供养"]
    assert [sheet.cell(12, c).value for c in range(1, 11)] == [
        "一级指标", "二级指标", "三级指标", "年度指标值", None, None, "实际完成值", "分值", "得分",
        "偏差原因分析及改进措施",
    ]  # fmt: skip
    assert [sheet.cell(13, c).value for c in (3, 4, 7, 8)] == ["农村散居特困供养人员走访人数", "≥650人", "653人", 20]
    assert {"D12:F12", "D13:F13", "D17:F17"} <= {str(r) for r in sheet.merged_cells.ranges}
    department = workbook["部门整体支出绩效自评表"]
    assert [department.cell(12, c).value for c in (4, 7)] == ["≤0%", "−7.31%"]
    assert [department.cell(15, c).value for c in (4, 7)] == ["党风廉政建设深入推进，政治生态风清气正", "达成"]
    split = openpyxl.load_workbook(io.BytesIO(selfeval_workbook_bytes(report.data, report.scores, report.unit_name)))
    assert [split["特困供养"].cell(13, c).value for c in (4, 5, 6, 7)] == ["≥", 650, "人", 653]
