"""The build cache re-executes exactly the sections that a change concerns, and nothing otherwise."""

from __future__ import annotations

import re

from conftest import UNIT, YEAR, build

ALL = ["01-overview", "02-dibao", "03-yanglao", "04-ertong", "05-zhili", "06-dangjian", "07-profile", "08-budget",
       "09-goals", "10-conclusion", "11-evaluation", "12-projects", "13-unevaluated", "14-problems",
       "15-application", "16-review"]  # fmt: skip
THEMES = ["02-dibao", "03-yanglao", "04-ertong", "05-zhili", "06-dangjian"]


def executed(stdout: str) -> list[str]:
    """The sections a build ran (a time on their line), as opposed to those from the cache."""
    return sorted(m.group(1) for m in re.finditer(r"^  (\d\d-[a-z]+) +\d+\.\d\ds$", stdout, re.M))


def cached(stdout: str) -> list[str]:
    return sorted(m.group(1) for m in re.finditer(r"^  (\d\d-[a-z]+) +缓存 \(cached\)$", stdout, re.M))


def rebuild(root) -> list[str]:
    result = build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(executed(result.stdout) + cached(result.stdout)) == ALL
    return executed(result.stdout)


def test_nothing_changed_nothing_runs(built_copy):
    report = built_copy / "outputs/lechang-mzj/2019/report.html"
    before = report.read_bytes()
    result = build(built_copy)
    assert result.returncode == 0
    assert executed(result.stdout) == [] and cached(result.stdout) == ALL
    assert "  输入校验 (validation)   未变 (unchanged)" in result.stdout.splitlines()
    assert "  拼接报告 (stitch)       未变 (unchanged)" in result.stdout.splitlines()
    assert report.read_bytes() == before


