"""Summarising sentences against the tables they sum up, in the example and in synthetic units.

A sentence that sums up rows (均…, 全部…, 增幅较大的有…) must say what the rows beside it show.
Each check here reads the section's table as a reader does (its cells' text) and works out,
without jixiao's code, what the sentence may say; then compares it with the sentence written.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from jixiao import synth
from jixiao.sections import budget, conclusion, goals, overview, projects, themes, unevaluated
from jixiao.sections.report import Report
from jixiao.writing.provenance import MARK_HTML

EXAMPLE = ("lechang-mzj", 2019)
SYNTH_YEARS = [2019, 2020]


def text_of(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def last_paragraph(fragment: str) -> str:
    return text_of(re.findall(r"<p\b[^>]*>.*?</p>", fragment, flags=re.S)[-1])


def body_rows(fragment: str) -> list[list[str]]:
    body = re.search(r"<tbody>(.*?)</tbody>", fragment, flags=re.S)
    assert body, fragment[:200]
    return [
        [text_of(c) for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", tr, flags=re.S)]
        for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", body.group(1), flags=re.S)
    ]


def number(cell: str) -> Decimal:
    """The number a cell shows: ``约121.6``, ``1000多示``, ``2.6示`` → 121.6, 1000, 2.6."""
    match = re.search(r"[-\u2212]?\d+(?:\.\d+)?", cell)
    assert match, cell
    return Decimal(match.group(0).replace("\u2212", "-"))


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[synth.Unit]]:
    root = tmp_path_factory.mktemp("synth-sentences")
    return root, synth.write(6, SYNTH_YEARS, 11, root=root)


@pytest.fixture(params=["example", "synthetic"])
def reports(request, monkeypatch) -> list[Report]:
    """The example in 2019; every synthetic unit that validates, in its latest year."""
    if request.param == "example":
        return [Report(*EXAMPLE)]
    root, units = request.getfixturevalue("synthetic")
    monkeypatch.setenv("JIXIAO_ROOT", str(root))
    return [Report(u.id, SYNTH_YEARS[-1]) for u in units if "bad" not in u.faults]


# -- the themes' comparison with last year -------------------------------------------------------


def expected_changes(fragment: str, year: int, limits: dict[str, float]) -> str:
    """The sentence the change table allows: its notable rows, judged on the table's own cells
    (the rate as the table would write it), the largest three of each sign named, the rest counted."""
    up: list[tuple[Decimal, list[str]]] = []
    down: list[tuple[Decimal, list[str]]] = []
    for cells in body_rows(fragment):
        label, unit = re.fullmatch(r"(.*?)(?:（([^（）]*)）)?", cells[0]).groups()
        before, now = number(cells[1]), number(cells[2])
        diff = now - before
        if unit == "%":
            notable = diff and abs(diff) >= Decimal(str(limits["points"]))
        elif unit == "万元" and abs(diff) < Decimal(str(limits["amount"])):
            notable = False
        else:
            ratio = (abs(diff) / abs(before)).quantize(Decimal("0.001"), ROUND_HALF_UP) if before else None
            notable = diff and (ratio is None or ratio >= Decimal(str(limits["rate"])))
        if not notable:
            continue
        ratio = (abs(diff) / abs(before)).quantize(Decimal("0.001"), ROUND_HALF_UP) if before else Decimal("Infinity")
        rate = f"（{cells[4].removeprefix('同比')}）" if cells[4].startswith("同比") and unit != "%" else ""
        (up if diff > 0 else down).append((ratio, [label + cells[3] + rate, cells[3]]))
    parts = []
    for name, chosen in (("增幅较大的有", up), ("降幅较大的有", down)):
        if not chosen:
            continue
        chosen = sorted(chosen, key=lambda c: -c[0])
        text = name + "、".join(entry for _, (entry, _change) in chosen[:3])
        if len(chosen) > 3:
            marked = any(change.endswith("示") for _, (_entry, change) in chosen)
            text += f"等{len(chosen)}项" + ("示" if marked else "")
        parts.append(text)
    if not parts:
        return f"与{year}年相比，本部分各项指标均无较大变化。"
    return f"与{year}年相比，" + "；".join(parts) + "。"


def test_each_themes_sentence_says_what_its_change_table_shows(reports):
    checked = 0
    for report in reports:
        assert report.previous is not None, report
        for section in report.settings.sections:
            if section.kind != "theme":
                continue
            fragment = themes.changes(report, section.key)
            expected = expected_changes(fragment, report.year - 1, report.settings.notable_changes)
            assert last_paragraph(fragment) == expected, (report, section.key)
            checked += 1
    assert checked == (5 if len(reports) == 1 else 2 * len(reports))  # the example's 5 themes, 2 per synthetic unit


# -- 均…, 全部…: the conclusion, the projects, the goals, the budget ------------------------------


def plain(fragment: str) -> str:
    """The text without the 示 markers (the sentence as written)."""
    return text_of(str(fragment).replace(MARK_HTML, ""))


def plain_rows(fragment: str) -> list[list[str]]:
    return body_rows(str(fragment).replace(MARK_HTML, ""))


def first_paragraph(fragment: str) -> str:
    return plain(re.search(r"<p\b[^>]*>(.*?)</p>", str(fragment), flags=re.S).group(1))


def check_indicators(report: Report) -> None:
    """部门整体绩效指标6项，均达到年度指标值: every row of 表2 scored its 分值 (by the rules)."""
    if report.scores.department is None:
        return
    rows = plain_rows(overview.department_table(report))
    computed = [number(r[8].split("计算")[-1]) for r in rows]  # 20.00, or 20.00（计算 25.00）
    missed = [r[2] for r, score in zip(rows, computed, strict=True) if score < number(r[7])]
    expected = f"部门整体绩效指标{len(rows)}项，均达到年度指标值。"
    if len(missed) == len(rows):
        expected = f"部门整体绩效指标{len(rows)}项，均未达到年度指标值。"
    elif missed:
        names = "".join(f"“{name}”" for name in missed)
        expected = f"部门整体绩效指标{len(rows)}项，其中{len(rows) - len(missed)}项达到年度指标值，{names}未达到。"
    expected = expected[:-1] + goals_apart(report, rows) + "。"
    assert plain(conclusion.indicators(report)) == expected, report


def goals_apart(report: Report, rows: list[list[str]]) -> str:
    """What the conclusion adds where a goal and the department indicator measuring it disagree:
    read from the goals table's 对应指标编码 and 表2's scores."""
    goals = report.data.goals
    if "indicator_id" not in goals.columns:
        return ""
    full = {r[2]: number(r[8].split("计算")[-1]) >= number(r[7]) for r in rows}
    names = dict(zip(report.data.indicators["indicator_id"], report.data.indicators["level3"], strict=True))
    parts = []
    for _, goal in goals.iterrows():
        for indicator_id in re.split(r"[、，,；;\s]+", str(goal["indicator_id"]).strip()):
            name = names.get(indicator_id)
            if name not in full or full[name] == (goal["completion"] == "完成"):
                continue
            said = "所衡量的" if full[name] else "未达到年度指标值，而它所衡量的"
            parts.append(f"“{name}”{said}年度绩效目标“{goal['goal']}”为{goal['completion']}")
    return "；但" + "；".join(parts) if parts else ""


def check_projects(report: Report) -> None:
    """得分均为…, 评价等级均为…, 得分在…至…之间: the project table's 得分 and 等级 columns."""
    rows = plain_rows(projects.project_table(report))
    scores, grades = [number(r[5]) for r in rows], [r[6] for r in rows]
    said = plain(conclusion.projects(report))
    if len(set(scores)) == 1:
        assert len(set(grades)) == 1
        both = "均" if len(rows) > 1 else ""  # one project: 得分为
        assert said == f"{len(rows)}个自评项目得分{both}为{scores[0].normalize():f}分，评价等级{both}为“{grades[0]}”。"
    else:
        assert said.startswith(
            f"{len(rows)}个自评项目得分在{min(scores).normalize():f}分至{max(scores).normalize():f}分之间"
        )
        if len(set(grades)) == 1:
            assert f"之间，评价等级均为“{grades[0]}”" in said, said
        else:
            counted = {grade: int(n) for grade, n in re.findall(r"“(.)”(\d+)个", said)}
            assert counted == Counter(grades), (report, said)
        below = [r[0] for r, score in zip(rows, scores, strict=True) if score < 100]
        named = "；未得满分的有" + "".join(f"“{name}”" for name in below) if max(scores) == 100 else ""
        assert said.endswith(named + "。"), said
    summary = plain(projects.summary(report))
    if "得分均为" in summary:
        assert {number(summary.split("得分均为")[1])} == set(scores), summary
    if "评价等级均为" in summary:
        assert set(grades) == {summary.split("评价等级均为“")[1][0]}, summary
    else:
        counted = {grade: int(n) for n, grade in re.findall(r"(\d+)个(?:项目评价等级)?为“(.)”", summary)}
        assert counted == Counter(grades), summary


