"""The report's deliverables, all made from the one stitched page of section HTML.

A build stitches the sections into one HTML page (``jixiao.render.html``); this package turns that
page into each *edition* and each *format*:

- editions: ``filing``, the report a department files (no 审核提示 section, no tooltips, no
  screen-only hints, no review-only blocks) and ``review``, the reviewer's (everything);
- formats: ``html`` (the page itself), ``pdf`` (:mod:`jixiao.render.pdf`, Typst) and
  ``docx`` (:mod:`jixiao.render.docx`, python-docx, by walking the same HTML); ``xlsx`` is the
  自评表 workbook, one per build whatever the edition.

Nothing is computed twice: every renderer reads the page that the HTML edition is.

File names: the filing edition takes the plain names (``report.html``, ``report.pdf``,
``report.docx``: what a department files and publishes), the review edition the same names with
``-review`` (``report-review.html`` …), so that a reviewer's copy is never filed by mistake.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from jixiao import formatting
from jixiao.inputs.settings import EDITIONS, FORMATS, Settings  # noqa: F401 (FORMATS: for readers of this package)

PAGE_FORMATS = ("html", "pdf", "docx")  # made once per edition; xlsx once per build
WORKBOOK = "自评表.xlsx"
LABELS = {"pdf": "PDF 版", "docx": "Word 版", "xlsx": "自评表（Excel）"}

REVIEW_ONLY = "jx-review-only"
"""Class of a block that only the review edition shows (the filing edition drops it)."""
SCREEN_ONLY = "jx-screen-only"
"""Class of a hint that only makes sense on a screen (dropped from the filing edition, and from
every paged format)."""
ANNEX_ID = "annex-selfeval"
ANNEX_TITLE = "附件：项目支出绩效自评表"


def file_name(edition: str, fmt: str) -> str:
    """``report.pdf`` for the filing edition, ``report-review.pdf`` for the review edition."""
    if fmt == "xlsx":
        return WORKBOOK
    return f"report.{fmt}" if edition == "filing" else f"report-{edition}.{fmt}"


@dataclass(frozen=True)
class Output:
    """One file a build makes: ``report.pdf`` is the filing edition as PDF."""

    edition: str | None
    """None for the workbook, which is the same for every edition."""
    format: str

    @property
    def name(self) -> str:
        return file_name(self.edition or "filing", self.format)


def outputs(editions: Iterable[str], formats: Iterable[str]) -> list[Output]:
    """The files made for these editions and formats, HTML first."""
    editions, formats = tuple(editions), tuple(formats)
    made = [Output(e, f) for f in PAGE_FORMATS if f in formats for e in EDITIONS if e in editions]
    return made + ([Output(None, "xlsx")] if "xlsx" in formats else [])


def links(edition: str, formats: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """The files beside an edition's HTML that it links to: its PDF and DOCX, the workbook (as
    relative URLs: 自评表.xlsx percent-encoded)."""
    from urllib.parse import quote

    return tuple((quote(file_name(edition, f)), LABELS[f]) for f in ("pdf", "docx", "xlsx") if f in formats)


def versions(fmt: str) -> dict[str, str]:
    """What besides the page decides a format's bytes (renderer versions, font files)."""
    from importlib import metadata

    if fmt == "pdf":
        from jixiao.render import pdf

        return pdf.versions()
    if fmt == "docx":
        return {"python-docx": metadata.version("python-docx")}
    return {}


@dataclass(frozen=True)
class Metadata:
    """What the PDF and DOCX carry as document properties; ``date`` is fixed (reproducible)."""

    title: str
    author: str
    date: str
    """ISO 8601, UTC: ``2020-01-01T00:00:00Z``."""


