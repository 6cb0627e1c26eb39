"""Outputs written as one group: all renamed together, or none (the API the build's stitch step
and its PDF and Word editions share)."""

from __future__ import annotations

import errno
import os

import pytest

from jixiao import outputs
from jixiao.outputs import OutputError


def test_a_group_replaces_every_file_at_the_end(tmp_path):
    (tmp_path / "report.html").write_text("old report")
    with outputs.together() as group:
        group.write(tmp_path / "report.html", "new report")
        group.write(tmp_path / "sub" / "自评表.xlsx", b"new workbook")
        assert (tmp_path / "report.html").read_text() == "old report"  # nothing replaced yet
    assert (tmp_path / "report.html").read_text() == "new report"
    assert (tmp_path / "sub" / "自评表.xlsx").read_bytes() == b"new workbook"
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["report.html", "sub", "自评表.xlsx"]


def test_an_error_in_the_block_leaves_every_file_as_it_was(tmp_path):
    (tmp_path / "report.html").write_text("old report")
    with pytest.raises(KeyboardInterrupt), outputs.together() as group:
        group.write(tmp_path / "自评表.xlsx", b"new workbook")
        raise KeyboardInterrupt
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]
    assert (tmp_path / "report.html").read_text() == "old report"


def test_a_failed_rename_puts_back_the_files_already_replaced(tmp_path, monkeypatch):
    for name in ("a.html", "b.xlsx"):
        (tmp_path / name).write_text(f"old {name}")
    replace = os.replace

    def failing(src, dst):
        if str(dst).endswith("b.xlsx"):
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        replace(src, dst)

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(OutputError) as caught, outputs.together() as group:
        group.write(tmp_path / "a.html", "new a")
        group.write(tmp_path / "b.xlsx", "new b")
    assert str(caught.value).endswith("b.xlsx：磁盘读写错误 (input/output error)")
    assert {p.name: p.read_text() for p in tmp_path.iterdir()} == {"a.html": "old a.html", "b.xlsx": "old b.xlsx"}


def test_a_file_where_a_folder_should_be_is_named(tmp_path):
    (tmp_path / "outputs").write_text("")
    with pytest.raises(OutputError) as caught:
        outputs.write_atomically(tmp_path / "outputs" / "u" / "report.html", "x")
    assert caught.value.path == tmp_path / "outputs"
    assert caught.value.reason == "路径中有同名文件挡住了文件夹 (not a directory)"


def test_leftovers_of_a_killed_build_are_removed(tmp_path):
    for name in (".report.html.tmp123", ".自评表.xlsx.old9", "report.html", ".cache.tmpx"):
        (tmp_path / name).write_text("")
    outputs.remove_leftovers(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".cache.tmpx", "report.html"]
