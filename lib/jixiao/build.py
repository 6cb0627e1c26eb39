"""Building one unit-year's report: read like the report's outline.

1. settings and parameters, strictly checked;
2. inputs validated, before any notebook runs (skipped when no input changed since it last passed);
3. each section executed with papermill, unless its cache entry is still valid;
4. the executed sections stitched into ``report.html`` (written to a temporary file, then renamed);
5. the 自评表 workbook written beside it.

A failure at any step leaves the last good report untouched.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from jixiao import cache, paths, stitching
from jixiao import settings as settings_module
from jixiao.outputs import write_atomically
from jixiao.settings import Settings

Echo = Callable[[str], None]
WORKBOOK = "自评表.xlsx"

# nbformat imports jsonschema, which imports rfc3987_syntax when it is installed (jupyterlab's
# dependencies bring it), and that module builds an Earley parser at import: 1.5 s of every
# build. nbformat never checks IRI formats, so the build process goes without it.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


@dataclass
class BuildResult:
    report: Path
    seconds: float
    executed: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    stitched: bool = False


def _code_hash() -> str:
    """Hash of every jixiao source file (what validation and stitching run)."""
    digest = hashlib.sha256()
    for path in sorted(paths.PACKAGE_DIR.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".j2", ".css"}:
            digest.update(path.relative_to(paths.PACKAGE_DIR).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _inputs_hash(settings: Settings) -> str:
    digest = hashlib.sha256()
    data = paths.data_dir(settings.unit, settings.year)
    files = sorted(p for p in data.rglob("*") if p.is_file()) if data.is_dir() else []
    for path in [*settings.files, *files]:
        digest.update(paths.relative(path).encode())
        digest.update(cache.file_hash(path).encode())
    digest.update(_code_hash().encode())
    return digest.hexdigest()


def validate_inputs(settings: Settings, echo: Echo) -> None:
    """Check the inputs; raise ``jixiao.validation.InputError`` listing every problem."""
    marker = paths.output_dir(settings.unit, settings.year) / ".cache" / "validated.key"
    key = _inputs_hash(settings)
    if marker.is_file() and marker.read_text() == key:
        echo("  输入校验 (validation)   未变 (unchanged)")
        return
    from jixiao import validation

    start = time.perf_counter()
    validation.check(settings.unit, settings.year)
    write_atomically(marker, key)
    echo(f"  输入校验 (validation)   通过 (passed) {time.perf_counter() - start:5.2f}s")


def execute_sections(settings: Settings, force: bool, echo: Echo, result: BuildResult) -> list[dict]:
    """Run every section whose cache entry is stale; return the entries of all sections in order."""
    from jixiao import execution

    unit, year = settings.unit, settings.year
    entries: dict[str, dict] = {}
    stale = []
    for section in settings.sections:
        entry = None if force else cache.lookup(unit, year, section)
        if entry is None:
            stale.append(section)
        else:
            entries[section.id] = entry
            result.cached.append(section.id)
            echo(f"  {section.id:<22} 缓存 (cached)")

    def done(run: execution.Run) -> None:
        import nbformat

        from jixiao import facts

        notebook = nbformat.read(run.executed, as_version=4)
        entries[run.section.id] = cache.store(unit, year, run.section, facts.collect(notebook))
        result.executed.append(run.section.id)
        warned = any(
            o.get("output_type") == "stream" and o.get("name") == "stderr"
            for c in notebook.cells if c.cell_type == "code" for o in c.outputs
        )  # fmt: skip
        echo(f"  {run.section.id:<22} {run.seconds:5.2f}s" + ("  (有警告输出 stderr)" if warned else ""))

    jobs = [(s, cache.executed_path(unit, year, s)) for s in stale]
    if jobs:
        execution.run_sections(jobs, done)
    return [entries[s.id] for s in settings.sections]


def stale_sections(settings: Settings, force: bool) -> list:
    return [s for s in settings.sections if force or cache.lookup(settings.unit, settings.year, s) is None]


def stitch(settings: Settings, entries: list[dict], force: bool, echo: Echo, result: BuildResult) -> Path:
    out = paths.output_dir(settings.unit, settings.year)
    report = out / "report.html"
    marker = out / ".cache" / "report.key"
    key = cache.report_key(entries, {"code": _code_hash(), "unit_name": settings.unit_name})
    fresh = report.is_file() and (report.parent / WORKBOOK).is_file()
    if not force and fresh and marker.is_file() and marker.read_text() == key:
        echo("  拼接报告 (stitch)       未变 (unchanged)")
        return report
    start = time.perf_counter()
    stitcher = stitching.Stitcher()
    sections = [stitcher.section(s.id, cache.executed_path(settings.unit, settings.year, s)) for s in settings.sections]
    published: dict = {}
    for entry in entries:
        published.update(entry.get("published", {}))
    page = stitching.render_page(
        title=f"{settings.unit_name}{settings.year}年绩效自评报告",
        unit_name=settings.unit_name,
        year=settings.year,
        score_html=published.get("score_html", "—"),
        grade=published.get("grade", "—"),
        sections=sections,
    )
    workbook = export_workbook(settings)
    write_atomically(report, page)
    write_atomically(marker, key)
    result.stitched = True
    echo(f"  拼接报告 (stitch)       {time.perf_counter() - start:5.2f}s  + {workbook.name}")
    return report


def export_workbook(settings: Settings) -> Path:
    """The 自评表 workbook beside the report, from the same data and rules as the report."""
    from jixiao.report import Report
    from jixiao.selfeval_export import write_selfeval_workbook

    report = Report(settings.unit, settings.year)
    path = paths.output_dir(settings.unit, settings.year) / WORKBOOK
    return write_selfeval_workbook(path, report.data, report.scores, settings.unit_name)


def build(unit: str, year: int, *, force: bool = False, echo: Echo = print) -> BuildResult:
    """Build ``outputs/<unit>/<year>/report.html``; see the module's docstring."""
    start = time.perf_counter()
    settings = settings_module.load(unit, year)
    echo(f"jixiao build {unit} {year}")
    result = BuildResult(report=paths.output_dir(unit, year) / "report.html", seconds=0.0)
    zygote = None
    if stale_sections(settings, force):
        from jixiao import execution, kernels

        execution.kernel_environment()
        if kernels.Zygote.available():  # warms up while the inputs are checked
            zygote = kernels.Zygote.start()
    try:
        validate_inputs(settings, echo)
        if zygote is not None:
            zygote.__enter__()
        entries = execute_sections(settings, force, echo, result)
    finally:
        if zygote is not None:
            zygote.stop()
    result.report = stitch(settings, entries, force, echo, result)
    result.seconds = time.perf_counter() - start
    size = result.report.stat().st_size / 1e6
    echo(f"报告 (report): {paths.relative(result.report)}  {size:.2f} MB, {result.seconds:.2f}s")
    return result


def summary(result: BuildResult) -> str:
    return json.dumps({"executed": result.executed, "cached": result.cached}, ensure_ascii=False)
