"""Attacks played against a real Server: guessing until the limits say no, replaying a used
code, and relaying a phished code in real time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..core.errors import InvalidInput, InvalidToken, RateLimited
from ..core.otp import code_at, code_for_step, step_at
from ..server.policy import Policy
from ..sim import checks
from .constants import AT, ATTACKER_IP, ATTACKER_RATE, DAY, HOUR, PASSWORD, USER, VICTIM_IP

# --- online guessing against a real server ---------------------------------------------------
from .victim import attempt, days_later, enrolled


@dataclass(frozen=True)
class ServerGuessing:
    """Random guesses sent to a real server until time (or the guess budget) ran out."""

    policy: str
    ips: int
    hours: float
    guesses: tuple[float, ...]
    refused: int
    broke_in: bool
    title: str = ""
    paced: bool = True

    @property
    def count(self) -> int:
        """Guesses the server examined (requests turned away are not counted)."""
        return len(self.guesses)

    @property
    def requests(self) -> int:
        """Every request sent: the guesses examined and the ones turned away."""
        return self.count + self.refused

    def within(self, hours: float) -> int:
        """Guesses examined in the first ``hours``."""
        return sum(1 for t in self.guesses if t < hours * HOUR)


def guess_on_server(
    policy: Policy,
    rng: np.random.Generator,
    hours: float = 24.0,
    ips: int = 1,
    attacker_rate: float = ATTACKER_RATE,
    max_guesses: int = 2_000,
    at: float = AT,
    seed: int = 0,
    paced: bool = True,
) -> ServerGuessing:
    """Guess random codes against a real Server, waiting whenever it answers RateLimited.

    The attacker sends from ``ips`` addresses in turn, at most ``attacker_rate`` requests per
    second and, knowing the server's source, never two from one address closer than its
    limiter's minimum interval (a refused request would count against it all the same). It
    stops after ``hours`` of server time or ``max_guesses`` examined guesses.

    ``paced=False`` plays a careless attacker instead: it ignores ``retry_after`` and the
    minimum interval and simply sends a request every ``1 / attacker_rate`` seconds. Against a
    limiter that records refused requests too, each of those requests keeps its own address
    locked out.
    """
    if not isinstance(paced, bool):
        raise InvalidInput(f"paced must be True or False, not {paced!r}")
    rng = checks.rng(rng)
    ips = checks.count(ips, "ips", low=1)
    horizon = checks.positive(hours, "hours") * HOUR
    gap = 1 / checks.positive(attacker_rate, "attacker_rate")
    budget = checks.count(max_guesses, "max_guesses", low=1)
    victim = enrolled(policy, at, seed)
    server, clock = victim.server, victim.clock
    digits = server.policy.params.digits
    limit = server.policy.rate_limit
    spacing = 0.0 if limit is None else limit.min_interval
    start = clock.now()
    free_at = [start] * ips
    times: list[float] = []
    refused = 0
    broke_in = False
    t = start
    while len(times) < budget:
        ip = min(range(ips), key=lambda i: free_at[i])
        t = max(t, free_at[ip])
        if t - start >= horizon:
            break
        clock.set(t)
        guess = str(int(rng.integers(0, 10**digits))).zfill(digits)
        try:
            broke_in = server.sign_in(USER, PASSWORD, guess, ip=f"198.51.100.{ip % 250}").ok
        except RateLimited as exc:
            refused += 1
            if paced:
                free_at[ip] = t + exc.retry_after
            t += gap
            continue
        except InvalidToken:
            broke_in = False
        times.append(t - start)
        free_at[ip] = t + (spacing if paced else 0.0)
        t += gap
        if broke_in:
            break
    return ServerGuessing(
        policy=server.policy.name,
        ips=ips,
        hours=horizon / HOUR,
        guesses=tuple(times),
        refused=refused,
        broke_in=broke_in,
        title=server.policy.title,
        paced=paced,
    )


# --- replay -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Replay:
    """The victim signs in with a code; the attacker, who saw it, sends it again ``delay`` later."""

    policy: str
    delay: float
    code: str
    victim_ok: bool
    outcome: str
    title: str = ""

    @property
    def accepted(self) -> bool:
        return self.outcome == "accepted"


def replay_on_server(
    policy: Policy,
    delays: Sequence[float] = (5, 60, 120, 170, 200),
    phase: float = 5.0,
    at: float = AT,
    seed: int = 0,
) -> tuple[Replay, ...]:
    """Replay the victim's code after each delay, on a real Server (one day apart)."""
    victim = enrolled(policy, at, seed)
    server, clock = victim.server, victim.clock
    params = server.policy.params
    results = []
    for delay in delays:
        wait = checks.positive(delay, "delay") if delay else 0.0
        read = days_later(clock, params.period, phase)
        code = code_at(victim.secret, read, params)
        outcome = attempt(server, code, VICTIM_IP)
        clock.advance(wait)
        results.append(
            Replay(
                server.policy.name,
                wait,
                code,
                outcome == "accepted",
                attempt(server, code, ATTACKER_IP),
                server.policy.title,
            )
        )
    return tuple(results)


