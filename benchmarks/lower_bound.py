"""The lower bound of a build: every section notebook's calls into jixiao, run in this one plain
Python process (no kernel, no papermill, no nbconvert), each output rendered to HTML, plus the
自评表 workbook. Run by ``bench_build.py`` with ``JIXIAO_ROOT`` naming a scratch copy."""

from __future__ import annotations

import ast
import json

import matplotlib

matplotlib.use("Agg")

from jixiao.engine import pipeline as build
from jixiao.inputs import settings

UNIT, YEAR = "lechang-mzj", 2019


def run_section(section: settings.Section) -> list[str]:
    notebook = json.loads(section.notebook.read_text(encoding="utf-8"))
    namespace: dict = dict(section.parameters)
    html = []
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code" or "parameters" in cell["metadata"].get("tags", []):
            continue
        tree = ast.parse("".join(cell["source"]))
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, "<cell>", "exec"), namespace)
        if last is not None:
            value = eval(compile(ast.Expression(last.value), "<cell>", "eval"), namespace)
            if hasattr(value, "_repr_html_"):
                html.append(value._repr_html_())
    return html


def main() -> None:
    unit_settings = settings.load(UNIT, YEAR)
    pages = [run_section(section) for section in unit_settings.sections]
    assert build.workbook_bytes(unit_settings)
    assert all(pages), "every section renders something"


if __name__ == "__main__":
    main()
