"""Provenance in three states on the built 2019 example, and the ``published`` table behind it.

The published report (the example's only source) prints the department's score, the totals,
the counts, amounts and shares of the self-evaluated projects, ten project names and every figure
of the themed sections; ``data/lechang-mzj/2019/published.csv`` transcribes them with the
paragraph they are in. Everything else (per-project amounts, initial budgets, indicators, three
project names, all of 2018) was supplied and must be marked as such.
"""

from __future__ import annotations

import html as htmllib
import re

import pandas as pd
import pytest

import jixiao
from helpers_inputs import UNIT, append_row, project_copy, set_cell
from jixiao.inputs import published
from jixiao.inputs.validation import validate, validate_with_notes
from jixiao.sections import overview, review
from jixiao.writing import provenance
from jixiao.writing.provenance import CONFIRMED, ILLUSTRATIVE, PUBLISHED, Figure, Source

DOCUMENT = "《乐昌市民政局2019年绩效自评报告》"
FIRST = f"{DOCUMENT}第1段（总体情况）"
MARK = '<span class="jx-mark">示</span>'
THEMES = ("02-dibao", "03-yanglao", "04-ertong", "05-zhili", "06-dangjian")
ATTRS = r"""((?:\s+[a-zA-Z-]+(?:=(?:"[^"]*"|'[^']*'))?)*)"""
SPAN = re.compile(r'<span class="(jx-fig[^"]*)"' + ATTRS + r">([^<]*)</span>(</a>)?")


def attribute(attributes: str, name: str) -> str | None:
    match = re.search(rf"""\s{name}=(?:"([^"]*)"|'([^']*)')""", attributes)
    return None if match is None else htmllib.unescape(match.group(1) or match.group(2))


def spans(fragment: str) -> list[tuple[str, str, str, str]]:
    """(text, state, tooltip, what follows the span: the marker, or a closing quote and the
    marker, or other text) of every figure in ``fragment``."""
    out = []
    for m in SPAN.finditer(fragment):
        state, title = attribute(m.group(2), "data-provenance"), attribute(m.group(2), "title")
        after = fragment[m.end() : m.end() + len(MARK) + 1]
        out.append((htmllib.unescape(m.group(3)), state, title, after))
    return out


def section(html: str, section_id: str) -> str:
    return html.split(f'<section class="jx-section" id="{section_id}"', 1)[1].split("</section>", 1)[0]


def sections(html: str) -> str:
    return html.split("<main>", 1)[1].split("</main>", 1)[0]


def opening(html: str) -> str:
    overview_html = section(html, "01-overview")
    return next(p for p in re.findall(r"<p>(.*?)</p>", overview_html, re.S) if "根据年初设定的绩效目标" in p)


def entries(html: str) -> dict[str, str]:
    """The 数据来源 appendix: id → entry (HTML)."""
    appendix = html.split('<aside class="jx-sources" id="jx-sources">', 1)[1].split("</aside>", 1)[0]
    return dict(re.findall(r'<li id="(jx-d-[0-9a-f]+)"><pre>(.*?)</pre></li>', appendix, re.S))


def reachable(html: str, start: str) -> str:
    """The text of the appendix entry ``start`` and of every entry it links to, recursively."""
    table, seen, todo = entries(html), [], [start]
    while todo:
        key = todo.pop(0)
        if key in seen:
            continue
        seen.append(key)
        todo += re.findall(r'href="#(jx-d-[0-9a-f]+)"', table[key])
    return "\n".join(htmllib.unescape(re.sub(r"<[^>]+>", "", table[k])) for k in seen)


# -- the built example ---------------------------------------------------------------------------


def test_the_opening_paragraph_figures_are_published_or_confirmed(example):
    figures = [(text, state) for text, state, _, _ in spans(opening(example.html)) if text[0].isdigit()]
    assert figures == [
        ("100分", CONFIRMED),  # the sum of supplied indicator scores, equal to the printed 100
        ("10408.34万元", CONFIRMED),
        ("10408.34万元", CONFIRMED),
        ("100%", PUBLISHED),  # computed only from the two confirmed totals
        ("7个", CONFIRMED),  # counted from supplied project rows
        ("6898.64万元", CONFIRMED),
        ("79.5%", CONFIRMED),  # 6898.64 ÷ the supplied 8677.53
        ("6个", CONFIRMED),
        ("442.25万元", CONFIRMED),
        ("100%", PUBLISHED),  # 442.25 ÷ budget B03 (published: it follows from the printed share)
    ]


