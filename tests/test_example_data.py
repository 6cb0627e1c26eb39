"""The example's themed sections as data: data/lechang-mzj/<year>/stats.csv and narrative.csv.

Read with the csv module only (independent of jixiao's loader). Checks that every placeholder
names a stats key, that no figure is typed in the prose, that the unit settings only use
existing keys, and that filling the 2019 templates reproduces every figure printed in
sections (一)–(五) of the published report, in the published order.
"""

from __future__ import annotations

import csv
import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "lechang-mzj"
UNIT_SETTINGS = ROOT / "params" / "lechang-mzj" / "unit.yaml"
YEARS = (2018, 2019)

STATS_COLUMNS = [
    "section",
    "key",
    "label",
    "value",
    "unit",
    "qualifier",
    "numerals",
    "source",
    "note",
]
NARRATIVE_COLUMNS = ["section", "order", "kind", "text", "source"]
THEMES = ("dibao", "yanglao", "ertong", "zhili", "dangjian")
BLOCKS = ("evaluation", "application", "disclosure")
"""Free-text blocks of the full report; the published summary has none, so their rows (and the
figures they name) are illustrative."""
NON_STAT_PLACEHOLDERS = {"year", "unit_name"}
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
KEY = re.compile(r"[a-z][a-z0-9_]*")
DIGIT = re.compile(r"[0-9０-９]")

# Dates kept as text on purpose (they are dates, not statistics): exact substrings per year.
DATE_ALLOW_LIST = {
    2019: ["{year}年10月", "10-11月", "2018年度"],
    2018: ["2017年度"],
}

# Every figure printed in sections (一)–(五) of the 2019 report, per section, in the order printed
# (PDF extraction spaces removed). "9个" is the derived 7 + 2 养老服务项目.
# fmt: off
PUBLISHED_FIGURES = {
    "dibao": [
        "653名", "260条",
        "223户", "489人", "4.1万元",
        "289人次", "41.95万元", "305.74万元", "294户", "965人", "153人次", "162万元",
        "13927人", "2869名", "2284名", "100%",
    ],
    "yanglao": [
        "9465名", "80岁", "215万元", "18家", "399张", "4.7万元",
        "9个", "7个", "2个", "180个",
        "15间", "7间", "753.4万元", "17间", "62名",
    ],
    "ertong": ["10所", "4766人", "10所", "6个"],
    "zhili": [
        "1115具", "1157宗", "156.2万元",
        "2657对", "1152对", "509宗", "108宗", "100%", "191卷", "3例",
        "6个", "109次", "约121.6万元", "4.1万元", "1万人次",
        "6家", "9家", "231家", "405人",
        "1500多份", "50户", "1.1万元", "两条",
    ],
    "dangjian": ["6篇", "11期", "253人次", "15次", "300人次", "18件", "10次"],
}
# fmt: on

# A few whole sentences, to check the wording around the figures as well.
PUBLISHED_SENTENCES = [
    "全市共清退低保户223户、489人，追缴低保金4.1万元。",
    "完成9个养老服务项目建设工作。7个“幸福计划”项目和2个城乡社区养老综合服务设施建设项目全面完工，"
    "总计新增日间照料养老床位180个。",
    "2019年6个社会工作服务站共开展活动109次，发放物资约121.6万元、现金4.1万元，帮助困难群众1万人次。",
    "发放有民政职能的扫黑除恶宣传册1500多份，走访群众50户，宣传方面共投入经费1.1万元。共办结两条线索。",
]

_CN = "零一二三四五六七八九十"


def read(year: int, table: str) -> list[dict[str, str]]:
    with (DATA / str(year) / f"{table}.csv").open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        columns = STATS_COLUMNS if table == "stats" else NARRATIVE_COLUMNS
        assert reader.fieldnames == columns, f"{year}/{table}.csv header"
        return list(reader)


def stats_by_key(year: int) -> dict[str, dict[str, str]]:
    return {row["key"]: row for row in read(year, "stats")}


