"""A jixiao project: the folder a department works in, marked by ``jixiao.yaml`` at its top.

``jixiao new`` (or ``jixiao import``) run outside any project makes the working directory one
(:func:`start`): the marker, a short README for the department, ``.gitignore`` (the outputs are
rebuilt, never kept) and ``outputs/``; ``params/`` and ``data/`` come with the unit. The marker
holds the project's own settings (:data:`KEYS`): today the unit a command takes when ``--unit`` is
not given. Where a command finds its project: :func:`jixiao.paths.root`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jixiao import outputs, paths

KEYS = {"unit": "单位编码: the unit build, validate and template take when --unit is not given"}
"""The keys ``jixiao.yaml`` may hold, with their meaning."""


class ProjectError(ValueError):
    """A ``jixiao.yaml`` that cannot be used, with the file and the key."""


def marker_text(unit: str) -> str:
    return (
        "# jixiao 项目 (a jixiao project): params/, data/ and outputs/ lie beside this file.\n"
        "# 每个 jixiao 命令从当前文件夹向上找到这个文件 (every command finds its project by this file).\n"
        f"# unit: {KEYS['unit']}\n"
        f"unit: {unit}\n"
    )


README = """# {name}：绩效自评报告 (jixiao)

这个文件夹是一个 jixiao 项目 (a jixiao project)：用 {name} 的数据生成年度绩效自评报告。

- `params/{unit}/`: 单位设置 `unit.yaml`（章节、标题、评分规则，每项都有注释）和每年的参数文件 `<年度>.yaml`
- `data/{unit}/<年度>/`: 输入数据 `data.xlsx`，每个表头的批注说明该列
- `outputs/{unit}/<年度>/`: 生成的报告（`report.html`、`.pdf`、`.docx`）、审核版（`report-review.*`）
  和 `自评表.xlsx`；可随时重新生成，不必保存
- `notebooks/`（可选）: 自己修改的章节笔记本，同名的代替 jixiao 自带的（`jixiao notebooks --copy`）

常用命令 (commands), 在这个文件夹或其下任一文件夹中运行：

```sh
jixiao validate --unit {unit} --year {year}   # 校验输入数据，列出每个问题（文件、工作表、行、列）
jixiao build --unit {unit} --year {year}      # 生成报告；只重新执行改动涉及的章节
jixiao new --unit {unit} --year <下一年度>     # 新增一个年度
jixiao notebooks                               # 各章节笔记本在哪里
```

`jixiao.yaml` 标记这个项目，其中 `unit` 是不给 `--unit` 时使用的单位。
"""


def start(folder: Path, unit: str, name: str, year: int, group: outputs.Group) -> list[Path]:
    """Make ``folder`` a project for ``unit`` (its name ``name``, its first year ``year``): the
    marker, and where absent the README, ``.gitignore`` and ``outputs/``; into ``group``. The
    files written, the marker first."""
    written = [group.write(folder / paths.MARKER, marker_text(unit))]
    readme = folder / "README.md"
    if not readme.exists():
        written.append(group.write(readme, README.format(name=name, unit=unit, year=year)))
    ignore = folder / ".gitignore"
    if not ignore.exists():
        written.append(group.write(ignore, "outputs/\n"))
    (folder / "outputs").mkdir(exist_ok=True)
    return written


def settings(root: Path | None = None) -> dict[str, Any]:
    """The project's settings from its ``jixiao.yaml`` (none outside a project, or for a root named
    by ``JIXIAO_ROOT`` without the file); :class:`ProjectError` for one that cannot be used."""
    import yaml

    root = root if root is not None else paths.project_root()
    path = root / paths.MARKER if root is not None else None
    if path is None or not path.is_file():
        return {}
    where = paths.relative(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        problem = getattr(exc, "problem", None) or getattr(exc, "strerror", None) or exc
        raise ProjectError(f"{where}: 无法读取 (cannot be read): {problem}") from None
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ProjectError(f"{where}: 应为键值对 (a mapping of keys), 实为 {type(raw).__name__}")
    unknown = sorted(str(k) for k in raw if k not in KEYS)
    if unknown:
        raise ProjectError(f"{where}: 未知的键 (unknown key) {', '.join(unknown)}; 可用的键 (known): {', '.join(KEYS)}")
    unit = raw.get("unit")
    if unit is not None:
        try:
            paths.check_unit(unit)
        except paths.UnitIdError as exc:
            raise ProjectError(f"{where}: unit: {exc}") from None
    return raw


def default_unit() -> str | None:
    """The unit a command takes when ``--unit`` is not given: ``jixiao.yaml``'s ``unit``."""
    return settings().get("unit")
