"""The report's structure from the settings: sections as strings, mappings and chapters, numbered
per depth; every entry checked with a message naming file and key; a theme's key in any text."""

from __future__ import annotations

import re
import shutil

import pytest
import yaml

from conftest import REPO, UNIT, YEAR, build, copy_project
from jixiao.inputs import settings
from jixiao.inputs.settings import Heading
from jixiao.render import html as stitching
from test_build import headings, toc_entries

UNIT_FILE = "params/lechang-mzj/unit.yaml"
KNOWN = (
    "overview, projects, theme:<key>, problems, improvements, review, profile, budget, goals, conclusion, evaluation, "
    "unevaluated, application"
)


@pytest.fixture
def unit_settings(tmp_path, monkeypatch):
    """Write the example's unit settings with other ``sections`` (or ``numbering``) and load them."""
    root = tmp_path / "p"
    root.mkdir()
    shutil.copytree(settings.paths.root() / "params", root / "params")
    monkeypatch.setenv("JIXIAO_ROOT", str(root))
    path = root / UNIT_FILE
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))

    def load(**changes):
        content = {**raw, **changes}
        for key, value in changes.items():
            if value is None:
                del content[key]
        path.write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")
        return settings.load(UNIT, YEAR)

    return load


@pytest.mark.parametrize(
    ("sections", "message"),
    [
        ([42], "'sections[1]' 应为章节名或键值映射 (a section kind or a mapping), 实为 42"),
        (["overview", "theme"],
         "'sections[2]': 主题章节须有 key (a theme needs its key), 写作 theme:<key> 或 {kind: theme, key: <key>}"),
        (["projects:x"], f"'sections[1]': 未知章节 (unknown section) 'projects:x'; 可用: {KNOWN}"),
        ([{"kind": "overveiw"}], f"'sections[1].kind': 未知章节 (unknown section) 'overveiw'; 可用: {KNOWN}"),
        ([{"kind": "projects", "titel": "项目"}],
         "未知设置项 (unknown key) 'sections[1].titel'; 允许: kind, title, key, sections"),
        ([{"title": "项目"}], f"'sections[1]': 缺少 kind (missing key 'kind'); 可用: {KNOWN}"),
        ([{"kind": "projects", "key": "x"}],
         "'sections[1].key': 只有主题章节 (kind: theme) 有 key, 这里 kind 为 projects"),
        ([{"kind": "theme", "key": "problems"}],
         "'sections[1]': 'problems' 是文字材料表的保留章节名 (a reserved narrative section), 不能作主题的 key"),
        ([{"kind": "theme", "key": 5}], "'sections[1].key' 应为文字 (a text), 实为 5"),
        ([{"kind": "projects", "title": ""}], "'sections[1].title' 应为非空文字 (a non-empty text), 实为 ''"),
        (["overview", {"title": "章", "sections": []}],
         "'sections[2].sections' 应为非空列表 (a non-empty list of sections), 实为 []"),
        ([{"title": "章", "kind": "projects", "sections": ["projects"]}],
         "未知设置项 (unknown key) 'sections[1].kind'; 含 sections 的章节只允许: title, sections"),
        ([{"sections": ["projects"]}], "'sections[1]': 含 sections 的章节须有 title (a chapter needs a title)"),
        (["theme:dibao", {"title": "章", "sections": ["projects", "theme:dibao"]}],
         "'sections[2].sections[2]': 章节重复 (listed twice) 'theme:dibao', 已见于 'sections[1]'"),
        ([{"title": "一", "sections": [{"title": "二", "sections": [{"title": "三", "sections": [{"title": "四",
            "sections": [{"title": "五", "sections": ["overview"]}]}]}]}]}],
         "'sections[1].sections[1].sections[1].sections[1].sections[1]': "
         "章节嵌套 5 层, 但 numbering 只有 4 种编号样式"),
        ([], "'sections' 应为非空列表 (a non-empty list of sections)"),
    ],
)  # fmt: skip
def test_a_bad_section_entry_is_refused_naming_file_and_key(unit_settings, sections, message):
    with pytest.raises(settings.SettingsError) as err:
        unit_settings(sections=sections)
    assert str(err.value) == f"{UNIT_FILE}: {message}"


@pytest.mark.parametrize(
    ("numbering", "message"),
    [
        (["一、", "A."], "'numbering[2]' 应为含 一 或 1 的编号样式 (如 一、 （一） 1. （1）), 实为 'A.'"),
        (["11."], "'numbering[1]' 应为含 一 或 1 的编号样式 (如 一、 （一） 1. （1）), 实为 '11.'"),
        ("一、", "'numbering' 应为非空列表 (a non-empty list of number styles), 实为 '一、'"),
    ],
)
def test_a_bad_numbering_is_refused(unit_settings, numbering, message):
    with pytest.raises(settings.SettingsError) as err:
        unit_settings(numbering=numbering)
    assert str(err.value) == f"{UNIT_FILE}: {message}"


