"""A second department of another kind, built from its data and settings alone: 示例县教育局 2020
(``data/shili-jyj``, synthetic and marked illustrative). Its settings nest headings three deep
(一、 › （一） › 1.), give its chapters titles of their own, key its themes in Chinese, split the
problems from the improvements, and report only a department total (no indicator table)."""

from __future__ import annotations

import csv
import html as htmllib
import re
from pathlib import Path

import pytest

from conftest import REPO, copy_project, run_jixiao
from jixiao.writing.provenance import MARK_HTML
from test_build import toc_entries
from test_report_content import figures, section
from test_report_content import text as marked_text


def text(fragment: str) -> str:
    """The text as written: every figure of this unit is illustrative, so the 示 markers are left out."""
    return marked_text(fragment.replace(MARK_HTML, ""))


UNIT, YEAR = "shili-jyj", 2020


@pytest.fixture(scope="module")
def county(tmp_path_factory) -> str:
    root = copy_project(tmp_path_factory.mktemp("county"))
    result = run_jixiao(root, "build", "--unit", UNIT, "--year", str(YEAR))
    assert result.returncode == 0, result.stdout + result.stderr
    return (root / "outputs" / UNIT / str(YEAR) / "report-review.html").read_text(encoding="utf-8")  # with 审核提示


def headings(page: str) -> list[tuple[str, str]]:
    """The body's headings (tag, text), the 示例 marker of illustrative headlines left out."""
    main = page.split("<main>", 1)[1].split("</main>", 1)[0]
    main = re.sub(r'<span class="jx-illustrative"[^>]*>[^<]*</span>', "", main)
    found = re.finditer(r"<(h[1-6])\b[^>]*>(.*?)</\1>", main, re.S)
    return [(m.group(1), htmllib.unescape(re.sub(r"<[^>]+>", "", m.group(2))).strip()) for m in found]


def test_no_code_knows_the_unit():
    for path in (REPO / "lib").rglob("*.py"):
        assert UNIT not in path.read_text(encoding="utf-8"), path
    datalog = (REPO / "data" / UNIT / "DATALOG.md").read_text(encoding="utf-8")
    assert "illustrative" in datalog and "虚构" in datalog
    for path in (REPO / "data" / UNIT / str(YEAR)).glob("*.csv"):
        rows = list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))
        assert rows and {row["source"] for row in rows} == {"illustrative"}, path.name


def test_headings_nest_three_deep_with_the_units_own_titles(county):
    assert headings(county) == [
        ("h2", "一、部门整体支出绩效总体情况"),
        ("h3", "（一）预算执行情况"),
        ("h3", "（二）部门整体支出绩效自评"),
        ("h3", "（三）历年对比"),
        ("h2", "二、年度绩效目标完成情况"),
        ("h3", "（一）教育事业发展"),
        ("h4", "1.学前教育普惠发展"),
        ("h4", "2.义务教育均衡发展"),
        ("h3", "（二）教育保障和教师队伍建设"),
        ("h2", "三、重点项目支出绩效情况"),
        ("h3", "项目支出绩效自评表"),  # the only one under its heading: no lone （一）
        ("h2", "四、存在的问题和原因"),
        ("h2", "五、下一步拟改进措施"),
        ("h2", "审核提示"),
    ]


def test_the_table_of_contents_has_the_same_numbers_and_nesting(county):
    assert toc_entries(county) == [
        ("01-overview", "一、", "部门整体支出绩效总体情况", 1),
        ("01-overview-1", "（一）", "预算执行情况", 2),
        ("01-overview-2", "（二）", "部门整体支出绩效自评", 2),
        ("01-overview-3", "（三）", "历年对比", 2),
        ("chapter-1", "二、", "年度绩效目标完成情况", 1),
        ("chapter-2", "（一）", "教育事业发展", 2),
        ("02-theme", "1.", "学前教育普惠发展", 3),
        ("03-theme", "2.", "义务教育均衡发展", 3),
        ("04-theme", "（二）", "教育保障和教师队伍建设", 2),
        ("05-projects", "三、", "重点项目支出绩效情况", 1),
        ("06-problems", "四、", "存在的问题和原因", 1),
        ("07-improvements", "五、", "下一步拟改进措施", 1),
        ("08-review", "", "审核提示", 1),
    ]
    chapter = county.split('<section class="jx-chapter" id="chapter-2">', 1)[1].split("</section>\n</section>")[0]
    assert 'id="02-theme"' in chapter and 'id="03-theme"' in chapter and 'id="04-theme"' not in chapter


def test_the_reported_total_stands_on_the_cover_without_an_indicator_table(county):
    cover = county.split('<header class="jx-cover"', 1)[1].split("</header>", 1)[0]
    assert [f.replace("示", "") for f in figures(cover)] == ["92.5分"]
    assert 'data-provenance="illustrative"' in cover
    assert "<dd>优</dd>" in cover
    overview = text(section(county, "01-overview"))
    assert "本部门未设部门整体绩效指标，部门整体支出绩效自评得分以填报的92.5分为准。" in overview


def test_figures_from_its_data(county):
    overview = text(section(county, "01-overview"))
    assert (
        overview.split("（一）")[0]
        .strip()
        .endswith(
            "根据年初设定的绩效目标，示例县教育局2020年部门整体支出绩效自评得分为92.5分。"
            "全年预算数9450.50万元，执行数9253.50万元，完成预算的97.9%。"
            "其中对3个一般公共预算项目支出开展绩效自评，包括“学前教育发展资金”“义务教育薄弱环节改善”“学生资助补助经费”等，"
            "共涉及资金5075.70万元，占一般公共预算项目支出总额的88.9%；对1个政府性基金预算项目支出开展绩效自评，"
            "包括“校舍维修改造”等，共涉及资金276.00万元，占政府性基金预算项目支出总额的100%。"
        )
    )
    projects = text(section(county, "05-projects"))
    assert "按全年执行数加权，项目平均得分为96.68分，评价等级均为“优”。" in projects
    # 改造学校数 16 of 18 (26.67 of 30), 按期完工率 88.9% (17.78 of 20), execution 97.3% (9.73 of 10)
    form = section(county, "05-projects").split("<summary>义务教育薄弱环节改善</summary>", 1)[1].split("</details>")[0]
    assert text(re.search(r'<tr class="jx-total">(.*?)</tr>', form, re.S).group(1)).endswith("94.18")
    theme = text(section(county, "04-theme"))
    assert "一是落实学生资助政策。资助家庭经济困难学生12680人次，发放资助资金955.2万元，做到“应助尽助”。" in theme
    assert "图3 资助与培训人次" in theme
    assert "图2 公办幼儿园" in text(section(county, "02-theme"))
    assert "一是项目实施进度不够均衡。" in text(section(county, "06-problems"))
    assert "改进措施" not in text(section(county, "06-problems")).replace("下一步拟改进措施", "")
    assert "一是加强项目前期论证。" in text(section(county, "07-improvements"))


def test_the_datalog_is_beside_the_data():
    assert Path(REPO / "data" / UNIT / "DATALOG.md").is_file()
