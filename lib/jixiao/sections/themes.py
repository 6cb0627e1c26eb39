"""The themed sections （一）…（五）: headline, 一是…二是… items, charts and the change from last year.

A theme is a key of the unit's settings (``dibao``, ``yanglao``, …). Its text comes from the
``narrative`` rows whose ``section`` is the theme, its figures from the ``stats`` table:

- a ``title`` row is the headline, numbered by the theme's place in the report's outline
  (``jixiao.inputs.settings``): （一）…;
- ``item`` rows are numbered 一是, 二是, …; ``paragraph`` rows are plain paragraphs;
- in the text, ``{key}`` is the ``stats`` figure of that key (unit, qualifier, numerals and
  provenance), ``{a+b}`` the derived sum of two or more stats (written with the first one's
  unit), ``{year}`` and ``{unit_name}`` the report's year and unit name.

Charts are declared per theme in ``params/<unit>/unit.yaml`` (``themes.<key>.charts``); the table
of changes compares every stats key of the theme present in both this year and the last, except
the settings (``kind`` 设定), and its sentence names the changes the unit's ``notable_changes`` call
notable, judged on the table's own figures.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pandas as pd

from jixiao import formatting, paths
from jixiao.sections.report import Report
from jixiao.writing import charts as charts_module
from jixiao.writing.provenance import Figure, Html, Source, escape, render, render_text, table_html

ILLUSTRATIVE = "illustrative"
ILLUSTRATIVE_TAG = '<span class="jx-illustrative" title="本段为示例文字，非公开发布内容">示例</span>'
"""Appended to a narrative row whose ``source`` is illustrative: the report's 示 marker style,
and readable without CSS. The paragraph itself gets the class ``jx-illustrative-text``."""

CHART_KINDS = {"bar": "柱状图", "grouped_bar": "柱状图", "hbar": "条形图"}
"""Chart kinds of ``themes.<key>.charts`` and the word the alt text starts with."""

PLAIN_FIELDS = ("year", "unit_name")
"""Placeholders filled with plain text, not with a stats figure."""

_KEY = r"[A-Za-z_][A-Za-z0-9_]*"
_TOKEN = re.compile(r"\{\{|\}\}|\{(" + _KEY + r"(?:\s*\+\s*" + _KEY + r")*)\}")
SUMMARY_TOP = 3
"""How many of the notable increases (and decreases) the summary sentence names; it counts the
others (…等5项)."""
SETTING = "设定"
"""``stats.kind`` of a rule or standard (高龄津贴起始年龄), not a result: never compared."""
SMALL_COUNT = 10
"""A whole count below this last year is compared by its two numbers (由1条增至2条), not by a
rate."""


class ThemeError(ValueError):
    """Narrative, stats or settings that a themed section cannot be written from."""


# -- narrative rows -----------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A cell as stripped text; "" for a blank (None, NaN, NA)."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    return str(value).strip()


def _is_illustrative(row: Mapping[str, Any]) -> bool:
    return cell_text(row.get("source")).lower() == ILLUSTRATIVE


def row_source(row: Mapping[str, Any], column: str = "text", label: str = "内容") -> Source:
    """Where a narrative row's text is: file, sheet, row, column."""
    number = row.get("_row")
    return Source(
        file=cell_text(row.get("_file")),
        sheet=cell_text(row.get("_sheet")),
        row=None if number is None or pd.isna(number) else int(number),
        column=column,
        column_label=label,
    )


def section_rows(report: Report, section: str) -> list[dict[str, Any]]:
    """The narrative rows of ``section``, in their ``order`` (input order among equals). The
    section depends on these rows alone: editing another section's text leaves it be."""
    rows = report.data.rows("narrative", "section", section)
    rows = rows.assign(_pos=range(len(rows))).sort_values(["order", "_pos"], na_position="last")
    return [dict(r) for _, r in rows.drop(columns="_pos").iterrows()]


def _stat_row(stats: pd.DataFrame, key: str) -> Mapping[str, Any] | None:
    match = stats[stats["key"] == key]
    return None if match.empty else match.iloc[0]


