"""The build end to end: the stitched HTML of the 2019 example, and what the terminal shows."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from conftest import UNIT, YEAR, build

SECTION_TITLES = [
    "总体情况",
    "部门概况",
    "部门预算及执行情况",
    "年度绩效目标完成情况",
    "自评结论",
    "评价工作开展情况",
    "项目支出绩效自评",
    "未开展自评的项目",
    "(一)底线民生保障坚定有力",
    "(二)养老服务体系建设快速发展",
    "(三)儿童福利保障全面落实",
    "(四)民政领域社会治理水平得到提升",
    "(五)全面从严治党向纵深发展",
    "存在问题和改进措施",
    "结果应用和信息公开",
    "审核提示",
]
SECTION_IDS = ["01-overview", "02-profile", "03-budget", "04-goals", "05-conclusion", "06-evaluation",
               "07-projects", "08-unevaluated", "09-dibao", "10-yanglao", "11-ertong", "12-zhili", "13-dangjian",
               "14-problems", "15-application", "16-review"]  # fmt: skip


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
    sections = [a["id"] for tag, a in page.tags if tag == "section"]
    assert sections == SECTION_IDS
    body_h2 = [t for t in page.h2 if t != "目录"]
    assert body_h2 == SECTION_TITLES


def test_table_of_contents_links_every_section(example):
    toc = example.html.split('<nav class="jx-toc"', 1)[1].split("</nav>", 1)[0]
    assert re.findall(r'<a href="#([^"]+)">([^<]+)</a>', toc) == list(zip(SECTION_IDS, SECTION_TITLES, strict=True))
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
    notebook = json.loads((example.out / "notebooks" / "09-dibao.ipynb").read_text(encoding="utf-8"))
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
