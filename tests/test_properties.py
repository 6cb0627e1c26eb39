"""Properties of every reader of user input (Hypothesis): whatever it is given, it either accepts the
input or answers with a clear message (the documented exit status, one line per problem naming the
file and what was expected), never a traceback, a hang or a partial output.

The readers: the CSV and workbook loaders and validation (the path ``jixiao validate`` takes), the
settings loader, number parsing and formatting, the command-line arguments, the environment the
loaders read, and the forms reader. The examples are few per property (profile ``jixiao``, in
conftest.py), each reading a copy of the example's inputs in-process; ``HYPOTHESIS_PROFILE=thorough``
runs more, and shrinks a failure to its smallest example.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import io
import math
import os
import re
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from forms_fixtures import project
from jixiao import cli
from jixiao.formatting import MINUS, natural, number, wanyuan
from jixiao.forms.reading import read_workbook
from jixiao.forms.samples import save
from jixiao.inputs import published
from jixiao.inputs.loading import TABLES, parse_number
from jixiao.inputs.schema import TABLES as SCHEMA
from jixiao.inputs.settings import SettingsError, load, parse_yaml

REPO = Path(__file__).resolve().parents[1]
UNIT, YEAR = "lechang-mzj", 2019


# ---------------------------------------------------------------- strategies

CONTROL = st.characters(codec="utf-8", categories=["Cc", "Cf", "Zl", "Zp"])
AWKWARD = st.sampled_from(
    ["", " ", "\x00", "\ufeff", "nan", "inf", "-inf", "1e309", "-0", "１０４０８．３４", "10,408.34", "79.5%",
     "−7.31", "=1+1", "=HYPERLINK(\"x\")", "NULL", "#N/A", "TRUE", "2019-13-45", "𠀀" * 300, "x" * 5000,
     "\"", "\"\"\"", "a\nb", "a\r\nb", "\u202e反向", "0x1F", "1_000", "١٢٣"]
)  # fmt: skip
CELL_TEXT = st.one_of(
    AWKWARD,
    st.text(max_size=40),
    st.text(CONTROL, min_size=1, max_size=5),
    st.integers(-(10**30), 10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16", "latin-1", "big5"])


def examples(n: int, **more) -> settings:
    """``n`` examples under the usual profile; the thorough profile's own (larger) number otherwise."""
    return settings(max_examples=max(n, settings.default.max_examples) if settings.default.max_examples > 25 else n,
                    **more)  # fmt: skip


def shown(code: int, out: str, err: str) -> str:
    return f"exit {code}\n--- stdout\n{out}\n--- stderr\n{err}"


def run_cli(*argv: str) -> tuple[int, str, str]:
    """``jixiao argv`` in this process: its exit status (argparse's SystemExit too), stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(list(argv))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 2
    return code, out.getvalue(), err.getvalue()


PROBLEM_LINE = re.compile(r"^(data/|params/|  )")


def assert_clear(code: int, out: str, err: str) -> None:
    """Accepted (0), or refused (2) with a count line and one line per problem naming its file (an
    input, or the settings naming a statistic the inputs lack)."""
    assert "Traceback" not in out + err, shown(code, out, err)
    assert code in (0, 2), shown(code, out, err)
    if code == 0:
        assert out.rstrip().endswith(f"{UNIT} {YEAR}: 输入数据校验通过 (inputs valid)"), shown(code, out, err)
        return
    lines = err.rstrip("\n").split("\n")
    if lines[0].startswith("设置错误 (settings error): "):
        assert "params/" in lines[0], shown(code, out, err)
        return
    assert re.fullmatch(r"输入数据有 [1-9]\d* 处错误：", lines[0]), shown(code, out, err)
    assert len(lines) > 1, shown(code, out, err)
    for line in lines[1:]:  # an input's problem, or a setting naming what the inputs lack
        assert line.startswith(("data/", "params/")), shown(code, out, err)


@contextlib.contextmanager
def root_at(root: Path):
    before = os.environ.get("JIXIAO_ROOT")
    os.environ["JIXIAO_ROOT"] = str(root)
    try:
        yield root
    finally:
        if before is None:
            os.environ.pop("JIXIAO_ROOT", None)
        else:
            os.environ["JIXIAO_ROOT"] = before


@pytest.fixture(scope="module")
def csv_copy(tmp_path_factory):
    """A copy of the example's settings and CSV inputs; each example changes it and puts it back."""
    root = tmp_path_factory.mktemp("csv")
    shutil.copytree(REPO / "params", root / "params")
    shutil.copytree(REPO / "data" / UNIT / str(YEAR), root / "data" / UNIT / str(YEAR))
    with root_at(root):
        assert_clear(*run_cli("validate", "--unit", UNIT, "--year", str(YEAR)))
        yield root


