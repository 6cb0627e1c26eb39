"""jixiao synth --forms: the forms a department submits, with planted faults in a key file, and
jixiao check finding every planted fault at its file, row and flag, and nothing on the others."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO
from jixiao import synth
from jixiao.check import rules, run

UNITS, YEAR, SEED = 12, 2024, 7


@pytest.fixture(scope="module")
def submitted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict]]:
    root = tmp_path_factory.mktemp("synth-forms")
    keys = synth.write_forms(synth.plan(UNITS, SEED), [YEAR], SEED, root=root)
    return root, [json.loads(k.read_text(encoding="utf-8")) for k in keys]


@pytest.fixture(scope="module")
def checked(submitted) -> dict[str, dict]:
    """check.json's forms by (file, sheet, top), the files not read by (file, "", ""); a file is
    named by its path under data/."""
    root, _ = submitted
    cwd = Path.cwd()
    os.chdir(root)  # the record names a file relative to the current folder
    try:
        record = run.run(["data"], rules.load("national"), workers=1)
    finally:
        os.chdir(cwd)
    return {(item["file"], item["sheet"] if item["form"] else "", item.get("top") or ""): item
            for item in record.to_json()}  # fmt: skip


def _codes(item: dict) -> set[str]:
    if item["form"] is None:
        return {"unread"}
    return {f["code"] for f in item["flags"]} | {f["code"] for i in item["indicators"] for f in i["flags"]}


def _path(key: dict, name: str) -> str:
    return f"data/{key['unit']}/{key['year']}/{synth.FORMS_FOLDER}/{name}"


def _at(key: dict, entry: dict) -> tuple[str, str, str]:
    """A form's place in ``checked``: its file, sheet and top-left cell (a file not read: its file)."""
    if entry["flags"] == ["unread"]:
        return _path(key, entry["file"]), "", ""
    return _path(key, entry["file"]), entry["sheet"], entry["top"]


