"""The forms reader (jixiao.forms.reading) on fixtures of every layout and quirk: every value read,
and every cell it was read from."""

from __future__ import annotations

from pathlib import Path

import pytest

from forms_fixtures import FIXTURES, department, project, transfer
from jixiao.forms.model import BLANK, Form, Value
from jixiao.forms.reading import read, read_workbook
from jixiao.forms.samples import save


def v(value: Value) -> str:
    """A value and its cell, as ``220.0@D6``; ``空@G7`` for a blank cell, ``-`` for no cell."""
    shown = "空" if value.value is None or value.value == "" else repr(value.value).strip("'")
    return f"{shown}@{value.at.cell}" if value.at else ("-" if value.blank else shown)


def header(form: Form) -> list[str]:
    return [
        f"{form.sheet} {form.kind} {form.layout} {form.top} {form.title} {form.year} {form.amount_unit}",
        f"项目名称 {v(form.project)} 主管部门 {v(form.department)} 实施单位 {v(form.unit)}",
        f"预期目标 {v(form.goal_expected)}",
        f"实际完成情况 {v(form.goal_actual)}",
        f"总分 {v(form.total)} 评价等级 {v(form.grade)}",
    ]


def funds(form: Form) -> list[str]:
    return [
        " ".join([f.name] + [v(x) for x in (f.initial, f.full_year, f.executed, f.weight, f.rate, f.score)])
        for f in form.funds
    ]


def indicators(form: Form) -> list[str]:
    return [
        " ".join(
            [str(i.row), v(i.level1), v(i.level2), v(i.name), i.direction or "-", v(i.target), i.unit or "-"]
            + [v(i.actual), v(i.weight), v(i.score), v(i.deviation_reason)]
            + (["★"] if i.core else [])
        )
        for i in form.indicators
    ]


def table(form: Form) -> list[str]:
    return header(form) + funds(form) + indicators(form) + list(form.notes)


def written(tmp_path: Path, name: str, forms, **options) -> Path:
    return save(tmp_path / name, forms, **options)


CENTRAL = [
    "临时救助 project central A1 项目支出绩效自评表 2019 万元",
    "项目名称 临时救助@C3 主管部门 乐昌市民政局@C4 实施单位 乐昌市社会救助服务中心@H4",
    "预期目标 及时救助遭遇突发性、临时性困难的群众@B11",
    "实际完成情况 全年救助 289 人次，救助及时到位@G11",
    "总分 97.53@I18 评价等级 优@D19",
    "年度资金总额 220.0@D6 240.0@E6 236.5@F6 10.0@G6 0.9854@H6 9.85@I6",
    "当年财政拨款 200.0@D7 220.0@E7 216.5@F7 空@G7 0.9841@H7 空@I7",
    "上年结转资金 20.0@D8 20.0@E8 20.0@F8 空@G8 1.0@H8 空@I8",
    "其他资金 0.0@D9 0.0@E9 0.0@F9 空@G9 空@H9 空@I9",
    "13 产出指标@A13 数量指标@B13 临时救助人次@C13 ≥ 280.0@E13 人次 289.0@G13 20.0@H13 20.0@I13 空@J13",
    "14 产出指标@A13 质量指标@B14 救助对象认定准确率@C14 ≥ 95.0@E14 % 93.0@G14 15.0@H14 14.68@I14 个别对象材料不全@J14",
    "15 产出指标@A13 时效指标@B15 救助办结时限@C15 ≤ 10.0@E15 天 7.0@G15 15.0@H15 15.0@I15 空@J15",
    "16 效益指标@A16 社会效益指标@B16 困难群众基本生活@C16 定性 得到保障@E16 - 达成@G16 30.0@H16 28.0@I16 空@J16",
    "17 满意度指标@A17 服务对象满意度指标@B17 服务对象满意度@C17 ≥ 90.0@E17 % 96.0@G17 10.0@H17 10.0@I17 空@J17",
]

