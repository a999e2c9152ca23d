"""ClockControl: +1 s, +30 s, jump; fixed or live."""

from __future__ import annotations

import time

import pytest

pytest.importorskip("ipywidgets")

import otpkit  # noqa: E402
from otpkit.widgets import ClockControl  # noqa: E402

from .conftest import AT  # noqa: E402


def test_buttons_move_a_fixed_clock_and_listeners_hear_it():
    clock = otpkit.ManualClock(AT)
    control = ClockControl(clock)
    heard = []
    control.on_change(heard.append)
    assert control.fixed
    control.plus_1.click()
    control.plus_30.click()
    assert clock.now() == AT + 31
    control.jump_to.value = 1_234_567_890
    control.jump_button.click()
    assert clock.now() == 1_234_567_890
    assert heard == [AT + 1, AT + 31, 1_234_567_890]
    assert "2009-02-13 23:31:30 UTC" in control.time_label.value
    assert "step 41152263, 30 s left" in control.time_label.value
    assert repr(control).startswith("ClockControl(fixed, 2009-02-13 23:31:30 UTC")


def test_a_bad_jump_is_a_note_not_an_error():
    clock = otpkit.ManualClock(AT)
    control = ClockControl(clock)
    control.jump(float("nan"))
    assert clock.now() == AT
    assert "finite" in control.note.value


def test_live_mode_follows_the_source_and_locks_the_buttons():
    clock = otpkit.ManualClock(AT)
    source = otpkit.ManualClock(AT + 1000)
    control = ClockControl(clock, source=source, interval=3600)
    try:
        control.mode.value = "live"
        assert clock.now() == AT + 1000
        assert control.plus_30.disabled
        source.advance(5)
        control.tick()
        assert clock.now() == AT + 1005
        control.advance(30)  # refused while live
        assert clock.now() == AT + 1005 and "Fixed" in control.note.value
    finally:
        control.mode.value = "fixed"
    assert control._thread is None
    control.plus_30.click()
    assert clock.now() == AT + 1035


def test_a_system_clock_is_only_shown():
    control = ClockControl(otpkit.SystemClock())
    assert control.mode.disabled and control.plus_1.disabled
    assert not control.fixed
    assert "cannot be moved" in control.note.value
    control.advance(30)  # does nothing, says why
    assert "Fixed" in control.note.value


def test_background_beat_ticks_and_stops():
    clock = otpkit.ManualClock(AT)
    source = otpkit.ManualClock(AT + 50)
    control = ClockControl(clock, source=source, interval=0.01)
    heard = []
    control.on_change(heard.append)
    control.mode.value = "live"
    for _ in range(200):
        if len(heard) >= 3:
            break
        time.sleep(0.01)
    control.close()
    assert len(heard) >= 3 and control._thread is None
