"""Sign-in as the real server does it (FACTS.md section 2), and the other policies beside it."""

from __future__ import annotations

import pytest

import otpkit
from otpkit.errors import (
    IncorrectPassword,
    InvalidToken,
    NoSuchUser,
    SetupNotStarted,
    TokenReplayed,
)
from otpkit.race import demonstrate_backup_race

from .conftest import AT, PASSWORD, enrolled, fast

MISSKEY = fast(otpkit.MISSKEY)
RFC6238 = fast(otpkit.RFC6238)
HARDENED = fast(otpkit.HARDENED)
ALL = pytest.mark.parametrize(
    "policy", [MISSKEY, RFC6238, HARDENED], ids=["misskey", "rfc6238", "hardened"]
)


def code(secret: str, clock, steps: int = 0) -> str:
    return otpkit.code_at(secret, clock.now() + 30 * steps)


# -- username, then password, then token ---------------------------------------------------


@ALL
def test_the_three_steps_of_sign_in(clock, policy):
    server, secret, _ = enrolled(policy, clock)
    clock.advance(31)
    assert server.sign_in("alice") == otpkit.SignInResult(ok=False, next="password")
    clock.advance(2)
    assert server.sign_in("alice", PASSWORD) == otpkit.SignInResult(ok=False, next="totp")
    clock.advance(2)
    result = server.sign_in("alice", PASSWORD, code(secret, clock))
    assert result.ok and result.next is None and not result.used_backup_code


def test_username_step_still_says_who_does_not_exist(clock):
    server, _, _ = enrolled(MISSKEY, clock)
    with pytest.raises(NoSuchUser):
        server.sign_in("mallory")


def test_password_is_checked_before_the_token(clock):
    server, secret, codes = enrolled(MISSKEY, clock)
    with pytest.raises(IncorrectPassword):
        server.sign_in("alice", "wrong", codes[0])
    assert codes[0] in server.stored("alice")["backup_codes"]  # not burnt at sign-in
    clock.advance(2)
    with pytest.raises(IncorrectPassword):
        server.sign_in("alice", "wrong", "not even a code")


def test_account_without_2fa_signs_in_with_the_password_alone(clock):
    server = otpkit.Server(policy=MISSKEY, clock=clock)
    server.sign_up("bob", PASSWORD)
    assert server.sign_in("bob", PASSWORD) == otpkit.SignInResult(ok=True)
    assert server.sign_in("bob", PASSWORD, "123456", ip="198.51.100.2").ok  # token ignored


# -- backup code first, then the TOTP ----------------------------------------------------------


@ALL
def test_a_backup_code_is_tried_before_the_totp(clock, policy):
    server, _, codes = enrolled(policy, clock)
    clock.advance(5)
    result = server.sign_in("alice", PASSWORD, codes[2])
    assert result.ok and result.used_backup_code and result.offset is None
    assert len(server.stored("alice")["backup_codes"]) == 4
    assert server.events[-1].kind == "sign_in.ok" and "backup code" in server.events[-1].message


@ALL
def test_backup_codes_are_case_sensitive_and_exact(clock, policy):
    server, _, codes = enrolled(policy, clock)
    for i, wrong in enumerate([codes[0].lower(), codes[0][:-1], codes[0] + "A", f" {codes[0]}"]):
        clock.advance(10 + 2**i)  # past any back-off the previous failure started
        with pytest.raises(InvalidToken):
            server.sign_in("alice", PASSWORD, wrong)
    assert len(server.stored("alice")["backup_codes"]) == 5


@ALL
def test_warnings_partial_then_none(clock, policy):
    server, _, codes = enrolled(policy, clock)
    assert server.warning("alice") is None
    seen = []
    for backup in codes:
        clock.advance(2)
        seen.append(server.sign_in("alice", PASSWORD, backup).warning)
        assert server.warning("alice") == seen[-1]
    assert seen == ["partial"] * 4 + ["none"]


def test_no_warning_without_2fa(clock):
    server = otpkit.Server(policy=MISSKEY, clock=clock)
    server.sign_up("bob", PASSWORD)
    assert server.warning("bob") is None


