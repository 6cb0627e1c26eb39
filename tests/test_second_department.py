"""A second department of another kind, built from its data and settings alone: 示例县教育局 2020
(``data/shili-jyj``, synthetic and marked illustrative). Its settings list every standard block
(部门概况 … 结果应用) around its overview, themes, projects and review, nest headings three deep
(一、 › （一） › 1.), give its chapters and the 部门概况's parts titles of their own, key its themes
in Chinese, split the problems from the improvements, and report only a department total (no
indicator table).

Expected figures worked out by hand from its data (data/shili-jyj/DATALOG.md): 基本支出 2752.80 +
512.40 = 3265.20 (84.3% / 15.7%); 项目支出 5712.30 + 276.00 = 5988.30 of 5870.00 + 300.00 = 6170.00
(97.1%); “三公”经费 16.42 + 4.36 = 20.78 against 17.85 + 5.12 = 22.97 (−2.19, −9.5%); the projects
not self-evaluated 198.60 + 438.00 = 636.60 of 5712.30 (11.1%); 在职人员控制率 79 ÷ 86 = 91.9%."""

from __future__ import annotations

import csv
import html as htmllib
import re
from pathlib import Path

import pytest

from conftest import REPO
from jixiao.writing.provenance import MARK_HTML
from test_build import toc_entries
from test_report_content import SPAN, attribute, figures, section
from test_report_content import text as marked_text


def text(fragment: str) -> str:
    """The text as written: every figure of this unit is illustrative, so the 示 markers are left out."""
    return marked_text(fragment.replace(MARK_HTML, ""))


def lines(fragment: str) -> list[str]:
    """The text's lines, blank ones left out."""
    return [line.strip() for line in text(fragment).split("\n") if line.strip()]


UNIT, YEAR = "shili-jyj", 2020


@pytest.fixture(scope="module")
def county(county_example: Path) -> str:
    """The review edition's page (with 审核提示) of the session's build of the unit (conftest)."""
    assert county_example.parts[-2:] == (UNIT, str(YEAR))
    return (county_example / "report-review.html").read_text(encoding="utf-8")


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
        ("h2", "二、部门基本情况"),
        ("h3", "（一）主要职责"),  # the parts and their headings: profile_parts
        ("h3", "（二）内设机构"),
        ("h3", "（三）二级预算单位"),
        ("h3", "（四）人员编制和实有人数"),
        ("h2", "三、部门预算及执行情况"),
        ("h3", "（一）预算收支总体情况"),
        ("h3", "（二）基本支出"),
        ("h3", "（三）项目支出"),
        ("h3", "（四）“三公”经费"),
        ("h2", "四、年度绩效目标完成情况"),
        ("h3", "（一）年度绩效目标总体完成情况"),
        ("h3", "（二）教育事业发展"),
        ("h4", "1.学前教育普惠发展"),
        ("h4", "2.义务教育均衡发展"),
        ("h3", "（三）教育保障和教师队伍建设"),
        ("h2", "五、重点项目支出绩效情况"),
        ("h3", "项目支出绩效自评表"),  # the only one under its heading: no lone （一）
        ("h2", "六、未开展绩效自评的项目"),
        ("h2", "七、自评结论"),
        ("h2", "八、绩效自评工作开展情况"),
        ("h2", "九、存在的问题和原因"),
        ("h2", "十、下一步拟改进措施"),
        ("h2", "十一、自评结果应用和信息公开"),
        ("h3", "（一）结果应用"),
        ("h3", "（二）信息公开"),
        ("h2", "审核提示"),
    ]