@contextlib.contextmanager
def restored(*files: Path):
    """Put ``files`` back as they were, whatever an example did to them."""
    kept = {f: f.read_bytes() for f in files}
    try:
        yield
    finally:
        for f, data in kept.items():
            f.write_bytes(data)
        published._cache.clear()


def rows_of(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return [list(r) for r in csv.reader(f)]


def csv_bytes(rows: list[list[str]], encoding: str) -> bytes:
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(rows)
    return text.getvalue().encode(encoding, errors="replace")


# one change to a table: a cell's text, a column dropped or added, rows dropped or doubled
EDIT = st.one_of(
    st.tuples(st.just("cell"), st.integers(0, 10**6), st.integers(0, 10**6), CELL_TEXT),
    st.tuples(st.just("drop_column"), st.integers(0, 10**6)),
    st.tuples(st.just("add_column"), CELL_TEXT, CELL_TEXT),
    st.tuples(st.just("drop_rows"), st.integers(0, 10**6)),
    st.tuples(st.just("double_row"), st.integers(0, 10**6)),
    st.tuples(st.just("ragged"), st.integers(0, 10**6), st.integers(-3, 3)),
)


def edited(rows: list[list[str]], edit: tuple) -> list[list[str]]:
    rows = [list(r) for r in rows]
    kind, *args = edit
    width = max(len(r) for r in rows)
    if kind == "cell":
        r = rows[args[0] % len(rows)]
        if r:
            r[args[1] % len(r)] = args[2]
    elif kind == "drop_column":
        j = args[0] % width
        rows = [r[:j] + r[j + 1 :] for r in rows]
    elif kind == "add_column":
        rows = [[*rows[0], args[0]]] + [[*r, args[1]] for r in rows[1:]]
    elif kind == "drop_rows":
        rows = rows[: 1 + args[0] % len(rows)]
    elif kind == "double_row":
        rows.append(list(rows[args[0] % len(rows)]))
    elif kind == "ragged":
        r = rows[args[0] % len(rows)]
        rows[args[0] % len(rows)] = r[: max(0, len(r) + args[1])] if args[1] < 0 else r + ["x"] * args[1]
    return rows


@examples(40)
@given(
    table=st.sampled_from(TABLES),
    edits=st.lists(EDIT, min_size=1, max_size=4),
    encoding=ENCODINGS,
)
def test_validate_any_csv_input(csv_copy, table, edits, encoding):
    """A table's CSV changed in any way (cells of any text, columns missing or extra, rows dropped,
    doubled or ragged, in any encoding): ``jixiao validate`` accepts it or lists each problem."""
    path = csv_copy / "data" / UNIT / str(YEAR) / f"{table}.csv"
    if not path.is_file():
        return
    with restored(path):
        rows = rows_of(path)
        for edit in edits:
            rows = edited(rows, edit)
        path.write_bytes(csv_bytes(rows, encoding))
        assert_clear(*run_cli("validate", "--unit", UNIT, "--year", str(YEAR)))


@examples(15)
@given(data=st.one_of(st.binary(max_size=300), st.just(b""), st.just(b"\xef\xbb\xbf"), st.just(b"\x00" * 64)))
def test_validate_any_bytes(csv_copy, data):
    """A table's file replaced by any bytes."""
    path = csv_copy / "data" / UNIT / str(YEAR) / "projects.csv"
    with restored(path):
        path.write_bytes(data)
        code, out, err = run_cli("validate", "--unit", UNIT, "--year", str(YEAR))
        assert_clear(code, out, err)
        assert code == 2, shown(code, out, err)  # projects is required: empty or garbled, it is a problem


# ---------------------------------------------------------------- the workbook loader

CELL_VALUE = st.one_of(
    CELL_TEXT,
    st.none(),
    st.booleans(),
    st.integers(-(2**53), 2**53),
    st.floats(allow_nan=False, allow_infinity=False),
    st.datetimes(min_value=datetime.datetime(1900, 3, 1), max_value=datetime.datetime(9999, 1, 1)),
    st.dates(min_value=datetime.date(1900, 3, 1)),
)


def excel_text(value: str) -> str | float:
    """A CSV cell as a user types it in Excel: numbers as numbers."""
    try:
        return float(value) if value.strip() and math.isfinite(float(value)) else value
    except ValueError:
        return value


def printable(value):
    """openpyxl refuses control characters in a cell (Excel cannot hold them): the user cannot type them."""
    if isinstance(value, str):
        return "".join(c for c in value if c in "\t\n\r" or not (ord(c) < 32 or 0xD800 <= ord(c) <= 0xDFFF))
    return value


@pytest.fixture(scope="module")
def workbook_copy(tmp_path_factory):
    """A copy of the example whose inputs are one ``data.xlsx``, a sheet per table."""
    root = tmp_path_factory.mktemp("xlsx")
    shutil.copytree(REPO / "params", root / "params")
    source = REPO / "data" / UNIT / str(YEAR)
    folder = root / "data" / UNIT / str(YEAR)
    folder.mkdir(parents=True)
    book = openpyxl.Workbook()
    book.remove(book.active)
    for table in TABLES:
        if (source / f"{table}.csv").is_file():
            sheet = book.create_sheet(SCHEMA[table].display)
            for i, row in enumerate(rows_of(source / f"{table}.csv")):
                sheet.append(row if i == 0 else [excel_text(v) for v in row])
    book.save(folder / "data.xlsx")
    with root_at(root):
        assert_clear(*run_cli("validate", "--unit", UNIT, "--year", str(YEAR)))
        yield root


@examples(12)
@given(
    changes=st.lists(st.tuples(st.integers(0, 10**6), st.integers(1, 60), st.integers(1, 16), CELL_VALUE),
                     min_size=1, max_size=6),
    renamed=st.one_of(st.none(), st.tuples(st.integers(0, 10**6), st.text(min_size=1, max_size=31))),
)  # fmt: skip
def test_validate_any_workbook(workbook_copy, changes, renamed):
    """Cells of the input workbook set to values of any type (text, numbers, dates, booleans,
    blanks), within and past the tables; a sheet renamed: accepted or each problem listed."""
    path = workbook_copy / "data" / UNIT / str(YEAR) / "data.xlsx"
    with restored(path):
        book = openpyxl.load_workbook(path)
        for index, row, column, value in changes:
            sheet = book.worksheets[index % len(book.worksheets)]
            sheet.cell(row, column).value = printable(value)
        if renamed is not None:
            title = printable(re.sub(r"[\[\]:*?/\\]", "_", renamed[1])).strip("'") or "x"
            book.worksheets[renamed[0] % len(book.worksheets)].title = title
        book.save(path)
        assert_clear(*run_cli("validate", "--unit", UNIT, "--year", str(YEAR)))


# ---------------------------------------------------------------- the settings loader

YAML_VALUE = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), CELL_TEXT),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)),
    max_leaves=6,
)


