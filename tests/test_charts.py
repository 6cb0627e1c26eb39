"""Charts: Chinese text without missing glyphs, small deterministic images with alt text."""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import struct
import subprocess
import sys
import warnings
from itertools import combinations
from pathlib import Path

import pytest
from PIL import Image

from jixiao.writing import charts
from jixiao.writing.provenance import Figure, Source

AID = (["临时救助", "流浪乞讨救助"], [289, 153])
PROJECTS = (
    ["特困供养", "社会福利", "城乡低保", "村务监督委员会补贴", "临时救助", "残疾人两项补贴", "其他社会保障和就业支出"],
    [1520.3, 310.2, 3012.5, 402.1, 41.95, 1380.4, 231.19],
)


@pytest.fixture(scope="module", autouse=True)
def drawn_every_time():  # type: ignore[no-untyped-def]
    """Every chart here is drawn, never taken from the charts' memo (tests/test_chart_memo.py)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(charts, "memo_folder", lambda: None)
        yield


def make_all(fmt: str = "png") -> dict[str, charts.Chart]:
    alt = "图"
    return {
        "bar": charts.bar(*AID, title="2019年救助人次", ylabel="人次", alt=alt, fmt=fmt),
        "hbar": charts.hbar(*PROJECTS, title="项目支出", xlabel="全年执行数（万元）", alt=alt, unit="万元", fmt=fmt),
        "grouped_bar": charts.grouped_bar(
            ["一般公共预算", "政府性基金预算"],
            {"全年预算数": [8677.5, 442.25], "全年执行数": [6898.64, 442.25]},
            title="预算与执行",
            ylabel="万元",
            alt=alt,
            fmt=fmt,
        ),
        "line": charts.line(
            [2017, 2018, 2019],
            {"低保户数": [310, 280, 223], "特困供养人员": [700, 680, 653]},
            title="低保与特困供养",
            ylabel="户/人",
            alt=alt,
            fmt=fmt,
        ),
        "percent": charts.bar(
            ["预算执行率", "项目覆盖率"],
            [100, 79.5],
            title="比率",
            ylabel="%",
            alt=alt,
            unit="%",
            fmt=fmt,
        ),
    }


def test_the_font_is_the_bundled_file_never_a_system_one() -> None:
    path = charts.font_path()
    assert path.name == "NotoSansCJKsc-Regular.otf" and path.parent.parent.name == "mplfonts"
    assert charts.cjk_font() == "Noto Sans CJK SC" and charts.cjk_font() is charts.cjk_font()


@pytest.fixture(scope="module")
def rendered() -> dict[str, dict[str, charts.Chart]]:
    """Every kind of chart in both formats, rendered once with warnings as errors."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph … missing from font(s)" would raise
        return {"png": make_all("png"), "svg": make_all("svg")}


def test_chinese_renders_without_missing_glyphs(rendered: dict) -> None:
    assert set(rendered["png"]) == {"bar", "hbar", "grouped_bar", "line", "percent"}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        charts.check_glyphs()


