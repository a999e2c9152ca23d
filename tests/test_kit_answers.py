"""The replies the kit's own policies give (the "kit" dialect), and Misskey's reply where it has
no entry: which status a refused code gets at the 2FA endpoints and at sign-in."""

from __future__ import annotations

import pytest

import otpkit
from otpkit.errors import IncorrectPassword, InvalidToken, NoSuchUser, TokenReplayed

from .conftest import PASSWORD, enrolled, fast

KIT = [otpkit.RFC6238, otpkit.HARDENED, otpkit.DJANGO_OTP, otpkit.DEVISE]


def status_and_code(caught: pytest.ExceptionInfo) -> tuple[int, str | None]:
    return caught.value.answer.status, caught.value.answer.code


@pytest.mark.parametrize("policy", KIT, ids=lambda p: p.name)
def test_a_wrong_code_at_a_2fa_endpoint_gets_the_policys_status(policy, clock):
    server, secret, _ = enrolled(fast(policy), clock)
    clock.advance(3600)
    wrong = otpkit.code_at(secret, clock.now() + 7200, policy.params)
    with pytest.raises(InvalidToken) as at_unregister:
        server.unregister("alice", PASSWORD, token=wrong)
    assert status_and_code(at_unregister) == (policy.wrong_code_status, "INCORRECT_TOKEN")
    clock.advance(3600)
    with pytest.raises(InvalidToken) as at_sign_in:
        server.sign_in("alice", PASSWORD, token=wrong)
    assert status_and_code(at_sign_in) == (403, "INCORRECT_TOKEN")  # sign-in's own status


@pytest.mark.parametrize("policy", KIT, ids=lambda p: p.name)
def test_a_replayed_code_at_a_2fa_endpoint_gets_the_policys_status(policy, clock):
    server, secret, _ = enrolled(fast(policy), clock)
    clock.advance(90)
    code = otpkit.code_at(secret, clock.now(), policy.params)
    server.sign_in("alice", PASSWORD, token=code)
    with pytest.raises(TokenReplayed) as caught:
        server.unregister("alice", PASSWORD, token=code)
    assert status_and_code(caught) == (policy.wrong_code_status, "TOKEN_REPLAYED")


@pytest.mark.parametrize("policy", KIT, ids=lambda p: p.name)
def test_a_wrong_password_at_a_2fa_endpoint_keeps_its_own_status(policy, clock):
    server = otpkit.Server(policy=fast(policy), clock=clock)
    server.sign_up("alice", PASSWORD)
    with pytest.raises(IncorrectPassword) as caught:
        server.register("alice", "not the password")
    assert status_and_code(caught) == (403, "INCORRECT_PASSWORD")


def test_misskey_answers_a_refusal_it_has_no_entry_for_as_an_invalid_parameter(clock):
    server = otpkit.Server(policy=fast(otpkit.MISSKEY), clock=clock)
    with pytest.raises(NoSuchUser) as caught:
        server.unregister("nobody", PASSWORD)
    answer = caught.value.answer
    assert (answer.status, answer.code, answer.id) == (
        400,
        "INVALID_PARAM",
        "3d81ceae-475f-4600-b2a8-2bc116157532",
    )
    assert answer.who == otpkit.MISSKEY.title
