"""Where things live: every path is built from the project root, never from the working directory.

The root is the folder holding ``params/`` and ``data/``. It is found from the package's own
location (``lib/jixiao/`` inside the project) unless ``JIXIAO_ROOT`` names another one, which is
how tests build a copy of the project in a temporary folder.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def root() -> Path:
    """The project root: ``$JIXIAO_ROOT`` if set, else the folder two levels above the package."""
    env = os.environ.get("JIXIAO_ROOT")
    return Path(env).resolve() if env else PACKAGE_DIR.parents[1]


def data_dir(unit: str, year: int) -> Path:
    """``data/<unit>/<year>/``: the inputs of one unit and year."""
    return root() / "data" / unit / str(year)


def params_dir(unit: str) -> Path:
    """``params/<unit>/``: the unit's settings and one parameter file per year."""
    return root() / "params" / unit


def notebooks_dir() -> Path:
    return root() / "notebooks"


def output_dir(unit: str, year: int) -> Path:
    """``outputs/<unit>/<year>/``: build products, disposable, never committed."""
    return root() / "outputs" / unit / str(year)


def relative(path: Path) -> str:
    """A path as the user should read it: relative to the root where possible, with ``/``."""
    try:
        return Path(path).resolve().relative_to(root()).as_posix()
    except ValueError:
        return Path(path).as_posix()
