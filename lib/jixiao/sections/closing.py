"""The report's closing lines (编制单位, 报告日期, 联系人), whichever sections the report has: every
section notebook but the 审核提示's ends with :func:`closing_lines`, which writes them only in the
section that ends the filed report.

Deciding costs no more than the settings: this module loads no other section's code, so a section
that does not end the report does not re-run when the 部门概况's code changes (the build's cache
re-executes a section when a module it loaded changes). The section that ends the report loads
:mod:`jixiao.sections.profile` to write them.
"""

from __future__ import annotations

from jixiao.sections.report import Report
from jixiao.writing.provenance import Html


def ends_report(report: Report, kind: str, key: str = "") -> bool:
    """Whether the section of ``kind`` (a theme: of ``key``) is the last section of the filed
    report: the settings' last section other than the 审核提示 (which the filed report leaves
    out). From the settings alone, so each section, run and cached on its own, knows it."""
    filed = [s for s in report.settings.sections if s.kind != "review"]
    return bool(filed) and (filed[-1].kind, filed[-1].key) == (kind, key)


def closing_lines(report: Report, kind: str, key: str = "") -> Html:
    """The closing lines (``jixiao.sections.profile.signature``) when the section of ``kind`` (a
    theme: of ``key``) ends the filed report and the profile has its row; else nothing."""
    if not ends_report(report, kind, key) or not len(report.data.profile):
        return Html("")
    from jixiao.sections import profile

    return profile.signature(report)


__all__ = ["closing_lines", "ends_report"]