COMBINED = [
    "临时救助 project central A1 项目支出绩效自评表 2019 万元",
    "项目名称 临时救助@C3 主管部门 乐昌市民政局@C4 实施单位 乐昌市社会救助服务中心@H4",
    "预期目标 及时救助遭遇突发性、临时性困难的群众@B11",
    "实际完成情况 全年救助 289 人次，救助及时到位@G11",
    "总分 97.53@G18 评价等级 优@D19",
    "年度资金总额 220.0@D6 240.0@E6 236.5@F6 10.0@G6 0.9854@H6 9.85@I6",
    "当年财政拨款 200.0@D7 220.0@E7 216.5@F7 空@G7 0.9841@H7 空@I7",
    "上年结转资金 20.0@D8 20.0@E8 20.0@F8 空@G8 1.0@H8 空@I8",
    "其他资金 0.0@D9 0.0@E9 0.0@F9 空@G9 空@H9 空@I9",
    "13 产出指标@A13 数量指标@B13 临时救助人次@C13 ≥ 280.0@D13 人次 289.0@E13 20.0@F13 20.0@G13 空@H13",
    "14 产出指标@A13 质量指标@B14 救助对象认定准确率@C14 ≥ 95.0@D14 % 93.0@E14 15.0@F14 14.68@G14 个别对象材料不全@H14",
    "15 产出指标@A13 时效指标@B15 救助办结时限@C15 ≤ 10.0@D15 天 7.0@E15 15.0@F15 15.0@G15 空@H15",
    "16 效益指标@A16 社会效益指标@B16 困难群众基本生活@C16 定性 得到保障@D16 - 达成@E16 30.0@F16 28.0@G16 空@H16",
    "17 满意度指标@A17 服务对象满意度指标@B17 服务对象满意度@C17 ≥ 90.0@D17 % 96.0@E17 10.0@F17 10.0@G17 空@H17",
    "C13 指标「临时救助人次」的指标性质由指标值「≥280人次」读出：≥",
    "C13 指标「临时救助人次」的度量单位由指标值「≥280人次」读出：人次",
    "C14 指标「救助对象认定准确率」的指标性质由指标值「≥95%」读出：≥",
    "C14 指标「救助对象认定准确率」的度量单位由指标值「≥95%」读出：%",
    "C15 指标「救助办结时限」的指标性质由指标值「≤10天」读出：≤",
    "C15 指标「救助办结时限」的度量单位由指标值「≤10天」读出：天",
    "C16 指标「困难群众基本生活」的指标值「得到保障」为文字：按定性指标读",
    "C17 指标「服务对象满意度」的指标性质由指标值「≥90%」读出：≥",
    "C17 指标「服务对象满意度」的度量单位由指标值「≥90%」读出：%",
]

WEIGHTED = [
    "临时救助 project weighted A1 项目支出绩效自评表 2019 万元",
    "项目名称 临时救助@C3 主管部门 乐昌市民政局@C4 实施单位 乐昌市社会救助服务中心@H4",
    "预期目标 及时救助遭遇突发性、临时性困难的群众@B11",
    "实际完成情况 全年救助 289 人次，救助及时到位@G11",
    "总分 97.53@I18 评价等级 优@D19",
    "年度资金总额 220.0@D6 240.0@E6 236.5@F6 10.0@G6 0.9854@H6 9.85@I6",
    "当年财政拨款 200.0@D7 220.0@E7 216.5@F7 空@G7 0.9841@H7 空@I7",
    "上年结转资金 20.0@D8 20.0@E8 20.0@F8 空@G8 1.0@H8 空@I8",
    "其他资金 0.0@D9 0.0@E9 0.0@F9 空@G9 空@H9 空@I9",
    "13 产出指标@A13 数量指标@B13 临时救助人次@C13 ≥ 280.0@E13 人次 289.0@G13 20.0@H13 20.0@I13 空@J13",
    "14 产出指标@A13 质量指标@B14 救助对象认定准确率@C14 ≥ 95.0@E14 % 93.0@G14 15.0@H14 14.68@I14 个别对象材料不全@J14",
    "15 产出指标@A13 时效指标@B15 救助办结时限@C15 ≤ 10.0@E15 天 7.0@G15 15.0@H15 15.0@I15 空@J15",
    "16 效益指标@A16 社会效益指标@B16 困难群众基本生活@C16 定性 得到保障@E16 - 达成@G16 30.0@H16 28.0@I16 空@J16",
    "17 满意度指标@A17 服务对象满意度指标@B17 服务对象满意度@C17 ≥ 90.0@E17 % 96.0@G17 10.0@H17 10.0@I17 空@J17",
    "H13 指标「临时救助人次」的权重占比「20%」读作分值 20（满分 100）",
    "H14 指标「救助对象认定准确率」的权重占比「15%」读作分值 15（满分 100）",
    "H15 指标「救助办结时限」的权重占比「15%」读作分值 15（满分 100）",
    "H16 指标「困难群众基本生活」的权重占比「30%」读作分值 30（满分 100）",
    "H17 指标「服务对象满意度」的权重占比「10%」读作分值 10（满分 100）",
]

