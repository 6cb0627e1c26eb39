"""Many forms checked: the files and folders named, read by ``jixiao.forms.reading`` a chunk at a
time and checked form by form (in this process, or on a Dask cluster like ``jixiao batch``), then
the checks that look at a department's forms together.

Only the records are kept: a chunk's forms are dropped once checked, so memory grows with the
record, not with the forms read. A form that cannot be checked is listed with why; the others go on.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from jixiao import scratch
from jixiao.check import forms
from jixiao.check.rules import RuleSet
from jixiao.checks import scores as review

SUFFIXES = (".xlsx", ".xlsm", ".xls")
"""The files a folder is searched for (a file named on the command line is read whatever its name)."""
CHUNK = 50
"""Files read and checked in one task."""


@dataclass
class Record:
    """Everything a check found: a record per form (``forms.check``), and the files or sheets that
    could not be read (``{"file", "sheet", "cell", "message"}``)."""

    ruleset: RuleSet
    forms: list[dict[str, Any]] = field(default_factory=list)
    unread: list[dict[str, Any]] = field(default_factory=list)
    files: int = 0

    def to_json(self) -> list[dict[str, Any]]:
        """check.json: every form, then every file or sheet that could not be read (``form`` null)."""
        empty = {"form": None, "project": None, "department": None, "unit": None, "funds": [],
                 "reported_total": None, "computed_total": None, "indicators": [], "flags": []}  # fmt: skip
        lost = [{"file": u["file"], "sheet": u["sheet"], **empty, "problems": [u["message"]]} for u in self.unread]
        return [*self.forms, *lost]


def files_of(sources: Iterable[str | Path]) -> list[Path]:
    """The files named and every workbook in the folders named (searched to any depth, sorted)."""
    out: list[Path] = []
    for source in sources:
        path = Path(source)
        if path.is_dir():
            out += sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES and not p.name.startswith("~$"))
        else:
            out.append(path)
    return list(dict.fromkeys(out))


def label(path: Path) -> str:
    """A file as the record names it: relative to the current folder when it is inside it."""
    try:
        relative = Path(os.path.relpath(path)).as_posix()
    except ValueError:  # another drive
        return path.as_posix()
    return path.as_posix() if relative.startswith("..") else relative


def _problem(p: Any) -> dict[str, Any]:
    return {"file": p.file, "sheet": p.sheet, "cell": p.cell, "message": str(p)}


def check_files(named: list[tuple[str, Path]], ruleset: RuleSet) -> tuple[list[dict], list[dict]]:
    """Read and check ``named`` ((label, path) pairs): the forms' records and what could not be read."""
    from jixiao.forms import reading

    names = {str(path): name for name, path in named}
    records: list[dict] = []
    unread: list[dict] = []
    for one in reading.readings([path for _, path in named]):  # a file's forms are dropped once checked
        mine = []
        for form in one.forms:
            try:
                mine.append(forms.check(form, ruleset))
            except Exception as exc:  # one form the rules cannot score does not stop the others
                unread.append({"file": form.file, "sheet": form.sheet, "cell": form.top,
                               "message": f"{form.where}：无法检查 (cannot check)：{exc}"})  # fmt: skip
        kept = {p for form in one.forms for p in form.problems}  # a form's own stay in its record
        unread += [_problem(p) for p in one.problems if p not in kept]
        records += mine
    for item in (*records, *unread):  # the names given, not where a worker put the files
        original = names.get(item["file"])
        if original is not None and original != item["file"]:
            if "message" in item:
                item["message"] = item["message"].replace(item["file"], original)
            if "problems" in item:
                item["problems"] = [p.replace(item["file"], original) for p in item["problems"]]
            item["file"] = original
    return records, unread


def _remote(blobs: list[tuple[str, bytes]], ruleset: RuleSet) -> tuple[list[dict], list[dict]]:
    """A task on a worker: the files arrive as bytes (workers share no folder with the client)."""
    with scratch.temporary("check") as tmp:
        named = []
        for i, (name, data) in enumerate(blobs):
            path = Path(tmp) / str(i) / Path(name).name
            path.parent.mkdir()
            path.write_bytes(data)
            named.append((name, path))
        return check_files(named, ruleset)


