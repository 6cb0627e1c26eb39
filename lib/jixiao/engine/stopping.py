"""The build's one stop flag, read by the sections' execution and by the kernels alike (both import
it from here, neither from the other)."""

from __future__ import annotations

import threading

INTERRUPTED = threading.Event()
"""Set when the build stops early (``kernels.kill_all``): running sections are abandoned, not
reported, and no kernel starts."""
