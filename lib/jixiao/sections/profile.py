"""Block 部门概况: the department's duties, its internal bodies, its staffing, its 二级预算单位,
and who prepared the report (编制单位, 报告日期, 联系人), all from the one row of ``profile``.

The block's parts, their order and their sub-headings come from the settings (``profile_parts``,
:func:`parts`). Staff numbers are figures read from their cells; the 在职人员控制率 (在职人数 ÷
编制人数) is derived, and so is the number of internal bodies, unless the unit gives it
(``body_count``: a count the unit gives always wins). What the row leaves blank is not guessed: the
block names the missing columns in a note to the author.

The closing lines (:func:`signature`) end the report whichever sections it has: the last section
of the filed report writes them (``jixiao.sections.closing``).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import replace
from typing import Any

import pandas as pd

from jixiao import formatting
from jixiao.inputs.dataset import list_names
from jixiao.sections import notes, themes
from jixiao.sections.report import Report
from jixiao.writing.provenance import Figure, Html, escape, is_illustrative, render

STAFF = (
    ("staff_quota", "编制人数", "名"),
    ("staff_active", "在职人数", "人"),
    ("staff_retired", "离退休人数", "人"),
)
"""The staffing columns, their labels and the measure word the report writes."""
_NUMERAL = "[一二三四五六七八九十]{1,3}"
_NUMBERED = re.compile(
    rf"(?:^|(?<=[\s。；;，,]))(?:\d{{1,2}}[.．、](?!\d)|[（(](?:\d{{1,2}}|{_NUMERAL})[）)]|{_NUMERAL}、)"
)
"""A list item's number at the start of a duty: ``1.``, ``1、``, ``（1）``, ``（一）``, ``一、``."""


def names(text: str) -> list[str]:
    """The names of a list cell (``jixiao.inputs.dataset.list_names``): a body with its
    sub-offices in brackets is one name."""
    return list_names(text)


