"""Block 部门概况: the department's duties, its internal bodies, its staffing, and who prepared
the report (编制单位, 报告日期, 联系人), all from the one row of ``profile``.

Staff numbers are figures read from their cells; the 在职人员控制率 (在职人数 ÷ 编制人数) and the
number of internal bodies are derived. What the row leaves blank is not guessed: the block names
the missing columns in a note to the author.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import pandas as pd

from jixiao import formatting
from jixiao.sections import notes, themes
from jixiao.sections.report import Report
from jixiao.writing.provenance import Figure, Html, escape, render

STAFF = (
    ("staff_quota", "编制人数", "名"),
    ("staff_active", "在职人数", "人"),
    ("staff_retired", "离退休人数", "人"),
)
"""The staffing columns, their labels and the measure word the report writes."""
_SEPARATORS = re.compile(r"[、，,；;]")


def _row(report: Report) -> tuple[pd.DataFrame, Any] | None:
    profile = report.data.profile
    return (profile, profile.index[0]) if len(profile) else None


def _text(profile: pd.DataFrame, index: Any, column: str) -> str:
    value = profile.at[index, column] if column in profile.columns else ""
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value).strip()


def _illustrative(profile: pd.DataFrame, index: Any) -> bool:
    return _text(profile, index, "source").lower() == "illustrative"


def _where(profile: pd.DataFrame, index: Any) -> str:
    """``单位概况表（profile，data/…/profile.csv 第2行）``: where a note sends the author."""
    return f"单位概况表（profile，{profile.at[index, '_file']} 第{profile.at[index, '_row']}行）"


def _missing_note(report: Report, what: str) -> Html:
    return notes.to_author(f"单位概况表（profile）未填报{what}，本部分暂无内容。")


def _tag(report: Report) -> str:
    """The 示例 marker of a supplied (``source`` = illustrative) profile row's text."""
    found = _row(report)
    return themes.ILLUSTRATIVE_TAG if found and _illustrative(*found) else ""


def _sentence(text: str) -> str:
    """Text ending with one full stop."""
    text = text.strip().rstrip("。；;，,")
    return text + "。"


def duties(report: Report) -> Html:
    """主要职能: ``乐昌市民政局负责…。`` (the duties as written, after the unit's name)."""
    found = _row(report)
    text = _text(*found, "duties") if found else ""
    if not text:
        return _missing_note(report, "主要职能(duties)")
    lead = (
        report.unit_name if text.startswith(("负责", "主要负责", "是", "承担")) else f"{report.unit_name}的主要职能是："
    )
    return Html(f"<p>{escape(lead + _sentence(text))}{_tag(report)}</p>")


def institution_count(report: Report) -> Figure | None:
    """The number of internal bodies listed in ``institutions`` (separated by 、)."""
    found = _row(report)
    text = _text(*found, "institutions") if found else ""
    if not text:
        return None
    profile, index = found
    names = [n for n in _SEPARATORS.split(text) if n.strip()]
    return Figure.derive(
        len(names),
        f"{_where(profile, index)}内设机构(institutions)所列机构的个数",
        [],
        label="内设机构个数",
        text=formatting.count(len(names), "个"),
        illustrative=_illustrative(profile, index),
    )


def institutions(report: Report) -> Html:
    """机构设置: ``乐昌市民政局内设办公室、社会救助股…，共6个内设机构。``"""
    found = _row(report)
    text = _text(*found, "institutions") if found else ""
    count = institution_count(report)
    if not text or count is None:
        return _missing_note(report, "内设机构(institutions)")
    names = [n.strip() for n in _SEPARATORS.split(text) if n.strip()]
    return Html(
        "<p>"
        + render(
            "{unit}内设{names}，共{count}内设机构。",
            {"unit": report.unit_name, "names": "、".join(names), "count": count},
        )
        + _tag(report)
        + "</p>"
    )


def staff_figure(report: Report, column: str) -> Figure | None:
    """One staffing cell as a figure (``26人``), or None when it is blank."""
    found = _row(report)
    if found is None:
        return None
    profile, index = found
    value = profile.at[index, column]
    if value is None or pd.isna(value):
        return None
    label, word = next((lab, w) for key, lab, w in STAFF if key == column)
    return Figure.cell(profile, index, column, label=label, fmt=lambda v: formatting.count(v, word))


def control_rate(report: Report) -> Figure | None:
    """在职人员控制率 = 在职人数 ÷ 编制人数 (a measure of the national common framework)."""
    quota, active = staff_figure(report, "staff_quota"), staff_figure(report, "staff_active")
    if quota is None or active is None or not quota.value:
        return None
    value = active.value / quota.value
    return Figure.derive(
        value, "在职人数 ÷ 编制人数", [active, quota], label="在职人员控制率", text=formatting.percent(value)
    )


