"""ClockControl: a widget that shows a clock and moves it (+1 s, +30 s, jump), fixed or live.

A ``ManualClock`` is *fixed*: it moves only when a button is pressed, so a lesson replays
exactly. Switched to *live*, it follows a real clock (``source``, by default the machine's),
re-read every second by a background thread. Any other clock (a ``SystemClock``) can only be
shown and refreshed.

The kit's clocks run from 1970-01-01 to 9999-12-31 (``otpkit.clock.EARLIEST`` to ``LATEST``). A
move that would leave that range, for this clock or for one that follows it (a phone's clock set
ahead or behind), is refused: the clock stays where it was and ``note`` says why.
"""

from __future__ import annotations

import html
import math
import threading
from collections.abc import Callable
from datetime import datetime, timezone

import ipywidgets as widgets

from ..core.clock import EARLIEST, LATEST, Clock, ManualClock, SystemClock, check_time
from ..core.errors import OtpkitError
from ..core.otp import seconds_left, step_at
from .style import box_style

Listener = Callable[[float], None]
_NARROW = {"width": "auto"}
_WIDE = {"width": "240px"}


def describe_time(t: float, period: int = 30) -> str:
    """``t`` as UTC date and time, Unix seconds, and its time step."""
    when = datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    left = seconds_left(t, period)
    return f"{when} · Unix {t:.0f} · step {step_at(t, period)}, {left:.0f} s left"


