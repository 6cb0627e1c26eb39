"""Number formatting as the report writes it, on the founding example's figures."""

from __future__ import annotations

import doctest
import math

import pytest

from jixiao import formatting
from jixiao.formatting import (
    change_phrase,
    chinese_numeral,
    count,
    date,
    enumerate_cn,
    format_value,
    from_to_phrase,
    heading_number,
    number_style,
    ordinal_item,
    percent,
    points_phrase,
    qualified,
    quotes,
    section_number,
    wanyuan,
    yoy_phrase,
)


def test_doctests() -> None:
    result = doctest.testmod(formatting, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 20
    assert result.failed == 0


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (10408.34, 2, "10408.34万元"),
        (6898.64, 2, "6898.64万元"),
        (442.25, 2, "442.25万元"),
        (162, 2, "162.00万元"),
        (2.675, 2, "2.68万元"),  # half-up on the decimal as written, not binary half-even
        (1288.6, 1, "1288.6万元"),
        (162, None, "162万元"),
        (41.95, None, "41.95万元"),
        (4.1, None, "4.1万元"),
        (4.10, None, "4.1万元"),
        (753.4, None, "753.4万元"),
        (305.74, None, "305.74万元"),
        (0.004, None, "0万元"),
        (123456789.5, None, "123456789.5万元"),  # no thousands separator
    ],
)
def test_wanyuan(value: float, decimals: int | None, expected: str) -> None:
    assert wanyuan(value, decimals) == expected


@pytest.mark.parametrize(
    ("ratio", "expected"),
    [
        (0.795, "79.5%"),
        (0.79498, "79.5%"),
        (1.0, "100%"),
        (1, "100%"),
        (0.5, "50%"),
        (0.0, "0%"),
        (6898.64 / 8677.5, "79.5%"),
        (0.9996, "100.0%"),  # rounds to 100 but is not 100: keeps its decimal
        (0.12345, "12.3%"),
        (1.25, "125%"),
    ],
)
def test_percent(ratio: float, expected: str) -> None:
    assert percent(ratio) == expected


def test_percent_decimals() -> None:
    assert percent(0.79498, 2) == "79.5%"  # one style: trailing zeros dropped
    assert percent(0.79456, 2) == "79.46%" and percent(0.99996, 2) == "100.00%" and percent(1.63, 1) == "163%"
    assert percent(0.795, 0) == "80%"


def test_count_and_qualified() -> None:
    assert count(653, "名") == "653名"
    assert count(223, "户") == "223户"
    assert count(489.0, "人") == "489人"
    assert count(289, "人次") == "289人次"
    assert qualified("121.6", "约", "万元") == "约121.6万元"
    assert qualified("1500", "多", "份") == "1500多份"
    assert qualified("1500", "", "份") == "1500份"
    assert qualified("1500", math.nan, "份") == "1500份"  # an empty optional cell from pandas
    with pytest.raises(ValueError, match="qualifier"):
        qualified("1", "近", "份")


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "零"),
        (1, "一"),
        (2, "二"),
        (9, "九"),
        (10, "十"),
        (11, "十一"),
        (19, "十九"),
        (20, "二十"),
        (23, "二十三"),
        (99, "九十九"),
        (100, "一百"),
        (101, "一百零一"),
        (110, "一百一十"),
        (1001, "一千零一"),
        (1010, "一千零一十"),
        (9999, "九千九百九十九"),
        (10000, "一万"),
        (10010, "一万零一十"),
        (13927, "一万三千九百二十七"),
    ],
)
def test_chinese_numeral(n: int, expected: str) -> None:
    assert chinese_numeral(n) == expected


def test_chinese_numeral_measure_word() -> None:
    assert chinese_numeral(2, "条") == "两条"
    assert chinese_numeral(12, "条") == "十二条"
    assert chinese_numeral(22, "条") == "二十二条"
    assert chinese_numeral(200, "人") == "两百人"
    assert chinese_numeral(6, "篇") == "六篇"
    for bad in (-1, 1.5, 10**8):
        with pytest.raises(ValueError):
            chinese_numeral(bad)  # type: ignore[arg-type]


# Every kind of figure in the founding example, written from its stats row.
@pytest.mark.parametrize(
    ("value", "unit", "qualifier", "numerals", "expected"),
    [
        (10408.34, "万元", None, None, "10408.34万元"),
        (162.0, "万元", None, None, "162万元"),
        (41.95, "万元", None, None, "41.95万元"),
        (4.1, "万元", None, None, "4.1万元"),
        (121.6, "万元", "约", None, "约121.6万元"),
        (100, "%", None, None, "100%"),
        (100.0, "%", None, None, "100%"),
        (79.5, "%", None, None, "79.5%"),
        (653, "名", None, None, "653名"),
        (653.0, "名", None, None, "653名"),
        (223, "户", None, None, "223户"),
        (289, "人次", None, None, "289人次"),
        (2657, "对", None, None, "2657对"),
        (1157, "宗", None, None, "1157宗"),
        (1115, "具", None, None, "1115具"),
        (18, "家", None, None, "18家"),
        (399, "张", None, None, "399张"),
        (191, "卷", None, None, "191卷"),
        (3, "例", None, None, "3例"),
        (1500, "份", "多", None, "1500多份"),
        (2, "条", None, "中文", "两条"),
        (20, "条", "多", "中文", "二十多条"),
        (1, "万人次", None, None, "1万人次"),
        (2.5, "人", None, None, "2.5人"),
        (None, "人", None, None, "—"),
        (math.nan, "万元", None, None, "—"),
        (653, "名", math.nan, math.nan, "653名"),
        (653, " 名 ", "", "", "653名"),
    ],
)
def test_format_value(
    value: float | None, unit: str, qualifier: str | None, numerals: str | None, expected: str
) -> None:
    assert format_value(value, unit, qualifier, numerals) == expected


