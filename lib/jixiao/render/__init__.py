"""The report's deliverables, all made from the one stitched page of section HTML.

A build stitches the sections into one HTML page (:mod:`jixiao.render.html`); the modules here
turn that page into each *edition* and each *format*:

- :mod:`~jixiao.render.editions`: the editions (``filing``, ``review``), the files a build makes
  of them and their names, the 自评表 moved to an annex;
- :mod:`~jixiao.render.page`: the page as a tree, as every renderer reads it (elements by class,
  their text, tables as a grid of cells and their column widths);
- :mod:`~jixiao.render.properties`: the documents' properties and their reproducible dates;
- :mod:`~jixiao.render.paged`: the PDF (:mod:`~jixiao.render.pdf`, Typst) and the DOCX
  (:mod:`~jixiao.render.docx`, python-docx, by walking the same HTML), and the process of its own
  that makes one edition's while the build makes the other's;
- :mod:`~jixiao.render.xlsx`: the 自评表 workbook, one per build whatever the edition.

Nothing is computed twice: every renderer reads the page that the HTML edition is.

The names below are re-exported lazily, each from its module on first use: importing this package
loads neither Typst nor python-docx (the build process imports them only to make those formats).
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "editions": (
        "PAGE_FORMATS", "WORKBOOK", "LABELS", "REVIEW_ONLY", "SCREEN_ONLY", "ANNEX_ID", "ANNEX_TITLE", "file_name",
        "Output", "outputs", "links", "edition_page", "move_forms_to_annex",
    ),
    "page": (
        "classes", "has_class", "parse", "serialize", "drop", "by_class", "SPACE", "text_of", "plain_text",
        "FORM_COLUMNS", "column_shares", "table_rows", "heading_level", "grid", "span",
    ),
    "properties": ("Metadata", "document_time", "metadata", "restamp_zip"),
    "paged": ("versions", "render", "paged_bytes", "PagedProcess"),
}  # fmt: skip
_MODULE_OF = {name: module for module, names in _EXPORTS.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


__all__ = sorted(_MODULE_OF)
