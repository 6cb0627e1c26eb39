"""Every figure in the report traceable to a cell of the inputs, or to a formula over such figures.

A :class:`Figure` is a value, the text the report shows for it, and where it comes from:
a :class:`Source` (file, sheet, row, column) for a figure read from the inputs, or a formula and
its input figures for a derived one. ``Figure.html()`` writes the text as
``<span class="jx-fig" data-source="…" title="…">``: the tooltip says where the number comes from,
``data-source`` says it to a machine.

:func:`render` fills a narrative template's ``{key}`` placeholders with figure spans, and
:func:`table_html` writes a table whose cells may be figures. Both return :class:`Html`, which
notebooks display as HTML.
"""

from __future__ import annotations

import html as _html
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from numbers import Real
from typing import Any

import pandas as pd

from jixiao import formatting

ILLUSTRATIVE = "illustrative"
INDENT = "  "


# -- HTML ---------------------------------------------------------------------------------------


class Html(str):
    """A string of HTML: displayed as HTML in a notebook, inserted unescaped by :func:`render`."""

    __slots__ = ()

    def _repr_html_(self) -> str:
        return str(self)

    def __html__(self) -> str:  # the markupsafe / Jinja protocol
        return str(self)


def escape(text: object) -> str:
    """HTML-escaped text (quotes too); an :class:`Html` value passes through unchanged."""
    if isinstance(text, Html):
        return str(text)
    return _html.escape(str(text), quote=True)


def _attr(text: str) -> str:
    """Escaped for an attribute value; newlines kept as ``&#10;`` so tooltips keep their lines."""
    return _html.escape(text, quote=True).replace("\r\n", "\n").replace("\n", "&#10;")


def _url_part(text: str) -> str:
    """A value for ``data-source``'s ``k=v&…`` part: only the separators are percent-encoded."""
    return text.replace("%", "%25").replace("&", "%26").replace("=", "%3D").replace("#", "%23")


# -- sources ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """A cell of the inputs: file (relative to the project root), sheet, row, column.

    ``row`` is the row as the user sees it in a spreadsheet (header = 1, first data row = 2).
    """

    file: str
    sheet: str = ""
    row: int | None = None
    column: str | None = None
    column_label: str | None = None

    def describe(self) -> str:
        """Where the figure is, for a reader.

        >>> Source("data/lechang-mzj/2019/stats.csv", "", 5, "value", "数值").describe()
        'data/lechang-mzj/2019/stats.csv 第5行 数值(value)'
        >>> Source("data/lechang-mzj/2019/data.xlsx", "业务统计", 5, "value", "数值").describe()
        'data/lechang-mzj/2019/data.xlsx [业务统计] 第5行 数值(value)'
        >>> Source("params/lechang-mzj/2019.yaml", column="score").describe()
        'params/lechang-mzj/2019.yaml score'
        """
        parts = [self.file]
        if self.sheet:
            parts.append(f"[{self.sheet}]")
        if self.row is not None:
            parts.append(f"第{self.row}行")
        if self.column:
            label = self.column_label
            named = label and label != self.column
            parts.append(f"{label}({self.column})" if named else self.column)
        return " ".join(parts)

    def anchor(self) -> str:
        """Where the figure is, for a machine: ``file#sheet=…&row=…&col=…``.

        >>> Source("data/lechang-mzj/2019/stats.csv", "", 5, "value").anchor()
        'data/lechang-mzj/2019/stats.csv#row=5&col=value'
        >>> Source("data/x/2019/data.xlsx", "业务统计", 5, "value").anchor()
        'data/x/2019/data.xlsx#sheet=业务统计&row=5&col=value'
        """
        query = []
        if self.sheet:
            query.append(f"sheet={_url_part(self.sheet)}")
        if self.row is not None:
            query.append(f"row={self.row}")
        if self.column:
            query.append(f"col={_url_part(self.column)}")
        return self.file + ("#" + "&".join(query) if query else "")


# -- figures ------------------------------------------------------------------------------------


def _plain(value: Any) -> float | int | None:
    """A cell's value as a Python number (numpy scalars unwrapped); None when missing."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if isinstance(value, Real):
        return float(value)
    if isinstance(value, str):
        try:
            f = float(value)
        except ValueError:
            raise TypeError(f"not a number: {value!r}") from None
        return None if math.isnan(f) else (int(f) if f.is_integer() and "." not in value else f)
    raise TypeError(f"not a number: {value!r}")


