"""The server's clock steps back an hour or jumps a day ahead: no replay, no crash, a clear log."""

from __future__ import annotations

import pytest

import otpkit
from otpkit.errors import InvalidToken, RateLimited, TokenReplayed

from .conftest import AT, PASSWORD, enrolled, fast

MISSKEY = fast(otpkit.MISSKEY)
RFC6238 = fast(otpkit.RFC6238)
HARDENED = fast(otpkit.HARDENED)
STRICT = pytest.mark.parametrize("policy", [RFC6238, HARDENED], ids=["rfc6238", "hardened"])
HOUR, DAY = 3600.0, 86400.0


def kinds(server: otpkit.Server) -> list[str]:
    return [e.kind for e in server.events]


def clock_events(server: otpkit.Server, kind: str) -> list[otpkit.Event]:
    return [e for e in server.events if e.kind == kind]


@STRICT
def test_a_step_back_of_an_hour_replays_nothing(clock, policy):
    server, secret, _ = enrolled(policy, clock)
    # A code used an hour ago, say overheard: its step is behind the last one used.
    clock.advance(30)
    old = otpkit.code_at(secret, clock.now())
    assert server.sign_in("alice", PASSWORD, old).ok
    clock.advance(HOUR)
    assert server.sign_in("alice", PASSWORD, otpkit.code_at(secret, clock.now())).ok
    clock.advance(-HOUR)  # the server's clock is set back an hour
    with pytest.raises(TokenReplayed) as caught:
        server.sign_in("alice", PASSWORD, old, ip="198.51.100.66")
    assert caught.value.status == 403
    (back,) = clock_events(server, "clock.back")[:1]
    assert "went back 1 hour" in back.message and back.t == clock.now()
    explained = [
        e for e in clock_events(server, "clock.back") if "after the server's time" in e.message
    ]
    assert explained and "120 steps" in explained[0].message


def test_misskey_2025_accepts_the_same_replay_after_the_step_back(clock):
    server, secret, _ = enrolled(fast(otpkit.MISSKEY_2025), clock)
    old = otpkit.code_at(secret, clock.now())
    clock.advance(HOUR)
    server.sign_in("alice", PASSWORD)
    clock.advance(-HOUR)
    assert server.sign_in(
        "alice", PASSWORD, old, ip="198.51.100.66"
    ).ok  # no replay protection at all
    assert "clock.back" in kinds(server)


@pytest.mark.parametrize(
    "policy", [MISSKEY, RFC6238, HARDENED], ids=["misskey", "rfc6238", "hardened"]
)
def test_after_a_step_back_the_phone_codes_fail_cleanly(clock, policy):
    server, secret, _ = enrolled(policy, clock)
    phone_time = clock.now() + HOUR
    clock.advance(HOUR)
    server.sign_in("alice", PASSWORD)
    clock.advance(-HOUR)
    with pytest.raises(InvalidToken):
        server.sign_in("alice", PASSWORD, otpkit.code_at(secret, phone_time), ip="198.51.100.66")
    assert server.stored("alice")["two_factor_enabled"]


@STRICT
def test_a_day_ahead_and_back(clock, policy):
    server, secret, _ = enrolled(policy, clock)
    clock.advance(30)
    assert server.sign_in("alice", PASSWORD, otpkit.code_at(secret, clock.now())).ok
    true_time = clock.now() + 30
    clock.advance(DAY)  # the server's clock jumps a day ahead
    with pytest.raises(InvalidToken):  # the phone, on true time, no longer matches
        server.sign_in("alice", PASSWORD, otpkit.code_at(secret, true_time))
    (jump,) = clock_events(server, "clock.jump")
    assert "1 day forward" in jump.message
    # A code for the false time (an attacker's phone set a day ahead) is accepted once...
    future = otpkit.code_at(secret, clock.now())
    clock.advance(2)
    assert server.sign_in("alice", PASSWORD, future, ip="198.51.100.66").ok
    clock.advance(2)
    with pytest.raises((TokenReplayed, RateLimited)):
        server.sign_in("alice", PASSWORD, future, ip="198.51.100.67")
    # ...and once the clock is put right, nothing before that step is accepted again.
    # (The limiter and the back-off count what was recorded "in the future" as now, so the first
    # tries after the fix may be refused for a second or two, never longer.)
    for n, t in enumerate((true_time + 60, true_time + 90, true_time + 120)):
        clock.set(t)
        with pytest.raises((TokenReplayed, RateLimited)):
            server.sign_in("alice", PASSWORD, otpkit.code_at(secret, t), ip=f"198.51.100.{n}")
    assert "clock.back" in kinds(server)
    assert any("steps" in e.message for e in clock_events(server, "clock.back"))


def test_no_event_for_ordinary_time(clock):
    server, secret, _ = enrolled(MISSKEY, clock)
    for _ in range(5):
        clock.advance(60)
        server.sign_in("alice", PASSWORD, otpkit.code_at(secret, clock.now()))
    clock.advance(-0.5)  # NTP-sized corrections pass unremarked
    server.sign_in("alice", PASSWORD, ip="198.51.100.3")
    assert not {"clock.back", "clock.jump"} & set(kinds(server))


def test_hardened_back_off_does_not_grow_when_the_clock_goes_back(clock):
    server, secret, _ = enrolled(HARDENED, clock)
    clock.advance(30)
    wrong = next(c for c in ("123456", "654321") if c != otpkit.code_at(secret, clock.now()))
    with pytest.raises(InvalidToken):
        server.sign_in("alice", PASSWORD, wrong)
    clock.advance(-HOUR)
    with pytest.raises(RateLimited) as caught:
        server.sign_in("alice", PASSWORD, otpkit.code_at(secret, clock.now()), ip="198.51.100.5")
    assert caught.value.retry_after <= 1.0  # one failure: one second, not an hour and a second
    clock.advance(1)
    with pytest.raises(TokenReplayed):  # the step is behind the one used at confirmation
        server.sign_in("alice", PASSWORD, otpkit.code_at(secret, clock.now()), ip="198.51.100.6")


@pytest.mark.parametrize(
    "policy", [MISSKEY, RFC6238, HARDENED], ids=["misskey", "rfc6238", "hardened"]
)
@pytest.mark.parametrize("jump", [-HOUR, -DAY, DAY, 30 * DAY, -AT + 10])
def test_no_crash_whatever_the_jump(clock, policy, jump):
    server, secret, codes = enrolled(policy, clock)
    clock.advance(jump)
    attempts = [
        lambda: server.sign_in("alice", PASSWORD, otpkit.code_at(secret, AT + 30)),
        lambda: server.sign_in("alice", PASSWORD, codes[0], ip="198.51.100.8"),
        lambda: server.register("alice", PASSWORD, codes[1]),
        lambda: server.sign_in("alice", PASSWORD, ip="198.51.100.9"),
    ]
    for attempt in attempts:
        try:
            attempt()
        except otpkit.OtpkitError:
            pass
    assert {"clock.back", "clock.jump"} & set(kinds(server))
    assert all(isinstance(e.message, str) and e.message for e in server.events)
