"""Time ``jixiao preview``'s edit loop on the example and print the figures (``make bench-preview``).

One preview runs on a scratch copy of the project; the benchmark saves an edit, then waits for the
preview's event stream to say the page was updated (a build that passed): the time from the save
to that event, which is when the open page reloads. Each figure is the median of ``--repeat``
edits (each edit a value never used before, so every one is a real change):

1. a narrative text (``narrative.csv``, one 低保 row's text);
2. one settings value (the title of the 低保 section's first chart, ``themes.dibao`` in unit.yaml);
3. one cell in each input file of the year in turn (``budget.csv``, which six sections read, among them);
4. the first full build in a preview whose engine is warm (the cache and the charts' memo removed,
   every section run again, every chart drawn), against the lower bound's wall time: the sections'
   calls in one plain Python process (``benchmarks/lower_bound.py``, which also makes the workbook,
   and the same calls making the sections' HTML only, as the preview does);
5. the peak memory of the preview's process tree (the sum of the proportional set sizes, sampled
   every 20 ms), idle and while rebuilding.

Beside each wall time, the CPU seconds (user + system) the preview's processes spent on the edit
(the ended kernels included: the kernel template reaps them), which a machine shared with other
work disturbs far less; the lower bound is run before the preview and between its full builds,
so that both meet the same load.
"""

from __future__ import annotations

import argparse
import csv
import http.client
import io
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import psutil
from bench_build import REPO, env_for, scratch_copy, tree_memory

UNIT, YEAR = "lechang-mzj", 2019
DATA = Path("data") / UNIT / str(YEAR)


def replace_cell(file: str, row: str, column: str, value: Callable[[str, int], str]) -> Callable[[Path, int], None]:
    """An edit: in ``file``, the cell of ``column`` in the first row whose first cell is ``row`` set
    to ``value(old, n)``."""

    def edit(root: Path, n: int) -> None:
        path = root / DATA / file
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        at = rows[0].index(column)
        cells = next(r for r in rows[1:] if r and r[0] == row)
        cells[at] = value(cells[at], n)
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        path.write_text(out.getvalue(), encoding="utf-8")

    return edit


def text(old: str, n: int) -> str:
    return re.sub(r"（第\d+稿）$", "", old) + f"（第{n}稿）"


def amount(start: float) -> Callable[[str, int], str]:
    return lambda old, n: f"{start - 0.01 * n:.2f}"


def source(old: str, n: int) -> str:
    """A figure's source, published and illustrative in turn (amounts must add up across files)."""
    return ("published", "illustrative")[n % 2]


def count(start: int) -> Callable[[str, int], str]:
    return lambda old, n: str(start + n)


INPUTS = {
    "budget.csv": replace_cell("budget.csv", "B01", "initial_budget", amount(1030.00)),
    "goals.csv": replace_cell("goals.csv", "G01", "outcome", text),
    "indicators.csv": replace_cell("indicators.csv", "YB01-01", "actual", count(653)),
    "narrative.csv": replace_cell("narrative.csv", "dibao", "text", text),
    "profile.csv": replace_cell("profile.csv", "lechang-mzj", "staff_retired", count(19)),
    "project_funds.csv": replace_cell("project_funds.csv", "YB01", "source", source),
    "projects.csv": replace_cell("projects.csv", "YB01", "implementer", text),
    "published.csv": replace_cell("published.csv", "department_score", "note", text),
    "sangong.csv": replace_cell("sangong.csv", "公务接待费", "executed", amount(2.84)),
    "stats.csv": replace_cell("stats.csv", "dibao", "value", count(653)),
}
"""One cell per input file: a value the inputs' check accepts, new at every edit."""


def settings_edit(root: Path, n: int) -> None:
    path = root / "params" / UNIT / "unit.yaml"
    old = "title: 社会救助人次（按救助类别）"
    lines = path.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.strip().startswith(old))
    lines[at] = lines[at][: lines[at].index(old)] + f"{old}（第{n}稿）"
    path.write_text("\n".join(lines), encoding="utf-8")


