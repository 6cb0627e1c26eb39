"""Notes to the report's author: what a block cannot say because its inputs do not say it.

A block whose table or free text is missing is never filled with invented text: it shows a note
box (``<div class="jx-note jx-author-note">``, styled like the review notes) naming the input to
fill in. ``free_text`` writes a block from the ``narrative`` rows of one of its reserved sections
(``evaluation``, ``application``, ``disclosure``) or, when there are none, such a note.
"""

from __future__ import annotations

from jixiao.sections import themes
from jixiao.sections.report import Report
from jixiao.writing.provenance import Html, escape

HEADING = "编写提示"
"""What the note box is called: it speaks to whoever fills in the inputs, not to the reader."""


def to_author(text: str) -> Html:
    """A note box telling the author what to fill in; ``text`` is plain text (escaped)."""
    body = f"<p><strong>{HEADING}</strong>：{escape(text)}</p>"
    return Html(f'<div class="jx-note jx-author-note" data-note="author">{body}</div>')


def free_text(report: Report, section: str, what: str) -> Html:
    """The ``narrative`` rows of ``section`` as paragraphs (一是…, 二是… for ``item`` rows), or a
    note that the inputs state nothing about ``what``."""
    rows = [r for r in themes.section_rows(report, section) if themes.cell_text(r.get("kind")) != "title"]
    if not rows:
        return to_author(
            f"文字材料表（narrative）未填报{report.year}年的{what}（section 为 {section} 的行），本部分暂无内容。"
        )
    return themes.paragraphs(report, rows)


__all__ = ["HEADING", "free_text", "to_author"]
