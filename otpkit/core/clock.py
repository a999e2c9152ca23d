"""Clocks: everything in the kit that asks "what time is it" is handed one of these.

Every time that enters the kit passes ``check_time``: a finite number of Unix seconds from
``EARLIEST`` (1970-01-01T00:00:00Z) to ``LATEST`` (9999-12-31T23:59:59Z).
"""

from __future__ import annotations

import math
import numbers
import time
from typing import Protocol, runtime_checkable

from .errors import InvalidInput

EARLIEST = 0.0
LATEST = 253402300799.0  # 9999-12-31T23:59:59Z, the last second a four-digit year can show
MAX_OFFSET = LATEST  # a clock offset can span the whole range, no more
MAX_SKEW_PPM = 1e6  # -1e6 ppm stops a clock; beyond that it would run backwards


@runtime_checkable
class Clock(Protocol):
    """Anything with ``now() -> float`` (Unix seconds)."""

    def now(self) -> float: ...


def _real(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise InvalidInput(f"{what} must be a real number, not {type(value).__name__}")
    try:
        number = float(value)
    except (OverflowError, ValueError, TypeError):
        raise InvalidInput(f"{what} is far too large to be a number of seconds") from None
    if not math.isfinite(number):
        raise InvalidInput(f"{what} must be a finite number, not {number!r}")
    return number


def _show(number: float) -> str:
    return f"{number:.6g}" if abs(number) >= 1e15 or number != round(number) else f"{number:.0f}"


def check_seconds(value: object, what: str = "seconds", limit: float = LATEST) -> float:
    """``value`` as a float: a finite real number (not a bool) within ``±limit``."""
    number = _real(value, what)
    if abs(number) > limit:
        raise InvalidInput(f"{what} must be within ±{_show(limit)}, not {_show(number)}")
    return number


def check_time(value: object, what: str = "time") -> float:
    """``value`` as Unix seconds (a float) if it lies from EARLIEST to LATEST; else InvalidInput."""
    number = _real(value, what)
    if not EARLIEST <= number <= LATEST:
        raise InvalidInput(
            f"{what} must be a Unix time from {_show(EARLIEST)} (1970-01-01) to {_show(LATEST)} "
            f"(9999-12-31), not {_show(number)}"
        )
    return number


class FixedClock:
    """A clock that never moves: the same instant every time it is asked."""

    def __init__(self, t: float):
        self._t = check_time(t)

    def now(self) -> float:
        return self._t

    def __repr__(self) -> str:
        return f"FixedClock({self._t!r})"


class ManualClock:
    """A clock that moves only when told to: ``advance(seconds)`` or ``set(t)``."""

    def __init__(self, t: float = 0.0):
        self._t = check_time(t)

    def now(self) -> float:
        return self._t

    def advance(self, seconds: float) -> float:
        """Move forward (or back, with a negative number) and return the new time.

        A move that would leave EARLIEST..LATEST raises InvalidInput and leaves the clock as it was.
        """
        step = check_seconds(seconds, "seconds")
        self._t = check_time(self._t + step, f"the time after advancing {_show(step)} s")
        return self._t

    def set(self, t: float) -> float:
        """Jump to ``t`` and return it."""
        self._t = check_time(t)
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
    100 ppm gains 8.64 s a day. ``offset`` and ``skew_ppm`` may be changed later; they are
    checked the same way. A reading outside EARLIEST..LATEST raises InvalidInput.
    """

    def __init__(
        self,
        base: Clock,
        offset: float = 0.0,
        skew_ppm: float = 0.0,
        since: float | None = None,
    ):
        if isinstance(base, type) or not callable(getattr(base, "now", None)):
            given = f"the class {base.__name__}" if isinstance(base, type) else type(base).__name__
            raise InvalidInput(
                "base must be a clock (an object with a now() method), e.g. "
                f"otpkit.ManualClock(t), not {given}"
            )
        offset = _check_offset(offset)
        skew_ppm = _check_skew(skew_ppm)
        if since is None:
            since = check_time(base.now(), "the base clock's time")
        else:
            since = check_time(since, "since")
        self._base = base
        self._offset = offset
        self._skew_ppm = skew_ppm
        self._since = since

    @property
    def base(self) -> Clock:
        """The clock this one drifts from (the true time, in a lesson)."""
        return self._base

    @property
    def since(self) -> float:
        """The base time from which the skew accumulates."""
        return self._since

    @property
    def offset(self) -> float:
        """Seconds ahead of the base (negative: behind)."""
        return self._offset

    @offset.setter
    def offset(self, value: float) -> None:
        self._offset = _check_offset(value)

    @property
    def skew_ppm(self) -> float:
        """Rate error in parts per million (positive: runs fast)."""
        return self._skew_ppm

    @skew_ppm.setter
    def skew_ppm(self, value: float) -> None:
        self._skew_ppm = _check_skew(value)

    def now(self) -> float:
        t = check_time(self._base.now(), "the base clock's time")
        reading = t + self._offset + (t - self._since) * self._skew_ppm * 1e-6
        return check_time(reading, f"this drifting clock's reading (base {_show(t)} s)")

    def error(self) -> float:
        """How far this clock is from its base right now, in seconds (positive = ahead)."""
        return self.now() - check_time(self._base.now(), "the base clock's time")

    def __repr__(self) -> str:
        return (
            f"DriftingClock({self._base!r}, offset={self._offset!r}, skew_ppm={self._skew_ppm!r})"
        )


def _check_offset(value: object) -> float:
    return check_seconds(value, "offset", MAX_OFFSET)


def _check_skew(value: object) -> float:
    return check_seconds(value, "skew_ppm", MAX_SKEW_PPM)
