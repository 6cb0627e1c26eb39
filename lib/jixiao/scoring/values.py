"""The tables' cells as the rules read them (blanks, numbers written as text, directions) and the
arithmetic every score uses: decimal, rounded half-up to 2 decimals as a reviewer rounds by hand."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pandas as pd

TOLERANCE = 0.005
"""Two scores closer than this are the same score (they round to the same 2 decimals)."""


_DIRECTION_ALIASES = {">=": "≥", "≥": "≥", "<=": "≤", "≤": "≤", "=": "=", "＝": "=", "定性": "定性"}


DEPARTMENT_SCOPE = "department"


class ScoringError(ValueError):
    """Data the rules cannot score (an unknown direction or grade, a negative weight)."""


@dataclass(frozen=True)
class Provenance:
    """Where a row was read: file relative to the project root, sheet ("" for CSV), Excel row."""

    file: str
    sheet: str
    row: int

    def cite(self) -> str:
        where = f"「{self.sheet}」" if self.sheet else ""
        return f"{self.file}{where}第 {self.row} 行"


def _blank(v: Any) -> bool:
    if v is None:
        return True
    if isinstance(v, str):
        return v.strip() == ""
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _num(v: Any) -> float | None:
    """A number from a cell: None for blanks; ``"95%"`` reads as 95."""
    if _blank(v):
        return None
    if isinstance(v, str):
        s = v.strip().replace(",", "").rstrip("%").strip()
        try:
            return float(s)
        except ValueError as e:
            raise ScoringError(f"不是数字：{v!r}") from e
    f = float(v)
    return None if math.isnan(f) else f


def _text(v: Any) -> str | None:
    return None if _blank(v) else str(v).strip()


def _d(x: float) -> Decimal:
    return Decimal(repr(float(x)))


def round2(x: Decimal | float) -> float:
    """Round half-up to 2 decimals (as a reviewer would by hand)."""
    d = x if isinstance(x, Decimal) else _d(x)
    if d.adjusted() > 15:  # no cents to round at this size (and quantize would overflow)
        return float(d)
    return float(d.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _fmt(x: float | Decimal) -> str:
    """A number as typed: 96, 95.5, 0.25 (no trailing zeros, at most 6 decimals)."""
    d = x if isinstance(x, Decimal) else _d(x)
    if d.adjusted() > 15:
        return f"{float(d):g}"
    d = d.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP).normalize()
    s = format(d, "f")
    return "0" if s in ("-0", "") else s


def _pct(share: float) -> str:
    return _fmt(_d(share) * 100) + "%"


def normalize_direction(direction: Any, name: str = "") -> str:
    """≥ ≤ = 定性 from the typed code (``>=`` and ``<=`` accepted)."""
    key = _text(direction)
    if key is None or key not in _DIRECTION_ALIASES:
        label = f"「{name}」" if name else ""
        raise ScoringError(f"指标{label}的指标性质 {direction!r} 不是 ≥ ≤ = 定性 之一")
    return _DIRECTION_ALIASES[key]


def _provenance(row: Mapping[str, Any] | pd.Series) -> Provenance | None:
    f, r = row.get("_file"), row.get("_row")
    if _blank(f) or _blank(r):
        return None
    return Provenance(str(f), _text(row.get("_sheet")) or "", int(r))


def _records(frame: pd.DataFrame | None) -> list[dict[str, Any]]:
    if frame is None or len(frame) == 0:
        return []
    return frame.to_dict("records")


def _pct_d(rate: Decimal) -> str:
    return f"{round2(rate * 100):.2f}%"


def _sum(values: Iterable[float]) -> float:
    return round2(sum((_d(v) for v in values), Decimal(0)))
