"""Excel in: the example's data as one workbook builds the same report as the CSV files."""

from __future__ import annotations

import re

from conftest import build
from jixiao.inputs import loading, template


def _without_provenance(html: str) -> str:
    """The report as a reader sees it: tooltips, data-source attributes and the 数据来源 appendix
    name the files, which differ (and so do the ids of the derivations)."""
    html = re.sub(r"""<aside class="jx-sources".*?</aside>""", "", html, flags=re.S)
    html = re.sub(r"""jx-d-[0-9a-f]{10}""", "jx-d", html)
    html = re.sub(r'<details class="jx-build-info".*?</details>', "", html, flags=re.S)
    return re.sub(r""" (data-source|title)=("[^"]*"|'[^']*')""", "", html)


def test_workbook_builds_the_same_report_as_the_csv_files(example, tmp_path, monkeypatch):
    from conftest import copy_charts, copy_project

    root = copy_charts(example, copy_project(tmp_path / "project"))  # every section runs; no chart is drawn again
    monkeypatch.setenv("JIXIAO_ROOT", str(root))
    folder = root / "data/lechang-mzj/2019"
    dataset = loading.load("lechang-mzj", 2019)
    template.write_workbook(folder / "data.xlsx", dataset)
    for csv in folder.glob("*.csv"):
        csv.unlink()

    result = build(root)

    assert result.returncode == 0, result.stdout + result.stderr
    html = (root / "outputs/lechang-mzj/2019/report.html").read_text(encoding="utf-8")
    assert 'data-source="data/lechang-mzj/2019/data.xlsx#sheet=' in html
    assert _without_provenance(html) == _without_provenance(example.filing_html)

    # one theme's text edited in the workbook: that theme and the review run again, nothing else
    # (a section records the rows of a sheet it read, not the whole workbook: jixiao.inputs.parts)
    from openpyxl import load_workbook

    book = load_workbook(folder / "data.xlsx")
    sheet = book["文字材料"]
    (cell,) = [c for row in sheet.iter_rows() for c in row if c.value == "底线民生保障坚定有力"]
    cell.value = "底线民生保障更加有力"
    book.save(folder / "data.xlsx")
    result = build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    ran = sorted(re.findall(r"^  (\d\d-[a-z]+) +\d+\.\d\ds$", result.stdout, re.M))
    assert ran == ["02-dibao", "16-review"]
    html = (root / "outputs/lechang-mzj/2019/report.html").read_text(encoding="utf-8")
    assert "底线民生保障更加有力" in html and "底线民生保障坚定有力" not in html
