"""A unit's settings and a year's parameters, read strictly.

``params/<unit>/unit.yaml`` holds what is stable for a unit (its name, the report's sections,
scoring rules, theme charts, review checks); ``params/<unit>/<year>.yaml`` holds the papermill
parameters of one year (``unit`` and ``year``), usable as is with ``papermill -f``. papermill only
warns about an unknown parameter; jixiao refuses unknown and missing keys, naming file and key.

``sections`` lists the report's sections in order: a kind (``overview``, ``theme:dibao``), a
mapping (``{kind: projects, title: 重点项目支出绩效情况}``, ``{kind: theme, key: 完成目标}``) or a
chapter (``{title: …, sections: [...]}``) holding nested entries; ``numbering`` gives the number
style of each depth (``一、``, ``（一）``, ``1.``, ``（1）``). Read, they are the flat list of
notebook runs (:attr:`Settings.sections`) and the numbered tree of headings
(:attr:`Settings.outline`) that the stitcher writes and the 目录 lists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from jixiao import formatting, paths
from jixiao.inputs.kinds import DEFAULT_KIND, KINDS, ReportKind

YEAR_KEYS = {"unit": str, "year": int}
UNIT_KEYS = {
    "unit_name", "kind", "title", "sections", "numbering", "scoring", "themes", "notable_changes", "review",
    "editions", "formats", "selfeval_forms", "selfeval_targets", "profile_parts", "last_year_note",
}  # fmt: skip
UNIT_REQUIRED = {"unit_name"}

# A report section kind -> its notebook. `theme:<key>` sections share one notebook.
NOTEBOOKS = {
    "overview": "01_overview.ipynb",
    "projects": "02_projects.ipynb",
    "theme": "03_theme.ipynb",
    "problems": "04_problems.ipynb",
    "improvements": "04_improvements.ipynb",
    "review": "05_review.ipynb",
    "profile": "06_profile.ipynb",
    "budget": "07_budget.ipynb",
    "goals": "08_goals.ipynb",
    "conclusion": "09_conclusion.ipynb",
    "evaluation": "10_evaluation.ipynb",
    "unevaluated": "11_unevaluated.ipynb",
    "application": "12_application.ipynb",
}

# The default titles of the standard blocks (a unit's `sections` may give its own).
TITLES = {
    "profile": "部门概况",
    "budget": "部门预算及执行情况",
    "goals": "年度绩效目标完成情况",
    "conclusion": "自评结论",
    "evaluation": "评价工作开展情况",
    "unevaluated": "未开展自评的项目",
    "application": "结果应用和信息公开",
}

DEFAULT_TITLES = {
    "overview": "总体情况",
    "projects": "项目支出绩效自评",
    "problems": "存在问题和改进措施",
    "improvements": "下一步改进措施",
    "review": "审核提示",
    "profile": "部门概况",
    "budget": "部门预算及执行情况",
    "goals": "年度绩效目标完成情况",
    "conclusion": "自评结论",
    "evaluation": "评价工作开展情况",
    "unevaluated": "未开展自评的项目",
    "application": "结果应用和信息公开",
}
"""The heading of each kind of section when the settings give no ``title`` (a theme's heading is
its narrative headline)."""

DEFAULT_ORDER = KINDS[DEFAULT_KIND].sections
"""The sections of a department report whose settings list none: the order of the peers' reports
(each report kind has its own, :data:`jixiao.inputs.kinds.KINDS`)."""

PROFILE_PARTS = ("duties", "bodies", "staff", "units")
"""The parts of the 部门概况 (settings key ``profile_parts``): 职能, 内设机构, 人员, 二级预算单位."""
PROFILE_TITLES = {"duties": "部门职能", "bodies": "机构设置", "staff": "人员情况", "units": "二级预算单位"}
"""Each part's sub-heading when the settings give none."""

LAST_YEAR_NOTES = ("once", "each", "never")
"""``last_year_note``: where the note 无{上一年}年数据，不作同比分析。 is written when last year's data
is missing: once in the report (default), after each theme, or never."""

UNNUMBERED = {"review"}
"""Kinds whose heading carries no number: the reviewer's notes are not part of the filed report."""

NUMBERING = ("一、", "（一）", "1.", "（1）")
"""The number style of each heading depth (settings key ``numbering``)."""

NOTABLE_CHANGES = {"rate": 0.1, "amount": 1, "points": 5}
"""What a themed section's comparison with last year calls a notable change (增幅较大, 降幅较大),
settings key ``notable_changes``: a count or an amount that moved by at least ``rate`` of last
year's figure (10%, the share 部门决算 explain), an amount by at least ``amount`` 万元 too, a
percentage by at least ``points`` 百分点."""


