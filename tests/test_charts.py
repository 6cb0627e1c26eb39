"""Charts: Chinese text without missing glyphs, small deterministic images with alt text."""

from __future__ import annotations

import base64
import hashlib
import io
import re
import subprocess
import sys
import warnings

import pytest
from PIL import Image

from jixiao import charts
from jixiao.provenance import Figure, Source

AID = (["临时救助", "流浪乞讨救助"], [289, 153])
PROJECTS = (
    ["特困供养", "社会福利", "城乡低保", "村务监督委员会补贴", "临时救助", "残疾人两项补贴", "其他社会保障和就业支出"],
    [1520.3, 310.2, 3012.5, 402.1, 41.95, 1380.4, 231.19],
)


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


def test_cjk_font_is_found_and_cached() -> None:
    name = charts.cjk_font()
    assert name in charts.CJK_FONTS or name.startswith("Noto Sans CJK")
    assert charts.cjk_font() is name  # one choice per process


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


def test_output_is_byte_identical_across_processes() -> None:
    code = (
        "import hashlib; from jixiao import charts; "
        "c = charts.bar(['临时救助', '流浪乞讨救助'], [289, 153], title='t', ylabel='人次', "
        "alt='a'); print(hashlib.sha256(c.data).hexdigest())"
    )
    here = hashlib.sha256(charts.bar(*AID, title="t", ylabel="人次", alt="a").data).hexdigest()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == here


def test_png_is_a_16cm_palette_image_without_metadata() -> None:
    c = charts.bar(*AID, title="t", ylabel="人次", alt="a")
    assert c.mime == "image/png"
    with Image.open(io.BytesIO(c.data)) as im:
        assert im.mode == "P"
        assert im.size[0] == round(charts.SIZE_IN[0] * charts.DPI)
        assert "Software" not in im.info
    assert b"matplotlib" not in c.data
    svg = charts.bar(*AID, title="t", ylabel="人次", alt="a", fmt="svg").data
    assert b"<dc:date>" not in svg and b"<text" not in svg  # glyphs as paths, no date


def test_format_choice_is_the_smaller(rendered: dict) -> None:
    """PNG (palette, 144 dpi) against SVG (glyph paths): PNG is several times smaller."""
    png, svg = rendered["png"], rendered["svg"]
    for name in png:
        assert png[name].size * 2 < svg[name].size, name
        assert png[name].size < 25_000, name
    # ten charts of the heaviest kind, base64-encoded, stay far below the report's 1.5 MB
    assert 10 * max(c.size for c in png.values()) * 4 / 3 < 400_000


def test_chart_html_has_alt_and_caption() -> None:
    alt = charts.alt_text("柱状图", *AID, unit="人次")
    assert alt == "柱状图：临时救助289人次，流浪乞讨救助153人次"
    c = charts.bar(*AID, title="2019年救助<人次>", ylabel="人次", alt=alt)
    h = c._repr_html_()
    m = re.fullmatch(
        r'<figure class="jx-chart"><img alt="([^"]*)" '
        r'src="data:image/png;base64,([A-Za-z0-9+/=]+)">'
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
    from_figs = charts.bar(AID[0], figs, title="t", ylabel="人次", alt="a")
    from_nums = charts.bar(*AID, title="t", ylabel="人次", alt="a")
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
