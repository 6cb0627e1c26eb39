"""The unit settings' one schema (``params/<unit>/unit.yaml``): each key's type, default, meaning and
an example in one place, as pydantic models.

Three things come from it: the settings' check (:func:`problems`, which :func:`jixiao.inputs.settings.load`
calls, unknown keys refused), the commented ``unit.yaml`` that ``jixiao new`` writes
(:func:`unit_yaml`), and the reference part of ``docs/settings.md`` (:func:`reference`, written by
:func:`write_reference`, ``make docs``). ``sections`` and ``numbering`` are described here but
checked by the hand-written code of :mod:`jixiao.inputs.settings`, whose messages name the entry.

A failed check is one message in the house style, naming the dotted key:
``未知设置项 (unknown key) 'scoring.weigths'; 允许: weights, grades, qualitative_bands, far_above_ratio, …``.
pydantic is imported only by this module, which the settings import when they check a file (settings
that passed are remembered, see :func:`jixiao.inputs.settings._checked`).
"""

from __future__ import annotations

import re
import sys
import types
import typing
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, PlainValidator, ValidationError
from pydantic_core import PydanticCustomError

from jixiao import paths
from jixiao.inputs.kinds import DEFAULT_KIND, KINDS
from jixiao.inputs.values import (
    EDITIONS,
    FORMATS,
    LAST_YEAR_NOTES,
    NOTABLE_CHANGES,
    NUMBERING,
    PROFILE_PARTS,
    PROFILE_TITLES,
    REVIEW_DEFAULTS,
)


class _Type:
    """How the reference writes a key's type (when the annotation alone does not say it well)."""

    def __init__(self, text: str) -> None:
        self.text = text


def _fail(text: str) -> typing.NoReturn:
    raise PydanticCustomError("jixiao", "{text}", {"text": text})


