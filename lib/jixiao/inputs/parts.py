"""An input table, or some rows of it, as what a section depends on: the table ``stats``, not the
file it is read from, so that editing one sheet of ``data.xlsx`` re-runs only the sections that
read that sheet; the narrative rows of one theme, so that editing another theme's text re-runs
that theme's section alone (see ``jixiao.facts`` for the record, ``jixiao.engine.cache`` for the
check).

Such a dependency is written ``data/<unit>/<year>#rows:<table>`` (the whole table) or
``data/<unit>/<year>#rows:<table>.<column>=<value>`` (its rows whose ``column``, stripped, is
``value``). Its recorded hash is ``<files>:<rows>``:

- ``files``, the hash of the files the table is read from (``data.xlsx`` and ``<table>.csv``,
  either absent), as they were when the table was loaded;
- ``rows``, the hash of the rows as loaded: every column, with the file, sheet and row each was
  read from (a row moved in the file moves its links, and so changes the section).

Checking it costs a file's hash while the files are unchanged; only when one changed is the
table loaded again (with the loader the section's kernel used, so both see the same rows) and
the rows compared. A dependency whose table cannot be loaded any more counts as changed.

This module imports nothing heavy: the loader (pandas) is imported only to check a changed file.
"""

from __future__ import annotations

import functools
import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jixiao import dependencies, paths

if TYPE_CHECKING:
    import pandas as pd

MARK = "#rows:"
WORKBOOK = "data.xlsx"  # as ``loading.WORKBOOK``, which imports pandas


def sources(folder: Path, table: str) -> tuple[Path, Path]:
    """The files a table of the inputs in ``folder`` is read from, either or both absent."""
    return folder / WORKBOOK, folder / f"{table}.csv"


def name(folder: Path, table: str, column: str = "", value: str = "") -> str:
    """How the dependency on ``table`` of the inputs in ``folder`` is written: the whole table, or
    its rows whose ``column`` is ``value``."""
    return f"{dependencies.name(folder)}{MARK}{table}" + (f".{column}={value}" if column else "")


def select(frame: pd.DataFrame, table: str, column: str = "", value: str = "") -> pd.DataFrame:
    """The rows of ``table`` (loaded: ``frame``) whose ``column``, as text and stripped, is
    ``value``, in file order; every row without a ``column``. The ``published`` table's ``key`` is
    compared by what it names (:func:`named`: ``stats:x`` for ``stats:x:value``), as its
    look-ups find rows."""
    if not column:
        return frame
    return frame.iloc[positions(frame, column, table).get(value, [])]


def positions(frame: pd.DataFrame, column: str, table: str = "") -> dict[str, list[int]]:
    """The positions of the rows of each value of ``column``, compared as :func:`select` compares
    them (``table``: only the ``published`` table's ``key`` is compared otherwise); made once per
    loaded table."""
    return _index(frame, table, column).positions


def rows_hash(frame: pd.DataFrame, table: str, column: str = "", value: str = "") -> str:
    """The hash of the rows :func:`select` gives, as loaded: the columns, their types and every
    value (a missing one, NaN or NA, as null). Made from an index of the table built once, not
    from a selection per call (a section looks hundreds of figures up)."""
    index = _index(frame, table, column)
    if not column:
        return index.hash(list(range(len(frame))))
    return index.hash(index.positions.get(value, []))


def named(key: str) -> str:
    """What a ``published`` key names, for the rows a look-up of it depends on: the computed
    figure (``department_score``) or the input row (``budget:B03`` of ``budget:B03:executed``;
    ``stats:x`` of both ``stats:x`` and ``stats:x:value``)."""
    key = str(key).strip()
    return ":".join(key.split(":")[:2]) if ":" in key else key


class _Index:
    """One table's rows as plain values and, for one column, the positions of the rows of each of
    its values (as :func:`select` compares them)."""

    def __init__(self, frame: pd.DataFrame, table: str, column: str) -> None:
        self.frame = frame
        self.positions: dict[str, list[int]] = {}
        if column:
            values = frame[column].map(named) if (table, column) == ("published", "key") else frame[column].astype(str)
            for position, value in enumerate(values.str.strip()):
                self.positions.setdefault(value, []).append(position)
        self.hashes: dict[tuple[int, ...], str] = {}

    @functools.cached_property
    def rows(self) -> list[list[Any]]:
        """Every row as plain values, made when a first hash asks for them."""
        return [[None if _missing(v) else v for v in row] for row in self.frame.itertuples(index=False, name=None)]

    def hash(self, positions: list[int]) -> str:
        key = tuple(positions)
        found = self.hashes.get(key)
        if found is None:
            header = [[str(c) for c in self.frame.columns], [str(t) for t in self.frame.dtypes]]
            content = {"columns": header[0], "types": header[1], "rows": [self.rows[i] for i in positions]}
            found = self.hashes[key] = hashlib.sha256(
                json.dumps(content, ensure_ascii=False, default=str).encode()).hexdigest()  # fmt: skip
        return found


_INDEXES: dict[tuple[int, str, str], tuple[pd.DataFrame, _Index]] = {}


def _index(frame: pd.DataFrame, table: str, column: str) -> _Index:
    """The table's index for ``column``, built once per loaded table (kept for the last few)."""
    kept = _INDEXES.get((id(frame), table, column))
    if kept is None or kept[0] is not frame:
        if len(_INDEXES) >= 32:  # the tables of a build or two: a batch worker's later builds have others
            _INDEXES.clear()
        kept = _INDEXES[(id(frame), table, column)] = (frame, _Index(frame, table, column))
    return kept[1]


def files_hash(hashes: list[str]) -> str:
    """One hash for the hashes of a table's files (:func:`sources`, in that order)."""
    return hashlib.sha256("\n".join(hashes).encode()).hexdigest()


def _missing(value: object) -> bool:
    """None, NaN, pandas' NA or NaT: what a blank cell is loaded as."""
    if value is None or type(value).__name__ in ("NAType", "NaTType"):
        return True
    return isinstance(value, float) and value != value


def digest(files: str, frame: pd.DataFrame, table: str, column: str = "", value: str = "") -> str:
    """The recorded hash of a table, or of its rows whose ``column`` is ``value`` (see the module's
    docstring)."""
    return f"{files}:{rows_hash(frame, table, column, value)}"


def current(dependency: str, recorded: str) -> str | None:
    """The hash a recorded dependency (a file, a part of a settings file, rows of a table) has now,
    compared with ``recorded``: ``recorded`` itself while unchanged, None once it changed. Rows
    whose files changed while they did not get the files' new hash."""
    where, mark, part = dependency.partition(MARK)
    if not mark:
        return recorded if dependencies.dependency_hash(dependency) == recorded else None
    files, _, rows = recorded.partition(":")
    folder = paths.root() / where
    table, _, rest = part.partition(".")
    column, _, value = rest.partition("=")
    now = files_hash([dependencies.file_hash(f) for f in sources(folder, table)])
    if now == files:
        return recorded
    frame = _loaded(str(folder), table, now)
    if frame is None or (column and column not in frame.columns) or rows_hash(frame, table, column, value) != rows:
        return None
    return f"{now}:{rows}"


@lru_cache(maxsize=4)
def _loaded(folder: str, table: str, files: str) -> pd.DataFrame | None:
    """A table loaded again to check its rows, once per version of its files; None if it cannot be."""
    from jixiao.inputs import loading

    try:
        return loading.load_table(Path(folder).parent.name, int(Path(folder).name), table)[0]
    except (loading.InputError, KeyError, ValueError, OSError):
        return None
