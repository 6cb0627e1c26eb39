"""Charts for the report: one style, Chinese text, small deterministic images.

Every chart function takes labels and values (numbers or :class:`jixiao.writing.provenance.Figure`,
whose ``.value`` is plotted) and returns a :class:`Chart`: the rendered image and its alt text,
shown in a notebook (and so in the report) as
``<figure class="jx-chart"><img alt="…" src="data:…"><figcaption>…</figcaption></figure>``.

- Size: 11.7 cm wide (4.6 in), shown at that size (442 CSS px, ``width``/``height`` on the
  ``<img>``) and printed at it; a narrow screen shrinks it (a phone gives it at least 360 px).
- Text: every text 11 pt (:data:`FONT_PT`): 14.7 px on screen, 12 px on a phone, 11 pt on paper,
  never under 75% of the body text. Values are written as the report's tables write them
  (:func:`label_text`: ``1586.40``, ``约121.6``); a value shared by the bars of one category is
  written once; no two texts overlap (each chart keeps its texts' boxes, ``Chart.texts``: the tests
  compare them on every chart of the example).
- Font: always the Noto Sans CJK SC file shipped by ``mplfonts``, by path, never a system font
  of the same name: the images are the same on every machine and with any font cache.
- Series: dark and light (contrast at least 3:1 between the first two, so they stay apart in
  greyscale print), bars of the second hatched, lines with their own dashes and markers
  (:data:`SERIES`).
- No slabs: a grouped bar chart of a single category is drawn as one bar per series (per year),
  and a chart keeps the room of :data:`MIN_BAR_SLOTS` bars, so one or two bars stay narrow.
- Title: in the caption below the image, as Chinese reports place 图题 (``title_in_image=True``
  draws it in the image too, for a chart used on its own).
- Format: PNG at 200 dpi at the printed width (920 px), reduced to a 256-colour palette (fast
  octree, no dithering), zlib level 6 (:data:`PNG_COMPRESS_LEVEL`). Measured on the example's 19
  charts: 8–39 KB each, 0.25 MB in all (0.33 MB base64) of the report's 1.05 MB; the same
  charts as SVG with glyphs as paths are 2–2.8 times larger (every CJK glyph becomes a path; SVG
  with live text would need the reader to have the font). ``fmt="svg"`` is still available.
- Deterministic: the same data gives byte-identical output (no timestamps, no software tag), so
  the build can cache on it.
- Remembered: a chart once drawn is kept on disk (``outputs/.cache/charts/``) and given back
  without drawing when asked for again with everything it depends on the same (see
  :func:`_remembered`): a section run again for its text does not draw its charts again.

Figures are built with :class:`matplotlib.figure.Figure`, not ``pyplot``: nothing is registered
globally, nothing is displayed twice in a notebook, and the figure is released once rendered.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import importlib.util
import inspect
import io
import json
import os
import platform
import sys
import time
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex
from matplotlib.figure import Figure as MplFigure
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter, MaxNLocator

from jixiao import dependencies, formatting, paths
from jixiao.outputs import Damaged, read_sealed, write_sealed
from jixiao.writing.provenance import Figure, Html, escape


@dataclass(frozen=True)
class SeriesStyle:
    """How one series is drawn: a fill and a hatch for bars, a colour, dashes and a marker for
    lines. Successive styles differ in lightness (dark, light) and in texture, so two series stay
    apart on a greyscale print and for readers who do not see the hues."""

    face: str
    edge: str
    hatch: str
    line: str
    dashes: str
    marker: str


SERIES: tuple[SeriesStyle, ...] = (
    SeriesStyle("#1F4E79", "#1F4E79", "", "#1F4E79", "-", "o"),  # 藏青 navy, solid
    SeriesStyle("#E8B25A", "#7A5417", "///", "#D9A441", "--", "s"),  # 浅赭 light ochre, hatched
    SeriesStyle("#9DB9D5", "#1F4E79", "...", "#8FB3D9", ":", "^"),  # 浅蓝 light blue, dotted
    SeriesStyle("#FFFFFF", "#333333", "xx", "#333333", "-.", "D"),  # white, cross-hatched
    SeriesStyle("#5B6C8F", "#222222", "\\\\", "#5B6C8F", (0, (5, 1, 1, 1)), "v"),  # 灰蓝 slate
    SeriesStyle("#C4D6E8", "#333333", "++", "#7A8B3C", (0, (1, 2)), "P"),
)
"""Series styles, in order (at most this many series in one chart)."""

PALETTE: tuple[str, ...] = tuple(s.face for s in SERIES)
"""The series' fill colours, in order."""

TEXT_COLOR = "#222222"
MUTED_COLOR = "#555555"
GRID_COLOR = "#DDDDDD"

