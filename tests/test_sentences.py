"""Summarising sentences against the tables they sum up, in the example and in synthetic units.

A sentence that sums up rows (均…, 全部…, 增幅较大的有…) must say what the rows beside it show.
Each check here reads the section's table as a reader does (its cells' text) and works out,
without jixiao's code, what the sentence may say; then compares it with the sentence written.
"""

from __future__ import annotations

import html
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from jixiao import synth
from jixiao.sections import themes
from jixiao.sections.report import Report

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
    match = re.search(r"-?\d+(?:\.\d+)?", cell)
    assert match, cell
    return Decimal(match.group(0))


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
