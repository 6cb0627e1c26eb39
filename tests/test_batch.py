"""Batch builds on Dask: a real cluster of separate processes, no shared filesystem.

A scheduler and two workers are started as ``dask scheduler`` / ``dask worker`` processes on the
loopback address, in a temporary folder that holds no project files, with nothing of jixiao but
the package (copied on its own, so the workers cannot find the project's data by accident). The
client is a project folder with synthetic units; everything a build makes must come back to it.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, Build, run_jixiao
from jixiao import synth

YEAR = 2020
SEED = 7
N_UNITS = 3


def _run(root: Path, *args: str) -> Build:
    env = {**os.environ, "JIXIAO_ROOT": str(root), "PYTHONPATH": str(REPO / "lib")}
    proc = subprocess.run([sys.executable, "-m", "jixiao.cli", *args], cwd=root, env=env,
                          capture_output=True, text=True, timeout=900)  # fmt: skip
    return Build(proc.returncode, proc.stdout, proc.stderr)


class Cluster:
    """``dask scheduler`` and ``dask worker`` processes on 127.0.0.1, in ``folder``."""

    def __init__(self, folder: Path, workers: int) -> None:
        self.folder = folder
        package = folder / "package"  # the jixiao package alone (its bytecode too): no data/, params/, notebooks/
        shutil.copytree(REPO / "lib" / "jixiao", package / "site" / "jixiao")
        self.work = folder / "work"
        self.work.mkdir()
        env = {k: v for k, v in os.environ.items() if k != "JIXIAO_ROOT"}
        env["PYTHONPATH"] = str(package / "site")
        env["TMPDIR"] = str(folder / "tmp")  # a worker stopped mid-task leaves its task's folders here
        (folder / "tmp").mkdir()
        self.env = env
        self.processes: list[subprocess.Popen] = []
        try:
            self._launch(workers)
        except BaseException:
            self.stop()
            raise

    def _launch(self, workers: int) -> None:
        folder = self.folder
        scheduler_file = folder / "scheduler.json"
        self.processes = [self._start("scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                      "--scheduler-file", str(scheduler_file))]  # fmt: skip
        deadline = time.monotonic() + 60
        while not scheduler_file.is_file():
            assert time.monotonic() < deadline, "the scheduler did not start"
            time.sleep(0.2)
        time.sleep(0.2)
        self.address = json.loads(scheduler_file.read_text())["address"]
        assert self.address.startswith("tcp://127.0.0.1:")
        for n in range(workers):
            self.processes.append(self._start(
                "worker", "--scheduler-file", str(scheduler_file), "--nthreads", "1", "--nworkers", "1",
                "--host", "127.0.0.1", "--no-dashboard", "--name", f"w{n + 1}",
                "--local-directory", str(folder / f"scratch-{n + 1}"),
            ))  # fmt: skip
        from dask.distributed import Client

        with Client(self.address, timeout=60) as client:
            client.wait_for_workers(workers, timeout=120)
            self.worker_cwds = client.run(os.getcwd)
            self.worker_paths = client.run(lambda: __import__("jixiao").__file__)

    def _start(self, *args: str) -> subprocess.Popen:
        log = open(self.folder / f"{args[0]}-{len(self.processes)}.log", "wb")
        return subprocess.Popen([sys.executable, "-m", "dask", *args], cwd=self.work, env=self.env,
                                stdout=log, stderr=subprocess.STDOUT)  # fmt: skip

    def stop(self) -> None:
        """The workers first, then the scheduler: a worker whose scheduler went first spends its
        nanny's whole grace period (8 s) closing, where one that says goodbye closes at once. So
        when the scheduler is already gone (a test killed it), each worker is killed outright, its
        nanny with the worker process under it (a worker killed leaves no kernel template behind:
        tests/test_batch_faults.py)."""
        workers, scheduler = self.processes[1:], self.processes[:1]
        if scheduler and scheduler[0].poll() is not None:
            import psutil

            for process in workers:
                try:
                    tree = [psutil.Process(process.pid), *psutil.Process(process.pid).children(recursive=True)]
                except psutil.NoSuchProcess:
                    continue
                for member in tree:
                    with contextlib.suppress(psutil.NoSuchProcess):
                        member.kill()
        for group in (workers, scheduler):
            for process in group:
                process.terminate()
            for process in group:
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()


def html_and_workbook(root: Path, units: list[synth.Unit]) -> None:
    """The units' settings ask for the HTML page and the workbook only (``formats``): what these
    tests look at; the PDF and DOCX of a batch are made on a local cluster below, in every format."""
    for unit in units:
        settings = root / "params" / unit.id / "unit.yaml"
        text = settings.read_text(encoding="utf-8")
        assert "\nformats:" not in text
        settings.write_text(text + "formats: [html, xlsx]\n", encoding="utf-8")


def _sections(root: Path, unit: synth.Unit) -> list[str]:
    """The ids of a unit's sections, as its settings list them."""
    from jixiao.inputs import settings

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JIXIAO_ROOT", str(root))
        return [s.id for s in settings.load(unit.id, YEAR).sections]


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory):
    """Three synthetic units (one with bad input) built through a two-worker cluster, twice."""
    root = tmp_path_factory.mktemp("client")
    shutil.copytree(REPO / "notebooks", root / "notebooks")
    units = synth.write(N_UNITS, [YEAR - 1, YEAR], SEED, root=root)
    html_and_workbook(root, units)
    cluster = Cluster(tmp_path_factory.mktemp("cluster"), workers=2)
    try:
        ids = [u.id for u in units]
        first = _run(root, "batch", "--units", *ids, "--years", str(YEAR), "--scheduler", cluster.address)
        # one input of one good unit changes; the rerun rebuilds that unit only, and only what read it
        changed = next(u for u in units if "bad" not in u.faults)
        stats = root / "data" / changed.id / str(YEAR) / "stats.csv"
        lines = stats.read_text(encoding="utf-8").splitlines()
        head, _, rest = lines[1].rpartition(",illustrative,")
        fields = head.split(",")
        fields[3] = f"{float(fields[3]) + 1:g}"
        lines[1] = ",".join(fields) + ",illustrative," + rest
        stats.write_text("\n".join(lines) + "\n", encoding="utf-8")
        second = _run(root, "batch", "--units", *ids, "--years", str(YEAR), "--scheduler", cluster.address)
        yield root, units, cluster, first, second, changed
    finally:
        cluster.stop()