WIDTH_IN = 4.6
"""Figure width in inches (11.7 cm): the size a chart is printed and shown at (442 CSS px)."""
SIZE_IN: tuple[float, float] = (WIDTH_IN, 2.9)
"""Figure size in inches of a chart with vertical bars or lines."""
DPI = 200
"""PNG resolution at the printed width: 920 px for 11.7 cm."""
PNG_COLORS = 256
PNG_COMPRESS_LEVEL = 6
"""zlib level of the PNG: level 9 (``optimize``) makes the example's charts 5% smaller but takes
five times as long to encode (a fifth of a chart's time)."""
FONT_PT = 11.0
"""Every text in a chart (ticks, value labels, legend, unit): 11 pt. Shown at its own width
(442 CSS px) that is 14.7 px, at the 360 px a phone gives it 12 px, printed 11 pt: at least 75%
of the body text everywhere."""
SCREEN_PX = round(WIDTH_IN * 96)
"""CSS width the report shows a chart at (the image's width attribute; it shrinks to fit)."""
PHONE_PX = 360
"""The narrowest width the phone layout gives a chart (390 px screen less its margins)."""
MIN_BAR_SLOTS = 4
"""Bars are never wider than a quarter of the plot: a chart of one or two bars keeps the room
of four (no slabs)."""

MPLFONTS_FONT = "NotoSansCJKsc-Regular.otf"
"""The one font every chart uses: the Noto Sans CJK SC file shipped by ``mplfonts``, by path,
never a system font of the same name, so images are the same on every machine and with any
matplotlib font cache."""


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
def font_path() -> Path:
    """The bundled CJK font file (raises when ``mplfonts`` is missing)."""
    folder = _mplfonts_dir()
    path = folder / MPLFONTS_FONT if folder else None
    if path is None or not path.is_file():
        raise RuntimeError(f"no CJK font for charts: install the mplfonts package ({MPLFONTS_FONT})")
    return path


@functools.cache
def cjk_font() -> str:
    """The family name of the bundled font, registered with matplotlib's font manager as the only
    font of that name (a system copy of Noto Sans CJK SC, a collection with other metrics, is
    dropped from this process's list, so a lookup by name cannot pick it)."""
    path = str(font_path())
    manager = font_manager.fontManager
    manager.addfont(path)
    name = font_manager.FontProperties(fname=path).get_name()
    manager.ttflist = [f for f in manager.ttflist if f.name != name or f.fname == path]
    cached = getattr(manager, "_findfont_cached", None)
    if cached is not None and hasattr(cached, "cache_clear"):
        cached.cache_clear()
    return name


def _font(size: float) -> font_manager.FontProperties:
    return font_manager.FontProperties(fname=str(font_path()), size=size)


def style() -> dict[str, Any]:
    """The report's matplotlib settings (applied per chart with ``rc_context``)."""
    return {
        "font.family": "sans-serif",
        "font.sans-serif": [cjk_font(), "DejaVu Sans"],
        "font.size": FONT_PT,
        "axes.unicode_minus": False,
        "axes.prop_cycle": matplotlib.cycler(color=list(PALETTE)),
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.edgecolor": "#888888",
        "axes.linewidth": 0.8,
        "axes.labelcolor": TEXT_COLOR,
        "axes.labelsize": FONT_PT,
        "axes.titlesize": FONT_PT + 1,
        "axes.titleweight": "normal",  # the bundled CJK font has no bold face
        "axes.titlelocation": "left",
        "axes.titlepad": 22,  # clears the unit label above the value axis
        "axes.grid": True,
        "axes.axisbelow": True,
        "grid.color": GRID_COLOR,
        "grid.linewidth": 0.6,
        "hatch.linewidth": 0.8,
        "xtick.color": MUTED_COLOR,
        "ytick.color": MUTED_COLOR,
        "xtick.labelcolor": TEXT_COLOR,
        "ytick.labelcolor": TEXT_COLOR,
        "xtick.labelsize": FONT_PT,
        "ytick.labelsize": FONT_PT,
        "legend.frameon": False,
        "legend.fontsize": FONT_PT,
        "legend.handlelength": 1.6,
        "legend.columnspacing": 1.2,
        "figure.facecolor": "white",
        "figure.dpi": DPI,
        "savefig.dpi": DPI,
        "svg.fonttype": "path",
        "svg.hashsalt": "jixiao",
        "path.simplify": True,
    }


# -- the chart ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TextBox:
    """A text drawn in a chart: its string, size and box in image pixels (x0, y0, x1, y1)."""

    text: str
    size_pt: float
    box: tuple[float, float, float, float]


@dataclass(frozen=True)
class Chart:
    """A rendered chart: image bytes, their MIME type, alt text and caption.

    ``texts`` and ``series`` describe what was drawn (every visible text with its box, and each
    series' fill, hatch and line colour), for checks of legibility and overlap; they are not part
    of the image's identity.
    """

    data: bytes
    mime: str
    alt: str
    caption: str = ""
    width_in: float = WIDTH_IN
    height_in: float = SIZE_IN[1]
    texts: tuple[TextBox, ...] = field(default=(), compare=False, repr=False)
    series: tuple[tuple[str, str, str], ...] = field(default=(), compare=False, repr=False)
    """Each series as drawn: (name, colour, hatch of its bars, or dashes and marker of its line)."""

    def data_uri(self) -> str:
        return f"data:{self.mime};base64,{base64.b64encode(self.data).decode('ascii')}"

    def html(self) -> Html:
        """``<figure class="jx-chart"><img alt src width height><figcaption>``, all escaped.

        The width and height are CSS pixels at the chart's own size (the stylesheet lets it
        shrink to fit a narrow screen), so it is shown and printed at the size its text was set for.
        """
        cap = f"<figcaption>{escape(self.caption)}</figcaption>" if self.caption else ""
        w, h = round(self.width_in * 96), round(self.height_in * 96)
        return Html(
            f'<figure class="jx-chart"><img alt="{escape(self.alt)}" src="{self.data_uri()}" '
            f'width="{w}" height="{h}">{cap}</figure>'
        )

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


