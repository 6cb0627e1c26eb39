"""``examples/explore.ipynb`` runs top to bottom as an analyst runs it, showing the example's frames;
it is no part of the report: no build, cache key or batch payload includes it."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile

from conftest import REPO, UNIT, YEAR, copy_project

NOTEBOOK = REPO / "examples" / "explore.ipynb"


def test_the_explore_notebook_runs_and_shows_the_examples_figures(tmp_path):
    project = copy_project(tmp_path / "project")
    out = tmp_path / "explore-run.ipynb"
    env = {**os.environ, "JIXIAO_ROOT": str(project), "PYTHONPATH": str(project / "lib")}
    env.pop("JIXIAO_BUILD", None)
    proc = subprocess.run([sys.executable, "-m", "papermill", str(NOTEBOOK), str(out), "--no-progress-bar"],
                          cwd=project, env=env, capture_output=True, text=True, timeout=300)  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    cells = json.loads(out.read_text(encoding="utf-8"))["cells"]
    outputs = [o for c in cells for o in c.get("outputs", [])]
    assert [o for o in outputs if o["output_type"] == "error"] == []

    def shown(tag: str) -> str:
        (cell,) = [c for c in cells if tag in c["metadata"].get("tags", [])]
        return "".join(
            "".join(o["text"]) if o["output_type"] == "stream" else "".join(o["data"]["text/plain"])
            for o in cell["outputs"]
        )

    assert shown("department-total") == "部门整体：100.0分，优\n"
    assert shown("project-total") == "城乡低保：全年执行数3265.18万元，执行率100%，得分100.0\n"
    assert shown("review-count") == "7"
    assert shown("figure-states").split() == [
        "state", "illustrative", "837", "published", "198", "confirmed", "22", "Name:", "count,", "dtype:", "int64"
    ]  # fmt: skip
    sangong = next(line for line in shown("department-indicators").splitlines() if "三公经费变动率" in line)
    assert sangong.split() == ["76", "预算执行", "三公经费变动率", "≤", "0.0", "-7.31", "10.0", "10.0"]
    assert "image/png" in cells[-1]["outputs"][0]["data"], "the last cell plots"


def test_the_notebook_is_stored_without_outputs():
    notebook = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert code and all(c["outputs"] == [] and c["execution_count"] is None for c in code)


def test_no_build_or_batch_input_includes_it(monkeypatch):
    from jixiao import store
    from jixiao.engine import pipeline
    from jixiao.inputs import settings

    monkeypatch.setenv("JIXIAO_ROOT", str(REPO))
    assert NOTEBOOK.is_file()
    with zipfile.ZipFile(io.BytesIO(store.inputs_zip(UNIT, YEAR, REPO))) as payload:
        names = payload.namelist()
    assert "notebooks/01_overview.ipynb" in names
    assert [n for n in names if not n.startswith(("params/", "data/", "notebooks/"))] == []
    inputs = pipeline.input_files(settings.load(UNIT, YEAR))
    assert [name for name in inputs if name.startswith("examples/")] == []
    assert [s.notebook for s in settings.load(UNIT, YEAR).sections if "examples" in s.notebook.parts] == []
