"""The official self-evaluation scoring rules (财预〔2020〕10号 and the self-evaluation notices), as pure functions.

Nothing here reads or writes files. The plain-value functions (:func:`execution_score`,
:func:`score_indicator`, :func:`grade`) take numbers and strings; the table-level ones
(:func:`score_project`, :func:`score_department`, :func:`score_all`, :func:`weight_problems`)
take the DataFrames of ``docs/data-model.md`` and carry each row's provenance (``_file``,
``_sheet``, ``_row``) through, so a report can cite the row a score came from.

Arithmetic is done in decimal and rounded half-up to 2 decimals, so a reviewer who redoes a
score by hand from the ``rule`` text gets the same figure (``80 ÷ 100 × 20 = 16.00``).

Choices the national rules leave open, made here once:

- **Budget 0.** An execution rate over a full-year budget of 0 is undefined: the rate is
  ``None``, the score 0 and the flag ``no_budget`` asks the reviewer to check the budget.
- **Missing actual.** A quantitative indicator with no actual (or a 定性 one with no grade)
  scores 0, is flagged ``missing`` and listed in its project's ``missing``; it never raises.
- **定性 without a reported score.** The evaluator is meant to pick the score inside the grade's
  band; when none is reported, 达成 gets the band's upper bound × weight (the target was met)
  and 部分达成 / 未达成 the band's midpoint × weight (no evidence for either end). With a
  reported score, the rule is only the band check, and the reported score is the computed one.
- **Scores stay in [0, weight].** A negative actual against a positive target scores 0, not a
  negative number. A target ≤ 0 on a ≥ indicator is met by any actual ≥ target.
- **Far above target.** The rules give no formula: full marks stand, flag ``far_above``.
- **Actuals computed from the budget.** A department indicator whose ``computed_actual`` names
  a measure (预算执行率 …) takes its actual from the ``budget`` table's sums, rounded half-up to
  2 decimals (98.77), and is scored on that figure as a reviewer redoes it by hand; its rule
  begins with the computation (``实际完成值：预算执行率 = 全年执行数 9688.43 ÷ …``).
- **Which total is graded.** A project's reported total (``reported_score`` of the project
  row) if given, else the sum of its rows' scores, where a row's score is its reported score if
  given, else the computed one. The computed total and grade are kept beside it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pandas as pd

from jixiao.scoring.rules import LEVEL1_WEIGHT_KEYS, Rules

DEFAULT_RULES = Rules()
TOLERANCE = 0.005
"""Two scores closer than this are the same score (they round to the same 2 decimals)."""

_DIRECTION_ALIASES = {">=": "≥", "≥": "≥", "<=": "≤", "≤": "≤", "=": "=", "＝": "=", "定性": "定性"}
PROJECT_LEVEL1 = tuple(LEVEL1_WEIGHT_KEYS)
"""The first-level indicators of a project, in table order: 产出指标, 效益指标, 满意度指标."""
EXECUTION_LABEL = "预算执行率"
DEPARTMENT_SCOPE = "department"
LOW_RATE = 0.9
"""Below this execution rate several provinces ask for a reason: flagged ``low_rate``."""

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
}
"""What each flag code means, in the report's words."""


class ScoringError(ValueError):
    """Data the rules cannot score (an unknown direction or grade, a negative weight)."""


class BandError(ScoringError):
    """A reported 定性 score outside the band of its grade."""

    def __init__(self, name: str, grade: str, reported: float, low: float, high: float):
        self.name, self.grade, self.reported, self.low, self.high = name, grade, reported, low, high
        super().__init__(
            f"定性指标「{name}」：完成档次「{grade}」的得分应在 {low:.2f}–{high:.2f} 分之间，填报 {_fmt(reported)} 分"
        )


class WeightError(ScoringError):
    """Weights that do not add up; ``problems`` holds the (project_id, message) pairs."""

    def __init__(self, problems: Sequence[tuple[str, str]]):
        self.problems = list(problems)
        super().__init__("；".join(f"{pid}：{msg}" for pid, msg in self.problems))


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Provenance:
    """Where a row was read: file relative to the project root, sheet ("" for CSV), Excel row."""

    file: str
    sheet: str
    row: int

    def cite(self) -> str:
        where = f"「{self.sheet}」" if self.sheet else ""
        return f"{self.file}{where}第 {self.row} 行"