STARRED = [
    "临时救助 project starred A1 项目支出绩效自评表 2019 万元",
    "项目名称 临时救助@C3 主管部门 乐昌市民政局@C4 实施单位 乐昌市社会救助服务中心@H4",
    "预期目标 及时救助遭遇突发性、临时性困难的群众@B11",
    "实际完成情况 全年救助 289 人次，救助及时到位@G11",
    "总分 97.53@G18 评价等级 优@D19",
    "年度资金总额 220.0@D6 240.0@E6 236.5@F6 10.0@G6 0.9854@H6 9.85@I6",
    "当年财政拨款 200.0@D7 220.0@E7 216.5@F7 空@G7 0.9841@H7 空@I7",
    "上年结转资金 20.0@D8 20.0@E8 20.0@F8 空@G8 1.0@H8 空@I8",
    "其他资金 0.0@D9 0.0@E9 0.0@F9 空@G9 空@H9 空@I9",
    "13 产出指标@A13 数量指标@B13 临时救助人次@C13 ≥ 280.0@D13 人次 289.0@E13 20.0@F13 20.0@G13 空@H13 ★",
    "14 产出指标@A13 质量指标@B14 救助对象认定准确率@C14 ≥ 95.0@D14 % 93.0@E14 15.0@F14 14.68@G14 个别对象材料不全@H14",
    "15 产出指标@A13 时效指标@B15 救助办结时限@C15 ≤ 10.0@D15 天 7.0@E15 15.0@F15 15.0@G15 空@H15",
    "16 效益指标@A16 社会效益指标@B16 困难群众基本生活@C16 定性 得到保障@D16 - 达成@E16 30.0@F16 28.0@G16 空@H16",
    "17 满意度指标@A17 服务对象满意度指标@B17 服务对象满意度@C17 ≥ 90.0@D17 % 96.0@E17 10.0@F17 10.0@G17 空@H17",
    "C13 指标「临时救助人次」的指标性质由指标值「>=280人次」读出：≥",
    "C13 指标「临时救助人次」的度量单位由指标值「>=280人次」读出：人次",
    "C14 指标「救助对象认定准确率」的指标性质由指标值「>=95%」读出：≥",
    "C14 指标「救助对象认定准确率」的度量单位由指标值「>=95%」读出：%",
    "C15 指标「救助办结时限」的指标性质由指标值「<=10天」读出：≤",
    "C15 指标「救助办结时限」的度量单位由指标值「<=10天」读出：天",
    "C16 指标「困难群众基本生活」的指标值「得到保障」为文字：按定性指标读",
    "C17 指标「服务对象满意度」的指标性质由指标值「>=90%」读出：≥",
    "C17 指标「服务对象满意度」的度量单位由指标值「>=90%」读出：%",
]

TRANSFER = [
    "困难群众救助补助资金 project transfer A1 中央对地方转移支付项目绩效自评表 2019 万元",
    "项目名称 困难群众救助补助资金@C3 主管部门 乐昌市民政局@C4 实施单位 乐昌市社会救助服务中心@H4",
    "预期目标 及时救助遭遇突发性、临时性困难的群众@B11",
    "实际完成情况 全年救助 289 人次，救助及时到位@G11",
    "总分 91.5@D18 评价等级 优@D19",
    "年度资金总额 500.0@D6 520.0@E6 468.0@F6 - 0.9@G6 -",
    "中央补助 400.0@D7 400.0@E7 360.0@F7 - 0.9@G7 -",
    "省级资金 60.0@D8 80.0@E8 72.0@F8 - 0.9@G8 -",
    "市县资金 40.0@D9 40.0@E9 36.0@F9 - 0.9@G9 -",
    "13 产出指标@A13 数量指标@B13 临时救助人次@C13 ≥ 280.0@D13 人次 289.0@E13 - - 空@F13",
    "14 产出指标@A13 质量指标@B14 救助对象认定准确率@C14 ≥ 95.0@D14 % 93.0@E14 - - 个别对象材料不全@F14",
    "15 产出指标@A13 时效指标@B15 救助办结时限@C15 ≤ 10.0@D15 天 7.0@E15 - - 空@F15",
    "16 效益指标@A16 社会效益指标@B16 困难群众基本生活@C16 定性 得到保障@D16 - 达成@E16 - - 空@F16",
    "17 满意度指标@A17 服务对象满意度指标@B17 服务对象满意度@C17 ≥ 90.0@D17 % 96.0@E17 - - 空@F17",
    "C13 指标「临时救助人次」的指标性质由指标值「≥280人次」读出：≥",
    "C13 指标「临时救助人次」的度量单位由指标值「≥280人次」读出：人次",
    "C14 指标「救助对象认定准确率」的指标性质由指标值「≥95%」读出：≥",
    "C14 指标「救助对象认定准确率」的度量单位由指标值「≥95%」读出：%",
    "C15 指标「救助办结时限」的指标性质由指标值「≤10天」读出：≤",
    "C15 指标「救助办结时限」的度量单位由指标值「≤10天」读出：天",
    "C16 指标「困难群众基本生活」的指标值「得到保障」为文字：按定性指标读",
    "C17 指标「服务对象满意度」的指标性质由指标值「≥90%」读出：≥",
    "C17 指标「服务对象满意度」的度量单位由指标值「≥90%」读出：%",
    "A12 指标表没有分值列：各指标分值留空，按规则的默认权重计分",
]

