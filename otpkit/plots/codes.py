"""How evenly codes spread over their range."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure

from .. import sim
from ..sim import checks
from .style import NEUTRAL, PHONE


def code_distribution(codes: Any, digits: int = 6, bins: int = 20) -> Figure:
    """Left: how real codes spread over their range. Right: dynamic truncation's exact bias."""
    values = checks.codes(codes, digits)
    bins = checks.count(bins, "bins", low=2)
    bias = sim.truncation_bias(digits)
    fig = Figure(figsize=(10, 3.4), dpi=100, layout="constrained")
    ax_hist, ax_bias = fig.subplots(1, 2)
    top = 10**digits
    ax_hist.hist(values, bins=np.linspace(0, top, bins + 1), color=NEUTRAL, edgecolor="white")
    ax_hist.axhline(values.size / bins, color="black", linestyle="--", label="perfectly even")
    ax_hist.set_xlabel(f"code value ({values.size:,} codes)")
    ax_hist.set_ylabel("codes per bin")
    ax_hist.legend(fontsize=8)
    common, rare = float(bias.p_common * top), float(bias.p_rare * top)
    ax_bias.step(
        [0, bias.remainder, top],
        [common, rare, rare],
        where="post",
        color=PHONE,
        label="exact chance of each code",
    )
    ax_bias.axhline(1.0, color="black", linestyle="--", linewidth=1, label="perfectly even")
    ax_bias.set_xlabel(f"code value ({digits} digits)")
    ax_bias.set_ylabel("chance relative to even")
    ax_bias.set_title(f"2^31 = {bias.full:,} x 10^{digits} + {bias.remainder:,}", fontsize=9)
    ax_bias.legend(fontsize=8)
    ax_bias.ticklabel_format(axis="y", useOffset=False)
    for ax in (ax_hist, ax_bias):
        ax.ticklabel_format(axis="x", style="plain")
        ax.grid(alpha=0.3)
    return fig