@dataclass(frozen=True)
class ExecutionScore:
    """The 预算执行率 part of a project's score."""

    full_year_budget: float
    executed: float
    weight: float
    rate: float | None
    """executed ÷ full_year_budget, not capped; None when the budget is 0."""
    score: float
    rule: str
    flags: tuple[str, ...] = ()

    @property
    def capped(self) -> bool:
        return "capped" in self.flags


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


@dataclass(frozen=True)
class ProjectScore:
    project_id: str
    project_name: str
    fund_source: str | None
    initial_budget: float
    full_year_budget: float
    executed: float
    weights: dict[str, float]
    """Effective first-level weights: execution, output, effect, satisfaction."""
    execution: ExecutionScore
    indicators: tuple[IndicatorScore, ...]
    subtotals: tuple[Subtotal, ...]
    """预算执行率 first, then 产出指标, 效益指标, 满意度指标, then any other first level."""
    total: float
    """Execution score + Σ row scores (reported where given), rounded to 2 decimals."""
    computed_total: float
    """Execution score + Σ computed row scores."""
    reported_total: float | None
    grade: str
    """The grade of ``final_total``."""
    computed_grade: str
    differences: tuple[Difference, ...]
    missing: tuple[str, ...]
    """Names of the indicators with no actual."""
    flags: tuple[str, ...]
    weight_problems: tuple[str, ...] = ()
    provenance: Provenance | None = None

    @property
    def final_total(self) -> float:
        """The total that stands: the reported total if given, else ``total``."""
        return self.reported_total if self.reported_total is not None else self.total


@dataclass(frozen=True)
class DepartmentScore:
    indicators: tuple[IndicatorScore, ...]
    subtotals: tuple[Subtotal, ...]
    total: float
    computed_total: float
    grade: str
    computed_grade: str
    differences: tuple[Difference, ...]
    missing: tuple[str, ...]
    flags: tuple[str, ...]
    weight_problems: tuple[str, ...] = ()

    @property
    def final_total(self) -> float:
        return self.total


@dataclass(frozen=True)
class WeightedSummary:
    """Project totals averaged with their executed amounts as weights."""

    score: float | None
    """None when there is no project."""
    total_executed: float
    terms: tuple[tuple[str, float, float], ...]
    """(project name, executed, final total) per project."""
    formula: str
    weighted: bool
    """False when every executed amount is 0 and a plain mean had to be taken."""


@dataclass(frozen=True)
class Scores:
    projects: tuple[ProjectScore, ...]
    department: DepartmentScore | None
    summary: WeightedSummary
    rules: Rules = field(default_factory=Rules)
    weight_problems: tuple[tuple[str, str], ...] = ()

    def project(self, project_id: str) -> ProjectScore:
        for p in self.projects:
            if p.project_id == project_id:
                return p
        raise KeyError(f"no evaluated project {project_id!r}")


# --------------------------------------------------------------------------- helpers


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


# --------------------------------------------------------------------------- plain values


def grade(total: float, rules: Rules = DEFAULT_RULES) -> str:
    """The grade of a total: the first band (highest first) whose bound the total reaches.

    The total is rounded to 2 decimals first, so 89.999 counts as 90.00. A total below every
    bound gets the lowest band's grade.
    """
    bands = sorted(rules.grades, key=lambda b: b[0], reverse=True)
    t = round2(total)
    for bound, name in bands:
        if t >= bound - 1e-9:
            return name
    return bands[-1][1]


