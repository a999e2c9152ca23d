"""The exact edges of every policy part's checks, so that a changed bound or message is caught."""

from __future__ import annotations

from dataclasses import replace

import pytest

import otpkit
from otpkit.core.otp import brief
from otpkit.server.policy import Backoff, RateLimit, UsedStepGuard

YEAR_AND_A_DAY = 366 * 86_400.0


@pytest.mark.parametrize(
    ("make", "ok"),
    [
        (lambda: RateLimit(max_requests=1), True),
        (lambda: RateLimit(max_requests=1_000_000), True),
        (lambda: RateLimit(max_requests=1_000_001), False),
        (lambda: RateLimit(max_requests=0), False),
        (lambda: RateLimit(max_requests=True), False),
        (lambda: RateLimit(max_requests=2.0), False),
        (lambda: RateLimit(period=1.0), True),
        (lambda: RateLimit(period=0.999), False),
        (lambda: RateLimit(period=YEAR_AND_A_DAY), True),
        (lambda: RateLimit(period=YEAR_AND_A_DAY + 1), False),
        (lambda: RateLimit(period=float("inf")), False),
        (lambda: RateLimit(period="3600"), False),
        (lambda: RateLimit(min_interval=0.0), True),
        (lambda: RateLimit(min_interval=-0.001), False),
        (lambda: RateLimit(min_interval=86_400.0), True),
        (lambda: RateLimit(min_interval=86_400.1), False),
        (lambda: RateLimit(ipv6_prefix=1), True),
        (lambda: RateLimit(ipv6_prefix=128), True),
        (lambda: RateLimit(ipv6_prefix=0), False),
        (lambda: RateLimit(ipv6_prefix=129), False),
        (lambda: Backoff(base=0.001), True),
        (lambda: Backoff(base=0.0009), False),
        (lambda: Backoff(base=86_400.0, cap=86_400.0), True),
        (lambda: Backoff(base=86_400.1), False),
        (lambda: Backoff(base=2.0, cap=1.0), False),
        (lambda: Backoff(cap=YEAR_AND_A_DAY), True),
        (lambda: Backoff(cap=YEAR_AND_A_DAY + 1), False),
        (lambda: Backoff(base=False), False),
        (lambda: UsedStepGuard(ttl=1.0), True),
        (lambda: UsedStepGuard(ttl=0.99), False),
        (lambda: UsedStepGuard(ttl=86_400.0), True),
        (lambda: UsedStepGuard(ttl=86_401.0), False),
        (lambda: UsedStepGuard(ttl=float("nan")), False),
    ],
)
def test_each_bound_is_where_it_says(make, ok):
    if ok:
        make()
    else:
        with pytest.raises(otpkit.InvalidInput, match=r"from .* to .*, not"):
            make()


def test_messages_name_the_field_and_the_range():
    with pytest.raises(otpkit.InvalidInput) as caught:
        RateLimit(period=0.5)
    assert str(caught.value) == "period must be a number of seconds from 1 to 3.16224e+07, not 0.5"
    with pytest.raises(otpkit.InvalidInput) as caught:
        RateLimit(max_requests=0)
    assert str(caught.value) == "max_requests must be a whole number from 1 to 1000000, not 0"
    with pytest.raises(otpkit.InvalidInput) as caught:
        UsedStepGuard(ttl=0)
    assert str(caught.value).startswith("ttl must be a number of seconds from 1 to 86400")


def test_the_backoff_doubles_to_its_cap():
    backoff = Backoff(base=1.0, cap=10.0)
    assert [backoff.delay(n) for n in range(0, 7)] == [0.0, 1.0, 2.0, 4.0, 8.0, 10.0, 10.0]
    assert Backoff().delay(10_000) == 3600.0 and Backoff().delay(-1) == 0.0


def test_policy_names_are_found_in_any_spelling():
    for spelling in ("MISSKEY_2025", " misskey-2025 ", "Misskey_2025"):
        assert otpkit.policy_named(spelling) is otpkit.MISSKEY_2025
    for bad in ("misskey 2025", "", None, 7):
        with pytest.raises(otpkit.InvalidInput, match="no policy called"):
            otpkit.policy_named(bad)


def test_brief_cuts_long_values_and_never_raises():
    assert brief("x" * 10) == repr("x" * 10)
    assert brief("x" * 100) == repr("x" * 100)[:37] + "..." and len(brief("x" * 100)) == 40
    assert brief("x" * 100, limit=10) == "'xxxxxx..."
    assert brief(10**5000) == "an integer of about 5001 digits"
    assert brief(2**127) == repr(2**127) and brief(2**128).endswith("39 digits")

    class Hostile:
        def __repr__(self):
            raise RuntimeError("no")

    assert brief(Hostile()) == "a Hostile"