def _text_of(value: float | int | None) -> str:
    return formatting.MISSING if value is None else formatting.natural(value)


def _is_illustrative(row: Mapping[str, Any]) -> bool:
    src = row.get("source")
    return isinstance(src, str) and src.strip().lower() == ILLUSTRATIVE


def _cell_str(row: Mapping[str, Any], column: str) -> str:
    v = row.get(column)
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
        return ""
    return str(v)


def _cell_row(row: Mapping[str, Any]) -> int | None:
    v = row.get("_row")
    try:
        return None if v is None or pd.isna(v) else int(v)
    except (TypeError, ValueError):
        return None


def _table_of(file: str, sheet: str) -> str | None:
    """The table a row was read from: the sheet's name, or the CSV file's stem."""
    if sheet:
        return sheet
    name = file.rsplit("/", 1)[-1]
    return name[:-4] if name.endswith(".csv") else None


def _schema_label(column: str, table: str | None = None) -> str | None:
    """A column's Chinese label from ``jixiao.schema``, if that module exists and knows it.

    ``table`` is a table key or Chinese sheet name; without one (or if it is unknown) the label
    is used only when every table having that column gives it the same label.
    """
    try:
        from jixiao import schema
    except ImportError:  # pragma: no cover - schema is written alongside this module
        return None
    try:
        if table:
            found = schema.table_by_name(table)
            if found is not None and column in found.keys:
                return found.column(column).label
        labels = {t.column(column).label for t in schema.TABLES.values() if column in t.keys}
        return labels.pop() if len(labels) == 1 else None
    except Exception:  # another module's API must never break a figure
        return None