def execution_score(full_year_budget: float, executed: float, weight: float = 10) -> ExecutionScore:
    """The 预算执行率 score: executed ÷ full-year budget × weight, the rate capped at 100%.

    - rate above 100%: full marks, flag ``capped``;
    - rate below 90%: flag ``low_rate`` (a reason is due);
    - full-year budget 0 (or blank): rate ``None``, score 0, flag ``no_budget``;
    - a negative result is scored 0.
    """
    budget = _num(full_year_budget) or 0.0
    spent = _num(executed) or 0.0
    w = _num(weight) or 0.0
    head = f"预算执行率：全年执行数 {spent:.2f} ÷ 全年预算数 {budget:.2f}"
    if budget <= 0:
        return ExecutionScore(
            budget,
            spent,
            w,
            None,
            0.0,
            f"预算执行率：全年预算数为 {budget:.2f}，执行率无法计算，得 0 分（请核对预算数）",
            ("no_budget",),
        )
    rate_d = _d(spent) / _d(budget)
    rate = float(rate_d)
    flags: list[str] = []
    if rate_d > 1:
        flags.append("capped")
        score = round2(_d(w))
        rule = f"{head} = {_pct_d(rate_d)}，超过 100% 按 100% 计，得满分 {_fmt(w)} 分"
    else:
        score = max(0.0, round2(_d(spent) * _d(w) / _d(budget)))
        rule = f"{head} = {_pct_d(rate_d)}，得分 = {spent:.2f} ÷ {budget:.2f} × {_fmt(w)} = {score:.2f}"
        if rate_d < Decimal(repr(LOW_RATE)):
            flags.append("low_rate")
            rule += "；执行率低于 90%，需说明原因"
    return ExecutionScore(budget, spent, w, rate, score, rule, tuple(flags))


def _pct_d(rate: Decimal) -> str:
    return f"{round2(rate * 100):.2f}%"


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


# --------------------------------------------------------------------------- budget measures

BUDGET_COLUMNS = {"initial_budget": "年初预算数", "full_year_budget": "全年预算数", "executed": "全年执行数"}
"""The budget table's amount columns and their labels, as the formulas name them."""

BUDGET_MEASURES: dict[str, tuple[str, str | None, str]] = {
    "预算执行率": ("executed", None, "full_year_budget"),
    "预算调整率": ("full_year_budget", "initial_budget", "initial_budget"),
    "结转结余率": ("full_year_budget", "executed", "full_year_budget"),
}
"""Measures over the budget table's totals, each (minuend, subtrahend or None, denominator):
value = (Σ minuend − Σ subtrahend) ÷ Σ denominator × 100, in percent (财预〔2013〕53号's
预算完成率, 预算调整率 and 结转结余率)."""


@dataclass(frozen=True)
class BudgetMeasure:
    """A measure (预算执行率 …) computed from the budget table's totals."""

    name: str
    value: float | None
    """In percent, rounded half-up to 2 decimals; None when the denominator is 0."""
    formula: str
    """In words: ``全年执行数 ÷ 全年预算数 × 100``."""
    totals: dict[str, float]
    """The sum of each budget column used (万元, 2 decimals), by column key."""
    rule: str
    """The formula with its numbers: ``全年执行数 9688.43 ÷ 全年预算数 9808.62 × 100 = 98.77``."""


def measure_formula(name: str) -> str:
    """The formula of a budget measure in words (``全年执行数 ÷ 全年预算数 × 100``)."""
    minuend, subtrahend, denominator = BUDGET_MEASURES[name]
    top = BUDGET_COLUMNS[minuend]
    if subtrahend is not None:
        top = f"({top} − {BUDGET_COLUMNS[subtrahend]})"
    return f"{top} ÷ {BUDGET_COLUMNS[denominator]} × 100"


def budget_measure(name: str, budget: pd.DataFrame | None) -> BudgetMeasure:
    """The measure ``name`` (a key of :data:`BUDGET_MEASURES`) over every line of ``budget``.

    >>> b = pd.DataFrame({"initial_budget": [100.0], "full_year_budget": [9808.62], "executed": [9688.43]})
    >>> budget_measure("预算执行率", b).rule
    '全年执行数 9688.43 ÷ 全年预算数 9808.62 × 100 = 98.77'
    """
    if name not in BUDGET_MEASURES:
        raise ScoringError(f"实际值计算口径 {name!r} 不是 {'、'.join(BUDGET_MEASURES)} 之一")
    minuend, subtrahend, denominator = BUDGET_MEASURES[name]
    rows = _records(budget)
    columns = dict.fromkeys(c for c in (minuend, subtrahend, denominator) if c is not None)
    totals = {c: _sum(_num(r.get(c)) or 0.0 for r in rows) for c in columns}
    formula = measure_formula(name)
    top = f"{BUDGET_COLUMNS[minuend]} {totals[minuend]:.2f}"
    if subtrahend is not None:
        top = f"({top} − {BUDGET_COLUMNS[subtrahend]} {totals[subtrahend]:.2f})"
    head = f"{top} ÷ {BUDGET_COLUMNS[denominator]} {totals[denominator]:.2f} × 100"
    if not rows or totals[denominator] <= 0:
        return BudgetMeasure(name, None, formula, totals, f"{head}：{BUDGET_COLUMNS[denominator]}为 0，无法计算")
    numerator = _d(totals[minuend]) - (_d(totals[subtrahend]) if subtrahend is not None else 0)
    value = round2(numerator * 100 / _d(totals[denominator]))
    return BudgetMeasure(name, value, formula, totals, f"{head} = {_fmt(value)}")


