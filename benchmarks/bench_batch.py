"""Batch throughput (``make bench-batch``): synthetic unit-years through a Dask cluster of
separate ``dask scheduler`` / ``dask worker`` processes on this machine, with 1 and with 2
workers, each twice: every build's kernel template started cold (as before the workers kept the
engine warm), then with the warm engine (``batch.WarmEngine``), every build forced.

Printed per run: unit-years per minute (wall clock, from submitting the first task to receiving
the last outputs), core-seconds per unit-year (CPU time, user and system, of the worker processes
and everything they started, living or ended: kernel templates, kernels, the PDF helper; plus the
client's own, which zips and unzips), and each worker's peak memory (the sum of the proportional
set sizes of its process tree, sampled every 0.25 s). CPU time is what a machine shared with other
work disturbs least; the wall clock says little there.

Next to them, the lower bound for the same outputs: ``lower_bound.py --same-outputs`` makes, in
one plain Python process, every unit-year in turn (each section's calls and their HTML, the
workbook of both editions, the PDF and DOCX of both editions, the output folder zipped); its CPU
per unit-year is the target's measure (warm ≤ 1.0 × it). Then what a county (50 units), a
prefecture (500) and a province (5,000) would need.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "lib"))

YEAR = 2020
SIZES = (("county", "县", 50), ("prefecture", "地市", 500), ("province", "省", 5000))


def _tree(pid: int) -> list[psutil.Process]:
    try:
        process = psutil.Process(pid)
        return [process, *process.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def _pss(processes: list[psutil.Process]) -> int:
    total = 0
    for p in processes:
        try:
            info = p.memory_full_info()
            total += getattr(info, "pss", info.rss)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return total


class Sampler(threading.Thread):
    """The peak of each worker's process-tree memory while the batch runs."""

    def __init__(self, pids: list[int]) -> None:
        super().__init__(daemon=True)
        self.pids, self.peaks, self.done = pids, dict.fromkeys(pids, 0), threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            for pid in self.pids:
                self.peaks[pid] = max(self.peaks[pid], _pss(_tree(pid)))
            self.done.wait(0.25)


def _cpu() -> float:
    """In a worker: reap finished kernel templates, then the CPU seconds of its process tree: of
    each living process, its own and its ended children's (a kernel's are its template's, the
    forks of a warm template are its own; a process that ends is counted in its parent's)."""
    import subprocess as sp

    gc.collect()
    sp._cleanup()  # type: ignore[attr-defined]
    total = 0.0
    for process in _tree(os.getpid()):
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:  # ended meanwhile: counted in its parent's once reaped
            continue
        total += times.user + times.system + times.children_user + times.children_system
    return total


