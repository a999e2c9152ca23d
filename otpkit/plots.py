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
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator
from PIL import Image

from . import sim
from .errors import InvalidInput
from .otp import OtpParams, code_for_step, seconds_left, step_at
from .sim import checks

# The kit's one colour table: figures and widgets (explorers, attack plots) take colours from here.
ACCEPT = "#2e7d32"
REJECT = "#c62828"
PHONE = "#1565c0"
NEUTRAL = "#9e9e9e"
COLOURS = ("#1565c0", "#ef6c00", "#2e7d32", "#6a1b9a", "#c62828", "#00838f")
# Each policy keeps its colour in every figure, so today's Misskey is always blue and the
# Misskey of 2023.9-2026.5 always orange.
POLICY_COLOURS = {
    "misskey": "#1565c0",
    "misskey-2025": "#ef6c00",
    "rfc6238": "#6a1b9a",
    "hardened": "#00838f",
    "django-otp": "#827717",
    "devise": "#6d4c41",
}


# Curves that are no policy (a bare window number) take these, never a policy's colour.
OTHER_COLOURS = ("#424242", "#c2185b", "#8d6e63", "#9e9d24")


def colour_of(policy: Any, index: int = 0) -> str:
    """A policy's colour from ``POLICY_COLOURS``; anything else ``OTHER_COLOURS[index]``."""
    name = getattr(policy, "name", None)
    if name in POLICY_COLOURS:
        return POLICY_COLOURS[name]
    return OTHER_COLOURS[index % len(OTHER_COLOURS)]


def _who(policy: Any) -> str | None:
    """The name a figure gives a policy (its version for Misskey), or None for a bare window."""
    return getattr(policy, "title", None) or getattr(policy, "name", None)


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


def _check_study(study: Any, device: Any) -> None:
    if not isinstance(study, sim.DriftStudy):
        raise InvalidInput("study must be a sim.DriftStudy (see sim.drift_study)")
    if (
        isinstance(device, bool)
        or not isinstance(device, (int, np.integer))
        or not (0 <= device < study.error.shape[0])
    ):
        raise InvalidInput(f"device must be from 0 to {study.error.shape[0] - 1}, not {device!r}")


MINUTE_ABOVE = 600.0  # clock errors beyond 10 minutes are drawn in minutes, not seconds


def _error_unit(studies: Sequence[sim.DriftStudy], device: int) -> tuple[float, str]:
    """Seconds, or minutes when the errors (or the accepted band) grow large."""
    top = 0.0
    for s in studies:
        band = (float(np.max(np.abs(s.centre[device]))) + s.window + 1) * s.period
        top = max(top, float(np.max(np.abs(s.error[device]))), band)
    return (60.0, "min") if top > MINUTE_ABOVE else (1.0, "s")


