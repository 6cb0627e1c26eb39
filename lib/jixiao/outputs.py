"""Writing build outputs: each into a temporary file beside its target, then renamed, all together.

Readers never see half a file, and a failure leaves the previous files as they were: the last
good report and its workbook stay a pair. A build writes its outputs as one group::

    with outputs.together() as group:
        group.write(out / "report.html", page)
        group.write(out / "自评表.xlsx", workbook)
        group.write(out / "report.pdf", pdf)     # any number of files, in any folders

Each ``write`` puts its bytes in a temporary file at once (so a full disk shows at the file that
did not fit), flushed to the disk. Only when the ``with`` block ends without an error are the
temporary files renamed onto their targets, one after the other (renaming needs no space); if a
rename fails the targets already replaced are put back. On any error, or Ctrl-C, the temporary
files are removed and the targets left as they were. A file gets the usual permissions (the
umask's: the temporary file is opened like any other), not a temporary file's 0600.

Errors of the file system (disk full, read-only, a file where a folder should be) are raised as
:class:`OutputError`, which names the path and the cause in one line.

A cache file (the build's entries, the charts' memo) is written *sealed* (:func:`write_sealed`):
plain JSON whose first key is a checksum over the rest, so that a damaged or hand-edited file is
known (:class:`Damaged`) and never trusted.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from jixiao import paths

CAUSES = {
    errno.ENOSPC: "磁盘空间已满 (no space left on device)",
    errno.EDQUOT: "超出磁盘配额 (disk quota exceeded)",
    errno.EROFS: "文件系统只读 (read-only file system)",
    errno.EACCES: "没有写入权限 (permission denied)",
    errno.EPERM: "没有写入权限 (operation not permitted)",
    errno.ENOTDIR: "路径中有同名文件挡住了文件夹 (not a directory)",
    errno.EISDIR: "该路径是一个文件夹 (is a directory)",
    errno.EEXIST: "该路径已被一个文件占用 (file exists)",
    errno.ENAMETOOLONG: "路径过长 (file name too long)",
    errno.EIO: "磁盘读写错误 (input/output error)",
}


class OutputError(OSError):
    """An output could not be written: which path, and why, in one line."""

    def __init__(self, path: Path | str, cause: OSError) -> None:
        super().__init__(cause.errno, cause.strerror)
        self.path, self.cause = Path(path), cause
        self.reason = CAUSES.get(cause.errno or 0) or (cause.strerror or str(cause))

    def __str__(self) -> str:
        return f"无法写入 {paths.relative(self.path)}：{self.reason}"


def _temporary(path: Path) -> Path:
    return path.with_name(f".{path.name}.tmp{os.getpid()}")


def make_folder(folder: Path) -> Path:
    """``folder`` and its parents, or :class:`OutputError` naming the part that is in the way."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        blocked = next((p for p in [folder, *folder.parents] if p.exists() and not p.is_dir()), folder)
        raise OutputError(blocked, exc) from None
    return folder


