"""Building one unit-year's report: read like the report's outline.

1. settings and parameters, strictly checked;
2. inputs validated, before any notebook runs (skipped when no input changed since it last passed);
3. each section executed with papermill, unless its cache entry is still valid;
4. the executed sections stitched into each edition's page (``jixiao.render``: ``filing``, the
   report a department files, and ``review``, with the 审核提示), written as ``report.html`` /
   ``report-review.html`` and rendered from the same page to PDF and DOCX; written with the 自评表
   workbook and ``build.json`` (what the report was built from) as one group: temporary files,
   renamed together.

One build of a unit-year runs at a time (a lock in its output folder; a second build waits for the
first, then finds most of its work cached). A failure at any step, a full disk or Ctrl-C leaves the
last good report and its workbook untouched, stops every kernel and removes the temporary files.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jixiao import __version__, dependencies, environment, outputs, paths, scratch
from jixiao.engine import cache, warm
from jixiao.inputs import settings as settings_module
from jixiao.inputs.settings import Section, Settings
from jixiao.outputs import OutputError, write_atomically
from jixiao.render import html as stitching

Echo = Callable[[str], None]
BUILD_INFO = "build.json"
NO_WORKBOOK = (
    "绩效指标(indicators)表没有数据行，没有自评得分，也没有可填的自评表 "
    "(no indicators: no score and no self-evaluation form)"
)
"""Why a build makes no 自评表 workbook: the one line it prints, and ``build.json``'s ``not_made``."""
NOT_MADE = "not made:"
"""Marks an output in the report's key file that was not made, for the key that follows."""
LOCK_WAIT = 600.0
"""Seconds a build waits for another build of the same unit-year (``JIXIAO_LOCK_WAIT``)."""


class BuildBusy(RuntimeError):
    """Another build of the same unit-year held the lock for longer than the build would wait."""


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


_code_hash = dependencies.code_hash  # build.json's `code`, and `jixiao --version`'s


def years_with_data(settings: Settings) -> list[int]:
    """The report's year and every earlier year with data and parameters (the sections compare
    them), newest first."""
    years = [settings.year]
    while (paths.data_dir(settings.unit, years[-1] - 1)).is_dir() and (
        paths.params_dir(settings.unit) / f"{years[-1] - 1}.yaml"
    ).is_file():
        years.append(years[-1] - 1)
    return years


def _year_files(settings: Settings, year: int) -> list[Path]:
    """One year's inputs: its data files and its parameters."""
    data = paths.data_dir(settings.unit, year)
    files = sorted(p for p in data.rglob("*") if p.is_file()) if data.is_dir() else []
    return [*files, paths.params_dir(settings.unit) / f"{year}.yaml"]


def input_files(settings: Settings) -> dict[str, str]:
    """Every file the report is built from (settings, each year's parameters and data), by its
    path relative to the root, with its SHA-256."""
    files = [*settings.files, *(f for year in years_with_data(settings) for f in _year_files(settings, year))]
    return {paths.relative(path): cache.file_hash(path) for path in files}


def _inputs_hash(settings: Settings) -> str:
    """The key of the inputs, year by year (``2019=<hash>,2018=<hash>``): each over that year's data
    and parameters, the settings and jixiao's code. A year's check does not read another year's
    inputs, so an edit to this year's leaves last year's checked."""
    common = hashlib.sha256(_code_hash().encode())
    for path in settings.files:
        common.update(f"{paths.relative(path)}\0{cache.file_hash(path)}\n".encode())
    keys = []
    for year in years_with_data(settings):
        digest = common.copy()
        for path in _year_files(settings, year):
            digest.update(f"{paths.relative(path)}\0{cache.file_hash(path)}\n".encode())
        keys.append(f"{year}={digest.hexdigest()}")
    return ",".join(keys)


