"""The paged formats (PDF and DOCX) of each edition's page, and the process of its own that makes
one edition's while the build makes the other's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jixiao.render.editions import Output
from jixiao.render.properties import Metadata


def versions(fmt: str) -> dict[str, str]:
    """What besides the page decides a format's bytes (renderer versions, font files)."""
    from importlib import metadata

    if fmt == "pdf":
        from jixiao.render import pdf

        return pdf.versions()
    if fmt == "docx":
        return {"python-docx": metadata.version("python-docx")}
    return {}


def render(
    pages: dict[str, str], wanted: list[Output], meta: Metadata, write: Callable[[str, bytes], None],
    helper: PagedProcess | None = None,
) -> None:  # fmt: skip
    """Write the PDF and DOCX files among ``wanted`` from each edition's page (``pages``): with a
    ``helper`` process, the last edition's there while the others are made here (two cores)."""
    paged = [o for o in wanted if o.format in {"pdf", "docx"}]
    editions = list(dict.fromkeys(o.edition for o in paged))
    away = editions[-1] if helper is not None and len(editions) > 1 else None
    if away is not None:
        helper.submit(pages[away], [o.format for o in paged if o.edition == away], meta)
    for output in paged:
        if output.edition != away:
            write(output.name, paged_bytes(pages[output.edition], output.format, meta))
    if away is not None:
        made = helper.result()
        for output in paged:
            if output.edition == away:
                write(output.name, made[output.format])


def paged_bytes(page: str, fmt: str, meta: Metadata) -> bytes:
    """An edition's page as ``pdf`` or ``docx``."""
    from jixiao.render import docx, pdf

    return (pdf if fmt == "pdf" else docx).render(page, meta)


class PagedProcess:
    """A process of its own that makes one edition's PDF and DOCX, started (Typst's fonts and
    python-docx loaded) while the sections run, so that the two editions' paged files are made at
    once on two cores. It ignores Ctrl-C: the build that started it kills it."""

    def __init__(self) -> None:
        import multiprocessing

        from jixiao import scratch

        context = multiprocessing.get_context("spawn")  # the build has threads: no fork
        # the helper's temporary files go in a folder this process owns: killing the helper, or a
        # signal to this process, leaves none behind (jixiao.scratch)
        self.folder = scratch.folder("paged")
        self._connection, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child, str(self.folder)), name="jixiao-paged", daemon=True)
        self._process.start()
        child.close()

    @classmethod
    def start(cls) -> PagedProcess | None:
        """A started helper; None inside a daemon process (a Dask worker), which may not have one."""
        import multiprocessing

        return None if multiprocessing.current_process().daemon else cls()

    def submit(self, page: str, formats: list[str], meta: Metadata) -> None:
        self._connection.send((page, formats, meta))

    def result(self) -> dict[str, bytes]:
        """The files asked for, by format; the helper's exception if it failed."""
        try:
            reply = self._connection.recv()
        except EOFError:
            raise RuntimeError("排版进程意外退出 (the process making the PDF and DOCX died)") from None
        if isinstance(reply, BaseException):
            raise reply
        return reply

    def alive(self) -> bool:
        """Not killed, and running (a worker keeps one between builds: ``engine.warm``)."""
        return not self._connection.closed and self._process.is_alive()

    def kill(self) -> None:
        """Stop it now, whatever it is doing (a failed or interrupted build)."""
        if self._connection.closed:  # killed already
            return
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        self._process.close()
        self._connection.close()
        from jixiao import scratch

        scratch.remove(self.folder)


def _serve(connection: Any, folder: str) -> None:
    import signal

    from jixiao import scratch

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    scratch.adopt(folder)
    from jixiao.render import docx, pdf  # noqa: F401

    pdf.preload()
    while True:
        try:
            request = connection.recv()
        except EOFError:
            return
        page, formats, meta = request
        try:
            connection.send({fmt: paged_bytes(page, fmt, meta) for fmt in formats})
        except Exception as exc:  # the build reports it
            connection.send(exc)
