"""Figures keep their provenance: source cells, formulas, tooltips and HTML spans."""

from __future__ import annotations

import doctest
import math

import pandas as pd
import pytest

from jixiao import formatting
from jixiao.inputs import published
from jixiao.writing import provenance
from jixiao.writing.provenance import ILLUSTRATIVE, PUBLISHED, Figure, Html, Source, render, table_html

STATS = "data/lechang-mzj/2019/stats.csv"
BUDGET = "data/lechang-mzj/2019/budget.csv"


def stats_df() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "section": ["dibao", "dibao", "zhili", "zhili", "zhili"],
            "key": ["tekun_sanju", "dibao_clear_amt", "wuzi", "xuanchuance", "xiansuo"],
            "label": ["农村散居特困供养人员", "追缴低保金", "发放物资", "宣传册", "办结线索"],
            "value": [653.0, 4.1, 121.6, 1500.0, 2.0],
            "unit": ["名", "万元", "万元", "份", "条"],
            "qualifier": [math.nan, math.nan, "约", "多", math.nan],
            "numerals": [math.nan, math.nan, math.nan, math.nan, "中文"],
            "source": [math.nan, "published", "illustrative", "", "published"],
            "_file": [STATS] * 5,
            "_sheet": [""] * 5,
            "_row": [5, 6, 7, 8, 9],
        }
    )


def budget_df() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "line_id": ["general-project", "fund-project"],
            "full_year_budget": [8677.5, 442.25],
            "executed": [6898.64, 442.25],
            "source": ["illustrative", "published"],
            "_file": ["data/lechang-mzj/2019/data.xlsx"] * 2,
            "_sheet": ["预算"] * 2,
            "_row": [2, 3],
        }
    )


def test_doctests() -> None:
    result = doctest.testmod(provenance)
    assert result.attempted > 5
    assert result.failed == 0
    moved = doctest.testmod(published)  # the sources and the published table, below provenance
    assert moved.attempted > 5
    assert moved.failed == 0


def test_source_describe_and_anchor() -> None:
    s = Source(STATS, "", 5, "value", "数值")
    assert s.describe() == "data/lechang-mzj/2019/stats.csv 第5行 数值(value)"
    assert s.anchor() == "data/lechang-mzj/2019/stats.csv#row=5&col=value"
    x = Source("data/lechang-mzj/2019/data.xlsx", "业务统计", 5, "value", "数值")
    assert x.describe() == "data/lechang-mzj/2019/data.xlsx [业务统计] 第5行 数值(value)"
    assert x.anchor() == "data/lechang-mzj/2019/data.xlsx#sheet=业务统计&row=5&col=value"
    assert Source(STATS, "", 5, "value").describe() == f"{STATS} 第5行 value"
    assert Source("f.xlsx", "a&b=c", 2, "v").anchor() == "f.xlsx#sheet=a%26b%3Dc&row=2&col=v"
    with pytest.raises(AttributeError):
        s.row = 6  # type: ignore[misc]


def test_stat_figure_text_label_source() -> None:
    df = stats_df()
    f = Figure.stat(df, "tekun_sanju")
    assert (f.value, f.text, f.label, str(f)) == (653, "653名", "农村散居特困供养人员", "653名")
    assert isinstance(f.value, float | int) and not hasattr(f.value, "dtype")
    assert f.source == Source(STATS, "", 5, "value", "数值")
    assert not f.illustrative
    assert Figure.stat(df, "dibao_clear_amt").text == "4.1万元"
    assert Figure.stat(df, "wuzi").text == "约121.6万元"
    assert Figure.stat(df, "wuzi").illustrative
    assert Figure.stat(df, "xuanchuance").text == "1500多份"
    assert Figure.stat(df, "xiansuo").text == "两条"
    with pytest.raises(KeyError, match="nope"):
        Figure.stat(df, "nope")
    with pytest.raises(ValueError, match="unique"):
        Figure.stat(pd.concat([df, df.iloc[[0]]], ignore_index=True), "tekun_sanju")


def test_stat_figure_on_filtered_table_keeps_its_row() -> None:
    df = stats_df()
    zhili = df[df["section"] == "zhili"]
    f = Figure.stat(zhili, "xiansuo")
    assert f.source is not None and f.source.row == 9


def test_exact_span_html() -> None:
    f = Figure.stat(stats_df(), "tekun_sanju")
    assert f.html() == (
        '<span class="jx-fig" data-provenance="published"'
        ' data-source="data/lechang-mzj/2019/stats.csv#row=5&amp;col=value"'
        ' title="农村散居特困供养人员：653名&#10;'
        '来源：data/lechang-mzj/2019/stats.csv 第5行 数值(value)" tabindex="0">653名</span>'
    )
    assert isinstance(f.html(), Html)
    assert f._repr_html_() == str(f.html())


