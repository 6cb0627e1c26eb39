"""Numbers written the way a 绩效自评报告 writes them.

- amounts in 万元, no thousands separator: ``10408.34万元``, ``162万元``;
- percentages with one decimal, or a whole number when exact: ``79.5%``, ``100%``;
- counts with their measure word: ``653名``, ``289人次``;
- approximate values: ``约121.6万元``, ``1500多份``;
- Chinese numerals where the text uses them: ``两条``;
- lists ``一是…二是…``, headings ``一、`` ``（一）`` ``1.`` ``（1）``, project names ``“特困供养”“社会福利”``
  (quotes inside quotes: ``‘’``, see :func:`quotes`);
- year over year: ``同比增长5.2%``, ``增加12户``, ``由1条增至2条``; rates ``提高1.2个百分点``.

Rounding is half-up on the decimal value as written (``2.675`` → ``2.68``), as people round
by hand, not Python's binary half-even; the float is read through its shortest ``repr`` so
``0.795`` is the decimal 0.795, not 0.79499999….
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from numbers import Real

MISSING = "—"
"""What a missing value (None, NaN) is written as."""

WANYUAN = "万元"
PERCENT = "%"
MINUS = "\u2212"
"""The minus sign of a negative figure (−7.31), never the hyphen-minus of code."""
APPROX = "约"
MORE_THAN = "多"
CHINESE_NUMERALS = "中文"

QUOTE_MARKS: tuple[str, str] = ("“", "”")
"""Quotes around names in a list: ``“特困供养”“社会福利”``; inside quotes, ``‘’``."""

_DIGITS = "零一二三四五六七八九"
_SMALL_UNITS = ("", "十", "百", "千")


def _is_missing(x: object) -> bool:
    if x is None:
        return True
    try:
        return isinstance(x, Real) and math.isnan(float(x))
    except (TypeError, ValueError):
        return False


def _blank(x: object) -> bool:
    """None, NaN or an empty/whitespace string (how pandas hands over an empty optional cell)."""
    return _is_missing(x) or (isinstance(x, str) and not x.strip())


def _dec(x: Real | Decimal | str) -> Decimal:
    if isinstance(x, Decimal):
        return x
    if isinstance(x, bool):
        return Decimal(int(x))
    if isinstance(x, int):
        return Decimal(x)
    if isinstance(x, str):
        return Decimal(x.strip())
    f = float(x)
    if math.isnan(f) or math.isinf(f):
        raise ValueError(f"not a finite number: {x!r}")
    return Decimal(repr(f))


def _fixed(d: Decimal, decimals: int) -> str:
    """``d`` rounded half-up to exactly ``decimals`` places; never ``-0``; a negative number with
    the minus sign (−7.31), as every figure of a report is written."""
    try:
        q = d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    except InvalidOperation:  # more digits than decimal's 28: nothing left to round at this size
        q = d.to_integral_value() if decimals == 0 else d
    if q == 0:
        q = abs(q)
    return f"{q:f}".replace("-", MINUS)


def number(x: Real | Decimal, decimals: int | None = 2) -> str:
    """A plain number: ``decimals`` fixed places, or with ``None`` natural precision up to 2.

    >>> number(10408.34)
    '10408.34'
    >>> number(162, None), number(41.950, None), number(4.1, None), number(2.675, None)
    ('162', '41.95', '4.1', '2.68')
    >>> number(1234567.0, 0)
    '1234567'
    """
    return natural(x, 2) if decimals is None else _fixed(_dec(x), decimals)


def natural(x: Real | Decimal, max_decimals: int = 2) -> str:
    """``x`` rounded to at most ``max_decimals`` places, trailing zeros dropped.

    >>> natural(162.0), natural(41.95), natural(4.10), natural(0.004), natural(-3.5)
    ('162', '41.95', '4.1', '0', '−3.5')
    """
    s = _fixed(_dec(x), max_decimals)
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def wanyuan(x: Real | Decimal, decimals: int | None = 2) -> str:
    """An amount in 万元: two decimals by default, natural precision with ``decimals=None``.

    >>> wanyuan(10408.34), wanyuan(442.25), wanyuan(162)
    ('10408.34万元', '442.25万元', '162.00万元')
    >>> wanyuan(162, None), wanyuan(41.95, None), wanyuan(4.1, None), wanyuan(10408.34, None)
    ('162万元', '41.95万元', '4.1万元', '10408.34万元')
    """
    return number(x, decimals) + WANYUAN


def percent(ratio: Real | Decimal, decimals: int = 1) -> str:
    """A ratio (0.795) as a percentage: ``decimals`` places, trailing zeros dropped (50%, 10%,
    163%: one style whether the value was exact or rounded).

    >>> percent(0.795), percent(1.0), percent(0.79498), percent(1), percent(0.5), percent(1.63002)
    ('79.5%', '100%', '79.5%', '100%', '50%', '163%')

    A value that only rounds to 100% or 0% keeps its decimal, so 99.96% is not shown as an exact
    100% (nor 0.04% as none at all):

    >>> percent(0.9996), percent(0.0004), percent(-0.073)
    ('100.0%', '0.0%', '−7.3%')
    """
    pct = _dec(ratio) * 100
    if pct == pct.to_integral_value():
        return _fixed(pct, 0) + PERCENT
    shown = _fixed(pct, decimals)
    rounded = abs(pct.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))
    if rounded not in (0, 100) and "." in shown:
        shown = shown.rstrip("0").rstrip(".")
    return shown + PERCENT


def _whole_or_natural(x: Real | Decimal) -> str:
    d = _dec(x)
    return _fixed(d, 0) if d == d.to_integral_value() else natural(d)


def count(n: Real | Decimal, measure_word: str = "") -> str:
    """A count with its measure word (量词).

    >>> count(653, "名"), count(223.0, "户"), count(289, "人次"), count(2.5, "万人")
    ('653名', '223户', '289人次', '2.5万人')
    """
    return _whole_or_natural(n) + measure_word


def qualified(text: str, qualifier: str | None, measure_word: str = "") -> str:
    """A number's text with 约 (about, before it) or 多 (more than, before the measure word).

    >>> qualified("121.6", "约", "万元"), qualified("1500", "多", "份")
    ('约121.6万元', '1500多份')
    >>> qualified("653", None, "名")
    '653名'

    """
    q = "" if _blank(qualifier) else str(qualifier).strip()
    if q == "":
        return f"{text}{measure_word}"
    if q == APPROX:
        return f"{APPROX}{text}{measure_word}"
    if q == MORE_THAN:
        return f"{text}{MORE_THAN}{measure_word}"
    raise ValueError(f"unknown qualifier {q!r}: use {APPROX} (about) or {MORE_THAN} (more than)")


def _cn_below_10000(n: int, short_teens: bool = True) -> str:
    if n < 10:
        return _DIGITS[n]
    out: list[str] = []
    zero_pending = False
    for power in (3, 2, 1, 0):
        digit = (n // 10**power) % 10
        if digit == 0:
            if out:
                zero_pending = True
            continue
        if zero_pending:
            out.append("零")
            zero_pending = False
        out.append(_DIGITS[digit] + _SMALL_UNITS[power])
    s = "".join(out)
    # 10–19 are read 十, 十一 … 十九 (not 一十一), except after a higher unit: 一万零一十.
    return s[1:] if short_teens and 10 <= n < 20 else s


def chinese_numeral(n: int, measure_word: str | None = None) -> str:
    """A whole number 0–99999999 in Chinese numerals; 2 before a measure word is 两.

    >>> chinese_numeral(2, "条"), chinese_numeral(2), chinese_numeral(10), chinese_numeral(11)
    ('两条', '二', '十', '十一')
    >>> chinese_numeral(23), chinese_numeral(0), chinese_numeral(12, "条"), chinese_numeral(105)
    ('二十三', '零', '十二条', '一百零五')
    >>> chinese_numeral(110), chinese_numeral(2000, "元"), chinese_numeral(10010)
    ('一百一十', '两千元', '一万零一十')
    """
    d = _dec(n)
    if d != d.to_integral_value() or not 0 <= d < 10**8:
        raise ValueError(f"chinese_numeral needs a whole number 0–99999999, got {n!r}")
    n = int(d)
    if n < 10**4:
        s = _cn_below_10000(n)
    else:
        high, low = divmod(n, 10**4)
        s = _cn_below_10000(high) + "万"
        if low:
            s += ("零" if low < 1000 else "") + _cn_below_10000(low, short_teens=False)
    if measure_word:
        # 两 before a measure word for a lone 2 or a leading 2 before 百/千/万: 两条, 两千元.
        if n == 2 or (s.startswith("二") and len(s) > 1 and s[1] in "百千万"):
            s = "两" + s[1:]
        return s + measure_word
    return s


def format_value(
    value: Real | Decimal | None,
    unit: str | None,
    qualifier: str | None = None,
    numerals: str | None = None,
) -> str:
    """The one entry point for a stats figure: value, unit, qualifier (约/多), numerals (中文).

    - 万元: natural precision (``162万元``, ``41.95万元``);
    - ``%``: the value is already a percentage (``100`` → ``100%``), natural precision;
    - any other unit, a measure word: the integer when whole, else natural precision;
    - ``numerals="中文"`` writes a whole number in Chinese numerals (``两条``).

    >>> format_value(10408.34, "万元"), format_value(162, "万元"), format_value(100, "%")
    ('10408.34万元', '162万元', '100%')
    >>> format_value(653, "名"), format_value(121.6, "万元", "约"), format_value(1500, "份", "多")
    ('653名', '约121.6万元', '1500多份')
    >>> format_value(2, "条", numerals="中文"), format_value(None, "人")
    ('两条', '—')
    """
    if _is_missing(value):
        return MISSING
    unit = "" if _blank(unit) else str(unit).strip()
    if not _blank(numerals) and str(numerals).strip() == CHINESE_NUMERALS:
        text = chinese_numeral(value, unit or None)  # type: ignore[arg-type]
        core = text[: len(text) - len(unit)] if unit else text
        return qualified(core, qualifier, unit)  # 多 before the measure word: 二十多条
    if unit in (WANYUAN, PERCENT):
        text = natural(value)  # type: ignore[arg-type]
    else:
        text = _whole_or_natural(value)  # type: ignore[arg-type]
    return qualified(text, qualifier, unit)


def parse_date(value: object) -> datetime.date | None:
    """The day ``value`` names: a date (a datetime or pandas Timestamp too), or text ``YYYY-MM-DD``
    (month and day with or without their zero; a time after it ignored, as a spreadsheet's date
    cell read as text has one); None for anything else (``2020年4月``, ``2020-02-30``, a blank).

    >>> parse_date("2020-4-2 10:30"), parse_date("2020-02-30"), parse_date("2020/4/2")
    (datetime.date(2020, 4, 2), None, None)
    """
    import re

    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    match = re.fullmatch(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?", str(value)) if isinstance(value, str) else None
    if match is None:
        return None
    try:
        return datetime.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def date(value: object) -> str:
    """A date as a report writes it (``2020年4月20日``; see :func:`parse_date`); other text as
    typed, stripped; "" for a blank. The page, the 自评表 and the documents' properties all read
    the 报告日期 through here.

    >>> date("2020-04-20"), date("2020-4-2"), date("2020年4月"), date(None)
    ('2020年4月20日', '2020年4月2日', '2020年4月', '')
    """
    day = parse_date(value)
    if day is not None:
        return f"{day.year}年{day.month}月{day.day}日"
    return "" if _blank(value) else str(value).strip()


# -- lists and numbering ------------------------------------------------------------------------


def ordinal_item(n: int) -> str:
    """The lead of the n-th item of a list: 一是, 二是, … 十一是.

    >>> ordinal_item(1), ordinal_item(2), ordinal_item(11)
    ('一是', '二是', '十一是')
    """
    if n < 1:
        raise ValueError("items are numbered from 1")
    return chinese_numeral(n) + "是"


def section_number(n: int) -> str:
    """The number of the n-th section at the second depth of the default numbering: （一） … （五）.

    >>> section_number(1), section_number(5), section_number(12)
    ('（一）', '（五）', '（十二）')
    """
    return heading_number(n, "（一）")


def number_style(style: str) -> tuple[str, str, str] | None:
    """A heading number style as written in the settings, for the first heading: ``一、``,
    ``（一）``, ``1.``, ``（1）``, ``第一章``. Returns (before, ``一`` or ``1``, after), or None when
    the style holds neither 一 nor 1 (or both).

    >>> number_style("（一）"), number_style("1."), number_style("第一部分"), number_style("A.")
    (('（', '一', '）'), ('', '1', '.'), ('第', '一', '部分'), None)
    """
    marks = [(style.find(m), m) for m in ("一", "1") if m in style]
    if len(marks) != 1 or style.count(marks[0][1]) != 1:
        return None
    at, mark = marks[0]
    return style[:at], mark, style[at + 1 :]


def heading_number(n: int, style: str = "一、") -> str:
    """The number of the n-th heading in ``style`` (see :func:`number_style`).

    >>> heading_number(3), heading_number(2, "（一）"), heading_number(10, "1."), heading_number(4, "（1）")
    ('三、', '（二）', '10.', '（4）')
    """
    if n < 1:
        raise ValueError("headings are numbered from 1")
    parts = number_style(style)
    if parts is None:
        raise ValueError(f"not a number style: {style!r} (write it for the first heading: 一、 （一） 1. （1）)")
    before, mark, after = parts
    return before + (chinese_numeral(n) if mark == "一" else str(n)) + after


def quotes(text: str) -> str:
    """Straight quotes made Chinese: ``"…"`` → ``“…”`` and, inside them, ``'…'`` → ``‘…’``
    (pairs, in order); text without straight quotes is unchanged.

    >>> quotes('开展"不忘初心、牢记使命"主题教育'), quotes('"双百镇"社工'), quotes("已是“中文”")
    ('开展“不忘初心、牢记使命”主题教育', '“双百镇”社工', '已是“中文”')
    """
    out, double, single = [], False, False
    for char in text:
        if char == '"':
            out.append("”" if double else "“")
            double = not double
        elif char == "'":
            out.append("’" if single else "‘")
            single = not single
        else:
            out.append(char)
    return "".join(out)


def enumerate_cn(
    items: Iterable[object],
    *,
    quotes: bool = False,
    quote_marks: tuple[str, str] = QUOTE_MARKS,
) -> str:
    """Items joined with 、; with ``quotes`` each is quoted and they follow each other directly.

    >>> enumerate_cn(["a", "b", "c"])
    'a、b、c'
    >>> enumerate_cn(["特困供养", "社会福利"], quotes=True) + "等"
    '“特困供养”“社会福利”等'
    """
    texts = [str(i) for i in items]
    if quotes:
        left, right = quote_marks
        return "".join(f"{left}{t}{right}" for t in texts)
    return "、".join(texts)


# -- year over year -----------------------------------------------------------------------------


def change_phrase(curr: Real | Decimal, prev: Real | Decimal, unit: str | None = "") -> str:
    """The change from last year in the figure's own unit: 增加12户, 减少3.5万元, 持平.

    A percentage rises (提高) or falls (下降) by 个百分点 (percentage points), not by a percent.

    >>> change_phrase(235, 223, "户"), change_phrase(10.3, 13.8, "万元"), change_phrase(5, 5, "人")
    ('增加12户', '减少3.5万元', '持平')
    >>> change_phrase(98.5, 95, "%")
    '提高3.5个百分点'
    """
    diff = _dec(curr) - _dec(prev)
    unit = "" if _blank(unit) else str(unit).strip()
    if natural(abs(diff)) == "0":
        return "持平"
    if unit == PERCENT:  # a rate rises or falls, by percentage points
        return f"{'提高' if diff > 0 else '下降'}{natural(abs(diff))}个百分点"
    verb = "增加" if diff > 0 else "减少"
    return verb + format_value(abs(diff), unit)


def yoy_phrase(curr: Real | Decimal, prev: Real | Decimal, decimals: int = 1) -> str:
    """The rate of change from last year, for a table's 同比 column: 同比增长5.2%, 同比下降3%,
    与上年持平.

    The rate is written like every percentage of the report (:func:`percent`): ``decimals``
    places, a whole number when exact. A change too small to show is 基本持平; with nothing last
    year there is no rate to give.

    >>> yoy_phrase(105.2, 100), yoy_phrase(97, 100), yoy_phrase(100, 100), yoy_phrase(2, 1)
    ('同比增长5.2%', '同比下降3%', '与上年持平', '同比增长100%')
    >>> yoy_phrase(100.01, 100), yoy_phrase(12, 0), yoy_phrase(0, 0)
    ('与上年基本持平', '上年为0，不计算同比增幅', '与上年持平')
    """
    if _dec(curr) == _dec(prev):
        return "与上年持平"
    if _dec(prev) == 0:
        return "上年为0，不计算同比增幅"
    growth = growth_phrase(curr, prev, decimals)
    return "同比" + growth if growth else "与上年基本持平"


def growth_phrase(curr: Real | Decimal, prev: Real | Decimal, decimals: int = 1) -> str:
    """The rate of change in a sentence that already says what it is compared with (与上年相比，
    …增加12户，增长5.2%): 增长5.2%, 下降3%; "" when there is no rate to give (no change, one too
    small to show, nothing last year).

    >>> growth_phrase(105.2, 100), growth_phrase(97, 100), growth_phrase(100.01, 100), growth_phrase(12, 0)
    ('增长5.2%', '下降3%', '', '')
    """
    c, p = _dec(curr), _dec(prev)
    if p == 0:
        return ""
    rate = (c - p) / abs(p)
    if Decimal(_fixed(abs(rate) * 100, decimals)) == 0:
        return ""
    return f"{'增长' if rate > 0 else '下降'}{percent(abs(rate), decimals)}"


def points_phrase(curr: Real | Decimal, prev: Real | Decimal) -> tuple[str, str]:
    """How a rate (a ratio: 0.988) moved, in 百分点: the verb and the size.

    >>> points_phrase(1, 0.98766), points_phrase(0.795, 0.85), points_phrase(1, 1)
    (('提高', '1.2个百分点'), ('下降', '5.5个百分点'), ('持平', ''))
    """
    points = (_dec(curr) - _dec(prev)) * 100
    shown = natural(abs(points), 1)
    if shown == "0":
        return "持平", ""
    return ("提高" if points > 0 else "下降"), f"{shown}个百分点"


def from_to_phrase(before: str, now: str, curr: Real | Decimal, prev: Real | Decimal) -> str:
    """A small count's change said with both numbers, not a percentage: 由1条增至2条.

    >>> from_to_phrase("1条", "2条", 2, 1), from_to_phrase("5人", "3人", 3, 5), from_to_phrase("2家", "2家", 2, 2)
    ('由1条增至2条', '由5人减至3人', '与上年持平，均为2家')
    """
    c, p = _dec(curr), _dec(prev)
    if c == p:
        return f"与上年持平，均为{now}"
    return f"由{before}{'增至' if c > p else '减至'}{now}"


def with_note(text: str, note: str) -> str:
    """``text`` followed by a bracketed ``note``, in one pair of brackets where ``text`` already
    ends with one: a caption never stacks them.

    >>> with_note("社会救助人次（按救助类别）", "（2018年含示例数据，非公开发布数）")
    '社会救助人次（按救助类别；2018年含示例数据，非公开发布数）'
    >>> with_note("历年全年预算数与执行数", "（含示例数据，非公开发布数）"), with_note("表", "")
    ('历年全年预算数与执行数（含示例数据，非公开发布数）', '表')
    """
    if text.endswith("）") and note.startswith("（"):
        return f"{text[:-1]}；{note[1:]}"
    return text + note
