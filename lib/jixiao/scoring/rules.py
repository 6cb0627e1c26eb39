"""The scoring rules' settings: default weights, grade bands and qualitative bands.

National defaults (财预〔2020〕10号 and the self-evaluation notices); a unit's settings
(``params/<unit>/unit.yaml``, block ``scoring``) may override any of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LEVEL1_WEIGHT_KEYS = {"产出指标": "output", "效益指标": "effect", "满意度指标": "satisfaction"}


def _default_weights() -> dict[str, float]:
    return {"execution": 10.0, "output": 50.0, "effect": 30.0, "satisfaction": 10.0}


def _default_bands() -> dict[str, tuple[float, float]]:
    return {"达成": (0.8, 1.0), "部分达成": (0.6, 0.8), "未达成": (0.0, 0.6)}


@dataclass(frozen=True)
class Rules:
    weights: dict[str, float] = field(default_factory=_default_weights)
    """First-level weights of a project: 预算执行率, 产出, 效益, 满意度."""
    grades: tuple[tuple[float, str], ...] = ((90.0, "优"), (80.0, "良"), (60.0, "中"), (0.0, "差"))
    """Grade bands, highest first: a total at or above the bound gets the grade."""
    qualitative_bands: dict[str, tuple[float, float]] = field(default_factory=_default_bands)
    """Share of an indicator's weight allowed for each 定性 grade (lower, upper)."""
    far_above_ratio: float = 1.5
    """An actual above this multiple of its target is flagged for review (target maybe too low)."""
    deviation_ratio: float | None = None
    """指标偏离 (the 一体化平台 rules): a ≥ or = indicator whose actual is this share or more above its
    target (0.3: a ≥ 1.3 × t) loses ``deviation_points``; None (national rules): no deduction."""
    deviation_points: float = 2.0
    """The points an indicator loses for 指标偏离 (never below 0)."""
    execution_caps: tuple[tuple[float, float], ...] = ()
    """(rate, cap): a project whose execution rate is below ``rate`` scores at most ``cap`` in total
    (the lowest cap that applies); points above it are deducted. Empty (national rules): no cap."""

    @classmethod
    def from_settings(cls, settings: dict[str, Any] | None) -> Rules:
        """Rules from a unit's ``scoring`` block; keys left out keep the national defaults."""
        settings = settings or {}
        base = cls()
        weights = {
            **base.weights,
            **{k: float(v) for k, v in settings.get("weights", {}).items()},
        }
        grades = tuple((float(b), str(g)) for b, g in settings.get("grades", base.grades))
        bands = {
            **base.qualitative_bands,
            **{k: (float(lo), float(hi)) for k, (lo, hi) in settings.get("qualitative_bands", {}).items()},
        }
        return cls(
            weights=weights,
            grades=tuple(sorted(grades, reverse=True)),
            qualitative_bands=bands,
            far_above_ratio=float(settings.get("far_above_ratio", base.far_above_ratio)),
            deviation_ratio=None if settings.get("deviation_ratio") is None else float(settings["deviation_ratio"]),
            deviation_points=float(settings.get("deviation_points", base.deviation_points)),
            execution_caps=tuple(
                sorted(((float(rate), float(cap)) for rate, cap in settings.get("execution_caps") or ()), reverse=True)
            ),
        )

    def execution_cap(self, rate: float | None) -> tuple[float, float] | None:
        """The (rate, cap) that bounds a project's total at this execution rate: the lowest cap
        whose rate the project is below; None when no cap applies (or the rate is unknown)."""
        if rate is None:
            return None
        below = [(r, c) for r, c in self.execution_caps if rate < r - 1e-12]
        return min(below, key=lambda rc: rc[1]) if below else None

    def level1_weight(self, level1: str) -> float | None:
        """The default weight of a project's first-level indicator (产出指标 → 50), or None."""
        key = LEVEL1_WEIGHT_KEYS.get(level1)
        return None if key is None else self.weights.get(key)


DEFAULT_RULES = Rules()


PROJECT_LEVEL1 = tuple(LEVEL1_WEIGHT_KEYS)
"""The first-level indicators of a project, in table order: 产出指标, 效益指标, 满意度指标."""
