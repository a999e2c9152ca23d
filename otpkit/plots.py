"""Pictures of code windows and clock drift. Every function returns a matplotlib ``Figure``.

Figures are built with ``matplotlib.figure.Figure`` (no pyplot state), from their inputs alone,
so the same call draws the same pixels every time. :func:`png` renders one to PNG bytes.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib as mpl
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle, Wedge
from PIL import Image

from . import sim
from .errors import InvalidInput
from .otp import OtpParams, code_for_step, seconds_left, step_at
from .sim import checks

ACCEPT = "#2e7d32"
REJECT = "#c62828"
PHONE = "#1565c0"
NEUTRAL = "#9e9e9e"
COLOURS = ("#1565c0", "#ef6c00", "#2e7d32", "#6a1b9a", "#c62828", "#00838f")


class _TextCachingRenderer(RendererAgg):
    """An Agg renderer that rasterises each distinct text once and then pastes the pixels.

    Matplotlib renders text glyph by glyph in Python, which made text most of an explorer's
    redraw. Here a text is drawn into a small transparent buffer the first time it is seen (per
    string, font, size, angle, colour and dpi) and composited at a whole-pixel position after
    that, on a miss as on a hit: a text's pixels depend on nothing but its key and position.
    """

    _cache: dict[tuple, tuple[np.ndarray, int, int]] = {}
    _CACHE_LIMIT = 4000

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath or not s:
            return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        key = (
            s,
            prop.copy(),  # FontProperties hash and compare by value (family, size, weight...)
            float(angle),
            self.dpi,
            tuple(gc.get_rgb()),
            gc.get_alpha(),
            gc.get_forced_alpha(),
            gc.get_antialiased(),
            repr((features, language)),
            mpl.rcParams["text.hinting"],
            mpl.rcParams["text.hinting_factor"],
        )
        cached = self._cache.get(key)
        if cached is None:
            cached = self._rasterise(gc, s, prop, angle, mtext)
            if len(self._cache) >= self._CACHE_LIMIT:
                self._cache.clear()
            self._cache[key] = cached
        image, left, top = cached  # bottom row first; offsets from the anchor, y downwards
        if image.size:
            x0, y0 = round(x) + left, round(y) + top
            blit = self.new_gc()  # the text's clipping, but not its alpha: that is in the pixels
            blit.copy_properties(gc)
            blit.set_alpha(None)
            self.draw_image(blit, x0, self.height - y0 - image.shape[0], image)
            blit.restore()
        return None

    def _rasterise(self, gc, s, prop, angle, mtext):
        w, h, d = super().get_text_width_height_descent(s, prop, False)
        side = int(np.ceil(w + h + d)) + 8  # room for the text at any angle around the anchor
        buffer = RendererAgg(2 * side, 2 * side, self.dpi)
        gc2 = buffer.new_gc()
        gc2.copy_properties(gc)
        gc2.set_clip_rectangle(None)
        gc2.set_clip_path(None)
        RendererAgg.draw_text(buffer, gc2, side, side, s, prop, angle, False, mtext)
        gc2.restore()
        rgba = np.asarray(buffer.buffer_rgba())
        rows = np.flatnonzero(rgba[:, :, 3].any(axis=1))
        cols = np.flatnonzero(rgba[:, :, 3].any(axis=0))
        if not rows.size:
            return np.zeros((0, 0, 4), np.uint8), 0, 0
        r0, r1, c0, c1 = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
        # draw_image wants the bottom row first
        return (
            rgba[r1 - 1 : r0 - 1 if r0 else None : -1, c0:c1].copy(),
            int(c0) - side,
            int(r0) - side,
        )


class _TextCachingCanvas(FigureCanvasAgg):
    def get_renderer(self):
        w, h = self.get_width_height(physical=True)
        key = w, h, self.figure.dpi
        if self._lastKey != key:
            self.renderer = _TextCachingRenderer(w, h, self.figure.dpi)
            self._lastKey = key
        return self.renderer


def png(fig: Figure, dpi: float | None = None) -> bytes:
    """The figure as PNG bytes (RGB, no metadata), the same bytes for the same figure.

    Encoded by Pillow with light compression and no alpha channel: at the default level
    encoding costs more than drawing, and the explorers redraw on every slider move. Text is
    rasterised once per distinct string and reused (see ``_TextCachingRenderer``).
    """
    if dpi is not None and fig.dpi != dpi:
        fig.set_dpi(dpi)
    # Reuse the figure's canvas: its renderer is kept between redraws.
    canvas = fig.canvas if isinstance(fig.canvas, _TextCachingCanvas) else _TextCachingCanvas(fig)
    canvas.draw()
    image = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba())
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="png", compress_level=1)
    return buffer.getvalue()


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
    """

    def __init__(self, secret: str, params: OtpParams | None = None, *, slots: int = MAX_STEPS):
        self.secret = secret
        self.params = OtpParams() if params is None else params
        # Fixed margins rather than a layout engine: this figure is redrawn live.
        fig = Figure(figsize=(10, 2.8), dpi=100)
        fig.subplots_adjust(left=0.01, right=0.99, bottom=0.1, top=0.98)
        ax = fig.add_subplot()
        self.figure, self.ax = fig, ax
        self.span = ax.axvspan(0, 1, color=ACCEPT, alpha=0.15, label="accepted")
        self.codes, self.labels = [], []
        # One collection and plain texts rather than patches and ticks: this figure is redrawn live.
        for _ in range(slots):
            self.codes.append(ax.text(0, 0.525, "", ha="center", va="center", family="monospace"))
            self.labels.append(
                ax.text(0, 0.12, "", ha="center", va="center", fontsize=8, color=NEUTRAL)
            )
        self.boxes = ax.add_collection(
            PatchCollection([], facecolors="white", edgecolors=[], linewidths=[]), autolim=False
        )
        self.now = ax.axvline(0, color="black", linewidth=1.5, label="now (true time)")
        self.checks = ax.axvline(
            0, color="black", linestyle="--", linewidth=1, label="server checks"
        )
        self.phone = ax.annotate(
            "",
            xy=(0, 0.82),
            xytext=(0, 0.97),
            ha="center",
            color=PHONE,
            arrowprops={"arrowstyle": "->", "color": PHONE},
        )
        ax.set_ylim(0, 1.3)
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
        self.span.set_label(f"accepted: {2 * w + 1} step{'s' if w else ''} (window {w})")
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
            boxes.append(Rectangle((x + 0.5, 0.25), period - 1.0, 0.55))
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
        self.phone.set_text(f"phone shows ({offset:+.0f} s)")
        self.phone.xy = (phone_x, 0.82)
        self.phone.set_position((phone_x, 0.97))
        ax.set_xlim(lo * period - origin, (hi + 1) * period - origin)
        ax.set_xlabel(f"time steps of {period} s, counted from the server's current step")
        labels = (self.span.get_label(), self.now.get_label(), self.checks.get_label())
        if labels != self._legend_labels:
            # A new legend only when an entry changes; one text draws faster than a new legend.
            self.legend = ax.legend(loc="upper left", fontsize=8, ncols=3, frameon=False)
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

    Shaded: the steps the server accepts when it checks at ``at + delay``. Marked: the step the
    phone shows at ``at`` when its clock is ``offset`` seconds ahead.
    """
    params = OtpParams() if params is None else params
    w = sim.window_of(window)
    offset = checks.number(offset, "the offset")
    delay = checks.number(delay, "the delay", low=0)
    _, _, lo, hi = _step_range(at, w, offset, delay, params.period, centre)
    plot = CodeWindowsPlot(secret, params, slots=hi - max(lo, 0) + 1)
    return plot.update(at, window=w, offset=offset, delay=delay, centre=centre)


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


def _check_study(study: Any, device: Any) -> None:
    if not isinstance(study, sim.DriftStudy):
        raise InvalidInput("study must be a sim.DriftStudy (see sim.drift_study)")
    if (
        isinstance(device, bool)
        or not isinstance(device, (int, np.integer))
        or not (0 <= device < study.error.shape[0])
    ):
        raise InvalidInput(f"device must be from 0 to {study.error.shape[0] - 1}, not {device!r}")


class DriftPlot:
    """A :func:`drift_over_days` figure that is built once and redrawn by moving its artists.

    :meth:`update` sets every artist (and the y limits) from the study alone, so the same study
    draws the same pixels whatever was drawn before. ``DriftExplorer`` redraws one per slider move.
    """

    def __init__(self, title: str | None = None):
        fig = Figure(figsize=(8, 3.6), dpi=100)
        fig.subplots_adjust(left=0.09, right=0.98, bottom=0.13, top=0.92 if title else 0.97)
        ax = fig.add_subplot()
        self.figure, self.ax = fig, ax
        self.band = ax.fill_between(
            [0.0], [0.0], [0.0], step="mid", color=ACCEPT, alpha=0.12, label="accepted"
        )
        (self.error,) = ax.plot([], [], color=PHONE, linewidth=1, label="phone clock error")
        (self.ok,) = ax.plot([], [], "o", ms=3, color=ACCEPT, label="code accepted")
        (self.bad,) = ax.plot([], [], "x", ms=5, color=REJECT, label="code rejected")
        self.marks: list[Any] = []  # the first-failure line and note, when there is one
        ax.set_xlabel("day")
        ax.set_ylabel("phone clock error (s)")
        ax.grid(alpha=0.3)
        if title:
            ax.set_title(title, fontsize=10)
        self.legend = None
        self._legend_labels: tuple[str, ...] = ()

    def update(self, study: sim.DriftStudy, device: int = 0) -> Figure:
        """Redraw for ``study`` (see :func:`drift_over_days`); returns the figure."""
        _check_study(study, device)
        ax = self.ax
        p = study.period
        days, error = study.days, study.error[device]
        ok = study.accepted[device]
        centre = study.centre[device]
        self.band.set_data(
            days, (centre - study.window) * p - p / 2, (centre + study.window) * p + p / 2
        )
        self.band.set_label(
            f"accepted (window {study.window}"
            + (", centred on the recorded drift)" if study.track_drift else ")")
        )
        self.error.set_data(days, error)
        self.ok.set_data(days[ok], error[ok])
        self.bad.set_data(days[~ok], error[~ok])
        # The first-failure marks are made afresh (cheap), so that with no failure they are not
        # there at all: "best" legend placement avoids even hidden artists.
        for artist in self.marks:
            artist.remove()
        self.marks = []
        first = study.first_failure_day[device]
        if np.isfinite(first):
            self.marks = [
                ax.axvline(first, color=REJECT, linestyle="--", linewidth=1),
                ax.annotate(
                    f"first failure: day {first:g}",
                    xy=(first, 0.95),
                    xycoords=("data", "axes fraction"),
                    color=REJECT,
                    fontsize=9,
                    ha="right",
                    va="top",
                    rotation=90,
                ),
            ]
        ax.set_xlim(0, days[-1] + days[0])
        ax.relim()
        ax.autoscale_view(scalex=False)
        labels = (self.band.get_label(),)
        if labels != self._legend_labels:
            self.legend = ax.legend(fontsize=8, loc="best")
            self._legend_labels = labels
        return self.figure


def drift_over_days(study: sim.DriftStudy, device: int = 0, title: str | None = None) -> Figure:
    """One device's clock error over the days of a drift study, its sign-ins and first failure.

    The band is what the server accepts (in seconds of error, for a read moment mid-step); with
    drift tracking it moves with the recorded drift.
    """
    _check_study(study, device)
    return DriftPlot(title).update(study, device)


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
