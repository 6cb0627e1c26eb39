"""The engine kept warm in a process that outlives its builds (a Dask worker: ``jixiao.batch.WarmEngine``).

``jixiao build`` keeps nothing: everything it starts ends with it. A process that builds one
unit-year after another keeps here what does not depend on the unit-year, and would otherwise be
paid again by every build:

- the kernel template (``kernels.Template``): pandas, matplotlib, IPython and the chart font
  imported, jixiao compiled; each build's zygote is a fork of it that loads that build's report
  and ends with the build, so one unit-year's report is never served to another;
- the stitcher: nbconvert imported and its templates compiled;
- the process that makes the second edition's PDF and DOCX: Typst's fonts and python-docx loaded.

A build that fails kills the helper it was using (it may be mid-request); the next build starts
another. :meth:`Engine.close` ends them all and removes their folders.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor, Future
from pathlib import Path
from typing import Any

current: Engine | None = None
"""The warm engine of this process, if it has one (set by ``jixiao.batch.WarmEngine`` only)."""


class Engine:
    def __init__(self) -> None:
        from jixiao.engine import kernels

        self.template = kernels.Template() if kernels.Zygote.available() else None  # warms up meanwhile
        self._stitcher: Future | None = None
        self._paged: Any = None

    def zygote(self, within: Path | None, report: tuple[str, int]) -> Any:
        """A build's zygote forked from the template (``kernels.Template.fork``), or None."""
        return self.template.fork(within, report) if self.template is not None else None

    def stitcher(self, background: Executor, make: Callable[[], Any]) -> Future:
        """The stitcher: ``make`` run by the build's ``background`` threads the first time (or
        again, if that gave none), then kept."""
        kept = self._stitcher
        if kept is None or kept.cancelled() or (kept.done() and kept.exception() is not None):
            self._stitcher = kept = background.submit(make)
        return kept

    def paged(self) -> Any:
        """The second edition's PDF and DOCX helper (``render.paged.PagedProcess``), started again
        if it ended; None where none may be started."""
        from jixiao.render.paged import PagedProcess

        if self._paged is None or not self._paged.alive():
            self._paged = PagedProcess.start()
        return self._paged

    def close(self) -> None:
        if self.template is not None:
            self.template.close()
        if self._paged is not None:
            self._paged.kill()
        self._stitcher = self._paged = None
