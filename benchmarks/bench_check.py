"""Checking filled 自评表 workbooks (``make bench-check``): forms per second and peak memory.

Copies the reader's sample workbooks (one per layout, ``bench_forms.samples``) into a folder of N
files and runs ``jixiao check`` on it in a fresh process, in-process (``--workers 1``) and with a
local pool of two processes: wall time (reading, scoring, flagging and writing check.html, .xlsx
and .json), forms per second, the peak resident memory of the largest process, and the size of
check.json (what memory grows with).

    python benchmarks/bench_check.py [--sizes 1000 10000] [--workers 1 2]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))
sys.path.insert(0, str(REPO / "lib"))
sys.path.insert(0, str(REPO / "tests"))


def folder_of(n: int, samples: list[Path], where: Path) -> Path:
    folder = where / f"forms-{n}"
    folder.mkdir()
    for i in range(n):
        source = samples[i % len(samples)]
        shutil.copy(source, folder / f"{i:05d}-{source.name}")
    return folder


def check(folder: Path, workers: int, out: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(REPO / "lib")}
    command = [
        sys.executable,
        "-m",
        "jixiao.cli",
        "check",
        str(folder),
        "--output",
        str(out),
        "--workers",
        str(workers),
    ]
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"seconds": seconds, "peak_mib": peak, "json_mib": (out / "check.json").stat().st_size / 2**20}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=int, default=[1000, 10000])
    parser.add_argument("--workers", nargs="+", type=int, default=[1, 2])
    args = parser.parse_args()
    from bench_forms import samples

    with tempfile.TemporaryDirectory(prefix="jixiao-bench-check-") as tmp:
        where = Path(tmp)
        made = samples(where / "samples")
        print(f"{'forms':>7} {'workers':>7} {'seconds':>8} {'forms/s':>8} {'peak MiB':>9} {'check.json MiB':>15}")
        for n in args.sizes:
            folder = folder_of(n, made, where)
            for workers in args.workers:
                got = check(folder, workers, where / f"out-{n}-{workers}")
                print(f"{n:>7} {workers:>7} {got['seconds']:>8.2f} {n / got['seconds']:>8.0f} "
                      f"{got['peak_mib']:>9.0f} {got['json_mib']:>15.1f}")  # fmt: skip
            shutil.rmtree(folder)


if __name__ == "__main__":
    main()