def test_illustrative_span_and_escaping() -> None:
    f = Figure(1.0, '<b>"x"&</b>', label="a<b>", source=Source("f.csv", "", 2, "v"), illustrative=True)
    h = f.html()
    assert h.startswith(
        '<span class="jx-nobr"><span class="jx-fig jx-illustrative" data-provenance="illustrative"'
        ' data-source="f.csv#row=2&amp;col=v"'
    )
    # the marker is text after the figure, both kept on one line by their wrapper
    assert h.endswith('&lt;b&gt;&quot;x&quot;&amp;&lt;/b&gt;</span><span class="jx-mark">示</span></span>')
    assert "<b>" not in h
    assert f.tooltip() == 'a<b>：<b>"x"&</b>\n示例数据\n来源：f.csv 第2行 v'
    assert f.html(marker=False).startswith('<span class="jx-fig jx-illustrative"')
    assert f.marker() == '<span class="jx-mark">示</span>'
    assert Figure(1.0, "1").marker() == ""


def derived_rate() -> Figure:
    df = budget_df()
    executed = Figure.cell(df, 0, "executed", column_label="全年执行数", fmt=formatting.wanyuan)
    budget = Figure.cell(df, 0, "full_year_budget", column_label="全年预算数", fmt=formatting.wanyuan)
    rate = executed.value / budget.value  # type: ignore[operator]
    return Figure.derive(
        rate,
        "全年执行数 ÷ 全年预算数",
        [executed, budget],
        label="一般公共预算项目执行率",
        text=formatting.percent(rate),
    )


def test_cell_figure() -> None:
    f = Figure.cell(budget_df(), 1, "executed", column_label="全年执行数", fmt=formatting.wanyuan)
    assert f.text == "442.25万元"
    assert f.label == "全年执行数"
    xlsx = "data/lechang-mzj/2019/data.xlsx"
    assert f.source == Source(xlsx, "预算", 3, "executed", "全年执行数")
    assert not f.illustrative
    g = Figure.cell(budget_df(), 0, "executed")
    assert g.text == "6898.64" and g.illustrative
    assert g.label == "全年执行数"  # from jixiao.inputs.schema, for the sheet 预算
    h = Figure.stat(stats_df(), "wuzi")
    assert h.source is not None and h.source.column_label == "数值"


def test_derived_provenance_text() -> None:
    rate = derived_rate()
    assert rate.text == "79.5%"
    assert rate.illustrative  # derived from an illustrative figure
    assert rate.provenance() == (
        "一般公共预算项目执行率：79.5%［由示例数据计算］\n"
        "计算：全年执行数 ÷ 全年预算数\n"
        "  = 6898.64万元 ÷ 8677.50万元 = 79.5%\n"
        "  全年执行数：6898.64万元［示例数据］\n"
        "  来源：data/lechang-mzj/2019/data.xlsx [预算] 第2行 全年执行数(executed)\n"
        "  全年预算数：8677.50万元［示例数据］\n"
        "  来源：data/lechang-mzj/2019/data.xlsx [预算] 第2行 全年预算数(full_year_budget)"
    )
    # the tooltip: the formula with its numbers, one level deep; the cells are in the appendix
    assert rate.tooltip() == (
        "一般公共预算项目执行率：79.5%\n由示例数据计算\n计算：全年执行数 ÷ 全年预算数\n"
        "  = 6898.64万元 ÷ 8677.50万元 = 79.5%\n完整推导：点击数字，见文末“数据来源”"
    )
    (entry,) = rate.derivation_entries().values()
    assert entry == (
        "一般公共预算项目执行率：79.5%［由示例数据计算］\n"
        "计算：全年执行数 ÷ 全年预算数\n"
        "  = 6898.64万元 ÷ 8677.50万元 = 79.5%\n"
        "  全年执行数：6898.64万元［示］ 来源：data/lechang-mzj/2019/data.xlsx [预算] 第2行 "
        "全年执行数(executed)\n"
        "  全年预算数：8677.50万元［示］ 来源：data/lechang-mzj/2019/data.xlsx [预算] 第2行 "
        "全年预算数(full_year_budget)"
    )
    h = rate.html()
    assert h.startswith(
        f'<span class="jx-nobr"><a class="jx-figref" href="#{rate.derivation_id()}">'
        '<span class="jx-fig jx-illustrative" data-provenance="illustrative" '
        'data-source="formula:全年执行数 ÷ 全年预算数" title="'
    )
    assert h.endswith('>79.5%</span></a><span class="jx-mark">示</span></span>')


