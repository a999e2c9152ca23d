"""Misskey 2023.9-2026.5 (MISSKEY_2025) does what that server did, weaknesses included.

Tests of what changed in 2026.6, and of each row of docs/misskey-sources.md under both
versions, are in test_misskey_versions_*.py (codes, enrollment, sign_in).
"""

from __future__ import annotations

import re

import pytest

import otpkit
from otpkit.errors import (
    IncorrectPassword,
    InvalidInput,
    InvalidToken,
    NoSuchUser,
    SetupNotStarted,
    TokenReplayed,
    UserExists,
)

from .conftest import AT, PASSWORD, enrolled, fast

MISSKEY = fast(otpkit.MISSKEY_2025)


def new_server(clock, policy=MISSKEY):
    server = otpkit.Server(policy=policy, clock=clock, rng=otpkit.DemoRandom(7))
    server.sign_up("Alice", PASSWORD)
    return server


def test_misskey_defaults_are_the_real_ones():
    policy = otpkit.MISSKEY_2025
    assert policy.params == otpkit.OtpParams("SHA1", 6, 30)
    assert policy.window == 5 and policy.secret_nbytes == 20 and policy.bcrypt_rounds == 8
    assert not policy.refuse_replay and policy.backup.count == 5 and policy.backup.length == 32
    assert policy.backup.storage == "plain"
    assert (policy.rate_limit.max_requests, policy.rate_limit.period) == (10, 3600)
    assert policy.rate_limit.min_interval == 1


def test_password_is_bcrypt_with_eight_rounds(clock):
    server = otpkit.Server(clock=clock)
    server.sign_up("bob", PASSWORD)
    assert re.fullmatch(r"\$2[ab]\$08\$.{53}", server.stored("bob")["password_hash"])


def test_register_returns_misskey_fields_and_keeps_a_pending_secret(clock):
    server = new_server(clock)
    reg = server.register("alice", PASSWORD)
    assert re.fullmatch(r"[A-Z2-7]{32}", reg.secret)
    assert reg.uri == (
        f"otpauth://totp/misskey.example:Alice?issuer=misskey.example&secret={reg.secret}"
        "&algorithm=SHA1&digits=6&period=30"
    )
    assert reg.label == "Alice" and reg.issuer == "misskey.example"
    assert otpkit.read_qr(reg.qr_png) == reg.uri
    stored = server.stored("alice")
    assert stored["pending_secret"] == reg.secret and stored["secret"] is None
    assert not stored["two_factor_enabled"]


def test_usernames_are_case_insensitive(clock):
    server = new_server(clock)
    with pytest.raises(UserExists):
        server.sign_up("ALICE", "x")
    assert server.sign_in("aLiCe", PASSWORD).ok


def test_re_register_replaces_the_pending_secret(clock):
    server = new_server(clock)
    first = server.register("alice", PASSWORD)
    second = server.register("alice", PASSWORD)
    assert first.secret != second.secret
    with pytest.raises(InvalidToken):
        server.confirm("alice", otpkit.code_at(first.secret, AT))
    assert server.confirm("alice", otpkit.code_at(second.secret, AT))


@pytest.mark.parametrize("offset", range(-5, 6))
def test_confirm_accepts_five_steps_each_way(clock, offset):
    server = new_server(clock)
    reg = server.register("alice", PASSWORD)
    confirmation = server.confirm_details("alice", otpkit.code_at(reg.secret, AT + 30 * offset))
    codes = confirmation.backup_codes
    assert confirmation.offset == offset
    assert len(codes) == 5 and all(re.fullmatch(r"[A-Z2-7]{32}", c) for c in codes)
    assert server.stored("alice")["backup_codes"] == codes  # plain text, as Misskey keeps them


@pytest.mark.parametrize("offset", [-6, 6, -7, 7])
def test_confirm_refuses_six_steps_with_a_500(clock, offset):
    server = new_server(clock)
    reg = server.register("alice", PASSWORD)
    with pytest.raises(InvalidToken) as caught:
        server.confirm("alice", otpkit.code_at(reg.secret, AT + 30 * offset))
    assert caught.value.status == 500
    assert not server.stored("alice")["two_factor_enabled"]


