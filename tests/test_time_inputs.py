"""Times and clock arguments: one shared range (otpkit.clock.EARLIEST..LATEST), checked at the door.

Whatever comes in (NaN, infinities, huge or negative numbers, bools, None, text), only InvalidInput
comes out, and a clock that refuses a change is left exactly as it was.
"""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import otpkit
from otpkit.clock import EARLIEST, LATEST, MAX_SKEW_PPM, check_time
from otpkit.errors import InvalidInput
from otpkit.otp import seconds_left, step_at

SECRET = "JBSWY3DPEHPK3PXP"
AT = 1_700_000_000.0
HOSTILE = [
    math.nan,
    -math.nan,
    math.inf,
    -math.inf,
    1e300,
    -1e300,
    10**400,
    -(10**400),
    2**64,
    LATEST + 1,
    -0.001,
    -1,
    True,
    False,
    None,
    "1700000000",
    b"1700000000",
    [AT],
    object(),
]
anything = (
    st.floats(allow_nan=True, allow_infinity=True)
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.sampled_from([10**400, -(10**400), LATEST, LATEST + 1e-3, EARLIEST, -5e-324])
    | st.booleans()
    | st.none()
    | st.text(max_size=12)
    | st.binary(max_size=8)
)


def test_the_shared_range():
    assert EARLIEST == 0 and LATEST == 253402300799
    assert check_time(EARLIEST) == 0.0 and check_time(LATEST) == LATEST
    assert check_time(17) == 17.0 and isinstance(check_time(17), float)
    assert check_time(Fraction(3, 2)) == 1.5
    with pytest.raises(InvalidInput, match="the server's clock"):
        check_time(math.nan, "the server's clock")


def _shown(value: object) -> str:
    """A test id that is the same in every run (an object's repr holds its address)."""
    return repr(value) if type(value).__repr__ is not object.__repr__ else type(value).__name__


@pytest.mark.parametrize("value", HOSTILE, ids=_shown)
def test_hostile_times_are_refused_everywhere(value):
    calls = [
        check_time,
        otpkit.FixedClock,
        otpkit.ManualClock,
        lambda v: otpkit.ManualClock(AT).set(v),
        lambda v: otpkit.DriftingClock(otpkit.FixedClock(AT), since=math.nan if v is None else v),
        lambda v: otpkit.DriftingClock(otpkit.FixedClock(v)),
        lambda v: otpkit.code_at(SECRET, v),
        lambda v: step_at(v),
        lambda v: seconds_left(v),
    ]
    for call in calls:
        with pytest.raises(InvalidInput):
            call(value)


@pytest.mark.parametrize("period", [0, -1, -30, True, False, 1.5, 30.0, "30", None, 10**100])
def test_bad_periods_are_refused_not_divided_by(period):
    for call in (step_at, seconds_left):
        with pytest.raises(InvalidInput, match="period"):
            call(AT, period)


def test_periods_that_work():
    assert step_at(AT, 1) == int(AT) and seconds_left(AT, 86_400) == 86_400 - AT % 86_400
    assert step_at(LATEST) == int(LATEST // 30) and step_at(0) == 0


@pytest.mark.parametrize("seconds", [LATEST + 1, -AT - 1, math.nan, math.inf, 10**400, True, "1"])
def test_a_refused_advance_leaves_the_clock_alone(seconds):
    clock = otpkit.ManualClock(AT)
    with pytest.raises(InvalidInput):
        clock.advance(seconds)
    assert clock.now() == AT


def test_advance_to_the_very_edges():
    clock = otpkit.ManualClock(AT)
    assert clock.advance(-AT) == EARLIEST
    assert clock.advance(LATEST) == LATEST
    with pytest.raises(InvalidInput, match="advancing 1 s"):
        clock.advance(1)
    assert clock.now() == LATEST


@pytest.mark.parametrize("base", [None, 42, "now", otpkit.FixedClock, object()])
def test_a_drifting_clock_needs_a_base_clock(base):
    with pytest.raises(InvalidInput, match="base"):
        otpkit.DriftingClock(base)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"offset": math.nan},
        {"offset": math.inf},
        {"offset": LATEST * 2},
        {"offset": True},
        {"offset": "20"},
        {"skew_ppm": -math.inf},
        {"skew_ppm": MAX_SKEW_PPM * 1.5},
        {"skew_ppm": None},
        {"since": -1},
        {"since": math.nan},
    ],
)
def test_drifting_clock_arguments_are_bounded(kwargs):
    with pytest.raises(InvalidInput):
        otpkit.DriftingClock(otpkit.FixedClock(AT), **kwargs)


