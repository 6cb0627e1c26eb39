"""jixiao as an installed tool: the wheel built from this repository, installed into a new virtual
environment outside it, starts a project in an empty folder and builds the example there, byte for
byte as the checkout does; it checks forms from any folder; a project's own notebook replaces the
shipped one, and editing it re-runs that section alone.

The wheel's dependencies are installed by pip from its cache (``make install`` filled it), pinned
by ``requirements.lock``, without byte-compiling them (the build compiles what it imports).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import REPO, UNIT, YEAR, early, made

pytestmark = pytest.mark.build

FILED = ("report.html", "report.pdf", "report.docx", "自评表.xlsx", "自评表-review.xlsx")


@dataclass
class Installed:
    jixiao: Path
    wheel: Path
    project: Path
    home: Path

    def run(
        self, *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess:
        """The installed ``jixiao``, run as a user would: no ``JIXIAO_ROOT``, no ``PYTHONPATH`` (in
        ``env``, else this process's environment)."""
        return subprocess.run([str(self.jixiao), *args], cwd=cwd or self.project, env=clean_environment(env),
                              capture_output=True, text=True, timeout=600)  # fmt: skip


def clean_environment(environ: dict[str, str] | None = None) -> dict[str, str]:
    """This process's environment without what an in-process build of another test left in it
    (``PYTHONPATH`` naming the checkout's ``lib``: pip would find jixiao installed there), nor
    ``PYTHONDONTWRITEBYTECODE`` (set on CI): the dependencies are installed without bytecode, and
    the installed tool's first commands write it, as on a user's machine, instead of every later
    process and kernel compiling pandas, matplotlib and the rest from their sources again."""
    left_out = ("JIXIAO_ROOT", "PYTHONPATH", "PYTHONDONTWRITEBYTECODE")
    return {k: v for k, v in (os.environ if environ is None else environ).items() if k not in left_out}


@early("installed")
def install(home: Path, environ: dict[str, str]) -> Installed:
    """The wheel built, installed in a new virtual environment, a project started and built with
    it. Only other processes: started as the session starts, beside the tests before this module
    (conftest.early), with the environment as it was then."""
    env = clean_environment(environ)
    wheels = home / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(wheels),
                    str(REPO)], check=True, capture_output=True, timeout=600, env=env)  # fmt: skip
    wheel = next(wheels.glob("jixiao-*.whl"))
    venv = home / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120, env=env)
    python = venv / "bin" / "python"
    proc = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-compile",
                           "-c", str(REPO / "requirements.lock"), str(wheel)],
                          capture_output=True, text=True, timeout=900, env=env)  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert (venv / "bin" / "jixiao").is_file(), proc.stdout + proc.stderr  # installed, not found elsewhere
    project = home / "民政局绩效"
    project.mkdir()
    found = Installed(venv / "bin" / "jixiao", wheel, project, home)
    started = found.run("new", "--unit", UNIT, "--name", "乐昌市民政局", "--year", str(YEAR), env=environ)
    assert started.returncode == 0, started.stderr
    for part in ("params", "data"):  # the example's settings and data, in place of the empty ones
        shutil.rmtree(project / part / UNIT)
        shutil.copytree(REPO / part / UNIT, project / part / UNIT)
    built = found.run("build", "--year", str(YEAR), cwd=project / "data", env=environ)  # from below the project's top
    assert built.returncode == 0, built.stdout + built.stderr
    return found


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    return made("installed", tmp_path_factory)


def test_the_wheel_holds_what_a_build_needs(installed):
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    shipped = {p.name for p in (REPO / "notebooks").glob("*.ipynb")}
    assert {n.removeprefix("jixiao/notebooks/") for n in names if n.startswith("jixiao/notebooks/")} == shipped
    assert "jixiao/render/templates/report.html.j2" in names
    assert "jixiao/render/report.css" in names
    assert {"jixiao/check/rules/national.yaml", "jixiao/check/rules/platform.yaml"} <= names
    metadata = zipfile.ZipFile(installed.wheel).read(next(n for n in names if n.endswith("METADATA"))).decode()
    assert "Requires-Dist: pandas==3.1.1" in metadata  # the pins travel with it


def test_new_in_an_empty_folder_makes_a_project(installed):
    project = installed.project
    assert (project / "jixiao.yaml").read_text(encoding="utf-8").splitlines()[-1] == f"unit: {UNIT}"
    assert "# 乐昌市民政局：绩效自评报告 (jixiao)" in (project / "README.md").read_text(encoding="utf-8")
    assert (project / ".gitignore").read_text(encoding="utf-8") == "outputs/\n"
    assert not (project / "notebooks").exists()  # the shipped notebooks serve


def test_the_installed_build_is_the_checkouts_byte_for_byte(installed, example):
    """Every filed output is the same bytes; the review edition differs only where its build record
    names each notebook's source (shipped with jixiao here, the project's own in the checkout)."""
    out = installed.project / "outputs" / UNIT / str(YEAR)
    for name in FILED:
        assert (out / name).read_bytes() == (example.out / name).read_bytes(), name
    review = (out / "report-review.html").read_text(encoding="utf-8")
    assert review.count("<td>jixiao/notebooks/") == 12
    assert review.replace("<td>jixiao/notebooks/", "<td>notebooks/") == example.html
    info = json.loads((out / "build.json").read_text(encoding="utf-8"))
    checkout = json.loads((example.out / "build.json").read_text(encoding="utf-8"))
    assert info["code"] == checkout["code"]
    assert info["inputs"] == checkout["inputs"]
    assert {k.removeprefix("jixiao/"): v for k, v in info["notebooks"].items()} == checkout["notebooks"]
    assert list(info["fonts"]) == ["NotoSansCJKsc-Regular.otf"]  # jixiao's own modules are not fonts