def run_once(root: Path, units: list[str], workers: int, scratch: Path, warm: bool) -> dict:
    from dask.distributed import Client

    from jixiao import batch

    env = {k: v for k, v in os.environ.items() if k != "JIXIAO_ROOT"}
    env["PYTHONPATH"] = str(REPO / "lib")
    name = f"{workers}-{'warm' if warm else 'cold'}"
    work = scratch / f"work-{name}"
    work.mkdir()
    sched_file = scratch / f"scheduler-{name}.json"
    procs = [subprocess.Popen([sys.executable, "-m", "dask", "scheduler", "--host", "127.0.0.1", "--port", "0",
                               "--no-dashboard", "--scheduler-file", str(sched_file)], cwd=work, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]  # fmt: skip
    try:
        while not sched_file.is_file():
            time.sleep(0.2)
        time.sleep(0.3)
        address = json.loads(sched_file.read_text())["address"]
        for n in range(workers):
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "dask", "worker", "--scheduler-file", str(sched_file), "--nthreads", "1",
                 "--nworkers", "1", "--host", "127.0.0.1", "--no-dashboard", "--no-nanny",
                 "--local-directory", str(scratch / f"dask-{name}-{n}")],
                cwd=work, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            ))  # fmt: skip
        with Client(address, timeout=60) as client:
            client.wait_for_workers(workers, timeout=120)
            pids = client.run(os.getpid)
            before = client.run(_cpu)
        sampler = Sampler(list(pids.values()))
        sampler.start()
        os.environ["JIXIAO_ROOT"] = str(root)
        client_cpu = time.process_time()
        start = time.perf_counter()
        outcomes = batch.build_many([(u, YEAR) for u in units], scheduler=address, force=True, echo=lambda _: None,
                                    warm=warm)  # fmt: skip
        wall = time.perf_counter() - start
        client_cpu = time.process_time() - client_cpu
        sampler.done.set()
        sampler.join()
        with Client(address, timeout=60) as client:
            after = client.run(_cpu)
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in reversed(procs):
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
    failed = [o for o in outcomes if not o.ok]  # none expected (no bad unit): said, and counted as sent
    for o in failed:
        print(f"  failed: {o.unit} {o.year}: {' '.join(o.message.split())}", flush=True)
    cpu = sum(after[a] - before[a] for a in after) + client_cpu
    return {
        "workers": workers,
        "warm": warm,
        "n": len(outcomes),
        "wall": wall,
        "per_minute": len(outcomes) / wall * 60,
        "core_seconds": cpu / len(outcomes),
        "peaks": [sampler.peaks[pid] / 2**20 for pid in pids.values()],
        "failed": len(failed),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=20, help="synthetic unit-years to build (default 20)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="cluster sizes (default 1 2)")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stopped: still stop the cluster, remove files

    from jixiao import synth

    scratch = Path(tempfile.mkdtemp(prefix="jixiao-bench-batch-"))
    try:
        root = scratch / "project"
        shutil.copytree(REPO / "notebooks", root / "notebooks")
        units = [u.id for u in synth.write(args.units, [YEAR - 1, YEAR], 1, root=root, shares={"bad": 0})]
        results = []
        for workers in args.workers:
            for warm in (False, True):
                engine = "warm engine" if warm else "cold per task"
                print(f"building {args.units} synthetic unit-years on {workers} worker(s), {engine}…", flush=True)
                results.append(run_once(root, units, workers, scratch, warm))
                r = results[-1]
                print(f"  {r['wall']:.1f} s, {r['core_seconds']:.2f} core-s per unit-year", flush=True)
        print(f"the lower bound for the same outputs, {args.units} unit-years in one process…", flush=True)
        lower = lower_bound(root, units)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    memory = psutil.virtual_memory().total / 2**30
    print()
    print(f"On {os.cpu_count()} cores, {memory:.0f} GiB, {platform.machine()}, Python {platform.python_version()}")
    print(f"({args.units} synthetic unit-years of {YEAR}, each comparing {YEAR - 1}; every build forced;")
    print(" every output: HTML, PDF and DOCX of both editions, the workbook, zipped back to the client)")
    print()
    print("| workers | engine | unit-years (failed) | wall s | unit-years/min | core-s per unit-year | "
          "peak memory per worker MiB |")  # fmt: skip
    print("|---:|---|---:|---:|---:|---:|---|")
    for r in results:
        peaks = ", ".join(f"{p:.0f}" for p in r["peaks"])
        engine = "warm" if r["warm"] else "cold per task"
        print(f"| {r['workers']} | {engine} | {r['n']} ({r['failed']}) | {r['wall']:.1f} | {r['per_minute']:.1f} | "
              f"{r['core_seconds']:.2f} | {peaks} |")  # fmt: skip
    warm = [r for r in results if r["warm"]]
    cold = [r for r in results if not r["warm"]]
    print()
    print(f"lower bound, same outputs, one process: {lower:.2f} core-s per unit-year")
    for r in cold + warm:
        engine = "warm engine  " if r["warm"] else "cold per task"
        print(f"  {r['workers']} worker(s), {engine} ÷ lower bound: {r['core_seconds'] / lower:.2f}"
              + ("   (target ≤ 1.0)" if r["warm"] else ""))  # fmt: skip
    best = max(warm, key=lambda r: r["per_minute"])
    core_s = min(r["core_seconds"] for r in warm)
    peak = max(max(r["peaks"]) for r in warm)
    print()
    print(f"What a year of reports needs (from {core_s:.1f} core-s per unit-year, {peak:.0f} MiB per worker,")
    print(f"one worker per 2 cores; the rate of {best['workers']} worker(s) here: {best['per_minute']:.1f}/min):")
    print()
    print("| | units | core-hours | here, at the measured rate | 16 cores (8 workers) | 64 cores (32 workers) |")
    print("|---|---:|---:|---:|---:|---:|")
    for _, name, units in SIZES:
        hours = units * core_s / 3600
        here = units / best["per_minute"] / 60
        print(f"| {name} | {units} | {hours:.1f} | {_duration(here)} | {_duration(hours / 16)} | "
              f"{_duration(hours / 64)} |")  # fmt: skip
    print()
    gib = peak / 1024
    print(f"memory: {peak:.0f} MiB per worker; 8 workers {8 * gib:.1f} GiB, 32 workers {32 * gib:.1f} GiB")


def lower_bound(root: Path, units: list[str]) -> float:
    """CPU seconds per unit-year of ``lower_bound.py --same-outputs`` over ``units`` (their batch
    outputs are in ``root``), in one process: the imports paid once, as by a warm worker."""
    import resource

    env = {**os.environ, "JIXIAO_ROOT": str(root), "PYTHONPATH": str(REPO / "lib")}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "lower_bound.py"), "--same-outputs",
                    *(f"{u}:{YEAR}" for u in units)], cwd=root, env=env, check=True)  # fmt: skip
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return cpu / len(units)


def _duration(hours: float) -> str:
    if hours * 60 < 1:
        return f"{hours * 3600:.0f} s"
    if hours < 1:
        return f"{hours * 60:.0f} min"
    return f"{hours:.1f} h"


if __name__ == "__main__":
    main()
