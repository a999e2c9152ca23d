"""Pictures of code windows and clock drift. Every function returns a matplotlib ``Figure``.

Figures are built with ``matplotlib.figure.Figure`` (no pyplot state), from their inputs alone,
so the same call draws the same pixels every time. :func:`png` renders one to PNG bytes.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle, Wedge
from PIL import Image

from . import sim
from .errors import InvalidInput
from .otp import OtpParams, code_for_step, seconds_left, step_at

ACCEPT = "#2e7d32"
REJECT = "#c62828"
PHONE = "#1565c0"
NEUTRAL = "#9e9e9e"
COLOURS = ("#1565c0", "#ef6c00", "#2e7d32", "#6a1b9a", "#c62828", "#00838f")


def png(fig: Figure, dpi: float | None = None) -> bytes:
    """The figure as PNG bytes (RGB, no metadata), the same bytes for the same figure.

    Encoded by Pillow with light compression and no alpha channel: at the default level
    encoding costs more than drawing, and the explorers redraw on every slider move.
    """
    if dpi is not None:
        fig.set_dpi(dpi)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    image = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba())
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="png", compress_level=1)
    return buffer.getvalue()


def code_windows(
    secret: str,
    at: float,
    *,
    window: Any = 1,
    offset: float = 0.0,
    delay: float = 0.0,
    params: OtpParams | None = None,
    centre: int = 0,
) -> Figure:
    """The time steps around ``at``, each labelled with its code.

    Shaded: the steps the server accepts when it checks at ``at + delay``. Marked: the step the
    phone shows at ``at`` when its clock is ``offset`` seconds ahead.
    """
    params = OtpParams() if params is None else params
    w = sim.window_of(window)
    offset = sim._number(offset, "the offset")
    delay = sim._number(delay, "the delay", low=0)
    period = params.period
    server_step = step_at(at + delay, period)
    phone_step = step_at(max(at + offset, 0.0), period)
    lo = min(server_step + centre - w, phone_step) - 1
    hi = max(server_step + centre + w, phone_step) + 1
    if hi - lo > 40:
        raise InvalidInput(
            f"that would draw {hi - lo + 1} steps; keep the window and the offset within "
            "about 20 steps (600 s)"
        )
    # Fixed margins rather than a layout engine: this figure is redrawn live by WindowExplorer.
    fig = Figure(figsize=(10, 2.8), dpi=100)
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.1, top=0.98)
    ax = fig.add_subplot()
    origin = server_step * period
    accepted_lo, accepted_hi = server_step + centre - w, server_step + centre + w
    ax.axvspan(
        (accepted_lo * period - origin),
        ((accepted_hi + 1) * period - origin),
        color=ACCEPT,
        alpha=0.15,
        label=f"accepted: {2 * w + 1} step{'s' if w else ''} (window {w})",
    )
    fontsize = 11 if hi - lo <= 12 else 8 if hi - lo <= 20 else 6
    boxes, edges, widths = [], [], []
    # One collection and plain texts rather than patches and ticks: this figure is redrawn live.
    for step in range(max(lo, 0), hi + 1):
        x = step * period - origin
        is_phone = step == phone_step
        inside = accepted_lo <= step <= accepted_hi
        boxes.append(Rectangle((x + 0.5, 0.25), period - 1.0, 0.55))
        edges.append(PHONE if is_phone else (ACCEPT if inside else NEUTRAL))
        widths.append(2.5 if is_phone else 1.0)
        code = code_for_step(secret, step, params)
        ax.text(
            x + period / 2,
            0.525,
            code,
            ha="center",
            va="center",
            fontsize=fontsize,
            family="monospace",
            color="black" if inside or is_phone else NEUTRAL,
        )
        ax.text(
            x + period / 2,
            0.12,
            f"{step - server_step:+d}",
            ha="center",
            va="center",
            fontsize=8,
            color=NEUTRAL,
        )
    ax.add_collection(
        PatchCollection(boxes, facecolors="white", edgecolors=edges, linewidths=widths),
        autolim=False,
    )
    now = at - origin
    ax.axvline(now, color="black", linewidth=1.5, label="now (true time)")
    if delay:
        ax.axvline(now + delay, color="black", linestyle="--", linewidth=1, label="server checks")
    phone_x = phone_step * period - origin + period / 2
    ax.annotate(
        f"phone shows ({offset:+.0f} s)",
        xy=(phone_x, 0.82),
        xytext=(phone_x, 0.97),
        ha="center",
        color=PHONE,
        arrowprops={"arrowstyle": "->", "color": PHONE},
    )
    ax.set_xlim(lo * period - origin, (hi + 1) * period - origin)
    ax.set_ylim(0, 1.3)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel(f"time steps of {period} s, counted from the server's current step")
    ax.legend(loc="upper left", fontsize=8, ncols=3, frameon=False)
    return fig


def countdown(at: float, period: int = 30) -> Figure:
    """The ring an app draws: how much of the current code's life is left at ``at``."""
    left = seconds_left(at, sim._period(period))
    fig = Figure(figsize=(2.6, 2.6), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    ax.add_patch(Wedge((0, 0), 1, 0, 360, width=0.25, color="#e0e0e0"))
    colour = REJECT if left <= 5 else PHONE
    ax.add_patch(Wedge((0, 0), 1, 90, 90 + 360 * left / period, width=0.25, color=colour))
    ax.text(0, 0, f"{left:.0f} s", ha="center", va="center", fontsize=20)
    ax.set_xlim(-1.1, 1.1)
    ax.set_ylim(-1.1, 1.1)
    ax.set_aspect("equal")
    ax.axis("off")
    return fig


def acceptance_curves(
    windows: Sequence[Any] = (0, 1, 5),
    *,
    delay: Any = 0.0,
    offsets: Any = None,
    period: int = 30,
    rng: np.random.Generator | None = None,
    samples: int = 20_000,
) -> Figure:
    """Chance of acceptance against the phone's offset, one curve per window (exact).

    With ``rng``, Monte Carlo estimates (``samples`` sign-ins per point) are drawn as dots.
    """
    if not windows:
        raise InvalidInput("give at least one window")
    period = sim._period(period)
    ws = [sim.window_of(w) for w in windows]
    if offsets is None:
        reach = (max(ws) + 2) * period
        offsets = np.linspace(-reach, reach, 481)
    x = sim._array(offsets, "the offsets")
    fig = Figure(figsize=(8, 3.6), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    for i, (w, raw) in enumerate(zip(ws, windows, strict=True)):
        colour = COLOURS[i % len(COLOURS)]
        name = getattr(raw, "name", None)
        label = f"window {w}" + (f" ({name})" if name else "")
        ax.plot(
            x, sim.acceptance_probability(x, w, delay, period=period), color=colour, label=label
        )
        if rng is not None:
            dots = np.linspace(x.min(), x.max(), 25)
            est = sim.acceptance_monte_carlo(dots, w, rng, delay, n=samples, period=period)
            ax.errorbar(dots, est.value, yerr=4 * est.stderr, fmt="o", ms=3, color=colour)
    ax.set_xlabel("phone clock offset (s, positive = ahead)")
    ax.set_ylabel("chance the code is accepted")
    ax.set_ylim(-0.03, 1.05)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return fig


def drift_over_days(study: sim.DriftStudy, device: int = 0, title: str | None = None) -> Figure:
    """One device's clock error over the days of a drift study, its sign-ins and first failure.

    The band is what the server accepts (in seconds of error, for a read moment mid-step); with
    drift tracking it moves with the recorded drift.
    """
    if not isinstance(study, sim.DriftStudy):
        raise InvalidInput("study must be a sim.DriftStudy (see sim.drift_study)")
    if (
        isinstance(device, bool)
        or not isinstance(device, (int, np.integer))
        or not (0 <= device < study.error.shape[0])
    ):
        raise InvalidInput(f"device must be from 0 to {study.error.shape[0] - 1}, not {device!r}")
    p = study.period
    days, error = study.days, study.error[device]
    ok = study.accepted[device]
    centre = study.centre[device]
    fig = Figure(figsize=(8, 3.6), dpi=100)
    fig.subplots_adjust(left=0.09, right=0.98, bottom=0.13, top=0.92 if title else 0.97)
    ax = fig.add_subplot()
    ax.fill_between(
        days,
        (centre - study.window) * p - p / 2,
        (centre + study.window) * p + p / 2,
        step="mid",
        color=ACCEPT,
        alpha=0.12,
        label=f"accepted (window {study.window}"
        + (", centred on the recorded drift)" if study.track_drift else ")"),
    )
    ax.plot(days, error, color=PHONE, linewidth=1, label="phone clock error")
    ax.plot(days[ok], error[ok], "o", ms=3, color=ACCEPT, label="code accepted")
    ax.plot(days[~ok], error[~ok], "x", ms=5, color=REJECT, label="code rejected")
    first = study.first_failure_day[device]
    if np.isfinite(first):
        ax.axvline(first, color=REJECT, linestyle="--", linewidth=1)
        ax.annotate(
            f"first failure: day {first:g}",
            xy=(first, 0.95),
            xycoords=("data", "axes fraction"),
            color=REJECT,
            fontsize=9,
            ha="right",
            va="top",
            rotation=90,
        )
    ax.set_xlabel("day")
    ax.set_ylabel("phone clock error (s)")
    ax.set_xlim(0, days[-1] + days[0])
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="best")
    if title:
        ax.set_title(title, fontsize=10)
    return fig


def population_histograms(studies: Mapping[str, sim.DriftStudy]) -> Figure:
    """Several drift studies of one population side by side: final clock errors, failure rate
    over time, and first-failure days."""
    if not studies or not all(isinstance(s, sim.DriftStudy) for s in studies.values()):
        raise InvalidInput("studies must map names to sim.DriftStudy results")
    first = next(iter(studies.values()))
    fig = Figure(figsize=(11, 3.4), dpi=100, layout="constrained")
    ax_err, ax_rate, ax_first = fig.subplots(1, 3)
    final = first.error[:, -1]
    ax_err.hist(final, bins=40, color=NEUTRAL, log=True)
    ax_err.set_xlabel(f"clock error on day {first.days[-1]:g} (s)")
    ax_err.set_ylabel("phones")
    bins = np.linspace(0, first.days[-1], 31)
    for i, (name, study) in enumerate(studies.items()):
        colour = COLOURS[i % len(COLOURS)]
        ax_rate.plot(study.days, 100 * study.failure_rate, color=colour, label=name)
        days = study.first_failure_day
        ax_first.hist(
            days[np.isfinite(days)],
            bins=bins,
            histtype="step",
            color=colour,
            label=f"{name}: {np.isfinite(days).mean():.1%} ever fail",
        )
    ax_rate.set_xlabel("day")
    ax_rate.set_ylabel("sign-ins rejected (%)")
    ax_rate.legend(fontsize=8)
    ax_first.set_xlabel("day of the first rejected code")
    ax_first.set_ylabel("phones")
    ax_first.legend(fontsize=8)
    for ax in (ax_err, ax_rate, ax_first):
        ax.grid(alpha=0.3)
    return fig


def code_distribution(codes: Any, digits: int = 6, bins: int = 20) -> Figure:
    """Left: how real codes spread over their range. Right: dynamic truncation's exact bias."""
    values = sim._codes(codes, digits)
    bins = sim._count(bins, "bins", low=2)
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
