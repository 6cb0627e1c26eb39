"""jixiao: a department's budget data for a year, turned into its 绩效自评报告.

Submodules are imported on first use (``jixiao.sections.overview``), so that a section notebook loads
only the code it runs: the build's cache re-executes a section when, and only when, a module it
ran has changed. ``jixiao.open_report(unit, year)``, the report as the section notebooks use it, is
:func:`jixiao.sections.report.open_report`, re-exported the same way; ``jixiao.frames(report)``, its
scores, review notes and figures as pandas DataFrames for exploring it, is
:func:`jixiao.sections.frames.frames`.
"""

from __future__ import annotations

import importlib
from typing import Any

from jixiao import facts as _facts  # noqa: F401  (records a build's facts after each cell)

__version__ = "0.1.0"

_EXPORTS = {"open_report": "jixiao.sections.report", "frames": "jixiao.sections.frames"}


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    if name.startswith("_"):
        raise AttributeError(name)
    try:
        return importlib.import_module(f"jixiao.{name}")
    except ModuleNotFoundError as exc:
        if exc.name == f"jixiao.{name}":
            raise AttributeError(f"module 'jixiao' has no attribute {name!r}") from None
        raise