def label_text(v: Any, unit: str | None) -> str:
    """A value label on a bar or point, written as the report's tables write it.

    A figure: its own text without the unit (``1586.40``, ``约121.6``, ``1500多``). A bare number:
    万元 with two decimals, ``%`` with its sign, anything else at natural precision.
    """
    if isinstance(v, Figure):
        if v.value is None or v.value != v.value:
            return ""
        text = v.text
        if unit and text.endswith(unit) and len(text) > len(unit):
            text = text[: -len(unit)]
        elif unit and unit in text:  # 1500多份: the measure word after 多
            text = text.replace(unit, "", 1)
        return text
    x = _num(v)
    if x != x:  # NaN
        return ""
    if unit == formatting.WANYUAN:
        return formatting.number(x)
    return formatting.natural(x) + ("%" if unit == "%" else "")


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
    if len(series) > len(SERIES):
        raise ValueError(f"at most {len(SERIES)} series")


def _new_figure(height: float | None = None) -> tuple[MplFigure, Axes]:
    fig = MplFigure(figsize=(WIDTH_IN, height or SIZE_IN[1]), layout="constrained")
    FigureCanvasAgg(fig)  # a renderer to measure texts with (and to draw the PNG)
    fig.get_layout_engine().set(w_pad=4 / 72, h_pad=4 / 72)
    ax = fig.add_subplot()
    return fig, ax


_MIME = {"png": "image/png", "svg": "image/svg+xml"}


def _finish(
    fig: MplFigure,
    ax: Axes,
    *,
    title: str,
    alt: str,
    caption: str | None,
    title_in_image: bool,
    fmt: str,
    series: Sequence[tuple[str, str, str]] = (),
) -> Chart:
    if title_in_image and title:
        ax.set_title(title)
    _use_bundled_font(fig)
    data = render(fig, fmt)
    texts = text_boxes(fig)
    w, h = fig.get_size_inches()
    chart = Chart(data, _MIME[fmt], alt, caption if caption is not None else title, float(w), float(h),
                  texts, tuple(series))  # fmt: skip
    fig.clear()
    return chart


def _use_bundled_font(fig: MplFigure) -> None:
    """Every text in the figure set in the bundled font file, at its own size."""
    for t in fig.findobj(Text):
        t.set_fontproperties(_font(t.get_fontsize()))


def text_boxes(fig: MplFigure) -> tuple[TextBox, ...]:
    """Every visible, non-empty text of a drawn figure with its box in image pixels."""
    renderer = fig.canvas.get_renderer()
    boxes = []
    seen: set[int] = set()
    for ax in fig.axes:  # tick labels outside the view are not drawn
        for axis in (ax.xaxis, ax.yaxis):
            lo, hi = sorted(axis.get_view_interval())
            eps = (hi - lo) * 1e-9
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                if not lo - eps <= tick.get_loc() <= hi + eps:
                    seen.update((id(tick.label1), id(tick.label2)))
    for t in fig.findobj(Text):
        if id(t) in seen or not t.get_visible() or not t.get_text().strip():
            continue
        seen.add(id(t))
        bb = t.get_window_extent(renderer)
        if bb.width <= 0 or bb.height <= 0:
            continue
        box = (float(bb.x0), float(bb.y0), float(bb.x1), float(bb.y1))
        boxes.append(TextBox(t.get_text(), float(t.get_fontsize()), box))
    return tuple(boxes)


def render(fig: MplFigure, fmt: str = "png") -> bytes:
    """The figure's image bytes, deterministic: PNG (palette, no metadata) or SVG (glyph paths)."""
    with matplotlib.rc_context(style()):
        if fmt not in _MIME:
            raise ValueError(f"unknown chart format {fmt!r}: png or svg")
        fig.set_dpi(DPI)
        _settle(fig)
        if fmt == "png":  # the pixels of that draw, without encoding a PNG only to decode it again
            return _palette_png(fig.canvas.buffer_rgba())
        if fmt == "svg":
            buf = io.BytesIO()
            fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
            return buf.getvalue()
    raise ValueError(f"unknown chart format {fmt!r}: png or svg")