def test_confirm_strips_all_whitespace(clock):
    server = new_server(clock)
    reg = server.register("alice", PASSWORD)
    code = otpkit.code_at(reg.secret, AT)
    assert server.confirm("alice", f" {code[:3]}\t{code[3:]}\n")


def test_confirm_before_register(clock):
    server = new_server(clock)
    with pytest.raises(SetupNotStarted):
        server.confirm("alice", "123456")


def test_sign_in_asks_for_totp_then_accepts_code(clock):
    server, secret, _ = enrolled(MISSKEY, clock)
    first = server.sign_in("alice", PASSWORD)
    assert (first.ok, first.next) == (False, "totp")
    clock.advance(1)
    assert server.sign_in("alice", PASSWORD, "").next == "totp"
    clock.advance(1)
    assert server.sign_in("alice", PASSWORD, otpkit.code_at(secret, clock.now())).ok


def test_sign_in_window_edges(clock):
    server, secret, _ = enrolled(MISSKEY, clock)
    for offset in (-5, 5):
        clock.advance(1)
        assert server.sign_in(
            "alice", PASSWORD, otpkit.code_at(secret, clock.now() + 30 * offset)
        ).ok
    for offset in (-6, 6):
        clock.advance(1)
        with pytest.raises(InvalidToken) as caught:
            server.sign_in("alice", PASSWORD, otpkit.code_at(secret, clock.now() + 30 * offset))
        assert caught.value.status == 403


def test_replay_is_accepted_by_misskey(clock):
    server, secret, _ = enrolled(MISSKEY, clock)
    code = otpkit.code_at(secret, clock.now())
    for _ in range(3):
        clock.advance(1)
        assert server.sign_in("alice", PASSWORD, code).ok


@pytest.mark.parametrize("policy", [otpkit.RFC6238, otpkit.HARDENED], ids=["rfc6238", "hardened"])
def test_replay_is_refused_by_stricter_policies(clock, policy):
    server, secret, _ = enrolled(fast(policy), clock)
    clock.advance(30)
    code = otpkit.code_at(secret, clock.now())
    assert server.sign_in("alice", PASSWORD, code).ok
    clock.advance(1)
    with pytest.raises(TokenReplayed):
        server.sign_in("alice", PASSWORD, code)


def test_backup_codes_are_single_use_and_warn(clock):
    server, _, codes = enrolled(MISSKEY, clock)
    assert server.warning("alice") is None
    for number, code in enumerate(codes, start=1):
        clock.advance(1)
        result = server.sign_in("alice", PASSWORD, code)
        assert result.ok and result.used_backup_code
        assert result.warning == ("none" if number == 5 else "partial")
        clock.advance(1)
        with pytest.raises(InvalidToken, match="each works only once"):
            server.sign_in("alice", PASSWORD, code)
    assert server.stored("alice")["backup_codes"] == []


def test_wrong_password_and_unknown_user(clock):
    server, secret, _ = enrolled(MISSKEY, clock)
    with pytest.raises(IncorrectPassword) as caught:
        server.sign_in("alice", "wrong", otpkit.code_at(secret, AT))
    assert caught.value.status == 403 and caught.value.code is None
    assert caught.value.answer.id == "932c904e-9460-45b7-9ce6-7ed33be7eb2c"
    clock.advance(1)
    with pytest.raises(IncorrectPassword):
        server.sign_in("alice", "")
    clock.advance(1)
    with pytest.raises(NoSuchUser) as caught:
        server.sign_in("mallory", PASSWORD)
    assert caught.value.status == 404
    with pytest.raises(IncorrectPassword):
        server.register("alice", "nope", otpkit.code_at(secret, AT))


def test_rate_limit_ten_an_hour_one_second_apart(clock):
    server, _, _ = enrolled(MISSKEY, clock)
    with pytest.raises(otpkit.RateLimited):
        for _ in range(2):
            server.sign_in("alice", PASSWORD)  # two requests in the same second
    for _ in range(10):
        clock.advance(2)
        try:
            server.sign_in("alice", PASSWORD)
        except otpkit.RateLimited as exc:
            assert exc.status == 429 and exc.code == "TOO_MANY_AUTHENTICATION_FAILURES"
            assert 3000 < exc.retry_after <= 3600
            break
    else:
        pytest.fail("the eleventh request within an hour was not limited")
    clock.advance(3600)
    assert server.sign_in("alice", PASSWORD).next == "totp"
    assert server.sign_in("alice", PASSWORD, ip="198.51.100.7").next == "totp"


