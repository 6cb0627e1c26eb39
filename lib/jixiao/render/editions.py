"""The report's editions and the files a build makes of them.

- editions: ``filing``, the report a department files (no 审核提示 section, no 编写提示, no
  tooltips, no screen-only hints, no review-only blocks such as the 构建信息 footer: it ends with
  the report's own last lines) and ``review``, the reviewer's (everything);
- file names: the filing edition takes the plain names (``report.html``, ``report.pdf``,
  ``report.docx``: what a department files and publishes), the review edition the same names with
  ``-review`` (``report-review.html`` …), so that a reviewer's copy is never filed by mistake;
  the 自评表 workbook likewise: ``自评表.xlsx`` is the form a department files (in Chinese, no
  file paths), ``自评表-review.xlsx`` adds the source of every score in its 计分明细.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from jixiao.inputs.settings import EDITIONS
from jixiao.render.page import by_class, drop, parse, serialize

PAGE_FORMATS = ("html", "pdf", "docx")  # the page and its paged forms; xlsx is the 自评表 workbook
WORKBOOK = "自评表.xlsx"
LABELS = {"pdf": "PDF 版", "docx": "Word 版", "xlsx": "自评表（Excel）"}

REVIEW_ONLY = "jx-review-only"
"""Class of a block that only the review edition shows (the filing edition drops it)."""
SCREEN_ONLY = "jx-screen-only"
"""Class of a hint that only makes sense on a screen (dropped from the filing edition, and from
every paged format)."""
AUTHOR_NOTE = "author"
"""``data-note`` of a note to the report's author (编写提示, ``sections.notes.to_author``): the
review edition shows it, the filing edition leaves it out."""
ANNEX_ID = "annex-selfeval"
ANNEX_TITLE = "附件：项目支出绩效自评表"


def file_name(edition: str, fmt: str) -> str:
    """``report.pdf`` for the filing edition, ``report-review.pdf`` for the review edition
    (``自评表.xlsx``, ``自评表-review.xlsx``)."""
    if fmt == "xlsx":
        return WORKBOOK if edition == "filing" else WORKBOOK.replace(".xlsx", f"-{edition}.xlsx")
    return f"report.{fmt}" if edition == "filing" else f"report-{edition}.{fmt}"


@dataclass(frozen=True)
class Output:
    """One file a build makes: ``report.pdf`` is the filing edition as PDF."""

    edition: str
    format: str

    @property
    def name(self) -> str:
        return file_name(self.edition, self.format)


def outputs(editions: Iterable[str], formats: Iterable[str]) -> list[Output]:
    """The files made for these editions and formats, HTML first."""
    editions, formats = tuple(editions), tuple(formats)
    return [Output(e, f) for f in (*PAGE_FORMATS, "xlsx") if f in formats for e in EDITIONS if e in editions]


def links(edition: str, formats: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """The files beside an edition's HTML that it links to: its PDF and DOCX, the workbook (as
    relative URLs: 自评表.xlsx percent-encoded)."""
    from urllib.parse import quote

    return tuple((quote(file_name(edition, f)), LABELS[f]) for f in ("pdf", "docx", "xlsx") if f in formats)


def edition_page(page: str, edition: str, *, annex: bool = False) -> str:
    """The stitched page as ``edition`` shows it; the 自评表 moved to an annex when ``annex``.

    The review section itself is left out before stitching (it is a section of its own); here the
    blocks inside sections that belong to one edition or to the screen are removed."""
    if edition == "review" and not annex:
        return page
    root = parse(page)
    if edition == "filing":
        drop(by_class(root, REVIEW_ONLY))
        drop(by_class(root, SCREEN_ONLY))
        for element in root.find("body").iter():  # tooltips are the reviewer's
            element.attrib.pop("title", None)
        drop(by_class(root, "jx-sources"))  # so is the appendix of derivations, and links to it
        drop(root.xpath(f'//*[@data-note="{AUTHOR_NOTE}"]'))  # 编写提示 speak to the author, never to the reader
        for link in by_class(root, "jx-figref"):
            link.drop_tag()
    if annex:
        move_forms_to_annex(root)
    return serialize(root)


def move_forms_to_annex(root: Any) -> None:
    """Every 项目支出绩效自评表 moved, whole and open, into an annex after the last section,
    listed in the table of contents."""
    forms = by_class(root, "jx-selfeval")
    main = root.find(".//main")
    if not forms or main is None:
        return
    import lxml.html

    annex = lxml.html.fragment_fromstring(
        f'<section class="jx-section jx-annex" id="{ANNEX_ID}"><h2>{ANNEX_TITLE}</h2></section>'
    )
    first = forms[0]
    note = lxml.html.fragment_fromstring('<p class="jx-annex-note">各项目的项目支出绩效自评表见附件。</p>')
    first.addprevious(note)
    for form in forms:
        form.getparent().remove(form)
        form.tail = None
        form.set("open", "")
        annex.append(form)
    main.append(annex)
    toc = root.find(".//nav//ol")
    if toc is not None:
        item = lxml.html.fragment_fromstring(f'<li><a href="#{ANNEX_ID}">{ANNEX_TITLE}</a></li>')
        toc.append(item)
