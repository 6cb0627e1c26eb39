"""Many reports at once, on Dask: one task per unit-year, on any cluster, no shared filesystem.

A task carries everything its build reads: the unit's ``params/``, its ``data/`` for the year and
every earlier year the report compares, the notebooks, and the unit-year's previous outputs
(with the build cache in ``.cache/``), zipped into the task's arguments. The worker unpacks them
into a temporary folder, builds there (``JIXIAO_ROOT``), and sends back everything the build left
in ``outputs/<unit>/<year>/`` (report, workbook, executed notebooks, cache, and any other format
the build writes), which the client writes under its own ``outputs/`` or under an fsspec URL
(``--output s3://bucket/reports``). Workers need the jixiao package installed, not a checkout.
Each task also makes the unit-year's line of the bureau's summary (``jixiao.summary``) while
its inputs are at hand, so the summary after a batch of thousands does not compute them again.

Without a scheduler address a local cluster of worker processes is started on this machine.

Each worker keeps the engine warm between the unit-years it builds (:class:`WarmEngine`, a Dask
worker plugin the batch registers): the kernel template with pandas, matplotlib, IPython and the
chart font imported, of which each build's template is a fork that loads that build's report and
ends with the build; the stitcher; the PDF helper. The worker frees them when it closes.
``jixiao build`` keeps none: nothing outlives a build.

A rerun rebuilds only what changed: a unit-year whose inputs (the bytes sent) and jixiao code are
those of its last good build is not sent at all; any other goes with its cache, so the build
re-executes only the sections whose inputs changed. A failing unit-year is reported and the
others go on; the batch fails if any did.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import logging
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import CancelledError
from contextlib import redirect_stdout, suppress
from dataclasses import dataclass, replace
from typing import Any

from distributed import WorkerPlugin

from jixiao import environment, paths, scratch
from jixiao.store import Store, code_hash, inputs_key, inputs_zip, key_of, tree, unzip, zipped

KEY_FILE = ".cache/batch.key"
"""Beside the outputs: the inputs key and code of the unit-year's last good build in a batch."""
IN_FLIGHT = 4
"""Tasks sent ahead: at least this many, or two per worker thread, whichever is more."""
CONNECT_SECONDS = 10
"""How long ``--scheduler`` is tried before the batch gives up (nothing built), unless
``JIXIAO_CONNECT_WAIT`` says otherwise."""


class ClusterError(Exception):
    """The scheduler could not be reached, or was lost during the batch: what was built, what was
    not, in one line."""


class ClusterUnreachable(ClusterError):
    def __init__(self, address: str, seconds: float, cause: BaseException) -> None:
        super().__init__(
            f"--scheduler {address}：{seconds:g} 秒内无法连接 Dask 调度器 (no scheduler answered within "
            f"{seconds:g} s: {type(cause).__name__})；应为正在运行的调度器地址，未构建任何报告 (nothing built)"
        )


class ClusterLost(ClusterError):
    """The connection to the scheduler was lost mid-batch. ``finished``: the unit-years whose
    outcome came back (their outputs written); ``unfinished``: the others, not built."""

    def __init__(self, address: str, finished: list[Outcome], unfinished: list[tuple[str, int]]) -> None:
        self.finished, self.unfinished = finished, unfinished
        done = "、".join(f"{o.unit} {o.year}" for o in finished) or "无 (none)"
        left = "、".join(f"{u} {y}" for u, y in unfinished)
        super().__init__(
            f"与 Dask 调度器 {address} 的连接中断 (the cluster was lost)：已完成 {len(finished)} 份，输出已保存 "
            f"(finished, outputs kept)：{done}；未完成 {len(unfinished)} 份 (not built)：{left}"
        )


@dataclass(frozen=True)
class Outcome:
    unit: str
    year: int
    ok: bool
    seconds: float
    message: str
    """The report's path when ok, else the error (several lines)."""
    executed: tuple[str, ...] = ()
    files: bytes | None = None
    """The unit-year's output folder, zipped (from a worker), or None."""
    code: str = ""
    """The jixiao code the build ran (its hash)."""
    skipped: bool = False
    """Not sent: inputs and code unchanged since the last good build."""


# -- the task -----------------------------------------------------------------------------------


