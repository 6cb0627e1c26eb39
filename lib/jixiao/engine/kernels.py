"""Fresh kernels in milliseconds: each section's notebook runs in a child forked from a warm template process.

A kernel started the usual way costs about 0.9 s before its first cell and another 1.5 s to
import pandas, matplotlib and the CJK font, every time: on two cores that is most of a report's
build. Here one template process (the *zygote*) imports them once, and loads the build's report
once (``sections.report.preload``: settings, tables, scores, earlier years, each part with the
reads it was made from); for each section it forks a child that runs the notebook's cells in an
IPython shell of its own (:func:`_run_notebook`). Every section still gets a process and a
namespace of its own, with nothing left over from another section: the fork copies the template's
imported modules and loaded report, not another notebook's state. Of jixiao the template keeps
what every section's first cell imports (:data:`KEPT`) and what loading the report imports, and
drops both when one of their files changes on disk; each child imports the rest of jixiao from
disk now, with code the template compiled (:class:`_Compiled`). The template's objects are frozen
out of the children's garbage collections.

The child is a kernel in all but the Jupyter protocol: the same IPython shell, display formatter
and tracebacks, the outputs nbclient would have written from a kernel's messages (streams,
display data, the execution result, the error), ``SIGINT`` as ``KeyboardInterrupt``. What it
leaves out is what cost most once the report was preloaded: a kernel application's start (its
sockets, session and configuration: about 0.1 s a section) and every output crossing ZeroMQ
twice and being parsed by nbclient. papermill runs it as its engine (``execution.ForkEngine``).
Without a template (``JIXIAO_FORK_KERNELS=0``, no ``fork``) each section gets a kernel started
the usual way (:class:`KernelManager`), killed as soon as its notebook is done.

The zygote serves a Unix socket. Per section the client sends one JSON line (the code cells,
working directory, environment); the zygote answers the child's pid, the child ``ready`` and then
each cell's outputs as one JSON line, and the zygote ``exit <status>`` when the child ends; if the
client's socket closes first the child is killed. The zygote exits, with its children, when its
standard input closes (the build is over, or died).

The zygote runs in a session of its own, with its children: Ctrl-C in the terminal reaches the
build alone, which then kills the zygote's whole process group at once (:func:`kill_all`), and
every kernel started the usual way, instead of waiting for any of them.

A process that outlives its builds (a Dask worker, ``engine.warm``) keeps a :class:`Template`: a
zygote with no report loaded, started once. A build's zygote is then a fork of it (the request
names the new zygote's socket, the report, the environment and the working directory): it leads
a session of its own, loads the build's report and serves the build's kernels as above, and
ends, with its kernels, when the build closes its connection. The template itself never loads a
report, so no build sees another's.
"""

from __future__ import annotations

import gc
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from queue import Empty
from typing import Any

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from traitlets import Type

from jixiao import environment, scratch
from jixiao.engine.stopping import INTERRUPTED

WARM_MODULES = ("IPython", "numpy", "pandas", "matplotlib.figure", "matplotlib.backends.backend_agg",
                "yaml", "openpyxl", "html", "difflib", "decimal", "pandas.core.methods.to_dict",
                # what a section's IPython shell imports as it starts
                "IPython.core.application", "IPython.core.magics", "IPython.core.completer",
                "IPython.core.completerlib", "IPython.core.oinspect", "IPython.core.logger",
                "IPython.utils.wildcard", "ipykernel.compiler")  # fmt: skip

KEPT = "jixiao.sections.report"
"""What every section notebook's first cell imports (``jixiao.open_report``), kept imported in the
template. Loading the report adds the modules that read and score the inputs (``inputs.loading``,
``scoring``): every section's record of the jixiao modules it ran then names them too, so a change
to one re-executes every section (a superset, never a section missed). Everything else of jixiao
(the sections' own modules, the charts) each kernel imports from disk, from code the template
compiled beforehand (see :class:`_Compiled`)."""


