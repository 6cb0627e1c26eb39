"""jixiao synth: deterministic synthetic units that validate, with faults that can be found."""

from __future__ import annotations

import csv
import filecmp
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO
from jixiao import synth

YEARS = [2019, 2020]


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[synth.Unit]]:
    root = tmp_path_factory.mktemp("synth")
    return root, synth.write(6, YEARS, 11, root=root)


@pytest.fixture
def at(province, monkeypatch):
    root, units = province
    monkeypatch.setenv("JIXIAO_ROOT", str(root))
    return root, units


def test_the_same_seed_writes_the_same_files(province, tmp_path):
    root, _ = province
    again = tmp_path / "again"
    synth.write(6, YEARS, 11, root=again)
    assert _files(again) == _files(root)
    other = tmp_path / "other"
    synth.write(6, YEARS, 12, root=other)
    assert _files(other).keys() == _files(root).keys()
    differ = [k for k, v in _files(other).items() if v != _files(root)[k]]
    assert "data/synth-mz-001/2020/budget.csv" in differ


def test_a_unit_depends_on_the_seed_and_its_number(tmp_path):
    small, large = (
        synth.write(3, [2020], 5, root=tmp_path / "small"),
        synth.write(9, [2020], 5, root=tmp_path / "large"),
    )
    for a, b in zip(small, large, strict=False):
        assert (a.id, a.name) == (b.id, b.name)
        if not a.faults and not b.faults:
            folder = f"data/{a.id}/2020"
            names = ["budget.csv", "projects.csv", "stats.csv"]
            _, mismatch, errors = filecmp.cmpfiles(tmp_path / "small" / folder, tmp_path / "large" / folder, names,
                                                   shallow=False)  # fmt: skip
            assert (mismatch, errors) == ([], [])


def test_the_plan_cycles_department_kinds_and_plants_a_known_share_of_faults():
    units = synth.plan(20, 1)
    assert [u.id for u in units[:6]] == [
        "synth-mz-001", "synth-jy-002", "synth-wj-003", "synth-ny-004", "synth-jt-005", "synth-mz-006",
    ]  # fmt: skip
    assert [u.name for u in units[:6]] == [
        "东岚县民政局", "东岚县教育局", "东岚县卫生健康局", "东岚县农业农村局", "东岚县交通运输局", "南岚县民政局",
    ]  # fmt: skip
    assert synth.fault_counts(20) == {"bad": 1, "mismatch": 4, "late": 4}
    assert synth.fault_counts(3) == {"bad": 1, "mismatch": 1, "late": 1}
    assert synth.fault_counts(2) == {"bad": 0, "mismatch": 0, "late": 0}
    assert synth.fault_counts(100, {"bad": 0.1}) == {"bad": 10, "mismatch": 20, "late": 20}
    for fault, count in synth.fault_counts(20).items():
        assert sum(fault in u.faults for u in units) == count
    assert all(u.faults == {"bad"} for u in units if "bad" in u.faults)  # a bad unit has no other fault
    assert len({u.id for u in synth.plan(1200, 1)}) == 1200
    assert synth.plan(1200, 1)[1199].id == "synth-jt-1200"


def test_every_unit_validates_except_the_bad_ones(at):
    from jixiao.inputs import validation

    root, units = at
    for unit in units:
        for year in YEARS:
            problems = [str(p) for p in validation.validate(unit.id, year)]
            if "bad" in unit.faults and year == YEARS[-1]:
                value = next(csv.DictReader((root / f"data/{unit.id}/{year}/budget.csv").open(encoding="utf-8")))
                assert problems == [
                    f'data/{unit.id}/{year}/budget.csv 第2行 全年执行数(executed)：值 "{value["executed"]}" 不是数字，'
                    "应为数字（万元）"
                ]
                assert value["executed"].endswith("万元")
            else:
                assert problems == [], unit.id


def test_every_row_is_marked_illustrative(province):
    root, units = province
    for unit in units:
        for path in (root / "data" / unit.id).rglob("*.csv"):
            rows = list(csv.DictReader(path.open(encoding="utf-8")))
            assert rows, path
            assert {r["source"] for r in rows} == {"illustrative"}, path
        log = (root / "data" / unit.id / "DATALOG.md").read_text(encoding="utf-8")
        assert "全部行 source = illustrative" in log


def test_the_planted_faults_are_what_the_review_finds(at):
    from jixiao.sections import review
    from jixiao.sections.report import Report

    _root, units = at
    for unit in units:
        if "bad" in unit.faults:
            continue
        report = Report(unit.id, YEARS[-1])
        kinds = [f.kind for f in review.findings(report)]
        assert ("score_difference" in kinds) == ("mismatch" in unit.faults), unit
        assert ("low_execution" in kinds) == ("late" in unit.faults), unit
        if "mismatch" in unit.faults:
            (project,) = [p for p in report.scores.projects if p.reported_total is not None
                          and abs(p.reported_total - p.computed_total) > 0.005]  # fmt: skip
            assert abs(project.reported_total - project.computed_total) == pytest.approx(6)
        if "late" in unit.faults:
            (late,) = [p for p in report.scores.projects if p.execution.rate < 0.9]
            assert 0.62 <= late.execution.rate <= 0.78
        earlier = Report(unit.id, YEARS[0])  # faults are planted in the latest year only
        assert {f.kind for f in review.findings(earlier)} & {"score_difference", "low_execution"} == set()


def test_the_command_writes_units_and_lists_them(tmp_path):
    env = {**os.environ, "JIXIAO_ROOT": str(tmp_path), "PYTHONPATH": str(REPO / "lib")}
    args = ["synth", "--units", "3", "--years", "2020", "--seed", "4"]
    proc = subprocess.run([sys.executable, "-m", "jixiao.cli", *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    units = synth.plan(3, 4)
    lines = proc.stdout.splitlines()
    assert lines[0] == "jixiao synth: 3 个合成单位 (synthetic units), 2020年, seed 4"
    for line, unit in zip(lines[1:4], units, strict=True):
        faults = ", ".join(f for f in synth.FAULTS if f in unit.faults) or "-"
        assert line == f"  {unit.id}  {unit.name}  faults: {faults}"
    assert lines[-1] == "写入 (written): data/synth-…, params/synth-…"
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == sorted(u.id for u in units)
    assert (
        (tmp_path / "params" / units[0].id / "2020.yaml")
        .read_text(encoding="utf-8")
        .endswith(f"unit: {units[0].id}\nyear: 2020\n")
    )
