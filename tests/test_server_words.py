"""The kit's own words, the edges of the views lessons read, and parts of a policy that no preset
combines (so that a mutation of any of them is caught)."""

from __future__ import annotations

from dataclasses import replace

import pytest

import otpkit
from otpkit.core.otp import brief
from otpkit.errors import IncorrectPassword, InvalidInput, InvalidToken, NoSuchUser, RateLimited
from otpkit.server.base import describe_token

from .conftest import AT, PASSWORD, enrolled, fast


def test_describe_token_names_what_is_wrong():
    assert describe_token("") == "nothing was entered"
    assert describe_token("１２３４５６") == "it holds characters that are not plain ASCII digits"
    assert describe_token("12a456") == "it holds characters that are not digits"
    assert describe_token("12345") == "this has 5"


def test_the_refusal_of_a_malformed_code_says_why(clock):
    server, _, _ = enrolled(fast(otpkit.MISSKEY), clock)
    clock.advance(60)
    with pytest.raises(InvalidToken) as caught:
        server.sign_in("alice", PASSWORD, "12a456")
    assert str(caught.value) == (
        "a one-time password is 6 digits (0-9), and this is not a backup code either; it holds "
        "characters that are not digits"
    )


@pytest.mark.parametrize("verb", ["warning", "stored"])
def test_views_of_an_unknown_user_name_it(verb, clock):
    server = otpkit.Server(policy=fast(otpkit.MISSKEY), clock=clock)
    with pytest.raises(NoSuchUser, match="there is no account called 'nobody'") as caught:
        getattr(server, verb)("nobody")
    assert caught.value.status == 404


def test_backup_download_refuses_what_is_not_the_codes(clock):
    server, _, codes = enrolled(fast(otpkit.MISSKEY), clock)
    with pytest.raises(NoSuchUser, match="'nobody'"):
        server.backup_download("nobody", codes)
    for bad in ("ABC", [1, 2], None):
        with pytest.raises(InvalidInput) as caught:
            server.backup_download("alice", bad)
        assert str(caught.value) == "codes must be the list of backup codes that confirm() returned"


def test_warning_edges(clock):
    server = otpkit.Server(policy=fast(otpkit.MISSKEY), clock=clock, rng=otpkit.DemoRandom(3))
    server.sign_up("alice", PASSWORD)
    assert server.warning("alice") is None  # no 2FA
    one = fast(replace(otpkit.MISSKEY, backup=otpkit.BackupScheme(count=1)))
    single = otpkit.Server(policy=one, clock=clock, rng=otpkit.DemoRandom(3))
    single.sign_up("alice", PASSWORD)
    reg = single.register("alice", PASSWORD)
    (code,) = single.confirm("alice", otpkit.code_at(reg.secret, AT))
    assert single.warning("alice") is None  # one issued, one left: "full"
    assert single.sign_in("alice", PASSWORD, code).warning == "none"
    none_issued = fast(replace(otpkit.MISSKEY, backup=otpkit.BackupScheme(count=0)))
    empty = otpkit.Server(policy=none_issued, clock=clock, rng=otpkit.DemoRandom(3))
    empty.sign_up("alice", PASSWORD)
    reg = empty.register("alice", PASSWORD)
    assert empty.confirm("alice", otpkit.code_at(reg.secret, AT)) == []
    assert empty.warning("alice") is None  # nothing issued, nothing to warn about


def test_misskeys_racy_backup_codes_under_a_back_off(clock):
    # No preset combines Misskey's read-filter-write with a back-off; the parts must still work.
    policy = fast(replace(otpkit.MISSKEY, backoff=otpkit.Backoff(base=10.0)))
    server, secret, codes = enrolled(policy, clock)
    clock.advance(60)
    with pytest.raises(InvalidToken):
        server.sign_in(
            "alice",
            PASSWORD,
            "000000" if otpkit.code_at(secret, clock.now()) != "000000" else "111111",
        )
    with pytest.raises(RateLimited) as caught:
        server.sign_in("alice", PASSWORD, codes[0], ip="198.51.100.2")  # blocked, not spent
    assert 0 < caught.value.retry_after <= 10
    assert codes[0] in server.stored("alice")["backup_codes"]
    clock.advance(10)
    result = server.sign_in("alice", PASSWORD, codes[0], ip="198.51.100.3")
    assert result.ok and result.used_backup_code and result.warning == "partial"


