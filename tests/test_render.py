"""The report's editions and formats (jixiao.render): report.pdf and report.docx read back as a
reader's tools read them (pypdf, python-docx), checked against the HTML page they come from."""

from __future__ import annotations

import csv
import io
import re
import zipfile

import openpyxl
import pytest

from conftest import REPO, UNIT, YEAR, build, run_jixiao
from jixiao import render
from jixiao.render import docx as render_docx
from jixiao.render import pdf as render_pdf

pypdf = pytest.importorskip("pypdf")
docx = pytest.importorskip("docx")

FORM_CAPTION = f"项目支出绩效自评表（{YEAR}年度）"


def evaluated_projects() -> list[str]:
    with open(REPO / f"data/{UNIT}/{YEAR}/projects.csv", encoding="utf-8-sig") as f:
        names = [row["project_name"] for row in csv.DictReader(f) if row["self_evaluated"] == "是"]
    return [re.sub(r'"([^"]*)"', r"“\1”", name) for name in names]  # the report's quotation marks


def page_headings(page: str, *, forms: bool) -> list[tuple[int, str]]:
    """The headings of the page's sections in order, at their outline levels (h2 = 1); with
    ``forms``, each 自评表's title (its summary) at level 3."""
    root = render.parse(page)
    main = root.find(".//main")
    tags = {"h1", "h2", "h3", "h4"} | ({"summary"} if forms else set())
    found = []
    for element in main.iter():
        if element.tag in tags:
            level = 3 if element.tag == "summary" else min(3, max(1, int(element.tag[1]) - 1))
            found.append((level, render.plain_text(element)))
    return found


@pytest.fixture(scope="module")
def pdf(example):
    return pypdf.PdfReader(example.out / "report.pdf")


@pytest.fixture(scope="module")
def pdf_text(pdf) -> list[str]:
    return [page.extract_text() for page in pdf.pages]


@pytest.fixture(scope="module")
def document(example):
    return docx.Document(example.out / "report.docx")


def test_a_build_makes_both_editions_in_every_format(example):
    names = sorted(p.name for p in example.out.iterdir() if p.is_file() and p.name not in {".build.lock", "build.json"})
    assert names == sorted(
        ["report.html", "report.pdf", "report.docx", "report-review.html", "report-review.pdf",
         "report-review.docx", "自评表.xlsx", "自评表-review.xlsx"]
    )  # fmt: skip
    stitch = [line for line in example.build.stdout.splitlines() if "拼接报告" in line]
    assert re.fullmatch(
        r"  拼接报告 \(stitch\) +\d+\.\d\ds  report\.html, report-review\.html, report\.pdf, report-review\.pdf, "
        r"report\.docx, report-review\.docx, 自评表\.xlsx, 自评表-review\.xlsx",
        stitch[0],
    )


def test_the_filing_edition_has_no_review_notes_no_tooltips_no_screen_hints(example, pdf_text, document):
    filing, review = example.filing_html, example.html
    assert "审核提示" in review and 'id="16-review"' in review
    assert "审核提示" not in filing and 'id="16-review"' not in filing
    assert ' title="' in review.split("<main>", 1)[1]
    assert ' title="' not in filing.split("<main>", 1)[1]  # no tooltips
    assert "将鼠标悬停在数字上" in review and "将鼠标悬停在数字上" not in filing
    assert not any("审核提示" in text for text in pdf_text)
    assert not any("审核提示" in p.text for p in document.paragraphs)
    review_pdf = pypdf.PdfReader(example.out / "report-review.pdf")
    assert any("审核提示" in page.extract_text() for page in review_pdf.pages)


CLOSING = ["乐昌市民政局", "2020年4月20日示", "联系人：王某示，联系电话：0751-0000000示"]
"""The filed report's last lines: its closing (编制单位, 报告日期, 联系人), from the profile."""