def test_a_new_setup_brings_a_full_new_set_and_kills_the_old(clock):
    server, secret, old_codes = enrolled(MISSKEY, clock)
    clock.advance(2)
    server.sign_in("alice", PASSWORD, old_codes[0])
    assert server.warning("alice") == "partial"
    clock.advance(60)
    reg = server.register("alice", PASSWORD, code(secret, clock))
    new_codes = server.confirm("alice", code(reg.secret, clock))
    assert server.warning("alice") is None and set(new_codes).isdisjoint(old_codes)
    clock.advance(2)
    with pytest.raises(InvalidToken):
        server.sign_in("alice", PASSWORD, old_codes[1])


# -- disabling 2FA -----------------------------------------------------------------------------


@ALL
def test_unregister_needs_a_valid_token_and_the_password(clock, policy):
    server, secret, codes = enrolled(policy, clock)
    before = server.stored("alice")
    with pytest.raises(InvalidToken):
        server.unregister("alice", PASSWORD, None)
    with pytest.raises(InvalidToken):
        server.unregister("alice", PASSWORD, "000000" if code(secret, clock) != "000000" else "1")
    clock.advance(60)  # past HARDENED's back-off
    assert server.stored("alice")["two_factor_enabled"] == before["two_factor_enabled"]
    server.unregister("alice", PASSWORD, codes[0])
    stored = server.stored("alice")
    assert not stored["two_factor_enabled"] and stored["secret"] is None
    assert stored["backup_codes"] == [] and stored.get("last_used_step") is None
    clock.advance(2)
    assert server.sign_in("alice", PASSWORD).ok
    # With 2FA off, Misskey's unregister checks only the password, and succeeds again.
    server.unregister("alice", PASSWORD, codes[1])
    with pytest.raises(IncorrectPassword):
        server.unregister("alice", "wrong", codes[1])
    clock.advance(2)
    with pytest.raises(InvalidToken):  # the old app's codes are worth nothing now
        server.register("alice", PASSWORD) and server.confirm("alice", code(secret, clock))


def test_misskey_unregister_keeps_the_pending_secret_so_the_old_app_can_re_enable(clock):
    # i/2fa/unregister clears twoFactorSecret and the backup codes, not twoFactorTempSecret;
    # i/2fa/done then needs only a code from it (no password).
    server, secret, _ = enrolled(MISSKEY, clock)
    clock.advance(90)  # past the used-step guard on the enrollment code
    server.unregister("alice", PASSWORD, code(secret, clock))
    clock.advance(90)
    assert server.stored("alice")["pending_secret"] == secret
    assert len(server.confirm("alice", code(secret, clock))) == 5
    assert server.stored("alice")["two_factor_enabled"]


def test_hardened_unregister_drops_the_pending_secret(clock):
    server, secret, _ = enrolled(HARDENED, clock)
    clock.advance(30)
    server.unregister("alice", PASSWORD, code(secret, clock))
    assert server.stored("alice")["pending_secret"] is None
    with pytest.raises(SetupNotStarted):
        server.confirm("alice", code(secret, clock))


# -- re-registering ----------------------------------------------------------------------------


@ALL
def test_re_register_needs_a_valid_token(clock, policy):
    server, secret, codes = enrolled(policy, clock)
    before = server.stored("alice")
    with pytest.raises(InvalidToken):
        server.register("alice", PASSWORD)
    with pytest.raises(InvalidToken):
        server.register("alice", PASSWORD, "")
    assert server.stored("alice") == before
    reg = server.register("alice", PASSWORD, codes[0])
    stored = server.stored("alice")
    assert stored["pending_secret"] == reg.secret != secret
    assert stored["secret"] == secret and stored["two_factor_enabled"]
    assert codes[0] not in server.stored("alice")["backup_codes"]


@ALL
def test_until_confirmed_the_old_app_still_works_then_stops(clock, policy):
    server, secret, _ = enrolled(policy, clock)
    clock.advance(30)
    reg = server.register("alice", PASSWORD, code(secret, clock))
    clock.advance(30)
    assert server.sign_in("alice", PASSWORD, code(secret, clock)).ok  # still the old secret
    clock.advance(2)
    with pytest.raises(InvalidToken):  # a pending secret signs no one in
        server.sign_in("alice", PASSWORD, code(reg.secret, clock, steps=1), ip="198.51.100.2")
    clock.advance(60)
    server.confirm("alice", code(reg.secret, clock))
    clock.advance(30)
    old = code(secret, clock)
    assert old != code(reg.secret, clock)
    with pytest.raises(InvalidToken):
        server.sign_in("alice", PASSWORD, old)
    clock.advance(60)
    assert server.sign_in("alice", PASSWORD, code(reg.secret, clock)).ok