def test_a_wrong_backup_code_counts_under_hardened(clock):
    server, _, codes = enrolled(fast(otpkit.HARDENED), clock)
    clock.advance(60)
    fake = "A" * 32
    assert fake not in codes
    with pytest.raises(InvalidToken, match="not one of this account's unused backup codes"):
        server.sign_in("alice", PASSWORD, fake)
    assert server.stored("alice")["consecutive_failures"] == 1
    with pytest.raises(RateLimited):
        server.sign_in("alice", PASSWORD, codes[0], ip="198.51.100.2")
    clock.advance(1)
    assert server.sign_in("alice", PASSWORD, codes[0], ip="198.51.100.3").used_backup_code
    assert server.stored("alice")["consecutive_failures"] == 0


def test_an_all_digit_token_of_backup_length_is_tried_as_a_code(clock):
    # A 10-digit backup code scheme and 10-digit codes: a token that is not a backup code but is
    # all digits falls through to the one-time password check (trimmed by the policy's rule).
    ten = otpkit.OtpParams(digits=10)
    policy = fast(
        replace(
            otpkit.HARDENED,
            params=ten,
            backup=otpkit.BackupScheme(count=2, nbytes=5, alphabet="hex", storage="sha256"),
            sign_in_whitespace="trim",
        )
    )
    server = otpkit.Server(policy=policy, clock=clock, rng=otpkit.DemoRandom(5))
    server.sign_up("alice", PASSWORD)
    reg = server.register("alice", PASSWORD)
    server.confirm("alice", otpkit.code_at(reg.secret, AT, ten))
    clock.advance(60)
    code = otpkit.code_at(reg.secret, clock.now(), ten)
    assert server.sign_in("alice", PASSWORD, f" {code} ").ok


def test_policy_messages_name_the_field():
    for change, words in (
        ({"window": 101}, "window must be a whole number from 0 to 100, not 101"),
        ({"confirm_window": -1}, "confirm_window must be a whole number from 0 to 100, not -1"),
        ({"params": "SHA1"}, "params must be an otpkit.OtpParams, not 'SHA1'"),
        ({"backup": 5}, "backup must be an otpkit.BackupScheme, not 5"),
        (
            {"name": "Misskey!"},
            "a policy name is 1 to 40 lower-case letters, digits or '-', not 'Misskey!'",
        ),
    ):
        with pytest.raises(InvalidInput) as caught:
            replace(otpkit.MISSKEY, **change)
        assert str(caught.value) == words
    assert replace(otpkit.MISSKEY, window=0).window == 0 and replace(otpkit.MISSKEY, window=100)
    with pytest.raises(InvalidInput) as caught:
        otpkit.policy_named("mastodon")
    assert str(caught.value) == (
        "no policy called 'mastodon'; choose one of misskey, misskey-2025, rfc6238, hardened, "
        "django-otp, devise"
    )


def test_hotp_and_brief_edges():
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    assert otpkit.hotp_code(secret, 1, otpkit.OtpParams(digits=8)) == "94287082"
    exactly = "x" * 38  # its repr is 40 characters: kept whole
    assert brief(exactly) == repr(exactly) and brief("x" * 39).endswith("...")


def test_wrong_password_words(clock):
    server = otpkit.Server(policy=fast(otpkit.MISSKEY), clock=clock)
    server.sign_up("alice", PASSWORD)
    with pytest.raises(IncorrectPassword) as caught:
        server.sign_in("alice", "nope")
    assert str(caught.value) == "the password is not right for this account"


@pytest.mark.parametrize(
    "attempt",
    [
        lambda s: s.sign_in("alice", "not the password"),
        lambda s: s.register("alice", "not the password"),
        lambda s: s.unregister("alice", "not the password"),
    ],
    ids=["sign_in", "register", "unregister"],
)
def test_a_wrong_password_is_one_line_of_the_servers_log(attempt, clock):
    server = otpkit.Server(policy=fast(otpkit.MISSKEY_2025), clock=clock)
    server.sign_up("alice", PASSWORD)
    clock.advance(5)
    before = len(server.events)
    with pytest.raises(IncorrectPassword):
        attempt(server)
    assert server.events[before:] == [
        otpkit.Event(AT + 5, "password.wrong", "alice", "wrong password")
    ]


@pytest.mark.parametrize("policy", [otpkit.MISSKEY_2025, otpkit.HARDENED], ids=lambda p: p.name)
def test_a_wrong_password_with_2fa_on_is_logged_at_the_servers_time(policy, clock):
    server, secret, _ = enrolled(fast(policy), clock)
    clock.advance(95)
    code = otpkit.code_at(secret, clock.now(), policy.params)
    with pytest.raises(IncorrectPassword):
        server.unregister("alice", "not the password", token=code)
    wrong = [e for e in server.events if e.kind == "password.wrong"]
    assert wrong == [otpkit.Event(AT + 95, "password.wrong", "alice", "wrong password")]