def check_goals(report: Report) -> None:
    """已全部完成, 均已完成, or the goals counted: the goals table's 完成情况 column."""
    if goals.tally(report) is None:
        return
    rows = plain_rows(goals.table(report))
    done = Counter(r[2] for r in rows)
    total = len(rows)
    if done["完成"] == total:
        assert first_paragraph(goals.summary(report)) == f"年初设定的{total}项年度绩效目标已全部完成。"
        assert plain(conclusion.goals_reached(report)) == f"{total}项年度绩效目标均已完成。"
        return
    parts = [f"{done['完成']}项已完成"] if done["完成"] else []
    named = []
    for completion in ("部分完成", "未完成"):
        if done[completion]:
            parts.append(f"{done[completion]}项{completion}")
            goals_named = "、".join(f"目标“{r[1]}”" for r in rows if r[2] == completion)
            named.append(f"{parts[-1]}（{goals_named}）")
    assert plain(conclusion.goals_reached(report)) == f"{total}项年度绩效目标中，" + "，".join(parts) + "。"
    with_names = ([parts[0]] if done["完成"] else []) + named
    assert (
        first_paragraph(goals.summary(report)) == f"年初设定的{total}项年度绩效目标中，" + "，".join(with_names) + "。"
    )


def check_evaluated(report: Report) -> None:
    """均开展了绩效自评 (项目支出) and 均已开展绩效自评 (未开展自评的项目): the 项目个数 and 开展自评
    columns of the project spending table."""
    fragment = budget.projects(report)
    rows = plain_rows(fragment)
    said, unevaluated_said = first_paragraph(fragment), plain(unevaluated.summary(report))
    for source, count, evaluated, *_ in rows:
        match = re.search(
            rf"{source}项目支出[\d.]+万元，共(\d+)个项目，(均开展了|已开展|其中(\d+)个开展了)绩效自评", said
        )
        assert match and match.group(1) == count, (source, said)
        assert (match.group(3) or count) == evaluated, (source, said)
        if count != evaluated:
            assert f"{source}项目支出中，有{int(count) - int(evaluated)}个项目未开展绩效自评" in unevaluated_said
    if "均已开展绩效自评" in unevaluated_said:
        assert all(r[1] == r[2] for r in rows)


