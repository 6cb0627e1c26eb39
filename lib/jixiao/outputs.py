"""Writing build outputs atomically: into a temporary file beside the target, then renamed.

Readers never see half a file, and a failure leaves the previous file as it was (the last good
report stays intact). The file gets the usual permissions (the umask's), not a temporary file's.
"""

from __future__ import annotations

import os
from pathlib import Path


def write_atomically(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        if isinstance(data, str):
            tmp.write_text(data, encoding="utf-8")
        else:
            tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path