def test_derived_provenance_is_recursive() -> None:
    rate = derived_rate()
    score = Figure.derive(
        10.0,
        "min(预算执行率 × 10, 10)",
        [rate],
        label="预算执行率得分",
        text="10分",
        illustrative=False,  # a caller cannot make a figure computed from a supplied one published
    )
    lines = score.provenance().splitlines()
    assert lines[0] == "预算执行率得分：10分［由示例数据计算］"
    assert lines[2] == "  = 10分"  # the input's label is not in the formula: only the result
    assert "    = 6898.64万元 ÷ 8677.50万元 = 79.5%" in lines  # the input's own formula, indented
    assert lines[-1].startswith("    来源：data/lechang-mzj/2019/data.xlsx [预算] 第2行")
    assert score.state == ILLUSTRATIVE


def test_a_default_is_never_published() -> None:
    """A value jixiao fills in (a settings default) was never printed: it is 示, says where it
    comes from, and so is every figure computed from it, whatever the caller says."""
    weight = Figure.default_value(10, "未填报预算执行率分值，取本单位设置的默认分值", label="预算执行率分值")
    assert (weight.state, weight.text, weight.data_source()) == (
        ILLUSTRATIVE, "10", "default:未填报预算执行率分值，取本单位设置的默认分值"
    )  # fmt: skip
    assert weight.tooltip() == (
        "预算执行率分值：10\n默认值，非公开发布数\n来源：未填报预算执行率分值，取本单位设置的默认分值"
    )
    assert str(weight.html()).endswith('>10</span><span class="jx-mark">示</span></span>')
    printed = Figure(100.0, "100%", "预算执行率", Source("data/x/2019/budget.csv", "", 2, "executed"))
    score = Figure.derive(10.0, "预算执行率 × 预算执行率分值", [printed, weight], label="得分", illustrative=False)
    assert score.state == ILLUSTRATIVE
    assert score.derivation_entry().splitlines()[-1] == (
        "  预算执行率分值：10［示］ 来源：未填报预算执行率分值，取本单位设置的默认分值"
    )
    # computed only from printed figures: published
    assert Figure.derive(1.0, "预算执行率", [printed], label="比").state == PUBLISHED
    # a missing value (nothing shown) may be left unmarked
    assert Figure.derive(None, "预算执行率", [weight], label="比", illustrative=False).state == PUBLISHED


def test_render_template() -> None:
    df = stats_df()
    out = render(
        "完成全市{n}<散居>人员，{year}年{{x}}",
        {"n": Figure.stat(df, "tekun_sanju"), "year": 2019},
    )
    assert isinstance(out, Html) and out._repr_html_() == str(out)
    assert out.startswith('完成全市<span class="jx-fig" data-provenance="published" data-source=')
    assert out.endswith("653名</span>&lt;散居&gt;人员，2019年{x}")
    with pytest.raises(KeyError, match="missing"):
        render("{missing}", {})


def test_table_html() -> None:
    f = Figure.stat(stats_df(), "tekun_sanju")
    out = table_html(
        [{"项目": "特困<供养>", "人数": f, "金额": 4.1}, ["城乡低保", None, 162.0]],
        ["项目", "人数", "金额"],
        caption="表1 民政救助",
        footer=["合计", None, 166.1],
    )
    lines = out.splitlines()
    assert lines[0] == '<table class="jx-table">'
    assert lines[1] == "<caption>表1 民政救助</caption>"
    assert lines[2] == ('<thead><tr><th>项目</th><th class="num">人数</th><th class="num">金额</th></tr></thead>')
    assert lines[4] == (f'<tr><td>特困&lt;供养&gt;</td><td class="num">{f.html()}</td><td class="num">4.1</td></tr>')
    assert lines[5] == '<tr><td>城乡低保</td><td class="num"></td><td class="num">162</td></tr>'
    assert lines[7] == ('<tfoot><tr><td>合计</td><td class="num"></td><td class="num">166.1</td></tr></tfoot>')
    explicit = table_html([["a", 1]], ["x", "y"], numeric_columns=[])
    assert 'class="num"' not in explicit
    with pytest.raises(ValueError):
        table_html([["a"]], ["x", "y"])


def test_stylesheet_is_self_contained_and_styles_the_primitives() -> None:
    from jixiao import paths

    css = (paths.PACKAGE_DIR / "render" / "report.css").read_text(encoding="utf-8")
    assert "url(" not in css and "@import" not in css and "@font-face" not in css
    assert css.count("{") == css.count("}")
    for selector in (
        ".jx-fig",
        ".jx-illustrative",
        ".jx-table",
        ".jx-chart",
        ".jx-cover",
        ".jx-toc",
        ".jx-note",
        ".jx-warning",
        "@media print",
        "size: A4",
    ):
        assert selector in css, selector
    assert '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei"' in css