def test_the_filing_edition_ends_with_the_report_not_the_build_record(example, pdf, pdf_text, document):
    # 构建信息 (the jixiao version, its code's SHA-256, the packages, the notebooks) is the reviewer's
    # and build.json's: the filed report ends with its closing lines, in every format
    built = "本报告由 jixiao"
    assert built not in example.filing_html and "构建信息" not in example.filing_html
    assert 'class="jx-footer' not in example.filing_html
    pages = len(pdf.pages)
    last = pdf_text[-1].replace("\u2060", "").splitlines()  # the word joiner keeping 示 with its figure
    assert last[-4:] == [*CLOSING, f"第 {pages} 页 / 共 {pages} 页"]
    assert [p.text for p in document.paragraphs][-3:] == CLOSING
    right = docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT
    assert {p.paragraph_format.alignment for p in document.paragraphs[-3:]} == {right}  # as a letter ends
    assert not any(built in text or "构建信息" in text for text in pdf_text)
    assert not any("构建信息" in cell.text for table in document.tables for row in table.rows for cell in row.cells)
    # the review edition keeps it, in every format
    assert built in example.html and '<details class="jx-build-info" id="build-info">' in example.html
    review_pdf = pypdf.PdfReader(example.out / "report-review.pdf")
    assert "构建信息" in "".join(page.extract_text() for page in review_pdf.pages[-4:])
    review_docx = docx.Document(example.out / "report-review.docx")
    assert any(p.text.startswith(built) for p in review_docx.paragraphs)


def test_the_html_links_to_the_files_beside_it(example):
    links = re.search(r'<p class="jx-links">(.*?)</p>', example.filing_html).group(1)
    assert (
        links == '<a href="report.pdf">PDF 版</a><a href="report.docx">Word 版</a>'
        '<a href="%E8%87%AA%E8%AF%84%E8%A1%A8.xlsx">自评表（Excel）</a>'
    )
    review = re.search(r'<p class="jx-links">(.*?)</p>', example.html).group(1)
    assert 'href="report-review.pdf"' in review and 'href="report-review.docx"' in review
    assert review.endswith('<a href="%E8%87%AA%E8%AF%84%E8%A1%A8-review.xlsx">自评表（Excel）</a>')


