"""Themed sections of the 2019 example: headings, 一是… items with figure spans, charts, changes."""

from __future__ import annotations

import csv
import html
import json
import re
import shutil
from dataclasses import replace

import pandas as pd
import pytest

import jixiao
from helpers_inputs import REPO, read_rows, write_rows
from jixiao import paths
from jixiao.sections import themes
from jixiao.sections.themes import ThemeError

UNIT, YEAR = "lechang-mzj", 2019
STATS = f"data/{UNIT}/{YEAR}/stats.csv"
NARRATIVE = f"data/{UNIT}/{YEAR}/narrative.csv"
THEMES = ["dibao", "yanglao", "ertong", "zhili", "dangjian"]


def csv_row(file: str, **match: str) -> int:
    """The spreadsheet row (header = 1) of the first CSV row matching ``match``, read with csv."""
    with open(paths.root() / file, encoding="utf-8", newline="") as f:
        for number, row in enumerate(csv.DictReader(f), start=2):
            if all(row[k] == v for k, v in match.items()):
                return number
    raise AssertionError(f"no row {match} in {file}")


def text_of(fragment: str) -> str:
    """The text a reader sees: tags removed, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def paragraphs(fragment: str) -> list[str]:
    return re.findall(r"<p\b[^>]*>.*?</p>", fragment, flags=re.S)


@pytest.fixture(scope="module")
def report():
    return jixiao.open_report(UNIT, YEAR)


@pytest.fixture
def fresh():
    """A report of its own, for tests that change its settings or tables."""
    return jixiao.open_report(UNIT, YEAR)


# -- headings -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("theme", "number", "title"),
    [
        ("dibao", "（一）", "底线民生保障坚定有力"),
        ("yanglao", "（二）", "养老服务体系建设快速发展"),
        ("ertong", "（三）", "儿童福利保障全面落实"),
        ("zhili", "（四）", "民政领域社会治理水平得到提升"),
        ("dangjian", "（五）", "全面从严治党向纵深发展"),
    ],
)
def test_heading_is_numbered_in_report_order(report, theme, number, title):
    assert themes.heading(report, theme) == f'<h2><span class="jx-number">{number}</span>{title}</h2>'


def test_illustrative_heading_is_marked():
    earlier = jixiao.open_report(UNIT, 2018)
    row = csv_row(f"data/{UNIT}/2018/narrative.csv", section="dibao", kind="title")
    assert themes.heading(earlier, "dibao") == (
        f'<h2 class="jx-illustrative-text" data-source="data/{UNIT}/2018/narrative.csv#row={row}'
        '&amp;col=text"><span class="jx-number">（一）</span>底线民生保障稳步推进<span class="jx-illustrative" '
        'title="本段为示例文字，非公开发布内容">示例</span></h2>'
    )


def test_heading_without_title_row_names_the_theme(fresh):
    narrative = fresh.data.narrative
    fresh.data._frames["narrative"] = narrative[narrative["kind"] != "title"]
    with pytest.raises(ThemeError, match=r"dibao.*kind=title"):
        themes.heading(fresh, "dibao")


# -- items --------------------------------------------------------------------------------------


def test_dibao_items_are_numbered_and_read_as_published(report):
    items = paragraphs(themes.items(report, "dibao"))
    texts = [text_of(p) for p in items]
    assert [t[:2] for t in texts] == ["一是", "二是", "三是", "四是", "五是"]
    assert texts[2] == ("三是深入抓实低保专项治理工作。全市共清退低保户223户、489人，追缴低保金4.1万元。")
    assert texts[3].startswith(
        "四是进一步抓实临时、慈善、流浪乞讨救助工作。全市共救助289人次，发放临时救助金41.95万元；"
        "2019年市慈善会共收到各方捐款305.74万元；"
    )
    assert texts[4].endswith("其基本生活保障全覆盖100%完成。")


def test_a_figure_is_a_span_with_its_cell(report):
    row = csv_row(STATS, key="dibao_cleared_households")
    span = (
        f'全市共清退低保户<span class="jx-fig" data-provenance="published" '
        f'data-source="{STATS}#row={row}&amp;col=value" '
        f'title="清退低保户：223户&#10;公开发布：《乐昌市民政局2019年绩效自评报告》（一）底线民生保障坚定有力 三是&#10;'
        f'来源：{STATS} 第{row}行 数值(value)" tabindex="0">223户</span>'
    )
    assert span in themes.items(report, "dibao")


def test_paragraph_carries_its_narrative_row(report):
    row = csv_row(NARRATIVE, section="dibao", order="3")
    third = paragraphs(themes.items(report, "dibao"))[2]
    assert third.startswith(f'<p class="jx-narrative" data-source="{NARRATIVE}#row={row}&amp;col=text">三是')


def test_sum_placeholder_is_a_derived_figure(report):
    items = themes.items(report, "yanglao")
    second = text_of(paragraphs(items)[1])
    assert second.startswith("二是完成9个养老服务项目建设工作。7个“幸福计划”项目")
    pattern = (
        r'<span class="jx-fig" data-provenance="published" data-source="formula:([^"]*)" '
        r'title="([^"]*)"[^>]*>9个</span>'
    )
    span = re.search(pattern, items)
    assert span, "the 9 is a derived figure span"
    assert span.group(1) == "“幸福计划”项目 + 城乡社区养老综合服务设施"
    tooltip = html.unescape(span.group(2))
    r7, r2 = csv_row(STATS, key="xingfu_projects"), csv_row(STATS, key="community_facilities")
    assert tooltip.splitlines() == [
        "“幸福计划”项目、城乡社区养老综合服务设施合计：9个",
        "计算：“幸福计划”项目 + 城乡社区养老综合服务设施",
        "  = 7个 + 2个 = 9个",
        "完整推导：点击数字，见文末“数据来源”",
    ]
    # the cells are in its entry of the 数据来源 appendix (moved there when the report is stitched)
    derivation = re.search(r'data-derivation="([^"]*)"[^>]*>9个</span>', items)
    assert derivation
    (entry,) = json.loads(html.unescape(derivation.group(1))).values()
    where = "公开发布：《乐昌市民政局2019年绩效自评报告》（二）养老服务体系建设快速发展 二是"
    assert entry.splitlines() == [
        "“幸福计划”项目、城乡社区养老综合服务设施合计：9个",
        "计算：“幸福计划”项目 + 城乡社区养老综合服务设施",
        "  = 7个 + 2个 = 9个",
        f"  “幸福计划”项目：7个［{where}］ 来源：{STATS} 第{r7}行 数值(value)",
        f"  城乡社区养老综合服务设施：2个［{where}］ 来源：{STATS} 第{r2}行 数值(value)",
    ]


def test_qualifiers_numerals_year_and_shared_keys(report):
    zhili = text_of(themes.items(report, "zhili"))
    assert "发放物资约121.6万元、现金4.1万元，帮助困难群众1万人次" in zhili
    assert "扫黑除恶宣传册1500多份" in zhili
    assert "共办结两条线索。" in zhili
    assert "2019年6个社会工作服务站共开展活动109次" in zhili  # {year}, and a key of (三)
    assert "{" not in zhili and "}" not in zhili
    dangjian = paragraphs(themes.items(report, "dangjian"))
    assert len(dangjian) == 1 and not text_of(dangjian[0]).startswith("一是")  # a paragraph row


def test_every_theme_renders_every_placeholder(report):
    for theme in THEMES:
        out = themes.items(report, theme)
        assert "{" not in text_of(out), theme
        assert "jx-illustrative" not in out, theme  # 2019's themed sections are all published


def test_illustrative_rows_and_figures_are_marked():
    earlier = jixiao.open_report(UNIT, 2018)
    items = paragraphs(themes.items(earlier, "dibao"))
    assert items and all('class="jx-narrative jx-illustrative-text"' in p for p in items)
    tag = '<span class="jx-illustrative" title="本段为示例文字，非公开发布内容">示例</span>'
    assert all(p.endswith(tag + "</p>") for p in items)
    marked = (
        '<span class="jx-fig jx-illustrative" data-provenance="illustrative" '
        'data-source="data/lechang-mzj/2018/stats.csv'
    )
    assert marked in items[2]
    assert "156户" in text_of(items[2])


def test_missing_key_names_the_row_and_the_key(report):
    row = {"section": "dibao", "kind": "item", "text": "共清退{no_such_key}。",
           "_file": NARRATIVE, "_sheet": "", "_row": 7}  # fmt: skip
    with pytest.raises(ThemeError) as err:
        themes.fill(report, row)
    message = str(err.value)
    assert f"{NARRATIVE} 第7行" in message
    assert "'no_such_key'" in message and STATS in message


def test_missing_key_in_the_narrative_table_fails_the_items(fresh):
    narrative = fresh.data.narrative.copy()
    first = narrative.index[(narrative["section"] == "dibao") & (narrative["kind"] == "item")][0]
    narrative.loc[first, "text"] = "低保{dibao_typo}"
    fresh.data._frames["narrative"] = narrative
    row = int(narrative.loc[first, "_row"])
    with pytest.raises(ThemeError, match=rf"narrative.csv 第{row}行.*'dibao_typo'"):
        themes.items(fresh, "dibao")


def test_sum_of_different_units_is_refused(report):
    row = {"text": "{dibao_cleared_households+dibao_cleared_people}", "_file": NARRATIVE, "_row": 4}
    with pytest.raises(ThemeError, match=r"计量单位不同.*户.*人"):
        themes.fill(report, row)


def test_unknown_row_kind_is_refused(fresh):
    narrative = fresh.data.narrative.copy()
    first = narrative.index[(narrative["section"] == "dibao") & (narrative["kind"] == "item")][0]
    narrative.loc[first, "kind"] = "bullet"
    fresh.data._frames["narrative"] = narrative
    with pytest.raises(ThemeError, match="'bullet'"):
        themes.items(fresh, "dibao")


# -- charts -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chart_html(report):
    return {theme: themes.charts(report, theme) for theme in THEMES}


def figures_of(fragment: str) -> list[tuple[str, str]]:
    """(alt, caption) of each chart."""
    found = re.findall(r'<img alt="([^"]*)" src="[^"]*"[^>]*><figcaption>([^<]*)</figcaption>', fragment)
    return [(html.unescape(a), html.unescape(c)) for a, c in found]


def test_chart_count_per_theme(chart_html):
    counts = {theme: len(figures_of(h)) for theme, h in chart_html.items()}
    assert counts == {"dibao": 4, "yanglao": 4, "ertong": 1, "zhili": 5, "dangjian": 2}
    assert all(h.count('<figure class="jx-chart">') == counts[t] for t, h in chart_html.items())


def test_captions_are_the_charts_titles_numbered_when_stitched(chart_html):
    """A section's captions carry no number (the stitched page numbers every figure of the report:
    see test_the_report_numbers_its_tables_and_figures_through); a note never stacks brackets."""
    captions = [c for _, c in figures_of(chart_html["zhili"])]
    assert captions[0] == "结婚与离婚登记（2018年含示例数据，非公开发布数）"
    assert captions[4] == "社工站发放物资与现金"  # this year only: no illustrative data
    dibao = [c for _, c in figures_of(chart_html["dibao"])]
    assert dibao[0] == "社会救助人次（按救助类别；2018年含示例数据，非公开发布数）"


def test_alt_text_states_the_data(chart_html):
    dibao = figures_of(chart_html["dibao"])
    assert dibao[0][0] == (
        "柱状图：2018年：临时救助人次312人次、流浪乞讨救助人次161人次；"
        "2019年：临时救助人次289人次、流浪乞讨救助人次153人次"
    )
    assert dibao[2][0] == "柱状图：2018年：清退低保户156户；2019年：清退低保户223户"
    assert figures_of(chart_html["zhili"])[4][0] == (
        "柱状图（2019年）：社工站发放物资约121.6万元，社工站发放现金4.1万元"
    )
    assert figures_of(chart_html["yanglao"])[0][0] == (
        "条形图（2019年）：敬老院整治总投资753.4万元，高龄津贴发放金额215万元，投保经费4.7万元"
    )


def test_grouped_bar_without_earlier_year_has_one_series():
    earlier = jixiao.open_report(UNIT, 2018)
    spec = themes.chart_specs(earlier, "ertong")[0]
    chart = themes.chart(earlier, "ertong", spec)
    assert chart.alt == "柱状图：2018年：在册留守儿童5132人"
    assert chart.caption == "在册留守儿童（2018年含示例数据，非公开发布数）"


def with_settings(report, part: str, value: object) -> None:
    """Replace one part of the unit settings (as if unit.yaml said so)."""
    report.settings = replace(report.settings, raw={**report.settings.raw, part: value})


def with_charts(report, theme: str, charts: list[dict]) -> None:
    with_settings(report, "themes", {**report.settings.themes, theme: {"charts": charts}})


def test_chart_mixing_units_is_refused(fresh):
    with_charts(fresh, "dibao", [{"kind": "bar", "title": "户与人", "keys": [
        "dibao_cleared_households", "dibao_cleared_people"]}])  # fmt: skip
    with pytest.raises(ThemeError) as err:
        themes.charts(fresh, "dibao")
    message = str(err.value)
    assert "params/lechang-mzj/unit.yaml themes.dibao.charts 第1项（户与人）" in message
    assert "dibao_cleared_households（户）" in message and "dibao_cleared_people（人）" in message


def test_chart_with_unknown_key_or_kind_is_refused(fresh):
    with_charts(fresh, "dibao", [{"kind": "bar", "title": "错键", "keys": ["no_such"]}])
    with pytest.raises(ThemeError, match=r"unit.yaml.*错键.*'no_such'"):
        themes.charts(fresh, "dibao")
    with_charts(fresh, "dibao", [{"kind": "pie", "title": "饼", "keys": ["cremations"]}])
    with pytest.raises(ThemeError, match=r"unit.yaml.*未知图表类型 'pie'"):
        themes.charts(fresh, "dibao")


def test_theme_without_charts_is_empty(fresh):
    with_settings(fresh, "themes", {})
    assert themes.charts(fresh, "dibao") == ""


# -- changes from last year ---------------------------------------------------------------------


def table_rows(fragment: str) -> list[list[str]]:
    body = re.search(r"<tbody>(.*?)</tbody>", fragment, flags=re.S)
    assert body
    return [
        [text_of(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", tr, flags=re.S)]
        for tr in re.findall(r"<tr>(.*?)</tr>", body.group(1), flags=re.S)
    ]


def test_changes_table_and_summary(report):
    out = themes.changes(report, "dibao")
    rows = table_rows(out)
    dibao_keys = pd.read_csv(paths.root() / STATS).query("section == 'dibao'")
    assert len(rows) == len(dibao_keys) == 16  # every key is in 2018 too
    by_label = {r[0]: r[1:] for r in rows}
    # 2018 is illustrative: its figures, and the changes computed from them, carry 示 (text)
    assert by_label["清退低保户（户）"] == ["156示", "223", "增加67户示", "同比增长42.9%示"]
    assert by_label["临时救助人次（人次）"] == ["312示", "289", "减少23人次示", "同比下降7.4%示"]
    assert by_label["兜底保障覆盖率（%）"] == ["100示", "100", "持平示", "与上年持平示"]
    row = csv_row(STATS, key="dibao_cleared_households")
    cell = '<td class="num"><span class="jx-fig" data-provenance="published" '
    cell += f'data-source="{STATS}#row={row}&amp;col=value"'
    assert cell in out
    assert "<caption>主要指标与上年对比</caption>" in out


SUMMARIES = {
    "dibao": "与2018年相比，增幅较大的有流浪乞讨救助金增加75.5万元示（增长87.3%示）、追缴低保金增加1.5万元示"
             "（增长57.7%示）、清退低保户增加67户示（增长42.9%示）等6项示。",
    # 高龄津贴起始年龄 is a setting, not compared; 投保经费 (+0.3万元) is below the 1万元 floor
    "yanglao": "与2018年相比，增幅较大的有敬老院整治总投资增加466.9万元示（增长163%示）、城乡社区养老综合服务设施"
               "由1个增至2个示、新增日间照料养老床位增加60个示（增长50%示）等5项示；降幅较大的有安装简易喷淋敬老院"
               "减少2间示（下降11.8%示）。",
    # 6 → 10 schools is +66.7%: no longer "均在10%以内"
    "ertong": "与2018年相比，增幅较大的有开展“女童保护”课程小学由6所增至10所示。",
    # small counts are judged on their two numbers (5 → 9, 5 → 3); 宣传经费 +0.3万元 is not notable
    "zhili": "与2018年相比，增幅较大的有扫黑除恶办结线索由1条增至2条示、注销登记社会组织由5家增至9家示、"
             "扫黑除恶走访群众增加20户示（增长66.7%示）等10项示；降幅较大的有收养登记由5例减至3例示、"
             "新登记社会组织由8家减至6家示。",
    "dangjian": "与2018年相比，增幅较大的有专题调研报告由4篇增至6篇示、为群众办好事实事增加4件示（增长28.6%示）、"
                "“双周讲坛”参加人次增加55人次示（增长27.8%示）等6项示；降幅较大的有主题党日活动减少2次示（下降16.7%示）。",
}  # fmt: skip


@pytest.mark.parametrize("theme", THEMES)
def test_each_theme_names_its_notable_changes(report, theme):
    assert text_of(paragraphs(themes.changes(report, theme))[-1]) == SUMMARIES[theme]


def test_the_count_of_notable_changes_names_them_all(report):
    out = themes.changes(report, "zhili")
    count = html.unescape(re.search(r'title="([^"]*)"[^>]*>10项<', out).group(1))
    assert count.startswith(
        "增幅较大的指标个数：10项\n由示例数据计算\n计算：增幅较大的指标：扫黑除恶办结线索、注销登记社会组织、"
        "扫黑除恶走访群众、扫黑除恶宣传册、社工站发放物资、社工站开展活动、社工站帮助困难群众、补领离婚证、全市社工、"
        "免除殡葬基本服务费\n"
    )


def test_a_setting_is_not_compared(report):
    labels = [r[0] for r in table_rows(themes.changes(report, "yanglao"))]
    assert "高龄津贴起始年龄（岁）" not in labels and "高龄津贴发放人数（名）" in labels
    assert "gaoling_age_threshold" not in [c.key for c in themes.change_rows(report, "yanglao")]


def test_the_thresholds_are_the_units_settings(fresh):
    fresh.settings.raw["notable_changes"] = {"amount": 0.3, "rate": 0.3}
    rows = {c.key: c for c in themes.change_rows(fresh, "zhili")}
    assert themes.notable(rows["saohei_publicity_amount"], fresh.settings.notable_changes)  # 0.3万元, +37.5%
    # 6 increases of at least 30% (宣传经费 among them), 1 decrease (新登记社会组织 −25% is not)
    assert text_of(paragraphs(themes.changes(fresh, "zhili"))[-1]) == (
        "与2018年相比，增幅较大的有扫黑除恶办结线索由1条增至2条示、注销登记社会组织由5家增至9家示、"
        "扫黑除恶走访群众增加20户示（增长66.7%示）等6项示；降幅较大的有收养登记由5例减至3例示。"
    )
    fresh.settings.raw["notable_changes"] = {"rate": 0.7}
    assert text_of(paragraphs(themes.changes(fresh, "ertong"))[-1]) == "与2018年相比，本部分各项指标均无较大变化。"


def test_a_percentage_is_notable_by_its_points(fresh):
    stats = fresh.data.stats
    stats.loc[stats["key"] == "marriage_registration_pass_rate", "value"] = 95  # 2018: 100
    rows = {c.key: c for c in themes.change_rows(fresh, "zhili")}
    limits = fresh.settings.notable_changes
    assert themes.notable(rows["marriage_registration_pass_rate"], limits)
    summary = text_of(paragraphs(themes.changes(fresh, "zhili"))[-1])
    assert summary.endswith("新登记社会组织由8家减至6家示、婚姻登记合格率下降5个百分点示。")  # no rate of a rate
    stats.loc[stats["key"] == "marriage_registration_pass_rate", "value"] = 96
    rows = {c.key: c for c in themes.change_rows(fresh, "zhili")}
    assert not themes.notable(rows["marriage_registration_pass_rate"], limits)  # 4个百分点


def test_changes_keep_qualifiers_in_the_table(report):
    by_label = {r[0]: r[1:] for r in table_rows(themes.changes(report, "zhili"))}
    # approximate figures: the difference is approximate too, and no rate is given
    # (2018 is illustrative: its figures and the changes from them carry 示; a rate not given does not)
    assert by_label["社工站发放物资（万元）"] == ["约93.5示", "约121.6", "增加约28.1万元示", "—"]
    assert by_label["扫黑除恶宣传册（份）"] == ["1000多示", "1500多", "增加约500份示", "—"]
    assert by_label["社工站发放现金（万元）"][:2] == ["3.20示", "4.10"]  # exact: two decimals
    # a small whole count: its two numbers, no rate
    assert by_label["扫黑除恶办结线索（条）"] == ["1示", "2", "由1条增至2条示", "—"]
    assert by_label["新登记社会组织（家）"] == ["8示", "6", "由8家减至6家示", "—"]
    # 0.8 → 1 万人次 is no small count: a rate
    assert by_label["社工站帮助困难群众（万人次）"] == ["0.8示", "1", "增加0.2万人次示", "同比增长25%示"]


def test_change_figures_are_derived_with_formula(report):
    rows = themes.change_rows(report, "dibao")
    row = next(c for c in rows if c.key == "dibao_cleared_households")
    assert row.change.value == 67 and row.change.formula == "2019年清退低保户 − 2018年清退低保户"
    assert row.change.substituted() == "223户 − 156户 = 增加67户"
    assert round(row.rate.value, 4) == 0.4295
    assert row.rate.formula == "(2019年清退低保户 − 2018年清退低保户) ÷ 2018年清退低保户"
    assert [f.source.file for f in row.rate.inputs] == [STATS, f"data/{UNIT}/2018/stats.csv"]
    assert row.change.illustrative  # 2018 is illustrative, so is the change
    assert row.before.html().startswith('<span class="jx-nobr"><span class="jx-fig jx-illustrative"')
    assert row.before.html().endswith('>156户</span><span class="jx-mark">示</span></span>')


def test_changes_without_previous_year_is_a_note():
    earlier = jixiao.open_report(UNIT, 2018)
    assert themes.changes(earlier, "dibao") == '<p class="jx-hint">无2017年数据，不作同比分析。</p>'


@pytest.fixture
def year_2018(tmp_path, monkeypatch):
    """A copy of the project with the example's 2018 data only (no earlier year); returns the
    unit settings' file."""
    root = tmp_path / "project"
    shutil.copytree(REPO / "params", root / "params")
    shutil.copytree(REPO / "data" / UNIT / "2018", root / "data" / UNIT / "2018")
    monkeypatch.setenv("JIXIAO_ROOT", str(root))
    return root / "params" / UNIT / "unit.yaml"


