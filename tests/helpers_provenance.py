"""Walk every figure of a built report and its workbook, and say where the same figure is marked
differently (tests/test_provenance_agree.py).

The same figure is found by what it is made of: a cell of the inputs by its ``data-source``
(file, row, column); a computed figure by the input cells its derivation reaches in the 数据来源
appendix (recursively) and its value; a computed figure without an appendix entry by its formula
and value; a default by the default it names.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from lxml import html as lxml_html

NUMBER = re.compile(r"[−-]?\d+(?:\.\d+)?")
SOURCE = re.compile(r"来源：([^\n（［]+)")


@dataclass(frozen=True)
class Seen:
    """One figure as a page shows it."""

    text: str
    state: str
    where: str


def number(text: str) -> tuple[float, int] | None:
    """The number a figure's text shows, and its decimals: ``增加599.72万元`` → (599.72, 2)."""
    found = NUMBER.search(text)
    if found is None:
        return None
    digits = found.group(0).replace("−", "-")
    return float(digits), len(digits.split(".")[1]) if "." in digits else 0


def _appendix(doc) -> dict[str, tuple[str, list[str]]]:
    """id → (the entry's text, the ids it links to)."""
    out = {}
    for li in doc.xpath('//aside[@id="jx-sources"]//li[@id]'):
        links = [a.get("href")[1:] for a in li.xpath(".//a[@href]")]
        out[li.get("id")] = (li.text_content(), links)
    return out


def _leaves(entries: dict[str, tuple[str, list[str]]], start: str) -> frozenset[str]:
    """The input cells (and the inputs without an entry) an appendix entry reaches."""
    seen, todo, leaves = set(), [start], set()
    while todo:
        key = todo.pop()
        if key in seen or key not in entries:
            continue
        seen.add(key)
        text, links = entries[key]
        for line in text.splitlines()[1:]:
            if line.startswith("计算：") or line.lstrip().startswith("="):
                continue
            sources = SOURCE.findall(line)
            if sources:
                leaves.update(s.strip() for s in sources)
            elif "（见第" not in line:
                leaves.add(re.sub(r"［[^］]*］", "", line.strip()))
        todo.extend(links)
    return frozenset(leaves)


def _where(element) -> str:
    section = next((a.get("id") for a in element.iterancestors("section") if a.get("id")), "")
    cell = next((a.tag for a in element.iterancestors("td", "th", "p", "li") if a is not None), "")
    return f"{section or 'cover'}/{cell}"


def figures(page: str) -> dict[object, list[Seen]]:
    """Every figure span of ``page`` (a review edition, with its 数据来源 appendix), by what it is."""
    doc = lxml_html.fromstring(page)
    entries = _appendix(doc)
    out: dict[object, list[Seen]] = defaultdict(list)
    for span in doc.xpath('//span[contains(concat(" ", @class, " "), " jx-fig ")]'):
        if any(a.get("id") == "jx-sources" for a in span.iterancestors("aside")):
            continue
        text, state, source = span.text_content(), span.get("data-provenance"), span.get("data-source") or ""
        value = number(text)
        parent = span.getparent()
        if source.startswith("formula:") and parent is not None and parent.tag == "a":
            leaves = _leaves(entries, parent.get("href", "#")[1:])
            key: object = ("computed", leaves, value and value[0], text if value is None else "")
        elif source.startswith(("formula:", "default:")) or not source:
            key = ("formula", source, value and value[0], text if value is None else "")
        else:
            key = ("cell", source)
        out[key].append(Seen(text, state, _where(span)))
    return out


def disagreements(page: str) -> list[str]:
    """The figures shown in more than one state, or with numbers that differ at the precision shown."""
    found = []
    for key, seen in figures(page).items():
        states = {s.state for s in seen}
        if len(states) > 1:
            found.append(f"{key}: " + "; ".join(f"{s.text} {s.state} @{s.where}" for s in seen))
        numbers = [n for n in (number(s.text) for s in seen) if n is not None]
        if numbers:
            places = min(d for _, d in numbers)
            if len({round(v, places) for v, _ in numbers}) > 1:
                found.append(f"{key}: numbers differ: " + "; ".join(s.text for s in seen))
    return sorted(found)


SERIAL = "序号"