class _DriftPanel:
    """One axes of a drift figure: the accepted band, the clock error, each sign-in, and a note
    at the first refused code placed where the curve is not."""

    def __init__(self, ax: Any):
        self.ax = ax
        self.band = ax.fill_between(
            [0.0], [0.0], [0.0], step="mid", color=ACCEPT, alpha=0.12, label="accepted", zorder=0
        )
        (self.error,) = ax.plot([], [], color=PHONE, linewidth=1, label="phone clock error")
        (self.ok,) = ax.plot([], [], "o", ms=3, color=ACCEPT, label="code accepted")
        (self.bad,) = ax.plot([], [], "x", ms=5, color=REJECT, label="code refused")
        self.marks: list[Any] = []  # the first-failure line and note, when there is one
        ax.set_xlabel("day")
        ax.grid(alpha=0.3)

    def update(self, study: sim.DriftStudy, device: int, unit: tuple[float, str]) -> None:
        ax = self.ax
        scale, name = unit
        p = study.period
        days, error = study.days, study.error[device] / scale
        ok = study.accepted[device]
        centre = study.centre[device]
        self.band.set_data(
            days,
            ((centre - study.window) * p - p / 2) / scale,
            ((centre + study.window) * p + p / 2) / scale,
        )
        self.band.set_label(
            f"accepted (window {study.window}"
            + (" around the recorded drift)" if study.track_drift else ")")
        )
        self.error.set_data(days, error)
        self.ok.set_data(days[ok], error[ok])
        self.bad.set_data(days[~ok], error[~ok])
        # No legend entry for markers that are not drawn ("_" hides a label).
        self.ok.set_label("code accepted" if ok.any() else "_code accepted")
        self.bad.set_label("code refused" if (~ok).any() else "_code refused")
        ax.set_ylabel(f"phone clock error ({name})")
        ax.set_xlim(0, days[-1] + days[0])
        ax.relim()
        ax.autoscale_view(scalex=False)
        # The first-failure marks are made afresh (cheap), so that with no failure they are not
        # there at all.
        for artist in self.marks:
            artist.remove()
        self.marks = []
        first = study.first_failure_day[device]
        if np.isfinite(first):
            self.marks = [ax.axvline(first, color=REJECT, linestyle="--", linewidth=1)]
            self.marks.append(self._note(first, days, error))

    def _note(self, first: float, days: np.ndarray, error: np.ndarray) -> Any:
        """ "first failure: day N" beside the line, in the half of the axes the curve is not in
        over the days the note spans (the note is a few days wide)."""
        ax = self.ax
        (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
        right = first <= x0 + 0.6 * (x1 - x0)  # room to the right of the line?
        span = 0.3 * (x1 - x0)
        near = (days >= first) & (days <= first + span) if right else (days <= first)
        near &= days >= first - span
        middle = (y0 + y1) / 2
        values = error[near] if near.any() else error
        low_free = bool(np.all(values > y0 + 0.25 * (y1 - y0)))
        high_free = bool(np.all(values < y1 - 0.25 * (y1 - y0)))
        bottom = low_free or (not high_free and float(np.median(values)) > middle)
        return ax.annotate(
            f"first failure: day {first:g}",
            xy=(first, 0.03 if bottom else 0.97),
            xycoords=("data", "axes fraction"),
            xytext=(4 if right else -4, 0),
            textcoords="offset points",
            color=REJECT,
            fontsize=9,
            ha="left" if right else "right",
            va="bottom" if bottom else "top",
            bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"},
        )

    def labels(self) -> tuple[str, ...]:
        return tuple(a.get_label() for a in (self.band, self.error, self.ok, self.bad))


def _legend_above(ax: Any, ncols: int = 4) -> Any:
    """A legend outside the axes, above them, holding only the labels that are drawn."""
    return ax.legend(
        loc="lower left",
        bbox_to_anchor=(0.0, 1.0),
        borderaxespad=0.2,
        fontsize=8,
        ncols=ncols,
        frameon=False,
    )


class DriftPlot:
    """A :func:`drift_over_days` figure that is built once and redrawn by moving its artists.

    :meth:`update` sets every artist (and the y limits) from the study alone, so the same study
    draws the same pixels whatever was drawn before. ``DriftExplorer`` redraws one per slider move.
    """

    def __init__(self, title: str | None = None):
        fig = Figure(figsize=(8, 3.8), dpi=100)
        fig.subplots_adjust(left=0.09, right=0.98, bottom=0.13, top=0.80 if title else 0.88)
        if title:
            fig.suptitle(title, fontsize=10, y=0.98)
        ax = fig.add_subplot()
        self.figure, self.ax = fig, ax
        self.panel = _DriftPanel(ax)
        self.legend = None
        self._legend_labels: tuple[str, ...] = ()

    @property
    def marks(self) -> list[Any]:
        return self.panel.marks

    def update(self, study: sim.DriftStudy, device: int = 0) -> Figure:
        """Redraw for ``study`` (see :func:`drift_over_days`); returns the figure."""
        _check_study(study, device)
        self.panel.update(study, device, _error_unit([study], device))
        labels = self.panel.labels()
        if labels != self._legend_labels:
            self.legend = _legend_above(self.ax)
            self._legend_labels = labels
        return self.figure


def drift_over_days(study: sim.DriftStudy, device: int = 0, title: str | None = None) -> Figure:
    """One device's clock error over the days of a drift study, its sign-ins and first failure.

    The band is what the server accepts (in seconds of error, for a read moment mid-step); with
    drift tracking it moves with the recorded drift. This is the kit's simulation.
    """
    _check_study(study, device)
    return DriftPlot(title).update(study, device)


def drift_comparison(studies: Mapping[str, sim.DriftStudy], device: int = 0) -> Figure:
    """The same phone under several servers, side by side on one scale: one panel per study,
    titled by its key (a policy's version and window, say). One legend above the panels."""
    if not studies or not all(isinstance(s, sim.DriftStudy) for s in studies.values()):
        raise InvalidInput("studies must map names to sim.DriftStudy results")
    for study in studies.values():
        _check_study(study, device)
    fig = Figure(figsize=(4 * len(studies) + 1, 3.6), dpi=100)
    fig.subplots_adjust(left=0.07, right=0.99, bottom=0.14, top=0.8, wspace=0.08)
    axes = np.atleast_1d(fig.subplots(1, len(studies), sharey=True))
    unit = _error_unit(list(studies.values()), device)
    panels = []
    for ax, (name, study) in zip(axes, studies.items(), strict=True):
        panel = _DriftPanel(ax)
        ax.set_title(name, fontsize=10)
        panels.append(panel)
        panel.update(study, device, unit)
    # Every panel's y range, then the notes once more (they depend on the shared range).
    for panel, study in zip(panels, studies.values(), strict=True):
        panel.update(study, device, unit)
    for ax in axes[1:]:
        ax.set_ylabel("")
    handles: dict[str, Any] = {}  # each label once, in panel order; one entry for the bands
    for ax in axes:
        for handle, label in zip(*ax.get_legend_handles_labels(), strict=True):
            if label.startswith("accepted ("):
                label = "accepted by that panel's server"
            handles.setdefault(label, handle)
    fig.legend(
        list(handles.values()),
        list(handles),
        loc="upper left",
        bbox_to_anchor=(0.06, 1.0),
        fontsize=8,
        ncols=len(handles),
        frameon=False,
    )
    return fig


DAY_MARKS = (
    (1.0, "1 day"),
    (7.0, "1 week"),
    (365.25 / 12, "1 month"),
    (365.25, "1 year"),
    (3652.5, "10 years"),
)


def days_until_failure(
    policies: Sequence[Any],
    skews: Any = None,
    *,
    delay: float = 5.0,
    period: int = 30,
) -> Figure:
    """How long a phone whose clock drifts keeps working, against its skew, one band per server.

    For servers that do not track drift (closed form, ``sim.time_to_failure``): the band runs
    from the day a code can first be refused (read at the worst moment) to the day every code
    is. The time axis is in days, weeks, months and years, on a log scale.
    """
    if not policies:
        raise InvalidInput("give at least one policy or window")
    if any(getattr(p, "track_drift", False) for p in policies):
        raise InvalidInput("a server that tracks drift has no fixed deadline: leave it out")
    x = checks.array(np.geomspace(2, 500, 200) if skews is None else skews, "the skews")
    if x.ndim != 1 or x.size < 2 or np.any(x <= 0):
        raise InvalidInput("the skews must be at least two positive numbers of ppm")
    fig = Figure(figsize=(8, 3.8), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    for i, policy in enumerate(policies):
        times = [sim.time_to_failure(s, policy, delay=delay, period=period) for s in x]
        first = np.array([t.first_possible_days for t in times])
        always = np.array([t.certain_days for t in times])
        colour = colour_of(policy, i)
        w = sim.window_of(policy)
        who = _who(policy)
        ax.fill_between(x, first, always, color=colour, alpha=0.2, linewidth=0)
        ax.plot(x, first, color=colour, label=f"{who + ', ' if who else ''}window {w}")
        ax.plot(x, always, color=colour, linewidth=0.8, linestyle="--")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.xaxis.set_major_locator(FixedLocator([2, 5, 10, 20, 50, 100, 200, 500]))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.xaxis.set_minor_locator(NullLocator())
    lo, hi = ax.get_ylim()
    marks = [(d, t) for d, t in DAY_MARKS if lo <= d <= hi] or list(DAY_MARKS[:2])
    ax.yaxis.set_major_locator(FixedLocator([d for d, _ in marks]))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: dict(marks).get(v, "")))
    ax.yaxis.set_minor_locator(NullLocator())
    ax.set_xlabel(f"clock skew (ppm, parts per million; {1e6 / sim.DAY:.1f} ppm = 1 s a day)")
    ax.set_ylabel("time until codes fail")
    ax.grid(alpha=0.3)
    ax.legend(
        fontsize=8,
        loc="upper right",
        title="solid: a code can fail; dashed: every code fails",
        title_fontsize=8,
    )
    return fig


