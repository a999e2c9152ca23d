"""PhoneView: the simulated phone's screen (app, account, current code, countdown) and its clock offset.

The screen is a card with its own colours (dark text on a light card, whatever the theme); the
countdown's caption has a line to itself, so it never wraps; the offset slider reads in seconds.
"""

from __future__ import annotations

import html
import math

import ipywidgets as widgets

from ..core.clock import DriftingClock
from ..core.errors import OtpkitError
from ..enrollment.phone import Phone
from .style import CARD, colours

OFFSET_RANGE = 600  # seconds each way: far past the widest window any policy accepts


class PhoneView(widgets.VBox):
    """Shows what ``phone``'s app shows now; the slider sets how far the phone's clock is off.

    The slider works when the phone's clock is a ``DriftingClock`` (it sets its ``offset``).
    Call ``refresh()`` after the time changes; ``ClockControl.on_change`` is the usual trigger.
    """

    def __init__(self, phone: Phone, **kwargs):
        super().__init__(**kwargs)
        self.screen = widgets.HTML().add_class("otpkit-phone-screen")
        self.code_label = widgets.HTML().add_class("otpkit-phone-code")
        self.countdown = widgets.IntProgress(
            min=0, max=30, description="", layout={"width": "220px"}
        ).add_class("otpkit-countdown")
        self.countdown_label = widgets.HTML().add_class("otpkit-countdown-label")
        # A number box, not a slider: its label is tied to the input, so a screen reader names
        # it (ipywidgets draws a slider's handle with no name), and any value can be typed.
        self.offset_slider = widgets.BoundedIntText(
            min=-OFFSET_RANGE,
            max=OFFSET_RANGE,
            step=5,
            value=0,
            description="Phone clock off by",
            style={"description_width": "initial"},
            layout={"width": "230px"},
        ).add_class("otpkit-phone-offset")
        self.offset_unit = widgets.HTML("s", layout={"width": "auto"}).add_class("otpkit-unit")
        self.offset_words = widgets.HTML().add_class("otpkit-phone-offset-words")
        self.offset_slider.observe(self._on_offset, names="value")
        self.children = [
            self.screen,
            self.code_label,
            self.countdown,
            self.countdown_label,
            widgets.HBox([self.offset_slider, self.offset_unit]),
            self.offset_words,
        ]
        self.add_class("otpkit-phone")
        self.phone = phone
        self.attach(phone)

    def attach(self, phone: Phone) -> None:
        """Show ``phone`` from now on."""
        self.phone = phone
        drifting = isinstance(phone.clock, DriftingClock)
        self.offset_slider.disabled = not drifting
        with self.offset_slider.hold_trait_notifications():
            self.offset_slider.value = round(phone.clock.offset) if drifting else 0
        self.refresh()

    @property
    def code(self) -> str | None:
        """The code on the screen now, or None before the app has an account."""
        if not self.phone.entries:
            return None
        return self.phone.code()

    def set_offset(self, seconds: int) -> None:
        """Put the phone's clock ``seconds`` ahead (negative: behind) of the true time."""
        self.offset_slider.value = seconds

    def refresh(self) -> None:
        """Redraw the screen from the phone's clock and accounts."""
        phone = self.phone
        self.offset_words.value = _offset_words(self.offset_slider.value)
        t = phone.clock.now()
        title = html.escape(phone.app.title)
        if not phone.entries:
            self.screen.value = _screen(title, "No accounts yet: scan a QR code to add one.")
            self.code_label.value = _code_html("––– –––")
            self.countdown.value = 0
            self.countdown_label.value = ""
            return
        entry = phone.entries[-1]
        notes = "".join(f"<br><small>ignores {html.escape(i)}</small>" for i in entry.ignored)
        self.screen.value = _screen(title, html.escape(entry.label) + notes)
        try:
            code = phone.code(entry)
            left = phone.seconds_left(entry)
        except OtpkitError as exc:  # a clock set before 1970 has no code
            self.code_label.value = _code_html("error")
            self.countdown_label.value = html.escape(exc.message)
            return
        half = len(code) // 2
        self.code_label.value = _code_html(f"{code[:half]} {code[half:]}")
        self.countdown.max = entry.params.period
        self.countdown.value = math.ceil(left)
        self.countdown_label.value = _nowrap(f"{math.ceil(left)} s left · phone clock Unix {t:.0f}")

    def __repr__(self) -> str:
        code = self.code
        return f"PhoneView({self.phone.app.title}, code {code or 'none'})"

    def _on_offset(self, change: dict) -> None:
        clock = self.phone.clock
        if not isinstance(clock, DriftingClock):
            self.refresh()
            return
        clock.offset = float(change["new"])
        try:
            self.refresh()
        except OtpkitError:
            # Near 1970 or 9999 an offset can carry the phone's clock out of range: undo it.
            clock.offset = float(change["old"])
            self.offset_slider.value = change["old"]
            self.offset_words.value = (
                "<small>That offset would put the phone's clock before 1970 or after 9999; "
                "it stays where it was.</small>"
            )


def _screen(title: str, body: str) -> str:
    return (
        f'<div style="{colours(CARD)};border:2px solid #333;border-radius:14px;'
        f'padding:6px 10px;width:220px"><b>{title}</b><br>{body}</div>'
    )


def _nowrap(text: str) -> str:
    return f'<small style="white-space:nowrap">{html.escape(text)}</small>'


def _offset_words(seconds: int) -> str:
    """The slider's value in words: how far, and which way, the phone's clock is off."""
    if seconds == 0:
        words = "0 s: the phone's clock is right"
    else:
        way = "ahead" if seconds > 0 else "behind"
        words = f"{abs(seconds)} s: the phone's clock runs {way}"
    return f"<small>{words}</small>"


def _code_html(text: str) -> str:
    return (
        '<div style="font:bold 28px monospace;letter-spacing:2px;padding:4px 10px">'
        f"{html.escape(text)}</div>"
    )
