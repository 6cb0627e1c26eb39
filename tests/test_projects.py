"""Section 项目支出绩效自评 on the example: the summary, the project table, the chart and the
自评表 of each project, with every number traceable and every score carrying its rule.

Expected figures are worked out by hand from the CSVs (and, for 2019, the published sums
6898.64 and 442.25 万元), not copied from the code's output.
"""

from __future__ import annotations

import csv
import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

import jixiao
from jixiao.scoring import FLAG_TEXT
from jixiao.sections import projects

DATA = Path(__file__).resolve().parents[1] / "data" / "lechang-mzj"
MARKER = '<span class="jx-mark">示</span>'
"""The 示 after an illustrative figure (all of the example's project data; tested in
test_provenance_report.py): left out of the texts read here."""


# -- a small HTML reader -----------------------------------------------------------------------


class Cell:
    def __init__(self, tag: str, attrs: dict[str, str]) -> None:
        self.tag, self.attrs, self.text, self.titles = tag, attrs, "", []

    @property
    def rowspan(self) -> int:
        return int(self.attrs.get("rowspan", "1"))

    @property
    def colspan(self) -> int:
        return int(self.attrs.get("colspan", "1"))

    def __repr__(self) -> str:
        return f"<{self.tag} {self.text!r}>"


class Row(list):
    cls: str = ""
    part: str = ""

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self]


class Tables(HTMLParser):
    """Tables as lists of rows of cells (text with tags stripped; titles of spans inside)."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[Row]] = []
        self.captions: list[str] = []
        self._part = ""
        self._row: Row | None = None
        self._cell: Cell | None = None
        self._caption: str | None = None
        self.feed(source.replace(MARKER, ""))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "table":
            self.tables.append([])
        elif tag in ("thead", "tbody", "tfoot"):
            self._part = tag
        elif tag == "caption":
            self._caption = ""
        elif tag == "tr":
            self._row = Row()
            self._row.cls, self._row.part = a.get("class", ""), self._part
        elif tag in ("td", "th"):
            self._cell = Cell(tag, a)
        elif tag == "span" and self._cell is not None and "title" in a:
            self._cell.titles.append(a["title"] + derivation(a.get("data-derivation", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._cell.text = self._cell.text.strip()
            self._row.append(self._cell)
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1].append(self._row)
            self._row = None
        elif tag == "caption" and self._caption is not None:
            self.captions.append(self._caption)
            self._caption = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.text += data
        elif self._caption is not None:
            self._caption += data


def plain(fragment: str) -> str:
    """The text a reader sees: tags stripped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment.replace(MARKER, "")))


def derivation(attribute: str) -> str:
    """A figure's full derivation (its entries of the 数据来源 appendix), after its tooltip."""
    return "".join("\n" + entry for entry in json.loads(html.unescape(attribute)).values()) if attribute else ""


def titles(fragment: str) -> list[str]:
    """Tooltips, each followed by the full derivation of its figure."""
    found = re.findall(r'title="([^"]*)"(?: data-derivation="([^"]*)")?', fragment)
    return [html.unescape(t) + derivation(d) for t, d in found]