def _number(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        _fail(f"应为 数字 (a number), 实为 {value!r}")
    return value


def _at_least_zero(value: Any) -> Any:
    _number(value)
    if value < 0:
        _fail(f"应为不小于 0 的数字, 实为 {value!r}")
    return value


def _text(value: Any) -> Any:
    if not isinstance(value, str):
        _fail(f"应为文字 (a text), 实为 {value!r}")
    bad = _CONTROL.search(value)
    if bad:
        _fail(
            f"含控制字符 U+{ord(bad.group()):04X} (a control character, 第 {bad.start() + 1} 个字符); "
            f"应为可打印的文字 (printable text); 实为 {value!r}"
        )
    return value


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""Control characters a settings text may not hold (tab and line breaks it may): a report, XML and
a terminal cannot show them."""


def _name(value: Any) -> Any:
    _text(value)
    try:
        return paths.check_name(value)
    except paths.NameRuleError as exc:
        _fail(f"{exc.reason}; 实为 {value!r}")


def _choice(allowed: tuple[str, ...]) -> Any:
    def check(value: Any) -> Any:
        if not isinstance(value, str) or value not in allowed:
            _fail(f"的值 {value!r} 不可用; 可用: {', '.join(allowed)}")
        return value

    return Annotated[str, PlainValidator(check), _Type(" | ".join(f"`{a}`" for a in allowed))]


def _choices(allowed: tuple[str, ...]) -> Any:
    def check(value: Any) -> Any:
        if not isinstance(value, list) or not value:
            _fail(f"应为非空列表 (a non-empty list), 可用: {', '.join(allowed)}; 实为 {value!r}")
        for item in value:
            if item not in allowed:
                _fail(f"的值 {item!r} 不可用; 可用: {', '.join(allowed)}")
        return value

    return Annotated[list, PlainValidator(check), _Type("list of " + ", ".join(f"`{a}`" for a in allowed))]


Number = Annotated[float, PlainValidator(_number), _Type("number")]
NonNegative = Annotated[float, PlainValidator(_at_least_zero), _Type("number ≥ 0")]
Text = Annotated[str, PlainValidator(_text), _Type("text")]
Name = Annotated[str, PlainValidator(_name), _Type("text (one line)")]
PartName = _choice(PROFILE_PARTS)
KindName = _choice(tuple(KINDS))
LastYearNote = _choice(LAST_YEAR_NOTES)
FormsPlace = _choice(("inline", "annex"))
TargetCells = _choice(("split", "combined"))
Editions = _choices(EDITIONS)
Formats = _choices(FORMATS)
Free = Annotated[Any, PlainValidator(lambda value: value)]
"""A value this schema leaves to the hand-written check (``sections``, ``numbering``)."""


def setting(default: Any, meaning: str, example: Any = None, *, type_text: str = "", default_text: str = "") -> Any:
    """A key of the schema: its default (``...`` for a required key), meaning and example;
    ``default_text`` says what happens when it is left out, where no value says it."""
    extra = {"example": example, "type_text": type_text, "default_text": default_text}
    if isinstance(default, types.FunctionType) or (isinstance(default, type) and issubclass(default, BaseModel)):
        return Field(default_factory=default, description=meaning, json_schema_extra=extra)
    return Field(default, description=meaning, json_schema_extra=extra)


class Block(BaseModel):
    """A mapping of the settings: its keys are its fields, every other key is refused."""

    model_config = ConfigDict(extra="forbid")


class Weights(Block):
    execution: Number = setting(10, "一级指标“预算执行率”的分值 (weight of 预算执行率)", 10)
    output: Number = setting(50, "产出指标的分值 (weight of the output indicators)", 50)
    effect: Number = setting(30, "效益指标的分值 (weight of the effect indicators)", 30)
    satisfaction: Number = setting(10, "满意度指标的分值 (weight of the satisfaction indicators)", 10)


class Bands(Block):
    达成: tuple[Number, Number] = setting([0.8, 1.0], "定性指标“达成”可得分值的比例 [下限, 上限]", [0.8, 1.0])
    部分达成: tuple[Number, Number] = setting([0.6, 0.8], "定性指标“部分达成”可得分值的比例 [下限, 上限]", [0.6, 0.8])
    未达成: tuple[Number, Number] = setting([0, 0.6], "定性指标“未达成”可得分值的比例 [下限, 上限]", [0, 0.6])


class Scoring(Block):
    weights: Weights = setting(
        Weights, "项目一级指标的默认分值; 项目行的 weight_* 留空时使用", {"execution": 10, "output": 50}
    )
    grades: list[tuple[Number, Text]] = setting(
        [[90, "优"], [80, "良"], [60, "中"], [0, "差"]],
        "等级: [下限, 等级], 总分不低于下限即得该等级 (grade bands)",
        [[90, "优"], [80, "良"], [60, "中"], [0, "差"]],
    )
    qualitative_bands: Bands = setting(Bands, "定性指标各等级可得分值的比例", {"达成": [0.8, 1.0]})
    far_above_ratio: Number = setting(1.5, "实际值超过目标值的这一倍数时提示审核 (target maybe too low)", 1.5)
    deviation_ratio: NonNegative | None = setting(
        None,
        "指标偏离: 正向或等于指标的实际值超过目标值达到这一比例时扣分 (一体化平台规则; deduction for an actual this"
        " share or more above its target)",
        0.3,
        type_text="number ≥ 0",
        default_text="不扣分 (全国规则)",
    )
    deviation_points: NonNegative = setting(2, "指标偏离扣的分数, 扣至 0 分为止 (points deducted for 指标偏离)", 2)
    execution_caps: list[tuple[NonNegative, NonNegative]] = setting(
        [],
        "按预算执行率限定项目总分: [执行率, 上限], 执行率低于该值时总分最高为上限, 取适用的最低上限"
        " (total capped by the execution rate)",
        [[0.8, 89], [0.7, 79], [0.6, 69], [0.5, 59]],
    )


class CostItem(Block):
    label: Text = setting(None, "项目名称, 如 临时救助", "临时救助")
    amount: Text = setting(None, "金额 (万元) 的 stats 指标键", "linshi_aid_amount")
    count: Text = setting(None, "件数或人次的 stats 指标键", "linshi_aid_persontimes")


class CostGroup(Block):
    name: Text = setting(None, "组名, 如 社会救助", "社会救助")
    items: list[CostItem] = setting(None, "组内相互比较的项目", [{"label": "临时救助", "amount": "…", "count": "…"}])


class UnitCosts(Block):
    max_ratio: Number = setting(
        REVIEW_DEFAULTS["unit_costs.max_ratio"], "组内单位成本 (万元/件) 超过最低者的这一倍数时提示", 3
    )
    groups: list[CostGroup] = setting(None, "相互比较的组", [{"name": "社会救助", "items": ["…"]}])


class SameCount(Block):
    label: Text = setting(None, "检查的名称", "敬老院数量")
    keys: list[Text] = setting(None, "应相等的 stats 指标键", ["jly_sprinkler_count", "jly_staff_homes"])


class PartOf(Block):
    label: Text = setting(None, "检查的名称", "免除殡葬基本服务费宗数不应超过火化遗体数")
    part: Text = setting(None, "部分的 stats 指标键", "funeral_fee_waived_cases")
    whole: Text = setting(None, "整体的 stats 指标键", "cremations")


class ProjectAmounts(Block):
    label: Text = setting(None, "检查的名称 (默认为项目名)", "临时救助资金")
    project: Text = setting(None, "项目编码或名称", "临时救助")
    keys: list[Text] = setting(None, "由该项目支付的 stats 金额指标键 (万元)", ["linshi_aid_amount"])


class TargetEqualsActual(Block):
    max_share: Number = setting(
        REVIEW_DEFAULTS["target_equals_actual.max_share"], "实际值恰等于目标值的定量指标超过这一比例时提示", 0.3
    )
    min_count: Number = setting(REVIEW_DEFAULTS["target_equals_actual.min_count"], "定量指标少于这一个数时不作判断", 10)


class Review(Block):
    unit_costs: UnitCosts = setting(None, "单位成本比较: 组内一项的单位成本远高于最低者时提示", {"max_ratio": 3})
    same_count: list[SameCount] = setting(None, "两个计同一事物的指标应相等", [{"label": "…", "keys": ["a", "b"]}])
    part_of: list[PartOf] = setting(None, "部分不应超过整体", [{"label": "…", "part": "a", "whole": "b"}])
    project_amounts: list[ProjectAmounts] = setting(
        None, "由一个项目支付的 stats 金额合计不应超过其全年执行数", [{"project": "临时救助", "keys": ["a"]}]
    )
    target_equals_actual: TargetEqualsActual = setting(
        None, "实际值恰等于目标值的定量指标过多时提示", {"max_share": 0.3, "min_count": 10}
    )


class Chart(Block):
    kind: Text = setting(
        None, "bar (本年每个指标一根柱), grouped_bar (每个指标一组: 本年与上年), hbar (横向柱图)", "grouped_bar"
    )
    title: Text = setting(None, "图题", "社会救助人次（按救助类别）")
    keys: list[Text] = setting(None, "所画的 stats 指标键, 计量单位须相同", ["linshi_aid_persontimes"])


class Theme(Block):
    charts: list[Chart] = setting(None, "该主题章节的图表, 依次画出", [{"kind": "bar", "title": "…", "keys": ["a"]}])


class NotableChanges(Block):
    rate: NonNegative = setting(NOTABLE_CHANGES["rate"], "件数或金额变动达上年的这一比例为“增幅/降幅较大”", 0.1)
    amount: NonNegative = setting(NOTABLE_CHANGES["amount"], "金额还须变动至少这么多万元", 1)
    points: NonNegative = setting(NOTABLE_CHANGES["points"], "百分比变动达这么多个百分点", 5)


class ProfilePart(Block):
    part: PartName = setting(..., "哪一部分: 职能, 内设机构, 人员, 二级预算单位", "duties")
    title: Text = setting(None, "小标题 (默认: " + ", ".join(PROFILE_TITLES.values()) + ")", "主要职能")


class UnitSettings(Block):
    """``params/<unit>/unit.yaml``."""

    unit_name: Name = setting(..., "单位名称, 写在标题、封面和页脚 (the unit's name)", "示例县民政局")
    kind: KindName = setting(
        DEFAULT_KIND,
        "报告类型: " + "; ".join(f"{k.id} = {k.name}" for k in KINDS.values()) + "; 决定默认标题和默认章节",
        "department",
    )
    title: Text = setting(
        None,
        "报告标题, 可含 {unit_name} 和 {year}",
        "{unit_name}{year}年绩效自评报告",
        default_text="报告类型的标题 (the kind's title): {unit_name}{year}年度部门整体支出绩效自评报告",
    )
    sections: Free = setting(
        None,
        "报告的章节及其顺序: 章节类型 (overview, theme:<key>), {kind, title, key}, 或章 {title, sections}",
        ["overview", {"kind": "projects", "title": "重点项目支出绩效情况"}],
        type_text="list (see [Sections](#sections))",
        default_text="报告类型的默认章节 (the kind's sections); department: " + ", ".join(KINDS[DEFAULT_KIND].sections),
    )
    numbering: Free = setting(
        list(NUMBERING), "各层标题的编号样式, 须含 一 或 1", ["一、", "（一）", "1.", "（1）"], type_text="list of text"
    )
    profile_parts: list[ProfilePart] | None = setting(
        None,
        "部门概况的各部分、顺序和小标题",
        [{"part": "duties", "title": "主要职能"}, {"part": "staff"}],
        default_text="全部四部分, 各用默认小标题 (every part, with its default sub-heading)",
    )
    last_year_note: LastYearNote = setting(
        "once", "缺上年数据时“无上年数据，不作同比分析。”写在: once 全文一次, each 每个主题之后, never 不写", "each"
    )
    scoring: Scoring | None = setting(Scoring, "评分规则; 未写的键取全国默认值", {"far_above_ratio": 2})
    themes: dict[str, Theme] | None = setting(
        None,
        "各主题章节 (theme:<key>) 的图表, 以主题的 key 为键",
        {"dibao": {"charts": [{"kind": "grouped_bar", "title": "…", "keys": ["a"]}]}},
        default_text="无图表 (no charts)",
        type_text="mapping of theme key to {charts}",
    )
    notable_changes: NotableChanges | None = setting(
        NotableChanges, "与上年比较时什么算“增幅/降幅较大”; 未写的键取默认值", {"rate": 0.1, "amount": 1, "points": 5}
    )
    review: Review | None = setting(
        None,
        "审核提示的检查",
        {"unit_costs": {"max_ratio": 3}},
        default_text="只做无需设置的检查 (only the checks that need no settings)",
    )
    editions: Editions = setting(
        list(EDITIONS), "构建的版本: filing = report.*, review = report-review.* (含审核提示)", ["filing"]
    )
    formats: Formats = setting(list(FORMATS), "构建的格式", ["html", "pdf"])
    selfeval_forms: FormsPlace = setting(
        "inline", "项目支出绩效自评表的位置: inline 在项目支出绩效自评中, annex 在附件", "annex"
    )
    selfeval_targets: TargetCells = setting(
        "split",
        "自评表工作簿: split 分为 指标性质/年度指标值/度量单位, combined 年度指标值一格 (≥650人)",
        "combined",
    )


# --- checking -------------------------------------------------------------------------------------


def _unwrap(annotation: Any) -> Any:
    """The model, list or mapping a (possibly Optional or Annotated) annotation stands for."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
        else:
            return annotation


def _model_at(loc: tuple[Any, ...]) -> Any:
    """The model (or list, mapping) at ``loc`` of the settings, walking the annotations."""
    current: Any = UnitSettings
    for step in loc:
        current = _unwrap(current)
        origin = typing.get_origin(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            current = current.model_fields[step].annotation
        elif origin in (list, tuple):
            current = typing.get_args(current)[0]
        elif origin is dict:
            current = typing.get_args(current)[1]
        else:
            return None
    return _unwrap(current)


def dotted(loc: tuple[Any, ...]) -> str:
    """``('themes', 'dibao', 'charts', 0, 'knd')`` -> ``themes.dibao.charts[1].knd`` (counted from 1)."""
    text = ""
    for step in loc:
        text += f"[{step + 1}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


_ORDER = {"extra_forbidden": 0, "missing": 1}


def message(error: Any) -> str:
    """One pydantic error in the house style, naming the dotted key."""
    loc, kind, value = tuple(error["loc"]), error["type"], error.get("input")
    where = dotted(loc)
    if kind == "extra_forbidden":
        parent = _model_at(loc[:-1])
        allowed = ", ".join(parent.model_fields) if isinstance(parent, type) else ""
        return f"未知设置项 (unknown key) '{where}'; 允许: {allowed}"
    if kind == "missing" and loc and isinstance(loc[-1], int):
        return f"'{dotted(loc[:-1])}' 缺少第 {loc[-1] + 1} 项 (missing item {loc[-1] + 1})"
    if kind == "missing":
        return f"缺少设置项 (missing key) '{where}'"
    if kind == "jixiao":
        return f"'{where}' {error['ctx']['text']}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"'{where}' 应为键值映射 (expected a mapping), 实为 {value!r}"
    if kind in ("list_type", "tuple_type"):
        return f"'{where}' 应为列表 (expected a list), 实为 {value!r}"
    if kind in ("too_short", "too_long"):
        length = error["ctx"].get("max_length") or error["ctx"].get("min_length")
        return f"'{where}' 应为 {length} 项的列表, 实为 {value!r}"
    return f"'{where}' 无效 (invalid): {error['msg']}; 实为 {value!r}"


def problems(raw: dict[str, Any]) -> list[str]:
    """Every problem of the unit settings ``raw`` (as read from YAML), unknown keys first."""
    try:
        UnitSettings.model_validate(raw)
    except ValidationError as exc:
        errors = sorted(exc.errors(include_url=False), key=lambda e: _ORDER.get(e["type"], 2))
        return [message(e) for e in errors]
    return []


# --- the keys, for the reference and for `jixiao new` ---------------------------------------------


class Key(typing.NamedTuple):
    name: str
    """Dotted, ``scoring.weights.execution``; ``[]`` for each item of a list, ``<key>`` for any key."""
    type: str
    default: Any
    """The value the key takes when left out; None: nothing (the part is not used)."""
    meaning: str
    example: Any
    required: bool
    default_text: str = ""
    """What happens when the key is left out, where :attr:`default` (None) cannot say it."""

    def default_shown(self) -> str:
        """The default as the reference and a new ``unit.yaml`` write it."""
        if self.required:
            return "required"
        if self.default is not None:
            return flow(self.default)
        return self.default_text or "—"


def _type_text(annotation: Any, info: Any) -> str:
    extra = info.json_schema_extra or {}
    if extra.get("type_text"):
        return extra["type_text"]
    for meta in [*getattr(info, "metadata", ()), *getattr(annotation, "__metadata__", ())]:
        if isinstance(meta, _Type):
            return meta.text
    inner = _unwrap(annotation)
    origin = typing.get_origin(inner)
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        return "mapping"
    if origin is list:
        item = _unwrap(typing.get_args(inner)[0])
        if isinstance(item, type) and issubclass(item, BaseModel):
            return "list of mappings"
        return "list of " + _type_text(typing.get_args(inner)[0], Field())
    if origin is tuple:
        return "[" + ", ".join(_type_text(a, Field()) for a in typing.get_args(inner)) + "]"
    if origin is dict:
        return "mapping"
    return getattr(inner, "__name__", str(inner))


def _default(info: Any) -> Any:
    factory = info.default_factory
    if isinstance(factory, type) and issubclass(factory, BaseModel):
        return {name: _default(field) for name, field in factory.model_fields.items()}
    if factory is not None:
        return factory()
    return None if info.default is Ellipsis else info.default


def keys(model: type[BaseModel] = UnitSettings, prefix: str = "") -> list[Key]:
    """Every key of the settings, in the schema's order, nested keys after their block."""
    found = []
    for name, info in model.model_fields.items():
        full = f"{prefix}{name}"
        extra = info.json_schema_extra or {}
        found.append(
            Key(
                full,
                _type_text(info.annotation, info),
                _default(info),
                info.description or "",
                extra.get("example"),
                info.is_required(),
                extra.get("default_text") or "",
            )
        )
        inner = _unwrap(info.annotation)
        origin = typing.get_origin(inner)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            found += keys(inner, f"{full}.")
        elif origin is list and isinstance(item := _unwrap(typing.get_args(inner)[0]), type):
            if issubclass(item, BaseModel):
                found += keys(item, f"{full}[].")
        elif origin is dict:
            found += keys(_unwrap(typing.get_args(inner)[1]), f"{full}.<key>.")
    return found


def flow(value: Any) -> str:
    """A value as YAML on one line (``{rate: 0.1, amount: 1}``, ``[html, pdf]``)."""
    if value is None:
        return ""
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, sort_keys=False, width=10_000)
    text = text.strip()
    return text[: -len("...")].strip() if text.endswith("...") else text


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


BEGIN = "<!-- settings reference: generated from jixiao.inputs.unit_schema by `make docs`; do not edit -->"
END = "<!-- end of the settings reference -->"


def reference() -> str:
    """The reference part of ``docs/settings.md``: one row per key, between :data:`BEGIN` and :data:`END`."""
    rows = [
        BEGIN,
        "",
        "| key | type | default | meaning | example |",
        "|---|---|---|---|---|",
    ]
    for key in keys():
        default = f"`{key.default_shown()}`" if key.default is not None else key.default_shown()
        example = f"`{flow(key.example)}`" if key.example is not None else ""
        rows.append(
            f"| `{key.name}` | {_cell(key.type)} | {_cell(default)} | {_cell(key.meaning)} | {_cell(example)} |"
        )
    return "\n".join([*rows, "", END])


_PART = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.DOTALL)


