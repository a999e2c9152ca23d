"""The server's front doors in the kit's exact words: what sign-up, the constructor and the
argument checks say, what sign-up logs, and the clock notes at their edges (a step back of just
over one second, a silence of just over six hours)."""

from __future__ import annotations

import math

import pytest

import otpkit
from otpkit.errors import InvalidInput
from otpkit.server.events import CLOCK_BACK_TOLERANCE, CLOCK_JUMP

from .conftest import AT, PASSWORD, fast


def server(clock) -> otpkit.Server:
    return otpkit.Server(policy=fast(otpkit.MISSKEY), clock=clock)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s: s.sign_up(123, PASSWORD), "the username must be text, not int"),
        (lambda s: s.sign_up("alice", None), "the password must be text, not NoneType"),
        (
            lambda s: s.sign_up("alice\ud800", PASSWORD),
            "the username holds characters that are not valid text",
        ),
        (
            lambda s: s.sign_up("bob", "pass\udfffword"),
            "the password holds characters that are not valid text",
        ),
        (lambda s: s.sign_in("carol", PASSWORD, token=5), "the code must be text, not int"),
    ],
    ids=["username-int", "password-none", "username-surrogate", "password-surrogate", "code-int"],
)
def test_an_argument_that_is_not_text_is_named(call, message, clock):
    s = server(clock)
    s.sign_up("carol", PASSWORD)
    with pytest.raises(InvalidInput) as caught:
        call(s)
    assert str(caught.value) == message


def test_sign_up_answers_and_logs_the_new_account(clock):
    s = server(clock)
    assert s.sign_up("alice", PASSWORD) == otpkit.SignUpResult("alice", password_cut=False)
    assert s.sign_up("bob", "x" * 80).password_cut
    assert [(e.t, e.kind, e.username, e.message) for e in s.events] == [
        (AT, "sign_up", "alice", "account created"),
        (AT, "sign_up", "bob", "account created; only the first 72 bytes of the password count"),
    ]


def test_the_constructor_names_what_it_needs():
    with pytest.raises(InvalidInput) as no_policy:
        otpkit.Server(policy="misskey")
    assert str(no_policy.value) == ("policy must be a Policy such as otpkit.MISSKEY, not 'misskey'")
    for not_a_clock in (object(), otpkit.FixedClock, None):
        with pytest.raises(InvalidInput) as no_clock:
            otpkit.Server(clock=not_a_clock)
        assert str(no_clock.value) == (
            "the server needs a clock, e.g. otpkit.FixedClock(1700000000)"
        )


def test_a_clock_reading_garbage_is_named_as_the_servers_clock():
    class Broken:
        def now(self) -> float:
            return math.nan

    with pytest.raises(InvalidInput) as caught:
        otpkit.Server(policy=fast(otpkit.MISSKEY), clock=Broken()).sign_up("alice", PASSWORD)
    assert str(caught.value) == "the server's clock must be a finite number, not nan"


@pytest.mark.parametrize(
    ("move", "kind"),
    [
        (-CLOCK_BACK_TOLERANCE, None),
        (-CLOCK_BACK_TOLERANCE - 0.5, "clock.back"),
        (CLOCK_JUMP, None),
        (CLOCK_JUMP + 0.5, "clock.jump"),
    ],
    ids=["back-1s", "back-1.5s", "silent-6h", "silent-6h-and-a-bit"],
)
def test_the_clock_notes_start_just_past_their_edges(move, kind, clock):
    s = server(clock)
    s.sign_up("alice", PASSWORD)
    clock.advance(move)
    s.sign_up("bob", PASSWORD)
    notes = [(e.t, e.kind) for e in s.events if e.kind.startswith("clock.")]
    assert notes == ([] if kind is None else [(AT + move, kind)])


def test_an_hotp_uri_writes_its_counter():
    uri = otpkit.KeyUri(secret="JBSWY3DPEHPK3PXP", account="a", type="hotp", counter=5).to_uri()
    assert uri.endswith("&counter=5")
    assert otpkit.parse_uri(uri).counter == 5


@pytest.mark.parametrize("host", ["misskey.example:1", "misskey.example:65535", "localhost"])
def test_a_host_with_any_real_port_is_taken(host):
    assert (
        otpkit.Server(policy=fast(otpkit.MISSKEY), clock=otpkit.FixedClock(AT), host=host).host
        == host
    )


@pytest.mark.parametrize(
    ("host", "message"),
    [
        ("misskey.example:0", "the port in 'misskey.example:0' must be from 1 to 65535"),
        ("misskey.example:65536", "the port in 'misskey.example:65536' must be from 1 to 65535"),
        (
            "mis key.example",
            "host must be an ASCII host name with an optional port, like 'misskey.example' or "
            "'localhost:3000', not 'mis key.example'",
        ),
    ],
    ids=["port-0", "port-65536", "space"],
)
def test_a_host_the_server_cannot_have_is_named(host, message):
    with pytest.raises(InvalidInput) as caught:
        otpkit.Server(policy=fast(otpkit.MISSKEY), clock=otpkit.FixedClock(AT), host=host)
    assert str(caught.value) == message


def test_a_generator_without_token_bytes_is_refused():
    with pytest.raises(InvalidInput):
        otpkit.Server(policy=fast(otpkit.MISSKEY), clock=otpkit.FixedClock(AT), rng=object())


@pytest.mark.parametrize("policy", [otpkit.MISSKEY, otpkit.HARDENED], ids=lambda p: p.name)
def test_register_refuses_an_empty_password_as_a_wrong_one_and_names_a_stranger(policy, clock):
    s = otpkit.Server(policy=fast(policy), clock=clock)
    s.sign_up("alice", PASSWORD)
    with pytest.raises(otpkit.IncorrectPassword):
        s.register("alice", "")
    with pytest.raises(otpkit.NoSuchUser, match="there is no account called 'nobody'"):
        s.register("nobody", PASSWORD)