# --------------------------------------------------------------------------- tables


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


def _sum(values: Iterable[float]) -> float:
    return round2(sum((_d(v) for v in values), Decimal(0)))


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


def project_weights(project: Mapping[str, Any] | pd.Series, rules: Rules = DEFAULT_RULES) -> dict[str, float]:
    """A project's first-level weights: its weight_* columns, blanks taking the rules' default."""
    out = {}
    for key in ("execution", "output", "effect", "satisfaction"):
        v = _num(project.get(f"weight_{key}"))
        out[key] = v if v is not None else float(rules.weights[key])
    return out


def _project_weight_problems(weights: Mapping[str, float], rows: Sequence[Mapping[str, Any]]) -> list[str]:
    problems: list[str] = []
    total = _sum(weights.values())
    if abs(total - 100) > TOLERANCE:
        parts = " + ".join(
            f"{label} {_fmt(weights[key])}"
            for label, key in ((EXECUTION_LABEL, "execution"), *LEVEL1_WEIGHT_KEYS.items())
        )
        problems.append(f"一级指标分值合计 {_fmt(total)}，应为 100（{parts}）")
    by_l1: dict[str, list[float]] = {}
    for r in rows:
        l1 = _text(r.get("level1")) or ""
        w = _num(r.get("weight"))
        name = _text(r.get("level3")) or _text(r.get("indicator_id")) or "?"
        if w is None or w <= 0:
            problems.append(f"三级指标「{name}」的分值应大于 0")
        if l1 not in LEVEL1_WEIGHT_KEYS:
            known = "、".join(PROJECT_LEVEL1)
            problems.append(f"三级指标「{name}」的一级指标「{l1}」不是 {known} 之一")
            continue
        by_l1.setdefault(l1, []).append(w or 0.0)
    for l1, key in LEVEL1_WEIGHT_KEYS.items():
        declared = weights[key]
        got = _sum(by_l1.get(l1, []))
        if abs(got - declared) > TOLERANCE:
            if l1 not in by_l1:
                problems.append(f"{l1}分值 {_fmt(declared)}，但没有三级指标")
            else:
                problems.append(f"{l1}各三级指标分值合计 {_fmt(got)}，应等于其分值 {_fmt(declared)}")
    return problems


