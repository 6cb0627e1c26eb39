"""The grade (优 良 中 差) of a total, by the rules' bands."""

from __future__ import annotations

from jixiao.scoring.rules import DEFAULT_RULES, Rules
from jixiao.scoring.values import round2


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
