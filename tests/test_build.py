"""The build end to end: the stitched HTML of the 2019 example, and what the terminal shows."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from conftest import UNIT, YEAR, build

SECTION_TITLES = [
    "一、总体情况",
    "二、部门整体支出目标实现程度及绩效",
    "三、部门概况",
    "四、部门预算及执行情况",
    "五、年度绩效目标完成情况",
    "六、自评结论",
    "七、评价工作开展情况",
    "八、项目支出绩效自评",
    "九、未开展自评的项目",
    "十、存在问题和改进措施",
    "十一、结果应用和信息公开",
    "审核提示",
]
"""The top-level headings (``<h2>``) of the 2019 example, numbered from its settings."""
HEADINGS = [
    ("h2", "一、总体情况"),
    ("h3", "（一）预算执行情况"),
    ("h3", "（二）部门整体支出绩效自评"),
    ("h3", "（三）历年对比"),
    ("h2", "二、部门整体支出目标实现程度及绩效"),
    ("h3", "（一）底线民生保障坚定有力"),
    ("h3", "（二）养老服务体系建设快速发展"),
    ("h3", "（三）儿童福利保障全面落实"),
    ("h3", "（四）民政领域社会治理水平得到提升"),
    ("h3", "（五）全面从严治党向纵深发展"),
    ("h2", "三、部门概况"),
    ("h3", "（一）部门职能"),
    ("h3", "（二）机构设置"),
    ("h3", "（三）人员情况"),
    ("h2", "四、部门预算及执行情况"),
    ("h3", "（一）预算收支总体情况"),
    ("h3", "（二）基本支出"),
    ("h3", "（三）项目支出"),
    ("h3", "（四）“三公”经费"),
    ("h2", "五、年度绩效目标完成情况"),
    ("h2", "六、自评结论"),
    ("h2", "七、评价工作开展情况"),
    ("h2", "八、项目支出绩效自评"),
    ("h3", "项目支出绩效自评表"),  # the only one under 八: no lone （一）
    ("h2", "九、未开展自评的项目"),
    ("h2", "十、存在问题和改进措施"),
    ("h3", "（一）存在问题"),
    ("h3", "（二）改进措施"),
    ("h2", "十一、结果应用和信息公开"),
    ("h3", "（一）结果应用"),
    ("h3", "（二）信息公开"),
    ("h2", "审核提示"),
]
"""Every heading of the report's body, in order: the themes nested under a chapter, as in the
published report, the standard blocks after them."""
TOC = [
    ("01-overview", "一、", "总体情况", 1),
    ("01-overview-1", "（一）", "预算执行情况", 2),
    ("01-overview-2", "（二）", "部门整体支出绩效自评", 2),
    ("01-overview-3", "（三）", "历年对比", 2),
    ("chapter-1", "二、", "部门整体支出目标实现程度及绩效", 1),
    ("02-dibao", "（一）", "底线民生保障坚定有力", 2),
    ("03-yanglao", "（二）", "养老服务体系建设快速发展", 2),
    ("04-ertong", "（三）", "儿童福利保障全面落实", 2),
    ("05-zhili", "（四）", "民政领域社会治理水平得到提升", 2),
    ("06-dangjian", "（五）", "全面从严治党向纵深发展", 2),
    ("07-profile", "三、", "部门概况", 1),
    ("07-profile-1", "（一）", "部门职能", 2),
    ("07-profile-2", "（二）", "机构设置", 2),
    ("07-profile-3", "（三）", "人员情况", 2),
    ("08-budget", "四、", "部门预算及执行情况", 1),
    ("08-budget-1", "（一）", "预算收支总体情况", 2),
    ("08-budget-2", "（二）", "基本支出", 2),
    ("08-budget-3", "（三）", "项目支出", 2),
    ("08-budget-4", "（四）", "“三公”经费", 2),
    ("09-goals", "五、", "年度绩效目标完成情况", 1),
    ("10-conclusion", "六、", "自评结论", 1),
    ("11-evaluation", "七、", "评价工作开展情况", 1),
    ("12-projects", "八、", "项目支出绩效自评", 1),
    ("13-unevaluated", "九、", "未开展自评的项目", 1),
    ("14-problems", "十、", "存在问题和改进措施", 1),
    ("14-problems-1", "（一）", "存在问题", 2),
    ("14-problems-2", "（二）", "改进措施", 2),
    ("15-application", "十一、", "结果应用和信息公开", 1),
    ("15-application-1", "（一）", "结果应用", 2),
    ("15-application-2", "（二）", "信息公开", 2),
    ("16-review", "", "审核提示", 1),
]
"""The 目录: anchor, number, title and depth (a chapter's sections in a list of their own, a
section's own sub-headings too, down to （一）: every level listed the same way)."""
SECTION_IDS = [
    "01-overview",
    "02-dibao",
    "03-yanglao",
    "04-ertong",
    "05-zhili",
    "06-dangjian",
    "07-profile",
    "08-budget",
    "09-goals",
    "10-conclusion",
    "11-evaluation",
    "12-projects",
    "13-unevaluated",
    "14-problems",
    "15-application",
    "16-review",
]


def toc_entries(html: str) -> list[tuple[str, str, str, int]]:
    """The 目录's links with their number, title and depth (how many lists they are in)."""
    toc = html.split('<nav class="jx-toc"', 1)[1].split("</nav>", 1)[0]
    entries, depth = [], 0
    for match in re.finditer(r'<(/?)ol>|<a href="#([^"]+)">(?:<span class="jx-number">([^<]*)</span>)?([^<]*)</a>',
                             toc):  # fmt: skip
        if match.group(2):
            entries.append((match.group(2), match.group(3) or "", match.group(4), depth))
        else:
            depth += -1 if match.group(1) else 1
    return entries


def headings(html: str) -> list[tuple[str, str]]:
    """Every heading of the report's body (tag, text), in order."""
    main = html.split("<main>", 1)[1].split("</main>", 1)[0]
    found = re.finditer(r"<(h[1-6])\b[^>]*>(.*?)</\1>", main, re.S)
    return [(m.group(1), re.sub(r"<[^>]+>", "", m.group(2)).strip()) for m in found]


class Page(HTMLParser):
    """The parts of the page the tests look at."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.links: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.h2: list[str] = []
        self._in_h2 = False
        self._text = ""
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if attributes.get("id"):
            self.ids.append(attributes["id"])
        if tag == "a" and attributes.get("href", "").startswith("#"):
            self.links.append(attributes["href"][1:])
        if tag == "h2":
            self._in_h2, self._text = True, ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2" and self._in_h2:
            self.h2.append(self._text.strip())
            self._in_h2 = False

    def handle_data(self, data: str) -> None:
        if self._in_h2:
            self._text += data


def test_title_language_and_one_stylesheet(example):
    html = example.html
    assert html.startswith('<!DOCTYPE html>\n<html lang="zh">')
    assert "<title>乐昌市民政局2019年绩效自评报告</title>" in html
    assert html.count("<style") == 1
    assert html.count("<head>") == 1


def test_cover_shows_score_and_grade_from_data(example):
    cover = example.html.split('<header class="jx-cover"', 1)[1].split("</header>", 1)[0]
    link = r"(<a class=\"jx-figref\" [^>]*>)?"  # a computed figure links to its derivation
    assert re.search(r"<dd>" + link + r"<span class=\"jx-fig[^\"]*\"[^>]*>100分</span>(</a>)?</dd>", cover)
    assert "<dd>优</dd>" in cover
    assert "<dd>乐昌市民政局</dd>" in cover and "<dd>2019年</dd>" in cover


def test_sections_in_order_with_their_headings(example):
    page = Page(example.html)
    sections = [a["id"] for tag, a in page.tags if tag == "section" and "jx-section" in a.get("class", "")]
    assert sections == SECTION_IDS
    body_h2 = [t for t in page.h2 if t != "目录"]
    assert body_h2 == SECTION_TITLES
    assert headings(example.html) == HEADINGS
    chapter = example.html.split('<section class="jx-chapter" id="chapter-1">', 1)[1]
    assert chapter.startswith(
        '\n<h2 id="chapter-1-title"><span class="jx-number">二、</span>部门整体支出目标实现程度及绩效</h2>'
    )
    assert chapter.index('id="02-dibao"') < chapter.index('id="06-dangjian"') < chapter.index("</section>\n</section>")


def test_table_of_contents_links_every_section_with_the_numbers_of_the_headings(example):
    assert toc_entries(example.html) == TOC
    numbered = [f"{number}{title}" for _, number, title, _ in TOC]
    assert numbered == [text for _, text in headings(example.html) if text in numbered]
    page = Page(example.html)
    assert set(page.links) <= set(page.ids), set(page.links) - set(page.ids)
    assert len(page.ids) == len(set(page.ids)), "element ids must be unique"


def test_no_code_prompts_or_parameters(example):
    html = example.html.split("</style>", 1)[1]  # the stylesheet may name prompt classes to hide them
    for needle in ("In&nbsp;[", "In [", "import jixiao", "open_report", "unit: str", "injected-parameters",
                   "jp-InputPrompt", "input_area", "application/vnd.jixiao"):  # fmt: skip
        assert needle not in html, needle


def test_nothing_loaded_from_outside(example):
    page = Page(example.html)
    for tag, attrs in page.tags:
        for name in ("src", "href"):
            value = attrs.get(name) or ""
            assert not re.match(r"(https?:)?//", value), (tag, value)
        if tag == "script":
            assert "src" not in attrs, attrs
        assert tag != "link", f"no <link> expected, found {attrs}"
        if tag == "img":
            assert attrs["src"].startswith("data:image/"), attrs["src"][:40]
            assert attrs.get("alt"), "every chart has alt text"
    assert "@import" not in example.html and "url(http" not in example.html


def test_terminal_lists_each_section_with_its_time_and_the_report_path(example):
    lines = example.build.stdout.splitlines()
    assert lines[0] == f"jixiao build {UNIT} {YEAR}"
    for section in SECTION_IDS:
        [line] = [x for x in lines if x.strip().startswith(section)]
        assert re.fullmatch(rf"  {section} +\d+\.\d\ds", line), line
    assert re.fullmatch(r"报告 \(report\): outputs/lechang-mzj/2019/report\.html  \d+\.\d\d MB, \d+\.\d\ds", lines[-1])


def test_executed_notebooks_are_kept(example):
    names = sorted(p.name for p in (example.out / "notebooks").glob("*.ipynb"))
    assert names == [f"{s}.ipynb" for s in SECTION_IDS]
    notebook = json.loads((example.out / "notebooks" / "02-dibao.ipynb").read_text(encoding="utf-8"))
    assert notebook["metadata"]["papermill"]["parameters"] == {"unit": UNIT, "year": YEAR, "theme": "dibao"}


def test_no_glyph_missing_warning_in_any_executed_notebook(example):
    for path in (example.out / "notebooks").glob("*.ipynb"):
        text = path.read_text(encoding="utf-8")
        assert "Glyph" not in text and "missing from font" not in text, path.name
        notebook = json.loads(text)
        streams = [o for c in notebook["cells"] for o in c.get("outputs", []) if o.get("name") == "stderr"]
        assert streams == [], (path.name, streams)


def test_a_failing_section_leaves_the_last_report_untouched(built_copy):
    report = built_copy / "outputs" / UNIT / str(YEAR) / "report.html"
    before = report.read_bytes()
    notebook_path = built_copy / "notebooks" / "04_problems.ipynb"
    notebook = json.loads(notebook_path.read_text(encoding="utf-8"))
    notebook["cells"].append({"cell_type": "code", "execution_count": None, "id": "boom", "metadata": {},
                              "outputs": [], "source": ["raise RuntimeError('故意的错误')"]})  # fmt: skip
    notebook_path.write_text(json.dumps(notebook, ensure_ascii=False), encoding="utf-8")

    result = build(built_copy)

    assert result.returncode == 1
    cells = len(notebook["cells"])  # the failing cell is the last one, counted from 1 as in JupyterLab
    assert result.stderr.splitlines()[:3] == [
        f"章节 14-problems (notebooks/04_problems.ipynb) 执行失败：第 {cells} 个单元格",
        "  > raise RuntimeError('故意的错误')",
        "  RuntimeError: 故意的错误",
    ]
    assert "未生成报告；上一次的报告保持不变。" in result.stderr
    assert report.read_bytes() == before