def test_without_sections_the_peers_order(unit_settings):
    loaded = unit_settings(sections=None)
    expected = [k for k in settings.DEFAULT_ORDER if k in settings.NOTEBOOKS]
    assert [s.kind for s in loaded.sections] == expected
    assert [s.id for s in loaded.sections][:2] == ["01-" + expected[0], "02-" + expected[1]]
    titles = {s.kind: s.heading.title for s in loaded.sections}
    # problems beside improvements: the problems alone, under the peers' title
    assert titles["problems"] == "存在的问题和原因" and titles["improvements"] == "下一步改进措施"
    assert titles["review"] == "审核提示" and loaded.section_of("review").heading.number == ""


def test_mappings_chapters_and_numbering_per_depth(unit_settings):
    loaded = unit_settings(
        numbering=["第一部分", "一、", "（一）"],
        sections=[
            {"kind": "overview", "title": "部门整体支出绩效情况"},
            {"title": "目标实现情况", "sections": [
                {"kind": "theme", "key": "dibao"},
                {"title": "其他工作",
                 "sections": ["theme:yanglao", {"kind": "theme", "key": "民生 实事", "title": "民生实事"}]},
            ]},
            "problems", "improvements", "review",
        ],
    )  # fmt: skip
    outline = [(n.heading.anchor, n.heading.number, n.heading.title, n.heading.depth) for n in loaded.outline]
    assert outline == [
        ("01-overview", "第一部分", "部门整体支出绩效情况", 1),
        ("chapter-1", "第二部分", "目标实现情况", 1),
        ("05-problems", "第三部分", "存在的问题和原因", 1),
        ("06-improvements", "第四部分", "下一步改进措施", 1),
        ("07-review", "", "审核提示", 1),
    ]
    chapter = loaded.outline[1]
    assert [(n.heading.anchor, n.heading.number, n.heading.title) for n in chapter.children] == [
        ("02-dibao", "一、", None),
        ("chapter-2", "二、", "其他工作"),
    ]
    nested = chapter.children[1].children
    assert [(n.heading.anchor, n.heading.number, n.heading.title, n.heading.depth) for n in nested] == [
        ("03-yanglao", "（一）", None, 3),
        ("04-theme", "（二）", "民生实事", 3),  # a key that is no safe id: the kind stands in
    ]
    assert loaded.sections[3].key == "民生 实事"
    assert loaded.sections[3].parameters == {"unit": UNIT, "year": YEAR, "theme": "民生 实事"}


def test_the_stitcher_numbers_a_sections_headings_one_depth_down():
    body = (
        '<h2 id="总体情况">总体情况<a class="anchor-link" href="#总体情况"></a></h2>\n<p>x</p>\n'
        '<h3 id="预算">预算</h3>\n<h4 id="细目">细目</h4>\n<h4 id="b">其二</h4>\n<h3 id="趋势">趋势</h3>'
    )
    heading = Heading("07-overview", "二、", "部门整体支出情况", 1)
    out, title = stitching.number_headings(body, heading, settings.NUMBERING)
    assert title == "部门整体支出情况"
    assert out == (
        '<h2 id="07-overview-title"><span class="jx-number">二、</span>部门整体支出情况</h2>\n<p>x</p>\n'
        '<h3 id="07-overview-1"><span class="jx-number">（一）</span>预算</h3>\n'
        '<h4 id="07-overview-2"><span class="jx-number">1.</span>细目</h4>\n'
        '<h4 id="07-overview-3"><span class="jx-number">2.</span>其二</h4>\n'
        '<h3 id="07-overview-4"><span class="jx-number">（二）</span>趋势</h3>'
    )
    theme = (
        '<h2 class="jx-illustrative-text"><span class="jx-number">（九）</span>标题'
        '<span class="jx-illustrative">示例</span></h2>'
    )
    out, title = stitching.number_headings(theme, Heading("02-theme", "（一）", None, 2), settings.NUMBERING)
    assert title == "标题"
    assert out == (
        '<h3 id="02-theme-title" class="jx-illustrative-text"><span class="jx-number">（一）</span>标题'
        '<span class="jx-illustrative">示例</span></h3>'
    )


