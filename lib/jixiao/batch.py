"""Many reports at once, on Dask: one task per unit-year.

Given a scheduler address, the builds run on that existing cluster (each worker needs this
project's files at the same path, or its own checkout named by ``root``); without one, a local
cluster of worker processes is started on this machine. Each task is an ordinary
``jixiao.build.build`` with its own cache, so a batch rerun only rebuilds what changed. A
failing unit-year is reported and the others go on; the batch fails if any did.
"""

from __future__ import annotations

import io
import os
import threading
import time
from collections.abc import Callable, Iterable
from contextlib import redirect_stdout
from dataclasses import dataclass

from jixiao import paths


@dataclass(frozen=True)
class Outcome:
    unit: str
    year: int
    ok: bool
    seconds: float
    message: str
    """The report's path when ok, else the error (several lines)."""
    executed: tuple[str, ...] = ()


_ONE_AT_A_TIME = threading.Lock()
"""A build already uses every core, and sets process-wide state (the environment its kernels
inherit, the kernel template): a worker with several threads runs its builds one after another."""


def build_one(unit: str, year: int, root: str, force: bool = False) -> Outcome:
    """One unit-year, in a Dask worker (or anywhere): never raises for a bad input or section."""
    from jixiao import build
    from jixiao.execution import SectionError, SectionsFailed
    from jixiao.outputs import OutputError
    from jixiao.paths import UnitIdError
    from jixiao.settings import SettingsError

    start = time.perf_counter()
    log = io.StringIO()
    try:
        with _ONE_AT_A_TIME, redirect_stdout(log):
            os.environ["JIXIAO_ROOT"] = root
            result = build.build(unit, year, force=force)
    except (SettingsError, SectionError, SectionsFailed, OutputError, build.BuildBusy, UnitIdError) as exc:
        return Outcome(unit, year, False, time.perf_counter() - start, str(exc))
    except Exception as exc:
        if type(exc).__name__ != "InputError":
            raise
        return Outcome(unit, year, False, time.perf_counter() - start, str(exc))
    return Outcome(unit, year, True, result.seconds, paths.relative(result.report), tuple(result.executed))


def build_many(jobs: Iterable[tuple[str, int]], *, scheduler: str | None = None, workers: int | None = None,
               force: bool = False, echo: Callable[[str], None] = print) -> list[Outcome]:  # fmt: skip
    """Build every (unit, year) of ``jobs`` on a Dask cluster; report each as it finishes."""
    from dask.distributed import Client, LocalCluster, as_completed

    jobs = list(jobs)
    root = str(paths.root())
    if scheduler:
        client = Client(scheduler)
        cluster = None
    else:
        # One build per worker process: a build already runs its sections on every core.
        cluster = LocalCluster(n_workers=workers or 1, threads_per_worker=1, processes=True,
                               dashboard_address=None)  # fmt: skip
        client = Client(cluster)
    outcomes = []
    try:
        futures = [client.submit(build_one, unit, year, root, force, pure=False) for unit, year in jobs]
        for future in as_completed(futures):
            outcome = future.result()
            outcomes.append(outcome)
            status = "完成 (built)" if outcome.ok else "失败 (failed)"
            first = outcome.message.splitlines()[0]
            echo(f"  {outcome.unit} {outcome.year}  {status} {outcome.seconds:6.2f}s  {first}")
            if not outcome.ok:
                for line in outcome.message.splitlines()[1:]:
                    echo(f"      {line}")
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return sorted(outcomes, key=lambda o: (o.unit, o.year))
