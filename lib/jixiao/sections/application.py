"""Block 结果应用和信息公开: how the results are used (``narrative`` section ``application``) and
where the report is made public (section ``disclosure``)."""

from __future__ import annotations

from jixiao.sections import notes
from jixiao.sections.report import Report
from jixiao.writing.provenance import Html


def application(report: Report) -> Html:
    """结果应用: the results in next year's budget, the follow-up of what fell short."""
    return notes.free_text(report, "application", "自评结果应用情况")


def disclosure(report: Report) -> Html:
    """信息公开: where and how the report and its results are published."""
    return notes.free_text(report, "disclosure", "信息公开情况")


__all__ = ["application", "disclosure"]
