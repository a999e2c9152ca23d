"""Clocks and the seeded generator."""

from __future__ import annotations

import math

import pytest

import otpkit


def test_fixed_and_manual_clocks():
    assert otpkit.FixedClock(5).now() == 5.0
    clock = otpkit.ManualClock(100)
    assert clock.advance(30) == 130 and clock.now() == 130
    assert clock.set(7) == 7 and clock.advance(-2) == 5


def test_drifting_clock_offset_and_skew():
    base = otpkit.ManualClock(1_000_000)
    phone = otpkit.DriftingClock(base, offset=-20, skew_ppm=100)
    assert phone.now() == 1_000_000 - 20
    base.advance(86_400)
    assert math.isclose(phone.error(), -20 + 8.64)


def test_system_clock_is_roughly_now():
    assert otpkit.SystemClock().now() > 1_700_000_000


@pytest.mark.parametrize(
    "value", [float("nan"), float("inf"), "5", None, True, -1, 1e300, 253402300800]
)
def test_bad_times(value):
    with pytest.raises(otpkit.InvalidInput):
        otpkit.ManualClock(value)
    with pytest.raises(otpkit.InvalidInput):
        otpkit.FixedClock(value)
    clock = otpkit.ManualClock(10)
    with pytest.raises(otpkit.InvalidInput):
        clock.set(value)
    with pytest.raises(otpkit.InvalidInput):
        clock.advance(value if value != -1 else -11)  # -1 s from 10 is fine; -11 s is 1969
    assert clock.now() == 10


def test_times_stay_from_1970_to_9999():
    from otpkit.clock import EARLIEST, LATEST, check_time

    assert (EARLIEST, LATEST) == (0, 253402300799)  # 9999-12-31T23:59:59Z
    assert check_time(LATEST) == LATEST
    clock = otpkit.ManualClock(10)
    with pytest.raises(otpkit.InvalidInput):
        clock.advance(-11)  # before 1970: refused, and the clock stays where it was
    assert clock.now() == 10


def test_drifting_clock_needs_a_base_clock():
    with pytest.raises(otpkit.InvalidInput):
        otpkit.DriftingClock(None)


def test_demo_random_is_reproducible_and_default_is_the_os():
    assert otpkit.DemoRandom(4).token_bytes(8) == otpkit.DemoRandom(4).token_bytes(8)
    import secrets

    from otpkit.randomness import default_rng

    assert default_rng(None) is secrets