def test_every_unit_year_has_its_forms_and_key(submitted):
    root, keys = submitted
    bundles = set()
    assert [(k["unit"], k["year"], k["seed"]) for k in keys] == [(u.id, YEAR, SEED) for u in synth.plan(UNITS, SEED)]
    for key, unit in zip(keys, synth.plan(UNITS, SEED), strict=True):
        folder = root / _path(key, "")
        names = sorted(p.name for p in folder.iterdir())
        extra = [f["file"] for f in key["faults"] if f["kind"] in ("corrupt", "not_a_form")]
        assert names == sorted({synth.KEY_FILE, *(f["file"] for f in key["forms"]), *extra})
        # a form per evaluated project of the unit's year, then the 部门整体 form
        evaluated = [unit.kind.projects[i].name for i in synth._Year(unit, YEAR, [YEAR], SEED).fund_projects]
        alone = [f"{unit.name}-P{n:02d}-{name}.xlsx" for n, name in enumerate(evaluated, start=1)]
        together = [f"{unit.name}-项目支出绩效自评表.xlsx"] * len(evaluated)
        bundle = synth.BUNDLES[(unit.number // 6) % 2] if unit.number % 6 == 5 else None
        files = [f["file"] for f in key["forms"]]
        assert files == [*(together if bundle else alone), f"{unit.name}-部门整体.xlsx"]
        places = [(f["sheet"], f["top"]) for f in key["forms"][:-1]]
        if bundle == "stacked":  # down one sheet, each form below the one before
            assert {sheet for sheet, _ in places} == {"自评表"}
            rows = [int(re.sub(r"\D", "", top)) for _, top in places]
            assert rows[0] in (1, 2) and rows == sorted(rows) and len(set(rows)) == len(rows)
        else:  # a sheet each, named by its project
            assert [sheet for sheet, _ in places] == evaluated
        bundles.add(bundle)
        assert [f["layout"] == "department" for f in key["forms"]] == [False] * len(evaluated) + [True]
    layouts = {f["layout"] for k in keys for f in k["forms"]}
    assert layouts == {"central", "combined", "weighted", "starred", "transfer", "department"}
    quirks = {q for k in keys for f in k["forms"] for q in f["quirks"]}
    assert quirks == {*synth.FORM_QUIRKS, "leading"}
    kinds = {f["kind"] for k in keys for f in k["faults"]}
    assert kinds == set(synth.FAULT_FLAGS)
    assert bundles == {None, "sheets", "stacked"}


def test_check_finds_every_planted_fault_and_nothing_else(submitted, checked):
    _, keys = submitted
    expected = {}
    for key in keys:
        for form in key["forms"]:
            expected[_at(key, form)] = set(form["flags"])
        for fault in key["faults"]:
            expected.setdefault(_at(key, fault), set()).update(fault["flags"])
            assert set(fault["flags"]) <= expected[_at(key, fault)]
    assert sorted(checked) == sorted(expected)
    assert {name: _codes(item) for name, item in checked.items()} == expected
    clean = [name for name, flags in expected.items() if not flags]
    assert len(clean) >= 25  # most forms carry no fault, and check says nothing on them


def test_a_fault_on_a_row_is_flagged_on_that_row_with_both_numbers(submitted, checked):
    _, keys = submitted
    seen = set()
    for key in keys:
        for fault in key["faults"]:
            if fault["kind"] not in ("over_weight", "score_difference", "no_reason", "weights"):
                continue
            item = checked[_at(key, fault)]
            row = int(re.sub(r"\D", "", fault["cell"]))
            (indicator,) = [i for i in item["indicators"] if i["row"] == row]
            codes = [f["code"] for f in indicator["flags"]]
            seen.add(fault["kind"])
            if fault["kind"] == "over_weight":  # 满意度 printed one point above its weight
                (over,) = [f for f in indicator["flags"] if f["code"] == "over_weight"]
                assert (over["reported"], over["computed"]) == (indicator["weight"] + 1, indicator["weight"])
                assert indicator["computed_score"] == indicator["weight"]
            elif fault["kind"] == "score_difference":  # 验收合格率 missed, printed at full marks
                assert codes == ["score_difference"]
                assert indicator["reported_score"] == indicator["weight"] == 15
                assert indicator["computed_score"] == round(indicator["actual"] / 95 * 15, 2)
            elif fault["kind"] == "no_reason":
                assert codes == ["no_reason"]
                assert indicator["actual"] < indicator["target"] == 95 and indicator["deviation_reason"] is None
            else:  # 满意度 weighs 15: the form's weights sum to 105
                assert codes == [] and indicator["weight"] == 15
                (weights,) = [f for f in item["flags"] if f["code"] == "weights"]
                assert (weights["reported"], weights["computed"]) == (105, 100)
    assert seen == {"over_weight", "score_difference", "no_reason", "weights"}


def test_fund_faults_are_flagged_with_the_printed_and_the_computed_figure(submitted, checked):
    _, keys = submitted
    seen = set()
    for key in keys:
        for fault in key["faults"]:
            item = checked[_at(key, fault)]
            flags = {f["code"]: f for f in item["flags"]}
            total = next((f for f in item["funds"] if f["name"] == "年度资金总额"), None)
            seen.add(fault["kind"])
            if fault["kind"] == "over_budget":
                over = [(f["executed"], f["full_year"]) for f in item["funds"] if f["executed"] > f["full_year"]]
                assert over[0] == (total["executed"], total["full_year"])  # and 当年财政拨款 with it
                got = [(f["reported"], f["computed"]) for f in item["flags"] if f["code"] == "over_budget"]
                assert got == over
            elif fault["kind"] == "total_sum":
                parts = [total["score"], *(i["reported_score"] for i in item["indicators"])]
                added = flags["total_sum"]["computed"]
                assert added == pytest.approx(sum(parts), abs=0.001)
                assert (flags["total_sum"]["reported"], item["reported_total"] - added) in [
                    (item["reported_total"], n) for n in (2, 3, 4, 5)
                ]
            elif fault["kind"] == "execution_rate":
                got, computed = flags["execution_rate"]["reported"], flags["execution_rate"]["computed"]
                assert computed == pytest.approx(total["executed"] / total["full_year"])
                assert abs(computed - got - 0.05) <= 0.005  # printed five points low (as the form rounds it)
    assert {"over_budget", "total_sum", "execution_rate"} <= seen


def test_the_unreadable_files_are_listed_with_why(submitted, checked):
    _, keys = submitted
    for key in keys:
        for fault in key["faults"]:
            if fault["kind"] not in ("corrupt", "not_a_form"):
                continue
            (problem,) = checked[_at(key, fault)]["problems"]
            reason = "文件已损坏，无法打开 (corrupt file)" if fault["kind"] == "corrupt" else "不是绩效自评表"
            assert problem.startswith(f"{_path(key, fault['file'])}：{reason}"), problem


def test_the_same_seed_writes_the_same_bytes(submitted, tmp_path):
    root, _ = submitted
    units = synth.plan(UNITS, SEED)[:3]
    synth.write_forms(units, [YEAR], SEED, root=tmp_path / "again")
    synth.write_forms(units, [YEAR], SEED + 1, root=tmp_path / "other")
    for unit in units:
        folder = f"data/{unit.id}/{YEAR}/{synth.FORMS_FOLDER}"
        mine = {p.name: p.read_bytes() for p in (root / folder).iterdir()}
        assert {p.name: p.read_bytes() for p in (tmp_path / "again" / folder).iterdir()} == mine
        other = {p.name: p.read_bytes() for p in (tmp_path / "other" / folder).iterdir()}
        assert [n for n in other if n in mine and other[n] != mine[n]]  # another seed, other figures


def test_the_command_writes_the_forms_beside_the_units(tmp_path):
    env = {**os.environ, "JIXIAO_ROOT": str(tmp_path), "PYTHONPATH": str(REPO / "lib")}
    args = ["synth", "--units", "3", "--years", "2024", "--seed", "4", "--forms"]
    proc = subprocess.run([sys.executable, "-m", "jixiao.cli", *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    units = synth.plan(3, 4)
    count = sum(len(synth._Year(u, 2024, [2024], 4).fund_projects) + 1 for u in units)
    assert count > 3
    assert proc.stdout.splitlines()[-1] == (
        f"自评表 (forms): {count} 份, data/synth-…/<年度>/forms/, 埋设的问题见 (planted faults in) forms-key.json"
    )
    for unit in units:
        key = json.loads((tmp_path / "data" / unit.id / "2024" / "forms" / synth.KEY_FILE).read_text("utf-8"))
        n = len(synth._Year(unit, 2024, [2024], 4).fund_projects) + 1
        assert (key["unit"], len(key["forms"])) == (unit.id, n)
        assert (tmp_path / "data" / unit.id / "2024" / "projects.csv").is_file()