@examples(40)
@given(
    file=st.sampled_from(["unit.yaml", f"{YEAR}.yaml"]),
    key=st.one_of(st.sampled_from(["unit_name", "sections", "themes", "kind", "editions", "formats", "year", "scoring",
                                   "preparer", "numbering", "published"]), st.text(max_size=12)),
    value=YAML_VALUE,
)  # fmt: skip
def test_settings_any_value(csv_copy, file, key, value):
    """A settings key set to any value: the settings load, or one clear SettingsError naming the file."""
    path = csv_copy / "params" / UNIT / file
    with restored(path):
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        raw[key] = value
        path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
        try:
            load(UNIT, YEAR)
        except SettingsError as exc:
            assert f"params/{UNIT}/" in str(exc), str(exc)
        assert_clear(*run_cli("validate", "--unit", UNIT, "--year", str(YEAR)))


@given(text=st.one_of(st.text(max_size=200), st.binary(max_size=200).map(lambda b: b.decode("latin-1"))))
def test_parse_yaml_any_text(text):
    """Any text as a settings file: a mapping, or a SettingsError naming the file."""
    try:
        parsed = parse_yaml(text, Path("params/u/unit.yaml"))
    except SettingsError as exc:
        assert "params/u/unit.yaml" in str(exc), str(exc)
    else:
        assert isinstance(parsed, dict)


# ---------------------------------------------------------------- numbers


