"""Where things live: every path is built from the project root, never from the working directory.

A project is any folder with a ``jixiao.yaml`` at its top (:data:`MARKER`): ``params/``,
``data/`` and ``outputs/`` lie beside it. Every command finds its project as git and Quarto do,
by walking up from the working directory to the first folder holding the marker; ``JIXIAO_ROOT``,
when set, names the project folder instead (a build sets it for its kernels, tests for their
copies). Outside any project a command that needs one stops with :class:`NoProject`.

The section notebooks ship inside the package (``jixiao/notebooks/``; in a checkout of jixiao
that folder is a link to the checkout's ``notebooks/``). A project's own ``notebooks/`` may hold
a notebook of the same name, which is then used instead (:func:`notebook`).
"""

from __future__ import annotations

import os
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
UNIT_ID = re.compile(r"[^\W_][\w.-]{0,63}")
"""A unit id is a plain folder name: letters (Chinese too), digits, ``-``, ``_`` and ``.``, not
starting with a dot or ``-``, at most 64 characters: never a path (``../x``, ``/abs``, ``a/b``)."""


class UnitIdError(ValueError):
    """A unit id that is not a plain folder name."""

    def __init__(self, unit: str) -> None:
        self.unit = unit
        super().__init__(
            f"单位编码 (unit id) {unit!r} 无效：应为一个文件夹名，由字母、汉字、数字、- _ . 组成，"
            "不以 . 或 - 开头，不含 / \\ 或 ..，至多 64 个字符"
        )


def check_unit(unit: str) -> str:
    """``unit`` if it is a plain folder name, else :class:`UnitIdError` (before any file is touched)."""
    if not isinstance(unit, str) or not UNIT_ID.fullmatch(unit) or ".." in unit:
        raise UnitIdError(str(unit))
    return unit


NAME_LENGTH = 100
"""The longest name jixiao takes (a unit's, a bureau's): a title, not a paragraph."""


class NameRuleError(ValueError):
    """A name (a unit's ``unit_name``, ``summary --bureau``) that is empty, too long, or holds a
    control character (a line break, a tab, a zero-width or bidirectional mark)."""

    def __init__(self, name: str, reason: str, what: str = "单位名称 (unit name)") -> None:
        self.name = name
        self.reason = reason
        super().__init__(f"{what} {name!r} 无效：{reason}")


def check_name(name: str, what: str = "单位名称 (unit name)") -> str:
    """``name`` stripped of surrounding spaces if it is a name jixiao can print in a title, a file's
    properties and a sheet: text, not empty, at most :data:`NAME_LENGTH` characters, no control or
    format character (Unicode categories Cc and Cf: ``\\n``, ``\\t``, U+200B, U+202E…). Else
    :class:`NameRuleError`, before any file is touched. The one rule for every name jixiao takes."""
    if not isinstance(name, str):
        raise NameRuleError(str(name), f"应为文字 (a text), 实为 {type(name).__name__}", what)
    stripped = name.strip()
    if not stripped:
        raise NameRuleError(name, "不能为空 (empty)", what)
    if len(stripped) > NAME_LENGTH:
        raise NameRuleError(name, f"长 {len(stripped)} 个字符, 至多 {NAME_LENGTH} 个 (too long)", what)
    for char in stripped:
        if unicodedata.category(char) in ("Cc", "Cf"):
            raise NameRuleError(
                name,
                f"含控制字符 U+{ord(char):04X} (a control character); 应为一行可打印的文字 (one printable line)",
                what,
            )
    return stripped


MARKER = "jixiao.yaml"
"""The file that makes a folder a jixiao project (its settings: :mod:`jixiao.project`)."""

PACKAGED_NOTEBOOKS = PACKAGE_DIR / "notebooks"
"""The section notebooks that ship with jixiao."""


class NoProject(LookupError):
    """A command that needs a project, run outside any (no ``jixiao.yaml`` here or above)."""

    def __init__(self, start: Path) -> None:
        self.start = start
        super().__init__(
            f"不在 jixiao 项目中 (not in a jixiao project): {start} 及其上级文件夹都没有 {MARKER}；"
            "新建项目 (to start one here): jixiao new --unit 单位编码 --name 单位名称 --year 年度"
        )


def root() -> Path:
    """The project root: ``$JIXIAO_ROOT`` if set, else the nearest folder at or above the working
    directory holding :data:`MARKER`; :class:`NoProject` if there is none."""
    found = project_root()
    if found is None:
        raise NoProject(Path.cwd())
    return found


def project_root() -> Path | None:
    """:func:`root`, or None outside any project (for a command that also works without one)."""
    env = os.environ.get("JIXIAO_ROOT")
    if env:
        return _resolved(env) if os.path.isabs(env) else Path(env).resolve()
    try:
        start = os.getcwd()
    except FileNotFoundError:  # the working directory was deleted
        return None
    found = _found.get(start)
    if found is None:
        found = _marked(Path(start))
        if found is not None:  # a miss is not kept: `jixiao new` may make the project next
            _found[start] = found
    return found


_found: dict[str, Path] = {}


def begin_project(folder: Path) -> Path:
    """Make ``folder`` (the working directory) this process's project before its marker is
    written: ``jixiao new`` starting a project writes the unit's files and the marker together."""
    _found[os.getcwd()] = folder.resolve()
    return folder


def _marked(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        if (folder / MARKER).is_file():
            return folder.resolve()
    return None


@lru_cache(maxsize=16)
def _resolved(folder: str) -> Path:
    """An absolute ``folder`` resolved, once per process: every path of a build starts at the root."""
    return Path(folder).resolve()


def data_dir(unit: str, year: int) -> Path:
    """``data/<unit>/<year>/``: the inputs of one unit and year."""
    return root() / "data" / check_unit(unit) / str(year)


def params_dir(unit: str) -> Path:
    """``params/<unit>/``: the unit's settings and one parameter file per year."""
    return root() / "params" / check_unit(unit)


def notebook(name: str) -> Path:
    """The section notebook ``name`` a build runs: the project's own ``notebooks/<name>`` if there
    is one, else the one shipped with jixiao."""
    own = root() / "notebooks" / name
    return own if own.is_file() else PACKAGED_NOTEBOOKS / name


def output_dir(unit: str, year: int) -> Path:
    """``outputs/<unit>/<year>/``: build products, disposable, never committed."""
    return root() / "outputs" / check_unit(unit) / str(year)


def shared_cache(name: str) -> Path:
    """``outputs/.cache/<name>/``: what builds keep for one another beside any one unit-year's
    outputs, disposable (the charts' memo: ``jixiao.writing.charts``)."""
    return root() / "outputs" / ".cache" / name


def relative(path: Path) -> str:
    """A path as the user should read it, with ``/``: relative to the project where it lies in it,
    ``jixiao/…`` for a file that ships with jixiao (a packaged notebook), else as given."""
    resolved = Path(path).resolve()
    for base, prefix in ((project_root(), ""), (PACKAGE_DIR, "jixiao/")):
        if base is not None and resolved.is_relative_to(base):
            return prefix + resolved.relative_to(base).as_posix()
    if resolved.is_relative_to(PACKAGED_NOTEBOOKS.resolve()):  # a checkout's notebooks/, reached by its link
        return "jixiao/notebooks/" + resolved.relative_to(PACKAGED_NOTEBOOKS.resolve()).as_posix()
    return Path(path).as_posix()
