"""The kinds of report jixiao writes (settings key ``kind``): each with its name, the title it
gives the report, the sections a unit of that kind gets when its settings list none, and the
words that differ between kinds. Sections, the cover and the renderers take these words from
here (``Report.kind``, ``Settings.kind``), never from a test on the kind's id.

- ``department``: 部门整体支出绩效自评报告, a department's self-evaluation of its whole budget
  (the founding example's kind);
- ``department_evaluation``: 部门整体支出绩效评价报告, the same budget evaluated, most of it the
  部门概况 and the department's work: 评价 where the others say 自评;
- ``project``: 项目支出绩效自评报告, one project: its goals, its 自评表 and its narrative;
- ``transfer``: 专项（转移支付）资金绩效自评报告, a special or transfer-payment fund, its money by
  level (中央, 省级, 市县: ``project_funds.level``).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ReportKind:
    id: str
    name: str
    """What the report is called: 部门整体支出绩效自评报告."""
    sections: tuple[str, ...]
    """The sections, in order, of a unit of this kind whose settings list none."""
    subject: str = "部门整体支出"
    """What is evaluated: 部门整体支出, 项目支出, 专项（转移支付）资金."""
    act: str = "自评"
    """自评 (the unit evaluates itself) or 评价."""
    of_projects: bool = False
    """The report is about its evaluated projects (one project, one fund), not the whole
    department: its opening names them and its totals are theirs."""
    titles: dict[str, str] = field(default_factory=dict)
    """Section headings that differ from the default ones (:data:`jixiao.inputs.settings.DEFAULT_TITLES`)."""

    def title(self, unit_name: str, year: int) -> str:
        """The report's title when the settings give none: 示例县教育局2020年度部门整体支出绩效自评报告."""
        return f"{unit_name}{year}年度{self.name}"

    @property
    def score_label(self) -> str:
        """What the report's score is called: 部门整体支出绩效自评得分, 项目支出绩效自评得分."""
        return f"{self.subject}绩效{self.act}得分"

    @property
    def form_title(self) -> str:
        """The heading of the department's own indicator table: 部门整体支出绩效自评 (评价)."""
        return f"部门整体支出绩效{self.act}"

    @property
    def kicker(self) -> str:
        """The line above the cover's title: 预算绩效管理 · 绩效自评报告."""
        return f"预算绩效管理 · 绩效{self.act}报告"

    @property
    def by(self) -> str:
        """How the conclusion opens: 经自评, 经评价."""
        return f"经{self.act}"


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
            act="评价",
            titles={"conclusion": "评价结论", "projects": "项目支出绩效评价"},
        ),
        ReportKind(
            "project",
            "项目支出绩效自评报告",
            ("overview", "goals", "projects", "problems", "improvements", "application", "review"),
            subject="项目支出",
            of_projects=True,
            titles={"overview": "项目基本情况", "goals": "项目绩效目标完成情况", "projects": "项目支出绩效自评情况"},
        ),
        ReportKind(
            "transfer",
            "专项（转移支付）资金绩效自评报告",
            ("overview", "goals", "projects", "problems", "improvements", "application", "review"),
            subject="专项资金",
            of_projects=True,
            titles={"overview": "专项资金基本情况", "goals": "绩效目标完成情况", "projects": "专项资金绩效自评情况"},
        ),
    )
}
"""Every kind, by its settings id."""

DEFAULT_KIND = "department"
