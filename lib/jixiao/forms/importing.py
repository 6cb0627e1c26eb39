"""``jixiao import``: the 自评表 a department already filled, written as its input tables.

The forms read (:mod:`jixiao.forms.reading`, or :class:`~jixiao.forms.model.Form` objects made in
code) become the rows of ``projects``, ``project_funds`` and ``indicators`` (a 部门整体 form's rows
with ``scope`` department, its 总分 the profile's ``reported_total_score``), and the profile's
row when the unit-year has none (单位名称 from 主管部门, the year). Every value printed on a form
is written with ``source`` published and its cell in ``source_ref``
(:mod:`jixiao.inputs.source_refs`); what the form does not print is left blank for the rules'
defaults (a weight the form has no column for) or filled as the import log says (资金来源, which
no form prints).

The tables go where the unit-year keeps its inputs: the sheets of its ``data.xlsx`` if it has one,
else CSV files (a new unit-year gets CSV files). A unit without settings is started with
:func:`jixiao.inputs.new_unit.write_unit_settings` (the 项目支出 kind when only project forms were
read), its sections those that the imported tables serve. Everything is decided before anything is
written: any problem (the reader's and the import's own: a form of another year, two forms for one
project, tables already there without ``overwrite``) writes nothing, and all are listed at once.
Files whose content would not change are not written again (importing the same forms twice
changes no byte).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jixiao import outputs, paths
from jixiao import project as projects
from jixiao.forms.model import DEPARTMENT, FUND_TOTAL, Form, FormIndicator, Problem, Reading, Value
from jixiao.inputs import needs, source_refs
from jixiao.inputs.kinds import KINDS
from jixiao.inputs.schema import DIRECTIONS, FUND_SOURCES, FUND_TYPES, GRADES, LEVEL1, LEVELS, QUALITATIVE, TABLES

WORKBOOK = "data.xlsx"
IMPORTED = ("projects", "project_funds", "indicators")
"""The tables an import writes (and ``profile`` when the unit-year has none)."""
FUND_SOURCE = FUND_SOURCES[0]
"""资金来源 of an imported project: no form prints it; the log says so, to be checked."""
PROJECT_ID = "P{:02d}"
DEPARTMENT_ID = "BM-{:02d}"
_WEIGHT_KEYS = dict(zip(LEVEL1, ("weight_output", "weight_effect", "weight_satisfaction"), strict=True))


class ImportProblems(ValueError):
    """The import wrote nothing: every problem met, the reader's and its own."""

    def __init__(self, problems: Sequence[Problem | str], log: Sequence[str] = ()):
        self.problems = [str(p) for p in problems]
        self.log = list(log)
        super().__init__("\n".join(self.problems))

    def lines(self) -> list[str]:
        return [f"未写入任何文件 (nothing written): 自评表导入有 {len(self.problems)} 处问题 (problems)：",
                *(f"  {p}" for p in self.problems)]  # fmt: skip


@dataclass
class Imported:
    """What an import wrote (or, for a dry run, would write)."""

    unit: str
    year: int
    forms: list[Form]
    tables: dict[str, list[dict[str, Any]]]
    """Each table written, its rows (column key -> value; None for a blank cell)."""
    layout: str
    """``csv`` or ``xlsx``: where the tables went."""
    log: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    """Files whose content was already what the import would write: not written again."""
    new_unit: bool = False
    left_out: list[str] = field(default_factory=list)
    """A new unit's sections of its kind that need tables no form holds (``overview``: ``budget``)."""
    dry_run: bool = False


# -- values -------------------------------------------------------------------------------------


def number_text(value: Any) -> str:
    """A number as an input cell writes it: ``1586.4``, ``20`` (no float noise); blank for None.

    >>> number_text(1586.4), number_text(20.0), number_text(None), number_text(0.1 + 0.2)
    ('1586.4', '20', '', '0.3')
    """
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value
    number = round(float(value), 6)
    if number.is_integer():
        return str(int(number))
    return f"{number:.6f}".rstrip("0").rstrip(".")


def _number(value: Value) -> float | None:
    return float(value.value) if isinstance(value.value, int | float) and not isinstance(value.value, bool) else None


