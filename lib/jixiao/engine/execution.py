"""Running section notebooks with papermill, several at once, each in a fresh kernel.

Each section's executed notebook is written into the build's private temporary folder; the build
moves it into ``outputs/`` once it is whole. When the build is interrupted (Ctrl-C) or fails,
:data:`INTERRUPTED` is set and the kernels are killed: the threads still running a section then
end without writing anything, and nobody waits for them but the next build in this process
(:func:`kernel_environment`).
"""

from __future__ import annotations

import json
import logging
import os
import queue
import site
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jixiao import paths
from jixiao.engine.stopping import INTERRUPTED
from jixiao.inputs.settings import Section
from jixiao.outputs import CAUSES, OutputError

_ABANDONED: list[threading.Thread] = []
"""Section threads of a build stopped early in this process, which may still be running."""


def _worth_saying(record: logging.LogRecord) -> bool:
    """papermill's logger, which nbclient writes to as well, says nothing once the build stopped
    and killed the kernels itself, and nothing of nbclient's errors (a kernel that died or could
    not start): each is raised too, and the build says it once, with its section."""
    return not INTERRUPTED.is_set() and not (record.levelno >= logging.ERROR and "nbclient" in record.pathname)


logging.getLogger("papermill").addFilter(_worth_saying)


class Abandoned(RuntimeError):
    """A section whose build was interrupted meanwhile."""


class SectionError(RuntimeError):
    """A section notebook raised: which section, which cell, which error, in a few lines."""

    def __init__(self, section: Section, cell: int | None, source: str, ename: str, evalue: str,
                 executed: Path | None) -> None:  # fmt: skip
        self.section, self.cell, self.ename, self.evalue = section, cell, ename, evalue
        lines = [f"章节 {section.id} ({paths.relative(section.notebook)}) 执行失败"]
        if cell is not None:  # papermill's index in the executed notebook, whose injected
            # parameters cell comes first: the same number counts the notebook's own cells from 1
            lines[0] += f"：第 {cell} 个单元格"
        lines += [f"  > {line}" for line in source.strip().splitlines()[-3:]]
        lines.append(f"  {ename}: {evalue}")
        if executed is not None:  # none when the kernel died or did not start: nothing was executed
            lines.append(f"  执行后的笔记本 (executed notebook): {paths.relative(executed)}")
        super().__init__("\n".join(lines))


class SectionsFailed(RuntimeError):
    """One or more sections failed; the message lists each."""

    def __init__(self, errors: list[SectionError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


@dataclass
class Run:
    section: Section
    executed: Path
    seconds: float


def kernel_environment(work: Path | None = None) -> None:
    """What every kernel started from here inherits: the project root, the build flag, a
    non-interactive matplotlib, and this jixiao on the path (a copy of the project builds itself).
    With ``work`` (the build's temporary folder), the kernels' connection files go there, and
    are removed with it whatever happens.

    A build stopped early in this process (a Dask worker builds one unit-year after another) may
    have left section threads that end only once papermill notices their killed kernels, within
    about a second. On their way out they restore papermill's working directories, which are the
    process's, to the earlier build's folder, since deleted: the next build's sections would then
    fail on it. So they are waited for first, and papermill's working directory is reset."""
    deadline = time.monotonic() + 60
    while _ABANDONED:
        _ABANDONED.pop().join(max(0.0, deadline - time.monotonic()))
    reset_papermill_cwd()
    INTERRUPTED.clear()  # kernels may start again
    os.environ.pop("JIXIAO_RUNTIME_DIR", None)
    if work is not None:
        runtime = work / "runtime"
        runtime.mkdir(mode=0o700, exist_ok=True)
        os.environ["JIXIAO_RUNTIME_DIR"] = str(runtime)
    os.environ["JIXIAO_BUILD"] = "1"
    os.environ["JIXIAO_ROOT"] = str(paths.root())
    os.environ["MPLBACKEND"] = "Agg"
    lib = str(paths.PACKAGE_DIR.parent)  # the kernels run the jixiao this build runs
    if lib in site.getsitepackages():  # installed: every process of this Python finds it there
        return
    if os.environ.get("PYTHONPATH", "").split(os.pathsep)[0] != lib:
        os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [lib, os.environ.get("PYTHONPATH")]))
    if lib not in sys.path:
        sys.path.insert(0, lib)


