"""A unit's settings and a year's parameters, read strictly.

``params/<unit>/unit.yaml`` holds what is stable for a unit (its name, the report's sections,
scoring rules, theme charts, review checks); ``params/<unit>/<year>.yaml`` holds the papermill
parameters of one year (``unit`` and ``year``), usable as is with ``papermill -f``. papermill only
warns about an unknown parameter; jixiao refuses unknown and missing keys, naming file and key.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from jixiao import paths

YEAR_KEYS = {"unit": str, "year": int}
UNIT_KEYS = {"unit_name", "sections", "scoring", "themes", "review"}
UNIT_REQUIRED = {"unit_name", "sections"}

# A report section kind -> its notebook. `theme:<key>` sections share one notebook.
NOTEBOOKS = {
    "overview": "01_overview.ipynb",
    "projects": "02_projects.ipynb",
    "theme": "03_theme.ipynb",
    "problems": "04_problems.ipynb",
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


class SettingsError(ValueError):
    """A settings or parameter file is missing, malformed, or has an unknown or missing key."""

    def __init__(self, file: Path | str, message: str) -> None:
        self.file = paths.relative(Path(file))
        self.message = message
        super().__init__(f"{self.file}: {message}")


@dataclass(frozen=True)
class Section:
    """One section of the report: a notebook run with its parameters."""

    id: str
    """Unique within the report and usable in a file name and an HTML id: ``03-dibao``."""
    kind: str
    notebook: Path
    parameters: dict[str, Any]


@dataclass(frozen=True)
class Settings:
    unit: str
    year: int
    unit_name: str
    sections: tuple[Section, ...]
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

    def theme(self, key: str) -> dict[str, Any]:
        """The settings of theme ``key`` (its charts), recorded as read."""
        return self.part(f"themes.{key}") or {}


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


def _sections(path: Path, entries: Any, base: dict[str, Any]) -> tuple[Section, ...]:
    if not isinstance(entries, list) or not entries:
        raise SettingsError(path, "'sections' 应为非空列表 (a non-empty list of sections)")
    sections = []
    for number, entry in enumerate(entries, start=1):
        kind, _, theme = str(entry).partition(":")
        if kind not in NOTEBOOKS or (kind == "theme") != bool(theme):
            known = ", ".join(k if k != "theme" else "theme:<key>" for k in NOTEBOOKS)
            raise SettingsError(path, f"未知章节 (unknown section) '{entry}'; 可用: {known}")
        parameters = {**base, "theme": theme} if theme else dict(base)
        section_id = f"{number:02d}-{theme or kind}"
        sections.append(Section(section_id, kind, paths.notebooks_dir() / NOTEBOOKS[kind], parameters))
    ids = [s.id for s in sections]
    if len(set(ids)) != len(ids):
        raise SettingsError(path, "章节重复 (a section is listed twice)")
    return tuple(sections)


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
    return Settings(
        unit=unit,
        year=year,
        unit_name=str(raw["unit_name"]),
        sections=_sections(unit_path, raw["sections"], params),
        raw=raw,
        files=(unit_path, paths.params_dir(unit) / f"{year}.yaml"),
    )
