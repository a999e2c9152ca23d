"""The exact edges of every policy part's checks, so that a changed bound or message is caught."""

from __future__ import annotations

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