@given(text=st.one_of(CELL_TEXT, st.text(alphabet="0123456789.,+-−%eE ０１２．，", max_size=20)))
def test_parse_number_any_text(text):
    """Any text: a finite number (and whether it was a percentage), or None; never an exception."""
    parsed = parse_number(text)
    if parsed is not None:
        value, percent = parsed
        assert isinstance(value, float) and math.isfinite(value)
        assert percent == text.strip().endswith(("%", "％"))


@given(value=st.decimals(min_value=-(10**15), max_value=10**15, places=2, allow_nan=False),
       thousands=st.booleans(), full_width=st.booleans())  # fmt: skip
def test_parse_number_reads_what_people_type(value, thousands, full_width):
    """A number with two decimals, typed with or without thousands separators, in full-width digits
    or ASCII, reads back as itself."""
    text = f"{value:,.2f}" if thousands else f"{value:.2f}"
    if full_width:
        text = text.translate(str.maketrans("0123456789.,-", "０１２３４５６７８９．，－"))
    assert parse_number(text) == (float(value), False)


@given(value=st.one_of(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15),
                       st.integers(-(10**15), 10**15)),
       decimals=st.integers(0, 4))  # fmt: skip
def test_number_formatting_reads_back(value, decimals):
    """Every figure the report prints reads back, through the loader's number parser, as the value
    rounded half-up to its places: what is printed can be typed into the inputs again."""
    expected = Decimal(repr(value) if isinstance(value, float) else value).quantize(
        Decimal(1).scaleb(-decimals), rounding="ROUND_HALF_UP"
    )
    for text in (number(value, decimals), wanyuan(value, decimals).removesuffix("万元")):
        assert MINUS not in text or text.startswith(MINUS)
        assert parse_number(text) == (float(expected), False), text
    assert parse_number(natural(value, decimals)) == (float(expected), False)


@given(value=st.sampled_from([math.nan, math.inf, -math.inf]))
def test_number_formatting_refuses_what_is_not_a_number(value):
    with pytest.raises(ValueError, match=r"^not a finite number: "):
        number(value)


# ---------------------------------------------------------------- command-line arguments

ARGUMENT = st.one_of(
    CELL_TEXT.filter(lambda s: "\x00" not in s),
    st.sampled_from(["--unit", "--year", UNIT, str(YEAR), "--help-not", "-", "--", "../../etc", "/etc", "."]),
)


@examples(40)
@given(unit=ARGUMENT, year=ARGUMENT, extra=st.lists(ARGUMENT, max_size=2))
def test_validate_any_arguments(csv_copy, unit, year, extra):
    """``jixiao validate`` given any ``--unit`` and ``--year``: argparse's usage and one line (exit 2),
    or the unit-year validated; never a traceback. No file is written."""
    before = sorted(p.relative_to(csv_copy) for p in csv_copy.rglob("*"))
    code, out, err = run_cli("validate", "--unit", unit, "--year", year, *extra)
    assert "Traceback" not in out + err, shown(code, out, err)
    assert code in (0, 2), shown(code, out, err)
    if code == 2:
        assert err.strip(), shown(code, out, err)
    if code == 2 and err.startswith("usage: "):
        # argparse's line: the subcommand's (a bad --unit) or the command's (an unknown argument); it
        # quotes an unknown argument as given, line breaks and all
        assert re.search(r"^jixiao( validate)?: error: ", err, re.MULTILINE), shown(code, out, err)
    assert sorted(p.relative_to(csv_copy) for p in csv_copy.rglob("*")) == before


# ---------------------------------------------------------------- the environment


@examples(12)
@given(
    value=st.one_of(
        CELL_TEXT.filter(lambda s: "\x00" not in s),  # an environment variable cannot hold NUL
        st.sampled_from(["", "params", "/nonexistent", "𠀀" * 300]),  # the last: a name too long to look up
    )
)
def test_validate_any_project_root(csv_copy, value):
    """``JIXIAO_ROOT`` naming any folder (or none): the unit's settings are found, or one line names
    the variable or the missing settings file; never a traceback."""
    with root_at(value):
        code, out, err = run_cli("validate", "--unit", UNIT, "--year", str(YEAR))
    assert "Traceback" not in out + err, shown(code, out, err)
    assert code in (0, 2), shown(code, out, err)
    if code == 2:  # the variable refused before any work, or the settings it leads to not found
        assert err.startswith(("环境变量 (environment variable) JIXIAO_ROOT=", "设置错误 (settings error): ")), shown(
            code, out, err
        )
        assert len(err.rstrip("\n").split("\n")) == 1, shown(code, out, err)


