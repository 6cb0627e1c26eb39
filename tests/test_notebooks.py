"""Each notebook runs top to bottom as an analyst would run it: with its default parameters, and
with the year's parameter file given to plain papermill."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, copy_project

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("notebooks"))


def papermill(project: Path, notebook: str, *args: str) -> dict:
    out = project / "outputs" / f"{Path(notebook).stem}-run.ipynb"
    out.parent.mkdir(exist_ok=True)
    env = {**os.environ, "JIXIAO_ROOT": str(project), "PYTHONPATH": str(project / "lib")}  # the copy's own code
    env.pop("JIXIAO_BUILD", None)  # as in JupyterLab: no build facts
    proc = subprocess.run([sys.executable, "-m", "papermill", str(project / "notebooks" / notebook), str(out),
                           "--no-progress-bar", *args], cwd=project, env=env, capture_output=True, text=True,
                          timeout=300)  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(out.read_text(encoding="utf-8"))


def html_outputs(notebook: dict) -> str:
    return "".join("".join(o["data"]["text/html"]) for c in notebook["cells"] for o in c.get("outputs", [])
                   if "text/html" in o.get("data", {}))  # fmt: skip


def test_plain_papermill_with_the_year_parameter_file(project):
    notebook = papermill(project, "03_theme.ipynb", "-f", "params/lechang-mzj/2019.yaml", "-p", "theme", "zhili")
    html = html_outputs(notebook)
    assert '<h2><span class="jx-number">（四）</span>民政领域社会治理水平得到提升</h2>' in html
    assert ">2657对</span>" in html
    assert "application/vnd.jixiao.facts+json" not in json.dumps(notebook), "facts appear only inside a build"


RUN_ALL = """
import sys
from concurrent.futures import ThreadPoolExecutor

import papermill

def run(names):
    source, out = names
    papermill.execute_notebook(source, out, progress_bar=False, kernel_name="python3")

with ThreadPoolExecutor(2) as pool:  # two kernels at a time, as a build runs them on two cores
    list(pool.map(run, zip(sys.argv[1::2], sys.argv[2::2])))
"""


@pytest.fixture(scope="module")
def with_defaults(project: Path) -> dict[str, dict]:
    """Every notebook run by papermill with its default parameters, as an analyst runs it in
    JupyterLab: one papermill process for all, two kernels at a time."""
    out = project / "outputs" / "defaults"
    out.mkdir(parents=True)
    pairs = [str(a) for path in NOTEBOOKS for a in (project / "notebooks" / path.name, out / path.name)]
    env = {**os.environ, "JIXIAO_ROOT": str(project), "PYTHONPATH": str(project / "lib")}  # the copy's own code
    env.pop("JIXIAO_BUILD", None)  # as in JupyterLab: no build facts
    proc = subprocess.run([sys.executable, "-c", RUN_ALL, *pairs], cwd=project, env=env, capture_output=True,
                          text=True, timeout=600)  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    return {path.name: json.loads((out / path.name).read_text(encoding="utf-8")) for path in NOTEBOOKS}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_with_its_default_parameters(with_defaults, path):
    notebook = with_defaults[path.name]
    assert html_outputs(notebook), "every section shows something"
    errors = [o for c in notebook["cells"] for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert errors == []