@dataclass(frozen=True)
class Figure:
    """A number shown in the report, with where it comes from.

    - ``value``: the number (None when missing); ``text``: what the report shows (``653名``);
    - ``label``: what it is, in Chinese (``农村散居特困供养人员``);
    - ``source``: the input cell, for a figure read from the inputs;
    - ``formula`` and ``inputs``: for a derived figure (``全年执行数 ÷ 全年预算数``);
    - ``illustrative``: the figure (or one it is derived from) was supplied, not published.
    """

    value: float | int | None
    text: str
    label: str = ""
    source: Source | None = None
    formula: str | None = None
    inputs: tuple[Figure, ...] = field(default=())
    illustrative: bool = False

    def __str__(self) -> str:
        return self.text

    # -- constructors ---------------------------------------------------------------------------

    @classmethod
    def cell(
        cls,
        df: pd.DataFrame,
        index: Any,
        column: str,
        *,
        label: str | None = None,
        text: str | None = None,
        fmt: Callable[[Any], str] | None = None,
        column_label: str | None = None,
        table: str | None = None,
    ) -> Figure:
        """The figure in ``df.loc[index, column]``, sourced from its row's provenance columns.

        ``text`` wins over ``fmt(value)``, which wins over the plain number. ``label`` defaults
        to the column's Chinese label: ``column_label``, else ``jixiao.schema``'s for ``table``
        (by default the row's sheet or CSV file), else the column key. A row whose ``source``
        is ``illustrative`` gives an illustrative figure.
        """
        row = df.loc[index]
        if isinstance(row, pd.DataFrame):
            raise ValueError(f"index {index!r} is not unique in this table")
        value = _plain(row[column])
        file, sheet = _cell_str(row, "_file"), _cell_str(row, "_sheet")
        col_label = column_label or _schema_label(column, table or _table_of(file, sheet))
        src = Source(
            file=file,
            sheet=sheet,
            row=_cell_row(row),
            column=column,
            column_label=col_label,
        )
        if text is None:
            text = fmt(value) if fmt is not None and value is not None else _text_of(value)
        return cls(
            value=value,
            text=text,
            label=label or col_label or column,
            source=src,
            illustrative=_is_illustrative(row),
        )

    @classmethod
    def stat(cls, stats_df: pd.DataFrame, key: str) -> Figure:
        """The ``stats`` row of ``key``: written with its unit, qualifier and numerals, labelled."""
        matches = stats_df.index[stats_df["key"] == key]
        if len(matches) == 0:
            raise KeyError(f"no stats row with key {key!r}")
        if len(matches) > 1:
            raise ValueError(f"{len(matches)} stats rows with key {key!r}; keys must be unique")
        index = matches[0]
        row = stats_df.loc[index]
        value = _plain(row["value"])
        text = formatting.format_value(
            value,
            _cell_str(row, "unit"),
            _cell_str(row, "qualifier") or None,
            _cell_str(row, "numerals") or None,
        )
        return cls.cell(
            stats_df,
            index,
            "value",
            label=_cell_str(row, "label") or key,
            text=text,
            column_label="数值",
        )

    @classmethod
    def derive(
        cls,
        value: float | int | None,
        formula: str,
        inputs: Iterable[Figure],
        *,
        label: str,
        text: str | None = None,
        illustrative: bool | None = None,
    ) -> Figure:
        """A computed figure: its formula over the labels of its ``inputs``.

        It is illustrative when any input is, unless ``illustrative`` says otherwise.
        """
        ins = tuple(inputs)
        return cls(
            value=value,
            text=_text_of(value) if text is None else text,
            label=label,
            formula=formula,
            inputs=ins,
            illustrative=any(i.illustrative for i in ins) if illustrative is None else illustrative,
        )

    # -- output ---------------------------------------------------------------------------------

    def substituted(self) -> str | None:
        """The formula with each input's label replaced by its text, then ``= result``."""
        if not self.formula:
            return None
        labels = [i.label for i in self.inputs if i.label]
        # a label shared by several inputs (the rows of a sum) cannot say which number it stands for
        by_label = {i.label: i.text for i in self.inputs if i.label and labels.count(i.label) == 1}
        if not by_label:
            return None
        labels = sorted(by_label, key=len, reverse=True)  # longest first: 全年预算数 before 预算数
        pattern = re.compile("|".join(re.escape(k) for k in labels))
        out = pattern.sub(lambda m: by_label[m.group(0)], self.formula)
        if out == self.formula:
            return None
        return f"{out} = {self.text}"

    def provenance(self) -> str:
        """The tooltip: label and text, then the source, or the formula, its numbers and inputs."""
        head = f"{self.label}：{self.text}" if self.label else self.text
        lines = [head]
        if self.illustrative:
            lines[0] += "（示例数据，非公开发布数）"
        if self.source is not None:
            lines.append(f"来源：{self.source.describe()}")
        if self.formula:
            lines.append(f"计算：{self.formula}")
            lines.append(f"{INDENT}= {self.substituted() or self.text}")
            for i in self.inputs:
                lines.extend(INDENT + line for line in i.provenance().splitlines())
        if self.source is None and not self.formula:
            lines.append("来源：未注明")
        return "\n".join(lines)

    def data_source(self) -> str:
        """Machine-readable origin: ``file#row=…&col=…``, or ``formula:…``; empty if neither."""
        if self.source is not None:
            return self.source.anchor()
        if self.formula:
            return f"formula:{self.formula}"
        return ""

    def html(self) -> Html:
        """``<span class="jx-fig" data-source="…" title="…">text</span>``, all escaped."""
        cls = "jx-fig jx-illustrative" if self.illustrative else "jx-fig"
        ds = self.data_source()
        ds_attr = f' data-source="{_attr(ds)}"' if ds else ""
        return Html(f'<span class="{cls}"{ds_attr} title="{_attr(self.provenance())}">{escape(self.text)}</span>')

    def _repr_html_(self) -> str:
        return str(self.html())


# -- rendering ----------------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _fragment(value: object) -> str:
    if isinstance(value, Figure):
        return str(value.html())
    if isinstance(value, Html):
        return str(value)
    if isinstance(value, bool) or not isinstance(value, Real):
        return escape(value)
    return escape(formatting.natural(value)) if not formatting._is_missing(value) else ""


