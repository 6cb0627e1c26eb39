"""Section 存在问题和改进措施: what fell short and what the unit will change.

A unit lists ``problems`` alone for one section holding both (存在问题, then 改进措施), or
``problems`` and ``improvements`` for two sections of their own (存在的问题和原因; 下一步改进措施).
Both lists come from the ``narrative`` rows whose ``section`` is ``problems`` or
``improvements``, written like the themed sections: ``item`` rows numbered 一是, 二是, … (the
numbering of the whole report), ``paragraph`` rows plain, ``{key}`` placeholders filled with the
``stats`` figures and their provenance. Rows supplied rather than published (``source`` =
illustrative) are marked as such. When the inputs state nothing, the section says so instead of
staying empty: a report that lists no problem must not look as if one was forgotten.
"""

from __future__ import annotations

from jixiao.sections import themes
from jixiao.sections.report import Report
from jixiao.writing.provenance import Html, escape

KINDS = {"problems": "存在问题", "improvements": "改进措施"}
"""The narrative sections of this part and what each is called in the report."""


def section(report: Report) -> Html:
    """The ``problems`` section: the problems, and the improvements too unless the unit's
    settings give them a section of their own (kind ``improvements``)."""
    if report.settings.section_of("improvements") is not None:
        return items(report, "problems")
    parts = [f"<h3>{escape(KINDS[kind])}</h3>\n{items(report, kind)}" for kind in KINDS]
    return Html("\n".join(parts))


def items(report: Report, kind: str) -> Html:
    """The numbered paragraphs of ``kind`` (``problems`` or ``improvements``), or a note that the
    inputs state none."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}: use {' or '.join(map(repr, KINDS))}")
    rows = themes.section_rows(report, kind)
    rows = [r for r in rows if themes.cell_text(r.get("kind")) != "title"]
    if not rows:
        note = f"文字材料表（narrative）未填报{report.year}年的{KINDS[kind]}（section 为 {kind} 的行），本节暂无内容。"
        return Html(f'<p class="jx-note">{escape(note)}</p>')
    return themes.paragraphs(report, rows)


__all__ = ["KINDS", "items", "section"]
