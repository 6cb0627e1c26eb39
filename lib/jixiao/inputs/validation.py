"""Checking a unit's inputs for one year: every problem found in one run, named as users see it.

``jixiao.inputs.loading.read`` reports what cannot be read cell by cell (missing files, sheets and
columns, text in a numeric column, empty required cells, negative amounts, unknown codes). This
module adds the checks across rows and tables: duplicate ids, executed above budget, unknown
projects, weights that do not add up, 定性 scores outside their band, the profile's year and unit,
totals that disagree with their parts, a 基本支出 line beside its parts (人员经费, 公用经费), a
project not evaluated or a goal not reached without its reason, and narrative (or goal outcome)
placeholders naming no figure.

It asks for the tables the sections chosen in the unit's settings need (``jixiao.inputs.needs``),
and for no others: a needed table must be there with at least one data row (a chosen block
without its data is an error naming the table and what to fill); any other may be absent, and
the checks across tables run only between tables that are there.

Each problem renders as one Chinese line, e.g.::

    data/lechang-mzj/2019/budget.csv 第3行 全年执行数(executed)：值 "abc" 不是数字，应为数字（万元）
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable
from typing import Any

import pandas as pd

from jixiao import formatting, paths
from jixiao.inputs import needs
from jixiao.inputs.dataset import Dataset
from jixiao.inputs.kinds import ReportKind
from jixiao.inputs.loading import InputError, Problem, Reading, read
from jixiao.inputs.schema import (
    BASIC,
    BASIC_PARTS,
    DEPARTMENT,
    ID_COLUMNS,
    LEVEL1,
    NARRATIVE_FIELDS,
    PROJECT,
    QUALITATIVE,
    REQUIRED_TABLES,
    TABLES,
)
from jixiao.inputs.settings import Section, Settings, parse_yaml
from jixiao.scoring.rules import LEVEL1_WEIGHT_KEYS, Rules

__all__ = ["InputError", "Problem", "check", "check_dataset", "stand_ins", "validate", "validate_with_notes"]

TOLERANCE = 0.005 + 1e-9
"""Amounts agree to 0.01 万元: they may differ by half a cent at most (plus float noise)."""
_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")
_WEIGHT_COLUMNS = {
    "execution": "weight_execution",
    "output": "weight_output",
    "effect": "weight_effect",
    "satisfaction": "weight_satisfaction",
}
_WEIGHT_NAMES = {
    "execution": "预算执行率",
    "output": "产出",
    "effect": "效益",
    "satisfaction": "满意度",
}


def validate(unit: str, year: int, expected_year: int | None = None) -> list[Problem]:
    """Every problem in the inputs of ``unit`` for ``year`` (empty when they are sound).

    ``expected_year`` is the year of the parameters, when it may differ from the folder's.
    """
    return validate_with_notes(unit, year, expected_year)[0]


def chosen_settings(unit: str, year: int) -> Settings | None:
    """The unit's settings (its sections, its report kind); None when they cannot be read
    (``jixiao validate`` and the build say why before they validate)."""
    from jixiao.inputs import settings as settings_module

    try:
        return settings_module.load(unit, year)
    except settings_module.SettingsError:
        return None


def _reading(unit: str, year: int, compared: bool) -> tuple[Reading, tuple[str, ...], Settings | None]:
    """The inputs read, asking for the tables the chosen sections need (every table the data
    model lists when there are no settings to say; an earlier year the report compares with:
    only ``profile``, the rest is compared when it is there); the tables whose rows are needed
    and the settings."""
    chosen = chosen_settings(unit, year)
    if compared:
        needed = needs.ALWAYS
    elif chosen is None:
        needed = REQUIRED_TABLES
    else:
        needed = needs.needed((s.kind for s in chosen.sections), chosen.kind)
    return read(unit, year, needed), needed, chosen


NOTE = "注意 (note)"
WARNING = "警告 (warning)"


def validate_with_notes(
    unit: str, year: int, expected_year: int | None = None, *, compared: bool = False
) -> tuple[list[Problem], list[str]]:
    """:func:`validate`'s problems, and what does not stop a build, as the lines to print: notes
    (``注意 (note): …``: a hidden sheet was read) and warnings (``警告 (warning): …``: a value that
    looks like a placeholder, :func:`stand_ins`). ``compared``: ``year`` is an earlier year the
    report compares with, not the report's own (only its ``profile`` is asked for)."""
    reading, needed, chosen = _reading(unit, year, compared)
    notes = [f"{NOTE}: {note}" for note in reading.notes]
    if reading.dataset is None:
        return reading.problems, notes
    problems = reading.problems + check_dataset(reading.dataset, rules(unit), expected_year, reading.problems)
    if chosen is not None and not compared:
        problems += without_rows(reading.dataset, needed, chosen.sections, reading.problems, chosen.kind)
        problems += without_text(reading.dataset, chosen.sections)
    notes += [f"{WARNING}: {found}" for found in stand_ins(reading.dataset) + published_orphans(reading.dataset)]
    if compared and {"stats", "narrative"} & set(reading.dataset.absent):
        return problems, notes  # an earlier year without them: nothing of theirs to compare
    return problems + settings_references(reading.dataset, reading.problems), notes