def test_changed_statistic_reruns_the_sections_that_show_it(built_copy):
    stats = built_copy / "data/lechang-mzj/2019/stats.csv"
    stats.write_text(stats.read_text(encoding="utf-8").replace(",223,户,", ",224,户,"), encoding="utf-8")
    # 清退低保户: the 低保 theme shows it (text, chart, change) and a goal's outcome names it; a section
    # reads the statistics its texts and charts name (jixiao.inputs.parts); the review checks them all
    result = build(built_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert executed(result.stdout) == ["02-dibao", "09-goals", "16-review"]
    # only 2019's inputs changed: only they are checked again (their warnings said), not 2018's
    assert "data/lechang-mzj/2019/profile.csv 第2行 联系人(contact_person)" in result.stdout
    assert "data/lechang-mzj/2018/" not in result.stdout
    html = (built_copy / "outputs/lechang-mzj/2019/report-review.html").read_text(encoding="utf-8")
    assert ">224户</span>" in html
    # 223 is left only where the review notes that the 自评表 (indicators.csv) still says 223
    (box,) = re.findall(r'<div class="jx-warning" data-kind="indicator_stat">.*?</div>', html, re.S)
    assert html.count(">223户</span>") == box.count(">223户</span>") == 1
    assert '>224户</span><span class="jx-mark">示</span>' in html  # no longer the printed 223


def test_one_themes_text_reruns_that_theme_and_the_review_alone(built_copy):
    narrative = built_copy / "data/lechang-mzj/2019/narrative.csv"
    text = narrative.read_text(encoding="utf-8")
    edited = text.replace("底线民生保障水平提标工作圆满完成。", "底线民生保障水平提标工作全部完成。")
    narrative.write_text(edited, encoding="utf-8")
    # a theme reads its own rows of narrative.csv (jixiao.inputs.parts); the review checks every text
    assert rebuild(built_copy) == ["02-dibao", "16-review"]
    html = (built_copy / "outputs/lechang-mzj/2019/report-review.html").read_text(encoding="utf-8")
    assert "底线民生保障水平提标工作全部完成。" in html and "提标工作圆满完成" not in html


def test_a_narrative_row_added_at_the_end_reruns_its_section_alone(built_copy):
    narrative = built_copy / "data/lechang-mzj/2019/narrative.csv"
    with narrative.open("a", encoding="utf-8") as f:
        f.write("problems,9,item,档案整理工作有待加强。,illustrative\n")
    assert rebuild(built_copy) == ["14-problems", "16-review"]
    assert "档案整理工作有待加强。" in (built_copy / "outputs/lechang-mzj/2019/report.html").read_text(encoding="utf-8")


def test_narrative_rows_moved_rerun_every_section_whose_rows_moved(built_copy):
    narrative = built_copy / "data/lechang-mzj/2019/narrative.csv"
    header, *rows = narrative.read_text(encoding="utf-8").splitlines(keepends=True)
    last = rows.pop()  # the last row moved to the top: every other row is one row further down
    narrative.write_text(header + last + "".join(rows), encoding="utf-8")
    # each row's place is part of its section's report (the 数据来源 links name the row)
    assert rebuild(built_copy) == [*THEMES, "11-evaluation", "14-problems", "15-application", "16-review"]


def test_changed_published_rows_rerun_the_sections_showing_their_figures(built_copy):
    published = built_copy / "data/lechang-mzj/2019/published.csv"
    published.write_text(published.read_text(encoding="utf-8").replace("第1段（总体情况）", "第1段"), encoding="utf-8")
    # the 22 rows edited are the overview's figures (the budget, the score, the projects evaluated
    # and their names): the sections showing one of them run again, and the review, which checks
    # every row; a section looks up the rows of the figures it shows (jixiao.inputs.parts)
    expected = ["01-overview", "08-budget", "10-conclusion", "12-projects", "13-unevaluated", "16-review"]
    assert rebuild(built_copy) == expected
    html = (built_copy / "outputs/lechang-mzj/2019/report-review.html").read_text(encoding="utf-8")
    assert "公开发布：《乐昌市民政局2019年绩效自评报告》第1段&#10;" in html or "第1段\n" in html
    assert "第1段（总体情况）" not in html  # no section kept a figure's old place


def test_one_published_row_reruns_the_sections_showing_its_figure(built_copy):
    published = built_copy / "data/lechang-mzj/2019/published.csv"
    lines = published.read_text(encoding="utf-8").splitlines(keepends=True)
    (at,) = [i for i, line in enumerate(lines) if line.startswith("stats:dibao_cleared_households,")]
    lines[at] = lines[at].replace("（一）底线民生保障坚定有力 三是", "（一）底线民生保障坚定有力 第三项（清退）")
    published.write_text("".join(lines), encoding="utf-8")
    # 清退低保户 is shown by the 低保 theme (its text, its chart, its change from 2018) and a goal's outcome
    assert rebuild(built_copy) == ["02-dibao", "09-goals", "16-review"]
    html = (built_copy / "outputs/lechang-mzj/2019/report-review.html").read_text(encoding="utf-8")
    tooltip = "清退低保户：223户&#10;公开发布：《乐昌市民政局2019年绩效自评报告》（一）底线民生保障坚定有力 "
    assert html.count(tooltip + "第三项（清退）") == 2
    assert tooltip + "三是" not in html


def test_changed_budget_reruns_only_what_reads_the_budget(built_copy):
    budget = built_copy / "data/lechang-mzj/2019/budget.csv"
    budget.write_text(budget.read_text(encoding="utf-8").replace("1030.00", "1030.50"), encoding="utf-8")
    # the overview and the budget block show the budget, the projects not evaluated are shares of its
    # lines; the conclusion, projects and review sections score the department, whose 预算完成率 is
    # computed from the budget (indicators.computed_actual); the themes never read it
    assert rebuild(built_copy) == ["01-overview", "08-budget", "10-conclusion", "12-projects", "13-unevaluated",
                                   "16-review"]  # fmt: skip


def test_an_optional_table_removed_reruns_the_section_that_looked_for_it(built_copy):
    (built_copy / "data/lechang-mzj/2019/sangong.csv").unlink()  # its absence is a dependency too
    assert rebuild(built_copy) == ["08-budget"]
    out = built_copy / "outputs/lechang-mzj/2019"
    assert "未填报2019年的三公经费表（sangong" in (out / "report-review.html").read_text(encoding="utf-8")
    assert "未填报2019年的三公经费表（sangong" not in (out / "report.html").read_text(encoding="utf-8")  # 编写提示


def test_changed_setting_reruns_only_the_section_that_uses_it(built_copy):
    unit = built_copy / "params/lechang-mzj/unit.yaml"
    text = unit.read_text(encoding="utf-8")
    assert text.count("title: 低保专项治理清退") >= 1
    unit.write_text(text.replace("title: 低保专项治理清退", "title: 低保清退", 1), encoding="utf-8")
    assert rebuild(built_copy) == ["02-dibao"]


def test_changed_scoring_rule_reruns_the_sections_that_score(built_copy):
    unit = built_copy / "params/lechang-mzj/unit.yaml"
    text = unit.read_text(encoding="utf-8")
    unit.write_text(text.replace("far_above_ratio: 1.5", "far_above_ratio: 2"), encoding="utf-8")
    assert rebuild(built_copy) == ["01-overview", "10-conclusion", "12-projects", "16-review"]


def test_changed_jixiao_function_reruns_the_sections_that_ran_it(built_copy):
    review = built_copy / "lib/jixiao/sections/review.py"
    review.write_text(review.read_text(encoding="utf-8") + "\n\ndef _changed() -> None:\n    return None\n",
                      encoding="utf-8")  # fmt: skip
    assert rebuild(built_copy) == ["16-review"]
    themes = built_copy / "lib/jixiao/sections/themes.py"
    themes.write_text(themes.read_text(encoding="utf-8") + "\n\ndef _changed() -> None:\n    return None\n",
                      encoding="utf-8")  # fmt: skip
    blocks = ["07-profile", "08-budget", "09-goals", "10-conclusion", "11-evaluation", "13-unevaluated"]
    assert rebuild(built_copy) == [
        *THEMES,
        *blocks,
        "14-problems",
        "15-application",
    ]  # each runs sections.themes


def test_force_reruns_everything(built_copy):
    result = build(built_copy, "--force")
    assert result.returncode == 0
    assert executed(result.stdout) == ALL


def test_changed_stylesheet_restitches_without_running_a_section(built_copy):
    css = built_copy / "lib/jixiao/render/report.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n.jx-test-marker { color: red; }\n", encoding="utf-8")
    result = build(built_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert executed(result.stdout) == [] and cached(result.stdout) == ALL
    assert re.search(r"^  拼接报告 \(stitch\) +\d+\.\d\ds  report\.html, report-review\.html, 自评表\.xlsx, "
                     r"自评表-review\.xlsx$",
                     result.stdout, re.M)  # fmt: skip
    html = (built_copy / "outputs/lechang-mzj/2019/report.html").read_text(encoding="utf-8")
    assert ".jx-test-marker { color: red; }" in html


def test_the_code_hash_is_its_files_content_hashes_each_file_read_once(tmp_path, monkeypatch):
    from jixiao import dependencies, paths
    from jixiao.engine import pipeline

    package = tmp_path / "jixiao"
    (package / "render" / "templates").mkdir(parents=True)
    (package / "a.py").write_text("x = 1\n", encoding="utf-8")
    (package / "render" / "report.css").write_text("p {}\n", encoding="utf-8")
    (package / "render" / "templates" / "page.html.j2").write_text("{{ x }}\n", encoding="utf-8")
    (package / "notes.txt").write_text("not code\n", encoding="utf-8")
    monkeypatch.setattr(paths, "PACKAGE_DIR", package)
    first = pipeline._code_hash()
    read = dependencies._content_hash.cache_info().misses
    assert pipeline._code_hash() == first
    assert dependencies._content_hash.cache_info().misses == read  # asked again: nothing read again
    (package / "notes.txt").write_text("still not code\n", encoding="utf-8")
    assert pipeline._code_hash() == first
    (package / "render" / "report.css").write_text("p { color: red }\n", encoding="utf-8")
    assert pipeline._code_hash() != first


def test_a_build_hashes_far_fewer_files_than_the_content_hashes_kept():
    """Every file a build of the example hashes, each kept once: jixiao's, the inputs, the
    notebooks, the executed notebooks (one a section), with room to spare (a font, bigger units)."""
    from jixiao import dependencies, paths
    from jixiao.engine import pipeline
    from jixiao.inputs import settings

    loaded = settings.load(UNIT, YEAR)
    code = [p for p in paths.PACKAGE_DIR.rglob("*") if p.suffix in {".py", ".j2", ".css"}]
    notebooks = {s.notebook for s in loaded.sections}
    hashed = len(code) + len(pipeline.input_files(loaded)) + len(notebooks) + len(loaded.sections)
    assert 10 * hashed <= dependencies.CONTENT_HASHES, hashed


def test_rows_edited_here_and_there_give_the_report_a_build_from_nothing_gives(built_copy):
    """Edits that re-run a few sections by the rows they read give, byte for byte, the report
    that running every section gives (``--force``)."""
    data = built_copy / "data/lechang-mzj/2019"
    narrative = data / "narrative.csv"
    header, *rows = narrative.read_text(encoding="utf-8").splitlines(keepends=True)
    rows = [r.replace("底线民生保障水平提标工作圆满完成。", "底线民生保障水平提标工作全部完成。") for r in rows]
    rows.append("problems,9,item,档案整理工作有待加强。,illustrative\n")
    narrative.write_text(header + "".join(rows), encoding="utf-8")
    published = data / "published.csv"
    text = published.read_text(encoding="utf-8").replace("底线民生保障坚定有力 三是", "底线民生保障坚定有力 第三项")
    published.write_text(text, encoding="utf-8")
    sangong = data / "sangong.csv"
    sangong.write_text(sangong.read_text(encoding="utf-8") + "\n\n", encoding="utf-8")  # blank lines: no row
    stats = data / "stats.csv"
    text = stats.read_text(encoding="utf-8").replace(",223,户,", ",224,户,")
    stats.write_text(text + "yanglao,yanglao_new_beds,新增养老床位,30,张,,,,illustrative,\n", encoding="utf-8")
    ran = rebuild(built_copy)
    assert "08-budget" not in ran and "01-overview" not in ran
    out = built_copy / "outputs/lechang-mzj/2019"
    pages = {name: (out / name).read_bytes() for name in ("report.html", "report-review.html")}
    assert build(built_copy, "--force").returncode == 0
    assert {name: (out / name).read_bytes() for name in pages} == pages