def test_the_filed_workbook_holds_no_english_and_no_file_path(example):
    """The 自评表 a department files is in Chinese, with no file paths; the reviewer's names the
    input row of every score in its 计分明细."""
    filed = openpyxl.load_workbook(example.out / "自评表.xlsx")
    texts = [c.value for ws in filed.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    texts += [c.comment.text for ws in filed.worksheets for row in ws.iter_rows() for c in row if c.comment]
    assert [t for t in texts if re.search(r"[A-Za-z]|\.csv|data/", t)] == []
    detail = filed["计分明细"]
    assert detail["A1"].value == "计分明细（每项得分的规则）" and detail.max_column == 13
    review = openpyxl.load_workbook(example.out / "自评表-review.xlsx")
    detail = review["计分明细"]
    assert detail["A1"].value == "计分明细（每项得分的规则与数据来源）" and detail["N2"].value == "数据来源"
    assert detail["N3"].value == "data/lechang-mzj/2019/projects.csv第 2 行"
    assert filed.sheetnames == review.sheetnames


# -- PDF ------------------------------------------------------------------------------------------


def test_pdf_has_every_form_in_full(pdf_text):
    projects = evaluated_projects()
    assert len(projects) == 13
    pages = [text for text in pdf_text if FORM_CAPTION in text]
    assert len(pages) == 13  # each form on a page of its own, none folded away
    for name, text in zip(projects, pages, strict=True):
        assert f"项目名称 {name}" in text, name
        cells = re.sub(r"\s", "", text)  # narrow cells wrap their text
        assert "一级指标" in cells and "偏差原因分析及改进措施" in cells and "总分" in cells


def test_pdf_numbers_every_page(pdf_text):
    total = len(pdf_text)
    assert total > 20
    for number, text in enumerate(pdf_text, start=1):
        assert text.rstrip().endswith(f"第 {number} 页 / 共 {total} 页"), number


def test_pdf_bookmarks_mirror_the_headings(pdf, example):
    outline = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                outline.append((level, item.title, pdf.get_destination_page_number(item) + 1))

    walk(pdf.outline, 1)
    expected = [(1, "目录"), *page_headings(example.filing_html, forms=True)]
    assert [(level, title) for level, title, _ in outline] == expected
    forms = [title for level, title, _ in outline if level == 3]
    assert forms[0] == "特困供养"
    pages = [page for _, _, page in outline]
    assert pages == sorted(pages)


def test_pdf_contents_give_each_sections_page(pdf, pdf_text):
    first = pdf_text[0] + "\n" + pdf_text[1]  # the 目录 may run on to page 2
    assert "目录" in pdf_text[0]
    starts = {}

    def walk(items):
        for item in items:
            if not isinstance(item, list):
                starts.setdefault(item.title, pdf.get_destination_page_number(item) + 1)

    walk(pdf.outline)
    for title in ("一、总体情况", "八、项目支出绩效自评", "十、存在问题和改进措施"):
        match = re.search(rf"^{re.escape(title)} \.+ +(\d+)$", first, re.M)
        assert match, title
        assert int(match.group(1)) == starts[title]


def test_pdf_embeds_its_fonts_as_subsets_never_type3(pdf):
    fonts = {}
    for page in pdf.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[font["/BaseFont"]] = font
    assert fonts
    for name, font in fonts.items():
        assert font["/Subtype"] == "/Type0", name  # not /Type3
        assert re.fullmatch(r"/[A-Z]{6}\+.+", name), name  # a subset
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, name  # embedded
    faces = sorted(name.split("+", 1)[1] for name in fonts)
    assert faces == ["NotoSerifCJKsc-Regular-Identity-H", "SimHei"]  # the body face, the headings' (黑体)


def test_pdf_properties_and_page_size(pdf):
    assert pdf.metadata.title == f"乐昌市民政局{YEAR}年绩效自评报告"
    assert pdf.metadata.author == "乐昌市民政局"  # the profile names no preparer
    assert pdf.metadata["/CreationDate"] == "D:20200420000000Z"  # the profile's report date
    box = pdf.pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (210, 297)


# -- DOCX -----------------------------------------------------------------------------------------


def test_docx_headings_are_word_headings_in_order(document, example):
    headings = [
        (int(p.style.name.split()[-1]), p.text) for p in document.paragraphs if p.style.name.startswith("Heading")
    ]
    assert headings == page_headings(example.filing_html, forms=False)
    assert headings[0] == (1, "一、总体情况")
    title = [p.text for p in document.paragraphs if p.style.name == "Title"]
    assert title == [f"乐昌市民政局{YEAR}年绩效自评报告"]


def test_docx_has_a_toc_field_and_page_number_fields(document):
    body = document.element.body.xml
    assert 'TOC \\o "1-3" \\h \\z \\u' in body
    footer = document.sections[0].footer._element.xml
    assert " PAGE " in footer and " NUMPAGES " in footer
    assert "".join(t.text for t in document.sections[0].footer.paragraphs).startswith("第 1 页 / 共 1 页")


def test_docx_forms_are_word_tables_with_merged_cells(document):
    projects = evaluated_projects()
    forms = [t for t in document.tables if t.cell(0, 0).text == "项目名称" and t.cell(1, 0).text == "主管部门"]
    assert [t.cell(0, 2).text for t in forms] == projects
    for table in forms:
        assert table.cell(0, 0)._tc is table.cell(0, 1)._tc  # 项目名称 spans two columns
        assert table.cell(0, 2)._tc is table.cell(0, 9)._tc  # the name spans eight
        # 项目资金（万元） spans five rows and two columns
        assert [table.cell(row, 0).text for row in range(2, 7)] == ["项目资金（万元）"] * 5
        assert table.cell(2, 0)._tc is table.cell(2, 1)._tc
        assert table.rows[0]._tr.trPr.xml.count("cantSplit") == 1
    headed = [t for t in document.tables if t._tbl.tr_lst[0].trPr.xml.count("tblHeader")]
    assert len(headed) >= 5  # the report's tables with a header row repeat it on each page


def test_docx_charts_are_inline_pictures_and_nothing_floats(document, example):
    images = example.filing_html.count('src="data:image/png;base64,')
    assert images > 10
    assert len(document.inline_shapes) == images
    xml = document.element.body.xml
    assert "<wp:anchor" not in xml and "txbxContent" not in xml  # no floating shapes, no text boxes
    assert all(shape.width <= docx.shared.Mm(156) for shape in document.inline_shapes)


def test_docx_marks_illustrative_figures_as_text(document):
    marks = [r for p in document.paragraphs for r in p.runs if r.text == "示" and r.font.superscript]
    assert len(marks) > 20


def test_docx_faces_and_properties(document, example):
    def east_asia(style):
        return style.element.rPr.rFonts.get(docx.oxml.ns.qn("w:eastAsia"))

    styles = document.styles
    assert [east_asia(styles[n]) for n in ("Normal", "Heading 1", "Heading 2", "Heading 3")] == [
        "仿宋", "黑体", "楷体", "仿宋"
    ]  # fmt: skip
    assert styles["Normal"].font.size.pt == 16
    with zipfile.ZipFile(example.out / "report.docx") as package:
        fonts = package.read("word/fontTable.xml").decode()
        stamps = {info.date_time for info in package.infolist()}
    assert '<w:font w:name="仿宋"><w:altName w:val="FangSong,仿宋_GB2312"/>' in fonts
    assert stamps == {(2020, 4, 20, 0, 0, 0)}  # the profile's report date
    properties = document.core_properties
    assert (properties.title, properties.author) == (f"乐昌市民政局{YEAR}年绩效自评报告", "乐昌市民政局")
    assert properties.created.isoformat().startswith("2020-04-20T00:00:00")
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.top_margin.mm), round(section.left_margin.mm)) == (210, 37, 28)


