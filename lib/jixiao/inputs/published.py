"""The ``published`` table's keys (公开数字): a figure jixiao computes, or one cell of the inputs.

A row of ``published`` names either a computed figure (:data:`COMPUTED_KEYS`, one place for
every such key: ``total_budget``, ``evaluated_share.一般公共预算``) or a cell, written
``table:id:column`` (``budget:B03:executed``; ``stats:<key>`` for a statistic's value). A table
without an id column names its rows by the columns of :data:`ROW_KEYS`:
``project_funds:YB01/当年财政拨款:executed`` (project and 资金性质, joined by ``/``) and
``profile:lechang-mzj:staff_quota`` (the profile's one row, by its unit). :func:`row_id` gives a
row's id the same way, so a key and the row it names always meet.
:func:`parse_key` reads a key or says, in Chinese, what is wrong with it; validation reports
that, and :mod:`jixiao.writing.provenance` decides with it which figures are published.

:func:`published_table` reads a unit-year's rows as :class:`Printed` figures (what was printed,
where), each compared with a value at the precision printed (:func:`agrees`); :class:`Source`
says where a figure of the inputs is (file, sheet, row, column).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from numbers import Real
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jixiao import formatting
from jixiao.inputs import parts as table_parts
from jixiao.inputs import schema

if TYPE_CHECKING:
    import pandas as pd

COMPUTED_KEYS: dict[str, tuple[str, str]] = {
    "department_score": ("部门整体支出绩效自评得分", "分"),
    "total_budget": ("全年预算数（各预算行之和）", "万元"),
    "total_executed": ("全年执行数（各预算行之和）", "万元"),
    "execution_rate": ("预算执行率（全年执行数 ÷ 全年预算数）", "%"),
    "evaluated_count": ("开展绩效自评的项目个数", "个"),
    "evaluated_amount": ("开展绩效自评的项目资金", "万元"),
    "evaluated_share": ("自评项目资金占项目支出总额的比重", "%"),
}
"""Every figure jixiao computes that a ``published`` row may name, with what it is and its unit
(a ``%`` figure is computed as a ratio and printed ×100). The last three are per fund source:
``evaluated_count.一般公共预算``."""
PER_FUND_SOURCE = ("evaluated_count", "evaluated_amount", "evaluated_share")


ROW_KEYS: dict[str, tuple[str, ...]] = {
    "project_funds": ("project_id", "fund_type"),
    "profile": ("unit_id",),
}
"""The columns that name a row of a table without an id column of its own, in a ``published``
key (joined by :data:`ROW_SEPARATOR`). Every other table is named by ``schema.ID_COLUMNS``."""
ROW_SEPARATOR = "/"


def row_columns(table: str) -> tuple[str, ...] | None:
    """The columns whose values name a row of ``table`` in a ``published`` key; None for a table
    whose rows cannot be named (``published`` itself, or an unknown one).

    >>> row_columns("budget"), row_columns("project_funds"), row_columns("published")
    (('line_id',), ('project_id', 'fund_type'), None)
    """
    if table == "published":
        return None
    if table in ROW_KEYS:
        return ROW_KEYS[table]
    column = schema.ID_COLUMNS.get(table)
    return (column,) if column else None


def row_id(table: str, row: Mapping[str, Any]) -> str | None:
    """The id a ``published`` key names ``row`` of ``table`` by (``YB01/当年财政拨款`` for a
    ``project_funds`` row); None when the table has none or a part of it is blank.

    >>> row_id("project_funds", {"project_id": "YB01", "fund_type": "当年财政拨款"})
    'YB01/当年财政拨款'
    """
    columns = row_columns(table)
    if columns is None:
        return None
    parts = [cell_text(row, c).strip() for c in columns]
    return ROW_SEPARATOR.join(parts) if all(parts) else None


def computed_key(name: str, fund_source: str | None = None) -> str:
    """The ``published`` key of a figure jixiao computes: ``total_budget``,
    ``evaluated_share.一般公共预算``. Raises ``KeyError`` for a name not in :data:`COMPUTED_KEYS`.

    >>> computed_key("evaluated_share", "一般公共预算")
    'evaluated_share.一般公共预算'
    """
    if name not in COMPUTED_KEYS:
        raise KeyError(f"{name!r} is not a key of COMPUTED_KEYS")
    if (name in PER_FUND_SOURCE) != (fund_source is not None):
        raise KeyError(f"{name!r}: a fund source is {'required' if name in PER_FUND_SOURCE else 'not expected'}")
    return f"{name}.{fund_source}" if fund_source else name


@dataclass(frozen=True)
class KeyParts:
    """A ``published`` key, parsed: a computed figure (``name``, ``fund_source``) or a cell."""

    name: str = ""
    fund_source: str = ""
    table: str = ""
    id: str = ""
    column: str = ""

    @property
    def is_cell(self) -> bool:
        return bool(self.table)

    @property
    def unit(self) -> str:
        """The unit of a computed figure (``%`` ones are ratios printed ×100)."""
        return COMPUTED_KEYS[self.name][1] if self.name in COMPUTED_KEYS else ""


def parse_key(key: str) -> KeyParts | str:
    """A ``published`` key's parts, or (a string) what is wrong with it, in Chinese.

    >>> parse_key("stats:tekun_scattered_people")
    KeyParts(name='', fund_source='', table='stats', id='tekun_scattered_people', column='value')
    >>> parse_key("budget:B03:executed").column
    'executed'
    >>> parse_key("project_funds:YB01/当年财政拨款:executed").id
    'YB01/当年财政拨款'
    >>> parse_key("profile:lechang-mzj:staff_quota").table
    'profile'
    >>> parse_key("evaluated_count.一般公共预算").fund_source
    '一般公共预算'
    >>> parse_key("total")[:28]
    '不是可用的数字键，应为 department_score'
    """
    key = key.strip()
    if ":" in key:
        parts = key.split(":")
        table = schema.TABLES.get(parts[0])
        columns = row_columns(parts[0])
        if table is None or columns is None:
            tables = "、".join(t for t in schema.TABLES if row_columns(t) is not None)
            return f"表 {parts[0]!r} 不能引用，应为 {tables} 之一"
        if len(parts) == 2 and parts[0] == "stats":
            parts.append("value")
        if len(parts) != 3 or not parts[1]:
            return "单元格应写作 表:编码:列（业务统计表可省略 :value）"
        if parts[0] == "project_funds":
            project, _, fund_type = parts[1].partition(ROW_SEPARATOR)
            if not project or fund_type not in schema.FUND_TYPES:
                types = "、".join(schema.FUND_TYPES)
                return f"项目资金行应写作 project_funds:项目编码/资金性质:列，资金性质为 {types} 之一"
        if parts[2] not in table.keys:
            return f"列 {parts[2]!r} 不是{table.display}表的列"
        return KeyParts(table=parts[0], id=parts[1], column=parts[2])
    name, _, fund_source = key.partition(".")
    if name in COMPUTED_KEYS and (name in PER_FUND_SOURCE) == bool(fund_source):
        if fund_source and fund_source not in schema.FUND_SOURCES:
            return f"资金来源 {fund_source!r} 不是可用的代码，应为 {'、'.join(schema.FUND_SOURCES)}"
        return KeyParts(name=name, fund_source=fund_source)
    known = [f"{k}.<资金来源>" if k in PER_FUND_SOURCE else k for k in COMPUTED_KEYS]
    return f"不是可用的数字键，应为 {'、'.join(known)}，或 表:编码:列"


_IDS: dict[tuple[int, str], tuple[pd.DataFrame, set[str | None]]] = {}


def _row_ids(table: str, frame: pd.DataFrame) -> set[str | None]:
    """The ids of the rows of ``frame`` (:func:`row_id`), found once per table: validation asks
    for every key of the ``published`` table."""
    kept = _IDS.get((id(frame), table))
    if kept is None or kept[0] is not frame:
        ids = {row_id(table, row) for row in frame[list(row_columns(table) or ())].to_dict("records")}
        if len(_IDS) >= 16:
            _IDS.clear()
        kept = _IDS[(id(frame), table)] = (frame, ids)
    return kept[1]


def missing_row(parts: KeyParts, frame: pd.DataFrame | None) -> str | None:
    """What is wrong when the cell a key names has no row in its table (``frame``, read from the
    inputs), in Chinese; None when the row is there, or the table was not read.

    >>> import pandas as pd
    >>> funds = pd.DataFrame({"project_id": ["YB01"], "fund_type": ["当年财政拨款"]})
    >>> missing_row(parse_key("project_funds:YB01/其他资金:executed"), funds)
    '项目资金(project_funds)表中没有 项目编码/资金性质 为 YB01/其他资金 的行'
    >>> missing_row(parse_key("project_funds:YB01/当年财政拨款:executed"), funds) is None
    True
    """
    if not parts.is_cell or frame is None or not len(frame):
        return None
    columns = row_columns(parts.table) or ()
    if any(c not in frame.columns for c in columns):
        return None
    if parts.id in _row_ids(parts.table, frame):
        return None
    table = schema.TABLES[parts.table]
    named = ROW_SEPARATOR.join(table.column(c).label for c in columns)
    return f"{table.display}表中没有 {named} 为 {parts.id} 的行"


# -- where a figure of the inputs is -----------------------------------------------------------


def _url_part(text: str) -> str:
    """A value for ``data-source``'s ``k=v&…`` part: only the separators are percent-encoded."""
    return text.replace("%", "%25").replace("&", "%26").replace("=", "%3D").replace("#", "%23")


