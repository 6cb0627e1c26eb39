"""One self-contained HTML report from the executed section notebooks.

nbconvert renders each section's markdown and outputs (its ``basic`` template: the notebook's
body only, code and prompts left out, parameter cells removed by tag); jixiao puts them in one
page of its own (``templates/report.html.j2``): a cover with the score and grade, a table of
contents, the sections in order, one stylesheet (``report.css``) inlined once, ``lang="zh"``,
images embedded, and nothing loaded from the network.

Headings are numbered here, in one place, from the settings' outline (``jixiao.inputs.settings``): a
section's own first heading (``## 总体情况`` in its notebook, a theme's headline) becomes the
heading the settings give it (``一、总体情况``, ``（一）底线民生保障坚定有力``) at the level of
its depth, the headings inside it are numbered one depth further (``（一）预算执行情况``), and a
chapter of the settings gets a heading of its own. The 目录 shows the same numbers. Tables and
figures are numbered here too, through the whole report (表1…表N, 图1…图N).
"""

from __future__ import annotations

import dataclasses
import functools
import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jixiao import __version__, facts, formatting, paths
from jixiao.inputs.kinds import DEFAULT_KIND, KINDS, ReportKind
from jixiao.inputs.settings import NUMBERING, Heading, Node, Section

TEMPLATE = paths.PACKAGE_DIR / "render" / "templates" / "report.html.j2"
CSS = paths.PACKAGE_DIR / "render" / "report.css"
HIDDEN_TAGS = {"parameters", "injected-parameters", "remove-cell"}
_HEADING = re.compile(r"<h([12])\b[^>]*>(.*?)</h\1>", re.S)
_ANY_HEADING = re.compile(r"<h([1-6])\b([^>]*)>(.*?)</h\1>", re.S)
_TAG = re.compile(r"<[^>]+>")
_NUMBER = re.compile(r'<span class="jx-number">.*?</span>', re.S)
_MARKER = re.compile(r'<span class="jx-illustrative"[^>]*>.*?</span>', re.S)
_ID = re.compile(r'\s+id=("[^"]*"|\'[^\']*\')')


@dataclass
class RenderedSection:
    anchor: str
    title: str
    notebook: str
    body: str


def _reader_outputs(outputs: list[Any]) -> list[Any]:
    """Outputs a reader should see: no build facts, no stderr (warnings are reported by the build),
    no empty HTML (a call that has nothing to say here, such as the closing lines of a section
    that does not end the report)."""
    kept = []
    for output in outputs:
        if output.get("output_type") == "stream" and output.get("name") == "stderr":
            continue
        data = output.get("data") or {}
        if facts.MIME in data or ("text/html" in data and not "".join(data["text/html"]).strip()):
            continue
        kept.append(output)
    return kept


def _exporter_class() -> type:
    """nbconvert's HTMLExporter without its last pass, which re-parses every section's HTML with
    BeautifulSoup to give alt text to images that have none and make notebook cells focusable:
    every image a section shows has its alt text, and the report has no notebook cells to focus.
    That pass was nine tenths of a section's rendering (30 ms of 33).

    nbconvert (7.17.2, pinned) has no public way to leave that pass out: it runs unconditionally at
    the end of ``HTMLExporter.from_notebook_node`` (no trait, no hook; its output is BeautifulSoup's
    re-serialisation, so keeping it and undoing it would also change the bytes). So the part of
    that method before the pass is copied here, and ``tests/test_section_exporter.py`` pins the
    copy: it fails on an nbconvert whose ``HTMLExporter.from_notebook_node`` source differs from
    the one copied, or whose output is no longer this exporter's passed through BeautifulSoup.
    What the copy leaves out on purpose: the notebook's Pygments lexer for ``highlight_code``
    (inputs are excluded, so code cells are never highlighted)."""
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class SectionExporter(HTMLExporter):
        def from_notebook_node(self, nb: Any, resources: dict | None = None, **kw: Any) -> tuple[str, dict]:
            # HTMLExporter.from_notebook_node up to its BeautifulSoup pass
            resources = self._init_resources(resources)
            self.register_filter("highlight_code", self.filters.get("highlight_code", Highlight2HTML(parent=self)))
            data_type = WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self, resources=resources)
            self.register_filter("filter_data_type", data_type)
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    return SectionExporter