DEPARTMENT = [
    "乐昌市民政局 department department A1 部门整体支出绩效自评表 2019 万元",
    "项目名称 - 主管部门 乐昌市民政局@C3 实施单位 -",
    "预期目标 保障困难群众基本生活@B9",
    "实际完成情况 各项保障标准按时提标@G9",
    "总分 100.0@I16 评价等级 优@D17",
    "年度资金总额 9990.0@D5 10408.34@E5 10408.34@F5 空@G5 1.0@H5 空@I5",
    "基本支出 1250.0@D6 1288.56@E6 1288.56@F6 空@G6 1.0@H6 空@I6",
    "项目支出 8740.0@D7 9119.78@E7 9119.78@F7 空@G7 1.0@H7 空@I7",
    "11 投入@A11 目标设定@B11 绩效目标合理性@C11 定性 合理@E11 - 达成@G11 10.0@H11 10.0@I11 空@J11",
    "12 投入@A11 预算配置@B12 三公经费变动率@C12 ≤ 0.0@E12 % -7.31@G12 10.0@H12 10.0@I12 空@J12",
    "13 过程@A13 预算执行@B13 预算完成率@C13 ≥ 100.0@E13 % 100.0@G13 20.0@H13 20.0@I13 空@J13",
    "14 产出@A14 重点工作@B14 重点工作办结率@C14 ≥ 100.0@E14 % 100.0@G14 30.0@H14 30.0@I14 空@J14",
    "15 效果@A15 满意度@B15 服务对象满意度@C15 ≥ 90.0@E15 % 95.0@G15 30.0@H15 30.0@I15 空@J15",
]

QUIRKY = [
    "临时救助 project central B2 项目支出绩效自评表 2019 万元",
    "项目名称 临时救助@D4 主管部门 乐昌市民政局@D5 实施单位 乐昌市社会救助服务中心@I5",
    "预期目标 及时救助遭遇突发性、临时性困难的群众@C13",
    "实际完成情况 全年救助 289 人次，救助及时到位@H13",
    "总分 97.53@J21 评价等级 优@E22",
    "年度资金总额 220.0@E7 240.0@F7 236.5@G7 10.0@H7 0.99@I7 9.85@J7",
    "当年财政拨款 200.0@E8 220.0@F8 216.5@G8 空@H8 0.9841@I8 空@J8",
    "上年结转资金 20.0@E9 20.0@F9 20.0@G9 空@H9 1.0@I9 空@J9",
    "其他资金 0.0@E10 0.0@F10 0.0@G10 空@H10 空@I10 空@J10",
    "15 产出指标@B15 数量指标@C15 临时救助人次@D15 ≥ 280.0@F15 人次 289.0@H15 20.0@I15 20.0@J15 空@K15",
    "16 产出指标@B15 质量指标@C16 救助对象认定准确率@D16 ≥ 95.0@F16 % 93.0@H16 15.0@I16 14.68@J16 个别对象材料不全@K16",
    "18 产出指标@B15 时效指标@C18 救助办结时限@D18 ≤ 10.0@F18 天 7.0@H18 15.0@I18 15.0@J18 空@K18",
    "19 效益指标@B19 社会效益指标@C19 困难群众基本生活@D19 定性 得到保障@F19 - 达成@H19 30.0@I19 28.0@J19 空@K19",
    "20 满意度指标@B20 服务对象满意度指标@C20 服务对象满意度@D20 ≥ 90.0@F20 % 96.0@H20 10.0@I20 10.0@J20 空@K20",
    "I8 当年财政拨款的执行率「98.41」按百分数读作 0.9841",
    "D16 第 16 行是隐藏行：照常读取",
]

YUAN = [
    "临时救助 project central A1 项目支出绩效自评表 2019 元",
    "项目名称 临时救助@C4 主管部门 乐昌市民政局@C5 实施单位 乐昌市社会救助服务中心@H5",
    "预期目标 及时救助遭遇突发性、临时性困难的群众@B12",
    "实际完成情况 全年救助 289 人次，救助及时到位@G12",
    "总分 97.53@I19 评价等级 优@D20",
    "年度资金总额 220.0@D7 240.0@E7 236.5@F7 10.0@G7 0.99@H7 9.85@I7",
    "当年财政拨款 200.0@D8 220.0@E8 216.5@F8 空@G8 0.9841@H8 空@I8",
    "上年结转资金 20.0@D9 20.0@E9 20.0@F9 空@G9 1.0@H9 空@I9",
    "其他资金 0.0@D10 0.0@E10 0.0@F10 空@G10 空@H10 空@I10",
    "14 产出指标@A14 数量指标@B14 临时救助人次@C14 ≥ 280.0@E14 人次 289.0@G14 20.0@H14 20.0@I14 空@J14",
    "15 产出指标@A14 质量指标@B15 救助对象认定准确率@C15 ≥ 95.0@E15 % 93.0@G15 15.0@H15 14.68@I15 个别对象材料不全@J15",
    "16 产出指标@A14 时效指标@B16 救助办结时限@C16 ≤ 10.0@E16 天 7.0@G16 15.0@H16 15.0@I16 空@J16",
    "17 效益指标@A17 社会效益指标@B17 困难群众基本生活@C17 定性 得到保障@E17 - 达成@G17 30.0@H17 28.0@I17 空@J17",
    "18 满意度指标@A18 服务对象满意度指标@B18 服务对象满意度@C18 ≥ 90.0@E18 % 96.0@G18 10.0@H18 10.0@I18 空@J18",
    "H3 金额单位为元：各金额已除以 10000 换算为万元",
    "H8 当年财政拨款的执行率「98.41」按百分数读作 0.9841",
]

