"""The build cache: a section is re-executed when, and only when, something it depends on changed.

A section's entry (``outputs/<unit>/<year>/.cache/<section>.json``) holds
- a *base key* over what is known before running: the notebook file, the section's parameters,
  the Python version and the versions of the packages that execute and render it;
- the *dependencies* the run itself reported (see ``jixiao.facts``): every input file it read,
  with its content hash (or its absence: a file that appears later, such as the previous year's
  data, invalidates the entry), and the source of every jixiao module it ran;
- the hash of the executed notebook it produced.

Hashing the notebook's code alone, as common execution caches do, would miss a changed CSV file.
This module imports nothing heavy: a build with nothing changed stays well under a second.
"""

from __future__ import annotations

import hashlib
import json
import platform
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from jixiao import paths
from jixiao.outputs import write_atomically
from jixiao.settings import Section

PACKAGES = (
    "papermill", "nbclient", "nbconvert", "nbformat", "ipykernel", "jupyter_client",
    "pandas", "numpy", "matplotlib", "pillow", "openpyxl", "mplfonts", "PyYAML",
)  # fmt: skip
ABSENT = "absent"


def file_hash(path: Path) -> str:
    """SHA-256 of a file's bytes, ``"absent"`` if there is no such file, ``"folder"`` for a folder
    (a section that looked for last year's data depends on whether the folder exists)."""
    if path.is_dir():
        return "folder"
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except (FileNotFoundError, IsADirectoryError):
        return ABSENT


@lru_cache(maxsize=1)
def environment() -> dict[str, str]:
    """Python and package versions: a new version of any of them may change an output."""
    versions = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "missing"
    return versions


def base_key(section: Section) -> str:
    payload = {
        "notebook": file_hash(section.notebook),
        "parameters": section.parameters,
        "environment": environment(),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def entry_path(unit: str, year: int, section: Section) -> Path:
    return paths.output_dir(unit, year) / ".cache" / f"{section.id}.json"


def executed_path(unit: str, year: int, section: Section) -> Path:
    return paths.output_dir(unit, year) / "notebooks" / f"{section.id}.ipynb"


@lru_cache(maxsize=8)
def _yaml(path: Path, stamp: tuple[int, int]) -> Any:
    """A YAML file's content, parsed once per version of the file (``stamp``: mtime and size)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)


def part_hash(path: Path, part: str) -> str:
    """SHA-256 of one part of a YAML file (``themes.dibao``): editing another part leaves it be."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return ABSENT
    value = _yaml(path, (stat.st_mtime_ns, stat.st_size))
    for key in part.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def dependency_hash(dependency: str) -> str:
    """The hash of a recorded dependency: ``file`` or ``file#part``, relative to the root."""
    rel, _, part = dependency.partition("#")
    return part_hash(paths.root() / rel, part) if part else file_hash(paths.root() / rel)


def _current(dependencies: dict[str, str]) -> dict[str, str]:
    return {dep: dependency_hash(dep) for dep in dependencies}


def lookup(unit: str, year: int, section: Section) -> dict[str, Any] | None:
    """The cache entry of ``section`` if it is still valid, else None."""
    try:
        entry = json.loads(entry_path(unit, year, section).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    if entry.get("base") != base_key(section):
        return None
    if _current(entry["dependencies"]) != entry["dependencies"]:
        return None
    if file_hash(executed_path(unit, year, section)) != entry.get("executed"):
        return None
    return entry


def store(unit: str, year: int, section: Section, facts: dict[str, Any], base: str) -> dict[str, Any]:
    """Record a run of ``section``: ``base`` is its base key taken before the run, the facts carry
    the hash of each dependency as the kernel found it when reading it. Something saved while the
    section ran therefore differs at the next build, which runs the section again."""
    dependencies = {**facts.get("reads", {}), **facts.get("modules", {})}
    entry = {
        "base": base,
        "dependencies": dict(sorted(dependencies.items())),
        "executed": file_hash(executed_path(unit, year, section)),
        "published": facts.get("published", {}),
    }
    write_atomically(entry_path(unit, year, section), json.dumps(entry, ensure_ascii=False, indent=1, sort_keys=True))
    return entry


def report_key(entries: list[dict[str, Any]], extra: dict[str, Any]) -> str:
    """Key of the stitched report: the executed sections plus what the stitcher itself uses."""
    payload = {"sections": [e["executed"] for e in entries], **extra}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