def unmarked_numbers(page: str) -> list[str]:
    """Table cells holding a number that is not a figure (no source, no formula): only a row's
    序号 and a year that heads a column of figures are allowed."""
    doc = lxml_html.fromstring(page)
    found = []
    for td in doc.xpath("//main//td"):
        text = td.text_content().strip()
        if not re.search(r"\d", text) or td.xpath('.//span[contains(concat(" ", @class, " "), " jx-fig ")]'):
            continue
        if re.fullmatch(r"\d{4}年", text):
            continue
        table = next(td.iterancestors("table"))
        header = [th.text_content().strip() for th in table.xpath("./thead/tr[1]/th")]
        column = td.getparent().index(td)
        if re.fullmatch(r"\d+", text) and column < len(header) and header[column] == SERIAL:
            continue
        found.append(f"{_where(td)}: {text}")
    return found


def marks_in_text(page: str) -> list[str]:
    """The text of every paragraph and table cell of ``page``'s sections that holds a figure, with
    its 示 marks, whitespace removed (what a PDF or DOCX of the page must also say)."""
    doc = lxml_html.fromstring(page)
    out = []
    for element in doc.xpath("//main//p | //main//td"):
        if element.xpath('.//span[contains(concat(" ", @class, " "), " jx-fig ")]'):
            out.append(re.sub(r"\s+", "", element.text_content()))
    return out


def cell_figures_with_marks(page: str) -> list[str]:
    """Each figure of a table cell of ``page``'s sections, its 示 mark after it when it has one,
    whitespace removed: what a PDF must say even where a long cell wraps beside its neighbours
    (a PDF's text runs line by line across a table's columns; of a long text, its last characters)."""
    doc = lxml_html.fromstring(page)
    out = []
    for span in doc.xpath('//main//td//span[contains(concat(" ", @class, " "), " jx-fig ")]'):
        following = span.getnext()
        mark = following is not None and "jx-mark" in (following.get("class") or "").split()
        text = re.sub(r"\s+", "", span.text_content())
        # a long text (a goal) wraps in its column: its end, which the word joiner keeps with its 示
        out.append((text if len(text) <= 12 else text[-4:]) + (following.text_content() if mark else ""))
    return out


def paragraph_marks(page: str) -> list[str]:
    """:func:`marks_in_text` of the paragraphs alone."""
    doc = lxml_html.fromstring(page)
    return [
        re.sub(r"\s+", "", p.text_content())
        for p in doc.xpath("//main//p")
        if p.xpath('.//span[contains(concat(" ", @class, " "), " jx-fig ")]')
    ]


# -- the 自评表 workbook against the report -----------------------------------------------------

FILL = "FFF2CC"
"""The workbook's fill of an illustrative figure (``jixiao.render.xlsx.ILLUSTRATIVE_FILL``)."""


def filled(cell) -> bool:
    return (cell.fill.fgColor.rgb or "").endswith(FILL) if cell.fill is not None else False


def _state(cell) -> str | None:
    """The state of the first figure of a report's table cell (None: it holds none)."""
    spans = cell.xpath('.//span[contains(concat(" ", @class, " "), " jx-fig ")]')
    return spans[0].get("data-provenance") if spans else None


def _compare(found: list[str], where: str, html_cell, ws, row: int, column: int) -> int:
    """One report cell against one workbook cell: 示 (illustrative) if and only if filled."""
    state = _state(html_cell)
    if state is None:
        return 0
    if (state == "illustrative") != filled(ws.cell(row=row, column=column)):
        text = re.sub(r"\s+", "", html_cell.text_content())
        value = ws.cell(row=row, column=column).value
        found.append(
            f"{where}: report {text} {state}, workbook {ws.title}!R{row}C{column} {value!r} filled={not state}"
        )
    return 1


def _header_columns(ws, row: int) -> dict[str, int]:
    return {str(c.value): c.column for c in ws[row] if c.value is not None and not isinstance(c.value, (int, float))}


FORM_CELLS = (2, 4, 5, 6)
"""Where a form's indicator row (its level cells left out) has 年度指标值, 实际完成值, 分值, 得分."""
TABLE2_CELLS = (4, 5, 7, 8)
"""The same in 表2 (一级指标, 二级指标, 三级指标, 指标性质, 年度指标值, 实际完成值, 度量单位, 分值, 得分)."""