def check(unit: str, year: int, expected_year: int | None = None) -> Dataset:
    """The inputs of ``unit`` for ``year``; raises ``InputError`` listing every problem."""
    reading, needed, chosen = _reading(unit, year, False)
    problems = list(reading.problems)
    if reading.dataset is not None:
        problems += check_dataset(reading.dataset, rules(unit), expected_year, problems)
        if chosen is not None:
            problems += without_rows(reading.dataset, needed, chosen.sections, reading.problems, chosen.kind)
            problems += without_text(reading.dataset, chosen.sections)
        problems += settings_references(reading.dataset, reading.problems)
    if problems or reading.dataset is None:
        raise InputError(problems)
    return reading.dataset


def without_rows(
    data: Dataset,
    needed: Iterable[str],
    sections: Iterable[Section],
    known: Iterable[Problem] = (),
    report: ReportKind | None = None,
) -> list[Problem]:
    """A table a chosen section needs (``jixiao.inputs.needs``) that is there but has no data row:
    one problem naming the table, the sections that need it (by their headings) and what to fill.
    A table that could not be read (``known``) is reported as such, not again here."""
    sections = tuple(sections)
    unreadable = {p.table for p in known if p.table and p.row is None}
    problems = []
    for table in needed:
        if table == "profile" or table in unreadable or len(data.table(table)):
            continue  # an empty profile has its own message (_profile)
        named = "、".join(_section_name(s) for s in sections if table in needs.need(s.kind, report).needs)
        message = f"没有数据行 (no rows)：所选章节{named}需要{TABLES[table].display}表的数据，请填写{needs.FILL[table]}"
        problems.append(_whole(data, table, message=message))
    return problems


def without_text(data: Dataset, sections: Iterable[Section]) -> list[Problem]:
    """A chosen free-text block (``needs.TEXTS``: 评价工作开展情况, 结果应用和信息公开, …) whose own
    ``narrative`` section has no row: one problem naming the section to fill. (A ``narrative``
    table without any row is :func:`without_rows`'s.)"""
    narrative = data.table("narrative")
    if not len(narrative):
        return []
    texts = narrative[narrative["kind"].astype(str).str.strip() != "title"]
    present = set(texts["section"].astype(str).str.strip())
    problems = []
    for section in sections:
        for key in needs.TEXTS.get(section.kind, ()):
            if key not in present:
                message = (
                    f"没有所属章节为 {key} 的行 (no rows of section {key})：所选章节{_section_name(section)}"
                    f"需要它的文字材料，请填写{needs.TEXT_FILL[key]}（所属章节填 {key}）"
                )
                problems.append(_whole(data, "narrative", "section", message=message))
    return problems


def _section_name(section: Section) -> str:
    """``「年度绩效目标完成情况」(goals)``; a theme without its own title ``「theme:dibao」`` (its
    heading is its narrative headline)."""
    title = section.heading.title if section.heading is not None else None
    return f"「{title}」({section.kind})" if title else f"「theme:{section.key}」"


def settings_references(data: Dataset, known: Iterable[Problem] = ()) -> list[Problem]:
    """What the unit's settings ask of the data: a headline (``kind`` title) in ``narrative`` for
    every themed section, and every chart key in ``stats``, one unit to a chart. Caught here, a
    typing error stops the build before any notebook runs instead of failing a section. Skipped
    when ``stats`` or ``narrative`` could not be read at all (``known``)."""
    from jixiao.inputs import settings as settings_module

    if any(p.table in {"stats", "narrative"} and p.row is None for p in known):
        return []  # a table (or a column) of them is missing: that is the problem to report

    unit_settings = settings_module.load(data.unit, data.year)
    where = paths.relative(unit_settings.unit_file)
    narrative = data.narrative
    units = _units(data)
    problems = []
    workbook = next((f for f in data.files if f.endswith(".xlsx")), None)
    if workbook is not None:
        narrative_file, narrative_sheet = workbook, TABLES["narrative"].name
    else:
        narrative_file = paths.relative(paths.data_dir(data.unit, data.year) / "narrative.csv")
        narrative_sheet = ""
    titles = set(narrative.loc[narrative["kind"] == "title", "section"].astype(str))
    chosen = [s.parameters["theme"] for s in unit_settings.sections if s.parameters.get("theme")]
    for theme in chosen:
        if theme not in titles:
            message = f"主题章节 '{theme}' 没有标题行（section 为 {theme}、kind 为 title 的行），应有一行"
            problems.append(Problem(narrative_file, narrative_sheet, message=message, table="narrative"))
    for theme, block in (unit_settings.raw.get("themes") or {}).items():
        if theme not in chosen:
            continue  # the charts of a theme the report does not show are not drawn
        for number, chart in enumerate((block or {}).get("charts") or [], start=1):
            place = f"themes.{theme}.charts[{number}].keys"
            keys = [str(k) for k in chart.get("keys") or []]
            for key in keys:
                if key not in units:
                    message = f"指标键 '{key}' 在{data.year}年业务统计表（stats）中不存在"
                    problems.append(Problem(where, column=place, value=key, message=message))
            found = {units[k] for k in keys if k in units}
            if len(found) > 1:
                listed = "、".join(sorted(found))
                message = f"一张图只能画同一计量单位的指标，这里有 {listed}"
                problems.append(Problem(where, column=place, message=message))
    return problems