class _Compiled:
    """jixiao's modules compiled once in the template, for the kernels' imports.

    Where no bytecode file is written (``PYTHONDONTWRITEBYTECODE``, a fresh or read-only copy),
    every kernel would compile each jixiao module it imports from its source again. The template
    compiles once every module of the package that has no bytecode file as new as its source; a
    kernel's import still reads the source from disk and uses the compiled code only when the
    source is byte for byte the one compiled (else it compiles, as before)."""

    def __init__(self) -> None:
        import importlib.machinery

        self.code: dict[str, tuple[bytes, Any]] = {}
        self.loader = importlib.machinery.SourceFileLoader
        self.original = self.loader.source_to_code
        compiled = self

        def source_to_code(loader: Any, data: Any, path: Any, *, _optimize: int = -1) -> Any:
            kept = compiled.code.get(path) if _optimize == -1 else None
            if kept is not None and kept[0] == data:
                return kept[1]
            return compiled.original(loader, data, path, _optimize=_optimize)

        self.loader.source_to_code = source_to_code  # type: ignore[method-assign]

    def add(self, folder: str) -> None:
        """Compile every module under ``folder`` (the package's folder as its imports name it)
        whose bytecode file the kernel's import would not use (missing, or made from another
        version of the source)."""
        for directory, _, names in os.walk(folder):
            for name in sorted(names):
                if name.endswith(".py"):
                    path = os.path.join(directory, name)
                    if _current_bytecode(path):
                        continue  # the kernel's import loads the bytecode file
                    with open(path, "rb") as f:
                        data = f.read()
                    try:
                        self.code[path] = (data, compile(data, path, "exec", dont_inherit=True))
                    except SyntaxError:  # the kernel's own import reports it
                        continue


def _current_bytecode(path: str) -> bool:
    """Whether ``path``'s bytecode file is the one an import would load: its header names this
    Python and the source's modification time and size (as import checks it)."""
    from importlib.util import MAGIC_NUMBER, cache_from_source

    try:
        with open(cache_from_source(path), "rb") as f:
            header = f.read(16)
        stat = os.stat(path)
    except OSError:
        return False
    stamp = (int(stat.st_mtime) & 0xFFFFFFFF).to_bytes(4, "little") + (stat.st_size & 0xFFFFFFFF).to_bytes(4, "little")
    return header == MAGIC_NUMBER + bytes(4) + stamp


# -- the zygote (its own process) ----------------------------------------------------------------


def _jixiao_modules() -> dict[str, tuple[int, int, int]]:
    """The jixiao modules imported here, each with the stamp (inode, size, mtime) of its file."""
    stamps = {}
    for name, module in list(sys.modules.items()):
        if (name == "jixiao" or name.startswith("jixiao.")) and getattr(module, "__file__", None):
            try:
                stat = os.stat(module.__file__)
            except OSError:
                stat = None
            stamps[module.__file__] = (stat.st_ino, stat.st_size, stat.st_mtime_ns) if stat else (0, 0, 0)
    return stamps


def _forget_jixiao() -> None:
    report = sys.modules.get(KEPT)
    if report is not None:  # the report it loaded goes too
        report._preloaded.clear()
    for name in [n for n in sys.modules if n == "jixiao" or n.startswith("jixiao.")]:
        del sys.modules[name]


def _warm_up() -> None:
    """Import what every kernel needs."""
    import importlib

    import matplotlib

    matplotlib.use("Agg")
    for name in WARM_MODULES:
        try:
            importlib.import_module(name)
        except ImportError:  # another version of IPython or pandas: a kernel imports what it needs
            pass
    # Register the CJK font once, then forget jixiao but what every section imports: kernels
    # import the rest afresh from disk. A first chart loads the font file and fills matplotlib's
    # caches (drawn, not taken from the charts' memo); a table warms pandas.
    import jixiao.writing.charts

    jixiao.writing.charts.bar.__wrapped__(["预热", "图表"], [1, 2], title="预热", ylabel="个", alt="预热")
    font = str(jixiao.writing.charts.font_path())
    import pandas

    pandas.DataFrame({"a": [1.0]}).groupby("a").sum().to_html()
    _forget_jixiao()
    importlib.import_module(KEPT)
    # every section records the font file (16 MB) by its hash: hashed here once, not per kernel
    from jixiao import dependencies

    dependencies.dependency_hash(dependencies.name(font))


def _as_child(request: dict[str, Any], close: list[int], on_interrupt: Any) -> None:
    """In a forked child: leave the template's sockets and standard streams, take the client's
    environment and working directory, and the usual signal handlers (SIGINT: ``on_interrupt``)."""
    for fd in close:
        os.close(fd)
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.environ.clear()
    os.environ.update(request["env"])
    if request.get("cwd"):
        os.chdir(request["cwd"])
    signal.signal(signal.SIGINT, on_interrupt)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)


LANGUAGE_INFO = {"codemirror_mode": {"name": "ipython", "version": sys.version_info[0]},
                 "file_extension": ".py", "mimetype": "text/x-python", "name": "python",
                 "nbconvert_exporter": "python", "pygments_lexer": f"ipython{sys.version_info[0]}",
                 "version": sys.version.split()[0]}  # fmt: skip
"""The notebook's ``language_info`` as an IPython kernel's ``kernel_info`` reply gives it (and
nbclient writes it into the executed notebook)."""