def _sum_figure(stats: pd.DataFrame, keys: list[str], where: str) -> Figure:
    """``{a+b}``: the sum of the stats ``keys``, written with the first one's unit."""
    from jixiao.inputs.validation import UNITS_DIFFER, mixed_units

    figures = [Figure.stat(stats, k) for k in keys]
    rows = [_stat_row(stats, k) for k in keys]
    units = {k: cell_text(r["unit"]) for k, r in zip(keys, rows, strict=True)}  # type: ignore[index]
    listed = mixed_units(units, keys)
    if listed:
        raise ThemeError(f"{where}：{UNITS_DIFFER}：{listed}")
    if any(f.value is None for f in figures):
        value: float | int | None = None
    else:
        total = sum((Decimal(repr(f.value)) for f in figures), Decimal(0))
        value = int(total) if total == total.to_integral_value() else float(total)
    qualifiers = {cell_text(r.get("qualifier")) for r in rows} - {""}  # type: ignore[union-attr]
    approx = formatting.APPROX in qualifiers
    qualifier = formatting.APPROX if approx else next(iter(sorted(qualifiers)), None)
    return Figure.derive(
        value,
        " + ".join(f.label for f in figures),
        figures,
        label="、".join(f.label for f in figures) + "合计",
        text=formatting.format_value(value, units[keys[0]], qualifier),
    )


def fill(report: Report, row: Mapping[str, Any]) -> Html:
    """A narrative row's text with every placeholder filled (see the module's docstring).

    A key that names no stats row raises :class:`ThemeError` naming the row and the key.
    """
    where = f"文字材料表（narrative）{row_source(row).describe()}"
    text = cell_text(row.get("text"))
    keys = placeholder_keys(text)
    stats = report.data.among("stats", "key", keys)  # the text depends on its statistics alone
    if any(_stat_row(stats, k) is None for k in keys):  # it fails, naming the table's file
        stats = report.data.stats
    template, values = _placeholders(stats, text, where, report.unit, report.year, report.unit_name)
    return render(template, values)


def placeholder_keys(text: str) -> list[str]:
    """The stats keys the placeholders of ``text`` name (``{a}``, ``{a+b}``), in order."""
    keys = []
    for m in _TOKEN.finditer(formatting.quotes(text)):
        if m.group(1) is not None:
            keys += [k.strip() for k in m.group(1).split("+")]
    return [k for k in dict.fromkeys(keys) if k not in PLAIN_FIELDS]


def fill_text(text: str, stats: pd.DataFrame, unit: str, year: int, unit_name: str) -> str:
    """``text`` filled as :func:`fill` fills it, as plain text (each figure's text, as the report
    writes it): the workbook's 实际完成情况. A placeholder the report could not fill (an unknown
    key: the inputs' check reports it) leaves the text as typed."""
    try:
        template, values = _placeholders(stats, text, "", unit, year, unit_name)
    except ThemeError:
        return text
    return render_text(template, values)


def _placeholders(stats: pd.DataFrame, text: str, where: str, unit: str, year: int,
                  unit_name: str) -> tuple[str, dict[str, Figure | str]]:  # fmt: skip
    """``text`` (its quotes made Chinese) as a template for ``provenance.render``, and its values:
    ``{year}``, ``{unit_name}``, each ``{key}`` the stats row's figure, each ``{a+b}`` their sum."""
    template = formatting.quotes(text)
    values: dict[str, Figure | str] = {"year": str(year), "unit_name": unit_name}
    out: list[str] = []
    pos = 0
    for m in _TOKEN.finditer(template):
        out.append(template[pos : m.start()])
        pos = m.end()
        if m.group(1) is None:  # {{ or }}: kept for render()
            out.append(m.group(0))
            continue
        keys = [k.strip() for k in m.group(1).split("+")]
        name = "__".join(keys)
        if len(keys) == 1 and keys[0] in PLAIN_FIELDS:
            out.append("{" + name + "}")
            continue
        missing = [k for k in keys if _stat_row(stats, k) is None]
        if missing:
            file = stats["_file"].iloc[0] if len(stats) else paths.relative(paths.data_dir(unit, year))
            raise ThemeError(
                f"{where}：占位符 {{{m.group(1)}}} 中的指标键 {missing[0]!r} "
                f"在{year}年业务统计表（stats，{file}）中不存在"
            )
        if name not in values:
            values[name] = Figure.stat(stats, keys[0]) if len(keys) == 1 else _sum_figure(stats, keys, where)
        out.append("{" + name + "}")
    out.append(template[pos:])
    return "".join(out), values


def _paragraph(report: Report, row: Mapping[str, Any], lead: str = "") -> str:
    illustrative = _is_illustrative(row)
    cls = "jx-narrative jx-illustrative-text" if illustrative else "jx-narrative"
    tag = ILLUSTRATIVE_TAG if illustrative else ""
    anchor = escape(row_source(row).anchor())
    return f'<p class="{cls}" data-source="{anchor}">{escape(lead)}{fill(report, row)}{tag}</p>'


