"""Both Misskeys, row by row of docs/misskey-sources.md: MISSKEY (2026.6+) and MISSKEY_2025.

The presets' numbers, and how each version checks a code at sign-in: the window, white space,
and the used-step guard (with the enrollment code and backup codes).
"""

from __future__ import annotations

from dataclasses import replace

import pytest

import otpkit
from otpkit.errors import InvalidToken, TokenReplayed

from .conftest import AT, PASSWORD
from .misskey_helpers import OLD, TODAY, WRONG_TOKEN_ID, code, enroll, server_for

# -- the presets ---------------------------------------------------------------------------


def test_presets_hold_each_versions_numbers():
    assert (otpkit.MISSKEY.window, otpkit.MISSKEY.confirm_window) == (1, 1)
    assert (otpkit.MISSKEY_2025.window, otpkit.MISSKEY_2025.confirm_window) == (5, 5)
    assert otpkit.MISSKEY.used_step_guard.ttl == 90 and otpkit.MISSKEY_2025.used_step_guard is None
    assert otpkit.MISSKEY.sign_in_whitespace == "trim"
    assert otpkit.MISSKEY_2025.sign_in_whitespace == "keep"
    for policy in (otpkit.MISSKEY, otpkit.MISSKEY_2025):
        assert policy.confirm_whitespace == "remove" and policy.dialect == "misskey"
        assert policy.backup.count == 5 and policy.backup.length == 32
        assert policy.backup.storage == "plain" and not policy.atomic_backup_use
        assert policy.bcrypt_rounds == 8 and policy.secret_nbytes == 20
        limit = policy.rate_limit
        assert (limit.max_requests, limit.period, limit.min_interval) == (10, 3600, 1)
        assert limit.ipv6_prefix == 64
    assert otpkit.POLICIES["misskey-2025"] is otpkit.MISSKEY_2025
    assert otpkit.policy_named("MISSKEY_2025") is otpkit.MISSKEY_2025


# -- sign-in window, white space and the used-step guard -----------------------------------


@pytest.mark.parametrize(
    ("policy", "widest"), [(TODAY, 1), (OLD, 5)], ids=["misskey", "misskey-2025"]
)
@pytest.mark.parametrize("steps", [-6, -5, -2, -1, 0, 1, 2, 5, 6])
def test_sign_in_window(policy, widest, steps, clock):
    server = server_for(policy, clock)
    secret, _ = enroll(server, clock)
    clock.advance(120)  # past the guard on the enrollment code
    token = code(secret, clock, steps)
    if abs(steps) <= widest:
        assert server.sign_in("alice", PASSWORD, token).offset == steps
    else:
        with pytest.raises(InvalidToken) as caught:
            server.sign_in("alice", PASSWORD, token)
        assert caught.value.answer.id == WRONG_TOKEN_ID and caught.value.status == 403


@pytest.mark.parametrize("pad", [" ", "\t", "\ufeff", "\u3000"])
def test_today_trims_javascript_white_space_at_sign_in(pad, clock):
    server = server_for(TODAY, clock)
    secret, _ = enroll(server, clock)
    clock.advance(60)
    assert server.sign_in("alice", PASSWORD, f"{pad}{code(secret, clock)}{pad}").ok


@pytest.mark.parametrize("pad", ["\x1c", "\x85"])
def test_python_only_white_space_is_not_trimmed(pad, clock):
    server = server_for(TODAY, clock)
    secret, _ = enroll(server, clock)
    clock.advance(60)
    with pytest.raises(InvalidToken):
        server.sign_in("alice", PASSWORD, f"{pad}{code(secret, clock)}")


def test_2025_keeps_the_code_as_sent(clock):
    server = server_for(OLD, clock)
    secret, _ = enroll(server, clock)
    with pytest.raises(InvalidToken):
        server.sign_in("alice", PASSWORD, f" {code(secret, clock)}")


