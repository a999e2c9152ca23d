"""Checks of input shared by the simulations (and by plots and widgets): each returns the value
in the form used (a float, an int, an array) or raises :class:`otpkit.errors.InvalidInput`."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..core.errors import InvalidInput
from ..server.policy import Policy


def array(value: Any, name: str) -> np.ndarray:
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"{name} must be a number or an array of numbers") from exc
    if not np.all(np.isfinite(arr)):
        raise InvalidInput(f"{name} must be finite numbers (no NaN or infinity)")
    return arr


def number(value: Any, name: str, *, low: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise InvalidInput(f"{name} must be a number, not {type(value).__name__}")
    if not math.isfinite(value):
        raise InvalidInput(f"{name} must be a finite number, not {value!r}")
    if low is not None and value < low:
        raise InvalidInput(f"{name} must be at least {low}, not {value!r}")
    return float(value)


def positive(value: Any, name: str) -> float:
    """A finite number above 0."""
    result = number(value, name)
    if result <= 0:
        raise InvalidInput(f"{name} must be a finite number above 0, not {value!r}")
    return result


def policy(value: Any) -> Policy:
    if not isinstance(value, Policy):
        raise InvalidInput(f"expected a Policy such as otpkit.MISSKEY, not {value!r}")
    return value


def count(value: Any, name: str, *, low: int = 1) -> int:
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


def period(period: Any) -> int:
    if isinstance(period, bool) or not isinstance(period, (int, np.integer)) or period < 1:
        raise InvalidInput(f"the period must be a whole number of seconds >= 1, not {period!r}")
    return int(period)


def rng(rng: Any) -> np.random.Generator:
    if not isinstance(rng, np.random.Generator):
        raise InvalidInput(
            "rng must be a numpy Generator: pass np.random.default_rng(seed), "
            f"not {type(rng).__name__}"
        )
    return rng


def codes(codes: Any, digits: int) -> np.ndarray:
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


def digits(digits: Any) -> int:
    if isinstance(digits, bool) or not isinstance(digits, (int, np.integer)):
        raise InvalidInput(f"digits must be a whole number from 1 to 10, not {digits!r}")
    if not 1 <= digits <= 10:
        raise InvalidInput(f"digits must be from 1 to 10, not {digits!r}")
    return int(digits)


# codes() has a parameter named digits, so it calls the check by this name.
_digits = digits
