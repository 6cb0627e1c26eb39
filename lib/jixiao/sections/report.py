"""The report of one unit and year, as the section notebooks see it.

Everything is loaded on first use and remembered: a section reads only the input tables it
needs, and records each file it read (``jixiao.facts``), so the build's cache knows exactly which
sections a changed input concerns.

A build's kernel template loads the report once (:func:`preload`: settings, every table, the
scores, the earlier years) before it forks the section kernels, which then find it loaded. A
loaded part keeps the reads it was made from (``facts.remembering``) and records them again each
time a section uses it (``facts.replay``): a section's record is the one it would have made
loading the report itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

import pandas as pd

from jixiao import dependencies, facts, paths
from jixiao.inputs import parts
from jixiao.inputs import settings as settings_module
from jixiao.inputs.dataset import TABLES
from jixiao.inputs.kinds import ReportKind
from jixiao.scoring.rules import Rules

T = TypeVar("T")


class remembered(Generic[T]):
    """A property computed once per report, with the reads it was made from: recorded again at
    every use (so that a report loaded before a section ran is recorded by the sections using it)."""

    def __init__(self, compute: Callable[[Any], T]) -> None:
        self.compute, self.__doc__ = compute, compute.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = f"_remembered_{name}"

    def __get__(self, report: Any, owner: type | None = None) -> T:
        if report is None:
            return self  # type: ignore[return-value]
        return remember(report, self.slot.removeprefix("_remembered_"), lambda: self.compute(report))


def remember(report: Any, name: str, compute: Callable[[], T]) -> T:
    """``compute()``, once per report (kept as ``name``), with the reads it made: recorded again
    at every later use, as :class:`remembered` does for the report's own parts (a section's
    figures that several of its cells show, say)."""
    slot = f"_remembered_{name}"
    kept = report.__dict__.get(slot)
    if kept is None:
        with facts.remembering() as reads:
            value = compute()
        kept = report.__dict__[slot] = (value, reads)
    else:
        facts.replay(kept[1])
    return kept[0]


class Tables:
    """The input tables of a unit-year, each read on first access (``report.data.stats``).

    ``earlier``: the tables of the same unit-year loaded before (a kernel template kept between
    builds): a table whose files are unchanged since is taken from there instead of read again."""

    def __init__(self, unit: str, year: int, earlier: Tables | None = None) -> None:
        self.unit, self.year = unit, year
        self._frames: dict[str, pd.DataFrame] = {}
        self._reads: dict[str, dict[str, str]] = {}
        """The hashes of the files each table was read from, taken before reading it."""
        self._earlier = earlier
        self._rows: dict[tuple[str, str, str], tuple[pd.DataFrame, pd.DataFrame, dict[str, str]]] = {}
        """What :meth:`rows` gave, with its record: a section asks for the same table thousands of times."""

    def __getattr__(self, name: str) -> pd.DataFrame:
        if name not in TABLES:
            raise AttributeError(name)
        return self.rows(name)

    def rows(self, name: str, column: str = "", value: str = "") -> pd.DataFrame:
        """Table ``name``, or its rows whose ``column`` (stripped) is ``value``, in file order;
        recorded as a dependency on that table, or on those rows alone (``jixiao.inputs.parts``):
        an edit to another sheet of the workbook, or to another row, leaves the section be."""
        frame = self._frame(name)
        kept = self._rows.get((name, column, value))
        if kept is None or kept[0] is not frame:
            kept = self._rows[(name, column, value)] = (frame, parts.select(frame, name, column, value), {})
        if facts.recording():
            if not kept[2]:  # hashed once, and only where it is recorded
                folder = paths.data_dir(self.unit, self.year)
                sources = parts.sources(folder, name)
                files = parts.files_hash([self._reads[name][dependencies.name(p)] for p in sources])
                kept[2][parts.name(folder, name, column, value)] = parts.digest(files, frame, name, column, value)
            facts.replay(kept[2])
        return kept[1]

    def among(self, name: str, column: str, values: Iterable[str]) -> pd.DataFrame:
        """The rows of table ``name`` whose ``column`` (stripped) is one of ``values``, in file
        order; recorded as those rows alone, value by value (:meth:`rows`): a theme's statistics."""
        frame = self._frame(name)
        picked: set[Any] = set()
        for value in dict.fromkeys(values):
            picked.update(self.rows(name, column, value).index)
        return frame[frame.index.isin(picked)]

    def _frame(self, name: str) -> pd.DataFrame:
        """The table, loaded once (or kept from the earlier tables while its files are unchanged)."""
        if name in self._frames:
            return self._frames[name]
        earlier = self._earlier
        if earlier is not None and name in earlier._frames and unchanged(earlier._reads[name]):
            self._frames[name], self._reads[name] = earlier._frames[name], earlier._reads[name]
            self._rows.update((k, v) for k, v in earlier._rows.items() if k[0] == name)
            return self._frames[name]
        from jixiao.inputs import loading

        # hashed before reading; recorded by the callers (the whole files, or only some rows)
        folder = paths.data_dir(self.unit, self.year)
        self._reads[name] = {dependencies.name(c): dependencies.file_hash(c) for c in parts.sources(folder, name)}
        self._frames[name], _ = loading.load_table(self.unit, self.year, name)
        return self._frames[name]


