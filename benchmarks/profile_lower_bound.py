"""Where the lower bound's work goes: CPU seconds (user + system, ``time.process_time``, which a
machine shared with other work disturbs less than wall time) of the imports, of the whole run, and
of its known heavy parts (chart drawing and layout, PNG encoding, the 自评表 workbook, reading the
unit settings), each run in a fresh process, ``--repeat`` times; medians printed.

    PYTHONPATH=lib python benchmarks/profile_lower_bound.py --repeat 3
    PYTHONPATH=lib python benchmarks/profile_lower_bound.py --cprofile out.prof   # for pstats

Run from the project folder (or with ``JIXIAO_ROOT`` naming one).
"""

from __future__ import annotations

import argparse
import collections
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

PARTS = (
    ("matplotlib.backends.backend_agg", "FigureCanvasAgg", "draw", "charts: draw and lay out"),
    ("jixiao.writing.charts", None, "_palette_png", "charts: PNG palette and encoding"),
    ("jixiao.writing.charts", None, "text_boxes", "charts: text boxes (overlap checks)"),
    ("jixiao.render.xlsx", None, "selfeval_workbook_bytes", "自评表 workbook"),
    ("jixiao.inputs.settings", None, "load", "unit settings (YAML)"),
)


def measure() -> dict[str, float]:
    """One run in this process: CPU seconds by part."""
    import importlib

    spent: collections.Counter[str] = collections.Counter()
    start = time.process_time()
    sys.path.insert(0, str(HERE))
    import lower_bound

    imported = time.process_time()
    for module_name, owner, name, label in PARTS:
        target = importlib.import_module(module_name)
        if owner is not None:
            target = getattr(target, owner)
        original = getattr(target, name)

        def timed(*args, _original=original, _label=label, **kwargs):
            t = time.process_time()
            try:
                return _original(*args, **kwargs)
            finally:
                spent[_label] += time.process_time() - t

        setattr(target, name, timed)
    lower_bound.main()
    end = time.process_time()
    return {"imports": imported - start, "run (after imports)": end - imported, **spent}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cprofile", help="write a cProfile of one run to this file instead")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure()))
        return
    if args.cprofile:
        cmd = [sys.executable, "-m", "cProfile", "-o", args.cprofile, str(HERE / "lower_bound.py")]
        subprocess.run(cmd, check=True)
        return
    runs = [
        json.loads(
            subprocess.run([sys.executable, __file__, "--one"], check=True, capture_output=True, text=True).stdout
        )
        for _ in range(args.repeat)
    ]
    print(f"CPU seconds, median of {len(runs)} runs (min–max):")
    for label in runs[0]:
        values = [r.get(label, 0.0) for r in runs]
        print(f"  {label:<38} {statistics.median(values):6.2f}  ({min(values):.2f}–{max(values):.2f})")


if __name__ == "__main__":
    main()