# -- the same bytes from the same page ------------------------------------------------------------


def test_pdf_and_docx_are_reproducible(example):
    """Rendering the filing page again gives the build's files byte for byte."""
    page = example.filing_html
    meta = render.Metadata(
        f"乐昌市民政局{YEAR}年绩效自评报告", "乐昌市民政局", "2020-04-20T00:00:00Z"
    )  # the report date
    assert render_docx.render(page, meta) == (example.out / "report.docx").read_bytes()
    assert render_pdf.render(page, meta) == (example.out / "report.pdf").read_bytes()


def test_document_time_comes_from_source_date_epoch_else_the_report_date(monkeypatch):
    from datetime import datetime

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert render.document_time(2019) == datetime(2020, 1, 1)
    assert render.document_time(2019, "2020-4-20") == datetime(2020, 4, 20)
    assert render.document_time(2019, "2020年4月") == datetime(2020, 1, 1)  # not a day: the year's end
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600000000")
    assert render.document_time(2019, "2020-4-20") == datetime(2020, 9, 13, 12, 26, 40)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "")  # empty: as if unset (reproducible builds' rule)
    assert render.document_time(2019, "2020-4-20") == datetime(2020, 4, 20)
    # not a number of seconds: refused, never silently another date (tests/test_environment.py)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(ValueError, match="SOURCE_DATE_EPOCH='yesterday' 无效"):
        render.document_time(2019, "2020-4-20")


# -- annex, editions and formats chosen -----------------------------------------------------------


def test_forms_move_to_an_annex_when_the_settings_say_so(example):
    page = render.edition_page(example.filing_html, "filing", annex=True)
    root = render.parse(page)
    annex = root.get_element_by_id(render.ANNEX_ID)
    assert annex.getparent().tag == "main" and annex is root.find(".//main")[-1]
    assert annex.find("h2").text == "附件：项目支出绩效自评表"
    forms = render.by_class(annex, "jx-selfeval")
    assert [render.text_of(f.find(".//table//td")) for f in forms] == evaluated_projects()
    assert all(f.get("open") == "" for f in forms)
    assert render.by_class(root.find(".//main"), "jx-selfeval") == forms  # none left behind
    assert "各项目的项目支出绩效自评表见附件。" in page
    toc = [render.text_of(a) for a in root.find(".//nav").iter("a")]
    assert toc[-1] == "附件：项目支出绩效自评表"


def test_a_rebuild_with_nothing_changed_renders_nothing(built_copy):
    out = built_copy / "outputs" / UNIT / str(YEAR)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    result = run_jixiao(built_copy, "build", "--unit", UNIT, "--year", str(YEAR))  # every edition and format
    assert result.returncode == 0, result.stdout + result.stderr
    assert "  拼接报告 (stitch)       未变 (unchanged)" in result.stdout.splitlines()
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


def test_edition_and_format_flags_make_only_what_they_name(built_copy):
    out = built_copy / "outputs" / UNIT / str(YEAR)
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.is_file()}
    (out / "report.docx").unlink()
    result = build(built_copy, "--edition", "filing", "--format", "docx")
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^  拼接报告 \(stitch\) +\d+\.\d\ds  report\.docx$", result.stdout, re.M)
    after = {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.is_file()}
    assert {n for n in after if after[n] != before.get(n)} == {
        "report.docx",
        "build.json",
    }  # build.json records every output's hash
    assert result.stdout.splitlines()[-1].startswith(f"报告 (report): outputs/{UNIT}/{YEAR}/report.docx  ")
    again = build(built_copy, "--edition", "filing", "--format", "docx")
    assert "  拼接报告 (stitch)       未变 (unchanged)" in again.stdout.splitlines()