def test_workers_are_separate_processes_without_the_project(province):
    _root, _units, cluster, *_ = province
    assert len(cluster.worker_cwds) == 2
    for address, cwd in cluster.worker_cwds.items():
        assert address.startswith("tcp://127.0.0.1:")
        assert Path(cwd) == cluster.work
    for path in cluster.worker_paths.values():
        assert Path(path).parent == cluster.folder / "package" / "site" / "jixiao"
    assert sorted(p.name for p in cluster.work.iterdir()) == []  # nothing unpacked is left behind


def test_every_output_comes_back_to_the_client(province):
    root, units, _cluster, first, *_ = province
    assert first.returncode == 1, first.stdout + first.stderr
    good = [u for u in units if "bad" not in u.faults]
    for unit in good:
        out = root / "outputs" / unit.id / str(YEAR)
        sections = _sections(root, unit)
        assert {t.key for t in unit.kind.themes} <= {s[3:] for s in sections}
        html = (out / "report.html").read_text(encoding="utf-8")
        assert f"<title>{unit.name}{YEAR}年度部门整体支出绩效自评报告</title>" in html
        assert (out / "自评表.xlsx").read_bytes()[:2] == b"PK"
        assert sorted(p.stem for p in (out / "notebooks").glob("*.ipynb")) == sections
        entries = [p.name for p in (out / ".cache").glob("*.json") if not p.name.endswith(".html.json")]
        assert sorted(entries) == sorted([f"{s}.json" for s in sections] + ["summary.json"])
        assert (out / ".cache" / "validated.key").is_file()
        kept = json.loads((out / ".cache" / "summary.json").read_text(encoding="utf-8"))  # made by the worker
        assert kept["row"]["unit"] == unit.id and kept["row"]["status"] == "正常"
        (line,) = [x for x in first.stdout.splitlines() if x.startswith(f"  {unit.id} {YEAR}  完成 (built)")]
        assert line.endswith(f"outputs/{unit.id}/{YEAR}/report.html  重新执行 (re-executed): {', '.join(sections)}")