def staffing(report: Report) -> Html:
    """人员情况: 编制, 在职 and 离退休 numbers, the 在职人员控制率, and the change from last year."""
    figures = {key: staff_figure(report, key) for key, _, _ in STAFF}
    missing = [f"{label}({key})" for key, label, _ in STAFF if figures[key] is None]
    if len(missing) == len(STAFF):
        return _missing_note(report, "编制人数、在职人数和离退休人数")
    parts, values = [], {}
    if figures["staff_quota"] is not None:
        parts.append("核定编制{staff_quota}")
    if figures["staff_active"] is not None:
        parts.append(f"{report.year}年末在职人员{{staff_active}}")
        rate = control_rate(report)
        if rate is not None:
            parts[-1] += "，在职人员控制率为{rate}"
            values["rate"] = rate
    if figures["staff_retired"] is not None:
        parts.append("离退休人员{staff_retired}")
    values.update({k: f for k, f in figures.items() if f is not None})
    retired = parts.pop() if figures["staff_retired"] is not None else None
    text = "，".join(parts) + (("；" if parts else "") + retired if retired else "")
    paragraph = render(report.unit_name + text + "。", values)
    change = _staff_change(report, figures)
    out = f"<p>{paragraph}{change}</p>"
    if missing:
        out += notes.to_author(f"单位概况表（profile）未填报{'、'.join(missing)}，本段未列出。")
    return Html(out)


def _staff_change(report: Report, figures: dict[str, Figure | None]) -> str:
    """``与上年相比，在职人员减少1人，离退休人员增加1人。`` where last year's numbers exist."""
    previous = report.previous
    if previous is None:
        return ""
    parts, values = [], {}
    for key, label, word in STAFF[1:]:
        now, before = figures[key], staff_figure(previous, key)
        if now is None or before is None:
            continue
        phrase = formatting.change_phrase(now.value, before.value, word)
        name = label.replace("人数", "人员")
        change = Figure.derive(
            now.value - before.value,
            f"本年{label} − 上年{label}",
            [_relabel(now, f"本年{label}"), _relabel(before, f"上年{label}")],
            label=f"{name}变动",
            text=phrase,
        )
        values[key] = change
        parts.append(f"{name}{{{key}}}" if phrase != "持平" else f"{name}人数与上年持平")
    if not parts:
        return ""
    return str(render("与上年相比，" + "，".join(parts) + "。", values))


def _relabel(figure: Figure, label: str) -> Figure:
    return replace(figure, label=label)


def preparer(report: Report) -> str:
    """编制单位: the ``preparer`` column, or the unit's name when blank."""
    found = _row(report)
    return (_text(*found, "preparer") if found else "") or report.unit_name


def report_date(report: Report) -> str:
    """报告日期 as Chinese write it (``2020年4月20日``); ``""`` when blank; as typed when not a date."""
    found = _row(report)
    return formatting.date(_text(*found, "report_date") if found else "")


def signature(report: Report) -> Html:
    """The closing lines, right-aligned as letters end: 编制单位 (the unit when blank), 报告日期,
    联系人 and 联系电话, each read from its profile cell and marked as any figure is (a supplied
    value is followed by its 示); a note to the author names what is blank."""
    found = _row(report)

    def cell(column: str, shown: str = "") -> str:
        if found is None or not _text(*found, column):
            return ""
        figure = Figure.text_cell(*found, column)
        return str((replace(figure, text=shown) if shown else figure).html())

    date = cell("report_date", report_date(report))
    person, phone = cell("contact_person"), cell("contact_phone")
    reach = "，".join(([f"联系人：{person}"] if person else []) + ([f"联系电话：{phone}"] if phone else []))
    lines = [cell("preparer") or escape(report.unit_name), date, reach]
    out = '<div class="jx-signature" style="text-align:right">' + "".join(f"<p>{x}</p>" for x in lines if x) + "</div>"
    missing = [
        w
        for w, v in (("报告日期(report_date)", date), ("联系人(contact_person)、联系电话(contact_phone)", reach))
        if not v
    ]
    if missing:
        out += notes.to_author(f"单位概况表（profile）未填报{'、'.join(missing)}。")
    return Html(out)


__all__ = [
    "control_rate",
    "duties",
    "institution_count",
    "institutions",
    "preparer",
    "report_date",
    "signature",
    "staff_figure",
    "staffing",
]
