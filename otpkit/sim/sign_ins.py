"""One sign-in, accepted or not: the step delta between phone and server, and batches of them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..core.errors import InvalidInput
from . import checks
from .checks import window_of


@dataclass(frozen=True)
class Delay:
    """Seconds from reading the code to the server checking it, uniform from ``low`` to ``high``."""

    low: float = 0.0
    high: float = 0.0

    def __post_init__(self) -> None:
        low = checks.number(self.low, "the shortest delay", low=0)
        high = checks.number(self.high, "the longest delay", low=0)
        if high < low:
            raise InvalidInput(f"the longest delay ({high}) is shorter than the shortest ({low})")

    def sample(self, rng: np.random.Generator, size: Any) -> np.ndarray:
        return checks.rng(rng).uniform(self.low, self.high, size)


def _delay(delay: Any) -> Delay:
    if isinstance(delay, Delay):
        return delay
    d = checks.number(delay, "the delay", low=0)
    return Delay(d, d)


def step_delta(offset: Any, phase: Any, delay: Any, period: int = 30) -> np.ndarray:
    """The phone's step minus the server's step, for each sign-in (broadcast)."""
    period = checks.period(period)
    offset = checks.array(offset, "the offset")
    phase = checks.array(phase, "the read moment (phase)")
    delay = checks.array(delay, "the delay")
    if np.any(phase < 0) or np.any(phase >= period):
        raise InvalidInput(f"the read moment (phase) must be from 0 to under {period} seconds")
    if np.any(delay < 0):
        raise InvalidInput("the delay must be >= 0 seconds: the server cannot check a code early")
    # Phone time at reading = s*P + phase; server time at checking = that - offset + delay.
    return -np.floor((phase + delay - offset) / period).astype(np.int64)


def simulate_sign_ins(
    offsets: Any, phases: Any, delays: Any, window: Any, *, period: int = 30, centre: Any = 0
) -> np.ndarray:
    """Accepted (True) or not, for each sign-in: ``|step delta - centre| <= window``."""
    w = window_of(window)
    delta = step_delta(offsets, phases, delays, period)
    centre = np.asarray(centre)
    if not np.issubdtype(centre.dtype, np.integer):
        raise InvalidInput("the centre must be a whole number of steps")
    return np.abs(delta - centre) <= w


@dataclass(frozen=True)
class SignIns:
    """Inputs for a batch of simulated sign-ins (equal-length arrays)."""

    offsets: np.ndarray
    phases: np.ndarray
    delays: np.ndarray

    def accepted(self, window: Any, *, period: int = 30, centre: Any = 0) -> np.ndarray:
        return simulate_sign_ins(
            self.offsets, self.phases, self.delays, window, period=period, centre=centre
        )


def draw_sign_ins(
    n: int,
    rng: np.random.Generator,
    *,
    offset_sd: float = 10.0,
    delay: Any = Delay(2.0, 10.0),
    period: int = 30,
) -> SignIns:
    """``n`` sign-ins: normal phone offsets, a uniform read moment, a uniform delay."""
    n = checks.count(n, "the number of sign-ins")
    rng = checks.rng(rng)
    period = checks.period(period)
    sd = checks.number(offset_sd, "offset_sd", low=0)
    d = _delay(delay)
    return SignIns(rng.normal(0.0, sd, n), rng.random(n) * period, d.sample(rng, n))