def test_the_table_of_contents_has_the_same_numbers_and_nesting(county):
    assert toc_entries(county) == [
        ("01-overview", "一、", "部门整体支出绩效总体情况", 1),
        ("01-overview-1", "（一）", "预算执行情况", 2),
        ("01-overview-2", "（二）", "部门整体支出绩效自评", 2),
        ("01-overview-3", "（三）", "历年对比", 2),
        ("02-profile", "二、", "部门基本情况", 1),
        ("02-profile-1", "（一）", "主要职责", 2),
        ("02-profile-2", "（二）", "内设机构", 2),
        ("02-profile-3", "（三）", "二级预算单位", 2),
        ("02-profile-4", "（四）", "人员编制和实有人数", 2),
        ("03-budget", "三、", "部门预算及执行情况", 1),
        ("03-budget-1", "（一）", "预算收支总体情况", 2),
        ("03-budget-2", "（二）", "基本支出", 2),
        ("03-budget-3", "（三）", "项目支出", 2),
        ("03-budget-4", "（四）", "“三公”经费", 2),
        ("chapter-1", "四、", "年度绩效目标完成情况", 1),
        ("04-goals", "（一）", "年度绩效目标总体完成情况", 2),
        ("chapter-2", "（二）", "教育事业发展", 2),
        ("05-theme", "1.", "学前教育普惠发展", 3),
        ("06-theme", "2.", "义务教育均衡发展", 3),
        ("07-theme", "（三）", "教育保障和教师队伍建设", 2),
        ("08-projects", "五、", "重点项目支出绩效情况", 1),
        ("09-unevaluated", "六、", "未开展绩效自评的项目", 1),
        ("10-conclusion", "七、", "自评结论", 1),
        ("11-evaluation", "八、", "绩效自评工作开展情况", 1),
        ("12-problems", "九、", "存在的问题和原因", 1),
        ("13-improvements", "十、", "下一步拟改进措施", 1),
        ("14-application", "十一、", "自评结果应用和信息公开", 1),
        ("14-application-1", "（一）", "结果应用", 2),
        ("14-application-2", "（二）", "信息公开", 2),
        ("15-review", "", "审核提示", 1),
    ]
    chapter = county.split('<section class="jx-chapter" id="chapter-2">', 1)[1].split("</section>\n</section>")[0]
    assert 'id="05-theme"' in chapter and 'id="06-theme"' in chapter and 'id="07-theme"' not in chapter


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
    projects = text(section(county, "08-projects"))
    assert "按全年执行数加权，项目平均得分为96.68分，评价等级均为“优”。" in projects
    # 改造学校数 16 of 18 (26.67 of 30), 按期完工率 88.9% (17.78 of 20), execution 97.3% (9.73 of 10)
    form = section(county, "08-projects").split("<summary>义务教育薄弱环节改善</summary>", 1)[1].split("</details>")[0]
    assert text(re.search(r'<tr class="jx-total">(.*?)</tr>', form, re.S).group(1)).endswith("94.18")
    theme = text(section(county, "07-theme"))
    assert "一是落实学生资助政策。资助家庭经济困难学生12680人次，发放资助资金955.2万元，做到“应助尽助”。" in theme
    assert "图3 资助与培训人次" in theme
    assert "图2 公办幼儿园" in text(section(county, "05-theme"))
    assert "一是项目实施进度不够均衡。" in text(section(county, "12-problems"))
    assert "改进措施" not in text(section(county, "12-problems")).replace("下一步拟改进措施", "")
    assert "一是加强项目前期论证。" in text(section(county, "13-improvements"))


def test_the_profile_from_its_settings_and_row(county):
    profile = section(county, "02-profile")
    assert lines(profile)[2:] == [
        "（一）主要职责",
        "示例县教育局的主要职能是：示例",
        "贯彻执行国家和省、市的教育方针、政策和法规，拟订全县教育发展规划并组织实施。"
        "统筹管理全县学前教育、义务教育和普通高中教育，推进义务教育均衡发展。"
        "负责全县学生资助工作，落实家庭经济困难学生资助政策。"
        "负责全县教师队伍建设和教师培训。"
        "负责全县教育督导和校舍安全管理工作。",  # the numbered list's items, one <li> each (below)
        "（二）内设机构",
        "示例县教育局内设办公室(人事股、信访室)、计划财务股、基础教育股（学前教育办公室、义务教育办公室）、"
        "职业教育与成人教育股、学生资助管理中心、教师发展股、教育督导室、安全管理股，共8个内设机构。示例",
        "（三）二级预算单位",
        "示例县教育局所属二级预算单位4个：示例县第一中学、示例县第二中学、示例县实验小学、示例县教师进修学校。示例",
        "（四）人员编制和实有人数",
        "示例县教育局核定编制86名，2020年末在职人员79人，在职人员控制率为91.9%；离退休人员41人。",
    ]
    duties = re.search(r'<ol class="jx-duties">(.*?)</ol>', profile, re.S).group(1)
    assert [text(d) for d in re.findall(r"<li>(.*?)</li>", duties)] == [
        "贯彻执行国家和省、市的教育方针、政策和法规，拟订全县教育发展规划并组织实施。",
        "统筹管理全县学前教育、义务教育和普通高中教育，推进义务教育均衡发展。",
        "负责全县学生资助工作，落实家庭经济困难学生资助政策。",
        "负责全县教师队伍建设和教师培训。",
        "负责全县教育督导和校舍安全管理工作。",
    ]
    count = next(m for m in SPAN.finditer(profile) if m.group(3) == "8个")
    assert attribute(count.group(2), "data-source") == "data/shili-jyj/2020/profile.csv#row=2&col=body_count"


