"""Does a change of code leave the reports as they were? Builds the example units at two versions
of jixiao and compares every output.

    python tests/compare_builds.py BASE [HEAD]      # git revisions; HEAD defaults to the work tree
    make compare BASE=main~3

Each version is built from a copy of its own tree (a ``git worktree`` for a revision): its code,
settings, inputs and notebooks, with this environment's packages. The one thing that must differ between two
versions of the code, the hash of that code, is fixed to the same value in both: every process of
a build (the build itself, the kernel template, the section kernels) imports ``sitecustomize``
from a folder put first on ``PYTHONPATH``, which replaces ``code_hash``/``_code_hash`` wherever a
jixiao module defines or imports it. What follows from the hash (the 构建信息 footer of the review
edition's formats, ``build.json`` and the output hashes it records) is then the same too, so the comparison
is byte for byte:

- ``report*.html``, ``report*.pdf``, ``report*.docx``, ``自评表.xlsx`` and ``build.json``: equal bytes;
- the executed section notebooks: equal cells (source and outputs); papermill's timings, the
  kernel's execution metadata and the hidden facts output are left out. The facts are the build
  cache's record of what a section read (the code's own modules, whose names and hashes change
  with the code; the inputs, which a restructured check may read fewer of) and the values the
  cover takes, which reach the report, whose bytes are compared.

Exit status 0 when every output is the same, 1 with a list of what differs.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = [("lechang-mzj", 2019), ("shili-jyj", 2020)]
FIXED_HASH = "0" * 64
FACTS = "application/vnd.jixiao.facts+json"

SITECUSTOMIZE = f'''
import importlib.abc, importlib.machinery, sys

NAMES = ("code_hash", "_code_hash")


def _fixed():
    return "{FIXED_HASH}"


class _Patch(importlib.abc.MetaPathFinder):
    """After a jixiao module is executed, its code-hash function (its own or imported) is the fixed one."""

    def find_spec(self, name, path=None, target=None):
        if not name.startswith("jixiao"):
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return spec
        execute = spec.loader.exec_module

        def exec_module(module):
            execute(module)
            for attribute in NAMES:
                if callable(getattr(module, attribute, None)):
                    setattr(module, attribute, _fixed)

        spec.loader.exec_module = exec_module
        return spec


sys.meta_path.insert(0, _Patch())
'''


def tree_at(revision: str | None, work: Path) -> Path:
    """The tree of ``revision`` (a worktree under ``work``), or this work tree for None."""
    if revision is None:
        return ROOT
    tree = work / f"tree-{revision.replace('/', '_')}"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "--force", str(tree), revision],
                   check=True, capture_output=True)  # fmt: skip
    return tree


def build(tree: Path, work: Path) -> Path:
    """Build every example from ``tree``'s code and inputs into a copy; returns its outputs folder."""
    project = work / f"project-{tree.name}"
    for part in ("lib", "params", "data", "notebooks"):  # the code inside the project, as in a checkout
        shutil.copytree(tree / part, project / part, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    (project / "outputs").mkdir()
    hooks = work / "hooks"
    hooks.mkdir(exist_ok=True)
    (hooks / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": f"{hooks}{os.pathsep}{project / 'lib'}", "JIXIAO_ROOT": str(project)}
    env.pop("SOURCE_DATE_EPOCH", None)
    for unit, year in EXAMPLES:
        subprocess.run(
            [sys.executable, "-c", "import sys; from jixiao.cli import main; sys.exit(main())",
             "build", "--unit", unit, "--year", str(year)],
            env=env, cwd=project, check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
    return project / "outputs"


def notebook_cells(path: Path) -> list[tuple[str, str, str]]:
    """A notebook's cells as (type, source, outputs), without timings or execution metadata."""
    cells = []
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        shown = [o for o in cell.get("outputs", []) if FACTS not in o.get("data", {})]
        outputs = json.dumps(shown, sort_keys=True, ensure_ascii=False)
        cells.append((cell["cell_type"], "".join(cell["source"]), outputs))
    return cells


def differences(base: Path, head: Path) -> list[str]:
    """What differs between two outputs folders, one line each."""
    found = []
    for unit, year in EXAMPLES:
        a, b = base / unit / str(year), head / unit / str(year)
        names = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file() and ".cache" not in p.parts}
        names |= {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file() and ".cache" not in p.parts}
        for name in sorted(names - {".build.lock"}):
            left, right = a / name, b / name
            if not left.is_file() or not right.is_file():
                found.append(f"{unit}/{year}/{name}: only in {'head' if right.is_file() else 'base'}")
            elif name.endswith(".ipynb"):
                if notebook_cells(left) != notebook_cells(right):
                    found.append(f"{unit}/{year}/{name}: cells or outputs differ")
            elif left.read_bytes() != right.read_bytes():
                found.append(f"{unit}/{year}/{name}: bytes differ")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base", help="git revision of the code compared against")
    parser.add_argument("head", nargs="?", help="git revision of the new code (default: the work tree)")
    parser.add_argument("--keep", action="store_true", help="keep the trees and outputs (their folder is printed)")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="jixiao-compare-"))
    trees = []
    try:
        outputs = []
        for revision in (args.base, args.head):
            tree = tree_at(revision, work)
            trees.append(tree)
            print(f"building the examples at {revision or 'the work tree'} …", flush=True)
            outputs.append(build(tree, work))
        found = differences(*outputs)
        for line in found:
            print(line)
        print("same outputs" if not found else f"{len(found)} outputs differ", flush=True)
        return 1 if found else 0
    finally:
        for tree in trees:
            if tree != ROOT and not args.keep:
                subprocess.run(
                    ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], capture_output=True
                )
        if args.keep:
            print(f"kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