def test_one_bad_unit_fails_alone(province):
    root, units, _cluster, first, *_ = province
    lines = first.stdout.splitlines()
    (bad,) = [u for u in units if "bad" in u.faults]
    assert lines[0] == f"jixiao batch: {N_UNITS} 份报告 (reports)"
    at = next(i for i, x in enumerate(lines) if x.startswith(f"  {bad.id} {YEAR}  失败 (failed)"))
    assert lines[at].endswith("输入数据有 1 处错误：")
    budget = root / "data" / bad.id / str(YEAR) / "budget.csv"
    value = next(csv.DictReader(budget.open(encoding="utf-8")))["executed"]
    assert value.endswith("万元")
    where = f"data/{bad.id}/{YEAR}/budget.csv 第2行 全年执行数(executed)"
    assert lines[at + 1] == f'      {where}：值 "{value}" 不是数字，应为数字（万元）'
    assert not (root / "outputs" / bad.id / str(YEAR) / "report.html").exists()
    assert lines[-1] == f"{N_UNITS - 1} 份完成，1 份失败 ({N_UNITS - 1} built, 1 failed)"
    progress = [x for x in lines if x.startswith("  进度 (progress)")]
    assert len(progress) == N_UNITS
    assert progress[-1].startswith(f"  进度 (progress) {N_UNITS}/{N_UNITS}：完成 {N_UNITS - 1}，失败 1，剩余 0，")
    assert progress[-1].endswith(" 份/分钟 (unit-years/min)")


def test_the_summary_lists_each_unit_with_its_score(province, monkeypatch):
    from jixiao import scoring
    from jixiao.inputs import validation

    root, units, _cluster, first, *_ = province
    assert f"汇总 (summary): outputs/_summary/{YEAR}/summary.html" in first.stdout.splitlines()
    monkeypatch.setenv("JIXIAO_ROOT", str(root))
    rows = list(csv.DictReader((root / "outputs" / "_summary" / str(YEAR) / "summary.csv").open(encoding="utf-8-sig")))
    assert sorted(r["单位编码"] for r in rows) == sorted(u.id for u in units)
    by_id = {r["单位编码"]: r for r in rows}
    for unit in units:
        row = by_id[unit.id]
        if "bad" in unit.faults:
            assert (row["状态"], row["自评得分"], row["报告"]) == ("输入数据有误", "", "")
            kept = json.loads((root / "outputs" / unit.id / str(YEAR) / ".cache" / "summary.json").read_text())
            assert (kept["row"]["status"], kept["row"]["problems"]) == ("输入数据有误", 1)
            continue
        data = validation.check(unit.id, YEAR)
        department = scoring.score_department(data.indicators)
        assert float(row["自评得分"]) == department.total
        assert row["评价等级"] == scoring.grade(department.total)
        assert row["报告"] == f"{unit.id}/{YEAR}/report.html"
    html = (root / "outputs" / "_summary" / str(YEAR) / "summary.html").read_text(encoding="utf-8")
    for unit in units:
        if "bad" not in unit.faults:
            assert f'<a href="../../{unit.id}/{YEAR}/report.html">查看</a>' in html


