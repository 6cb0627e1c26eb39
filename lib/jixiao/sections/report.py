"""The report of one unit and year, as the section notebooks see it.

Everything is loaded on first use and remembered: a section reads only the input tables it
needs, and records each file it read (``jixiao.facts``), so the build's cache knows exactly which
sections a changed input concerns.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

import pandas as pd

from jixiao import facts, paths
from jixiao.inputs import settings as settings_module
from jixiao.inputs.dataset import TABLES
from jixiao.scoring.rules import Rules


class Tables:
    """The input tables of a unit-year, each read on first access (``report.data.stats``)."""

    def __init__(self, unit: str, year: int) -> None:
        self.unit, self.year = unit, year
        self._frames: dict[str, pd.DataFrame] = {}

    def __getattr__(self, name: str) -> pd.DataFrame:
        if name not in TABLES:
            raise AttributeError(name)
        if name not in self._frames:
            from jixiao.inputs import loading

            folder = paths.data_dir(self.unit, self.year)
            for candidate in (folder / loading.WORKBOOK, folder / f"{name}.csv"):  # hashed before reading
                facts.record_read(candidate)
            self._frames[name], _ = loading.load_table(self.unit, self.year, name)
        return self._frames[name]


class Report:
    """``jixiao.open_report(unit, year)``: settings, data, scores and the previous year."""

    def __init__(self, unit: str, year: int) -> None:
        self.unit, self.year = unit, year
        self.settings = settings_module.load(unit, year)
        # what every section uses of the settings; other parts are recorded where they are read
        facts.record_read(self.settings.files[1])
        facts.record_read(self.settings.unit_file, "unit_name")
        facts.record_read(self.settings.unit_file, "sections")
        facts.record_read(self.settings.unit_file, "numbering")
        self.data = Tables(unit, year)

    def __repr__(self) -> str:
        return f"<jixiao report {self.unit} {self.year}>"

    @property
    def unit_name(self) -> str:
        return self.settings.unit_name

    @cached_property
    def rules(self) -> Rules:
        return Rules.from_settings(self.settings.part("scoring"))

    @cached_property
    def scores(self) -> Any:
        """All scores (``jixiao.scoring.score_all``): evaluated projects, department, summary."""
        from jixiao import scoring

        return scoring.score_all(self.data, self.rules)

    @cached_property
    def previous(self) -> Report | None:
        """Last year's report, if its data exist (their absence is recorded too: data added later
        make the sections that compare years run again)."""
        folder = paths.data_dir(self.unit, self.year - 1)
        facts.record_read(folder)
        params = paths.params_dir(self.unit) / f"{self.year - 1}.yaml"
        facts.record_read(params)
        if not folder.is_dir() or not params.is_file():
            return None
        return Report(self.unit, self.year - 1)

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
