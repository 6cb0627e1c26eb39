"""A batch whose scheduler is killed while it runs: one line naming the unit-years that finished
(their outputs kept) and those that did not, exit 1, no traceback (a real ``dask scheduler``
process, killed)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from conftest import REPO
from jixiao import synth
from test_batch import Cluster, html_and_workbook

YEAR = 2020


def test_a_scheduler_lost_mid_batch_says_what_finished_and_what_did_not(tmp_path_factory):
    root = tmp_path_factory.mktemp("client")
    shutil.copytree(REPO / "notebooks", root / "notebooks")
    units = synth.write(3, [YEAR], 5, root=root, shares={"bad": 0.0, "mismatch": 0.0, "late": 0.0})
    html_and_workbook(root, units)
    ids = [u.id for u in units]
    cluster = Cluster(tmp_path_factory.mktemp("cluster"), workers=1)
    try:
        env = {**os.environ, "JIXIAO_ROOT": str(root), "PYTHONPATH": str(REPO / "lib")}
        args = ["batch", "--units", *ids, "--years", str(YEAR), "--scheduler", cluster.address]
        proc = subprocess.Popen([sys.executable, "-m", "jixiao.cli", *args], cwd=root, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
        try:
            lines = []
            for line in proc.stdout:  # each unit-year's line is printed as it finishes
                lines.append(line)
                if "完成 (built)" in line:
                    cluster.processes[0].kill()  # the scheduler
                    break
            out, err = proc.communicate(timeout=120)
        finally:
            if proc.poll() is None:
                proc.kill()
    finally:
        cluster.stop()
    finished = lines[-1].split()[0]
    assert finished in ids
    left = [u for u in ids if u != finished]
    assert proc.returncode == 1
    assert err == (
        f"与 Dask 调度器 {cluster.address} 的连接中断 (the cluster was lost)：已完成 1 份，输出已保存 "
        f"(finished, outputs kept)：{finished} {YEAR}；未完成 2 份 (not built)：{left[0]} {YEAR}、{left[1]} {YEAR}\n"
    )
    assert "Traceback" not in out
    outputs = Path(root) / "outputs"
    assert (outputs / finished / str(YEAR) / "report.html").is_file()
    assert (outputs / finished / str(YEAR) / ".cache" / "batch.key").is_file()
    assert not any((outputs / unit / str(YEAR) / "report.html").exists() for unit in left)
    assert not (outputs / "_summary").exists()


def _kernel_processes(pid: int) -> list[int]:
    """The process ids of ``pid`` and its descendants, if it still runs."""
    import psutil

    try:
        process = psutil.Process(pid)
        return [p.pid for p in [process, *process.children(recursive=True)] if p.status() != psutil.STATUS_ZOMBIE]
    except psutil.NoSuchProcess:
        return []


def test_a_warm_template_forks_each_build_its_own_report_and_is_restarted_when_it_died(tmp_path, monkeypatch):
    """A worker's warm kernel template (batch.WarmEngine) holds no report: each build's zygote is a
    fork that loads its own unit-year's (a second unit's build never sees the first's), read when
    the fork starts. A template killed between two builds is started again at the next; the
    worker's teardown leaves no process and no folder of it."""
    from jixiao import batch, scratch
    from jixiao.engine import pipeline, warm

    monkeypatch.setenv("PYTHONPATH", str(REPO / "lib"))  # the template runs this jixiao
    monkeypatch.setenv("JIXIAO_ROOT", str(tmp_path))
    units = [u.id for u in synth.write(2, [YEAR], 11, root=tmp_path, shares={"bad": 0.0})]
    expected = {unit: pipeline.cover_of(unit, YEAR) for unit in units}
    assert expected[units[0]]["score"] != expected[units[1]]["score"]
    plugin = batch.WarmEngine()
    plugin.setup()
    template = warm.current.template
    try:
        first = template.pid

        def cover(unit: str) -> tuple[bool, dict]:
            with warm.current.zygote(None, (unit, YEAR)) as zygote:
                assert zygote.process.pid != first  # a fork of the template, its own process
                return zygote.call("jixiao.engine.pipeline:cover_of", unit, YEAR).result()

        assert cover(units[0]) == (True, expected[units[0]])
        assert cover(units[1]) == (True, expected[units[1]])
        # the report is loaded when the build's zygote starts, not before: its inputs gone, a new
        # fork has none to give, where a template that had kept the first report would still answer
        shutil.move(tmp_path / "data" / units[0], tmp_path / "gone")
        assert cover(units[0]) == (False, None)
        shutil.move(tmp_path / "gone", tmp_path / "data" / units[0])
        os.kill(first, 9)  # killed between two builds (for its memory, say)
        assert cover(units[1]) == (True, expected[units[1]])
        assert template.pid not in (first, None) and _kernel_processes(first) == []
        second = template.pid
    finally:
        plugin.teardown()
    assert warm.current is None
    assert _kernel_processes(second) == []
    assert not [p for p in scratch.owned() if p.name.startswith("jixiao-kernels-")]


def test_a_worker_killed_leaves_no_template_behind(tmp_path):
    """A worker killed outright (SIGKILL: no teardown) while its template has a build's zygote
    running: the template reads the end of its standard input and ends, with that zygote."""
    code = """
import sys
from jixiao import batch
from jixiao.engine import warm
batch.WarmEngine().setup()
zygote = warm.current.zygote(None, None)
zygote.wait_ready()
print(warm.current.template.pid, zygote.process.pid, flush=True)
sys.stdin.read()
"""
    temporary = tmp_path / "tmp"  # what SIGKILL leaves (the template's folder) stays in the test's own folder
    temporary.mkdir()
    env = {**os.environ, "PYTHONPATH": str(REPO / "lib"), "JIXIAO_ROOT": str(tmp_path), "TMPDIR": str(temporary)}
    worker = subprocess.Popen([sys.executable, "-c", code], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True)  # fmt: skip
    try:
        template, zygote = map(int, worker.stdout.readline().split())
        assert _kernel_processes(zygote) == [zygote]
    finally:
        worker.kill()
        worker.wait()
    deadline = time.monotonic() + 10
    while (_kernel_processes(template) or _kernel_processes(zygote)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _kernel_processes(template) == [] and _kernel_processes(zygote) == []