def test_numbering_and_lists() -> None:
    assert [ordinal_item(i) for i in (1, 2, 5, 7, 10, 11)] == ["一是", "二是", "五是", "七是", "十是", "十一是"]
    assert [section_number(i) for i in range(1, 6)] == ["（一）", "（二）", "（三）", "（四）", "（五）"]
    assert enumerate_cn(["a", "b", "c"]) == "a、b、c"
    assert enumerate_cn([]) == ""
    names = ["特困供养", "社会福利", "城乡低保"]
    assert enumerate_cn(names, quotes=True) + "等" == "“特困供养”“社会福利”“城乡低保”等"
    with pytest.raises(ValueError):
        ordinal_item(0)


def test_heading_numbers_in_each_style() -> None:
    assert [heading_number(n) for n in (1, 3, 10, 21)] == ["一、", "三、", "十、", "二十一、"]
    assert [heading_number(n, "（一）") for n in (1, 12)] == ["（一）", "（十二）"]
    assert [heading_number(n, "1.") for n in (1, 12)] == ["1.", "12."]
    assert [heading_number(n, "（1）") for n in (2, 3)] == ["（2）", "（3）"]
    assert heading_number(2, "第一部分") == "第二部分"
    assert [number_style(s) for s in ("A.", "11.", "一1", "")] == [None, None, None, None]
    with pytest.raises(ValueError, match=r"not a number style: 'A\.'"):
        heading_number(1, "A.")


def test_chinese_quotes_and_dates() -> None:
    assert quotes('"双百镇"社工') == "“双百镇”社工"
    assert quotes("学习《党章》，做到\"两个'维护'\"") == "学习《党章》，做到“两个‘维护’”"
    assert date("2020-04-20") == "2020年4月20日" and date("2020年4月") == "2020年4月"
    assert [date(v) for v in ("2020-4-2 10:30", "2020-02-30", " 2020/4/2 ", None, float("nan"))] == [
        "2020年4月2日", "2020-02-30", "2020/4/2", "", ""
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("curr", "prev", "expected"),
    [
        (1, 0.98766, ("提高", "1.2个百分点")),
        (0.795, 0.85, ("下降", "5.5个百分点")),
        (1, 1, ("持平", "")),
        (0.9, 0.89996, ("持平", "")),
    ],
)
def test_points_phrase(curr: float, prev: float, expected: tuple[str, str]) -> None:
    assert points_phrase(curr, prev) == expected


def test_from_to_phrase() -> None:
    assert from_to_phrase("1条", "2条", 2, 1) == "由1条增至2条"
    assert from_to_phrase("8家", "6家", 6, 8) == "由8家减至6家"
    assert from_to_phrase("6个", "6个", 6, 6) == "与上年持平，均为6个"


@pytest.mark.parametrize(
    ("curr", "prev", "unit", "expected"),
    [
        (235, 223, "户", "增加12户"),
        (10.3, 13.8, "万元", "减少3.5万元"),
        (5, 5, "人", "持平"),
        (4.1000001, 4.1, "万元", "持平"),
        (98.5, 95, "%", "提高3.5个百分点"),
        (92, 95, "%", "下降3个百分点"),
        (1500, 1600, "份", "减少100份"),
    ],
)
def test_change_phrase(curr: float, prev: float, unit: str, expected: str) -> None:
    assert change_phrase(curr, prev, unit) == expected


@pytest.mark.parametrize(
    ("curr", "prev", "expected"),
    [
        (105.2, 100, "同比增长5.2%"),
        (97, 100, "同比下降3%"),
        (97.02, 100, "同比下降3%"),
        (100, 100, "与上年持平"),
        (100.01, 100, "与上年基本持平"),
        (200, 100, "同比增长100%"),
        (12, 0, "上年为0，不计算同比增幅"),
        (0, 0, "与上年持平"),
        (10408.34, 9876.5, "同比增长5.4%"),
    ],
)
def test_yoy_phrase(curr: float, prev: float, expected: str) -> None:
    assert yoy_phrase(curr, prev) == expected


def test_every_negative_figure_has_the_minus_sign() -> None:
    from jixiao.formatting import natural, number

    assert [count(-5, "人"), natural(-3.5), number(-7.314), percent(-0.073)] == ["−5人", "−3.5", "−7.31", "−7.3%"]
