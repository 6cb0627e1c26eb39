"""One self-contained HTML report from the executed section notebooks.

nbconvert renders each section's markdown and outputs (its ``basic`` template: the notebook's
body only, code and prompts left out, parameter cells removed by tag); jixiao puts them in one
page of its own (``templates/report.html.j2``): a cover with the score and grade, a table of
contents, the sections in order, one stylesheet (``report.css``) inlined once, ``lang="zh"``,
images embedded, and nothing loaded from the network.
"""

from __future__ import annotations

import dataclasses
import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jixiao import __version__, facts, paths

TEMPLATE = paths.PACKAGE_DIR / "templates" / "report.html.j2"
CSS = paths.PACKAGE_DIR / "report.css"
HIDDEN_TAGS = {"parameters", "injected-parameters", "remove-cell"}
_HEADING = re.compile(r"<h([12])\b[^>]*>(.*?)</h\1>", re.S)
_TAG = re.compile(r"<[^>]+>")


@dataclass
class RenderedSection:
    anchor: str
    title: str
    notebook: str
    body: str


def _reader_outputs(outputs: list[Any]) -> list[Any]:
    """Outputs a reader should see: no build facts, no stderr (warnings are reported by the build)."""
    kept = []
    for output in outputs:
        if output.get("output_type") == "stream" and output.get("name") == "stderr":
            continue
        if facts.MIME in (output.get("data") or {}):
            continue
        kept.append(output)
    return kept


class Stitcher:
    """Renders sections with one nbconvert exporter and writes the report page."""

    def __init__(self) -> None:
        from nbconvert import HTMLExporter
        from nbconvert.preprocessors import TagRemovePreprocessor

        remove = TagRemovePreprocessor(remove_cell_tags=HIDDEN_TAGS, enabled=True)
        self.exporter = HTMLExporter(
            template_name="basic",
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
            anchor_link_text="",
        )
        self.exporter.register_preprocessor(remove, enabled=True)

    def section(self, anchor: str, executed: Path, notebook: Any = None) -> RenderedSection:
        """One executed section notebook (read from ``executed`` unless given) as report HTML."""
        import copy

        import nbformat

        notebook = nbformat.read(executed, as_version=4) if notebook is None else copy.deepcopy(notebook)
        for cell in notebook.cells:
            if cell.cell_type == "code":
                cell.outputs = _reader_outputs(cell.outputs)
        # code cells that show nothing are left out; cell ids made unique across the report
        notebook.cells = [c for c in notebook.cells if c.cell_type != "code" or c.outputs]
        for number, cell in enumerate(notebook.cells):
            cell.id = f"{anchor}-{number}"
        body, _ = self.exporter.from_notebook_node(notebook)
        match = _HEADING.search(body)
        title = html.unescape(_TAG.sub("", match.group(2))).strip() if match else anchor
        return RenderedSection(anchor, title, paths.relative(executed), body.strip())


def render_page(*, title: str, unit_name: str, year: int, score_html: str, grade: str,
                sections: list[RenderedSection], build_info: dict[str, Any] | None = None) -> str:  # fmt: skip
    import jinja2
    from markupsafe import Markup

    from jixiao import provenance  # imports pandas: only when a page is stitched, not on a rebuild that changes nothing

    # Text (titles, the unit's name) is escaped; the sections' HTML, the stylesheet and the
    # score's figure span are HTML already.
    environment = jinja2.Environment(autoescape=True)
    template = environment.from_string(TEMPLATE.read_text(encoding="utf-8"))
    # figures' full derivations move to one appendix; the cover counts the illustrative ones
    derivations: dict[str, str] = {}
    score_html = provenance.take_derivations(score_html, derivations)
    bodies = [dataclasses.replace(s, body=Markup(provenance.take_derivations(s.body, derivations))) for s in sections]
    counts = provenance.count_states("".join(s.body for s in bodies))
    return template.render(
        title=title, unit_name=unit_name, year=year, score_html=Markup(score_html), grade=grade,
        sections=bodies, css=Markup(CSS.read_text(encoding="utf-8")), version=__version__,
        banner=provenance.banner_html(counts), sources=provenance.appendix_html(derivations),
        build_info=build_info,
    )  # fmt: skip