class Preview:
    """The preview process, its output lines, and its event stream's states as they come."""

    def __init__(self, root: Path) -> None:
        self.root = root
        cmd = [sys.executable, "-m", "jixiao.cli", "preview", "--unit", UNIT, "--year", str(YEAR), "--port", "0"]
        self.process = subprocess.Popen(cmd, cwd=root, env=env_for(root), stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True)  # fmt: skip
        self.lines: list[str] = []
        self.states: list[tuple[float, dict]] = []
        self.changed = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()
        with self.changed:
            self.changed.wait_for(lambda: self.port is not None or self.process.poll() is not None, 120)
        if self.port is None:
            raise SystemExit("the preview did not start:\n" + "".join(self.lines))
        threading.Thread(target=self._events, daemon=True).start()

    @property
    def port(self) -> int | None:
        found = next((re.search(r"127\.0\.0\.1:(\d+)/", line) for line in self.lines if "预览" in line), None)
        return int(found.group(1)) if found else None

    def _read(self) -> None:
        for line in self.process.stdout:
            with self.changed:
                self.lines.append(line)
                self.changed.notify_all()

    def _events(self) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port)
        connection.request("GET", "/events")
        stream = connection.getresponse()
        for raw in stream:
            if raw.startswith(b"data: "):
                with self.changed:
                    self.states.append((time.perf_counter(), json.loads(raw[6:])))
                    self.changed.notify_all()

    def version(self) -> int:
        with self.changed:
            return self.states[-1][1]["version"] if self.states else 0

    def updated(self, edit: Callable[[], None], timeout: float = 300) -> tuple[float, list[str], float]:
        """Seconds from ``edit`` (a save) to the page's update; the sections that ran again; the
        CPU seconds the preview's processes spent meanwhile."""
        version, lines = self.version(), len(self.lines)
        cpu = self.cpu()
        start = time.perf_counter()
        edit()
        with self.changed:
            self.changed.wait_for(lambda: self.process.poll() is not None or (self.states and (
                self.states[-1][1]["version"] > version or self.states[-1][1]["error"])), timeout)  # fmt: skip
            at, state = self.states[-1]
            if state["error"] or state["version"] <= version:
                raise SystemExit(f"the build failed or never came: {state['error']}\n" + "".join(self.lines[lines:]))
            ran = re.findall(r"^  (\d\d-[a-z]+) +\d+\.\d\ds$", "".join(self.lines[lines:]), re.M)
        return at - start, ran, self.cpu() - cpu

    def cpu(self) -> float:
        """CPU seconds (user + system) of the preview's process tree so far, the ended kernels
        included (the template reaps them)."""
        total = 0.0
        parent = psutil.Process(self.process.pid)
        for p in [parent, *parent.children(recursive=True)]:
            try:
                t = p.cpu_times()
                total += t.user + t.system + t.children_user + t.children_system
            except psutil.NoSuchProcess:
                pass
        return total

    def memory(self) -> float:
        """The process tree's proportional set size now, MiB."""
        return (tree_memory(self.process.pid) or 0) / 2**20


def cpu_run(cmd: list[str], root: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds: user + system) of one command run to its end."""
    start = time.perf_counter()
    process = subprocess.Popen(cmd, cwd=root, env=env_for(root), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{process.stderr.read().decode()}")
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


class Sampler:
    """The peak of the preview tree's memory while sampling is on (every 20 ms)."""

    def __init__(self, preview: Preview) -> None:
        self.preview, self.peak, self.on = preview, 0.0, threading.Event()
        threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self) -> None:
        while True:
            if self.on.is_set():
                self.peak = max(self.peak, self.preview.memory())
            time.sleep(0.02)


