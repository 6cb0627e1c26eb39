"""A unit's settings and a year's parameters, read strictly.

``params/<unit>/unit.yaml`` holds what is stable for a unit (its name, the report's sections,
scoring rules, theme charts, review checks); ``params/<unit>/<year>.yaml`` holds the papermill
parameters of one year (``unit`` and ``year``), usable as is with ``papermill -f``. papermill only
warns about an unknown parameter; jixiao refuses unknown and missing keys, naming file and key.
The unit settings are checked against their one schema (:mod:`jixiao.inputs.unit_schema`, which
also writes their reference and a new unit's ``unit.yaml``); ``sections`` and ``numbering`` by the
code below, whose messages name the entry.

``sections`` lists the report's sections in order: a kind (``overview``, ``theme:dibao``), a
mapping (``{kind: projects, title: 重点项目支出绩效情况}``, ``{kind: theme, key: 完成目标}``) or a
chapter (``{title: …, sections: [...]}``) holding nested entries; ``numbering`` gives the number
style of each depth (``一、``, ``（一）``, ``1.``, ``（1）``). Read, they are the flat list of
notebook runs (:attr:`Settings.sections`) and the numbered tree of headings
(:attr:`Settings.outline`) that the stitcher writes and the 目录 lists.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from jixiao import formatting, paths
from jixiao.inputs.kinds import DEFAULT_KIND, KINDS, ReportKind
from jixiao.inputs.values import (  # noqa: F401 (re-exported: the settings' fixed values)
    EDITIONS,
    FORMATS,
    LAST_YEAR_NOTES,
    NOTABLE_CHANGES,
    NUMBERING,
    PROFILE_PARTS,
    PROFILE_TITLES,
)

YEAR_KEYS = {"unit": str, "year": int}

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


UNNUMBERED = {"review"}
"""Kinds whose heading carries no number: the reviewer's notes are not part of the filed report."""


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
        return self.part("last_year_note") or "once"

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


def _choices(value: Any, allowed: tuple[str, ...]) -> tuple[str, ...]:
    return allowed if value is None else tuple(a for a in allowed if a in value)


_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader where PyYAML was built with it (ten times faster; a build reads the unit
settings once per section), else the pure-Python one."""


def _read_yaml(path: Path, missing: str = "") -> dict[str, Any]:
    """The mapping a YAML file holds; ``missing`` says what the file must hold when it is absent."""
    if not path.is_file():
        raise SettingsError(path, "文件不存在 (file not found)" + (f"; {missing}" if missing else ""))
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SettingsError(path, f"不是 UTF-8 文本 (not UTF-8 text): 第 {exc.start + 1} 个字节无效") from None
    return parse_yaml(text, path)


def parse_yaml(text: str, path: Path) -> dict[str, Any]:
    """The mapping the YAML ``text`` of ``path`` holds (SettingsError naming ``path`` if it is not one)."""
    try:
        content = yaml.load(text, Loader=_SAFE_LOADER)
    except yaml.YAMLError as exc:
        raise SettingsError(path, f"不是有效的 YAML (invalid YAML): {exc}") from exc
    if content is None:
        content = {}
    if not isinstance(content, dict):
        raise SettingsError(path, "应为键值映射 (expected a mapping of keys to values)")
    return content


def _missing_unit(unit: str, year: int) -> str:
    return (
        f"应为单位设置, 至少含 unit_name: 单位名称 (the unit's settings; see docs/settings.md); "
        f"新建单位 (to start a unit): jixiao new --unit {unit} --name 单位名称 --year {year}"
    )


def _missing_year(unit: str, year: int) -> str:
    if not (paths.params_dir(unit) / "unit.yaml").is_file():
        return _missing_unit(unit, year)
    return (
        f"应含本年度的参数 unit: {unit} 和 year: {year} (this year's parameters); "
        f"为单位新增年度 (to add the year): jixiao new --unit {unit} --year {year}"
    )


def year_parameters(unit: str, year: int) -> dict[str, Any]:
    """The papermill parameters of ``params/<unit>/<year>.yaml``, checked key by key."""
    path = paths.params_dir(unit) / f"{year}.yaml"
    params = _read_yaml(path, _missing_year(unit, year))
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
            section = Section(section_id, e.kind, paths.notebook(NOTEBOOKS[e.kind]), parameters,
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


_SCHEMA_SOURCES = ("unit_schema.py", "values.py", "kinds.py", "../paths.py")


@lru_cache(maxsize=1)
def _schema_fingerprint() -> bytes:
    """The schema's sources, hashed: a change to any of them checks every unit's settings again."""
    digest = hashlib.sha256()
    for name in _SCHEMA_SOURCES:
        digest.update((Path(__file__).parent / name).read_bytes())
    return digest.digest()


def _checked(path: Path, marker: Path | None, raw: dict[str, Any]) -> str:
    """The first problem the schema finds in the unit settings ``raw`` ('' for none).

    The schema's check imports pydantic and builds its models, about a quarter of a second, which a
    build that finds nothing changed (0.2 s) should not pay: settings that passed are remembered by
    their content and the schema's sources in ``marker`` (``outputs/<unit>/<year>/.cache/settings.key``),
    and checked again only when either changes. The marker is a hint: one that cannot be read or
    written just means the check runs."""
    key = hashlib.sha256(_schema_fingerprint() + repr(raw).encode()).hexdigest()
    try:
        if marker is not None and marker.read_text(encoding="ascii") == key:
            return ""
    except (OSError, ValueError):
        pass
    from jixiao.inputs import unit_schema  # pydantic: only where the settings are checked

    found = unit_schema.problems(raw)
    if found:
        return found[0]
    if marker is None:
        return ""
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        temporary = marker.with_name(f".{marker.name}.{os.getpid()}")
        temporary.write_text(key, encoding="ascii")
        os.replace(temporary, marker)
    except OSError:
        pass
    return ""


def load(unit: str, year: int) -> Settings:
    """The settings of ``unit`` for ``year``; raises SettingsError naming the file and key."""
    params = year_parameters(unit, year)
    unit_path = paths.params_dir(unit) / "unit.yaml"
    raw = _read_yaml(unit_path, _missing_unit(unit, year))
    return from_raw(unit, year, raw, params, paths.output_dir(unit, year) / ".cache" / "settings.key")


def from_raw(unit: str, year: int, raw: dict[str, Any], params: dict[str, Any] | None = None,
             marker: Path | None = None) -> Settings:  # fmt: skip
    """The settings of ``unit`` for ``year`` from the unit settings ``raw`` (as ``unit.yaml`` holds
    them), checked as :func:`load` checks them: what ``jixiao new`` checks before it writes a file.
    ``marker``: where settings that passed are remembered (see :func:`_checked`; None: nowhere)."""
    unit_path = paths.params_dir(unit) / "unit.yaml"
    params = params if params is not None else {"unit": unit, "year": year}
    found = _checked(unit_path, marker, raw)
    if found:
        raise SettingsError(unit_path, found)
    numbering = _numbering(unit_path, raw.get("numbering"))
    outline, sections = _sections(unit_path, raw, params, numbering)
    return Settings(
        unit=unit,
        year=year,
        unit_name=paths.check_name(raw["unit_name"]),
        sections=sections,
        outline=outline,
        numbering=numbering,
        raw=raw,
        files=(unit_path, paths.params_dir(unit) / f"{year}.yaml"),
    )