class WarmEngine(WorkerPlugin):
    """In each worker, the engine kept warm between the unit-years it builds (``engine.warm``):
    the kernel template (what a build's template pays before its first kernel, about 1.5 s of CPU:
    the imports, the chart font), the stitcher's compiled templates and the PDF helper with its
    fonts are paid once per worker. Each build still forks a template of its own, which loads that
    unit-year's report and ends with the build. They are ended, and their folders removed, when the
    worker closes (and if the worker dies, the template ends by itself: it reads the end of its
    standard input; the PDF helper, a daemon process, is ended with it)."""

    name = "jixiao-warm-engine"

    def setup(self, worker: Any = None) -> None:
        from jixiao.engine import warm

        if warm.current is None:
            warm.current = warm.Engine()  # the template warms up while the worker waits for a task

    def teardown(self, worker: Any = None) -> None:
        from jixiao.engine import warm

        engine, warm.current = warm.current, None
        if engine is not None:
            engine.close()


_ONE_AT_A_TIME = threading.Lock()
"""A build already uses every core, and sets process-wide state (the environment its kernels
inherit, the kernel template): a worker with several threads runs its builds one after another."""


def build_remote(unit: str, year: int, inputs: bytes, previous: bytes | None, force: bool = False) -> Outcome:
    """One unit-year, in a Dask worker: unpack ``inputs`` (and ``previous`` outputs, the cache)
    into a temporary project, build there, return the output folder zipped. Never raises for a
    bad input or a failing section."""
    with _ONE_AT_A_TIME, scratch.temporary("batch") as root:
        unzip(inputs, root)
        out = root / "outputs" / unit / str(year)
        if previous is not None:
            unzip(previous, out)
        state = _ProcessState()
        os.environ["JIXIAO_ROOT"] = str(root)
        os.chdir(root)
        try:
            outcome = _build_here(unit, year, force)
            try:
                _summary_row(unit, year, inputs_key(unit, year, inputs))
            except Exception:  # the summary then computes the row itself
                pass
        finally:
            state.restore()
        files = zipped(tree(out, "")) if out.is_dir() else None
        shutil.rmtree(root / "outputs", ignore_errors=True)
    return replace(outcome, files=files, code=code_hash())


def _summary_row(unit: str, year: int, key: str) -> None:
    """The unit-year's line of the bureau's summary, made here where its inputs are and kept
    beside its outputs (``.cache/summary.json``), so that the summary of a province after its
    batch reads thousands of lines instead of computing them one after another."""
    import json

    from jixiao import summary
    from jixiao.outputs import write_atomically

    row = summary.unit_row(unit, year)
    path = paths.output_dir(unit, year) / summary.ROW_FILE
    write_atomically(path, json.dumps({"key": key, "row": row.to_json()}, ensure_ascii=False))


class _ProcessState:
    """What a build changes in its process and a worker must get back before the next one: the
    environment and ``sys.path`` (the build puts its root's ``lib/`` first, for the kernels), the
    working directory, and papermill's. papermill changes the working directory around each
    notebook and keeps one of its own for reading and writing notebooks, process-wide, from
    several threads at once: either may be left in a temporary folder deleted after its build,
    where the next build's notebooks would then be written."""

    def __init__(self) -> None:
        self.environ, self.path = dict(os.environ), list(sys.path)
        try:
            self.cwd = os.getcwd()
        except FileNotFoundError:
            self.cwd = tempfile.gettempdir()
        self._papermill_cwd()

    def restore(self) -> None:
        os.chdir(self.cwd)
        self._papermill_cwd()
        for key in set(os.environ) - set(self.environ):
            del os.environ[key]
        for key, value in self.environ.items():
            if os.environ.get(key) != value:
                os.environ[key] = value
        sys.path[:] = self.path

    @staticmethod
    def _papermill_cwd() -> None:
        from jixiao.engine.execution import reset_papermill_cwd  # not on the client's import

        reset_papermill_cwd()


def _build_here(unit: str, year: int, force: bool) -> Outcome:
    from jixiao.engine import pipeline as build
    from jixiao.engine.execution import SectionError, SectionsFailed
    from jixiao.inputs.settings import SettingsError
    from jixiao.outputs import OutputError
    from jixiao.paths import UnitIdError

    start = time.perf_counter()
    log = io.StringIO()
    try:
        with redirect_stdout(log):
            result = build.build(unit, year, force=force)
    except (SettingsError, SectionError, SectionsFailed, OutputError, build.BuildBusy, UnitIdError) as exc:
        return Outcome(unit, year, False, time.perf_counter() - start, str(exc))
    except Exception as exc:
        if type(exc).__name__ != "InputError":
            raise
        return Outcome(unit, year, False, time.perf_counter() - start, str(exc))
    report = f"outputs/{unit}/{year}/{result.report.name}"
    return Outcome(unit, year, True, result.seconds, report, tuple(result.executed))


