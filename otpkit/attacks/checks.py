"""Checks on the arguments of every attack: a policy, whole numbers, positive numbers, a
numpy generator; each refuses with InvalidInput."""

from __future__ import annotations

import math

import numpy as np

from ..core.errors import InvalidInput
from ..server.policy import Policy

# --- checking input ------------------------------------------------------------------------


def _policy(policy: object) -> Policy:
    if not isinstance(policy, Policy):
        raise InvalidInput(f"expected a Policy such as otpkit.MISSKEY, not {policy!r}")
    return policy


def _whole(value: object, name: str, low: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise InvalidInput(f"{name} must be a whole number, not {value!r}")
    if value < low:
        raise InvalidInput(f"{name} must be at least {low}, not {value!r}")
    return int(value)


def _positive(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise InvalidInput(f"{name} must be a number, not {value!r}")
    if not math.isfinite(value) or value <= 0:
        raise InvalidInput(f"{name} must be a finite number above 0, not {value!r}")
    return float(value)


def _generator(rng: object) -> np.random.Generator:
    if not isinstance(rng, np.random.Generator):
        raise InvalidInput(
            f"rng must be a numpy Generator, e.g. np.random.default_rng(7), not {rng!r}"
        )
    return rng