def unchanged(reads: dict[str, str]) -> bool:
    """Whether everything in ``reads`` (files, settings parts, rows) still has the hash it was read with."""
    return all(parts.current(dependency, digest) == digest for dependency, digest in reads.items())


class Report:
    """``jixiao.open_report(unit, year)``: settings, data, scores and the previous year."""

    def __init__(self, unit: str, year: int, earlier: Report | None = None) -> None:
        """``earlier``: the report of the same unit-year loaded before, in a kernel template kept
        between builds (``jixiao preview``): its tables, rules and scores are taken over where
        what they were made from is unchanged (their reads), the rest is loaded afresh."""
        self.unit, self.year = unit, year
        with facts.remembering() as self.opened:  # recorded again when a preloaded report is opened
            self.settings = settings_module.load(unit, year)
            # what every section uses of the settings; other parts are recorded where they are read
            facts.record_read(self.settings.files[1])
            facts.record_read(self.settings.unit_file, "unit_name")
            facts.record_read(self.settings.unit_file, "sections")
            facts.record_read(self.settings.unit_file, "numbering")
        self.data = Tables(unit, year, earlier.data if earlier is not None else None)
        self._earlier_previous: Report | None = None
        if earlier is not None:
            for slot in ("_remembered_rules", "_remembered_scores"):
                kept = earlier.__dict__.get(slot)
                if kept is not None and unchanged(kept[1]):
                    self.__dict__[slot] = kept
            self._earlier_previous = earlier.__dict__.get("_remembered_previous", (None, {}))[0]

    def __repr__(self) -> str:
        return f"<jixiao report {self.unit} {self.year}>"

    @property
    def unit_name(self) -> str:
        return self.settings.unit_name

    @property
    def kind(self) -> ReportKind:
        """The report's kind (:class:`jixiao.inputs.kinds.ReportKind`): its words, recorded as read."""
        facts.record_read(self.settings.unit_file, "kind")
        return self.settings.kind

    @remembered
    def rules(self) -> Rules:
        return Rules.from_settings(self.settings.part("scoring"))

    @remembered
    def scores(self) -> Any:
        """All scores (``jixiao.scoring.score_all``): evaluated projects, department, summary."""
        from jixiao import scoring

        return scoring.score_all(self.data, self.rules)

    @remembered
    def previous(self) -> Report | None:
        """Last year's report, if its data exist (their absence is recorded too: data added later
        make the sections that compare years run again)."""
        folder = paths.data_dir(self.unit, self.year - 1)
        facts.record_read(folder)
        params = paths.params_dir(self.unit) / f"{self.year - 1}.yaml"
        facts.record_read(params)
        if not folder.is_dir() or not params.is_file():
            return None
        return Report(self.unit, self.year - 1, self._earlier_previous)

    def history(self) -> list[Report]:
        """This year and every earlier year with data, oldest first."""
        reports: list[Report] = [self]
        while (earlier := reports[0].previous) is not None:
            reports.insert(0, earlier)
        return reports

    def number(self, kind: str, key: str = "") -> str:
        """The heading number the settings give the section of ``kind`` (a theme: of ``key``):
        ``（一）``, ``三、``; "" for an unnumbered one or one the settings do not list."""
        section = self.settings.section_of(kind, key)
        return section.heading.number if section is not None and section.heading is not None else ""


_preloaded: dict[tuple[str, int, str], Report] = {}


def preload(unit: str, year: int, earlier: Report | None = None) -> None:
    """Load the report of ``unit`` for ``year`` whole, in this process (the kernel template), for
    :func:`open_report` in the processes forked from it. Nothing is kept if any part fails: each
    section then loads what it needs and reports the problem itself. ``earlier``: the report
    preloaded before, of which the parts still current are kept (see :class:`Report`)."""
    report = Report(unit, year, earlier)
    for each in report.history():
        with facts.remembering():  # each table's record hashed here once, not in every kernel
            for name in TABLES:
                getattr(each.data, name)
        each.scores  # noqa: B018  (computed now, for every section to find)
    _preloaded[(unit, year, str(paths.root()))] = report


def open_report(unit: str, year: int) -> Report:
    """The report of ``unit`` for ``year``: the one :func:`preload` made when there is one (once:
    another call gets a report of its own), else a new one."""
    report = _preloaded.pop((unit, year, str(paths.root())), None)
    if report is None:
        return Report(unit, year)
    facts.replay(report.opened)
    return report


@contextmanager
def lent(report: Report) -> Iterator[None]:
    """Meanwhile, :func:`open_report` of the report's unit and year gives ``report`` itself (once):
    a section's notebook run in this process works on the report already loaded
    (:func:`jixiao.sections.frames.shown`), as a forked section kernel works on the preloaded one."""
    key = (report.unit, report.year, str(paths.root()))
    _preloaded[key] = report
    try:
        yield
    finally:
        _preloaded.pop(key, None)