# -- the client ---------------------------------------------------------------------------------


class Progress:
    """``进度 3/20：完成 2，失败 1，剩余 17，4.1 份/分钟`` after each unit-year."""

    def __init__(self, total: int, echo: Callable[[str], None]) -> None:
        self.total, self.echo = total, echo
        self.built = self.failed = self.skipped = 0
        self.start = time.perf_counter()

    def add(self, outcome: Outcome) -> None:
        if outcome.skipped:
            self.skipped += 1
        elif outcome.ok:
            self.built += 1
        else:
            self.failed += 1
        done = self.built + self.failed + self.skipped
        minutes = (time.perf_counter() - self.start) / 60
        rate = (self.built + self.failed) / minutes if minutes > 0 else 0.0
        self.echo(
            f"  进度 (progress) {done}/{self.total}：完成 {self.built + self.skipped}，失败 {self.failed}，"
            f"剩余 {self.total - done}，{rate:.1f} 份/分钟 (unit-years/min)"
        )


def build_many(jobs: Iterable[tuple[str, int]], *, scheduler: str | None = None, workers: int | None = None,
               force: bool = False, output: str | None = None, echo: Callable[[str], None] = print,
               warm: bool = True) -> list[Outcome]:  # fmt: skip
    """Build every (unit, year) of ``jobs`` on a Dask cluster, inputs and outputs travelling with
    the tasks; report each as it finishes, with the batch's progress. Each worker keeps the engine
    warm (:class:`WarmEngine`) unless ``warm`` is false (every build then starts its kernel
    template cold, as ``jixiao build`` does: ``make bench-batch`` compares both). :class:`ClusterUnreachable`
    when ``scheduler`` does not answer within :data:`CONNECT_SECONDS` (or ``JIXIAO_CONNECT_WAIT``);
    :class:`ClusterLost` when it goes away before the end (the unit-years received by then are written)."""
    jobs = list(dict.fromkeys(jobs))
    store = Store(output)
    code = code_hash()
    progress = Progress(len(jobs), echo)
    outcomes: list[Outcome] = []
    stale: dict[tuple[str, int], str] = {}
    for unit, year in jobs:  # the inputs' hash only: the archives are made when sent
        digest = hashlib.sha256(inputs_zip(unit, year)).hexdigest()
        rel = f"{unit}/{year}"
        kept = store.read(f"{rel}/{KEY_FILE}")
        if (
            not force
            and kept is not None
            and kept.decode() == key_of(digest, code)
            and store.exists(f"{rel}/report.html")
        ):
            outcome = Outcome(unit, year, True, 0.0, store.where(f"{rel}/report.html"), skipped=True)
            outcomes.append(outcome)
            echo(f"  {unit} {year}  未变 (unchanged)  {outcome.message}")
            progress.add(outcome)
            continue
        stale[(unit, year)] = digest
    if not stale:
        return sorted(outcomes, key=lambda o: (o.unit, o.year))
    loud = _quiet_dask()
    try:
        return _on_cluster(stale, outcomes, jobs, store, progress, scheduler, workers, force, echo, warm)
    finally:
        for name, level in loud.items():
            logging.getLogger(name).setLevel(level)