def set_last_year_note(unit_file, value):
    with unit_file.open("a", encoding="utf-8") as f:
        f.write(f"last_year_note: {value}\n")


NOTE_2017 = '<p class="jx-hint">无2017年数据，不作同比分析。</p>'


@pytest.mark.parametrize(
    ("setting", "written"),
    [
        (None, ["dibao"]),  # once, the default: after the first theme of the settings only
        ("once", ["dibao"]),
        ("each", ["dibao", "yanglao", "ertong", "zhili", "dangjian"]),
        ("never", []),
    ],
)
def test_the_note_on_last_years_data(year_2018, setting, written):
    if setting:
        set_last_year_note(year_2018, setting)
    report = jixiao.open_report(UNIT, 2018)
    notes = {key: themes.changes(report, key) for key in ("dangjian", "zhili", "dibao", "yanglao", "ertong")}
    assert {key for key, note in notes.items() if note == NOTE_2017} == set(written)
    assert {key for key, note in notes.items() if note == ""} == set(notes) - set(written)


def test_the_note_once_goes_to_the_first_theme_in_the_settings_order(year_2018):
    text = year_2018.read_text(encoding="utf-8")
    year_2018.write_text(text.replace("      - theme:dibao\n", "").replace("      - theme:dangjian\n",
                                      "      - theme:dangjian\n      - theme:dibao\n"), encoding="utf-8")  # fmt: skip
    report = jixiao.open_report(UNIT, 2018)
    assert [s.key for s in report.settings.sections if s.kind == "theme"] == [
        "yanglao", "ertong", "zhili", "dangjian", "dibao",
    ]  # fmt: skip
    assert themes.changes(report, "yanglao") == NOTE_2017
    assert themes.changes(report, "dibao") == ""


def test_the_note_once_for_a_theme_without_last_years_figures(tmp_path, monkeypatch):
    """With last year's data, the first theme none of whose figures it has says so; the next does not."""
    root = tmp_path / "project"
    shutil.copytree(REPO / "params", root / "params")
    for year in ("2018", "2019"):
        shutil.copytree(REPO / "data" / UNIT / year, root / "data" / UNIT / year)
    stats = root / "data" / UNIT / "2018" / "stats.csv"
    rows = read_rows(stats)
    write_rows(stats, [rows[0], *[r for r in rows[1:] if r[0] not in ("ertong", "dangjian")]])
    monkeypatch.setenv("JIXIAO_ROOT", str(root))
    report = jixiao.open_report(UNIT, 2019)
    assert themes.changes(report, "ertong") == '<p class="jx-hint">本部分指标在2018年无可比数据，不作同比分析。</p>'
    assert themes.changes(report, "dangjian") == ""
    assert themes.changes(report, "dibao").startswith("<table")
