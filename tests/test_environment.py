"""Every environment variable jixiao reads is checked in one place (``jixiao.environment``) before
any work starts: a bad value is exit 2 and one line naming the variable and the values it takes,
never a traceback or a hang, and nothing is written."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest

from conftest import REPO, UNIT, YEAR, copy_project
from jixiao import environment
from jixiao.render import properties

EPOCH = "不超过 4354819199 的非负整数秒，即 1970 年至 2107 年底 (whole seconds since 1970, to the end of 2107)"
WAIT = "不超过 86400 的非负秒数 (seconds, 0 to 86400)"
CONNECT = "大于 0、不超过 86400 的秒数 (seconds, above 0 to 86400)"


def line(name: str, shown: str, expected: str) -> str:
    return f"环境变量 (environment variable) {name}={shown} 无效：应为{expected}"


def run(root: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    environ = {**os.environ, "JIXIAO_ROOT": str(root), "PYTHONPATH": str(root / "lib"), **env}
    for name in ("JIXIAO_BUILD", "JIXIAO_RUNTIME_DIR", "JIXIAO_LOCK_WAIT", "JIXIAO_CONNECT_WAIT", "SOURCE_DATE_EPOCH",
                 "JIXIAO_FORK_KERNELS"):  # fmt: skip
        if name not in env:
            environ.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "jixiao.cli", *args], cwd=root, env=environ, capture_output=True, text=True, timeout=60
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("env"))


@pytest.mark.parametrize(
    ("name", "value", "shown", "expected"),
    [
        ("JIXIAO_LOCK_WAIT", "soon", "'soon'", WAIT),
        ("JIXIAO_LOCK_WAIT", "nan", "'nan'", WAIT),
        ("JIXIAO_LOCK_WAIT", "-1", "'-1'", WAIT),
        ("JIXIAO_LOCK_WAIT", "86401", "'86401'", WAIT),
        ("SOURCE_DATE_EPOCH", "yesterday", "'yesterday'", EPOCH),
        ("SOURCE_DATE_EPOCH", "99999999999999", "'99999999999999'", EPOCH),
        ("SOURCE_DATE_EPOCH", "4354819200", "'4354819200'", EPOCH),
        ("SOURCE_DATE_EPOCH", "-1", "'-1'", EPOCH),
        ("SOURCE_DATE_EPOCH", "1.5e9", "'1.5e9'", EPOCH),
        ("SOURCE_DATE_EPOCH", "١٥٧٧٨٣٦٨٠٠", "'١٥٧٧٨٣٦٨٠٠'", EPOCH),  # Arabic-Indic digits: isdigit, not a number
        ("JIXIAO_FORK_KERNELS", "yes", "'yes'", "数字 0 或 1 (0 or 1)"),
        ("JIXIAO_BUILD", "2", "'2'", "数字 1，由构建为其内核设置 (1, set by a build for its kernels)"),
        ("JIXIAO_RUNTIME_DIR", "run\x1b[31m", "'run\\x1b[31m'",
         "一个绝对路径，由构建为其内核设置 (an absolute path, set by a build for its kernels)"),
    ],
)  # fmt: skip
def test_a_bad_value_is_one_line_and_exit_2_before_any_work(project, name, value, shown, expected):
    started = time.monotonic()
    result = run(project, "build", "--unit", UNIT, "--year", str(YEAR), **{name: value})
    assert time.monotonic() - started < 30  # never the hang SOURCE_DATE_EPOCH=99999999999999 gave
    assert (result.returncode, result.stdout, result.stderr) == (2, "", line(name, shown, expected) + "\n")
    assert not (project / "outputs").exists()


def test_every_command_checks_and_every_problem_is_listed(project):
    result = run(project, "validate", "--unit", UNIT, "--year", str(YEAR), JIXIAO_LOCK_WAIT="soon",
                 SOURCE_DATE_EPOCH="yesterday")  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        line("JIXIAO_LOCK_WAIT", "'soon'", WAIT),
        line("SOURCE_DATE_EPOCH", "'yesterday'", EPOCH),
    ]
    missing = project / "no-such-folder"
    result = run(project, "summary", "--year", str(YEAR), JIXIAO_ROOT=str(missing))
    assert (result.returncode, result.stderr) == (
        2, line("JIXIAO_ROOT", repr(str(missing)), "一个已有的文件夹 (an existing folder)") + "\n"
    )  # fmt: skip


def test_a_connect_wait_is_a_positive_number_of_seconds():
    assert environment.problems({"JIXIAO_CONNECT_WAIT": "0.5"}) == []
    for value in ("0", "-1", "86401", "nan", "inf", "10s"):  # 0: it would give up before trying
        expected = line("JIXIAO_CONNECT_WAIT", repr(value), CONNECT)
        assert environment.problems({"JIXIAO_CONNECT_WAIT": value}) == [expected]


def test_a_long_value_is_shortened_in_the_message():
    assert environment.problems({"JIXIAO_LOCK_WAIT": "9" * 30 + "x" * 270}) == [
        line("JIXIAO_LOCK_WAIT", repr("9" * 30 + "x" * 170) + "…（共 300 个字符）", WAIT)
    ]


def test_good_and_empty_values_pass(tmp_path):
    good = {"JIXIAO_ROOT": str(tmp_path), "JIXIAO_LOCK_WAIT": " 2.5 ", "JIXIAO_CONNECT_WAIT": "86400",
            "SOURCE_DATE_EPOCH": "4354819199",
            "JIXIAO_FORK_KERNELS": "0", "JIXIAO_BUILD": "1", "JIXIAO_RUNTIME_DIR": str(tmp_path / "later")}  # fmt: skip
    assert environment.problems(good) == []
    assert environment.problems(dict.fromkeys(good, "")) == []  # empty: as if unset (reproducible builds' rule too)
    assert environment.problems({}) == []


def test_the_readers_use_the_checked_values(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1577836800")
    monkeypatch.setenv("JIXIAO_LOCK_WAIT", "2.5")
    monkeypatch.setenv("JIXIAO_FORK_KERNELS", "0")
    monkeypatch.setenv("JIXIAO_CONNECT_WAIT", "0.5")
    assert properties.document_time(2019, "2020-04-20") == datetime(2020, 1, 1)
    assert (environment.lock_wait(600), environment.fork_kernels(), environment.connect_wait(10)) == (2.5, False, 0.5)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "")
    monkeypatch.delenv("JIXIAO_LOCK_WAIT")
    monkeypatch.setenv("JIXIAO_CONNECT_WAIT", "")
    assert properties.document_time(2019, "2020-04-20") == datetime(2020, 4, 20)
    assert (environment.lock_wait(600), environment.connect_wait(10)) == (600, 10)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")  # from Python, without the command's check
    with pytest.raises(environment.EnvironmentValueError) as error:
        properties.document_time(2019, "2020-04-20")
    assert str(error.value) == line("SOURCE_DATE_EPOCH", "'yesterday'", EPOCH)


def test_the_guide_lists_every_variable_with_its_values():
    guide = (REPO / "docs" / "reliability.md").read_text(encoding="utf-8")
    for variable in environment.VARIABLES:
        assert f"| `{variable.name}` | {variable.expected} | {variable.meaning} |" in guide