# ---------------------------------------------------------------- the forms reader

FORM_VALUE = st.one_of(
    CELL_VALUE.map(printable),
    st.sampled_from(
        ["一级指标", "二级指标", "三级指标", "绩效自评表", "合计", "总分", "项目名称：", "年度总体目标", "分值"]
    ),
)


@pytest.fixture(scope="module")
def form_path(tmp_path_factory):
    return save(tmp_path_factory.mktemp("forms") / "临时救助.xlsx", [(project(), "central")])


@examples(30, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(
    changes=st.lists(st.tuples(st.integers(1, 45), st.integers(1, 12), FORM_VALUE), min_size=1, max_size=8),
    delete_rows=st.lists(st.integers(1, 45), max_size=2),
)
def test_forms_reader_any_form(form_path, tmp_path, changes, delete_rows):
    """A 自评表 with any cells changed (labels, amounts, scores of any type) or rows deleted: read as
    forms and problems, each problem naming the file; never an exception."""
    book = openpyxl.load_workbook(form_path)
    sheet = book.worksheets[0]
    for row in delete_rows:
        sheet.delete_rows(row)
    for row, column, value in changes:
        cell = sheet.cell(row, column)
        if type(cell).__name__ != "MergedCell":
            cell.value = value
    path = tmp_path / "临时救助.xlsx"
    book.save(path)
    reading = read_workbook(path)
    for problem in reading.problems:
        assert str(path) in str(problem) or "临时救助.xlsx" in str(problem), str(problem)
        assert "\n" not in str(problem).strip(), str(problem)


# ---------------------------------------------------------------- whole builds

NARRATIVE_TEXT = st.one_of(
    st.sampled_from(["<script>alert(1)</script>", "a & b < c > d \"e\" 'f'", "{", "{nosuchkey}", "}", "\\", "*强调*",
                     "# 标题", "| 表 |", "$x$", "`代码`", "😀乐昌🇨🇳", "\u00a0\u3000全角空格", "a\nb\r\nc\td"]),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=30),
)  # fmt: skip


@pytest.fixture(scope="module")
def build_copy(example, tmp_path_factory):
    """A copy of the project holding the session build's outputs: a build reruns only what changed."""
    from conftest import copy_project

    return copy_project(tmp_path_factory.mktemp("whole"), outputs_from=example.root)


def listing_of(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if ".cache" not in p.parts)


@pytest.mark.build
@pytest.mark.slow
@examples(2)
@given(text=NARRATIVE_TEXT)
def test_build_any_narrative_text(build_copy, text):
    """A narrative item of any text through a whole build (HTML and workbook): the report is built
    and shows it, or the build is refused with each problem on one line and the last report, and
    every other output, left as they were; never a traceback."""
    from conftest import build

    path = build_copy / "data" / UNIT / str(YEAR) / "narrative.csv"
    out = build_copy / "outputs" / UNIT / str(YEAR)
    marker = "甲乙丙丁"
    with restored(path):
        rows = rows_of(path)
        item = next(
            r for r in rows[1:] if r[rows[0].index("kind")] == "item" and r[rows[0].index("section")] == "dibao"
        )
        item[rows[0].index("text")] = marker + text
        path.write_bytes(csv_bytes(rows, "utf-8"))
        before, report = listing_of(out), (out / "report.html").read_bytes()
        result = build(build_copy)
    shown_build = shown(result.returncode, result.stdout, result.stderr)
    event(f"exit {result.returncode}")  # pytest --hypothesis-show-statistics: how many were built, how many refused
    assert "Traceback" not in result.stdout + result.stderr, shown_build
    assert result.returncode in (0, 2), shown_build
    assert listing_of(out) == before, shown_build  # no partial output, no temporary file left
    if result.returncode == 0:
        assert marker in (out / "report.html").read_text(encoding="utf-8"), shown_build
        return
    assert (out / "report.html").read_bytes() == report, shown_build
    lines = result.stderr.rstrip("\n").split("\n")
    assert lines[-1] == "未生成报告；上一次的报告保持不变。(nothing built; the last report is unchanged)", shown_build
    problems = lines[lines.index(next(x for x in lines if re.fullmatch(r"输入数据有 \d+ 处错误：", x))) + 1 : -1]
    assert problems and all(x.startswith(f"data/{UNIT}/{YEAR}/") for x in problems), shown_build
