"""The official self-evaluation scoring rules (财预〔2020〕10号 and the self-evaluation notices), as pure functions.

The modules, lowest first: :mod:`~jixiao.scoring.rules` (the rules' settings),
:mod:`~jixiao.scoring.values` (cells read as the rules read them; decimal arithmetic),
:mod:`~jixiao.scoring.grades`, :mod:`~jixiao.scoring.execution` (预算执行率),
:mod:`~jixiao.scoring.measures` (actuals computed from the budget),
:mod:`~jixiao.scoring.indicators` (one indicator; rows grouped with subtotals),
:mod:`~jixiao.scoring.weights`, :mod:`~jixiao.scoring.projects`,
:mod:`~jixiao.scoring.department` and :mod:`~jixiao.scoring.scores` (a unit-year's scores). This
package re-exports their names.

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

from jixiao.scoring.department import DepartmentScore, score_department
from jixiao.scoring.execution import EXECUTION_LABEL, LOW_RATE, ExecutionScore, execution_score
from jixiao.scoring.grades import grade
from jixiao.scoring.indicators import FLAG_TEXT, BandError, Difference, IndicatorScore, Subtotal, score_indicator
from jixiao.scoring.measures import BUDGET_COLUMNS, BUDGET_MEASURES, BudgetMeasure, budget_measure, measure_formula
from jixiao.scoring.projects import ProjectScore, WeightedSummary, score_project, weighted_project_summary
from jixiao.scoring.rules import DEFAULT_RULES, LEVEL1_WEIGHT_KEYS, PROJECT_LEVEL1, Rules
from jixiao.scoring.scores import Scores, score_all
from jixiao.scoring.values import DEPARTMENT_SCOPE, TOLERANCE, Provenance, ScoringError, normalize_direction, round2
from jixiao.scoring.weights import WeightError, check_weights, project_weights, weight_problems

__all__ = [
    "BUDGET_COLUMNS",
    "BUDGET_MEASURES",
    "DEFAULT_RULES",
    "DEPARTMENT_SCOPE",
    "EXECUTION_LABEL",
    "FLAG_TEXT",
    "LEVEL1_WEIGHT_KEYS",
    "LOW_RATE",
    "PROJECT_LEVEL1",
    "TOLERANCE",
    "BandError",
    "BudgetMeasure",
    "DepartmentScore",
    "Difference",
    "ExecutionScore",
    "IndicatorScore",
    "ProjectScore",
    "Provenance",
    "Rules",
    "Scores",
    "ScoringError",
    "Subtotal",
    "WeightError",
    "WeightedSummary",
    "budget_measure",
    "check_weights",
    "execution_score",
    "grade",
    "measure_formula",
    "normalize_direction",
    "project_weights",
    "round2",
    "score_all",
    "score_department",
    "score_indicator",
    "score_project",
    "weight_problems",
    "weighted_project_summary",
]