def test_every_standard_block_says_what_its_data_say(county):
    budget = text(section(county, "03-budget"))
    for sentence in (
        "2020年全年预算数9450.50万元，全年执行数9253.50万元，预算执行率为97.9%。按支出类型分，基本支出3265.20万元，"
        "占全年执行数的35.3%；项目支出5988.30万元，占64.7%。",
        "基本支出全年预算数3280.50万元，全年执行数3265.20万元，执行率为99.5%。其中人员经费2752.80万元，"
        "占基本支出的84.3%；公用经费512.40万元，占15.7%。",
        "项目支出全年预算数6170.00万元，全年执行数5988.30万元，执行率为97.1%。按资金来源分，一般公共预算项目支出"
        "5712.30万元，共5个项目，其中3个开展了绩效自评；政府性基金预算项目支出276.00万元，共1个项目，已开展绩效自评。",
        "2020年“三公”经费全年预算数24.00万元，全年执行数20.78万元，比上年减少2.19万元，下降9.5%。"
        "其中公务用车运行维护费16.42万元，公务接待费4.36万元；因公出国（境）费和公务用车购置费未发生支出。",
    ):
        assert sentence in budget
    assert (
        "年初设定的3项年度绩效目标中，2项已完成，1项部分完成（目标“完成18所义务教育薄弱学校改造，"
        "九年义务教育巩固率达到96%”）。"
    ) in text(section(county, "04-goals"))
    unevaluated = text(section(county, "09-unevaluated"))
    assert (
        "2020年一般公共预算项目支出中，有2个项目未开展绩效自评，全年执行数合计636.60万元，"
        "占一般公共预算项目支出总额5712.30万元的11.1%。"
    ) in unevaluated
    assert "上级专项转移支付资金，由市财政局和市教育局统一组织绩效评价" in unevaluated
    assert "当年新设项目，按规定于下一年度开展绩效自评" in unevaluated
    assert lines(section(county, "10-conclusion"))[2:] == [
        "经自评，示例县教育局2020年部门整体支出绩效自评得分为92.5分，评价等级为“优”。"
        "本部门未设部门整体绩效指标，自评得分以单位填报的总分为准。"
        "4个自评项目得分在94.18分至99.95分之间，评价等级均为“优”。3项年度绩效目标中，2项已完成，1项部分完成。"
    ]
    assert "三是以问卷调查了解服务对象满意度。向家长、师生和受助学生发放问卷600份，收回有效问卷568份。" in text(
        section(county, "11-evaluation")
    )
    application = text(section(county, "14-application"))
    assert "一是自评结果作为以后年度部门预算编制的重要依据，" in application
    assert "本报告随部门决算在示例县人民政府门户网站公开，接受社会监督。" in application
    closing = county.split('<div class="jx-signature"', 1)[1].split("</div>", 1)[0]
    assert [text(line) for line in re.findall(r"<p>(.*?)</p>", closing)] == [
        "示例县教育局", "2021年3月26日", "联系人：李某，联系电话：0000-0000000",
    ]  # fmt: skip
    assert (
        lines(section(county, "14-application"))[-1] == "示例县教育局2021年3月26日联系人：李某，联系电话：0000-0000000"
    )
    assert county.count('class="jx-signature"') == 1
    assert "jx-author-note" not in county  # no 编写提示 left: every block has its data


def test_the_review_checks_the_given_count_against_the_list(county):
    assert lines(section(county, "15-review"))[-1] == (
        "未发现需要提示的问题。已检查：内设机构数与所列机构、年度绩效目标与衡量它的指标3项、4个自评项目的得分、"
        "指标与执行率。"
    )


def test_the_note_on_last_years_data_once(county):
    note = "无2019年数据，不作同比分析。"
    assert county.count(note) == 1 and note in text(section(county, "05-theme"))


def test_the_datalog_is_beside_the_data():
    assert Path(REPO / "data" / UNIT / "DATALOG.md").is_file()