def test_settings_choose_editions_and_formats(built_copy, monkeypatch):
    from jixiao.inputs import settings

    monkeypatch.setenv("JIXIAO_ROOT", str(built_copy))
    unit = built_copy / "params" / UNIT / "unit.yaml"
    text = unit.read_text(encoding="utf-8")
    unit.write_text(text + "editions: [review]\nformats: [pdf, html]\nselfeval_forms: annex\n", encoding="utf-8")
    loaded = settings.load(UNIT, YEAR)
    assert (loaded.editions, loaded.formats, loaded.forms_in_annex) == (("review",), ("html", "pdf"), True)
    unit.write_text(text + "formats: [html, pfd]\n", encoding="utf-8")
    with pytest.raises(settings.SettingsError) as error:
        settings.load(UNIT, YEAR)
    assert str(error.value) == f"params/{UNIT}/unit.yaml: 'formats' 的值 'pfd' 不可用; 可用: html, pdf, docx, xlsx"
    unit.write_text(text + "editions: filing\n", encoding="utf-8")
    with pytest.raises(settings.SettingsError) as error:
        settings.load(UNIT, YEAR)
    assert str(error.value) == (
        f"params/{UNIT}/unit.yaml: 'editions' 应为非空列表 (a non-empty list), 可用: filing, review; 实为 'filing'"
    )
    unit.write_text(text + "selfeval_targets: combined\n", encoding="utf-8")
    assert settings.load(UNIT, YEAR).targets_in_one_cell
    assert not loaded.targets_in_one_cell  # the default: split, as before
    unit.write_text(text + "selfeval_targets: one\n", encoding="utf-8")
    with pytest.raises(settings.SettingsError) as error:
        settings.load(UNIT, YEAR)
    assert str(error.value) == f"params/{UNIT}/unit.yaml: 'selfeval_targets' 的值 'one' 不可用; 可用: split, combined"


def test_docx_tables_keep_the_html_grid():
    page = (
        "<html><body><main><table class='jx-table'><thead><tr><th rowspan='2'>a</th><th colspan='2'>b</th></tr>"
        "<tr><th>c</th><th>d</th></tr></thead><tbody><tr><td>1</td><td colspan='2'>2</td></tr></tbody></table>"
        "</main></body></html>"
    )
    meta = render.Metadata("t", "a", "2020-01-01T00:00:00Z")
    table = docx.Document(io.BytesIO(render_docx.render(page, meta))).tables[0]
    assert [[table.cell(r, c).text for c in range(3)] for r in range(3)] == [
        ["a", "b", "b"], ["a", "c", "d"], ["1", "2", "2"]
    ]  # fmt: skip
    assert [row._tr.trPr.xml.count("tblHeader") for row in table.rows] == [1, 1, 0]


def test_pdf_contents_link_to_a_section_without_a_heading():
    page = (
        "<html><body><nav class='jx-toc'><h2>目录</h2><ol><li><a href='#a'>一、甲</a></li>"
        "<li><a href='#b'>二、乙</a></li></ol></nav><main><section id='a'><h2>一、甲</h2><p>正文</p></section>"
        "<section id='b'><p>无标题的一节</p></section></main></body></html>"
    )
    meta = render.Metadata("t", "a", "2020-01-01T00:00:00Z")
    reader = pypdf.PdfReader(io.BytesIO(render_pdf.render(page, meta)))
    text = reader.pages[0].extract_text()
    assert re.search(r"^一、甲 \.+ +2$", text, re.M) and re.search(r"^二、乙 \.+ +2$", text, re.M)


def _column_chars(table) -> tuple[list[tuple[object, int]], list[float]]:
    """A table's single-column cells with their column, and each column's width in characters of
    the table's text (五号 on the text width), as the paged formats lay it out."""
    from jixiao.render import page

    placed, width = page.grid(page.table_rows(table))
    shares = page.column_shares(placed, width, form=False)
    room = page.TEXT_WIDTH_MM / (10.5 * page.PT_MM)
    return [(cell, column) for cell, _, column, _, span in placed if span == 1], [
        share * room / sum(shares) for share in shares
    ]