def document_time(year: int, report_date: Any = None) -> datetime:
    """The time the PDF, the DOCX and the workbook carry: ``SOURCE_DATE_EPOCH`` when it is a
    number of seconds (reproducible builds' usual variable), else the profile's 报告日期
    ``report_date``, else 1 January after the report's year. Never the clock: two builds of the
    same inputs give the same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).replace(tzinfo=None)
    day = formatting.parse_date(report_date)
    return datetime(day.year, day.month, day.day) if day is not None else datetime(year + 1, 1, 1)


def metadata(settings: Settings) -> Metadata:
    """Title, author (the profile's 编制单位 ``preparer``, else the unit's name) and date
    (:func:`document_time`)."""
    from jixiao.sections import profile
    from jixiao.sections.report import Report

    report = Report(settings.unit, settings.year)
    rows = report.data.profile
    reported = rows.iloc[0].get("report_date") if len(rows) else None
    date = document_time(settings.year, reported).strftime("%Y-%m-%dT%H:%M:%SZ")
    title = f"{settings.unit_name}{settings.year}年绩效自评报告"
    return Metadata(title=title, author=profile.preparer(report), date=date)


def render(
    pages: dict[str, str], wanted: list[Output], meta: Metadata, write: Callable[[str, bytes], None],
    helper: PagedProcess | None = None,
) -> None:  # fmt: skip
    """Write the PDF and DOCX files among ``wanted`` from each edition's page (``pages``): with a
    ``helper`` process, the last edition's there while the others are made here (two cores)."""
    paged = [o for o in wanted if o.format in {"pdf", "docx"}]
    editions = list(dict.fromkeys(o.edition for o in paged))
    away = editions[-1] if helper is not None and len(editions) > 1 else None
    if away is not None:
        helper.submit(pages[away], [o.format for o in paged if o.edition == away], meta)
    for output in paged:
        if output.edition != away:
            write(output.name, paged_bytes(pages[output.edition], output.format, meta))
    if away is not None:
        made = helper.result()
        for output in paged:
            if output.edition == away:
                write(output.name, made[output.format])


def paged_bytes(page: str, fmt: str, meta: Metadata) -> bytes:
    """An edition's page as ``pdf`` or ``docx``."""
    from jixiao.render import docx, pdf

    return (pdf if fmt == "pdf" else docx).render(page, meta)


class PagedProcess:
    """A process of its own that makes one edition's PDF and DOCX, started (Typst's fonts and
    python-docx loaded) while the sections run, so that the two editions' paged files are made at
    once on two cores. It ignores Ctrl-C: the build that started it kills it."""

    def __init__(self) -> None:
        import multiprocessing

        context = multiprocessing.get_context("spawn")  # the build has threads: no fork
        self._connection, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child,), name="jixiao-paged", daemon=True)
        self._process.start()
        child.close()

    @classmethod
    def start(cls) -> PagedProcess | None:
        """A started helper; None inside a daemon process (a Dask worker), which may not have one."""
        import multiprocessing

        return None if multiprocessing.current_process().daemon else cls()

    def submit(self, page: str, formats: list[str], meta: Metadata) -> None:
        self._connection.send((page, formats, meta))

    def result(self) -> dict[str, bytes]:
        """The files asked for, by format; the helper's exception if it failed."""
        try:
            reply = self._connection.recv()
        except EOFError:
            raise RuntimeError("排版进程意外退出 (the process making the PDF and DOCX died)") from None
        if isinstance(reply, BaseException):
            raise reply
        return reply

    def kill(self) -> None:
        """Stop it now, whatever it is doing (a failed or interrupted build)."""
        if self._connection.closed:  # killed already
            return
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        self._process.close()
        self._connection.close()


def _serve(connection: Any) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from jixiao.render import docx, pdf  # noqa: F401

    pdf.preload()
    while True:
        try:
            request = connection.recv()
        except EOFError:
            return
        page, formats, meta = request
        try:
            connection.send({fmt: paged_bytes(page, fmt, meta) for fmt in formats})
        except Exception as exc:  # the build reports it
            connection.send(exc)


def restamp_zip(data: bytes, when: datetime, mode: int, rewrite: Callable[[str, bytes], bytes] | None = None) -> bytes:
    """The same archive (a .docx, a .xlsx) with every entry dated ``when`` (zip keeps local time
    to 2 s, from 1980) and given file ``mode``, entries in their order; ``rewrite`` may change an
    entry's bytes (a date its writer took from the clock). Entry times are what would otherwise
    differ between two saves of the same document."""
    stamp = max(when.replace(tzinfo=None), datetime(1980, 1, 1)).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = mode << 16
            content = source.read(info.filename)
            target.writestr(entry, rewrite(info.filename, content) if rewrite else content)
    return out.getvalue()


