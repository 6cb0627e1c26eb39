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
    {"paths", "dependencies", "facts", "outputs", "formatting", "scratch", "environment", "project"},
    {"scoring"},
    {"inputs", "forms"},
    {"checks"},
    {"writing"},
    {"sections"},
    {"render"},
    {"engine"},
    {"store"},
    {"batch", "preview", "synth", "summary", "check", "cli", "jixiao"},
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


def module_imports(path: Path) -> set[str]:
    """Every jixiao module ``path`` imports, wherever the import is (inside functions too)."""
    return imports_of(path.read_text(encoding="utf-8"), module_name(path), path.name == "__init__.py")


def imports_of(source: str, name: str, is_package: bool) -> set[str]:
    """The jixiao modules that the module ``name`` imports: ``import a.b`` is ``a.b``;
    ``from a import b`` is ``a.b`` where ``b`` is a module of ``a``, else ``a``; a relative
    import is resolved from the module's own package."""
    package = name.split(".") if is_package else name.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "jixiao"}
        elif isinstance(node, ast.ImportFrom):
            base = node.module.split(".") if node.module else []
            if node.level:
                base = package[: len(package) - node.level + 1] + base
            if not base or base[0] != "jixiao":
                continue
            for alias in node.names:
                candidate = ".".join([*base, alias.name])
                found.add(candidate if candidate in KNOWN else ".".join(base))
    return found - {name}


KNOWN = {module_name(p) for p in MODULES}
GRAPH = {module_name(p): {m for m in module_imports(p) if m in KNOWN} for p in MODULES}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of more than one module that import each other, directly or round a longer
    circle (the strongly connected components, by Tarjan's algorithm), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while (member := stack.pop()) != node:
                group.append(member)
            found.append(sorted([*group, node]))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(group for group in found if len(group) > 1)


def test_every_kind_of_import_counts():
    source = """
import jixiao.engine.cache
from jixiao.inputs import settings, Settings
from jixiao import paths


def later():
    from . import html
    from .pdf import preload
    from .. import formatting
"""
    assert imports_of(source, "jixiao.render.docx", is_package=False) == {
        "jixiao.engine.cache", "jixiao.inputs.settings", "jixiao.inputs", "jixiao.paths", "jixiao.render.html",
        "jixiao.render.pdf", "jixiao.formatting",
    }  # fmt: skip


def test_the_circle_finder_finds_long_circles_and_only_them():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"f"}, "f": {"e"}, "g": {"a"}}
    assert circles(graph) == [["a", "b", "c"], ["e", "f"]]
    assert circles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def lazy_getattr(node: ast.stmt) -> bool:
    """``def __getattr__(name)``: a re-export on first use, nothing else."""
    return isinstance(node, ast.FunctionDef) and node.name == "__getattr__"


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("__init__.py")), ids=lambda p: module_name(p))
def test_a_package_init_holds_a_docstring_and_re_exports_only(path: Path):
    """Logic lives in modules named for it; a package's ``__init__`` says what the package is and
    re-exports names (at once, or on first use through ``__getattr__``), with the tables that say
    which name comes from where."""
    body = ast.parse(path.read_text(encoding="utf-8")).body
    allowed = (ast.Import, ast.ImportFrom)
    for node in body[1:] if body and isinstance(body[0], ast.Expr) else body:
        value = getattr(node, "value", None)
        table = isinstance(value, ast.Constant | ast.Dict | ast.Tuple | ast.List | ast.DictComp)
        names = isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "sorted"
        constant = isinstance(node, ast.Assign | ast.AnnAssign) and (table or names)
        assert isinstance(node, allowed) or constant or lazy_getattr(node), (
            f"{module_name(path)} line {node.lineno}: {type(node).__name__} in a package's __init__"
        )


@pytest.mark.parametrize("name", ["summary", "batch"])
def test_the_bureaus_side_does_not_import_the_reports_sections(name: str):
    """The summary counts a unit's review findings from jixiao.checks over the inputs and scores, not
    from the report's sections (nor does the batch, which makes the summary's lines)."""
    found = [m for m in module_imports(PACKAGE / f"{name}.py") if m.split(".")[:2] == ["jixiao", "sections"]]
    assert found == []


def test_batch_and_summary_do_not_import_each_other_back():
    """batch imports summary (a worker makes the unit's line); what both need (the store, the inputs'
    key) is below both, so summary never imports batch."""
    assert "jixiao.batch" not in module_imports(PACKAGE / "summary.py")


def test_no_module_imports_one_that_imports_it_back():
    assert circles(GRAPH) == []
