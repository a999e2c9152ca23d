"""The limiter's arithmetic, unit by unit: how long a refused address waits, the gap between two
requests, and whom an IPv6 address is counted with."""

from __future__ import annotations

import pytest

from otpkit.server.policy import RateLimit
from otpkit.server.throttle import limiter_key, record_request


def test_the_wait_runs_to_when_the_oldest_counted_request_leaves_the_period():
    limit = RateLimit(max_requests=3, period=100.0, min_interval=0.0)
    recorded, wait = record_request((0.0, 10.0, 20.0), limit, now=30.0)
    assert recorded == (0.0, 10.0, 20.0, 30.0)
    # Three of the last four must leave: the one at 10 s leaves at 110 s, 80 s from now.
    assert wait == 80.0


def test_a_full_record_of_twice_the_limit_waits_for_the_right_request():
    limit = RateLimit(max_requests=2, period=100.0, min_interval=0.0)
    _, wait = record_request((5.0, 6.0, 7.0), limit, now=8.0)
    assert wait == 7.0 + 100.0 - 8.0


def test_requests_outside_the_period_are_forgotten():
    limit = RateLimit(max_requests=2, period=100.0, min_interval=0.0)
    recorded, wait = record_request((0.0, 50.0), limit, now=100.0)
    assert (recorded, wait) == ((50.0, 100.0), 0.0)


@pytest.mark.parametrize(("gap", "wait"), [(0.0, 1.0), (0.5, 1.0), (1.0, 0.0)])
def test_two_requests_closer_than_the_interval_wait_one_interval(gap, wait):
    limit = RateLimit(max_requests=10, period=3600.0, min_interval=1.0)
    assert record_request((100.0,), limit, now=100.0 + gap)[1] == wait


def test_an_interval_of_zero_never_waits_even_after_the_clock_went_back():
    limit = RateLimit(max_requests=10, period=3600.0, min_interval=0.0)
    recorded, wait = record_request((500.0,), limit, now=400.0)
    assert (recorded, wait) == ((400.0, 400.0), 0.0)


@pytest.mark.parametrize(
    ("address", "prefix", "key"),
    [
        ("2001:db8::1", 64, "2001:db8::/64"),
        ("2001:db8::ffff:1", 64, "2001:db8::/64"),
        ("2001:db8:0:1::1", 64, "2001:db8:0:1::/64"),
        ("2001:db8::1", 128, "2001:db8::1/128"),
        ("2001:db8:ff::1", 48, "2001:db8:ff::/48"),
        ("203.0.113.7", 64, "203.0.113.7"),
    ],
)
def test_ipv6_addresses_are_counted_by_their_network(address, prefix, key):
    assert limiter_key(address, RateLimit(ipv6_prefix=prefix)) == key


def test_a_lockout_left_from_a_clock_that_ran_ahead_is_cut_to_its_own_delay():
    from otpkit.server.policy import Backoff
    from otpkit.server.store import Account
    from otpkit.server.throttle import verify_is_allowed

    backoff = Backoff(base=1.0, cap=3600.0)
    locked = Account(username="alice", password_hash="x", failures=2, blocked_until=1000.0)
    account, wait = verify_is_allowed(locked, backoff, now=0.0)  # two failures: 2 s
    assert (wait, account.blocked_until) == (2.0, 2.0)
    account, wait = verify_is_allowed(account, backoff, now=1.0)
    assert (wait, account.blocked_until) == (1.0, 2.0)
    assert verify_is_allowed(account, backoff, now=2.0)[1] == 0.0