def rules(unit: str) -> Rules:
    """The unit's scoring rules: ``scoring`` in ``params/<unit>/unit.yaml`` over the defaults."""
    path = paths.params_dir(unit) / "unit.yaml"
    settings = parse_yaml(path.read_text(encoding="utf-8"), path) if path.is_file() else {}  # as settings.load reads it
    return Rules.from_settings(settings.get("scoring"))


def check_dataset(
    data: Dataset,
    rules: Rules,
    expected_year: int | None = None,
    known: Iterable[Problem] = (),
) -> list[Problem]:
    """The checks across rows and tables of loaded inputs.

    ``known`` are problems already reported by reading: their cells are not reported again.
    """
    known = list(known)
    reported = {(p.file, p.sheet, p.row, p.column) for p in known}
    missing = {p.table for p in known if p.row is None and p.table}
    gone = missing | set(data.absent)  # could not be read, or not there (no chosen section needs them)
    problems: list[Problem] = []
    problems += _profile(data, expected_year, missing)
    problems += _duplicates(data)
    problems += _over_budget(data)
    problems += _reasons(data, reported)
    problems += _indicator_rows(data, rules, reported)
    problems += _computed_actuals(data)
    # Checks across tables run only between tables that are there. A placeholder in a text names
    # a stats figure the text cannot be written without: checked against an absent stats too.
    if "projects" not in gone:
        problems += _unknown_projects(data)
        if "indicators" not in gone:
            problems += _weights(data, rules)
        if "project_funds" not in gone:
            problems += _fund_totals(data)
        if "budget" not in gone:
            problems += _fund_source_cap(data)
    if "indicators" not in gone:
        problems += _goal_indicators(data)
    if "stats" not in missing and "narrative" not in missing:
        problems += _placeholders(data)
    if "stats" not in gone and "indicators" not in gone:
        problems += _stats_keys(data)
    if data.published is not None and "published" not in missing:
        problems += _published(data)
    return problems


def _at(row: pd.Series, table: str, column: str = "", value: Any = "", **kw: Any) -> Problem:
    """A problem located at a loaded row (its ``_file``, ``_sheet``, ``_row``)."""
    return Problem(
        file=row["_file"],
        sheet=row["_sheet"],
        row=int(row["_row"]),
        column=column,
        value=_text(value),
        table=table,
        **kw,
    )


def _whole(data: Dataset, table: str, column: str = "", **kw: Any) -> Problem:
    """A problem about a whole table (no row), located at the table's file (and sheet)."""
    file, sheet = f"{TABLES[table].display}表", ""
    for name in data.files:
        if name.endswith(f"/{table}.csv"):
            file = name
        elif name.endswith(".xlsx"):
            file, sheet = name, TABLES[table].name
    return Problem(file=file, sheet=sheet, column=column, table=table, **kw)


def _text(value: Any) -> str:
    if isinstance(value, float):
        return "" if math.isnan(value) else f"{value:g}"
    return "" if value is None or value is pd.NA else str(value)


def _amount(value: float) -> str:
    return f"{value:.2f}"


def _num(value: float) -> str:
    return f"{value:g}"


def _project_name(projects: pd.DataFrame, project_id: str) -> str:
    """``项目 YB01「特困供养」``: how messages name a project."""
    names = projects.loc[projects["project_id"] == project_id, "project_name"]
    return f"项目 {project_id}「{names.iloc[0]}」" if len(names) else f"项目 {project_id}"


def _profile(data: Dataset, expected_year: int | None, missing: set[str]) -> list[Problem]:
    profile = data.profile
    if len(profile) == 0:
        if "profile" in missing:
            return []
        return [_whole(data, "profile", message="没有数据行，应有一行单位概况")]
    problems = []
    for _, extra in profile.iloc[1:].iterrows():
        problems.append(_at(extra, "profile", message="单位概况只能有一行"))
    row = profile.iloc[0]
    year = row["year"]
    if not pd.isna(year):
        for wanted, why in ((data.year, "所选年度"), (expected_year, "参数的年度")):
            if wanted is not None and int(year) != int(wanted):
                problems.append(
                    _at(
                        row,
                        "profile",
                        "year",
                        year,
                        expected=str(wanted),
                        message=f"值 {year} 与{why} {wanted} 不符",
                    )
                )
    if row["unit_id"] and row["unit_id"] != data.unit:
        problems.append(
            _at(
                row,
                "profile",
                "unit_id",
                row["unit_id"],
                expected=data.unit,
                message=f'值 "{row["unit_id"]}" 与单位 {data.unit} 不符',
            )
        )
    date = _text(row.get("report_date")).strip()
    if date and formatting.parse_date(date) is None:  # the report, the 自评表 and the PDF all read it as a date
        message = f'值 "{date}" 不是日期，应为 YYYY-MM-DD（如 2020-04-20）'
        problems.append(_at(row, "profile", "report_date", date, expected="YYYY-MM-DD", message=message))
    return problems