@dataclass(frozen=True)
class Source:
    """A cell of the inputs: file (relative to the project root), sheet, row, column.

    ``row`` is the row as the user sees it in a spreadsheet (header = 1, first data row = 2).
    """

    file: str
    sheet: str = ""
    row: int | None = None
    column: str | None = None
    column_label: str | None = None
    form_cell: str | None = None
    """For a row ``jixiao import`` wrote: the cell of the filed 自评表 this column was read from
    (``forms/a.xlsx#sheet=附件1&cell=F7``, :func:`jixiao.inputs.source_refs.cell_ref`)."""

    def describe(self) -> str:
        """Where the figure is, for a reader (and the filed form's cell it was imported from).

        >>> Source("data/lechang-mzj/2019/stats.csv", "", 5, "value", "数值").describe()
        'data/lechang-mzj/2019/stats.csv 第5行 数值(value)'
        >>> Source("data/lechang-mzj/2019/data.xlsx", "业务统计", 5, "value", "数值").describe()
        'data/lechang-mzj/2019/data.xlsx [业务统计] 第5行 数值(value)'
        >>> Source("params/lechang-mzj/2019.yaml", column="score").describe()
        'params/lechang-mzj/2019.yaml score'
        >>> form = "forms/a.xlsx#sheet=附件1&cell=F7"
        >>> Source("data/x/2019/projects.csv", "", 2, "executed", "全年执行数", form).describe()
        'data/x/2019/projects.csv 第2行 全年执行数(executed)，原表 forms/a.xlsx 工作表「附件1」F7'
        """
        parts = [self.file]
        if self.sheet:
            parts.append(f"[{self.sheet}]")
        if self.row is not None:
            parts.append(f"第{self.row}行")
        if self.column:
            label = self.column_label
            named = label and label != self.column
            parts.append(f"{label}({self.column})" if named else self.column)
        text = " ".join(parts)
        if self.form_cell:
            file, _, query = self.form_cell.partition("#sheet=")
            sheet, _, cell = query.rpartition("&cell=")
            text += f"，原表 {file} 工作表「{sheet}」{cell}"
        return text

    def anchor(self) -> str:
        """Where the figure is, for a machine: ``file#sheet=…&row=…&col=…``.

        >>> Source("data/lechang-mzj/2019/stats.csv", "", 5, "value").anchor()
        'data/lechang-mzj/2019/stats.csv#row=5&col=value'
        >>> Source("data/x/2019/data.xlsx", "业务统计", 5, "value").anchor()
        'data/x/2019/data.xlsx#sheet=业务统计&row=5&col=value'
        """
        query = []
        if self.sheet:
            query.append(f"sheet={_url_part(self.sheet)}")
        if self.row is not None:
            query.append(f"row={self.row}")
        if self.column:
            query.append(f"col={_url_part(self.column)}")
        return self.file + ("#" + "&".join(query) if query else "")


