"""The bureau's summary: every value checked against the inputs, computed here independently."""

from __future__ import annotations

import csv
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from jixiao import synth

YEAR = 2020
N = 7


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(path.open(encoding="utf-8")))


def _cents(rows: list[dict[str, str]], column: str) -> Decimal:
    return sum((Decimal(r[column]) for r in rows), Decimal(0))


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory):
    """Seven synthetic units, two years; reports 'built' for all but one valid unit; the summary."""
    from jixiao import store as stores
    from jixiao import summary

    root = tmp_path_factory.mktemp("bureau")
    units = synth.write(N, [YEAR - 1, YEAR], 21, root=root)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JIXIAO_ROOT", str(root))
        unbuilt = next(u for u in units if not u.faults)
        for unit in units:
            if "bad" not in unit.faults and unit is not unbuilt:
                out = root / "outputs" / unit.id / str(YEAR)
                out.mkdir(parents=True)
                (out / "report.html").write_text("<!DOCTYPE html>", encoding="utf-8")  # stands for a build
        where = summary.write([u.id for u in units], YEAR, stores.Store(), bureau="示例县财政局")
        yield root, units, unbuilt, where


def _expected(root: Path, unit: synth.Unit) -> dict[str, object]:
    """A unit's line of the summary, from its CSV files and jixiao.scoring alone."""
    from jixiao import scoring
    from jixiao.inputs import validation

    folder = root / "data" / unit.id / str(YEAR)
    budget, projects = _rows(folder / "budget.csv"), _rows(folder / "projects.csv")
    full, executed = _cents(budget, "full_year_budget"), _cents(budget, "executed")
    evaluated = [p for p in projects if p["self_evaluated"] == "是"]
    spending = _cents([b for b in budget if b["kind"] == "项目支出"], "executed")
    department = scoring.score_department(validation.check(unit.id, YEAR).indicators)
    reported = _rows(folder / "profile.csv")[0].get("reported_total_score") or None  # a column of the data model
    return {
        "reported": None if reported is None else float(reported),
        "gap": reported is not None and abs(float(reported) - department.computed_total) >= 0.005,
        "score": department.total,
        "grade": scoring.grade(department.total),
        "full": float(full),
        "executed": float(executed),
        "rate": round(float(executed / full) * 100, 2),
        "projects": len(projects),
        "evaluated": len(evaluated),
        "coverage": round(float(_cents(evaluated, "executed") / spending) * 100, 2),
    }


def test_the_csv_states_each_department_from_its_inputs(written, monkeypatch):
    root, units, unbuilt, where = written
    monkeypatch.setenv("JIXIAO_ROOT", str(root))
    assert where == {ext: f"outputs/_summary/{YEAR}/summary.{ext}" for ext in ("html", "xlsx", "csv")}
    path = root / "outputs" / "_summary" / str(YEAR) / "summary.csv"
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel opens it as UTF-8
    rows = {r["单位编码"]: r for r in csv.DictReader(path.open(encoding="utf-8-sig"))}
    assert sorted(rows) == sorted(u.id for u in units)
    for unit in units:
        row = rows[unit.id]
        assert row["单位名称"] == unit.name
        if "bad" in unit.faults:
            got = (row["状态"], row["需关注"], row["需关注原因"], row["自评得分"])
            assert got == ("输入数据有误", "是", "输入数据有误（1处）", "")
            continue
        e = _expected(root, unit)
        assert float(row["自评得分"]) == e["score"]
        assert float(row["按规则计算得分"]) == e["score"]  # no row scores reported: the rules' own
        assert row["评价等级"] == e["grade"]
        assert float(row["全年预算数（万元）"]) == e["full"]
        assert float(row["全年执行数（万元）"]) == e["executed"]
        assert float(row["预算执行率（%）"]) == e["rate"]
        assert (int(row["项目个数"]), int(row["自评项目个数"])) == (e["projects"], e["evaluated"])
        assert float(row["自评项目资金占项目支出比重（%）"]) == e["coverage"]
        assert int(row["审核提示：填报得分与规则得分不一致"]) == (1 if "mismatch" in unit.faults else 0)
        assert int(row["审核提示：预算执行率低于90%"]) == (1 if "late" in unit.faults else 0)
        assert int(row["得分不一致处数"]) == (1 if "mismatch" in unit.faults else 0) + e["gap"]
        assert not e["gap"] or "mismatch" in unit.faults
        assert (float(row["填报得分"]) if row["填报得分"] else None) == e["reported"]
        assert row["报告"] == ("" if unit is unbuilt else f"{unit.id}/{YEAR}/report.html")
        reasons = row["需关注原因"].split("；") if row["需关注原因"] else []
        assert any("填报得分与规则得分" in r for r in reasons) == ("mismatch" in unit.faults)
        assert ("1个项目执行率低于90%" in reasons) == ("late" in unit.faults)
        assert ("得分低于80分" in reasons) == (e["score"] < 80)
        assert row["需关注"] == ("是" if reasons else "否")
    scored = sorted((float(r["自评得分"]) for r in rows.values() if r["自评得分"]), reverse=True)
    for row in rows.values():
        if row["自评得分"]:
            assert int(row["得分名次"]) == 1 + sum(1 for s in scored if s > float(row["自评得分"]))


