"""The cover's score when the unit reported a department total."""

from __future__ import annotations

import csv
import shutil

import pytest

import jixiao
from jixiao.inputs import settings
from jixiao.render import html as stitching
from jixiao.sections import overview
from test_report_content import figures, text

UNIT, YEAR = "lechang-mzj", 2019


@pytest.fixture
def project(tmp_path, monkeypatch):
    root = tmp_path / "p"
    for name in ("params", "data"):
        shutil.copytree(settings.paths.root() / name, root / name)
    monkeypatch.setenv("JIXIAO_ROOT", str(root))
    return root


def report_with_reported_total(root, value: str):
    profile = root / f"data/{UNIT}/{YEAR}/profile.csv"
    with profile.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    rows[0]["reported_total_score"] = value
    with profile.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return jixiao.open_report(UNIT, YEAR)


def page(report) -> str:
    _, grade = overview.department_score(report)
    return stitching.render_page(
        title="t", unit_name=report.unit_name, year=report.year, score_html=overview.cover_score_html(report),
        grade=grade, sections=[], outline=(),
    )  # fmt: skip


def cover(html: str) -> str:
    return html.split('<header class="jx-cover"', 1)[1].split("</header>", 1)[0]


def test_a_reported_total_that_differs_is_flagged_on_the_cover_with_both_numbers(project):
    report = report_with_reported_total(project, "95")
    shown = cover(page(report))
    assert figures(shown) == ["95分", "100分"]
    # the reported 95 is the profile's (published) cell; the computed 100 comes from illustrative indicators
    # the example's profile row is supplied (illustrative): its reported total carries 示 too
    assert "部门整体支出绩效自评得分95分示（按部门整体绩效指标计算为100分，与填报得分不一致）" in text(shown)
    assert '<span class="jx-differs-note">' in shown
    assert overview.department_score(report)[1] == "优"
    opening = text(overview.summary(report))
    assert opening.startswith(
        "根据年初设定的绩效目标，乐昌市民政局2019年部门整体支出绩效自评得分为95分示（按部门整体绩效指标计算为100分，"
        "与填报得分不一致）。"
    )


def test_a_reported_total_that_agrees_is_shown_alone(project):
    report = report_with_reported_total(project, "100")
    shown = cover(page(report))
    assert figures(shown) == ["100分"]
    assert "jx-differs-note" not in shown