def _on_cluster(stale: dict[tuple[str, int], str], outcomes: list[Outcome], jobs: list[tuple[str, int]],
                store: Store, progress: Progress, scheduler: str | None, workers: int | None, force: bool,
                echo: Callable[[str], None], warm: bool) -> list[Outcome]:  # fmt: skip
    """Send the ``stale`` unit-years to the cluster (``scheduler``'s, or a local one) and receive
    each, after the ``outcomes`` of the unchanged ones."""
    from dask.distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler:
        wait = environment.connect_wait(CONNECT_SECONDS)
        try:
            client = Client(scheduler, timeout=wait)
        except (OSError, TimeoutError, ValueError) as exc:
            raise ClusterUnreachable(scheduler, wait, exc) from None
    else:
        # One build per worker process: a build already runs its sections on every core.
        cluster = LocalCluster(n_workers=workers or 1, threads_per_worker=1, processes=True,
                               dashboard_address=None)  # fmt: skip
        client = Client(cluster)
    try:
        if warm:
            client.register_plugin(WarmEngine())
        else:  # a warm engine left by an earlier batch on this cluster
            with suppress(ValueError):  # there was none
                client.unregister_worker_plugin(WarmEngine.name)
        waiting = iter(stale)
        futures: dict[Any, tuple[str, int]] = {}

        def submit() -> Any:
            """The next unit-year, with its archives; None when every one is out."""
            job = next(waiting, None)
            if job is None:
                return None
            unit, year = job
            previous = None if force else store.folder_zip(f"{unit}/{year}")
            future = client.submit(build_remote, unit, year, inputs_zip(unit, year), previous, force, pure=False,
                                   key=f"jixiao-{unit}-{year}-{time.time_ns()}")  # fmt: skip
            futures[future] = job
            return future

        # a bounded number of tasks in flight: the archives of a province never sit in memory at once
        threads = sum(client.nthreads().values()) or 1
        running = as_completed([f for f in (submit() for _ in range(max(IN_FLIGHT, 2 * threads))) if f])
        for future in running:
            unit, year = futures.pop(future)
            try:
                outcome = future.result()
            except (CancelledError, asyncio.CancelledError):  # we cancel nothing: the scheduler is gone
                raise _lost(scheduler, outcomes, jobs) from None
            except Exception as exc:  # a bug, a lost worker: this unit-year fails, the others go on
                if client.status not in ("running", "newly-created"):
                    raise _lost(scheduler, outcomes, jobs) from None
                outcome = Outcome(unit, year, False, 0.0, f"{type(exc).__name__}: {exc}")
            future.release()
            following = submit()
            if following is not None:
                running.add(following)
            outcome = _receive(outcome, store, key_of(stale[(unit, year)], outcome.code))
            outcomes.append(outcome)
            status = "完成 (built)" if outcome.ok else "失败 (failed)"
            lines = outcome.message.splitlines() or [""]
            if outcome.ok:
                lines[0] += f"  重新执行 (re-executed): {', '.join(sorted(outcome.executed)) or '无 (none)'}"
            echo(f"  {unit} {year}  {status} {outcome.seconds:6.2f}s  {lines[0]}")
            for line in lines[1:]:
                echo(f"      {line}")
            progress.add(outcome)
    finally:
        try:
            client.close(timeout=CONNECT_SECONDS)
            if cluster is not None:
                cluster.close()
        except (OSError, TimeoutError, CancelledError, asyncio.CancelledError):
            pass  # a lost scheduler: nothing more to close
    return sorted(outcomes, key=lambda o: (o.unit, o.year))


def _quiet_dask() -> dict[str, int]:
    """Dask's own log of a lost or unreachable scheduler (its retries, with tracebacks) is not
    printed during the batch: the batch says what happened in its own line. Returns the levels
    to put back."""
    import distributed  # noqa: F401  (its import sets its loggers' levels: first, then ours)

    names = {"distributed", *(n for n in logging.root.manager.loggerDict if n.startswith("distributed"))}
    levels = {name: logging.getLogger(name).level for name in names}
    for name in names:
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)
    return levels


def _lost(scheduler: str | None, outcomes: list[Outcome], jobs: list[tuple[str, int]]) -> ClusterLost:
    """The batch's state when its scheduler went away: unchanged and received unit-years are
    finished (their outputs written), the others are not."""
    done = {(o.unit, o.year) for o in outcomes}
    return ClusterLost(scheduler or "(local)", sorted(outcomes, key=lambda o: (o.unit, o.year)),
                       [job for job in jobs if job not in done])  # fmt: skip


def _receive(outcome: Outcome, store: Store, key: str) -> Outcome:
    """Write a worker's outputs into the store; remember the key of a good build."""
    rel = f"{outcome.unit}/{outcome.year}"
    if outcome.files is not None:
        store.unpack(rel, outcome.files)
    if outcome.ok:
        store.write(f"{rel}/{KEY_FILE}", key)
        return replace(outcome, files=None, message=store.where(f"{rel}/report.html"))
    return replace(outcome, files=None)
