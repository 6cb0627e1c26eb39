"""``report.pdf``: the edition's page typeset on A4 by Typst.

Typst (the ``typst`` wheel: the Typst compiler, in Rust, with nothing to install beside it) lays
out the page in about half a second, where an HTML/CSS paged-media engine took seconds per
edition. The page is walked as :mod:`jixiao.render.docx` walks it (the report's sections use a
small, known set of tags) and written as Typst source:

- A4 in the manner of GB/T 9704 公文 (top 37 mm, left 28 mm, text block 156 × 225 mm), 第 X 页 /
  共 Y 页 in the footer; body 3号 in the serif face, 一、 headings in 黑体, （一） in 楷体's place,
  1. in bold (黑体): the faces are the free ones mplfonts installs with jixiao (Noto Serif CJK SC,
  SimHei), and only they are used, so that the same page gives the same PDF on every machine;
- the cover and the 目录 on the first page, the 目录's page numbers found by Typst (each entry
  links to its heading's label); PDF bookmarks from the headings (each 自评表's title at level 3,
  not in the 目录);
- tables split only between rows, header rows repeated, captions kept with their table; each
  自评表 starts a page and stays on it; charts at the size they were drawn for (200 dpi PNGs);
- the 示 marker as text, nothing screen-only, no tooltips; fonts embedded as CID subsets.
"""

from __future__ import annotations

import base64
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from jixiao import scratch
from jixiao.render.editions import SCREEN_ONLY
from jixiao.render.page import (
    SPACE,
    by_class,
    column_shares,
    drop,
    grid,
    has_class,
    heading_level,
    parse,
    plain_text,
    right_aligned,
    table_rows,
    text_of,
)
from jixiao.render.page import classes as render_classes
from jixiao.render.properties import Metadata

SERIF = "Noto Serif CJK SC"
HEI = "SimHei"
FONT_FILES = ("NotoSerifCJKsc-Regular.otf", "SimHei.ttf")
"""The two faces used, from mplfonts' font folder (no system font is: the bytes stay the same)."""

BODY_PT = 16  # 3号
TABLE_PT = 10.5  # 五号
FORM_PT = 9  # 小五
TEXT_WIDTH_PT = 156 / 25.4 * 72
PX_PT = 0.75  # a CSS pixel
FIGURE_MAX_PT = 135 / 25.4 * 72
"""A chart is at most 135 mm tall (three fifths of the text's height): a tall one (a bar per
project) is drawn smaller rather than leave the page before it nearly empty."""

PREAMBLE = """\
#set document(title: {title}, author: {author}, date: {date})
#set page(paper: "a4", margin: (top: 37mm, bottom: 35mm, left: 28mm, right: 26mm),
  footer-descent: 7mm,
  footer: context align(center, text(size: 10.5pt)[
    第 #counter(page).display() 页 / 共 #counter(page).final().first() 页]))
#set text(font: ("{serif}", "{hei}"), size: 16pt, lang: "zh", region: "cn", cjk-latin-spacing: none,
  top-edge: 0.88em, bottom-edge: -0.12em)
#set par(justify: true, leading: 0.8em, spacing: 0.8em, first-line-indent: (amount: 2em, all: true))
#show strong: it => text(font: "{hei}", it.body)
#show heading: set block(above: 14pt, below: 7pt)
#show heading: set text(size: 16pt, weight: "regular")
#show heading.where(level: 1): set text(font: "{hei}")
#show heading.where(level: 2): set text(font: "{serif}")
#show heading.where(level: 3): set text(font: "{hei}")
#show heading.where(outlined: false): set text(size: 12pt)
#show heading.where(outlined: false): set block(below: 4pt)
#show table: set par(first-line-indent: 0pt, justify: false, leading: 3pt)
#show table: set text(top-edge: "cap-height", bottom-edge: "baseline")
#let mark(body) = text(fill: rgb("#8a5a00"), super(size: 0.6em, body))
#let caption(body) = block(sticky: true, above: 6pt, below: 3pt, width: 100%,
  align(center, text(font: "{hei}", size: 10.5pt, body)))
#let note(body) = block(width: 100%, stroke: (left: 2pt + luma(150)), inset: (left: 6pt, y: 3pt),
  above: 6pt, below: 6pt, text(size: 12pt, body))
"""