REORDERED = [
    "临时救助 project central A1 项目支出绩效自评表 2019 万元",
    "项目名称 临时救助@C3 主管部门 乐昌市民政局@C4 实施单位 乐昌市社会救助服务中心@H4",
    "预期目标 及时救助遭遇突发性、临时性困难的群众@B11",
    "实际完成情况 全年救助 289 人次，救助及时到位@G11",
    "总分 97.53@E18 评价等级 优@D19",
    "年度资金总额 220.0@D6 240.0@E6 236.5@F6 10.0@G6 0.9854@H6 9.85@I6",
    "当年财政拨款 200.0@D7 220.0@E7 216.5@F7 空@G7 0.9841@H7 空@I7",
    "上年结转资金 20.0@D8 20.0@E8 20.0@F8 空@G8 1.0@H8 空@I8",
    "其他资金 0.0@D9 0.0@E9 0.0@F9 空@G9 空@H9 空@I9",
    "13 产出指标@A13 数量指标@B13 临时救助人次@C13 ≥ 280.0@I13 人次 289.0@G13 20.0@F13 20.0@E13 空@D13",
    "14 产出指标@A13 质量指标@B14 救助对象认定准确率@C14 ≥ 95.0@I14 % 93.0@G14 15.0@F14 14.68@E14 个别对象材料不全@D14",
    "15 产出指标@A13 时效指标@B15 救助办结时限@C15 ≤ 10.0@I15 天 7.0@G15 15.0@F15 15.0@E15 空@D15",
    "16 效益指标@A16 社会效益指标@B16 困难群众基本生活@C16 定性 得到保障@I16 - 达成@G16 30.0@F16 28.0@E16 空@D16",
    "17 满意度指标@A17 服务对象满意度指标@B17 服务对象满意度@C17 ≥ 90.0@I17 % 96.0@G17 10.0@F17 10.0@E17 空@D17",
]

TWO_ROW_HEADER = [
    "乐昌市民政局 department department A1 部门整体支出绩效自评表 2019 万元",
    "项目名称 - 主管部门 乐昌市民政局@C3 实施单位 -",
    "预期目标 保障困难群众基本生活@B9",
    "实际完成情况 各项保障标准按时提标@G9",
    "总分 100.0@I17 评价等级 优@D18",
    "年度资金总额 9990.0@D5 10408.34@E5 10408.34@F5 空@G5 1.0@H5 空@I5",
    "基本支出 1250.0@D6 1288.56@E6 1288.56@F6 空@G6 1.0@H6 空@I6",
    "项目支出 8740.0@D7 9119.78@E7 9119.78@F7 空@G7 1.0@H7 空@I7",
    "12 投入@A12 目标设定@B12 绩效目标合理性@C12 定性 合理@E12 - 达成@G12 10.0@H12 10.0@I12 空@J12",
    "13 投入@A12 预算配置@B13 三公经费变动率@C13 ≤ 0.0@E13 % -7.31@G13 10.0@H13 10.0@I13 空@J13",
    "14 过程@A14 预算执行@B14 预算完成率@C14 ≥ 100.0@E14 % 100.0@G14 20.0@H14 20.0@I14 空@J14",
    "15 产出@A15 重点工作@B15 重点工作办结率@C15 ≥ 100.0@E15 % 100.0@G15 30.0@H15 30.0@I15 空@J15",
    "16 效果@A16 满意度@B16 服务对象满意度@C16 ≥ 90.0@E16 % 95.0@G16 30.0@H16 30.0@I16 空@J16",
]

