"""``jixiao preview``: one unit-year's report, rebuilt on every saved change and shown in the browser.

The preview builds the report once, then serves it at ``http://127.0.0.1:PORT/`` and watches
everything it is built from (the unit's data of every year, its settings, the notebooks, jixiao's
own code). A saved change (a burst of saves is one change) rebuilds it with the build's own
pipeline, cache and outputs: the files written are those of ``jixiao build --edition E --format
html``. The browser follows by server-sent events: the page reloads by itself, the first section
that ran again in view. A build that fails leaves the last good report in place and shows the
CLI's message over it, until a build passes.

What a build pays once per process the preview pays once: the kernel template (pandas,
matplotlib, IPython, the CJK font imported) is kept between builds, and each build has it load
the report afresh from the inputs as they are then (``kernels.Zygote.reload``), so every kernel
forked after an edit sees the edit. A change to jixiao's own code restarts the preview on the
same port, so that the server and the build run the new code as well.

Only loopback is listened on, and only two paths answer: ``/`` (the report, with the reload
script and the error panel added to the response; the file on disk is untouched) and
``/events``. Every other path is 404, another method than GET 501, another host name 421.
The preview holds the unit-year's build lock while it runs: a second preview (or a ``jixiao
build`` that gives up waiting) of the same unit-year is refused.
"""

from __future__ import annotations

import html
import http.server
import json
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jixiao import paths
from jixiao.dependencies import CODE_SUFFIXES

Echo = Callable[[str], None]
HOST = "127.0.0.1"
DEFAULT_PORT = 8765
DEFAULT_EDITION = "review"
STEP_MS = 50
"""A change is taken once no other came for this long: an editor's burst of writes is one change."""
DEBOUNCE_MS = 1000
"""…and at most this long after the first one."""
REPORTS = {"filing": "report.html", "review": "report-review.html"}
EMPTY = "<!DOCTYPE html><html><head><meta charset='utf-8'><title>jixiao preview</title></head><body></body></html>"
"""The page before the first report was built (its build failed: the page shows why)."""

SCRIPT = """<style>.jx-links { display: none; }</style>
<div id="jixiao-preview-error" role="alert" style="position:fixed;top:0;left:0;right:0;\
z-index:1000;max-height:50vh;overflow:auto;margin:0;padding:.75em 1em;background:#fdecea;color:#611a15;\
border-bottom:2px solid #b3261e;font:14px/1.5 monospace;text-align:left;white-space:pre-wrap%(hidden)s">%(error)s</div>
<script>
(function () {
  var state = %(state)s, key = "jixiao-preview-section";
  var shown = sessionStorage.getItem(key);
  if (shown) {
    sessionStorage.removeItem(key);
    var target = document.getElementById(shown);
    if (target) target.scrollIntoView();
  }
  var events = new EventSource("/events");
  events.onmessage = function (message) {
    var now = JSON.parse(message.data);
    if (now.version !== state.version || now.error !== state.error) {
      if (now.version !== state.version && now.section) sessionStorage.setItem(key, now.section);
      events.close();
      location.reload();
    }
  };
})();
</script>
"""
"""Added to the served page only: the error panel (hidden when the last build passed), the
script that reloads the page when a build passed or failed since it was served, and the links to
the PDF, Word and Excel files hidden (the preview serves the page alone, and makes only it)."""


class State:
    """What the page shows: the report's version (one more per build that passed), the section to
    bring into view, the last build's error (None when it passed). Waited on by the event streams."""

    def __init__(self) -> None:
        self.version, self.section, self.error = 0, None, None
        self.changed = threading.Condition()

    def snapshot(self) -> dict[str, Any]:
        with self.changed:
            return {"version": self.version, "section": self.section, "error": self.error}

    def wait(self, seen: dict[str, Any], timeout: float) -> None:
        """Until the state is no longer ``seen``, at most ``timeout`` seconds."""
        with self.changed:
            self.changed.wait_for(lambda: self.snapshot() != seen, timeout)

    def passed(self, section: str | None) -> None:
        with self.changed:
            self.version, self.section, self.error = self.version + 1, section, None
            self.changed.notify_all()

    def failed(self, message: str) -> None:
        with self.changed:
            self.error = message
            self.changed.notify_all()


KEPT = "未更新报告；上一次的报告保持不变。(the last report is unchanged)"