def reset_papermill_cwd() -> None:
    """papermill's own working directory for reading and writing notebooks back to none (it is
    process-wide, and each notebook's run restores it on the way out, whatever it was then)."""
    iorw = sys.modules.get("papermill.iorw")
    if iorw is not None:
        iorw.papermill_io.get_handler("local").cwd(None)


def _keep_here(section: Section, executed: Path) -> Path | None:
    return executed if executed.is_file() else None


def run_section(section: Section, executed: Path,
                keep: Callable[[Section, Path], Path | None] = _keep_here) -> Run:  # fmt: skip
    """Execute one section notebook into ``executed``; raise SectionError if a cell raises.

    ``keep`` puts a failed section's executed notebook where the user will look and says where
    (None: papermill wrote none, as when the kernel died)."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from jixiao.engine.kernels import KernelManager

    _register_engine()

    executed.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    try:
        papermill.execute_notebook(
            str(section.notebook),
            str(executed),
            parameters=section.parameters,
            kernel_name="python3",
            engine_name=ENGINE,
            progress_bar=False,
            # the kernel starts in the notebook's folder; papermill's own `cwd` would change this
            # whole process's working directory while several sections run in threads
            resources={"metadata": {"path": str(section.notebook.parent)}},
            # nbclient's options, where no template runs (see ForkEngine): the kernel is killed
            # once the last cell is done (a graceful shutdown can stall 3.5 s for nothing).
            kernel_manager_class=KernelManager,
            shutdown_kernel="immediate",
            # papermill would rewrite (and re-validate) the whole notebook after every cell; the
            # executed notebook is written once at the end, or with the error when a cell fails
            request_save_on_cell_execute=False,
        )
    except PapermillExecutionError as exc:
        if INTERRUPTED.is_set():
            raise Abandoned(section.id) from None
        kept = keep(section, executed)
        raise SectionError(section, exc.cell_index, exc.source, exc.ename, exc.evalue, kept) from None
    except OSError as exc:
        if INTERRUPTED.is_set():
            raise Abandoned(section.id) from None
        if exc.errno in CAUSES:  # the disk, not the section: say so once, not once per section
            raise OutputError(exc.filename or executed, exc) from None
        raise SectionError(section, None, "", type(exc).__name__, str(exc), keep(section, executed)) from exc
    except Exception as exc:  # the kernel died, or could not start: still a failing section
        if INTERRUPTED.is_set():
            raise Abandoned(section.id) from None
        from nbclient.exceptions import DeadKernelError

        ename, evalue = type(exc).__name__, str(exc)
        if isinstance(exc, DeadKernelError):
            evalue = "内核在执行中意外退出，例如因内存不足被系统终止 (the kernel died)"
        raise SectionError(section, None, "", ename, evalue, keep(section, executed)) from exc
    if INTERRUPTED.is_set():
        raise Abandoned(section.id)
    return Run(section, executed, time.perf_counter() - start)


ENGINE = "jixiao"
"""papermill's engine for the sections (``ForkEngine``, see :func:`_fork_engine`)."""


def _register_engine() -> None:
    from papermill.engines import papermill_engines

    if ENGINE not in papermill_engines._engines:  # once per process
        papermill_engines.register(ENGINE, _fork_engine())