class SettingsError(ValueError):
    """A settings or parameter file is missing, malformed, or has an unknown or missing key."""

    def __init__(self, file: Path | str, message: str) -> None:
        self.file = paths.relative(Path(file))
        self.message = message
        super().__init__(f"{self.file}: {message}")


@dataclass(frozen=True)
class Heading:
    """A heading of the report as the settings make it: ``（一）`` + title, at a depth (1 = top)."""

    anchor: str
    """Its HTML id: a section's id, or ``chapter-<n>`` for a chapter."""
    number: str
    """``一、``, ``（一）``, …; empty for an unnumbered section (``review``)."""
    title: str | None
    """None for a theme without a ``title``: its narrative headline, known when it has run."""
    depth: int


@dataclass(frozen=True)
class Section:
    """One section of the report: a notebook run with its parameters."""

    id: str
    """Unique within the report and safe in a file name, an HTML id and a notebook cell id,
    whatever the theme's key: ``03-dibao``, ``02-theme`` (key ``完成目标``)."""
    kind: str
    notebook: Path
    parameters: dict[str, Any]
    key: str = ""
    """A theme's key (``dibao``, ``完成目标``); empty for other kinds."""
    heading: Heading | None = None


@dataclass(frozen=True)
class Node:
    """One entry of the report's outline: a section, or a chapter holding nested entries."""

    heading: Heading
    section: Section | None
    children: tuple[Node, ...] = ()


@dataclass(frozen=True)
class Settings:
    unit: str
    year: int
    unit_name: str
    sections: tuple[Section, ...]
    """Every section (notebook run) in the report's order, chapters flattened."""
    outline: tuple[Node, ...]
    """The numbered headings as nested in the settings (what the 目录 shows)."""
    numbering: tuple[str, ...]
    """The number style of each heading depth."""
    raw: dict[str, Any]
    """The unit settings as read; use the properties below, which record what a section read."""
    files: tuple[Path, ...]
    """The settings files read: the unit's and the year's."""

    @property
    def scoring(self) -> dict[str, Any]:
        return self.part("scoring") or {}

    @property
    def review(self) -> dict[str, Any]:
        return self.part("review") or {}

    @property
    def themes(self) -> dict[str, Any]:
        return self.part("themes") or {}

    @property
    def notable_changes(self) -> dict[str, float]:
        """``notable_changes``, the keys left out at their defaults (:data:`NOTABLE_CHANGES`)."""
        return {**NOTABLE_CHANGES, **(self.part("notable_changes") or {})}

    @property
    def editions(self) -> tuple[str, ...]:
        """The editions a build makes (``filing``, ``review``; default both), in that order."""
        return _choices(self.raw.get("editions"), EDITIONS)

    @property
    def formats(self) -> tuple[str, ...]:
        """The formats a build makes (``html``, ``pdf``, ``docx``, ``xlsx``; default all)."""
        return _choices(self.raw.get("formats"), FORMATS)

    @property
    def forms_in_annex(self) -> bool:
        """``selfeval_forms: annex``: every 项目支出绩效自评表 in an annex (default ``inline``)."""
        return self.raw.get("selfeval_forms", "inline") == "annex"

    @property
    def targets_in_one_cell(self) -> bool:
        """``selfeval_targets: combined``: the 自评表 workbook writes an indicator's 年度指标值 in one
        cell (≥650人, as the central form prints it) and its 实际完成值 with its unit (653人);
        default ``split``, into 指标性质, 年度指标值 and 度量单位 (as some provinces' forms do)."""
        return self.raw.get("selfeval_targets", "split") == "combined"

    @property
    def kind(self) -> ReportKind:
        """The report's kind (settings key ``kind``, default ``department``)."""
        return KINDS[self.raw.get("kind", DEFAULT_KIND)]

    @property
    def title(self) -> str:
        """The report's title: the settings' ``title`` ({unit_name} and {year} filled in), else the
        kind's (示例县教育局2020年度部门整体支出绩效自评报告)."""
        given = self.raw.get("title")
        if given:
            return given.replace("{unit_name}", self.unit_name).replace("{year}", str(self.year))
        return self.kind.title(self.unit_name, self.year)

    @property
    def profile_parts(self) -> tuple[tuple[str, str], ...]:
        """The 部门概况's parts in order, each with its sub-heading (settings key ``profile_parts``,
        a list of ``{part: duties, title: 主要职能}``; default every part with its default title)."""
        listed = self.part("profile_parts")
        if not listed:
            return tuple((p, PROFILE_TITLES[p]) for p in PROFILE_PARTS)
        return tuple((e["part"], e.get("title") or PROFILE_TITLES[e["part"]]) for e in listed)

    @property
    def last_year_note(self) -> str:
        """``once`` (default), ``each`` or ``never``: see :data:`LAST_YEAR_NOTES`."""
        return self.raw.get("last_year_note", "once")

    @property
    def unit_file(self) -> Path:
        return self.files[0]

    def part(self, name: str) -> Any:
        """A part of the unit settings (``scoring``, ``review``, ``themes.dibao``), recorded as
        read: a build re-executes a section when a part it read changes, not when another does."""
        from jixiao import facts

        facts.record_read(self.unit_file, name)
        value: Any = self.raw
        for key in name.split("."):
            value = value.get(key) if isinstance(value, dict) else None
        return value

    def section_of(self, kind: str, key: str = "") -> Section | None:
        """The section of ``kind`` (a theme's: of ``key``), if the report has one."""
        return next((s for s in self.sections if s.kind == kind and s.key == key), None)

    def theme(self, key: str) -> dict[str, Any]:
        """The settings of theme ``key`` (its charts), recorded as read."""
        return self.part(f"themes.{key}") or {}


