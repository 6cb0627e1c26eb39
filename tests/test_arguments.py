"""The arguments of ``summary``, ``synth`` and ``batch``, checked in one place (``jixiao.cli``)
before any work: a bad one is refused with exit 2, one line naming the argument and what was
expected, nothing written; an output that cannot be written is exit 3, one line."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO
from jixiao import cli, synth
from jixiao.store import Store

RANGE = "应为 2000～2100 的整数"
SHARE = "不是 0～1 之间的比例，应为 0 到 1 的数字（如 0.05）"


def _refused(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """The error line of an argument argparse refuses (exit 2), in the process."""
    with pytest.raises(SystemExit) as stop:
        cli.main(list(args))
    assert stop.value.code == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("usage: jixiao ")
    return err[-1]


def _run(root: Path, *args: str, timeout: float = 120, **more: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "JIXIAO_ROOT": str(root), "PYTHONPATH": str(REPO / "lib"), **more}
    return subprocess.run([sys.executable, "-m", "jixiao.cli", *args], cwd=root, env=env,
                          capture_output=True, text=True, timeout=timeout)  # fmt: skip


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["--units", "0"], "argument --units: 值 0 超出范围，应为 1～10000 的整数（单位数）"),
        (["--units", "-5"], "argument --units: 值 -5 超出范围，应为 1～10000 的整数（单位数）"),
        (["--units", "100000"], "argument --units: 值 100000 超出范围，应为 1～10000 的整数（单位数）"),
        (["--units", "ten"], "argument --units: 值 'ten' 不是整数，应为 1～10000 的整数"),
        (["--units", "2", "--bad", "2.0"], f"argument --bad: 值 '2.0' {SHARE}"),
        (["--units", "2", "--bad", "-0.1"], f"argument --bad: 值 '-0.1' {SHARE}"),
        (["--units", "2", "--bad", "nan"], f"argument --bad: 值 'nan' {SHARE}"),
        (["--units", "2", "--late", "inf"], f"argument --late: 值 'inf' {SHARE}"),
        (["--units", "2", "--years", "0"], f"argument --years: 值 0 超出范围，{RANGE}"),
        (["--units", "2", "--years", "2020", "99999"], f"argument --years: 值 99999 超出范围，{RANGE}"),
    ],
)
def test_synth_refuses_each_bad_argument_and_writes_nothing(args, line, capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("JIXIAO_ROOT", str(tmp_path))
    if "--years" not in args:
        args = [*args, "--years", "2020"]
    assert _refused(capsys, "synth", *args) == f"jixiao synth: error: {line}"
    assert list(tmp_path.iterdir()) == []


def test_synth_limits_are_the_guides(tmp_path):
    assert cli.SYNTH_MAX_UNITS == synth.MAX_UNITS == 10_000  # a province (5,000) and the 10,000-form benchmark
    guide = (REPO / "docs" / "reliability.md").read_text(encoding="utf-8")
    assert "至多 10000 个单位 (at most 10,000 units)" in guide
    with pytest.raises(ValueError, match="n must be 1 to 10000, not 0"):
        synth.write(0, [2020], 1, root=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_long_synth_run_shows_its_progress(tmp_path):
    seen: list[tuple[int, int]] = []
    units = synth.write(7, [2020], 3, root=tmp_path, progress=lambda done, n: seen.append((done, n)), every=3)
    assert seen == [(3, 7), (6, 7)]
    assert len(units) == 7 == len(list((tmp_path / "data").iterdir()))
    quiet: list[tuple[int, int]] = []
    synth.write(3, [2020], 3, root=tmp_path / "short", progress=lambda done, n: quiet.append((done, n)), every=3)
    assert quiet == []  # no more units than one step: nothing to follow


def test_synth_progress_goes_to_stderr(capsys):
    cli._synth_progress(500, 5000)
    assert capsys.readouterr().err == "  进度 (progress) 500/5000 个单位 (units)\n"


def test_summary_refuses_a_unit_id_that_is_a_path(capsys):
    assert _refused(capsys, "summary", "--units", "../../etc", "--year", "2019") == (
        "jixiao summary: error: argument --units: 单位编码 (unit id) '../../etc' 无效：应为一个文件夹名，"
        "由字母、汉字、数字、- _ . 组成，不以 . 或 - 开头，不含 / \\ 或 ..，至多 64 个字符"
    )


@pytest.mark.parametrize("command", ["summary", "batch"])
def test_an_output_of_an_unknown_protocol_is_refused(command, capsys):
    args = ["--units", "lechang-mzj", "--output", "nosuchproto://b/x"]
    args += ["--year", "2019"] if command == "summary" else ["--years", "2019"]
    assert _refused(capsys, command, *args) == (
        f"jixiao {command}: error: argument --output: 'nosuchproto://b/x' 的协议 'nosuchproto' 未知，"
        "应为文件夹或 fsspec 支持的地址（如 file://、s3://、memory://）"
    )


def test_summary_and_batch_years_are_checked(capsys):
    assert _refused(capsys, "summary", "--units", "lechang-mzj", "--year", "99999").endswith(
        f"argument --year: 值 99999 超出范围，{RANGE}"
    )
    assert _refused(capsys, "batch", "--units", "lechang-mzj", "--years", "19").endswith(
        f"argument --years: 值 19 超出范围，{RANGE}"
    )


@pytest.mark.parametrize(("command", "value"), [("batch", "0"), ("batch", "-1"), ("check", "100000")])
def test_worker_counts_are_checked(command, value, capsys):
    args = ["--units", "lechang-mzj", "--years", "2019"] if command == "batch" else ["forms/"]
    assert _refused(capsys, command, *args, "--workers", value) == (
        f"jixiao {command}: error: argument --workers: 值 {value} 超出范围，应为 1～512 的整数（进程数）"
    )


def test_summary_under_a_file_is_an_output_error(tmp_path):
    (tmp_path / "blocker").write_text("a file, not a folder", encoding="utf-8")
    synth.write(1, [2020], 3, root=tmp_path)
    unit = synth.plan(1, 3)[0].id
    proc = _run(tmp_path, "summary", "--units", unit, "--year", "2020", "--output", str(tmp_path / "blocker" / "x"))
    assert proc.returncode == 3
    assert proc.stderr == (
        "无法写入 blocker/x/_summary/2020/summary.html：路径中有同名文件挡住了文件夹 (not a directory)\n"
    )
    assert proc.stdout == ""


def test_a_store_under_a_file_reads_nothing_and_cannot_write(tmp_path):
    (tmp_path / "blocker").write_text("x", encoding="utf-8")
    store = Store(str(tmp_path / "blocker" / "out"))
    assert store.read("u/2020/.cache/summary.json") is None
    from jixiao.outputs import OutputError

    with pytest.raises(OutputError) as caught:
        store.write("u/2020/report.html", "<p>")
    assert str(caught.value) == (
        f"无法写入 {tmp_path}/blocker/out/u/2020/report.html：路径中有同名文件挡住了文件夹 (not a directory)"
    )


@pytest.mark.parametrize(
    "address",
    ["not a url::", "http://10.0.0.5:8786", "tcp://10.0.0.5", "tcp://10.0.0.5:0", "tcp://10.0.0.5:70000", ""],
)
def test_batch_refuses_a_scheduler_address_that_is_not_one(address, capsys):
    line = _refused(capsys, "batch", "--units", "lechang-mzj", "--years", "2019", "--scheduler", address)
    assert line == (
        f"jixiao batch: error: argument --scheduler: {address!r} 不是调度器地址，应为 [协议://]主机:端口，"
        "如 tcp://10.0.0.5:8786（协议为 tcp、tls、ws、wss、ucx、inproc，端口 1～65535）"
    )


@pytest.mark.parametrize("address", ["tcp://10.0.0.5:8786", "127.0.0.1:8786", "tls://sched.example.org:8786",
                                     "tcp://[::1]:8786"])  # fmt: skip
def test_batch_takes_a_scheduler_address(address):
    assert cli.scheduler_address(address) == address


def test_batch_gives_up_on_a_scheduler_where_nothing_listens_within_its_stated_time(tmp_path):
    """Within ``JIXIAO_CONNECT_WAIT`` seconds (1 here; 10 when unset, tests/test_environment.py)."""
    synth.write(1, [2020], 3, root=tmp_path)
    unit = synth.plan(1, 3)[0].id
    start = time.monotonic()
    proc = _run(tmp_path, "batch", "--units", unit, "--years", "2020", "--scheduler", "tcp://127.0.0.1:9",
                JIXIAO_CONNECT_WAIT="1")  # fmt: skip
    took = time.monotonic() - start
    assert proc.returncode == 2
    assert proc.stderr == (
        "--scheduler tcp://127.0.0.1:9：1 秒内无法连接 Dask 调度器 (no scheduler answered within 1 s: OSError)；"
        "应为正在运行的调度器地址，未构建任何报告 (nothing built)\n"
    )
    assert proc.stdout == "jixiao batch: 1 份报告 (reports)\n"
    assert 1 <= took < 16
    assert not (tmp_path / "outputs").exists()


def test_batch_tries_a_scheduler_for_10_seconds_when_not_told_otherwise(tmp_path, monkeypatch):
    import dask.distributed

    from jixiao import batch

    tried = []

    def nobody_answers(address: str, timeout: float) -> None:
        tried.append((address, timeout))
        raise OSError("nothing listens")

    synth.write(1, [2020], 3, root=tmp_path)
    unit = synth.plan(1, 3)[0].id
    monkeypatch.setenv("JIXIAO_ROOT", str(tmp_path))
    monkeypatch.delenv("JIXIAO_CONNECT_WAIT", raising=False)
    monkeypatch.setattr(dask.distributed, "Client", nobody_answers)
    with pytest.raises(batch.ClusterUnreachable) as caught:
        batch.build_many([(unit, 2020)], scheduler="tcp://127.0.0.1:9", echo=lambda line: None)
    assert tried == [("tcp://127.0.0.1:9", 10)]
    assert str(caught.value) == (
        "--scheduler tcp://127.0.0.1:9：10 秒内无法连接 Dask 调度器 (no scheduler answered within 10 s: OSError)；"
        "应为正在运行的调度器地址，未构建任何报告 (nothing built)"
    )
    assert not (tmp_path / "outputs").exists()
