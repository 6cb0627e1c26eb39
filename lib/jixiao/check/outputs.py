"""The check's three files, written together (``jixiao.outputs``): ``check.html`` (self-contained,
in the report's look), ``check.xlsx`` (one row per indicator, with filters) and ``check.json`` (the
record). Whatever a form holds reaches them as text: escaped in the page, never a live formula in
the workbook."""

from __future__ import annotations

import io
import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jixiao import outputs
from jixiao.check.forms import FLAGS
from jixiao.check.run import Record, department_of

FILES = ("check.html", "check.xlsx", "check.json")
FOOTER = (
    "本结果由 jixiao {version} 读取各单位报送的绩效自评表，按「{name}」（{source}）重新计分生成；"
    "明细见 check.xlsx 和 check.json。"
)
KIND = {"project": "项目支出", "department": "部门整体"}


def _e(value: Any) -> str:
    from jixiao.writing.provenance import escape

    return escape("" if value is None else str(value))


def _n(value: Any) -> str:
    from jixiao import formatting

    if value is None:
        return "—"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return formatting.number(value, 2)
    return _e(value)


def _gap(form: dict[str, Any]) -> float | None:
    from jixiao import scoring

    if form["reported_total"] is None or form["computed_total"] is None:
        return None
    return scoring.round2(form["reported_total"] - form["computed_total"])