def paragraphs(report: Report, rows: list[dict[str, Any]]) -> Html:
    """``item`` rows as 一是…, 二是… paragraphs, ``paragraph`` rows as plain ones, in order."""
    out, n = [], 0
    items = sum(cell_text(row.get("kind")) == "item" for row in rows)
    for row in rows:
        kind = cell_text(row.get("kind"))
        if kind == "title":
            continue
        if kind == "item":
            n += 1  # a lone item is not counted off: 一是 with no 二是 is not said
            out.append(_paragraph(report, row, formatting.ordinal_item(n) if items > 1 else ""))
        elif kind == "paragraph":
            out.append(_paragraph(report, row))
        else:
            where = row_source(row, "kind", "类型").describe()
            raise ThemeError(f"文字材料表（narrative）{where}：未知类型 {kind!r}（应为 title、item 或 paragraph）")
    return Html("\n".join(out))


# -- the section --------------------------------------------------------------------------------


def heading(report: Report, theme: str) -> Html:
    """``<h2><span class="jx-number">（一）</span>底线民生保障坚定有力</h2>``: the number the
    settings give the theme and its ``title`` row. The stitcher numbers every heading of the
    report again from the settings (``jixiao.render.html``); the number here is for the notebook
    seen on its own, in JupyterLab."""
    titles = [r for r in section_rows(report, theme) if cell_text(r.get("kind")) == "title"]
    if not titles:
        file = paths.relative(paths.data_dir(report.unit, report.year))
        raise ThemeError(f"文字材料表（narrative，{file}）中没有主题 {theme!r} 的标题行（section={theme}，kind=title）")
    row = titles[0]
    number = report.number("theme", theme)
    number = f'<span class="jx-number">{escape(number)}</span>' if number else ""
    if not _is_illustrative(row):
        return Html(f"<h2>{number}{fill(report, row)}</h2>")
    anchor = escape(row_source(row).anchor())
    return Html(
        f'<h2 class="jx-illustrative-text" data-source="{anchor}">{number}{fill(report, row)}{ILLUSTRATIVE_TAG}</h2>'
    )


def items(report: Report, theme: str) -> Html:
    """The theme's narrative: 一是…, 二是… items and plain paragraphs, figures as spans."""
    return paragraphs(report, section_rows(report, theme))


# -- charts -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChartSpec:
    """One chart of ``themes.<key>.charts``, checked."""

    kind: str
    title: str
    keys: tuple[str, ...]
    unit: str
    where: str


def _unit_settings_file(report: Report) -> str:
    files = report.settings.files
    return paths.relative(files[0]) if files else f"params/{report.unit}/unit.yaml"


def chart_specs(report: Report, theme: str) -> list[ChartSpec]:
    """The theme's charts from the settings, each checked: known kind, keys present this year,
    one unit per chart (one value axis)."""
    entries = report.settings.theme(theme).get("charts") or []
    listed = [str(k) for entry in entries if isinstance(entry, dict) for k in entry.get("keys") or []]
    stats = report.data.among("stats", "key", listed)
    specs = []
    for i, entry in enumerate(entries, start=1):
        title = cell_text((entry or {}).get("title"))
        where = f"{_unit_settings_file(report)} themes.{theme}.charts 第{i}项（{title or f'图{i}'}）"
        kind = cell_text(entry.get("kind"))
        if kind not in CHART_KINDS:
            raise ThemeError(f"{where}：未知图表类型 {kind!r}（可用：{'、'.join(CHART_KINDS)}）")
        keys = tuple(str(k) for k in entry.get("keys") or [])
        if not keys:
            raise ThemeError(f"{where}：未列出指标键（keys）")
        units = {}
        for key in keys:
            row = _stat_row(stats, key)
            if row is None:
                raise ThemeError(f"{where}：指标键 {key!r} 在{report.year}年业务统计表（stats）中不存在")
            units[key] = cell_text(row["unit"])
        if len(set(units.values())) > 1:
            listed = "、".join(f"{k}（{u}）" for k, u in units.items())
            raise ThemeError(f"{where}：同一图表的指标计量单位不同，不能共用一个坐标轴：{listed}")
        # untitled: named by what it shows (a caption carries no number of its own: the page numbers it)
        title = title or "、".join(cell_text(_stat_row(stats, k)["label"]) or k for k in keys)  # type: ignore[index]
        specs.append(ChartSpec(kind, title, keys, units[keys[0]], where))
    return specs