def _text(value: Value) -> str:
    if value.value is None:
        return ""
    if isinstance(value.value, str):
        return value.value.strip()
    return value.text.strip() or number_text(value.value)


def _key(text: str) -> str:
    """A name compared as a reader sees it: spaces (full-width too) dropped."""
    return re.sub(r"\s+", "", text.replace("\u3000", " "))


class _Row:
    """A row being made: its values and the cells they came from."""

    def __init__(self, form: Form) -> None:
        self.form = form
        self.values: dict[str, Any] = {}
        self.cells: dict[str, str] = {}

    def put(self, column: str, value: Any, source: Value | None = None) -> None:
        self.values[column] = value
        if source is not None and source.at is not None and value not in (None, ""):
            self.cells[column] = source.at.cell

    def record(self, table: str, file: str) -> dict[str, Any]:
        ordered = {c.key: None for c in TABLES[table].columns}
        ordered.update(self.values)
        ordered["source"] = "published"
        cells = {c.key: self.cells[c.key] for c in TABLES[table].columns if c.key in self.cells}
        ordered["source_ref"] = source_refs.compose(file, self.form.sheet, cells) if cells else None
        return ordered


# -- forms to rows ------------------------------------------------------------------------------


def _form_file(form: Form) -> str:
    """The form's file as the tables name it: relative to the project root where it is inside."""
    return paths.relative(Path(form.file))


def _where(form: Form) -> str:
    """The form as messages name it: its file (relative to the project root), sheet and top-left cell."""
    return f"{_form_file(form)} 工作表「{form.sheet}」{form.top}"


def _place(form: Form, value: Value | None = None) -> tuple[str, str]:
    cell = value.at.cell if value is not None and value.at is not None else form.top
    return form.sheet, cell


def _problem(form: Form, message: str, value: Value | None = None) -> Problem:
    sheet, cell = _place(form, value)
    return Problem(_form_file(form), message, sheet, cell)


def convert(forms: Sequence[Form], unit: str, year: int, unit_name: str | None = None,
            ) -> tuple[dict[str, list[dict[str, Any]]], list[str], list[Problem]]:  # fmt: skip
    """The tables made of ``forms`` (projects in the order read, ids ``P01``…; department rows
    ``BM-01``…), the log (the reader's notes, then what the import inferred) and the problems.
    ``unit_name`` is the unit's, when it has settings; the profile's row is made either way (the
    caller decides whether to write it)."""
    problems: list[Problem] = []
    log: list[str] = []
    projects: list[dict[str, Any]] = []
    funds: list[dict[str, Any]] = []
    indicators: list[dict[str, Any]] = []
    seen: dict[str, Form] = {}
    department: Form | None = None
    for form in forms:
        file = _form_file(form)
        log.extend(f"{_where(form)}：{note}" for note in form.notes)
        if form.year is None:
            log.append(f"{_where(form)}：表上未见年度，按 --year {year} 导入 (no year on the form)")
        elif form.year != year:
            problems.append(
                _problem(form, f"是 {form.year} 年度的自评表，导入的是 {year} 年度 (a form of another year)")
            )
        if form.kind == DEPARTMENT:
            if department is not None:
                problems.append(_problem(form, f"第二张部门整体支出绩效自评表；第一张在 {_where(department)} "
                                               "(two department forms)"))  # fmt: skip
                continue
            department = form
            for n, ind in enumerate(form.indicators, start=1):
                row = _indicator(form, ind, DEPARTMENT_ID.format(n), DEPARTMENT, problems)
                if row is not None:
                    indicators.append(row.record("indicators", file))
            if any(not f.blank for fund in form.funds for f in (fund.initial, fund.full_year, fund.executed)):
                log.append(
                    f"{_where(form)}：部门整体的资金情况未导入：预算表按资金来源和支出类型分行，表上没有 "
                    "(the department's funds block is not imported: the budget table needs fund sources)"
                )
            continue
        name = _text(form.project)
        if not name:
            problems.append(_problem(form, "项目名称空白 (no project name)", form.project))
            continue
        if _key(name) in seen:
            problems.append(_problem(form, f"项目「{name}」已有一张自评表：{_where(seen[_key(name)])} "
                                           "(two forms for one project)", form.project))  # fmt: skip
            continue
        seen[_key(name)] = form
        pid = PROJECT_ID.format(len(seen))
        project, project_funds = _project(form, pid, name, problems, log)
        projects.append(project.record("projects", file))
        funds.extend(f.record("project_funds", file) for f in project_funds)
        rows = [_indicator(form, ind, f"{pid}-{n:02d}", pid, problems) for n, ind in enumerate(form.indicators, 1)]
        indicators.extend(r.record("indicators", file) for r in rows if r is not None)
        _level1_weights(form, [r for r in rows if r is not None], projects[-1], log)
    if seen:
        listed = "、".join(f"{PROJECT_ID.format(n)} {name}" for n, name in enumerate(
            (_text(f.project) for f in seen.values()), 1))  # fmt: skip
        log.append(f"资金来源 (fund_source) 不在自评表上：{listed} 按「{FUND_SOURCE}」写入，请核对 "
                   "(no form prints the fund source: written as 一般公共预算, to be checked)")  # fmt: skip
    profile = _profile(forms, department, unit, year, unit_name, log) if forms else None
    # a table no form gives rows to is not written (a 部门整体 form alone leaves projects as they are)
    tables = {k: v for k, v in (("projects", projects), ("project_funds", funds), ("indicators", indicators)) if v}
    if profile is not None:
        tables["profile"] = [profile]
    return tables, log, problems


