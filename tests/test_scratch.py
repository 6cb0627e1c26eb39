"""No temporary file or folder outlives a command, whatever stops it, except SIGKILL: every
temporary folder has one owner (``jixiao.scratch``), the process that runs the command, and its
signal handlers remove what is left."""

from __future__ import annotations

import os
import signal
import tempfile
import time
from pathlib import Path

import pytest

from conftest import QUICK
from jixiao import render, scratch
from jixiao.render import paged
from test_build_faults import INTERRUPTED, out_dir, pair, read_until, start

# long enough that Typst is still at it when the helper is killed
PAGE = (
    "<html><body><main>"
    + "".join(f"<h2>第{i}节</h2><p>{'正文' * 400}</p>" for i in range(400))
    + "</main></body></html>"
)
META = render.Metadata("t", "a", "2020-01-01T00:00:00Z")


def wait_for(folder: Path, pattern: str, seconds: float = 60) -> list[Path]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = list(folder.rglob(pattern))
        if found:
            return found
        time.sleep(0.02)
    raise AssertionError(f"no {pattern} in {folder} within {seconds} s")


@pytest.fixture
def private_tmp(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", None)  # taken from TMPDIR again
    return folder


def test_folders_are_recorded_until_removed_and_clean_removes_the_rest(private_tmp):
    kept, dropped = scratch.folder("a"), scratch.folder("b")
    (kept / "x").write_text("x")
    assert kept.parent == private_tmp and kept.name.startswith("jixiao-a-")
    scratch.remove(dropped)
    assert not dropped.exists() and kept in scratch.owned() and dropped not in scratch.owned()
    with pytest.raises(RuntimeError), scratch.temporary("c") as block:
        raise RuntimeError(block)
    assert not block.exists()
    scratch.clean()
    assert list(private_tmp.iterdir()) == [] and scratch.owned() == []


def test_the_pdf_helper_killed_while_rendering_leaves_no_folder(private_tmp):
    helper = paged.PagedProcess()
    try:
        helper.submit(PAGE, ["pdf"], META)
        (inside,) = wait_for(private_tmp, "jixiao-pdf-*")
        # the helper's folder is inside the one its owner made
        assert inside.parent == helper.folder and helper.folder.parent == private_tmp
    finally:
        helper.kill()
    assert list(private_tmp.iterdir()) == []


@pytest.mark.build
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_build_stopped_while_making_the_pdf_leaves_no_temporary_path(built_copy, tmp_path, signum):
    for made in [*out_dir(built_copy).glob("*.pdf"), *out_dir(built_copy).glob("*.docx")]:
        made.unlink()  # the paged files are made again; the rest is cached
    before = pair(built_copy)
    private = tmp_path / "own-tmp"
    private.mkdir()
    process = start(built_copy, "--format", "html", "--format", "pdf", tmp=private)
    read_until(process, r"^jixiao build")
    wait_for(private, "jixiao-pdf-*", seconds=120)
    os.killpg(process.pid, signum)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 128 + signum
    assert stderr == INTERRUPTED + "\n"
    assert pair(built_copy) == before
    assert list(private.iterdir()) == []
    assert sorted(p.name for p in out_dir(built_copy).iterdir() if p.name.startswith("report")) == [
        "report-review.html", "report.html"
    ]  # fmt: skip


@pytest.mark.build
@pytest.mark.parametrize(
    "moment",
    [r"输入校验", r"^  \d\d-\w+ +\d"],
    ids=["as-sections-start", "while-sections-run"],
)
def test_sigterm_at_the_other_steps_leaves_no_temporary_path(built_copy, tmp_path, moment):
    # SIGINT at these steps: tests/test_build_faults.py::test_ctrl_c_stops_everything_within_seconds
    before = pair(built_copy)
    private = tmp_path / "own-tmp"
    private.mkdir()
    process = start(built_copy, "--force", *QUICK, tmp=private)
    read_until(process, moment)
    os.killpg(process.pid, signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert (process.returncode, stderr) == (143, INTERRUPTED + "\n")
    assert pair(built_copy) == before
    assert list(private.iterdir()) == []