def test_today_refuses_a_replay_within_the_guard(clock):
    server = server_for(TODAY, clock)
    secret, _ = enroll(server, clock)
    clock.advance(60)
    token = code(secret, clock)
    assert server.sign_in("alice", PASSWORD, token).ok
    clock.advance(20)
    with pytest.raises(TokenReplayed) as caught:
        server.sign_in("alice", PASSWORD, token, ip="203.0.113.2")
    # Misskey's own answer does not tell a replay from a wrong code.
    assert caught.value.status == 403 and caught.value.answer.id == WRONG_TOKEN_ID


def test_after_the_guards_90_s_the_code_is_out_of_the_window_anyway(clock):
    server = server_for(TODAY, clock)
    secret, _ = enroll(server, clock)
    clock.set(AT + 600 - (AT + 600) % 30)  # the start of a step
    token = code(secret, clock, steps=1)  # a phone 30 s ahead: the latest code accepted
    assert server.sign_in("alice", PASSWORD, token).offset == 1
    clock.advance(89)
    with pytest.raises(TokenReplayed):
        server.sign_in("alice", PASSWORD, token, ip="203.0.113.2")
    clock.advance(1)  # 90 s: the mark expires just as the step leaves the window
    with pytest.raises(InvalidToken) as caught:
        server.sign_in("alice", PASSWORD, token, ip="203.0.113.3")
    assert not isinstance(caught.value, TokenReplayed)


def test_the_guards_mark_expires_after_its_ttl(clock):
    short = replace(TODAY, window=5, used_step_guard=otpkit.UsedStepGuard(ttl=30))
    server = server_for(short, clock)
    secret, _ = enroll(server, clock)
    clock.advance(120)
    token = code(secret, clock)
    assert server.sign_in("alice", PASSWORD, token).ok
    clock.advance(29)
    with pytest.raises(TokenReplayed):
        server.sign_in("alice", PASSWORD, token, ip="203.0.113.2")
    clock.advance(1)
    assert server.sign_in("alice", PASSWORD, token, ip="203.0.113.3").ok


def test_2025_accepts_a_replayed_code_up_to_170_s_later(clock):
    server = server_for(OLD, clock)
    secret, _ = enroll(server, clock)
    clock.set(AT + 600 - (AT + 600) % 30)
    token = code(secret, clock)
    assert server.sign_in("alice", PASSWORD, token).ok
    clock.advance(179)
    assert server.sign_in("alice", PASSWORD, token, ip="203.0.113.2").offset == -5
    clock.advance(1)
    with pytest.raises(InvalidToken):
        server.sign_in("alice", PASSWORD, token, ip="203.0.113.3")


def test_today_counts_the_enrollment_code_as_used(clock):
    server = server_for(TODAY, clock)
    reg = server.register("alice", PASSWORD)
    token = otpkit.code_at(reg.secret, AT)
    server.confirm("alice", token)
    with pytest.raises(TokenReplayed):
        server.sign_in("alice", PASSWORD, token)


def test_2025_lets_the_enrollment_code_sign_in(clock):
    server = server_for(OLD, clock)
    reg = server.register("alice", PASSWORD)
    token = otpkit.code_at(reg.secret, AT)
    server.confirm("alice", token)
    assert server.sign_in("alice", PASSWORD, token).ok


def test_backup_codes_are_not_covered_by_the_guard(clock):
    server = server_for(TODAY, clock)
    secret, codes = enroll(server, clock)
    clock.advance(60)
    assert server.sign_in("alice", PASSWORD, codes[0]).used_backup_code
    # The backup code left no mark: the code of this very step still signs in.
    assert server.sign_in("alice", PASSWORD, code(secret, clock), ip="203.0.113.2").ok
    # And a backup code is checked as typed, before any trimming.
    with pytest.raises(InvalidToken):
        server.sign_in("alice", PASSWORD, f" {codes[1]}", ip="203.0.113.3")
