"""What a section's output depends on, as hashes: a file's content, one part of a YAML file.

Both sides of the build cache use this: a section kernel records the hash of each dependency
as it reads it (``jixiao.facts``), and the build compares the recorded hashes with today's
(``jixiao.engine.cache``). It sits below both, and imports nothing of jixiao but ``paths``.

A dependency is written ``file`` or ``file#part`` (``params/u/unit.yaml#themes.dibao``), the file
relative to the project root where it lies inside it (an absolute path otherwise: the font file
a chart was drawn with).
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path
from stat import S_ISDIR
from typing import Any

from jixiao import paths

ABSENT = "absent"
FOLDER = "folder"


def file_hash(path: Path | str) -> str:
    """SHA-256 of a file's bytes, ``"absent"`` if there is no such file, ``"folder"`` for a folder
    (a section that looked for last year's data depends on whether the folder exists).

    Hashed once per version of the file within a process (its inode, size and mtime): a large
    file (a font), or jixiao's own files (the build's code hash), cost their hash once per build,
    not once per section."""
    try:
        stat = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return ABSENT
    if S_ISDIR(stat.st_mode):
        return FOLDER
    return _content_hash(str(path), (stat.st_ino, stat.st_size, stat.st_mtime_ns))


CONTENT_HASHES = 2048
"""File versions whose hashes a process keeps (at most about a megabyte). A build of the example
(lechang-mzj 2019, 16 sections) hashes 100 files in the build process (50 of the package, 33
inputs and notebooks, 16 executed notebooks, a font) and 30 to 40 in each section's kernel: a
build hashing twenty times as many still reads none twice. A batch worker, whose every build
has inputs of its own, drops the oldest builds' entries first."""


@lru_cache(maxsize=CONTENT_HASHES)
def _content_hash(path: str, stamp: tuple[int, int, int]) -> str:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return ABSENT
    return digest.hexdigest()


@lru_cache(maxsize=8)
def _yaml(path: Path, stamp: tuple[int, int]) -> Any:
    """A YAML file's content, parsed once per version of the file (``stamp``: mtime and size)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except (yaml.YAMLError, UnicodeDecodeError):
        return None  # the settings check reports it; here it is just a different content


def part_hash(path: Path, part: str) -> str:
    """SHA-256 of one part of a YAML file (``themes.dibao``): editing another part leaves it be."""
    try:
        stat = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return ABSENT
    value = _yaml(path, (stat.st_mtime_ns, stat.st_size))
    for key in part.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def name(path: Path | str, part: str | None = None) -> str:
    """How a dependency is written: relative to the root where it lies inside it, else absolute
    (jixiao's own modules and notebooks where jixiao is installed, a font), ``#part`` appended."""
    try:
        shown = Path(path).resolve().relative_to(paths.root()).as_posix()
    except ValueError:
        shown = Path(path).as_posix()
    return shown + (f"#{part}" if part else "")


def dependency_hash(dependency: str) -> str:
    """The hash of a recorded dependency: ``file`` or ``file#part``."""
    rel, _, part = dependency.partition("#")
    path = paths.root() / rel  # an absolute ``rel`` stays as it is
    return part_hash(path, part) if part else file_hash(path)


CODE_SUFFIXES = {".py", ".j2", ".css"}


def code_hash() -> str:
    """Hash of every jixiao source file (what validation and stitching run): of each file's path
    in the package with its content hash (``build.json``'s ``code``, and ``jixiao --version``'s).
    A build asks for it once per section; each file is read once per version of it
    (:func:`file_hash`)."""
    base = len(str(paths.PACKAGE_DIR)) + 1
    pairs = []
    for folder, _, names in os.walk(paths.PACKAGE_DIR):
        for name in names:
            if os.path.splitext(name)[1] in CODE_SUFFIXES:
                path = os.path.join(folder, name)
                digest = file_hash(path)
                if digest != ABSENT:
                    pairs.append((path[base:].replace(os.sep, "/"), digest))
    return hashlib.sha256(json.dumps(sorted(pairs)).encode()).hexdigest()
