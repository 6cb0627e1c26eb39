"""Where the outputs of many unit-years live, and what decides them: shared by ``jixiao.batch``
(which builds them) and ``jixiao.summary`` (which reads the lines the batch's workers kept).

:class:`Store` is the outputs' home, the project's ``outputs/`` folder or an fsspec URL;
:func:`inputs_zip` is what a build of a unit-year reads, zipped byte for byte the same for the
same files; :func:`inputs_key` is the key of its outputs: the inputs' hash and jixiao's code hash.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from jixiao import paths

SKIPPED = ("*.lock", ".*.tmp*")
"""Files of an output folder that never travel (a build's lock, a half-written file)."""
_DATE = (2000, 1, 1, 0, 0, 0)


# -- zips ---------------------------------------------------------------------------------------


def zipped(files: Iterable[tuple[str, Path]], read: Callable[[Any], bytes] = Path.read_bytes) -> bytes:
    """A zip of (name, source) pairs, each source's bytes given by ``read`` (a local path's, by
    default), byte-identical for the same files (fixed dates, sorted)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for name, source in sorted(files):
            info = zipfile.ZipInfo(name, _DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, read(source))
    return buffer.getvalue()


def tree(folder: Path, prefix: str) -> list[tuple[str, Path]]:
    if not folder.is_dir():
        return []
    out = []
    for path in folder.rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts and not _skipped(path.name):
            rel = path.relative_to(folder).as_posix()
            out.append((f"{prefix}/{rel}" if prefix else rel, path))
    return out


def _skipped(name: str) -> bool:
    return any(PurePosixPath(name).match(pattern) for pattern in SKIPPED)


def _members(data: bytes) -> Iterator[tuple[PurePosixPath, bytes]]:
    """Each file of the zip ``data``: its name and bytes; refuses names that would leave the folder."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            name = PurePosixPath(info.filename)
            if name.is_absolute() or ".." in name.parts:
                raise ValueError(f"unsafe name in a batch archive: {info.filename}")
            yield name, archive.read(info)


def unzip(data: bytes, target: Path) -> list[str]:
    """Unpack ``data`` under ``target``."""
    names = []
    for name, content in _members(data):
        path = target.joinpath(*name.parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        names.append(name.as_posix())
    return names


def years_needed(unit: str, year: int, root: Path | None = None) -> list[int]:
    """The year and every earlier year with data and parameters (the report compares them)."""
    root = root or paths.root()
    years = [year]
    while (root / "data" / unit / str(years[-1] - 1)).is_dir() and (
        root / "params" / unit / f"{years[-1] - 1}.yaml"
    ).is_file():
        years.append(years[-1] - 1)
    return years


def inputs_zip(unit: str, year: int, root: Path | None = None) -> bytes:
    """What a build of ``unit``/``year`` reads: ``params/<unit>/``, ``data/<unit>/<years>/``, the
    project's own notebooks, if it has any (the others ship with jixiao on every worker). Only the
    unit-year's own files: another unit's data never travels with it."""
    root = root or paths.root()
    files = tree(root / "params" / unit, f"params/{unit}")
    for y in years_needed(unit, year, root):
        files += tree(root / "data" / unit / str(y), f"data/{unit}/{y}")
    files += tree(root / "notebooks", "notebooks")
    return zipped(files)


def inputs_key(unit: str, year: int, inputs: bytes | None = None) -> str:
    """What decides a unit-year's outputs: its inputs' hash and jixiao's code hash (``inputs``:
    the unit-year's :func:`inputs_zip`, when it is at hand)."""
    inputs = inputs_zip(unit, year) if inputs is None else inputs
    return key_of(hashlib.sha256(inputs).hexdigest(), code_hash())


def key_of(digest: str, code: str) -> str:
    """The key kept beside a unit-year's outputs (``KEY_FILE``): its inputs' and the code's hashes."""
    return f"{digest}:{code}"


# -- where outputs go ---------------------------------------------------------------------------


class Store:
    """The outputs' home: the project's ``outputs/`` folder, or an fsspec URL."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url
        if url is None:
            self.fs = None
            self.base = str(paths.root() / "outputs")
        else:
            import fsspec

            self.fs, self.base = fsspec.core.url_to_fs(url)

    def __str__(self) -> str:
        return self.url or paths.relative(Path(self.base))

    def _path(self, rel: str) -> str:
        return f"{self.base.rstrip('/')}/{rel}"

    def where(self, rel: str) -> str:
        """How to tell the user where ``rel`` is: a project-relative path, or the URL given."""
        if self.fs is None:
            return paths.relative(Path(self._path(rel)))
        return f"{self.url.rstrip('/')}/{rel}"  # as the user gave it

    def exists(self, rel: str) -> bool:
        if self.fs is None:
            return Path(self._path(rel)).is_file()
        return bool(self.fs.isfile(self._path(rel)))

    def read(self, rel: str) -> bytes | None:
        if self.fs is None:
            path = Path(self._path(rel))
            return path.read_bytes() if path.is_file() else None
        try:
            return self.fs.cat_file(self._path(rel))
        except (FileNotFoundError, NotADirectoryError):  # a file where a folder should be: nothing kept there
            return None

    def write(self, rel: str, data: bytes | str) -> None:
        data = data.encode("utf-8") if isinstance(data, str) else data
        if self.fs is None:
            from jixiao.outputs import write_atomically

            write_atomically(Path(self._path(rel)), data)
        else:
            try:
                self.fs.makedirs(self._path(str(PurePosixPath(rel).parent)), exist_ok=True)
                self.fs.pipe_file(self._path(rel), data)
            except OSError as exc:  # a file where a folder should be, no space, no right: one line, exit 3
                from jixiao.outputs import OutputError

                raise OutputError(self.where(rel), exc) from None

    def folder_zip(self, rel: str) -> bytes | None:
        """A folder of the store, zipped (names relative to it), or None if it has no file."""
        if self.fs is None:
            files = tree(Path(self._path(rel)), "")
            return zipped(files) if files else None
        root = self._path(rel)
        if not self.fs.isdir(root):
            return None
        files = [(path[len(root) :].lstrip("/"), path) for path in self.fs.find(root)]
        return zipped(
            [(name, path) for name, path in files if not _skipped(PurePosixPath(name).name)], self.fs.cat_file
        )

    def unpack(self, rel: str, data: bytes) -> list[str]:
        """Write every file of the zip ``data`` under the folder ``rel``."""
        names = []
        for name, content in _members(data):
            self.write(f"{rel}/{name.as_posix()}", content)
            names.append(name.as_posix())
        return names


def code_hash() -> str:
    """jixiao's code hash (``build.json``'s ``code``) and the section notebooks shipped with it:
    a unit-year whose project has no notebook of its own is rebuilt when jixiao ships another."""
    from jixiao.dependencies import file_hash
    from jixiao.engine import pipeline as build

    shipped = sorted((p.name, file_hash(p)) for p in paths.PACKAGED_NOTEBOOKS.glob("*.ipynb"))
    return hashlib.sha256(repr((build._code_hash(), shipped)).encode()).hexdigest()
