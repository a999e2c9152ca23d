"""Simulations of code windows and clock drift, vectorised with numpy.

Conventions used throughout:

* ``offset`` is how far the phone's clock is ahead of true time, in seconds (negative = behind).
* ``phase`` is the moment within the phone's time step when the learner reads the code, in seconds
  from the start of that step (the app's countdown shows ``period - phase``).
* ``delay`` is the time from reading the code to the server checking it (typing plus network).
* ``window`` is how many steps each way the server accepts; ``centre`` is the step delta it
  expects (0, or the drift it recorded last time when it tracks drift).
* the *step delta* of a sign-in is the phone's step minus the server's step.

All randomness comes from a ``numpy.random.Generator`` passed in as ``rng``; nothing here reads the
wall clock. Bad input raises :class:`otpkit.errors.InvalidInput`.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from .errors import InvalidInput
from .otp import OtpParams, secret_bytes

DAY = 86_400.0
_TWO_31 = 2**31


# --- checking input ------------------------------------------------------------------------


def _array(value: Any, name: str) -> np.ndarray:
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"{name} must be a number or an array of numbers") from exc
    if not np.all(np.isfinite(arr)):
        raise InvalidInput(f"{name} must be finite numbers (no NaN or infinity)")
    return arr


def _number(value: Any, name: str, *, low: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise InvalidInput(f"{name} must be a number, not {type(value).__name__}")
    if not math.isfinite(value):
        raise InvalidInput(f"{name} must be a finite number, not {value!r}")
    if low is not None and value < low:
        raise InvalidInput(f"{name} must be at least {low}, not {value!r}")
    return float(value)


def _count(value: Any, name: str, *, low: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise InvalidInput(f"{name} must be a whole number, not {value!r}")
    if value < low:
        raise InvalidInput(f"{name} must be at least {low}, not {value!r}")
    return int(value)


def window_of(policy_or_window: Any) -> int:
    """The window (steps accepted each way) of a Policy, or the int itself."""
    window = getattr(policy_or_window, "window", policy_or_window)
    if isinstance(window, bool) or not isinstance(window, (int, np.integer)) or window < 0:
        raise InvalidInput(
            f"the window must be a whole number of steps >= 0 (0 accepts only the current "
            f"step), not {window!r}"
        )
    return int(window)


def _period(period: Any) -> int:
    if isinstance(period, bool) or not isinstance(period, (int, np.integer)) or period < 1:
        raise InvalidInput(f"the period must be a whole number of seconds >= 1, not {period!r}")
    return int(period)


def _rng(rng: Any) -> np.random.Generator:
    if not isinstance(rng, np.random.Generator):
        raise InvalidInput(
            "rng must be a numpy Generator: pass np.random.default_rng(seed), "
            f"not {type(rng).__name__}"
        )
    return rng


# --- device clocks -------------------------------------------------------------------------


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
            arr = _array(getattr(self, name), name)
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
        times = _array(t, "the times")
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
    n = _count(n, "the number of devices")
    rng = _rng(rng)
    _number(offset_sd, "offset_sd", low=0)
    _number(skew_sd_ppm, "skew_sd_ppm", low=0)
    every = _number(sync_every_days, "sync_every_days", low=0) * DAY
    if every <= 0:
        raise InvalidInput("sync_every_days must be more than 0")
    if not 0.0 <= _number(unsynced, "unsynced") <= 1.0:
        raise InvalidInput(f"unsynced is a fraction from 0 to 1, not {unsynced!r}")
    offset = rng.normal(0.0, offset_sd, n)
    skew = rng.normal(0.0, skew_sd_ppm, n)
    never = rng.random(n) < unsynced
    sync_every = np.where(never, np.inf, every)
    sync_phase = np.where(never, 0.0, rng.random(n) * every)
    return ClockPopulation(offset, skew, sync_every, sync_phase)


# --- one sign-in: accepted or not ----------------------------------------------------------


@dataclass(frozen=True)
class Delay:
    """Seconds from reading the code to the server checking it, uniform from ``low`` to ``high``."""

    low: float = 0.0
    high: float = 0.0

    def __post_init__(self) -> None:
        low = _number(self.low, "the shortest delay", low=0)
        high = _number(self.high, "the longest delay", low=0)
        if high < low:
            raise InvalidInput(f"the longest delay ({high}) is shorter than the shortest ({low})")

    def sample(self, rng: np.random.Generator, size: Any) -> np.ndarray:
        return _rng(rng).uniform(self.low, self.high, size)


def _delay(delay: Any) -> Delay:
    if isinstance(delay, Delay):
        return delay
    d = _number(delay, "the delay", low=0)
    return Delay(d, d)


def step_delta(offset: Any, phase: Any, delay: Any, period: int = 30) -> np.ndarray:
    """The phone's step minus the server's step, for each sign-in (broadcast)."""
    period = _period(period)
    offset = _array(offset, "the offset")
    phase = _array(phase, "the read moment (phase)")
    delay = _array(delay, "the delay")
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
    n = _count(n, "the number of sign-ins")
    rng = _rng(rng)
    period = _period(period)
    sd = _number(offset_sd, "offset_sd", low=0)
    d = _delay(delay)
    return SignIns(rng.normal(0.0, sd, n), rng.random(n) * period, d.sample(rng, n))


# --- acceptance probability: closed form and Monte Carlo -------------------------------------


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
    period = _period(period)
    offset = _array(offset, "the offset")
    d = _delay(delay)
    c = _count(centre, "the centre", low=-(10**9))
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
    rng = _rng(rng)
    n = _count(n, "the number of samples")
    period = _period(period)
    offset = _array(offset, "the offset")
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


# --- drift over days and weeks ---------------------------------------------------------------


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
    delay: Any = Delay(2.0, 10.0),
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
    rng = _rng(rng)
    period = _period(period)
    per_day = _count(sign_ins_per_day, "sign_ins_per_day")
    days = _number(days, "days", low=0)
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
    period = _period(period)
    skew = _number(skew_ppm, "skew_ppm")
    x0 = _number(delay, "the delay", low=0) - _number(offset, "the offset")
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


# --- statistics of real codes -----------------------------------------------------------------


@dataclass(frozen=True)
class ChiSquare:
    """A chi-square goodness-of-fit result: a small p-value says "not uniform"."""

    statistic: float
    dof: int
    p_value: float


def _gamma_q(a: float, x: float) -> float:
    """The regularised upper incomplete gamma function Q(a, x) (series / continued fraction)."""
    if x <= 0:
        return 1.0
    log_front = a * math.log(x) - x - math.lgamma(a)
    if x < a + 1:
        term = total = 1.0 / a
        ap = a
        for _ in range(10_000):
            ap += 1
            term *= x / ap
            total += term
            if abs(term) < abs(total) * 1e-15:
                break
        return max(0.0, 1.0 - total * math.exp(log_front))
    # Lentz's continued fraction
    tiny = 1e-300
    b = x + 1 - a
    c = 1 / tiny
    d = 1 / b
    h = d
    for i in range(1, 10_000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < 1e-15:
            break
    return math.exp(log_front) * h


def chi_square_uniformity(codes: Any, digits: int = 6, bins: int = 10) -> ChiSquare:
    """Are ``codes`` (integers below 10**digits) spread evenly over ``bins`` equal ranges?"""
    bins = _count(bins, "bins", low=2)
    values = _codes(codes, digits)
    if values.size < 5 * bins:
        raise InvalidInput(f"need at least {5 * bins} codes for {bins} bins, got {values.size}")
    counts = np.bincount(values * bins // 10**digits, minlength=bins)
    expected = values.size / bins
    stat = float(np.sum((counts - expected) ** 2) / expected)
    return ChiSquare(stat, bins - 1, _gamma_q((bins - 1) / 2, stat / 2))


def _codes(codes: Any, digits: int) -> np.ndarray:
    _digits(digits)
    values = np.asarray(codes)
    if values.dtype.kind in "US":
        values = values.astype(np.int64)
    if values.dtype.kind not in "iu":
        raise InvalidInput("codes must be whole numbers (or digit strings)")
    values = values.astype(np.int64).ravel()
    if np.any(values < 0) or np.any(values >= 10**digits):
        raise InvalidInput(f"codes must be from 0 to {10**digits - 1} for {digits} digits")
    return values


def _digits(digits: Any) -> int:
    if isinstance(digits, bool) or not isinstance(digits, (int, np.integer)):
        raise InvalidInput(f"digits must be a whole number from 1 to 10, not {digits!r}")
    if not 1 <= digits <= 10:
        raise InvalidInput(f"digits must be from 1 to 10, not {digits!r}")
    return int(digits)


@dataclass(frozen=True)
class TruncationBias:
    """Exact code probabilities after dynamic truncation: a 31-bit number, taken mod 10**digits.

    2**31 = ``full`` * 10**digits + ``remainder``: codes below ``remainder`` come up ``full + 1``
    times in 2**31, the others ``full`` times (for 10 digits, ``full`` is 0: codes at or above
    2**31 never appear).
    """

    digits: int
    full: int
    remainder: int

    @property
    def p_common(self) -> Fraction:
        """Probability of each code below ``remainder`` (the slightly likelier ones)."""
        return Fraction(self.full + 1, _TWO_31)

    @property
    def p_rare(self) -> Fraction:
        """Probability of each code at or above ``remainder``."""
        return Fraction(self.full, _TWO_31)

    @property
    def relative_excess(self) -> float:
        """How much likelier a common code is than a rare one (inf when rare ones never occur)."""
        return math.inf if self.full == 0 else 1 / self.full

    def probability(self, code: int) -> Fraction:
        if not 0 <= code < 10**self.digits:
            return Fraction(0)
        return self.p_common if code < self.remainder else self.p_rare

    def digit_probabilities(self) -> np.ndarray:
        """Exact chance of each digit value 0-9 at each position (row 0 = leftmost digit)."""
        rows = []
        for k in range(self.digits - 1, -1, -1):  # place value 10**k, leftmost first
            unit = 10**k
            cycle = unit * 10
            row = []
            for v in range(10):
                in_remainder = (self.remainder // cycle) * unit + min(
                    max(self.remainder % cycle - v * unit, 0), unit
                )
                row.append((self.full * 10 ** (self.digits - 1) + in_remainder) / _TWO_31)
            rows.append(row)
        return np.array(rows)

    def repeat_probability(self) -> float:
        """Exact chance that two independent codes are equal (sum of squared probabilities)."""
        total = self.remainder * (self.full + 1) ** 2
        total += (10**self.digits - self.remainder) * self.full**2
        return total / _TWO_31**2


def truncation_bias(digits: int = 6) -> TruncationBias:
    """The exact bias of ``(31-bit value) mod 10**digits``."""
    d = _digits(digits)
    full, remainder = divmod(_TWO_31, 10**d)
    return TruncationBias(d, full, remainder)


def consecutive_repeats(codes: Any) -> int:
    """How many times a code equals the one right before it."""
    values = np.asarray(codes).ravel()
    return int(np.count_nonzero(values[1:] == values[:-1]))


# --- batch code generator ----------------------------------------------------------------------


def _hmac_states(key: bytes, algorithm: str) -> tuple[Any, Any]:
    """The hash states after the inner and outer key blocks of HMAC (RFC 2104).

    Computing these once per secret and copying them for each message is what makes the batch
    generator fast; the result is checked against pyotp and the RFC vectors in the tests.
    """
    name = algorithm.lower()
    block = hashlib.new(name).block_size
    if len(key) > block:
        key = hashlib.new(name, key).digest()
    key = key.ljust(block, b"\0")
    inner = hashlib.new(name, bytes(b ^ 0x36 for b in key))
    outer = hashlib.new(name, bytes(b ^ 0x5C for b in key))
    return inner, outer


def _steps(steps: Any) -> np.ndarray:
    arr = np.asarray(steps)
    if arr.dtype.kind == "f":
        if not np.all(np.isfinite(arr)) or np.any(arr != np.floor(arr)):
            raise InvalidInput("steps must be whole numbers (no NaN, no fractions)")
    elif arr.dtype.kind not in "iu":
        raise InvalidInput("steps must be whole numbers")
    if np.any(arr < 0) or np.any(arr >= 2**63):
        raise InvalidInput("steps (counters) must be from 0 to 2**63 - 1")
    return arr.astype(np.uint64)


def _truncate(digests: bytes, size: int, digits: int) -> np.ndarray:
    d = np.frombuffer(digests, dtype=np.uint8).reshape(-1, size)
    start = (d[:, -1] & 0x0F).astype(np.intp)
    four = np.take_along_axis(d, start[:, None] + np.arange(4), axis=1).astype(np.uint32)
    value = ((four[:, 0] & 0x7F) << 24) | (four[:, 1] << 16) | (four[:, 2] << 8) | four[:, 3]
    return (value % np.uint32(10**digits) if digits < 10 else value).astype(np.int64)


def _codes_for_key(key: bytes, steps: np.ndarray, params: OtpParams) -> np.ndarray:
    inner, outer = _hmac_states(key, params.algorithm)
    icopy, ocopy = inner.copy, outer.copy
    messages = steps.astype(">u8").tobytes()
    digests = []
    append = digests.append
    for i in range(0, len(messages), 8):
        h = icopy()
        h.update(messages[i : i + 8])
        o = ocopy()
        o.update(h.digest())
        append(o.digest())
    return _truncate(b"".join(digests), inner.digest_size, params.digits)


def batch_codes(
    secrets: str | Sequence[str], steps: Any, params: OtpParams | None = None
) -> np.ndarray:
    """Codes as integers (format with :func:`as_text`), the same as pyotp's, many at a time.

    One secret: an array shaped like ``steps``. A sequence of S secrets: shape (S,) for one step,
    (S, T) for a 1-D array of T steps (every secret at every step).
    """
    params = OtpParams() if params is None else params
    if not isinstance(params, OtpParams):
        raise InvalidInput("params must be an OtpParams")
    arr = _steps(steps)
    if isinstance(secrets, str):
        flat = _codes_for_key(secret_bytes(secrets), arr.ravel(), params)
        return flat.reshape(arr.shape)
    if arr.ndim > 1:
        raise InvalidInput("with several secrets, steps must be one step or a 1-D array")
    keys = [secret_bytes(s) for s in secrets]
    rows = [_codes_for_key(k, arr.ravel(), params) for k in keys]
    out = np.array(rows, dtype=np.int64).reshape(len(keys), arr.size)
    return out[:, 0] if arr.ndim == 0 else out


def batch_codes_at(
    secrets: str | Sequence[str], times: Any, params: OtpParams | None = None
) -> np.ndarray:
    """Like :func:`batch_codes`, for Unix times instead of steps."""
    t = _array(times, "the times")
    if np.any(t < 0):
        raise InvalidInput("the times must not be before 1970 (Unix time 0)")
    params = OtpParams() if params is None else params
    return batch_codes(secrets, np.floor(t / params.period).astype(np.int64), params)


def as_text(codes: Any, digits: int = 6) -> list[str]:
    """Integer codes as the zero-padded strings an app shows."""
    values = _codes(codes, digits)
    return [f"{v:0{digits}d}" for v in values.tolist()]
