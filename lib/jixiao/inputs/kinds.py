"""The kinds of report jixiao writes (settings key ``kind``): each with its name, the title it
gives the report, and the sections a unit of that kind gets when its settings list none.

- ``department``: 部门整体支出绩效自评报告, a department's self-evaluation of its whole budget
  (the founding example's kind);
- ``department_evaluation``: 部门整体支出绩效评价报告, the same budget evaluated, most of it the
  部门概况 and the department's work;
- ``project``: 项目支出绩效自评报告, one project: its goals, its 自评表 and its narrative;
- ``transfer``: 专项（转移支付）资金绩效自评报告, a special or transfer-payment fund, its money by
  level (中央, 省级, 市县).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReportKind:
    id: str
    name: str
    """What the report is called: 部门整体支出绩效自评报告."""
    sections: tuple[str, ...]
    """The sections, in order, of a unit of this kind whose settings list none."""

    def title(self, unit_name: str, year: int) -> str:
        """The report's title when the settings give none: 示例县教育局2020年度部门整体支出绩效自评报告."""
        return f"{unit_name}{year}年度{self.name}"


KINDS: dict[str, ReportKind] = {
    k.id: k
    for k in (
        ReportKind(
            "department",
            "部门整体支出绩效自评报告",
            (
                "profile",
                "budget",
                "goals",
                "conclusion",
                "evaluation",
                "projects",
                "unevaluated",
                "problems",
                "improvements",
                "application",
                "review",
            ),
        ),
        ReportKind(
            "department_evaluation",
            "部门整体支出绩效评价报告",
            ("profile", "budget", "goals", "conclusion", "problems", "improvements", "application", "review"),
        ),
        ReportKind(
            "project",
            "项目支出绩效自评报告",
            ("overview", "goals", "projects", "problems", "improvements", "application", "review"),
        ),
        ReportKind(
            "transfer",
            "专项（转移支付）资金绩效自评报告",
            ("overview", "budget", "goals", "projects", "problems", "improvements", "application", "review"),
        ),
    )
}
"""Every kind, by its settings id."""

DEFAULT_KIND = "department"
