"""The server's log lines for unregister and for a clock found behind the last accepted code, the
exact words of each refusal of a token, the token length limit, 2FA turned off between the read
of an account and the check of its code, and what unregister refuses and resets.

Mutation testing found that nothing pinned these: a log line at time None or for no user, a
boundary moved by one (``>=`` for ``>``), a message dropped or misspelt, a field unregister
forgets to reset. Lessons read the log and the messages, so each is pinned here exactly.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

import otpkit
from otpkit.errors import (
    IncorrectPassword,
    InvalidToken,
    NoSuchUser,
    RateLimited,
    TokenReplayed,
    TwoFactorNotEnabled,
)
from otpkit.server import checks
from otpkit.server.store import MemoryStore

from .conftest import AT, PASSWORD, enrolled, fast
from .conftest import wrong_code as any_wrong_code


def wrong_code(secret: str, t: float, policy: otpkit.Policy) -> str:
    """A well-formed code that matches none of the steps ``policy`` accepts at ``t``."""
    return any_wrong_code(secret, t, policy.window, policy.params)


def alices(server: otpkit.Server, since: int) -> list[otpkit.Event]:
    return [e for e in server.events[since:] if e.username == "alice"]


# -- the log ------------------------------------------------------------------------------


@pytest.mark.parametrize("with_2fa", [True, False], ids=["2fa_on", "2fa_off"])
def test_unregister_is_one_line_of_the_log_with_the_accounts_own_name(with_2fa, clock):
    policy = fast(otpkit.MISSKEY)
    server = otpkit.Server(policy=policy, clock=clock, rng=otpkit.DemoRandom(7))
    server.sign_up("Alice", PASSWORD)
    token = None
    if with_2fa:
        reg = server.register("alice", PASSWORD)
        server.confirm("alice", otpkit.code_at(reg.secret, AT))
        token = otpkit.code_at(reg.secret, AT + 95)
    clock.advance(95)
    before = len(server.events)
    server.unregister("alice", PASSWORD, token)
    assert server.events[before:] == [
        otpkit.Event(AT + 95, "unregister", "Alice", "2FA turned off")
    ]


@pytest.mark.parametrize("period", [30, 60])
def test_a_replay_behind_the_last_accepted_step_says_the_clock_was_ahead(period, clock):
    policy = fast(replace(otpkit.RFC6238, params=otpkit.OtpParams(period=period)))
    server, secret, _ = enrolled(policy, clock)
    clock.advance(10 * period)  # the server's clock runs ten steps ahead...
    assert server.sign_in("alice", PASSWORD, otpkit.code_at(secret, clock.now(), policy.params))
    now = clock.set(AT + 2 * period)  # ...and is put back eight steps
    before = len(server.events)
    with pytest.raises(TokenReplayed):
        server.sign_in(
            "alice", PASSWORD, otpkit.code_at(secret, now, policy.params), ip="198.51.100.2"
        )
    logged = server.events[before:]
    # First the server's own watch on its clock (events.py), then the code's refusal and note.
    assert logged[0].kind == "clock.back" and logged[0].username is None
    assert logged[1:] == [
        otpkit.Event(now, "token.wrong", "alice", "code refused (replayed)"),
        otpkit.Event(
            now,
            "clock.back",
            "alice",
            f"the last code accepted was for a time step 8 steps ({8 * period} s) after the "
            "server's time now: the clock was ahead then or is behind now; codes are refused "
            "until it passes that step",
        ),
    ]


@pytest.mark.parametrize("window", [1, 2])
@pytest.mark.parametrize("beyond", [0, 1], ids=["ahead_by_the_window", "ahead_beyond_it"])
def test_the_clock_note_comes_only_beyond_the_window(window, beyond, clock):
    # A code up to ``window`` steps ahead is accepted by design: a replay of a step at most that
    # far behind the last accepted one is a plain replay; one step further, the clock is behind.
    policy = fast(replace(otpkit.RFC6238, window=window))
    server, secret, _ = enrolled(policy, clock)
    start = clock.advance(300)
    clock.advance(beyond * 30)
    ahead_code = otpkit.code_at(secret, clock.now() + window * 30)
    assert server.sign_in("alice", PASSWORD, ahead_code).offset == window
    clock.set(start)
    before = len(server.events)
    with pytest.raises(TokenReplayed):
        server.sign_in("alice", PASSWORD, otpkit.code_at(secret, start), ip="198.51.100.2")
    ahead = window + beyond
    expected = [otpkit.Event(start, "token.wrong", "alice", "code refused (replayed)")]
    if beyond:
        expected.append(
            otpkit.Event(
                start,
                "clock.back",
                "alice",
                f"the last code accepted was for a time step {ahead} steps ({ahead * 30} s) "
                "after the server's time now: the clock was ahead then or is behind now; codes "
                "are refused until it passes that step",
            )
        )
    assert alices(server, before) == expected


# -- the words of a refused token -----------------------------------------------------------


@pytest.mark.parametrize("token", [None, ""], ids=["none", "empty"])
@pytest.mark.parametrize("verb", ["register", "unregister"])
def test_a_2fa_account_without_a_token_is_told_what_is_needed(verb, token, clock):
    server, _, _ = enrolled(fast(otpkit.MISSKEY), clock)
    with pytest.raises(InvalidToken) as caught:
        getattr(server, verb)("alice", PASSWORD, token)
    assert str(caught.value) == (
        "this account has 2FA: a one-time password or a backup code is needed"
    )


def test_the_back_off_says_how_long_to_wait(clock):
    policy = fast(otpkit.DJANGO_OTP)  # a back-off and no per-address limiter
    server, secret, _ = enrolled(policy, clock)
    clock.advance(60)
    for _ in range(2):
        with pytest.raises(InvalidToken):
            server.sign_in("alice", PASSWORD, wrong_code(secret, clock.now(), policy))
        clock.advance(1)  # past the first delay (1 s); the second is 2 s
    with pytest.raises(RateLimited) as caught:
        server.sign_in("alice", PASSWORD, otpkit.code_at(secret, clock.now()))
    assert caught.value.retry_after == 1.0
    assert str(caught.value) == "too many wrong codes: the next try is allowed in 1 s"


@pytest.mark.parametrize("policy", [otpkit.MISSKEY, otpkit.RFC6238], ids=lambda p: p.name)
def test_a_replayed_code_is_told_to_wait_for_the_next(policy, clock):
    server, secret, _ = enrolled(fast(policy), clock)
    clock.advance(60)
    code = otpkit.code_at(secret, clock.now())
    assert server.sign_in("alice", PASSWORD, code).ok
    clock.advance(1)  # the same time step
    with pytest.raises(TokenReplayed) as caught:
        server.sign_in("alice", PASSWORD, code)
    assert str(caught.value) == "this code's time step was already used: wait for the next code"


@pytest.mark.parametrize(
    "policy", [otpkit.MISSKEY, otpkit.MISSKEY_2025, otpkit.HARDENED], ids=lambda p: p.name
)
def test_a_well_formed_wrong_code_is_told_to_check_the_phones_clock(policy, clock):
    server, secret, _ = enrolled(fast(policy), clock)
    clock.advance(60)
    with pytest.raises(InvalidToken) as caught:
        server.sign_in("alice", PASSWORD, wrong_code(secret, clock.now(), policy))
    assert str(caught.value) == (
        f"wrong code: it matches none of the accepted time steps (now and {policy.window} each "
        "way); check the phone's clock"
    )
    clock.advance(60)
    with pytest.raises(InvalidToken) as caught:
        server.sign_in("alice", PASSWORD, "1234567")  # one digit too many
    assert str(caught.value) == (
        "a one-time password is 6 digits (0-9), and this is not a backup code either; this has 7"
    )


def test_a_token_of_the_longest_length_is_still_checked(clock):
    server, _, _ = enrolled(fast(otpkit.MISSKEY), clock)
    clock.advance(60)
    longest = "1" * checks.MAX_TOKEN
    with pytest.raises(InvalidToken) as caught:
        server.sign_in("alice", PASSWORD, longest)
    assert str(caught.value) == (
        "a one-time password is 6 digits (0-9), and this is not a backup code either; this "
        f"has {checks.MAX_TOKEN}"
    )
    clock.advance(60)
    with pytest.raises(InvalidToken) as caught:
        server.sign_in("alice", PASSWORD, longest + "1")
    assert str(caught.value) == "that is far too long to be a one-time password or backup code"


# -- 2FA turned off between the read and the check ------------------------------------------


class TurnsOffAfterRead(MemoryStore):
    """Once armed, turns 2FA off right after the next read of an account, and hands back the
    account as it was read: another request (unregister in a second tab) ran in between."""

    def __init__(self) -> None:
        super().__init__()
        self.armed = False

    def get(self, key: str):
        account = super().get(key)
        if self.armed and account is not None:
            self.armed = False
            self.update_account(
                key,
                lambda a: (replace(a, two_factor=False, secret=None, backup_codes=()), None),
            )
        return account


@pytest.mark.parametrize(
    "policy",
    [otpkit.MISSKEY, otpkit.RFC6238, otpkit.HARDENED],  # the used-step guard; one transaction
    ids=lambda p: p.name,
)
def test_2fa_turned_off_between_read_and_check(policy, clock):
    policy = fast(policy)
    store = TurnsOffAfterRead()
    server = otpkit.Server(policy=policy, clock=clock, rng=otpkit.DemoRandom(7), store=store)
    server.sign_up("alice", PASSWORD)
    secret = server.register("alice", PASSWORD).secret
    server.confirm("alice", otpkit.code_at(secret, AT))
    clock.advance(60)
    store.armed = True
    before = len(server.events)
    with pytest.raises(TwoFactorNotEnabled) as caught:
        server.sign_in("alice", PASSWORD, otpkit.code_at(secret, clock.now()))
    assert str(caught.value) == "2FA was turned off meanwhile"
    assert alices(server, before) == [
        otpkit.Event(AT + 60, "token.wrong", "alice", "code refused (off)")
    ]


# -- unregister ---------------------------------------------------------------------------


def test_unregister_refuses_an_empty_password_as_a_wrong_one_without_2fa(clock):
    server = otpkit.Server(policy=fast(otpkit.MISSKEY), clock=clock)
    server.sign_up("alice", PASSWORD)
    with pytest.raises(IncorrectPassword) as caught:
        server.unregister("alice", "")
    assert str(caught.value) == "the password is not right for this account"


@pytest.mark.parametrize("policy", [otpkit.MISSKEY, otpkit.HARDENED], ids=lambda p: p.name)
def test_unregister_refuses_an_empty_password_as_a_wrong_one_with_2fa(policy, clock):
    server, secret, _ = enrolled(fast(policy), clock)
    clock.advance(60)
    with pytest.raises(IncorrectPassword):
        server.unregister("alice", "", otpkit.code_at(secret, clock.now()))
    assert server.stored("alice")["two_factor_enabled"]


@pytest.mark.parametrize("policy", [otpkit.MISSKEY, otpkit.HARDENED], ids=lambda p: p.name)
def test_unregister_of_an_unknown_user_names_them(policy, clock):
    # HARDENED speaks the kit's dialect, whose answer depends on the endpoint's name.
    server = otpkit.Server(policy=fast(policy), clock=clock)
    with pytest.raises(NoSuchUser) as caught:
        server.unregister("nobody", PASSWORD)
    assert str(caught.value) == "there is no account called 'nobody'"


def test_unregister_resets_every_2fa_field(clock):
    policy = fast(otpkit.HARDENED)  # drift tracking and a back-off
    server, secret, codes = enrolled(policy, clock)
    clock.advance(60)
    assert server.sign_in("alice", PASSWORD, otpkit.code_at(secret, clock.now() + 30)).offset == 1
    clock.advance(60)
    with pytest.raises(InvalidToken):
        server.unregister("alice", PASSWORD, wrong_code(secret, clock.now() + 30, policy))
    kept = server.store.get("alice")
    assert (kept.backup_codes_issued, kept.drift, kept.failures) == (len(codes), 1, 1)
    assert kept.blocked_until > 0
    clock.advance(1)
    server.unregister("alice", PASSWORD, otpkit.code_at(secret, clock.now() + 30))
    off = server.store.get("alice")
    assert not off.two_factor and off.secret is None and off.backup_codes == ()
    assert (off.backup_codes_issued, off.last_step, off.drift) == (0, None, 0)
    assert (off.failures, off.blocked_until, off.password_less) == (0, 0.0, False)


def test_unregister_without_2fa_forgets_wrong_enrollment_codes(clock):
    # A wrong code at confirm counts against the account before 2FA is on; unregister, with
    # 2FA still off, clears that count and its delay too.
    policy = fast(otpkit.HARDENED)
    server = otpkit.Server(policy=policy, clock=clock, rng=otpkit.DemoRandom(7))
    server.sign_up("alice", PASSWORD)
    secret = server.register("alice", PASSWORD).secret
    with pytest.raises(InvalidToken):
        server.confirm("alice", wrong_code(secret, AT, policy))
    counted = server.store.get("alice")
    assert counted.failures == 1 and counted.blocked_until == AT + 1
    server.unregister("alice", PASSWORD)
    off = server.store.get("alice")
    assert (off.failures, off.blocked_until, off.drift, off.backup_codes_issued) == (0, 0.0, 0, 0)


def test_each_way_of_signing_in_is_one_line_of_the_log(clock):
    policy = fast(otpkit.MISSKEY_2025)
    server, secret, codes = enrolled(policy, clock)
    server.sign_up("bob", PASSWORD)
    clock.advance(100)
    server.sign_in("bob", PASSWORD)
    clock.advance(2)
    server.sign_in("alice", PASSWORD, token=otpkit.code_at(secret, clock.now() - 30))
    clock.advance(2)
    server.sign_in("alice", PASSWORD, token=codes[0])
    signed_in = [e for e in server.events if e.kind == "sign_in.ok"]
    assert signed_in == [
        otpkit.Event(AT + 100, "sign_in.ok", "bob", "signed in (no 2FA)"),
        otpkit.Event(AT + 102, "sign_in.ok", "alice", "signed in with a code", -1),
        otpkit.Event(AT + 104, "sign_in.ok", "alice", "signed in with a backup code"),
    ]


def test_a_refused_address_is_one_line_of_the_log(clock):
    server = otpkit.Server(policy=fast(otpkit.MISSKEY), clock=clock)
    server.sign_up("alice", PASSWORD)
    server.sign_in("alice", PASSWORD, ip="198.51.100.7")
    with pytest.raises(RateLimited):
        server.sign_in("alice", PASSWORD, ip="198.51.100.7")  # within the 1 s interval
    assert server.events[-1] == otpkit.Event(AT, "rate_limited", None, "198.51.100.7 must wait 1 s")


def test_what_the_server_stores_is_named_as_lessons_read_it(clock):
    server, _, _ = enrolled(fast(otpkit.MISSKEY), clock)
    kept = server.stored("alice")
    assert kept["username"] == "alice"
    assert kept["two_factor_enabled"] is True


def test_a_token_too_long_to_check_gets_the_wrong_tokens_answer(clock):
    policy = fast(otpkit.MISSKEY)
    server, secret, _ = enrolled(policy, clock)
    clock.advance(3600)
    with pytest.raises(InvalidToken) as too_long:
        server.unregister("alice", PASSWORD, token="1" * (checks.MAX_TOKEN + 1))
    with pytest.raises(InvalidToken) as wrong:
        server.unregister("alice", PASSWORD, token=wrong_code(secret, clock.now(), policy))
    assert too_long.value.answer == wrong.value.answer


@pytest.mark.parametrize(
    ("ip", "message"),
    [
        (
            "1" * 64,
            f"{'1' * 64!r} is not an IP address: write it as '203.0.113.1' or "
            "'2001:db8::1', with no spaces and no leading zeros",
        ),
        ("1" * 65, f"ip must be an IP address such as '203.0.113.1', not {'1' * 65!r:.60}"),
    ],
    ids=["64-characters", "65-characters"],
)
def test_an_address_is_read_up_to_64_characters(ip, message, clock):
    server = otpkit.Server(policy=fast(otpkit.MISSKEY), clock=clock)
    server.sign_up("alice", PASSWORD)
    with pytest.raises(otpkit.errors.InvalidInput) as caught:
        server.sign_in("alice", PASSWORD, ip=ip)
    assert str(caught.value) == message