STYLES = ("-", "--", ":", "-.")  # curves that may lie on top of each other stay visible


def population_histograms(
    studies: Mapping[str, sim.DriftStudy], colours: Sequence[str] | None = None
) -> Figure:
    """Several drift studies of one population side by side: final clock errors, refusals over
    time, and first-refusal days. ``colours``: one per study (e.g. ``colour_of(policy)``).

    Each study has its own line style too, so curves that coincide (at 0, say) all stay visible;
    the legend is above the panels, clear of the data.
    """
    if not studies or not all(isinstance(s, sim.DriftStudy) for s in studies.values()):
        raise InvalidInput("studies must map names to sim.DriftStudy results")
    if colours is not None and len(colours) != len(studies):
        raise InvalidInput("give one colour per study")
    first = next(iter(studies.values()))
    fig = Figure(figsize=(11, 3.6), dpi=100, layout="constrained")
    ax_err, ax_rate, ax_first = fig.subplots(1, 3)
    final = first.error[:, -1]
    ax_err.hist(final, bins=40, color=NEUTRAL, log=True)
    ax_err.set_xlabel(f"clock error on day {first.days[-1]:g} (s)")
    ax_err.set_ylabel("phones")
    bins = np.linspace(0, first.days[-1], 31)
    for i, (name, study) in enumerate(studies.items()):
        colour = colours[i] if colours is not None else OTHER_COLOURS[i % len(OTHER_COLOURS)]
        style = STYLES[i % len(STYLES)]
        days = study.first_failure_day
        ax_rate.plot(
            study.days,
            100 * study.failure_rate,
            color=colour,
            linestyle=style,
            linewidth=1.5,
            label=f"{name}: {np.isfinite(days).mean():.2%} of phones ever refused",
        )
        ax_first.hist(
            days[np.isfinite(days)], bins=bins, histtype="step", color=colour, linestyle=style
        )
    ax_rate.set_xlabel("day")
    ax_rate.set_ylabel("sign-ins refused (%)")
    ax_first.set_xlabel("day of the first refused code")
    ax_first.set_ylabel("phones")
    for ax in (ax_err, ax_rate, ax_first):
        ax.grid(alpha=0.3)
    fig.legend(loc="outside upper center", ncols=len(studies), fontsize=8, frameon=False)
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