def test_a_confirmed_tooltip_says_both(example):
    by_text = {text: title for text, _, title, _ in spans(opening(example.html))}
    assert by_text["79.5%"].splitlines()[:2] == [
        "占项目支出总额比重：79.5%",
        f"由示例数据计算，与公开发布数一致；公开发布：{FIRST}",
    ]
    assert by_text["6898.64万元"].splitlines()[1] == f"由示例数据计算，与公开发布数一致；公开发布：{FIRST}"


def test_the_cover_score_is_confirmed(example):
    cover = example.html.split('<header class="jx-cover"', 1)[1].split("</header>", 1)[0]
    ((text, state, title, after),) = spans(cover)
    assert (text, state, after[:5]) == ("100分", CONFIRMED, "</dd>")
    assert title.splitlines()[1] == f"由示例数据计算，与公开发布数一致；公开发布：{FIRST}"


def test_every_figure_of_the_themed_sections_is_published_with_its_paragraph(example):
    for section_id in THEMES:
        text = section(example.html, section_id).split("<figure", 1)[0].split("<table", 1)[0]
        found = spans(text)
        assert found, section_id
        for figure, state, title, _ in found:
            assert state == PUBLISHED, (section_id, figure)
            assert title.splitlines()[1].startswith(f"公开发布：{DOCUMENT}（") or "计算：" in title, figure
    dibao = dict((f, t) for f, _, t, _ in spans(section(example.html, "02-dibao")))
    assert dibao["223户"].splitlines()[1] == f"公开发布：{DOCUMENT}（一）底线民生保障坚定有力 三是"


def test_supplied_figures_are_illustrative(example):
    overview_html = section(example.html, "01-overview")
    table1 = overview_html.split("<caption>表1", 1)[1].split("</table>", 1)[0]
    cells = spans(table1)
    # budget B03 (政府性基金预算 项目支出): its initial budget is supplied, its other figures published
    assert [(t, s) for t, s, _, _ in cells if t in ("420.00", "442.25")] == [
        ("420.00", ILLUSTRATIVE),
        ("442.25", PUBLISHED),
        ("442.25", PUBLISHED),
    ]
    assert next(title for t, _, title, _ in cells if t == "420.00").splitlines()[1] == "示例数据"
    # the per-project amounts
    projects_html = section(example.html, "12-projects")
    table = projects_html.split("</caption>", 1)[1].split("</table>", 1)[0]
    body, footer = table.split("<tfoot>", 1)
    # amounts, not the scores (written 100.00 as the official forms write them)
    amounts = [(t, s) for t, s, _, _ in spans(body) if re.fullmatch(r"\d+\.\d\d", t) and t != "100.00"]
    assert amounts[:4] == [("1586.40", ILLUSTRATIVE)] * 2 + [("412.36", ILLUSTRATIVE)] * 2
    assert {s for _, s in amounts} == {ILLUSTRATIVE}
    # the 合计: the budgets' sum supplied; the spending's the sum of each fund source's, which the
    # published report prints (6898.64 + 442.25), as the summary above the table says it
    assert [(t, s) for t, s, _, _ in spans(footer)] == [
        ("7340.89", ILLUSTRATIVE), ("7340.89", PUBLISHED), ("100%", ILLUSTRATIVE)
    ]  # fmt: skip


def test_invented_project_names_are_marked_and_printed_ones_are_not(example):
    names = [(t, s) for t, s, _, _ in spans(opening(example.html)) if not t[0].isdigit()]
    printed = ["特困供养", "社会福利", "城乡低保", "村务监督委员会补贴", "临时救助", "残疾人两项补贴",
               "其他社会保障和就业支出", "养老服务设施建设", "‘双百镇’社工", "儿童福利"]  # fmt: skip
    invented = ["社区居家养老服务", "困难群众帮扶", "殡葬改革"]
    assert names == [(n, PUBLISHED) for n in printed] + [(n, ILLUSTRATIVE) for n in invented]
    text = htmllib.unescape(re.sub(r"<[^>]+>", "", opening(example.html)))
    assert "“社区居家养老服务”示“困难群众帮扶”示“殡葬改革”示等" in text  # 示 after the closing quote