def test_paged_tables_keep_short_labels_and_numbers_on_one_line(example):
    """No column of the example's tables is so narrow that it breaks a label of up to four
    characters (预算执行, not 预算执/行), a label of up to eight where the page has room
    (政府性基金预算), or a number; a header breaks at most in its middle (一级/指标)."""
    from jixiao.render import page

    root = page.parse(example.filing_html)
    checked = 0
    for table in root.iter("table"):
        if page.has_class(table, "jx-selfeval-form"):
            continue
        cells, chars = _column_chars(table)
        for cell, column in cells:
            text = page.plain_text(cell).replace("\u2060", "")
            inner = chars[column] - 0.6  # the cell's inset, 3 pt a side
            if cell.tag == "td" and re.fullmatch(r"[\u4e00-\u9fff]{1,4}", text):
                assert inner >= len(text), (page.text_of(table.find("caption")), text, round(inner, 2))
                checked += 1
            if re.fullmatch(r"-?[\d.,%]+", text):
                assert inner >= 0.55 * len(text), (text, round(inner, 2))
            if cell.tag == "th" and re.fullmatch(r"[\u4e00-\u9fff]{4,8}", text):
                assert inner >= (len(text) + 1) // 2, (text, round(inner, 2))
    assert checked > 50
    results = next(t for t in root.iter("table") if "项目支出绩效自评结果" in page.text_of(t.find("caption")))
    cells, chars = _column_chars(results)
    assert chars[1] - 0.6 >= len("政府性基金预算")  # 资金来源 whole


def test_a_tall_chart_is_drawn_smaller_rather_than_leave_a_page_empty(pdf_text):
    """The chart of the 13 projects (654 px tall) is capped at 135 mm: it follows the end of the
    projects' table on the same page instead of leaving most of that page blank."""
    page = next(text for text in pdf_text if "2019年自评项目全年预算数与执行数" in text)
    assert "得分为预算执行率得分与各三级指标得分之和" in page and "殡葬改革" in page


def test_the_report_numbers_its_tables_and_figures_through(example):
    """表1…表N and 图1…图N in the order of the page, whatever section wrote them; no caption
    stacks brackets; the 自评表 keep their official titles."""
    from jixiao.render import page

    root = page.parse(example.html)
    tables = [page.text_of(c) for c in root.iter("caption") if not page.has_class(c.getparent(), "jx-selfeval-form")]
    figures = [page.text_of(c) for c in root.iter("figcaption")]
    assert [t.split(" ")[0] for t in tables] == [f"表{i}" for i in range(1, 14)]
    assert [f.split(" ")[0] for f in figures] == [f"图{i}" for i in range(1, 20)]
    assert tables[1] == "表2 部门整体支出绩效自评表（评价等级：优）"
    assert figures[2] == "图3 社会救助人次（按救助类别；2018年含示例数据，非公开发布数）"
    assert figures[18] == "图19 2019年自评项目全年预算数与执行数（含示例数据，非公开发布数）"
    assert not any(re.search(r"）（", text) for text in tables + figures)
    forms = [page.text_of(c) for c in root.iter("caption") if page.has_class(c.getparent(), "jx-selfeval-form")]
    assert forms == ["项目支出绩效自评表（2019年度）"] * 13
    filing = page.parse(example.filing_html)
    assert [page.text_of(c).split(" ")[0] for c in filing.iter("figcaption")] == [f"图{i}" for i in range(1, 20)]


def test_a_number_a_section_wrote_itself_is_replaced_not_doubled():
    from jixiao.render.html import CaptionNumbers

    numbers = CaptionNumbers()
    body = (
        '<table class="jx-table">\n<caption>表3：收入</caption></table><figure><figcaption>图（一）-2 支出</figcaption>'
        '</figure><figure><figcaption>图1</figcaption></figure><table class="jx-table">\n<caption>表彰情况</caption>'
    )
    assert re.findall(r"<(?:fig)?caption>(.*?)</(?:fig)?caption>", numbers(body)) == [
        "表1 收入", "图1 支出", "图2 ", "表2 表彰情况"
    ]  # fmt: skip