def _project(form: Form, pid: str, name: str, problems: list[Problem], log: list[str],
             ) -> tuple[_Row, list[_Row]]:  # fmt: skip
    row = _Row(form)
    row.put("project_id", pid)
    row.put("project_name", name, form.project)
    row.put("fund_source", FUND_SOURCE)
    row.put("implementer", _text(form.unit) or None, form.unit)
    total = form.fund(FUND_TOTAL)
    parts = [f for f in form.funds if f.name in FUND_TYPES]
    printed = [f for f in parts if not (f.initial.blank and f.full_year.blank and f.executed.blank)]
    for column, attr in (("initial_budget", "initial"), ("full_year_budget", "full_year"), ("executed", "executed")):
        value = getattr(total, attr) if total is not None else Value()
        amount = _number(value)
        if amount is None and printed:
            amount = sum(_number(getattr(f, attr)) or 0.0 for f in printed)
            log.append(f"{_where(form)}：{FUND_TOTAL}的{_FUND_LABELS[attr]}空白，按其中各行之和 {number_text(amount)} "
                       "万元写入 (the total left blank: the sum of its rows)")  # fmt: skip
            value = Value()
        if amount is None:
            problems.append(
                _problem(form, f"{FUND_TOTAL}的{_FUND_LABELS[attr]}空白，其中各行也空白 (no amount)", value)
            )
            continue
        row.put(column, amount, value)
    row.put("self_evaluated", "是")
    row.put("goal", _text(form.goal_expected) or None, form.goal_expected)
    row.put("outcome", _text(form.goal_actual) or None, form.goal_actual)
    if total is not None and _number(total.weight) is not None:
        row.put("weight_execution", _number(total.weight), total.weight)
    if _number(form.total) is not None:
        row.put("reported_score", _number(form.total), form.total)
    rows: list[_Row] = []
    others = [f for f in form.funds if f.name != FUND_TOTAL and f.name not in FUND_TYPES]
    levels = {f.name: _level(f.name) for f in others}
    by_level = not printed and others and all(levels.values())
    for fund in printed if not by_level else others:
        f = _Row(form)
        f.put("project_id", pid)
        f.put("fund_type", fund.name if not by_level else FUND_TYPES[0])
        if by_level:
            f.put("level", levels[fund.name])
        for column, attr in (
            ("initial_budget", "initial"),
            ("full_year_budget", "full_year"),
            ("executed", "executed"),
        ):
            value = getattr(fund, attr)
            amount = _number(value)
            if amount is None:
                log.append(f"{_where(form)}：资金情况「{fund.name}」的{_FUND_LABELS[attr]}空白，按 0 写入 (blank: 0)")
                amount = 0.0
            f.put(column, amount, value)
        rows.append(f)
    if by_level:
        listed = "、".join(f"{f.name}→{levels[f.name]}" for f in others)
        log.append(
            f"{_where(form)}：资金情况按级次写入项目资金表（{listed}），资金性质按「{FUND_TYPES[0]}」写入，"
            "请核对 (funds by level; fund_type written as 当年财政拨款, to be checked)"
        )
    elif others:
        names = "」「".join(f.name for f in others)
        log.append(f"{_where(form)}：资金情况的「{names}」行不是项目资金表的资金性质"
                   f"（{'、'.join(FUND_TYPES)}），未导入 (rows not imported)")  # fmt: skip
    if not rows and total is not None:
        f = _Row(form)
        f.put("project_id", pid)
        f.put("fund_type", FUND_TYPES[0])
        for column in ("initial_budget", "full_year_budget", "executed"):
            f.put(column, row.values.get(column))
        rows.append(f)
        log.append(f"{_where(form)}：资金情况只填了{FUND_TOTAL}，按「{FUND_TYPES[0]}」一行写入项目资金表 "
                   "(only the total given: one 当年财政拨款 row)")  # fmt: skip
    return row, rows