def page(report: Path, state: dict[str, Any]) -> bytes:
    """The report as served: the file as ``jixiao build`` wrote it, with the error panel (the
    error, and that the page below is the last good report) and the reload script before
    ``</body>``; the error alone when no report was built yet."""
    try:
        text = report.read_text(encoding="utf-8")
    except OSError:
        text = EMPTY
    error = state["error"] or ""
    if error and text is not EMPTY:
        error += "\n" + KEPT
    added = SCRIPT % {
        "hidden": "" if state["error"] else ";display:none",
        "error": html.escape(error),
        "state": json.dumps(state, ensure_ascii=False).replace("</", "<\\/"),
    }
    at = text.rfind("</body>")
    at = at if at >= 0 else len(text)
    return (text[:at] + added + text[at:]).encode("utf-8")


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True  # an open event stream never holds up the preview's end

    def __init__(self, port: int, report: Path, state: State) -> None:
        self.report, self.state = report, state
        self.stopping = threading.Event()
        super().__init__((HOST, port), Handler)
        self.hosts = {f"{HOST}:{self.server_port}", f"localhost:{self.server_port}"}


class Handler(http.server.BaseHTTPRequestHandler):
    server: Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # no line per request
        pass

    def do_GET(self) -> None:
        if self.headers.get("Host") not in self.server.hosts:  # another name for this address: DNS rebinding
            self._send(421, b"misdirected request\n", "text/plain; charset=utf-8")
        elif self.path == "/":
            self._send(200, page(self.server.report, self.server.state.snapshot()), "text/html; charset=utf-8")
        elif self.path == "/events":
            self._events()
        else:
            self._send(404, b"not found\n", "text/plain; charset=utf-8")

    def _send(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self._common()
        self.end_headers()
        self.wfile.write(body)

    def _common(self) -> None:
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")

    def _events(self) -> None:
        """The page's event stream: the state now, then again at every change (a comment every
        15 s keeps the connection open), until the page or the preview goes."""
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self._common()
        self.end_headers()
        state, sent = self.server.state, None
        try:
            while not self.server.stopping.is_set():
                now = state.snapshot()
                said = f"data: {json.dumps(now, ensure_ascii=False)}\n\n" if now != sent else ": -\n\n"
                self.wfile.write(said.encode("utf-8"))
                self.wfile.flush()
                sent = now
                state.wait(now, 15)
        except OSError:  # the page went away
            pass


class PortBusy(RuntimeError):
    """The port cannot be listened on (another program has it)."""


class Restart(Exception):  # not an error: the preview starts again
    """jixiao's own code changed: the preview starts again, on the same port, with the new code."""

    def __init__(self, port: int) -> None:
        self.port = port


class Engine:
    """The kernel template, kept warm between builds; started again when a failed build took it
    down with its kernels (meanwhile the analyst fixes the input). The build process's own part
    is kept warm too: papermill imported, and the stitcher with nbconvert's templates compiled."""

    def __init__(self) -> None:
        from concurrent.futures import ThreadPoolExecutor

        from jixiao.engine import pipeline

        self.template: Any = None
        self.warm()  # first, here: the kernels' environment imports part of papermill
        self.background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="jixiao-preview-warm")
        self.stitcher = self.background.submit(_warm_build, pipeline)

    def warm(self) -> Any:
        """The template (starting it if it is not running); None where kernels cannot be forked."""
        from jixiao.engine import execution, kernels

        if not kernels.Zygote.available():
            return None
        if self.template is None or not self.template.alive():
            execution.kernel_environment()  # what the template inherits: the project root, the build flag
            self.template = kernels.Zygote.start()
        return self.template

    def stop(self) -> None:
        self.background.shutdown(wait=False, cancel_futures=True)
        if self.template is not None:
            self.template.kill()


def _warm_build(pipeline: Any) -> Any:
    """The build process's imports (papermill's first: a build importing it meanwhile in another
    thread would meet a module half imported), the stitcher, and the loader, which the cache's
    check of a changed table loads it with (``jixiao.inputs.parts``: pandas, 0.5 s on the first edit)."""
    import papermill  # noqa: F401

    import jixiao.inputs.loading  # noqa: F401

    return pipeline._stitcher()


class Watcher:
    """Watches the folders in a thread of its own; :meth:`wait` gives the files changed since the
    last call, once there are any."""

    def __init__(self, folders: list[Path]) -> None:
        self.folders = [f for f in folders if f.is_dir()]
        self.stop = threading.Event()
        self.changed: set[Path] = set()
        self.pending = threading.Condition()
        self.thread = threading.Thread(target=self._watch, name="jixiao-preview-watch", daemon=True)
        self.thread.start()

    def _watch(self) -> None:
        import watchfiles

        for changes in watchfiles.watch(*self.folders, watch_filter=watchfiles.DefaultFilter(), debounce=DEBOUNCE_MS,
                                        step=STEP_MS, stop_event=self.stop, raise_interrupt=False):  # fmt: skip
            with self.pending:
                self.changed |= {Path(path) for _, path in changes}
                self.pending.notify_all()

    def wait(self) -> set[Path]:
        with self.pending:
            while not self.changed:
                self.pending.wait(0.5)  # a signal is handled between waits
            changed, self.changed = self.changed, set()
        return changed