# What a build makes (jixiao.render): editions, formats, where the 自评表 go
EDITIONS = ("filing", "review")
FORMATS = ("html", "pdf", "docx", "xlsx")
CHOICES = {
    "editions": EDITIONS, "formats": FORMATS, "selfeval_forms": ("inline", "annex"),
    "selfeval_targets": ("split", "combined"), "kind": tuple(KINDS), "last_year_note": LAST_YEAR_NOTES,
}  # fmt: skip
SINGLE = ("selfeval_forms", "selfeval_targets", "kind", "last_year_note")
"""The choices that take one value, not a list."""


def _choices(value: Any, allowed: tuple[str, ...]) -> tuple[str, ...]:
    return allowed if value is None else tuple(a for a in allowed if a in value)


def _check_choices(path: Path, raw: dict[str, Any]) -> None:
    for key, allowed in CHOICES.items():
        if key not in raw:
            continue
        value = raw[key]
        values = [value] if key in SINGLE else value
        if key not in SINGLE and (not isinstance(value, list) or not value):
            expected = f"应为非空列表 (a non-empty list), 可用: {', '.join(allowed)}"
            raise SettingsError(path, f"'{key}' {expected}; 实为 {value!r}")
        for item in values:
            if item not in allowed:
                raise SettingsError(path, f"'{key}' 的值 {item!r} 不可用; 可用: {', '.join(allowed)}")


# The shape of the unit settings' blocks: a dict names its allowed keys (and their shapes), a
# type a leaf; "*" stands for any key (a theme's key). A key that is not here is a typing error
# that would otherwise silently fall back to a default.
NUMBER = (int, float)
SHAPE: dict[str, Any] = {
    "scoring": {
        "weights": {"execution": NUMBER, "output": NUMBER, "effect": NUMBER, "satisfaction": NUMBER},
        "grades": list,
        "qualitative_bands": {"达成": list, "部分达成": list, "未达成": list},
        "far_above_ratio": NUMBER,
    },
    "review": {
        "unit_costs": {
            "max_ratio": NUMBER,
            "groups": [{"name": str, "items": [{"label": str, "amount": str, "count": str}]}],
        },
        "same_count": [{"label": str, "keys": list}],
        "part_of": [{"label": str, "part": str, "whole": str}],
        "project_amounts": [{"label": str, "project": str, "keys": list}],
        "target_equals_actual": {"max_share": NUMBER, "min_count": NUMBER},
    },
    "themes": {"*": {"charts": [{"kind": str, "title": str, "keys": list}]}},
    "notable_changes": {"rate": NUMBER, "amount": NUMBER, "points": NUMBER},
    "title": str,
    "profile_parts": [{"part": str, "title": str}],
}