_FUND_LABELS = {"initial": "年初预算数", "full_year": "全年预算数", "executed": "全年执行数"}


def _level(name: str) -> str | None:
    """The 资金级次 of a transfer form's funds row: 中央补助 → 中央, 省级资金 → 省级, 市县资金 → 市县.

    >>> _level("中央补助"), _level("省级资金"), _level("市县配套"), _level("其他资金")
    ('中央', '省级', '市县', None)
    """
    key = _key(name)
    for prefix, level in (("中央", "中央"), ("省", "省级"), ("市", "市县"), ("县", "市县")):
        if key.startswith(prefix):
            return level if level in LEVELS else None
    return None


def _indicator(form: Form, ind: FormIndicator, iid: str, scope: str, problems: list[Problem]) -> _Row | None:
    row = _Row(form)
    row.put("indicator_id", iid)
    row.put("scope", scope)
    at = f"第{ind.row}行"
    ok = True
    for column, value in (("level1", ind.level1), ("level2", ind.level2), ("level3", ind.name)):
        text = _text(value)
        if not text:
            label = TABLES["indicators"].column(column).label
            problems.append(_problem(form, f"指标表{at}的{label}空白 (blank)", value if value.at else None))
            ok = False
        row.put(column, text, value)
    if scope != DEPARTMENT and _text(ind.level1) and _text(ind.level1) not in LEVEL1:
        problems.append(
            _problem(form, f"项目的一级指标「{_text(ind.level1)}」不是 {'、'.join(LEVEL1)} 之一", ind.level1)
        )
        ok = False
    if ind.direction not in DIRECTIONS:
        problems.append(_problem(form, f"指标表{at}的指标性质「{ind.direction}」不是 {'、'.join(DIRECTIONS)} 之一",
                                 ind.name))  # fmt: skip
        return None
    row.put("direction", ind.direction)
    if ind.direction == QUALITATIVE:
        row.put("target_text", _text(ind.target) or None, ind.target)
        grade = _text(ind.actual)
        if grade and grade not in GRADES:
            problems.append(_problem(form, f"定性指标的实际完成值「{grade}」不是 {'、'.join(GRADES)} 之一", ind.actual))
            ok = False
        row.put("actual_grade", grade or None, ind.actual)
    else:
        target = _number(ind.target)
        if target is None:
            problems.append(_problem(form, f"指标表{at}的年度指标值「{ind.target.text}」不是数字（指标性质 "
                                           f"{ind.direction}）", ind.target))  # fmt: skip
            ok = False
        row.put("target", target, ind.target)
        if not ind.actual.blank and _number(ind.actual) is None:
            problems.append(_problem(form, f"指标表{at}的实际完成值「{ind.actual.text}」不是数字", ind.actual))
            ok = False
        row.put("actual", _number(ind.actual), ind.actual)
    row.put("measure_unit", ind.unit or None)
    row.put("weight", _number(ind.weight), ind.weight)
    row.put("reported_score", _number(ind.score), ind.score)
    row.put("deviation_reason", _text(ind.deviation_reason) or None, ind.deviation_reason)
    return row if ok else None


