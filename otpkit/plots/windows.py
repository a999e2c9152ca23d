"""Code windows: which steps a server accepts around its time, the countdown, and the chance a
code is accepted for each clock error."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle, Wedge

from .. import sim
from ..core.errors import InvalidInput
from ..core.otp import OtpParams, code_for_step, seconds_left, step_at
from ..sim import checks
from .style import (
    ACCEPT,
    NEUTRAL,
    PHONE,
    REJECT,
    _legend_above,
    _who,
    colour_of,
)

MAX_STEPS = 41  # the most steps a code-window figure draws


def _step_range(at: float, w: int, offset: float, delay: float, period: int, centre: int):
    """(server step, phone step, first step drawn, last step drawn) for a code-window figure."""
    server_step = step_at(at + delay, period)
    phone_step = step_at(max(at + offset, 0.0), period)
    lo = min(server_step + centre - w, phone_step) - 1
    hi = max(server_step + centre + w, phone_step) + 1
    if hi - lo > MAX_STEPS - 1:
        raise InvalidInput(
            f"that would draw {hi - lo + 1} steps; keep the window and the offset within "
            "about 20 steps (600 s)"
        )
    return server_step, phone_step, lo, hi


class CodeWindowsPlot:
    """A :func:`code_windows` figure that is built once and redrawn by moving its artists.

    :meth:`update` sets every artist from its arguments alone (nothing is left over from the
    previous call), so the same arguments draw the same pixels whatever came before. It is what
    ``WindowExplorer`` redraws on each slider move: rebuilding a Figure costs more than drawing it.

    Layout, bottom to top: the "now" and "server checks" lines show only below and above the
    boxes (the boxes' white faces cover them, so no line crosses a code); each box holds its code
    and its step number; the phone's label sits above the boxes on a white ground; the legend is
    outside the axes, above them.
    """

    def __init__(self, secret: str, params: OtpParams | None = None, *, slots: int = MAX_STEPS):
        self.secret = secret
        self.params = OtpParams() if params is None else params
        # Fixed margins rather than a layout engine: this figure is redrawn live.
        fig = Figure(figsize=(10, 2.9), dpi=100)
        fig.subplots_adjust(left=0.01, right=0.99, bottom=0.1, top=0.87)
        ax = fig.add_subplot()
        self.figure, self.ax = fig, ax
        self.span = ax.axvspan(0, 1, color=ACCEPT, alpha=0.15, label="accepted", zorder=0)
        self.codes, self.labels = [], []
        # One collection and plain texts rather than patches and ticks: this figure is redrawn live.
        for _ in range(slots):
            self.codes.append(
                ax.text(0, 0.6, "", ha="center", va="center", family="monospace", zorder=3)
            )
            self.labels.append(
                ax.text(0, 0.36, "", ha="center", va="center", fontsize=8, color=NEUTRAL, zorder=3)
            )
        self.boxes = ax.add_collection(
            PatchCollection([], facecolors="white", edgecolors=[], linewidths=[], zorder=2),
            autolim=False,
        )
        self.now = ax.axvline(0, color="black", linewidth=1.5, label="now (true time)", zorder=1)
        self.checks = ax.axvline(
            0, color="black", linestyle="--", linewidth=1, label="server checks", zorder=1
        )
        self.phone = ax.annotate(
            "",
            xy=(0, 0.82),
            xytext=(0, 0.95),
            ha="center",
            va="bottom",
            color=PHONE,
            zorder=4,
            bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"},
            arrowprops={"arrowstyle": "->", "color": PHONE},
        )
        ax.set_ylim(0, 1.12)
        ax.set_xticks([])
        ax.set_yticks([])
        self.legend = None
        self._legend_labels: tuple[str, ...] = ()

    def update(
        self,
        at: float,
        *,
        window: Any = 1,
        offset: float = 0.0,
        delay: float = 0.0,
        centre: int = 0,
    ) -> Figure:
        """Redraw for new inputs (see :func:`code_windows`); returns the figure."""
        w = sim.window_of(window)
        who = _who(window)
        offset = checks.number(offset, "the offset")
        delay = checks.number(delay, "the delay", low=0)
        period = self.params.period
        server_step, phone_step, lo, hi = _step_range(at, w, offset, delay, period, centre)
        first = max(lo, 0)
        if hi - first + 1 > len(self.codes):
            raise InvalidInput(
                f"this figure has room for {len(self.codes)} steps, not {hi - first + 1}"
            )
        ax = self.ax
        origin = server_step * period
        accepted_lo, accepted_hi = server_step + centre - w, server_step + centre + w
        self.span.set_x(accepted_lo * period - origin)
        self.span.set_width((accepted_hi - accepted_lo + 1) * period)
        self.span.set_label(
            f"accepted{f' by {who}' if who else ''}: {2 * w + 1} step{'s' if w else ''} "
            f"(window {w})"
        )
        fontsize = 11 if hi - lo <= 12 else 8 if hi - lo <= 20 else 6
        boxes, edges, widths = [], [], []
        for i, (code_text, label) in enumerate(zip(self.codes, self.labels, strict=True)):
            step = first + i
            if step > hi:
                for text in (code_text, label):
                    text.set_visible(False)
                    text.set_text("")
                continue
            x = step * period - origin
            is_phone = step == phone_step
            inside = accepted_lo <= step <= accepted_hi
            boxes.append(Rectangle((x + 0.5, 0.25), period - 1.0, 0.57))
            edges.append(PHONE if is_phone else (ACCEPT if inside else NEUTRAL))
            widths.append(2.5 if is_phone else 1.0)
            code_text.set_text(code_for_step(self.secret, step, self.params))
            code_text.set_x(x + period / 2)
            code_text.set_fontsize(fontsize)
            code_text.set_color("black" if inside or is_phone else NEUTRAL)
            code_text.set_visible(True)
            label.set_text(f"{step - server_step:+d}")
            label.set_x(x + period / 2)
            label.set_visible(True)
        self.boxes.set_paths(boxes)
        self.boxes.set_edgecolors(edges)
        self.boxes.set_linewidths(widths)
        now = at - origin
        self.now.set_xdata([now, now])
        self.checks.set_xdata([now + delay, now + delay])
        self.checks.set_visible(bool(delay))
        self.checks.set_label("server checks" if delay else "_server checks")
        phone_x = phone_step * period - origin + period / 2
        # Near an edge the label is anchored on its inner side, so it stays inside the axes:
        # about 70 px is half the label's width, out of the axes' 970 px.
        half = 70 / 970 * (hi - lo + 1) * period
        left, right = lo * period - origin, (hi + 1) * period - origin
        align = "left" if phone_x - half < left else "right" if phone_x + half > right else "center"
        text_x = {"left": left + 2, "right": right - 2}.get(align, phone_x)
        self.phone.set_text(f"phone shows ({offset:+.0f} s)")
        self.phone.set_horizontalalignment(align)
        self.phone.xy = (phone_x, 0.82)
        self.phone.set_position((text_x, 0.95))
        ax.set_xlim(lo * period - origin, (hi + 1) * period - origin)
        ax.set_xlabel(f"time steps of {period} s, counted from the server's current step")
        labels = (self.span.get_label(), self.now.get_label(), self.checks.get_label())
        if labels != self._legend_labels:
            # A new legend only when an entry changes; one text draws faster than a new legend.
            # Above the axes, outside them: it can never cover a code.
            self.legend = ax.legend(
                loc="lower left",
                bbox_to_anchor=(0.0, 1.0),
                borderaxespad=0.2,
                fontsize=8,
                ncols=3,
                frameon=False,
            )
            self._legend_labels = labels
        return self.figure


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

    Shaded: the steps the server accepts when it checks at ``at + delay`` (``window`` is a Policy,
    named in the legend, or a number of steps). Marked: the step the phone shows at ``at`` when
    its clock is ``offset`` seconds ahead. This is the kit's model of the check, not a server's
    answer.
    """
    params = OtpParams() if params is None else params
    w = sim.window_of(window)
    offset = checks.number(offset, "the offset")
    delay = checks.number(delay, "the delay", low=0)
    _, _, lo, hi = _step_range(at, w, offset, delay, params.period, centre)
    plot = CodeWindowsPlot(secret, params, slots=hi - max(lo, 0) + 1)
    return plot.update(at, window=window, offset=offset, delay=delay, centre=centre)


def countdown(at: float, period: int = 30) -> Figure:
    """The ring an app draws: how much of the current code's life is left at ``at``."""
    left = seconds_left(at, checks.period(period))
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
    period = checks.period(period)
    ws = [sim.window_of(w) for w in windows]
    if offsets is None:
        reach = (max(ws) + 2) * period
        offsets = np.linspace(-reach, reach, 481)
    x = checks.array(offsets, "the offsets")
    fig = Figure(figsize=(8, 3.6), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    for i, (w, raw) in enumerate(zip(ws, windows, strict=True)):
        colour = colour_of(raw, i)
        who = _who(raw)
        label = f"window {w}" + (f" ({who})" if who else "")
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
    _legend_above(ax, ncols=len(ws))
    return fig