def render_value(value: str, unit: str, qualifier: str = "", numerals: str = "") -> str:
    """The figure as the report prints it: the value as stored, its unit, 约 before / 多 after."""
    text = value
    if numerals == "中文":
        n = int(Decimal(value))
        assert 1 <= n <= 10, "the test's Chinese numerals cover 1–10"
        text = "两" if n == 2 else _CN[n]
    if qualifier == "约":
        return "约" + text + unit
    if qualifier == "多":
        return text + "多" + unit
    assert qualifier == "", f"unknown qualifier {qualifier!r}"
    return text + unit


def render_placeholder(name: str, stats: dict[str, dict[str, str]], year: int) -> str:
    if name == "year":
        return str(year)
    if name == "unit_name":
        return "乐昌市民政局"
    if "+" in name:
        a, b = name.split("+")
        total = Decimal(stats[a]["value"]) + Decimal(stats[b]["value"])
        return render_value(format(total.normalize(), "f"), stats[a]["unit"])
    row = stats[name]
    return render_value(row["value"], row["unit"], row["qualifier"], row["numerals"])


def rendered_figures(template: str, stats: dict[str, dict[str, str]], year: int) -> list[str]:
    return [render_placeholder(n, stats, year) for n in PLACEHOLDER.findall(template) if n not in NON_STAT_PLACEHOLDERS]


def render(template: str, stats: dict[str, dict[str, str]], year: int) -> str:
    return PLACEHOLDER.sub(lambda m: render_placeholder(m.group(1), stats, year), template)


def theme_rows(year: int) -> list[dict[str, str]]:
    rows = [r for r in read(year, "narrative") if r["section"] in THEMES]
    return sorted(rows, key=lambda r: (THEMES.index(r["section"]), int(r["order"])))


def settings_keys(settings: dict) -> list[str]:
    keys: list[str] = []
    for theme in (settings.get("themes") or {}).values():
        for chart in theme.get("charts", []):
            keys += chart["keys"]
    review = settings.get("review") or {}
    for group in (review.get("unit_costs") or {}).get("groups", []):
        for item in group["items"]:
            keys += [item["amount"], item["count"]]
    for check in review.get("same_count", []):
        keys += check["keys"]
    for check in review.get("part_of", []):
        keys += [check["part"], check["whole"]]
    return keys


@pytest.mark.parametrize("year", YEARS)
def test_stats_rows_are_well_formed(year):
    rows = read(year, "stats")
    keys = [r["key"] for r in rows]
    assert len(keys) == len(set(keys)), "keys must be unique"
    expected_source = "published" if year == 2019 else "illustrative"
    for r in rows:
        assert r["section"] in THEMES or r["section"] in BLOCKS, r
        assert KEY.fullmatch(r["key"]), r["key"]
        assert r["label"].strip() and not DIGIT.search(r["label"]), r
        Decimal(r["value"])  # a number
        assert r["unit"].strip(), r
        assert r["qualifier"] in ("", "约", "多"), r
        assert r["numerals"] in ("", "中文"), r
        assert r["source"] == (expected_source if r["section"] in THEMES else "illustrative"), r


def test_same_keys_both_years():
    assert [r["key"] for r in read(2018, "stats")] == [r["key"] for r in read(2019, "stats")]
    for key, row in stats_by_key(2019).items():
        other = stats_by_key(2018)[key]
        assert (other["section"], other["label"], other["unit"]) == (
            row["section"],
            row["label"],
            row["unit"],
        ), key


@pytest.mark.parametrize("year", YEARS)
def test_placeholders_name_stats_keys(year):
    stats = stats_by_key(year)
    for r in read(year, "narrative"):
        for name in PLACEHOLDER.findall(r["text"]):
            if name in NON_STAT_PLACEHOLDERS:
                continue
            parts = name.split("+")
            assert len(parts) in (1, 2), f"{name!r}: at most a sum of two keys"
            for part in parts:
                assert part in stats, f"{year} narrative {r['section']}/{r['order']}: unknown key {part!r}"
            if len(parts) == 2:
                assert stats[parts[0]]["unit"] == stats[parts[1]]["unit"], name


