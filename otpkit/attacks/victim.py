"""The victim: the lesson's account enrolled on a real Server (with cheap password hashing), and
how an attacker tries one code against it."""

from __future__ import annotations

from dataclasses import dataclass

from ..core.clock import ManualClock
from ..core.errors import InvalidToken, RateLimited, TokenReplayed
from ..core.otp import code_at, step_at
from ..core.randomness import DemoRandom
from ..server import Server
from ..server.policy import Policy, cheap_hashing
from ..sim import checks
from .constants import AT, DAY, PASSWORD, USER

# --- online guessing against a real server ---------------------------------------------------


@dataclass(frozen=True)
class Victim:
    """An enrolled account on a real server: what its owner knows."""

    server: Server
    clock: ManualClock
    secret: str
    backup_codes: tuple[str, ...]
    qr_png: bytes


def enrolled(policy: Policy, at: float = AT, seed: int = 0) -> Victim:
    """A Server (fast password hashing) on a ManualClock at ``at``, with USER enrolled."""
    clock = ManualClock(at)
    server = Server(
        cheap_hashing(checks.policy(policy)),
        clock,
        rng=DemoRandom(checks.count(seed, "seed", low=0)),
    )
    server.sign_up(USER, PASSWORD)
    registration = server.register(USER, PASSWORD)
    params = server.policy.params
    codes = server.confirm(USER, code_at(registration.secret, clock.now(), params))
    return Victim(server, clock, registration.secret, tuple(codes), registration.qr_png)


def attempt(server: Server, token: str, ip: str) -> str:
    try:
        server.sign_in(USER, PASSWORD, token, ip=ip)
    except TokenReplayed:
        return "refused: already used"
    except RateLimited:
        return "refused: rate limited"
    except InvalidToken:
        return "refused: outside the window"
    return "accepted"


def days_later(clock: ManualClock, period: int, phase: float) -> float:
    # A fresh day, at ``phase`` seconds into a time step: rate limits and back-offs are long over.
    start = (step_at(clock.now() + DAY, period) + 1) * period
    return clock.set(start + phase)