def _check_shape(path: Path, where: str, value: Any, shape: Any) -> None:
    """Raise SettingsError at the first key or value of ``value`` that does not fit ``shape``."""
    if isinstance(shape, dict):
        if not isinstance(value, dict):
            raise SettingsError(path, f"'{where}' 应为键值映射 (expected a mapping), 实为 {value!r}")
        for key, item in value.items():
            sub = shape.get(key, shape.get("*"))
            if sub is None:
                allowed = ", ".join(k for k in shape if k != "*")
                raise SettingsError(path, f"未知设置项 (unknown key) '{where}.{key}'; 允许: {allowed}")
            _check_shape(path, f"{where}.{key}", item, sub)
    elif isinstance(shape, list):
        if not isinstance(value, list):
            raise SettingsError(path, f"'{where}' 应为列表 (expected a list), 实为 {value!r}")
        for number, item in enumerate(value, start=1):
            _check_shape(path, f"{where}[{number}]", item, shape[0])
    elif not isinstance(value, shape) or isinstance(value, bool):
        expected = "数字 (a number)" if shape is NUMBER else f"{getattr(shape, '__name__', shape)}"
        raise SettingsError(path, f"'{where}' 应为 {expected}, 实为 {value!r}")


_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader where PyYAML was built with it (ten times faster; a build reads the unit
settings once per section), else the pure-Python one."""


def _read_yaml(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise SettingsError(path, "文件不存在 (file not found)")
    try:
        content = yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)
    except yaml.YAMLError as exc:
        raise SettingsError(path, f"不是有效的 YAML (invalid YAML): {exc}") from exc
    except UnicodeDecodeError as exc:
        raise SettingsError(path, f"不是 UTF-8 文本 (not UTF-8 text): 第 {exc.start + 1} 个字节无效") from None
    if content is None:
        content = {}
    if not isinstance(content, dict):
        raise SettingsError(path, "应为键值映射 (expected a mapping of keys to values)")
    return content


def year_parameters(unit: str, year: int) -> dict[str, Any]:
    """The papermill parameters of ``params/<unit>/<year>.yaml``, checked key by key."""
    path = paths.params_dir(unit) / f"{year}.yaml"
    params = _read_yaml(path)
    unknown = sorted(set(params) - set(YEAR_KEYS))
    if unknown:
        raise SettingsError(path, f"未知参数 (unknown parameter) '{unknown[0]}'; 允许的参数: unit, year")
    for key, kind in YEAR_KEYS.items():
        if key not in params:
            raise SettingsError(path, f"缺少参数 (missing parameter) '{key}'")
        if not isinstance(params[key], kind) or isinstance(params[key], bool):
            raise SettingsError(path, f"参数 '{key}' 应为 {kind.__name__}, 实为 {params[key]!r}")
    if params["unit"] != unit:
        raise SettingsError(path, f"参数 'unit' 为 {params['unit']!r}, 与所在目录 {unit!r} 不一致")
    if params["year"] != year:
        raise SettingsError(path, f"参数 'year' 为 {params['year']}, 与文件名年度 {year} 不一致")
    return params


SECTION_KEYS = ("kind", "title", "key")
"""The keys of a section given as a mapping; a chapter has ``title`` and ``sections``."""
CHAPTER_KEYS = ("title", "sections")
RESERVED_KEYS = ("problems", "improvements", "evaluation", "application", "disclosure")
"""``narrative.section`` values with a meaning of their own: not usable as a theme's key."""
_SAFE_ID = re.compile(r"[A-Za-z0-9_]+(?:-[A-Za-z0-9_]+)*")


def _where(trail: tuple[int, ...]) -> str:
    """``sections[3].sections[1]``: where an entry is, counted from 1 as people count."""
    return ".".join(f"sections[{n}]" for n in trail)


def _numbering(path: Path, raw: Any) -> tuple[str, ...]:
    if raw is None:
        return NUMBERING
    if not isinstance(raw, list) or not raw:
        raise SettingsError(path, f"'numbering' 应为非空列表 (a non-empty list of number styles), 实为 {raw!r}")
    for number, style in enumerate(raw, start=1):
        if not isinstance(style, str) or formatting.number_style(style) is None:
            raise SettingsError(
                path,
                f"'numbering[{number}]' 应为含 一 或 1 的编号样式 (如 一、 （一） 1. （1）), 实为 {style!r}",
            )
    return tuple(raw)


@dataclass(frozen=True)
class _Entry:
    """One entry of ``sections`` as written: a section (kind, key, title) or a chapter."""

    where: str
    kind: str = ""
    key: str = ""
    title: str | None = None
    children: tuple[_Entry, ...] = ()


