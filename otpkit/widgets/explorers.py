"""Explorers: sliders that redraw a code-window timeline or a drift chart as they move.

Each explorer is a VBox. Callbacks only set widget values (an ``Image`` holding the PNG and an
``HTML`` summary); nothing is printed, so notebooks replay cleanly under nbval. Each slider has a
row of its own, wide enough that every value on it can be hit (and typed into its readout).
What the explorers draw and say is the kit's model of a server's check, not a server's answer.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets
import numpy as np

from .. import plots, sim
from ..core.clock import Clock
from ..core.errors import InvalidInput
from ..core.otp import OtpParams, code_at, matching_offset, normalize_secret, step_at
from ..server.policy import MISSKEY, POLICIES, Policy, policy_named
from ..sim import checks

DPI = 80  # explorer images: smaller, so a redraw stays well under 150 ms (see bench_explorers)
_STYLE = {"description_width": "15em"}
# A long slider: 600 s in steps of 5 s are 120 positions, about 4 px each on this track.
_WIDE = {"width": "100%", "max_width": "62em"}
_SHORT = {"width": "100%", "max_width": "40em"}
OTHER = ""  # the policy menu's entry for a window that is no preset's


def _slider(kind: type, layout: dict[str, str], **options: Any) -> Any:
    return kind(continuous_update=False, style=_STYLE, layout=layout, **options)


def _policy(policy: Any) -> Policy:
    """A preset given by name or as the Policy itself (``policy_named`` says what exists)."""
    return policy if isinstance(policy, Policy) else policy_named(policy)


def _policy_menu(value: str, *, other: bool) -> widgets.Dropdown:
    options = [(f"{p.title} (window {p.window})", name) for name, p in POLICIES.items()]
    if other:
        options.append(("another window (the slider's)", OTHER))
    return widgets.Dropdown(
        options=options,
        value=value,
        description="server",
        style=_STYLE,
        layout=_SHORT,
    )


def _verdict_html(ok: bool) -> str:
    colour, word = (plots.ACCEPT, "accepted") if ok else (plots.REJECT, "refused")
    return f'<b style="color:{colour}">{word}</b>'


class WindowExplorer(widgets.VBox):
    """Move the phone's clock, pick a server (or a window) and the delay; watch which codes pass.

    ``window`` is a Policy (by default today's Misskey) or a number of steps each way.
    """

    def __init__(
        self,
        secret: str,
        clock: Clock,
        *,
        params: OtpParams | None = None,
        offset: float = 0.0,
        window: Any = MISSKEY,
        delay: float = 5.0,
    ):
        self.secret = normalize_secret(secret)
        self.clock = clock
        self.params = OtpParams() if params is None else params
        self.redraws = 0
        preset = window if isinstance(window, Policy) else None
        self.offset = _slider(
            widgets.FloatSlider,
            _WIDE,
            value=checks.number(offset, "the offset"),
            min=-300,
            max=300,
            step=5,
            readout_format=".0f",
            description="phone clock offset (s)",
        )
        self.policy = _policy_menu(preset.name if preset else OTHER, other=True)
        self.window = _slider(
            widgets.IntSlider,
            _SHORT,
            value=sim.window_of(window),
            min=0,
            max=10,
            description="window (steps each way)",
        )
        self.delay = _slider(
            widgets.FloatSlider,
            _SHORT,
            value=checks.number(delay, "the delay", low=0),
            min=0,
            max=60,
            step=1,
            readout_format=".0f",
            description="typing + network delay (s)",
        )
        # One figure, redrawn in place on each move (building a new Figure costs more than drawing).
        self.plot = plots.CodeWindowsPlot(self.secret, self.params)
        self.image = widgets.Image(format="png", layout={"width": "100%"})
        self.summary = widgets.HTML()
        self.offset.observe(self.redraw, names="value")
        self.delay.observe(self.redraw, names="value")
        self.window.observe(self._window_moved, names="value")
        self.policy.observe(self._policy_chosen, names="value")
        super().__init__(
            [self.offset, self.policy, self.window, self.delay, self.image, self.summary]
        )
        self.redraw()

    @property
    def server(self) -> Policy | None:
        """The preset whose window is shown, or None for a window of the slider's own."""
        return POLICIES[self.policy.value] if self.policy.value else None

    def _policy_chosen(self, change: Any) -> None:
        chosen = self.server
        if chosen is None:
            return  # "another window": the slider's window stays
        if self.window.value != chosen.window:
            self.window.value = chosen.window  # its observer redraws
        else:
            self.redraw()

    def _window_moved(self, change: Any) -> None:
        chosen = self.server
        if chosen is not None and chosen.window != self.window.value:
            self.policy.value = OTHER
        self.redraw()

    def verdict(self) -> tuple[str, bool]:
        """The code the phone shows, and whether the window accepts it (real codes, the kit's
        check)."""
        at = self.clock.now()
        code = code_at(self.secret, max(at + self.offset.value, 0.0), self.params)
        found = matching_offset(
            self.secret, code, at + self.delay.value, self.params, self.window.value
        )
        return code, found is not None

    def redraw(self, change: Any = None) -> None:
        """Draw the timeline and the summary for the controls' current values."""
        at = self.clock.now()
        shown = self.server if self.server is not None else self.window.value
        fig = self.plot.update(at, window=shown, offset=self.offset.value, delay=self.delay.value)
        self.image.value = plots.png(fig, dpi=DPI)
        code, ok = self.verdict()
        period = self.params.period
        delta = step_at(max(at + self.offset.value, 0.0), period) - step_at(
            at + self.delay.value, period
        )
        w = self.window.value
        who = html.escape(self.server.title) if self.server is not None else "A server"
        self.summary.value = (
            f"The phone shows <code>{code}</code>, the code of step {delta:+d} as the server "
            f"counts when the code arrives. {who} accepts steps {-w:+d} to {w:+d} "
            f"(window {w}), so by the kit's model the code is {_verdict_html(ok)}."
        )
        self.redraws += 1

    def __repr__(self) -> str:
        return (
            f"WindowExplorer(offset={self.offset.value:g}, server={self.policy.value!r}, "
            f"window={self.window.value}, delay={self.delay.value:g})"
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
        policy: str | Policy = "misskey",
        seed: int = 7,
        delay: sim.Delay | None = None,
    ):
        chosen = _policy(policy)
        self.seed = checks.count(seed, "seed", low=0)
        self.delay = sim.Delay(2.0, 10.0) if delay is None else delay
        if not isinstance(self.delay, sim.Delay):
            raise InvalidInput(f"delay must be a sim.Delay, not {delay!r}")
        self.redraws = 0
        self.study: sim.DriftStudy | None = None
        self.skew = _slider(
            widgets.FloatSlider,
            _WIDE,
            value=checks.number(skew_ppm, "skew_ppm"),
            min=-300,
            max=300,
            step=5,
            readout_format=".0f",
            description="clock skew (ppm)",
        )
        self.days = _slider(
            widgets.IntSlider,
            _SHORT,
            value=checks.count(days, "days"),
            min=1,
            max=120,
            description="days of daily sign-ins",
        )
        self.policy = _policy_menu(chosen.name, other=False)
        self.plot = plots.DriftPlot()  # one figure, redrawn in place on each change
        self.image = widgets.Image(format="png", layout={"width": "100%"})
        self.summary = widgets.HTML()
        for control in (self.skew, self.days, self.policy):
            control.observe(self.redraw, names="value")
        super().__init__([self.skew, self.days, self.policy, self.image, self.summary])
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
            f"first refused code on day {first:g}"
            if np.isfinite(first)
            else f"no code refused in {self.days.value} days"
        )
        if not policy.track_drift:
            typing = (self.delay.low + self.delay.high) / 2
            bound = sim.time_to_failure(
                self.skew.value, policy, delay=typing, period=policy.params.period
            )
            text += (
                f"; this server does not track drift, so with a {typing:g} s delay codes can "
                f"fail from day {bound.first_possible_days:.1f} and always fail from day "
                f"{bound.certain_days:.1f}"
            )
        self.summary.value = (
            f"<b>{html.escape(policy.title)}</b>, {self.skew.value:+g} ppm, by the kit's "
            f"simulation: {text}."
        )
        self.redraws += 1

    def __repr__(self) -> str:
        return (
            f"DriftExplorer(skew_ppm={self.skew.value:g}, days={self.days.value}, "
            f"policy={self.policy.value!r})"
        )
