"""Every figure in the report traceable to a cell of the inputs, or to a formula over such figures.

A :class:`Figure` is a value, the text the report shows for it, and where it comes from:
a :class:`Source` (file, sheet, row, column) for a figure read from the inputs, or a formula and
its input figures for a derived one. ``Figure.html()`` writes the text as
``<span class="jx-fig" data-provenance="…" data-source="…" title="…">``: the tooltip says where
the number comes from, ``data-source`` says it to a machine.

Provenance has three states (``data-provenance``), decided in this module only:

- ``published``: printed in the unit's published report, or computed only from such figures;
- ``illustrative``: supplied to make the data whole (its row's ``source`` is ``illustrative``),
  or computed from anything supplied; the report writes a 示 after it, as text;
- ``confirmed``: computed from supplied figures, but equal (at the precision printed) to a figure
  of the unit's published report, listed in the optional ``published`` table (公开数字).

One rule decides it: a figure is ``published`` only if it was printed (a cell the ``published``
table lists, or a cell of a row whose ``source`` is published, by the cell rules below) or is
computed only from printed figures. A value jixiao fills in where the inputs leave it blank (a
settings default, such as the 预算执行率 分值 10 of the scoring weights: :meth:`Figure.default_value`)
was never printed: it is ``illustrative``, and so is every figure computed from it. No caller
can make a figure computed from an illustrative one published (:meth:`Figure.derive`); only the
``published`` table can, by naming the figure (:func:`confirm`, :func:`confirmed_by`). Every
renderer asks this module: the HTML spans (``data-provenance``), the 示 of the PDF and the DOCX
(written after the spans), and the fills of the 自评表 workbook (:func:`cell_state`,
:func:`computed_state`, :func:`default_state`).

The ``published`` table says where each published figure was printed (document and paragraph or
page). A row of it names either a figure jixiao computes (:data:`COMPUTED_KEYS`, one place for
every such key) or one cell of the inputs (``table:id:column``). A cell it lists is published
(with that location) even on a row marked ``illustrative``; on a row marked ``published`` whose
other cells it lists, a cell it does not list was supplied (the example's 年初预算数 of a
published budget line): the published cells of a row are the ones listed.

:func:`render` fills a narrative template's ``{key}`` placeholders with figure spans, and
:func:`table_html` writes a table whose cells may be figures. Both return :class:`Html`, which
notebooks display as HTML.
"""

from __future__ import annotations

import html as _html
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from numbers import Real
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jixiao import formatting
from jixiao.inputs import source_refs
from jixiao.inputs.published import Printed, Source, parse_key, published_table, row_id
from jixiao.inputs.published import cell_row as _cell_row
from jixiao.inputs.published import cell_text as _cell_str
from jixiao.inputs.published import plain as _plain

if TYPE_CHECKING:  # pandas is imported where a table is read: the stitched page needs none of it
    import pandas as pd

PUBLISHED = "published"
ILLUSTRATIVE = "illustrative"
CONFIRMED = "confirmed"
STATES = (PUBLISHED, CONFIRMED, ILLUSTRATIVE)
"""The values of ``data-provenance``."""
MARK = "示"
"""Written (as text) after every illustrative figure."""
MARK_HTML = f'<span class="jx-mark">{MARK}</span>'
INDENT = "  "
LONG_TEXT = 12
"""A figure's text longer than this (a goal, a name) wraps in its column: it is not kept on one line."""
TOOLTIP_INPUTS = 6
"""A tooltip lists at most this many inputs of a formula (the rest are in the 数据来源 appendix)."""


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


def _folder_of(file: str) -> Path | None:
    """The inputs folder of a row read from ``file`` (``data/<unit>/<year>/…``), if it is one."""
    parts = Path(file).parts
    if len(parts) < 4 or parts[0] != "data":
        return None
    from jixiao import paths

    return paths.root() / parts[0] / parts[1] / parts[2]


def _table_key(file: str, sheet: str, table: str | None) -> str | None:
    from jixiao.inputs import schema

    name = table or _table_of(file, sheet)
    found = schema.table_by_name(name) if name else None
    return found.key if found is not None else None


def _row_id(row: Mapping[str, Any], table: str | None) -> str | None:
    return row_id(table, row) if table else None