class Group:
    """Files written together: see the module's docstring."""

    def __init__(self) -> None:
        self.files: list[tuple[Path, Path]] = []  # (temporary, target)
        self.removed: list[Path] = []

    def remove(self, path: Path | str) -> None:
        """Remove ``path`` (if it is there) with the group: an output this build does not make
        leaves no earlier version of itself beside the new ones; put back if the group fails."""
        self.removed.append(Path(path))

    def write(self, path: Path | str, data: str | bytes) -> Path:
        path = Path(path)
        make_folder(path.parent)
        tmp = _temporary(path)
        self.files.append((tmp, path))
        try:
            with open(tmp, "wb") as f:
                f.write(data.encode("utf-8") if isinstance(data, str) else data)
                f.flush()
                os.fsync(f.fileno())
        except OSError as exc:
            raise OutputError(path, exc) from None
        return path

    def commit(self) -> None:
        done: list[tuple[Path, Path | None]] = []  # (target, its previous version kept aside)
        try:
            for tmp, path in self.files:
                previous = None
                if path.is_file():
                    previous = path.with_name(f".{path.name}.old{os.getpid()}")
                    previous.unlink(missing_ok=True)
                    try:
                        os.link(path, previous)
                    except OSError:
                        previous = None
                try:
                    os.replace(tmp, path)
                except OSError as exc:
                    if previous is not None:
                        previous.unlink(missing_ok=True)
                    raise OutputError(path, exc) from None
                done.append((path, previous))
            for path in self.removed:
                if not path.is_file():
                    continue
                previous = path.with_name(f".{path.name}.old{os.getpid()}")
                previous.unlink(missing_ok=True)
                try:
                    os.replace(path, previous)
                except OSError as exc:
                    raise OutputError(path, exc) from None
                done.append((path, previous))
        except BaseException:
            for path, previous in reversed(done):  # put back what was replaced
                try:
                    if previous is not None:
                        os.replace(previous, path)
                    else:
                        path.unlink(missing_ok=True)
                except OSError:
                    pass
            raise
        finally:
            for _, previous in done:
                if previous is not None:
                    previous.unlink(missing_ok=True)
            self.discard()

    def discard(self) -> None:
        for tmp, _ in self.files:
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass


@contextmanager
def together() -> Iterator[Group]:
    """A group of outputs replaced together when the block ends, or not at all."""
    group = Group()
    try:
        yield group
    except BaseException:
        group.discard()
        raise
    group.commit()


def write_atomically(path: Path, data: str | bytes) -> Path:
    """One file, written as a group of one."""
    with together() as group:
        group.write(path, data)
    return path


def remove_leftovers(folder: Path) -> None:
    """Temporary files a killed build left in ``folder`` (call it holding the build's lock)."""
    if not folder.is_dir():
        return
    for pattern, marker in ((".*.tmp*", ".tmp"), (".*.old*", ".old")):
        for path in folder.rglob(pattern):
            if path.is_file() and path.name.rpartition(marker)[2].isdigit():
                path.unlink(missing_ok=True)


# -- sealed files: JSON with a checksum over its content -----------------------------------------


class Damaged(ValueError):
    """A cache file that cannot be trusted: not JSON, not an entry, or not matching its checksum."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path, self.reason = path, reason
        super().__init__(f"{paths.relative(path)}（{reason}）")


SEAL = b'{\n "checksum": "'
"""How a cache file begins: its JSON's first key is the SHA-256 of the rest of the JSON (the file
stays plain JSON, and checking it needs no parsing)."""


def write_sealed(path: Path, content: dict[str, Any]) -> None:
    """``content`` as JSON whose first key, ``checksum``, is the SHA-256 of the rest."""
    body = json.dumps(content, ensure_ascii=False, indent=1, sort_keys=True).encode()
    assert body.startswith(b"{\n")
    checksum = hashlib.sha256(body).hexdigest().encode()
    write_atomically(path, SEAL + checksum + b'",\n' + body[2:])


def read_sealed(path: Path, parse: bool = True) -> dict[str, Any] | None:
    """What :func:`write_sealed` wrote, without its checksum (``{}`` unless ``parse``, for a check
    alone); None if there is no such file, or an entry of the format before checksums (stale,
    not damaged); raises :class:`Damaged`."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise Damaged(path, f"无法读取：{exc.strerror or exc}") from None
    if not data.startswith(SEAL):
        if data.startswith(b'{\n "base"'):
            return None
        raise Damaged(path, "不是缓存条目")
    checksum, rest = data[len(SEAL) : len(SEAL) + 64], data[len(SEAL) + 64 :]
    if not rest.startswith(b'",\n') or hashlib.sha256(b"{\n" + rest[3:]).hexdigest().encode() != checksum:
        raise Damaged(path, "校验和不符，内容被改动过")
    if not parse:
        return {}
    try:
        content = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise Damaged(path, "不是有效的 JSON") from None
    if not isinstance(content, dict):
        raise Damaged(path, "不是缓存条目")
    content.pop("checksum", None)
    return content
