"""The chance that a code is accepted: in closed form, and estimated by Monte Carlo."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from . import checks
from .checks import window_of
from .sign_ins import _delay, simulate_sign_ins


def _probability(p: np.ndarray) -> np.ndarray:
    # Differences of large ramps leave rounding dust (1e-16) where the answer is exactly 0 or 1.
    return np.clip(np.round(p, 12), 0.0, 1.0)


def _ramp2(x: np.ndarray) -> np.ndarray:
    return np.square(np.maximum(x, 0.0)) / 2


def acceptance_probability(
    offset: Any, window: Any, delay: Any = 0.0, *, period: int = 30, centre: int = 0
) -> np.ndarray:
    """Chance that a code is accepted, when the read moment is uniform over the step (exact).

    With ``y = phase + delay - offset`` the code is accepted exactly when ``y`` lies in
    ``[(-centre-w)P, (-centre+w+1)P)``. For a fixed delay the chance is the overlap of
    ``[x, x+P)`` (``x = delay - offset``) with that interval, divided by P: a trapezoid in the
    offset. A uniform delay averages the trapezoid, which integrates in closed form.
    """
    w = window_of(window)
    period = checks.period(period)
    offset = checks.array(offset, "the offset")
    d = _delay(delay)
    c = checks.count(centre, "the centre", low=-(10**9))
    lo, hi = (-c - w) * period, (-c + w + 1) * period
    corners = np.array([lo - period, lo, hi - period, hi], dtype=float)
    signs = np.array([1.0, -1.0, -1.0, 1.0])
    x_low = d.low - offset
    if d.high == d.low:
        ramps = np.maximum(x_low[..., None] - corners, 0.0)
        return _probability((ramps @ signs) / period)
    x_high = d.high - offset
    g_high = _ramp2(x_high[..., None] - corners) @ signs
    g_low = _ramp2(x_low[..., None] - corners) @ signs
    return _probability((g_high - g_low) / (period * (d.high - d.low)))


@dataclass(frozen=True)
class Estimate:
    """A Monte Carlo estimate and its standard error (arrays shaped like the offsets)."""

    value: np.ndarray
    stderr: np.ndarray
    n: int


def acceptance_monte_carlo(
    offset: Any,
    window: Any,
    rng: np.random.Generator,
    delay: Any = 0.0,
    *,
    n: int = 100_000,
    period: int = 30,
    centre: int = 0,
) -> Estimate:
    """The same chance as :func:`acceptance_probability`, estimated from ``n`` random sign-ins."""
    w = window_of(window)
    rng = checks.rng(rng)
    n = checks.count(n, "the number of samples")
    period = checks.period(period)
    offset = checks.array(offset, "the offset")
    d = _delay(delay)
    shape = (*offset.shape, n)
    phases = rng.random(shape) * period
    delays = d.sample(rng, shape)
    ok = simulate_sign_ins(offset[..., None], phases, delays, w, period=period, centre=centre)
    p = ok.mean(axis=-1)
    # A zero standard error at p = 0 or 1 would make any disagreement infinitely significant;
    # the floor is what one success or failure in n would give.
    q = np.clip(p, 1.0 / n, 1.0 - 1.0 / n)
    return Estimate(p, np.sqrt(q * (1 - q) / n), n)
