"""The hardening issue's server classes, each pinned by a test that failed before the fix:
replays through confirm, confirm without throttling, clocks that poison the limits, changes
saved half-way, IP text, and register ignoring a token's type."""

from __future__ import annotations

from dataclasses import replace

import pytest

import otpkit
from otpkit.errors import InvalidInput, InvalidToken, RateLimited, SetupNotStarted, TokenReplayed

from .conftest import AT, PASSWORD, enrolled, fast

REFUSE_REPLAYS = [fast(p) for p in (otpkit.RFC6238, otpkit.HARDENED, otpkit.DJANGO_OTP)]
NAMES = [p.name for p in REFUSE_REPLAYS]


def code(secret, t):
    return otpkit.code_at(secret, t)


# -- 1. a policy that refuses replays cannot be made to accept one through confirm ---------


@pytest.mark.parametrize("policy", REFUSE_REPLAYS, ids=NAMES)
def test_confirm_cannot_replay_a_code_used_at_sign_in(policy, clock):
    server, secret, _ = enrolled(policy, clock)
    clock.advance(30)
    used = code(secret, clock.now())
    assert server.sign_in("alice", PASSWORD, used).ok
    # The pending secret is gone: confirm cannot turn a used code into a fresh success...
    with pytest.raises((SetupNotStarted, TokenReplayed)):
        server.confirm("alice", used)
    # ...nor move the remembered step backwards for the next sign-in.
    with pytest.raises(TokenReplayed):
        server.sign_in("alice", PASSWORD, used, ip="198.51.100.2")


def test_a_second_confirm_cannot_replace_the_downloaded_backup_codes(clock):
    server, secret, codes = enrolled(fast(otpkit.RFC6238), clock)
    clock.advance(60)
    with pytest.raises(SetupNotStarted):
        server.confirm("alice", code(secret, clock.now()))
    assert server.stored("alice")["backup_codes"] == codes


def test_misskey_keeps_its_own_weakness_there(clock):
    # Misskey keeps the pending secret: a fresh code at i/2fa/done replaces the backup codes.
    for policy in (fast(otpkit.MISSKEY), fast(otpkit.MISSKEY_2025)):
        server, secret, codes = enrolled(policy, clock)
        clock.advance(120)
        fresh = server.confirm("alice", code(secret, clock.now()))
        assert fresh != codes and server.stored("alice")["backup_codes"] == fresh


@pytest.mark.parametrize("policy", REFUSE_REPLAYS, ids=NAMES)
def test_re_registering_keeps_the_old_secrets_steps_apart(policy, clock):
    server, secret, codes = enrolled(policy, clock)
    clock.advance(30)
    reg = server.register("alice", PASSWORD, code(secret, clock.now()))
    new = code(reg.secret, clock.now() - 30)  # an older step of the new secret: not a replay
    server.confirm("alice", new)
    with pytest.raises(TokenReplayed):
        server.sign_in("alice", PASSWORD, new, ip="198.51.100.3")


# -- 2. confirm is throttled where the policy has a back-off --------------------------------


def test_hardened_counts_wrong_codes_at_confirm(clock):
    server = otpkit.Server(policy=fast(otpkit.HARDENED), clock=clock, rng=otpkit.DemoRandom(1))
    server.sign_up("alice", PASSWORD)
    reg = server.register("alice", PASSWORD)
    right = code(reg.secret, AT)
    wrong = next(c for c in ("111111", "222222") if c != right)
    with pytest.raises(InvalidToken):
        server.confirm("alice", wrong)
    with pytest.raises(RateLimited) as caught:
        server.confirm("alice", right)  # within the back-off: even the right code waits
    assert 0 < caught.value.retry_after <= 1
    assert server.stored("alice")["consecutive_failures"] == 1
    clock.advance(1)
    assert server.confirm("alice", right)


def test_an_attacker_cannot_try_every_code_at_confirm(clock):
    server = otpkit.Server(policy=fast(otpkit.HARDENED), clock=clock, rng=otpkit.DemoRandom(1))
    server.sign_up("alice", PASSWORD)
    server.register("alice", PASSWORD)
    examined = []
    for guess in range(200):
        try:
            server.confirm("alice", f"{guess:06d}")
        except RateLimited as exc:
            clock.advance(exc.retry_after)
            continue
        except InvalidToken:
            examined.append(clock.now() - AT)
        clock.advance(0.5)
    # The delays double: the first hour holds a dozen guesses, and a hundred take days.
    assert sum(1 for t in examined if t < 3600) <= 13
    assert examined[99] > 3 * 86_400


# -- 4. clocks cannot poison or disable the limits -----------------------------------------


@pytest.mark.parametrize("reading", [float("nan"), float("inf"), -1.0, 1e20, None, "1700000000"])
def test_a_broken_clock_is_refused_and_changes_nothing(reading):
    class Broken:
        def __init__(self):
            self.value = AT

        def now(self):
            return self.value

    clock = Broken()
    server = otpkit.Server(policy=fast(otpkit.MISSKEY), clock=clock)
    server.sign_up("alice", PASSWORD)
    before = server.stored("alice")
    clock.value = reading
    for call in (
        lambda: server.sign_in("alice", PASSWORD),
        lambda: server.register("alice", PASSWORD),
        lambda: server.sign_up("bob", PASSWORD),
    ):
        with pytest.raises(InvalidInput, match="clock"):
            call()
    clock.value = AT
    assert server.stored("alice") == before and server.store.usernames() == ["alice"]