def _title(path: Path, where: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise SettingsError(path, f"'{where}.title' 应为非空文字 (a non-empty text), 实为 {value!r}")
    return value.strip()


def _entry(path: Path, trail: tuple[int, ...], raw: Any) -> _Entry:
    """One entry, checked: a known kind, a theme's key, a chapter's title and sections."""
    where = _where(trail)
    known = ", ".join(k if k != "theme" else "theme:<key>" for k in NOTEBOOKS)
    if isinstance(raw, str):
        kind, colon, key = raw.strip().partition(":")
        if kind not in NOTEBOOKS or (colon and kind != "theme"):
            raise SettingsError(path, f"'{where}': 未知章节 (unknown section) '{raw}'; 可用: {known}")
        entry = _Entry(where, kind, key.strip())
    elif isinstance(raw, dict):
        if "sections" in raw:
            unknown = [k for k in raw if k not in CHAPTER_KEYS]
            if unknown:
                raise SettingsError(
                    path, f"未知设置项 (unknown key) '{where}.{unknown[0]}'; 含 sections 的章节只允许: title, sections"
                )
            if "title" not in raw:
                raise SettingsError(path, f"'{where}': 含 sections 的章节须有 title (a chapter needs a title)")
            children = raw["sections"]
            if not isinstance(children, list) or not children:
                raise SettingsError(
                    path, f"'{where}.sections' 应为非空列表 (a non-empty list of sections), 实为 {children!r}"
                )
            nested = tuple(_entry(path, (*trail, n), c) for n, c in enumerate(children, start=1))
            return _Entry(where, title=_title(path, where, raw["title"]), children=nested)
        unknown = [k for k in raw if k not in SECTION_KEYS]
        if unknown:
            raise SettingsError(
                path, f"未知设置项 (unknown key) '{where}.{unknown[0]}'; 允许: kind, title, key, sections"
            )
        if "kind" not in raw:
            raise SettingsError(path, f"'{where}': 缺少 kind (missing key 'kind'); 可用: {known}")
        kind = raw["kind"]
        if not isinstance(kind, str) or kind not in NOTEBOOKS:
            raise SettingsError(path, f"'{where}.kind': 未知章节 (unknown section) '{kind}'; 可用: {known}")
        key = raw.get("key", "")
        if "key" in raw and kind != "theme":
            raise SettingsError(path, f"'{where}.key': 只有主题章节 (kind: theme) 有 key, 这里 kind 为 {kind}")
        if not isinstance(key, str):
            raise SettingsError(path, f"'{where}.key' 应为文字 (a text), 实为 {key!r}")
        title = _title(path, where, raw["title"]) if "title" in raw else None
        entry = _Entry(where, kind, key.strip(), title)
    else:
        raise SettingsError(path, f"'{where}' 应为章节名或键值映射 (a section kind or a mapping), 实为 {raw!r}")
    if entry.kind == "theme":
        if not entry.key:
            raise SettingsError(
                path,
                f"'{where}': 主题章节须有 key (a theme needs its key), 写作 theme:<key> 或 {{kind: theme, key: <key>}}",
            )
        if entry.key in RESERVED_KEYS:
            raise SettingsError(
                path,
                f"'{where}': '{entry.key}' 是文字材料表的保留章节名 (a reserved narrative section), 不能作主题的 key",
            )
        if any(c in entry.key for c in "{}\n\r\t"):
            raise SettingsError(path, f"'{where}': 主题的 key {entry.key!r} 不能含花括号、换行或制表符")
    return entry


def _slug(entry: _Entry) -> str:
    """The readable part of a section's id: its kind, or a theme's key when that is already safe
    in a file name, an HTML id and a notebook cell id (``dibao``); else ``theme``."""
    if entry.kind == "theme" and _SAFE_ID.fullmatch(entry.key) and len(entry.key) <= 40:
        return entry.key
    return entry.kind


def default_title(kind: str, kinds: set[str], report: ReportKind | None = None) -> str | None:
    """The title of a section of ``kind`` when the settings give none (None: a theme's headline):
    the report kind's own (``report``: 评价结论 in an evaluation), else the default one.
    ``problems`` alone is the combined 存在问题和改进措施; beside ``improvements`` it is the problems."""
    if report is not None and kind in report.titles:
        return report.titles[kind]
    if kind == "problems" and "improvements" in kinds:
        return "存在的问题和原因"
    return DEFAULT_TITLES.get(kind)


def _outline(path: Path, entries: list[_Entry], numbering: tuple[str, ...], base: dict[str, Any],
             report: ReportKind | None = None) -> tuple[tuple[Node, ...], tuple[Section, ...]]:  # fmt: skip
    """The numbered tree of headings and the flat list of sections (notebook runs) in order."""
    flat: list[Section] = []
    seen: dict[tuple[str, str], str] = {}
    kinds: set[str] = set()

    def collect(items: tuple[_Entry, ...] | list[_Entry]) -> None:
        for e in items:
            kinds.add(e.kind)
            collect(e.children)

    collect(entries)
    chapters = 0

    def walk(items: tuple[_Entry, ...] | list[_Entry], depth: int) -> tuple[Node, ...]:
        nonlocal chapters
        if depth > len(numbering):
            raise SettingsError(
                path, f"'{items[0].where}': 章节嵌套 {depth} 层, 但 numbering 只有 {len(numbering)} 种编号样式"
            )
        nodes, counter = [], 0
        for e in items:
            numbered = e.kind not in UNNUMBERED
            counter += numbered
            number = formatting.heading_number(counter, numbering[depth - 1]) if numbered else ""
            if e.children:
                chapters += 1
                heading = Heading(f"chapter-{chapters}", number, e.title, depth)
                nodes.append(Node(heading, None, walk(e.children, depth + 1)))
                continue
            identity = (e.kind, e.key)
            if identity in seen:
                name = f"theme:{e.key}" if e.key else e.kind
                raise SettingsError(path, f"'{e.where}': 章节重复 (listed twice) '{name}', 已见于 '{seen[identity]}'")
            seen[identity] = e.where
            section_id = f"{len(flat) + 1:02d}-{_slug(e)}"
            title = e.title if e.title is not None else default_title(e.kind, kinds, report)
            heading = Heading(section_id, number, title, depth)
            parameters = {**base, "theme": e.key} if e.kind == "theme" else dict(base)
            section = Section(section_id, e.kind, paths.notebooks_dir() / NOTEBOOKS[e.kind], parameters,
                              e.key, heading)  # fmt: skip
            flat.append(section)
            nodes.append(Node(heading, section, ()))
        return tuple(nodes)

    return walk(entries, 1), tuple(flat)


def _sections(path: Path, raw: dict[str, Any], base: dict[str, Any],
              numbering: tuple[str, ...]) -> tuple[tuple[Node, ...], tuple[Section, ...]]:  # fmt: skip
    listed = raw.get("sections")
    report = KINDS[raw.get("kind", DEFAULT_KIND)]
    if listed is None:
        listed = [k for k in report.sections if k in NOTEBOOKS]
    if not isinstance(listed, list) or not listed:
        raise SettingsError(path, "'sections' 应为非空列表 (a non-empty list of sections)")
    entries = [_entry(path, (n,), item) for n, item in enumerate(listed, start=1)]
    return _outline(path, entries, numbering, base, report)


def load(unit: str, year: int) -> Settings:
    """The settings of ``unit`` for ``year``; raises SettingsError naming the file and key."""
    params = year_parameters(unit, year)
    unit_path = paths.params_dir(unit) / "unit.yaml"
    raw = _read_yaml(unit_path)
    unknown = sorted(set(raw) - UNIT_KEYS)
    if unknown:
        raise SettingsError(unit_path, f"未知设置项 (unknown key) '{unknown[0]}'; 允许: {', '.join(sorted(UNIT_KEYS))}")
    missing = sorted(UNIT_REQUIRED - set(raw))
    if missing:
        raise SettingsError(unit_path, f"缺少设置项 (missing key) '{missing[0]}'")
    for block, shape in SHAPE.items():
        if raw.get(block) is not None:
            _check_shape(unit_path, block, raw[block], shape)
    _check_choices(unit_path, raw)
    for key, value in (raw.get("notable_changes") or {}).items():
        if value < 0:
            raise SettingsError(unit_path, f"'notable_changes.{key}' 应为不小于 0 的数字, 实为 {value!r}")
    for number, entry in enumerate(raw.get("profile_parts") or [], start=1):
        if entry.get("part") not in PROFILE_PARTS:
            raise SettingsError(
                unit_path,
                f"'profile_parts[{number}].part' 的值 {entry.get('part')!r} 不可用; 可用: {', '.join(PROFILE_PARTS)}",
            )
    numbering = _numbering(unit_path, raw.get("numbering"))
    outline, sections = _sections(unit_path, raw, params, numbering)
    return Settings(
        unit=unit,
        year=year,
        unit_name=str(raw["unit_name"]),
        sections=sections,
        outline=outline,
        numbering=numbering,
        raw=raw,
        files=(unit_path, paths.params_dir(unit) / f"{year}.yaml"),
    )
