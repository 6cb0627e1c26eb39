"""Reading filled 自评表 workbooks (``make bench-forms``): forms per second and peak memory.

Writes one workbook per layout and quirk with ``jixiao.forms.samples`` (central, combined targets,
Hebei 权重占比/折算, Anhui ★, Sichuan transfer, 部门整体; text numbers, 元, spaced labels), copies
them into a folder of N files, and reads the folder in a fresh process for each N, with ``read``
(every form kept) and with ``readings`` (one file at a time, nothing kept): wall time, forms per
second and the process's peak resident memory. Then the
hostile files (a cell a million rows down, a merged range over the whole sheet, 200 sheets, a
corrupt file, a CSV named .xlsx, a formula without its value, a declared million-row dimension),
each read alone: time and peak memory. Then one form read by python-calamine and by openpyxl
(``load_workbook(data_only=True)``, every cell and the merged ranges), which is why the reader
uses calamine.

    python benchmarks/bench_forms.py [--sizes 1000 10000]
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "lib"))
sys.path.insert(0, str(REPO / "tests"))

CHILD = """
import json, resource, sys, time
sys.path.insert(0, {lib!r})
from jixiao.forms.reading import read, readings
start = time.perf_counter()
if {stream!r}:
    forms = problems = 0
    for one in readings([{folder!r}]):
        forms += len(one.forms)
        problems += len(one.problems)
else:
    reading = read([{folder!r}])
    forms, problems = len(reading.forms), len(reading.problems)
seconds = time.perf_counter() - start
print(json.dumps({{"seconds": seconds, "forms": forms, "problems": problems,
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def samples(folder: Path) -> list[Path]:
    from forms_fixtures import department, project, transfer
    from jixiao.forms.samples import save

    folder.mkdir(parents=True, exist_ok=True)
    return [
        save(folder / "central.xlsx", [(project(), "central")]),
        save(folder / "combined.xlsx", [(project(), "combined")], quirks=("text_numbers",)),
        save(folder / "weighted.xlsx", [(project(), "weighted")], quirks=("spaced_labels",)),
        save(folder / "starred.xlsx", [(project(), "starred")], quirks=("yuan",)),
        save(folder / "transfer.xlsx", [(transfer(), "transfer")]),
        save(folder / "department.xlsx", [(department(), "department")], quirks=("hidden", "spacers")),
    ]


def run(folder: Path, stream: bool = False) -> dict:
    code = CHILD.format(lib=str(REPO / "lib"), folder=str(folder), stream=stream)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def baseline() -> float:
    """The peak memory of a process that only imports the reader (MiB)."""
    code = f"import resource, sys; sys.path.insert(0, {str(REPO / 'lib')!r}); import jixiao.forms.reading, "
    code += "python_calamine; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)"
    return float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)


def hostile(folder: Path, source: Path) -> dict[str, Path]:
    import openpyxl

    from forms_fixtures import project
    from jixiao.forms.samples import workbook

    folder.mkdir(parents=True, exist_ok=True)
    made: dict[str, Path] = {}
    book = workbook([(project(), "central")])
    book.active.cell(row=1048576, column=10, value="x")
    book.save(folder / "million-rows.xlsx")
    made["a cell a million rows down"] = folder / "million-rows.xlsx"
    made["a million rows declared"] = _rewrite(
        source,
        folder / "dimension.xlsx",
        lambda x: re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>', x),
    )
    made["a merge over the whole sheet"] = _rewrite(
        source,
        folder / "merge.xlsx",
        lambda x: re.sub(r'<mergeCells count="\d+">', '<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/>', x),
    )
    many = openpyxl.Workbook()
    for n in range(199):
        many.create_sheet(f"表{n}").append(["项目", n])
    many.save(folder / "200-sheets.xlsx")
    made["200 sheets"] = folder / "200-sheets.xlsx"
    data = source.read_bytes()
    (folder / "corrupt.xlsx").write_bytes(data[: len(data) // 2])
    made["a corrupt file"] = folder / "corrupt.xlsx"
    (folder / "csv.xlsx").write_text("a,b\n1,2\n" * 100000, encoding="utf-8")
    made["a CSV named .xlsx (800 KB)"] = folder / "csv.xlsx"
    formula = workbook([(project(), "central")])
    formula.active["I18"] = "=SUM(I13:I17)"
    formula.save(folder / "formula.xlsx")
    made["a formula without its value"] = folder / "formula.xlsx"
    return made


def _rewrite(source: Path, target: Path, change) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = change(data.decode("utf-8")).encode("utf-8")
            new.writestr(info, data)
    return target


def libraries(path: Path, repeat: int = 50) -> dict[str, float]:
    """Milliseconds to read one form's every cell and merged ranges, by each library (median)."""
    import statistics

    import openpyxl
    import python_calamine

    def by_calamine():
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            sheet = book.get_sheet_by_name(name)
            sheet.to_python()
            sheet.merged_cell_ranges  # noqa: B018

    def by_openpyxl():
        book = openpyxl.load_workbook(path, data_only=True)
        for sheet in book.worksheets:
            list(sheet.iter_rows(values_only=True))
            list(sheet.merged_cells.ranges)

    from jixiao.forms.reading import read_workbook

    found = {}
    for name, work in (
        ("python-calamine", by_calamine),
        ("openpyxl", by_openpyxl),
        ("jixiao.forms (calamine + XML scan + labels)", lambda: read_workbook(path)),
    ):
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            work()
            times.append((time.perf_counter() - start) * 1000)
        found[name] = statistics.median(times)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-forms-") as tmp:
        root = Path(tmp)
        layouts = samples(root / "layouts")
        base = baseline()
        print(f"reader imported: {base:.0f} MiB peak")
        print(f"{'forms':>7} {'seconds':>8} {'forms/s':>8} {'peak MiB':>9} {'problems':>8}")
        for size in args.sizes:
            folder = root / f"n{size}"
            folder.mkdir()
            for n in range(size):
                source = layouts[n % len(layouts)]
                shutil.copyfile(source, folder / f"{n:06d}-{source.name}")
            for stream in (False, True):
                result = run(folder, stream)
                rate = result["forms"] / result["seconds"]
                print(
                    f"{result['forms']:>7} {result['seconds']:>8.2f} {rate:>8.0f} {result['peak_mib']:>9.0f}"
                    f" {result['problems']:>8}  {'readings(): one file at a time' if stream else 'read(): all kept'}"
                )
            shutil.rmtree(folder)
        print("\nhostile files, each read alone in a fresh process:")
        for what, path in hostile(root / "hostile", layouts[0]).items():
            single = root / "single"
            single.mkdir()
            shutil.copyfile(path, single / path.name)
            result = run(single)
            print(f"  {what:<32} {result['seconds'] * 1000:>7.1f} ms {result['peak_mib']:>6.0f} MiB peak")
            shutil.rmtree(single)
        print("\none form, every cell and merged range (median of 50, ms):")
        for name, ms in libraries(layouts[0]).items():
            print(f"  {name:<44} {ms:>7.2f}")
    print(f"\n(peak memory is the reading process's maximum resident set; {resource.getpagesize()} B pages)")


if __name__ == "__main__":
    main()