def _level1_weights(form: Form, rows: list[_Row], project: dict[str, Any], log: list[str]) -> None:
    """A project's 产出/效益/满意度 weights: the sums of its rows' printed weights, when every row of
    that level prints one (a form without 分值 leaves them, and the rows', to the rules' defaults)."""
    blank = [r for r in rows if r.values.get("weight") is None]
    if blank:
        names = "、".join(str(r.values.get("level3")) for r in blank)
        log.append(f"{_where(form)}：表上没有分值：{names} 的分值留空，按规则的默认分值计分，报告标为默认值 "
                   "(no weight printed: the rules' default applies, shown as a default)")  # fmt: skip
    for level1, key in _WEIGHT_KEYS.items():
        mine = [r for r in rows if r.values.get("level1") == level1]
        if mine and all(r.values.get("weight") is not None for r in mine):
            project[key] = round(sum(r.values["weight"] for r in mine), 6)


def _profile(forms: Sequence[Form], department: Form | None, unit: str, year: int, unit_name: str | None,
             log: list[str]) -> dict[str, Any]:  # fmt: skip
    first = department or forms[0]
    row = _Row(first)
    row.put("unit_id", unit)
    name = unit_name or _text(first.department) or _text(first.unit)
    row.put("unit_name", name, None if unit_name else (first.department if _text(first.department) else first.unit))
    row.put("year", year)
    if department is not None and _number(department.total) is not None:
        row.put("reported_total_score", _number(department.total), department.total)
    names = {_text(f.department) for f in forms if _text(f.department)}
    if len(names) > 1:
        log.append(f"自评表的主管部门不止一个（{'、'.join(sorted(names))}）；单位名称取 {name} "
                   "(several 主管部门 on the forms)")  # fmt: skip
    record = row.record("profile", _form_file(first))
    return record


# -- where the tables go ------------------------------------------------------------------------


def csv_text(table: str, rows: Iterable[dict[str, Any]]) -> str:
    """A table as its CSV file: every column of the data model, numbers as :func:`number_text`."""
    keys = TABLES[table].keys
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(keys)
    for row in rows:
        writer.writerow([number_text(row.get(k)) for k in keys])
    return out.getvalue()


def _sheet_values(sheet: Any) -> list[tuple[Any, ...]]:
    rows = []
    for values in sheet.iter_rows(values_only=True):
        cells = [None if v == "" else v for v in values]
        while cells and cells[-1] is None:
            cells.pop()
        rows.append(tuple(cells))
    while rows and not rows[-1]:
        rows.pop()
    return rows


