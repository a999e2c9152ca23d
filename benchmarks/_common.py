"""Shared helpers for the benchmark scripts: make the repo importable, time things."""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def timed(fn: Callable[[], object], repeats: int = 5) -> tuple[float, float]:
    """(median, best) wall-clock seconds of ``fn()`` over ``repeats`` runs, after one warm-up."""
    fn()
    runs = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs), min(runs)
