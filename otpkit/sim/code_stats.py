"""Statistics of real codes: uniformity (chi-square), the exact truncation bias, repeats."""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from ..core.errors import InvalidInput
from . import checks

_TWO_31 = 2**31


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
    bins = checks.count(bins, "bins", low=2)
    values = checks.codes(codes, digits)
    if values.size < 5 * bins:
        raise InvalidInput(f"need at least {5 * bins} codes for {bins} bins, got {values.size}")
    counts = np.bincount(values * bins // 10**digits, minlength=bins)
    expected = values.size / bins
    stat = float(np.sum((counts - expected) ** 2) / expected)
    return ChiSquare(stat, bins - 1, _gamma_q((bins - 1) / 2, stat / 2))


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
    d = checks.digits(digits)
    full, remainder = divmod(_TWO_31, 10**d)
    return TruncationBias(d, full, remainder)


def consecutive_repeats(codes: Any) -> int:
    """How many times a code equals the one right before it."""
    values = np.asarray(codes).ravel()
    return int(np.count_nonzero(values[1:] == values[:-1]))
