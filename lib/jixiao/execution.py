"""Running section notebooks with papermill, several at once, each in a fresh kernel."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from jixiao import paths
from jixiao.settings import Section


class SectionError(RuntimeError):
    """A section notebook raised: which section, which cell, which error, in a few lines."""

    def __init__(self, section: Section, cell: int | None, source: str, ename: str, evalue: str,
                 executed: Path) -> None:  # fmt: skip
        self.section, self.cell, self.ename, self.evalue = section, cell, ename, evalue
        lines = [f"章节 {section.id} ({paths.relative(section.notebook)}) 执行失败"]
        if cell is not None:  # papermill's index in the executed notebook, whose injected
            # parameters cell comes first: the same number counts the notebook's own cells from 1
            lines[0] += f"：第 {cell} 个单元格"
        lines += [f"  > {line}" for line in source.strip().splitlines()[-3:]]
        lines.append(f"  {ename}: {evalue}")
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


def kernel_environment() -> None:
    """What every kernel started from here inherits: the project root, the build flag, a
    non-interactive matplotlib, and this jixiao on the path (a copy of the project builds itself)."""
    os.environ["JIXIAO_BUILD"] = "1"
    os.environ["JIXIAO_ROOT"] = str(paths.root())
    os.environ["MPLBACKEND"] = "Agg"
    lib = str(paths.root() / "lib")
    if os.environ.get("PYTHONPATH", "").split(os.pathsep)[0] != lib:
        os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [lib, os.environ.get("PYTHONPATH")]))
    if lib not in sys.path:
        sys.path.insert(0, lib)


def run_section(section: Section, executed: Path) -> Run:
    """Execute one section notebook into ``executed``; raise SectionError if a cell raises."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from jixiao.kernels import ForkKernelManager

    executed.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    try:
        papermill.execute_notebook(
            str(section.notebook),
            str(executed),
            parameters=section.parameters,
            kernel_name="python3",
            progress_bar=False,
            cwd=str(section.notebook.parent),
            # nbclient options: kernels forked from the warm template when one runs, and killed
            # once the last cell is done (a graceful shutdown can stall 3.5 s for nothing).
            kernel_manager_class=ForkKernelManager,
            shutdown_kernel="immediate",
            # papermill would rewrite (and re-validate) the whole notebook after every cell; the
            # executed notebook is written once at the end, or with the error when a cell fails
            request_save_on_cell_execute=False,
        )
    except PapermillExecutionError as exc:
        raise SectionError(section, exc.cell_index, exc.source, exc.ename, exc.evalue, executed) from None
    except Exception as exc:  # the kernel died, or could not start: still a failing section
        raise SectionError(section, None, "", type(exc).__name__, str(exc), executed) from exc
    return Run(section, executed, time.perf_counter() - start)


def run_sections(jobs: Iterable[tuple[Section, Path]], on_done: Callable[[Run], None],
                 workers: int | None = None) -> list[Run]:  # fmt: skip
    """Run sections in parallel (up to the number of cores); report each as it finishes.

    Every section runs to its end even when another fails, so that one run shows every failing
    section; then they are raised together.
    """
    import papermill  # noqa: F401  (imported once here, not by two threads at once)

    jobs = list(jobs)
    workers = workers or min(len(jobs), os.cpu_count() or 1) or 1
    runs, errors = [], []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(run_section, section, out) for section, out in jobs]
        for future in as_completed(futures):
            try:
                run = future.result()
            except SectionError as exc:
                errors.append(exc)
                continue
            runs.append(run)
            on_done(run)
    if errors:
        raise SectionsFailed(sorted(errors, key=lambda e: e.section.id))
    return runs
