"""A report loaded once before the sections run (the kernel template's ``preload``) gives each
section the same record of what it read as loading the report itself would: the build's cache
re-executes the same sections for the same changes."""

from __future__ import annotations

import ast
import json

import matplotlib
import pytest

from jixiao import facts
from jixiao.inputs import settings
from jixiao.sections import report as report_module

matplotlib.use("Agg")

UNIT, YEAR = "lechang-mzj", 2019


def run_section(section: settings.Section) -> None:
    """The section notebook's code cells, run here (its parameters from the settings)."""
    notebook = json.loads(section.notebook.read_text(encoding="utf-8"))
    namespace: dict = dict(section.parameters)
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code" and "parameters" not in cell["metadata"].get("tags", []):
            exec(compile(ast.parse("".join(cell["source"])), section.notebook.name, "exec"), namespace)


def reads_of(section: settings.Section) -> dict[str, str]:
    with facts.remembering() as reads:
        run_section(section)
    return reads


@pytest.mark.parametrize("section", settings.load(UNIT, YEAR).sections, ids=lambda s: s.id)
def test_a_preloaded_report_records_what_a_fresh_one_records(section):
    fresh = reads_of(section)
    assert fresh, "every section reads something"
    report_module.preload(UNIT, YEAR)
    key = (UNIT, YEAR, str(report_module.paths.root()))
    assert key in report_module._preloaded
    preloaded = reads_of(section)
    assert key not in report_module._preloaded  # handed out once
    assert preloaded == fresh


def test_remembered_reads_carry_the_hash_taken_when_read(tmp_path):
    table = tmp_path / "t.csv"
    table.write_text("a\n1\n", encoding="utf-8")
    with facts.remembering() as outer:
        with facts.remembering() as inner:
            facts.record_read(table)
        table.write_text("a\n2\n", encoding="utf-8")
    assert inner == outer and len(inner) == 1
    (recorded,) = inner.values()
    with facts.remembering() as replayed:
        facts.replay(inner)
    assert replayed == inner  # the hash of "a\n1\n", not of the file as it is now
    with facts.remembering() as now:
        facts.record_read(table)
    assert list(now.values()) != [recorded]


def test_a_report_loaded_again_keeps_only_what_unchanged_inputs_made(tmp_path, monkeypatch):
    """A preview's template loads the report again after every edit, keeping the tables whose files
    are unchanged and the scores whose inputs are (``Report(earlier=…)``)."""
    from conftest import copy_project
    from jixiao.inputs.dataset import TABLES

    root = copy_project(tmp_path / "project")
    monkeypatch.setenv("JIXIAO_ROOT", str(root))
    folder = root / "data" / UNIT / str(YEAR)
    first = report_module.Report(UNIT, YEAR)
    for name in TABLES:
        getattr(first.data, name)
    assert first.scores.department.total == 100.0

    stats = folder / "stats.csv"
    stats.write_text(stats.read_text(encoding="utf-8").replace(",223,户,", ",224,户,"), encoding="utf-8")
    second = report_module.Report(UNIT, YEAR, first)
    assert second.data.budget is first.data.budget
    assert second.data.stats is not first.data.stats
    assert 224 in second.data.stats["value"].tolist() and 224 not in first.data.stats["value"].tolist()
    assert second.scores is first.scores  # the scores read no statistics
    assert second.previous is not first.previous and second.previous.data.stats is not None

    budget = folder / "budget.csv"
    budget.write_text(budget.read_text(encoding="utf-8").replace("1030.00", "1030.50"), encoding="utf-8")
    third = report_module.Report(UNIT, YEAR, second)
    assert third.data.stats is second.data.stats
    assert third.data.budget is not second.data.budget
    assert third.scores is not second.scores
