"""Clocks: everything in the kit that asks "what time is it" is handed one of these."""

from __future__ import annotations

import math
import time
from typing import Protocol, runtime_checkable

from .errors import InvalidInput


@runtime_checkable
class Clock(Protocol):
    """Anything with ``now() -> float`` (Unix seconds)."""

    def now(self) -> float: ...


def _seconds(value: object, what: str = "time") -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidInput(f"{what} must be a number of seconds, not {type(value).__name__}")
    if not math.isfinite(value):
        raise InvalidInput(f"{what} must be a finite number of seconds, not {value!r}")
    return float(value)


class FixedClock:
    """A clock that never moves: the same instant every time it is asked."""

    def __init__(self, t: float):
        self._t = _seconds(t)

    def now(self) -> float:
        return self._t

    def __repr__(self) -> str:
        return f"FixedClock({self._t!r})"


class ManualClock:
    """A clock that moves only when told to: ``advance(seconds)`` or ``set(t)``."""

    def __init__(self, t: float = 0.0):
        self._t = _seconds(t)

    def now(self) -> float:
        return self._t

    def advance(self, seconds: float) -> float:
        """Move forward (or back, with a negative number) and return the new time."""
        self._t += _seconds(seconds, "seconds")
        return self._t

    def set(self, t: float) -> float:
        """Jump to ``t`` and return it."""
        self._t = _seconds(t)
        return self._t

    def __repr__(self) -> str:
        return f"ManualClock({self._t!r})"


class SystemClock:
    """The machine's real clock."""

    def now(self) -> float:
        return time.time()

    def __repr__(self) -> str:
        return "SystemClock()"


class DriftingClock:
    """A device's clock: ``base`` plus a fixed ``offset`` plus a rate error of ``skew_ppm``.

    The skew accumulates from ``since`` (by default the base's time when the clock is made):
    100 ppm gains 8.64 s a day.
    """

    def __init__(
        self,
        base: Clock,
        offset: float = 0.0,
        skew_ppm: float = 0.0,
        since: float | None = None,
    ):
        self.base = base
        self.offset = _seconds(offset, "offset")
        self.skew_ppm = _seconds(skew_ppm, "skew_ppm")
        self.since = base.now() if since is None else _seconds(since, "since")

    def now(self) -> float:
        t = self.base.now()
        return t + self.offset + (t - self.since) * self.skew_ppm * 1e-6

    def error(self) -> float:
        """How far this clock is from its base right now, in seconds (positive = ahead)."""
        return self.now() - self.base.now()

    def __repr__(self) -> str:
        return f"DriftingClock({self.base!r}, offset={self.offset!r}, skew_ppm={self.skew_ppm!r})"
