"""Start a unit, or add a year to one: what ``jixiao new`` writes.

A new unit gets ``params/<unit>/unit.yaml`` (every key of the settings' schema present, with its
meaning and default in a comment: :func:`write_unit_settings`, which ``jixiao import`` reuses),
``params/<unit>/<year>.yaml`` (the papermill parameters) and the input workbook
``data/<unit>/<year>/data.xlsx`` holding the sheets the report's sections read. A year added to a
unit keeps its settings and gets the last two. Everything is checked before any file is written
(the settings as :func:`jixiao.inputs.settings.load` checks them), and the files are written
together (:func:`jixiao.outputs.together`): a refusal or a failure writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jixiao import outputs, paths
from jixiao import project as projects
from jixiao.inputs import needs
from jixiao.inputs import settings as settings_module
from jixiao.inputs.kinds import DEFAULT_KIND, KINDS
from jixiao.inputs.schema import TABLES


class NewUnitError(ValueError):
    """``jixiao new`` refused: the unit or the year exists, a name is not one, a unit is unknown."""


@dataclass(frozen=True)
class Created:
    unit: str
    year: int
    unit_name: str
    kind: str
    files: tuple[Path, ...]
    """What was written, in order: the settings (for a new unit), the year's parameters, the workbook."""
    sheets: tuple[str, ...]
    """The workbook's sheets (Chinese names), in order."""
    new_unit: bool
    project: tuple[Path, ...] = ()
    """The project's own files, when this unit started the project (the marker first)."""


def tables_read(unit_settings: settings_module.Settings) -> tuple[str, ...]:
    """The input tables the report's sections read (keys of :data:`~jixiao.inputs.schema.TABLES`):
    the sheets of a new year's workbook, as :mod:`jixiao.inputs.needs` maps them."""
    return needs.tables_for((s.kind for s in unit_settings.sections), unit_settings.kind)


def unit_settings(name: str, kind: str = DEFAULT_KIND, base: dict[str, Any] | None = None) -> dict[str, Any]:
    """The settings of a new unit called ``name``: ``base`` (another unit's settings) under the new
    name, with ``kind`` (the base's sections kept; without a base, the kind's default sections,
    written out so that they can be edited)."""
    values = {key: value for key, value in (base or {}).items() if key != "unit_name"}
    if kind not in KINDS:
        raise NewUnitError(f"报告类型 (kind) {kind!r} 不可用; 可用: {', '.join(KINDS)}")
    values = {"unit_name": paths.check_name(name), "kind": kind, **{k: v for k, v in values.items() if k != "kind"}}
    if "sections" not in values:
        values["sections"] = list(KINDS[kind].sections)
    return values


def write_unit_settings(unit: str, name: str, kind: str = DEFAULT_KIND, base: dict[str, Any] | None = None,
                        group: outputs.Group | None = None) -> Path:  # fmt: skip
    """Write ``params/<unit>/unit.yaml`` for a new unit (see :func:`unit_settings`), every key of the
    schema present with its meaning and default (:func:`jixiao.inputs.unit_schema.unit_yaml`).
    The settings are checked first (:class:`~jixiao.inputs.settings.SettingsError`); into ``group``
    if given, else at once. It does not ask whether the unit exists: its callers do."""
    from jixiao.inputs import unit_schema

    path = paths.params_dir(unit) / "unit.yaml"
    text = unit_schema.unit_yaml(unit_settings(name, kind, base))
    settings_module.from_raw(unit, 0, settings_module.parse_yaml(text, path))
    if group is None:
        return outputs.write_atomically(path, text)
    return group.write(path, text)


def year_text(unit: str, year: int) -> str:
    """``params/<unit>/<year>.yaml``: the papermill parameters of one year."""
    return (
        f"# {unit} {year}年的参数 (papermill parameters), usable as is: papermill -f params/{unit}/{year}.yaml\n"
        f"unit: {unit}\nyear: {year}\n"
    )


