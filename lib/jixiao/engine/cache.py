"""The build cache: a section is re-executed when, and only when, something it depends on changed.

A section's entry (``outputs/<unit>/<year>/.cache/<section>.json``) holds
- a *base key* over what is known before running: the notebook file, the section's parameters,
  the Python version and the versions of the packages that execute and render it;
- the *dependencies* the run itself reported (see ``jixiao.facts``): every input file it read,
  with its content hash (or its absence: a file that appears later, such as the previous year's
  data, invalidates the entry), the parts of the settings it read, the rows of a table where it
  read only those (``jixiao.inputs.parts``: a theme's narrative rows), and the source of every
  jixiao module it ran;
- the hash of the executed notebook it produced;
- a checksum over all of the above.

Beside it, ``<section>.html.json`` keeps the section rendered as report HTML, with its own
checksum. A checksum is the first key of its file's JSON, over the bytes of the rest. An entry that
cannot be read, or whose content no longer matches its checksum (a disk error, a hand edit:
grade 优 changed to 差), is discarded and its section run again, and the build says so in one
line.

Hashing the notebook's code alone, as common execution caches do, would miss a changed CSV file.
This module imports nothing heavy: a build with nothing changed stays well under a second.
"""

from __future__ import annotations

import hashlib
import json
import platform
from collections.abc import Callable
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jixiao import paths
from jixiao.dependencies import ABSENT, dependency_hash, file_hash, part_hash
from jixiao.outputs import Damaged, read_sealed, write_sealed

if TYPE_CHECKING:
    from jixiao.inputs.settings import Section

__all__ = ["ABSENT", "Damaged", "dependency_hash", "file_hash", "lookup", "part_hash", "store"]

PACKAGES = (
    "papermill", "nbclient", "nbconvert", "nbformat", "ipykernel", "jupyter_client",
    "pandas", "numpy", "matplotlib", "pillow", "openpyxl", "mplfonts", "PyYAML",
)  # fmt: skip


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


def rendered_path(unit: str, year: int, section: Section) -> Path:
    return paths.output_dir(unit, year) / ".cache" / f"{section.id}.html.json"


def executed_path(unit: str, year: int, section: Section) -> Path:
    return paths.output_dir(unit, year) / "notebooks" / f"{section.id}.ipynb"


def _current(recorded: dict[str, str]) -> dict[str, str] | None:
    """The recorded dependencies with their hashes now; None as soon as one changed."""
    from jixiao.inputs import parts

    now = {}
    for dependency, digest in recorded.items():
        found = parts.current(dependency, digest)
        if found is None:
            return None
        now[dependency] = found
    return now


_ENTRY_FIELDS = {"base": str, "dependencies": dict, "executed": str, "published": dict}


def lookup(unit: str, year: int, section: Section, warn: Callable[[str], None] | None = None) -> dict[str, Any] | None:
    """The cache entry of ``section`` if it is still valid, else None.

    A damaged entry (or rendered section) is deleted and ``warn`` told in one line."""
    try:
        entry = read_sealed(entry_path(unit, year, section))
        if entry is not None and any(not isinstance(entry.get(k), t) for k, t in _ENTRY_FIELDS.items()):
            raise Damaged(entry_path(unit, year, section), "不是缓存条目")
        read_sealed(rendered_path(unit, year, section), parse=False)
    except Damaged as exc:
        for path in (entry_path(unit, year, section), rendered_path(unit, year, section)):
            path.unlink(missing_ok=True)
        if warn is not None:
            warn(f"  注意 (note): 缓存已损坏，已丢弃，重新执行 {section.id}：{exc}")
        return None
    if entry is None or entry["base"] != base_key(section):
        return None
    now = _current(entry["dependencies"])
    if now is None or file_hash(executed_path(unit, year, section)) != entry["executed"]:
        return None
    if now != entry["dependencies"]:  # rows unchanged in a changed file: checked by a file's hash next time
        entry["dependencies"] = now
        write_sealed(entry_path(unit, year, section), entry)
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
    write_sealed(entry_path(unit, year, section), entry)
    return entry


def rendered(unit: str, year: int, section: Section, key: str) -> dict[str, Any] | None:
    """The section's rendered HTML kept under ``key``, or None (absent, stale or damaged)."""
    try:
        kept = read_sealed(rendered_path(unit, year, section))
    except Damaged:
        return None
    if kept is None or kept.pop("key", None) != key:
        return None
    return kept


def store_rendered(unit: str, year: int, section: Section, key: str, fields: dict[str, Any]) -> None:
    write_sealed(rendered_path(unit, year, section), {"key": key, **fields})


def report_key(entries: list[dict[str, Any]], extra: dict[str, Any]) -> str:
    """Key of the stitched report: the executed sections plus what the stitcher itself uses."""
    payload = {"sections": [e["executed"] for e in entries], **extra}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