def test_a_lone_sub_heading_is_not_numbered():
    """No heading level holds a lone （一）: the only sub-heading under its heading keeps its text,
    unnumbered; its own sub-headings are numbered when they are two or more."""
    body = '<h2>项目</h2>\n<h3 id="a">自评表</h3>\n<h4 id="b">甲</h4>\n<h4 id="c">乙</h4>\n<h3 id="d">附</h3>'
    out, _ = stitching.number_headings(body, Heading("08-projects", "八、", None, 1), settings.NUMBERING)
    assert [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<h[34][^>]*>.*?</h[34]>", out)] == [
        "（一）自评表", "1.甲", "2.乙", "（二）附"
    ]  # fmt: skip
    body = '<h2>项目</h2>\n<h3 id="a">自评表</h3>\n<h4 id="b">甲</h4>'
    out, _ = stitching.number_headings(body, Heading("08-projects", "八、", None, 1), settings.NUMBERING)
    assert [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<h[34][^>]*>.*?</h[34]>", out)] == ["自评表", "甲"]


def test_a_chinese_theme_key_builds(tmp_path):
    """A theme keyed 底线民生 (narrative, stats and settings): ids stay safe, the heading is its
    headline, numbered under its chapter."""
    root = copy_project(tmp_path / "p")
    for year in (2018, 2019):
        for table in ("narrative", "stats"):
            path = root / f"data/{UNIT}/{year}/{table}.csv"
            lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
            path.write_text("".join(re.sub(r"^dibao,", "底线民生,", line) for line in lines), encoding="utf-8")
    unit = root / f"params/{UNIT}/unit.yaml"
    raw = yaml.safe_load(unit.read_text(encoding="utf-8"))
    raw["themes"]["底线民生"] = raw["themes"].pop("dibao")
    raw["sections"] = [{"title": "完成目标情况", "sections": ["theme:底线民生", {"kind": "theme", "key": "yanglao"}]},
                       "problems"]  # fmt: skip
    del raw["review"]
    unit.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")

    result = build(root)

    assert result.returncode == 0, result.stdout + result.stderr
    out = root / "outputs" / UNIT / str(YEAR)
    assert sorted(p.name for p in (out / "notebooks").glob("*.ipynb")) == [
        "01-theme.ipynb", "02-yanglao.ipynb", "03-problems.ipynb"
    ]  # fmt: skip
    html = (out / "report.html").read_text(encoding="utf-8")
    assert headings(html) == [
        ("h2", "一、完成目标情况"),
        ("h3", "（一）底线民生保障坚定有力"),
        ("h3", "（二）养老服务体系建设快速发展"),
        ("h2", "二、存在问题和改进措施"),
        ("h3", "（一）存在问题"),
        ("h3", "（二）改进措施"),
    ]
    assert toc_entries(html) == [
        ("chapter-1", "一、", "完成目标情况", 1),
        ("01-theme", "（一）", "底线民生保障坚定有力", 2),
        ("02-yanglao", "（二）", "养老服务体系建设快速发展", 2),
        ("03-problems", "二、", "存在问题和改进措施", 1),
        ("03-problems-1", "（一）", "存在问题", 2),
        ("03-problems-2", "（二）", "改进措施", 2),
    ]
    assert ">223户</span>" in html  # the theme's figures, from the stats rows of 底线民生
    assert "图1 社会救助人次（按救助类别；2018年含示例数据，非公开发布数）" in html  # numbered through the report


def test_problems_hold_the_improvements_unless_they_have_a_section_of_their_own(unit_settings):
    import jixiao
    from jixiao.sections import problems

    shutil.copytree(REPO / "data", settings.paths.root() / "data")
    unit_settings(sections=["overview", "problems", "review"])
    combined = problems.section(jixiao.open_report(UNIT, YEAR))
    assert re.findall(r"<h3>(.*?)</h3>", combined) == ["存在问题", "改进措施"]
    assert "一是加强救助资金成本分析。" in combined

    unit_settings(sections=["overview", "problems", "improvements", "review"])
    alone = problems.section(jixiao.open_report(UNIT, YEAR))
    assert "<h3>" not in alone and "加强救助资金成本分析" not in alone
    assert "一是流浪乞讨救助单位成本偏高。" in re.sub(r"<[^>]+>", "", alone)


def test_a_page_without_some_sections_keeps_the_outlines_numbers():
    loaded = settings.load(UNIT, YEAR)
    kept = {"01-overview": "<h2>总体情况</h2>", "14-problems": "<h2>存在问题和改进措施</h2>"}
    rendered = [stitching.RenderedSection(i, "", f"notebooks/{i}.ipynb", body) for i, body in kept.items()]
    page = stitching.render_page(title="t", unit_name="u", year=YEAR, score_html="—", grade="—", sections=rendered,
                                 outline=loaded.outline, numbering=loaded.numbering)  # fmt: skip
    assert toc_entries(page) == [
        ("01-overview", "一、", "总体情况", 1),
        ("14-problems", "十、", "存在问题和改进措施", 1),
    ]
    assert 'class="jx-chapter"' not in page  # the chapter of the themes had none of its sections