class Stitcher:
    """Renders sections with one nbconvert exporter and writes the report page."""

    def __init__(self) -> None:
        from nbconvert.preprocessors import TagRemovePreprocessor

        remove = TagRemovePreprocessor(remove_cell_tags=HIDDEN_TAGS, enabled=True)
        self.exporter = _exporter_class()(
            template_name="basic",
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
            exclude_anchor_links=True,  # the headings get their ids from the outline (number_headings)
            optimistic_validation=True,  # the notebook checked once, not after each of a dozen preprocessors
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


def _plain(inner: str) -> str:
    """A heading's text for the 目录: no number, no 示例 marker, no tags."""
    return html.unescape(_TAG.sub("", _MARKER.sub("", _NUMBER.sub("", inner)))).strip()


def _heading_html(level: int, anchor: str, attributes: str, number: str, inner: str) -> str:
    attributes = _ID.sub("", attributes)
    shown = f'<span class="jx-number">{html.escape(number)}</span>' if number else ""
    return f'<h{level} id="{anchor}"{attributes}>{shown}{inner}</h{level}>'


def number_headings(body: str, heading: Heading, numbering: tuple[str, ...]) -> tuple[str, str]:
    """A section's HTML with its headings numbered and levelled by the outline; and its title.

    The first ``<h1>``/``<h2>`` is the section's heading: the settings' title replaces its text
    unless there is none (a theme: its headline stays). Every later heading is a sub-heading one
    depth further down (``<h3>`` of the notebook = depth + 1, ``<h4>`` = depth + 2), numbered in
    the style of that depth when the section itself is numbered, unless it is the only one under
    its heading: no heading stands as a lone （一）."""
    body, title, _ = outline_section(body, heading, numbering)
    return body, title


def outline_section(
    body: str, heading: Heading, numbering: tuple[str, ...]
) -> tuple[str, str, list[tuple[str, str, str, int]]]:
    """:func:`number_headings`, and the section's sub-headings as (anchor, number, text, depth)."""
    matches = list(_ANY_HEADING.finditer(body))
    first = next((i for i, m in enumerate(matches) if int(m.group(1)) <= 2), None)
    depths = [heading.depth + max(int(m.group(1)) - 2, 1) for m in matches]
    alone = _alone([d for i, d in enumerate(depths) if i != first])
    out, position, title = [], 0, None
    counters: dict[int, int] = {}
    subs: list[tuple[str, str, str, int]] = []
    for i, match in enumerate(matches):
        attributes, inner = match.group(2), _NUMBER.sub("", match.group(3)).strip()
        out.append(body[position : match.start()])
        position = match.end()
        if i == first:
            if heading.title is not None:
                inner = html.escape(heading.title)
            title = _plain(inner)
            level = min(heading.depth + 1, 6)
            out.append(_heading_html(level, f"{heading.anchor}-title", attributes, heading.number, inner))
            continue
        depth = depths[i]
        for deeper in [d for d in counters if d > depth]:
            del counters[deeper]
        counters[depth] = counters.get(depth, 0) + 1
        number = ""
        if heading.number and depth <= len(numbering) and not alone[len(subs)]:
            number = formatting.heading_number(counters[depth], numbering[depth - 1])
        anchor = f"{heading.anchor}-{len(subs) + 1}"
        subs.append((anchor, number, _plain(inner), depth))
        out.append(_heading_html(min(depth + 1, 6), anchor, attributes, number, inner))
    out.append(body[position:])
    if title is None:  # a notebook without a heading of its own: the settings' title, else its id
        title = heading.title or heading.anchor
        level = min(heading.depth + 1, 6)
        out.insert(0, _heading_html(level, f"{heading.anchor}-title", "", heading.number, html.escape(title)) + "\n")
    return "".join(out), title, subs


def _alone(depths: list[int]) -> list[bool]:
    """For each heading (by depth, in order), whether it is the only one of its depth under its
    parent (the last shallower heading before it, or the section)."""
    alone = []
    for i, depth in enumerate(depths):
        start = next((j for j in range(i - 1, -1, -1) if depths[j] < depth), -1)
        end = next((j for j in range(i + 1, len(depths)) if depths[j] < depth), len(depths))
        alone.append(sum(1 for j in range(start + 1, end) if depths[j] == depth) == 1)
    return alone


TOC_DEPTH = 2
"""The 目录 lists every numbered heading down to this depth (一、 and （一）), a chapter's
sections and a section's own sub-headings alike."""

_CAPTION = re.compile(r"(<table\b[^>]*>\s*<caption\b[^>]*>)|(<figcaption\b[^>]*>)")
_OLD_NUMBER = re.compile(r"\s*(?:[表图](?:\d+|（[一二三四五六七八九十]+）)(?:-\d+)?)(?:[\s：:、.．]+|(?=<)|$)")


class CaptionNumbers:
    """Tables and figures numbered through the whole report, in the order of the page: 表1…表N,
    图1…图N. A number a section wrote itself (表1, 图（一）-1: a notebook run on its own numbers
    its own) is replaced. The 自评表 (``jx-selfeval-form``) keep their official titles."""

    def __init__(self) -> None:
        self.tables = self.figures = 0

    def __call__(self, body: str) -> str:
        def one(match: re.Match[str]) -> str:
            table, figure = match.groups()
            if table is not None and "jx-selfeval-form" in table:
                return table
            if table is not None:
                self.tables += 1
                return f"{table}表{self.tables} "
            self.figures += 1
            return f"{figure}图{self.figures} "

        out, position = [], 0
        for match in _CAPTION.finditer(body):
            out += [body[position : match.start()], one(match)]
            position = match.end()
            if out[-1] != match.group(0):  # numbered: the section's own number goes
                old = _OLD_NUMBER.match(body, position)
                position = old.end() if old else position
        out.append(body[position:])
        return "".join(out)


def number_captions(entries: list[Entry], numbers: CaptionNumbers | None = None) -> None:
    """Number every entry's tables and figures in page order (:class:`CaptionNumbers`)."""
    numbers = numbers or CaptionNumbers()
    from markupsafe import Markup

    for entry in entries:
        if entry.body:
            entry.body = Markup(numbers(str(entry.body)))
        number_captions(entry.children, numbers)


@dataclass
class Entry:
    """One entry of the page: a chapter's heading with its entries, or a section's body."""

    anchor: str
    number: str
    title: str
    level: int
    body: Any = ""
    notebook: str = ""
    children: list[Entry] = dataclasses.field(default_factory=list)
    headings: list[Entry] = dataclasses.field(default_factory=list)
    """A section's own numbered sub-headings that the 目录 lists (down to the second depth)."""

    @property
    def chapter(self) -> bool:
        return bool(self.children)


def outline_entries(outline: tuple[Node, ...], sections: dict[str, RenderedSection],
                    numbering: tuple[str, ...]) -> list[Entry]:  # fmt: skip
    """The page's entries from the settings' outline and the rendered sections (by id). A section
    not given is left out (an edition without the 审核提示), and a chapter left empty with it; the
    numbers stay those of the outline."""
    from markupsafe import Markup

    entries = []
    for node in outline:
        heading, level = node.heading, min(node.heading.depth + 1, 6)
        if node.section is None:
            children = outline_entries(node.children, sections, numbering)
            if children:
                entries.append(Entry(heading.anchor, heading.number, heading.title or "", level, children=children))
            continue
        rendered = sections.get(node.section.id)
        if rendered is None:
            continue
        body, title, subs = outline_section(rendered.body, heading, numbering)
        listed = [Entry(a, n, t, min(d + 1, 6)) for a, n, t, d in subs if d <= TOC_DEPTH and n]
        entries.append(Entry(heading.anchor, heading.number, title, level, Markup(body), rendered.notebook,
                             headings=listed))  # fmt: skip
    return entries


@functools.lru_cache(maxsize=2)
def _page_template(source: str) -> Any:
    """The page's template, compiled once per version of its text (a preview stitches at every edit)."""
    import jinja2

    return jinja2.Environment(autoescape=True).from_string(source)


def render_page(*, title: str, unit_name: str, year: int, score_html: str | None, grade: str,
                sections: list[RenderedSection], outline: tuple[Node, ...] | None = None,
                numbering: tuple[str, ...] = NUMBERING, build_info: dict[str, Any] | None = None,
                links: tuple[tuple[str, str], ...] = (), kind: ReportKind = KINDS[DEFAULT_KIND]) -> str:  # fmt: skip
    """The report page. ``kind`` (``Settings.kind``) gives the cover its words: the kind's name,
    the line above the title and what the score is called. ``outline`` (``Settings.outline``)
    numbers and nests the sections;
    without it they are listed flat, unnumbered, with their own headings. ``build_info`` is what
    the report was built from (``build.json``: the review edition's footer); ``links``: (file name, label) of the files
    beside it (PDF, Word, 自评表). ``score_html`` None: the report has no score (no indicators, no
    reported total), and the cover shows none."""
    from markupsafe import Markup

    from jixiao.writing import provenance  # only when a page is stitched, not on a rebuild that changes nothing

    if outline is None:
        outline = tuple(Node(Heading(s.anchor, "", None, 1), Section(s.anchor, "", Path(), {}), ()) for s in sections)
    # Text (titles, the unit's name) is escaped; the sections' HTML, the stylesheet and the
    # score's figure span are HTML already.
    template = _page_template(TEMPLATE.read_text(encoding="utf-8"))
    # figures' full derivations move to one appendix; the cover counts the illustrative ones
    derivations: dict[str, str] = {}
    score_html = provenance.take_derivations(score_html, derivations) if score_html is not None else None
    bodies = {s.anchor: dataclasses.replace(s, body=provenance.take_derivations(s.body, derivations)) for s in sections}
    counts = provenance.count_states("".join(s.body for s in bodies.values()))
    entries = outline_entries(outline, bodies, numbering)
    number_captions(entries)
    return template.render(
        title=title, unit_name=unit_name, year=year, grade=grade,
        score_html=Markup(score_html) if score_html is not None else None,
        kind_name=kind.name, kicker=kind.kicker, score_label=kind.score_label,
        entries=entries, css=Markup(CSS.read_text(encoding="utf-8")), version=__version__, links=links,
        banner=provenance.banner_html(counts), sources=provenance.appendix_html(derivations),
        build_info=build_info,
    )  # fmt: skip
