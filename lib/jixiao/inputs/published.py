"""The ``published`` table's keys (公开数字): a figure jixiao computes, or one cell of the inputs.

A row of ``published`` names either a computed figure (:data:`COMPUTED_KEYS`, one place for
every such key: ``total_budget``, ``evaluated_share.一般公共预算``) or a cell, written
``table:id:column`` (``budget:B03:executed``; ``stats:<key>`` for a statistic's value).
:func:`parse_key` reads a key or says, in Chinese, what is wrong with it; validation reports
that, and :mod:`jixiao.writing.provenance` decides with it which figures are published.
"""

from __future__ import annotations

from dataclasses import dataclass

from jixiao.inputs import schema

COMPUTED_KEYS: dict[str, tuple[str, str]] = {
    "department_score": ("部门整体支出绩效自评得分", "分"),
    "total_budget": ("全年预算数（各预算行之和）", "万元"),
    "total_executed": ("全年执行数（各预算行之和）", "万元"),
    "execution_rate": ("预算执行率（全年执行数 ÷ 全年预算数）", "%"),
    "evaluated_count": ("开展绩效自评的项目个数", "个"),
    "evaluated_amount": ("开展绩效自评的项目资金", "万元"),
    "evaluated_share": ("自评项目资金占项目支出总额的比重", "%"),
}
"""Every figure jixiao computes that a ``published`` row may name, with what it is and its unit
(a ``%`` figure is computed as a ratio and printed ×100). The last three are per fund source:
``evaluated_count.一般公共预算``."""
PER_FUND_SOURCE = ("evaluated_count", "evaluated_amount", "evaluated_share")


def computed_key(name: str, fund_source: str | None = None) -> str:
    """The ``published`` key of a figure jixiao computes: ``total_budget``,
    ``evaluated_share.一般公共预算``. Raises ``KeyError`` for a name not in :data:`COMPUTED_KEYS`.

    >>> computed_key("evaluated_share", "一般公共预算")
    'evaluated_share.一般公共预算'
    """
    if name not in COMPUTED_KEYS:
        raise KeyError(f"{name!r} is not a key of COMPUTED_KEYS")
    if (name in PER_FUND_SOURCE) != (fund_source is not None):
        raise KeyError(f"{name!r}: a fund source is {'required' if name in PER_FUND_SOURCE else 'not expected'}")
    return f"{name}.{fund_source}" if fund_source else name


@dataclass(frozen=True)
class KeyParts:
    """A ``published`` key, parsed: a computed figure (``name``, ``fund_source``) or a cell."""

    name: str = ""
    fund_source: str = ""
    table: str = ""
    id: str = ""
    column: str = ""

    @property
    def is_cell(self) -> bool:
        return bool(self.table)

    @property
    def unit(self) -> str:
        """The unit of a computed figure (``%`` ones are ratios printed ×100)."""
        return COMPUTED_KEYS[self.name][1] if self.name in COMPUTED_KEYS else ""


def parse_key(key: str) -> KeyParts | str:
    """A ``published`` key's parts, or (a string) what is wrong with it, in Chinese.

    >>> parse_key("stats:tekun_scattered_people")
    KeyParts(name='', fund_source='', table='stats', id='tekun_scattered_people', column='value')
    >>> parse_key("budget:B03:executed").column
    'executed'
    >>> parse_key("evaluated_count.一般公共预算").fund_source
    '一般公共预算'
    >>> parse_key("total")[:28]
    '不是可用的数字键，应为 department_score'
    """
    key = key.strip()
    if ":" in key:
        parts = key.split(":")
        table = schema.TABLES.get(parts[0])
        id_column = schema.ID_COLUMNS.get(parts[0])
        if table is None or id_column is None or parts[0] == "published":
            tables = "、".join(t for t in schema.ID_COLUMNS if t != "published")
            return f"表 {parts[0]!r} 不能引用，应为 {tables} 之一"
        if len(parts) == 2 and parts[0] == "stats":
            parts.append("value")
        if len(parts) != 3 or not parts[1]:
            return "单元格应写作 表:编码:列（业务统计表可省略 :value）"
        if parts[2] not in table.keys:
            return f"列 {parts[2]!r} 不是{table.display}表的列"
        return KeyParts(table=parts[0], id=parts[1], column=parts[2])
    name, _, fund_source = key.partition(".")
    if name in COMPUTED_KEYS and (name in PER_FUND_SOURCE) == bool(fund_source):
        if fund_source and fund_source not in schema.FUND_SOURCES:
            return f"资金来源 {fund_source!r} 不是可用的代码，应为 {'、'.join(schema.FUND_SOURCES)}"
        return KeyParts(name=name, fund_source=fund_source)
    known = [f"{k}.<资金来源>" if k in PER_FUND_SOURCE else k for k in COMPUTED_KEYS]
    return f"不是可用的数字键，应为 {'、'.join(known)}，或 表:编码:列"