STARRED_XLS = [
    "临时救助 project starred A1 项目支出绩效自评表 2019 万元",
    "项目名称 临时救助@C3 主管部门 乐昌市民政局@C4 实施单位 乐昌市社会救助服务中心@H4",
    "预期目标 及时救助遭遇突发性、临时性困难的群众@B11",
    "实际完成情况 全年救助 289 人次，救助及时到位@G11",
    "总分 97.53@G18 评价等级 优@D19",
    "年度资金总额 220.0@D6 240.0@E6 236.5@F6 10.0@G6 0.99@H6 9.85@I6",
    "当年财政拨款 200.0@D7 220.0@E7 216.5@F7 空@G7 0.9841@H7 空@I7",
    "上年结转资金 20.0@D8 20.0@E8 20.0@F8 空@G8 1.0@H8 空@I8",
    "其他资金 0.0@D9 0.0@E9 0.0@F9 空@G9 空@H9 空@I9",
    "13 产出指标@A13 数量指标@B13 临时救助人次@C13 ≥ 280.0@D13 人次 289.0@E13 20.0@F13 20.0@G13 空@H13 ★",
    "14 产出指标@A13 质量指标@B14 救助对象认定准确率@C14 ≥ 95.0@D14 % 93.0@E14 15.0@F14 14.68@G14 个别对象材料不全@H14",
    "15 产出指标@A13 时效指标@B15 救助办结时限@C15 ≤ 10.0@D15 天 7.0@E15 15.0@F15 15.0@G15 空@H15",
    "16 效益指标@A16 社会效益指标@B16 困难群众基本生活@C16 定性 得到保障@D16 - 达成@E16 30.0@F16 28.0@G16 空@H16",
    "17 满意度指标@A17 服务对象满意度指标@B17 服务对象满意度@C17 ≥ 90.0@D17 % 96.0@E17 10.0@F17 10.0@G17 空@H17",
    "H7 当年财政拨款的执行率「98.41」按百分数读作 0.9841",
    "C13 指标「临时救助人次」的指标性质由指标值「>=280人次」读出：≥",
    "C13 指标「临时救助人次」的度量单位由指标值「>=280人次」读出：人次",
    "C14 指标「救助对象认定准确率」的指标性质由指标值「>=95%」读出：≥",
    "C14 指标「救助对象认定准确率」的度量单位由指标值「>=95%」读出：%",
    "C15 指标「救助办结时限」的指标性质由指标值「<=10天」读出：≤",
    "C15 指标「救助办结时限」的度量单位由指标值「<=10天」读出：天",
    "C16 指标「困难群众基本生活」的指标值「得到保障」为文字：按定性指标读",
    "C17 指标「服务对象满意度」的指标性质由指标值「>=90%」读出：≥",
    "C17 指标「服务对象满意度」的度量单位由指标值「>=90%」读出：%",
]

STACKED = [
    "自评表 project central A1 项目支出绩效自评表 2019 万元",
    "项目名称 临时救助@C3 主管部门 乐昌市民政局@C4 实施单位 乐昌市社会救助服务中心@H4",
    "预期目标 及时救助遭遇突发性、临时性困难的群众@B11",
    "实际完成情况 全年救助 289 人次，救助及时到位@G11",
    "总分 97.53@I18 评价等级 优@D19",
    "年度资金总额 220.0@D6 240.0@E6 236.5@F6 10.0@G6 0.9854@H6 9.85@I6",
    "当年财政拨款 200.0@D7 220.0@E7 216.5@F7 空@G7 0.9841@H7 空@I7",
    "上年结转资金 20.0@D8 20.0@E8 20.0@F8 空@G8 1.0@H8 空@I8",
    "其他资金 0.0@D9 0.0@E9 0.0@F9 空@G9 空@H9 空@I9",
    "13 产出指标@A13 数量指标@B13 临时救助人次@C13 ≥ 280.0@E13 人次 289.0@G13 20.0@H13 20.0@I13 空@J13",
    "14 产出指标@A13 质量指标@B14 救助对象认定准确率@C14 ≥ 95.0@E14 % 93.0@G14 15.0@H14 14.68@I14 个别对象材料不全@J14",
    "15 产出指标@A13 时效指标@B15 救助办结时限@C15 ≤ 10.0@E15 天 7.0@G15 15.0@H15 15.0@I15 空@J15",
    "16 效益指标@A16 社会效益指标@B16 困难群众基本生活@C16 定性 得到保障@E16 - 达成@G16 30.0@H16 28.0@I16 空@J16",
    "17 满意度指标@A17 服务对象满意度指标@B17 服务对象满意度@C17 ≥ 90.0@E17 % 96.0@G17 10.0@H17 10.0@I17 空@J17",
    "自评表 project central A22 项目支出绩效自评表 2019 万元",
    "项目名称 社会福利@C24 主管部门 乐昌市民政局@C25 实施单位 乐昌市社会救助服务中心@H25",
    "预期目标 及时救助遭遇突发性、临时性困难的群众@B32",
    "实际完成情况 全年救助 289 人次，救助及时到位@G32",
    "总分 97.53@G39 评价等级 优@D40",
    "年度资金总额 220.0@D27 240.0@E27 236.5@F27 10.0@G27 0.9854@H27 9.85@I27",
    "当年财政拨款 200.0@D28 220.0@E28 216.5@F28 空@G28 0.9841@H28 空@I28",
    "上年结转资金 20.0@D29 20.0@E29 20.0@F29 空@G29 1.0@H29 空@I29",
    "其他资金 0.0@D30 0.0@E30 0.0@F30 空@G30 空@H30 空@I30",
    "34 产出指标@A34 数量指标@B34 临时救助人次@C34 ≥ 280.0@D34 人次 289.0@E34 20.0@F34 20.0@G34 空@H34",
    "35 产出指标@A34 质量指标@B35 救助对象认定准确率@C35 ≥ 95.0@D35 % 93.0@E35 15.0@F35 14.68@G35 个别对象材料不全@H35",
    "36 产出指标@A34 时效指标@B36 救助办结时限@C36 ≤ 10.0@D36 天 7.0@E36 15.0@F36 15.0@G36 空@H36",
    "37 效益指标@A37 社会效益指标@B37 困难群众基本生活@C37 定性 得到保障@D37 - 达成@E37 30.0@F37 28.0@G37 空@H37",
    "38 满意度指标@A38 服务对象满意度指标@B38 服务对象满意度@C38 ≥ 90.0@D38 % 96.0@E38 10.0@F38 10.0@G38 空@H38",
    "C34 指标「临时救助人次」的指标性质由指标值「≥280人次」读出：≥",
    "C34 指标「临时救助人次」的度量单位由指标值「≥280人次」读出：人次",
    "C35 指标「救助对象认定准确率」的指标性质由指标值「≥95%」读出：≥",
    "C35 指标「救助对象认定准确率」的度量单位由指标值「≥95%」读出：%",
    "C36 指标「救助办结时限」的指标性质由指标值「≤10天」读出：≤",
    "C36 指标「救助办结时限」的度量单位由指标值「≤10天」读出：天",
    "C37 指标「困难群众基本生活」的指标值「得到保障」为文字：按定性指标读",
    "C38 指标「服务对象满意度」的指标性质由指标值「≥90%」读出：≥",
    "C38 指标「服务对象满意度」的度量单位由指标值「≥90%」读出：%",
    "自评表 department department A43 部门整体支出绩效自评表 2019 万元",
    "项目名称 - 主管部门 乐昌市民政局@C45 实施单位 -",
    "预期目标 保障困难群众基本生活@B51",
    "实际完成情况 各项保障标准按时提标@G51",
    "总分 100.0@I58 评价等级 优@D59",
    "年度资金总额 9990.0@D47 10408.34@E47 10408.34@F47 空@G47 1.0@H47 空@I47",
    "基本支出 1250.0@D48 1288.56@E48 1288.56@F48 空@G48 1.0@H48 空@I48",
    "项目支出 8740.0@D49 9119.78@E49 9119.78@F49 空@G49 1.0@H49 空@I49",
    "53 投入@A53 目标设定@B53 绩效目标合理性@C53 定性 合理@E53 - 达成@G53 10.0@H53 10.0@I53 空@J53",
    "54 投入@A53 预算配置@B54 三公经费变动率@C54 ≤ 0.0@E54 % -7.31@G54 10.0@H54 10.0@I54 空@J54",
    "55 过程@A55 预算执行@B55 预算完成率@C55 ≥ 100.0@E55 % 100.0@G55 20.0@H55 20.0@I55 空@J55",
    "56 产出@A56 重点工作@B56 重点工作办结率@C56 ≥ 100.0@E56 % 100.0@G56 30.0@H56 30.0@I56 空@J56",
    "57 效果@A57 满意度@B57 服务对象满意度@C57 ≥ 90.0@E57 % 95.0@G57 30.0@H57 30.0@I57 空@J57",
]