def every_flag(form: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(what it is about, flag) for each flag of a form: the form's, then each indicator's."""
    out = [("全表", f) for f in form["flags"]]
    for i in form["indicators"]:
        out += [(f"{i['name'] or '—'}（第{i['row']}行）", f) for f in i["flags"]]
    return out


def counts(record: Record) -> Counter:
    return Counter(f["code"] for form in record.forms for _, f in every_flag(form))


def summary_line(record: Record) -> str:
    """The page's first sentence: what was read, how much of it is flagged, by which rules."""
    kinds = Counter(f["form"] for f in record.forms)
    flagged = sum(1 for f in record.forms if any(x["level"] == "warning" for _, x in every_flag(f)))
    parts = "，".join(f"{KIND[k]}{kinds[k]}份" for k in ("project", "department") if kinds.get(k))
    return (
        f"共检查{record.files}个文件，识别绩效自评表{len(record.forms)}份"
        + (f"（{parts}）" if parts else "")
        + f"，其中{flagged}份有需核实的问题；{len(record.unread)}处未能读取。"
        + f"计分规则：{record.ruleset.name}。"
    )


def html_page(record: Record, bureau: str = "") -> str:
    from jixiao import __version__
    from jixiao.render.standalone import page_top

    title = f"{bureau}绩效自评表审核结果"
    tally = counts(record)
    forms_with = Counter(code for form in record.forms for code in {f["code"] for _, f in every_flag(form)})
    flagged = sum(1 for f in record.forms if every_flag(f))
    level_text = {"warning": "需核实", "note": "请关注"}
    kinds_rows = "\n".join(
        f"<tr data-flag='{code}'><td>{_e(title_)}</td><td class='jx-short'>{level_text[level]}"
        f"</td><td class='num'>{tally[code]}</td><td class='num'>{forms_with[code]}</td></tr>"
        for code, (title_, level) in FLAGS.items()
        if tally.get(code)
    )
    groups: dict[str, list[dict]] = {}
    for form in record.forms:
        groups.setdefault(department_of(form), []).append(form)
    totals = []
    for name, group in groups.items():
        totals.append(f"<h3>{_e(name)}</h3>")
        totals.append(
            "<table class='jx-table jx-totals'><thead><tr><th>表</th><th>项目</th><th>文件</th>"
            "<th class='num'>填报总分</th><th class='num'>规则总分</th><th class='num'>相差</th><th>填报等级</th>"
            "<th>规则等级</th><th class='num'>标记</th></tr></thead><tbody>"
        )
        for f in group:
            gap = _gap(f)
            gap_text = "—" if gap is None else (f"{gap:+.2f}" if gap else "0.00")
            cls = " class='jx-attention'" if gap else ""
            totals.append(
                f"<tr{cls}><td class='jx-short'>{KIND[f['form']]}</td>"
                f"<td>{_e(f['project'] or f['department'] or '—')}</td>"
                f"<td>{_e(f['file'])}<br><span class='jx-hint'>工作表「{_e(f['sheet'])}」{_e(f['top'])}</span></td>"
                f"<td class='num'>{_n(f['reported_total'])}</td><td class='num'>{_n(f['computed_total'])}</td>"
                f"<td class='num'>{gap_text}</td><td class='jx-short'>{_e(f['reported_grade'] or '—')}</td>"
                f"<td class='jx-short'>{_e(f['computed_grade'])}</td><td class='num'>{len(every_flag(f))}</td></tr>"
            )
        totals.append("</tbody></table>")
    details = []
    for f in record.forms:
        found = every_flag(f)
        if not found and not f["problems"]:
            continue
        name = f["project"] or f["department"] or f["file"]
        details.append(
            f"<h3>{_e(name)}<span class='jx-hint'>　{_e(f['file'])} 工作表「{_e(f['sheet'])}」</span></h3>"
            "<table class='jx-table jx-flags'><thead><tr><th>位置</th><th>标记</th><th class='num'>表中数</th>"
            "<th class='num'>按规则</th><th>规则</th></tr></thead><tbody>"
        )
        for where, x in found:
            details.append(
                f"<tr data-flag='{x['code']}' class='jx-{x['level']}'><td>{_e(where)}</td><td>{_e(x['title'])}</td>"
                f"<td class='num'>{_n(x['reported'])}</td><td class='num'>{_n(x['computed'])}</td>"
                f"<td>{_e(x['rule'])}</td></tr>"
            )
        for problem in f["problems"]:
            details.append(
                f"<tr data-flag='problem' class='jx-warning'><td>全表</td><td>未能读取</td><td class='num'>—</td>"
                f"<td class='num'>—</td><td>{_e(problem)}</td></tr>"
            )
        details.append("</tbody></table>")
    unread = "\n".join(
        f"<tr><td>{_e(u['file'])}</td><td>{_e(u['sheet'] or '—')}</td><td>{_e(u['cell'] or '—')}</td>"
        f"<td>{_e(u['message'])}</td></tr>"
        for u in record.unread
    )
    extra_css = """
body.jx-check { max-width: 297mm; padding-left: 10mm; padding-right: 10mm; }
.jx-check .jx-table { font-size: 0.82em; }
.jx-check .jx-table td { vertical-align: top; }
.jx-check .jx-table .num, .jx-check .jx-table .jx-short { white-space: nowrap; }
.jx-check tr.jx-attention td:first-child,
.jx-check tr.jx-warning td:first-child { border-left: 4px solid var(--jx-warn); }
"""
    ruleset = record.ruleset
    top = page_top(
        title=title,
        body_class="jx-check",
        kicker="预算绩效管理 · 绩效自评表审核",
        facts=[("自评表", f"{len(record.forms)}份"), ("有标记", f"{flagged}份"),
               ("未能读取", f"{len(record.unread)}处"), ("计分规则#ruleset", _e(ruleset.name))],
        extra_css=extra_css,
    )  # fmt: skip
    return (
        top
        + f"""<h2>一、总体情况</h2>
<p id="lead">{_e(summary_line(record))}</p>
<table class="jx-table" id="kinds">
<thead><tr><th>标记</th><th>性质</th><th class="num">条数</th><th class="num">涉及表数</th></tr></thead>
<tbody>
{kinds_rows}
</tbody>
</table>
<h2>二、各部门和项目的总分</h2>
<p class="jx-hint">填报总分为表中所填，规则总分为按「{_e(ruleset.name)}」重新计算的总分。</p>
<div id="totals">
{chr(10).join(totals)}
</div>
<h2>三、标记明细</h2>
<div id="details">
{chr(10).join(details) or "<p>没有标记。</p>"}
</div>
<h2>四、未能读取的表</h2>
<table class="jx-table" id="unread">
<thead><tr><th>文件</th><th>工作表</th><th>单元格</th><th>原因</th></tr></thead>
<tbody>
{unread}
</tbody>
</table>
</main>
<footer class="jx-footer">
  <p>{_e(FOOTER.format(version=__version__, name=ruleset.name, source=ruleset.source))}</p>
</footer>
</body>
</html>
"""
    )


INDICATOR_COLUMNS = (
    "文件", "工作表", "表", "主管部门", "实施单位", "项目名称", "行", "一级指标", "二级指标", "三级指标",
    "指标性质", "年度指标值", "实际完成值", "度量单位", "分值", "填报得分", "规则得分", "偏差原因", "标记", "规则",
)  # fmt: skip
FORM_COLUMNS = (
    "文件", "工作表", "表", "主管部门", "实施单位", "项目名称", "全年预算数（万元）", "全年执行数（万元）",
    "填报总分", "规则总分", "填报等级", "规则等级", "标记", "规则",
)  # fmt: skip
UNREAD_COLUMNS = ("文件", "工作表", "单元格", "原因")


def _join(flags: list[dict], key: str) -> str:
    return "；".join(f[key] for f in flags)


def xlsx_bytes(record: Record) -> bytes:
    """check.xlsx: the indicators, the forms and the files not read, a sheet each, with a bold
    header row, the panes frozen below it and filters over the table."""
    indicator_lines = []
    form_lines = []
    for f in record.forms:
        head = [f["file"], f["sheet"], KIND[f["form"]], f["department"], f["unit"], f["project"]]
        total = next((x for x in f["funds"] if x["name"] == "年度资金总额"), {})
        form_lines.append([
            *head, total.get("full_year"), total.get("executed"), f["reported_total"], f["computed_total"],
            f["reported_grade"], f["computed_grade"], _join(f["flags"], "title"), _join(f["flags"], "rule"),
        ])  # fmt: skip
        for i in f["indicators"]:
            indicator_lines.append([
                *head, i["row"], i["level1"], i["level2"], i["name"], i["direction"], i["target"], i["actual"],
                i["unit"], i["weight"], i["reported_score"], i["computed_score"], i["deviation_reason"],
                _join(i["flags"], "title"), _join(i["flags"], "rule"),
            ])  # fmt: skip
    unread = [[u["file"], u["sheet"], u["cell"], u["message"]] for u in record.unread]
    return table_workbook(
        [("指标", INDICATOR_COLUMNS, indicator_lines), ("自评表", FORM_COLUMNS, form_lines),
         ("未能读取", UNREAD_COLUMNS, unread)]
    )  # fmt: skip


# --------------------------------------------------------------------------- a table workbook, written directly

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="00EEF1F5"/><bgColor indexed="64"/></patternFill></fill>'
    "</fills>"
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" applyAlignment="1">'
    '<alignment vertical="center" wrapText="1"/></xf>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)
"""Three cell styles: plain (0), the header row's bold on a grey fill (1), and text that would read as
a formula, kept as typed text (2: the quote prefix Excel and LibreOffice show)."""


def _column(n: int) -> str:
    """The letters of the 1-based column ``n``: 1 → A, 27 → AA."""
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _xml_text(text: str) -> str:
    text = _XML_ILLEGAL.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _sheet_xml(header: tuple[str, ...], lines: list[list[Any]]) -> Iterator[str]:
    """A worksheet's XML in pieces (a thousand rows a piece), for the archive to compress as it goes."""
    from jixiao.render.xlsx import FORMULA_STARTS

    letters = [_column(c) for c in range(1, len(header) + 1)]
    last = f"{letters[-1]}{len(lines) + 1}"
    yield (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:{last}"/>'
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
        'state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/><sheetData>'
    )
    rows = []
    for r, line in enumerate([list(header), *lines], start=1):
        style = ' s="1"' if r == 1 else ""
        cells = []
        for letter, value in zip(letters, line, strict=False):
            if value is None or value == "" or (isinstance(value, float) and value != value):
                continue  # a blank cell
            ref = f"{letter}{r}"
            if isinstance(value, bool):
                cells.append(f'<c r="{ref}" t="b"{style}><v>{int(value)}</v></c>')
            elif isinstance(value, (int, float)):
                cells.append(f'<c r="{ref}"{style}><v>{value!r}</v></c>')
            else:
                text = str(value)
                mark = ' s="2"' if r > 1 and text.startswith(FORMULA_STARTS) else style
                space = ' xml:space="preserve"' if text != text.strip() else ""
                cells.append(f'<c r="{ref}" t="inlineStr"{mark}><is><t{space}>{_xml_text(text)}</t></is></c>')
        rows.append(f'<row r="{r}">{"".join(cells)}</row>')
        if len(rows) == 1000:
            yield "".join(rows)
            rows = []
    yield (
        f"{''.join(rows)}</sheetData>"
        f'<autoFilter ref="A1:{last}"/>'
        '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>'
        "</worksheet>"
    )


def table_workbook(sheets: list[tuple[str, tuple[str, ...], list[list[Any]]]]) -> bytes:
    """An .xlsx of plain tables ((title, header, rows) a sheet), written as SpreadsheetML directly:
    numbers as numbers, every text as an inline string (never a formula), a bold header row, the
    panes frozen below it and a filter over each table. openpyxl builds a cell object per value
    and takes about ten times as long for a bureau's thousands of forms."""
    import zipfile

    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for n in range(1, len(sheets) + 1)
    )
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        f"{parts}</Types>"
    )
    root_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    sheet_list = "".join(
        f'<sheet name="{_xml_text(title)}" sheetId="{n}" r:id="rId{n}"/>' for n, (title, _, _) in enumerate(sheets, 1)
    )
    filters = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{n}" hidden="1">'
        f"'{_xml_text(title)}'!$A$1:${_column(len(header))}${len(lines) + 1}</definedName>"
        for n, (title, header, lines) in enumerate(sheets)
    )
    workbook = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<workbook xmlns="{main}" xmlns:r="{rel}"><bookViews><workbookView/></bookViews>'
        f"<sheets>{sheet_list}</sheets><definedNames>{filters}</definedNames></workbook>"
    )
    workbook_rels = "".join(
        f'<Relationship Id="rId{n}" Type="{rel}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, len(sheets) + 1)
    )
    workbook_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'{workbook_rels}<Relationship Id="rId{len(sheets) + 1}" Type="{rel}/styles" Target="styles.xml"/>'
        "</Relationships>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        book.writestr("[Content_Types].xml", content_types)
        book.writestr("_rels/.rels", root_rels)
        book.writestr("xl/workbook.xml", workbook)
        book.writestr("xl/_rels/workbook.xml.rels", workbook_rels)
        book.writestr("xl/styles.xml", _STYLES)
        for n, (_title, header, lines) in enumerate(sheets, start=1):
            with book.open(f"xl/worksheets/sheet{n}.xml", "w") as sheet:
                for piece in _sheet_xml(header, lines):
                    sheet.write(piece.encode("utf-8"))
    return buffer.getvalue()


def json_text(record: Record) -> str:
    """check.json: a list, one form a line (json's C encoder; an indented dump is five times slower)."""
    items = [json.dumps(item, ensure_ascii=False) for item in record.to_json()]
    return "[\n" + ",\n".join(items) + "\n]\n" if items else "[]\n"


def write(record: Record, folder: Path | str, bureau: str = "") -> dict[str, Path]:
    """``check.html``, ``check.xlsx`` and ``check.json`` in ``folder``, all three or none."""
    folder = Path(folder)
    data = {"check.html": html_page(record, bureau), "check.xlsx": xlsx_bytes(record), "check.json": json_text(record)}
    with outputs.together() as group:
        where = {name: group.write(folder / name, content) for name, content in data.items()}
    return where
