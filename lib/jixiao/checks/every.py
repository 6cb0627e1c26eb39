"""Every check of a unit-year, its findings in the order of :data:`~jixiao.checks.findings.TITLES`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from jixiao.checks import amounts, goals, profile, published, scores, stats, text
from jixiao.checks.findings import Finding, ordered
from jixiao.inputs.published import PublishedTable


def run(
    data: Any,
    scored: Any,
    settings: Any,
    printed: PublishedTable,
    last_year: Callable[[], tuple[int, pd.DataFrame] | None],
) -> list[Finding]:
    """Every finding on ``data`` (the unit-year's tables, by name: a ``Dataset``; each is read only
    when a check needs it), its scores (``jixiao.scoring.score_all``), its ``settings``, its
    ``published`` table and, asked only when a project carries money over, last year's number and
    projects."""
    return ordered([
        *stats.unit_costs(data, settings),
        *stats.same_counts(data, settings),
        *profile.body_count(data),
        *stats.parts_of_whole(data, settings),
        *stats.indicator_stats(data),
        *amounts.project_amounts(data, settings),
        *amounts.carryovers(data, last_year),
        *scores.score_differences(scored, data),
        *scores.total_score(scored, data),
        *scores.indicator_flags(scored, data, settings),
        *scores.targets_equal_to_actuals(scored, settings),
        *scores.all_full_marks(scored),
        *scores.low_execution(scored, data),
        *text.repeated_text(data),
        *text.status_conflicts(data),
        *goals.goal_indicators(scored, data),
        *published.differences(data, scored, printed),
    ])  # fmt: skip