def cell_text(row: Mapping[str, Any], column: str) -> str:
    """A cell of a row read from the inputs as text; "" when blank."""
    import pandas as pd

    v = row.get(column)
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
        return ""
    return str(v)


def cell_row(row: Mapping[str, Any]) -> int | None:
    """The spreadsheet row a row of the inputs was read from (``_row``), if it says."""
    import pandas as pd

    v = row.get("_row")
    try:
        return None if v is None or pd.isna(v) else int(v)
    except (TypeError, ValueError):
        return None


def plain(value: Any) -> float | int | None:
    """A cell's value as a Python number (numpy scalars unwrapped); None when missing."""
    import pandas as pd

    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if isinstance(value, Real):
        return float(value)
    if isinstance(value, str):
        try:
            f = float(value)
        except ValueError:
            raise TypeError(f"not a number: {value!r}") from None
        return None if math.isnan(f) else (int(f) if f.is_integer() and "." not in value else f)
    raise TypeError(f"not a number: {value!r}")


# -- the published table (公开数字) ---------------------------------------------------------------


def _decimals(value: float) -> int:
    """Decimals as printed: 79.5 → 1, 10408.34 → 2, 100 → 0."""
    text = f"{value:.10f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


def agrees(printed: float, value: float) -> bool:
    """``value`` equals the ``printed`` figure at the precision printed (half up).

    >>> agrees(79.5, 79.4999), agrees(79.5, 79.44), agrees(10408.34, 10408.34), agrees(100, 99.6)
    (True, False, True, True)
    """
    d = _decimals(printed)
    return abs(round(value + 1e-9 * (1 if value >= 0 else -1), d) - printed) < 10 ** (-d) / 2