def validate_inputs(settings: Settings, echo: Echo, found: Callable[[], Any] | None = None,
                    key: str | None = None) -> str:  # fmt: skip
    """Check the inputs of every year whose inputs changed since they last passed (:func:`unchecked`);
    raise ``jixiao.inputs.validation.InputError`` listing every problem. Returns the key of the
    inputs (:func:`_inputs_hash`), kept once they passed.

    ``found`` gives what :func:`input_problems` found elsewhere (in a child of the kernel template,
    while the first sections run), or None when it could not say: then the check runs here.
    ``key``: the inputs' key taken when that check started (else it is taken now)."""
    marker = _marker(settings)
    key = key or _inputs_hash(settings)
    years = unchecked(marker, key)
    if not years:
        echo("  输入校验 (validation)   未变 (unchanged)")
        return key
    start = time.perf_counter()
    problems, notes = (found() if found is not None else None) or input_problems(settings.unit, years, settings.year)
    for note in notes:  # 注意 (note) or 警告 (warning): neither stops the build
        echo(f"  {note}")
    if problems:
        from jixiao.inputs import validation

        raise validation.InputError(problems)
    write_atomically(marker, key)
    echo(f"  输入校验 (validation)   通过 (passed) {time.perf_counter() - start:5.2f}s")
    return key


def input_problems(unit: str, years: list[int], report_year: int | None = None) -> tuple[list[Any], list[str]]:
    """The problems and notes of the inputs of ``unit`` in ``years``: the report's own year
    (``report_year``, else the first) and earlier ones the report compares with."""
    from jixiao.inputs import validation

    problems, notes = [], []
    for year in years:
        found, noted = validation.validate_with_notes(unit, year, compared=year != (report_year or years[0]))
        problems, notes = problems + found, notes + noted
    return problems, notes


def _marker(settings: Settings) -> Path:
    """Holds the key of the inputs that last passed their check."""
    return paths.output_dir(settings.unit, settings.year) / ".cache" / "validated.key"


def unchecked(marker: Path, key: str) -> list[int]:
    """The years of ``key`` (:func:`_inputs_hash`) whose inputs are not those that last passed their
    check, as the marker file holds them (all of them without one: a damaged or unreadable marker
    just says so)."""
    try:
        passed = set(marker.read_text(encoding="utf-8").split(","))
    except (OSError, UnicodeDecodeError):
        passed = set()
    return [int(part.partition("=")[0]) for part in key.split(",") if part not in passed]


@contextmanager
def locked(unit: str, year: int, echo: Echo, busy: str | None = None) -> Iterator[None]:
    """Hold the unit-year's build lock (``outputs/<unit>/<year>/.build.lock``); wait for another
    build holding it, at most ``JIXIAO_LOCK_WAIT`` seconds, saying so, then give up. With
    ``busy`` (what the caller is: a preview holds the lock as long as it runs) no waiting: a held
    lock is at once a :class:`BuildBusy` that says so."""
    from filelock import FileLock, Timeout

    out = outputs.make_folder(paths.output_dir(unit, year))
    path = out / ".build.lock"
    wait = environment.lock_wait(LOCK_WAIT)
    lock = FileLock(str(path), thread_local=False)
    try:
        try:
            lock.acquire(timeout=0)
        except Timeout:
            if busy is not None:
                raise BuildBusy(
                    f"另一个构建或预览正在生成 {unit} {year}（{paths.relative(path)} 被占用），{busy}未启动 "
                    "(another build or preview of this unit-year is running)"
                ) from None
            echo(f"  另一个构建正在生成 {unit} {year}，等待它结束（至多 {wait:g} 秒）(waiting for another build)")
            try:
                lock.acquire(timeout=wait)
            except Timeout:
                raise BuildBusy(
                    f"另一个构建仍在生成 {unit} {year}（{paths.relative(path)} 被占用 {wait:g} 秒）；"
                    "请等它结束后再试 (another build of this unit-year is running)"
                ) from None
    except OSError as exc:
        raise OutputError(path, exc) from None
    try:
        outputs.remove_leftovers(out)  # what a killed build left behind
        yield
    finally:
        lock.release()