def csv_rows(year: int, table: str) -> list[dict[str, str]]:
    with open(DATA / str(year) / f"{table}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def forms(report) -> list[tuple[str, str]]:
    """(summary text, the form's HTML) of each <details> block."""
    out = projects.selfeval_tables(report)
    blocks = re.findall(r'<details class="jx-selfeval"[^>]*>(.*?)</details>', out, re.S)
    return [(plain(re.search(r"<summary>(.*?)</summary>", b, re.S).group(1)), b) for b in blocks]


@pytest.fixture(scope="module")
def r2019():
    return jixiao.open_report("lechang-mzj", 2019)


@pytest.fixture(scope="module")
def r2018():
    return jixiao.open_report("lechang-mzj", 2018)


# -- 2019: the real example --------------------------------------------------------------------


def test_2019_every_project_scores_100_and_优(r2019) -> None:
    scores = r2019.scores.projects
    assert len(scores) == 13
    assert [p.final_total for p in scores] == [100.0] * 13
    assert {p.grade for p in scores} == {"优"}
    assert r2019.scores.summary.score == 100.0


def test_2019_summary_paragraph(r2019) -> None:
    out = projects.summary(r2019)
    assert plain(out) == (
        "2019年，乐昌市民政局对13个项目开展绩效自评，其中一般公共预算项目7个、政府性基金预算项目6个，"
        "自评项目全年执行数共7340.89万元（一般公共预算6898.64万元，政府性基金预算442.25万元）。"
        "13个项目自评得分均为100分，评价等级均为“优”。"
    )
    tips = titles(out)
    # every project scored the same: no average, and the figure lists each project's score
    same = next(t for t in tips if t.startswith("项目自评得分：100分"))
    assert "各自评项目得分：特困供养 100、社会福利 100、" in same and "殡葬改革 100" in same
    # the sums go back to the cells of projects.csv
    general = next(t for t in tips if t.startswith("一般公共预算自评项目全年执行数：6898.64万元"))
    assert "data/lechang-mzj/2019/projects.csv 第2行 全年执行数(executed)" in general
    assert "不一致" not in plain(out)  # no differences in 2019


def test_2019_project_table(r2019) -> None:
    out = projects.project_table(r2019)
    (table,) = Tables(out).tables
    head = next(r for r in table if r.part == "thead")
    assert head.texts == list(projects.TABLE_COLUMNS)
    assert projects.TABLE_COLUMNS == (
        "项目名称", "资金来源", "全年预算数（万元）", "全年执行数（万元）",
        "执行率", "得分", "等级",
    )  # fmt: skip
    body = [r for r in table if r.part == "tbody"]
    assert len(body) == 13
    assert body[0].texts == ["特困供养", "一般公共预算", "1586.40", "1586.40", "100%", "100.00", "优"]
    assert body[8].texts[0] == "“双百镇”社工"  # the data's straight quotes made Chinese
    assert [r.texts[5:] for r in body] == [["100.00", "优"]] * 13
    (foot,) = [r for r in table if r.part == "tfoot"]
    # 6898.64 + 442.25 = 7340.89; every project spent its whole full-year budget
    assert foot.texts == ["合计", "", "7340.89", "7340.89", "100%", "", ""]
    assert "全年执行数 ÷ 全年预算数" in foot[4].titles[0]
    assert "= 7340.89 ÷ 7340.89 = 100%" in html.unescape(foot[4].titles[0])
    # the score is the sum of its parts, with each part's rule
    score_tip = html.unescape(body[0][5].titles[0])
    assert "= 10.00 + 20.00 + 15.00 + 15.00 + 30.00 + 10.00 = 100.00" in score_tip
    assert "正向指标：实际 653 ≥ 目标 650，得满分 20 分" in score_tip
    assert "填报总分：100" in score_tip
    assert "jx-differs" not in out
    # no score is marked "!", so no legend of it: an orphan legend explains nothing
    assert re.search(r'<p class="jx-hint">(.*?)<span', out).group(1) == "得分为预算执行率得分与各三级指标得分之和。"


def test_2019_selfeval_form_of_城乡低保(r2019) -> None:
    blocks = forms(r2019)
    assert len(blocks) == 13
    # each form under its project's name: the score and grade are its 总分 and 评价等级 (and the table's)
    assert [b[0] for b in blocks[:3]] == ["特困供养", "社会福利", "城乡低保"]
    opened = re.findall(r'<details class="jx-selfeval"( open)?>', projects.selfeval_tables(r2019))
    assert opened == [" open"] + [""] * 12

    summary, block = blocks[2]
    assert summary == "城乡低保"
    parsed = Tables(block)
    assert parsed.captions == ["项目支出绩效自评表（2019年度）"]
    (form,) = parsed.tables
    assert 'class="jx-table jx-selfeval-form"' in block
    # the form's grid is 10 columns wide
    assert sum(c.colspan for c in form[0]) == 10

    assert form[0].texts == ["项目名称", "城乡低保"]
    assert form[1].texts == ["主管部门", "乐昌市民政局", "实施单位", "乐昌市民政局"]
    assert form[2].texts == ["项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数",
                             "分值", "执行率", "得分"]  # fmt: skip
    assert form[2][0].rowspan == 5
    funds = [r for r in form if r.cls == "jx-funds"]
    assert [r.texts for r in funds] == [
        ["年度资金总额", "3200.00", "3265.18", "3265.18", "10", "100%", "10.00"],
        ["其中：当年财政拨款", "3200.00", "3265.18", "3265.18", "—", "—", "—"],
        ["上年结转资金", "", "", "", "—", "—", "—"],
        ["其他资金", "", "", "", "—", "—", "—"],
    ]
    rule = "预算执行率：全年执行数 3265.18 ÷ 全年预算数 3265.18 = 100.00%，得分 = 3265.18 ÷ 3265.18 × 10 = 10.00"
    assert rule in html.unescape(funds[0][6].titles[0])

    goal = next(r for r in form if r.cls == "jx-goal")
    assert goal.texts == [
        "按标准保障城乡低保对象基本生活，开展低保专项治理",
        "低保标准按要求提标并按月发放，专项治理清退不符合条件的低保户",
    ]

    rows = [r for r in form if r.cls == "jx-indicator"]
    expected = [r for r in csv_rows(2019, "indicators") if r["scope"] == "YB03"]
    assert len(rows) == len(expected) == 6
    # 产出指标 spans its 3 rows; 社会效益指标 its 2; single rows carry no rowspan
    assert [(c.text, c.rowspan) for c in rows[0][:2]] == [("产出指标", 3), ("数量指标", 1)]
    assert [(c.text, c.rowspan) for c in rows[3][:2]] == [("效益指标", 2), ("社会效益指标", 2)]
    assert len(rows[4]) == 8 and len(rows[1]) == 9 and len(rows[0]) == 10
    assert rows[4].texts == ["低保对象投诉率", "≤", "1", "%", "0", "10", "10.00", ""]
    tip = html.unescape(rows[4][6].titles[0])
    assert "反向指标：实际 0 ≤ 目标 1，得满分 10 分" in tip
    assert "data/lechang-mzj/2019/indicators.csv 第16行 实际完成值(actual)" in tip

    total = next(r for r in form if r.cls == "jx-total")
    grade = next(r for r in form if r.cls == "jx-grade")
    assert total.texts == ["总分", "100", "100.00", ""]
    assert grade.texts == ["评价等级", "优"]


def test_2019_form_of_a_project_with_a_carry_over(r2019) -> None:
    # 养老服务设施建设 carries over the 12.16 万元 it left unspent in 2018 (125.00 − 112.84)
    _, block = next(b for b in forms(r2019) if b[0].startswith("养老服务设施建设"))
    funds = [r for r in Tables(block).tables[0] if r.cls == "jx-funds"]
    assert [r.texts for r in funds] == [
        ["年度资金总额", "105.00", "120.00", "120.00", "10", "100%", "10.00"],
        ["其中：当年财政拨款", "105.00", "107.84", "107.84", "—", "—", "—"],
        ["上年结转资金", "0.00", "12.16", "12.16", "—", "—", "—"],
        ["其他资金", "", "", "", "—", "—", "—"],
    ]


def test_2019_qualitative_row_shows_its_grade_and_band_rule(r2019) -> None:
    _, block = forms(r2019)[1]  # 社会福利
    rows = [r for r in Tables(block).tables[0] if r.cls == "jx-indicator"]
    row = next(r for r in rows if "老年人福利水平" in r.texts)
    assert row.texts == ["效益指标", "社会效益指标", "老年人福利水平", "定性",
                         "高龄老人福利待遇按时落实", "", "达成", "30", "30.00", ""]  # fmt: skip
    tip = " ".join(html.unescape(t) for c in row for t in c.titles)
    assert "定性指标：完成档次「达成」，分值区间 80%–100% × 30 = 24.00–30.00 分" in tip


def test_2019_chart_states_its_data(r2019) -> None:
    chart = projects.project_chart(r2019)
    assert chart.mime == "image/png" and chart.data[:8] == b"\x89PNG\r\n\x1a\n"
    assert chart.alt.startswith("条形图：全年预算数：特困供养1586.40万元、社会福利412.36万元")
    assert "；全年执行数：特困供养1586.40万元" in chart.alt
    assert chart.alt.endswith("殡葬改革160.00万元")
    assert chart.caption == "2019年自评项目全年预算数与执行数（含示例数据，非公开发布数）"
    assert 'alt="条形图：' in chart.html()


# -- 2018: one project below 优 ----------------------------------------------------------------


def test_2018_lower_score_with_grade_and_rule(r2018) -> None:
    # 养老服务设施建设: 112.84 ÷ 125 × 10 = 9.03; 6 ÷ 7 × 20 = 17.14; 120 ÷ 130 × 15 = 13.85; 15;
    # 定性 部分达成 reported 21 (band 18–24); 10  →  86.02, 良
    summary, block = next(b for b in forms(r2018) if b[0].startswith("养老服务设施建设"))
    assert summary == "养老服务设施建设"
    form = Tables(block).tables[0]
    total = next(r for r in form if r.cls == "jx-total")
    assert total.texts == ["总分", "100", "86.02", ""]
    assert next(r for r in form if r.cls == "jx-grade").texts == ["评价等级", "良"]
    tip = html.unescape(total[2].titles[0])
    assert "= 9.03 + 17.14 + 13.85 + 15.00 + 21.00 + 10.00 = 86.02" in tip
    assert "正向指标：实际 6 < 目标 7，得分 = 6 ÷ 7 × 20 = 17.14" in tip
    funds = [r for r in form if r.cls == "jx-funds"]
    assert funds[0].texts == ["年度资金总额", "120.00", "125.00", "112.84", "10", "90.3%", "9.03"]
    row = next(r for r in form if r.cls == "jx-indicator" and "养老服务项目建设个数" in r.texts)
    assert row.texts[-2:] == ["17.14", "1个“幸福计划”项目因选址调整跨年度建设，结转下年完成"]

    (table,) = Tables(projects.project_table(r2018)).tables
    line = next(r for r in table if r.texts[0] == "养老服务设施建设")
    assert line.texts[4:] == ["90.3%", "86.02", "良"]
    # 6905.68 executed; Σ score × executed = 690568 − (0.33 × 372.64 + 1.73 × 205.10
    # + 13.98 × 112.84) = 688512.7026 → 99.70
    text = plain(projects.summary(r2018))
    assert "项目平均得分为99.7分；12个项目评价等级为“优”，1个为“良”。" in text


# -- a reported score that the rules do not give -----------------------------------------------


def test_differing_reported_score_is_shown_with_both_numbers() -> None:
    report = jixiao.open_report("lechang-mzj", 2019)
    ind = report.data.indicators
    ind.loc[ind["indicator_id"] == "YB02-01", "reported_score"] = 20  # the rules give 25

    text = plain(projects.summary(report))
    assert text.endswith("其中有1处填报得分与按规则计算的得分不一致，已在表中标出并列明两个得分。")

    (table,) = Tables(projects.project_table(report)).tables
    line = next(r for r in table if r.texts[0] == "社会福利")
    assert line.texts[5:] == ["95.00!", "优"]
    assert "jx-differs" in projects.project_table(report)
    # the legend of the "!" is there, since the mark is
    assert re.search(r'<p class="jx-hint">(.*?)<span', projects.project_table(report)).group(1) == (
        "得分为预算执行率得分与各三级指标得分之和；标“!”者为填报得分与按规则计算的得分不一致。"
    )
    tip = html.unescape(line[5].titles[0])
    assert "= 95.00（按规则计算：100.00） = 95.00" in tip

    summary, block = forms(report)[1]
    assert summary == "社会福利!"
    form = Tables(block).tables[0]
    row = next(r for r in form if r.cls == "jx-indicator" and "高龄津贴发放人数" in r.texts)
    assert row[-2].text == "20.00（计算 25.00）!"
    assert row[-2].attrs["class"] == "num jx-differs"
    flag = html.unescape(row[-2].titles[-1])
    assert flag == f"{FLAG_TEXT['differs']}（填报 20.00，按规则计算 25.00）"
    assert "填报得分 20.00 分，与按规则计算的 25.00 分不一致" in html.unescape(row[-2].titles[0])
    total = next(r for r in form if r.cls == "jx-total")
    assert total.texts[2] == "95.00（计算 100.00）!"


def test_missing_actual_is_marked_and_scored_0() -> None:
    report = jixiao.open_report("lechang-mzj", 2019)
    ind = report.data.indicators
    ind.loc[ind["indicator_id"] == "YB04-02", "actual"] = None  # 补贴按时发放率, weight 20

    summary, block = forms(report)[3]
    assert summary == "村务监督委员会补贴!"
    row = next(r for r in Tables(block).tables[0]
               if r.cls == "jx-indicator" and "补贴按时发放率" in r.texts)  # fmt: skip
    assert row.texts == ["时效指标", "补贴按时发放率", "≥", "100", "%", "缺失", "20", "0.00!", ""]
    assert html.unescape(row[-2].titles[-1]) == FLAG_TEXT["missing"]
    assert "实际完成值未填报，按 0 分计" in html.unescape(row[-2].titles[0])


def test_a_total_capped_by_the_execution_rate_says_so_in_its_derivation() -> None:
    """A unit scoring by the 一体化平台's caps (``scoring.execution_caps``): 社会福利 at 65% executed
    scores 6.50 + 90 = 96.50 by the indicators, at most 79 at that rate."""
    from jixiao import scoring

    report = jixiao.open_report("lechang-mzj", 2019)
    p = report.data.projects
    i = p.index[p["project_name"] == "社会福利"][0]
    p.at[i, "executed"] = 268.03  # 65% of 412.36
    rules = scoring.Rules.from_settings({"execution_caps": [[0.8, 89], [0.7, 79], [0.6, 69], [0.5, 59]]})
    report.scores = scoring.score_all(report.data, rules)
    (table,) = Tables(projects.project_table(report)).tables
    line = next(r for r in table if r.texts[0] == "社会福利")
    assert line.texts[4:] == ["65%", "79.00", "中"]
    assert "  = min(6.50 + 25.00 + 15.00 + 10.00 + 30.00 + 10.00, 预算执行率对应的总分上限 79) = 79.00" in (
        html.unescape(line[5].titles[0])
    )
