"""Both Misskeys, row by row of docs/misskey-sources.md: MISSKEY (2026.6+) and MISSKEY_2025.

Sign-in: its steps and error ids, the rate limiter, usernames, bcrypt's 72 bytes, and whose
words a learner reads.
"""

from __future__ import annotations

import pytest

import otpkit
from otpkit.errors import (
    IncorrectPassword,
    InvalidInput,
    InvalidToken,
    NoSuchUser,
    RateLimited,
)

from .conftest import PASSWORD, fast
from .misskey_helpers import BOTH, OLD, TODAY, WRONG_TOKEN_ID, enroll, server_for

# -- sign-in -------------------------------------------------------------------------------


@BOTH
def test_sign_in_without_password_asks_for_captcha_or_password(policy, clock):
    server = server_for(policy, clock)
    assert server.sign_in("alice").next == "captcha"
    secret, _ = enroll(server, clock)
    clock.advance(2)
    assert server.sign_in("alice").next == "password"
    clock.advance(2)
    assert server.sign_in("alice", PASSWORD).next == "totp"


@BOTH
def test_sign_in_error_ids(policy, clock):
    server = server_for(policy, clock)
    enroll(server, clock)
    with pytest.raises(NoSuchUser) as caught:
        server.sign_in("bob", PASSWORD, ip="203.0.113.1")
    assert caught.value.status == 404
    assert caught.value.answer.id == "6cc579cc-885d-43d8-95c2-b8c7fc963280"
    with pytest.raises(IncorrectPassword) as caught:
        server.sign_in("alice", "wrong", ip="203.0.113.2")
    assert caught.value.status == 403
    assert caught.value.answer.id == "932c904e-9460-45b7-9ce6-7ed33be7eb2c"
    with pytest.raises(InvalidToken) as caught:
        server.sign_in("alice", PASSWORD, "000000", ip="203.0.113.3")
    assert caught.value.status == 403 and caught.value.answer.id == WRONG_TOKEN_ID


@BOTH
def test_the_limiter_answers_429_on_the_eleventh_request(policy, clock):
    server = server_for(policy, clock)
    for _ in range(10):
        server.sign_in("alice", PASSWORD)
        clock.advance(1)
    with pytest.raises(RateLimited) as caught:
        server.sign_in("alice", PASSWORD)
    answer = caught.value.answer
    assert (answer.status, answer.code) == (429, "TOO_MANY_AUTHENTICATION_FAILURES")
    assert answer.id == "22d05606-fbcf-421a-a2db-b32610dcfd1b"
    assert answer.message == "Too many failed attempts to sign in. Try again later."


@BOTH
def test_requests_less_than_a_second_apart_are_refused(policy, clock):
    server = server_for(policy, clock)
    server.sign_in("alice", PASSWORD)
    clock.advance(0.5)
    with pytest.raises(RateLimited):
        server.sign_in("alice", PASSWORD)
    clock.advance(0.7)  # 1.2 s after the first, but 0.7 s after the refused one
    with pytest.raises(RateLimited):
        server.sign_in("alice", PASSWORD)
    clock.advance(1)
    assert server.sign_in("alice", PASSWORD).ok


@BOTH
def test_a_client_that_keeps_retrying_stays_locked_out(policy, clock):
    server = server_for(policy, clock)
    for _ in range(10):
        server.sign_in("alice", PASSWORD)
        clock.advance(60)
    # It retries every 5 minutes for three hours: every refused request is recorded too, so
    # there are always more than 10 in the last hour.
    for _ in range(36):
        with pytest.raises(RateLimited):
            server.sign_in("alice", PASSWORD)
        clock.advance(300)
    # A client that waits a whole hour without a request gets in.
    clock.advance(3600)
    assert server.sign_in("alice", PASSWORD).ok


@BOTH
def test_ipv6_addresses_share_a_limit_per_64(policy, clock):
    server = server_for(policy, clock)
    for host in range(10):
        server.sign_in("alice", PASSWORD, ip=f"2001:db8:0:7::{host + 1:x}")
        clock.advance(1)
    with pytest.raises(RateLimited):
        server.sign_in("alice", PASSWORD, ip="2001:db8:0:7:ffff:ffff:ffff:ffff")
    assert server.sign_in("alice", PASSWORD, ip="2001:db8:0:8::1").ok
    assert server.sign_in("alice", PASSWORD, ip="203.0.113.7").ok


@BOTH
def test_ipv4_addresses_count_one_by_one(policy, clock):
    server = server_for(policy, clock)
    for _ in range(10):
        server.sign_in("alice", PASSWORD, ip="198.51.100.1")
        clock.advance(1)
    assert server.sign_in("alice", PASSWORD, ip="198.51.100.2").ok


# -- usernames, passwords, and whose words a learner reads ---------------------------------


@BOTH
@pytest.mark.parametrize("name", ["\u212aate", "kat\u00e9", "a" * 21, "", "bob smith", "ｋate"])
def test_names_that_break_misskeys_rule_are_refused_everywhere(policy, name, clock):
    server = server_for(policy, clock)
    server.sign_up("kate", PASSWORD)
    with pytest.raises(InvalidInput, match=r"\\w\{1,20\}|1 to 20") as caught:
        server.sign_up(name, PASSWORD)
    assert "rule" in str(caught.value)
    with pytest.raises(InvalidInput):
        server.sign_in(name, PASSWORD)
    assert server.store.usernames() == ["alice", "kate"]


def test_sign_up_says_when_bcrypt_cuts_the_password(clock):
    server = otpkit.Server(policy=TODAY, clock=clock)
    assert not server.sign_up("short", "p" * 72).password_cut
    long = server.sign_up("long", "é" * 37)  # 74 bytes
    assert long.password_cut
    assert server.sign_in("long", "é" * 36 + "x").ok  # only the first 72 bytes count


def test_answers_say_whose_they_are(clock):
    for policy, real in ((TODAY, True), (OLD, True), (fast(otpkit.HARDENED), False)):
        server = server_for(policy, clock)
        with pytest.raises(IncorrectPassword) as caught:
            server.register("alice", "wrong")
        assert caught.value.answer.is_real is real
        text = caught.value.explain()
        assert text.startswith(("Misskey", "otpkit answered"))
        assert "otpkit explains: the password is not right" in text
