"""Section 存在问题和改进措施: numbered items from the narrative, marked when illustrative."""

from __future__ import annotations

import html
import re

import pytest

import jixiao
from jixiao.sections import problems

UNIT, YEAR = "lechang-mzj", 2019
TAG = '<span class="jx-illustrative" title="本段为示例文字，非公开发布内容">示例</span>'


def paragraphs(fragment: str) -> list[str]:
    return re.findall(r"<p\b[^>]*>.*?</p>", fragment, flags=re.S)


def text_of(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


@pytest.fixture
def report():
    return jixiao.open_report(UNIT, YEAR)


def test_problems_are_numbered_items_with_figures(report):
    items = paragraphs(problems.items(report, "problems"))
    texts = [text_of(p) for p in items]
    assert [t[:2] for t in texts] == ["一是", "二是", "三是"]
    assert texts[0].startswith(
        "一是流浪乞讨救助单位成本偏高。全年救助流浪乞讨人员153人次，支出救助金162万元，"
        "每人次支出远高于临时救助（289人次、41.95万元）"
    )
    assert "分别统计为15间和17间，免除殡葬基本服务费1157宗多于同期火化遗体1115具" in texts[1]
    assert items[0].count('class="jx-fig"') == 4  # the stats figures are published ones


def test_improvements_are_numbered_the_same_way(report):
    texts = [text_of(p) for p in paragraphs(problems.items(report, "improvements"))]
    assert texts[0].startswith("一是加强救助资金成本分析。")
    assert [t[:2] for t in texts] == ["一是", "二是", "三是"]


def test_illustrative_rows_are_marked(report):
    for kind in problems.KINDS:
        items = paragraphs(problems.items(report, kind))
        assert all('class="jx-narrative jx-illustrative-text"' in p for p in items)
        assert all(p.endswith(TAG + "</p>") for p in items)


def test_published_rows_are_not_marked(report):
    narrative = report.data.narrative.copy()
    narrative.loc[narrative["section"] == "problems", "source"] = "published"
    report.data._frames["narrative"] = narrative
    out = problems.items(report, "problems")
    assert "jx-illustrative-text" not in out and TAG not in out


def test_none_stated_gives_a_note(report):
    narrative = report.data.narrative
    report.data._frames["narrative"] = narrative[narrative["section"] != "improvements"]
    assert problems.items(report, "improvements") == (
        '<p class="jx-note">文字材料表（narrative）未填报2019年的改进措施'
        "（section 为 improvements 的行），本节暂无内容。</p>"
    )
    assert len(paragraphs(problems.items(report, "problems"))) == 3  # the other list is intact


def test_paragraph_rows_are_not_numbered(report):
    narrative = report.data.narrative.copy()
    rows = narrative.index[narrative["section"] == "problems"]
    narrative.loc[rows[0], "kind"] = "paragraph"
    report.data._frames["narrative"] = narrative
    texts = [text_of(p) for p in paragraphs(problems.items(report, "problems"))]
    assert texts[0].startswith("流浪乞讨救助单位成本偏高。")
    assert [t[:2] for t in texts[1:]] == ["一是", "二是"]


def test_unknown_kind_is_refused(report):
    with pytest.raises(ValueError, match="'risks'"):
        problems.items(report, "risks")
