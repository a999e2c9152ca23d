"""Device clocks: many phones' clock errors over time, each with an offset, a skew and a sync."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..core.errors import InvalidInput
from . import checks

DAY = 86_400.0


@dataclass(frozen=True)
class ClockPopulation:
    """Many device clocks at once.

    A device's error (its clock minus true time) is ``offset`` right after a correction, and grows
    by ``skew_ppm`` millionths of the time since: 20 ppm is 1.7 s a day. A device corrects itself
    (NTP or the phone network) every ``sync_every`` seconds (``inf``: never); ``sync_phase`` is how
    long before time 0 its last correction was.
    """

    offset: np.ndarray
    skew_ppm: np.ndarray
    sync_every: np.ndarray
    sync_phase: np.ndarray

    def __post_init__(self) -> None:
        n = np.shape(self.offset)
        for name in ("offset", "skew_ppm", "sync_phase"):
            arr = checks.array(getattr(self, name), name)
            if arr.shape != n or arr.ndim != 1:
                raise InvalidInput(f"{name} must be a 1-D array as long as offset")
            object.__setattr__(self, name, arr)
        every = np.asarray(self.sync_every, dtype=float)
        if every.shape != n or np.any(np.isnan(every)) or np.any(every <= 0):
            raise InvalidInput(
                "sync_every must be positive seconds (inf for never), one per device"
            )
        object.__setattr__(self, "sync_every", every)

    def __len__(self) -> int:
        return len(self.offset)

    def error(self, t: Any) -> np.ndarray:
        """Clock error in seconds at times ``t`` (seconds from 0): shape (devices, len(t))."""
        times = checks.array(t, "the times")
        if np.any(times < 0):
            raise InvalidInput("the times must be >= 0 seconds")
        times = np.atleast_1d(times)[None, :]
        every = self.sync_every[:, None]
        since = times + self.sync_phase[:, None]
        synced = np.isfinite(every)
        since = np.where(synced, np.mod(since, np.where(synced, every, 1.0)), since)
        return self.offset[:, None] + self.skew_ppm[:, None] * 1e-6 * since


def clocks(
    offset: Any = 0.0, skew_ppm: Any = 0.0, sync_every: Any = np.inf, sync_phase: Any = 0.0
) -> ClockPopulation:
    """A ClockPopulation from numbers or arrays (broadcast to one length)."""
    arrays = np.broadcast_arrays(
        np.atleast_1d(np.asarray(offset, dtype=float)),
        np.atleast_1d(np.asarray(skew_ppm, dtype=float)),
        np.atleast_1d(np.asarray(sync_every, dtype=float)),
        np.atleast_1d(np.asarray(sync_phase, dtype=float)),
    )
    return ClockPopulation(*(np.array(a) for a in arrays))


def random_clocks(
    n: int,
    rng: np.random.Generator,
    *,
    offset_sd: float = 1.0,
    skew_sd_ppm: float = 20.0,
    sync_every_days: float = 1.0,
    unsynced: float = 0.1,
) -> ClockPopulation:
    """``n`` phones: normal offsets and skews; a fraction ``unsynced`` never corrects its clock.

    Quartz crystals in phones are typically within tens of ppm; phones with automatic time
    switched off keep their skew for good.
    """
    n = checks.count(n, "the number of devices")
    rng = checks.rng(rng)
    checks.number(offset_sd, "offset_sd", low=0)
    checks.number(skew_sd_ppm, "skew_sd_ppm", low=0)
    every = checks.number(sync_every_days, "sync_every_days", low=0) * DAY
    if every <= 0:
        raise InvalidInput("sync_every_days must be more than 0")
    if not 0.0 <= checks.number(unsynced, "unsynced") <= 1.0:
        raise InvalidInput(f"unsynced is a fraction from 0 to 1, not {unsynced!r}")
    offset = rng.normal(0.0, offset_sd, n)
    skew = rng.normal(0.0, skew_sd_ppm, n)
    never = rng.random(n) < unsynced
    sync_every = np.where(never, np.inf, every)
    sync_phase = np.where(never, 0.0, rng.random(n) * every)
    return ClockPopulation(offset, skew, sync_every, sync_phase)