LAYOUTS = [
    ("central", [(project(), "central")], {}, CENTRAL),
    ("combined", [(project(), "combined")], {}, COMBINED),
    ("weighted", [(project(), "weighted")], {}, WEIGHTED),
    ("starred", [(project(), "starred")], {}, STARRED),
    ("transfer", [(transfer(), "transfer")], {}, TRANSFER),
    ("department", [(department(), "department")], {}, DEPARTMENT),
    (
        "quirky",
        [(project(), "central")],
        {"quirks": ("spaced_labels", "no_unit_suffix", "text_numbers", "hidden", "spacers"), "leading": True},
        QUIRKY,
    ),
    ("yuan", [(project(), "central")], {"quirks": ("yuan", "text_numbers")}, YUAN),
    ("reordered", [(project(), "central")], {"quirks": ("reordered", "spaced_labels")}, REORDERED),
    ("two_row_header", [(department(), "department")], {"quirks": ("two_row_header",)}, TWO_ROW_HEADER),
]


@pytest.mark.parametrize(("name", "forms", "options", "expected"), LAYOUTS, ids=[x[0] for x in LAYOUTS])
def test_every_layout_reads_exactly(tmp_path, name, forms, options, expected):
    reading = read_workbook(written(tmp_path, f"{name}.xlsx", forms, **options))
    assert reading.problems == []
    assert [table(form) for form in reading.forms] == [expected]
    assert (reading.forms[0].file, reading.forms[0].problems) == (str(tmp_path / f"{name}.xlsx"), ())


@pytest.mark.parametrize(
    ("name", "expected"), [("central", CENTRAL), ("starred", STARRED_XLS), ("department", DEPARTMENT)]
)
def test_xls_fixtures_read_as_their_xlsx(name, expected):
    """.xls written by LibreOffice from the same values (``python tests/forms_fixtures.py``)."""
    reading = read_workbook(FIXTURES / f"{name}.xls")
    assert reading.problems == []
    assert [table(form) for form in reading.forms] == [expected]


def test_forms_stacked_on_one_sheet(tmp_path):
    forms = [(project(), "central"), (project("社会福利"), "combined"), (department(), "department")]
    reading = read_workbook(written(tmp_path, "stacked.xlsx", forms, stacked=True))
    assert reading.problems == []
    assert [line for form in reading.forms for line in table(form)] == STACKED
    assert [len(form.indicators) for form in reading.forms] == [5, 5, 5]
    assert [form.indicators[0].row for form in reading.forms] == [13, 34, 53]


