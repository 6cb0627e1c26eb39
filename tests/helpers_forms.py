"""Filled 自评表 as :class:`jixiao.forms.model.Form` objects made in code: the central 附件1
layout's cells (the header in rows 3–4, the funds block in rows 6–9, the goals in row 11, the
indicator table from row 13), for the import's tests."""

from __future__ import annotations

from jixiao.forms.model import DEPARTMENT, PROJECT, Cell, Form, FormIndicator, FundRow, Value

FILE = "forms/临时救助.xlsx"


def v(value, cell: str, file: str = FILE, sheet: str = "附件1", text: str | None = None) -> Value:
    shown = text if text is not None else ("" if value is None else str(value))
    return Value(value, shown, Cell(file, sheet, cell))


def project_form(name: str = "临时救助", *, file: str = FILE, sheet: str = "附件1", year: int | None = 2024,
                 weights: bool = True, total: float = 100.0) -> Form:  # fmt: skip
    """A project's form: 120 万元 budgeted (100 当年财政拨款 + 20 上年结转资金), 118 spent; four indicators."""

    def c(value, cell, text=None):
        return v(value, cell, file, sheet, text)

    def fund(name, row, initial, full, executed, weight=None):
        return FundRow(name, c(initial, f"D{row}"), c(full, f"E{row}"), c(executed, f"F{row}"),
                       c(weight, f"G{row}") if weight is not None else Value(), Value(), Value())  # fmt: skip

    rows = [
        # row, level1, level2, name, direction, target, unit, actual, weight, score
        (14, "产出指标", "数量指标", "救助人次", "≥", 280, "人次", 289, 30, 30),
        (15, "产出指标", "时效指标", "救助金发放及时率", "≥", 95, "%", 100, 20, 20),
        (16, "效益指标", "社会效益指标", "困难群众基本生活保障", "定性", "有效保障", "", "达成", 30, 28),
        (17, "满意度指标", "服务对象满意度指标", "受助对象满意度", "≥", 90, "%", 93, 10, 10),
    ]
    indicators = tuple(
        FormIndicator(
            row=r, level1=c(l1, f"A{r}"), level2=c(l2, f"B{r}"), name=c(n, f"C{r}"), direction=d,
            target=c(t, f"E{r}", f"{t}{u}" if d != "定性" else t), unit=u, actual=c(a, f"G{r}"),
            weight=c(w, f"H{r}") if weights else Value(), score=c(s, f"I{r}"),
        )
        for r, l1, l2, n, d, t, u, a, w, s in rows
    )  # fmt: skip
    return Form(
        file=file, sheet=sheet, kind=PROJECT, top="A1", title=f"项目支出绩效自评表（{year}年度）", year=year,
        project=c(name, "B3"), department=c("示例县民政局", "B4"), unit=c("示例县民政局社会救助股", "E4"),
        funds=(
            fund("年度资金总额", 6, 120, 120, 118, 10),
            fund("当年财政拨款", 7, 100, 100, 98),
            fund("上年结转资金", 8, 20, 20, 20),
            FundRow("其他资金"),
        ),
        goal_expected=c("及时救助遭遇突发困难的群众", "B11"), goal_actual=c("全年救助289人次", "E11"),
        indicators=indicators, total=c(total, "I18"), grade=c("优", "I19"),
        layout="central" if weights else "transfer",
        notes=() if weights else ("表上没有分值列 (no 分值 column)",),
    )  # fmt: skip


def department_form(file: str = "forms/部门整体.xlsx", year: int = 2024) -> Form:
    def c(value, cell, text=None):
        return v(value, cell, file, "部门整体", text)

    rows = [
        (8, "投入", "预算编制", "预算编制科学性", "定性", "科学合理", "", "达成", 40, 38),
        (9, "产出", "重点工作", "重点工作办结率", "≥", 95, "%", 100, 60, 60),
    ]
    indicators = tuple(
        FormIndicator(
            row=r, level1=c(l1, f"A{r}"), level2=c(l2, f"B{r}"), name=c(n, f"C{r}"), direction=d,
            target=c(t, f"E{r}"), unit=u, actual=c(a, f"G{r}"), weight=c(w, f"H{r}"), score=c(s, f"I{r}"),
        )
        for r, l1, l2, n, d, t, u, a, w, s in rows
    )  # fmt: skip
    return Form(
        file=file, sheet="部门整体", kind=DEPARTMENT, top="A1", title=f"部门整体支出绩效自评表（{year}年度）",
        year=year, project=Value(), department=c("示例县民政局", "B3"), unit=c("示例县民政局", "B3"),
        funds=(), goal_expected=Value(), goal_actual=Value(), indicators=indicators, total=c(98, "I10"),
        grade=c("优", "I11"), layout="department",
    )  # fmt: skip
