"""Both Misskeys, row by row of docs/misskey-sources.md: MISSKEY (2026.6+) and MISSKEY_2025."""

from __future__ import annotations

import base64
from dataclasses import replace

import pytest

import otpkit
from otpkit.errors import (
    IncorrectPassword,
    InvalidInput,
    InvalidToken,
    NoSuchUser,
    RateLimited,
    SetupNotStarted,
    TokenReplayed,
)

from .conftest import AT, PASSWORD, fast

TODAY = fast(otpkit.MISSKEY)
OLD = fast(otpkit.MISSKEY_2025)
BOTH = pytest.mark.parametrize("policy", [TODAY, OLD], ids=["misskey", "misskey-2025"])
INTERNAL = ("INTERNAL_ERROR", "5d37dbcb-891e-41ca-a3d6-e690c97775ac")
WRONG_TOKEN_ID = "cdf1235b-ac71-46d4-a3a6-84ccce48df6f"


def server_for(policy, clock, host="misskey.example"):
    server = otpkit.Server(policy=policy, clock=clock, host=host, rng=otpkit.DemoRandom(7))
    server.sign_up("alice", PASSWORD)
    return server


def enroll(server, clock):
    reg = server.register("alice", PASSWORD)
    codes = server.confirm("alice", otpkit.code_at(reg.secret, clock.now()))
    return reg.secret, codes


def code(secret, clock, steps=0):
    return otpkit.code_at(secret, clock.now() + 30 * steps)


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


# -- enrollment ----------------------------------------------------------------------------


@BOTH
def test_register_answers_misskeys_fields(policy, clock):
    server = server_for(policy, clock, host="misskey.example:3000")
    reg = server.register("Alice", PASSWORD)
    assert reg.label == "alice" and reg.issuer == "misskey.example:3000"
    assert (
        reg.url
        == reg.uri
        == (
            f"otpauth://totp/misskey.example%3A3000:alice?issuer=misskey.example%3A3000"
            f"&secret={reg.secret}&algorithm=SHA1&digits=6&period=30"
        )
    )
    head, _, body = reg.qr.partition(",")
    assert head == "data:image/png;base64" and base64.b64decode(body) == reg.qr_png
    assert otpkit.read_qr(reg.qr_png) == reg.uri


@pytest.mark.parametrize(
    ("policy", "widest"), [(TODAY, 1), (OLD, 5)], ids=["misskey", "misskey-2025"]
)
@pytest.mark.parametrize("steps", [-6, -5, -1, 1, 5, 6])
def test_confirm_window(policy, widest, steps, clock):
    server = server_for(policy, clock)
    reg = server.register("alice", PASSWORD)
    token = otpkit.code_at(reg.secret, AT + 30 * steps)
    if abs(steps) <= widest:
        assert server.confirm_details("alice", token).offset == steps
    else:
        with pytest.raises(InvalidToken) as caught:
            server.confirm("alice", token)
        assert caught.value.status == 500


@BOTH
@pytest.mark.parametrize("shape", ["{a} {b}", "\ufeff{a}{b}", "{a}\u3000{b}\n", "\t{a}{b}"])
def test_confirm_removes_javascript_white_space(policy, shape, clock):
    server = server_for(policy, clock)
    reg = server.register("alice", PASSWORD)
    token = otpkit.code_at(reg.secret, AT)
    assert server.confirm("alice", shape.format(a=token[:3], b=token[3:]))


@BOTH
@pytest.mark.parametrize("pad", ["\x1c", "\x1f", "\x85"])
def test_confirm_keeps_python_only_white_space(policy, pad, clock):
    server = server_for(policy, clock)
    reg = server.register("alice", PASSWORD)
    with pytest.raises(InvalidToken):
        server.confirm("alice", pad + otpkit.code_at(reg.secret, AT))


@pytest.mark.parametrize(
    ("policy", "message"),
    [(TODAY, "authentication failed"), (OLD, "not verified")],
    ids=["misskey", "misskey-2025"],
)
def test_a_wrong_code_at_confirm_is_a_500_with_the_versions_message(policy, message, clock):
    server = server_for(policy, clock)
    server.register("alice", PASSWORD)
    with pytest.raises(InvalidToken) as caught:
        server.confirm("alice", "000000")
    answer = caught.value.answer
    assert (answer.status, answer.code, answer.id) == (500, *INTERNAL)
    assert answer.message == message and answer.is_real
    assert answer.who == policy.title and "time steps" in caught.value.message