class ClockControl(widgets.VBox):
    """Shows ``clock`` and, when it is a ManualClock, moves it; listeners hear every change."""

    def __init__(self, clock: Clock, source: Clock | None = None, interval: float = 1.0, **kwargs):
        super().__init__(**kwargs)
        self.source = SystemClock() if source is None else source
        self.interval = interval
        self.listeners: list[Listener] = []
        self._stop: threading.Event | None = None
        self._thread: threading.Thread | None = None

        self.time_label = widgets.HTML().add_class("otpkit-clock-time")
        self.plus_1 = widgets.Button(description="+1 s", layout=_NARROW).add_class(
            "otpkit-clock-plus-1"
        )
        self.plus_30 = widgets.Button(description="+30 s", layout=_NARROW).add_class(
            "otpkit-clock-plus-30"
        )
        self.jump_to = widgets.IntText(
            description="Unix time", layout=_WIDE, tooltip="seconds since 1970-01-01 UTC"
        ).add_class("otpkit-clock-jump-to")
        self.jump_unit = widgets.HTML("s", layout=_NARROW).add_class("otpkit-unit")
        self.jump_button = widgets.Button(description="Jump", layout=_NARROW).add_class(
            "otpkit-clock-jump"
        )
        self.refresh_button = widgets.Button(description="Refresh", layout=_NARROW).add_class(
            "otpkit-clock-refresh"
        )
        self.mode = widgets.ToggleButtons(
            options=[("Fixed", "fixed"), ("Live", "live")],
            description="Clock",
            style={"button_width": "60px", "description_width": "initial"},
        ).add_class("otpkit-clock-mode")
        self.note = widgets.HTML().add_class("otpkit-clock-note")

        self.plus_1.on_click(lambda _: self.advance(1))
        self.plus_30.on_click(lambda _: self.advance(30))
        self.jump_button.on_click(lambda _: self.jump(self.jump_to.value))
        self.refresh_button.on_click(lambda _: self.refresh())
        self.mode.observe(self._on_mode, names="value")

        self.children = [
            self.time_label,
            self.mode,
            widgets.HBox([self.plus_1, self.plus_30, self.refresh_button]),
            widgets.HBox([self.jump_to, self.jump_unit, self.jump_button]),
            self.note,
        ]
        self.add_class("otpkit-clock")
        self.clock: Clock = clock
        self.attach(clock)

    # -- what callers use -----------------------------------------------------------------

    def attach(self, clock: Clock) -> None:
        """Show and control ``clock`` from now on (the wizard does this on reset)."""
        self.stop()
        self.clock = clock
        manual = isinstance(clock, ManualClock)
        with self.mode.hold_trait_notifications():
            self.mode.value = "fixed" if manual else "live"
        self.mode.disabled = not manual
        self._enable_buttons(manual)
        self.jump_to.value = int(clock.now())
        self.note.value = (
            ""
            if manual
            else "<small>This is the machine's own clock: it cannot be moved, only re-read.</small>"
        )
        self.refresh()

    def on_change(self, listener: Listener) -> None:
        """Call ``listener(t)`` after every change or refresh of the clock."""
        self.listeners.append(listener)

    @property
    def fixed(self) -> bool:
        return self.mode.value == "fixed"

    def advance(self, seconds: float) -> bool:
        """Move a fixed clock forward (or back) by ``seconds``; False (and a note) if refused."""
        if not self._movable():
            return False
        now = self.clock.now()
        if not _number(seconds):
            return self._move_to(math.nan, f"a move by {_shown(seconds)}")
        try:
            target = now + seconds
        except OverflowError:  # an int too large for a float: far out of range, on its side
            target = seconds
        sign = "+" if seconds >= 0 else ""
        return self._move_to(target, f"{sign}{_shown(seconds)} s from {_when(now)}")

    def jump(self, t: float) -> bool:
        """Set a fixed clock to Unix time ``t``; False (and a note) if refused."""
        if not self._movable():
            return False
        return self._move_to(t, f"Unix time {_shown(t)}" if _number(t) else _shown(t))

    def tick(self) -> None:
        """One beat of live mode: follow ``source`` (a ManualClock) or just re-read the clock."""
        if isinstance(self.clock, ManualClock) and not self.fixed:
            try:
                t = self.source.now()
            except OtpkitError as exc:
                self._say(f"The live clock could not be read ({html.escape(exc.message)}).")
                return
            self._move_to(t, f"the live clock's time {t!r}")
            return
        self.refresh()

    def refresh(self) -> None:
        """Re-read the clock, update the label and tell the listeners."""
        t = self.clock.now()
        self.time_label.value = f"<b>Server clock</b>: {describe_time(t)}"
        for listener in list(self.listeners):
            listener(t)

    def start(self) -> None:
        """Start the background beat (live mode)."""
        if self._thread is not None:
            return
        stop = threading.Event()

        def beat() -> None:
            while not stop.wait(self.interval):
                self.tick()

        self._stop = stop
        self._thread = threading.Thread(target=beat, name="otpkit-clock", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the background beat, if any."""
        if self._stop is not None:
            self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=2 * self.interval)
        self._stop = self._thread = None

    def close(self) -> None:
        self.stop()
        super().close()

    def __repr__(self) -> str:
        kind = "fixed" if self.fixed else "live"
        return f"ClockControl({kind}, {describe_time(self.clock.now())})"

    # -- inside ---------------------------------------------------------------------------

    def _move_to(self, target: object, words: str) -> bool:
        """Set the clock to ``target`` if it, and every listener, can live with it.

        A time outside 1970..9999 is refused before the clock moves. A listener that fails at the
        new time (a phone whose clock runs ahead would pass 9999) moves the clock back.
        """
        before = self.clock.now()
        stays = f"The clock stays at {_when(before)}."
        try:
            t = check_time(target)
        except OtpkitError:
            self._say(
                f"{html.escape(words)} is not a time the clock can show: {_range_words(target)} {stays}"
            )
            return False
        self.clock.set(t)  # type: ignore[attr-defined]
        try:
            self.refresh()
        except OtpkitError as exc:
            self.clock.set(before)  # type: ignore[attr-defined]
            self.refresh()
            self._say(
                f"Not moved to {_when(t)}: something that follows this clock could not show "
                "that time. Most likely a phone whose clock runs ahead or behind would pass "
                f"the ends of the kit's range, 1970-01-01 to 9999-12-31. {stays}"
                f"<br>otpkit explains: {html.escape(exc.message)}"
            )
            return False
        self.note.value = ""
        return True

    def _say(self, text: str) -> None:
        self.note.value = (
            f'<div class="otpkit-box" role="status" style="{box_style("note")}">'
            f"<small>{text}</small></div>"
        )

    def _movable(self) -> bool:
        if not isinstance(self.clock, ManualClock) or not self.fixed:
            self._say("Switch the clock to Fixed to move it by hand.")
            return False
        return True

    def _enable_buttons(self, enabled: bool) -> None:
        for button in (self.plus_1, self.plus_30, self.jump_button, self.jump_to):
            button.disabled = not enabled

    def _on_mode(self, change: dict) -> None:
        live = change["new"] == "live"
        self._enable_buttons(not live)
        if live:
            self.tick()
            self.start()
        else:
            self.stop()
            self.jump_to.value = int(self.clock.now())


def _number(value: object) -> bool:
    """Whether ``value`` is an int (not a bool) or a finite float."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return isinstance(value, int) or math.isfinite(value)


def _shown(value: object) -> str:
    """``value`` as a learner reads it: whole seconds, and no screenful of digits."""
    if isinstance(value, float) and math.isfinite(value) and abs(value) < 1e15:
        text = f"{value:.0f}" if value == round(value) else f"{value:g}"
    elif isinstance(value, float):
        text = f"{value:g}"
    else:
        text = repr(value)
    unit = "digits" if isinstance(value, int) else "characters"
    return text if len(text) <= 24 else f"{text[:12]}… ({len(text)} {unit})"


def _when(t: float) -> str:
    return datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def _range_words(target: object) -> str:
    """Why ``target`` is no time, in a learner's words."""
    if not _number(target):
        return (
            "a time here is a finite number of seconds since 1970-01-01 00:00:00 UTC (Unix time), "
            "such as 1700000000."
        )
    if target < EARLIEST:  # type: ignore[operator]
        return (
            "that is before 1970-01-01 00:00:00 UTC, where Unix time starts (0); "
            "the kit's clocks cannot go earlier."
        )
    return (
        f"that is after 9999-12-31 23:59:59 UTC (Unix {LATEST:.0f}), the last second a "
        "four-digit year can show; the kit's clocks cannot go later."
    )
