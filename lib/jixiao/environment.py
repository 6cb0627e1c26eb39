"""Every environment variable jixiao reads, checked in one place before any work starts.

:data:`VARIABLES` lists them with the values each takes; :func:`problems` gives one line per
variable whose value is not one of them, and every command calls it first (``jixiao.cli``), so a
bad value ends the command with exit 2 and that line, before any file is read or written. The
readers below (:func:`lock_wait`, :func:`connect_wait`, :func:`source_date_epoch`,
:func:`fork_kernels`) parse with the same rules, so a value used deep in a build is the value that
was checked; called without the check (from Python), they raise :class:`EnvironmentValueError`
with the same line.

``SOURCE_DATE_EPOCH`` follows reproducible builds' rule
(https://reproducible-builds.org/specs/source-date-epoch/): an empty value is as if it were unset;
a value that is not a whole number of seconds is an error, "the build process SHOULD exit with a
non-zero error code", never silently replaced by another date.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

LOCK_WAIT_MAX = 86400
"""The longest wait for another build of a unit-year, in seconds (a day)."""
EPOCH_MAX = 4354819199
"""2107-12-31 23:59:59 UTC, the last second a zip entry's date holds (the DOCX and the workbook are zips)."""


class EnvironmentValueError(ValueError):
    """An environment variable with a value jixiao cannot use."""


@dataclass(frozen=True)
class Variable:
    name: str
    expected: str
    """The values it takes, as the message and the guide say it (Chinese, English in brackets)."""
    meaning: str
    internal: bool
    """Set by jixiao itself for the processes it starts; checked all the same."""
    check: Callable[[str], bool]


def _seconds(value: str) -> float | None:
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) and 0 <= number <= LOCK_WAIT_MAX else None


def _folder(value: str) -> bool:
    """An existing folder; a name the system cannot even look up (too long, a NUL) is not one."""
    try:
        return Path(value).is_dir()
    except (OSError, ValueError):
        return False


def _epoch(value: str) -> int | None:
    return int(value) if value.isascii() and value.isdigit() and int(value) <= EPOCH_MAX else None


VARIABLES: tuple[Variable, ...] = (
    Variable("JIXIAO_ROOT", "一个已有的文件夹 (an existing folder)",
             "the project folder (params/, data/, outputs/); default: the nearest folder at or above the "
             "working directory holding jixiao.yaml",
             False, _folder),
    Variable("JIXIAO_LOCK_WAIT", f"不超过 {LOCK_WAIT_MAX} 的非负秒数 (seconds, 0 to {LOCK_WAIT_MAX})",
             "how long a build waits for another build of the same unit-year; default 600",
             False, lambda v: _seconds(v) is not None),
    Variable("JIXIAO_CONNECT_WAIT", f"大于 0、不超过 {LOCK_WAIT_MAX} 的秒数 (seconds, above 0 to {LOCK_WAIT_MAX})",
             "how long batch --scheduler tries to reach its scheduler before it gives up, nothing built; default 10",
             False, lambda v: bool(_seconds(v))),
    Variable("SOURCE_DATE_EPOCH",
             f"不超过 {EPOCH_MAX} 的非负整数秒，即 1970 年至 2107 年底 (whole seconds since 1970, to the end of 2107)",
             "the date the PDF, DOCX and workbook carry; default: the profile's report_date",
             False, lambda v: _epoch(v) is not None),
    Variable("JIXIAO_FORK_KERNELS", "数字 0 或 1 (0 or 1)",
             "0: start each kernel the usual way instead of forking it from a template; default 1",
             False, lambda v: v in {"0", "1"}),
    Variable("JIXIAO_BUILD", "数字 1，由构建为其内核设置 (1, set by a build for its kernels)",
             "set by a build for its kernels: a section records what it read", True, lambda v: v == "1"),
    Variable("JIXIAO_RUNTIME_DIR",
             "一个绝对路径，由构建为其内核设置 (an absolute path, set by a build for its kernels)",
             "set by a build for its kernels: where their connection files go", True, lambda v: os.path.isabs(v)),
)  # fmt: skip
BY_NAME = {v.name: v for v in VARIABLES}


def _shown(value: str) -> str:
    return repr(value) if len(value) <= 200 else f"{value[:200]!r}…（共 {len(value)} 个字符）"


def problem(name: str, environ: Mapping[str, str] | None = None) -> str | None:
    """The line for ``name`` if its value cannot be used, else None. An empty value is as if unset."""
    value = (os.environ if environ is None else environ).get(name, "")
    variable = BY_NAME[name]
    if value.strip() == "" or variable.check(value.strip()):
        return None
    return f"环境变量 (environment variable) {name}={_shown(value)} 无效：应为{variable.expected}"


def problems(environ: Mapping[str, str] | None = None) -> list[str]:
    """One line per variable of :data:`VARIABLES` whose value cannot be used, in their order."""
    return [line for v in VARIABLES if (line := problem(v.name, environ)) is not None]


def _value(name: str) -> str | None:
    line = problem(name)
    if line is not None:
        raise EnvironmentValueError(line)
    value = os.environ.get(name, "").strip()
    return value or None


def lock_wait(default: float) -> float:
    """``JIXIAO_LOCK_WAIT`` in seconds, else ``default``."""
    value = _value("JIXIAO_LOCK_WAIT")
    return default if value is None else float(value)


def connect_wait(default: float) -> float:
    """``JIXIAO_CONNECT_WAIT`` in seconds, else ``default``."""
    value = _value("JIXIAO_CONNECT_WAIT")
    return default if value is None else float(value)


def source_date_epoch() -> int | None:
    """``SOURCE_DATE_EPOCH`` in seconds, None when unset or empty."""
    value = _value("SOURCE_DATE_EPOCH")
    return None if value is None else int(value)


def fork_kernels() -> bool:
    """False when ``JIXIAO_FORK_KERNELS`` is 0."""
    return _value("JIXIAO_FORK_KERNELS") != "0"