def test_a_rerun_rebuilds_only_what_changed(province):
    root, units, _cluster, _first, second, changed = province
    lines = second.stdout.splitlines()
    assert second.returncode == 1, second.stdout + second.stderr
    for unit in units:
        if "bad" in unit.faults:
            assert any(x.startswith(f"  {unit.id} {YEAR}  失败 (failed)") for x in lines)
        elif unit is changed:
            (line,) = [x for x in lines if x.startswith(f"  {unit.id} {YEAR}  完成 (built)")]
            # exactly the sections whose cache entry lists the edited stats row: the whole table, the
            # row's key or its section (its theme among them: jixiao.inputs.parts), not all
            section, key = (root / "data" / unit.id / str(YEAR) / "stats.csv").read_text(
                encoding="utf-8").splitlines()[1].split(",")[:2]  # fmt: skip
            table = f"data/{unit.id}/{YEAR}#rows:stats"
            covering = {table, f"{table}.key={key}", f"{table}.section={section}"}
            out = root / "outputs" / unit.id / str(YEAR) / ".cache"
            sections = _sections(root, unit)
            recorded = {s: set(json.loads((out / f"{s}.json").read_text())["dependencies"]) for s in sections}
            readers = [s for s in sections if covering & recorded[s]]
            assert section in {t.key for t in unit.kind.themes} and section in {s[3:] for s in readers}
            assert len(readers) < len(sections)
            assert line.endswith(f"重新执行 (re-executed): {', '.join(readers)}"), line
        else:
            assert f"  {unit.id} {YEAR}  未变 (unchanged)  outputs/{unit.id}/{YEAR}/report.html" in lines
    html = (root / "outputs" / changed.id / str(YEAR) / "report.html").read_text(encoding="utf-8")
    assert f"<title>{changed.name}{YEAR}年度部门整体支出绩效自评报告</title>" in html


def test_batch_on_a_local_cluster_builds_each_year_and_reports_each(built_copy):
    result = run_jixiao(built_copy, "batch", "--units", "lechang-mzj", "--years", "2018", "2030")
    assert result.returncode == 1, result.stdout + result.stderr  # 2030 has no parameters
    lines = result.stdout.splitlines()
    assert lines[0] == "jixiao batch: 2 份报告 (reports)"
    assert any(line.startswith("  lechang-mzj 2018  完成 (built)") for line in lines)
    assert any(line.startswith("  lechang-mzj 2030  失败 (failed)") and "params/lechang-mzj/2030.yaml" in line
               for line in lines)  # fmt: skip
    assert lines[-1] == "1 份完成，1 份失败 (1 built, 1 failed)"
    assert (built_copy / "outputs/lechang-mzj/2018/report.html").is_file()
    html = (built_copy / "outputs/lechang-mzj/2018/report.html").read_text(encoding="utf-8")
    assert "<title>乐昌市民政局2018年绩效自评报告</title>" in html
    for year in (2018, 2030):
        assert f"汇总 (summary): outputs/_summary/{year}/summary.html" in lines


