"""Round trip: jixiao's own 自评表 workbook, read back by the forms reader, gives every figure the
form prints (each name, weight, target, actual, score and fund amount, the totals and grades) as
the scores it was written from; imported, it gives the tables' printed columns back. Columns the
form does not print (ids, ``fund_source``, ``stats_key``) are outside the comparison.

On the example (the session's build) and on synthetic units (``jixiao synth``)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from jixiao import formatting
from jixiao.forms import importing, reading
from jixiao.forms.model import DEPARTMENT, FUND_TOTAL, Form, Value
from jixiao.inputs.schema import FUND_TYPES

SIX = 6


def _n(value: Any) -> Any:
    """A printed figure compared: numbers to 6 decimals, blank text as None."""
    if isinstance(value, Value):
        value = value.value
    if value is None or value == "" or value == "—":
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return None if math.isnan(value) else round(float(value), SIX)
    return str(value).strip()


def read_back(form: Form) -> dict[str, Any]:
    """What the reader found on one form, as the comparison holds it."""
    funds = {f.name: tuple(_n(v) for v in (f.initial, f.full_year, f.executed)) for f in form.funds}
    total = form.fund(FUND_TOTAL)
    return {
        "name": _n(form.project) if form.kind != DEPARTMENT else None,
        "funds": {k: v for k, v in funds.items() if k == FUND_TOTAL or k in FUND_TYPES},
        "execution": tuple(_n(v) for v in (total.weight, total.rate, total.score)) if form.kind != DEPARTMENT else None,
        "indicators": [
            (
                _n(i.level1),
                _n(i.level2),
                _n(i.name),
                i.direction,
                _n(i.target),
                i.unit or None,
                _n(i.actual),
                _n(i.weight),
                _n(i.score),
            )
            for i in form.indicators
        ],
        "total": _n(form.total),
        "grade": _n(form.grade),
    }


def _indicators(scores: Any) -> list[tuple[Any, ...]]:
    out = []
    for s in scores:
        qualitative = s.direction == "定性"
        target = s.target_text if qualitative else s.target
        actual = s.actual_grade if qualitative else s.actual
        out.append((s.level1, s.level2, s.name, s.direction, _n(target), s.measure_unit or None, _n(actual),
                    _n(s.weight), _n(s.score)))  # fmt: skip
    return out


def written(report: Any) -> dict[str, dict[str, Any]]:
    """What the workbook was written from, by sheet: the scores and tables of ``report``."""
    data, scores = report.data, report.scores
    out: dict[str, dict[str, Any]] = {}
    for p in scores.projects:
        funds = data.project_funds[data.project_funds["project_id"] == p.project_id]
        by_type = {
            ft: tuple(_n(sum(funds.loc[funds["fund_type"] == ft, c])) for c in ("initial_budget", "full_year_budget",
                                                                               "executed"))
            for ft in FUND_TYPES
        } if len(funds) else {ft: (None, None, None) for ft in FUND_TYPES}  # fmt: skip
        out[formatting.quotes(p.project_name)] = {
            "name": formatting.quotes(p.project_name),
            "funds": {FUND_TOTAL: (_n(p.initial_budget), _n(p.full_year_budget), _n(p.executed)), **by_type},
            "execution": (_n(p.execution.weight), _n(p.execution.rate), _n(p.execution.score)),
            "indicators": _indicators(p.indicators),
            "total": _n(p.final_total),
            "grade": p.grade,
        }
    d = scores.department
    if d is not None:
        budget = data.budget
        out[DEPARTMENT] = {
            "name": None,
            "funds": {
                FUND_TOTAL: tuple(_n(budget[c].sum()) for c in ("initial_budget", "full_year_budget", "executed"))
            },
            "execution": None,
            "indicators": _indicators(d.indicators),
            "total": _n(d.total),
            "grade": d.grade,
        }
    return out


def round_trip(workbook: Path, report: Any) -> None:
    found = reading.read([workbook])
    assert found.problems == []
    got = {(DEPARTMENT if f.kind == DEPARTMENT else _n(f.project)): read_back(f) for f in found.forms}
    want = written(report)
    assert sorted(got) == sorted(want)
    for key in want:
        assert got[key] == want[key], key


PRINTED = {
    "projects": ("project_name", "implementer", "initial_budget", "full_year_budget", "executed", "goal", "outcome"),
    "indicators": ("level1", "level2", "level3", "direction", "target", "target_text", "actual_grade",
                   "measure_unit", "weight", "deviation_reason"),
}  # fmt: skip
"""The tables' columns the form prints as they are (an indicator's actual and score, a project's
weights and total are printed as scored: compared above)."""


def imported_back(root: Path, unit: str, year: int, workbook: Path, original: Any) -> None:
    """The workbook imported as a new unit gives the original tables' printed columns back."""
    from jixiao.inputs import loading

    importing.run([workbook], f"{unit}-rt", year)
    back = loading.load(f"{unit}-rt", year, required=())
    for table, columns in PRINTED.items():
        mine, theirs = back.table(table), getattr(original, table)
        if table == "projects":
            theirs = theirs[theirs["self_evaluated"] == "是"]
            theirs = theirs.assign(project_name=theirs["project_name"].map(formatting.quotes))
        else:
            theirs = theirs[theirs["scope"].isin([*original.projects.loc[original.projects["self_evaluated"] == "是",
                                                                         "project_id"], DEPARTMENT])]  # fmt: skip
        key = "project_name" if table == "projects" else "level3"
        left = sorted((tuple(_n(r[c]) for c in columns) for _, r in mine.iterrows()), key=repr)
        right = sorted((tuple(_n(r[c]) for c in columns) for _, r in theirs.iterrows()), key=repr)
        assert len(left) == len(right), table
        for a, b in zip(left, right, strict=True):
            if table == "projects" and b[1] is None:  # no implementer: the form prints the unit's name
                b = (b[0], a[1], *b[2:])
            assert a == b, (table, key)


@pytest.mark.build
def test_the_examples_workbook_reads_back_to_the_figures_it_was_written_from(example, monkeypatch):
    import jixiao

    monkeypatch.setenv("JIXIAO_ROOT", str(example.root))
    report = jixiao.open_report("lechang-mzj", 2019)
    round_trip(example.out / "自评表.xlsx", report)


def test_a_synthetic_units_workbook_reads_back_and_imports_back(tmp_path, monkeypatch):
    import jixiao
    from jixiao import synth
    from jixiao.render.xlsx import selfeval_workbook_bytes

    monkeypatch.setenv("JIXIAO_ROOT", str(tmp_path))
    units = synth.write(4, [2023], seed=7, root=tmp_path, shares={"bad": 0.0, "mismatch": 0.5, "late": 0.5})
    assert {f for u in units for f in u.faults} == {"mismatch", "late"}  # reported scores that differ, late spending
    for unit in units:
        report = jixiao.open_report(unit.id, 2023)
        workbook = tmp_path / "forms" / f"{unit.id}.xlsx"
        workbook.parent.mkdir(exist_ok=True)
        workbook.write_bytes(selfeval_workbook_bytes(report.data, report.scores, report.unit_name))
        round_trip(workbook, report)
        imported_back(tmp_path, unit.id, 2023, workbook, report.data)