def with_reference(page: str) -> str:
    """``page`` with its reference part replaced by :func:`reference` (the prose around it kept)."""
    if not _PART.search(page):
        raise ValueError(f"the page has no reference part between {BEGIN!r} and {END!r}")
    return _PART.sub(lambda _: reference(), page, count=1)


def write_reference(page: Path | str) -> bool:
    """Regenerate the reference part of ``page`` (``docs/settings.md``); True if it changed."""
    page = Path(page)
    old = page.read_text(encoding="utf-8")
    new = with_reference(old)
    if new != old:
        page.write_text(new, encoding="utf-8")
    return new != old


# --- a commented unit.yaml ------------------------------------------------------------------------


def unit_yaml(values: dict[str, Any]) -> str:
    """A ``unit.yaml`` holding ``values``, every top-level key present with a comment saying what it
    does and its default: a key ``values`` gives is written, any other commented out at its example
    (so the file stays valid and its defaults apply). Blocks are written in YAML's block style."""
    lines = [
        "# 单位设置 (the unit's settings), read by jixiao: every key is described in docs/settings.md.",
        "# A key written with a leading # is left at its default; remove the # to set it.",
    ]
    for key in keys():
        if "." in key.name:
            continue
        lines.append("")
        lines.append(f"# {key.meaning}")
        if not key.required:
            lines.append(f"# 默认 (default): {key.default_shown()}")
        if key.name in values:
            lines += _dump(key.name, values[key.name])
        else:
            lines += ["# " + line for line in _dump(key.name, key.example)]
    return "\n".join(lines) + "\n"


def _dump(key: str, value: Any) -> list[str]:
    """``key: value`` as YAML lines: a scalar on one line, a list or mapping in YAML's own style."""
    if not isinstance(value, (dict, list)):
        return [f"{key}: {flow(value)}"]
    if isinstance(value, list) and value and all(not isinstance(v, (dict, list)) for v in value) and len(value) > 4:
        return [f"{key}:", *(f"  - {flow(v)}" for v in value)]  # one per line: easy to reorder or delete
    text = yaml.safe_dump({key: value}, allow_unicode=True, sort_keys=False, width=100, default_flow_style=None)
    return text.rstrip("\n").split("\n")


def main(argv: list[str] | None = None) -> int:
    """``python -m jixiao.inputs.unit_schema docs/settings.md``: regenerate the page's reference."""
    for page in argv if argv is not None else sys.argv[1:]:
        changed = write_reference(page)
        print(f"{page}: {'updated' if changed else 'unchanged'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
