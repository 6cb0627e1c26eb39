"""Which input tables each kind of section reads, and which of them it cannot do without.

Read from the sections' code (``jixiao.sections``: what each notebook's calls read, the scores they
use included) and held to it by ``tests/test_needs.py``, which runs every section of the example
and compares the tables it read with this map:

- ``needs``: tables the section cannot be written without. Validation asks for them (the file or
  the sheet, and at least one data row): a chosen section without its data is an input error
  naming the table and what to fill, never a bare heading;
- ``reads``: tables it reads when they are there (an absent one is read as empty: the section
  writes less, or a note to the author).

``profile`` is needed by every report (the unit's row: its name and year, the closing lines);
``published`` is read by every section that writes figures, when it is there. A unit's inputs
hold the tables its chosen sections need and read (:func:`tables_for`), and no others: a 部门概况
report is its ``profile`` alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from jixiao.inputs.kinds import ReportKind
from jixiao.inputs.schema import TABLES

ALWAYS = ("profile",)
"""Needed by every report: the unit's one row (its name, its year, 编制单位 and 报告日期)."""


@dataclass(frozen=True)
class Need:
    """What one kind of section reads."""

    needs: tuple[str, ...]
    """Tables it needs rows in."""
    reads: tuple[str, ...]
    """Tables it reads when they are there."""


NEEDS: dict[str, Need] = {
    "overview": Need(("budget",), ("projects", "indicators", "published")),
    "projects": Need(("projects", "project_funds"), ("indicators", "budget", "published")),
    "theme": Need(("stats", "narrative"), ("published",)),
    "problems": Need(("narrative",), ("stats", "published")),
    "improvements": Need(("narrative",), ("stats", "published")),
    "review": Need((), tuple(TABLES)),
    "profile": Need(("profile",), ("published",)),
    "budget": Need(("budget",), ("projects", "sangong", "published")),
    "goals": Need(("goals",), ("stats", "indicators", "published")),
    "conclusion": Need(("indicators",), ("budget", "projects", "goals", "published")),
    "evaluation": Need(("narrative",), ("stats", "published")),
    "unevaluated": Need(("projects",), ("budget", "published")),
    "application": Need(("narrative",), ("stats", "published")),
}
"""Each kind of section (``jixiao.inputs.settings.NOTEBOOKS``) and the tables it reads."""

OF_PROJECTS: dict[str, Need] = {
    "overview": Need(("projects",), ("project_funds", "budget", "indicators", "published")),
}
"""What differs in a report on its evaluated projects (``ReportKind.of_projects``: a 项目支出 or
专项资金 report): its opening speaks of those projects and their funds by level, not of the
department's budget lines."""


def need(kind: str, report: ReportKind | None = None) -> Need:
    """What a section of ``kind`` reads in a report of kind ``report`` (default: a department's)."""
    if report is not None and report.of_projects and kind in OF_PROJECTS:
        return OF_PROJECTS[kind]
    return NEEDS[kind]


FILL: dict[str, str] = {
    "profile": "单位的基本情况，一行",
    "budget": "部门预算的每个资金来源和支出类型一行（年初预算数、全年预算数、全年执行数）",
    "projects": "每个项目一行（含未开展自评的项目及其原因）",
    "project_funds": "每个项目按资金性质的资金情况",
    "indicators": "绩效指标，每个三级指标一行（部门整体指标的适用对象填 department）",
    "stats": "专题章节的业务统计数字，每个数字一行",
    "narrative": "该章节的文字材料（所属章节填该章节的键）",
    "published": "公开报告所印的数字及其出处",
    "sangong": "“三公”经费各项一行",
    "goals": "部门整体的年度绩效目标及其完成情况，每个目标一行",
}
"""What to fill in a table, as a message asks for it."""


def needed(kinds: Iterable[str], report: ReportKind | None = None) -> tuple[str, ...]:
    """The tables that sections of ``kinds`` need rows in (``profile`` always), in schema order,
    in a report of kind ``report``."""
    wanted = set(ALWAYS)
    for kind in kinds:
        wanted.update(need(kind, report).needs)
    return tuple(t for t in TABLES if t in wanted)


def tables_for(kinds: Iterable[str], report: ReportKind | None = None) -> tuple[str, ...]:
    """Every table sections of ``kinds`` read, needed or read when present, in schema order, in a
    report of kind ``report``: the sheets of a new unit's workbook."""
    kinds = tuple(kinds)
    wanted = set(needed(kinds, report))
    for kind in kinds:
        wanted.update(need(kind, report).reads)
    return tuple(t for t in TABLES if t in wanted)


def needed_by(table: str, kinds: Iterable[str], report: ReportKind | None = None) -> tuple[str, ...]:
    """The kinds among ``kinds`` that need ``table`` (in their order, each once)."""
    return tuple(dict.fromkeys(k for k in kinds if table in need(k, report).needs))


def markdown() -> str:
    """The map as the Markdown table of ``docs/data-model.md`` (a test holds the page to it)."""
    from jixiao.inputs.settings import DEFAULT_TITLES, NOTEBOOKS

    def listed(tables: Iterable[str]) -> str:
        return ", ".join(f"`{t}`" for t in TABLES if t in set(tables)) or "—"

    lines = ["| section | needs rows in | reads when there |", "|---|---|---|"]
    for kind in NOTEBOOKS:
        need = NEEDS[kind]
        name = "`theme:<key>` (专题)" if kind == "theme" else f"`{kind}` ({DEFAULT_TITLES[kind]})"
        reads = "every table" if set(need.reads) == set(TABLES) else listed(need.reads)
        lines.append(f"| {name} | {listed(need.needs)} | {reads} |")
    return "\n".join(lines) + "\n"


__all__ = ["ALWAYS", "FILL", "NEEDS", "Need", "markdown", "needed", "needed_by", "tables_for"]