def test_version_prints_the_code_hash_build_json_records(installed):
    out = installed.project / "outputs" / UNIT / str(YEAR)
    code = json.loads((out / "build.json").read_text(encoding="utf-8"))["code"]
    assert installed.run("--version").stdout == f"jixiao 0.1.0 (code {code})\n"


def test_outside_any_project_a_command_says_so_in_one_line(installed):
    elsewhere = installed.home / "elsewhere"
    elsewhere.mkdir(exist_ok=True)
    result = installed.run("build", "--unit", UNIT, "--year", str(YEAR), cwd=elsewhere)
    assert result.returncode == 2
    assert result.stderr == (
        f"不在 jixiao 项目中 (not in a jixiao project): {elsewhere} 及其上级文件夹都没有 jixiao.yaml；"
        "新建项目 (to start one here): jixiao new --unit 单位编码 --name 单位名称 --year 年度\n"
    )
    assert not (elsewhere / "outputs").exists()


def test_check_runs_on_forms_from_any_folder(installed):
    forms = installed.home / "received"
    forms.mkdir(exist_ok=True)
    shutil.copy(installed.project / "outputs" / UNIT / str(YEAR) / "自评表.xlsx", forms / "乐昌市民政局.xlsx")
    result = installed.run("check", "received", cwd=installed.home)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:2] == [
        "共检查1个文件，识别绩效自评表14份（项目支出13份，部门整体1份），其中0份有需核实的问题；0处未能读取。"
        "计分规则：全国规则（财预〔2020〕10号）。",
        "14 份表：0 份有需核实的问题，14 份仅有提示，0 处未能读取 "
        "(14 forms: 0 with warnings, 14 with notes only, 0 unread)",  # the note 全部指标满分 on each
    ]
    record = json.loads((installed.home / "outputs" / "_check" / "check.json").read_text(encoding="utf-8"))
    assert len(record) == 14


def test_a_project_notebook_replaces_the_shipped_one_and_reruns_only_its_section(installed):
    project = installed.project
    listed = installed.run("notebooks")
    assert "  06_profile.ipynb  jixiao: jixiao/notebooks/06_profile.ipynb\n" in listed.stdout
    shipped = Path(installed.run("notebooks", "--path").stdout.strip())
    assert shipped.parts[-2:] == ("jixiao", "notebooks") and (shipped / "06_profile.ipynb").is_file()
    copied = installed.run("notebooks", "--copy", "06_profile.ipynb")
    assert copied.stdout == "  复制 (copied): notebooks/06_profile.ipynb\n"
    assert installed.run("notebooks", "--copy", "06_profile.ipynb").stdout == (
        "  保留 (kept, already there): notebooks/06_profile.ipynb\n"
    )
    assert "  06_profile.ipynb  项目 (project): notebooks/06_profile.ipynb\n" in installed.run("notebooks").stdout
    # an identical copy: nothing re-runs, and the review edition's build record names the project's copy
    same = installed.run("build", "--year", str(YEAR), "--format", "html")
    assert same.returncode == 0, same.stderr
    assert re.findall(r"^  (\d\d-[a-z]+) +\d+\.\d\ds$", same.stdout, re.M) == []
    review = (project / "outputs" / UNIT / str(YEAR) / "report-review.html").read_text(encoding="utf-8")
    assert "<td>notebooks/06_profile.ipynb " in review and "<td>jixiao/notebooks/06_profile.ipynb " not in review
    notebook = project / "notebooks" / "06_profile.ipynb"
    cells = json.loads(notebook.read_text(encoding="utf-8"))
    cells["cells"].insert(1, {"cell_type": "markdown", "metadata": {}, "source": ["本单位自己的说明：项目笔记本。"]})
    notebook.write_text(json.dumps(cells, ensure_ascii=False, indent=1), encoding="utf-8")
    edited = installed.run("build", "--year", str(YEAR), "--format", "html")
    assert edited.returncode == 0, edited.stderr
    ran = re.findall(r"^  (\d\d-[a-z]+) +\d+\.\d\ds$", edited.stdout, re.M)
    assert ran == ["07-profile"], edited.stdout
    html = (project / "outputs" / UNIT / str(YEAR) / "report.html").read_text(encoding="utf-8")
    assert "本单位自己的说明：项目笔记本。" in html


def test_plain_papermill_runs_a_shipped_notebook_in_the_project(installed):
    """The guide's papermill line, with the installed papermill: the kernel finds the project by
    walking up from the working directory, as every command does."""
    shipped = installed.run("notebooks", "--path").stdout.strip()
    papermill = installed.jixiao.with_name("papermill")
    proc = subprocess.run([str(papermill), f"{shipped}/03_theme.ipynb", "out.ipynb", "-f", f"params/{UNIT}/{YEAR}.yaml",
                           "-p", "theme", "zhili", "--no-progress-bar"],
                          cwd=installed.project, env=clean_environment(), capture_output=True, text=True,
                          timeout=300)  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    notebook = (installed.project / "out.ipynb").read_text(encoding="utf-8")
    assert "民政领域社会治理水平得到提升" in notebook and "2657对" in notebook
