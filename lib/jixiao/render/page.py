"""The stitched page as a tree, as every renderer reads it: its elements by class, their text as a
reader sees it, and its tables as a grid of cells with the widths the paged formats give them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any


def classes(element: Any) -> set[str]:
    return set((element.get("class") or "").split())


def has_class(element: Any, name: str) -> bool:
    return name in classes(element)


def parse(page: str) -> Any:
    """The page as an lxml tree (the HTML is jixiao's own: a small, known set of tags)."""
    import lxml.html

    return lxml.html.document_fromstring(page)


def serialize(root: Any) -> str:
    import lxml.html

    return lxml.html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>") + "\n"


def drop(elements: Iterable[Any]) -> None:
    for element in list(elements):
        element.drop_tree()


def by_class(root: Any, name: str) -> list[Any]:
    return root.xpath(f"descendant-or-self::*[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]")


SPACE = re.compile(r"\s+")
"""A run of white space, written as one space in the paged formats."""


def text_of(element: Any) -> str:
    """An element's text as a reader sees it (white space collapsed)."""
    return SPACE.sub(" ", element.text_content()).strip()


def right_aligned(paragraph: Any, block: Any) -> bool:
    """A paragraph set to the right, as a letter's closing lines are (``text-align:right`` on it
    or on the block holding it)."""
    return "text-align:right" in (paragraph.get("style") or block.get("style") or "").replace(" ", "")


def plain_text(element: Any) -> str:
    """An element's text without the 示 markers (for a bookmark or a heading)."""
    import copy

    element = copy.deepcopy(element)
    element.tail = None
    for mark in by_class(element, "jx-mark"):
        mark.drop_tree()
    return text_of(element)


# -- tables, as the paged formats lay them out -----------------------------------------------------

FORM_COLUMNS = (8, 8, 15, 6, 10, 10, 10, 8, 9, 16)  # % of the width: the 自评表's ten columns


TEXT_WIDTH_MM = 156
"""The width of the text on A4 with the report's margins (28 mm left, 26 mm right)."""
PT_MM = 25.4 / 72


def column_shares(
    placed: list[tuple[Any, int, int, int, int]], width: int, form: bool, size_pt: float = 10.5
) -> list[float]:
    """Each column's share of a table's width, for the paged formats (PDF and Word).

    The 自评表 keeps its own shares. Any other table is laid out as a browser lays out an
    automatic table, in characters of its text (``size_pt`` points; a CJK character counts 1, a
    digit or letter 0.55, the 示 marker 0.6, a cell's margins 1), each column between three
    widths:

    - *least*, what its cells must keep on one line: a number, a label of at most four
      characters (预算执行; a header's of three, 一级指标 breaking as 一级/指标), half of a label
      of five to eight (实际完成值 breaks once), two characters of a longer text;
    - *whole*, every label of at most eight characters on one line (政府性基金预算);
    - *longest*, its longest text (at most 14; a header's at most 5, as it may wrap).

    Every column gets its least; then, as far as the page allows, its whole; then its longest,
    each step shared in proportion to what the columns lack. A table narrower than the page is
    widened in proportion to its longest texts."""
    if form and width == len(FORM_COLUMNS):
        return [float(share) for share in FORM_COLUMNS]
    least, whole, longest = [2.2] * width, [2.2] * width, [3.0] * width
    for cell, _, column, _, colspan in placed:
        if colspan == 1:
            text = text_of(cell)
            marks = sum(has_class(e, "jx-illustrative") for e in cell.iter())
            size = _size(text) + 1.6 + marks  # and the cell margins
            if cell.tag == "th":
                size = min(size, 5.0)
            longest[column] = max(longest[column], min(size, 14.0))
            header = cell.tag == "th"
            least[column] = max(least[column], _unbreakable(text, 3 if header else 4) + 0.6 * marks + 1.0)
            whole[column] = max(whole[column], _unbreakable(text, 3 if header else 8) + 0.6 * marks + 1.0)
    whole = [max(a, b) for a, b in zip(whole, least, strict=True)]
    longest = [max(a, b) for a, b in zip(longest, whole, strict=True)]
    room = TEXT_WIDTH_MM / (size_pt * PT_MM)  # characters on a line of the table's text
    for low, high in ((whole, longest), (least, whole)):
        if sum(low) <= room:
            if sum(high) <= room:
                return high
            spare = (room - sum(low)) / (sum(high) - sum(low))
            return [a + (b - a) * spare for a, b in zip(low, high, strict=True)]
    return least


def _size(text: str) -> float:
    """Text's width in characters: a CJK character 1, any other 0.6."""
    return sum(1 if ord(ch) > 0x2E80 else 0.6 for ch in text)


_UNBROKEN = re.compile(r"[^\s\u2e80-\u9fff\uff00-\uffef]+|[\u2e80-\u9fff]+")


def _unbreakable(text: str, whole: int) -> float:
    """The width of a cell's text that must stay on one line: its longest run of Latin letters and
    digits (a number, a code), a Chinese label of at most ``whole`` characters whole, a longer one
    of at most eight in halves, two characters of a longer text."""
    widest = 0.0
    for run in _UNBROKEN.findall(text):
        if ord(run[0]) > 0x2E80:
            n = len(run)
            widest = max(widest, n if n <= whole else (n + 1) // 2 if n <= 8 else 2)
        else:
            widest = max(widest, 0.55 * len(run))  # a serif face's digits and letters, as set
    return widest


def table_rows(table: Any) -> list[tuple[Any, bool]]:
    """A table's rows in order, each with whether it is a header row (in ``thead``)."""
    rows: list[tuple[Any, bool]] = []
    for group in table:
        if group.tag in {"thead", "tbody", "tfoot"}:
            rows += [(tr, group.tag == "thead") for tr in group.findall("tr")]
        elif group.tag == "tr":
            rows.append((group, False))
    return rows


def heading_level(tag: str) -> int:
    """The outline level of a heading: h2 (a section) is 1, h3 2, h4 3; the report's own title
    (h1) is 1 too."""
    return min(3, max(1, int(tag[1]) - 1))


def grid(rows: list[tuple[Any, bool]]) -> tuple[list[tuple[Any, int, int, int, int]], int]:
    """The HTML table model: each cell's row, column and spans; and the number of columns."""
    taken: set[tuple[int, int]] = set()
    placed = []
    width = 0
    for row, (tr, _) in enumerate(rows):
        column = 0
        for cell in tr:
            if cell.tag not in {"td", "th"}:
                continue
            while (row, column) in taken:
                column += 1
            rowspan = min(span(cell, "rowspan"), len(rows) - row)
            colspan = span(cell, "colspan")
            for r in range(row, row + rowspan):
                for c in range(column, column + colspan):
                    taken.add((r, c))
            placed.append((cell, row, column, rowspan, colspan))
            column += colspan
            width = max(width, column)
        width = max(width, max((c + 1 for r, c in taken if r == row), default=0))
    return placed, width


def span(cell: Any, name: str) -> int:
    try:
        return max(1, int(cell.get(name, "1")))
    except ValueError:
        return 1
