"""The review's checks (审核提示) of a unit-year's inputs and scores, as pure functions over the
tables (a ``jixiao.inputs`` Dataset's DataFrames), the scores (``jixiao.scoring``) and the unit's
settings.

A check gives :class:`Finding` s: the rule that found it (its ``kind``), what it is about, and the
numbers that show it, each with its source: an input cell, a setting, or a formula over other
numbers. Nothing here is worded: ``jixiao.sections.review`` writes the findings into the report,
``jixiao.summary`` counts them for the bureau, and a check of filled official forms can apply the
same rules without a report.

- :mod:`~jixiao.checks.findings`: the data (:class:`Finding`, :class:`Number` and its sources) and
  the kinds' titles;
- :mod:`~jixiao.checks.stats`: the business statistics (unit costs, counts, parts of a whole, the
  自评表 against the statistics);
- :mod:`~jixiao.checks.amounts`: a project's money (statistics it pays, carry-overs);
- :mod:`~jixiao.checks.scores`: the scores and the 自评表 (reported scores, targets, full marks,
  low execution);
- :mod:`~jixiao.checks.text`: the narrative (repeated clauses, contradicting statuses);
- :mod:`~jixiao.checks.goals`: the year's goals against the indicators that measure them;
- :mod:`~jixiao.checks.published`: figures the published report printed otherwise;
- :func:`run`: every finding, in the order of :data:`TITLES`.
"""

from jixiao.checks.every import run
from jixiao.checks.findings import NOTE, TITLES, WARNING, Cell, Finding, Formula, Number, Setting

__all__ = ["NOTE", "TITLES", "WARNING", "Cell", "Finding", "Formula", "Number", "Setting", "run"]