def classes(element: Any) -> set[str]:
    return set((element.get("class") or "").split())


def has_class(element: Any, name: str) -> bool:
    return name in classes(element)


def parse(page: str) -> Any:
    """The page as an lxml tree (the HTML is jixiao's own: a small, known set of tags)."""
    import lxml.html

    return lxml.html.document_fromstring(page)


def serialize(root: Any) -> str:
    import lxml.html

    return lxml.html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>") + "\n"


def drop(elements: Iterable[Any]) -> None:
    for element in list(elements):
        element.drop_tree()


def by_class(root: Any, name: str) -> list[Any]:
    return root.xpath(f"descendant-or-self::*[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]")


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


SPACE = re.compile(r"\s+")
"""A run of white space, written as one space in the paged formats."""


def text_of(element: Any) -> str:
    """An element's text as a reader sees it (white space collapsed)."""
    return SPACE.sub(" ", element.text_content()).strip()


def plain_text(element: Any) -> str:
    """An element's text without the 示 markers (for a bookmark or a heading)."""
    import copy

    element = copy.deepcopy(element)
    element.tail = None
    for mark in by_class(element, "jx-mark"):
        mark.drop_tree()
    return text_of(element)


# -- tables, as the paged formats lay them out -----------------------------------------------------

FORM_COLUMNS = (8, 8, 15, 6, 10, 10, 10, 8, 9, 16)  # % of the width: the 自评表's ten columns


def column_shares(placed: list[tuple[Any, int, int, int, int]], width: int, form: bool) -> list[float]:
    """Each column's share of a table's width, for the paged formats (PDF and Word): the
    自评表's own; for other tables in proportion to the longest text of a cell spanning one
    column (CJK characters count 1, others 0.6, the 示 marker 1, the margins 1.6; a header cell
    at most 5, as it may wrap), within 3 to 14."""
    if form and width == len(FORM_COLUMNS):
        return [float(share) for share in FORM_COLUMNS]
    longest = [3.0] * width
    for cell, _, column, _, colspan in placed:
        if colspan == 1:
            text = text_of(cell)
            size = sum(1 if ord(ch) > 0x2E80 else 0.6 for ch in text) + 1.6  # and the cell margins
            size += sum(has_class(e, "jx-illustrative") for e in cell.iter())
            if cell.tag == "th":
                size = min(size, 5.0)
            longest[column] = max(longest[column], min(size, 14.0))
    return longest


def table_rows(table: Any) -> list[tuple[Any, bool]]:
    """A table's rows in order, each with whether it is a header row (in ``thead``)."""
    rows: list[tuple[Any, bool]] = []
    for group in table:
        if group.tag in {"thead", "tbody", "tfoot"}:
            rows += [(tr, group.tag == "thead") for tr in group.findall("tr")]
        elif group.tag == "tr":
            rows.append((group, False))
    return rows


def heading_level(tag: str) -> int:
    """The outline level of a heading: h2 (a section) is 1, h3 2, h4 3; the report's own title
    (h1) is 1 too."""
    return min(3, max(1, int(tag[1]) - 1))


def grid(rows: list[tuple[Any, bool]]) -> tuple[list[tuple[Any, int, int, int, int]], int]:
    """The HTML table model: each cell's row, column and spans; and the number of columns."""
    taken: set[tuple[int, int]] = set()
    placed = []
    width = 0
    for row, (tr, _) in enumerate(rows):
        column = 0
        for cell in tr:
            if cell.tag not in {"td", "th"}:
                continue
            while (row, column) in taken:
                column += 1
            rowspan = min(span(cell, "rowspan"), len(rows) - row)
            colspan = span(cell, "colspan")
            for r in range(row, row + rowspan):
                for c in range(column, column + colspan):
                    taken.add((r, c))
            placed.append((cell, row, column, rowspan, colspan))
            column += colspan
            width = max(width, column)
        width = max(width, max((c + 1 for r, c in taken if r == row), default=0))
    return placed, width


def span(cell: Any, name: str) -> int:
    try:
        return max(1, int(cell.get(name, "1")))
    except ValueError:
        return 1
