"""Pictures of code windows, clock drift and attacks. Every function returns a matplotlib
``Figure``, built with ``matplotlib.figure.Figure`` (no pyplot state) from its inputs alone, so
the same call draws the same pixels every time; :func:`png` renders one to PNG bytes.

What's where: ``style`` (the one colour table), ``render`` (PNG bytes through a renderer that
rasterises each text once, which keeps explorer redraws quick), ``windows`` (code windows, the
countdown, acceptance curves: notebooks 02 and 03), ``drift`` (clock drift and populations of
phones: notebook 03), ``codes`` (how codes spread: notebook 02), ``attacks`` (the attacks of
notebooks 04 and 05; also importable as ``otpkit.attack_plots``).
"""

from __future__ import annotations

from .codes import (
    code_distribution,
)
from .drift import (
    DAY_MARKS,
    MINUTE_ABOVE,
    STYLES,
    DriftPlot,
    days_until_failure,
    drift_comparison,
    drift_over_days,
    population_histograms,
)
from .render import (
    png,
)
from .style import (
    ACCEPT,
    COLOURS,
    NEUTRAL,
    OTHER_COLOURS,
    PHONE,
    POLICY_COLOURS,
    REJECT,
    colour_of,
)
from .windows import (
    MAX_STEPS,
    CodeWindowsPlot,
    acceptance_curves,
    code_windows,
    countdown,
)

__all__ = [
    "ACCEPT",
    "COLOURS",
    "CodeWindowsPlot",
    "DAY_MARKS",
    "DriftPlot",
    "MAX_STEPS",
    "MINUTE_ABOVE",
    "NEUTRAL",
    "OTHER_COLOURS",
    "PHONE",
    "POLICY_COLOURS",
    "REJECT",
    "STYLES",
    "acceptance_curves",
    "code_distribution",
    "code_windows",
    "colour_of",
    "countdown",
    "days_until_failure",
    "drift_comparison",
    "drift_over_days",
    "png",
    "population_histograms",
]
