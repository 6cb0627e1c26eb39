"""The built 2019 report against the published one: every printed figure is there, from data,
with its provenance; the review notes surface the oddities a reader of the original can find."""

from __future__ import annotations

import html as htmllib
import re

from jixiao.writing.provenance import MARK_HTML
from test_build import SECTION_IDS
from test_example_data import PUBLISHED_FIGURES, PUBLISHED_SENTENCES

# The opening paragraph of the published report, figure by figure, in order.
OPENING = ["100分", "10408.34万元", "10408.34万元", "100%", "7个", "6898.64万元", "79.5%", "6个", "442.25万元", "100%"]
THEME_SECTIONS = {"dibao": "02-dibao", "yanglao": "03-yanglao", "ertong": "04-ertong", "zhili": "05-zhili",
                  "dangjian": "06-dangjian"}  # fmt: skip
SPAN = re.compile(r'<span class="(jx-fig[^"]*)"((?:\s+[a-z-]+=(?:"[^"]*"|\'[^\']*\'))*)>([^<]*)</span>')


def attribute(attributes: str, name: str) -> str | None:
    """An attribute's value; nbconvert writes a value holding a double quote in single quotes."""
    match = re.search(rf"""{name}=(?:"([^"]*)"|'([^']*)')""", attributes)
    return None if match is None else htmllib.unescape(match.group(1) or match.group(2))


def section(html: str, section_id: str) -> str:
    return html.split(f'<section class="jx-section" id="{section_id}"', 1)[1].split("</section>", 1)[0]


def text(fragment: str) -> str:
    return htmllib.unescape(re.sub(r"<[^>]+>", "", fragment))


def figures(fragment: str) -> list[str]:
    return [htmllib.unescape(m.group(3)) for m in SPAN.finditer(fragment)]


def test_opening_paragraph_states_the_published_figures_in_order(example):
    overview = section(example.html, "01-overview")
    first_paragraph = next(p for p in re.findall(r"<p>(.*?)</p>", overview, re.S) if "根据年初设定的绩效目标" in p)
    numbers = [f for f in figures(first_paragraph) if f[0].isdigit()]  # the project names are figures too
    assert numbers[: len(OPENING)] == OPENING
    # the published report fused its title into the sentence ("…绩效自评报告根据年初设定的绩效目标，"); ours does not
    assert text(first_paragraph).startswith(
        "根据年初设定的绩效目标，乐昌市民政局2019年部门整体支出绩效自评得分为100分。"
        "全年预算数10408.34万元，执行数10408.34万元，完成预算的100%。其中对7个一般公共预算项目支出开展绩效自评，"
    )


def test_every_published_theme_figure_is_a_traceable_figure_in_order(example):
    for theme, section_id in THEME_SECTIONS.items():
        items = section(example.html, section_id).split("<figure", 1)[0]  # the text, before the charts
        assert figures(items) == PUBLISHED_FIGURES[theme], theme


def unmarked(fragment: str) -> str:
    """The text without the 示 markers of illustrative figures (the sentence as written)."""
    return text(fragment.replace(MARK_HTML, ""))


def test_the_year_change_says_how_the_execution_rate_moved(example):
    overview = unmarked(section(example.html, "01-overview"))
    # each comparison said once: 与2018年相比 … 增长 (not 同比增长 again), 提高 … 至 (not 提高到 …，提高 …)
    assert "与2018年相比，全年预算数增加599.72万元，增长6.1%；预算执行率由98.8%提高1.2个百分点至100%。" in overview


def test_budget_table_3_lists_every_year_with_data(example):
    overview = section(example.html, "01-overview")
    table = overview.split("<caption>表3 历年预算执行对比</caption>", 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = [[text(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)]
            for r in re.findall(r"<tr>(.*?)</tr>", body, re.S)]  # fmt: skip
    # the base year is there too; 2018's data are illustrative (示), 2019's totals published
    assert rows == [
        ["2018年", "9808.62示", "9688.43示", "98.8%示", "—"],
        ["2019年", "10408.34", "10408.34", "100%", "同比增长6.1%示"],
    ]


def test_screen_only_hints_are_marked_for_print_to_hide(example):
    css = example.html.split("<style>", 1)[1].split("</style>", 1)[0]
    assert re.search(r"\.jx-screen-only[^{]*\{ display: none; \}", css.split("@media print", 1)[1])
    body = example.html.split("</style>", 1)[1]
    hints = [m.start() for m in re.finditer("悬停", body)]  # "hover": a hint only a screen can follow
    assert hints
    for at in hints:
        opening = body[body.rfind("<", 0, at) : at]  # the element the hint is in, from its tag
        assert "jx-screen-only" in opening, body[at - 60 : at + 20]


def test_published_sentences_are_reproduced(example):
    body = text(example.html)
    for sentence in PUBLISHED_SENTENCES:
        assert sentence in body, sentence


def test_every_figure_carries_its_provenance(example):
    spans = list(SPAN.finditer(example.html))
    assert len(spans) > 300
    for match in spans:
        source, title = attribute(match.group(2), "data-source"), attribute(match.group(2), "title")
        assert source and title, match.group(0)[:200]
        value = source
        assert re.match(
            r"(data/lechang-mzj/\d{4}/[a-z_]+\.csv#row=\d+&col=[a-z_]+|formula:.+"
            r"|params/lechang-mzj/unit\.yaml#col=[a-z_.]+|default:.+)",
            value,
        ), value


def test_a_read_figure_names_file_row_and_column(example):
    dibao = section(example.html, "02-dibao")
    span = next(m for m in SPAN.finditer(dibao) if m.group(3) == "223户")
    assert "data/lechang-mzj/2019/stats.csv 第4行 数值(value)" in attribute(span.group(2), "title")
    assert attribute(span.group(2), "data-source") == "data/lechang-mzj/2019/stats.csv#row=4&col=value"


def test_the_nine_elderly_care_projects_are_derived_not_typed(example):
    yanglao = section(example.html, "03-yanglao")
    span = next(m for m in SPAN.finditer(yanglao) if m.group(3) == "9个")
    assert attribute(span.group(2), "data-source").startswith("formula:")


def test_review_notes_surface_the_oddities_of_the_example(example):
    review = text(section(example.html, "16-review"))
    assert "流浪乞讨救助" in review and "临时救助" in review and "7.3倍" in review
    assert "15间" in review and "17间" in review
    assert "1157宗" in review and "1115具" in review


def test_report_is_small_enough_to_email(example):
    size = (example.out / "report.html").stat().st_size
    assert size < 1_500_000, size


def test_every_section_has_content(example):
    for section_id in SECTION_IDS:
        assert len(text(section(example.html, section_id))) > 60, section_id