def test_each_all_or_every_sentence_says_what_its_table_shows(reports):
    for report in reports:
        check_indicators(report)
        check_projects(report)
        check_goals(report)
        check_evaluated(report)


# -- the filed report as a reviewer reads it -----------------------------------------------------


def paragraphs_of(page: str) -> list[str]:
    return [text_of(p) for p in re.findall(r"<p\b[^>]*>(.*?)</p>", page, flags=re.S)]


def test_a_legend_appears_only_with_what_it_explains(example):
    page = example.filing_html
    # no score of the example is marked "!": the project table's note explains only its 得分
    assert '<p class="jx-hint">得分为预算执行率得分与各三级指标得分之和。</p>' in page
    legends = {"".join(m) for p in paragraphs_of(page) for m in re.findall(r"标“(.)”者|标有“(.)”", p)}
    assert legends == {"示"}  # the cover's note on the illustrative figures
    for mark in legends:
        assert re.search(rf'class="jx-(?:mark|flag)"[^>]*>{re.escape(mark)}</span>', page), mark


def test_each_form_is_headed_by_its_project_name_alone(example):
    page = example.filing_html
    names = [text_of(n) for n in re.findall(r'class="jx-selfeval"[^>]*><summary>(.*?)</summary>', page, flags=re.S)]
    assert names[:3] == ["特困供养", "社会福利", "城乡低保"] and len(names) == 13
    assert "自评得分100.00分" not in text_of(page)  # the table and each form's 总分 say it


def test_a_comparison_with_last_year_is_said_once(example):
    for paragraph in paragraphs_of(example.filing_html):
        for sentence in re.split(r"[。；]", paragraph):
            if "相比" in sentence or "比上年" in sentence:
                assert "同比" not in sentence, sentence
            assert not re.search(r"(提高|下降)到.*，\1", sentence), sentence