def test_no_font_fallback_messages(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("DEBUG", logger="matplotlib.font_manager"):
        charts.grouped_bar(["一般公共预算"], {"全年预算数": [1]}, title="t", ylabel="万元", alt="a")
    assert not [r for r in caplog.records if r.levelname in ("WARNING", "ERROR")]


def test_output_is_byte_identical_on_repeat(rendered: dict) -> None:
    for fmt in ("png", "svg"):
        again = make_all(fmt)
        for name, chart in rendered[fmt].items():
            assert chart.data == again[name].data, (fmt, name)


def test_output_is_byte_identical_across_processes_and_font_caches(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A fresh matplotlib font cache (another machine, a cleared cache) gives the same bytes."""
    code = (
        "import hashlib; from jixiao.writing import charts; "
        "c = charts.bar(['临时救助', '流浪乞讨救助'], [289, 153], title='t', ylabel='人次', "
        "alt='a'); print(hashlib.sha256(c.data).hexdigest())"
    )
    here = hashlib.sha256(charts.bar(*AID, title="t", ylabel="人次", alt="a").data).hexdigest()
    lib = str(Path(charts.__file__).parents[2])  # this checkout's code, not an installed copy
    env = {**os.environ, "MPLCONFIGDIR": str(tmp_path / "fresh-cache"), "PYTHONPATH": lib}
    env.pop("JIXIAO_ROOT", None)  # outside any project: drawn there, not taken from a memo
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env,
                         cwd=tmp_path)  # fmt: skip
    assert out.stdout.strip() == here


def _chunks(png: bytes) -> list[str]:
    out, i = [], 8
    while i < len(png):
        (length,) = struct.unpack(">I", png[i : i + 4])
        out.append(png[i + 4 : i + 8].decode("ascii"))
        i += 12 + length
    return out


def test_png_is_a_200dpi_palette_image_without_metadata() -> None:
    c = charts.bar(*AID, title="t", ylabel="人次", alt="a")
    assert c.mime == "image/png"
    with Image.open(io.BytesIO(c.data)) as im:
        assert im.mode == "P"
        assert im.size == (920, 580)  # 4.6 × 2.9 in at 200 dpi: sharp at its printed size
        assert im.info["dpi"] == pytest.approx((200, 200), abs=0.01)
    chunks = _chunks(c.data)
    assert [x for x in chunks if x != "IDAT"] == ["IHDR", "PLTE", "pHYs", "IEND"]  # no tEXt, no tIME
    assert b"matplotlib" not in c.data
    svg = charts.bar(*AID, title="t", ylabel="人次", alt="a", fmt="svg").data
    assert b"<dc:date>" not in svg and b"<text" not in svg  # glyphs as paths, no date


def test_format_choice_is_the_smaller(rendered: dict) -> None:
    """PNG (palette, 200 dpi) against SVG (glyph paths): PNG is smaller."""
    png, svg = rendered["png"], rendered["svg"]
    for name in png:
        assert png[name].size * 1.4 < svg[name].size, name
        assert png[name].size < 30_000, name
    # ten charts of the heaviest kind, base64-encoded, stay far below the report's 1.5 MB
    assert 10 * max(c.size for c in png.values()) * 4 / 3 < 400_000


def test_chart_html_has_alt_and_caption() -> None:
    alt = charts.alt_text("柱状图", *AID, unit="人次")
    assert alt == "柱状图：临时救助289人次，流浪乞讨救助153人次"
    c = charts.bar(*AID, title="2019年救助<人次>", ylabel="人次", alt=alt)
    h = c._repr_html_()
    m = re.fullmatch(
        r'<figure class="jx-chart"><img alt="([^"]*)" '
        r'src="data:image/png;base64,([A-Za-z0-9+/=]+)" width="442" height="278">'
        r"<figcaption>(.*)</figcaption></figure>",
        h,
    )
    assert m is not None
    assert m.group(1) == alt
    assert base64.b64decode(m.group(2)) == c.data
    assert m.group(3) == "2019年救助&lt;人次&gt;"
    captioned = charts.bar(*AID, title="t", ylabel="y", alt="a", caption="图1 救助")
    assert captioned.caption == "图1 救助"
    with pytest.raises(ValueError, match="alt"):
        charts.bar(*AID, title="t", ylabel="y", alt=" ")


def test_figures_as_values_and_alt_text_uses_their_text() -> None:
    src = Source("data/lechang-mzj/2019/stats.csv", "", 5, "value")
    figs = [Figure(289, "289人次", "临时救助", src), Figure(153, "153人次", "流浪乞讨救助", src)]
    from_figs = charts.bar(AID[0], figs, title="t", ylabel="人次", alt="a", unit="人次")
    from_nums = charts.bar(*AID, title="t", ylabel="人次", alt="a", unit="人次")
    assert from_figs.data == from_nums.data
    assert charts.alt_text("柱状图", AID[0], figs) == "柱状图：临时救助289人次，流浪乞讨救助153人次"
    assert charts.series_alt_text("折线图", ["2018年", "2019年"], {"低保户": [280, 223]}, "户") == (
        "折线图：低保户：2018年280户、2019年223户"
    )


def test_mismatched_lengths_are_refused() -> None:
    with pytest.raises(ValueError, match="values"):
        charts.bar(["a", "b"], [1], title="t", ylabel="y", alt="a")
    with pytest.raises(ValueError, match="values"):
        charts.line([2018, 2019], {"s": [1, 2, 3]}, title="t", ylabel="y", alt="a")


def test_no_figures_leak() -> None:
    import matplotlib.pyplot as plt

    before = len(plt.get_fignums())
    charts.line([2018, 2019], {"低保户数": [280, 223]}, title="t", ylabel="户", alt="a")
    assert len(plt.get_fignums()) == before


def test_sample_chart_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    c = charts.hbar(
        *PROJECTS,
        title="一般公共预算项目全年执行数",
        xlabel="万元",
        alt="a",
        unit="万元",
        title_in_image=True,
    )
    path = c.save(tmp_path / "chart.png")
    with Image.open(path) as im:
        assert im.format == "PNG"


# -- every chart of the example, as the report draws it ---------------------------------------


def _luminance(hex_colour: str) -> float:
    """WCAG relative luminance of an sRGB colour (what a greyscale print keeps of it)."""
    channels = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.fixture(scope="module")
def example_charts() -> dict[str, charts.Chart]:
    """Every chart of the 2019 example, drawn by the functions the section notebooks call."""
    import jixiao
    from jixiao.sections import overview, projects, themes

    report = jixiao.open_report("lechang-mzj", 2019)
    out = {
        "图1": overview.budget_chart(report),
        "图2": overview.trend_chart(report),
        "项目": projects.project_chart(report),
    }
    for key in ("dibao", "yanglao", "ertong", "zhili", "dangjian"):
        for i, spec in enumerate(themes.chart_specs(report, key), start=1):
            out[f"{key}-{i}"] = themes.chart(report, key, spec)
    assert len(out) == 19
    return out


def test_no_two_texts_overlap_in_any_example_chart(example_charts: dict) -> None:
    """Every visible text's box as matplotlib's renderer measured it, compared pairwise."""
    for name, chart in example_charts.items():
        boxes = chart.texts
        assert len(boxes) >= 6, name
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                w = min(a.box[2], b.box[2]) - max(a.box[0], b.box[0])
                h = min(a.box[3], b.box[3]) - max(a.box[1], b.box[1])
                assert not (w > 0 and h > 0), f"{name}: {a.text!r} overlaps {b.text!r}"
        # and nothing is cut at the image's edge
        width, height = chart.width_in * charts.DPI, chart.height_in * charts.DPI
        for t in boxes:
            x0, y0, x1, y1 = t.box
            assert x0 >= 0 and y0 >= 0 and x1 <= width + 0.5 and y1 <= height + 0.5, (name, t.text)


def test_series_differ_in_greyscale(example_charts: dict) -> None:
    """Two series are at least 3:1 apart in luminance (computed from the colours drawn) and differ
    in texture too (hatch, or dashes and marker)."""
    multi = {name: c.series for name, c in example_charts.items() if len(c.series) > 1}
    assert set(multi) >= {"图1", "图2", "项目", "dibao-1", "dibao-3", "dangjian-2"}
    for name, series in multi.items():
        for a, b in combinations(series, 2):
            assert _contrast(a[1], b[1]) >= 3.0, (name, a, b)
            assert a[2] != b[2], (name, a, b)
    assert multi["图1"] == (("全年预算数", "#1f4e79", ""), ("全年执行数", "#e8b25a", "///"))
    assert multi["图2"] == (("全年预算数", "#1f4e79", "- o"), ("全年执行数", "#d9a441", "-- s"))
    # the case: the old second colour was 1.3:1 against the first
    assert _contrast("#1F4E79", "#A8322D") < 1.4


def test_labels_are_at_least_three_quarters_of_body_text(example_charts: dict) -> None:
    """At the width the report shows a chart (442 px; at least 360 px on a phone), each text is at
    least 75% of the body text (16 px; 15 px on a phone)."""
    for name, chart in example_charts.items():
        assert chart.width_in == charts.WIDTH_IN and f'width="{charts.SCREEN_PX}"' in str(chart.html())
        for t in chart.texts:
            screen = t.size_pt * charts.SCREEN_PX / (chart.width_in * 72)
            phone = t.size_pt * charts.PHONE_PX / (chart.width_in * 72)
            assert screen >= 0.75 * 16 and phone >= 0.75 * 15, (name, t.text, t.size_pt)


def test_values_are_written_as_in_the_tables(example_charts: dict) -> None:
    texts = {name: [t.text for t in c.texts] for name, c in example_charts.items()}
    # project amounts: two decimals, as the project table writes them; equal bars share a label
    assert {"1586.40", "120.00", "66.00", "160.00", "3265.18"} <= set(texts["项目"])
    assert "1586.4" not in texts["项目"] and texts["项目"].count("1586.40") == 1
    assert {"1062.38", "226.18", "8677.53", "442.25"} <= set(texts["图1"])  # 基本支出 as 人员经费 + 公用经费
    assert {"9808.62", "9688.43", "10408.34"} <= set(texts["图2"])
    # stats figures: their own text (natural precision), as the themes' tables write them
    assert {"753.4", "215", "4.7"} <= set(texts["yanglao-1"])
    assert charts.label_text(1586.4, "万元") == "1586.40" and charts.label_text(79.5, "%") == "79.5%"
    src = Source("data/lechang-mzj/2019/stats.csv", "", 5, "value")
    assert charts.label_text(Figure(1500, "1500多份", "x", src), "份") == "1500多"
    assert charts.label_text(Figure(121.6, "约121.6万元", "x", src), "万元") == "约121.6"


def test_a_single_category_is_a_bar_per_year_not_two_slabs(example_charts: dict) -> None:
    chart = example_charts["dibao-3"]  # 清退低保户, 2018 and 2019
    texts = [t.text for t in chart.texts]
    assert {"2018年", "2019年", "清退低保户", "156", "223"} <= set(texts)
    assert [s[0] for s in chart.series] == ["2018年", "2019年"] and chart.series[0][1:] != chart.series[1][1:]
    # the bars keep the room of four: each bar's label is far narrower than half the plot
    year = next(t for t in chart.texts if t.text == "2018年")
    other = next(t for t in chart.texts if t.text == "2019年")
    assert other.box[0] - year.box[0] < chart.width_in * charts.DPI / 3