def test_departments_needing_attention_come_first(written):
    root, units, *_ = written
    lines = list(csv.DictReader((root / f"outputs/_summary/{YEAR}/summary.csv").open(encoding="utf-8-sig")))
    (bad,) = [u for u in units if "bad" in u.faults]
    assert lines[0]["单位编码"] == bad.id
    flags = [r["需关注"] for r in lines]
    assert flags == sorted(flags, key=lambda f: f != "是")  # every 是 before every 否
    calm = [float(r["自评得分"]) for r in lines if r["需关注"] == "否"]
    assert calm == sorted(calm, reverse=True)


def test_the_workbook_holds_the_same_table(written):
    from openpyxl import load_workbook

    root, *_ = written
    lines = list(csv.reader((root / f"outputs/_summary/{YEAR}/summary.csv").open(encoding="utf-8-sig")))
    sheet = load_workbook(root / f"outputs/_summary/{YEAR}/summary.xlsx").active
    assert sheet.title == f"{YEAR}年汇总"
    cells = [["" if c is None else c for c in row] for row in sheet.iter_rows(values_only=True)]
    assert cells[0] == lines[0]
    for got, want in zip(cells[1:], lines[1:], strict=True):
        assert [str(c) for c in got] == want
    assert isinstance(cells[1 + 1][7], float)  # scores are numbers, not text


def test_the_page_is_self_contained_ranked_and_linked(written):
    from jixiao import paths

    root, units, unbuilt, _ = written
    html = (root / f"outputs/_summary/{YEAR}/summary.html").read_text(encoding="utf-8")
    assert "<title>示例县财政局2020年度部门整体支出绩效自评汇总</title>" in html
    assert (paths.PACKAGE_DIR / "render" / "report.css").read_text(encoding="utf-8") in html  # the report's look
    assert "<script" not in html and "http://" not in html and "https://" not in html
    assert re.findall(r'src="([^"]{0,22})', html) == ["data:image/png;base64,"] * 2
    lines = list(csv.DictReader((root / f"outputs/_summary/{YEAR}/summary.csv").open(encoding="utf-8-sig")))
    order = re.findall(r"<tr(?: class=\"jx-attention\")? data-unit='([^']+)'>", html)
    assert order == [r["单位编码"] for r in lines]
    attention = re.findall(r"<tr class=\"jx-attention\" data-unit='([^']+)'>", html)
    assert attention == [r["单位编码"] for r in lines if r["需关注"] == "是"]
    for unit in units:
        link = f'<a href="../../{unit.id}/{YEAR}/report.html">查看</a>'
        assert (link in html) == ("bad" not in unit.faults and unit is not unbuilt)
    valid = [r for r in lines if r["自评得分"]]
    mean = Decimal(str(sum(float(r["自评得分"]) for r in valid) / len(valid))).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert f"{YEAR}年度共汇总{N}个部门的绩效自评，其中{len(valid)}个可计算得分，平均得分" in html
    assert f"<dd>{mean}分</dd>" in html
    bins = [("60分以下", 0, 60), ("60–70分", 60, 70), ("70–80分", 70, 80), ("80–90分", 80, 90), ("90分及以上", 90, 101)]
    counts = [sum(1 for r in valid if lo <= float(r["自评得分"]) < hi) for _, lo, hi in bins]
    alt = "柱状图：" + "，".join(f"{label}{count}个" for (label, _, _), count in zip(bins, counts, strict=True))
    assert f'alt="{alt}"' in html
    assert "<figcaption>部门整体自评得分分布</figcaption>" in html
    assert "<figcaption>预算执行率分布</figcaption>" in html


def test_a_row_a_batch_worker_kept_is_read_while_its_inputs_are_unchanged(tmp_path, monkeypatch):
    import json

    from jixiao import store as stores
    from jixiao import summary

    monkeypatch.setenv("JIXIAO_ROOT", str(tmp_path))
    (unit,) = synth.write(1, [YEAR], 3, root=tmp_path)
    row = summary.unit_row(unit.id, YEAR)
    assert summary.Row.from_json(json.loads(json.dumps(row.to_json()))) == row
    key = stores.inputs_key(unit.id, YEAR)
    kept = {**row.to_json(), "score": 12.5}  # not what the inputs give: proves it is the kept one
    store = stores.Store()
    store.write(f"{unit.id}/{YEAR}/{summary.ROW_FILE}", json.dumps({"key": key, "row": kept}))
    assert [r.score for r in summary.collect([unit.id], YEAR, store)] == [12.5]
    stats = tmp_path / "data" / unit.id / str(YEAR) / "stats.csv"
    stats.write_text(stats.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # inputs changed
    assert [r.score for r in summary.collect([unit.id], YEAR, store)] == [row.score]
