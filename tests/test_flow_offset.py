"""EnrollmentFlow.offset_of: which time step a rejected code was made for."""

from __future__ import annotations

import pytest

import otpkit

from .conftest import AT, PASSWORD, fast


def flow_at_stage_8():
    clock = otpkit.ManualClock(AT)
    server = otpkit.Server(policy=fast(otpkit.MISSKEY), clock=clock, rng=otpkit.DemoRandom(7))
    server.sign_up("alice", PASSWORD)
    phone = otpkit.Phone(clock=otpkit.DriftingClock(clock))
    flow = otpkit.EnrollmentFlow(server, phone, "alice", PASSWORD)
    for _ in range(7):
        flow.advance()
    return clock, flow


def test_none_before_a_registration_exists():
    clock = otpkit.ManualClock(AT)
    server = otpkit.Server(policy=fast(otpkit.MISSKEY), clock=clock, rng=otpkit.DemoRandom(7))
    server.sign_up("alice", PASSWORD)
    flow = otpkit.EnrollmentFlow(server, otpkit.Phone(clock=clock), "alice", PASSWORD)
    assert flow.offset_of("123456") is None


@pytest.mark.parametrize("seconds, offset", [(0, 0), (30, -1), (180, -6), (-90, 3), (1200, -40)])
def test_offset_counts_steps_from_the_servers_clock(seconds, offset):
    clock, flow = flow_at_stage_8()
    clock.advance(seconds)
    assert flow.offset_of(flow.code) == offset


def test_spaces_are_ignored_and_malformed_or_far_codes_give_none():
    clock, flow = flow_at_stage_8()
    assert flow.offset_of(f" {flow.code[:3]} {flow.code[3:]} ") == 0
    assert flow.offset_of("12345") is None
    assert flow.offset_of("abcdef") is None
    assert flow.offset_of(None) is None  # type: ignore[arg-type]
    clock.advance(41 * 30)
    assert flow.offset_of(flow.code) is None


def test_offset_of_never_changes_the_account():
    clock, flow = flow_at_stage_8()
    before = flow.server.stored("alice")
    flow.offset_of(flow.code)
    assert flow.server.stored("alice") == before
    assert flow.stage == otpkit.Stage.ENTER_CODE
