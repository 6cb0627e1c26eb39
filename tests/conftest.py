"""Shared fixtures: the example report is built once per test session, in a copy of the project.

The copy (lib, notebooks, params, data) lives in a temporary folder named by ``JIXIAO_ROOT``, so
tests never touch the repository's own ``outputs/`` and may break the copy's inputs freely.
"""

from __future__ import annotations

import compileall
import os
import py_compile
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings

REPO = Path(__file__).resolve().parents[1]

# Hypothesis (tests/test_properties.py): few examples, the same ones each run, no time limit per
# example (the machine may be loaded), no replay of failures saved by an earlier run (CI and a
# developer's machine run the same examples) and no shrinking (a failure shows the example as generated,
# where shrinking a slow property could take minutes); HYPOTHESIS_PROFILE=thorough runs 400 examples
# per property and shrinks.
settings.register_profile(
    "jixiao", max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True,
    phases=[Phase.explicit, Phase.generate, Phase.target], database=None,
)  # fmt: skip
settings.register_profile("thorough", max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "jixiao"))
UNIT, YEAR = "lechang-mzj", 2019

INSTALL = {
    "chromium": "headless Chromium (Debian: apt-get install chromium)",
    "soffice": "LibreOffice (Debian: apt-get install libreoffice-calc)",
}


def tool(name: str, *aliases: str) -> str:
    """The path of a program a test renders with (headless Chromium, LibreOffice). Missing, the
    test is skipped on a developer's machine, saying how to install it, and fails in CI (``CI``
    set), where ``.ci/run`` installs it: a check that never runs is not a check."""
    found = next((shutil.which(n) for n in (name, *aliases) if shutil.which(n)), None)
    if found is None:
        message = f"{INSTALL[name]} is not installed: this check needs it"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI is set: .ci/run installs it)")
        pytest.skip(message)
    return found


def compile_package() -> None:
    """Write the bytecode of the checkout's ``lib/`` once, as an import does where
    ``PYTHONDONTWRITEBYTECODE`` is not set (it is on CI). Every copy of the project takes it along
    (:func:`copy_project` keeps the modification times the bytecode names), so the commands, kernel
    templates and kernels the tests start load it instead of compiling each jixiao module again in
    every process of every copy. A module a test edits in its copy no longer matches its bytecode
    (size, time) and is compiled from its source, as always. Timestamp-checked, as an import writes
    it (never hash-checked, which ``SOURCE_DATE_EPOCH`` would otherwise choose)."""
    compileall.compile_dir(REPO / "lib", quiet=1, invalidation_mode=py_compile.PycInvalidationMode.TIMESTAMP)


compile_package()


def copy_project(target: Path, *, outputs_from: Path | None = None) -> Path:
    """A copy of the project's sources and inputs (and, optionally, another copy's outputs); the
    package with its bytecode (:func:`compile_package`)."""
    for name in ("lib", "notebooks", "params", "data"):
        ignore = None if name == "lib" else shutil.ignore_patterns("__pycache__")
        shutil.copytree(REPO / name, target / name, ignore=ignore)
    if outputs_from is not None:
        shutil.copytree(outputs_from / "outputs", target / "outputs")
    return target


@dataclass
class Build:
    returncode: int
    stdout: str
    stderr: str


