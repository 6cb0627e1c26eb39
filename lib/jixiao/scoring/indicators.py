"""One third-level indicator scored by its direction (≥ ≤ = 定性), target, actual and weight; the
rows of a table grouped by first and second level, with their subtotals."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

import pandas as pd

from jixiao.scoring.measures import budget_measure
from jixiao.scoring.rules import DEFAULT_RULES, Rules
from jixiao.scoring.values import (
    TOLERANCE,
    Provenance,
    ScoringError,
    _d,
    _fmt,
    _num,
    _pct,
    _provenance,
    _sum,
    _text,
    normalize_direction,
    round2,
)

FLAG_TEXT = {
    "missing": "实际完成值缺失，按 0 分计",
    "far_above": "实际远超目标，请复核目标是否偏低",
    "differs": "填报得分与按规则计算的得分不一致",
    "out_of_range": "填报得分超出 0 至分值的范围",
    "no_target": "年度指标值缺失，无法计分",
    "no_weight": "分值缺失",
    "capped": "执行数超过预算数，执行率按 100% 计分",
    "low_rate": "预算执行率低于 90%，需说明原因",
    "no_budget": "全年预算数为 0，执行率无法计算",
    "weights": "分值合计不符",
    "total_mismatch": "填报总分不等于各项得分之和",
    "deviation": "实际完成值超过目标的比例达到指标偏离标准，扣分",
    "execution_cap": "总分超过预算执行率对应的上限，超出部分扣除",
}
"""What each flag code means, in the report's words."""


class BandError(ScoringError):
    """A reported 定性 score outside the band of its grade."""

    def __init__(self, name: str, grade: str, reported: float, low: float, high: float):
        self.name, self.grade, self.reported, self.low, self.high = name, grade, reported, low, high
        super().__init__(
            f"定性指标「{name}」：完成档次「{grade}」的得分应在 {low:.2f}–{high:.2f} 分之间，填报 {_fmt(reported)} 分"
        )


@dataclass(frozen=True)
class IndicatorScore:
    """One third-level indicator, scored."""

    direction: str
    target: float | None
    actual: float | None
    actual_grade: str | None
    weight: float
    computed: float
    """The score the rules give."""
    reported: float | None
    """The score the unit reported, if any."""
    score: float
    """The score that stands: reported if given, else computed."""
    rule: str
    """The rule with its numbers, in Chinese, for a reviewer to redo by hand."""
    flags: tuple[str, ...] = ()
    name: str = ""
    indicator_id: str | None = None
    level1: str | None = None
    level2: str | None = None
    measure_unit: str | None = None
    target_text: str | None = None
    deviation_reason: str | None = None
    provenance: Provenance | None = None
    computed_actual: str | None = None
    """The measure the actual was computed as (``预算执行率``), from the budget table; else None."""
    stats_key: str | None = None
    """The ``stats`` key (or ``a+b``) naming the same figure, if the row links one."""
    weight_default: bool = False
    """The row gave no 分值: ``weight`` is the rules' default (:func:`jixiao.scoring.weights.default_weights`)."""

    @property
    def missing(self) -> bool:
        return "missing" in self.flags

    @property
    def differs(self) -> bool:
        return "differs" in self.flags


@dataclass(frozen=True)
class Difference:
    """A reported score that is not the computed one."""

    item: str
    reported: float
    computed: float
    indicator_id: str | None = None
    provenance: Provenance | None = None

    @property
    def text(self) -> str:
        gap = self.reported - self.computed
        return f"「{self.item}」填报 {self.reported:.2f} 分，按规则计算 {self.computed:.2f} 分（相差 {gap:+.2f} 分）"


@dataclass(frozen=True)
class Subtotal:
    """A first-level part of a score: its declared weight, its rows' weights and scores."""

    level1: str
    weight: float
    """The part's weight (the project's weight for it; for the department, its rows' sum)."""
    indicator_weight: float
    """The sum of the weights of its rows (equals ``weight`` when the data is right)."""
    score: float
    computed: float