class Build:
    """One build: the steps of :func:`build`, and what they share.

    While the kernels run, the build process itself is mostly waiting: it imports nbconvert in the
    background and renders each section as soon as it is done. The inputs' check and the workbook,
    which need pandas and openpyxl, run in children of the kernel template, which has them
    imported and the report loaded, beside the first sections (the build process needs no pandas
    for them); no section's result is kept before the inputs passed their check. Without the
    template they run here: the check before any section, the workbook in the background.
    """

    def __init__(
        self, settings: Settings, force: bool, echo: Echo,
        editions: tuple[str, ...] | None = None, formats: tuple[str, ...] | None = None, template: Any = None,
        stitcher: Future | None = None,
    ) -> None:  # fmt: skip
        self.settings, self.force, self.echo = settings, force, echo
        self.template = template
        """A kernel template kept between builds (``jixiao preview``; a ``kernels.Zygote``): the
        build reloads the report in it and leaves it running, unless the build fails (then it
        goes with the build's kernels). ``stitcher``: a stitcher kept between builds too (a Future
        of :func:`_stitcher`'s)."""
        self.editions = editions or settings.editions  # the command line's choice, else the settings'
        self.formats = formats or settings.formats
        self.unit, self.year = settings.unit, settings.year
        self.out = paths.output_dir(self.unit, self.year)
        self.result = BuildResult(report=self.out / "report.html", seconds=0.0)
        self.entries: dict[str, dict] = {}
        self.rendered: dict[str, stitching.RenderedSection] = {}
        self.stale = [s for s in settings.sections if force or self._cached(s) is None]
        self.base = {s.id: cache.base_key(s) for s in self.stale}  # taken before anything runs
        self.inputs_key = ""
        self.background = ThreadPoolExecutor(max_workers=3, thread_name_prefix="jixiao-build")
        self._stitcher: Future | None = stitcher
        self._workbook: Any = None
        """The workbook's bytes to come: a Future, or a call into the kernel template."""
        self.work: Path | None = None
        """A private temporary folder: the executed notebooks until each is done, the kernels'
        connection files, the kernel template's socket. Removed at the end, whatever happens."""
        self._metadata: Future | None = None
        self._check: Callable[[], Any] | None = None
        self._checking = threading.Lock()
        self._check_failed: BaseException | None = None
        """The inputs' check, still to be waited for (it runs beside the first sections)."""
        self._paged: Any = None  # makes the second edition's PDF and DOCX (render.paged.PagedProcess)
        self.engine = warm.current
        """What this process keeps warm between builds (``engine.warm``; None for ``jixiao build``):
        the build forks its zygote from its template, and uses its stitcher and PDF helper."""
        self._cover: Any = None
        """The cover's score and grade when no section hands them over: a Future, or a call into
        the kernel template."""

    @functools.cached_property
    def code(self) -> str:
        """The hash of jixiao's code (``_code_hash``), taken once per build: every section's
        rendering and the report's key use it."""
        return _code_hash()

    def _cached(self, section: Section) -> dict | None:
        entry = cache.lookup(self.unit, self.year, section, warn=self.echo)
        if entry is not None:
            self.entries[section.id] = entry
        return entry

    @property
    def stitcher(self) -> stitching.Stitcher:
        if self._stitcher is None:  # nothing ran, so nothing started it in the background
            self._stitcher = _done(stitching.Stitcher())
        return self._stitcher.result()

    def run(self) -> BuildResult:
        start = time.perf_counter()
        self.echo(f"jixiao build {self.unit} {self.year}")
        zygote = None
        try:
            if self.stale:
                from jixiao.engine import execution, kernels

                try:
                    self.work = scratch.folder("build")
                except OSError as exc:
                    raise OutputError(tempfile.gettempdir(), exc) from None
                execution.kernel_environment(self.work)
                if self.template is not None and self.template.alive():  # a preview's, kept between builds
                    zygote = self.template
                elif kernels.Zygote.available():  # warms up while papermill and nbconvert are imported
                    report = (self.unit, self.year)
                    zygote = self.engine and self.engine.zygote(self.work, report)  # a batch worker's warm template
                    zygote = zygote or kernels.Zygote.start(self.work, report)
            if zygote is None:
                self.inputs_key = validate_inputs(self.settings, self.echo)
            if self.stale:
                self.prepare(in_background=zygote is None)  # the zygote is still warming up meanwhile
            if zygote is not None:
                key = _inputs_hash(self.settings)  # while the template warms up
                try:
                    zygote.__enter__()
                    if zygote is self.template and zygote.loaded != key:  # kept since an earlier build,
                        zygote.reload(self.unit, self.year)  # which loaded other inputs: load them as they are now
                        zygote.loaded = key
                except RuntimeError as exc:  # kernels then start the usual way: slower, not wrong
                    if zygote is self.template:
                        zygote.kill()
                    self.echo(f"  注意 (note): {exc}; kernels start the usual way")
                    zygote = None
                    self.inputs_key = validate_inputs(self.settings, self.echo, key=key)
                    self.prepare(in_background=True)
                else:
                    self.in_template(zygote, key)
            self.execute()
            self.checked()
            if self._workbook is not None and not isinstance(self._workbook, Future):
                made, workbook = self._workbook.result()  # a call: read back before the template stops
                self._workbook = _done(workbook) if made else None
            if self._cover is not None and not isinstance(self._cover, Future):
                made, values = self._cover.result()
                self._cover = _done(values) if made else None
        except BaseException:
            if self.stale:  # a failure or Ctrl-C: no kernel outlives the build, nothing waits for one
                from jixiao.engine import kernels

                kernels.kill_all()
            if self._paged is not None:  # a warm engine's too: it may be mid-request
                self._paged.kill()
            raise
        finally:
            if zygote is not None and zygote is self.template:
                zygote.release()
            elif zygote is not None:
                zygote.stop()
            self.background.shutdown(wait=False, cancel_futures=True)
            if self.work is not None:
                scratch.remove(self.work)
        try:
            self.stitch()
        except BaseException:
            if self._paged is not None:  # an interrupted stitch
                self._paged.kill()
            raise
        if self._paged is not None and self.engine is None:  # done with (a warm engine keeps it)
            self._paged.kill()
        self.result.seconds = time.perf_counter() - start
        size = self.result.report.stat().st_size / 1e6
        self.echo(f"报告 (report): {paths.relative(self.result.report)}  {size:.2f} MB, {self.result.seconds:.2f}s")
        return self.result

    def in_template(self, zygote: Any, key: str) -> None:
        """Start the inputs' check (unless they passed it unchanged: ``key``, the inputs' key) and
        the workbook in children of the kernel template."""
        years = unchecked(_marker(self.settings), key)  # whose inputs (or the code) changed since they passed
        if years:
            call = zygote.call("jixiao.engine.pipeline:input_problems", self.unit, years, self.year)

            def watch() -> Any:
                """The check's problems and notes (None if the child gave none); on problems, the
                sections are stopped at once: the build fails with the inputs' problems. A child
                killed with a stopped build gives none, and the check is not made here instead."""
                from jixiao.engine import execution, kernels

                made, found = call.result()
                if made and found[0]:
                    kernels.kill_all()
                if not made and execution.INTERRUPTED.is_set():
                    raise execution.Abandoned("the build was stopped")
                return found if made else None

            found = self.background.submit(watch)
            self._check = lambda: validate_inputs(self.settings, self.echo, found.result, key)
        else:
            self._check = lambda: validate_inputs(self.settings, self.echo, key=key)
        if "xlsx" in self.formats:
            self._workbook = zygote.call("jixiao.engine.pipeline:workbook_of", self.unit, self.year,
                                         self.settings.unit_name, self.editions)  # fmt: skip
        if not self._cover_handed_over():
            self._cover = zygote.call("jixiao.engine.pipeline:cover_of", self.unit, self.year)

    def _cover_handed_over(self) -> bool:
        """Whether a section of the report hands the build the cover's score (the overview)."""
        return any(s.kind in COVER_SECTIONS for s in self.settings.sections)

    def checked(self) -> None:
        """Wait for the inputs' check started beside the sections; raise its InputError (every
        time, from any thread: a failed section's thread asks too)."""
        with self._checking:
            if self._check is not None:
                check, self._check = self._check, None
                try:
                    self.inputs_key = check()
                except BaseException as exc:
                    self._check_failed = exc
            if self._check_failed is not None:
                raise self._check_failed

    def execute(self) -> None:
        """Run every stale section; the others come from the cache."""
        from jixiao.engine import execution

        for section in self.settings.sections:
            if section.id in self.entries and section not in self.stale:
                self.result.cached.append(section.id)
                self.echo(f"  {section.id:<22} 缓存 (cached)")
        jobs = [(s, self.work / "notebooks" / f"{s.id}.ipynb") for s in self.stale]
        if jobs:
            # longest first, so that no long section starts last
            themes = self.settings.raw.get("themes") or {}
            jobs.sort(key=lambda job: -_weight(job[0], themes))
            try:
                execution.run_sections(jobs, self.done, keep=self._keep_failed)
            except (execution.SectionsFailed, execution.Abandoned):
                self.checked()  # bad inputs fail or stop the sections: then the inputs' problems are the error
                raise

    def _keep_failed(self, section: Section, executed: Path) -> Path | None:
        """A failed section's executed notebook, kept in ``notebooks/`` for a look, once the inputs
        passed their check (bad inputs are the build's error, and leave the outputs as they were);
        None when papermill wrote none (the kernel died, or did not start)."""
        self.checked()
        from jixiao.engine import execution

        if execution.INTERRUPTED.is_set():  # stopped while this waited: nothing is kept
            raise execution.Abandoned(section.id)
        if not executed.is_file():
            return None
        target = cache.executed_path(self.unit, self.year, section)
        with outputs.together() as group:
            group.write(target, executed.read_bytes())
        return target

    def prepare(self, in_background: bool) -> None:
        """Import papermill here, first (the sections wait for it), then nbconvert in the background,
        and the workbook too when ``in_background`` (no kernel template to make it)."""
        import papermill  # noqa: F401

        if self._stitcher is None:
            self._stitcher = (self.engine.stitcher(self.background, _stitcher) if self.engine is not None
                              else self.background.submit(_stitcher))  # fmt: skip
        if in_background and not self._cover_handed_over() and self._cover is None:
            self._cover = self.background.submit(cover_of, self.unit, self.year)
        if in_background and "xlsx" in self.formats and self._workbook is None:
            self._workbook = self.background.submit(workbook_bytes, self.settings, self.editions)
        if {"pdf", "docx"} & set(self.formats) and self._metadata is None:
            self._metadata = self.background.submit(_paged_metadata, self.settings)
            if len(self.editions) > 1:
                from jixiao.render.paged import PagedProcess

                self._paged = self.engine.paged() if self.engine is not None else PagedProcess.start()

    def done(self, run: Any) -> None:
        """A section finished: cache it (once the inputs passed their check), render it, say so."""
        import nbformat

        from jixiao import facts

        self.checked()
        executed = cache.executed_path(self.unit, self.year, run.section)
        data = run.executed.read_bytes()
        write_atomically(executed, data)  # written once, whole: readers never see half a notebook
        # as nbformat.reads, without checking the notebook papermill has just checked and written
        notebook = nbformat.convert(nbformat.reader.reads(data.decode("utf-8")), 4)
        collected = facts.collect(notebook)
        self.entries[run.section.id] = cache.store(
            self.unit, self.year, run.section, collected, self.base[run.section.id]
        )
        self.rendered[run.section.id] = self.render(run.section, notebook)
        self.result.executed.append(run.section.id)
        warned = any(
            o.get("output_type") == "stream" and o.get("name") == "stderr"
            for c in notebook.cells if c.cell_type == "code" for o in c.outputs
        )  # fmt: skip
        self.echo(f"  {run.section.id:<22} {run.seconds:5.2f}s" + ("  (有警告输出 stderr)" if warned else ""))

    def render(self, section: Section, notebook: Any = None) -> stitching.RenderedSection:
        """A section as report HTML, kept beside its cache entry: a re-stitch renders only the
        sections that ran again (or all of them, when the stitching code changed)."""
        executed = cache.executed_path(self.unit, self.year, section)
        key = hashlib.sha256((cache.file_hash(executed) + self.code).encode()).hexdigest()
        kept = cache.rendered(self.unit, self.year, section, key)
        if kept is not None:
            try:
                return stitching.RenderedSection(**kept)
            except TypeError:  # kept by another version of the stitcher
                pass
        rendered = self.stitcher.section(section.id, executed, notebook)
        cache.store_rendered(self.unit, self.year, section, key, dataclasses.asdict(rendered))
        return rendered

    def stitch(self) -> None:
        """Write the report's files (each edition's HTML, PDF and DOCX; the workbook; build.json),
        each unless it would not change, as one group: all of them, or none.

        An output's key covers the executed sections, the stitching and rendering code, the
        settings that shape it (outline, numbering, annex) and its renderer's versions; the
        workbook's also covers every input file, since it holds tables (budget, project funds) that
        a unit's sections may not read (``inputs_key`` covers them for all outputs)."""
        from jixiao.render import editions, paged, properties

        settings = self.settings
        entries = [self.entries[s.id] for s in settings.sections]
        marker = self.out / ".cache" / "report.key"
        shape = {
            "sections": settings.raw.get("sections"),
            "numbering": settings.numbering,
            "annex": settings.forms_in_annex,
            "notebooks": [paths.relative(s.notebook) for s in settings.sections],
        }  # the build record names them
        base = cache.report_key(entries, {"code": self.code, "unit_name": settings.unit_name, "shape": shape})
        base += "+" + self.inputs_key
        wanted = editions.outputs(self.editions, self.formats)
        try:
            kept = json.loads(marker.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            kept = {}
        kept = kept if isinstance(kept, dict) else {}
        keys = {o.name: f"{base}+{json.dumps(paged.versions(o.format), sort_keys=True)}" for o in wanted}
        recorded = (self.out / BUILD_INFO).is_file()

        def fresh(o: Any) -> bool:
            """Made from what it would be made from now, or not made for the same reason."""
            if kept.get(o.name) == NOT_MADE + keys[o.name]:
                return True
            return (self.out / o.name).is_file() and kept.get(o.name) == keys[o.name]

        stale = [o for o in wanted if self.force or not recorded or not fresh(o)]
        self.result.report = self.out / wanted[0].name
        workbooks: dict[str, bytes] | None = None
        if any(o.format == "xlsx" for o in stale):
            workbooks = self._workbook.result() if self._workbook is not None else None
            if workbooks is None:
                workbooks = workbook_bytes(settings, tuple(o.edition for o in stale if o.format == "xlsx"))
            not_made = [o for o in wanted if o.format == "xlsx" and not workbooks]
        else:
            not_made = [o for o in wanted if kept.get(o.name) == NOT_MADE + keys[o.name]]
        if not_made:
            self.echo(f"  未生成 (not made)       {'、'.join(o.name for o in not_made)}：{NO_WORKBOOK}")
        if not stale:
            self.echo("  拼接报告 (stitch)       未变 (unchanged)")
            return
        start = time.perf_counter()
        rendered = [self.rendered.get(s.id) or self.render(s) for s in settings.sections]
        published: dict = {}
        for entry in entries:
            published.update(entry.get("published", {}))
        if "score_html" not in published:  # no section hands the score over: the cover still shows it
            published.update(self._cover.result() if self._cover is not None else cover_of(self.unit, self.year))
        info = build_info(settings, entries)
        pages: dict[str, str] = {}
        for edition in sorted({o.edition for o in stale if o.edition}):
            # the filing edition leaves out the review section (审核提示)
            sections = zip(rendered, settings.sections, strict=True)
            chosen = [r for r, s in sections if edition == "review" or s.kind != "review"]
            page = stitching.render_page(
                title=settings.title,
                unit_name=settings.unit_name,
                year=settings.year,
                # no score (no indicators and no reported total, or no section gives one): none on the cover
                score_html=published.get("score_html") if published.get("score") is not None else None,
                grade=published.get("grade", "—"),
                sections=chosen,
                build_info=info,
                outline=settings.outline,
                numbering=settings.numbering,
                # what a build makes by default, and is there
                links=editions.links(edition, tuple(f for f in settings.formats if f != "xlsx" or not not_made)),
                kind=settings.kind,
            )
            pages[edition] = editions.edition_page(page, edition, annex=settings.forms_in_annex)
        made: dict[str, bytes] = {}
        with outputs.together() as group:  # every file of the report: all of them, or none

            def write(name: str, data: str | bytes) -> None:
                made[name] = data if isinstance(data, bytes) else data.encode("utf-8")
                group.write(self.out / name, made[name])
                kept[name] = keys[name]

            for output in stale:
                if output.format == "html":
                    write(output.name, pages[output.edition])
                elif output.format == "xlsx" and output in not_made:
                    group.remove(self.out / output.name)  # an earlier build's would not match the report
                    kept[output.name] = NOT_MADE + keys[output.name]
                elif output.format == "xlsx":
                    write(output.name, workbooks[output.edition])
            paged_files = [o for o in stale if o.format in {"pdf", "docx"}]
            if paged_files:
                ready = self._metadata is not None and not self._metadata.cancelled()
                meta = self._metadata.result() if ready else properties.metadata(settings)
                paged.render(pages, paged_files, meta, write, self._paged)
            info["outputs"] = {
                o.name: hashlib.sha256(made[o.name] if o.name in made else (self.out / o.name).read_bytes()).hexdigest()
                for o in wanted
                if o not in not_made
            }
            if not_made:
                info["not_made"] = {o.name: NO_WORKBOOK for o in not_made}
            group.write(self.out / BUILD_INFO, json.dumps(info, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
        write_atomically(marker, json.dumps(kept, ensure_ascii=False, indent=1, sort_keys=True))
        self.result.stitched = True
        self.echo(f"  拼接报告 (stitch)       {time.perf_counter() - start:5.2f}s  {', '.join(o.name for o in stale)}")


def _stitcher() -> stitching.Stitcher:
    """The stitcher, ready before the first section is done: nbconvert imported, its templates
    compiled (by rendering an empty notebook: 0.3 s of Jinja that would otherwise hold up the
    first section's rendering), and what the page needs imported."""
    import nbformat

    stitcher = stitching.Stitcher()
    stitcher.exporter.from_notebook_node(nbformat.v4.new_notebook())
    import jixiao.writing.provenance  # noqa: F401

    return stitcher


def _done(value: Any) -> Future:
    future: Future = Future()
    future.set_result(value)
    return future


def _weight(section: Section, themes: dict[str, Any]) -> int:
    """A section's expected cost, for scheduling (tenths of a second on the example): the projects'
    figures and 自评表, a theme's charts (each about 0.2 s), the overview's, the review's checks."""
    if section.kind == "theme":
        theme = themes.get(section.parameters.get("theme")) if isinstance(themes, dict) else None
        charts = theme.get("charts") if isinstance(theme, dict) else None
        return 3 + 2 * (len(charts) if isinstance(charts, list) else 2)
    return {"projects": 12, "overview": 8, "review": 6}.get(section.kind, 4)


FONT_SUFFIXES = {".ttf", ".otf", ".ttc", ".otc"}
"""The font files among a section's dependencies (the charts' font), as against jixiao's modules."""


def build_info(settings: Settings, entries: list[dict]) -> dict[str, Any]:
    """What the report is built from, for a reviewer: every input file with its SHA-256, the
    jixiao version and the hash of its code, the Python and package versions, and the font files
    the charts were drawn with. No time and no machine path: two builds of the same inputs on
    the same software give the same record (and the same report)."""
    fonts: dict[str, str] = {}
    for entry in entries:
        for dependency, digest in entry.get("dependencies", {}).items():
            if "#" not in dependency and Path(dependency).suffix.lower() in FONT_SUFFIXES:
                fonts[Path(dependency).name] = digest
    return {
        "unit": settings.unit,
        "year": settings.year,
        "jixiao": __version__,
        "code": _code_hash(),
        "inputs": input_files(settings),
        "notebooks": {
            paths.relative(path): cache.file_hash(path) for path in sorted({s.notebook for s in settings.sections})
        },
        "environment": cache.environment(),
        "fonts": dict(sorted(fonts.items())),
    }


COVER_SECTIONS = {"overview"}
"""The sections that hand the build the report's score and grade for the cover."""


def cover_of(unit: str, year: int) -> dict[str, Any]:
    """The cover's score and grade for a report none of whose sections hands them over (its
    sections leave out the overview): the same values the overview would (``overview.cover_values``)."""
    from jixiao.sections import overview
    from jixiao.sections.report import open_report

    return overview.cover_values(open_report(unit, year))  # in a child of the kernel template: the report it loaded


def _paged_metadata(settings: Settings) -> Any:
    """The PDF's and DOCX's document properties; Typst's fonts and python-docx loaded meanwhile."""
    from jixiao.render import docx, pdf, properties  # noqa: F401

    pdf.preload()
    return properties.metadata(settings)


def workbook_bytes(settings: Settings, editions: tuple[str, ...] = ("filing",)) -> dict[str, bytes]:
    """The 自评表 workbook of each edition, from the same data and rules as the report."""
    return workbook_of(settings.unit, settings.year, settings.unit_name, editions)


def workbook_of(unit: str, year: int, unit_name: str, editions: tuple[str, ...]) -> dict[str, bytes]:
    """The 自评表 workbook of each edition; none (an empty mapping) when the inputs have no
    indicator: no form to fill and no score (:data:`NO_WORKBOOK`)."""
    from jixiao.render.xlsx import selfeval_workbook_bytes
    from jixiao.sections.report import open_report

    report = open_report(unit, year)  # in a child of the kernel template: the report it loaded
    if not len(report.data.indicators):
        return {}
    combined = report.settings.targets_in_one_cell
    kind = report.settings.kind
    return {e: selfeval_workbook_bytes(report.data, report.scores, unit_name, e, combined, kind) for e in editions}


def build(
    unit: str, year: int, *, force: bool = False, echo: Echo = print,
    editions: tuple[str, ...] | None = None, formats: tuple[str, ...] | None = None,
) -> BuildResult:  # fmt: skip
    """Build ``outputs/<unit>/<year>/report.html`` and the other files; see the module's docstring.
    ``editions`` and ``formats`` (default: the unit's settings, else all) choose which."""
    paths.check_unit(unit)
    settings = settings_module.load(unit, year)
    with locked(unit, year, echo):
        return Build(settings, force, echo, editions, formats).run()