def _palette_png(rgba: Any, colors: int = PNG_COLORS) -> bytes:
    """RGBA pixels as a PNG of at most ``colors`` palette entries (flat charts need few).

    The file holds only the image and its resolution (IHDR, PLTE, pHYs, IDAT, IEND): no time,
    no software, nothing that differs between builds.
    """
    from PIL import Image

    rgb = Image.fromarray(np.asarray(rgba)).convert("RGB")
    pal = rgb.quantize(colors=colors, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    out = io.BytesIO()
    pal.save(out, format="PNG", compress_level=PNG_COMPRESS_LEVEL, dpi=(DPI, DPI))
    return out.getvalue()


def _value_axis(ax: Axes, unit: str | None, axis: str = "y") -> None:
    """Plain numbers on the value axis (no 1e4 offsets, no thousands separators)."""
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_locator(MaxNLocator(nbins=4, min_n_ticks=3))
    suffix = "%" if unit == "%" else ""
    target.set_major_formatter(FuncFormatter(lambda v, _pos: formatting.natural(v) + suffix))
    if axis == "y":
        ax.grid(axis="x", visible=False)
    else:
        ax.grid(axis="y", visible=False)


def _wrap(label: Any, chars: int) -> str:
    """A category label too long for its slot, broken into even lines (no spaces in Chinese)."""
    s = str(label)
    if "\n" in s:
        return "\n".join(_wrap(part, chars) for part in s.split("\n"))
    chars = max(2, chars)
    if _width_em(s) <= chars or " " in s:
        return s
    lines = -(-len(s) // chars)
    step = -(-len(s) // lines)
    return "\n".join(s[i : i + step] for i in range(0, len(s), step))


def _width_em(s: str) -> float:
    """A text's width in ems: a CJK character is one, a digit or letter about half."""
    return sum(1.0 if ord(ch) > 0x2E80 else 0.55 for ch in s)


def _slot_chars(slots: float) -> int:
    """How many CJK characters of a category label fit under one of ``slots`` slots."""
    plot_pt = (WIDTH_IN - 0.75) * 72
    return int(plot_pt / slots / FONT_PT * 0.92)


def _unit_label(ax: Axes, text: str) -> None:
    """The value axis's label (usually its unit) written level, above the axis, as 人次 or 万元."""
    if text:
        ax.annotate(text, xy=(0, 1), xycoords="axes fraction", xytext=(0, 6), textcoords="offset points",
                    ha="center", va="bottom", fontsize=FONT_PT, color=TEXT_COLOR)  # fmt: skip


def _legend(fig: MplFigure, ax: Axes, n: int) -> None:
    """The series' legend in one row above the plot, at the right (the unit stands at the left)."""
    if n > 1:
        fig.legend(*ax.get_legend_handles_labels(), loc="outside upper right", ncols=min(n, 3),
                   handleheight=1.0, borderaxespad=0.2)  # fmt: skip


def _bar_slots(n: int, k: int) -> float:
    """Category slots on the axis: ``n``, or more when there are fewer than
    :data:`MIN_BAR_SLOTS` bars in all, so one or two bars are not slabs."""
    return max(float(n), MIN_BAR_SLOTS / k)


def _place_labels(fig: MplFigure, ax: Axes, groups: Sequence[Sequence[Text]], axis: str = "y") -> None:
    """Remember the value labels (grouped by category) that :func:`_settle` keeps apart and inside
    the plot when the figure is drawn."""
    fig._jixiao_labels = (ax, [list(g) for g in groups], axis)  # type: ignore[attr-defined]


def _settle(fig: MplFigure) -> None:
    """Draw the figure; if a value label overlaps another of its category or sticks out of the
    plot, move it (or extend the value axis) and draw again. Usually one draw is enough (the
    axis was given room for the labels), and the last draw is the image."""
    plan = getattr(fig, "_jixiao_labels", None)
    for _ in range(6):
        fig.canvas.draw()
        if plan is None:
            return
        ax, groups, axis = plan
        renderer = fig.canvas.get_renderer()
        moved = _stagger(fig, groups, axis, renderer)
        grown = _grow(ax, [t for g in groups for t in g], axis, renderer)
        if not moved and not grown:
            return
    fig.canvas.draw()


def _grow(ax: Axes, labels: Sequence[Text], axis: str, renderer: Any) -> bool:
    """Extend the value axis so that every value label lies inside the plot; True if it did."""
    box = ax.get_window_extent(renderer)
    worst = 0.0
    for t in labels:
        bb = t.get_window_extent(renderer)
        worst = max(worst, (bb.y1 - box.y1) if axis == "y" else (bb.x1 - box.x1))
    if worst <= 0:
        return False
    span = box.height if axis == "y" else box.width
    lo, hi = ax.get_ylim() if axis == "y" else ax.get_xlim()
    hi = hi + (hi - lo) * (worst + 4) / max(span - worst - 4, span * 0.3)
    (ax.set_ylim if axis == "y" else ax.set_xlim)(lo, hi)
    return True


def _start_at_zero(ax: Axes, values: Sequence[float], axis: str = "y", room: float = 0.05) -> None:
    """The value axis from 0 (or the lowest value) to the highest, with ``room`` (a fraction of
    the plot) left beyond it for the value labels."""
    finite = [v for v in values if v == v]
    if not finite:
        return
    top, bottom = max(0.0, max(finite)), min(0.0, min(finite))
    span = (top - bottom) or 1.0
    room = min(max(room, 0.05), 0.6)
    (ax.set_ylim if axis == "y" else ax.set_xlim)(
        bottom - (0.08 * span if bottom < 0 else 0), top + span * room / (1 - room)
    )


def _label_room(fig: MplFigure, axis: str = "y", text_em: float = 1.0, reserved_pt: float = 75) -> float:
    """The share of the plot a value label needs beyond the longest bar (an estimate; drawing
    checks it): its height above a vertical bar, its width beside a horizontal one."""
    w, h = fig.get_size_inches()
    if axis == "y":
        return (FONT_PT * 1.3 + 5) / max(h * 72 - reserved_pt, 40)
    return (text_em * FONT_PT + 8) / max(w * 72 - reserved_pt, 60)


def _bar_kwargs(k: int) -> dict[str, Any]:
    st = SERIES[k]
    return {"color": st.face, "edgecolor": st.edge, "hatch": st.hatch or None, "linewidth": 0.8}


def _drawn(name: str, patch: Any) -> tuple[str, str, str]:
    """(series name, fill colour, hatch) as drawn, read back from a bar of the series."""
    return (name, to_hex(patch.get_facecolor()), str(patch.get_hatch() or ""))


def _stagger(fig: MplFigure, groups: Sequence[Sequence[Text]], axis: str, renderer: Any) -> bool:
    """Within a group of value labels (the bars of one category), lift a label that overlaps one
    before it clear of it; True if one moved."""
    moved = False
    for group in groups:
        placed: list[Text] = []
        for t in group:
            for _ in range(len(group)):
                bb = t.get_window_extent(renderer)
                hit = next((p for p in placed if _boxes_overlap(bb, p.get_window_extent(renderer))), None)
                if hit is None:
                    break
                hb = hit.get_window_extent(renderer)
                x, y = t.xyann  # type: ignore[attr-defined]
                step = (hb.y1 - bb.y0 + 2) * 72 / fig.dpi if axis == "y" else (hb.x1 - bb.x0 + 3) * 72 / fig.dpi
                t.xyann = (x, y + step) if axis == "y" else (x + step, y)  # type: ignore[attr-defined]
                moved = True
            placed.append(t)
    return moved


def _boxes_overlap(a: Any, b: Any) -> bool:
    return min(a.x1, b.x1) - max(a.x0, b.x0) > 0.5 and min(a.y1, b.y1) - max(a.y0, b.y0) > 0.5


# -- the memo: a chart drawn once is kept on disk -----------------------------------------------

MEMO_DAYS = 30
"""A kept chart not asked for in this many days is removed."""
MEMO_BYTES = 64 * 1024 * 1024
"""The kept charts take at most this much (about 2000 charts); the least recently used go first."""
_NOT_DRAWN = frozenset({"backend", "backend_fallback", "interactive"})
"""matplotlib settings that do not change an image drawn on its own Agg canvas."""


def memo_folder() -> Path | None:
    """Where charts are kept: ``outputs/.cache/charts/`` of the project this process works in
    now (a batch task's own project, say), or None outside any project."""
    try:
        return paths.shared_cache("charts")
    except paths.NoProject:
        return None


def _stamp(path: str) -> tuple[int, int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)


_LOADED = {f: _stamp(f) for f in (__file__, formatting.__file__, sys.modules[Figure.__module__].__file__)}
"""The files of the code that draws a chart, as they were when this process loaded it."""


@functools.cache
def _software() -> dict[str, str]:
    """The versions of what turns a figure into bytes, as loaded in this process."""
    import PIL
    from matplotlib import ft2font
    from PIL import features

    return {
        "python": platform.python_version(), "matplotlib": matplotlib.__version__, "numpy": np.__version__,
        "freetype": ft2font.__freetype_version__, "pillow": PIL.__version__, "zlib": str(features.version("zlib")),
    }  # fmt: skip


def _value_key(v: Any) -> Any:
    """What a chart uses of a value: a figure's number and text, else the number (:func:`_num`,
    :func:`label_text`). A chart drawing anything else of a figure (its state, say) must key it
    here too, or two figures differing in it would share one kept chart."""
    if isinstance(v, Figure):
        if type(v.text) is not str:
            raise TypeError("a figure's text is not a str")
        return ["figure", None if v.value is None else float(v.value), v.text]
    return None if v is None else float(v)


def _items(values: Any) -> list[Any]:
    if iter(values) is values:  # an iterator, which reading would use up
        raise TypeError("an iterator")
    return list(values)


def _argument_key(name: str, value: Any) -> Any:
    """What a chart uses of one argument, as JSON; TypeError for one it cannot key exactly (the
    chart is then drawn)."""
    if name in ("labels", "categories", "x"):  # only ever drawn as str(label)
        return [str(v) for v in _items(value)]
    if name == "values":
        return [_value_key(v) for v in _items(value)]
    if name == "series":
        if not isinstance(value, Mapping) or any(type(k) is not str for k in value):
            raise TypeError("series must map str names to values")
        return [[k, [_value_key(v) for v in _items(vals)]] for k, vals in value.items()]
    if value is None or type(value) in (str, bool):  # a str subclass (Html) would come back a str
        return value
    raise TypeError(f"{name}: {type(value).__name__}")


def _key(draw: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str | None:
    """The memo's key of a call: the function, every argument with the defaults, the font file's
    content, the matplotlib settings in force, the versions of the software that draws and jixiao's
    code. None when the code this process runs is no longer the code on disk (the key would name
    the code on disk)."""
    if any(_stamp(f) != stamp for f, stamp in _LOADED.items()):
        return None
    bound = inspect.signature(draw).bind(*args, **kwargs)
    bound.apply_defaults()
    drawn = style()
    settings = sorted((k, v) for k, v in dict.items(matplotlib.rcParams) if k not in drawn and k not in _NOT_DRAWN)
    payload = {
        "chart": draw.__name__,
        "arguments": {name: _argument_key(name, value) for name, value in bound.arguments.items()},
        "font": dependencies.file_hash(font_path()),
        "matplotlib settings": hashlib.sha256(repr(settings).encode()).hexdigest(),
        "software": _software(),
        "code": dependencies.code_hash(),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _as_json(chart: Chart) -> dict[str, Any]:
    return {
        "data": base64.b64encode(chart.data).decode("ascii"), "mime": chart.mime, "alt": chart.alt,
        "caption": chart.caption, "width_in": chart.width_in, "height_in": chart.height_in,
        "texts": [[t.text, t.size_pt, list(t.box)] for t in chart.texts], "series": [list(s) for s in chart.series],
    }  # fmt: skip


def _str(v: Any) -> str:
    if type(v) is not str:
        raise TypeError("not a str")
    return v


def _from_json(kept: dict[str, Any]) -> Chart:
    """The chart :func:`_as_json` wrote; TypeError, ValueError or KeyError for anything else."""
    texts = tuple(TextBox(_str(t), float(size), tuple(float(c) for c in box)) for t, size, box in kept["texts"])
    if any(len(t.box) != 4 for t in texts):
        raise ValueError("a text's box is not four numbers")
    series = tuple((_str(a), _str(b), _str(c)) for a, b, c in kept["series"])
    return Chart(base64.b64decode(_str(kept["data"]), validate=True), _str(kept["mime"]), _str(kept["alt"]),
                 _str(kept["caption"]), float(kept["width_in"]), float(kept["height_in"]), texts, series)  # fmt: skip


def _recall(path: Path, key: str) -> Chart | None:
    """The chart kept at ``path`` under ``key``; None if there is none, or it is damaged, edited
    (its checksum does not match) or of another form."""
    try:
        kept = read_sealed(path)
        if kept is None or kept.get("key") != key:
            return None
        chart = _from_json(kept["chart"])
    except (Damaged, KeyError, TypeError, ValueError):
        return None
    try:
        os.utime(path)  # used now: pruned last
    except OSError:
        pass
    return chart


def _keep(path: Path, key: str, chart: Chart) -> None:
    """Keep ``chart`` at ``path`` (written whole or not at all), then prune; a folder that cannot be
    written (read-only, full) keeps nothing."""
    try:
        write_sealed(path, {"key": key, "chart": _as_json(chart)})
        _prune(path.parent)
    except (OSError, ValueError):
        pass


def _prune(folder: Path) -> None:
    """Remove the kept charts not used for :data:`MEMO_DAYS`, then the least recently used until
    the rest take at most :data:`MEMO_BYTES` (a write under way elsewhere, a dot file younger than
    an hour, is left alone)."""
    now = time.time()
    found = []
    with os.scandir(folder) as entries:
        for entry in entries:
            try:
                stat = entry.stat()
            except OSError:
                continue
            if not entry.name.startswith(".") or now - stat.st_mtime > 3600:
                found.append((stat.st_mtime, stat.st_size, entry.path))
    total = 0
    for used, size, where in sorted(found, reverse=True):  # most recently used first
        total += size
        if total > MEMO_BYTES or now - used > MEMO_DAYS * 86400:
            try:
                os.unlink(where)
            except OSError:
                pass


def _remembered(draw: Any) -> Any:
    """``draw`` (a chart function) answered from the memo when the chart was drawn before.

    The key (:func:`_key`) covers everything the image, its texts' boxes and its series depend on;
    each argument is keyed by what the chart uses of it, so a new argument, or a new use of one,
    needs :func:`_argument_key` taught first (one it does not know is not remembered). The entry is
    a sealed JSON file (``outputs.write_sealed``: checked by its checksum, never trusted otherwise)
    named by its key in :func:`memo_folder`. Outside a project, with arguments it cannot key, or
    code changed on disk since it was loaded, the chart is drawn as before."""

    @functools.wraps(draw)
    def remembered(*args: Any, **kwargs: Any) -> Chart:
        folder = memo_folder()
        try:
            key = _key(draw, args, kwargs) if folder is not None else None
        except (TypeError, ValueError, OSError, RuntimeError):  # the drawing says what is wrong
            key = None
        if key is None:
            return draw(*args, **kwargs)
        path = folder / f"{key}.json"
        chart = _recall(path, key)
        if chart is None:
            chart = draw(*args, **kwargs)
            _keep(path, key, chart)
        return chart

    return remembered


# -- chart kinds --------------------------------------------------------------------------------


def _vertical_bars(
    categories: Sequence[Any],
    series: Mapping[str, Sequence[Any]],
    *,
    unit: str | None,
    ylabel: str,
    xlabel: str = "",
    per_bar_styles: bool = False,
) -> tuple[MplFigure, Axes, list[tuple[str, str, str]]]:
    """Bars grouped by category, one style per series, each value labelled once (equal values in
    a group share one label over the group)."""
    n, k = len(categories), len(series)
    slots = _bar_slots(n, k)
    width = min(0.8 / k, 0.6)
    fig, ax = _new_figure()
    x = list(range(n))
    values = [[_num(v) for v in vals] for vals in series.values()]
    raw = list(series.values())
    groups: list[list[Text]] = [[] for _ in range(n)]
    recorded: list[tuple[str, str, str]] = []
    for j, name in enumerate(series):
        offs = (j - (k - 1) / 2) * width
        if per_bar_styles:  # one series, a style per bar (the years of a single category)
            for i in range(n):
                drawn = ax.bar(i + offs, values[j][i], width=width, **_bar_kwargs(i))
                recorded.append(_drawn(str(categories[i]), drawn.patches[0]))
        else:
            drawn = ax.bar([i + offs for i in x], values[j], width=width, label=name, **_bar_kwargs(j))
            recorded.append(_drawn(name, drawn.patches[0]))
    for i in x:
        texts = [label_text(raw[j][i], unit) for j in range(k)]
        tops = [values[j][i] for j in range(k)]
        if k > 1 and len(set(texts)) == 1:  # all equal: one label over the group
            if texts[0]:
                groups[i].append(ax.annotate(texts[0], (i, max(tops)), xytext=(0, 3), textcoords="offset points",
                                             ha="center", va="bottom", color=TEXT_COLOR))  # fmt: skip
            continue
        for j in range(k):
            if texts[j]:
                offs = (j - (k - 1) / 2) * width
                groups[i].append(ax.annotate(texts[j], (i + offs, tops[j]), xytext=(0, 3),
                                             textcoords="offset points", ha="center", va="bottom",
                                             color=TEXT_COLOR))  # fmt: skip
    chars = _slot_chars(slots)
    ax.set_xticks(x, [_wrap(c, chars) for c in categories])
    ax.tick_params(axis="x", length=0)
    if xlabel:
        ax.set_xlabel(xlabel)
    _unit_label(ax, ylabel)
    _value_axis(ax, unit)
    pad = (slots - n) / 2
    ax.set_xlim(-0.6 - pad, n - 0.4 + pad)
    tick_lines = max((t.get_text().count("\n") + 1 for t in ax.get_xticklabels()), default=1)
    reserved = 40 + 16 * tick_lines + (16 if xlabel else 0) + (22 if k > 1 else 0)
    _start_at_zero(ax, [v for vals in values for v in vals], room=_label_room(fig, reserved_pt=reserved))
    if not per_bar_styles:
        _legend(fig, ax, k)
    _place_labels(fig, ax, groups)
    return fig, ax, recorded


@_remembered
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
    with matplotlib.rc_context(style()):
        fig, ax, rec = _vertical_bars(labels, {"": values}, unit=unit, ylabel=ylabel)
        return _finish(fig, ax, title=title, alt=alt, caption=caption, title_in_image=title_in_image, fmt=fmt,
                       series=rec[:1])  # fmt: skip


@_remembered
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
    """Bars grouped by category, one style per series (e.g. 全年预算数 against 全年执行数).

    A single category is not drawn as a group of slabs: it becomes one bar per series (the years
    of one figure, say), named under the bars, each in its series' style, the category below.
    """
    _check_series("grouped_bar", alt, len(categories), series)
    with matplotlib.rc_context(style()):
        if len(categories) == 1 and len(series) > 1:
            names = list(series)
            one = {"": [vals[0] for vals in series.values()]}
            fig, ax, rec = _vertical_bars(names, one, unit=unit, ylabel=ylabel, xlabel=str(categories[0]),
                                          per_bar_styles=True)  # fmt: skip
        else:
            fig, ax, rec = _vertical_bars(categories, series, unit=unit, ylabel=ylabel)
        return _finish(fig, ax, title=title, alt=alt, caption=caption, title_in_image=title_in_image, fmt=fmt,
                       series=rec)  # fmt: skip


def _horizontal_bars(
    labels: Sequence[Any],
    series: Mapping[str, Sequence[Any]],
    *,
    unit: str | None,
    xlabel: str,
) -> tuple[MplFigure, Axes, list[tuple[str, str, str]]]:
    """Horizontal bars, first label on top; equal values of one label share one value label."""
    n, k = len(labels), len(series)
    raw = list(series.values())
    values = [[_num(v) for v in vals] for vals in raw]
    line_in = FONT_PT * 1.45 / 72  # one label line, with air
    chars = 7
    wrapped = [_wrap(label, chars) for label in labels]
    shared = [k > 1 and len({label_text(raw[j][i], unit) for j in range(k)}) == 1 for i in range(n)]
    rows = [max(1 if shared[i] else k, wrapped[i].count("\n") + 1, k * 0.6) for i in range(n)]
    height = 1.0 + (0.35 if k > 1 else 0) + sum(r * line_in + 0.1 for r in rows)
    fig, ax = _new_figure(max(SIZE_IN[1] * 0.8, height))
    width = 0.8 / k
    recorded: list[tuple[str, str, str]] = []
    for j, name in enumerate(series):
        ys = [i + (j - (k - 1) / 2) * width for i in range(n)]
        drawn = ax.barh(ys, values[j], height=width * 0.9, label=name, **_bar_kwargs(j))
        recorded.append(_drawn(name, drawn.patches[0]))
    texts: list[Text] = []
    for i in range(n):
        strs = [label_text(raw[j][i], unit) for j in range(k)]
        ends = [values[j][i] for j in range(k)]
        if k > 1 and len(set(strs)) == 1:
            if strs[0]:
                texts.append(ax.annotate(strs[0], (max(ends), i), xytext=(4, 0), textcoords="offset points",
                                         ha="left", va="center", color=TEXT_COLOR))  # fmt: skip
            continue
        for j in range(k):
            if strs[j]:
                y = i + (j - (k - 1) / 2) * width
                texts.append(ax.annotate(strs[j], (ends[j], y), xytext=(4, 0), textcoords="offset points",
                                         ha="left", va="center", color=TEXT_COLOR))  # fmt: skip
    ax.set_yticks(range(n), wrapped)
    ax.set_ylim(n - 0.5, -0.5)
    ax.tick_params(axis="y", length=0)
    ax.set_xlabel(xlabel)
    _value_axis(ax, unit, axis="x")
    longest = max((_width_em(t.get_text()) for t in texts), default=0.0)
    names = max((_width_em(line) for s in wrapped for line in s.split("\n")), default=0.0)
    room = _label_room(fig, "x", text_em=longest, reserved_pt=names * FONT_PT + 30)
    _start_at_zero(ax, [v for vals in values for v in vals], axis="x", room=room)
    _legend(fig, ax, k)
    _place_labels(fig, ax, [[t] for t in texts], axis="x")
    return fig, ax, recorded


@_remembered
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
    with matplotlib.rc_context(style()):
        fig, ax, rec = _horizontal_bars(labels, {"": values}, unit=unit, xlabel=xlabel)
        return _finish(fig, ax, title=title, alt=alt, caption=caption, title_in_image=title_in_image, fmt=fmt,
                       series=rec)  # fmt: skip


@_remembered
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
    with matplotlib.rc_context(style()):
        fig, ax, rec = _horizontal_bars(labels, series, unit=unit, xlabel=xlabel)
        return _finish(fig, ax, title=title, alt=alt, caption=caption, title_in_image=title_in_image, fmt=fmt,
                       series=rec)  # fmt: skip


@_remembered
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
    """A trend over years: one line per series (its own dashes and marker), each point labelled.

    At each year the highest value is labelled above its point and the others below theirs, so
    close lines do not put their labels on one another; equal values share one label.
    """
    _check_series("line", alt, len(x), series)
    with matplotlib.rc_context(style()):
        fig, ax = _new_figure()
        xs = [str(v) for v in x]  # years as categories: no 2,018.5 ticks
        raw = list(series.values())
        values = [[_num(v) for v in vals] for vals in raw]
        recorded = []
        for k, name in enumerate(series):
            st = SERIES[k]
            (drawn,) = ax.plot(xs, values[k], marker=st.marker, markersize=5, linewidth=2, color=st.line,
                               linestyle=st.dashes, label=name)  # fmt: skip
            recorded.append((name, to_hex(drawn.get_color()), f"{drawn.get_linestyle()} {drawn.get_marker()}"))
        labels: list[Text] = []
        for i, xi in enumerate(xs):
            present = [(values[k][i], label_text(raw[k][i], unit), k) for k in range(len(raw))]
            present = [p for p in present if p[0] == p[0] and p[1]]
            present.sort(key=lambda p: -p[0])
            done: set[str] = set()
            for rank, (v, text, _k) in enumerate(present):
                if text in done:
                    continue
                done.add(text)
                above = rank == 0
                labels.append(ax.annotate(text, (xi, v), textcoords="offset points", xytext=(0, 7 if above else -7),
                                          ha="center", va="bottom" if above else "top",
                                          color=TEXT_COLOR))  # fmt: skip
        _unit_label(ax, ylabel)
        _value_axis(ax, unit)
        reserved = 56 + (22 if len(series) > 1 else 0)
        _start_at_zero(ax, [v for vals in values for v in vals], room=_label_room(fig, reserved_pt=reserved))
        ax.margins(x=0.15)
        _legend(fig, ax, len(series))
        _place_labels(fig, ax, [[t] for t in labels])
        return _finish(fig, ax, title=title, alt=alt, caption=caption, title_in_image=title_in_image, fmt=fmt,
                       series=recorded)  # fmt: skip


def check_glyphs() -> None:
    """Render a line of Chinese with warnings as errors: raises if a glyph is missing."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        bar.__wrapped__(["临时救助", "流浪乞讨救助"], [289, 153], title="字形检查", ylabel="人次", alt="检查")