# --- real-time phishing relay ---------------------------------------------------------------


@dataclass(frozen=True)
class RelayWindow:
    """How long a phished code stays good, measured on a real Server.

    ``deadlines[i]`` is the first whole second of relay delay that the server refused, when the
    victim typed the code ``phases[i]`` seconds into its time step.
    """

    policy: str
    window: int
    period: int
    phases: tuple[int, ...]
    deadlines: tuple[int, ...]
    title: str = ""

    @property
    def shortest(self) -> int:
        return min(self.deadlines)

    @property
    def longest(self) -> int:
        return max(self.deadlines)

    @property
    def closed_form(self) -> tuple[int, int]:
        """The attacker's time: window * period (code typed at a step's end) to (window+1) * period."""
        return self.window * self.period, (self.window + 1) * self.period


def relay_on_server(
    policy: Policy, phases: Sequence[int] | None = None, at: float = AT, seed: int = 0
) -> RelayWindow:
    """For each phase, the longest relay delay a real Server accepts, by bisection.

    Each probe happens on a fresh day. When a late relay taught a drift-tracking server a false
    drift, the victim then signs in normally, which puts the drift back to zero.
    """
    victim = enrolled(policy, at, seed)
    server, clock = victim.server, victim.clock
    params, window = server.policy.params, server.policy.window
    if phases is None:
        phases = (0, params.period // 3, 2 * params.period // 3, params.period - 1)
    checked = tuple(checks.count(p, "phase", low=0) for p in phases)
    if not checked or any(p >= params.period for p in checked):
        raise InvalidInput(f"phases must be seconds from 0 to {params.period - 1}")

    def accepted(phase: int, delay: int) -> bool:
        read = days_later(clock, params.period, phase)
        code = code_at(victim.secret, read, params)
        clock.advance(delay)
        ok = attempt(server, code, ATTACKER_IP) == "accepted"
        if server.stored(USER).get("drift_steps"):
            clock.advance(DAY / 2)
            step = step_at(clock.now(), params.period)
            if attempt(server, code_for_step(victim.secret, step, params), VICTIM_IP) != "accepted":
                raise AssertionError("the victim's sign-in failed: the probe left a false drift")
        return ok

    deadlines = []
    for phase in checked:
        low, high = 0, (window + 2) * params.period  # accepted at low, refused at high
        if not accepted(phase, low) or accepted(phase, high):
            raise AssertionError("a relay with no delay must work and one of window+2 steps fail")
        while high - low > 1:
            middle = (low + high) // 2
            low, high = (middle, high) if accepted(phase, middle) else (low, middle)
        deadlines.append(high)
    return RelayWindow(
        server.policy.name, window, params.period, checked, tuple(deadlines), server.policy.title
    )