@lru_cache(maxsize=1)
def font_dir() -> Path:
    """mplfonts' font folder, found without importing mplfonts (which imports matplotlib)."""
    from importlib.util import find_spec

    spec = find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("mplfonts is not installed: the PDF needs its CJK fonts")
    return Path(spec.submodule_search_locations[0]) / "fonts"


@lru_cache(maxsize=1)
def _fonts() -> Any:
    """mplfonts' faces, found once per process (a second edition reuses them)."""
    import typst

    return typst.Fonts(include_system_fonts=False, include_embedded_fonts=False, font_paths=[str(font_dir())])


def versions() -> dict[str, str]:
    """What else decides the PDF's bytes: the typesetter's version and the font files."""
    from importlib import metadata

    fonts = {name: str((font_dir() / name).stat().st_size) for name in FONT_FILES}
    return {"typst": metadata.version("typst"), **fonts}


def preload() -> None:
    """Load the typesetter and its fonts (e.g. while the sections run)."""
    _fonts()


def string(text: str) -> str:
    """``text`` as a Typst string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


class Text(str):
    """Text of the page, to be written as a Typst string."""


class Writer:
    """Walks an edition's page and writes its Typst source; images go to ``folder``."""

    def __init__(self, metadata: Metadata, folder: Path) -> None:
        self.metadata = metadata
        self.folder = folder
        self.out: list[str] = []
        self.images = 0
        self.labels: dict[str, str] = {}  # an element id the 目录 links to -> its Typst label
        self.pending = ""  # a label for the next heading (a section's id is on the section)
        self.unplaced: dict[str, int] = {}  # a label no heading took yet -> where its element began
        self.last_heading = -1  # index in ``out`` of the last heading, while nothing followed it

    def emit(self, source: str, *, heading: bool = False) -> None:
        self.out.append(source)
        self.last_heading = len(self.out) - 1 if heading else -1

    # -- the page ---------------------------------------------------------------------------------

    def write(self, root: Any) -> str:
        drop(by_class(root, SCREEN_ONLY))
        drop(by_class(root, "anchor-link"))
        drop(by_class(root, "jx-links"))
        drop(by_class(root, "jx-sources"))  # the derivations are for the screen
        body = root.find("body")
        nav = body.find(".//nav")
        if nav is not None:
            for number, link in enumerate(nav.iter("a")):
                self.labels[link.get("href", "").lstrip("#")] = f"jx-toc-{number}"
        date = datetime.fromisoformat(self.metadata.date.replace("Z", "+00:00"))
        self.out.append(PREAMBLE.format(
            title=string(self.metadata.title), author=string(self.metadata.author), serif=SERIF, hei=HEI,
            date=f"datetime(year: {date.year}, month: {date.month}, day: {date.day}, hour: {date.hour}, "
                 f"minute: {date.minute}, second: {date.second})",
        ))  # fmt: skip
        cover = body.find(".//header")
        if cover is not None:
            self.cover(cover)
        if nav is not None:
            self.contents(nav)
        main = body.find(".//main")
        if main is not None:
            self.blocks(main)
        footer = body.find(".//footer")
        if footer is not None:
            self.emit("#set text(size: 10.5pt)\n#set par(first-line-indent: 0pt)\n#v(12pt)\n")
            self.blocks(footer)
        for label, at in sorted(self.unplaced.items(), key=lambda item: -item[1]):  # a target without heading
            self.out.insert(at, f"#metadata(none) <{label}>\n")
        return "".join(self.out)

    def cover(self, header: Any) -> None:
        parts = ["#block(width: 100%, inset: (top: 8mm, bottom: 6mm), below: 12pt)[#set par(first-line-indent: 0pt)\n"]
        for kicker in (p for p in header.iter("p") if has_class(p, "jx-cover-kicker")):
            parts.append(f"#align(center, text(size: 12pt, tracking: 0.3em)[{self.inline(kicker)}])\n")
        title = header.find(".//h1")
        text = text_of(title) if title is not None else self.metadata.title
        parts.append(f'#align(center, block(below: 18pt, text(size: 22pt, font: "{HEI}", {string(text)})))\n')
        facts = []
        for fact in header.iter("div"):
            term, value = fact.find("dt"), fact.find("dd")
            if term is not None and value is not None:
                big = has_class(fact, "jx-cover-score") or has_class(fact, "jx-cover-grade")
                size = 26 if big else 16
                label = f"#text(size: 12pt, {string(text_of(term))})"
                fact_text = f"[{label}\\ #text(size: {size}pt)[{self.inline(value)}]]"
                # the report's kind: a row of its own above the score, as on the page
                facts.append(f"grid.cell(colspan: 2){fact_text}" if has_class(fact, "jx-cover-kind") else fact_text)
        if facts:
            parts.append(f"#grid(columns: (1fr, 1fr), row-gutter: 10pt, column-gutter: 12pt, {', '.join(facts)})\n")
        for banner in (p for p in header.iter("p") if has_class(p, "jx-banner")):
            parts.append(f"#block(width: 100%, stroke: 0.5pt + luma(150), inset: (x: 8pt, y: 4pt), above: 8pt)"
                         f"[#set text(size: 10.5pt)\n#set par(leading: 6pt)\n{self.inline(banner)}]\n")  # fmt: skip
        parts.append("]\n")
        self.emit("".join(parts))

    def contents(self, nav: Any) -> None:
        """The 目录 as the HTML's: its entries, each with the page Typst finds for its heading."""
        title = nav.find(".//h2")
        text = string(text_of(title) if title is not None else "目录")
        self.emit(f"#heading(level: 1)[#align(center, {text})]\n", heading=True)
        rows = []

        def walk(ol: Any, depth: int) -> None:
            for item in ol.findall("li"):
                link = item.find("a")
                if link is None:
                    continue
                label = self.labels.get(link.get("href", "").lstrip("#"))
                indent = f"#h({2 * depth}em)" if depth else ""
                entry = f"{indent}#{string(text_of(link))}"
                if label:
                    page = f"#context counter(page).at(<{label}>).first()"
                    entry = f"#link(<{label}>)[{entry} #box(width: 1fr, repeat[.]) #h(0.3em){page}]"
                rows.append(entry + "\\\n")
                for nested in item.findall("ol"):
                    walk(nested, depth + 1)

        for ol in nav.findall("ol"):
            walk(ol, 0)
        self.emit("#block[#set par(first-line-indent: 0pt, justify: false)\n#set text(size: 14pt)\n"
                  + "".join(rows) + "]\n#pagebreak()\n")  # fmt: skip

    def blocks(self, element: Any, *, note: bool = False) -> None:
        """Block-level content: each child of ``element`` as paragraphs, tables or pictures."""
        self.loose_text(element.text)
        for child in element:
            tag = child.tag if isinstance(child.tag, str) else ""
            identifier = child.get("id") if tag else None
            if identifier in self.labels:
                self.pending = self.labels[identifier]
                self.unplaced[self.pending] = len(self.out)
            if tag in {"h1", "h2", "h3", "h4"}:
                self.heading(heading_level(tag), plain_text(child))
            elif tag == "p":
                hint = has_class(child, "jx-hint")
                right = right_aligned(child, element)
                self.paragraph(self.inline(child), indent=not (note or hint or right), size=10.5 if hint else None,
                               right=right)  # fmt: skip
            elif tag in {"ul", "ol"}:
                for number, item in enumerate(child.findall("li"), start=1):
                    bullet = f"{number}. " if tag == "ol" else "• "
                    self.paragraph(f"#{string(bullet)}{self.inline(item)}", indent=not note)
            elif tag == "table":
                self.table(child)
            elif tag == "figure":
                self.figure(child)
            elif tag == "img":
                self.emit(f"#align(center, {self.image(child)})\n")
            elif tag == "details":
                summary = child.find("summary")
                if has_class(child, "jx-selfeval"):
                    self.form(child, summary)
                    self.loose_text(child.tail)
                    continue
                if summary is not None:
                    self.paragraph(self.inline(summary), indent=False)
                self.blocks(child, note=note)
            elif tag in {"summary", "style", "script", "nav", "colgroup", "header", "footer"}:
                pass
            elif tag == "div" and (has_class(child, "jx-note") or has_class(child, "jx-warning")):
                start = len(self.out)
                self.blocks(child, note=True)
                inner = "".join(self.out[start:])
                del self.out[start:]
                self.emit(f"#note[{inner}]\n")
            elif tag:
                self.blocks(child, note=note)
            self.loose_text(child.tail)

    def loose_text(self, text: str | None) -> None:
        text = SPACE.sub(" ", text or "").strip()
        if text:
            self.paragraph(f"#{string(text)}")

    def paragraph(self, content: str, *, indent: bool = True, size: float | None = None, right: bool = False) -> None:
        """A paragraph (a real one: first line indented two characters, unless ``indent`` is False)."""
        options = "" if indent else "first-line-indent: 0pt"
        text = f"#par({options})[{content}]"
        if size:
            text = f"#text(size: {size}pt)[{text}]"
        if right:
            text = f"#align(right)[{text}]"
        self.emit(text + "\n")

    def heading(self, level: int, text: str, *, outlined: bool = True) -> None:
        label = f" <{self.pending}>" if self.pending else ""
        self.unplaced.pop(self.pending, None)
        self.pending = ""
        flags = "" if outlined else ", outlined: false, bookmarked: true"
        self.emit(f"#heading(level: {level}{flags}, {string(text)}){label}\n", heading=True)

    def inline(self, element: Any) -> str:
        """The text of ``element`` as Typst content: bold (黑体), superscripts, the 示 marker,
        line breaks; white space collapsed as a browser does."""
        parts: list[str | Text] = []  # Typst source, and text not yet written as a string

        def add(text: str | None) -> None:
            text = SPACE.sub(" ", text or "")
            if not parts:
                text = text.lstrip()
            if text:
                parts.append(Text(text))

        def walk(node: Any) -> None:
            add(node.text)
            for child in node:
                tag = child.tag if isinstance(child.tag, str) else ""
                if tag == "br" or (tag in {"p", "div"} and parts):
                    parts.append("\\\n")
                marker = has_class(child, "jx-illustrative") and not has_class(child, "jx-fig")
                if has_class(child, "jx-mark") or marker:  # never at the start of a line
                    parts.append(f"#sym.wj#mark({string(text_of(child))})")
                elif tag in {"strong", "b"}:
                    parts.append(f"#strong[{self.inline(child)}]")
                elif tag == "sup" or has_class(child, "jx-flag"):
                    parts.append(f"#super[{self.inline(child)}]")
                elif tag == "code":
                    parts.append(f"#text(size: 0.8em, {string(text_of(child))})")
                elif tag:
                    walk(child)
                add(child.tail)

        walk(element)
        while parts and parts[-1] == "\\\n":
            parts.pop()
        if parts and isinstance(parts[-1], Text):
            parts[-1] = Text(parts[-1].rstrip())
        return "".join(f"#{string(p)}" if isinstance(p, Text) else p for p in parts)

    def image(self, image: Any) -> str:
        source = image.get("src", "")
        if not source.startswith("data:") or ";base64," not in source:
            return ""
        kind = source[5:].split(";", 1)[0].split("/")[-1]
        self.images += 1
        name = f"image-{self.images}.{'jpg' if kind == 'jpeg' else kind}"
        (self.folder / name).write_bytes(base64.b64decode(source.split(";base64,", 1)[1]))
        width, height = image.get("width", ""), image.get("height", "")
        size = f"width: {min(float(width) * PX_PT, TEXT_WIDTH_PT):.1f}pt" if width.isdigit() else "width: 100%"
        if width.isdigit() and height.isdigit() and int(width) > 0:
            drawn = min(float(width) * PX_PT, TEXT_WIDTH_PT) * int(height) / int(width)
            size = f"height: {FIGURE_MAX_PT:.1f}pt" if drawn > FIGURE_MAX_PT else size
        alt = image.get("alt")
        return f'image("{name}", {size}' + (f", alt: {string(alt)})" if alt else ")")

    def figure(self, figure: Any) -> None:
        images = [self.image(i) for i in figure.iter("img")]
        caption = figure.find("figcaption")
        text = f"#caption({string(text_of(caption))})" if caption is not None else ""
        body = "".join(f"#align(center, {i})\n" for i in images if i)
        self.emit(f"#block(breakable: false, above: 6pt, below: 10pt)[{body}{text}]\n")

    def form(self, details: Any, summary: Any) -> None:
        """A 自评表: its title (a bookmark, not in the 目录) and its table, starting a page (with
        the heading right before it, if any) and kept on it."""
        if self.last_heading >= 0:
            self.out.insert(self.last_heading, "#pagebreak(weak: true)\n")
        else:
            self.emit("#pagebreak(weak: true)\n")
        start = len(self.out)
        if summary is not None:
            self.heading(3, plain_text(summary), outlined=False)
        for table in details.iter("table"):
            self.table(table)
        inner = "".join(self.out[start:])
        del self.out[start:]
        self.emit(f"#block(breakable: false)[{inner}]\n")

    def table(self, element: Any) -> None:
        """A table with the HTML's merged cells; header rows (thead) repeat on each page."""
        caption = element.find("caption")
        form = has_class(element, "jx-selfeval-form")
        rows = table_rows(element)
        if not rows:
            return
        placed, width = grid(rows)
        shares = column_shares(placed, width, form)
        columns = ", ".join(f"{share:.2f}fr" for share in shares)
        cells: dict[int, list[str]] = {}
        for cell, row, _, rowspan, colspan in placed:
            cells.setdefault(row, []).append(self.cell(cell, rowspan, colspan))
        header = [cells.get(n, []) for n, (_, head) in enumerate(rows) if head]
        body = [cells.get(n, []) for n, (_, head) in enumerate(rows) if not head]
        size = FORM_PT if form else TABLE_PT
        parts = [f"#block(width: 100%, above: 6pt, below: 10pt)[#set text(size: {size}pt)\n"]
        if caption is not None:
            parts.append(f"#caption({string(text_of(caption))})\n")
        inset = "(x: 2pt, y: 2.5pt)" if form else "(x: 3pt, y: 3pt)"
        parts.append(f"#table(columns: ({columns},), stroke: 0.5pt, inset: {inset}, align: horizon,\n")
        if header:
            parts.append("table.header(" + ", ".join(c for row in header for c in row) + "),\n")
        parts.append(",\n".join(", ".join(row) for row in body if row))
        parts.append(")]\n")
        self.emit("".join(parts))

    def cell(self, cell: Any, rowspan: int, colspan: int) -> str:
        header = cell.tag == "th"
        classes = render_classes(cell)
        align = ""
        if header or classes & {"jx-center", "jx-level", "jx-na"}:
            align = "center + horizon"
        elif "num" in classes:
            align = "right + horizon"
        options = []
        if colspan > 1:
            options.append(f"colspan: {colspan}")
        if rowspan > 1:
            options.append(f"rowspan: {rowspan}")
        if align:
            options.append(f"align: {align}")
        if header:
            options.append("fill: luma(240)")
        content = self.inline(cell)
        if header:
            content = f'#text(font: "{HEI}")[{content}]'
        return f"table.cell({', '.join(options)})[{content}]"


def source(page: str, metadata: Metadata, folder: Path) -> str:
    """The Typst source of an edition's page (its images written into ``folder``)."""
    return Writer(metadata, folder).write(parse(page))


def render(page: str, metadata: Metadata) -> bytes:
    """The PDF of an edition's page. The same page and metadata give the same bytes."""
    import typst

    date = datetime.fromisoformat(metadata.date.replace("Z", "+00:00"))
    with scratch.temporary("pdf") as folder:
        text = source(page, metadata, folder)
        compiler = typst.Compiler(root=folder, font_paths=_fonts(), ignore_system_fonts=True)
        return compiler.compile(input=text.encode("utf-8"), format="pdf", timestamp=date)