_NUMBER_AND_UNIT = re.compile(r"\s*([-\u2212]?\d+)(?:\.(\d+))?\s*(\D*?)\s*")


def _number_and_unit(text: str) -> tuple[float, str, str] | None:
    """``80.0%`` → (80.0, "%", "0"): the number, its unit and its printed decimals; None for text
    that is not a number.

    >>> _number_and_unit("80.0%"), _number_and_unit("−7.3%"), _number_and_unit("特困供养")
    ((80.0, '%', '0'), (-7.3, '%', '3'), None)
    """
    match = _NUMBER_AND_UNIT.fullmatch(text)
    if match is None:
        return None
    whole, decimals, unit = match.group(1).replace("\u2212", "-"), match.group(2) or "", match.group(3)
    return float(f"{whole}.{decimals or 0}"), unit, decimals


@dataclass(frozen=True)
class Printed:
    """A figure as the unit's published report prints it: one row of the ``published`` table."""

    key: str
    label: str
    value: float | None
    printed: str
    unit: str
    document: str
    location: str
    source: Source

    @property
    def shown(self) -> str:
        """The figure as printed: ``79.5%``, ``10408.34万元``, ``特困供养``."""
        if self.value is None:
            return self.printed
        return formatting.natural(self.value, 6) + self.unit

    @property
    def where(self) -> str:
        """``《…》第1段``: the document and the place in it."""
        return f"{self.document}{self.location}"

    def agrees(self, value: Any, ratio: bool = False) -> bool:
        """``value`` equals the printed figure at the precision printed (``ratio``: ×100 first)."""
        if self.value is None:
            if not isinstance(value, str):
                return False
            mine, theirs = _number_and_unit(value), _number_and_unit(self.printed)
            if mine is not None and theirs is not None and mine[1] == theirs[1]:
                # 80% and 80.0% agree: numbers at the precision printed, not their styles
                places = len(theirs[2])
                return abs(round(mine[0] + 1e-9, places) - theirs[0]) < 10 ** (-places) / 2
            return value.strip() == self.printed.strip()
        if value is None or isinstance(value, str):
            return False
        return agrees(self.value, value * 100 if ratio else value)


@dataclass(frozen=True)
class PublishedTable:
    """The ``published`` rows of one unit-year, by key and by the cell they name."""

    by_key: dict[str, Printed]
    cells: dict[tuple[str, str], dict[str, Printed]]
    """(table, id) → column → the printed figure of that cell."""
    lookups: Callable[[str], None] | None = field(default=None, compare=False, repr=False)
    """Records a look-up by what it looked up (``parts.named``): the section that asked depends on
    the rows it found, or their absence, not on the whole table (``jixiao.inputs.parts``)."""

    def computed(self, key: str) -> Printed | None:
        return self.by_key.get(key)

    def printed(self, key: str) -> Printed | None:
        """The row of the computed figure ``key``, recorded as looked up."""
        if self.lookups is not None:
            self.lookups(table_parts.named(key))
        return self.by_key.get(key)

    def listed(self, table: str, row_id: str) -> dict[str, Printed]:
        """The rows naming cells of one row of an input table, by column, recorded as looked up."""
        if self.lookups is not None:
            self.lookups(f"{table}:{row_id}")
        return self.cells.get((table, row_id), {})