def test_drifting_clock_setters_refuse_and_keep_the_old_value():
    clock = otpkit.DriftingClock(otpkit.FixedClock(AT), offset=20, skew_ppm=50)
    for name, value in [
        ("offset", math.nan),
        ("offset", 1e300),
        ("skew_ppm", 2e6),
        ("offset", None),
    ]:
        with pytest.raises(InvalidInput):
            setattr(clock, name, value)
    assert (clock.offset, clock.skew_ppm) == (20, 50)
    clock.offset = -90
    assert clock.now() == AT - 90
    with pytest.raises(AttributeError):
        clock.base = None  # read-only: a clock's base is chosen once


def test_a_drifting_reading_out_of_range_is_refused_with_a_clear_message():
    early = otpkit.DriftingClock(otpkit.FixedClock(10), offset=-20)
    with pytest.raises(InvalidInput, match="drifting clock's reading"):
        early.now()
    late = otpkit.DriftingClock(otpkit.FixedClock(LATEST), offset=1)
    with pytest.raises(InvalidInput, match="9999-12-31"):
        late.now()
    phone = otpkit.Phone(clock=early)
    phone.open_link(f"otpauth://totp/a?secret={SECRET}")
    with pytest.raises(InvalidInput):
        phone.code()


class Broken:
    """A base clock that reads garbage."""

    def __init__(self, value):
        self.value = value

    def now(self):
        return self.value


@pytest.mark.parametrize("reading", [math.nan, -5, "now", None, 1e300])
def test_a_base_clock_reading_garbage_is_refused(reading):
    with pytest.raises(InvalidInput, match="base clock"):
        otpkit.DriftingClock(Broken(reading))
    clock = otpkit.DriftingClock(Broken(AT))
    clock.base.value = reading
    with pytest.raises(InvalidInput, match="base clock"):
        clock.now()


@settings(deadline=None, max_examples=300)
@given(anything)
def test_any_time_is_accepted_in_range_or_refused_with_invalid_input(value):
    try:
        t = check_time(value)
    except InvalidInput:
        for make in (otpkit.FixedClock, otpkit.ManualClock):
            with pytest.raises(InvalidInput):
                make(value)
        with pytest.raises(InvalidInput):
            otpkit.code_at(SECRET, value)
        return
    assert EARLIEST <= t <= LATEST
    assert otpkit.FixedClock(value).now() == t
    assert len(otpkit.code_at(SECRET, value)) == 6


@settings(deadline=None, max_examples=300)
@given(start=st.floats(EARLIEST, LATEST), step=anything, target=anything)
def test_manual_clock_moves_within_range_or_not_at_all(start, step, target):
    clock = otpkit.ManualClock(start)
    try:
        moved = clock.advance(step)
    except InvalidInput:
        assert clock.now() == start
    else:
        assert moved == clock.now() and EARLIEST <= moved <= LATEST
    before = clock.now()
    try:
        clock.set(target)
    except InvalidInput:
        assert clock.now() == before
    else:
        assert EARLIEST <= clock.now() <= LATEST


@settings(deadline=None, max_examples=300)
@given(
    base=st.floats(EARLIEST, LATEST),
    offset=anything,
    skew=anything,
    since=st.none() | anything,
    later=st.floats(EARLIEST, LATEST),
)
def test_drifting_clock_reads_in_range_or_raises_invalid_input(base, offset, skew, since, later):
    world = otpkit.ManualClock(base)
    try:
        clock = otpkit.DriftingClock(world, offset=offset, skew_ppm=skew, since=since)
    except InvalidInput:
        return
    world.set(later)
    try:
        reading = clock.now()
    except InvalidInput:
        return
    assert EARLIEST <= reading <= LATEST
    assert math.isfinite(clock.error())


@settings(deadline=None, max_examples=200)
@given(t=anything, period=anything | st.integers(-5, 200))
def test_step_functions_raise_only_invalid_input(t, period):
    for call in (step_at, seconds_left):
        try:
            result = call(t, period)
        except InvalidInput:
            continue
        assert result >= 0