def test_a_sheet_per_project_and_a_folder_of_workbooks_read_in_sorted_order(tmp_path):
    folder = tmp_path / "forms"
    (folder / "乙").mkdir(parents=True)
    written(folder, "甲.xlsx", [(project("临时救助"), "central"), (project("社会福利"), "starred")])
    written(folder / "乙", "部门.xlsx", [(department(), "department")])
    (folder / "说明.txt").write_text("not a workbook", encoding="utf-8")
    (folder / "~$甲.xlsx").write_bytes(b"lock")
    reading = read([folder])
    assert reading.problems == []
    assert [(Path(f.file).relative_to(folder).as_posix(), f.sheet, f.project.value) for f in reading.forms] == [
        ("乙/部门.xlsx", "乐昌市民政局", None),
        ("甲.xlsx", "临时救助", "临时救助"),
        ("甲.xlsx", "社会福利", "社会福利"),
    ]


def test_a_missing_path_is_a_problem_and_the_rest_is_read(tmp_path):
    path = written(tmp_path, "a.xlsx", [(project(), "central")])
    reading = read([tmp_path / "无.xlsx", path])
    assert [str(p) for p in reading.problems] == [f"{tmp_path / '无.xlsx'}：文件不存在 (no such file or folder)"]
    assert [f.project.value for f in reading.forms] == ["临时救助"]


def test_what_the_reader_does_not_recognise_it_names(tmp_path):
    from jixiao.forms.samples import workbook

    book = workbook([(project(), "central")])
    sheet = book.active
    sheet["D13"] = "大于"  # 指标性质
    sheet["E6"] = "约240"  # 全年预算数
    sheet["H14"] = "十五"  # 分值
    sheet["H7"] = "较高"  # 执行率
    path = tmp_path / "不识.xlsx"
    book.save(path)
    reading = read_workbook(path)
    assert [str(p) for p in reading.problems] == [
        f"{path} 工作表「临时救助」E6：年度资金总额的全年预算数应为金额，表中为「约240」(expected an amount)",
        f"{path} 工作表「临时救助」H7：当年财政拨款的执行率应为百分比或比率，表中为「较高」(expected a percentage)",
        f"{path} 工作表「临时救助」D13：指标「临时救助人次」的指标性质「大于」无法识别，应为 ≥、≤、=、定性 之一"
        " (unknown direction)",
        f"{path} 工作表「临时救助」H14：指标「救助对象认定准确率」的分值应为数字，表中为「十五」(expected a number)",
    ]
    form = reading.forms[0]
    assert list(form.problems) == reading.problems
    assert (form.fund("年度资金总额").full_year.value, form.fund("年度资金总额").full_year.text) == (None, "约240")
    assert (form.indicators[0].direction, form.indicators[1].weight.value) == ("", None)


def test_goals_in_one_cell_beside_their_label_and_missing_header_fields(tmp_path):
    from jixiao.forms.samples import workbook

    book = workbook([(project(), "central")])
    sheet = book.active
    sheet.unmerge_cells("B10:F10")
    sheet.unmerge_cells("G10:J10")
    sheet["B10"], sheet["G10"] = "全年救助困难群众", None  # no 预期目标 / 实际完成情况 labels
    sheet["C4"] = None  # 主管部门 left blank
    path = tmp_path / "目标.xlsx"
    book.save(path)
    reading = read_workbook(path)
    form = reading.forms[0]
    assert (form.goal_expected.value, form.goal_expected.at.cell, form.goal_actual) == (
        "全年救助困难群众",
        "B10",
        BLANK,
    )
    assert "B10 年度总体目标没有分预期目标和实际完成情况：读作预期目标" in form.notes
    assert [str(p) for p in reading.problems] == [f"{path} 工作表「临时救助」A1：没有找到主管部门 (主管部门 not found)"]
    sheet["A10"] = None
    book.save(path)
    assert [str(p) for p in read_workbook(path).problems] == [
        f"{path} 工作表「临时救助」A10：没有找到年度总体目标（预期目标、实际完成情况）(annual goals not found)",
        f"{path} 工作表「临时救助」A1：没有找到主管部门 (主管部门 not found)",
    ]


def test_a_header_label_and_its_value_in_one_cell(tmp_path):
    from jixiao.forms.samples import workbook

    book = workbook([(project(), "central")])
    sheet = book.active
    sheet.unmerge_cells("A4:B4")
    sheet.unmerge_cells("C4:E4")
    sheet["A4"], sheet["C4"] = "主管部门：乐昌市民政局", None
    path = tmp_path / "一格.xlsx"
    book.save(path)
    reading = read_workbook(path)
    assert reading.problems == []
    assert (
        header(reading.forms[0])[1]
        == "项目名称 临时救助@C3 主管部门 乐昌市民政局@A4 实施单位 乐昌市社会救助服务中心@H4"
    )