class _Outputs:
    """A cell's outputs as nbclient writes them from an IPython kernel's messages: display data,
    the execution result, the error, and before each of them (and at the cell's end) what was
    written meanwhile to standard output, then to standard error, one output each (the kernel's
    streams are buffered and flushed in that order)."""

    def __init__(self) -> None:
        self.outputs: list[dict[str, Any]] = []
        self._streams: dict[str, list[str]] = {"stdout": [], "stderr": []}
        self.failed = False

    def write(self, name: str, text: str) -> None:
        self._streams[name].append(text)

    def flush(self) -> None:
        for name, written in self._streams.items():
            if "".join(written):
                self.outputs.append({"output_type": "stream", "name": name, "text": "".join(written)})
            written.clear()

    def add(self, output: dict[str, Any]) -> None:
        self.flush()
        self.outputs.append(output)

    def take(self) -> list[dict[str, Any]]:
        self.flush()
        outputs, self.outputs = self.outputs, []
        return outputs


def _shell(outputs: _Outputs) -> Any:
    """An IPython shell whose outputs go to ``outputs`` (what an IPython kernel's shell sends as
    messages), with no input history (as the kernels of a build had none)."""
    import io

    from ipykernel.compiler import XCachingCompiler  # the cells' file names, as in a kernel's tracebacks
    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    class Stream(io.TextIOBase):
        encoding = "utf-8"

        def __init__(self, name: str) -> None:
            self.name_ = name

        def writable(self) -> bool:
            return True

        def write(self, text: str) -> int:
            outputs.write(self.name_, text)
            return len(text)

    class Hook(DisplayHook):
        def start_displayhook(self) -> None:
            self.bundle: tuple[dict[str, Any], Any] | None = None

        def write_output_prompt(self) -> None:
            pass

        def write_format_data(self, format_dict: dict[str, Any], md_dict: Any = None) -> None:
            self.bundle = (format_dict, md_dict)

        def finish_displayhook(self) -> None:
            if self.bundle is not None and self.bundle[0]:
                outputs.add({"output_type": "execute_result", "execution_count": self.prompt_count,
                             "data": self.bundle[0], "metadata": self.bundle[1] or {}})  # fmt: skip
            self.bundle = None

    class Publisher(DisplayPublisher):
        def publish(self, data: dict[str, Any], metadata: Any = None, source: Any = None, *, transient: Any = None,
                    update: bool = False, **kwargs: Any) -> None:  # fmt: skip
            if not update:  # an update of an output shown before (by its display id) is not applied
                outputs.add({"output_type": "display_data", "data": data, "metadata": metadata or {}})

        def clear_output(self, wait: bool = False) -> None:
            outputs.take()

    class Shell(InteractiveShell):
        def _showtraceback(self, etype: Any, evalue: Any, stb: list[str]) -> None:
            outputs.add({"output_type": "error", "ename": str(etype.__name__), "evalue": str(evalue), "traceback": stb})
            outputs.failed = True

    sys.stdout, sys.stderr = Stream("stdout"), Stream("stderr")
    config = Config()
    config.HistoryManager.enabled = False
    return Shell.instance(config=config, displayhook_class=Hook, display_pub_class=Publisher,
                          compiler_class=XCachingCompiler)  # fmt: skip


def _run_notebook(request: dict[str, Any], conn: socket.socket, close: list[int]) -> None:
    """In a forked child: run a section notebook's code cells (``request["cells"]``: index and
    source of each) in an IPython shell of its own, as its kernel would; write each cell's outputs
    on the client's connection as one JSON line as it ends, and stop after a cell that failed;
    never returns. The child is the section's kernel in all but the Jupyter protocol: its own
    process, its own namespace, the report preloaded; killed with the build."""
    code = 1
    try:
        conn.sendall(f"{os.getpid()}\nready\n".encode())
        _as_child(request, close, signal.default_int_handler)  # interrupted by SIGINT, as a kernel
        # the build's temporary folder, as the build found it: finding it again would write (and
        # remove) a probe file there, left behind if the build kills this child meanwhile
        tempfile.tempdir = request["tempdir"]
        from jupyter_client.jsonutil import json_default

        outputs = _Outputs()
        shell = _shell(outputs)
        for index, source in request["cells"]:
            count = shell.execution_count
            shell.run_cell(source, store_history=True)
            line = {"index": index, "execution_count": count, "outputs": outputs.take(), "failed": outputs.failed}
            # as a kernel's session packs its messages: bytes (an image) in base64, dates as ISO text
            conn.sendall(json.dumps(line, ensure_ascii=False, default=json_default).encode() + b"\n")
            if outputs.failed:
                break
        code = 0
    finally:
        os._exit(code)