def run_jixiao(root: Path, *args: str) -> Build:
    """Run the ``jixiao`` command on the project copy at ``root``, as a user would."""
    env = {**os.environ, "JIXIAO_ROOT": str(root), "PYTHONPATH": str(root / "lib")}  # the copy's own code
    proc = subprocess.run(
        [sys.executable, "-m", "jixiao.cli", *args],
        cwd=root, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    return Build(proc.returncode, proc.stdout, proc.stderr)


# PDF and DOCX are rendered by the session's build (fixture ``example``) and checked on its files;
# the tests that rebuild a copy make the HTML and the workbook only, unless they ask for a format.
QUICK = ("--format", "html", "--format", "xlsx")


def build(root: Path, *extra: str) -> Build:
    quick = () if "--format" in extra else QUICK
    return run_jixiao(root, "build", "--unit", UNIT, "--year", str(YEAR), *quick, *extra)


@dataclass
class Example:
    root: Path
    build: Build

    @property
    def out(self) -> Path:
        return self.root / "outputs" / UNIT / str(YEAR)

    @property
    def html(self) -> str:
        """The review edition's page: every section (审核提示 too), every tooltip."""
        return (self.out / "report-review.html").read_text(encoding="utf-8")

    @property
    def filing_html(self) -> str:
        """The filing edition's page (``report.html``): what a department files."""
        return (self.out / "report.html").read_text(encoding="utf-8")


# -- set-ups started early ----------------------------------------------------------------------------

EARLY: dict[str, Callable[[Path, dict[str, str]], object]] = {}
"""Expensive set-ups made only of other processes (an install, a build), by the name of the
fixture that returns them: each is given a fresh folder and the environment as it was when the
session's first test started (a test's monkeypatched variables never reach it)."""
_STARTED: dict[str, Future] = {}


def early(name: str) -> Callable[[Callable[[Path, dict[str, str]], object]], Callable[[Path, dict[str, str]], object]]:
    """Register ``make(folder, environ)`` as the set-up of the fixture ``name`` (see :func:`made`)."""

    def register(make: Callable[[Path, dict[str, str]], object]) -> Callable[[Path, dict[str, str]], object]:
        EARLY[name] = make
        return make

    return register


@pytest.fixture(scope="session", autouse=True)
def _start_early(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Start, in one thread beside the tests, the registered set-ups that a collected test uses: the
    tests before it, often on one core of two, leave it room, and its fixture finds it made."""
    wanted = [n for n in EARLY if any(n in getattr(item, "fixturenames", ()) for item in request.session.items)]
    if not wanted:
        yield
        return
    environ = dict(os.environ)
    pool = ThreadPoolExecutor(1, thread_name_prefix="early")
    for name in wanted:
        _STARTED[name] = pool.submit(EARLY[name], tmp_path_factory.mktemp(name), environ)
    try:
        yield
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _STARTED.clear()


def made(name: str, tmp_path_factory: pytest.TempPathFactory) -> object:
    """What the set-up registered as ``name`` made: started early, or made now."""
    started = _STARTED.pop(name, None)
    if started is not None:
        return started.result()
    return EARLY[name](tmp_path_factory.mktemp(name), dict(os.environ))


@pytest.fixture(scope="session")
def example(tmp_path_factory: pytest.TempPathFactory) -> Example:
    """The 2019 example, built once for the whole session."""
    root = copy_project(tmp_path_factory.mktemp("example"))
    result = run_jixiao(root, "build", "--unit", UNIT, "--year", str(YEAR))  # every edition and format
    assert result.returncode == 0, result.stdout + result.stderr
    return Example(root, result)


@pytest.fixture(scope="session")
def county_example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The second example, 示例县教育局 2020 (``data/shili-jyj``), built once for the whole session in
    every edition and format; its output folder. Tests read it and change nothing in it."""
    root = copy_project(tmp_path_factory.mktemp("county"))
    result = run_jixiao(root, "build", "--unit", "shili-jyj", "--year", "2020")
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "outputs" / "shili-jyj" / "2020"


def copy_charts(example: Example, root: Path) -> Path:
    """The session build's kept charts (``outputs/.cache/charts``, keyed by everything a chart is
    drawn from: its values and texts, the code, the font, the software) copied into the project
    copy at ``root``, for a test whose build runs every section but is not about drawing charts:
    a chart of the same values is taken as drawn, one of other values is drawn."""
    shutil.copytree(example.root / "outputs" / ".cache" / "charts", root / "outputs" / ".cache" / "charts")
    return root


@pytest.fixture
def built_copy(example: Example, tmp_path: Path) -> Path:
    """A fresh copy of the project holding the session build's outputs (so everything is cached)."""
    return copy_project(tmp_path / "project", outputs_from=example.root)