def render(template: str, figures: Mapping[str, Figure | Html | str | int | float]) -> Html:
    """``template`` with ``{key}`` replaced by the figure's span; the rest of the text escaped.

    Values may also be plain text (escaped) or :class:`Html` (inserted as is); ``{{``/``}}``
    write literal braces. A key with no value raises ``KeyError`` naming it.

    >>> f = Figure(653, "653名", "人员")
    >>> print(render("共<{n}>{{注}}", {"n": f}))
    共&lt;<span class="jx-fig" title="人员：653名&#10;来源：未注明">653名</span>&gt;{注}
    """
    out: list[str] = []
    pos = 0
    for m in _PLACEHOLDER.finditer(template):
        out.append(escape(template[pos : m.start()]))
        token = m.group(0)
        if token == "{{":
            out.append("{")
        elif token == "}}":
            out.append("}")
        else:
            key = m.group(1)
            if key not in figures:
                raise KeyError(f"placeholder {{{key}}} has no figure; known: {sorted(figures)}")
            out.append(_fragment(figures[key]))
        pos = m.end()
    out.append(escape(template[pos:]))
    return Html("".join(out))


def _is_numeric(value: object) -> bool:
    if isinstance(value, Figure):
        return value.value is not None or value.text == formatting.MISSING
    return isinstance(value, Real) and not isinstance(value, bool)


def _empty(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value == ""


def table_html(
    rows: Sequence[Mapping[str, Any] | Sequence[Any]],
    columns: Sequence[str],
    caption: str | None = None,
    numeric_columns: Iterable[str] | None = None,
    *,
    footer: Mapping[str, Any] | Sequence[Any] | None = None,
) -> Html:
    """A ``<table class="jx-table">``: rows as dicts (keyed by column) or lists (in column order).

    Cells may be :class:`Figure` (their span), :class:`Html`, numbers (natural precision) or text.
    Numeric columns are right-aligned (``class="num"``); by default those whose non-empty cells
    are all numbers or figures. ``footer`` is a totals row.

    >>> print(table_html([["低保户", 223]], ["项目", "户数"], caption="表1"))
    <table class="jx-table">
    <caption>表1</caption>
    <thead><tr><th>项目</th><th class="num">户数</th></tr></thead>
    <tbody>
    <tr><td>低保户</td><td class="num">223</td></tr>
    </tbody>
    </table>
    """
    cols = list(columns)

    def cells(row: Mapping[str, Any] | Sequence[Any]) -> list[Any]:
        if isinstance(row, Mapping):
            return [row.get(c) for c in cols]
        vals = list(row)
        if len(vals) != len(cols):
            raise ValueError(f"a row has {len(vals)} cells for {len(cols)} columns")
        return vals

    body = [cells(r) for r in rows]
    foot = cells(footer) if footer is not None else None
    if numeric_columns is None:
        numeric = {
            c
            for j, c in enumerate(cols)
            if any(not _empty(r[j]) for r in body) and all(_empty(r[j]) or _is_numeric(r[j]) for r in body)
        }
    else:
        numeric = set(numeric_columns)

    def td(tag: str, j: int, value: Any) -> str:
        cls = ' class="num"' if cols[j] in numeric else ""
        text = "" if _empty(value) else _fragment(value)
        return f"<{tag}{cls}>{text}</{tag}>"

    lines = ['<table class="jx-table">']
    if caption:
        lines.append(f"<caption>{escape(caption)}</caption>")

    def tr(tag: str, values: Sequence[Any]) -> str:
        return "<tr>" + "".join(td(tag, j, v) for j, v in enumerate(values)) + "</tr>"

    lines.append(f"<thead>{tr('th', cols)}</thead>")
    lines.append("<tbody>")
    lines.extend(tr("td", r) for r in body)
    lines.append("</tbody>")
    if foot is not None:
        lines.append(f"<tfoot>{tr('td', foot)}</tfoot>")
    lines.append("</table>")
    return Html("\n".join(lines))