def _illustrative_note(years: list[int], figures: list[Figure]) -> str:
    if not any(f.illustrative for f in figures):
        return ""
    return f"（{'、'.join(str(y) for y in years)}年含示例数据，非公开发布数）"


def _year_figures(report: Report, spec: ChartSpec) -> dict[int, list[Figure | None]]:
    """grouped_bar: per year with data (oldest first), the figure of each key, None if absent."""
    by_year: dict[int, list[Figure | None]] = {}
    for r in report.history():
        stats = r.data.among("stats", "key", spec.keys)
        row_figures: list[Figure | None] = []
        for key in spec.keys:
            row = _stat_row(stats, key)
            if row is None:
                row_figures.append(None)
                continue
            if cell_text(row["unit"]) != spec.unit:
                raise ThemeError(
                    f"{spec.where}：指标键 {key!r} 在{r.year}年的计量单位为"
                    f" {cell_text(row['unit'])!r}，"
                    f"与{report.year}年的 {spec.unit!r} 不同"
                )
            row_figures.append(Figure.stat(stats, key))
        if r is report or any(f is not None for f in row_figures):
            by_year[r.year] = row_figures
    return by_year


def chart(report: Report, theme: str, spec: ChartSpec) -> charts_module.Chart:
    """One chart of the theme, captioned with its title (the stitched page numbers it: 图3 …), its
    alt text stating the data."""
    stats = report.data.among("stats", "key", spec.keys)
    labels = [cell_text(_stat_row(stats, k)["label"]) or k for k in spec.keys]  # type: ignore[index]
    caption = spec.title  # numbered with every figure of the report when the page is stitched
    word = CHART_KINDS[spec.kind]
    if spec.kind == "grouped_bar":
        by_year = _year_figures(report, spec)
        series = {f"{year}年": figures for year, figures in by_year.items()}
        shown = [f for figs in by_year.values() for f in figs if f is not None]
        ill_years = [y for y, figs in by_year.items() if any(f and f.illustrative for f in figs)]
        return charts_module.grouped_bar(
            labels, series, title=spec.title, ylabel=spec.unit, unit=spec.unit,
            alt=charts_module.series_alt_text(word, labels, series, spec.unit),
            caption=formatting.with_note(caption, _illustrative_note(ill_years, shown)),
        )  # fmt: skip
    figures = [Figure.stat(stats, k) for k in spec.keys]
    alt = charts_module.alt_text(f"{word}（{report.year}年）", labels, figures, spec.unit)
    caption = formatting.with_note(caption, _illustrative_note([report.year], figures))
    draw = charts_module.bar if spec.kind == "bar" else charts_module.hbar
    axis = {"ylabel": spec.unit} if spec.kind == "bar" else {"xlabel": spec.unit}
    return draw(labels, figures, title=spec.title, unit=spec.unit, alt=alt, caption=caption, **axis)


def charts(report: Report, theme: str) -> Html:
    """The theme's charts from the unit's settings; empty when it declares none."""
    specs = chart_specs(report, theme)
    return Html("\n".join(str(chart(report, theme, s).html()) for s in specs))


# -- change from last year ----------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One stats key of the theme, last year against this year."""

    key: str
    label: str
    unit: str
    qualifiers: tuple[str, str]
    """约 or 多 of last year's and this year's figure, if so qualified ("" if not)."""
    before: Figure
    now: Figure
    change: Figure
    rate: Figure


def _dec(value: float | int) -> Decimal:
    return Decimal(repr(value))


def _relabel(figure: Figure, year: int) -> Figure:
    return replace(figure, label=f"{year}年{figure.label}")


