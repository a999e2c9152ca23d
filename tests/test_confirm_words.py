"""i/2fa/done (``confirm``) in the kit's own words and log lines, and the verdict it rests on:
what a non-text or broken code is told, what an unstarted setup is told, each refusal's line in
the server's log, and backup-code hashes drawn from the server's own generator."""

from __future__ import annotations

import pytest

import otpkit
from otpkit.core.otp import OtpParams
from otpkit.errors import InvalidInput, InvalidToken, NoSuchUser, SetupNotStarted
from otpkit.server.verdict import totp_verdict

from .conftest import AT, PASSWORD, fast, wrong_code


def registered(policy: otpkit.Policy, clock) -> tuple[otpkit.Server, str]:
    server = otpkit.Server(policy=fast(policy), clock=clock, rng=otpkit.DemoRandom(7))
    server.sign_up("alice", PASSWORD)
    return server, server.register("alice", PASSWORD).secret


@pytest.mark.parametrize(
    ("token", "message"),
    [
        (123456, "the code must be text, not int"),
        (None, "the code must be text, not NoneType"),
        ("12\ud80034", "the code holds characters that are not valid text"),
    ],
    ids=["int", "none", "lone-surrogate"],
)
def test_a_code_that_is_not_text_is_told_so(token, message, clock):
    server, _ = registered(otpkit.MISSKEY, clock)
    with pytest.raises(InvalidInput) as caught:
        server.confirm("alice", token)
    assert str(caught.value) == message


@pytest.mark.parametrize("policy", [otpkit.MISSKEY, otpkit.HARDENED], ids=lambda p: p.name)
def test_confirm_for_an_unknown_user_names_them(policy, clock):
    server = otpkit.Server(policy=fast(policy), clock=clock)
    with pytest.raises(NoSuchUser, match="there is no account called 'nobody'"):
        server.confirm("nobody", "123456")


def test_confirm_before_register_says_what_to_do_first(clock):
    server = otpkit.Server(policy=fast(otpkit.HARDENED), clock=clock)
    server.sign_up("alice", PASSWORD)
    with pytest.raises(SetupNotStarted) as caught:
        server.confirm("alice", "123456")
    assert str(caught.value) == "2FA setup has not been started: register the app first"


def test_each_refused_confirmation_is_one_line_of_the_log(clock):
    server, secret = registered(otpkit.MISSKEY_2025, clock)
    clock.advance(10)
    with pytest.raises(InvalidToken):
        server.confirm("alice", "12a456")
    clock.advance(10)
    wrong = wrong_code(secret, clock.now(), 5)
    with pytest.raises(InvalidToken):
        server.confirm("alice", wrong)
    refused = [e for e in server.events if e.kind == "confirm.wrong"]
    assert refused == [
        otpkit.Event(AT + 10, "confirm.wrong", "alice", "code not verified"),
        otpkit.Event(AT + 20, "confirm.wrong", "alice", "code refused (wrong)"),
    ]


def test_bcrypt_stored_backup_codes_are_salted_from_the_servers_generator(clock):
    stored = []
    for _ in range(2):
        server, secret = registered(otpkit.DEVISE, otpkit.ManualClock(AT))
        server.confirm("alice", otpkit.code_at(secret, AT))
        stored.append(server.store.get("alice").backup_codes)
    assert stored[0] == stored[1]  # the same seed, the same salts: a lesson can be replayed
    assert all(code.startswith("$2b$") for code in stored[0])


@pytest.mark.parametrize("period", [30, 60])
def test_a_verdicts_offset_is_counted_in_the_codes_own_steps(period):
    params = OtpParams(period=period)
    secret = "JBSWY3DPEHPK3PXP"
    earlier = otpkit.code_at(secret, AT - period, params)
    verdict = totp_verdict(secret, earlier, AT, params, window=1)
    assert (verdict.offset, verdict.step) == (-1, otpkit.step_at(AT - period, period))


@pytest.mark.parametrize(("policy", "window"), [(otpkit.MISSKEY_2025, 5), (otpkit.HARDENED, 1)])
def test_a_wrong_confirmation_code_is_told_the_confirm_window(policy, window, clock):
    server, secret = registered(policy, clock)
    wrong = wrong_code(secret, AT, window)
    with pytest.raises(InvalidToken) as caught:
        server.confirm("alice", wrong)
    assert str(caught.value) == (
        f"wrong code: it matches none of the accepted time steps (now and {window} each way); "
        "check the phone's clock"
    )
    assert policy.confirm_window == window


def test_a_confirmation_is_one_line_of_the_log_with_its_offset(clock):
    server, secret = registered(otpkit.MISSKEY_2025, clock)
    server.confirm("alice", otpkit.code_at(secret, AT - 30))
    assert server.events[-1] == otpkit.Event(
        AT, "confirm.ok", "alice", "2FA enabled; step offset -1", -1
    )