def test_a_clock_that_jumped_far_ahead_does_not_lock_an_address_out_for_ages(clock):
    server = otpkit.Server(policy=fast(otpkit.MISSKEY), clock=clock)
    server.sign_up("alice", PASSWORD)
    clock.advance(200 * otpkit.demo.YEAR)  # the clock jumps two centuries ahead...
    for _ in range(12):
        clock.advance(1)
        try:
            server.sign_in("alice", PASSWORD)
        except RateLimited:
            pass
    clock.set(AT + 10)  # ...and is put right
    with pytest.raises(RateLimited) as caught:
        server.sign_in("alice", PASSWORD)
    assert caught.value.retry_after <= 3600  # at most one period, never centuries
    clock.advance(3601)
    assert server.sign_in("alice", PASSWORD).ok


# -- 5. bad hosts and policies are refused when made; a failing register stores nothing ----


@pytest.mark.parametrize(
    "host", ["bad\ud800host", "mïsskey.example", "a b", "a/b", "x@y", "", ":3000", "h:99999"]
)
def test_bad_hosts_are_refused_at_construction(host, clock):
    with pytest.raises(InvalidInput):
        otpkit.Server(clock=clock, host=host)


@pytest.mark.parametrize(
    "change",
    [
        {"params": None},
        {"window": True},
        {"window": -1},
        {"confirm_window": 2.5},
        {"bcrypt_rounds": "8"},
        {"rate_limit": "10/hour"},
        {"backup": None},
        {"sign_in_whitespace": "strip"},
        {"dialect": "mastodon"},
        {"name": "Bad Name"},
        {"refuse_replay": 1},
    ],
)
def test_bad_policies_are_refused_when_made(change):
    with pytest.raises(InvalidInput):
        replace(otpkit.MISSKEY, **change)


@pytest.mark.parametrize(
    "make",
    [
        lambda: otpkit.RateLimit(max_requests=0),
        lambda: otpkit.RateLimit(period=float("nan")),
        lambda: otpkit.RateLimit(min_interval=-1),
        lambda: otpkit.Backoff(base=float("inf")),
        lambda: otpkit.UsedStepGuard(ttl=0),
    ],
)
def test_bad_parts_of_a_policy_are_refused_when_made(make):
    with pytest.raises(InvalidInput):
        make()


def test_a_register_that_fails_stores_nothing(clock):
    class Failing:
        def token_bytes(self, n):
            raise otpkit.InvalidInput("no randomness today")

    server = otpkit.Server(policy=fast(otpkit.MISSKEY), clock=clock, rng=otpkit.DemoRandom(1))
    server.sign_up("alice", PASSWORD)
    before = server.stored("alice")
    server.rng = Failing()
    with pytest.raises(InvalidInput):
        server.register("alice", PASSWORD)
    assert server.stored("alice") == before


# -- 7. IP text is parsed and canonicalised -------------------------------------------------


@pytest.mark.parametrize(
    "ip", [" 203.0.113.9", "203.000.113.009", "203.0.113.9 ", "1.2.3", "", "localhost", None, 7]
)
def test_ip_text_that_is_not_an_address_is_refused(ip, clock):
    server = otpkit.Server(policy=fast(otpkit.MISSKEY), clock=clock)
    server.sign_up("alice", PASSWORD)
    with pytest.raises(InvalidInput):
        server.sign_in("alice", PASSWORD, ip=ip)


def test_spellings_of_one_address_share_one_limit(clock):
    server = otpkit.Server(policy=fast(otpkit.MISSKEY), clock=clock)
    server.sign_up("alice", PASSWORD)
    spellings = ["203.0.113.9", "::ffff:203.0.113.9", "::ffff:cb00:7109"]
    for n in range(10):
        server.sign_in("alice", PASSWORD, ip=spellings[n % 3])
        clock.advance(1)
    for ip in spellings:
        with pytest.raises(RateLimited):
            server.sign_in("alice", PASSWORD, ip=ip)
        clock.advance(1)


# -- 11. register checks a token's type even without 2FA; bcrypt's cut is reported ---------


@pytest.mark.parametrize("token", [123456, b"123456", ["123456"], 1.5, True])
def test_register_without_2fa_refuses_a_token_of_the_wrong_type(token, clock):
    server = otpkit.Server(policy=fast(otpkit.MISSKEY), clock=clock)
    server.sign_up("alice", PASSWORD)
    before = server.stored("alice")
    with pytest.raises(InvalidInput):
        server.register("alice", PASSWORD, token)
    assert server.stored("alice") == before


def test_the_72_byte_cut_is_said_and_logged(clock):
    server = otpkit.Server(policy=fast(otpkit.MISSKEY), clock=clock)
    result = server.sign_up("alice", "x" * 80)
    assert result.password_cut and "72 bytes" in server.events[-1].message
    assert server.sign_in("alice", "x" * 72 + "anything").ok