def test_the_marker_is_a_text_node_after_every_illustrative_figure_only(example):
    body = sections(example.html)
    found = spans(body)
    for text, state, _, after in found:
        marked = after.startswith(MARK) or after == "”" + MARK  # a quoted name: after the quote
        assert marked == (state == ILLUSTRATIVE), (text, state, after)
    illustrative = sum(1 for _, state, _, _ in found if state == ILLUSTRATIVE)
    marks = len(re.findall(r'<span class="jx-mark">示</span>', body))
    names = 3  # the invented names carry the marker after their closing quote instead
    assert marks == illustrative
    assert sum(1 for _, _, _, after in found if after == "”" + MARK) == names
    # kept with its figure on one line (a long text, a goal, wrapping in its column), nothing drawn by CSS
    nobr = r'<span class="jx-nobr( jx-wrap)?">(<a class="jx-figref" [^>]*>)?<span class="jx-fig jx-illustrative"'
    assert len(re.findall(nobr, body)) == illustrative - names
    wrapped = re.findall(r'<span class="jx-nobr jx-wrap"><span class="jx-fig jx-illustrative"[^>]*>([^<]*)<', body)
    assert wrapped and min(len(t) for t in wrapped) > provenance.LONG_TEXT
    css = (jixiao.paths.PACKAGE_DIR / "render" / "report.css").read_text(encoding="utf-8")
    assert 'content: "示"' not in css
    assert re.search(r"\.jx-nobr \{ white-space: nowrap; \}", css)
    assert "color: #8a5a00;" in css  # 5.9:1 on white (the WCAG AA minimum is 4.5:1)


def test_the_banner_counts_the_illustrative_figures(example):
    found = spans(sections(example.html))
    counts = {s: sum(1 for _, state, _, _ in found if state == s) for s in provenance.STATES}
    banner = re.search(r'<p class="jx-banner" role="note" data-illustrative="(\d+)">(.*?)</p>', example.html)
    assert banner and int(banner.group(1)) == counts[ILLUSTRATIVE]
    text = re.sub(r"<[^>]+>", "", banner.group(2))
    assert text == (
        f"本报告含示例数据：正文{len(found)}处可溯源的数字和名称中，{counts[ILLUSTRATIVE]}处标有“示”，"
        f"是为补全数据而设的示例数据，并非公开发布数。另有{counts[CONFIRMED]}处由示例数据计算而与公开发布数一致，不标“示”。"
    )
    assert counts[CONFIRMED] >= 9 and counts[PUBLISHED] > 150


def test_chart_captions_say_they_hold_supplied_data(example):
    captions = re.findall(r"<figcaption>(.*?)</figcaption>", section(example.html, "01-overview"))
    assert captions == [
        "图1 2019年全年预算数与执行数（含示例数据，非公开发布数）",
        "图2 历年全年预算数与执行数（含示例数据，非公开发布数）",
    ]
    (project_caption,) = re.findall(r"<figcaption>(.*?)</figcaption>", section(example.html, "12-projects"))
    assert project_caption == "图19 2019年自评项目全年预算数与执行数（含示例数据，非公开发布数）"


TOOLTIP_BOUND = 500
"""A tooltip holds a head line, its provenance, the source cell or the formula with its numbers,
and at most six inputs one level deep; the longest is a count whose formula names the projects
counted with their rows (about 420 characters). The longest used to be 2,722."""


def test_tooltips_are_trimmed_and_every_figure_is_reachable_by_keyboard(example):
    html = example.html
    tags = re.findall(r'<span class="jx-fig[^"]*"' + ATTRS + ">", html)
    titles = [attribute(t, "title") or "" for t in tags]
    assert max(len(t) for t in titles) < TOOLTIP_BOUND
    all_titles = sum(len(m.encode()) for m in re.findall(r'\stitle="([^"]*)"', html))
    assert all_titles / len(html.encode()) < 0.25  # it was 42%
    # focusable: itself, or the link around it
    linked = html.count('<a class="jx-figref" href="#jx-d-')
    assert html.count('tabindex="0"') + linked == len(tags)
    assert "data-derivation" not in html  # moved to the appendix when stitched


