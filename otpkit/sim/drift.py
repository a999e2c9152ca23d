"""Drift over days and weeks: simulated sign-ins of a clock population, and closed-form bounds."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..core.errors import InvalidInput
from . import checks
from .checks import window_of
from .device_clocks import DAY, ClockPopulation
from .sign_ins import Delay, _delay, step_delta


@dataclass(frozen=True)
class DriftStudy:
    """What happened when a population of phones signed in over days.

    Arrays are (devices, sign-ins): ``error`` the clock error in seconds, ``delta`` the step delta,
    ``centre`` the delta the server expected, ``accepted`` the outcome.
    """

    days: np.ndarray
    error: np.ndarray
    delta: np.ndarray
    centre: np.ndarray
    accepted: np.ndarray
    window: int
    track_drift: bool
    period: int

    @property
    def first_failure_day(self) -> np.ndarray:
        """For each device the day of its first rejected code (NaN if none)."""
        failed = ~self.accepted
        first = np.argmax(failed, axis=1)
        return np.where(failed.any(axis=1), self.days[first], np.nan)

    @property
    def failure_rate(self) -> np.ndarray:
        """For each sign-in time, the fraction of devices whose code was rejected."""
        return 1.0 - self.accepted.mean(axis=0)


def drift_study(
    population: ClockPopulation,
    days: float,
    window: Any,
    rng: np.random.Generator,
    *,
    track_drift: bool | None = None,
    sign_ins_per_day: int = 1,
    # Delay is a frozen dataclass, so a shared default is safe (ruff cannot see that here).
    delay: Any = Delay(2.0, 10.0),  # noqa: B008
    period: int = 30,
) -> DriftStudy:
    """Every device signs in ``sign_ins_per_day`` times a day for ``days`` days.

    With ``track_drift`` the server does as django-otp: on success it records the step delta and
    next time centres its window on it; without, the window stays centred on 0. ``window`` may
    be a Policy, whose ``track_drift`` is then used unless given.
    """
    w = window_of(window)
    if track_drift is None:
        track_drift = bool(getattr(window, "track_drift", False))
    rng = checks.rng(rng)
    period = checks.period(period)
    per_day = checks.count(sign_ins_per_day, "sign_ins_per_day")
    days = checks.number(days, "days", low=0)
    if not isinstance(population, ClockPopulation):
        raise InvalidInput("population must be a ClockPopulation (see sim.clocks, random_clocks)")
    d = _delay(delay)
    count = max(1, int(round(days * per_day)))
    times = np.arange(1, count + 1) * (DAY / per_day)
    error = population.error(times)
    shape = error.shape
    delta = step_delta(error, rng.random(shape) * period, d.sample(rng, shape), period)
    accepted = np.empty(shape, dtype=bool)
    centre = np.zeros(shape, dtype=np.int64)
    expected = np.zeros(shape[0], dtype=np.int64)
    for k in range(shape[1]):
        centre[:, k] = expected
        ok = np.abs(delta[:, k] - expected) <= w
        accepted[:, k] = ok
        if track_drift:
            expected = np.where(ok, delta[:, k], expected)
    return DriftStudy(times / DAY, error, delta, centre, accepted, w, bool(track_drift), period)


@dataclass(frozen=True)
class FailureTimes:
    """When a skewed clock first can fail (worst read moment) and when it always fails, in days."""

    window: int
    skew_ppm: float
    first_possible_days: float
    certain_days: float


def time_to_failure(
    skew_ppm: float, window: Any, *, offset: float = 0.0, delay: float = 0.0, period: int = 30
) -> FailureTimes:
    """Closed form, for a server that does not track drift (its window stays centred on 0).

    The error grows as ``offset + skew * t``; with ``x = delay - error`` a code is surely
    accepted while ``-wP <= x <= wP`` and surely rejected once ``x <= -(w+1)P`` or ``x >= (w+1)P``.
    """
    w = window_of(window)
    period = checks.period(period)
    skew = checks.number(skew_ppm, "skew_ppm")
    x0 = checks.number(delay, "the delay", low=0) - checks.number(offset, "the offset")
    rate = -skew * 1e-6  # dx/dt, seconds per second
    sure, never = w * period, (w + 1) * period

    def days_until(edge: float, inside: bool) -> float:
        if not inside:
            return 0.0
        if rate == 0:
            return math.inf
        return (math.copysign(edge, rate) - x0) / rate / DAY

    first = days_until(sure, -sure <= x0 <= sure)
    always = days_until(never, -never < x0 < never)
    return FailureTimes(w, skew, first, always)
