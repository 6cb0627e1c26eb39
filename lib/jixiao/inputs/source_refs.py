"""``source_ref``: the cells of a filed 自评表 that a row of the input tables was imported from.

One value per row names the form's file and sheet once, then each imported column's cell:

    forms/民政局-临时救助.xlsx#sheet=附件1&project_name=B3&executed=F7&reported_score=I24

(the file relative to the project root; ``%``, ``&``, ``=``, ``#`` and ``;`` in a file or sheet
name are written ``%25``, ``%26``, …). :func:`cell_ref` gives one column's cell in the form
:meth:`jixiao.forms.model.Cell.ref` writes (``forms/…xlsx#sheet=附件1&cell=F7``), and
:func:`cell_text` the same for a reader (``forms/…xlsx 工作表「附件1」F7``): the report's tooltips
and its 数据来源 appendix show it beside the input cell (:class:`jixiao.inputs.published.Source`).
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import unquote

_ESCAPES = {ch: f"%{ord(ch):02X}" for ch in "%&=#;"}


def _quoted(text: str) -> str:
    """``text`` with the separators percent-encoded (``%`` first); every other character kept."""
    return "".join(_ESCAPES.get(ch, ch) for ch in text)


def compose(file: str, sheet: str, cells: Mapping[str, str]) -> str:
    """The ``source_ref`` of a row whose columns ``cells`` (column key -> ``F7``) were read from
    ``sheet`` of ``file``; columns in the order given.

    >>> compose("forms/a.xlsx", "附件1", {"project_name": "B3", "executed": "F7"})
    'forms/a.xlsx#sheet=附件1&project_name=B3&executed=F7'
    """
    parts = [f"sheet={_quoted(sheet)}", *(f"{column}={cell}" for column, cell in cells.items() if cell)]
    return f"{_quoted(file)}#" + "&".join(parts)


def parse(ref: str) -> tuple[str, str, dict[str, str]] | None:
    """``(file, sheet, cells)`` of a ``source_ref``; None when it is blank or not one.

    >>> parse("forms/a.xlsx#sheet=附件1&project_name=B3")
    ('forms/a.xlsx', '附件1', {'project_name': 'B3'})
    """
    if not isinstance(ref, str) or "#" not in ref:
        return None
    file, _, query = ref.strip().partition("#")
    sheet, cells = "", {}
    for part in query.split("&"):
        key, eq, value = part.partition("=")
        if not eq:
            return None
        if key == "sheet":
            sheet = unquote(value)
        else:
            cells[key] = value
    return unquote(file), sheet, cells


def cell_ref(ref: str, column: str) -> str | None:
    """The cell ``column`` was imported from, as ``file#sheet=S&cell=F7``; None if not named.

    >>> cell_ref("forms/a.xlsx#sheet=附件1&project_name=B3&executed=F7", "executed")
    'forms/a.xlsx#sheet=附件1&cell=F7'
    """
    parsed = parse(ref)
    if parsed is None or column not in parsed[2]:
        return None
    file, sheet, cells = parsed
    return f"{file}#sheet={sheet}&cell={cells[column]}"


def cell_text(ref: str, column: str) -> str | None:
    """The cell ``column`` was imported from, for a reader: ``forms/a.xlsx 工作表「附件1」F7``."""
    parsed = parse(ref)
    if parsed is None or column not in parsed[2]:
        return None
    file, sheet, cells = parsed
    return f"{file} 工作表「{sheet}」{cells[column]}"
