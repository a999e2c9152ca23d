"""ClockControl: +1 s, +30 s, jump; fixed or live."""

from __future__ import annotations

import time

import pytest

pytest.importorskip("ipywidgets")

import otpkit  # noqa: E402
from otpkit import Stage  # noqa: E402
from otpkit.clock import EARLIEST, LATEST  # noqa: E402
from otpkit.widgets import ClockControl, EnrollmentWizard  # noqa: E402

from .conftest import AT, fast  # noqa: E402
from .wizard_driver import feedback, forward, to_stage  # noqa: E402


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


def test_a_jump_before_1970_is_refused_in_words_and_the_clock_stays():
    clock = otpkit.ManualClock(AT)
    control = ClockControl(clock)
    heard = []
    control.on_change(heard.append)
    for before_1970 in (-1, -86_400 * 365):
        control.jump_to.value = before_1970
        control.jump_button.click()
        assert clock.now() == AT and heard == []
        assert f"Unix time {before_1970}" in control.note.value
        assert "before 1970-01-01 00:00:00 UTC" in control.note.value
        assert "The clock stays at 2023-11-14 22:13:20 UTC" in control.note.value
        assert "2023-11-14 22:13:20 UTC" in control.time_label.value


def test_a_jump_past_9999_is_refused_in_words_and_the_clock_stays():
    clock = otpkit.ManualClock(AT)
    control = ClockControl(clock)
    for past_9999 in (LATEST + 1, 10**15, 10**400):
        assert control.jump(past_9999) is False
        assert clock.now() == AT
        assert "after 9999-12-31 23:59:59 UTC" in control.note.value
        assert "cannot go later" in control.note.value


def test_the_buttons_stop_at_the_ends_of_the_range():
    clock = otpkit.ManualClock(LATEST - 5)
    control = ClockControl(clock)
    control.plus_30.click()
    assert clock.now() == LATEST - 5
    assert "+30 s from 9999-12-31 23:59:54 UTC" in control.note.value
    assert "after 9999-12-31 23:59:59 UTC" in control.note.value
    for _ in range(5):
        control.plus_1.click()
    assert clock.now() == LATEST and control.note.value == ""  # the last second is allowed
    assert control.advance(1) is False and clock.now() == LATEST  # no exception either
    control.jump(0)
    assert clock.now() == EARLIEST and "1970-01-01 00:00:00 UTC" in control.time_label.value
    assert control.advance(-1) is False and clock.now() == EARLIEST
    assert "before 1970-01-01" in control.note.value


@pytest.mark.parametrize("nonsense", [float("nan"), float("inf"), "1700000000", None, True])
def test_nonsense_is_a_note_not_an_error(nonsense):
    clock = otpkit.ManualClock(AT)
    control = ClockControl(clock)
    assert control.jump(nonsense) is False
    assert control.advance(nonsense) is False
    assert clock.now() == AT
    assert "finite number of seconds since 1970-01-01" in control.note.value


def test_a_move_a_listener_cannot_follow_is_undone():
    clock = otpkit.ManualClock(AT)
    phone_clock = otpkit.DriftingClock(clock, offset=60)  # a phone one minute ahead
    control = ClockControl(clock)
    heard = []
    control.on_change(lambda t: heard.append(phone_clock.now()))
    control.jump(LATEST)  # fine for the server's clock, not for the phone's
    assert clock.now() == AT and heard == [AT + 60]
    assert "Not moved to 9999-12-31 23:59:59 UTC" in control.note.value
    assert "phone whose clock runs ahead or behind" in control.note.value
    assert "The clock stays at 2023-11-14 22:13:20 UTC" in control.note.value
    control.jump(LATEST - 60)  # the phone then shows the last second exactly
    assert clock.now() == LATEST - 60 and control.note.value == ""


def test_live_mode_refuses_a_source_out_of_range():
    class Broken:
        def now(self):
            return 1e20

    clock = otpkit.ManualClock(AT)
    control = ClockControl(clock, source=Broken(), interval=3600)
    try:
        control.mode.value = "live"
        assert clock.now() == AT
        assert "after 9999-12-31" in control.note.value
    finally:
        control.mode.value = "fixed"
    assert control._thread is None


def wizard_at(stage, phone_offset=0.0):
    wizard = EnrollmentWizard.simulated(at=AT, policy=fast(otpkit.MISSKEY), phone_offset=0.0)
    wizard.phone_view.offset_slider.value = phone_offset
    to_stage(wizard, stage)
    return wizard


def finish(wizard):
    """Read a fresh code and go on to DONE, as a learner would (Continue at stage 8)."""
    wizard.code_box.value = wizard.phone_view.code
    while wizard.stage_view < Stage.DONE:
        before = (wizard.stage_view, wizard.flow.stage)
        forward(wizard)
        assert (wizard.stage_view, wizard.flow.stage) != before, feedback(wizard)


@pytest.mark.parametrize("where", [-1, LATEST + 1, 10**15])
def test_the_wizard_keeps_working_after_a_jump_out_of_range(where):
    wizard = wizard_at(Stage.READ_CODE)
    control = wizard.clock_control
    control.jump_to.value = where
    control.jump_button.click()
    assert wizard.server.clock.now() == AT
    assert "The clock stays at" in control.note.value
    wizard.back_button.click()
    wizard.next_button.click()
    finish(wizard)
    assert wizard.server.stored("alice")["two_factor_enabled"]


@pytest.mark.parametrize(("offset", "edge"), [(60, LATEST), (-60, EARLIEST)])
def test_the_wizard_keeps_working_when_the_phone_would_leave_the_range(offset, edge):
    """The server's clock may stand at the very edge, but a phone off by a minute would pass it:
    before the fix every later click failed, reading the phone's clock beyond 9999 (or before
    1970)."""
    wizard = wizard_at(Stage.READ_CODE, phone_offset=offset)
    control = wizard.clock_control
    control.jump_to.value = int(edge)
    control.jump_button.click()
    assert wizard.server.clock.now() == AT
    assert "Not moved" in control.note.value and "phone" in control.note.value
    wizard.phone_view.offset_slider.value = 0
    finish(wizard)
    assert wizard.stage_view == Stage.DONE