def test_a_figures_full_derivation_is_one_click_away(example):
    html = example.html
    table = entries(html)
    assert len(table) == len(set(table.values()))  # each derivation once
    links = set(re.findall(r'<a class="jx-figref" href="#(jx-d-[0-9a-f]+)">', html))
    assert links <= set(table)
    # 79.5%: its link opens 6898.64 ÷ 8677.53, and from there every cell behind them
    share = re.search(r'<a class="jx-figref" href="#(jx-d-[0-9a-f]+)"><span [^>]*>79.5%</span>', opening(html))
    assert share
    first = htmllib.unescape(re.sub(r"<[^>]+>", "", table[share.group(1)])).splitlines()
    assert first[:3] == [
        f"占项目支出总额比重：79.5%［由示例数据计算，与公开发布数一致；公开发布：{FIRST}］",
        "计算：一般公共预算自评项目资金 ÷ 一般公共预算项目支出总额",
        "  = 6898.64万元 ÷ 8677.53万元 = 79.5%",
    ]
    full = reachable(html, share.group(1))
    cell = "来源：data/lechang-mzj/2019/projects.csv 第2行 全年执行数(executed)"
    assert f"项目全年执行数：1586.40万元［示］ {cell}" in full
    assert "来源：data/lechang-mzj/2019/budget.csv 第3行 全年执行数(executed)" in full
    assert "<details>\n<summary>数据来源：计算得出的数字的完整推导" in html  # collapsed


# -- the published table and the rules, on the example's files ----------------------------------


@pytest.fixture(scope="module")
def r2019():
    return jixiao.open_report(UNIT, 2019)


def test_published_table_of_the_example(r2019):
    table = provenance.published_table(jixiao.paths.data_dir(UNIT, 2019))
    assert len(table.by_key) == 84
    share = table.computed("evaluated_share.一般公共预算")
    assert (share.value, share.unit, share.where) == (79.5, "%", FIRST)
    assert share.source == Source("data/lechang-mzj/2019/published.csv", "", 8, "key", "数字键")
    assert set(table.cells[("budget", "B03")]) == {"full_year_budget", "executed"}
    assert provenance.published_table(jixiao.paths.data_dir(UNIT, 2018)) == published.EMPTY


def test_cell_rule_for_renderers(r2019):
    budget, projects = r2019.data.budget, r2019.data.projects
    b03 = budget.index[budget["line_id"] == "B03"][0]
    assert provenance.is_illustrative(budget, b03, "initial_budget")  # not listed, others are
    assert not provenance.is_illustrative(budget, b03, "executed")
    assert not provenance.is_illustrative(budget, b03)  # the row as its source says
    jj06 = projects.index[projects["project_id"] == "JJ06"][0]
    jj01 = projects.index[projects["project_id"] == "JJ01"][0]
    assert provenance.is_illustrative(projects, jj06, "project_name")
    assert not provenance.is_illustrative(projects, jj01, "project_name")  # printed, on a supplied row
    assert provenance.is_illustrative(projects, jj01, "executed")
    assert provenance.cell_state(projects, jj01) == ILLUSTRATIVE


def comparisons(report) -> list:
    """The review's comparisons of the report's figures with the published table (jixiao.checks)."""
    from jixiao.checks import published as checks

    table = published.published_table(jixiao.paths.data_dir(report.unit, report.year))
    return checks.comparisons(report.data, report.scores, table)


def test_published_checks_for_the_review(r2019):
    checks = comparisons(r2019)
    assert len(checks) == 84  # every row of published.csv: the data hold every figure it lists
    assert [c.key for c in checks[:10]] == [
        "department_score", "total_budget", "total_executed", "execution_rate",
        "evaluated_count.一般公共预算", "evaluated_amount.一般公共预算", "evaluated_share.一般公共预算",
        "evaluated_count.政府性基金预算", "evaluated_amount.政府性基金预算", "evaluated_share.政府性基金预算",
    ]  # fmt: skip
    assert all(c.agrees for c in checks)