def test_misskey_re_register_burns_the_token_even_when_the_password_is_wrong(clock):
    server, _, codes = enrolled(MISSKEY, clock)
    pending = server.stored("alice")["pending_secret"]
    with pytest.raises(IncorrectPassword):
        server.register("alice", "wrong", codes[0])
    stored = server.stored("alice")
    assert codes[0] not in stored["backup_codes"] and stored["pending_secret"] == pending


def test_hardened_re_register_checks_the_password_first(clock):
    server, _, codes = enrolled(HARDENED, clock)
    before = server.stored("alice")
    with pytest.raises(IncorrectPassword):
        server.register("alice", "wrong", codes[0])
    assert server.stored("alice") == before


def test_misskey_confirm_can_be_repeated_and_renews_the_backup_codes(clock):
    # The pending secret is not cleared on success, so i/2fa/done works again (Misskey).
    server, secret, first = enrolled(MISSKEY, clock)
    clock.advance(30)
    second = server.confirm("alice", code(secret, clock))
    assert set(first).isdisjoint(second) and server.stored("alice")["backup_codes"] == second


@pytest.mark.parametrize("policy", [RFC6238, HARDENED], ids=["rfc6238", "hardened"])
def test_the_confirming_code_cannot_sign_in_again(clock, policy):
    server, secret, _ = enrolled(policy, clock)
    clock.advance(1)
    with pytest.raises(TokenReplayed):
        server.sign_in("alice", PASSWORD, code(secret, clock))


def test_hardened_backs_off_after_wrong_codes_and_a_right_code_resets(clock):
    server, secret, _ = enrolled(HARDENED, clock)
    clock.advance(30)
    for _ in range(3):
        clock.advance(1)
        with pytest.raises(InvalidToken):
            server.sign_in("alice", PASSWORD, "999999" if code(secret, clock) != "999999" else "1")
        with pytest.raises(otpkit.RateLimited):
            server.sign_in("alice", PASSWORD, code(secret, clock), ip="198.51.100.9")
        clock.advance(2 ** server.stored("alice")["consecutive_failures"])
    assert server.stored("alice")["consecutive_failures"] == 3
    clock.advance(30)
    assert server.sign_in("alice", PASSWORD, code(secret, clock)).ok
    assert server.stored("alice")["consecutive_failures"] == 0


# -- the backup-code race, as a lesson ------------------------------------------------------


def test_misskey_race_lets_two_sign_ins_through_with_one_code(clock):
    server, _, codes = enrolled(MISSKEY, clock)
    first, second = demonstrate_backup_race(server, "alice", PASSWORD, codes[0])
    assert isinstance(second, otpkit.SignInResult)
    assert first.ok and first.used_backup_code and second.ok and second.used_backup_code
    assert server.stored("alice")["backup_codes"] == codes[1:]
    assert [e.kind for e in server.events].count("backup_code.used") == 2
    assert server.between_read_and_write is None  # the hook is put back


@pytest.mark.parametrize("policy", [RFC6238, HARDENED], ids=["rfc6238", "hardened"])
def test_race_under_other_policies(clock, policy):
    server, _, codes = enrolled(policy, clock)
    first, second = demonstrate_backup_race(server, "alice", PASSWORD, codes[0])
    assert first.ok and first.used_backup_code
    if policy.atomic_backup_use:
        assert isinstance(second, InvalidToken)
    else:  # RFC6238 says nothing about backup codes: it keeps Misskey's read-filter-write
        assert isinstance(second, otpkit.SignInResult) and second.ok
    assert len(server.stored("alice")["backup_codes"]) == 4


def test_race_hook_is_not_called_for_a_wrong_code(clock):
    server, _, _ = enrolled(MISSKEY, clock)
    calls = []
    server.between_read_and_write = lambda: calls.append(1)
    with pytest.raises(InvalidToken):
        server.sign_in("alice", PASSWORD, "A" * 32)
    assert calls == []


def test_events_read_like_a_log(clock):
    server, secret, _ = enrolled(MISSKEY, clock)
    kinds = [e.kind for e in server.events]
    assert kinds == ["sign_up", "register", "confirm.ok"]
    assert all(e.t == AT and e.username == "alice" for e in server.events)
