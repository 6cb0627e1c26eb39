"""What the documents carry besides the page: their properties (title, author, date) and dates that
never come from the clock, so that two builds of the same inputs give the same bytes."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from jixiao import environment, formatting
from jixiao.inputs.settings import Settings

PROPERTY_LENGTH = 255
"""The longest text a document property holds: python-docx refuses a longer core property, and
Word, Excel and PDF readers show one line of it."""

_UNFIT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
"""Characters XML cannot hold (or, C1 controls, shows as nothing): never in a property."""


def property_text(text: str) -> str:
    """``text`` as a document property can hold it (the PDF's, the DOCX's, the workbook's title and
    author): characters XML cannot hold left out, line breaks and tabs as spaces, and at most
    :data:`PROPERTY_LENGTH` characters, a longer text shortened with "…". The text of the document
    itself keeps the whole: only its properties are shortened."""
    text = " ".join(_UNFIT.sub("", str(text)).split())
    return text if len(text) <= PROPERTY_LENGTH else text[: PROPERTY_LENGTH - 1] + "…"


@dataclass(frozen=True)
class Metadata:
    """What the PDF and DOCX carry as document properties; ``date`` is fixed (reproducible)."""

    title: str
    author: str
    date: str
    """ISO 8601, UTC: ``2020-01-01T00:00:00Z``."""


def document_time(year: int, report_date: Any = None) -> datetime:
    """The time the PDF, the DOCX and the workbook carry: ``SOURCE_DATE_EPOCH`` when it is set (a
    whole number of seconds, reproducible builds' variable: see :mod:`jixiao.environment`), else
    the profile's 报告日期 ``report_date``, else 1 January after the report's year. Never the clock: two builds of the
    same inputs give the same bytes."""
    epoch = environment.source_date_epoch()  # checked before the build started (jixiao.environment)
    if epoch is not None:
        return datetime.fromtimestamp(epoch, tz=UTC).replace(tzinfo=None)
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
    return Metadata(title=property_text(settings.title), author=property_text(profile.preparer(report)), date=date)


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
