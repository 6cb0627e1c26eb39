"""Faults around a build: Ctrl-C, two builds at once, damaged cache entries, a full disk, outputs
that cannot be written, unit ids that are paths. Each leaves the last report and its workbook
intact as a pair, no kernel running and no temporary file behind, and says what happened in one
line."""

from __future__ import annotations

import ast
import errno
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import QUICK, REPO, UNIT, YEAR, build, copy_project, run_jixiao

NOTHING_BUILT = "未生成报告；上一次的报告保持不变。(nothing built; the last report is unchanged)"
INTERRUPTED = "已中断 (interrupted)：未生成报告；上一次的报告保持不变。(nothing built; the last report is unchanged)"
PAIR = ("report.html", "自评表.xlsx", "build.json")


def out_dir(root: Path) -> Path:
    return root / "outputs" / UNIT / str(YEAR)


def pair(root: Path) -> dict[str, bytes]:
    return {name: (out_dir(root) / name).read_bytes() for name in PAIR}


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in out_dir(root).rglob("*") if ".tmp" in p.name or ".old" in p.name)


def start(root: Path, *args: str, tmp: Path | None = None, **env: str) -> subprocess.Popen:
    """``jixiao build`` as a terminal starts it: its own process group, output unbuffered."""
    environment = {**os.environ, "JIXIAO_ROOT": str(root), "PYTHONPATH": str(root / "lib"), "PYTHONUNBUFFERED": "1",
                   **({"TMPDIR": str(tmp)} if tmp else {}), **env}  # fmt: skip
    return subprocess.Popen(
        [sys.executable, "-m", "jixiao.cli", "build", "--unit", UNIT, "--year", str(YEAR), *args],
        cwd=root, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip


def read_until(process: subprocess.Popen, pattern: str) -> list[str]:
    lines = []
    for line in process.stdout:
        lines.append(line.rstrip("\n"))
        if re.search(pattern, line):
            return lines
    raise AssertionError(f"the build ended before {pattern!r}: {lines}")


def processes_mentioning(text: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if text.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


# -- unit ids --------------------------------------------------------------------------------------


@pytest.mark.parametrize("unit", ["../../escaped", "/tmp/escaped", "a/b", ".."])
def test_a_unit_id_that_is_a_path_is_refused_before_any_file_is_touched(tmp_path, unit):
    root = copy_project(tmp_path / "p")
    before = sorted(tmp_path.rglob("*"))
    commands = (
        ["build", "--unit", unit, "--year", "2019"],
        ["validate", "--unit", unit, "--year", "2019"],
        ["template", "--unit", unit, "--year", "2019"],
        ["batch", "--units", unit, "--years", "2019"],
    )
    for args in commands:
        result = run_jixiao(root, *args)
        assert result.returncode == 2, result.stderr
        assert f"单位编码 (unit id) {unit!r} 无效：应为一个文件夹名" in result.stderr.splitlines()[-1]
        assert "Traceback" not in result.stderr
    assert sorted(tmp_path.rglob("*")) == before
    assert not Path("/tmp/escaped").exists()


def test_the_library_refuses_them_too(tmp_path, monkeypatch):
    from jixiao import paths
    from jixiao.engine import pipeline as build

    monkeypatch.setenv("JIXIAO_ROOT", str(tmp_path))
    with pytest.raises(paths.UnitIdError):
        build.build("../x", 2019)
    with pytest.raises(paths.UnitIdError):
        paths.output_dir("x/../../y", 2019)
    assert list(tmp_path.iterdir()) == []


# -- Ctrl-C ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "moment",
    [r"^jixiao build", r"输入校验", r"^  \d\d-\w+ +\d"],
    ids=["while-validating", "as-sections-start", "while-sections-run"],
)
def test_ctrl_c_stops_everything_within_seconds(built_copy, tmp_path, moment):
    before = pair(built_copy)
    private_tmp = tmp_path / "tmp"
    private_tmp.mkdir()
    process = start(built_copy, "--force", tmp=private_tmp)
    read_until(process, moment)
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    sent = time.monotonic()
    _, stderr = process.communicate(timeout=60)
    assert time.monotonic() - sent < 10
    assert process.returncode == 130
    assert stderr == INTERRUPTED + "\n"
    assert pair(built_copy) == before
    assert leftovers(built_copy) == []
    deadline = time.monotonic() + 5
    while processes_mentioning(str(private_tmp)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert processes_mentioning(str(private_tmp)) == []  # the kernel template and every kernel
    assert list(private_tmp.iterdir()) == []  # sockets, connection files, executed notebooks


def test_a_kernel_that_dies_fails_its_section_at_once(built_copy):
    """A kernel killed in a cell (by the system, for its memory, say) fails its section within
    seconds with one message, instead of leaving the build waiting for its output for ever."""
    before = pair(built_copy)
    kept = out_dir(built_copy) / "notebooks" / "14-problems.ipynb"  # the last good build's
    kept_before = kept.read_bytes()
    notebook_path = built_copy / "notebooks" / "04_problems.ipynb"
    notebook = json.loads(notebook_path.read_text(encoding="utf-8"))
    kill = ["import os, signal\n", "os.kill(os.getpid(), signal.SIGKILL)"]
    notebook["cells"].append({"cell_type": "code", "execution_count": None, "id": "killed", "metadata": {},
                              "outputs": [], "source": kill})  # fmt: skip
    notebook_path.write_text(json.dumps(notebook, ensure_ascii=False), encoding="utf-8")
    process = start(built_copy, *QUICK)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 1
    assert stderr.splitlines() == [
        "章节 14-problems (notebooks/04_problems.ipynb) 执行失败",
        "  DeadKernelError: 内核在执行中意外退出，例如因内存不足被系统终止 (the kernel died)",
        NOTHING_BUILT,
    ]  # no executed notebook named: papermill wrote none
    assert pair(built_copy) == before
    assert kept.read_bytes() == kept_before


def test_no_kernel_starts_once_the_build_killed_them(tmp_path, monkeypatch):
    """A section's thread that reaches its kernel's start as the build stops (Ctrl-C, bad inputs)
    starts none: it would outlive the build, unkilled, and write to the terminal."""
    import asyncio

    from jixiao.engine import execution, kernels

    monkeypatch.setenv("JIXIAO_RUNTIME_DIR", str(tmp_path))  # the connection file goes there
    assert kernels.Zygote.current is None  # no template: kernels start the usual way
    kernels.kill_all()
    try:
        manager = kernels.KernelManager(kernel_name="python3")
        with pytest.raises(RuntimeError, match=r"^the build was stopped: no kernel starts$"):
            asyncio.run(manager.start_kernel())
        assert manager.provisioner.process is None and kernels._LAUNCHED == set()
    finally:
        execution.INTERRUPTED.clear()  # as the next build does


def test_the_next_build_here_waits_for_the_sections_of_one_stopped_early(tmp_path, monkeypatch):
    """A Dask worker builds one unit-year after another in one process. The section threads of a
    build stopped early end only once papermill notices their killed kernels, and on their way
    out they set papermill's working directory (process-wide) back to that build's folder, deleted
    by then: the next build's sections failed on it. The next build waits for them first."""
    import threading

    from papermill.iorw import papermill_io

    from jixiao.engine import execution

    monkeypatch.setattr(os, "environ", dict(os.environ))  # what kernel_environment sets
    monkeypatch.setattr(sys, "path", list(sys.path))
    monkeypatch.setenv("JIXIAO_ROOT", str(REPO))
    local = papermill_io.get_handler("local")
    released, ended = threading.Event(), []

    def run_section(section, executed, keep):
        if section == "late":  # its kernel was killed: papermill notices a moment later
            released.wait(10)
            time.sleep(0.5)
            local.cwd(str(tmp_path / "deleted-build"))
            ended.append(section)
        return execution.Run(section, executed, 0.0)

    def stop_the_build(run):
        released.set()
        raise KeyboardInterrupt

    monkeypatch.setattr(execution, "run_section", run_section)
    with pytest.raises(KeyboardInterrupt):
        execution.run_sections([("first", tmp_path / "a"), ("late", tmp_path / "b")], stop_the_build, workers=2)
    execution.INTERRUPTED.set()  # as the build does on its way out
    assert ended == []
    execution.kernel_environment(tmp_path)  # the next build
    assert ended == ["late"]
    assert local._cwd is None
    assert not execution.INTERRUPTED.is_set()


def test_section_threads_close_the_event_loop_nbclient_gave_them(tmp_path, monkeypatch):
    """nbclient (through jupyter_core) makes each thread an asyncio event loop and never closes
    it: its selector and self-pipe stayed open until a garbage collection, build after build in a
    Dask worker."""
    from jupyter_core.utils import ensure_event_loop

    from jixiao.engine import execution

    loops = []

    def run_section(section, executed, keep):
        loops.append(ensure_event_loop())  # as nbclient's first call in the thread
        return execution.Run(section, executed, 0.0)

    monkeypatch.setattr(execution, "run_section", run_section)
    execution.run_sections([("a", tmp_path / "a"), ("b", tmp_path / "b")], lambda run: None, workers=2)
    deadline = time.monotonic() + 5  # each thread closes its loop on its way out, after its result
    while not all(loop.is_closed() for loop in loops) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(loops) == 2 and all(loop.is_closed() for loop in loops)


# -- two builds at once; the same inputs give the same report ---------------------------------------


def test_two_builds_at_once_take_turns_and_give_the_same_report(built_copy, example):
    shutil.rmtree(built_copy / "outputs" / ".cache" / "charts")  # the forced rebuild draws every chart again
    first = start(built_copy, "--force")
    read_until(first, r"^jixiao build")  # it holds the lock
    second = start(built_copy)
    second_out, second_err = second.communicate(timeout=300)
    _, first_err = first.communicate(timeout=300)
    assert first.returncode == 0, first_err
    assert second.returncode == 0, second_err
    assert f"  另一个构建正在生成 {UNIT} {YEAR}，等待它结束（至多 600 秒）(waiting for another build)" in second_out
    assert "Traceback" not in first_err + second_err
    # the second found everything the first had just run in the cache
    assert re.findall(r"^  (\d\d-\w+) +缓存", second_out, re.M) == [
        "01-overview", "02-dibao", "03-yanglao", "04-ertong", "05-zhili", "06-dangjian", "07-profile", "08-budget",
        "09-goals", "10-conclusion", "11-evaluation", "12-projects", "13-unevaluated", "14-problems",
        "15-application", "16-review",
    ]  # fmt: skip
    # a cold build (the session's) and a forced rebuild in another folder: the same bytes
    assert (out_dir(built_copy) / "report.html").read_bytes() == (example.out / "report.html").read_bytes()
    assert (out_dir(built_copy) / "自评表.xlsx").read_bytes() == (example.out / "自评表.xlsx").read_bytes()
    assert (out_dir(built_copy) / "build.json").read_bytes() == (example.out / "build.json").read_bytes()


def test_a_build_that_cannot_get_the_lock_in_time_is_refused(built_copy):
    from filelock import FileLock

    before = pair(built_copy)
    with FileLock(str(out_dir(built_copy) / ".build.lock")):
        process = start(built_copy, JIXIAO_LOCK_WAIT="1")
        stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 3
    assert stdout.splitlines() == [
        f"  另一个构建正在生成 {UNIT} {YEAR}，等待它结束（至多 1 秒）(waiting for another build)"
    ]
    assert stderr.splitlines() == [
        f"另一个构建仍在生成 {UNIT} {YEAR}（outputs/{UNIT}/{YEAR}/.build.lock 被占用 1 秒）；请等它结束后再试 "
        "(another build of this unit-year is running)",
        NOTHING_BUILT,
    ]
    assert pair(built_copy) == before


# -- the cache ---------------------------------------------------------------------------------------


def test_damaged_and_edited_cache_entries_are_discarded_and_run_again(built_copy):
    cache = out_dir(built_copy) / ".cache"
    overview = cache / "01-overview.json"
    overview.write_text(
        overview.read_text(encoding="utf-8").replace('"grade": "优"', '"grade": "差"'), encoding="utf-8"
    )
    dibao = cache / "02-dibao.html.json"
    text = dibao.read_text(encoding="utf-8")
    assert "653名" in text
    dibao.write_text(text.replace("653名", "999名"), encoding="utf-8")
    (cache / "03-yanglao.json").write_text("null", encoding="utf-8")
    (cache / "04-ertong.json").write_bytes(bytes(range(256)) * 4)
    (out_dir(built_copy) / "report.html").unlink()  # the stitcher must use the sections' HTML again

    result = build(built_copy)

    assert result.returncode == 0, result.stderr
    notes = [line for line in result.stdout.splitlines() if "缓存已损坏" in line]
    assert notes == [
        f"  注意 (note): 缓存已损坏，已丢弃，重新执行 01-overview：outputs/{UNIT}/{YEAR}/.cache/01-overview.json"
        "（校验和不符，内容被改动过）",
        f"  注意 (note): 缓存已损坏，已丢弃，重新执行 02-dibao：outputs/{UNIT}/{YEAR}/.cache/02-dibao.html.json"
        "（校验和不符，内容被改动过）",
        f"  注意 (note): 缓存已损坏，已丢弃，重新执行 03-yanglao：outputs/{UNIT}/{YEAR}/.cache/03-yanglao.json"
        "（不是缓存条目）",
        f"  注意 (note): 缓存已损坏，已丢弃，重新执行 04-ertong：outputs/{UNIT}/{YEAR}/.cache/04-ertong.json"
        "（不是缓存条目）",
    ]
    ran = sorted(re.findall(r"^  (\d\d-\w+) +\d+\.\d\ds", result.stdout, re.M))
    assert ran == ["01-overview", "02-dibao", "03-yanglao", "04-ertong"]
    html = (out_dir(built_copy) / "report.html").read_text(encoding="utf-8")
    assert "<dd>优</dd>" in html and "<dd>差</dd>" not in html
    assert "653名" in html and "999名" not in html


def test_the_cache_records_the_font_the_charts_were_drawn_with(example):
    from jixiao.engine.cache import read_sealed
    from jixiao.writing import charts

    font = str(charts.font_path())
    entry = read_sealed(example.out / ".cache" / "02-dibao.json")
    assert entry["dependencies"][font] == hashlib.sha256(Path(font).read_bytes()).hexdigest()
    info = json.loads((example.out / "build.json").read_text(encoding="utf-8"))
    assert info["fonts"] == {Path(font).name: entry["dependencies"][font]}


def test_no_import_circle_between_cache_settings_and_facts():
    """Who imports whom in the package (lazy imports inside functions count; type hints do not)."""
    package = REPO / "lib" / "jixiao"
    modules = {
        ".".join(p.relative_to(package.parent).with_suffix("").parts).removesuffix(".__init__"): p
        for p in package.rglob("*.py")
    }

    def target(module: str, name: str | None = None) -> str:
        """``from jixiao.engine import cache`` imports ``jixiao.engine.cache``; ``from jixiao.facts
        import record`` imports ``jixiao.facts``."""
        return f"{module}.{name}" if name and f"{module}.{name}" in modules else module

    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        guarded = [n for n in ast.walk(tree) if isinstance(n, ast.If) and "TYPE_CHECKING" in ast.unparse(n.test)]
        hints = {id(n) for node in guarded for n in ast.walk(node)}
        names = set()
        for node in ast.walk(tree):
            if id(node) in hints:
                continue
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "jixiao":
                names |= {target(node.module, a.name) for a in node.names}
            elif isinstance(node, ast.Import):
                names |= {a.name for a in node.names if a.name.startswith("jixiao.")}
        graph[module] = names - {"jixiao"}

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), list(graph.get(start, ()))
        while todo:
            name = todo.pop()
            if name == goal:
                return True
            if name not in seen:
                seen.add(name)
                todo += graph.get(name, ())
        return False

    cache, facts, dependencies = "jixiao.engine.cache", "jixiao.facts", "jixiao.dependencies"
    for module in (cache, facts, dependencies):
        assert not reaches(module, module), module
    assert dependencies in graph[cache] and dependencies in graph[facts]


# -- a full disk, outputs that cannot be written -------------------------------------------------------


def test_a_full_disk_while_stitching_keeps_the_last_report_and_its_workbook(built_copy, monkeypatch, capsys):
    from jixiao import cli

    before = pair(built_copy)
    (out_dir(built_copy) / ".cache" / "report.key").unlink()  # stitch again; nothing to execute
    monkeypatch.setenv("JIXIAO_ROOT", str(built_copy))
    fsync = os.fsync

    def full(fd: int) -> None:  # the workbook fits; the report does not
        if os.readlink(f"/proc/self/fd/{fd}").endswith(f".report.html.tmp{os.getpid()}"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        fsync(fd)

    monkeypatch.setattr(os, "fsync", full)
    assert cli.main(["build", "--unit", UNIT, "--year", str(YEAR)]) == 3
    assert capsys.readouterr().err.splitlines() == [
        f"无法写入 outputs/{UNIT}/{YEAR}/report.html：磁盘空间已满 (no space left on device)",
        NOTHING_BUILT,
    ]
    assert pair(built_copy) == before
    assert leftovers(built_copy) == []


def test_outputs_that_cannot_be_written_are_one_message(tmp_path):
    root = copy_project(tmp_path / "p")
    (root / "outputs").mkdir()
    (root / "outputs" / UNIT).write_text("a file where the unit's folder should be")
    result = build(root)
    assert result.returncode == 3
    assert result.stderr.splitlines() == [
        f"无法写入 outputs/{UNIT}：路径中有同名文件挡住了文件夹 (not a directory)",
        NOTHING_BUILT,
    ]
    assert "执行失败" not in result.stdout + result.stderr


PATCHED = """
import errno, os, sys
fsync = os.fsync
def refuse(fd):
    if "/notebooks/." in os.readlink(f"/proc/self/fd/{fd}"):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))
    fsync(fd)
os.fsync = refuse
from jixiao.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_read_only_notebooks_folder_stops_the_build_with_one_message(built_copy, tmp_path):
    budget = built_copy / f"data/{UNIT}/{YEAR}/budget.csv"
    budget.write_text(budget.read_text(encoding="utf-8").replace("1030.00", "1030.50"), encoding="utf-8")
    before = pair(built_copy)
    private_tmp = tmp_path / "tmp"
    private_tmp.mkdir()
    env = {**os.environ, "JIXIAO_ROOT": str(built_copy), "PYTHONPATH": str(built_copy / "lib"),
           "TMPDIR": str(private_tmp)}  # fmt: skip
    result = subprocess.run([sys.executable, "-c", PATCHED, "build", "--unit", UNIT, "--year", str(YEAR)],
                            cwd=built_copy, env=env, capture_output=True, text=True, timeout=300)  # fmt: skip
    assert result.returncode == 3, result.stderr
    # the file named is that of the section to finish first of the two running at once: any of
    # those budget.csv re-runs, once
    first, *rest = result.stderr.splitlines()
    assert first in {
        f"无法写入 outputs/{UNIT}/{YEAR}/notebooks/{section}.ipynb：文件系统只读 (read-only file system)"
        for section in ("01-overview", "08-budget", "10-conclusion", "12-projects", "13-unevaluated", "16-review")
    }
    assert rest == [NOTHING_BUILT]
    assert pair(built_copy) == before
    assert leftovers(built_copy) == []
    assert list(private_tmp.iterdir()) == []


# -- what the report was built from ------------------------------------------------------------------


def test_the_report_says_what_it_was_built_from(example):
    info = json.loads((example.out / "build.json").read_text(encoding="utf-8"))
    budget = f"data/{UNIT}/{YEAR}/budget.csv"
    assert info["inputs"][budget] == hashlib.sha256((example.root / budget).read_bytes()).hexdigest()
    assert sorted(info["inputs"]) == sorted(
        [f"params/{UNIT}/unit.yaml", f"params/{UNIT}/2019.yaml", f"params/{UNIT}/2018.yaml"]
        + [f"data/{UNIT}/{y}/{p.name}" for y in (2018, 2019) for p in (example.root / f"data/{UNIT}/{y}").iterdir()]
    )
    assert info["jixiao"] == "0.1.0" and info["environment"]["pandas"] == "3.1.1"
    assert info["outputs"] == {
        name: hashlib.sha256((example.out / name).read_bytes()).hexdigest()
        for name in (
            "report.html",
            "report-review.html",
            "report.pdf",
            "report-review.pdf",
            "report.docx",
            "report-review.docx",
            "自评表.xlsx",
            "自评表-review.xlsx",
        )
    }
    block = example.html.split('<details class="jx-build-info" id="build-info">', 1)[1].split("</details>", 1)[0]
    assert "<summary>构建信息（本报告由哪些输入、哪些软件生成；与 build.json 相同）</summary>" in block
    assert f'<tr><th scope="row">输入文件</th><td>{budget} <code>{info["inputs"][budget]}</code></td></tr>' in block
    assert "pandas 3.1.1" in block
    assert str(example.root) not in example.html  # no machine path in the report


def test_a_section_failing_before_the_inputs_check_ends_keeps_nothing(tmp_path, monkeypatch):
    """A section that fails on bad inputs while their check still runs (in the template's child)
    leaves its executed notebook out of the outputs: the inputs' problems are the build's error,
    raised to every thread that asks, and the outputs stay as they were."""
    from helpers_inputs import project_copy
    from jixiao.engine import pipeline
    from jixiao.inputs import settings
    from jixiao.inputs.loading import InputError, Problem

    project_copy(tmp_path, monkeypatch)
    unit_settings = settings.load(UNIT, YEAR)
    b = pipeline.Build(unit_settings, force=True, echo=lambda line: None)
    bad = InputError([Problem("data/lechang-mzj/2019/budget.csv", row=2, column="executed", message="不是数字")])
    calls = []

    def check():
        calls.append(1)
        raise bad

    b._check = check
    executed = tmp_path / "failed.ipynb"
    executed.write_text("{}", encoding="utf-8")
    section = unit_settings.sections[0]
    for _ in range(2):  # the failed section's thread, then the build's own wait for the check
        with pytest.raises(InputError) as raised:
            b._keep_failed(section, executed)
        assert raised.value is bad
    assert calls == [1]  # checked once
    assert not out_dir(tmp_path / "project").joinpath("notebooks").exists()
