"""The lower bound of a build: every section notebook's calls into jixiao, run in this one plain
Python process (no kernel, no papermill, no nbconvert), each output rendered to HTML, plus the
自评表 workbook. Run by ``bench_build.py`` with ``JIXIAO_ROOT`` naming a scratch copy.

With ``--same-outputs UNIT:YEAR …`` (``bench_batch.py``), the lower bound of what a batch task makes
for each unit-year in turn, in this one process: the section calls and their HTML, the workbook of
each edition, the PDF and DOCX of each edition (from the pages of the build already in
``outputs/<unit>/<year>/``: the page is what both are made from), and that folder zipped, as a task
sends it back."""

from __future__ import annotations

import argparse
import ast
import json
import shutil

import matplotlib

matplotlib.use("Agg")

from jixiao import paths
from jixiao.engine import pipeline as build
from jixiao.inputs import settings

UNIT, YEAR = "lechang-mzj", 2019


def forget_charts() -> None:
    """Remove the charts' memo: the lower bound draws every chart, as a cold build does."""
    shutil.rmtree(paths.shared_cache("charts"), ignore_errors=True)


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


def html_and_workbook(unit: str, year: int, editions: tuple[str, ...] | None = None) -> settings.Settings:
    """The section calls, their outputs as HTML, and the workbook of ``editions`` (else the unit's)."""
    unit_settings = settings.load(unit, year)
    pages = [run_section(section) for section in unit_settings.sections]
    assert build.workbook_bytes(unit_settings, editions or unit_settings.editions)
    assert all(pages), "every section renders something"
    return unit_settings


def same_outputs(unit: str, year: int) -> None:
    """Everything a batch task makes for ``unit`` and ``year`` (see the module's docstring)."""
    from jixiao.render import editions, paged, properties
    from jixiao.store import tree, zipped

    unit_settings = html_and_workbook(unit, year)
    out = paths.output_dir(unit, year)
    meta = properties.metadata(unit_settings)
    for edition in unit_settings.editions:
        page = (out / editions.Output(edition, "html").name).read_text(encoding="utf-8")
        for fmt in ("pdf", "docx"):
            assert paged.paged_bytes(page, fmt, meta)
    assert zipped(tree(out, ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--same-outputs", nargs="+", metavar="UNIT:YEAR", help="every output, for each unit-year")
    args = parser.parse_args()
    forget_charts()
    if not args.same_outputs:
        html_and_workbook(UNIT, YEAR, ("filing",))
        return
    for job in args.same_outputs:
        unit, _, year = job.rpartition(":")
        same_outputs(unit, int(year))


if __name__ == "__main__":
    main()
