"""The inputs of one unit and year, as loaded: one typed table per kind of input.

Every table is a pandas DataFrame with the columns of ``docs/data-model.md`` plus three
provenance columns that say where each row was read:

- ``_file``: the file, relative to the project root (``data/lechang-mzj/2019/stats.csv``);
- ``_sheet``: the sheet name for a workbook, ``""`` for a CSV file;
- ``_row``: the row as the user sees it in Excel or a spreadsheet (header = 1, first data row = 2).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

REQUIRED = ("profile", "budget", "projects", "project_funds", "indicators", "stats", "narrative")
OPTIONAL = ("published", "sangong", "goals")
"""Tables a unit may leave out: absent, they are empty (with their columns), and no error."""
TABLES = REQUIRED + OPTIONAL
PROVENANCE_COLUMNS = ("_file", "_sheet", "_row")


def empty(name: str) -> pd.DataFrame:
    """An empty table ``name`` with every column of the data model, typed as loaded tables are."""
    from jixiao.inputs.loading import empty_frame  # loading imports this module

    return empty_frame(name)


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
    sangong: pd.DataFrame = field(default_factory=lambda: empty("sangong"))
    goals: pd.DataFrame = field(default_factory=lambda: empty("goals"))
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