def score_indicator(
    direction: str,
    target: float | None,
    actual: float | None,
    weight: float,
    *,
    actual_grade: str | None = None,
    reported: float | None = None,
    rules: Rules = DEFAULT_RULES,
    name: str = "",
) -> IndicatorScore:
    """Score one third-level indicator; a = actual, t = target, w = weight.

    - ≥ (正向): a ≥ t → w; else a ÷ t × w, rounded to 2 decimals. t ≤ 0: any a ≥ t → w, else 0.
    - = (等于): t = 0: a ≤ 0 → w, else 0; any other t: as ≥.
    - ≤ (反向): a ≤ t → w; t < a < 2t → (1 − (a − t) ÷ t) × w; a ≥ 2t → 0.
      t ≤ 0: a ≤ t → w, else 0.
    - 定性: ``actual_grade`` is 达成 / 部分达成 / 未达成, each a band of w
      (``rules.qualitative_bands``). A reported score must lie in the band (else
      :class:`BandError`) and is then the computed one too. With no reported score, computed is
      the band's upper bound × w for 达成 and the band's midpoint × w otherwise.
    - No actual (no grade for 定性): computed 0, flag ``missing``.
    - ≥ / = with t > 0 and a > ``rules.far_above_ratio`` × t: full marks, flag ``far_above``.
    - reported given and |reported − computed| > 0.005: flag ``differs``; the reported one stands.

    Computed scores always lie in [0, w].
    """
    d = normalize_direction(direction, name)
    w = _num(weight)
    flags: list[str] = []
    if w is None:
        w = 0.0
        flags.append("no_weight")
    if w < 0:
        raise ScoringError(f"指标「{name}」的分值 {_fmt(w)} 为负数")
    t, a, r = _num(target), _num(actual), _num(reported)
    g = _text(actual_grade)
    wd = _d(w)

    if d == "定性":
        computed, rule = _score_qualitative(g, w, r, rules, name, flags)
    elif a is None:
        computed = 0.0
        rule = f"{_LABEL[d]}：实际完成值未填报，按 0 分计，列入缺失清单"
        flags.append("missing")
    elif t is None:
        computed = 0.0
        rule = f"{_LABEL[d]}：年度指标值未填报，无法计分，按 0 分计"
        flags.append("no_target")
    else:
        computed, rule = _score_quantitative(d, t, a, w, wd)
        if d in ("≥", "=") and t > 0 and a > rules.far_above_ratio * t:
            flags.append("far_above")
            rule += (
                f"；实际 {_fmt(a)} 超过目标的 {_fmt(rules.far_above_ratio)} 倍"
                f"（{_fmt(_d(rules.far_above_ratio) * _d(t))}），请复核目标是否偏低"
            )
        computed, rule = _deviation(d, t, a, computed, rule, rules, flags)

    if r is not None:
        if abs(r - computed) > TOLERANCE:
            flags.append("differs")
            rule += f"；填报得分 {r:.2f} 分，与按规则计算的 {computed:.2f} 分不一致"
        if r < -TOLERANCE or r > w + TOLERANCE:
            flags.append("out_of_range")
    score = r if r is not None else computed
    return IndicatorScore(
        direction=d,
        target=t,
        actual=a,
        actual_grade=g,
        weight=w,
        computed=computed,
        reported=r,
        score=score,
        rule=rule,
        flags=tuple(flags),
        name=name,
    )


def _deviation(
    d: str, t: float, a: float, computed: float, rule: str, rules: Rules, flags: list[str]
) -> tuple[float, str]:
    """指标偏离 (``rules.deviation_ratio``): a ≥ or = indicator at least that share above its
    target loses ``rules.deviation_points`` (not below 0)."""
    if rules.deviation_ratio is None or d not in ("≥", "=") or t <= 0:
        return computed, rule
    bound = _d(t) * (1 + _d(rules.deviation_ratio))
    if _d(a) < bound:
        return computed, rule
    flags.append("deviation")
    after = max(0.0, round2(_d(computed) - _d(rules.deviation_points)))
    return after, (
        f"{rule}；实际 {_fmt(a)} ≥ 目标 {_fmt(t)} × (1 + {_pct(rules.deviation_ratio)}) = {_fmt(bound)}，"
        f"指标偏离扣 {_fmt(rules.deviation_points)} 分：{computed:.2f} − {_fmt(rules.deviation_points)} = {after:.2f}"
    )


_LABEL = {"≥": "正向指标", "≤": "反向指标", "=": "等于指标", "定性": "定性指标"}


def _score_quantitative(d: str, t: float, a: float, w: float, wd: Decimal) -> tuple[float, str]:
    ts, as_, ws = _fmt(t), _fmt(a), _fmt(w)
    full = round2(wd)
    if d == "=" and t == 0:
        if a <= 0:
            return full, f"等于指标：目标为 0，实际 {as_} ≤ 0，得满分 {ws} 分"
        return 0.0, f"等于指标：目标为 0，实际 {as_} > 0，得 0 分"
    if d in ("≥", "="):
        label = "正向指标" if d == "≥" else "等于指标（按正向指标计分）"
        if a >= t:
            return full, f"{label}：实际 {as_} ≥ 目标 {ts}，得满分 {ws} 分"
        if t <= 0:
            return 0.0, f"{label}：目标 {ts} 不大于 0，实际 {as_} < 目标，得 0 分"
        raw = _d(a) * wd / _d(t)
        s = round2(raw)
        rule = f"{label}：实际 {as_} < 目标 {ts}，得分 = {as_} ÷ {ts} × {ws} = {s:.2f}"
        if s < 0:
            return 0.0, rule + "，低于 0 分按 0 分计"
        return s, rule
    # ≤
    if a <= t:
        return full, f"反向指标：实际 {as_} ≤ 目标 {ts}，得满分 {ws} 分"
    if t <= 0:
        return 0.0, f"反向指标：目标 {ts} 不大于 0，实际 {as_} > 目标，得 0 分"
    two_t = _fmt(_d(t) * 2)
    if a >= 2 * t:
        return 0.0, f"反向指标：实际 {as_} ≥ 2 × 目标 = {two_t}，得 0 分"
    s = round2((2 * _d(t) - _d(a)) * wd / _d(t))
    return s, (
        f"反向指标：目标 {ts} < 实际 {as_} < 2 × 目标 {two_t}，得分 = (1 − ({as_} − {ts}) ÷ {ts}) × {ws} = {s:.2f}"
    )


