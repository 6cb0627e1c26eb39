"""Labels and values as filled forms write them: normalising a label, parsing a number, an amount,
a rate, a direction and a combined target (``≥95%``, ``>=21933人``).

Labels are compared after :func:`norm`: full-width characters folded (NFKC), every space (ASCII,
full-width, non-breaking, line breaks) and punctuation dropped, a ``（万元）``/``（元）`` unit and a
leading ``其中`` removed. So ``"项 目 名 称："``, ``"项目名称\\n"`` and ``"年初预算数（万元）"`` read as
``项目名称`` and ``年初预算数``.
"""

from __future__ import annotations

import functools
import re
import unicodedata

_UNIT_SUFFIX = re.compile(r"[(（]\s*(万元|元|%|％)\s*[)）]")
_DROP = re.compile(r"[\s\u3000\u00a0:：,，.。、;；'\"“”‘’()（）\[\]【】<>《》·•*＊_\-—–/\\|]+")


def norm(text: object) -> str:
    """A label as compared: ``"其中：当年财政\\n拨款（万元）"`` -> ``当年财政拨款``."""
    if not isinstance(text, str) or not text:
        return ""
    return _norm(text)


@functools.lru_cache(maxsize=65536)
def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = _UNIT_SUFFIX.sub("", text)
    text = _DROP.sub("", text)
    text = text.replace("★", "").replace("☆", "")
    if text.startswith("其中") and len(text) > 2:
        text = text[2:]
    return text


def shown(value: object) -> str:
    """The text a cell shows, as the reader keeps it (numbers without a trailing ``.0``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return f"{value:g}" if abs(value) < 1e15 else repr(value)
    return str(value).strip()


BLANK_WORDS = {"", "—", "-", "–", "——", "/", "／", "无", "－", "\\", "…"}
"""What a form writes in a cell that holds no value."""


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and unicodedata.normalize("NFKC", value).strip() in BLANK_WORDS)


_MINUS = str.maketrans({"\u2212": "-", "\u2013": "-", "\ufe63": "-"})


def plain_text(value: str) -> str:
    """NFKC-folded, minus signs as ``-``, spaces and thousands separators dropped."""
    return unicodedata.normalize("NFKC", value).translate(_MINUS).strip().replace(" ", "").replace(",", "")


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def number(value: object) -> float | None:
    """A plain number from a cell: 12, 12.5, ``"1,586.40"``, ``" 12 "``; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if not isinstance(value, str):
        return None
    text = plain_text(value)
    return float(text) if _NUMBER.match(text) else None


def amount(value: object) -> tuple[float | None, str]:
    """An amount and the unit it was written with: ``"1586.4万"`` -> (1586.4, "万元"), ``"12000元"`` ->
    (12000, "元"), ``12`` -> (12, ""): the caller applies the form's 金额单位 when the unit is ""."""
    plain = number(value)
    if plain is not None:
        return plain, ""
    if not isinstance(value, str):
        return None, ""
    text = plain_text(value)
    for suffix, unit in (("万元", "万元"), ("万", "万元"), ("元", "元")):
        if text.endswith(suffix) and number(text[: -len(suffix)]) is not None:
            return number(text[: -len(suffix)]), unit
    return None, ""


def percent(value: object) -> tuple[float | None, bool]:
    """A rate as a ratio, and whether it was scaled from a number written in percent: ``"100%"``,
    ``"100.00%"`` -> 1.0; 1 -> 1.0 (a ratio, as a cell formatted 0% holds it); 95 -> 0.95 (scaled:
    no rate is 95 times the budget)."""
    plain = number(value)
    if plain is not None:
        return (plain / 100, True) if abs(plain) > 2 else (plain, False)
    if isinstance(value, str):
        text = plain_text(value)
        if text.endswith("%") and number(text[:-1]) is not None:
            return number(text[:-1]) / 100, False
    return None, False


DIRECTIONS = {
    "≥": "≥",
    ">=": "≥",
    "=>": "≥",
    ">": "≥",
    "正向": "≥",
    "大于等于": "≥",
    "不低于": "≥",
    "≤": "≤",
    "<=": "≤",
    "=<": "≤",
    "<": "≤",
    "反向": "≤",
    "小于等于": "≤",
    "不高于": "≤",
    "=": "=",
    "等于": "=",
    "定性": "定性",
    "定量": "",
}
"""What a 指标性质 cell may say, and the direction it means (``定量`` says no direction)."""


def direction(value: object) -> str | None:
    """``"≥"``, ``"≤"``, ``"="`` or ``"定性"`` from a 指标性质 cell, ``""`` for ``定量``; None when it
    says none of these."""
    if not isinstance(value, str):
        return None
    text = unicodedata.normalize("NFKC", value).strip().replace(" ", "").replace("指标", "")
    return DIRECTIONS.get(text)


_COMBINED = re.compile(r"^(≥|≤|>=|<=|=>|=<|>|<|=)?([+-]?(?:\d+(?:\.\d*)?|\.\d+))(.*)$")


def combined(value: object) -> tuple[str, float, str] | None:
    """A target written with its direction and unit in one cell: ``"≥95%"`` -> ("≥", 95.0, "%"),
    ``">=21933人"`` -> ("≥", 21933.0, "人"), ``"12"`` -> ("", 12.0, ""); None for a text (定性)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return "", float(value), ""
    if not isinstance(value, str):
        return None
    text = plain_text(value)
    match = _COMBINED.match(text)
    if not match:
        return None
    sign, digits, unit = match.groups()
    if unit and (re.search(r"\d", unit) or len(unit) > 6):
        return None
    return DIRECTIONS.get(sign or "", ""), float(digits), unit


def cell_name(row: int, col: int) -> str:
    """0-based (row, column) -> ``A1``."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row + 1}"
