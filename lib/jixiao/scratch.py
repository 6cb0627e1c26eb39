"""The one owner of jixiao's temporary folders.

Every temporary folder a command makes (a build's work folder, the kernels' folder, the PDF
step's, a batch task's) is made here, in the process that runs the command, and recorded; a
helper process (the one that makes the second edition's PDF and DOCX) makes its temporary files
inside a folder this owner gave it (:func:`adopt`), so that killing the helper leaves nothing the
owner does not remove. :func:`clean` removes every folder still recorded: the command's signal
handlers (Ctrl-C, SIGTERM, a closed pipe) and its exit call it. Only SIGKILL, which no process can
answer, leaves a folder behind (the next build does not need it; ``jixiao-*`` in the temporary
folder may then be removed by hand).
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PREFIX = "jixiao-"
_owned: dict[Path, None] = {}
_lock = threading.Lock()


def folder(kind: str, within: str | Path | None = None) -> Path:
    """A new temporary folder ``jixiao-<kind>-…`` (in ``within``, else the temporary folder),
    recorded until :func:`remove` or :func:`clean`."""
    path = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{kind}-", dir=within))
    with _lock:
        _owned[path] = None
    return path


def remove(path: str | Path) -> None:
    """Remove a folder made by :func:`folder` and forget it."""
    path = Path(path)
    shutil.rmtree(path, ignore_errors=True)
    with _lock:
        _owned.pop(path, None)


@contextmanager
def temporary(kind: str, within: str | Path | None = None) -> Iterator[Path]:
    """A :func:`folder` for the block, removed when it ends, however it ends."""
    path = folder(kind, within)
    try:
        yield path
    finally:
        remove(path)


def owned() -> list[Path]:
    """The folders made and not yet removed."""
    with _lock:
        return list(_owned)


def clean() -> None:
    """Remove every folder still recorded (a command stopped by a signal, or its exit)."""
    for path in owned():
        remove(path)


def adopt(path: str | Path) -> None:
    """In a helper process: make every temporary file and folder inside ``path``, a folder its
    owner made and removes when it stops the helper (killed or not)."""
    tempfile.tempdir = str(path)
