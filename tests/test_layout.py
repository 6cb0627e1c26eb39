"""The project's shape: layout, dependency lists in agreement, thin notebooks stored clean."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))


def test_layout():
    for name in ("notebooks", "params", "lib/jixiao", "data", "outputs", "tests", "environment.yml",
                 "README.md", "pyproject.toml", "Makefile", ".ci/run", "requirements.lock"):  # fmt: skip
        assert (REPO / name).exists(), name
    assert (REPO / "params/lechang-mzj/unit.yaml").is_file()
    assert (REPO / "params/lechang-mzj/2019.yaml").is_file()


def test_lib_is_tracked_and_outputs_are_not():
    ignored = subprocess.run(["git", "check-ignore", "lib/jixiao/engine/pipeline.py", "outputs/x/2019/report.html"],
                             cwd=REPO, capture_output=True, text=True).stdout.split()  # fmt: skip
    assert ignored == ["outputs/x/2019/report.html"]


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_environment_yml_pins_the_same_dependencies_as_pyproject():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    expected = {_normalise(name): version for name, version in (d.split("==") for d in declared)}
    env = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    found = {}
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            for pip_dep in dep["pip"]:
                name, version = pip_dep.split("==")
                found[_normalise(name)] = version
        elif "=" in dep and not dep.startswith("python="):
            name, version = dep.split("=")
            found[_normalise(name)] = version
    assert found == expected


def test_lock_agrees_with_the_pins():
    lock = dict(line.split("==") for line in (REPO / "requirements.lock").read_text().split() if "==" in line)
    lock = {_normalise(k): v for k, v in lock.items()}
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for dep in [*project["dependencies"], *project["optional-dependencies"]["dev"]]:
        name, version = dep.split("==")
        assert lock[_normalise(name)] == version, name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_without_outputs_and_with_a_kernelspec(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_thin(path):
    """Markdown, one typed parameters cell, then calls into jixiao: no def, no class, no figure."""
    cells = [c for c in json.loads(path.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
    parameters = [c for c in cells if "parameters" in c["metadata"].get("tags", [])]
    assert len(parameters) == 1
    for node in ast.walk(ast.parse("".join(parameters[0]["source"]))):
        if isinstance(node, ast.Assign):
            raise AssertionError("parameters are typed: `year: int = 2019`")
    for cell in cells:
        if cell is parameters[0]:
            continue
        tree = ast.parse("".join(cell["source"]))
        for node in ast.walk(tree):
            assert not isinstance(node, ast.FunctionDef | ast.ClassDef | ast.Lambda | ast.For | ast.While), node
            if isinstance(node, ast.Constant):
                assert not isinstance(node.value, int | float) or isinstance(node.value, bool), (
                    f"a number typed into {path.name}: {node.value}"
                )
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
                assert all(n.split(".")[0] == "jixiao" for n in names), names


def test_ruff_lints_and_formats_the_code_and_notebooks():
    linted = ["lib", "tests", "notebooks", "examples", "benchmarks"]
    check = subprocess.run([sys.executable, "-m", "ruff", "check", *linted], cwd=REPO, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
    fmt = subprocess.run([sys.executable, "-m", "ruff", "format", "--check", "lib", "tests", "benchmarks"],
                         cwd=REPO, capture_output=True, text=True)  # fmt: skip
    assert fmt.returncode == 0, fmt.stdout
