"""Batch builds over unit-years on Dask."""

from __future__ import annotations

from conftest import run_jixiao


def test_batch_builds_each_year_and_reports_each(built_copy):
    result = run_jixiao(built_copy, "batch", "--units", "lechang-mzj", "--years", "2018", "2019", "2030")
    assert result.returncode == 1, result.stdout + result.stderr  # 2030 has no parameters
    lines = result.stdout.splitlines()
    assert lines[0] == "jixiao batch: 3 份报告 (reports)"
    assert any(line.startswith("  lechang-mzj 2018  完成 (built)") for line in lines)
    assert any(line.startswith("  lechang-mzj 2019  完成 (built)") for line in lines)
    assert any(line.startswith("  lechang-mzj 2030  失败 (failed)") and "params/lechang-mzj/2030.yaml" in line
               for line in lines)  # fmt: skip
    assert lines[-1] == "2 份完成，1 份失败 (2 built, 1 failed)"
    assert (built_copy / "outputs/lechang-mzj/2018/report.html").is_file()
    html = (built_copy / "outputs/lechang-mzj/2018/report.html").read_text(encoding="utf-8")
    assert "<title>乐昌市民政局2018年绩效自评报告</title>" in html
