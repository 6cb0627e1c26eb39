"""Charts for the report: one style, Chinese text, small deterministic images.

Every chart function takes labels and values (numbers or :class:`jixiao.provenance.Figure`,
whose ``.value`` is plotted) and returns a :class:`Chart`: the rendered image and its alt text,
shown in a notebook (and so in the report) as
``<figure class="jx-chart"><img alt="…" src="data:…"><figcaption>…</figcaption></figure>``.

- Size: 16 cm wide (6.3 × 3.2 in), the text column of an A4 page.
- Text: a CJK font found by :func:`cjk_font` (a system one, else the one ``mplfonts`` ships).
- Title: in the caption below the image, as Chinese reports place 图题 (``title_in_image=True``
  draws it in the image too, for a chart used on its own).
- Format: PNG at 144 dpi (907 px for 16 cm: sharp on ordinary and most high-density
  screens), reduced to a 256-colour palette, no dithering. Measured on the charts of
  ``tests/test_charts.py`` (bar of 4, hbar of 7 project names, grouped bar, two-line trend):
  palette PNG 9.1–15.8 KB; full-colour PNG 16–42 KB; SVG with glyphs as paths 24–61 KB (every
  CJK glyph becomes a long path; SVG with live text would need the reader to have the font).
  At 110 / 130 / 150 dpi the 7-bar chart is 11.3 / 13.8 / 16.5 KB, so 144 dpi costs little.
  Ten charts, base64-encoded, come to about 0.2 MB of the 1.5 MB budget. ``fmt="svg"`` is
  still available.
- Deterministic: the same data gives byte-identical output (no timestamps, no software tag), so
  the build can cache on it.

Figures are built with :class:`matplotlib.figure.Figure`, not ``pyplot``: nothing is registered
globally, nothing is displayed twice in a notebook, and the figure is released once rendered.
"""

from __future__ import annotations

import base64
import functools
import importlib.util
import io
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.figure import Figure as MplFigure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from jixiao import formatting
from jixiao.provenance import Figure, Html, escape

PALETTE: tuple[str, ...] = (
    "#1F4E79",  # 藏青 navy
    "#A8322D",  # 中国红 muted red
    "#2E7D6F",  # 青绿 teal
    "#C0883A",  # 赭黄 ochre
    "#5B6C8F",  # 灰蓝 slate
    "#7A8B3C",  # 橄榄 olive
    "#7B5A8C",  # 紫灰 plum
    "#8C8C8C",  # 灰 grey
)
"""Series colours, in order: sober, distinct in greyscale print for the first four."""

TEXT_COLOR = "#222222"
MUTED_COLOR = "#555555"
GRID_COLOR = "#DDDDDD"

SIZE_IN: tuple[float, float] = (6.3, 3.2)
"""Figure size in inches: 16 × 8.1 cm."""
DPI = 144
PNG_COLORS = 256

CJK_FONTS: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "WenQuanYi Micro Hei",
    "Noto Sans SC",
)
"""System CJK fonts, in order of preference."""
MPLFONTS_FONT = "NotoSansCJKsc-Regular.otf"


# -- fonts --------------------------------------------------------------------------------------


def _mplfonts_dir() -> Path | None:
    """The ``fonts/`` folder of the installed ``mplfonts`` package, found without importing it."""
    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        folder = Path(location) / "fonts"
        if folder.is_dir():
            return folder
    return None


@functools.cache
def cjk_font() -> str:
    """The family name of the CJK font the charts use; chosen once per process.

    A system font from :data:`CJK_FONTS` when matplotlib finds one, else the Noto Sans CJK SC
    shipped by ``mplfonts``, registered with matplotlib's font manager.
    """
    installed = {f.name for f in font_manager.fontManager.ttflist}
    for name in CJK_FONTS:
        if name in installed:
            return name
    folder = _mplfonts_dir()
    path = folder / MPLFONTS_FONT if folder else None
    if path is None or not path.is_file():
        raise RuntimeError("no CJK font: install one (e.g. Noto Sans CJK SC) or the mplfonts package")
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def style() -> dict[str, Any]:
    """The report's matplotlib settings (applied per chart with ``rc_context``)."""
    return {
        "font.family": "sans-serif",
        "font.sans-serif": [cjk_font(), "DejaVu Sans"],
        "font.size": 9,
        "axes.unicode_minus": False,
        "axes.prop_cycle": matplotlib.cycler(color=list(PALETTE)),
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.edgecolor": "#888888",
        "axes.linewidth": 0.8,
        "axes.labelcolor": TEXT_COLOR,
        "axes.labelsize": 9,
        "axes.titlesize": 11,
        "axes.titleweight": "normal",  # the bundled CJK font has no bold face
        "axes.titlelocation": "left",
        "axes.titlepad": 22,  # clears the unit label above the value axis
        "axes.grid": True,
        "axes.axisbelow": True,
        "grid.color": GRID_COLOR,
        "grid.linewidth": 0.6,
        "xtick.color": MUTED_COLOR,
        "ytick.color": MUTED_COLOR,
        "xtick.labelcolor": TEXT_COLOR,
        "ytick.labelcolor": TEXT_COLOR,
        "xtick.labelsize": 8.5,
        "ytick.labelsize": 8.5,
        "legend.frameon": False,
        "legend.fontsize": 8.5,
        "figure.facecolor": "white",
        "figure.dpi": DPI,
        "savefig.dpi": DPI,
        "svg.fonttype": "path",
        "svg.hashsalt": "jixiao",
        "path.simplify": True,
    }