LOWER_HTML = (
    "import sys; sys.path.insert(0, {bench!r}); import lower_bound as lb; lb.forget_charts(); "
    "assert all(lb.run_section(s) for s in lb.settings.load(lb.UNIT, lb.YEAR).sections)"
)
"""The lower bound's section calls without its workbook: the outputs a preview makes."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="edits per figure (3 per input file)")
    args = parser.parse_args()
    root = scratch_copy()
    try:
        lower_cmd = [sys.executable, str(REPO / "benchmarks" / "lower_bound.py")]
        lower_html_cmd = [sys.executable, "-c", LOWER_HTML.format(bench=str(REPO / "benchmarks"))]
        lower = [cpu_run(lower_cmd, root) for _ in range(2)]
        lower_html = [cpu_run(lower_html_cmd, root) for _ in range(2)]
        preview = Preview(root)
        sampler = Sampler(preview)
        with preview.changed:
            preview.changed.wait_for(lambda: preview.version() >= 1 or preview.process.poll() is not None, 600)
        if preview.version() < 1:
            raise SystemExit("the preview's first build did not pass:\n" + "".join(preview.lines))
        time.sleep(5)  # the template warms up
        sampler.on.set()
        time.sleep(2)
        sampler.on.clear()
        idle = sampler.peak
        sampler.peak = 0.0
        sampler.on.set()
        n = iter(range(1, 10_000))
        narrative = [preview.updated(lambda: INPUTS["narrative.csv"](root, next(n))) for _ in range(args.repeat)]
        settings = [preview.updated(lambda: settings_edit(root, next(n))) for _ in range(args.repeat)]
        per_file = {
            name: [preview.updated(lambda e=edit: e(root, next(n))) for _ in range(3)] for name, edit in INPUTS.items()
        }
        full = []
        for _ in range(3):  # the lower bound between the full builds: both meet the same load from other work
            shutil.rmtree(root / "outputs" / UNIT / str(YEAR) / ".cache")
            shutil.rmtree(root / "outputs" / ".cache" / "charts", ignore_errors=True)  # every chart drawn
            full.append(preview.updated(lambda: INPUTS["narrative.csv"](root, next(n))))
            lower.append(cpu_run(lower_cmd, root))
            lower_html.append(cpu_run(lower_html_cmd, root))
        sampler.on.clear()
        rebuilding = sampler.peak
        preview.process.send_signal(2)
        code = preview.process.wait(60)
    finally:
        shutil.rmtree(root, ignore_errors=True)

    def med(runs: list, at: int = 0) -> float:
        return statistics.median(r[at] for r in runs)

    def ran(runs: list) -> str:
        return ", ".join(sorted(set(runs[-1][1]))) or "none"

    print(f"jixiao preview, {UNIT} {YEAR}, review edition (HTML); from the save to the page's update")
    print(f"{'edit':<34} {'median s':>9} {'spread s':>12} {'CPU s':>6}  target  sections run again")
    rows = [("narrative text (narrative.csv)", narrative, 1.0), ("one settings value (themes.dibao)", settings, 1.0)]
    rows += [(f"one cell of {name}", runs, 2.0 if name == "budget.csv" else None) for name, runs in per_file.items()]
    rows.append(("full build, warm engine", full, None))
    for label, runs, target in rows:
        spread = f"{min(r[0] for r in runs):.2f}–{max(r[0] for r in runs):.2f}"
        aim = f"≤ {target:.1f}" if target else "      "
        print(f"{label:<34} {med(runs):9.2f} {spread:>12} {med(runs, 2):6.2f}  {aim}  {ran(runs)}")
    files = statistics.median(med(runs) for runs in per_file.values())
    print(f"{'one cell per input file (median)':<34} {files:9.2f} {'':>12} {'':>6}  ≤ 1.5")
    for label, runs in (("lower bound (HTML + workbook)", lower), ("lower bound (the sections' HTML)", lower_html)):
        print(f"{label:<34} {med(runs):9.2f} {'':>12} {med(runs, 1):6.2f}")
    print(
        f"full warm build ÷ lower bound:      {med(full) / med(lower):.2f}  (target ≤ 0.75; CPU "
        f"{med(full, 2) / med(lower, 1):.2f})"
    )
    print(
        f"full warm build ÷ lower bound HTML: {med(full) / med(lower_html):.2f}  (the same outputs; CPU "
        f"{med(full, 2) / med(lower_html, 1):.2f})"
    )
    print(f"peak memory, idle:                  {idle:.0f} MiB")
    print(f"peak memory, rebuilding:            {rebuilding:.0f} MiB")
    print(f"stopped by SIGINT:                  exit {code}")
    print(f"load average at the end:            {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
