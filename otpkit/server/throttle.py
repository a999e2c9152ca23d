"""Throttling: the per-address sign-in limiter, and the per-account back-off after wrong codes.

The limiter works as Misskey's does (node-ratelimiter over Redis sorted sets): every request is
recorded before it is judged, refused ones too, so a client that keeps retrying stays out; one
request per ``min_interval`` and ``max_requests`` per ``period``; IPv6 addresses share a limit
per network (a /64 by default), IPv4 addresses count one by one.

The back-off uses django-otp's three verbs: ``verify_is_allowed`` before a check,
``throttle_increment`` after a failure, ``throttle_reset`` after a success.
"""

from __future__ import annotations

import ipaddress
from dataclasses import replace

from .policy import Backoff, RateLimit
from .store import Account

Hits = tuple[float, ...]


def limiter_key(address: str, limit: RateLimit) -> str:
    """Whom the limit counts: an IPv4 address, or the IPv6 network it belongs to."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address):
        return str(ipaddress.ip_interface(f"{ip}/{limit.ipv6_prefix}").network)
    return str(ip)


def record_request(hits: Hits, limit: RateLimit, now: float) -> tuple[Hits, float]:
    """Record one request; return the new record and how long to wait (0: allowed).

    A time dated after ``now`` (the clock went back, or had jumped ahead) is counted as ``now``,
    so a clock fault can never lock an address out for longer than one period.
    """
    earlier = sorted(min(t, now) for t in hits if now - limit.period < min(t, now))
    recorded = (*earlier, now)
    waits = []
    if earlier and now - earlier[-1] < limit.min_interval:  # never true for an interval of 0
        waits.append(limit.min_interval)
    if len(earlier) >= limit.max_requests:
        # Allowed again once fewer than max_requests recorded requests are inside one period.
        waits.append(recorded[-limit.max_requests] + limit.period - now)
    return recorded, max(waits, default=0.0)


def verify_is_allowed(
    account: Account, backoff: Backoff | None, now: float
) -> tuple[Account, float]:
    """Whether codes may be checked now: (the account, seconds to wait; 0 when allowed).

    A lockout never outlasts its own delay: after the clock went back it is shortened.
    """
    if backoff is None or account.blocked_until <= now:
        return account, 0.0
    wait = account.blocked_until - now
    longest = backoff.delay(account.failures)
    if wait > longest:
        account = replace(account, blocked_until=now + longest)
        wait = longest
    return account, wait


def throttle_increment(account: Account, backoff: Backoff | None, now: float) -> Account:
    """Count one wrong code and start its delay (a policy without back-off keeps no count)."""
    if backoff is None:
        return account
    failures = account.failures + 1
    return replace(account, failures=failures, blocked_until=now + backoff.delay(failures))


def throttle_reset(account: Account) -> Account:
    """Forget the failures after a right code."""
    return replace(account, failures=0, blocked_until=0.0)
