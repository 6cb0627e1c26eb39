"""What each section of the report states: the functions the section notebooks call.

Modules are imported on first use (``jixiao.sections.overview``), so that a section notebook loads
only the code it runs: the build's cache re-executes a section when, and only when, a module it ran
has changed.
"""

from __future__ import annotations

import importlib
from typing import Any


def __getattr__(name: str) -> Any:
    if name.startswith("_"):
        raise AttributeError(name)
    try:
        return importlib.import_module(f"{__name__}.{name}")
    except ModuleNotFoundError as exc:
        if exc.name == f"{__name__}.{name}":
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
        raise
