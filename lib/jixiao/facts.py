"""Facts a section notebook hands to the build: the inputs it read, the jixiao modules it ran,
and values the cover needs (the department's score and grade).

Inside a build (``JIXIAO_BUILD=1`` in the kernel's environment) each fact is sent as a display
output of the private MIME type below; the build reads them from the executed notebook and the
stitcher drops them, so the reader never sees them. Outside a build (JupyterLab, plain papermill)
nothing is displayed.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from jixiao import dependencies

MIME = "application/vnd.jixiao.facts+json"

_reads: dict[str, str] = {}
_names: dict[tuple[str, str | None], str] = {}
"""Each path (and part) recorded, by the name of its dependency: a section records the same
input table or settings file thousands of times, and naming it resolves the path."""
_reported: set[str] = set()
_reported_modules: set[str] = set()
_published: dict[str, Any] = {}
_hook_installed = False


def in_build() -> bool:
    """In a section kernel of a build: the build's flag, and an IPython shell to report through.
    The build process itself has the flag too (its kernels inherit it) but no shell: the
    workbook it makes from the same data records nothing."""
    ipython = sys.modules.get("IPython")  # always loaded in a kernel; never imported here
    # another thread of the build process may be importing IPython right now (papermill does):
    # a module still being initialised has no get_ipython yet, and no shell either
    shell = getattr(ipython, "get_ipython", None)
    return os.environ.get("JIXIAO_BUILD") == "1" and shell is not None and shell() is not None


def recording() -> bool:
    """Whether a read now is recorded (inside a build's section kernel, or :func:`remembering`):
    what costs a hash to record can be skipped otherwise."""
    return bool(_remembering) or in_build()


def record_read(path: Path | str, part: str | None = None) -> None:
    """Note that this section's output depends on ``path`` (its content, or its absence), or,
    for a YAML settings file, on one ``part`` of it (a dotted key path: ``themes.dibao``).

    The content is hashed now: call this before reading, so that a file saved while the section
    runs is seen as changed by the next build. Inside :func:`remembering` the read is also kept
    with its hash, for :func:`replay`."""
    building = in_build()
    if not building and not _remembering:
        return
    key = (str(path), part)
    dependency = _names.get(key)
    if dependency is None:
        dependency = _names[key] = dependencies.name(path, part)
    digest = _reads.get(dependency)
    if digest is None:
        digest = dependencies.dependency_hash(dependency)
    _keep(dependency, digest, building)


_remembering: list[dict[str, str]] = []


@contextmanager
def remembering() -> Iterator[dict[str, str]]:
    """Keep every read recorded meanwhile (nested calls each keep their own), with the hash its
    file had then: what a value computed once (in the kernel template, before the kernels are
    forked) was made from, for :func:`replay` wherever the value is used. Works outside a build."""
    reads: dict[str, str] = {}
    _remembering.append(reads)
    try:
        yield reads
    finally:  # by identity: two dicts with the same reads are equal
        del _remembering[next(i for i, kept in enumerate(_remembering) if kept is reads)]


def replay(reads: dict[str, str]) -> None:
    """Record reads made earlier (:func:`remembering`), with the hashes their files had when they
    were read: a value computed before the section ran is recorded as if the section had read
    its inputs itself, and a file changed since is seen as changed by the next build."""
    building = in_build()
    for dependency, digest in reads.items():
        _keep(dependency, digest, building)


def _keep(dependency: str, digest: str, building: bool) -> None:
    """A read with its hash: into every :func:`remembering` under way, and into this section's
    record inside a build (the first hash of a file stays)."""
    for kept in _remembering:
        kept.setdefault(dependency, digest)
    if building:
        _reads.setdefault(dependency, digest)
        _install_hook()


def publish(**values: Any) -> None:
    """Hand values to the build (JSON-serialisable), e.g. ``publish(score=100.0, grade="优")``."""
    _published.update(values)
    _install_hook()


def _jixiao_modules() -> list[str]:
    """Source files of the jixiao modules loaded in this kernel, relative to the project root
    (asked after every cell: each module's file is named once)."""
    files = []
    for name, module in sys.modules.copy().items():  # copy(): atomic, threads import too
        if (name == "jixiao" or name.startswith("jixiao.")) and getattr(module, "__file__", None):
            named = _module_names.get(module.__file__)
            if named is None:
                named = _module_names[module.__file__] = dependencies.name(module.__file__)
            files.append(named)
    return sorted(files)


_module_names: dict[str, str] = {}


def _module_hashes(files: list[str]) -> dict[str, str]:
    return {file: dependencies.dependency_hash(file) for file in files if file not in _reported_modules}


def _record_fonts() -> None:
    """Once the charts module is loaded: the font file the charts are drawn with (its content
    changes their bytes, so the section runs again when it changes): the file the charts name
    (``charts.font_path``)."""
    charts = sys.modules.get("jixiao.writing.charts")
    if charts is None:
        return
    try:
        record_read(str(charts.font_path()))
    except Exception:  # a font that cannot be found fails the chart itself, with its own message
        return


def _flush(*_: Any) -> None:
    _record_fonts()
    new_reads = {p: e for p, e in _reads.items() if p not in _reported}
    modules = _jixiao_modules()
    if not new_reads and not _published and _reported_modules.issuperset(modules):
        return
    from IPython.display import display

    payload = {"reads": new_reads, "modules": _module_hashes(modules), "published": dict(_published)}
    display({MIME: payload, "text/plain": ""}, raw=True)
    _reported.update(new_reads)
    _reported_modules.update(modules)
    _published.clear()


def _install_hook() -> None:
    global _hook_installed
    if _hook_installed or not in_build():
        return
    from IPython import get_ipython

    get_ipython().events.register("post_run_cell", _flush)
    _hook_installed = True


def collect(notebook: dict[str, Any]) -> dict[str, Any]:
    """All facts of an executed notebook (a ``nbformat`` node or plain dict), merged."""
    reads: dict[str, str] = {}
    modules: dict[str, str] = {}
    published: dict[str, Any] = {}
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []) or []:
            data = output.get("data") or {}
            if MIME in data:
                fact = data[MIME]
                reads.update(fact.get("reads", {}))
                modules.update(fact.get("modules", {}))
                published.update(fact.get("published", {}))
    return {"reads": reads, "modules": modules, "published": published}


_install_hook()