def _fork_engine() -> type:
    """``ForkEngine``, made once, when the first section runs: papermill is imported by the
    build, not by every user of this module (the batch's client)."""
    from papermill.engines import Engine, NBClientEngine

    from jixiao.engine import kernels

    class ForkEngine(Engine):
        """papermill's engine for a section notebook. Where the build's kernel template runs
        (``kernels.Zygote.current``), the notebook runs in a child forked from it, in an IPython
        shell of its own (``kernels._run_notebook``): a kernel's process, namespace, outputs and
        failures, without the Jupyter protocol's start and messages between two processes of one
        machine. Else in a kernel started the usual way, by nbclient (``NBClientEngine``)."""

        @classmethod
        def execute_managed_notebook(cls, nb_man: Any, kernel_name: str, **kwargs: Any) -> Any:
            zygote = kernels.Zygote.current
            if zygote is None:
                return NBClientEngine.execute_managed_notebook(nb_man, kernel_name, **kwargs)
            import nbformat
            from nbclient.exceptions import DeadKernelError

            nb = nb_man.nb
            code = [(i, c.source) for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.source.strip()]
            cwd = ((kwargs.get("resources") or {}).get("metadata") or {}).get("path") or str(Path.cwd())
            request = {"cells": code, "cwd": cwd, "env": dict(os.environ), "tempdir": tempfile.gettempdir()}
            process = kernels.ForkedProcess(zygote.path, request)
            nb.metadata["language_info"] = nbformat.from_dict(kernels.LANGUAGE_INFO)
            try:
                for index, cell in enumerate(nb.cells):
                    nb_man.cell_start(cell, index)
                    try:
                        if cell.cell_type != "code" or not cell.source.strip():
                            continue
                        line = process.next_line()  # the cell's outputs, else "exit N": the child died
                        if not line.startswith("{"):
                            raise DeadKernelError(f"Kernel died ({line})")
                        result = json.loads(line)
                        cell.execution_count = result["execution_count"]
                        cell.outputs = [nbformat.from_dict(output) for output in result["outputs"]]
                        if result["failed"]:
                            nb_man.cell_exception(cell, cell_index=index)
                            break
                    finally:
                        nb_man.cell_complete(cell, cell_index=index)
            finally:
                process.close()
            return None

    return ForkEngine


def _close_event_loop() -> None:
    """Close the asyncio event loop that nbclient (through jupyter_core) made for this thread and
    never closes: each one held its selector and self-pipe, six descriptors per section thread,
    until a garbage collection; a Dask worker building one unit-year after another ran out."""
    import asyncio

    try:
        loop = asyncio.get_event_loop_policy().get_event_loop()
    except RuntimeError:  # no papermill run in this thread: no loop
        return
    if not loop.is_running():
        loop.close()
    asyncio.set_event_loop(None)


def run_sections(jobs: Iterable[tuple[Section, Path]], on_done: Callable[[Run], None], workers: int | None = None,
                 keep: Callable[[Section, Path], Path | None] = _keep_here) -> list[Run]:  # fmt: skip
    """Run sections in parallel (up to the number of cores); report each as it finishes.

    Every section runs to its end even when another fails, so that one run shows every failing
    section; then they are raised together. An output that cannot be written (a full disk) is
    raised alone, once, and no further section starts. On any other exception here (Ctrl-C, a
    failure in ``on_done``) the running sections are abandoned: their threads are daemons, so
    neither this function nor the end of the process waits for them (the caller kills their
    kernels); the next build in this process does (:func:`kernel_environment`).
    """
    import papermill  # noqa: F401  (imported once here, not by two threads at once)

    jobs = list(jobs)
    workers = workers or min(len(jobs), os.cpu_count() or 1) or 1
    todo: queue.SimpleQueue = queue.SimpleQueue()
    for job in jobs:
        todo.put(job)
    results: queue.SimpleQueue = queue.SimpleQueue()
    stop = threading.Event()

    def work() -> None:
        try:
            while not stop.is_set() and not INTERRUPTED.is_set():
                try:
                    section, out = todo.get_nowait()
                except queue.Empty:
                    return
                try:
                    results.put((section, run_section(section, out, keep)))
                except BaseException as exc:  # handed to the caller, whatever it is
                    results.put((section, exc))
        finally:
            _close_event_loop()

    threads = [threading.Thread(target=work, name=f"jixiao-section-{n}", daemon=True) for n in range(workers)]
    for thread in threads:
        thread.start()
    runs, errors = [], []
    try:
        for _ in jobs:
            while True:
                try:
                    _, outcome = results.get(timeout=0.1)
                    break
                except queue.Empty:
                    if INTERRUPTED.is_set():  # stopped from elsewhere (bad inputs): no waiting for kernels
                        raise Abandoned("the build was stopped") from None
            if isinstance(outcome, SectionError):
                errors.append(outcome)
            elif isinstance(outcome, BaseException):  # an output that cannot be written, or worse: at once
                raise outcome
            else:
                runs.append(outcome)
                on_done(outcome)
    except BaseException:
        _ABANDONED.extend(t for t in threads if t.is_alive())  # the next build here waits for them
        raise
    finally:
        stop.set()
    if errors:
        raise SectionsFailed(sorted(errors, key=lambda e: e.section.id))
    return runs
