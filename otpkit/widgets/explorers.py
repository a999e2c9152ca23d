"""Explorers: sliders that redraw a code-window timeline or a drift chart as they move.

Each explorer is a VBox. Callbacks only set widget values (an ``Image`` holding the PNG and an
``HTML`` summary); nothing is printed, so notebooks replay cleanly under nbval.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import numpy as np

from .. import plots, sim
from ..clock import Clock
from ..errors import InvalidInput
from ..otp import OtpParams, code_at, matching_offset, normalize_secret, step_at
from ..policy import POLICIES
from ..sim import checks

DPI = 80  # explorer images: smaller, so a redraw stays well under 150 ms (see bench_explorers)
_SLIDER = {"continuous_update": False, "style": {"description_width": "initial"}}


class WindowExplorer(widgets.VBox):
    """Move the phone's clock, the server's window and the delay; watch which codes pass."""

    def __init__(
        self,
        secret: str,
        clock: Clock,
        *,
        params: OtpParams | None = None,
        offset: float = 0.0,
        window: Any = 5,
        delay: float = 5.0,
    ):
        self.secret = normalize_secret(secret)
        self.clock = clock
        self.params = OtpParams() if params is None else params
        self.redraws = 0
        self.offset = widgets.FloatSlider(
            value=checks.number(offset, "the offset"),
            min=-300,
            max=300,
            step=1,
            description="phone clock offset (s)",
            **_SLIDER,
        )
        self.window = widgets.IntSlider(
            value=sim.window_of(window), min=0, max=10, description="window (steps)", **_SLIDER
        )
        self.delay = widgets.FloatSlider(
            value=checks.number(delay, "the delay", low=0),
            min=0,
            max=60,
            step=1,
            description="typing + network delay (s)",
            **_SLIDER,
        )
        # One figure, redrawn in place on each move (building a new Figure costs more than drawing).
        self.plot = plots.CodeWindowsPlot(self.secret, self.params)
        self.image = widgets.Image(format="png", layout={"width": "100%"})
        self.summary = widgets.HTML()
        for slider in (self.offset, self.window, self.delay):
            slider.observe(self.redraw, names="value")
        super().__init__(
            [widgets.HBox([self.offset, self.window, self.delay]), self.image, self.summary]
        )
        self.redraw()

    def verdict(self) -> tuple[str, bool]:
        """The code the phone shows, and whether the server accepts it (real codes, real check)."""
        at = self.clock.now()
        code = code_at(self.secret, max(at + self.offset.value, 0.0), self.params)
        found = matching_offset(
            self.secret, code, at + self.delay.value, self.params, self.window.value
        )
        return code, found is not None

    def redraw(self, change: Any = None) -> None:
        """Draw the timeline and the summary for the sliders' current values."""
        at = self.clock.now()
        fig = self.plot.update(
            at, window=self.window.value, offset=self.offset.value, delay=self.delay.value
        )
        self.image.value = plots.png(fig, dpi=DPI)
        code, ok = self.verdict()
        period = self.params.period
        delta = step_at(max(at + self.offset.value, 0.0), period) - step_at(
            at + self.delay.value, period
        )
        outcome = (
            '<b style="color:#2e7d32">accepted</b>'
            if ok
            else '<b style="color:#c62828">rejected</b>'
        )
        self.summary.value = (
            f"The phone shows <code>{code}</code>, from step {delta:+d} as the server counts; "
            f"the server accepts steps {-self.window.value:+d} to {self.window.value:+d}: "
            f"{outcome}."
        )
        self.redraws += 1

    def __repr__(self) -> str:
        return (
            f"WindowExplorer(offset={self.offset.value:g}, window={self.window.value}, "
            f"delay={self.delay.value:g})"
        )


class DriftExplorer(widgets.VBox):
    """Pick a clock skew, a number of days and a server policy; see when sign-ins start failing.

    One phone signs in once a day; read moments and delays come from ``seed``, so the same
    settings always draw the same chart.
    """

    def __init__(
        self,
        *,
        skew_ppm: float = 50.0,
        days: int = 30,
        policy: str = "misskey",
        seed: int = 7,
        delay: sim.Delay | None = None,
    ):
        if str(policy) not in POLICIES:
            raise InvalidInput(f"no policy called {policy!r}; choose one of {', '.join(POLICIES)}")
        self.seed = checks.count(seed, "seed", low=0)
        self.delay = sim.Delay(2.0, 10.0) if delay is None else delay
        self.redraws = 0
        self.study: sim.DriftStudy | None = None
        self.skew = widgets.FloatSlider(
            value=checks.number(skew_ppm, "skew_ppm"),
            min=-300,
            max=300,
            step=5,
            description="clock skew (ppm)",
            **_SLIDER,
        )
        self.days = widgets.IntSlider(
            value=checks.count(days, "days"), min=1, max=120, description="days", **_SLIDER
        )
        self.policy = widgets.Dropdown(
            options=[
                (f"{p.name} (window {p.window}{', tracks drift' if p.track_drift else ''})", name)
                for name, p in POLICIES.items()
            ],
            value=str(policy),
            description="server policy",
            style=_SLIDER["style"],
        )
        self.plot = plots.DriftPlot()  # one figure, redrawn in place on each change
        self.image = widgets.Image(format="png", layout={"width": "100%"})
        self.summary = widgets.HTML()
        for control in (self.skew, self.days, self.policy):
            control.observe(self.redraw, names="value")
        super().__init__(
            [widgets.HBox([self.skew, self.days, self.policy]), self.image, self.summary]
        )
        self.redraw()

    def redraw(self, change: Any = None) -> None:
        """Simulate the phone's sign-ins and draw them."""
        policy = POLICIES[self.policy.value]
        rng = np.random.default_rng(self.seed)
        self.study = sim.drift_study(
            sim.clocks(0.0, self.skew.value),
            self.days.value,
            policy,
            rng,
            delay=self.delay,
            period=policy.params.period,
        )
        self.image.value = plots.png(self.plot.update(self.study), dpi=DPI)
        first = self.study.first_failure_day[0]
        text = (
            f"first rejected code on day {first:g}"
            if np.isfinite(first)
            else f"no code rejected in {self.days.value} days"
        )
        if not policy.track_drift:
            bound = sim.time_to_failure(self.skew.value, policy, period=policy.params.period)
            text += (
                f"; without drift tracking, codes can fail from day {bound.first_possible_days:.1f}"
                f" and always fail from day {bound.certain_days:.1f}"
            )
        self.summary.value = f"<b>{policy.name}</b>, {self.skew.value:+g} ppm: {text}."
        self.redraws += 1

    def __repr__(self) -> str:
        return (
            f"DriftExplorer(skew_ppm={self.skew.value:g}, days={self.days.value}, "
            f"policy={self.policy.value!r})"
        )