# -- the chart ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Chart:
    """A rendered chart: image bytes, their MIME type, alt text and caption."""

    data: bytes
    mime: str
    alt: str
    caption: str = ""

    def data_uri(self) -> str:
        return f"data:{self.mime};base64,{base64.b64encode(self.data).decode('ascii')}"

    def html(self) -> Html:
        """``<figure class="jx-chart"><img alt src><figcaption>``, all escaped."""
        cap = f"<figcaption>{escape(self.caption)}</figcaption>" if self.caption else ""
        return Html(f'<figure class="jx-chart"><img alt="{escape(self.alt)}" src="{self.data_uri()}">{cap}</figure>')

    def _repr_html_(self) -> str:
        return str(self.html())

    def save(self, path: str | Path) -> Path:
        """Write the image to ``path`` (its suffix should match :attr:`mime`)."""
        p = Path(path)
        p.write_bytes(self.data)
        return p

    @property
    def size(self) -> int:
        """The image's size in bytes (before base64)."""
        return len(self.data)


def _num(v: Any) -> float:
    if isinstance(v, Figure):
        v = v.value
    if v is None:
        return float("nan")
    return float(v)


def _value_text(v: Any, unit: str | None) -> str:
    """How a value is written in alt text: a figure's own text, else the number and unit."""
    if isinstance(v, Figure):
        return v.text
    if v is None:
        return formatting.MISSING
    return formatting.format_value(v, unit or "")


def _label_text(v: float, unit: str | None) -> str:
    """A value label on a bar or point: the number, with % for percentages."""
    if v != v:  # NaN
        return ""
    return formatting.natural(v) + ("%" if unit == "%" else "")


def alt_text(
    kind: str,
    labels: Sequence[Any],
    values: Sequence[Any],
    unit: str | None = None,
) -> str:
    """Alt text stating the data: ``柱状图：临时救助289人次，流浪乞讨救助153人次``."""
    items = [f"{label}{_value_text(v, unit)}" for label, v in zip(labels, values, strict=True)]
    return f"{kind}：{'，'.join(items)}"


def series_alt_text(
    kind: str,
    categories: Sequence[Any],
    series: Mapping[str, Sequence[Any]],
    unit: str | None = None,
) -> str:
    """Alt text for several series: ``折线图：2018年低保户300户、2019年223户；…``."""
    parts = []
    for name, values in series.items():
        items = [f"{c}{_value_text(v, unit)}" for c, v in zip(categories, values, strict=True)]
        parts.append(f"{name}：{'、'.join(items)}")
    return f"{kind}：{'；'.join(parts)}"


def _check(alt: str, n_labels: int, values_lists: Sequence[Sequence[Any]]) -> None:
    if not alt or not alt.strip():
        raise ValueError("alt text is required: state the data (see charts.alt_text)")
    for values in values_lists:
        if len(values) != n_labels:
            raise ValueError(f"{len(values)} values for {n_labels} labels")


def _check_series(kind: str, alt: str, n_labels: int, series: Mapping[str, Sequence[Any]]) -> None:
    _check(alt, n_labels, list(series.values()))
    if not series:
        raise ValueError(f"{kind} needs at least one series")
    if len(series) > len(PALETTE):
        raise ValueError(f"at most {len(PALETTE)} series")


def _new_figure(height: float | None = None) -> tuple[MplFigure, Axes]:
    fig = MplFigure(figsize=(SIZE_IN[0], height or SIZE_IN[1]), layout="constrained")
    ax = fig.add_subplot()
    return fig, ax


def _finish(
    fig: MplFigure,
    ax: Axes,
    *,
    title: str,
    alt: str,
    caption: str | None,
    title_in_image: bool,
    fmt: str,
) -> Chart:
    if title_in_image and title:
        ax.set_title(title)
    chart = Chart(render(fig, fmt), _MIME[fmt], alt, caption if caption is not None else title)
    fig.clear()
    return chart


_MIME = {"png": "image/png", "svg": "image/svg+xml"}


