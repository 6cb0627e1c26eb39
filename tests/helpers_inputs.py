"""Helpers for the input tests: a copy of the project in a temporary folder, and CSV editing.

``project_copy`` copies ``params/`` and the example's ``data/`` and points ``JIXIAO_ROOT`` at the
copy; ``stats.csv`` and ``narrative.csv`` are replaced by minimal ones (the indicators' links to
stats keys, ``stats_key``, are cleared with them, and the optional ``goals.csv``, which names the
example's stats keys, is left out), and the unit settings keep one themed section to match, so
that these tests do not depend on the example's themed sections.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
UNIT = "lechang-mzj"
SHEETS = [  # the input workbook's sheets, in order
    "单位概况",
    "预算",
    "项目",
    "项目资金",
    "绩效指标",
    "业务统计",
    "文字材料",
    "公开数字",
    "三公经费",
    "年度绩效目标",
]

MINIMAL_STATS = [
    ["section", "key", "label", "value", "unit", "qualifier", "numerals", "source", "note"],
    ["dibao", "dibao_cleared_households", "清退低保户", "223", "户", "", "", "published", ""],
    ["dibao", "dibao_cleared_people", "清退低保人数", "489", "人", "", "", "published", ""],
]
MINIMAL_NARRATIVE = [
    ["section", "order", "kind", "text", "source"],
    ["dibao", "0", "title", "底线民生保障坚定有力", "published"],
    ["dibao", "1", "item", "清退低保户{dibao_cleared_households}、{dibao_cleared_people}。", ""],
    ["problems", "1", "item", "部分项目执行进度偏慢。", ""],
]


def project_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, year: int = 2019) -> Path:
    """A copy of the project with the example's ``year``; returns that year's data folder."""
    root = tmp_path / "project"
    shutil.copytree(REPO / "params", root / "params")
    folder = root / "data" / UNIT / str(year)
    shutil.copytree(REPO / "data" / UNIT / str(year), folder)
    write_rows(folder / "stats.csv", MINIMAL_STATS)
    kept = {f"stats:{row[MINIMAL_STATS[0].index('key')]}" for row in MINIMAL_STATS[1:]}
    published = read_rows(folder / "published.csv")  # its rows naming the statistics left out go too
    write_rows(folder / "published.csv", [r for r in published if not r[0].startswith("stats:") or r[0] in kept])
    write_rows(folder / "narrative.csv", MINIMAL_NARRATIVE)
    indicators = read_rows(folder / "indicators.csv")
    if "stats_key" in indicators[0]:
        column = indicators[0].index("stats_key")
        cleared = [[*r[:column], "", *r[column + 1 :]] for r in indicators[1:]]
        write_rows(folder / "indicators.csv", [indicators[0], *cleared])
    (folder / "goals.csv").unlink()  # its outcomes name the example's stats keys; the table is optional
    unit_file = root / "params" / UNIT / "unit.yaml"
    settings = yaml.safe_load(unit_file.read_text(encoding="utf-8"))
    settings["sections"] = ["overview", "projects", "theme:dibao", "problems", "review"]
    settings["themes"] = {"dibao": {"charts": [{"kind": "bar", "title": "清退", "keys": ["dibao_cleared_households"]}]}}
    unit_file.write_text(
        yaml.safe_dump(settings, allow_unicode=True, sort_keys=False, default_flow_style=None), encoding="utf-8"
    )
    monkeypatch.setenv("JIXIAO_ROOT", str(root))
    return folder


def read_rows(path: Path) -> list[list[str]]:
    """A UTF-8 CSV file's rows, header first."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        return [list(r) for r in csv.reader(f)]


def write_rows(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> None:
    """Rows written as CSV in ``encoding`` (``utf-8-sig`` adds a BOM)."""
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(rows)
    path.write_bytes(text.getvalue().encode(encoding))


def set_cell(path: Path, row: int, column: str, value: str) -> None:
    """Set the cell of Excel row ``row`` (header = 1) in the column whose header is ``column``."""
    rows = read_rows(path)
    rows[row - 1][rows[0].index(column)] = value
    write_rows(path, rows)


def rename_column(path: Path, old: str, new: str) -> None:
    rows = read_rows(path)
    rows[0][rows[0].index(old)] = new
    write_rows(path, rows)


def append_row(path: Path, values: dict[str, str]) -> int:
    """Append a row (unnamed columns blank); returns its Excel row number."""
    rows = read_rows(path)
    rows.append([values.get(h, "") for h in rows[0]])
    write_rows(path, rows)
    return len(rows)
