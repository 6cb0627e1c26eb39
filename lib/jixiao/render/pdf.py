"""``report.pdf``: the edition's page laid out on A4 by WeasyPrint.

WeasyPrint renders HTML and CSS paged media with the system's Pango and HarfBuzz (pip installs
it): ``@page`` margins and footers, ``counter(pages)``, ``target-counter()`` for the 目录's page
numbers, bookmarks from headings, fonts embedded as subsets (CFF or TrueType, never Type 3).
Chromium's print embeds CJK text as Type 3 fonts, which text extraction cannot read.

The page is the same one the HTML edition is (:func:`jixiao.render.edition_page`); the PDF adds
``paged.css`` and the font files: the 公文 faces (仿宋, 黑体, 楷体, 宋体) are named first, and the
free faces that mplfonts installs with jixiao (Noto Serif CJK SC, SimHei) stand in where they are
missing. Tooltips are invisible on paper, so they are left out of what WeasyPrint parses.
"""

from __future__ import annotations

import hashlib
import logging
from functools import lru_cache
from pathlib import Path

from jixiao.render import SCREEN_ONLY, Metadata, by_class, classes, drop, has_class, parse, plain_text, serialize

PAGED_CSS = Path(__file__).with_name("paged.css")

# nbconvert's boxes around each cell's output: no meaning on paper
NBCONVERT_WRAPPERS = {"cell", "inner_cell", "text_cell_render", "output_wrapper", "output", "output_area",
                      "output_subarea"}  # fmt: skip

# family name in paged.css -> file in mplfonts' font folder
FONT_FILES = {
    "JX Serif": "NotoSerifCJKsc-Regular.otf",
    "JX Hei": "SimHei.ttf",
}


def font_dir() -> Path:
    """mplfonts' font folder, found without importing mplfonts (which imports matplotlib)."""
    from importlib.util import find_spec

    spec = find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("mplfonts is not installed: the PDF needs its CJK fonts")
    return Path(spec.submodule_search_locations[0]) / "fonts"


def font_faces() -> str:
    """``@font-face`` rules naming jixiao's font files by ``file:`` URL."""
    rules = []
    for family, name in FONT_FILES.items():
        rules.append(f'@font-face {{ font-family: "{family}"; src: url("{(font_dir() / name).as_uri()}"); }}')
    return "\n".join(rules) + "\n"


def versions() -> dict[str, str]:
    """What else decides the PDF's bytes: the renderer's version and the font files."""
    from importlib import metadata

    fonts = {name: str((font_dir() / name).stat().st_size) for name in FONT_FILES.values()}
    return {"weasyprint": metadata.version("weasyprint"), **fonts}


def paper_page(page: str, metadata: Metadata) -> str:
    """The page as WeasyPrint gets it: no tooltips or screen-only hints, document metadata in
    its head (WeasyPrint reads ``author`` and ``dcterms.created`` from there), and paged.css
    after report.css (a stylesheet given to WeasyPrint apart would be a user stylesheet, which
    the page's own author stylesheet overrides)."""
    import lxml.html

    root = parse(page)
    for wrapper in [d for d in root.iter("div") if not classes(d).isdisjoint(NBCONVERT_WRAPPERS)]:
        wrapper.drop_tag()  # the section's blocks become siblings: `h3 + .jx-selfeval` holds
    drop(by_class(root, SCREEN_ONLY))
    drop(by_class(root, "anchor-link"))
    for form in by_class(root, "jx-selfeval"):  # a heading and the form after it: one block
        before = form.getprevious()
        if before is not None and (before.tag in {"h2", "h3", "h4"} or has_class(before, "jx-annex-note")):
            keep = lxml.html.fragment_fromstring('<div class="jx-keep"></div>')
            before.addprevious(keep)
            keep.append(before)
            keep.append(form)
    for image in root.iter("img"):  # the size a chart was drawn for (CSS px: 442 px = 11.7 cm)
        width = image.get("width", "")
        if width.isdigit():
            image.set("style", f"width: {width}px")
    for summary in root.iter("summary"):  # a form's bookmark: its title without the 示 markers
        summary.set("data-bookmark", plain_text(summary))
    for figure in by_class(root, "jx-fig") + by_class(root, "jx-figref"):  # plain text on paper: fewer boxes
        figure.drop_tag()
    for form in by_class(root, "jx-selfeval"):
        form.set("open", "")
    head = root.find("head")
    for name, content in (
        ("author", metadata.author),
        ("dcterms.created", metadata.date),
        ("dcterms.modified", metadata.date),
    ):
        head.append(lxml.html.fragment_fromstring(f'<meta name="{name}" content="">'))
        head[-1].set("content", content)
    style = lxml.html.fragment_fromstring("<style></style>")
    style.text = font_faces() + PAGED_CSS.read_text(encoding="utf-8")  # after report.css: it wins
    head.append(style)
    title = head.find("title")
    if title is not None:
        title.text = metadata.title
    return serialize(root)


@lru_cache(maxsize=1)
def _weasyprint():  # type: ignore[no-untyped-def]
    import weasyprint

    # WeasyPrint warns of every CSS property it does not know (the screen stylesheet's grid,
    # text-size-adjust …): noise in a build's output, not a problem with the PDF.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    return weasyprint


def preload() -> None:
    """Import WeasyPrint (about 0.5 s), e.g. in the background while sections run."""
    _weasyprint()


def render(page: str, metadata: Metadata) -> bytes:
    """The PDF of an edition's page. The same page and metadata give the same bytes."""
    weasyprint = _weasyprint()
    from weasyprint.text.fonts import FontConfiguration

    html = paper_page(page, metadata)
    document = weasyprint.HTML(string=html, base_url=str(PAGED_CSS.parent)).render(font_config=FontConfiguration())
    identifier = hashlib.sha256(html.encode()).hexdigest()[:32].encode()
    return document.write_pdf(pdf_identifier=identifier)