def render(fig: MplFigure, fmt: str = "png") -> bytes:
    """The figure's image bytes, deterministic: PNG (palette, no metadata) or SVG (glyph paths)."""
    buf = io.BytesIO()
    with matplotlib.rc_context(style()):
        if fmt == "png":
            fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
            return _quantize_png(buf.getvalue())
        if fmt == "svg":
            fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
            return buf.getvalue()
    raise ValueError(f"unknown chart format {fmt!r}: png or svg")


def _quantize_png(data: bytes, colors: int = PNG_COLORS) -> bytes:
    """Reduce a PNG to a palette of ``colors`` (flat charts need few) and recompress it."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as im:
        rgb = im.convert("RGB")
    pal = rgb.quantize(colors=colors, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    pal.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _value_axis(ax: Axes, unit: str | None, axis: str = "y") -> None:
    """Plain numbers on the value axis (no 1e4 offsets, no thousands separators)."""
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_locator(MaxNLocator(nbins=5, min_n_ticks=3))
    suffix = "%" if unit == "%" else ""
    target.set_major_formatter(FuncFormatter(lambda v, _pos: formatting.natural(v) + suffix))
    if axis == "y":
        ax.grid(axis="x", visible=False)
    else:
        ax.grid(axis="y", visible=False)


def _headroom(ax: Axes, values: Sequence[float], axis: str = "y") -> None:
    """Room above the tallest bar for its label."""
    finite = [v for v in values if v == v]
    if not finite:
        return
    top, bottom = max(0.0, max(finite)), min(0.0, min(finite))
    span = (top - bottom) or 1.0
    lo, hi = bottom - (0.08 * span if bottom < 0 else 0), top + 0.12 * span
    (ax.set_ylim if axis == "y" else ax.set_xlim)(lo, hi)


def _wrap(label: Any, n_categories: int, width: int | None = None) -> str:
    """A category label too long for its slot, broken into even lines (no spaces in Chinese)."""
    s = str(label)
    # about 360 pt of axis width shared by the categories, at ~9 pt per CJK character
    width = width or max(3, int(360 / max(n_categories, 1) / 9 * 0.8))
    if len(s) <= width or " " in s:
        return s
    lines = -(-len(s) // width)
    step = -(-len(s) // lines)
    return "\n".join(s[i : i + step] for i in range(0, len(s), step))


def _unit_label(ax: Axes, text: str) -> None:
    """The value axis's label (usually its unit) written level, above the axis, as 人次 or 万元."""
    if text:
        ax.annotate(
            text,
            xy=(0, 1),
            xycoords="axes fraction",
            xytext=(0, 7),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=8.5,
            color=TEXT_COLOR,
        )


# -- chart kinds --------------------------------------------------------------------------------


def bar(
    labels: Sequence[Any],
    values: Sequence[Any],
    *,
    title: str,
    ylabel: str,
    alt: str,
    unit: str | None = None,
    caption: str | None = None,
    title_in_image: bool = False,
    fmt: str = "png",
) -> Chart:
    """Vertical bars, one per label, each with its value on top."""
    _check(alt, len(labels), [values])
    nums = [_num(v) for v in values]
    with matplotlib.rc_context(style()):
        fig, ax = _new_figure()
        colors = [PALETTE[0]] * len(nums)
        bars = ax.bar([_wrap(x, len(labels)) for x in labels], nums, color=colors, width=0.55)
        ax.bar_label(bars, labels=[_label_text(v, unit) for v in nums], padding=2, fontsize=8.5)
        _unit_label(ax, ylabel)
        _value_axis(ax, unit)
        _headroom(ax, nums)
        return _finish(fig, ax, title=title, alt=alt, caption=caption, title_in_image=title_in_image, fmt=fmt)


def hbar(
    labels: Sequence[Any],
    values: Sequence[Any],
    *,
    title: str,
    xlabel: str,
    alt: str,
    unit: str | None = None,
    caption: str | None = None,
    title_in_image: bool = False,
    fmt: str = "png",
) -> Chart:
    """Horizontal bars, for long category names (project names); first label on top."""
    _check(alt, len(labels), [values])
    nums = [_num(v) for v in values]
    height = max(SIZE_IN[1] * 0.6, min(6.0, 0.9 + 0.32 * len(nums)))
    with matplotlib.rc_context(style()):
        fig, ax = _new_figure(height)
        y = list(range(len(nums)))
        bars = ax.barh(y, nums, color=PALETTE[0], height=0.6)
        ax.set_yticks(y, [str(x) for x in labels])
        ax.invert_yaxis()
        ax.bar_label(bars, labels=[_label_text(v, unit) for v in nums], padding=3, fontsize=8.5)
        ax.set_xlabel(xlabel)
        _value_axis(ax, unit, axis="x")
        _headroom(ax, nums, axis="x")
        ax.tick_params(axis="y", length=0)
        return _finish(fig, ax, title=title, alt=alt, caption=caption, title_in_image=title_in_image, fmt=fmt)