def test_token_is_checked_before_the_password_so_a_backup_code_burns(clock):
    server, _, codes = enrolled(MISSKEY, clock)
    with pytest.raises(IncorrectPassword):
        server.unregister("alice", "wrong password", codes[0])
    assert codes[0] not in server.stored("alice")["backup_codes"]
    hardened, _, hard_codes = enrolled(fast(otpkit.HARDENED), clock)
    with pytest.raises(IncorrectPassword):
        hardened.unregister("alice", "wrong password", hard_codes[0])
    assert len(hardened.stored("alice")["backup_codes"]) == 5


def test_unregister_clears_everything(clock):
    server, secret, _ = enrolled(MISSKEY, clock)
    server.unregister("alice", PASSWORD, otpkit.code_at(secret, AT))
    stored = server.stored("alice")
    assert not stored["two_factor_enabled"] and stored["secret"] is None
    assert stored["backup_codes"] == []
    assert server.sign_in("alice", PASSWORD).ok


def test_backup_download_file_name(clock):
    server, _, codes = enrolled(MISSKEY, clock)
    assert server.backup_download("alice", codes) == (
        "alice-2fa-backup-codes.txt",
        "\n".join(codes),
    )
    ported = otpkit.Server(policy=MISSKEY, clock=clock, host="misskey.example:3000")
    ported.sign_up("bob", PASSWORD)
    assert ported.backup_download("bob", [])[0] == "bob-2fa-backup-codes.txt"


HOSTILE_TOKENS = [
    "12345",
    "1234567",
    "12a456",
    "abcdef",
    "１２３４５６",
    " 123456",
    "1" * 10_000,
    "123\x00456",
    "٣٤٥٦٧٨",
]


def test_an_empty_token_asks_for_the_code_again(clock):
    server, _, _ = enrolled(MISSKEY, clock)
    before = server.stored("alice")
    assert server.sign_in("alice", PASSWORD, "") == otpkit.SignInResult(ok=False, next="totp")
    assert server.stored("alice") == before


@pytest.mark.parametrize("token", HOSTILE_TOKENS)
def test_hostile_tokens_are_refused_and_change_nothing(clock, token):
    server, _, _ = enrolled(MISSKEY, clock)
    before = server.stored("alice")
    clock.advance(1)
    with pytest.raises(otpkit.OtpkitError):
        server.sign_in("alice", PASSWORD, token)
    assert server.stored("alice") == before


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("", "x"),
        ("a" * 21, "x"),
        ("bad name", "x"),
        ("ok", ""),
        ("ok", "p" * 5000),
        (None, "x"),
        ("ok", None),
        ("ünï", "x"),
    ],
)
def test_bad_sign_up_input(clock, username, password):
    server = otpkit.Server(policy=MISSKEY, clock=clock)
    with pytest.raises(InvalidInput):
        server.sign_up(username, password)
    assert server.store.usernames() == []


@pytest.mark.parametrize(
    ("policy", "status"),
    [(MISSKEY, 500), (fast(otpkit.HARDENED), 403)],
    ids=["misskey", "hardened"],
)
def test_a_wrong_code_in_the_settings_is_a_500_under_misskey(clock, policy, status):
    server, secret, _ = enrolled(policy, clock)
    wrong = f"{(int(otpkit.code_at(secret, AT)) + 1) % 10**6:06d}"
    for call in (
        lambda: server.unregister("alice", PASSWORD, wrong),
        lambda: server.register("alice", PASSWORD, wrong),
    ):
        clock.advance(10)  # past HARDENED's back-off after the first wrong code
        with pytest.raises(InvalidToken) as caught:
            call()
        assert caught.value.status == status
    assert server.stored("alice")["two_factor_enabled"]