def _printed_cell(row: Mapping[str, Any], column: str, table: str | None) -> tuple[Printed | None, bool]:
    """The ``published`` row naming this cell, and whether that table names other cells of its row."""
    file, sheet = _cell_str(row, "_file"), _cell_str(row, "_sheet")
    folder = _folder_of(file)
    key = _table_key(file, sheet, table)
    row_id = _row_id(row, key)
    if folder is None or key is None or row_id is None:
        return None, False
    listed = published_table(folder, whole=False).listed(key, row_id)
    return listed.get(column), bool(listed)


def cell_state(frame: pd.DataFrame, index: Any, column: str | None = None, *, table: str | None = None) -> str:
    """``published`` or ``illustrative``: a row of an input table (``column`` None: as its
    ``source`` says) or one cell of it, by the rules of this module (a cell the ``published``
    table lists is published; an unlisted cell of a row whose other cells it lists is supplied).

    For renderers other than the HTML report (the 自评表 workbook): mark a cell whose state is
    ``illustrative``. ``table`` is the table's key when ``frame`` was not read from a file.
    """
    row = frame.loc[index]
    illustrative = _is_illustrative(row)
    if column is None:
        return ILLUSTRATIVE if illustrative else PUBLISHED
    printed, listed = _printed_cell(row, column, table)
    if printed is not None and printed.agrees(_cell_value(row, column)):
        return PUBLISHED
    return ILLUSTRATIVE if illustrative or listed else PUBLISHED


def is_illustrative(frame: pd.DataFrame, index: Any, column: str | None = None, *, table: str | None = None) -> bool:
    """Whether a row (or one cell) of an input table is illustrative: see :func:`cell_state`."""
    return cell_state(frame, index, column, table=table) == ILLUSTRATIVE


def _cell_value(row: Mapping[str, Any], column: str) -> Any:
    value = row.get(column)
    if isinstance(value, str):
        return value
    try:
        return _plain(value)
    except TypeError:
        return None


def confirmed_by(folder: Path, key: str, value: Any) -> Printed | None:
    """The ``published`` row of the computed figure ``key`` (:func:`computed_key`) in the inputs
    of ``folder``, when ``value`` agrees with it at the precision printed; else None."""
    parts = parse_key(key)
    if isinstance(parts, str):
        return None
    printed = published_table(folder, whole=False).printed(key)
    if printed is None or value is None or not printed.agrees(value, ratio=parts.unit == "%"):
        return None
    return printed


def computed_state(folder: Path, key: str | None, value: Any, illustrative: bool) -> str:
    """The state of a figure jixiao computes, for a renderer that holds only its value and whether
    any of its inputs is illustrative (the workbook): ``confirmed`` when the ``published`` row of
    ``key`` agrees with it, as :func:`confirm` decides for the report's figure of the same key."""
    if not illustrative:
        return PUBLISHED
    return CONFIRMED if key is not None and confirmed_by(folder, key, value) is not None else ILLUSTRATIVE


def default_state() -> str:
    """The state of a value jixiao fills in (a settings default): never printed."""
    return ILLUSTRATIVE


def confirm(report: Any, figure: Figure, key: str) -> Figure:
    """``figure`` (computed by jixiao) checked against the ``published`` row of ``key``
    (:func:`computed_key`): when they agree at the precision printed, the figure carries that row
    (an illustrative figure becomes ``confirmed``); otherwise it is returned unchanged."""
    from jixiao import paths

    # a key that cannot be parsed (a fund source left blank) names no published row
    printed = confirmed_by(paths.data_dir(report.unit, report.year), key, figure.value)
    return figure if printed is None else replace(figure, published_as=printed)


_shown: list[list[Figure]] = []


@contextmanager
def shown() -> Iterator[list[Figure]]:
    """Every figure written as HTML meanwhile (:meth:`Figure.html`), in the order written: the
    figures a section shows (``jixiao.sections.frames``). Nested calls each get every figure."""
    figures: list[Figure] = []
    _shown.append(figures)
    try:
        yield figures
    finally:  # by identity: two lists of the same figures are equal
        del _shown[next(i for i, kept in enumerate(_shown) if kept is figures)]


# -- figures ------------------------------------------------------------------------------------


def _text_of(value: float | int | None) -> str:
    return formatting.MISSING if value is None else formatting.natural(value)


