"""Checking filled 自评表 workbooks (``make bench-check``): forms per second and peak memory.

Writes the forms of synthetic units (``jixiao synth --forms``: every layout and quirk, a third of
the project forms with a planted fault, a few corrupt files and workbooks that are not a 自评表),
copies them into a folder of N files, and runs ``jixiao check`` on it in a fresh process, in-process
(``--workers 1``) and with a local pool of two processes: wall time (reading, scoring, flagging and
writing check.html, .xlsx and .json), forms per second, the peak resident memory of the largest
process (the ``jixiao`` process or a worker), the size of check.json (what memory grows with), and
the machine's load average after the run (other work on it slows every figure).

    python benchmarks/bench_check.py [--sizes 1000 10000] [--workers 1 2]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "lib"))

UNITS = 220
"""Synthetic units written once (about a thousand forms), copied round to make each folder."""
WRAPPER = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True, capture_output=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def synthetic(where: Path) -> list[Path]:
    """Every file ``jixiao synth --forms`` writes for ``UNITS`` units (the forms and the unreadable)."""
    from jixiao import synth

    synth.write_forms(synth.plan(UNITS, 0), [2024], 0, root=where)
    return sorted(p for p in (where / "data").rglob("*.xlsx"))


def folder_of(n: int, made: list[Path], where: Path) -> Path:
    folder = where / f"forms-{n}"
    folder.mkdir()
    for i in range(n):
        source = made[i % len(made)]
        shutil.copy(source, folder / f"{i:05d}-{source.name}")
    return folder


def check(folder: Path, workers: int, out: Path) -> dict:
    """One ``jixiao check`` in a fresh process: its wall time and the peak memory of its largest process."""
    env = {**os.environ, "PYTHONPATH": str(REPO / "lib")}
    command = [sys.executable, "-m", "jixiao.cli", "check", str(folder), "--output", str(out)]
    command += ["--workers", str(workers)]
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", WRAPPER, *command], env=env, check=True, capture_output=True,
                          text=True)  # fmt: skip
    seconds = time.perf_counter() - start
    record = json.loads((out / "check.json").read_text(encoding="utf-8"))
    return {
        "seconds": seconds,
        "peak_mib": int(done.stdout.split()[-1]) / 1024,
        "json_mib": (out / "check.json").stat().st_size / 2**20,
        "forms": sum(1 for r in record if r["form"]),
        "unread": sum(1 for r in record if not r["form"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=int, default=[1000, 10000])
    parser.add_argument("--workers", nargs="+", type=int, default=[1, 2])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-check-") as tmp:
        where = Path(tmp)
        start = time.perf_counter()
        made = synthetic(where / "synth")
        print(f"jixiao synth --forms: {len(made)} files of {UNITS} units in {time.perf_counter() - start:.1f} s")
        print(f"{'files':>7} {'forms':>7} {'unread':>6} {'workers':>7} {'seconds':>8} {'files/s':>8} "
              f"{'peak MiB':>9} {'check.json MiB':>15}")  # fmt: skip
        for n in args.sizes:
            folder = folder_of(n, made, where)
            for workers in args.workers:
                got = check(folder, workers, where / f"out-{n}-{workers}")
                line = f"{n:>7} {got['forms']:>7} {got['unread']:>6} {workers:>7} {got['seconds']:>8.2f} "
                line += f"{n / got['seconds']:>8.0f} {got['peak_mib']:>9.0f} {got['json_mib']:>15.1f}"
                line += f"  (load {os.getloadavg()[0]:.1f})"
                print(line, flush=True)
            shutil.rmtree(folder)


if __name__ == "__main__":
    main()