def change_rows(report: Report, theme: str) -> list[Change]:
    """Every stats key of the theme present in both years with one unit, in this year's order;
    not the settings (``kind`` 设定: 高龄津贴起始年龄 is a rule, not a result)."""
    previous = report.previous
    if previous is None:
        return []
    own = report.data.rows("stats", "section", theme)
    own = own[own["kind"] != SETTING]
    keys = [str(k) for k in own["key"]]
    stats, before_stats = report.data.among("stats", "key", keys), previous.data.among("stats", "key", keys)
    rows = []
    for key in own["key"]:
        old = _stat_row(before_stats, key)
        if old is None:
            continue
        new = _stat_row(stats, key)
        unit = cell_text(new["unit"])  # type: ignore[index]
        if cell_text(old["unit"]) != unit:
            continue
        now = _relabel(Figure.stat(stats, key), report.year)
        before = _relabel(Figure.stat(before_stats, key), previous.year)
        if now.value is None or before.value is None:
            continue
        label = cell_text(new["label"]) or key  # type: ignore[index]
        qualifiers = (cell_text(old.get("qualifier")), cell_text(new.get("qualifier")))  # type: ignore[union-attr]
        diff = _dec(now.value) - _dec(before.value)
        approximate = any(qualifiers)
        small = (
            unit not in (formatting.WANYUAN, formatting.PERCENT) and abs(before.value) < SMALL_COUNT
            and all(_dec(v) == _dec(v).to_integral_value() for v in (before.value, now.value))
        )  # fmt: skip
        phrase = formatting.change_phrase(now.value, before.value, unit)
        if approximate and phrase != "持平":  # 1000多 → 1500多: the difference is only roughly known
            phrase = phrase[:2] + formatting.APPROX + phrase[2:]
        elif small and diff:  # 由1条增至2条: the two numbers say more than a rate of 100%
            written = [formatting.format_value(v, unit) for v in (before.value, now.value)]
            phrase = formatting.from_to_phrase(*written, now.value, before.value)
        change = Figure.derive(
            float(diff), f"{now.label} − {before.label}", [now, before], label=f"{label}变动", text=phrase,
        )  # fmt: skip
        formula = f"({now.label} − {before.label}) ÷ {before.label}"
        if approximate:
            rate = Figure.derive(None, f"{formula}：约数、多数不计算同比", [now, before], label=f"{label}同比",
                                 text=formatting.MISSING, illustrative=False)  # fmt: skip
        elif small:
            rate = Figure.derive(
                None, f"{formula}：上年不足{SMALL_COUNT}，不计算同比，写明两年的数", [now, before],
                label=f"{label}同比", text=formatting.MISSING, illustrative=False,
            )  # fmt: skip
        else:
            rate_value = float(diff / abs(_dec(before.value))) if before.value else None
            rate = Figure.derive(
                rate_value, formula, [now, before], label=f"{label}同比",
                text=formatting.yoy_phrase(now.value, before.value),
            )  # fmt: skip
        rows.append(Change(key, label, unit, qualifiers, before, now, change, rate))
    return rows


def _ratio(row: Change) -> Decimal | None:
    """The size of the change against last year's figure, as the table writes a rate (0.1 of a
    percent: 9.98% is the 10.0% it shows); None when last year was 0."""
    before = abs(_dec(row.before.value))  # type: ignore[arg-type]
    if not before:
        return None
    diff = abs(_dec(row.now.value) - _dec(row.before.value))  # type: ignore[arg-type]
    return (diff / before).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def notable(row: Change, limits: Mapping[str, float]) -> bool:
    """A change the summary names (the unit's ``notable_changes``): a percentage that moved by
    at least ``points`` 百分点; a count or an amount by at least ``rate`` of last year's figure
    (anything from 0), an amount by at least ``amount`` 万元 too (0.3万元 never is)."""
    diff = abs(_dec(row.now.value) - _dec(row.before.value))  # type: ignore[arg-type]
    if not diff:
        return False
    if row.unit == formatting.PERCENT:
        return diff >= _dec(limits["points"])
    if row.unit == formatting.WANYUAN and diff < _dec(limits["amount"]):
        return False
    ratio = _ratio(row)
    return ratio is None or ratio >= _dec(limits["rate"])


def _entry(row: Change, values: dict[str, Figure | str]) -> str:
    """``流浪乞讨救助金增加75.5万元（增长87.3%）``: the change, and its rate where the table gives one
    (not for a percentage, whose change is in 百分点); the sentence already says 与…年相比."""
    n = len(values)
    values[f"v{n}"] = row.change
    text = row.label.replace("{", "{{").replace("}", "}}") + f"{{v{n}}}"
    growth = formatting.growth_phrase(row.now.value, row.before.value)  # type: ignore[arg-type]
    if row.rate.value is not None and growth and row.unit != formatting.PERCENT:
        values[f"v{n + 1}"] = replace(row.rate, text=growth)
        text += f"（{{v{n + 1}}}）"
    return text


