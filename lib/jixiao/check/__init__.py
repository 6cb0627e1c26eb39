"""The bureau's check of filled 自评表 (``jixiao check``): every form read (``jixiao.forms``),
re-scored by a rule set (``jixiao.scoring``), flagged by the review's checks (``jixiao.checks``)
and by the form's own arithmetic, and written as ``check.html``, ``check.xlsx`` and ``check.json``.

- :mod:`~jixiao.check.rules`: the rule sets (named ones shipped as YAML, a bureau's file, a unit's);
- :mod:`~jixiao.check.forms`: one form checked, as a plain record;
- :mod:`~jixiao.check.run`: many files, in-process or on a Dask cluster, and the department-wide checks;
- :mod:`~jixiao.check.outputs`: the three files, written together.
"""
