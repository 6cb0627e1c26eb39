"""A corpus of hostile input files fed to ``jixiao validate`` and ``jixiao build`` as a user would:
each gets its exit status and a message that says what is wrong, and no traceback, ever.

Each case is a unit of its own (``h-<case>``) in one copy of the project: the example's 2019
inputs with one thing broken."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, copy_project

YEAR = 2019


def _csv(name: str, content: bytes):
    def make(folder: Path) -> None:
        (folder / name).write_bytes(content)

    return make


def _replace(name: str, old: str, new: str):
    def make(folder: Path) -> None:
        path = folder / name
        text = path.read_text(encoding="utf-8")
        assert old in text, (name, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return make


def _workbook(change):
    """The inputs as data.xlsx (CSV files removed), then ``change(book_path)``."""

    def make(folder: Path) -> None:
        from jixiao.inputs.dataset import TABLES
        from jixiao.inputs.loading import load
        from jixiao.inputs.template import write_workbook

        unit = folder.parent.name
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("JIXIAO_ROOT", str(folder.parents[2]))
            write_workbook(folder / "data.xlsx", load(unit, YEAR))
        for name in TABLES:
            (folder / f"{name}.csv").unlink(missing_ok=True)  # optional tables may be absent
        change(folder / "data.xlsx")

    return make


def _far_cell(path: Path) -> None:
    from openpyxl import load_workbook
    from openpyxl.styles import PatternFill

    book = load_workbook(path)
    book["预算"]["XFD1048576"].fill = PatternFill("solid", fgColor="FFFF00")
    book.save(path)


def _merged(path: Path) -> None:
    from openpyxl import load_workbook

    book = load_workbook(path)
    book["项目"]["C3"].value = None
    book["项目"].merge_cells("C2:C3")
    book.save(path)


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:3000])


def _encrypted(path: Path) -> None:
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500 + "EncryptedPackage".encode("utf-16-le"))


def _folder(name: str, remove_csv: bool = False):
    def make(folder: Path) -> None:
        if remove_csv:
            for path in folder.glob("*.csv"):
                path.unlink()
        target = folder / name
        if target.exists():
            target.unlink()
        target.mkdir()

    return make


def _many_rows(count: int, value: str):
    def make(folder: Path) -> None:
        path = folder / "stats.csv"
        lines = [f"dibao,extra_{n},多余,{value},户,,,,published," for n in range(count)]
        path.write_text(path.read_text(encoding="utf-8") + "\n".join(lines) + "\n", encoding="utf-8")

    return make


def _invalid_utf8(folder: Path) -> None:
    path = folder / "projects.csv"
    path.write_bytes(path.read_bytes().replace("城乡低保".encode(), "城乡".encode() + b"\xff", 1))


def _settings_bytes(folder: Path) -> None:
    (folder.parents[2] / "params" / folder.parent.name / "unit.yaml").write_bytes(b"\xff\xfe\x00garbage\x00")


# name -> (how to break the inputs, exit status, a line the output must hold)
CASES = {
    "empty-file": (_csv("budget.csv", b""), 2, "/budget.csv：表是空的"),
    "bom-only": (_csv("narrative.csv", b"\xef\xbb\xbf"), 2, "/narrative.csv：表是空的"),
    "binary-csv": (_csv("stats.csv", bytes(range(256)) * 8), 2, "/stats.csv：不是 UTF-8 或 GBK/GB18030 编码的文本"),
    "utf16-csv": (_csv("budget.csv", "line_id,kind\nB01,x\n".encode("utf-16")), 2, "/budget.csv：文件是 UTF-16 编码"),
    "tab-separated": (_csv("budget.csv", b"line_id\tfund_source\tkind\nB01\tx\ty\n"), 2, "列之间用制表符分隔"),
    "folder-csv": (_folder("budget.csv"), 2, "/budget.csv：是一个文件夹，不是 CSV 文件"),
    "folder-xlsx": (_folder("data.xlsx", remove_csv=True), 2, "/data.xlsx：是一个文件夹，不是工作簿文件"),
    "nul-in-cell": (_replace("projects.csv", "特困供养", "特困\x00供养"), 2, "值含有控制字符 U+0000（第 3 个字符）"),
    "huge-cell": (_replace("projects.csv", "特困供养,", "特" * 20000 + ","), 2, "内容有 20000 个字符"),
    "invalid-utf8": (_invalid_utf8, 2, "第4行：第 12 个字节 0xFF 不是有效的 UTF-8 文本（此行已损坏）"),
    "too-many-rows": (_many_rows(50_001, "1"), 2, "/stats.csv：表有超过 50000 行数据（上限 50000 行），未读取"),
    "many-bad-values": (_many_rows(3000, "abc"), 2, "/stats.csv 数值(value)：另有 2980 处错误未列出"),
    "far-formatted-cell": (_workbook(_far_cell), 0, "输入数据校验通过 (inputs valid)"),
    "merged-cells": (_workbook(_merged), 2, "在合并单元格 C2:C3 中，只有左上角的单元格有值"),
    "truncated-workbook": (_workbook(_truncate), 2, "/data.xlsx：已损坏或不完整"),
    "encrypted-workbook": (_workbook(_encrypted), 2, "/data.xlsx：是加密（设有打开密码）的工作簿"),
    "settings-not-text": (_settings_bytes, 2, "unit.yaml: 不是 UTF-8 文本 (not UTF-8 text)"),
}
BUILT = ["nul-in-cell", "truncated-workbook", "settings-not-text"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    shutil.copytree(REPO / "lib", root / "lib")  # with its bytecode (conftest.compile_package)
    shutil.copytree(REPO / "notebooks", root / "notebooks")
    example = copy_project(tmp_path_factory.mktemp("source"))
    for case, (make, _, _) in CASES.items():
        unit = f"h-{case}"
        params = root / "params" / unit
        shutil.copytree(example / "params/lechang-mzj", params)
        (params / "2018.yaml").unlink()
        (params / "2019.yaml").write_text(f"unit: {unit}\nyear: {YEAR}\n", encoding="utf-8")
        folder = root / "data" / unit / str(YEAR)
        shutil.copytree(example / "data/lechang-mzj/2019", folder)
        profile = folder / "profile.csv"
        profile.write_text(profile.read_text(encoding="utf-8").replace("lechang-mzj", unit), encoding="utf-8")
        make(folder)
    return root


def _run_all(root: Path, commands: list[list[str]]) -> list[tuple[int, str, str]]:
    """The commands, two at a time; (status, stdout, stderr) of each."""
    env = {**os.environ, "JIXIAO_ROOT": str(root), "PYTHONPATH": str(root / "lib")}
    results: list[tuple[int, str, str]] = []
    for start in range(0, len(commands), 2):
        running = [
            subprocess.Popen(
                [sys.executable, "-m", "jixiao.cli", *args],
                cwd=root,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for args in commands[start : start + 2]
        ]
        for process in running:
            out, err = process.communicate(timeout=300)
            results.append((process.returncode, out, err))
    return results


def _check(case: str, result: tuple[int, str, str], wanted_status: int, line: str) -> list[str]:
    status, out, err = result
    faults = []
    if status != wanted_status:
        faults.append(f"{case}: exit {status}, expected {wanted_status}")
    if line not in out + err:
        faults.append(f"{case}: no {line!r} in {(out + err)[-600:]!r}")
    if "Traceback" in out + err:
        faults.append(f"{case}: a traceback: {err[-600:]}")
    return faults


def test_every_hostile_file_gets_its_message_from_validate(corpus):
    commands = [["validate", "--unit", f"h-{case}", "--year", str(YEAR)] for case in CASES]
    faults = []
    for (case, (_, status, line)), result in zip(CASES.items(), _run_all(corpus, commands), strict=True):
        faults += _check(case, result, status, line)
    assert faults == []


def test_a_listing_of_many_bad_values_stays_short(corpus):
    [(status, _, err)] = _run_all(corpus, [["validate", "--unit", "h-many-bad-values", "--year", str(YEAR)]])
    assert status == 2
    assert err.splitlines()[0] == "输入数据有 3000 处错误："
    assert len(err.splitlines()) == 22


def test_a_build_refuses_them_before_anything_runs(corpus):
    commands = [["build", "--unit", f"h-{case}", "--year", str(YEAR)] for case in BUILT]
    faults = []
    for case, result in zip(BUILT, _run_all(corpus, commands), strict=True):
        _, status, line = CASES[case]
        faults += _check(case, result, status, line)
        if "未生成报告；上一次的报告保持不变" not in result[2] and "设置错误" not in result[2]:
            faults.append(f"{case}: {result[2]!r}")
        assert not (corpus / "outputs" / f"h-{case}" / str(YEAR) / "report.html").exists()
    assert faults == []
