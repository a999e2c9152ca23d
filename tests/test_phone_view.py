"""PhoneView: the simulated phone's screen and its clock offset slider."""

from __future__ import annotations

import pytest

pytest.importorskip("ipywidgets")

import otpkit  # noqa: E402
from otpkit.widgets import PhoneView  # noqa: E402

from .conftest import AT  # noqa: E402

SECRET = otpkit.new_secret(otpkit.DemoRandom(1))
URI = otpkit.KeyUri(secret=SECRET, account="alice", issuer="misskey.example").to_uri()


def phone_view(offset: float = 0.0):
    clock = otpkit.ManualClock(AT)
    phone = otpkit.Phone(clock=otpkit.DriftingClock(clock, offset=offset))
    return clock, phone, PhoneView(phone)


def test_empty_phone_says_scan_first():
    _, _, view = phone_view()
    assert view.code is None
    assert "No accounts yet" in view.screen.value
    assert view.countdown.value == 0
    assert repr(view) == "PhoneView(Google Authenticator, code none)"


def test_shows_the_code_and_the_seconds_left():
    clock, phone, view = phone_view()
    phone.open_link(URI)
    view.refresh()
    code = otpkit.code_at(SECRET, AT)
    assert view.code == code
    assert f"{code[:3]} {code[3:]}" in view.code_label.value
    assert "misskey.example:alice" in view.screen.value
    assert (view.countdown.value, view.countdown.max) == (10, 30)
    clock.advance(9.5)
    view.refresh()
    assert view.countdown.value == 1
    clock.advance(1)
    view.refresh()
    assert view.code == otpkit.code_at(SECRET, AT + 30)
    assert view.countdown.value == 30


def test_slider_sets_the_phones_clock_offset():
    _, phone, view = phone_view()
    phone.open_link(URI)
    view.offset_slider.value = -90
    assert phone.clock.offset == -90
    assert view.code == otpkit.code_at(SECRET, AT - 90)
    view.set_offset(45)
    assert view.code == otpkit.code_at(SECRET, AT + 45)


def test_attach_picks_up_the_offset_and_a_plain_clock_disables_the_slider():
    _, _, view = phone_view(offset=120)
    assert view.offset_slider.value == 120 and not view.offset_slider.disabled
    view.attach(otpkit.Phone(clock=otpkit.FixedClock(AT)))
    assert view.offset_slider.disabled and view.offset_slider.value == 0


def test_ignored_parameters_are_shown():
    clock = otpkit.ManualClock(AT)
    phone = otpkit.Phone(clock=clock, app=otpkit.apps.GOOGLE_AUTHENTICATOR_LEGACY)
    key = otpkit.KeyUri(
        secret=SECRET, account="alice", issuer="x", params=otpkit.OtpParams(digits=8)
    )
    phone.open_link(key.to_uri())
    view = PhoneView(phone)
    assert "ignores 8 digits" in view.screen.value
    assert len(view.code) == 6


def test_an_offset_that_would_leave_the_range_is_undone():
    import otpkit
    from otpkit.widgets import PhoneView

    base = otpkit.ManualClock(30.0)
    phone = otpkit.Phone(clock=otpkit.DriftingClock(base))
    phone.open_link(f"otpauth://totp/x:alice?secret={'A' * 32}&issuer=x")
    view = PhoneView(phone)
    view.offset_slider.value = -60  # 30 s - 60 s is before 1970
    assert view.offset_slider.value == 0 and phone.clock.offset == 0
    assert "stays where it was" in view.offset_words.value
    assert view.code == otpkit.code_at("A" * 32, 30.0)