def duty_items(text: str) -> list[str]:
    """The duties as a list, when the cell gives one: one duty per line, or items numbered in the
    text (``1.…2.…``, ``（一）…（二）…``; on one line or several). Each item without its number and
    its closing punctuation. One item (prose): ``[]``."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    marks = list(_NUMBERED.finditer(text))
    if len(marks) >= 2 and marks[0].start() == len(text) - len(text.lstrip()):
        starts = [m.start() for m in marks] + [len(text)]
        items = [text[a:b] for a, b in itertools.pairwise(starts)]
    elif len(lines) >= 2:
        items = lines
    else:
        return []
    items = [_NUMBERED.sub("", item.strip(), count=1).strip().rstrip("。；;，,") for item in items]
    return [item for item in items if item]


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
    """主要职能: ``乐昌市民政局负责…。`` (the duties as written, after the unit's name); duties given
    as a list (:func:`duty_items`) are written as a numbered list after ``…的主要职能是：``."""
    found = _row(report)
    text = _text(*found, "duties") if found else ""
    if not text:
        return _missing_note(report, "主要职能(duties)")
    items = duty_items(text)
    if items:
        listed = "".join(f"<li>{escape(_sentence(item))}</li>" for item in items)
        lead = escape(f"{report.unit_name}的主要职能是：")
        return Html(f'<p>{lead}{_tag(report)}</p>\n<ol class="jx-duties">{listed}</ol>')
    lead = (
        report.unit_name if text.startswith(("负责", "主要负责", "是", "承担")) else f"{report.unit_name}的主要职能是："
    )
    return Html(f"<p>{escape(lead + _sentence(text))}{_tag(report)}</p>")


def _given_count(report: Report, column: str, label: str) -> Figure | None:
    """A count the unit gives in ``column`` (``6个``), or None when blank."""
    found = _row(report)
    if found is None or column not in found[0].columns or pd.isna(found[0].at[found[1], column]):
        return None
    return Figure.cell(*found, column, label=label, fmt=lambda v: formatting.count(v, "个"))


def listed_institution_count(report: Report) -> Figure | None:
    """The number of internal bodies listed in ``institutions`` (:func:`names`: a body with its
    sub-offices in brackets is one), or None when the list is blank."""
    found = _row(report)
    text = _text(*found, "institutions") if found else ""
    if not text:
        return None
    profile, index = found
    count = len(names(text))
    return Figure.derive(
        count,
        f"{_where(profile, index)}内设机构(institutions)所列机构的个数",
        [],
        label="内设机构个数",
        text=formatting.count(count, "个"),
        illustrative=is_illustrative(profile, index, "institutions", table="profile"),
    )


def institution_count(report: Report) -> Figure | None:
    """The number of internal bodies: the unit's 内设机构数 (``body_count``) when given (a count
    the unit gives always wins), else the number of bodies listed in ``institutions``."""
    return _given_count(report, "body_count", "内设机构数") or listed_institution_count(report)


def institutions(report: Report) -> Html:
    """机构设置: ``乐昌市民政局内设办公室、社会救助股…，共6个内设机构。``, or with the count alone
    ``示例县教育局内设机构8个。``"""
    found = _row(report)
    text = _text(*found, "institutions") if found else ""
    count = institution_count(report)
    if count is None:
        return _missing_note(report, "内设机构(institutions)和内设机构数(body_count)")
    if not text:
        sentence = render("{unit}内设机构{count}。", {"unit": report.unit_name, "count": count})
    else:
        sentence = render(
            "{unit}内设{names}，共{count}内设机构。",
            {"unit": report.unit_name, "names": "、".join(names(text)), "count": count},
        )
    return Html(f"<p>{sentence}{_tag(report)}</p>")


def budget_units(report: Report) -> Html:
    """二级预算单位: ``示例县教育局所属二级预算单位3个：示例县第一中学、…。`` from ``units`` (listed
    as 内设机构 are), or ``示例县教育局无二级预算单位。`` when the unit writes 无."""
    found = _row(report)
    text = _text(*found, "units") if found else ""
    if not text:
        return _missing_note(report, "二级预算单位(units)")
    if text in ("无", "没有", "/", "-", "—"):
        return Html(f"<p>{escape(report.unit_name)}无二级预算单位。{_tag(report)}</p>")
    listed = names(text)
    profile, index = found
    count = Figure.derive(
        len(listed),
        f"{_where(profile, index)}二级预算单位(units)所列单位的个数",
        [],
        label="二级预算单位个数",
        text=formatting.count(len(listed), "个"),
        illustrative=is_illustrative(profile, index, "units", table="profile"),
    )
    values = {"unit": report.unit_name, "count": count, "names": "、".join(listed)}
    sentence = render("{unit}所属二级预算单位{count}：{names}。", values)
    return Html(f"<p>{sentence}{_tag(report)}</p>")


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


PART_WRITERS = {"duties": duties, "bodies": institutions, "staff": staffing, "units": budget_units}
"""Each part of ``profile_parts`` and the function of this module that writes it."""


def parts(report: Report) -> Html:
    """The 部门概况's parts in the settings' order (``profile_parts``), each under its sub-heading
    (``<h3>``, which the stitcher numbers). With the default parts, 二级预算单位 is written only
    when the profile lists them (a department without any says nothing of them); a part the
    settings list is always written, with a note to the author when its column is blank."""
    listed = report.settings.part("profile_parts") is not None
    found = _row(report)
    out = []
    for part, title in report.settings.profile_parts:
        if part == "units" and not listed and not (found and _text(*found, "units")):
            continue
        body = PART_WRITERS[part](report)
        out.append(f"<h3>{escape(title)}</h3>\n{body}")
    return Html("\n".join(out))


__all__ = [
    "PART_WRITERS",
    "budget_units",
    "control_rate",
    "duties",
    "duty_items",
    "institution_count",
    "institutions",
    "listed_institution_count",
    "names",
    "parts",
    "preparer",
    "report_date",
    "signature",
    "staff_figure",
    "staffing",
]
