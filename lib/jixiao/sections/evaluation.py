"""Block 评价工作开展情况: how the self-evaluation was organised and done, and how the
satisfaction of those served was measured, from the ``narrative`` rows of section
``evaluation`` (figures such as the number of questionnaires are ``{key}`` placeholders)."""

from __future__ import annotations

from jixiao.sections import notes
from jixiao.sections.report import Report
from jixiao.writing.provenance import Html

SECTION = "evaluation"


def work(report: Report) -> Html:
    """The paragraphs on the evaluation's organisation, method and satisfaction survey."""
    return notes.free_text(report, SECTION, "评价工作开展情况（组织、方法、满意度调查）")


__all__ = ["SECTION", "work"]