def _duplicates(data: Dataset) -> list[Problem]:
    """Ids used twice, and budget lines repeating a fund source and kind."""
    problems = []
    for table, column in ID_COLUMNS.items():
        frame = data.table(table)
        if frame is None:  # an optional table not read
            continue
        first: dict[str, int] = {}
        for _, row in frame.iterrows():
            value = row[column]
            if not value:
                continue
            if value in first:
                problems.append(
                    _at(
                        row,
                        table,
                        column,
                        value,
                        message=f'值 "{value}" 重复（第{first[value]}行已有），应唯一',
                    )
                )
            else:
                first[value] = int(row["_row"])
    problems += _repeated_pairs(
        data.budget, "budget", ("fund_source", "kind"),
        "资金来源“{0}”的{1}与第{row}行重复，每个资金来源和支出类型只能有一行",
    )  # fmt: skip
    problems += _fund_rows(data)
    problems += _basic_and_parts(data)
    return problems


def _basic_and_parts(data: Dataset) -> list[Problem]:
    """A fund source's 基本支出 is one line or its two parts (人员经费, 公用经费), never both:
    both would count the same money twice."""
    problems, first = [], {}
    for _, row in data.budget.iterrows():
        source, kind = row["fund_source"], row["kind"]
        if not source or kind not in (BASIC, *BASIC_PARTS):
            continue
        whole = kind == BASIC
        earlier = first.get((source, not whole))
        if earlier is not None:
            other_row, other_kind = earlier
            problems.append(
                _at(
                    row,
                    "budget",
                    "kind",
                    kind,
                    message=f"资金来源“{source}”的{kind}与第{other_row}行的{other_kind}不能同时填报：人员经费和公用经费"
                    "是基本支出的两部分，应只填基本支出一行，或分填人员经费和公用经费",
                )
            )
        first.setdefault((source, whole), (int(row["_row"]), kind))
    return problems


def _reasons(data: Dataset, reported: set[tuple[str, str, int | None, str]]) -> list[Problem]:
    """Why a project was not self-evaluated; why a goal was not (fully) reached."""
    problems = []
    checks = (
        ("projects", "self_evaluated", ("否",), "not_evaluated_reason", "是否开展自评"),
        ("goals", "completion", ("部分完成", "未完成"), "deviation_reason", "完成情况"),
    )
    for table, column, values, reason, label in checks:
        for _, row in data.table(table).iterrows():
            value = row[column]
            where = (row["_file"], row["_sheet"], int(row["_row"]), reason)
            if value in values and not str(row[reason]).strip() and where not in reported:
                problems.append(_at(row, table, reason, expected="文本", message=f"{label}为“{value}”时必填，不能为空"))
    return problems


def _fund_rows(data: Dataset) -> list[Problem]:
    """A project's funds rows: a 资金性质 (and 资金级次, where the rows give one) once each, and a
    资金级次 on every row of the project or on none (the 自评表 shows its funds by level or by type)."""
    problems: list[Problem] = []
    seen: dict[tuple[Any, Any, Any], int] = {}
    levelled: dict[Any, tuple[bool, int]] = {}
    for _, row in data.project_funds.iterrows():
        pid, fund_type, level = row["project_id"], row["fund_type"], row.get("level") or ""
        if not pid or not fund_type:
            continue
        key = (pid, fund_type, level)
        if key in seen:
            said = f"资金性质“{fund_type}”" + (f"、资金级次“{level}”" if level else "")
            message = f"项目 {pid} 的{said}与第{seen[key]}行重复"
            problems.append(_at(row, "project_funds", "fund_type", fund_type, message=message))
        else:
            seen[key] = int(row["_row"])
        first = levelled.setdefault(pid, (bool(level), int(row["_row"])))
        if first[0] != bool(level):
            before, now = ("填写了" if first[0] else "未填写"), ("填写了" if level else "未填写")
            message = (
                f"项目 {pid} 的资金行第{first[1]}行{before}资金级次，本行{now}；"
                "同一项目的资金行须全部填写资金级次（中央、省级、市县）或全部空白"
            )
            expected = "同一项目的资金行全部填写或全部空白"
            problems.append(_at(row, "project_funds", "level", level, expected=expected, message=message))
    return problems


