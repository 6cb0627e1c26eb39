"""A batch whose scheduler is killed while it runs: one line naming the unit-years that finished
(their outputs kept) and those that did not, exit 1, no traceback (a real ``dask scheduler``
process, killed)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO
from jixiao import synth
from test_batch import Cluster

YEAR = 2020


def test_a_scheduler_lost_mid_batch_says_what_finished_and_what_did_not(tmp_path_factory):
    root = tmp_path_factory.mktemp("client")
    shutil.copytree(REPO / "notebooks", root / "notebooks")
    units = synth.write(3, [YEAR], 5, root=root, shares={"bad": 0.0, "mismatch": 0.0, "late": 0.0})
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