def _department_weight_problems(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    if not rows:
        return []
    problems = []
    for r in rows:
        w = _num(r.get("weight"))
        if w is None or w <= 0:
            name = _text(r.get("level3")) or _text(r.get("indicator_id")) or "?"
            problems.append(f"部门整体指标「{name}」的分值应大于 0")
    total = _sum(_num(r.get("weight")) or 0.0 for r in rows)
    if abs(total - 100) > TOLERANCE:
        problems.append(f"部门整体各指标分值合计 {_fmt(total)}，应为 100")
    return problems


def _is_evaluated(v: Any) -> bool:
    return _text(v) == "是"


def weight_problems(
    projects: pd.DataFrame, indicators: pd.DataFrame, rules: Rules = DEFAULT_RULES
) -> list[tuple[str, str]]:
    """(project_id, message) for every weight that does not add up.

    Per self-evaluated project (every project if there is no ``self_evaluated`` column): the
    first-level weights (execution + output + effect + satisfaction, blanks taking the rules'
    defaults) must add up to 100, and each first level's third-level weights to its weight.
    The department's own indicators (scope ``department``) must add up to 100, reported under
    the id ``department``.
    """
    ind = _records(indicators)
    out: list[tuple[str, str]] = []
    for p in _records(projects):
        if "self_evaluated" in p and not _is_evaluated(p.get("self_evaluated")):
            continue
        pid = _text(p.get("project_id")) or ""
        rows = [r for r in ind if _text(r.get("scope")) == pid]
        out += [(pid, m) for m in _project_weight_problems(project_weights(p, rules), rows)]
    dept = [r for r in ind if _text(r.get("scope")) == DEPARTMENT_SCOPE]
    out += [(DEPARTMENT_SCOPE, m) for m in _department_weight_problems(dept)]
    return out


def check_weights(projects: pd.DataFrame, indicators: pd.DataFrame, rules: Rules = DEFAULT_RULES) -> None:
    """Raise :class:`WeightError` listing every weight problem, if there is any."""
    problems = weight_problems(projects, indicators, rules)
    if problems:
        raise WeightError(problems)


def _differences(scores: Sequence[IndicatorScore]) -> list[Difference]:
    return [
        Difference(s.name, s.reported, s.computed, s.indicator_id, s.provenance)
        for s in scores
        if s.differs and s.reported is not None
    ]


def _collect_flags(*groups: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(f for g in groups for f in g))


def score_project(
    project: Mapping[str, Any] | pd.Series,
    indicators: pd.DataFrame,
    rules: Rules = DEFAULT_RULES,
) -> ProjectScore:
    """Score one project: its execution rate and its indicator rows.

    ``indicators`` holds the project's rows (rows of other scopes, if any, are ignored).
    Weights come from the project's weight_* columns, blanks taking the rules' defaults; sums
    that do not add up are listed in ``weight_problems`` (flag ``weights``), never raised.
    """
    pid = _text(project.get("project_id")) or ""
    rows = _records(indicators)
    if rows and "scope" in rows[0]:
        rows = [r for r in rows if _text(r.get("scope")) == pid]
    rows = _ordered(rows, PROJECT_LEVEL1)
    weights = project_weights(project, rules)
    budget = _num(project.get("full_year_budget")) or 0.0
    spent = _num(project.get("executed")) or 0.0
    execution = execution_score(budget, spent, weights["execution"])
    scores = tuple(_score_row(r, rules) for r in rows)

    declared = {l1: weights[key] for l1, key in LEVEL1_WEIGHT_KEYS.items()}
    subtotals = [
        Subtotal(EXECUTION_LABEL, weights["execution"], weights["execution"], execution.score, execution.score),
        *_subtotals(scores, declared, PROJECT_LEVEL1),
    ]
    total = _sum([execution.score, *(s.score for s in scores)])
    computed_total = _sum([execution.score, *(s.computed for s in scores)])
    reported_total = _num(project.get("reported_score"))
    name = _text(project.get("project_name")) or pid

    differences = _differences(scores)
    flags: list[str] = []
    if reported_total is not None:
        if abs(reported_total - computed_total) > TOLERANCE:
            differences.append(Difference(f"{name}总分", reported_total, computed_total, None, _provenance(project)))
        if abs(reported_total - total) > TOLERANCE:
            flags.append("total_mismatch")
    problems = _project_weight_problems(weights, rows)
    if problems:
        flags.append("weights")
    if differences:
        flags.append("differs")
    final = reported_total if reported_total is not None else total
    return ProjectScore(
        project_id=pid,
        project_name=name,
        fund_source=_text(project.get("fund_source")),
        initial_budget=_num(project.get("initial_budget")) or 0.0,
        full_year_budget=budget,
        executed=spent,
        weights=weights,
        execution=execution,
        indicators=scores,
        subtotals=tuple(subtotals),
        total=total,
        computed_total=computed_total,
        reported_total=reported_total,
        grade=grade(final, rules),
        computed_grade=grade(computed_total, rules),
        differences=tuple(differences),
        missing=tuple(s.name for s in scores if s.missing),
        flags=_collect_flags(execution.flags, *(s.flags for s in scores), flags),
        weight_problems=tuple(problems),
        provenance=_provenance(project),
    )


def score_department(
    indicators: pd.DataFrame, rules: Rules = DEFAULT_RULES, budget: pd.DataFrame | None = None
) -> DepartmentScore:
    """Score the department as a whole from its own indicator table (scope ``department``).

    Same engine as the projects; the weights are the rows' own (adding up to 100) and there is
    no separate execution score (the department's tables carry 预算完成率 as a row if they
    score it: with ``computed_actual`` 预算执行率 its actual is computed from ``budget``).
    First levels keep the names and order of the data.
    """
    rows = _records(indicators)
    if rows and "scope" in rows[0]:
        rows = [r for r in rows if _text(r.get("scope")) == DEPARTMENT_SCOPE]
    rows = _ordered(rows, ())
    scores = tuple(_score_row(r, rules, budget) for r in rows)
    total = _sum(s.score for s in scores)
    computed_total = _sum(s.computed for s in scores)
    differences = _differences(scores)
    problems = _department_weight_problems(rows)
    extra = (["weights"] if problems else []) + (["differs"] if differences else [])
    return DepartmentScore(
        indicators=scores,
        subtotals=tuple(_subtotals(scores, {}, ())),
        total=total,
        computed_total=computed_total,
        grade=grade(total, rules),
        computed_grade=grade(computed_total, rules),
        differences=tuple(differences),
        missing=tuple(s.name for s in scores if s.missing),
        flags=_collect_flags(*(s.flags for s in scores), extra),
        weight_problems=tuple(problems),
    )


def weighted_project_summary(project_scores: Sequence[ProjectScore]) -> WeightedSummary:
    """The projects' totals averaged with their executed amounts (全年执行数) as weights.

    score = Σ(final total × executed) ÷ Σ executed, rounded to 2 decimals, where a project's
    final total is its reported total if given, else its table's total. If every executed
    amount is 0 the plain mean is taken (``weighted`` False); with no project the score is None.
    """
    terms = tuple((p.project_name, p.executed, p.final_total) for p in project_scores)
    if not terms:
        return WeightedSummary(None, 0.0, (), "没有开展自评的项目", True)
    total_exec = _d(0)
    acc = _d(0)
    for _, e, s in terms:
        total_exec += _d(e)
        acc += _d(e) * _d(s)
    if total_exec > 0:
        score = round2(acc / total_exec)
        parts = " + ".join(f"{s:.2f} × {e:.2f}" for _, e, s in terms)
        formula = f"Σ(项目得分 × 全年执行数) ÷ Σ全年执行数 = ({parts}) ÷ {float(total_exec):.2f} = {score:.2f}"
        return WeightedSummary(score, float(total_exec), terms, formula, True)
    score = round2(sum((_d(s) for _, _, s in terms), _d(0)) / len(terms))
    parts = " + ".join(f"{s:.2f}" for _, _, s in terms)
    formula = f"各项目全年执行数均为 0，取算术平均：({parts}) ÷ {len(terms)} = {score:.2f}"
    return WeightedSummary(score, 0.0, terms, formula, False)


def score_all(dataset: Any, rules: Rules = DEFAULT_RULES) -> Scores:
    """Every self-evaluated project (``self_evaluated`` 是), the department, the weighted summary.

    ``dataset`` is a :class:`jixiao.inputs.dataset.Dataset` (anything with ``projects`` and
    ``indicators`` DataFrames).
    """
    projects = dataset.projects
    indicators = dataset.indicators
    ind_rows = _records(indicators)
    scores = []
    for p in _records(projects):
        if not _is_evaluated(p.get("self_evaluated")):
            continue
        pid = _text(p.get("project_id"))
        rows = pd.DataFrame([r for r in ind_rows if _text(r.get("scope")) == pid])
        scores.append(score_project(p, rows, rules))
    dept_rows = [r for r in ind_rows if _text(r.get("scope")) == DEPARTMENT_SCOPE]
    # the budget is read only when a department indicator computes its actual from it
    budget = getattr(dataset, "budget", None) if any(_text(r.get("computed_actual")) for r in dept_rows) else None
    department = score_department(pd.DataFrame(dept_rows), rules, budget) if dept_rows else None
    return Scores(
        projects=tuple(scores),
        department=department,
        summary=weighted_project_summary(scores),
        rules=rules,
        weight_problems=tuple(weight_problems(projects, indicators, rules)),
    )
