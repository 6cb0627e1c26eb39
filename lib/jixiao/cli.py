"""The ``jixiao`` command: new, import, build, preview, validate, template, batch, summary, check, notebooks,
synth.

Exit status: 0 done; 1 a section failed (``batch``: a unit-year failed, or its cluster was lost
before it came back); 2 the inputs, settings or arguments are wrong (nothing was built; ``batch``:
its scheduler did not answer); 3 the outputs could not be written (disk full, read-only) or another build of the
same unit-year kept running (``preview``: another build or preview has the unit-year, or the port is taken);
130 interrupted (Ctrl-C; 143 for SIGTERM), which is how a preview ends.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import signal
import sys
import threading
from pathlib import Path

from jixiao import environment, paths, scratch

EDITIONS = ("filing", "review")  # jixiao.inputs.settings.EDITIONS, FORMATS (not imported: --help stays fast)
FORMATS = ("html", "pdf", "docx", "xlsx")
KIND_IDS = ("department", "department_evaluation", "project", "transfer")  # jixiao.inputs.kinds.KINDS (tested)

INTERRUPTED_LINE = (
    "已中断 (interrupted)：未生成报告；上一次的报告保持不变。(nothing built; the last report is unchanged)"
)


def unit_id(text: str) -> str:
    """argparse's check of ``--unit``: a plain folder name, refused before any file is touched."""
    try:
        return paths.check_unit(text)
    except paths.UnitIdError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def unit_name(text: str) -> str:
    """argparse's check of a name (``new --name``, ``summary --bureau``): one printable line."""
    try:
        return paths.check_name(text)
    except paths.NameRuleError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def bureau_name(text: str) -> str:
    """``summary --bureau``: a name, or nothing (the default)."""
    if text == "":
        return text
    try:
        return paths.check_name(text, "局名 (bureau name)")
    except paths.NameRuleError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


YEARS = (2000, 2100)
"""The years ``synth``, ``summary`` and ``batch`` take (a year of a department's accounts)."""
SYNTH_MAX_UNITS = 10_000  # jixiao.synth.MAX_UNITS (not imported: --help stays fast; tested)
SCHEDULER_SCHEMES = ("tcp", "tls", "ws", "wss", "ucx", "inproc")
_ADDRESS = re.compile(
    r"(?:(?P<scheme>[a-z]+)://)?(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?)"
    r":(?P<port>[0-9]{1,5})/?"
)


