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
    "kind",
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
    for check in review.get("project_amounts", []):
        keys += check["keys"]
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
        assert r["kind"] == ("设定" if r["key"] == "gaoling_age_threshold" else ""), r  # a rule, not a result
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


# -- the supplied data agree with themselves and with the published totals -------------------------

CENT = Decimal("0.005")


def rows_of(year: int, table: str) -> list[dict[str, str]]:
    with (DATA / str(year) / f"{table}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def amount(row: dict[str, str], column: str) -> Decimal:
    return Decimal(row[column]) if row[column] else Decimal(0)


def test_published_totals_are_kept():
    budget = rows_of(2019, "budget")
    assert sum(amount(r, "full_year_budget") for r in budget) == Decimal("10408.34")
    assert sum(amount(r, "executed") for r in budget) == Decimal("10408.34")
    projects = rows_of(2019, "projects")
    general = [r for r in projects if r["fund_source"] == "一般公共预算" and r["self_evaluated"] == "是"]
    fund = [r for r in projects if r["fund_source"] == "政府性基金预算" and r["self_evaluated"] == "是"]
    assert (len(general), len(fund)) == (7, 6)
    assert sum(amount(r, "executed") for r in general) == Decimal("6898.64")
    assert sum(amount(r, "executed") for r in fund) == Decimal("442.25")
    line = {(r["fund_source"], r["kind"]): r for r in budget}
    general_line = amount(line["一般公共预算", "项目支出"], "executed")
    assert round(Decimal("6898.64") / general_line * 100, 1) == Decimal("79.5")
    assert amount(line["政府性基金预算", "项目支出"], "executed") == Decimal("442.25")  # 100%


@pytest.mark.parametrize("year", YEARS)
def test_fund_projects_add_up_to_their_line_in_every_column(year):
    # the fund projects are all of the fund's project spending (100%), so every amount adds up
    budget = {(r["fund_source"], r["kind"]): r for r in rows_of(year, "budget")}
    line = budget["政府性基金预算", "项目支出"]
    fund = [r for r in rows_of(year, "projects") if r["fund_source"] == "政府性基金预算"]
    for column in ("initial_budget", "full_year_budget", "executed"):
        assert sum(amount(r, column) for r in fund) == amount(line, column), column


def test_carry_overs_are_last_years_unspent_balances():
    # 2019 once carried 18.00 for 养老服务设施建设 (2018 left 12.16) and 65.18 for 城乡低保 (2018 spent 100%)
    last = {r["project_id"]: r for r in rows_of(2018, "projects")}
    carried = {r["project_id"]: amount(r, "full_year_budget")
               for r in rows_of(2019, "project_funds") if r["fund_type"] == "上年结转资金"}  # fmt: skip
    unspent = {pid: amount(r, "full_year_budget") - amount(r, "executed") for pid, r in last.items()}
    assert carried == {"JJ01": Decimal("12.16")}
    for pid, value in carried.items():
        assert value <= unspent[pid] + CENT, pid
    assert unspent["JJ01"] == Decimal("12.16") and unspent["YB03"] == 0


def stat_value(stats: dict[str, dict[str, str]], link: str) -> tuple[Decimal, str]:
    """The value of a stats key, or of a sum ``a+b``, and the first key's unit."""
    keys = link.split("+")
    return sum(Decimal(stats[k]["value"]) for k in keys), stats[keys[0]]["unit"]


@pytest.mark.parametrize("year", YEARS)
def test_indicators_linked_to_stats_state_the_same_figure(year):
    # the 2018 自评表 once said 临时救助 276 人次 (stats 312), 流浪乞讨 141 (161), 日间照料床位 150 (120),
    # 高龄津贴 9032 (9128), and more: every shared figure is now linked and equal
    stats = stats_by_key(year)
    linked = {r["indicator_id"]: r for r in rows_of(year, "indicators") if r["stats_key"]}
    for iid in ("YB05-01", "YB05-02", "JJ01-02", "YB02-01", "YB01-01", "YB07-01", "JJ06-01", "JJ06-02"):
        assert iid in linked, iid
    for iid, row in linked.items():
        value, unit = stat_value(stats, row["stats_key"])
        if unit.startswith("万") and unit[1:] == row["measure_unit"]:
            value *= 10000
        assert Decimal(row["actual"]) == value, (year, iid, row["actual"], row["stats_key"], value)


@pytest.mark.parametrize("year", YEARS)
def test_stats_amounts_fit_in_the_project_said_to_pay_them(year):
    # 殡葬改革 once had 38.00 万元 while the published text says 免费总金额 156.2 万元
    settings = yaml.safe_load(UNIT_SETTINGS.read_text(encoding="utf-8"))
    stats = stats_by_key(year)
    projects = rows_of(year, "projects")
    checks = settings["review"]["project_amounts"]
    assert {c["project"] for c in checks} >= {"殡葬改革", "临时救助"}
    for check in checks:
        (project,) = [r for r in projects if check["project"] in (r["project_id"], r["project_name"])]
        spent = sum(Decimal(stats[k]["value"]) for k in check["keys"])
        assert all(stats[k]["unit"] == "万元" for k in check["keys"])
        assert spent <= amount(project, "executed"), (year, check["project"], spent)


@pytest.mark.parametrize("year", YEARS)
def test_budget_completion_is_computed_not_typed(year):
    (row,) = [r for r in rows_of(year, "indicators") if r["level3"] == "预算完成率"]
    assert (row["scope"], row["actual"], row["computed_actual"]) == ("department", "", "预算执行率")
    budget = rows_of(year, "budget")
    rate = sum(amount(r, "executed") for r in budget) / sum(amount(r, "full_year_budget") for r in budget) * 100
    expected = {2018: Decimal("98.77"), 2019: Decimal("100.00")}[year]
    assert rate.quantize(Decimal("0.01")) == expected