def new(unit: str, year: int, name: str | None = None, like: str | None = None, kind: str | None = None,
        project: Path | None = None) -> Created:  # fmt: skip
    """Start ``unit`` (``name`` given) or add ``year`` to it (no ``name``): see the module's docstring.
    With ``project``, the unit starts a project there too (:func:`jixiao.project.start`). Raises
    :class:`NewUnitError` (or SettingsError for a ``like`` unit's settings) before writing."""
    from jixiao.inputs import template

    paths.check_unit(unit)
    unit_file = paths.params_dir(unit) / "unit.yaml"
    exists = unit_file.is_file()
    if name is not None:
        try:
            name = paths.check_name(name)
        except paths.NameRuleError as exc:
            raise NewUnitError(str(exc)) from None
        if exists or paths.params_dir(unit).exists():
            raise NewUnitError(
                f"单位 {unit} 已存在 (the unit exists): {paths.relative(paths.params_dir(unit))}; "
                f"为它新增年度请不给 --name (to add a year): jixiao new --unit {unit} --year {year}"
            )
    elif not exists:
        raise NewUnitError(
            f"单位 {unit} 不存在 (no such unit): 没有 {paths.relative(unit_file)}; "
            f"新建单位须给单位名称 (to start a unit): jixiao new --unit {unit} --name 单位名称 --year {year}"
        )
    elif like is not None or kind is not None:
        raise NewUnitError(
            f"--like 和 --kind 只用于新建单位 (only when starting a unit); "
            f"单位 {unit} 的设置在 {paths.relative(unit_file)}"
        )
    year_file = paths.params_dir(unit) / f"{year}.yaml"
    workbook = paths.data_dir(unit, year) / "data.xlsx"
    for taken in (year_file, paths.data_dir(unit, year)):
        if taken.exists():
            raise NewUnitError(f"{unit} {year}年已存在 (the year exists): {paths.relative(taken)}")
    base = None
    if like is not None:
        like_file = paths.params_dir(like) / "unit.yaml"
        if not like_file.is_file():
            raise NewUnitError(f"--like 的单位 {like} 不存在 (no such unit): 没有 {paths.relative(like_file)}")
        base = settings_module.parse_yaml(like_file.read_text(encoding="utf-8"), like_file)
        if kind is None:
            kind = base.get("kind", DEFAULT_KIND)
    with outputs.together() as group:
        written = []
        if name is not None:
            written.append(write_unit_settings(unit, name, kind or DEFAULT_KIND, base, group))
            raw = unit_settings(name, kind or DEFAULT_KIND, base)
        else:
            raw = settings_module.parse_yaml(unit_file.read_text(encoding="utf-8"), unit_file)
        loaded = settings_module.from_raw(unit, year, raw)
        tables = tables_read(loaded)
        written.append(group.write(year_file, year_text(unit, year)))
        written.append(group.write(workbook, template.template_bytes(unit, year, tables, loaded.unit_name)))
        started = projects.start(project, unit, loaded.unit_name, year, group) if project is not None else []
    sheets = tuple(t.name for t in TABLES.values() if t.key in tables or t.key == "profile")
    return Created(unit, year, loaded.unit_name, loaded.kind.id, tuple(written), sheets, name is not None,
                   tuple(started))  # fmt: skip


def next_steps(created: Created) -> list[str]:
    """What ``jixiao new`` prints: what it wrote, then what to do next."""
    workbook = paths.relative(created.files[-1])
    guide = paths.root() / "docs" / "data-model.md"  # in a checkout of jixiao; a project of its own has none
    columns = f"each header's note explains its column; {paths.relative(guide)}" if guide.is_file() else (
        "each header's note explains its column")  # fmt: skip
    lines = [
        f"新单位 (new unit) {created.unit}: {created.unit_name}, {KINDS[created.kind].name}"
        if created.new_unit
        else f"新年度 (new year) {created.unit} {created.year}: {created.unit_name}",
        *([f"新项目 (new project): {paths.root()}"] if created.project else []),
        "写入 (written):",
        *(f"  {paths.relative(path)}" for path in (*created.project, *created.files)),
        f"  工作表 (sheets): {'、'.join(created.sheets)}",
        "下一步 (next steps):",
        f"  1. 填写 {workbook}: 每个表头的批注说明该列 ({columns})",
    ]
    if created.new_unit:
        lines.append(f"     按需修改 {paths.relative(created.files[0])} (the settings: sections, title, scoring…)")
    lines += [
        f"  2. jixiao validate --unit {created.unit} --year {created.year}",
        f"  3. jixiao build --unit {created.unit} --year {created.year}",
    ]
    return lines