def summary_sentence(report: Report, rows: list[Change]) -> Html:
    """One sentence over exactly the rows of the table: the notable increases and decreases
    (:func:`notable`), the largest first (:data:`SUMMARY_TOP` named, the others counted), or
    that none is notable."""
    previous = report.previous
    if previous is None or not rows:
        return Html("")
    limits = report.settings.notable_changes
    values: dict[str, Figure | str] = {}
    parts = []
    for name, sign in (("增幅较大的有", 1), ("降幅较大的有", -1)):
        chosen = [r for r in rows if notable(r, limits) and (_dec(r.now.value) - _dec(r.before.value)) * sign > 0]
        chosen.sort(key=lambda r: -(Decimal("Infinity") if _ratio(r) is None else _ratio(r)))  # from 0: first
        if not chosen:
            continue
        listed = "、".join(_entry(r, values) for r in chosen[:SUMMARY_TOP])
        if len(chosen) > SUMMARY_TOP:
            key = f"v{len(values)}"
            values[key] = Figure.derive(
                len(chosen), f"{name[:4]}的指标：" + "、".join(r.label for r in chosen), [r.change for r in chosen],
                label=f"{name[:4]}的指标个数", text=f"{len(chosen)}项",
            )  # fmt: skip
            listed += f"等{{{key}}}"
        parts.append(name + listed)
    if not parts:
        return render(f"与{previous.year}年相比，本部分各项指标均无较大变化。", values)
    return render(f"与{previous.year}年相比，" + "；".join(parts) + "。", values)


def _bare(figure: Figure, qualifier: str, unit: str = "") -> Figure:
    """The figure without its measure word, for a table whose 指标 column names the unit
    (``223``, ``约121.6``; Chinese numerals are written in Arabic there; an amount in 万元 with
    two decimals, as every table writes amounts, unless it is approximate: 约121.6)."""
    if figure.value is None:
        return replace(figure, text=formatting.MISSING)
    exact = unit == formatting.WANYUAN and not qualifier
    shown = formatting.number(figure.value, 2) if exact else formatting.natural(figure.value)
    return replace(figure, text=formatting.qualified(shown, qualifier))


def lacks_last_year(report: Report, theme: str) -> bool:
    """Whether theme ``theme`` has nothing to compare with last year: no data of last year, or
    none of its figures in it."""
    return report.previous is None or not change_rows(report, theme)


def writes_last_year_note(report: Report, theme: str) -> bool:
    """Whether theme ``theme``, lacking last year's data, says so (settings key ``last_year_note``):
    ``each`` theme that lacks it, ``never``, or (``once``, the default) only the first theme of the
    settings' sections that lacks it. Decided from the settings and the data alone, so each
    section's notebook, run and cached on its own, comes to the same answer."""
    report.settings.part("last_year_note")  # recorded as read: a change re-runs the themes
    mode = report.settings.last_year_note
    if mode != "once":
        return mode == "each"
    themed = [s.key for s in report.settings.sections if s.kind == "theme"]
    return next((key for key in themed if lacks_last_year(report, key)), None) == theme


def changes(report: Report, theme: str) -> Html:
    """指标 | 上年 | 本年 | 变动 | 同比 for every key of the theme in both years, and a summary.

    Without last year's data: a one-line note, where :func:`writes_last_year_note` says so.
    """
    previous = report.previous
    if previous is None:
        if not writes_last_year_note(report, theme):
            return Html("")
        return Html(f'<p class="jx-hint">无{report.year - 1}年数据，不作同比分析。</p>')
    rows = change_rows(report, theme)
    if not rows:
        if not writes_last_year_note(report, theme):
            return Html("")
        note = f"本部分指标在{previous.year}年无可比数据，不作同比分析。"
        return Html(f'<p class="jx-hint">{note}</p>')
    cells = [
        [f"{r.label}（{r.unit}）" if r.unit else r.label,
         _bare(r.before, r.qualifiers[0], r.unit), _bare(r.now, r.qualifiers[1], r.unit), r.change, r.rate]
        for r in rows
    ]  # fmt: skip
    table = table_html(
        cells,
        ["指标", f"上年（{previous.year}年）", f"本年（{report.year}年）", "变动", "同比"],
        caption="主要指标与上年对比",
        numeric_columns=[f"上年（{previous.year}年）", f"本年（{report.year}年）"],
    )
    return Html(f"{table}\n<p>{summary_sentence(report, rows)}</p>")


__all__ = [
    "ThemeError", "changes", "charts", "fill", "heading", "items", "lacks_last_year", "paragraphs",
    "writes_last_year_note",
]  # fmt: skip
