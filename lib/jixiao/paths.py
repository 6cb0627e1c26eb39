"""Where things live: every path is built from the project root, never from the working directory.

The root is the folder holding ``params/`` and ``data/``. It is found from the package's own
location (``lib/jixiao/`` inside the project) unless ``JIXIAO_ROOT`` names another one, which is
how tests build a copy of the project in a temporary folder.
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


def root() -> Path:
    """The project root: ``$JIXIAO_ROOT`` if set, else the folder two levels above the package."""
    env = os.environ.get("JIXIAO_ROOT")
    if not env:
        return PACKAGE_DIR.parents[1]
    return _resolved(env) if os.path.isabs(env) else Path(env).resolve()


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


def notebooks_dir() -> Path:
    return root() / "notebooks"


def output_dir(unit: str, year: int) -> Path:
    """``outputs/<unit>/<year>/``: build products, disposable, never committed."""
    return root() / "outputs" / check_unit(unit) / str(year)


def relative(path: Path) -> str:
    """A path as the user should read it: relative to the root where possible, with ``/``."""
    try:
        return Path(path).resolve().relative_to(root()).as_posix()
    except ValueError:
        return Path(path).as_posix()
