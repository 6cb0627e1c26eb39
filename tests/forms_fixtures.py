"""The plain values of the reader's fixtures: one project form per layout, and a 部门整体 form.

``tests/fixtures/forms/`` holds the .xls copies of these, converted once with LibreOffice
(``python tests/forms_fixtures.py`` rewrites the .xlsx and converts them).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from jixiao.forms.samples import SampleForm, SampleFund, SampleIndicator, save

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "forms"


def project(name: str = "临时救助", *, layout: str = "central") -> SampleForm:
    """A project form: 236.5 of 240 万元 spent, five indicators (one 定性, one ≤, one missed)."""
    return SampleForm(
        project=name,
        department="乐昌市民政局",
        unit="乐昌市社会救助服务中心",
        year=2019,
        funds=[
            SampleFund("年度资金总额", 220, 240, 236.5),
            SampleFund("当年财政拨款", 200, 220, 216.5),
            SampleFund("上年结转资金", 20, 20, 20),
            SampleFund("其他资金", 0, 0, 0),
        ],
        goal_expected="及时救助遭遇突发性、临时性困难的群众",
        goal_actual="全年救助 289 人次，救助及时到位",
        indicators=[
            SampleIndicator("产出指标", "数量指标", "临时救助人次", "≥", 280, "人次", 289, 20, 20, core=True),
            SampleIndicator(
                "产出指标", "质量指标", "救助对象认定准确率", "≥", 95, "%", 93, 15, 14.68, "个别对象材料不全"
            ),
            SampleIndicator("产出指标", "时效指标", "救助办结时限", "≤", 10, "天", 7, 15, 15),
            SampleIndicator("效益指标", "社会效益指标", "困难群众基本生活", "定性", "得到保障", "", "达成", 30, 28),
            SampleIndicator("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥", 90, "%", 96, 10, 10),
        ],
        execution_weight=10,
        execution_score=9.85,
        grade="优",
    )


def transfer() -> SampleForm:
    form = project("困难群众救助补助资金", layout="transfer")
    form.funds = [
        SampleFund("年度资金总额", 500, 520, 468),
        SampleFund("中央补助", 400, 400, 360),
        SampleFund("省级资金", 60, 80, 72),
        SampleFund("市县资金", 40, 40, 36),
    ]
    form.execution_score = None
    form.total = 91.5
    return form


def department() -> SampleForm:
    """A 部门整体 form with 投入/过程/产出/效果 first levels."""
    return SampleForm(
        project="",
        department="乐昌市民政局",
        unit="",
        year=2019,
        kind="department",
        funds=[
            SampleFund("年度资金总额", 9990, 10408.34, 10408.34),
            SampleFund("基本支出", 1250, 1288.56, 1288.56),
            SampleFund("项目支出", 8740, 9119.78, 9119.78),
        ],
        goal_expected="保障困难群众基本生活",
        goal_actual="各项保障标准按时提标",
        indicators=[
            SampleIndicator("投入", "目标设定", "绩效目标合理性", "定性", "合理", "", "达成", 10, 10),
            SampleIndicator("投入", "预算配置", "三公经费变动率", "≤", 0, "%", -7.31, 10, 10),
            SampleIndicator("过程", "预算执行", "预算完成率", "≥", 100, "%", 100, 20, 20),
            SampleIndicator("产出", "重点工作", "重点工作办结率", "≥", 100, "%", 100, 30, 30),
            SampleIndicator("效果", "满意度", "服务对象满意度", "≥", 90, "%", 95, 30, 30),
        ],
        execution_weight=0,
        grade="优",
        total=100,
    )


def write_xls_fixtures(target: Path = FIXTURES) -> None:
    """Write the .xls fixtures: each layout's .xlsx, converted once with LibreOffice."""
    target.mkdir(parents=True, exist_ok=True)
    made = [
        save(target / "central.xlsx", [(project(), "central")]),
        save(target / "starred.xlsx", [(project(), "starred")], quirks=("text_numbers",)),
        save(target / "department.xlsx", [(department(), "department")]),
    ]
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "xls", "--outdir", str(target), *map(str, made)],
        check=True,
        capture_output=True,
    )
    for path in made:
        path.unlink()


if __name__ == "__main__":
    write_xls_fixtures(Path(sys.argv[1]) if len(sys.argv) > 1 else FIXTURES)
