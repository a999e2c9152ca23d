"""The closed forms: RFC 4226 section 6's odds of guessing, the time to a 50% chance, what a
rate limit or a back-off allows per hour, and the policies compared in one table."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from ..core.errors import InvalidInput
from ..server.policy import Backoff, Policy, RateLimit
from ..sim import checks
from .constants import ATTACKER_RATE, DAY, HOUR

# --- the servers compared ---------------------------------------------------------------------


def policy_overview(policies: Iterable[Policy], width: int = 100) -> str:
    """A two-column text table: each policy's title (with its version, for Misskey) and its
    one-line summary, wrapped to ``width`` characters."""
    chosen = [checks.policy(p) for p in policies]
    if not chosen:
        raise InvalidInput("give at least one Policy")
    left = max(len("policy"), *(len(p.title) for p in chosen))
    right = max(20, checks.count(width, "width", low=40) - left - 2)
    lines = [f"{'policy':<{left}}  summary (the kit's own words)", f"{'-' * left}  {'-' * right}"]
    for p in chosen:
        wrapped = textwrap.wrap(p.summary or "(no summary)", right, break_on_hyphens=False) or [""]
        lines.append(f"{p.title:<{left}}  {wrapped[0]}")
        lines.extend(f"{'':<{left}}  {more}" for more in wrapped[1:])
    return "\n".join(lines)


# --- online guessing: the closed form --------------------------------------------------------


def accepted_codes(window: int) -> int:
    """How many codes a server accepts at any moment: the current step and ``window`` each way."""
    return 2 * checks.count(window, "window", low=0) + 1


def rfc4226_odds(accepted: int, attempts: float, digits: int = 6) -> float:
    """RFC 4226 section 6: P = s * v / 10^d, for s accepted codes, v attempts, d digits.

    This is an upper bound on the chance that v random guesses hit one of s codes; it is close to
    the exact value while it is small.
    """
    s = checks.count(accepted, "accepted codes", low=1)
    if isinstance(attempts, bool) or not isinstance(attempts, (int, float, np.integer)):
        raise InvalidInput(f"attempts must be a number, not {attempts!r}")
    if not math.isfinite(attempts) or attempts < 0:
        raise InvalidInput(f"attempts must be a finite number >= 0, not {attempts!r}")
    d = checks.count(digits, "digits", low=1)
    return s * float(attempts) / 10**d


def per_ip_rate(limit: RateLimit) -> float:
    """Requests per hour one address can keep up under ``limit``."""
    per_second = limit.max_requests / limit.period
    if limit.min_interval > 0:
        per_second = min(per_second, 1 / limit.min_interval)
    return per_second * HOUR


def guesses_per_hour(
    policy: Policy, ips: int = 1, attacker_rate: float = ATTACKER_RATE
) -> tuple[float, str]:
    """Guesses per hour an attacker keeps up in the long run, and what holds it back.

    The per-IP rate limit grows with the attacker's addresses; a back-off is per account, so it
    does not. ``attacker_rate`` (requests per second) is the attacker's own speed.
    """
    policy = checks.policy(policy)
    ips = checks.count(ips, "ips", low=1)
    rate, reason = (
        checks.positive(attacker_rate, "attacker_rate") * HOUR,
        "the attacker's own speed",
    )
    if policy.rate_limit is not None and ips * per_ip_rate(policy.rate_limit) < rate:
        rate, reason = ips * per_ip_rate(policy.rate_limit), "the rate limit per IP address"
    if policy.backoff is not None and HOUR / policy.backoff.cap < rate:
        rate, reason = HOUR / policy.backoff.cap, "the back-off per account"
    return rate, reason


@dataclass(frozen=True)
class GuessingOdds:
    """How fast random guessing breaks in under one policy (closed form)."""

    policy: str
    window: int
    accepted: int
    digits: int
    ips: int
    guesses_per_hour: float
    limited_by: str
    p_guess: float
    p_hour: float
    guesses_to_half: float
    hours_to_half: float
    title: str = ""

    @property
    def days_to_half(self) -> float:
        return self.hours_to_half * HOUR / DAY

    def p_within(self, hours: float | np.ndarray) -> float | np.ndarray:
        """Chance of at least one hit within ``hours`` (exact for independent guesses)."""
        span = np.asarray(hours, dtype=float)
        if not np.all(np.isfinite(span)) or np.any(span < 0):
            raise InvalidInput("hours must be finite numbers >= 0")
        guesses = span * self.guesses_per_hour
        p = -np.expm1(guesses * math.log1p(-self.p_guess))
        return float(p) if np.ndim(p) == 0 else p


def guessing_odds(
    policy: Policy, ips: int = 1, attacker_rate: float = ATTACKER_RATE
) -> GuessingOdds:
    """RFC 4226's odds per hour, and the time until a break-in is as likely as not.

    Each guess hits with chance q = s / 10^d; after n guesses the chance of a hit is
    1 - (1 - q)^n, which reaches 1/2 at n = ln 2 / -ln(1 - q).
    """
    policy = checks.policy(policy)
    rate, reason = guesses_per_hour(policy, ips, attacker_rate)
    s, d = accepted_codes(policy.window), policy.params.digits
    q = s / 10**d
    n_half = math.log(2) / -math.log1p(-q)
    return GuessingOdds(
        policy=policy.name,
        window=policy.window,
        accepted=s,
        digits=d,
        ips=ips,
        guesses_per_hour=rate,
        limited_by=reason,
        p_guess=q,
        p_hour=rfc4226_odds(s, rate, d),
        guesses_to_half=n_half,
        hours_to_half=n_half / rate,
        title=policy.title,
    )


def guessing_table(
    policies: Iterable[Policy], ips: int = 1, attacker_rate: float = ATTACKER_RATE
) -> list[GuessingOdds]:
    """guessing_odds for each policy."""
    return [guessing_odds(p, ips, attacker_rate) for p in policies]


# --- exponential back-off ---------------------------------------------------------------------


def backoff_guesses(backoff: Backoff, seconds: float) -> int:
    """Wrong codes one account accepts for checking within ``seconds`` of the first.

    After the n-th wrong code in a row every code is refused for ``backoff.delay(n)`` seconds,
    so the guesses come at 0, 1, 3, 7, ... seconds until the delay reaches its cap.
    """
    if not isinstance(backoff, Backoff):
        raise InvalidInput(f"expected a Backoff, not {backoff!r}")
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds < 0:
        raise InvalidInput(f"seconds must be a number >= 0, not {seconds!r}")
    if backoff.base <= 0 or backoff.cap <= 0:
        raise InvalidInput("a back-off needs base > 0 and cap > 0, or it never slows anyone")
    t, n = 0.0, 0
    while t < seconds:
        n += 1  # the n-th guess, at time t
        delay = backoff.delay(n)
        if delay >= backoff.cap or n > 40:
            # From here on the delay stays the same: one more guess every ``delay`` seconds.
            return n + max(0, math.ceil((seconds - t) / delay) - 1)
        t += delay
    return n
