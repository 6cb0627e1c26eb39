"""``jixiao preview`` as a person uses it: the page open in headless Chromium follows the edits.

One preview on a free port, on a copy of the project holding the session build's outputs; one
browser, watched through its DevTools protocol (the text the page shows). An edited CSV value
appears without a reload by hand; a broken one shows its error over the last good report; the
fixed one clears it; a second preview of the unit-year is refused; SIGINT leaves no process and no
temporary file.
"""

from __future__ import annotations

import asyncio
import errno
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import psutil
import pytest
from tornado.websocket import websocket_connect

from conftest import UNIT, YEAR, copy_project, run_jixiao, tool
from jixiao.engine import kernels

STATS = Path("data") / UNIT / str(YEAR) / "stats.csv"
ROW = "dibao,tekun_scattered_people,农村散居特困供养人员,{},名,,,,published,"
"""The stats row of a figure the 低保 section prints (653名 in the example)."""


class Preview:
    """``jixiao preview --port 0`` on the copy at ``root``, its output gathered as it comes."""

    def __init__(self, root: Path, tmp: Path) -> None:
        tmp.mkdir()
        self.tmp = tmp
        env = {**os.environ, "JIXIAO_ROOT": str(root), "PYTHONPATH": str(root / "lib"), "TMPDIR": str(tmp)}
        self.env = env
        self.process = subprocess.Popen(
            [sys.executable, "-m", "jixiao.cli", "preview", "--unit", UNIT, "--year", str(YEAR), "--port", "0"],
            cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        self.lines: list[str] = []
        threading.Thread(target=lambda: self.lines.extend(self.process.stdout), daemon=True).start()

    def url(self) -> str:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            found = next((re.search(r"http://127\.0\.0\.1:\d+/", line) for line in self.lines if "预览" in line), None)
            if found:
                return found.group(0)
            assert self.process.poll() is None, "".join(self.lines)
            time.sleep(0.05)
        raise AssertionError("".join(self.lines))

    def built(self, count: int) -> None:
        """Wait until ``count`` builds have ended (passed or failed)."""
        deadline = time.monotonic() + 120
        while sum(line.startswith(("报告 (report):", "未更新报告")) for line in self.lines) < count:
            assert time.monotonic() < deadline and self.process.poll() is None, "".join(self.lines)
            time.sleep(0.05)

    def builds(self) -> int:
        return sum(line.startswith("jixiao build ") for line in self.lines)


def browse(url: str, profile: Path) -> tuple[subprocess.Popen, str]:
    """Headless Chromium showing ``url``; the DevTools websocket of its page."""
    profile.mkdir()
    browser = subprocess.Popen(
        [tool("chromium", "chromium-browser", "google-chrome"), "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
         f"--user-data-dir={profile}", "--remote-debugging-port=0", url],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not (profile / "DevToolsActivePort").is_file() or not (profile / "DevToolsActivePort").read_text():
        assert time.monotonic() < deadline and browser.poll() is None, "Chromium did not start"
        time.sleep(0.05)
    port = (profile / "DevToolsActivePort").read_text().split()[0]
    while True:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list") as answer:
            pages = [t for t in json.load(answer) if t["type"] == "page" and t["url"].startswith(url)]
        if pages:
            return browser, pages[0]["webSocketDebuggerUrl"]
        assert time.monotonic() < deadline, "Chromium opened no page"
        time.sleep(0.05)


class Page:
    """The page's text, read through the DevTools protocol."""

    def __init__(self, connection: object) -> None:
        self.connection, self.calls = connection, 0

    async def text(self) -> str:
        self.calls += 1
        expression = "document.body ? document.body.innerText : ''"
        call = {"id": self.calls, "method": "Runtime.evaluate",
                "params": {"expression": expression, "returnByValue": True}}  # fmt: skip
        await self.connection.write_message(json.dumps(call))
        while True:
            message = json.loads(await self.connection.read_message())
            if message.get("id") == self.calls:
                return str(message.get("result", {}).get("result", {}).get("value") or "")

    async def shows(self, *wanted: str, absent: str = "", timeout: float = 90) -> str:
        """The page's text once it holds every ``wanted`` text and not ``absent``."""
        deadline = time.monotonic() + timeout
        while True:
            text = await self.text()
            if all(w in text for w in wanted) and not (absent and absent in text):
                return text
            assert time.monotonic() < deadline, f"the page never showed {wanted} without {absent!r}: {text[:300]}"
            await asyncio.sleep(0.1)


def edit(root: Path, value: str, writes: int = 1) -> None:
    """Save stats.csv with the figure's row set to ``value`` (``writes`` times at once: an editor's burst)."""
    path = root / STATS
    text = re.sub(r"^dibao,tekun_scattered_people,.*$", ROW.format(value), path.read_text(encoding="utf-8"), flags=re.M)
    for _ in range(writes):
        path.write_text(text, encoding="utf-8")


def test_the_page_follows_edits_errors_and_fixes_then_stops(built_copy: Path, tmp_path: Path) -> None:
    preview = Preview(built_copy, tmp_path / "tmp")
    browser = None
    try:
        url = preview.url()
        browser, socket_url = browse(url, tmp_path / "profile")
        second = subprocess.run(
            [sys.executable, "-m", "jixiao.cli", "preview", "--unit", UNIT, "--year", str(YEAR), "--port", "0"],
            cwd=built_copy, env=preview.env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert (second.returncode, second.stdout, second.stderr) == (3, "", (
            f"另一个构建或预览正在生成 {UNIT} {YEAR}（outputs/{UNIT}/{YEAR}/.build.lock 被占用），预览未启动 "
            "(another build or preview of this unit-year is running)\n"))  # fmt: skip

        async def session() -> None:
            page = Page(await websocket_connect(socket_url))
            await page.shows("653名", "低保")
            preview.built(1)  # the page showed the report on disk at once; the preview's first build is done
            builds = preview.builds()

            edit(built_copy, "777", writes=3)  # three saves in a row: one rebuild
            await page.shows("777名")
            assert preview.builds() == builds + 1, "".join(preview.lines)

            edit(built_copy, "abc")  # not a number: the build fails, the page says where
            text = await page.shows("不是数字")
            assert 'data/lechang-mzj/2019/stats.csv 第2行 数值(value)：值 "abc" 不是数字，应为数字' in text
            assert "777名" in text  # the last good report stays

            edit(built_copy, "888")
            await page.shows("888名", absent="不是数字")

        asyncio.run(session())
        with urllib.request.urlopen(url) as served:  # the script is the preview's response's alone
            assert "new EventSource" in served.read().decode("utf-8")
        on_disk = (built_copy / "outputs" / UNIT / str(YEAR) / "report-review.html").read_text(encoding="utf-8")
        assert "888名" in on_disk and "EventSource" not in on_disk and "jixiao-preview" not in on_disk

        tree = [preview.process.pid] + [p.pid for p in psutil.Process(preview.process.pid).children(recursive=True)]
        assert len(tree) >= 2  # the preview and its kernel template
        preview.process.send_signal(signal.SIGINT)
        assert preview.process.wait(timeout=30) == 130
        time.sleep(0.2)
        assert [pid for pid in tree if psutil.pid_exists(pid) and psutil.Process(pid).status() != "zombie"] == []
        assert list(preview.tmp.iterdir()) == []
        assert "预览已结束 (preview stopped)" in "".join(preview.lines)
        # what the preview wrote is what the build writes: the build finds all of it up to date
        again = run_jixiao(built_copy, "build", "--unit", UNIT, "--year", str(YEAR), "--edition", "review",
                           "--format", "html")  # fmt: skip
        assert again.returncode == 0, again.stderr
        lines = again.stdout.splitlines()
        assert "  输入校验 (validation)   未变 (unchanged)" in lines
        assert "  拼接报告 (stitch)       未变 (unchanged)" in lines
        assert sum("缓存 (cached)" in line for line in lines) == 16
    finally:
        if browser is not None:
            browser.kill()
            browser.wait()
        if preview.process.poll() is None:
            preview.process.kill()
            preview.process.wait()


PROBE = """
def figure(unit, year):
    from jixiao.sections import report

    preloaded = (unit, year, str(report.paths.root())) in report._preloaded
    stats = report.open_report(unit, year).data.stats
    return preloaded, str(stats.loc[stats.key == "tekun_scattered_people", "value"].iloc[0])
"""
"""In a kernel of the template: whether the report came loaded, and the figure it holds."""


def test_a_kept_template_forks_with_the_edited_inputs_loaded(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    root = copy_project(tmp_path / "project")
    (root / "lib" / "preview_probe.py").write_text(PROBE, encoding="utf-8")
    for name, value in {"JIXIAO_ROOT": str(root), "PYTHONPATH": str(root / "lib"), "MPLBACKEND": "Agg"}.items():
        monkeypatch.setenv(name, value)
    template = kernels.Zygote.start()
    try:
        template.__enter__()
        template.reload(UNIT, YEAR)
        assert template.call("preview_probe:figure", UNIT, YEAR).result() == (True, (True, "653.0"))
        edit(root, "777")
        assert template.call("preview_probe:figure", UNIT, YEAR).result() == (True, (True, "653.0"))  # as loaded
        template.reload(UNIT, YEAR)
        assert template.call("preview_probe:figure", UNIT, YEAR).result() == (True, (True, "777.0"))
    finally:
        template.kill()


def test_a_port_out_of_range_is_refused_before_anything_starts(capsys, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from jixiao import cli

    monkeypatch.setenv("JIXIAO_ROOT", str(tmp_path))
    with pytest.raises(SystemExit) as stop:
        cli.main(["preview", "--unit", UNIT, "--year", str(YEAR), "--port", "70000"])
    assert stop.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "jixiao preview: error: argument --port: 值 70000 超出范围，应为 0～65535 的整数（端口；0 为任一空闲端口）"
    )
    assert list(tmp_path.iterdir()) == []


def test_a_port_another_program_has_is_refused_with_exit_3(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, "JIXIAO_ROOT": str(root), "PYTHONPATH": str(root / "lib")}
        run = subprocess.run(
            [sys.executable, "-m", "jixiao.cli", "preview", "--unit", UNIT, "--year", str(YEAR), "--port", str(port)],
            cwd=root, env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    assert (run.returncode, run.stdout) == (3, "")
    in_use = os.strerror(errno.EADDRINUSE)  # "Address already in use", in the system's language
    assert run.stderr == f"无法监听 127.0.0.1:{port}（{in_use}）；请用 --port 换一个端口\n"