def test_today_a_replayed_step_at_confirm_is_not_verified(clock):
    server = server_for(TODAY, clock)
    reg = server.register("alice", PASSWORD)
    token = otpkit.code_at(reg.secret, AT)
    server.confirm("alice", token)
    with pytest.raises(TokenReplayed) as caught:
        server.confirm("alice", token)  # the pending secret is kept: done can run again
    assert caught.value.answer.message == "not verified" and caught.value.status == 500


@BOTH
def test_confirm_before_register_is_a_plain_500(policy, clock):
    server = server_for(policy, clock)
    with pytest.raises(SetupNotStarted) as caught:
        server.confirm("alice", "123456")
    assert caught.value.status == 500 and caught.value.code == "INTERNAL_ERROR"
    assert caught.value.answer.message == "二段階認証の設定が開始されていません"


@BOTH
def test_five_plain_backup_codes(policy, clock):
    server = server_for(policy, clock)
    _, codes = enroll(server, clock)
    assert len(codes) == 5 and all(len(c) == 32 and c.isalnum() and c.isupper() for c in codes)
    assert server.stored("alice")["backup_codes"] == codes


@BOTH
def test_wrong_password_at_register_and_unregister_is_400(policy, clock):
    server = server_for(policy, clock)
    with pytest.raises(IncorrectPassword) as caught:
        server.register("alice", "wrong")
    answer = caught.value.answer
    assert (answer.status, answer.code) == (400, "INCORRECT_PASSWORD")
    assert answer.id == "78d6c839-20c9-4c66-b90a-fc0542168b48"
    with pytest.raises(IncorrectPassword) as caught:
        server.unregister("alice", "wrong")
    assert caught.value.answer.id == "7add0395-9901-4098-82f9-4f67af65f775"
    assert caught.value.status == 400


@BOTH
def test_register_with_2fa_on_needs_a_token_first(policy, clock):
    server = server_for(policy, clock)
    _, codes = enroll(server, clock)
    with pytest.raises(InvalidToken) as caught:
        server.register("alice", PASSWORD)
    assert caught.value.answer.message == "authentication failed" and caught.value.status == 500
    # The backup code is spent although the password after it is wrong.
    with pytest.raises(IncorrectPassword):
        server.register("alice", "wrong", codes[0])
    assert codes[0] not in server.stored("alice")["backup_codes"]


@BOTH
def test_register_without_2fa_still_checks_the_tokens_type(policy, clock):
    server = server_for(policy, clock)
    before = server.stored("alice")
    with pytest.raises(InvalidInput):
        server.register("alice", PASSWORD, token=123456)
    assert server.stored("alice") == before
    assert server.register("alice", PASSWORD, token="ignored without 2FA").secret


@BOTH
def test_pending_secret_outlives_confirm_and_unregister(policy, clock):
    server = server_for(policy, clock)
    reg = server.register("alice", PASSWORD)
    server.confirm("alice", otpkit.code_at(reg.secret, AT))
    clock.advance(120)
    server.unregister("alice", PASSWORD, otpkit.code_at(reg.secret, clock.now()))
    assert server.stored("alice")["pending_secret"] == reg.secret
    clock.advance(120)
    server.confirm("alice", otpkit.code_at(reg.secret, clock.now()))  # 2FA is back on
    assert server.stored("alice")["two_factor_enabled"]


@BOTH
def test_unregister_with_2fa_off_needs_only_the_password(policy, clock):
    server = server_for(policy, clock)
    server.unregister("alice", PASSWORD)
    assert not server.stored("alice")["two_factor_enabled"]


@BOTH
def test_unregister_turns_password_less_sign_in_off(policy, clock):
    server = server_for(policy, clock)
    secret, _ = enroll(server, clock)
    server.store.update_account("alice", lambda a: (replace(a, password_less=True), None))
    clock.advance(120)
    server.unregister("alice", PASSWORD, code(secret, clock))
    assert server.stored("alice")["password_less_login"] is False


@BOTH
def test_backup_download_is_misskeys_file(policy, clock):
    server = server_for(policy, clock, host="misskey.example:3000")
    _, codes = enroll(server, clock)
    name, text = server.backup_download("alice", codes)
    assert name == "alice-2fa-backup-codes.txt"
    assert text == "\n".join(codes) and not text.endswith("\n")


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