def _score_qualitative(
    g: str | None, w: float, r: float | None, rules: Rules, name: str, flags: list[str]
) -> tuple[float, str]:
    if g is None:
        flags.append("missing")
        return 0.0, "定性指标：完成档次未填报，按 0 分计，列入缺失清单"
    if g not in rules.qualitative_bands:
        raise ScoringError(f"定性指标「{name}」的完成档次 {g!r} 不是 {'、'.join(rules.qualitative_bands)} 之一")
    lo, hi = rules.qualitative_bands[g]
    wd = _d(w)
    low, high = round2(_d(lo) * wd), round2(_d(hi) * wd)
    head = f"定性指标：完成档次「{g}」，分值区间 {_pct(lo)}–{_pct(hi)} × {_fmt(w)} = {low:.2f}–{high:.2f} 分"
    if r is not None:
        if r < low - TOLERANCE or r > high + TOLERANCE:
            raise BandError(name, g, r, low, high)
        return round2(r), f"{head}；填报得分 {r:.2f} 分在区间内，采用填报得分"
    if g == "达成":
        return high, f"{head}；未填报得分，按区间上限 {_pct(hi)} × {_fmt(w)} = {high:.2f} 分计"
    mid = (_d(lo) + _d(hi)) / 2
    s = round2(mid * wd)
    return s, f"{head}；未填报得分，按区间中值 {_pct(float(mid))} × {_fmt(w)} = {s:.2f} 分计"


def _score_row(row: Mapping[str, Any], rules: Rules, budget: pd.DataFrame | None = None) -> IndicatorScore:
    """One indicator row scored; a ``computed_actual`` row takes its actual from ``budget``."""
    name = _text(row.get("level3")) or _text(row.get("indicator_id")) or ""
    measure_name = _text(row.get("computed_actual"))
    measure = budget_measure(measure_name, budget) if measure_name else None
    s = score_indicator(
        row.get("direction"),
        row.get("target"),
        measure.value if measure is not None else row.get("actual"),
        row.get("weight"),
        actual_grade=row.get("actual_grade"),
        reported=row.get("reported_score"),
        rules=rules,
        name=name,
    )
    return replace(
        s,
        indicator_id=_text(row.get("indicator_id")),
        level1=_text(row.get("level1")),
        level2=_text(row.get("level2")),
        measure_unit=_text(row.get("measure_unit")),
        target_text=_text(row.get("target_text")),
        deviation_reason=_text(row.get("deviation_reason")),
        provenance=_provenance(row),
        computed_actual=measure_name,
        stats_key=_text(row.get("stats_key")),
        rule=s.rule if measure is None else f"实际完成值：{measure.name} = {measure.rule}；{s.rule}",
    )


def _ordered(rows: list[dict[str, Any]], level1_order: Sequence[str]) -> list[dict[str, Any]]:
    """Rows grouped by first level (known order first, then as they come), then second level
    (as they come), keeping the input order inside a group."""
    l1_seen: list[str] = []
    l2_seen: dict[str, list[str]] = {}
    for r in rows:
        l1, l2 = _text(r.get("level1")) or "", _text(r.get("level2")) or ""
        if l1 not in l1_seen:
            l1_seen.append(l1)
        l2_seen.setdefault(l1, [])
        if l2 not in l2_seen[l1]:
            l2_seen[l1].append(l2)
    order = [x for x in level1_order if x in l1_seen]
    order += [x for x in l1_seen if x not in level1_order]

    def key(r: dict[str, Any]) -> tuple[int, int]:
        l1, l2 = _text(r.get("level1")) or "", _text(r.get("level2")) or ""
        return order.index(l1), l2_seen[l1].index(l2)

    return sorted(rows, key=key)  # stable


def _subtotals(scores: Sequence[IndicatorScore], declared: Mapping[str, float], order: Sequence[str]) -> list[Subtotal]:
    names = [x for x in order if x in declared or any(s.level1 == x for s in scores)]
    names += [s.level1 or "" for s in scores if (s.level1 or "") not in names]
    out: list[Subtotal] = []
    for l1 in dict.fromkeys(names):
        rows = [s for s in scores if (s.level1 or "") == l1]
        iw = _sum(s.weight for s in rows)
        out.append(
            Subtotal(
                level1=l1,
                weight=declared.get(l1, iw),
                indicator_weight=iw,
                score=_sum(s.score for s in rows),
                computed=_sum(s.computed for s in rows),
            )
        )
    return out


def _differences(scores: Sequence[IndicatorScore]) -> list[Difference]:
    return [
        Difference(s.name, s.reported, s.computed, s.indicator_id, s.provenance)
        for s in scores
        if s.differs and s.reported is not None
    ]


def _collect_flags(*groups: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(f for g in groups for f in g))