def run(sources: Iterable[str | Path], ruleset: RuleSet, *, scheduler: str | None = None, workers: int | None = None,
        chunk: int = CHUNK, echo: Callable[[str], None] = lambda _: None) -> Record:  # fmt: skip
    """Check every form of ``sources`` by ``ruleset``: on the Dask scheduler at ``scheduler`` if
    given, else in a pool of ``workers`` local processes (default: one per core) when there is
    more than one chunk of files, else in this process. The records come back in the files' order."""
    files = files_of(sources)
    named = [(label(p), p) for p in files]
    record = Record(ruleset, files=len(files))
    chunks = [named[i : i + chunk] for i in range(0, len(named), chunk)]
    if scheduler:
        from dask.distributed import Client, as_completed

        with Client(scheduler) as client:
            futures = []
            for part in chunks:
                blobs = []
                for name, path in part:
                    try:
                        blobs.append((name, path.read_bytes()))
                    except OSError as exc:
                        message = f"{name}：无法读取 (cannot read)：{exc.strerror}"
                        record.unread.append({"file": name, "sheet": "", "cell": "", "message": message})
                futures.append(client.submit(_remote, blobs, ruleset, pure=False))
            results = {}
            for future in as_completed(futures):
                results[futures.index(future)] = future.result()
            for i in range(len(futures)):
                records, unread = results[i]
                record.forms += records
                record.unread += unread
    elif len(chunks) > 1 and (workers or os.cpu_count() or 1) > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=min(workers or os.cpu_count() or 1, len(chunks))) as pool:
            for records, unread in pool.map(check_files, chunks, [ruleset] * len(chunks)):
                record.forms += records
                record.unread += unread
                echo(f"{len(record.forms)} 份表已检查 (forms checked)")
    else:
        for part in chunks:
            records, unread = check_files(part, ruleset)
            record.forms += records
            record.unread += unread
            echo(f"{len(record.forms)} 份表已检查 (forms checked)")
    department_checks(record.forms, ruleset)
    return record


# --------------------------------------------------------------------------- a department's forms


def department_of(form: dict[str, Any]) -> str:
    return form.get("department") or form.get("unit") or form["file"]


def _scores(group: list[dict[str, Any]]) -> Any:
    """The department's forms as the review's score checks read ``jixiao.scoring.Scores``: each
    project form a project, the 部门整体 form the department; each indicator knows its row."""

    def indicators(form: dict[str, Any]) -> tuple:
        return tuple(
            SimpleNamespace(
                name=i["name"] or "", direction=i["direction"], measure_unit=i["unit"], computed_actual=None,
                target=i["target"] if isinstance(i["target"], float) else None,
                actual=i["actual"] if isinstance(i["actual"], float) else None,
                weight=i["weight"] or 0.0,
                score=i["reported_score"] if i["reported_score"] is not None else i["computed_score"], record=i,
            )
            for i in form["indicators"]
        )  # fmt: skip

    projects = tuple(
        SimpleNamespace(project_id=f["file"], project_name=f["project"] or "", indicators=indicators(f))
        for f in group if f["form"] == "project"
    )  # fmt: skip
    whole = [f for f in group if f["form"] == "department"]
    department = SimpleNamespace(indicators=tuple(i for f in whole for i in indicators(f))) if whole else None
    return SimpleNamespace(projects=projects, department=department)


def department_checks(records: list[dict[str, Any]], ruleset: RuleSet) -> None:
    """The review's checks over all of a department's forms, as over a report's 自评表:
    targets equal to their actuals (``review.target_equals_actual``) and every indicator at full marks."""
    groups: dict[str, list[dict]] = {}
    for r in records:
        groups.setdefault(department_of(r), []).append(r)
    for name, group in groups.items():
        scored = _scores(group)
        for finding in review.targets_equal_to_actuals(scored, ruleset):
            n, k, share = finding["n"].value, finding["k"].value, finding["share"].value
            limit = finding["limit"].value
            rule = (f"{name}：{k} 个定量指标的实际完成值恰等于目标值，占 {n} 个的 {share * 100:.1f}%，"
                    f"超过 {limit * 100:g}%（{ruleset.name}）")  # fmt: skip
            for _, _, s in finding.details["equal"]:
                s.record["flags"].append(forms.flag("target_equals_actual", rule, s.actual, s.target))
        for finding in review.all_full_marks(scored):
            count = finding["count"].value
            rule = f"{name}：全部 {count} 个指标均为满分"
            for form in group:
                form["flags"].append(forms.flag("all_full_marks", rule, count, None))
