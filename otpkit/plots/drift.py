"""Clock drift: a phone's error over days, the window around it, when it starts failing, and a
population of phones."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from .. import sim
from ..core.errors import InvalidInput
from ..sim import checks
from .style import (
    ACCEPT,
    NEUTRAL,
    OTHER_COLOURS,
    PHONE,
    REJECT,
    _legend_above,
    _who,
    colour_of,
)


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