def _wanted_values(table: str, rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    from jixiao.inputs.template import header_text

    out = [tuple(header_text(c) for c in TABLES[table].columns)]
    for row in rows:
        cells = [row.get(c.key) for c in TABLES[table].columns]
        cells = [None if v == "" else (int(v) if isinstance(v, float) and v.is_integer() else v) for v in cells]
        while cells and cells[-1] is None:
            cells.pop()
        out.append(tuple(cells))
    return out


def _same_values(have: list[tuple[Any, ...]], want: list[tuple[Any, ...]]) -> bool:
    def norm(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        return [tuple(float(v) if isinstance(v, int | float) and not isinstance(v, bool) else v for v in r)
                for r in rows]  # fmt: skip

    return norm(have) == norm(want)


def _has_rows(table: str, folder: Path, book: Any) -> bool:
    """Whether the unit-year already holds ``table`` with data rows."""
    if book is not None:
        name = TABLES[table].name
        return name in book.sheetnames and len(_sheet_values(book[name])) > 1
    path = folder / f"{table}.csv"
    return path.is_file() and len(path.read_bytes().strip().splitlines()) > 1


def _sections_served(kind: str, tables: Iterable[str]) -> tuple[list[str], list[str]]:
    """A new unit's sections: those of ``kind`` whose needed tables are all among ``tables``, and
    the ones left out."""
    have = set(tables)
    kept, left = [], []
    for section in KINDS[kind].sections:
        (kept if set(needs.NEEDS[section].needs) <= have else left).append(section)
    return kept, left


# -- the import ---------------------------------------------------------------------------------


def run(inputs: Sequence[Path | str] | Reading, unit: str, year: int, *, dry_run: bool = False,
        overwrite: bool = False, project: Path | None = None) -> Imported:  # fmt: skip
    """Import the forms of ``inputs`` (files or folders, read by :mod:`jixiao.forms.reading`; or a
    :class:`Reading` already made) into ``unit``'s tables for ``year``: see the module's docstring.
    Raises :class:`ImportProblems` having written nothing."""
    from jixiao.inputs import new_unit
    from jixiao.inputs import settings as settings_module

    paths.check_unit(unit)
    reading = inputs if isinstance(inputs, Reading) else _read([Path(p) for p in inputs])
    # the reader's problems, each file named as the tables name it (relative to the project root)
    problems: list[Problem | str] = [
        dataclasses.replace(p, file=paths.relative(Path(p.file))) for p in reading.problems
    ]
    forms = list(reading.forms)
    if not forms and not reading.problems:
        problems.append("没有读到自评表 (no 自评表 found)：" + "、".join(str(p) for p in inputs)
                        if not isinstance(inputs, Reading) else "没有读到自评表 (no 自评表 found)")  # fmt: skip
    unit_file = paths.params_dir(unit) / "unit.yaml"
    new = not paths.params_dir(unit).exists()
    unit_name = None
    if not new:
        if not unit_file.is_file():
            problems.append(f"{paths.relative(paths.params_dir(unit))} 存在但没有 unit.yaml (no settings file)")
        else:
            unit_name = settings_module.parse_yaml(unit_file.read_text(encoding="utf-8"), unit_file).get("unit_name")
    tables, log, own = convert(forms, unit, year, unit_name)
    problems.extend(own)
    folder = paths.data_dir(unit, year)
    workbook = folder / WORKBOOK
    csv_files = [folder / f"{t}.csv" for t in TABLES if (folder / f"{t}.csv").is_file()]
    book = None
    if workbook.is_file() and csv_files:
        problems.append(f"{paths.relative(folder)}：同时有 {WORKBOOK} 和 CSV 文件，只能保留一种 (both forms of inputs)")
    elif workbook.is_file():
        from openpyxl import load_workbook

        try:
            book = load_workbook(workbook)
        except Exception as exc:  # a damaged workbook is a problem, named, not a traceback
            problems.append(f"{paths.relative(workbook)}：无法打开 (cannot be opened): {type(exc).__name__}")
    if _has_rows("profile", folder, book) or not tables.get("profile"):
        tables.pop("profile", None)
    layout = "xlsx" if workbook.is_file() else "csv"
    existing = {t for t in tables if _has_rows(t, folder, book)}
    files: dict[Path, str | bytes] = {}
    unchanged: list[Path] = []
    changed_tables = []
    if book is not None:
        for table, rows in tables.items():
            name = TABLES[table].name
            if name in book.sheetnames and _same_values(_sheet_values(book[name]), _wanted_values(table, rows)):
                continue
            changed_tables.append(table)
        if changed_tables:
            _fill_workbook(book, {t: tables[t] for t in changed_tables})
            buffer = io.BytesIO()
            book.save(buffer)
            files[workbook] = buffer.getvalue()
        else:
            unchanged.append(workbook)
    elif layout == "csv":
        for table, rows in tables.items():
            path = folder / f"{table}.csv"
            text = csv_text(table, rows)
            if path.is_file() and path.read_bytes() == text.encode("utf-8"):
                unchanged.append(path)
                continue
            changed_tables.append(table)
            files[path] = text
    if not overwrite:
        for table in changed_tables:
            if table != "profile" and table in existing:
                where = paths.relative(workbook) + f" 工作表「{TABLES[table].name}」" if book is not None else \
                    paths.relative(folder / f"{table}.csv")  # fmt: skip
                problems.append(f"{where} 已有数据 (the table exists)；以自评表覆盖请加 --overwrite")
    imported = Imported(unit, year, forms, tables, layout, log, unchanged=unchanged, new_unit=new, dry_run=dry_run)
    kind = "department" if any(f.kind == DEPARTMENT for f in forms) else "project"
    year_file = paths.params_dir(unit) / f"{year}.yaml"
    new_settings = None
    if new and forms:
        sections, imported.left_out = _sections_served(kind, [*tables, "profile"])
        name = tables["profile"][0]["unit_name"] if tables.get("profile") else unit
        try:
            new_settings = new_unit.unit_settings(name, kind, {"sections": sections})
        except (new_unit.NewUnitError, paths.NameRuleError) as exc:
            problems.append(f"单位名称「{name}」不可用 (the name from 主管部门): {exc}")
    if problems:
        raise ImportProblems(problems, log)
    if dry_run:
        imported.written = [*([paths.params_dir(unit) / "unit.yaml"] if new_settings else []),
                            *([year_file] if not year_file.is_file() else []), *files]  # fmt: skip
        return imported
    with outputs.together() as group:
        if new_settings is not None:
            base = {"sections": new_settings["sections"]}
            written = new_unit.write_unit_settings(unit, new_settings["unit_name"], kind, base, group)
            imported.written.append(written)
        if not year_file.is_file():
            imported.written.append(group.write(year_file, new_unit.year_text(unit, year)))
        for path, data in files.items():
            imported.written.append(group.write(path, data))
        if project is not None and new_settings is not None:  # outside any project: this folder becomes one
            imported.written += projects.start(project, unit, new_settings["unit_name"], year, group)
    return imported


def _read(inputs: list[Path]) -> Reading:
    """The forms of files and folders, as :mod:`jixiao.forms.reading` reads them."""
    from jixiao.forms import reading as reader

    return reader.read(inputs)


def _fill_workbook(book: Any, tables: dict[str, list[dict[str, Any]]]) -> None:
    """Replace (or add) the sheets of ``tables`` in ``book``, in the data model's order, keeping
    the other sheets as they are."""
    from jixiao.inputs import template

    for table, rows in tables.items():
        name = TABLES[table].name
        index = book.sheetnames.index(name) if name in book.sheetnames else None
        if index is not None:
            book.remove(book[name])
        sheet = template.table_sheet(book, TABLES[table], rows)
        if index is not None:
            book.move_sheet(sheet, index - book.sheetnames.index(name))


def report_lines(imported: Imported) -> list[str]:
    """What ``jixiao import`` prints: the forms read, the log, what was written, what to do next."""
    unit, year = imported.unit, imported.year
    kinds = {DEPARTMENT: "部门整体支出绩效自评表"}
    lines = [f"jixiao import {unit} {year}: 读取 (read) {len(imported.forms)} 张自评表 (forms)"]
    ids = iter(r["project_id"] for r in imported.tables.get("projects", ()))
    for form in imported.forms:
        what = kinds.get(form.kind) or f"项目支出绩效自评表「{_text(form.project)}」→ {next(ids, '')}"
        lines.append(f"  {_where(form)}: {what}, {len(form.indicators)} 个指标 (indicators)")
    if imported.log:
        lines.append("导入记录 (import log):")
        lines += [f"  {line}" for line in imported.log]
    counts = "、".join(f"{t} {len(rows)} 行" for t, rows in imported.tables.items())
    lines.append(f"表 (tables): {counts}")
    verb = "将写入 (would write, --dry-run)" if imported.dry_run else "写入 (written)"
    if imported.written:
        lines.append(f"{verb}:")
        lines += [f"  {paths.relative(p)}" for p in imported.written]
    if imported.unchanged:
        lines.append("无变化，未重写 (unchanged, not rewritten):")
        lines += [f"  {paths.relative(p)}" for p in imported.unchanged]
    if imported.dry_run:
        return lines
    lines.append("下一步 (next steps):")
    step = 1
    if imported.new_unit:
        kind = "部门整体" if any(f.kind == DEPARTMENT for f in imported.forms) else "项目支出"
        lines.append(
            f"  {step}. 核对 params/{unit}/unit.yaml：单位名称取自主管部门，报告类型{kind} (check the settings)"
        )
        step += 1
        for section in imported.left_out:
            wanted = "、".join(f"{TABLES[t].display}" for t in needs.NEEDS[section].needs)
            lines.append(f"     章节 {section} 需要 {wanted}：填写后把它加入 sections (add it once filled)")
    lines.append(f"  {step}. 核对资金来源 (fund_source) 等自评表上没有的列 (columns no form prints)")
    lines.append(f"  {step + 1}. jixiao validate --unit {unit} --year {year}")
    lines.append(f"  {step + 2}. jixiao build --unit {unit} --year {year}")
    return lines