def _is_illustrative(row: Mapping[str, Any]) -> bool:
    src = row.get("source")
    return isinstance(src, str) and src.strip().lower() == ILLUSTRATIVE


def _table_of(file: str, sheet: str) -> str | None:
    """The table a row was read from: the sheet's name, or the CSV file's stem."""
    if sheet:
        return sheet
    name = file.rsplit("/", 1)[-1]
    return name[:-4] if name.endswith(".csv") else None


def _schema_label(column: str, table: str | None = None) -> str | None:
    """A column's Chinese label from ``jixiao.inputs.schema``, if that module exists and knows it.

    ``table`` is a table key or Chinese sheet name; without one (or if it is unknown) the label
    is used only when every table having that column gives it the same label.
    """
    try:
        from jixiao.inputs import schema
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
    - ``illustrative``: the figure (or one it is derived from) was supplied, not published;
    - ``published_as``: the ``published`` row the figure equals (where it was printed);
    - ``default``: for a value jixiao filled in, the setting it comes from (:meth:`default_value`).

    Its :attr:`state` is ``published``, ``illustrative`` or ``confirmed`` (illustrative, but
    equal to a published figure).
    """

    value: float | int | None
    text: str
    label: str = ""
    source: Source | None = None
    formula: str | None = None
    inputs: tuple[Figure, ...] = field(default=())
    illustrative: bool = False
    published_as: Printed | None = None
    default: str | None = None

    @property
    def state(self) -> str:
        """``published``, ``illustrative`` or ``confirmed``: the span's ``data-provenance``."""
        if not self.illustrative:
            return PUBLISHED
        return CONFIRMED if self.published_as is not None else ILLUSTRATIVE

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
        to the column's Chinese label: ``column_label``, else ``jixiao.inputs.schema``'s for ``table``
        (by default the row's sheet or CSV file), else the column key. A row whose ``source``
        is ``illustrative`` gives an illustrative figure.
        """
        import pandas as pd

        row = df.loc[index]
        if isinstance(row, pd.DataFrame):
            raise ValueError(f"index {index!r} is not unique in this table")
        value = _plain(row[column])
        if text is None:
            text = fmt(value) if fmt is not None and value is not None else _text_of(value)
        return cls._of_cell(row, column, value, text, label, column_label, table)

    @classmethod
    def text_cell(cls, df: pd.DataFrame, index: Any, column: str, *, label: str | None = None) -> Figure:
        """A cell holding text (a project's name) as a figure: no value, its text, its source.

        A name supplied to make the data whole is marked like any supplied number."""
        import pandas as pd

        row = df.loc[index]
        if isinstance(row, pd.DataFrame):
            raise ValueError(f"index {index!r} is not unique in this table")
        return cls._of_cell(row, column, None, _cell_str(row, column), label, None, None)

    @classmethod
    def _of_cell(
        cls,
        row: Mapping[str, Any],
        column: str,
        value: float | int | None,
        text: str,
        label: str | None,
        column_label: str | None,
        table: str | None,
    ) -> Figure:
        file, sheet = _cell_str(row, "_file"), _cell_str(row, "_sheet")
        col_label = column_label or _schema_label(column, table or _table_of(file, sheet))
        form_cell = source_refs.cell_ref(_cell_str(row, "source_ref"), column)
        src = Source(file=file, sheet=sheet, row=_cell_row(row), column=column, column_label=col_label,
                     form_cell=form_cell)  # fmt: skip
        illustrative = _is_illustrative(row)
        printed, listed = _printed_cell(row, column, table)
        actual = _cell_str(row, column) if value is None else value
        if printed is not None and printed.agrees(actual):
            illustrative = False  # the published table lists this very cell
        else:
            printed = None
            illustrative = illustrative or listed  # the row's published cells are the listed ones
        return cls(
            value=value,
            text=text,
            label=label or col_label or column,
            source=src,
            illustrative=illustrative,
            published_as=printed,
        )

    @classmethod
    def default_value(cls, value: float | int | None, setting: str, *, label: str, text: str | None = None) -> Figure:
        """A value jixiao fills in where the inputs leave it blank: ``setting`` says which default
        (``未填报预算执行率分值，取本单位设置的默认分值``). It was never printed, so it is
        illustrative (示), and so is every figure computed from it."""
        return cls(
            value=value,
            text=_text_of(value) if text is None else text,
            label=label,
            illustrative=default_state() == ILLUSTRATIVE,
            default=setting,
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

        It is illustrative when any input is (a ``confirmed`` input counts as published: it
        equals a published figure), or when ``illustrative`` is True (the caller counted
        supplied rows that are not inputs here). ``illustrative=False`` never makes a figure
        computed from an illustrative one published: it only keeps a missing value (``—``,
        nothing shown) unmarked. Only the ``published`` table can confirm a figure (:func:`confirm`).
        """
        ins = tuple(inputs)
        from_inputs = any(i.state == ILLUSTRATIVE for i in ins)
        if illustrative is False and value is None:
            from_inputs = False
        illustrative = from_inputs or bool(illustrative)
        return cls(
            value=value,
            text=_text_of(value) if text is None else text,
            label=label,
            formula=formula,
            inputs=ins,
            illustrative=illustrative,
        )

    def standing_for(self, given: Figure) -> Figure:
        """This figure as the one it stands for: a reported total shown with the computed total it
        was compared with takes the reported cell's state (printed or supplied), not its inputs'."""
        return replace(self, illustrative=given.illustrative, published_as=given.published_as)

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

    def status(self) -> str | None:
        """The tooltip's line on provenance: where it was published, or that it was supplied."""
        printed = self.published_as
        where = f"公开发布：{printed.where}" if printed is not None and printed.where else "公开发布"
        if self.state == CONFIRMED:
            return f"由示例数据计算，与公开发布数一致；{where}"
        if self.state == ILLUSTRATIVE:
            if self.default is not None:
                return "默认值，非公开发布数"
            return "由示例数据计算" if self.formula else "示例数据"
        return where if printed is not None else None

    def provenance(self) -> str:
        """The full derivation: label and text, its provenance, then the source, or the formula,
        its numbers and, recursively, its inputs (the report's 数据来源 appendix)."""
        head = f"{self.label}：{self.text}" if self.label else self.text
        lines = [head]
        status = self.status()
        if status:
            lines[0] += f"［{status}］"
        if self.source is not None:
            lines.append(f"来源：{self.source.describe()}")
        if self.formula:
            lines.append(f"计算：{self.formula}")
            lines.append(f"{INDENT}= {self.substituted() or self.text}")
            for i in self.inputs:
                lines.extend(INDENT + line for line in i.provenance().splitlines())
        if self.source is None and not self.formula:
            lines.append(f"来源：{self.default}" if self.default else "来源：未注明")
        return "\n".join(lines)

    def tooltip(self) -> str:
        """What a reader needs: label and text, provenance, the source cell or the formula with
        its numbers (one level deep); the full derivation is in the appendix."""
        head = f"{self.label}：{self.text}" if self.label else self.text
        lines = [head]
        status = self.status()
        if status:
            lines.append(status)
        if self.source is not None:
            lines.append(f"来源：{self.source.describe()}")
        if self.formula:
            lines.append(f"计算：{self.formula}")
            substituted = self.substituted()
            if substituted:
                lines.append(f"{INDENT}= {substituted}")
            else:
                shown = [i for i in self.inputs][:TOOLTIP_INPUTS]
                lines.extend(f"{INDENT}{i.label}：{i.text}" if i.label else f"{INDENT}{i.text}" for i in shown)
                if len(self.inputs) > len(shown):
                    lines.append(f"{INDENT}…等{len(self.inputs)}项")
                lines.append(f"{INDENT}= {self.text}")
            if self.has_derivation():
                lines.append("完整推导：点击数字，见文末“数据来源”")
        if self.source is None and not self.formula:
            lines.append(f"来源：{self.default}" if self.default else "来源：未注明")
        return "\n".join(lines)

    def has_derivation(self) -> bool:
        """The full derivation says more than the tooltip (the inputs have sources or formulas)."""
        return any(i.source is not None or i.formula or i.default for i in self.inputs)

    def derivation_id(self) -> str:
        """The id of its entry in the 数据来源 appendix (the same derivation, the same id)."""
        import hashlib

        return "jx-d-" + hashlib.sha1(self.provenance().encode("utf-8")).hexdigest()[:10]

    def _linked(self) -> bool:
        """Has an appendix entry of its own: computed from figures that have sources or formulas."""
        return bool(self.formula) and self.has_derivation()

    def derivation_entry(self) -> str:
        """Its appendix entry: label and text, provenance, formula with its numbers, then each
        input with its source; an input with an entry of its own is written ``⟦id⟧`` (a link)."""
        head = f"{self.label}：{self.text}" if self.label else self.text
        status = self.status()
        lines = [head + (f"［{status}］" if status else "")]
        if self.formula:
            lines.append(f"计算：{self.formula}")
            lines.append(f"{INDENT}= {self.substituted() or self.text}")
        for i in self.inputs:
            line = f"{i.label}：{i.text}" if i.label else i.text
            status = MARK if i.state == ILLUSTRATIVE else i.status()
            line += f"［{status}］" if status else ""
            if i._linked():
                line += f" ⟦{i.derivation_id()}⟧"
            elif i.source is not None:
                line += f" 来源：{i.source.describe()}"
            elif i.formula:
                line += f" 计算：{i.formula}"
            elif i.default:
                line += f" 来源：{i.default}"
            lines.append(INDENT + line)
        return "\n".join(lines)

    def derivation_entries(self) -> dict[str, str]:
        """Its entry and those of every figure it is computed from, by id (itself first)."""
        entries: dict[str, str] = {}
        stack = [self]
        while stack:
            figure = stack.pop(0)
            key = figure.derivation_id()
            if key in entries:
                continue
            entries[key] = figure.derivation_entry()
            stack.extend(i for i in figure.inputs if i._linked())
        return entries

    def data_source(self) -> str:
        """Machine-readable origin: ``file#row=…&col=…``, or ``formula:…``; empty if neither."""
        if self.source is not None:
            return self.source.anchor()
        if self.formula:
            return f"formula:{self.formula}"
        if self.default:
            return f"default:{self.default}"
        return ""

    def html(self, *, marker: bool = True) -> Html:
        """``<span class="jx-fig" data-provenance="…" data-source="…" title="…" tabindex="0">text</span>``.

        An illustrative figure is followed by its 示 marker (text), the two kept on one line; a
        figure with a deeper derivation is a link to its entry in the 数据来源 appendix and
        carries that derivation (``data-derivation``, moved there when the report is stitched).
        """
        for shown in _shown:
            shown.append(self)
        state = self.state
        cls = "jx-fig jx-illustrative" if state == ILLUSTRATIVE else "jx-fig"
        ds = self.data_source()
        ds_attr = f' data-source="{_attr(ds)}"' if ds else ""
        deep = self._linked()
        if deep:
            import json

            entries = json.dumps(self.derivation_entries(), ensure_ascii=False, separators=(",", ":"))
            extra = f' data-derivation="{_attr(entries)}"'
        else:
            extra = ' tabindex="0"'
        span = (
            f'<span class="{cls}" data-provenance="{state}"{ds_attr} title="{_attr(self.tooltip())}"{extra}>'
            f"{escape(self.text)}</span>"
        )
        if deep:
            span = f'<a class="jx-figref" href="#{self.derivation_id()}">{span}</a>'
        if state == ILLUSTRATIVE and marker:
            # a figure and its 示 on one line; a long text (a goal) must still wrap in its column
            wrap = " jx-wrap" if len(self.text) > LONG_TEXT else ""
            span = f'<span class="jx-nobr{wrap}">{span}{MARK_HTML}</span>'
        return Html(span)

    def marker(self) -> Html:
        """The 示 marker of an illustrative figure (empty otherwise), for ``html(marker=False)``."""
        return Html(MARK_HTML if self.state == ILLUSTRATIVE else "")

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
    >>> out = render("共<{n}>{{注}}", {"n": f})
    >>> out.startswith('共&lt;<span class="jx-fig" data-provenance="published" title="人员：653名&#10;来源：未注明"')
    True
    >>> out.endswith(' tabindex="0">653名</span>&gt;{注}')
    True
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


def render_text(template: str, values: Mapping[str, Figure | str]) -> str:
    """``template`` filled as :func:`render` fills it, as plain text (a spreadsheet cell): each
    figure by its text, ``{{``/``}}`` as braces.

    >>> render_text("共{n}{{注}}", {"n": Figure(653, "653名", "人员")})
    '共653名{注}'
    """

    def one(m: re.Match[str]) -> str:
        if m.group(1) is None:
            return m.group(0)[0]
        value = values[m.group(1)]
        return value.text if isinstance(value, Figure) else str(value)

    return _PLACEHOLDER.sub(one, template)


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


# -- the stitched report: derivations appendix and the count of illustrative figures ------------

_ATTRS = r"""(?:\s+[a-zA-Z-]+(?:=(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*"""
_FIG_TAG = re.compile(r"""<span\s+class=(?:"jx-fig[^"]*"|'jx-fig[^']*')""" + _ATTRS + r"\s*/?>")
_DERIVATION = re.compile(r"""\s+data-derivation=(?:"([^"]*)"|'([^']*)')""")
_STATE = re.compile(r"""data-provenance=(?:"|')([a-z]+)(?:"|')""")
_LINK = re.compile(r" ?⟦(jx-d-[0-9a-f]+)⟧")


def take_derivations(fragment: str, into: dict[str, str]) -> str:
    """``fragment`` without its figures' ``data-derivation`` attributes, each derivation added to
    ``into`` (id → text, in order of first appearance; the id is the one the figure links to)."""

    import json

    def strip(tag: re.Match[str]) -> str:
        found = _DERIVATION.search(tag.group(0))
        if found is None:
            return tag.group(0)
        text = _html.unescape(found.group(1) if found.group(1) is not None else found.group(2))
        for key, entry in json.loads(text.replace("\r\n", "\n")).items():
            into.setdefault(key, entry)
        return tag.group(0)[: found.start()] + tag.group(0)[found.end() :]

    return _FIG_TAG.sub(strip, fragment)


def count_states(fragment: str) -> dict[str, int]:
    """How many figure spans of each state (``data-provenance``) ``fragment`` holds."""
    counts = dict.fromkeys(STATES, 0)
    for tag in _FIG_TAG.finditer(fragment):
        state = _STATE.search(tag.group(0))
        if state is not None and state.group(1) in counts:
            counts[state.group(1)] += 1
    return counts


def banner_html(counts: Mapping[str, int]) -> Html:
    """The cover's note on provenance: how many figures are illustrative (none: no note)."""
    n = counts.get(ILLUSTRATIVE, 0)
    if not n:
        return Html("")
    total = sum(counts.values())
    confirmed = counts.get(CONFIRMED, 0)
    also = f"另有{confirmed}处由示例数据计算而与公开发布数一致，不标“{MARK}”。" if confirmed else ""
    return Html(
        f'<p class="jx-banner" role="note" data-illustrative="{n}">'
        f"本报告含示例数据：正文{total}处可溯源的数字和名称中，<strong>{n}处</strong>标有“{MARK}”，是为补全数据而设的示例数据，并非公开发布数。{also}</p>"
    )


def appendix_html(derivations: Mapping[str, str]) -> Html:
    """The 数据来源 appendix: every computed figure's full derivation, once, collapsed."""
    if not derivations:
        return Html("")
    number = {key: n for n, key in enumerate(derivations, start=1)}

    def link(m: re.Match[str]) -> str:
        key = m.group(1)
        return f'（见<a href="#{key}">第{number[key]}条</a>）' if key in number else ""

    items = "\n".join(
        f'<li id="{key}"><pre>{_LINK.sub(link, escape(text))}</pre></li>' for key, text in derivations.items()
    )
    return Html(
        '<aside class="jx-sources" id="jx-sources">\n<details>\n'
        f"<summary>数据来源：计算得出的数字的完整推导（{len(derivations)}条）</summary>\n"
        '<p class="jx-hint">点击正文中计算得出的数字可跳到此处。每条列出公式、代入的数值，以及各项数值的来源'
        "（文件、工作表、行、列）；由其他数字计算得出的一项，链接到它自己的一条。</p>\n"
        f'<ol class="jx-derivations">\n{items}\n</ol>\n</details>\n</aside>'
    )


def illustrative_note(figures: Iterable[Figure | None]) -> str:
    """``（含示例数据，非公开发布数）`` for a chart's caption when any of its figures is illustrative."""
    return "（含示例数据，非公开发布数）" if any(f is not None and f.state == ILLUSTRATIVE for f in figures) else ""