def grouped_bar(
    categories: Sequence[Any],
    series: Mapping[str, Sequence[Any]],
    *,
    title: str,
    ylabel: str,
    alt: str,
    unit: str | None = None,
    caption: str | None = None,
    title_in_image: bool = False,
    fmt: str = "png",
) -> Chart:
    """Bars grouped by category, one colour per series (e.g. 全年预算数 against 全年执行数)."""
    _check_series("grouped_bar", alt, len(categories), series)
    n = len(series)
    width = min(0.8 / n, 0.35)
    all_nums: list[float] = []
    with matplotlib.rc_context(style()):
        fig, ax = _new_figure()
        x = list(range(len(categories)))
        for k, (name, values) in enumerate(series.items()):
            nums = [_num(v) for v in values]
            all_nums.extend(nums)
            offset = (k - (n - 1) / 2) * width
            bars = ax.bar([i + offset for i in x], nums, width=width, label=name, color=PALETTE[k])
            ax.bar_label(bars, labels=[_label_text(v, unit) for v in nums], padding=2, fontsize=7.5)
        ax.set_xticks(x, [_wrap(c, len(categories)) for c in categories])
        _unit_label(ax, ylabel)
        _value_axis(ax, unit)
        _headroom(ax, all_nums)
        if n > 1:
            ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
        return _finish(fig, ax, title=title, alt=alt, caption=caption, title_in_image=title_in_image, fmt=fmt)


def grouped_hbar(
    labels: Sequence[Any],
    series: Mapping[str, Sequence[Any]],
    *,
    title: str,
    xlabel: str,
    alt: str,
    unit: str | None = None,
    caption: str | None = None,
    title_in_image: bool = False,
    fmt: str = "png",
) -> Chart:
    """Horizontal bars, one per series for each label, first label on top (many long names)."""
    _check_series("grouped_hbar", alt, len(labels), series)
    n, k = len(labels), len(series)
    width = 0.8 / k
    all_nums: list[float] = []
    with matplotlib.rc_context(style()):
        fig, ax = _new_figure(min(7.5, 0.9 + 0.17 * k * n))
        for j, (name, values) in enumerate(series.items()):
            nums = [_num(v) for v in values]
            all_nums.extend(nums)
            ys = [i + (j - (k - 1) / 2) * width for i in range(n)]
            bars = ax.barh(ys, nums, height=width * 0.92, color=PALETTE[j], label=name)
            ax.bar_label(bars, labels=[_label_text(v, unit) for v in nums], padding=2, fontsize=7)
        ax.set_yticks(range(n), [_wrap(label, n, width=8) for label in labels])
        ax.invert_yaxis()
        ax.tick_params(axis="y", length=0)
        ax.set_xlabel(xlabel)
        _value_axis(ax, unit, axis="x")
        _headroom(ax, all_nums, axis="x")
        if k > 1:
            ax.legend(loc="lower right")
        return _finish(fig, ax, title=title, alt=alt, caption=caption, title_in_image=title_in_image, fmt=fmt)


def line(
    x: Sequence[Any],
    series: Mapping[str, Sequence[Any]],
    *,
    title: str,
    ylabel: str,
    alt: str,
    unit: str | None = None,
    caption: str | None = None,
    title_in_image: bool = False,
    fmt: str = "png",
) -> Chart:
    """A trend over years: one line per series, each point labelled with its value."""
    _check_series("line", alt, len(x), series)
    all_nums: list[float] = []
    with matplotlib.rc_context(style()):
        fig, ax = _new_figure()
        xs = [str(v) for v in x]  # years as categories: no 2,018.5 ticks
        for k, (name, values) in enumerate(series.items()):
            nums = [_num(v) for v in values]
            all_nums.extend(nums)
            color = PALETTE[k]
            ax.plot(xs, nums, marker="o", markersize=4, linewidth=1.8, color=color, label=name)
            for xi, v in zip(xs, nums, strict=True):
                if v == v:
                    ax.annotate(
                        _label_text(v, unit),
                        (xi, v),
                        textcoords="offset points",
                        xytext=(0, 6),
                        ha="center",
                        fontsize=8,
                        color=color,
                    )
        _unit_label(ax, ylabel)
        _value_axis(ax, unit)
        _headroom(ax, all_nums)
        ax.margins(x=0.08)
        if len(series) > 1:
            ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
        return _finish(fig, ax, title=title, alt=alt, caption=caption, title_in_image=title_in_image, fmt=fmt)


def check_glyphs() -> None:
    """Render a line of Chinese with warnings as errors: raises if a glyph is missing."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        bar(["临时救助", "流浪乞讨救助"], [289, 153], title="字形检查", ylabel="人次", alt="检查")