def _repeated_pairs(frame: Any, table: str, columns: tuple[str, str], message: str) -> list[Problem]:
    """Rows repeating the pair of ``columns`` of an earlier row; reported on the second column."""
    problems, seen = [], {}
    for _, row in frame.iterrows():
        pair = (row[columns[0]], row[columns[1]])
        if not all(pair):
            continue
        if pair in seen:
            text = message.format(*pair, row=seen[pair])
            problems.append(_at(row, table, columns[1], row[columns[1]], message=text))
        else:
            seen[pair] = int(row["_row"])
    return problems


def _over_budget(data: Dataset) -> list[Problem]:
    """Rows whose executed amount is above their full-year budget."""
    problems = []
    for table in ("budget", "projects", "project_funds", "sangong"):
        for _, row in data.table(table).iterrows():
            executed, budget = row["executed"], row["full_year_budget"]
            if pd.isna(executed) or pd.isna(budget) or executed <= budget + TOLERANCE:
                continue
            problems.append(
                _at(
                    row,
                    table,
                    "executed",
                    executed,
                    expected=f"不超过 {_amount(budget)}",
                    message=f"执行数 {_amount(executed)} 超过全年预算数 {_amount(budget)}",
                )
            )
    return problems


def _unknown_projects(data: Dataset) -> list[Problem]:
    """Funds and indicator rows naming a project that is not in ``projects``."""
    known = set(data.projects["project_id"])
    problems = []
    for _, row in data.project_funds.iterrows():
        pid = row["project_id"]
        if pid and pid not in known:
            problems.append(
                _at(
                    row,
                    "project_funds",
                    "project_id",
                    pid,
                    expected="项目表中的项目编码",
                    message=f'值 "{pid}" 不是项目(projects)表中的项目编码',
                )
            )
    for _, row in data.indicators.iterrows():
        scope = row["scope"]
        if scope and scope != DEPARTMENT and scope not in known:
            problems.append(
                _at(
                    row,
                    "indicators",
                    "scope",
                    scope,
                    expected=f"项目编码或 {DEPARTMENT}",
                    message=f'值 "{scope}" 不是项目(projects)表中的项目编码，也不是 {DEPARTMENT}（部门整体）',
                )
            )
    return problems


def goal_indicator_ids(value: Any) -> list[str]:
    """The indicator ids a goal names (``BM-03`` or ``BM-03、BM-04``; 、 ， , ; or spaces between)."""
    return [part for part in re.split(r"[、，,；;\s]+", _text(value)) if part]


def _goal_indicators(data: Dataset) -> list[Problem]:
    """Goals naming an indicator that is not in ``indicators``."""
    if "indicator_id" not in data.goals.columns:
        return []
    known = set(data.indicators["indicator_id"])
    problems = []
    for _, row in data.goals.iterrows():
        for indicator_id in goal_indicator_ids(row["indicator_id"]):
            if indicator_id not in known:
                problems.append(
                    _at(
                        row, "goals", "indicator_id", indicator_id, expected="指标表中的指标编码",
                        message=f'值 "{indicator_id}" 不是绩效指标(indicators)表中的指标编码',
                    )
                )  # fmt: skip
    return problems


def _indicator_rows(data: Dataset, rules: Rules, reported: set[tuple[str, str, int | None, str]]) -> list[Problem]:
    """Per indicator: project level1 codes, target or grade present, 定性 score in its band."""
    problems = []
    for _, row in data.indicators.iterrows():
        where = (row["_file"], row["_sheet"], int(row["_row"]))
        scope, level1 = row["scope"], row["level1"]
        if scope and scope != DEPARTMENT and level1 and level1 not in LEVEL1:
            problems.append(
                _at(
                    row,
                    "indicators",
                    "level1",
                    level1,
                    expected="、".join(LEVEL1),
                    message=f'值 "{level1}" 不是项目的一级指标，应为 {"、".join(LEVEL1)}',
                )
            )
        direction = row["direction"]
        if not direction:
            continue
        if direction != QUALITATIVE:
            if pd.isna(row["target"]) and (*where, "target") not in reported:
                problems.append(
                    _at(
                        row,
                        "indicators",
                        "target",
                        expected="数字",
                        message=f"指标性质为 {direction} 时必填，不能为空",
                    )
                )
            continue
        grade = row["actual_grade"]
        if not grade:
            if (*where, "actual_grade") not in reported:
                problems.append(
                    _at(
                        row,
                        "indicators",
                        "actual_grade",
                        expected="达成、部分达成、未达成",
                        message="定性指标必填，不能为空",
                    )
                )
            continue
        score, weight = row["reported_score"], row["weight"]
        band = rules.qualitative_bands.get(grade)
        if band is None or pd.isna(score) or pd.isna(weight):
            continue
        low, high = band[0] * weight, band[1] * weight
        if not low - 1e-9 <= score <= high + 1e-9:
            problems.append(
                _at(
                    row,
                    "indicators",
                    "reported_score",
                    score,
                    expected=f"{_num(round(low, 4))}～{_num(round(high, 4))}",
                    message=f"定性档次“{grade}”的得分应在 {_num(round(low, 4))}～"
                    f"{_num(round(high, 4))} 分之间（分值 {_num(weight)} 的 "
                    f"{_num(band[0] * 100)}%～{_num(band[1] * 100)}%），填报 {_num(score)}",
                )
            )
    return problems


