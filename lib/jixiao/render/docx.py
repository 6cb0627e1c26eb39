"""``report.docx``: the edition's page as a Word document a department can edit (Word, WPS).

Made by walking the same HTML the other formats are (the report's sections use a small, known set
of tags: h1–h4, p, ul/ol/li, table with colspan/rowspan, figure/img with data URIs, span.jx-fig,
details/summary, div), so no section is written twice:

- headings are Word's built-in 标题 1/2/3 (Heading 1/2/3: the navigation pane and the TOC field
  work), after a 目录 that is a real TOC field (Word and WPS update it; it is filled beforehand
  with the headings, so that a program that does not update fields shows them too);
- text in the manner of a 公文: body 仿宋 3号, 标题 1 黑体, 标题 2 楷体, the East Asian faces set
  as such (``w:eastAsia``) and listed in the font table with their usual alternative names;
- tables are Word tables, merged cells where the HTML spans rows or columns (the 自评表), header
  rows repeated on each page, rows never split;
- charts are inline pictures, the 示 marker a superscript character, page numbers fields in the
  footer; no text boxes, no floating shapes;
- the bytes are reproducible: fixed document dates and zip entry times.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape

from jixiao.render.editions import SCREEN_ONLY
from jixiao.render.page import (
    SPACE,
    TEXT_WIDTH_MM,
    by_class,
    column_shares,
    drop,
    grid,
    has_class,
    heading_level,
    parse,
    right_aligned,
    table_rows,
    text_of,
)
from jixiao.render.page import classes as render_classes
from jixiao.render.properties import Metadata, restamp_zip

BODY_PT = 16  # 3号
TABLE_PT = 10.5  # 五号
FORM_PT = 9  # 小五
# East Asian faces named in the styles, and their alternative names in the font table (Word
# substitutes by them when the first is missing; WPS and LibreOffice match them as well)
FACES = {
    "仿宋": ("FangSong", "仿宋_GB2312"),
    "黑体": ("SimHei",),
    "楷体": ("KaiTi", "楷体_GB2312"),
    "宋体": ("SimSun",),
}
LATIN = "Times New Roman"


def _set_fonts(style_or_run: Any, east_asia: str, size: float | None = None, *, bold: bool | None = None) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    font = style_or_run.font
    font.name = LATIN
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    font.color.rgb = RGBColor(0, 0, 0)
    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:ascii"), LATIN)
    fonts.set(qn("w:hAnsi"), LATIN)


class Writer:
    """Walks an edition's page and writes the document."""

    def __init__(self, metadata: Metadata) -> None:
        import docx

        self.metadata = metadata
        self.document = docx.Document()
        self.headings: list[tuple[int, str]] = []
        self.last_style = ""
        self._styles()
        self._page()
        self.style_ids = {style.name: style.style_id for style in self.document.styles}
        self.table_style = self.style_ids["Table Grid"]
        self._end = self.document.element.body.sectPr  # the body's last child: content goes before it

    def _append(self, element: Any) -> None:
        self._end.addprevious(element)

    # -- set-up ---------------------------------------------------------------------------------

    def _styles(self) -> None:
        from docx.enum.style import WD_STYLE_TYPE
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        styles = self.document.styles
        normal = styles["Normal"]
        _set_fonts(normal, "仿宋", BODY_PT)
        fmt = normal.paragraph_format
        fmt.line_spacing = Pt(28.9)  # 22 lines in the 225 mm text block
        fmt.space_after = Pt(0)
        fmt.first_line_indent = Pt(BODY_PT * 2)  # two characters
        fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        for level, face in ((1, "黑体"), (2, "楷体"), (3, "仿宋")):
            style = styles[f"Heading {level}"]
            _set_fonts(style, face, BODY_PT, bold=level == 3)
            style.font.italic = False
            fmt = style.paragraph_format
            fmt.first_line_indent = Pt(BODY_PT * 2)
            fmt.space_before, fmt.space_after = Pt(6 if level > 1 else 12), Pt(3)
            fmt.line_spacing = Pt(28.9)
            fmt.keep_with_next = True
            fmt.alignment = WD_ALIGN_PARAGRAPH.LEFT
        title = styles["Title"]
        _set_fonts(title, "宋体", 22, bold=True)
        title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        title.paragraph_format.first_line_indent = Pt(0)
        title.paragraph_format.space_after = Pt(18)
        title.element.get_or_add_pPr().remove_all("w:pBdr")  # the default template underlines it
        caption = styles["Caption"]
        _set_fonts(caption, "黑体", TABLE_PT, bold=False)
        caption.font.italic = False
        caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        caption.paragraph_format.first_line_indent = Pt(0)
        caption.paragraph_format.keep_with_next = True
        caption.paragraph_format.space_before, caption.paragraph_format.space_after = Pt(6), Pt(3)
        caption.paragraph_format.line_spacing = 1.0

        def paragraph_style(name: str, face: str, size: float, **kw: Any) -> Any:
            exists = any(s.name == name for s in styles)
            style = styles[name] if exists else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = normal
            _set_fonts(style, face, size, bold=kw.get("bold"))
            style.paragraph_format.first_line_indent = Pt(kw.get("indent", 0))
            style.paragraph_format.line_spacing = kw.get("line", 1.0)
            style.paragraph_format.alignment = kw.get("align", WD_ALIGN_PARAGRAPH.LEFT)
            style.paragraph_format.space_after = Pt(kw.get("after", 0))
            return style

        paragraph_style("Table Text", "仿宋", TABLE_PT)
        paragraph_style("Form Text", "仿宋", FORM_PT)
        paragraph_style("Form Title", "黑体", 12, after=3).paragraph_format.keep_with_next = True
        paragraph_style("Note", "仿宋", 12, line=Pt(20), after=6).paragraph_format.left_indent = Pt(12)
        paragraph_style("Figure Caption", "黑体", TABLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER, after=6)
        picture = paragraph_style("Picture", "仿宋", BODY_PT, align=WD_ALIGN_PARAGRAPH.CENTER)
        picture.paragraph_format.keep_with_next = True
        paragraph_style("Cover", "仿宋", BODY_PT, line=Pt(28.9), align=WD_ALIGN_PARAGRAPH.CENTER)
        paragraph_style("TOC Heading", "黑体", BODY_PT, line=Pt(28.9), align=WD_ALIGN_PARAGRAPH.CENTER, after=6)
        for level in (1, 2):
            toc = paragraph_style(f"toc {level}", "仿宋", 14, line=Pt(24))
            toc.paragraph_format.left_indent = Pt(14 * 2 * (level - 1))
        self._font_table()

    def _font_table(self) -> None:
        """The 公文 faces in the font table, each with its alternative names (the fallbacks)."""
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls

        part = self.document.part.part_related_by(RT.FONT_TABLE)
        fonts = parse_xml(part.blob)
        for name, alternatives in FACES.items():
            xml = (
                f'<w:font {nsdecls("w")} w:name="{name}"><w:altName w:val="{",".join(alternatives)}"/>'
                '<w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>'
            )
            fonts.append(parse_xml(xml))
        from lxml import etree

        part._blob = etree.tostring(fonts, xml_declaration=True, encoding="UTF-8", standalone=True)

    def _page(self) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Mm, Pt

        section = self.document.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        section.footer_distance = Mm(20)
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer.paragraph_format.first_line_indent = Pt(0)
        for part in ("第 ", "PAGE", " 页 / 共 ", "NUMPAGES", " 页"):
            if part.isupper():
                self._field(footer, part, "1")
            else:
                run = footer.add_run(part)
                _set_fonts(run, "宋体", 10.5)

    def _field(self, paragraph: Any, instruction: str, shown: str) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        def char(kind: str) -> None:
            run = paragraph.add_run()
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
            run._r.append(element)

        char("begin")
        run = paragraph.add_run()
        instr = OxmlElement("w:instrText")
        instr.set(qn("xml:space"), "preserve")
        instr.text = f" {instruction} "
        run._r.append(instr)
        char("separate")
        _set_fonts(paragraph.add_run(shown), "宋体", 10.5)
        char("end")

    # -- the page -------------------------------------------------------------------------------

    def write(self, root: Any) -> None:
        drop(by_class(root, SCREEN_ONLY))
        drop(by_class(root, "anchor-link"))
        drop(by_class(root, "jx-links"))
        body = root.find("body")
        main = body.find(".//main")
        self.headings = [(heading_level(h.tag), text_of(h)) for h in main.iter("h1", "h2", "h3", "h4") if text_of(h)]
        cover = body.find(".//header")
        if cover is not None:
            self.cover(cover)
        self.contents()
        self.blocks(main)
        footer = body.find(".//footer")
        if footer is not None:
            self.blocks(footer, style="Note")

    def cover(self, header: Any) -> None:
        title = header.find(".//h1")
        kicker = [p for p in header.iter("p") if has_class(p, "jx-cover-kicker")]
        if kicker:
            self.paragraph("Cover", [Run(text_of(kicker[0]))])
        self.paragraph("Title", [Run(text_of(title) if title is not None else self.metadata.title)])
        for fact in header.iter("div"):
            term, value = fact.find("dt"), fact.find("dd")
            if term is not None and value is not None:
                self.paragraph("Cover", [Run(f"{text_of(term)}："), *self.inline(value)])
        self.paragraph("Cover", [Run(PAGE_BREAK)])

    def contents(self) -> None:
        """目录: a TOC field over 标题 1–3, filled beforehand with the headings of levels 1–2;
        Word refreshes it (with page numbers) on opening the file."""
        from docx.oxml import OxmlElement, parse_xml
        from docx.oxml.ns import qn

        self.paragraph("TOC Heading", [Run("目录")])
        entries = [(level, text) for level, text in self.headings if level <= 2] or [(1, "")]
        begin = (
            '<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
            '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-3" \\h \\z \\u </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        )
        for number, (level, text) in enumerate(entries):
            xml = self.paragraph_xml(f"toc {level}", [Run(text)])
            if number == 0:
                xml = xml.replace("</w:pPr>", "</w:pPr>" + begin, 1)
            if number == len(entries) - 1:
                xml = xml.replace("</w:p>", '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')
            self._append(parse_xml(xml))
        self.paragraph("Cover", [Run(PAGE_BREAK)])
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        self.document.settings.element.append(update)

    def blocks(self, element: Any, style: str | None = None) -> None:
        """Block-level content: each child of ``element`` as paragraphs, tables or pictures."""
        self.text_paragraph(element.text, style)
        for child in element:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag in {"h1", "h2", "h3", "h4"}:
                self.paragraph(f"Heading {heading_level(tag)}", [Run(text_of(child))])
            elif tag == "p":
                kind = style or ("Note" if has_class(child, "jx-hint") else "Normal")
                self.paragraph(kind, self.inline(child), align="right" if right_aligned(child, element) else None)
            elif tag in {"ul", "ol"}:
                for number, item in enumerate(child.findall("li"), start=1):
                    self.paragraph(style or "Normal", [Run(f"{number}. " if tag == "ol" else "• "), *self.inline(item)])
            elif tag == "table":
                self.table(child)
            elif tag == "img":
                self.picture(child)
            elif tag == "figure":
                for image in child.iter("img"):
                    self.picture(image)
                caption = child.find("figcaption")
                if caption is not None:
                    self.paragraph("Figure Caption", [Run(text_of(caption))])
            elif tag == "details":
                summary = child.find("summary")
                if summary is not None:  # each form opens a page (with its heading right before it)
                    if self.last_style.startswith("Heading"):
                        from docx.oxml import OxmlElement

                        heading = self._end.getprevious().pPr
                        heading.insert(1, OxmlElement("w:pageBreakBefore"))
                    first = self.last_style.startswith("Heading")
                    self.paragraph("Form Title", self.inline(summary), keep="" if first else "<w:pageBreakBefore/>")
                self.blocks(child, style)
            elif tag in {"summary", "style", "script", "nav", "colgroup"}:
                pass
            elif tag:
                note = has_class(child, "jx-note") or has_class(child, "jx-warning")
                self.blocks(child, "Note" if note else style)
            self.text_paragraph(child.tail, style)

    def text_paragraph(self, text: str | None, style: str | None) -> None:
        text = SPACE.sub(" ", text or "").strip()
        if text:
            self.paragraph(style or "Normal", [Run(text)])

    def paragraph(self, style: str, runs: list[Run], align: str | None = None, keep: str = "") -> None:
        """Append a paragraph of ``style`` made of ``runs``."""
        from docx.oxml import parse_xml

        self._append(parse_xml(self.paragraph_xml(style, runs, align, keep)))
        self.last_style = style

    def paragraph_xml(self, style: str, runs: list[Run], align: str | None = None, keep: str = "") -> str:
        """``keep``: ``<w:keepNext/>`` or ``<w:pageBreakBefore/>`` (they come before the alignment)."""
        jc = f'<w:jc w:val="{align}"/>' if align else ""
        content = "".join(run.xml() for run in runs)
        return f'<w:p {W}><w:pPr><w:pStyle w:val="{self.style_ids[style]}"/>{keep}{jc}</w:pPr>{content}</w:p>'

    def inline(self, element: Any, *, bold: bool = False, sup: bool = False, face: str = "") -> list[Run]:
        """The text of ``element`` as runs: bold, superscripts, the 示 marker of illustrative
        figures; white space collapsed as a browser does."""
        runs: list[Run] = []

        def add(text: str | None, bold: bool, sup: bool) -> None:
            text = SPACE.sub(" ", text or "")
            if not runs:
                text = text.lstrip()
            if text:
                runs.append(Run(text, bold=bold, sup=sup, face=face))

        def walk(element: Any, bold: bool, sup: bool) -> None:
            add(element.text, bold, sup)
            for child in element:
                tag = child.tag if isinstance(child.tag, str) else ""
                if tag == "br" or (tag in {"p", "div"} and runs):
                    runs.append(Run(BREAK))
                if has_class(child, "jx-mark"):  # the 示 marker of an illustrative figure
                    runs.append(Run(text_of(child), sup=True, color="8A5A00"))
                elif tag and tag != "br":
                    walk(child, bold or tag in {"strong", "b"}, sup or tag == "sup" or has_class(child, "jx-flag"))
                add(child.tail, bold, sup)

        walk(element, bold, sup)
        if runs and runs[-1].text != BREAK:
            runs[-1].text = runs[-1].text.rstrip()
        return runs

    def picture(self, image: Any) -> None:
        from docx.shared import Mm

        source = image.get("src", "")
        if not source.startswith("data:") or ";base64," not in source:
            return
        data = base64.b64decode(source.split(";base64,", 1)[1])
        paragraph = self.document.add_paragraph()  # styled by id: looking a style up by name costs a scan
        paragraph._p.style = self.style_ids["Picture"]
        shape = paragraph.add_run().add_picture(io.BytesIO(data))
        if shape.width > Mm(TEXT_WIDTH_MM):
            ratio = Mm(TEXT_WIDTH_MM) / shape.width
            shape.width, shape.height = Mm(TEXT_WIDTH_MM), int(shape.height * ratio)
        alt = image.get("alt")
        if alt:
            shape._inline.docPr.set("descr", alt)

    def table(self, element: Any) -> None:
        """A Word table with the HTML table's merged cells (gridSpan, vMerge); header rows repeat
        on each page, no row splits across pages. Written as WordprocessingML directly: building
        it cell by cell through python-docx's API costs seconds for the 13 forms."""
        from docx.oxml import parse_xml

        caption = element.find("caption")
        if caption is not None:
            self.paragraph("Caption", [Run(text_of(caption))])
        rows = table_rows(element)
        if not rows:
            return
        placed, width = grid(rows)
        form = has_class(element, "jx-selfeval-form")
        style = "Form Text" if form else "Table Text"
        starts = {(row, column): (cell, rowspan, colspan) for cell, row, column, rowspan, colspan in placed}
        covered = {}  # (row, column) of a cell continuing a rowspan -> its colspan
        for _, row, column, rowspan, colspan in placed:
            for r in range(row + 1, row + rowspan):
                covered[(r, column)] = colspan
        widths = _column_widths(placed, width, form)
        parts = [
            f'<w:tbl {W}><w:tblPr><w:tblStyle w:val="{self.table_style}"/><w:tblW w:w="5000" w:type="pct"/>'
            '<w:jc w:val="center"/><w:tblLayout w:type="fixed"/>'
            '<w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>'
            '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
            'w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>',
            *(f'<w:gridCol w:w="{w}"/>' for w in widths),
            "</w:tblGrid>",
        ]
        for number, (_, header) in enumerate(rows):
            parts.append("<w:tr><w:trPr><w:cantSplit/>" + ("<w:tblHeader/>" if header else "") + "</w:trPr>")
            column = 0
            while column < width:
                span_width = 1
                if (number, column) in starts:
                    cell, rowspan, colspan = starts[(number, column)]
                    merge = "restart" if rowspan > 1 else None
                    keep = form and number < len(rows) - 1  # a form holds together on its page
                    cell_widths = widths[column : column + colspan]
                    parts.append(self.cell_xml(cell, style, form, colspan, merge, cell_widths, keep))
                    span_width = colspan
                elif (number, column) in covered:
                    span_width = covered[(number, column)]
                    parts.append(_empty_cell(span_width, "continue", widths[column : column + span_width]))
                else:
                    parts.append(_empty_cell(1, None, widths[column : column + 1]))
                column += span_width
            parts.append("</w:tr>")
        parts.append("</w:tbl>")
        self._append(parse_xml("".join(parts)))
        self.paragraph("Table Text", [])  # a paragraph after each table: Word needs one between tables

    def cell_xml(
        self, cell: Any, style: str, form: bool, colspan: int, merge: str | None, widths: list[int], keep: bool
    ) -> str:
        header = cell.tag == "th"
        classes = render_classes(cell)
        align = None
        if header or classes & {"jx-center", "jx-level", "jx-na"}:
            align = "center"
        elif "num" in classes:
            align = "right"
        runs = self.inline(cell, bold=header and not form, face="黑体" if header and form else "")
        properties = f'<w:tcW w:w="{sum(widths)}" w:type="dxa"/>'
        if colspan > 1:
            properties += f'<w:gridSpan w:val="{colspan}"/>'
        if merge:
            properties += f'<w:vMerge w:val="{merge}"/>'
        if header:
            properties += '<w:shd w:val="clear" w:color="auto" w:fill="F0F0F0"/>'
        properties += '<w:vAlign w:val="center"/>'
        paragraph = self.paragraph_xml(style, runs, align, "<w:keepNext/>" if keep else "")
        return f"<w:tc><w:tcPr>{properties}</w:tcPr>{paragraph}</w:tc>"

    # -- the file -------------------------------------------------------------------------------

    def save(self) -> bytes:
        properties = self.document.core_properties
        date = datetime.fromisoformat(self.metadata.date.replace("Z", "+00:00")).replace(tzinfo=None)
        properties.title = self.metadata.title
        properties.author = self.metadata.author
        properties.last_modified_by = self.metadata.author
        properties.created = properties.modified = properties.last_printed = date
        properties.revision = 1
        properties.comments = properties.subject = properties.keywords = properties.category = ""
        buffer = io.BytesIO()
        self.document.save(buffer)
        return restamp_zip(buffer.getvalue(), date, 0o644)


BREAK, PAGE_BREAK = "\n", "\f"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


@dataclass
class Run:
    """A run of text with its few formats (the report's inline HTML needs no more)."""

    text: str
    bold: bool = False
    sup: bool = False
    color: str = ""
    face: str = ""

    def xml(self) -> str:
        if self.text == BREAK:
            return "<w:r><w:br/></w:r>"
        if self.text == PAGE_BREAK:
            return '<w:r><w:br w:type="page"/></w:r>'
        properties = ""
        if self.face:
            properties += f'<w:rFonts w:eastAsia="{self.face}"/>'
        if self.bold:
            properties += "<w:b/>"
        if self.color:
            properties += f'<w:color w:val="{self.color}"/>'
        if self.sup:
            properties += '<w:vertAlign w:val="superscript"/>'
        properties = f"<w:rPr>{properties}</w:rPr>" if properties else ""
        return f'<w:r>{properties}<w:t xml:space="preserve">{escape(self.text)}</w:t></w:r>'


def _empty_cell(colspan: int, merge: str | None, widths: list[int]) -> str:
    properties = f'<w:tcW w:w="{sum(widths)}" w:type="dxa"/>'
    if colspan > 1:
        properties += f'<w:gridSpan w:val="{colspan}"/>'
    if merge:
        properties += f'<w:vMerge w:val="{merge}"/>' if merge == "restart" else "<w:vMerge/>"
    return f"<w:tc><w:tcPr>{properties}</w:tcPr><w:p/></w:tc>"


def _column_widths(placed: list[tuple[Any, int, int, int, int]], width: int, form: bool) -> list[int]:
    """Column widths (twips) over the text width, in the shares :func:`column_shares` gives."""
    total = TEXT_WIDTH_MM * 56.693  # twips per mm
    shares = column_shares(placed, width, form)
    return [round(total * share / sum(shares)) for share in shares]


def render(page: str, metadata: Metadata) -> bytes:
    """The DOCX of an edition's page. The same page and metadata give the same bytes."""
    writer = Writer(metadata)
    writer.write(parse(page))
    return writer.save()