@pytest.mark.parametrize("year", YEARS)
def test_narrative_rows_are_well_formed(year):
    rows = read(year, "narrative")
    seen = set()
    for r in rows:
        assert r["section"] in (*THEMES, "problems", "improvements", *BLOCKS), r
        assert r["kind"] in ("title", "item", "paragraph"), r
        assert (r["section"], int(r["order"])) not in seen, r
        seen.add((r["section"], int(r["order"])))
        assert r["source"] in ("published", "illustrative"), r
        if r["section"] in ("problems", "improvements", *BLOCKS):
            assert r["source"] == "illustrative", "the published report has no problems/improvements/blocks"
        text = r["text"]
        assert text.strip() == text and text, r
        assert not re.search(r"^[一二三四五六七八九十]+是", text), "numbering is added by jixiao"
        assert not re.search(r"[,;:\"()]", PLACEHOLDER.sub("", text)), f"half-width punctuation: {text}"
    for theme in THEMES:
        titles = [r for r in rows if r["section"] == theme and r["kind"] == "title"]
        assert len(titles) == 1 and titles[0]["order"] == "0", theme
    for section in ("problems", "improvements"):
        assert 2 <= sum(r["section"] == section for r in rows) <= 3, section


@pytest.mark.parametrize("year", YEARS)
def test_no_figure_typed_in_prose(year):
    for r in read(year, "narrative"):
        text = r["text"]
        for allowed in DATE_ALLOW_LIST[year]:
            text = text.replace(allowed, "")
        text = PLACEHOLDER.sub("", text)
        assert not DIGIT.search(text), f"{year} {r['section']}/{r['order']}: a digit outside placeholders: {text}"


def test_date_allow_list_is_used():
    for year, allowed in DATE_ALLOW_LIST.items():
        texts = [r["text"] for r in read(year, "narrative")]
        for substring in allowed:
            assert any(substring in t for t in texts), f"{year}: {substring!r} no longer needed"


def test_2019_templates_reproduce_published_figures():
    stats = stats_by_key(2019)
    rows = theme_rows(2019)
    for theme in THEMES:
        produced = [f for r in rows if r["section"] == theme for f in rendered_figures(r["text"], stats, 2019)]
        assert produced == PUBLISHED_FIGURES[theme], theme
    assert all(r["source"] == "published" for r in rows)


def test_every_2019_stat_is_printed():
    used = set()
    for r in read(2019, "narrative"):
        for name in PLACEHOLDER.findall(r["text"]):
            used.update(name.split("+"))
    assert set(stats_by_key(2019)) <= used


def test_2019_sentences_as_published():
    stats = stats_by_key(2019)
    text = "".join(render(r["text"], stats, 2019) for r in theme_rows(2019))
    for sentence in PUBLISHED_SENTENCES:
        assert sentence in text


def test_derived_sum_is_not_stored():
    stats = stats_by_key(2019)
    assert not any(row["value"] == "9" and row["unit"] == "个" for row in stats.values())
    assert render_placeholder("xingfu_projects+community_facilities", stats, 2019) == "9个"


def test_unit_settings_use_existing_keys():
    settings = yaml.safe_load(UNIT_SETTINGS.read_text(encoding="utf-8"))
    stats = stats_by_key(2019)
    used = settings_keys(settings)
    assert used, "themes/review settings are missing"
    for key in used:
        assert key in stats, f"unit.yaml names unknown stats key {key!r}"
    for theme, conf in settings["themes"].items():
        assert theme in THEMES
        assert conf.get("charts"), f"{theme}: at least one chart"
        for chart in conf["charts"]:
            assert chart["kind"] in ("bar", "grouped_bar", "hbar"), chart
            units = {stats[k]["unit"] for k in chart["keys"]}
            assert len(units) == 1, f"chart {chart['title']!r} mixes units {units}"
    for group in settings["review"]["unit_costs"]["groups"]:
        assert all(stats[i["amount"]]["unit"] == "万元" for i in group["items"]), group["name"]
        assert len({stats[i["count"]]["unit"] for i in group["items"]}) == 1, group["name"]