def _indicators(found, where, rows, ws, header_row: int, cells: tuple[int, ...]) -> tuple[int, int]:
    """Compare the indicator rows (年度指标值, 实际完成值, 分值, 得分); returns (compared, next row)."""
    columns = _header_columns(ws, header_row)
    compared = 0
    for k, tr in enumerate(rows):
        tds = [td for td in tr.xpath("./td") if "jx-level" not in (td.get("class") or "")]
        r = header_row + 1 + k
        for offset, name in zip(cells, ("年度指标值", "实际完成值", "分值", "得分"), strict=True):
            if offset < len(tds) and name in columns:
                compared += _compare(found, f"{where} 第{k + 1}项{name}", tds[offset], ws, r, columns[name])
    return compared, header_row + 1 + len(rows)


def workbook_disagreements(page: str, workbook) -> tuple[list[str], int]:
    """Every figure of the report's 项目支出绩效自评表 and 表2 (the department's indicators) against
    the same cell of the 自评表 workbook (``openpyxl`` workbook): filled exactly where the report
    writes 示. Returns the disagreements and how many cells were compared."""
    doc = lxml_html.fromstring(page)
    found: list[str] = []
    compared = 0
    forms = doc.xpath('//table[contains(@class, "jx-selfeval-form")]')
    sheets = workbook.worksheets[2 : 2 + len(forms)]
    for form, ws in zip(forms, sheets, strict=True):
        name = re.sub(r"[\s示“”\"'‘’]", "", form.xpath(".//tr[1]/td")[0].text_content())
        assert name == re.sub(r"[\s“”\"'‘’]", "", str(ws.cell(row=3, column=3).value)), (name, ws.title)
        rows = form.xpath(".//tr")
        funds = next(tr for tr in rows if tr.xpath('./th[normalize-space()="年度资金总额"]'))
        for td, column in zip(funds.xpath("./td"), (4, 5, 6, 7, 8, 9), strict=False):
            compared += _compare(found, f"{name} 年度资金总额", td, ws, 6, column)
        for k, label in enumerate(("其中：当年财政拨款", "上年结转资金", "其他资金")):
            tr = next(tr for tr in rows if tr.xpath(f'./th[normalize-space()="{label}"]'))
            for td, column in zip(tr.xpath("./td")[:3], (4, 5, 6), strict=True):
                compared += _compare(found, f"{name} {label}", td, ws, 7 + k, column)
        goal = next(tr for tr in rows if "jx-goal" in (tr.get("class") or ""))
        for td, column in zip(goal.xpath("./td"), (2, 7), strict=True):
            compared += _compare(found, f"{name} 年度总体目标", td, ws, 11, column)
        indicators = [tr for tr in rows if "jx-indicator" in (tr.get("class") or "")]
        n, footer = _indicators(found, name, indicators, ws, 12, FORM_CELLS)
        compared += n
        total = next(tr for tr in rows if "jx-total" in (tr.get("class") or ""))
        tds = total.xpath("./td")
        compared += _compare(found, f"{name} 总分 分值", tds[0], ws, footer, 8)
        compared += _compare(found, f"{name} 总分", tds[1], ws, footer, 9)
    department = [t for t in doc.xpath("//table") if "部门整体支出绩效自评表" in t.xpath("string(./caption)")]
    if department:
        ws = workbook.worksheets[1]
        table = department[0]
        n, footer = _indicators(found, "表2", table.xpath("./tbody/tr"), ws, 10, TABLE2_CELLS)
        compared += n
        tds = table.xpath("./tfoot/tr/td")
        compared += _compare(found, "表2 合计 分值", tds[-2], ws, footer, 8)
        compared += _compare(found, "表2 合计 得分", tds[-1], ws, footer, 9)
    budget = [t for t in doc.xpath("//table") if "预算执行情况" in t.xpath("string(./caption)")]
    if budget and budget[0].xpath("./tfoot/tr/td"):
        tds = budget[0].xpath("./tfoot/tr/td")  # 合计: 年初预算数, 全年预算数, 全年执行数, 执行率
        for td, column in zip(tds[2:6], (4, 5, 6, 8), strict=True):
            compared += _compare(found, "表1 合计", td, workbook.worksheets[1], 5, column)
    return found, compared