def test_outputs_can_go_to_an_fsspec_url(tmp_path, monkeypatch):
    """The store behind ``--output``: a worker's zipped output folder unpacked under a URL, read
    back as the next task's cache, and the summary written beside it."""
    import io
    import zipfile

    from jixiao import store as stores
    from jixiao import summary

    monkeypatch.setenv("JIXIAO_ROOT", str(tmp_path))
    units = synth.write(3, [YEAR], 2, root=tmp_path)
    store = stores.Store(f"memory://bureau-{os.getpid()}/{YEAR}")
    folder = tmp_path / "built"
    (folder / "notebooks").mkdir(parents=True)
    (folder / "report.html").write_text("<!DOCTYPE html>", encoding="utf-8")
    (folder / "notebooks" / "01-overview.ipynb").write_text("{}", encoding="utf-8")
    (folder / ".report.html.tmp123").write_text("half", encoding="utf-8")  # never travels
    unit = next(u for u in units if "bad" not in u.faults)
    assert store.unpack(f"{unit.id}/{YEAR}", stores.zipped(stores.tree(folder, ""))) == [
        "notebooks/01-overview.ipynb",
        "report.html",
    ]
    assert (
        store.where(f"{unit.id}/{YEAR}/report.html")
        == f"memory://bureau-{os.getpid()}/{YEAR}/{unit.id}/{YEAR}/report.html"
    )
    assert store.exists(f"{unit.id}/{YEAR}/report.html")
    assert store.read(f"{unit.id}/{YEAR}/notebooks/01-overview.ipynb") == b"{}"
    back = zipfile.ZipFile(io.BytesIO(store.folder_zip(f"{unit.id}/{YEAR}")))
    assert sorted(back.namelist()) == ["notebooks/01-overview.ipynb", "report.html"]
    assert store.folder_zip(f"nobody/{YEAR}") is None
    where = summary.write([u.id for u in units], YEAR, store)
    assert where["csv"] == f"memory://bureau-{os.getpid()}/{YEAR}/_summary/{YEAR}/summary.csv"
    html = store.read(f"_summary/{YEAR}/summary.html").decode("utf-8")
    assert f'<a href="../../{unit.id}/{YEAR}/report.html">查看</a>' in html


def test_inputs_travel_alone(tmp_path):
    """A task's archive holds the unit's parameters, the years its report compares, the notebooks:
    nothing of another unit, no output."""
    import io
    import zipfile

    from jixiao import store

    shutil.copytree(REPO / "notebooks", tmp_path / "notebooks")
    units = synth.write(2, [2018, 2019, 2020], 3, root=tmp_path)
    (tmp_path / "data" / units[0].id / "2017").mkdir()  # data without parameters: not compared
    names = zipfile.ZipFile(io.BytesIO(store.inputs_zip(units[0].id, 2019, tmp_path))).namelist()
    assert store.years_needed(units[0].id, 2019, tmp_path) == [2019, 2018]
    assert sorted({n.rsplit("/", 1)[0] for n in names}) == [
        f"data/{units[0].id}/2018", f"data/{units[0].id}/2019", "notebooks", f"params/{units[0].id}",
    ]  # fmt: skip
    assert f"params/{units[0].id}/2020.yaml" in names
    assert store.inputs_zip(units[0].id, 2019, tmp_path) == store.inputs_zip(units[0].id, 2019, tmp_path)


def test_a_worker_gets_its_process_back_after_each_build(tmp_path, monkeypatch):
    """papermill keeps a working directory of its own for writing notebooks, process-wide, and a
    build puts its root's lib/ first on the paths: left as they were, the next build in the same
    worker would write its notebooks into a deleted folder (and the paths would grow forever)."""
    import papermill.iorw

    from jixiao import batch

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PYTHONPATH", "kept")
    monkeypatch.delenv("JIXIAO_BUILD", raising=False)
    handler = papermill.iorw.papermill_io.get_handler("local")
    handler.cwd(str(tmp_path / "stale"))
    state = batch._ProcessState()
    assert handler.cwd(None) is None  # forgotten before the build too
    gone = tmp_path / "build"
    gone.mkdir()
    os.chdir(gone)
    handler.cwd(str(gone))
    os.environ["PYTHONPATH"] = f"{gone}/lib:kept"
    os.environ["JIXIAO_BUILD"] = "1"
    sys.path.insert(0, f"{gone}/lib")
    gone.rmdir()
    state.restore()
    assert os.getcwd() == str(tmp_path)
    assert handler.cwd(None) is None
    assert os.environ["PYTHONPATH"] == "kept" and "JIXIAO_BUILD" not in os.environ
    assert f"{gone}/lib" not in sys.path