def _computed_actuals(data: Dataset) -> list[Problem]:
    """An actual computed from the budget (``computed_actual``): department rows only, not 定性,
    and its ``actual`` cell left blank (the computed figure replaces it)."""
    problems = []
    for _, row in data.indicators.iterrows():
        measure = row["computed_actual"]
        if not measure:
            continue
        if row["scope"] and row["scope"] != DEPARTMENT:
            problems.append(
                _at(
                    row,
                    "indicators",
                    "computed_actual",
                    measure,
                    expected=f"空白（仅用于 {DEPARTMENT}）",
                    message=f"计算口径“{measure}”只用于部门整体({DEPARTMENT})指标，项目 {row['scope']} 的指标应留空",
                )
            )
        elif row["direction"] == QUALITATIVE:
            problems.append(
                _at(
                    row,
                    "indicators",
                    "computed_actual",
                    measure,
                    expected="空白",
                    message=f"定性指标没有数值实际完成值，不能按“{measure}”计算",
                )
            )
        elif not pd.isna(row["actual"]):
            problems.append(
                _at(
                    row,
                    "indicators",
                    "actual",
                    row["actual"],
                    expected="空白",
                    message=f"实际完成值按计算口径“{measure}”由预算(budget)表计算，"
                    f"应留空（填报 {_num(row['actual'])}）",
                )
            )
    return problems


def _units(data: Dataset) -> dict[str, str]:
    """Each stats key's unit."""
    return {str(k): _text(u).strip() for k, u in zip(data.stats["key"], data.stats["unit"], strict=True)}


UNITS_DIFFER = "求和的指标计量单位不同，不能相加"


def mixed_units(units: dict[str, str], keys: list[str]) -> str:
    """The keys of a sum with their units (``a（户）、b（人）``) when the units differ; "" when they
    are one unit (or a key is unknown: reported as such). The check and the report's sums
    (``sections.themes``) both refuse a sum this names, with :data:`UNITS_DIFFER`."""
    if len(keys) < 2 or any(k not in units for k in keys) or len({units[k] for k in keys}) == 1:
        return ""
    return "、".join(f"{k}（{units[k]}）" for k in keys)


def _stats_keys(data: Dataset) -> list[Problem]:
    """An indicator's ``stats_key`` (or ``a+b``) must name ``stats`` keys (closest key suggested),
    and a sum keys of one unit."""
    keys = [k for k in data.stats["key"] if k]
    units = _units(data)
    problems = []
    for _, row in data.indicators.iterrows():
        name = row["stats_key"]
        if not name:
            continue
        parts = [p.strip() for p in name.split("+")]
        mixed = mixed_units(units, parts)
        if mixed:
            message = f"{name} {UNITS_DIFFER}：{mixed}"
            problems.append(_at(row, "indicators", "stats_key", name, expected="同一计量单位的指标", message=message))
        for key in parts:
            if key in keys:
                continue
            close = difflib.get_close_matches(key, keys, n=1, cutoff=0.6)
            hint = f"，是否应为 {close[0]}？" if close else ""
            where = f"{name} 中的 {key}" if "+" in name else key
            problems.append(
                _at(
                    row,
                    "indicators",
                    "stats_key",
                    name,
                    expected="业务统计(stats)表中的指标键",
                    message=f"{where} 不是业务统计(stats)表中的指标键{hint}",
                )
            )
    return problems


def _project_weights(row: pd.Series, rules: Rules) -> dict[str, float]:
    """A project's first-level weights: its own, or the unit's defaults where blank."""
    weights = {}
    for name, column in _WEIGHT_COLUMNS.items():
        value = row[column]
        weights[name] = rules.weights[name] if pd.isna(value) else float(value)
    return weights


def _weights(data: Dataset, rules: Rules) -> list[Problem]:
    """Per project: first levels sum to 100 and each level1's indicators to its weight;
    the department's indicators sum to 100."""
    problems = []
    indicators = data.indicators
    for _, row in data.projects.iterrows():
        pid = row["project_id"]
        if not pid:
            continue
        name = _project_name(data.projects, pid)
        weights = _project_weights(row, rules)
        total = sum(weights.values())
        if abs(total - 100) > 1e-6:
            parts = " + ".join(f"{_WEIGHT_NAMES[k]} {_num(v)}" for k, v in weights.items())
            problems.append(
                _at(
                    row,
                    "projects",
                    "",
                    expected="100",
                    message=f"{name}的一级指标分值合计 {_num(total)}（{parts}），应为 100",
                )
            )
        own = indicators[indicators["scope"] == pid]
        if len(own) == 0:
            if row["self_evaluated"] == "是":
                problems.append(
                    _at(
                        row,
                        "projects",
                        "project_id",
                        pid,
                        message=f"{name}开展了自评，但绩效指标(indicators)表中没有它的指标",
                    )
                )
            continue
        if own["weight"].isna().any():
            continue
        for level1, key in LEVEL1_WEIGHT_KEYS.items():
            got = float(own.loc[own["level1"] == level1, "weight"].sum())
            want = weights[key]
            if abs(got - want) > 1e-6:
                problems.append(
                    _whole(
                        data,
                        "indicators",
                        "weight",
                        value=_num(got),
                        expected=_num(want),
                        message=f"{name}{level1}的三级指标分值合计 {_num(got)}，"
                        f"应等于该项目的{level1}分值 {_num(want)}",
                    )
                )
    department = indicators[indicators["scope"] == DEPARTMENT]
    if len(department) and not department["weight"].isna().any():
        got = float(department["weight"].sum())
        if abs(got - 100) > 1e-6:
            problems.append(
                _whole(
                    data,
                    "indicators",
                    "weight",
                    value=_num(got),
                    expected="100",
                    message=f"部门整体(department)指标分值合计 {_num(got)}，应为 100",
                )
            )
    return problems


