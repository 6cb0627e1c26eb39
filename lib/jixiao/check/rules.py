"""The rules a form is checked by: a named set shipped with jixiao, a bureau's own file, or a unit's
settings. Every rule set is settings (the ``scoring`` and ``review`` blocks of ``unit.yaml``,
checked by the same schema), never code."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jixiao import paths
from jixiao.scoring import Rules

RULES_DIR = Path(__file__).resolve().parent / "rules"
"""The named rule sets shipped with jixiao, one YAML file each (``national.yaml``, ``platform.yaml``)."""
DEFAULT = "national"
KEYS = ("name", "scoring", "review")
"""The keys of a rule set's file."""


class RulesError(ValueError):
    """A rule set that cannot be used: which one, and why, in one line."""


@dataclass(frozen=True)
class RuleSet:
    """A rule set: its id (``national``, a file's name, a unit's id), its name as check.html prints
    it, the file it was read from, the scoring rules and the review's settings."""

    id: str
    name: str
    file: Path
    rules: Rules
    review: dict[str, Any] = field(default_factory=dict)
    scoring: dict[str, Any] = field(default_factory=dict)

    # what the review's checks ask of a unit's settings (``jixiao.checks.stats.setting``)
    @property
    def unit(self) -> str:
        return self.id

    @property
    def files(self) -> tuple[Path, ...]:
        return (self.file,)

    @property
    def source(self) -> str:
        """Where the rules were read, as the outputs name it: a named set by its name, a file by its path."""
        if self.file.parent == RULES_DIR:
            return f"jixiao 自带规则集 {self.id}"
        return paths.relative(self.file)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "source": self.source, "scoring": self.scoring, "review": self.review}


def named() -> list[str]:
    """The ids of the rule sets shipped with jixiao."""
    return sorted(p.stem for p in RULES_DIR.glob("*.yaml"))


def _read(path: Path) -> dict[str, Any]:
    from jixiao.inputs.settings import SettingsError, parse_yaml

    try:
        raw = parse_yaml(path.read_text(encoding="utf-8"), path)
    except OSError as exc:
        raise RulesError(
            f"无法读取规则文件 (cannot read the rule set) {paths.relative(path)}：{exc.strerror}"
        ) from None
    except SettingsError as exc:
        raise RulesError(str(exc)) from None
    return raw if isinstance(raw, dict) else {}


def _checked(path: Path, raw: dict[str, Any], label: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The ``scoring`` and ``review`` blocks, checked by the unit settings' schema."""
    from jixiao.inputs import unit_schema

    blocks = {k: raw[k] for k in ("scoring", "review") if raw.get(k) is not None}
    found = unit_schema.problems({"unit_name": label, **blocks})
    if found:
        raise RulesError(f"{paths.relative(path)}: {found[0]}")
    return blocks.get("scoring") or {}, blocks.get("review") or {}


def load(spec: str | None = None) -> RuleSet:
    """The rule set ``spec``: a name shipped with jixiao (``national``, the default; ``platform``),
    a YAML file of the same form, or a unit's id (its ``params/<unit>/unit.yaml``)."""
    spec = spec or DEFAULT
    if spec in named():
        path = RULES_DIR / f"{spec}.yaml"
        kind = "file"
    elif spec.endswith((".yaml", ".yml")):
        path = Path(spec)
        if not path.is_file():
            raise RulesError(f"找不到规则文件 (no such rule set file) {spec}")
        kind = "file"
    else:
        try:
            unit = paths.check_unit(spec)
        except ValueError:
            unit = None
        path = paths.params_dir(unit) / "unit.yaml" if unit else Path(spec)
        if unit is None or not path.is_file():
            raise RulesError(
                f"规则集 {spec!r} 不存在 (no such rule set)：应为 {'、'.join(named())}、一个规则 YAML 文件，"
                f"或 params/ 下已有单位的编码 (a named set, a YAML file or a unit id)"
            )
        kind = "unit"
    raw = _read(path)
    if kind == "file":
        unknown = sorted(set(raw) - set(KEYS))
        if unknown:
            raise RulesError(
                f"{paths.relative(path)}: 未知设置项 (unknown key) '{unknown[0]}'; 允许: {', '.join(KEYS)}"
            )
        name = str(raw.get("name") or path.stem)
        scoring, review = _checked(path, raw, name)
        return RuleSet(path.stem, name, path, Rules.from_settings(scoring), review, scoring)
    name = str(raw.get("unit_name") or spec)
    scoring, review = _checked(path, {"scoring": raw.get("scoring"), "review": raw.get("review")}, name)
    return RuleSet(spec, f"{name}的评分规则", path, Rules.from_settings(scoring), review, scoring)