def test_hotp_is_the_counter_code():
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    assert otpkit.hotp_code(secret, 0) == "755224" and otpkit.hotp_code(secret, 9) == "520489"


@pytest.mark.parametrize(
    ("make", "starts"),
    [
        (lambda: RateLimit(min_interval=-1), "min_interval must be"),
        (lambda: RateLimit(ipv6_prefix=0), "ipv6_prefix must be"),
        (lambda: Backoff(base=0), "base must be"),
        (lambda: Backoff(base=86_400.5, cap=90_000.0), "base must be"),
        (lambda: Backoff(cap=0.5), "cap must be"),
        (lambda: replace(otpkit.MISSKEY, bcrypt_rounds=3), "bcrypt_rounds must be"),
        (lambda: replace(otpkit.MISSKEY, secret_nbytes=0), "secret_nbytes must be"),
        (lambda: replace(otpkit.MISSKEY, wrong_code_status=399), "wrong_code_status must be"),
        (lambda: replace(otpkit.MISSKEY, sign_in_whitespace="x"), "sign_in_whitespace must be"),
        (lambda: replace(otpkit.MISSKEY, confirm_whitespace="x"), "confirm_whitespace must be"),
        (lambda: replace(otpkit.MISSKEY, dialect="x"), "dialect must be one of"),
        (lambda: replace(otpkit.MISSKEY, rate_limit=1), "rate_limit must be an otpkit RateLimit"),
        (lambda: replace(otpkit.MISSKEY, backoff=1), "backoff must be an otpkit Backoff"),
        (lambda: replace(otpkit.MISSKEY, used_step_guard=1), "used_step_guard must be an otpkit"),
        (lambda: replace(otpkit.MISSKEY, refuse_replay=1), "refuse_replay must be True or False"),
        (lambda: replace(otpkit.MISSKEY, track_drift=1), "track_drift must be True or False"),
        (lambda: replace(otpkit.MISSKEY, atomic_backup_use=1), "atomic_backup_use must be"),
        (lambda: replace(otpkit.MISSKEY, token_before_password=1), "token_before_password must"),
        (lambda: replace(otpkit.MISSKEY, keeps_pending_secret=1), "keeps_pending_secret must"),
        (lambda: replace(otpkit.MISSKEY, username_rule="("), "username_rule is not a regular"),
    ],
)
def test_each_refusal_names_its_field(make, starts):
    with pytest.raises(otpkit.InvalidInput) as caught:
        make()
    assert str(caught.value).startswith(starts)


def test_the_lowest_and_highest_values_that_pass():
    assert replace(otpkit.MISSKEY, secret_nbytes=1, wrong_code_status=400, bcrypt_rounds=4)
    assert replace(otpkit.MISSKEY, secret_nbytes=128, wrong_code_status=599, bcrypt_rounds=31)
    assert Backoff(base=86_400.0, cap=86_400.0).delay(1) == 86_400.0


@pytest.mark.parametrize("policy", list(otpkit.POLICIES.values()), ids=lambda p: p.name)
def test_cheap_hashing_lowers_only_bcrypts_costs(policy):
    from otpkit.server.policy import cheap_hashing

    cheap = cheap_hashing(policy)
    assert cheap.bcrypt_rounds == 4
    if policy.backup.storage == "bcrypt":
        assert cheap.backup.bcrypt_rounds == 4
        assert replace(cheap.backup, bcrypt_rounds=policy.backup.bcrypt_rounds) == policy.backup
    else:
        assert cheap.backup == policy.backup  # a plain or sha256 code has no cost to lower
    assert replace(cheap, bcrypt_rounds=policy.bcrypt_rounds, backup=policy.backup) == policy


def test_cheap_hashing_lowers_a_bcrypt_stored_backup_codes_cost():
    from otpkit.core.backup import BackupScheme
    from otpkit.server.policy import cheap_hashing

    dear = replace(
        otpkit.DEVISE,
        bcrypt_rounds=12,
        backup=BackupScheme(
            count=10, nbytes=16, alphabet="hex", storage="bcrypt", bcrypt_rounds=12
        ),
    )
    cheap = cheap_hashing(dear)
    assert (cheap.bcrypt_rounds, cheap.backup.bcrypt_rounds) == (4, 4)
    assert replace(cheap, bcrypt_rounds=12, backup=dear.backup) == dear