EMPTY = PublishedTable({}, {})
_cache: dict[Path, tuple[list[str], PublishedTable, dict[str, Any]]] = {}
"""Each folder's table: its files' hashes, the table, and its record as a dependency."""


def _published_rows(frame: pd.DataFrame) -> PublishedTable:
    import pandas as pd

    by_key: dict[str, Printed] = {}
    cells: dict[tuple[str, str], dict[str, Printed]] = {}
    for _, row in frame.iterrows():
        key = cell_text(row, "key").strip()
        parts = parse_key(key)
        if not key or isinstance(parts, str) or key in by_key:
            continue  # validation reports it
        value = row.get("value")
        printed = Printed(
            key=key,
            label=cell_text(row, "label"),
            value=None if value is None or pd.isna(value) else float(value),
            printed=cell_text(row, "printed"),
            unit=cell_text(row, "unit"),
            document=cell_text(row, "document"),
            location=cell_text(row, "location"),
            source=Source(cell_text(row, "_file"), cell_text(row, "_sheet"), cell_row(row), "key", "数字键"),
        )
        by_key[key] = printed
        if parts.is_cell:
            cells.setdefault((parts.table, parts.id), {})[parts.column] = printed
    return PublishedTable(by_key, cells)


def published_table(folder: Path, whole: bool = True) -> PublishedTable:
    """The ``published`` table of the inputs in ``folder`` (``data/<unit>/<year>/``); empty when
    it is absent or cannot be read (validation reports why). Read again when its file changes.

    Recorded as read (``jixiao.facts``): the whole table, or with ``whole=False`` only the rows
    looked up through :meth:`PublishedTable.printed` and :meth:`PublishedTable.listed` (the
    figures a section shows): editing the row of another figure leaves the section be."""
    from jixiao import dependencies, facts, paths
    from jixiao.inputs import loading

    folder = Path(folder)
    files = table_parts.sources(folder, "published")
    hashes = [dependencies.file_hash(f) for f in files]  # before reading: the build's cache keys on them
    cached = _cache.get(folder)
    if cached is None or cached[0] != hashes:
        table = EMPTY
        record = {dependencies.name(f): h for f, h in zip(files, hashes, strict=True)}  # unless read as a table
        try:
            year = int(folder.name)
        except ValueError:
            year = None
        if year is not None and folder == paths.data_dir(folder.parent.name, year):
            try:
                frame, _ = loading.load_table(folder.parent.name, year, "published")
            except loading.InputError:
                pass
            else:
                files_hash = table_parts.files_hash(hashes)
                record = {
                    table_parts.name(folder, "published"): lambda: table_parts.digest(files_hash, frame, "published")
                }
                table = replace(_published_rows(frame), lookups=_lookups(folder, frame, files_hash))
        if table.lookups is None:  # not read as a table: a look-up depends on the files
            table = replace(table, lookups=lambda _, files=record: facts.replay(files))
        cached = _cache[folder] = (hashes, table, record)
    if whole and facts.recording():
        record = cached[2]
        for name, digest in record.items():  # the table's hash, taken once it is first recorded
            if callable(digest):
                record[name] = digest()
        facts.replay(record)
    return cached[1]


def _lookups(folder: Path, frame: pd.DataFrame, files: str) -> Callable[[str], None]:
    """Records the look-ups of one version of a ``published`` table: each the rows it depends on."""
    from jixiao import facts

    kept: dict[str, dict[str, str]] = {}

    def record(value: str) -> None:
        if not facts.recording():
            return
        found = kept.get(value)
        if found is None:
            name = table_parts.name(folder, "published", "key", value)
            found = kept[value] = {name: table_parts.digest(files, frame, "published", "key", value)}
        facts.replay(found)

    return record