def _whole(low: int, high: int, not_number: str, what: str = "", *, what_always: bool = False):
    """An argparse type: a whole number from ``low`` to ``high``; ``not_number`` says what a text
    that is no integer is not, ``what`` (（单位数）) what the number counts, said when it is out of
    range (and for a text that is no integer too, with ``what_always``)."""

    def check(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            said = what if what_always else ""
            raise argparse.ArgumentTypeError(f"值 {text!r} {not_number}，应为 {low}～{high} 的整数{said}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"值 {value} 超出范围，应为 {low}～{high} 的整数{what}")
        return value

    return check


MAX_WORKERS = 512

year = _whole(*YEARS, "不是年份")
"""``--year``/``--years`` of synth, summary and batch: a whole year from 2000 to 2100."""
synth_units = _whole(1, SYNTH_MAX_UNITS, "不是整数", "（单位数）")
"""``synth --units``: how many units, 1 to :data:`SYNTH_MAX_UNITS`."""
workers = _whole(1, MAX_WORKERS, "不是整数", "（进程数）", what_always=True)
"""``--workers`` of batch and check: local worker processes, 1 to :data:`MAX_WORKERS`."""
port = _whole(0, 65535, "不是端口号", "（端口；0 为任一空闲端口）")
"""``preview --port``: a TCP port on 127.0.0.1, 0 for any free one."""


def share(text: str) -> float:
    """``synth --bad``/``--mismatch``/``--late``: a share of units, a number from 0 to 1."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"值 {text!r} 不是 0～1 之间的比例，应为 0 到 1 的数字（如 0.05）")
    return value


def output_url(text: str) -> str:
    """``--output`` of batch and summary: a folder, or an fsspec URL whose protocol is known and
    installed (checked here, before any work: its writing errors are the store's, exit 3)."""
    if text == "":
        raise argparse.ArgumentTypeError("不能为空，应为文件夹或 fsspec 地址（如 s3://bucket/reports）")
    protocol = text.split("::", 1)[0].split("://", 1)[0] if "://" in text or "::" in text else ""
    if protocol:
        import fsspec

        try:
            fsspec.get_filesystem_class(protocol)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{text!r} 的协议 {protocol!r} 未知，应为文件夹或 fsspec 支持的地址（如 file://、s3://、memory://）"
            ) from None
        except ImportError:
            raise argparse.ArgumentTypeError(
                f"{text!r} 的协议 {protocol!r} 需要的程序包未安装 (its fsspec package is not installed)"
            ) from None
    return text


def scheduler_address(text: str) -> str:
    """``--scheduler``: a Dask scheduler's address, ``[scheme://]host:port`` (e.g. tcp://10.0.0.5:8786)."""
    match = _ADDRESS.fullmatch(text)
    if match is None or not 0 < int(match["port"]) < 65536 or (match["scheme"] or "tcp") not in SCHEDULER_SCHEMES:
        raise argparse.ArgumentTypeError(
            f"{text!r} 不是调度器地址，应为 [协议://]主机:端口，如 tcp://10.0.0.5:8786"
            f"（协议为 {'、'.join(SCHEDULER_SCHEMES)}，端口 1～65535）"
        )
    return text


def _unit_year(parser: argparse.ArgumentParser, *, default_unit: bool = False) -> None:
    if default_unit:
        parser.add_argument("--unit", type=unit_id, help="单位编码, e.g. lechang-mzj (a folder of params/ and "
                            "data/; default: the project's unit, jixiao.yaml's `unit`)")  # fmt: skip
    else:
        parser.add_argument("--unit", required=True, type=unit_id,
                            help="单位编码, e.g. lechang-mzj (a folder of params/ and data/)")  # fmt: skip
    parser.add_argument("--year", required=True, type=int, help="年度, e.g. 2019")


class _Version(argparse.Action):
    """``--version``: jixiao's version and its code hash, the ``code`` every ``build.json`` records."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, help="print jixiao's version and code hash, then exit")

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        from jixiao import __version__, dependencies

        print(f"jixiao {__version__} (code {dependencies.code_hash()})")
        parser.exit()


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="jixiao", description="绩效自评报告: from a unit's data for a year to its report.")
    p.add_argument("--version", action=_Version)
    sub = p.add_subparsers(dest="command", required=True)
    n = sub.add_parser("new", help="start a unit: params/U/unit.yaml, params/U/Y.yaml, data/U/Y/data.xlsx "
                       "(without --name: add year Y to unit U)")  # fmt: skip
    _unit_year(n)
    n.add_argument("--name", type=unit_name, help="单位名称 of a new unit, e.g. 示例县民政局")
    n.add_argument("--like", type=unit_id, help="start from this existing unit's settings (sections, themes, scoring…)")
    n.add_argument("--kind", choices=KIND_IDS, help="report kind (default department)")
    i = sub.add_parser("import", help="write a unit-year's projects, project_funds and indicators from the 自评表 "
                       "it already filled (.xlsx/.xls files or folders of them)")  # fmt: skip
    i.add_argument(
        "inputs", nargs="+", type=Path, metavar="FILES_OR_FOLDERS", help="filled 自评表 workbooks or folders"
    )
    _unit_year(i)
    i.add_argument("--dry-run", action="store_true", help="print what would be written, write nothing")
    i.add_argument("--overwrite", action="store_true", help="replace tables the unit-year already has")
    b = sub.add_parser("build", help="build outputs/<unit>/<year>/report.html, .pdf, .docx, 自评表.xlsx")
    _unit_year(b, default_unit=True)
    b.add_argument("--force", action="store_true", help="re-execute every section, ignoring the cache")
    b.add_argument(
        "--edition",
        action="append",
        choices=EDITIONS,
        dest="editions",
        help="make this edition only (repeatable; default: the unit's `editions`, else all): "
        "filing = report.*, the report a department files; review = report-review.*, with 审核提示",
    )
    b.add_argument("--format", action="append", choices=FORMATS, dest="formats",
                   help="make this format only (repeatable; default: the unit's `formats`, else all)")  # fmt: skip
    w = sub.add_parser("preview", help="build a unit-year's report, serve it at http://127.0.0.1:PORT/ and "
                       "rebuild it at every saved change to its inputs; Ctrl-C stops it")  # fmt: skip
    _unit_year(w, default_unit=True)
    w.add_argument("--port", type=port, default=8765, help="port on 127.0.0.1 (default 8765; 0: any free port)")
    w.add_argument("--edition", choices=EDITIONS, default="review",
                   help="the edition shown: review (default, report-review.html, with 审核提示) or filing "
                        "(report.html)")  # fmt: skip
    v = sub.add_parser("validate", help="check a unit-year's inputs and list every problem")
    _unit_year(v, default_unit=True)
    t = sub.add_parser("template", help="write an empty input workbook (data.xlsx) with Chinese headers")
    _unit_year(t, default_unit=True)
    t.add_argument("--output", type=Path, help="where to write it (default: data/<unit>/<year>/data.xlsx)")
    t.add_argument("--overwrite", action="store_true", help="replace an existing workbook")
    m = sub.add_parser("batch", help="build many unit-years on a Dask cluster")
    m.add_argument("--units", nargs="+", required=True, type=unit_id, help="unit ids")
    m.add_argument("--years", nargs="+", required=True, type=year, help="years")
    m.add_argument("--scheduler", type=scheduler_address,
                   help="address of a Dask scheduler, e.g. tcp://10.0.0.5:8786 (default: a local cluster)")  # fmt: skip
    m.add_argument("--workers", type=workers, help="local worker processes (default 1: a build uses every core)")
    m.add_argument("--force", action="store_true", help="re-execute every section, ignoring the cache")
    m.add_argument("--output", type=output_url, help="where outputs go: an fsspec URL or folder (default: outputs/)")
    m.add_argument("--no-summary", action="store_true", help="skip the summary of each year at the end")
    s = sub.add_parser("summary", help="the bureau's summary of a year: outputs/_summary/<year>/summary.html")
    s.add_argument("--units", nargs="+", default=[], type=unit_id, help="unit ids")
    s.add_argument(
        "--forms",
        nargs="+",
        default=[],
        type=Path,
        metavar="DIR",
        help="jixiao check output folders (their check.json): departments that filed only forms",
    )
    s.add_argument("--year", required=True, type=year, help="年度")
    s.add_argument("--output", type=output_url,
                   help="where the reports are and the summary goes: an fsspec URL (default: outputs/)")  # fmt: skip
    s.add_argument("--bureau", default="", type=bureau_name, help="the bureau's name for the title, e.g. 示例县财政局")
    c = sub.add_parser("check", help="check filled 自评表 workbooks a bureau received: check.html, .xlsx, .json")
    c.add_argument("sources", nargs="+", metavar="FILES_OR_FOLDERS", help="自评表 workbooks (.xlsx, .xls) or folders")
    c.add_argument(
        "--output", type=Path, help="where check.html, check.xlsx and check.json go (default: outputs/_check)"
    )
    c.add_argument(
        "--rules",
        default="national",
        metavar="UNIT_OR_SET",
        help="rule set: national (default), platform, a rule set YAML file, or a unit id (its unit.yaml)",
    )
    c.add_argument("--bureau", default="", type=bureau_name, help="the bureau's name for the title, e.g. 示例县财政局")
    c.add_argument("--scheduler", help="address of a Dask scheduler to read and score on (default: this machine)")
    c.add_argument("--workers", type=workers, help="local processes without --scheduler (default: one per core)")
    o = sub.add_parser("notebooks", help="list the section notebooks a build runs and where each comes from")
    o.add_argument("--path", action="store_true", help="print the folder of the notebooks shipped with jixiao")
    o.add_argument("--copy", nargs="*", metavar="NAME",
                   help="copy shipped notebooks (all, or these) into the project's notebooks/, to edit")  # fmt: skip
    y = sub.add_parser("synth", help="write synthetic units (ids synth-…) under data/ and params/")
    y.add_argument("--units", required=True, type=synth_units, help=f"how many units (1 to {SYNTH_MAX_UNITS})")
    y.add_argument("--years", nargs="+", required=True, type=year, help=f"years ({YEARS[0]} to {YEARS[1]})")
    y.add_argument("--seed", type=int, default=0, help="random seed: the same seed writes the same files")
    for fault, part in (("bad", 0.05), ("mismatch", 0.2), ("late", 0.2)):
        y.add_argument(f"--{fault}", type=share, default=part, help=f"share of units with the {fault} fault (0 to 1)")
    y.add_argument("--forms", action="store_true",
                   help="also write each unit-year's submitted 自评表 workbooks, with planted faults and their key, "
                        "in data/<unit>/<year>/forms/")  # fmt: skip
    return p


class _Stop(BaseException):
    """SIGINT or SIGTERM: unwinds the build like Ctrl-C (its ``finally`` blocks clean up)."""

    def __init__(self, signum: int) -> None:
        self.signum = signum


def _on_signal(signum: int, frame: object) -> None:
    # further signals are ignored: the cleanup under way is short and must not be cut short
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise _Stop(signum)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    bad = environment.problems()  # every variable jixiao reads, before any work starts
    if bad:
        print("\n".join(bad), file=sys.stderr)
        return 2
    from jixiao.inputs.settings import SettingsError
    from jixiao.outputs import OutputError
    from jixiao.project import ProjectError

    main_thread = threading.current_thread() is threading.main_thread()
    if main_thread:
        previous = {s: signal.signal(s, _on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        if getattr(args, "unit", "") is None:  # build, validate, template without --unit
            args.unit = _project_unit(args.command)
        if args.command == "preview":
            return _preview(args)
        if args.command == "build":
            code = _build(args)
            if main_thread and argv is None:
                # the command is over: leave at once, as after Ctrl-C (the interpreter would spend
                # a third of a second taking down the modules of papermill, nbconvert and ZeroMQ)
                import atexit

                atexit._run_exitfuncs()
                scratch.clean()
                _leave(code)
            return code
        command = {"new": _new, "import": _import, "validate": _validate, "template": _template, "batch": _batch,
                   "summary": _summary, "synth": _synth, "check": _check,
                   "notebooks": _notebooks}.get(args.command)  # fmt: skip
        if command is not None:
            code = command(args)
            sys.stdout.flush()  # a closed pipe is met here, where it is handled, not at the interpreter's exit
            return code
    except SettingsError as exc:
        print(f"设置错误 (settings error): {exc}", file=sys.stderr)
        return 2
    except (paths.NoProject, ProjectError, _NoUnit) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except OutputError as exc:
        print(str(exc), file=sys.stderr)
        return 3
    except (_Stop, KeyboardInterrupt, BrokenPipeError) as exc:
        scratch.clean()  # what the unwinding did not remove (a helper process's folder)
        code = _interrupted(exc, args.command)
        if main_thread and argv is None and args.command in ("build", "preview"):
            _leave(code)  # a section's thread may still be unwinding from its killed kernel: no waiting for it
        return code
    finally:
        scratch.clean()
        if main_thread:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
    return 2


class _NoUnit(LookupError):
    """No ``--unit``, and no ``unit`` in the project's ``jixiao.yaml``."""


def _project_unit(command: str) -> str:
    from jixiao import project

    paths.root()  # outside any project: say that first
    unit = project.default_unit()
    if unit is None:
        raise _NoUnit(f"jixiao {command}: 需要 --unit (give --unit), 或在 {paths.MARKER} 中写 unit: 单位编码")
    return unit


def _leave(code: int) -> None:
    """End the process now with ``code``, its output written: no interpreter teardown, no waiting
    for threads."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


PREVIEW_STOPPED = "预览已结束 (preview stopped)"


def _interrupted(exc: BaseException, command: str = "") -> int:
    """Say the command was stopped (Ctrl-C, SIGTERM, or the reader of its output gone: ``jixiao
    build ... | head``); the exit status, 128 + the signal."""
    if isinstance(exc, BrokenPipeError):  # nothing more is written to the closed pipe, not even at exit
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except BrokenPipeError:
                os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())
    try:
        print(PREVIEW_STOPPED if command == "preview" else INTERRUPTED_LINE, file=sys.stderr)
    except BrokenPipeError:
        pass
    if isinstance(exc, _Stop):
        return 128 + exc.signum
    return 128 + (getattr(signal, "SIGPIPE", 13) if isinstance(exc, BrokenPipeError) else signal.SIGINT)


def _build(args: argparse.Namespace) -> int:
    from jixiao.engine import pipeline as build
    from jixiao.engine.execution import SectionError, SectionsFailed
    from jixiao.outputs import OutputError

    try:
        editions = tuple(args.editions) if args.editions else None
        formats = tuple(args.formats) if args.formats else None
        build.build(args.unit, args.year, force=args.force, editions=editions, formats=formats)
    except (SectionError, SectionsFailed) as exc:
        _failed(exc)
        return 1
    except (OutputError, build.BuildBusy) as exc:
        _failed(exc)
        return 3
    except Exception as exc:
        # InputError lives with the loader (pandas): import it only if the build did
        loading = sys.modules.get("jixiao.inputs.loading")
        if loading is None or not isinstance(exc, loading.InputError):
            raise
        _failed(exc)
        return 2
    return 0


def _preview(args: argparse.Namespace) -> int:
    """Runs until stopped: ends by Ctrl-C or SIGTERM (130, 143), or refused at its start."""
    from jixiao import preview
    from jixiao.engine.pipeline import BuildBusy

    try:
        preview.run(args.unit, args.year, edition=args.edition, port=args.port, echo=_echo)
    except (BuildBusy, preview.PortBusy) as exc:
        print(str(exc), file=sys.stderr)
        return 3
    except preview.Restart as exc:  # jixiao's code changed: the same preview, with the new code
        scratch.clean()
        preview.restart(args.unit, args.year, args.edition, exc.port)
    return 0


def _failed(exc: Exception) -> None:
    print(str(exc), file=sys.stderr)
    print("未生成报告；上一次的报告保持不变。(nothing built; the last report is unchanged)", file=sys.stderr)


def _new(args: argparse.Namespace) -> int:
    from jixiao.inputs import new_unit

    here = _starting_project(args.name is not None)  # only a new unit starts a project
    try:
        created = new_unit.new(args.unit, args.year, name=args.name, like=args.like, kind=args.kind, project=here)
    except new_unit.NewUnitError as exc:
        print(f"未写入任何文件 (nothing written): {exc}", file=sys.stderr)
        return 2
    for line in new_unit.next_steps(created):
        print(line)
    return 0


def _starting_project(starting: bool) -> Path | None:
    """Outside any project, ``new`` (starting a unit) and ``import`` make the working directory
    one: the folder, from now on this process's project, to mark (None inside a project, or when
    not ``starting``)."""
    if not starting or paths.project_root() is not None:
        return None
    return paths.begin_project(Path.cwd())


def _import(args: argparse.Namespace) -> int:
    from jixiao.forms import importing

    here = _starting_project(not args.dry_run)
    try:
        imported = importing.run(args.inputs, args.unit, args.year, dry_run=args.dry_run, overwrite=args.overwrite,
                                 project=here)  # fmt: skip
    except importing.ImportProblems as exc:
        if exc.log:
            print("导入记录 (import log):", file=sys.stderr)
            for line in exc.log:
                print(f"  {line}", file=sys.stderr)
        for line in exc.lines():
            print(line, file=sys.stderr)
        return 2
    for line in importing.report_lines(imported):
        print(line)
    return 0


def _validate(args: argparse.Namespace) -> int:
    from jixiao.inputs import settings, validation

    settings.load(args.unit, args.year)
    problems, notes = validation.validate_with_notes(args.unit, args.year)
    for note in notes:  # 注意 (note) or 警告 (warning): neither fails
        print(note)
    if problems:
        print(str(validation.InputError(problems)), file=sys.stderr)
        return 2
    print(f"{args.unit} {args.year}: 输入数据校验通过 (inputs valid)")
    return 0


def _template(args: argparse.Namespace) -> int:
    from jixiao.inputs import template
    from jixiao.inputs.schema import TABLES

    out = args.output or paths.data_dir(args.unit, args.year) / "data.xlsx"
    if out.exists() and not args.overwrite:
        print(f"{paths.relative(out)} 已存在 (exists); use --overwrite to replace it", file=sys.stderr)
        return 2
    if out.is_dir():
        print(f"{paths.relative(out)} 是一个文件夹 (is a folder); 应为 .xlsx 文件的路径", file=sys.stderr)
        return 2
    tables, chosen = _template_tables(args.unit, args.year)
    try:
        template.write_template(out, args.unit, args.year, tables)
    except OSError as exc:
        from jixiao.outputs import OutputError

        raise OutputError(out, exc) from None
    print(f"模板 (template): {paths.relative(out)}")
    print(f"工作表 (sheets): {'、'.join(TABLES[t].name for t in tables)}（{chosen}）")
    return 0


def _template_tables(unit: str, year: int) -> tuple[tuple[str, ...], str]:
    """The sheets ``jixiao template`` writes, and why: the tables the sections of the unit's
    settings read, when the settings (``unit.yaml`` and the year's file) exist; else every table."""
    from jixiao.inputs import needs, settings
    from jixiao.inputs.schema import TABLES

    folder = paths.params_dir(unit)
    if not (folder / "unit.yaml").is_file() or not (folder / f"{year}.yaml").is_file():
        return tuple(TABLES), "全部表 (every table): 尚无该单位的设置"
    chosen = settings.load(unit, year)
    tables = needs.tables_for((s.kind for s in chosen.sections), chosen.kind)
    return tables, f"{paths.relative(chosen.unit_file)} 所选章节读取的表 (the tables its sections read)"


def _batch(args: argparse.Namespace) -> int:
    from jixiao import batch

    jobs = [(unit, year) for unit in args.units for year in args.years]
    print(f"jixiao batch: {len(jobs)} 份报告 (reports)", flush=True)
    try:
        outcomes = batch.build_many(jobs, scheduler=args.scheduler, workers=args.workers, force=args.force,
                                    output=args.output, echo=_echo)  # fmt: skip
    except batch.ClusterUnreachable as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except batch.ClusterLost as exc:
        print(str(exc), file=sys.stderr)
        return 1
    failed = [o for o in outcomes if not o.ok]
    built = len(outcomes) - len(failed)
    if not args.no_summary:
        from jixiao import summary
        from jixiao.store import Store

        store = Store(args.output)
        for year in args.years:
            where = summary.write(args.units, year, store)
            print(f"汇总 (summary): {where['html']}")
    print(f"{built} 份完成，{len(failed)} 份失败 ({built} built, {len(failed)} failed)")
    return 1 if failed else 0


def _echo(line: str) -> None:
    """A batch's line, printed as it happens (a long batch is followed by its output)."""
    print(line, flush=True)


def _summary(args: argparse.Namespace) -> int:
    from jixiao import summary
    from jixiao.store import Store

    if not args.units and not args.forms:
        print("jixiao summary: 需要 --units 或 --forms (give --units, --forms or both)", file=sys.stderr)
        return 2
    try:
        where = summary.write(args.units, args.year, Store(args.output), bureau=args.bureau, forms=args.forms)
    except summary.FormsError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    for path in where.values():
        print(f"汇总 (summary): {path}")
    return 0


def _check(args: argparse.Namespace) -> int:
    from jixiao import paths
    from jixiao.check import outputs, rules, run

    try:
        ruleset = rules.load(args.rules)
    except rules.RulesError as exc:
        print(f"规则集错误 (rule set error): {exc}", file=sys.stderr)
        return 2
    record = run.run(args.sources, ruleset, scheduler=args.scheduler, workers=args.workers)
    folder = args.output or (paths.project_root() or Path.cwd()) / "outputs" / "_check"  # no project needed
    where = outputs.write(record, folder, args.bureau)
    levels = [{x["level"] for _, x in outputs.every_flag(f)} for f in record.forms]
    warned = sum(1 for found in levels if "warning" in found)  # as the summary line counts them
    noted = sum(1 for found in levels if found and "warning" not in found)
    print(outputs.summary_line(record))
    print(f"{len(record.forms)} 份表：{warned} 份有需核实的问题，{noted} 份仅有提示，{len(record.unread)} 处未能读取 "
          f"({len(record.forms)} forms: {warned} with warnings, {noted} with notes only, "
          f"{len(record.unread)} unread)")  # fmt: skip
    for path in where.values():
        print(f"审核结果 (check): {paths.relative(path)}")
    return 0


def _notebooks(args: argparse.Namespace) -> int:
    from jixiao import outputs
    from jixiao.inputs.settings import NOTEBOOKS

    shipped = sorted(set(NOTEBOOKS.values()))
    if args.path:
        print(paths.PACKAGED_NOTEBOOKS)
        return 0
    if args.copy is not None:
        unknown = sorted(set(args.copy) - set(shipped))
        if unknown:
            print(f"jixiao notebooks --copy: 没有这个笔记本 (no such notebook): {', '.join(unknown)}; "
                  f"可选 (known): {', '.join(shipped)}", file=sys.stderr)  # fmt: skip
            return 2
        folder = paths.root() / "notebooks"
        for name in args.copy or shipped:
            target = folder / name
            if target.exists():
                print(f"  保留 (kept, already there): {paths.relative(target)}")
                continue
            outputs.write_atomically(target, (paths.PACKAGED_NOTEBOOKS / name).read_bytes())
            print(f"  复制 (copied): {paths.relative(target)}")
        return 0
    for name in shipped:
        used = paths.notebook(name)
        where = "项目 (project)" if used.parent != paths.PACKAGED_NOTEBOOKS else "jixiao"
        print(f"  {name}  {where}: {paths.relative(used)}")
    return 0


def _synth_progress(done: int, total: int) -> None:
    print(f"  进度 (progress) {done}/{total} 个单位 (units)", file=sys.stderr, flush=True)


def _synth(args: argparse.Namespace) -> int:
    from jixiao import paths, synth

    shares = {"bad": args.bad, "mismatch": args.mismatch, "late": args.late}
    units = synth.write(args.units, args.years, args.seed, shares=shares, progress=_synth_progress)
    years = "、".join(str(y) for y in sorted(set(args.years)))
    print(f"jixiao synth: {len(units)} 个合成单位 (synthetic units), {years}年, seed {args.seed}")
    for unit in units:
        faults = ", ".join(f for f in synth.FAULTS if f in unit.faults) or "-"
        print(f"  {unit.id}  {unit.name}  faults: {faults}")
    data, params = (paths.relative(paths.root() / name) for name in ("data", "params"))
    print(f"写入 (written): {data}/synth-…, {params}/synth-…")
    if args.forms:
        keys = synth.write_forms(units, args.years, args.seed)
        count = sum(len(json.loads(k.read_text(encoding="utf-8"))["forms"]) for k in keys)
        print(f"自评表 (forms): {count} 份, {data}/synth-…/<年度>/{synth.FORMS_FOLDER}/, "
              f"埋设的问题见 (planted faults in) {synth.KEY_FILE}")  # fmt: skip
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # Ctrl-C before main() took over the signal
        print(INTERRUPTED_LINE, file=sys.stderr)
        sys.exit(130)