def test_a_computed_figure_that_differs_stays_illustrative(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    set_cell(folder / "published.csv", 8, "value", "79.4")  # evaluated_share.一般公共预算
    report = jixiao.open_report(UNIT, 2019)
    share = next(c for c in overview.coverage(report) if c.fund_source == "一般公共预算").share
    assert (share.text, share.state) == ("79.5%", ILLUSTRATIVE)
    check = next(c for c in comparisons(report) if c.key == "evaluated_share.一般公共预算")
    assert not check.agrees
    assert [f.message for f in review.findings(report) if f.kind == "published"] == [
        f"计算得出的占一般公共预算项目支出总额的比重（79.5%）与公开报告所印的79.4%（{FIRST}）不一致。"
        "请核实输入数据或公开数字表（published）。"
    ]
    box = '<div class="jx-warning" data-kind="published"><p><strong>与公开报告不一致</strong>：'
    assert box in review.notes(report)
    assert validate(UNIT, 2019) == []  # not an input error: the supplied rows just do not reproduce it


def test_confirmation_is_at_the_precision_printed() -> None:
    printed = provenance.Printed("k", "l", 79.5, "", "%", "d", "p", Source("f.csv"))
    assert printed.agrees(0.79549, ratio=True) and printed.agrees(0.7945, ratio=True)
    assert not printed.agrees(0.7944, ratio=True) and not printed.agrees(None)
    name = provenance.Printed("k", "l", None, "殡葬改革", "", "d", "p", Source("f.csv"))
    assert name.agrees("殡葬改革") and not name.agrees("殡葬")


def test_derived_from_confirmed_figures_is_published() -> None:
    printed = provenance.Printed("k", "l", 10.0, "", "万元", "d", "p", Source("f.csv"))
    supplied = Figure(10.0, "10", "a", Source("f.csv", "", 2, "v"), illustrative=True)
    confirmed = Figure(10.0, "10", "a", Source("f.csv", "", 2, "v"), illustrative=True, published_as=printed)
    assert (supplied.state, confirmed.state) == (ILLUSTRATIVE, CONFIRMED)
    assert Figure.derive(1.0, "a ÷ a", [confirmed, confirmed], label="r").state == PUBLISHED
    assert Figure.derive(1.0, "a ÷ a", [confirmed, supplied], label="r").state == ILLUSTRATIVE


def test_keys_and_their_errors(tmp_path, monkeypatch):
    assert published.computed_key("evaluated_amount", "政府性基金预算") == "evaluated_amount.政府性基金预算"
    with pytest.raises(KeyError):
        published.computed_key("score")
    assert published.parse_key("stats:x:label") == published.KeyParts(table="stats", id="x", column="label")
    assert published.parse_key("budget:B03") == "单元格应写作 表:编码:列（业务统计表可省略 :value）"
    assert published.parse_key("evaluated_count.一般预算") == (
        "资金来源 '一般预算' 不是可用的代码，应为 "
        "一般公共预算、政府性基金预算、国有资本经营预算、财政专户管理资金、其他资金"
    )
    folder = project_copy(tmp_path, monkeypatch)
    set_cell(folder / "published.csv", 4, "unit", "元")
    row = append_row(folder / "published.csv", {"key": "total", "label": "x", "value": "1", "document": "d",
                                                "location": "p"})  # fmt: skip
    blank = append_row(folder / "published.csv", {"key": "stats:x", "label": "x", "document": "d", "location": "p"})
    D = "data/lechang-mzj/2019/published.csv"
    assert [str(p) for p in validate(UNIT, 2019)] == [
        f'{D} 第4行 计量单位(unit)：值 "元" 与数字键 total_executed 的单位 万元 不符',
        f'{D} 第{row}行 数字键(key)：值 "total" ' + published.parse_key("total"),
        f"{D} 第{blank}行 数值(value)：数值和原文至少填一项",
    ]


def test_cells_that_differ_from_what_was_printed_are_marked_and_listed(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)  # its stats hold 223 households, as printed
    set_cell(folder / "published.csv", 13, "value", "442.52")  # budget:B03:executed
    set_cell(folder / "published.csv", 14, "printed", "特困人员供养")  # projects:YB01:project_name
    assert validate(UNIT, 2019) == []  # no input error: the figures are marked, the review told
    report = jixiao.open_report(UNIT, 2019)
    budget = report.data.budget
    b03 = budget.index[budget["line_id"] == "B03"][0]
    assert Figure.cell(budget, b03, "executed").state == ILLUSTRATIVE
    assert Figure.cell(budget, b03, "full_year_budget").state == PUBLISHED
    ask = "。请核实输入数据或公开数字表（published）。"
    assert [f.message for f in review.findings(report) if f.kind == "published"] == [
        "data/lechang-mzj/2019/budget.csv 第4行 全年执行数(executed) 的“442.25”与公开报告所印的"
        f"政府性基金预算项目支出全年执行数“442.52万元”（{FIRST}）不一致{ask}",
        "data/lechang-mzj/2019/projects.csv 第2行 项目名称(project_name) 的“特困供养”与公开报告所印的"
        f"自评项目名称“特困人员供养”（{FIRST}）不一致{ask}",
    ]
    agreeing = [c.key for c in comparisons(report) if c.agrees]
    assert "stats:dibao_cleared_households" in agreeing and "total_budget" in agreeing


def test_the_table_is_optional(tmp_path, monkeypatch):
    folder = project_copy(tmp_path, monkeypatch)
    (folder / "published.csv").unlink()
    assert validate(UNIT, 2019) == []
    report = jixiao.open_report(UNIT, 2019)
    assert isinstance(report.data.published, pd.DataFrame) and report.data.published.empty
    score, _ = overview.department_score(report)
    assert score.state == ILLUSTRATIVE  # nothing to confirm it against
    budget = report.data.budget
    b03 = budget.index[budget["line_id"] == "B03"][0]
    assert not provenance.is_illustrative(budget, b03, "initial_budget")  # the row's source decides


def test_published_names_project_funds_and_profile_rows(tmp_path, monkeypatch):
    """``project_funds`` rows by ``<project_id>/<fund_type>``, the profile by its unit; a key naming
    a row that is not there marks nothing and is named in a warning."""
    assert published.parse_key("project_funds:YB01/当年财政拨款:executed") == published.KeyParts(
        table="project_funds", id="YB01/当年财政拨款", column="executed"
    )
    assert published.parse_key("profile:lechang-mzj:staff_quota") == published.KeyParts(
        table="profile", id="lechang-mzj", column="staff_quota"
    )
    funds_key = (
        "项目资金行应写作 project_funds:项目编码/资金性质:列，资金性质为 当年财政拨款、上年结转资金、其他资金 之一"
    )
    assert published.parse_key("project_funds:YB01:executed") == funds_key
    assert published.parse_key("project_funds:YB01/自筹资金:executed") == funds_key
    assert published.parse_key("published:total:value") == (
        "表 'published' 不能引用，应为 profile、budget、projects、project_funds、indicators、stats、sangong、goals 之一"
    )
    folder = project_copy(tmp_path, monkeypatch)
    where = {"label": "x", "document": "d", "location": "p"}
    append_row(
        folder / "published.csv", {"key": "project_funds:YB01/当年财政拨款:executed", "value": "1586.4", **where}
    )
    missing = append_row(
        folder / "published.csv", {"key": "project_funds:YB01/其他资金:executed", "value": "1", **where}
    )
    append_row(folder / "published.csv", {"key": "profile:lechang-mzj:staff_quota", "value": "28", **where})
    problems, notes = validate_with_notes(UNIT, 2019)
    assert problems == []
    D = "data/lechang-mzj/2019/published.csv"
    assert [n for n in notes if "published.csv" in n] == [
        f'警告 (warning): {D} 第{missing}行 数字键(key)：值 "project_funds:YB01/其他资金:executed" 所指的单元格不存在：'
        "项目资金(project_funds)表中没有 项目编码/资金性质 为 YB01/其他资金 的行，这一行不会把任何数字标为公开发布"
    ]
    report = jixiao.open_report(UNIT, 2019)
    funds, profile = report.data.project_funds, report.data.profile
    own = funds.index[(funds["project_id"] == "YB01") & (funds["fund_type"] == "当年财政拨款")][0]
    assert [provenance.cell_state(funds, own, c) for c in ("initial_budget", "full_year_budget", "executed")] == [
        ILLUSTRATIVE, ILLUSTRATIVE, PUBLISHED
    ]  # fmt: skip
    figure = Figure.cell(funds, own, "executed")
    assert (figure.state, figure.status()) == (PUBLISHED, "公开发布：dp")
    assert provenance.cell_state(profile, profile.index[0], "staff_quota") == PUBLISHED
    assert provenance.cell_state(profile, profile.index[0], "staff_active") == ILLUSTRATIVE