def _fund_totals(data: Dataset) -> list[Problem]:
    """Each project's funds rows add up to its three amounts (to 0.01 万元)."""
    problems = []
    funds = data.project_funds
    for _, row in data.projects.iterrows():
        pid = row["project_id"]
        if not pid:
            continue
        name = _project_name(data.projects, pid)
        own = funds[funds["project_id"] == pid]
        if len(own) == 0:
            problems.append(
                _at(
                    row,
                    "projects",
                    "project_id",
                    pid,
                    message=f"{name}在项目资金(project_funds)表中没有资金行",
                )
            )
            continue
        for column in ("initial_budget", "full_year_budget", "executed"):
            want = row[column]
            if pd.isna(want) or own[column].isna().any():
                continue
            got = round(float(own[column].sum()), 6)
            if abs(got - want) > TOLERANCE:
                label = TABLES["projects"].column(column).label
                problems.append(
                    _at(
                        row,
                        "projects",
                        column,
                        want,
                        expected=_amount(got),
                        message=f"{name}的{label} {_amount(want)} 与项目资金(project_funds)表"
                        f"各行合计 {_amount(got)} 不符（相差 {_amount(abs(got - want))}）",
                    )
                )
    return problems


def _fund_source_cap(data: Dataset) -> list[Problem]:
    """Evaluated projects of a fund source spend no more than its 项目支出 budget line, and
    neither do all its projects (evaluated or not)."""
    problems = []
    projects = data.projects
    evaluated = projects[projects["self_evaluated"] == "是"]
    lines = data.budget[data.budget["kind"] == PROJECT]
    for source in dict.fromkeys(evaluated["fund_source"]):
        if not source:
            continue
        spent = evaluated.loc[evaluated["fund_source"] == source, "executed"]
        if spent.isna().any():
            continue
        own = lines[lines["fund_source"] == source]
        if len(own) == 0:
            problems.append(
                _whole(
                    data,
                    "budget",
                    "fund_source",
                    value=source,
                    message=f"没有资金来源“{source}”的项目支出行，但项目(projects)表有该资金来源的自评项目",
                )
            )
            continue
        if own["executed"].isna().any():
            continue
        got, cap = float(spent.sum()), float(own["executed"].sum())
        if got > cap + TOLERANCE:
            problems.append(
                _whole(
                    data,
                    "projects",
                    "executed",
                    value=_amount(got),
                    expected=f"不超过 {_amount(cap)}",
                    message=f"资金来源“{source}”的自评项目全年执行数合计 {_amount(got)}，"
                    f"超过预算(budget)表该资金来源项目支出的全年执行数 {_amount(cap)}",
                )
            )
    for source in dict.fromkeys(projects["fund_source"]):
        spent, own = projects.loc[projects["fund_source"] == source, "executed"], lines[lines["fund_source"] == source]
        if not source or spent.isna().any() or len(own) == 0 or own["executed"].isna().any():
            continue
        got, cap = float(spent.sum()), float(own["executed"].sum())
        evaluated_sum = float(evaluated.loc[evaluated["fund_source"] == source, "executed"].fillna(0).sum())
        if got > cap + TOLERANCE and evaluated_sum <= cap + TOLERANCE:  # else reported above
            problems.append(
                _whole(
                    data,
                    "projects",
                    "executed",
                    value=_amount(got),
                    expected=f"不超过 {_amount(cap)}",
                    message=f"资金来源“{source}”的全部项目（含未开展自评的）全年执行数合计 {_amount(got)}，"
                    f"超过预算(budget)表该资金来源项目支出的全年执行数 {_amount(cap)}",
                )
            )
    return problems


