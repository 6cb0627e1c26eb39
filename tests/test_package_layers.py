"""The package's parts import only downwards: scoring knows nothing of the report, loading nothing
of builds, renderers nothing of the build that calls them.

Every ``import jixiao.…`` and ``from jixiao… import …`` in every module counts, including imports
inside functions (a lazy import is still a dependency).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "lib" / "jixiao"

# lowest first; a part may import its own layer and those below it
LAYERS = [
    {"paths", "dependencies", "facts", "outputs", "formatting"},
    {"scoring"},
    {"inputs"},
    {"checks"},
    {"writing"},
    {"sections"},
    {"render"},
    {"engine"},
    {"store"},
    {"batch", "synth", "summary", "cli", "jixiao"},
]
RANK = {part: rank for rank, parts in enumerate(LAYERS) for part in parts}


def part_of(module: str) -> str:
    """``jixiao.inputs.loading`` -> ``inputs``; ``jixiao.paths`` -> ``paths``; ``jixiao`` -> ``jixiao``."""
    names = module.split(".")
    return names[1] if len(names) > 1 else names[0]


def module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    names = list(relative.parts)
    if names[-1] == "__init__":
        names.pop()
    return ".".join(names)


def imported(path: Path) -> set[str]:
    """The jixiao modules ``path`` imports (``from jixiao import x`` counts as ``jixiao.x``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "jixiao"}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "jixiao":
            if node.module == "jixiao":
                found |= {f"jixiao.{a.name}" for a in node.names if not a.name.startswith("_")}
            else:
                found.add(node.module)
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_part_has_a_layer():
    parts = {part_of(module_name(p)) for p in MODULES}
    assert parts <= set(RANK), sorted(parts - set(RANK))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_imports_go_only_downwards(path: Path):
    own = part_of(module_name(path))
    upward = sorted(m for m in imported(path) if m != "jixiao.__version__" and RANK[part_of(m)] > RANK[own])
    assert upward == [], f"{module_name(path)} ({own}) imports from a higher part: {upward}"


@pytest.mark.parametrize("name", ["summary", "batch"])
def test_the_bureaus_side_does_not_import_the_reports_sections(name: str):
    """The summary counts a unit's review findings from jixiao.checks over the inputs and scores, not
    from the report's sections (nor does the batch, which makes the summary's lines)."""
    found = [m for m in imported(PACKAGE / f"{name}.py") if m == "jixiao.sections" or m.startswith("jixiao.sections.")]
    assert found == []


def test_batch_and_summary_do_not_import_each_other_back():
    """batch imports summary (a worker makes the unit's line); what both need (the store, the inputs'
    key) is below both, so summary never imports batch."""
    assert "jixiao.batch" not in imported(PACKAGE / "summary.py")