def watched(unit: str) -> list[Path]:
    """What a report is built from: the unit's data (its year's and the earlier years' the report
    compares with) and settings, the project's own section notebooks (when it has a ``notebooks/``
    folder), jixiao's own code with the notebooks shipped in it."""
    own = paths.root() / "notebooks"
    return [paths.root() / "data" / paths.check_unit(unit), paths.params_dir(unit), *([own] if own.is_dir() else []),
            paths.PACKAGE_DIR]  # fmt: skip


def failure(exc: Exception) -> str:
    """A failed build's message, as the CLI prints it."""
    from jixiao.inputs.settings import SettingsError

    if isinstance(exc, SettingsError):
        return f"设置错误 (settings error): {exc}"
    return str(exc) or type(exc).__name__


def build(unit: str, year: int, edition: str, engine: Engine, state: State, echo: Echo) -> None:
    """One build, as ``jixiao build --edition <edition> --format html`` with the kept template; the
    page follows: the first section that ran again in view, or the build's error over the last
    good report."""
    from jixiao.engine import pipeline
    from jixiao.inputs import settings as settings_module

    try:
        engine.stitcher.result()  # the build process warmed up: no import half done in another thread
        settings = settings_module.load(unit, year)
        result = pipeline.Build(
            settings, False, echo, (edition,), ("html",), template=engine.warm(), stitcher=engine.stitcher
        ).run()
    except Exception as exc:  # the page says what the command line would; the preview goes on
        message = failure(exc)
        echo(message)
        echo(KEPT)
        state.failed(message)
        engine.warm()  # a failed build stops its kernels and the template: warm again for the fix
        return
    if result.stitched or result.executed or state.error is not None:
        section = next((s.id for s in settings.sections if s.id in result.executed), None)
        state.passed(section)


def run(unit: str, year: int, edition: str = DEFAULT_EDITION, port: int = DEFAULT_PORT, echo: Echo = print) -> None:
    """Preview the report of ``unit`` for ``year`` until stopped (Ctrl-C, SIGTERM). Raises the
    settings' error before anything starts, :class:`jixiao.engine.pipeline.BuildBusy` when another
    build or preview has the unit-year, :class:`PortBusy`, or :class:`Restart` (jixiao's code
    changed)."""
    from jixiao.engine import pipeline
    from jixiao.inputs import settings as settings_module

    paths.check_unit(unit)
    settings_module.load(unit, year)  # wrong settings stop the preview before it starts
    with pipeline.locked(unit, year, echo, busy="预览"):
        state = State()
        report = paths.output_dir(unit, year) / REPORTS[edition]
        try:
            server = Server(port, report, state)
        except OSError as exc:
            raise PortBusy(f"无法监听 {HOST}:{port}（{exc.strerror or exc}）；请用 --port 换一个端口") from None
        engine = watcher = serving = None
        try:
            engine, watcher = Engine(), Watcher(watched(unit))
            serving = threading.Thread(target=server.serve_forever, name="jixiao-preview-serve", daemon=True)
            serving.start()
            echo(f"预览 (preview): http://{HOST}:{server.server_port}/  {paths.relative(report)}；Ctrl-C 结束")
            build(unit, year, edition, engine, state, echo)
            while True:
                changed = watcher.wait()
                if any(paths.PACKAGE_DIR in p.parents for p in changed if p.suffix in CODE_SUFFIXES):
                    echo("jixiao 的代码已改动，预览重新启动 (jixiao's code changed: the preview starts again)")
                    raise Restart(server.server_port)
                build(unit, year, edition, engine, state, echo)
        finally:
            if watcher is not None:
                watcher.stop.set()
            server.stopping.set()
            if serving is not None:
                server.shutdown()  # waits for serve_forever's loop: only once it runs
            server.server_close()
            if engine is not None:
                engine.stop()


def restart(unit: str, year: int, edition: str, port: int) -> None:
    """Replace this process by a new preview of the same report on the same port (never returns)."""
    sys.stdout.flush()
    sys.stderr.flush()
    argv = ["preview", "--unit", unit, "--year", str(year), "--edition", edition, "--port", str(port)]
    os.execv(sys.executable, [sys.executable, "-m", "jixiao.cli", *argv])