def _placeholders(data: Dataset) -> list[Problem]:
    """Narrative ``{key}`` placeholders must name a ``stats`` key (or year, unit_name);
    ``{a+b}`` (a sum of figures) must name stats keys only, of one unit."""
    keys = [k for k in data.stats["key"] if k]
    units = _units(data)
    allowed = set(keys) | set(NARRATIVE_FIELDS)
    problems = []
    texts = [("narrative", "text", row) for _, row in data.narrative.iterrows()]
    texts += [("goals", "outcome", row) for _, row in data.goals.iterrows()]
    for table, column, row in texts:
        for match in _PLACEHOLDER.finditer(row[column]):
            name = match.group(1)
            if name is None:
                continue
            parts = [p.strip() for p in name.split("+")] if "+" in name else [name]
            mixed = mixed_units(units, parts)
            if mixed:
                message = f"占位符 {{{name}}} {UNITS_DIFFER}：{mixed}"
                value = "{" + name + "}"
                problems.append(_at(row, table, column, value, expected="同一计量单位的指标", message=message))
            for key in parts:
                if key in (set(keys) if len(parts) > 1 else allowed):
                    continue
                close = difflib.get_close_matches(key, keys, n=1, cutoff=0.6)
                hint = f"，是否应为 {{{close[0]}}}？" if close else ""
                problems.append(
                    _at(
                        row,
                        table,
                        column,
                        "{" + name + "}",
                        expected="业务统计(stats)表中的指标键",
                        message=f"占位符 {{{name}}} 中的 {key} 不是业务统计(stats)表中的指标键{hint}"
                        if len(parts) > 1
                        else f"占位符 {{{key}}} 不是业务统计(stats)表中的指标键{hint}",
                    )
                )
    return problems


def _published(data: Dataset) -> list[Problem]:
    """The ``published`` table: keys jixiao knows, a value or a text on every row, the unit of a
    computed figure. (A cell that differs from what was printed is no input error: the figure is
    then marked illustrative, and ``jixiao.checks.published.comparisons`` lists it for review.)"""
    from jixiao.inputs.published import parse_key

    problems = []
    for _, row in data.published.iterrows():
        key = str(row["key"] or "").strip()
        if not key:
            continue  # reported by reading
        parts = parse_key(key)
        if isinstance(parts, str):
            problems.append(_at(row, "published", "key", key, message=f'值 "{key}" {parts}'))
            continue
        value, printed = row["value"], str(row["printed"] or "").strip()
        if pd.isna(value) and not printed:
            problems.append(_at(row, "published", "value", message="数值和原文至少填一项"))
            continue
        if not parts.is_cell:
            unit = str(row["unit"] or "").strip()
            if unit and unit != parts.unit:
                message = f'值 "{unit}" 与数字键 {key} 的单位 {parts.unit} 不符'
                problems.append(_at(row, "published", "unit", unit, expected=parts.unit, message=message))
    return problems


STAND_INS = (
    (re.compile(r"(?<![A-Za-z])[Xx×]{3,}(?![A-Za-z])"), "", "含 XXX"),
    (re.compile("某"), "contact_person", "姓名带“某”"),
    (re.compile(r"(?<!\d)0{4,}(?!\d)|0{7,}"), "contact_phone", "号码是一串 0"),
)
"""What a placeholder looks like: its pattern, the column it is looked for in ("" = every text
column) and what gives it away."""


def published_orphans(data: Dataset) -> list[Problem]:
    """Rows of ``published`` naming a cell whose row is not in its table (a mistyped project or
    资金性质, a statistic taken out): they mark no figure as printed. Warnings, not errors: the
    report is right without them, only less of it is marked published."""
    from jixiao.inputs.published import missing_row, parse_key

    if data.published is None or not len(data.published):
        return []
    found = []
    for _, row in data.published.iterrows():
        key = str(row["key"] or "").strip()
        parts = parse_key(key) if key else ""
        if isinstance(parts, str) or not parts.is_cell:
            continue
        absent = missing_row(parts, data.table(parts.table))
        if absent is not None:
            message = f'值 "{key}" 所指的单元格不存在：{absent}，这一行不会把任何数字标为公开发布'
            found.append(_at(row, "published", "key", key, message=message))
    return found


def stand_ins(data: Dataset) -> list[Problem]:
    """Values that look like placeholders, not facts: XXX (or ×××) in any text cell, a 联系人 with
    某 (王某, 张某某), a 联系电话 with a run of 0s (0751-0000000, 00000000). A report would state
    them as facts, so they are warnings: printed, named by cell, but not errors (the example's
    supplied contact is one, and the report marks it 示)."""
    found = []
    for name, table in TABLES.items():
        frame = data.table(name)
        if frame is None or len(frame) == 0:
            continue
        for column in table.columns:
            if column.type != "text" or column.key not in frame.columns:
                continue
            cells = frame[column.key].astype("string").fillna("")
            for pattern, only, why in STAND_INS:
                if only and only != column.key:
                    continue
                for index in frame.index[cells.str.contains(pattern)]:
                    value = cells[index]
                    shown = f'值 "{value}" ' if len(value) <= 30 else "内容"
                    message = f"{shown}像是占位的示例值（{why}），报送前请改为真实内容"
                    found.append(_at(frame.loc[index], name, column.key, value, message=message))
    return found
