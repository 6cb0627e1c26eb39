"""The inputs of one unit and year, as loaded: one typed table per kind of input.

Every table is a pandas DataFrame with the columns of ``docs/data-model.md`` plus three
provenance columns that say where each row was read:

- ``_file``: the file, relative to the project root (``data/lechang-mzj/2019/stats.csv``);
- ``_sheet``: the sheet name for a workbook, ``""`` for a CSV file;
- ``_row``: the row as the user sees it in Excel or a spreadsheet (header = 1, first data row = 2).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from jixiao.inputs.schema import TABLES as SCHEMA
from jixiao.inputs.schema import Table

REQUIRED = ("profile", "budget", "projects", "project_funds", "indicators", "stats", "narrative")
OPTIONAL = ("published", "sangong", "goals")
"""Tables a unit may leave out: absent, they are empty (with their columns), and no error."""
TABLES = REQUIRED + OPTIONAL
PROVENANCE_COLUMNS = ("_file", "_sheet", "_row")


_DTYPES = {"text": "str", "code": "str", "number": "float64", "integer": "Int64"}

_LIST_SEPARATORS = "、，,；;\n"
_OPEN, _CLOSE = "(（[【", ")）]】"


def list_names(text: str) -> list[str]:
    """The names of a list cell (``profile.institutions``, ``profile.units``), split at 、，；,
    (half- or full-width) and line breaks outside brackets: ``办公室(信访科、政策法规科)、财务股`` is
    two names, the first with its sub-offices."""
    out, current, depth = [], "", 0
    for char in text:
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth = max(depth - 1, 0)
        if char in _LIST_SEPARATORS and depth == 0:
            out.append(current)
            current = ""
        else:
            current += char
    out.append(current)
    return [n.strip() for n in out if n.strip()]


def typed_frame(table: Table, records: list[dict[str, Any]]) -> pd.DataFrame:
    """Records as a DataFrame with every column of the table, typed; blank text is ``""``."""
    data: dict[str, pd.Series] = {}
    for column in table.columns:
        values = [r.get(column.key) for r in records]
        if column.type in ("text", "code"):
            default = "published" if column.key == "source" else ""
            values = [default if v is None else v for v in values]
        elif column.type == "number":
            values = [math.nan if v is None else v for v in values]
        data[column.key] = pd.Series(values, dtype=_DTYPES[column.type])
    data["_file"] = pd.Series([r["_file"] for r in records], dtype="str")
    data["_sheet"] = pd.Series([r["_sheet"] for r in records], dtype="str")
    data["_row"] = pd.Series([r["_row"] for r in records], dtype="int64")
    frame = pd.DataFrame(data)
    assert tuple(frame.columns[-3:]) == PROVENANCE_COLUMNS
    return frame


def empty_frame(name: str) -> pd.DataFrame:
    """The table ``name`` with no rows: every column of the data model, typed as when read."""
    return typed_frame(SCHEMA[name], [])


@dataclass
class Dataset:
    unit: str
    year: int
    profile: pd.DataFrame
    budget: pd.DataFrame
    projects: pd.DataFrame
    project_funds: pd.DataFrame
    indicators: pd.DataFrame
    stats: pd.DataFrame
    narrative: pd.DataFrame
    sangong: pd.DataFrame = field(default_factory=lambda: empty_frame("sangong"))
    goals: pd.DataFrame = field(default_factory=lambda: empty_frame("goals"))
    files: list[str] = field(default_factory=list)
    """The files read, relative to the project root."""
    published: pd.DataFrame | None = None
    """Optional: the figures of the unit's published report (``None`` or empty when absent)."""
    absent: list[str] = field(default_factory=list)
    """The optional tables that were not given (no file, no sheet)."""

    def table(self, name: str) -> pd.DataFrame:
        if name not in TABLES:
            raise KeyError(f"unknown table {name!r}; tables are {', '.join(TABLES)}")
        return getattr(self, name)