def _run_call(request: dict[str, Any], conn: socket.socket, close: list[int]) -> None:
    """In a forked child: call one function (``module:name``) with the pickled arguments, pickle
    its result into a file; never returns. Exit status 0 when the result was written."""
    code = 1
    try:
        conn.sendall(f"{os.getpid()}\nready\n".encode())
        conn.close()
        _as_child(request, close, signal.SIG_DFL)
        tempfile.tempdir = None  # taken from TMPDIR again
        import importlib
        import pickle

        module, _, name = request["call"].partition(":")
        with open(request["arguments"], "rb") as f:
            arguments = pickle.load(f)
        result = getattr(importlib.import_module(module), name)(*arguments)
        with open(request["result"], "wb") as f:
            pickle.dump(result, f, protocol=pickle.HIGHEST_PROTOCOL)
        code = 0
    finally:
        os._exit(code)


def _preload(unit: str, year: int, earlier: Any = None) -> None:
    """Load the unit-year's report here once (``sections.report.preload``), for every kernel.
    Inputs that cannot be loaded leave nothing behind: each section then meets (and reports)
    the problem itself, as without a template. ``earlier``: the report loaded before, whose
    parts still current are kept."""
    try:
        from jixiao.sections import report

        report.preload(unit, year, earlier)
    except Exception as exc:  # the inputs' check and the sections say what is wrong
        print(f"report not preloaded: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)


def _become_zygote(request: dict[str, Any], conn: socket.socket, close: list[int]) -> None:
    """In a forked child of a warm template (:class:`Template`): become one build's zygote, with
    that build's environment and its report loaded (``request["report"]``), serving kernels on
    ``request["zygote"]``; never returns. It leads a session of its own, with its kernels (the
    build kills them together), writes its pid, then ``ready``, on the build's connection, and
    lives until the build closes that connection."""
    code = 1
    try:
        os.setsid()
        conn.sendall(f"{os.getpid()}\n".encode())
        _as_child(request, close, signal.default_int_handler)
        tempfile.tempdir = None  # taken from TMPDIR again
        for entry in reversed(request["env"].get("PYTHONPATH", "").split(os.pathsep)):
            if entry and entry not in sys.path:  # as a process started with the build's environment
                sys.path.insert(0, entry)
        if request.get("report"):
            _preload(*request["report"])
        _serve(request["zygote"], _jixiao_modules(), conn, lambda: conn.sendall(b"ready\n"))
        code = 0
    finally:
        os._exit(code)


def _reload(unit: str, year: int) -> dict[str, tuple[int, int, int]]:
    """Load the report of ``unit`` for ``year`` afresh (a template kept between builds: ``jixiao
    preview``), from the inputs as they are now, in place of the one loaded before: of that one,
    the tables and scores made from unchanged inputs are kept (``sections.report.Report``).
    jixiao's modules are imported again from disk first if one of their files changed (nothing
    is kept then). Returns the stamps of the jixiao modules now kept."""
    global _RELOADS
    _RELOADS += 1
    if _RELOADS % FULL_COLLECTION_EVERY == 0:  # a full collection walks every object: 40 ms, not at every edit
        gc.unfreeze()
    earlier = None
    if _jixiao_modules() != _KEPT_STAMPS:
        _forget_jixiao()
    else:  # the same code: what of the report loaded before is still current is kept
        kept = sys.modules[KEPT]._preloaded
        earlier = next((r for r in kept.values() if (r.unit, r.year) == (unit, year)), None)
        kept.clear()
    import importlib

    importlib.import_module(KEPT)
    _preload(unit, year, earlier)
    gc.collect()  # the young objects, or every object after unfreeze(): the report replaced, its cycles
    gc.freeze()
    return _jixiao_modules()


FULL_COLLECTION_EVERY = 16
"""Reloads between two collections of the objects frozen before (the earlier reports' cycles of
objects stay meanwhile: a few hundred KB per edit); the others collect what is new since."""
_RELOADS = 0

_KEPT_STAMPS: dict[str, tuple[int, int, int]] = {}
"""The stamps of the jixiao modules the template imported when it last loaded jixiao."""


def serve(path: str, unit: str | None = None, year: int | None = None) -> None:
    """The zygote's main loop (``python -m jixiao.engine.kernels SOCKET [UNIT YEAR]``): with a
    unit and year, their report is loaded before the first kernel is forked. Without, it is a
    template that a build's zygote may be forked from too (:class:`Template`).

    Besides the kernels, calls and zygotes it forks, it takes one more request, ``{"preload": [unit,
    year]}`` (:meth:`Zygote.reload`): load that report afresh, then answer ``ready``."""
    global _KEPT_STAMPS
    compiled = _Compiled()
    _warm_up()
    if unit is not None and year is not None:
        _preload(unit, year)
    kept = _KEPT_STAMPS = _jixiao_modules()
    compiled.add(os.path.dirname(sys.modules["jixiao"].__file__))
    _serve(path, kept, sys.stdin, lambda: print("ready", flush=True))


def _serve(path: str, kept: dict[str, tuple[int, int, int]], lifeline: Any, ready: Any) -> None:
    """Fork a child for each request on the socket at ``path`` (a section's notebook, a call, or a build's
    zygote) until ``lifeline`` (standard input, or the build's connection) reaches its end; then
    kill every child. ``kept``: the jixiao modules imported, forgotten when one changes on disk."""
    global _KEPT_STAMPS
    # what the template holds is never garbage for a kernel: left out of the kernels' collections,
    # which would otherwise walk (and, writing reference counts, copy) every inherited object
    gc.collect()
    gc.freeze()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(16)
    ready()
    ended = (lambda: not lifeline.recv(1024)) if isinstance(lifeline, socket.socket) else (
        lambda: not sys.stdin.buffer.read1(1024))  # fmt: skip
    children: dict[socket.socket, int] = {}
    sessions: set[int] = set()  # the children that lead a session of their own: builds' zygotes
    try:
        while True:
            ready_, _, _ = select.select([listener, lifeline, *children], [], [], 0.01)
            if lifeline in ready_ and ended():
                return
            if listener in ready_:
                conn, _ = listener.accept()
                request = json.loads(conn.makefile("rb").readline())
                if "preload" in request:
                    kept = _KEPT_STAMPS = _reload(*request["preload"])
                    conn.sendall(b"ready\n")
                    conn.close()
                    continue
                if kept and _jixiao_modules() != kept:  # jixiao changed on disk since: import it afresh
                    _forget_jixiao()
                    kept = {}
                close = [listener.fileno(), *(c.fileno() for c in children)]
                if isinstance(lifeline, socket.socket):
                    close.append(lifeline.fileno())
                pid = os.fork()
                if pid == 0:
                    if "zygote" in request:  # each of these never returns
                        _become_zygote(request, conn, close)
                    if "call" in request:
                        _run_call(request, conn, close)
                    _run_notebook(request, conn, close)
                children[conn] = pid
                if "zygote" in request:
                    sessions.add(pid)
            for conn in [c for c in ready_ if c in children]:
                if not conn.recv(64):  # the client went away: its kernel (or zygote, with its kernels) goes too
                    _end(children[conn], sessions)
            while children:
                pid, status = os.waitpid(-1, os.WNOHANG)
                if pid == 0:
                    break
                sessions.discard(pid)
                for conn, child in list(children.items()):
                    if child == pid:
                        try:
                            conn.sendall(f"exit {os.waitstatus_to_exitcode(status)}\n".encode())
                        except OSError:
                            pass
                        conn.close()
                        del children[conn]
    finally:
        for pid in children.values():
            _end(pid, sessions)


def _end(pid: int, sessions: set[int]) -> None:
    """Kill a child, with its whole session when it leads one (a build's zygote and its kernels)."""
    if pid in sessions:
        try:
            os.killpg(pid, signal.SIGKILL)
            return
        except (ProcessLookupError, PermissionError):  # not yet a session leader
            pass
    _kill(pid)


def _kill(pid: int, sig: int = signal.SIGKILL) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


# -- the client side (the build process) --------------------------------------------------------


class Zygote:
    """A running zygote: ``with Zygote.start(): ...`` makes every kernel started meanwhile a fork."""

    current: Zygote | None = None
    started: set[Zygote] = set()  # noqa: RUF012  (every zygote not yet stopped, for kill_all)

    def __init__(self, process: subprocess.Popen, path: str, folder: Path) -> None:
        self.process, self.path, self.folder = process, path, folder
        self.ready = False
        self.loaded: str | None = None
        """The key of the inputs of the report loaded by :meth:`reload` (the build's to keep)."""

    @classmethod
    def available(cls) -> bool:
        return hasattr(os, "fork") and environment.fork_kernels()

    @classmethod
    def start(cls, within: Path | None = None, report: tuple[str, int] | None = None) -> Zygote:
        """Start the template process; its socket and log live in a temporary folder (inside
        ``within``, the build's own temporary folder, when given). With ``report`` (unit, year)
        the template loads that report before it forks the first kernel."""
        folder = _folder(within)
        path = str(folder / "zygote.sock")
        with open(folder / "zygote.log", "wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "jixiao.engine.kernels", path, *(map(str, report or ()))],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
                start_new_session=True,  # Ctrl-C is the build's to handle; see kill_all
            )  # fmt: skip
        zygote = cls(process, path, folder)
        Zygote.started.add(zygote)
        return zygote

    def wait_ready(self, timeout: float = 60) -> None:
        if isinstance(self.process, ForkedProcess):  # a fork of a warm template: its log is the template's
            line = self.process.next_line(timeout)
            if line != "ready":
                self.stop()
                raise RuntimeError(f"the kernel template (jixiao.engine.kernels) did not start: {line}")
            return
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        line = self.process.stdout.readline() if ready else b""
        if line.strip() != b"ready":
            log = (self.folder / "zygote.log").read_text(errors="replace").strip().splitlines()
            self.stop()
            raise RuntimeError("the kernel template (jixiao.engine.kernels) did not start: " + " | ".join(log[-3:]))

    def call(self, function: str, *arguments: Any) -> Call:
        """``function(*arguments)`` (``function`` named ``module:name``) run in a child of the
        template, which has pandas and openpyxl imported and the report loaded already; see
        :class:`Call`."""
        return Call(self, function, arguments)

    def __enter__(self) -> Zygote:
        if not self.ready:
            self.wait_ready()
            self.ready = True
        Zygote.current = self
        return self

    def alive(self) -> bool:
        return self.process.poll() is None and not self.process.stdin.closed

    def reload(self, unit: str, year: int, timeout: float = 120) -> None:
        """Load the report of ``unit`` for ``year`` afresh in the template, from the inputs as they
        are now: a template kept between builds (``jixiao preview``) forks every later kernel with
        the edited inputs, never the report as it was loaded before."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(timeout)
            try:
                conn.connect(self.path)
                conn.sendall(json.dumps({"preload": [unit, year]}).encode() + b"\n")
                answer = conn.makefile("rb").readline()
            except OSError as exc:
                raise RuntimeError(f"the kernel template did not reload the report: {exc}") from None
        if answer.strip() != b"ready":
            raise RuntimeError("the kernel template did not reload the report (jixiao.engine.kernels)")

    def release(self) -> None:
        """A kept template's build is over: no kernel starts from it until the next, and the calls'
        folders go."""
        if Zygote.current is self:
            Zygote.current = None
        for folder in self.folder.glob("call-*"):
            shutil.rmtree(folder, ignore_errors=True)

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        if Zygote.current is self:
            Zygote.current = None
        Zygote.started.discard(self)
        # the zygote, reading end of file, kills its kernels and exits; no need to wait
        if isinstance(self.process, ForkedProcess):
            self.process.close()
        else:
            self.process.stdin.close()
            self.process.stdout.close()
        scratch.remove(self.folder)

    def kill(self) -> None:
        """The zygote and every kernel it forked, at once (they share its process group)."""
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            try:
                self.process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                pass
        self.stop()


def _folder(within: Path | None) -> Path:
    """A temporary folder for a zygote's socket (inside ``within`` when given)."""
    # a Unix socket's path has at most 107 bytes: the first short enough of these folders
    short = [str(d) for d in (within, tempfile.gettempdir(), "/tmp") if d is not None and len(str(d)) < 70]
    return scratch.folder("kernels", within=short[0] if short else None)


class Template:
    """A kernel template kept warm in a process that outlives its builds (``engine.warm``: a Dask
    worker; never ``jixiao build``, after which nothing is left).

    It is a zygote with no report loaded: pandas, matplotlib, IPython and the chart font imported,
    jixiao compiled. Each build's zygote is a fork of it (:meth:`fork`), which takes the build's
    environment and loads the build's report, and is stopped with the build: a report is never
    served to another build. A template found dead when a build asks (killed for its memory, say)
    is started again; if even that fails, the build starts its own zygote the usual way."""

    def __init__(self) -> None:
        self._zygote: Zygote | None = None
        self._ready = False
        self._start()

    def _start(self) -> None:
        self._zygote = Zygote.start()
        Zygote.started.discard(self._zygote)  # not a build's to kill when the build fails
        self._ready = False

    @property
    def pid(self) -> int | None:
        """The template's process id (None once closed)."""
        return self._zygote.process.pid if self._zygote is not None else None

    def fork(self, within: Path | None, report: tuple[str, int] | None) -> Zygote | None:
        """A build's zygote, forked from the template with this process's environment and working
        directory, loading ``report``; its socket in a temporary folder (inside ``within``). None
        when the template cannot give one (started again, it still could not)."""
        for _ in range(2):
            try:
                if self._zygote is None or self._zygote.process.poll() is not None:  # died since the last build
                    self.close()
                    self._start()
                if not self._ready:
                    self._zygote.wait_ready()
                    self._ready = True
            except RuntimeError:  # it did not start: wait_ready stopped it
                self._zygote = None
                continue
            folder = _folder(within)
            path = str(folder / "zygote.sock")
            request = {"zygote": path, "report": list(report) if report else None, "env": dict(os.environ),
                       "cwd": str(Path.cwd())}  # fmt: skip
            try:
                process = ForkedProcess(self._zygote.path, request, wait_ready=False)
            except (OSError, RuntimeError):  # the template died meanwhile
                scratch.remove(folder)
                self.close()
                continue
            zygote = Zygote(process, path, folder)
            Zygote.started.add(zygote)
            return zygote
        return None

    def close(self) -> None:
        """Stop the template and every zygote forked from it, and remove its folder."""
        zygote, self._zygote = self._zygote, None
        if zygote is None:
            return
        zygote.stop()  # reading end of file, it kills its children and exits
        try:
            zygote.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            zygote.kill()


class Call:
    """A function running in a child of the template; :meth:`result` waits for its result.

    Only a speed-up: when the child cannot give a result (the function raised, the child died or
    could not start), :meth:`result` says so and the caller runs the function itself, where any
    error is raised as it would have been."""

    def __init__(self, zygote: Zygote, function: str, arguments: tuple[Any, ...]) -> None:
        import pickle

        folder = Path(tempfile.mkdtemp(prefix="call-", dir=zygote.folder))
        self._result = folder / "result.pickle"
        (folder / "arguments.pickle").write_bytes(pickle.dumps(arguments, protocol=pickle.HIGHEST_PROTOCOL))
        # the child's temporary files (openpyxl writes the workbook through one) go in the call's
        # folder: a child killed with a failed build leaves nothing in the user's temporary folder
        request = {"call": function, "arguments": str(folder / "arguments.pickle"), "result": str(self._result),
                   "env": {**os.environ, "TMPDIR": str(folder)}, "cwd": str(Path.cwd())}  # fmt: skip
        try:
            self.process: ForkedProcess | None = ForkedProcess(zygote.path, request)
        except (OSError, RuntimeError):
            self.process = None

    def result(self) -> tuple[bool, Any]:
        """``(True, result)``, or ``(False, None)`` when the child gave none."""
        import pickle

        if self.process is None or self.process.wait() != 0:
            return False, None
        try:
            return True, pickle.loads(self._result.read_bytes())
        except Exception:  # a result that cannot be read back: the caller makes its own
            return False, None


_LAUNCHED: set[Any] = set()
"""The processes of kernels started the usual way and still running (for :func:`kill_all`)."""

_LAUNCHING = threading.Lock()
"""Held while a kernel is started the usual way and by :func:`kill_all`: a section's thread that
was starting a kernel as the build stopped has either started it (and it is killed) or starts none."""


def kill_all() -> None:
    """Kill every kernel of this process and the kernel template, without waiting for a graceful
    end: the build was interrupted or failed. It is marked so (``stopping.INTERRUPTED``, cleared
    when the next build starts): meanwhile no kernel starts."""
    with _LAUNCHING:
        INTERRUPTED.set()
        for zygote in list(Zygote.started):
            zygote.kill()
        for process in list(_LAUNCHED):
            try:
                if process.poll() is None:  # a kernel started the usual way leads a session of its own
                    os.killpg(process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError, OSError):
                pass
            _LAUNCHED.discard(process)


class ForkedProcess:
    """A child of the zygote (a section's notebook, a call, a build's zygote) as ``subprocess.Popen``
    gives a process (its methods), with the lines it writes (:meth:`next_line`)."""

    stdin = stdout = stderr = None

    def __init__(self, zygote_path: str, request: dict[str, Any], wait_ready: bool = True) -> None:
        """Ask the zygote at ``zygote_path`` to fork; wait for the child's pid, and for its
        ``ready`` unless ``wait_ready`` is false (then :meth:`ready` waits for it)."""
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            self._sock.connect(zygote_path)
            self._sock.sendall(json.dumps(request).encode() + b"\n")
        except OSError:
            self._sock.close()
            raise
        self._buffer = b""
        self.returncode: int | None = None
        first = self._line() or ""
        if not first.isdigit() or (wait_ready and self._line() != "ready"):  # "exit N": died while starting
            self.returncode = -1
            self._sock.close()
            raise RuntimeError(f"a forked kernel died while starting (jixiao.engine.kernels): {first}")
        self.pid = int(first)

    def next_line(self, timeout: float | None = None) -> str:
        """The child's next line (``ready`` once it is, a cell's outputs), else ``exit N`` once it
        ended, or empty after ``timeout``."""
        return self._line(timeout) or ""

    def close(self) -> None:
        """Close the connection: the zygote kills the child (if it still runs)."""
        if self.returncode is None:
            self.returncode = -signal.SIGKILL
        self._sock.close()

    def _line(self, timeout: float | None = None) -> str | None:
        """The next line from the zygote; None if none came within ``timeout``."""
        while b"\n" not in self._buffer:
            if not select.select([self._sock], [], [], timeout)[0]:
                return None
            chunk = self._sock.recv(1 << 16)
            if not chunk:  # the zygote is gone
                self._buffer += b"exit -9\n"
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line.decode().strip()

    def poll(self) -> int | None:
        return self.wait(timeout=0) if self.returncode is None else self.returncode

    def wait(self, timeout: float | None = None) -> int | None:
        if self.returncode is None:
            line = self._line(timeout)
            if line is None:
                if timeout == 0:
                    return None
                raise subprocess.TimeoutExpired("kernel", timeout or 0)
            parts = line.split()
            self.returncode = int(parts[1]) if len(parts) == 2 else -signal.SIGKILL
            self._sock.close()
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.returncode is None:
            _kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


class Provisioner(LocalProvisioner):
    """LocalProvisioner that starts no kernel once the build was stopped, and keeps each kernel's
    process for :func:`kill_all` while it runs."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
        with _LAUNCHING:
            if INTERRUPTED.is_set():
                raise RuntimeError("the build was stopped: no kernel starts")
            info = await super().launch_kernel(cmd, **kwargs)
            if self.process is not None:
                _LAUNCHED.add(self.process)
        return info

    async def wait(self) -> int | None:
        process = self.process
        code = await super().wait()
        _LAUNCHED.discard(process)
        return code


class KernelClient(AsyncKernelClient):
    async def wait_for_ready(self, timeout: float | None = None) -> None:  # type: ignore[override]
        """Ready when a kernel_info request has its reply and its ``idle`` status on IOPub.

        jupyter_client's own version ends by draining IOPub until it has been quiet for 0.2 s:
        0.2 s of every kernel start, for nothing a fresh kernel could have said.
        """
        deadline = time.monotonic() + (timeout or 60)
        while time.monotonic() < deadline:
            msg_id = self.kernel_info()
            try:
                reply = await self.get_shell_msg(timeout=1)
                while reply["parent_header"].get("msg_id") != msg_id:
                    reply = await self.get_shell_msg(timeout=1)
                while True:  # IOPub may not be subscribed yet: then ask again
                    status = await self.get_iopub_msg(timeout=0.2)
                    if status["parent_header"].get("msg_id") == msg_id and status["msg_type"] == "status" \
                            and status["content"].get("execution_state") == "idle":  # fmt: skip
                        self._handle_kernel_info_reply(reply)
                        return
            except Empty:
                if not await self.is_alive():
                    raise RuntimeError("the kernel died before replying to kernel_info") from None
        raise RuntimeError(f"the kernel did not reply to kernel_info within {timeout} s")


SOCKET_PATH_MAX = 104
"""The longest Unix socket path every system takes (108 bytes on Linux, 104 on macOS); a longer
temporary folder keeps TCP ports."""


class KernelManager(AsyncKernelManager):
    """The KernelManager of a section's kernel where no kernel template runs (``JIXIAO_FORK_KERNELS=0``,
    no ``fork``): a kernel started the usual way, none once the build was stopped.

    Asynchronous, as nbclient's own default: with a blocking client, nbclient's wait for a cell's
    output blocks its event loop, so a kernel that dies in a cell (killed for its memory, say)
    would leave the section waiting for ever instead of failing with ``DeadKernelError``."""

    client_factory = Type(KernelClient)  # what client() makes (AsyncKernelManager's own is fixed)

    async def _async_wait(self, pollinterval: float = 0.005) -> None:
        await super()._async_wait(pollinterval)  # 100 ms by default: a killed kernel is gone at once

    async def _async_pre_start_kernel(self, **kw: Any) -> Any:
        if self.provisioner is None:
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", None) or __import__("uuid").uuid4().hex
            self.provisioner = Provisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self)
        runtime = os.environ.get("JIXIAO_RUNTIME_DIR")
        if not self.connection_file and runtime and self.kernel_id:  # else a file in /tmp, left if interrupted
            self.connection_file = os.path.join(runtime, f"kernel-{self.kernel_id}.json")
            # Unix sockets beside it, not TCP ports: a free port found by jupyter_client can be taken by
            # another process before the kernel binds it ("Address already in use", a kernel dead at start)
            sockets = os.path.join(runtime, f"k{self.kernel_id[:12]}")
            if len(os.fsencode(sockets)) < SOCKET_PATH_MAX - 4:  # "-<n>" is added to each
                self.transport, self.ip = "ipc", sockets
        return await super()._async_pre_start_kernel(**kw)


if __name__ == "__main__":
    serve(sys.argv[1], *([sys.argv[2], int(sys.argv[3])] if len(sys.argv) == 4 else []))
