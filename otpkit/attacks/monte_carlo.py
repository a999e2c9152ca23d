"""The Monte Carlo check of the closed form: many simulated attackers, one generator."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..server.policy import Policy
from ..sim import checks
from .constants import ATTACKER_RATE

# --- online guessing: the Monte Carlo check ----------------------------------------------------
from .odds import guessing_odds


@dataclass(frozen=True)
class MonteCarlo:
    """Simulated break-ins against the closed form, at one horizon."""

    policy: str
    trials: int
    hours: float
    closed_form: float
    estimate: float
    standard_error: float
    median_hours: float
    title: str = ""

    @property
    def z(self) -> float:
        """How many standard errors the estimate is from the closed form."""
        return (self.estimate - self.closed_form) / self.standard_error


def guessing_monte_carlo(
    policy: Policy,
    rng: np.random.Generator,
    trials: int = 20_000,
    hours: float | None = None,
    ips: int = 1,
    attacker_rate: float = ATTACKER_RATE,
) -> MonteCarlo:
    """Play ``trials`` attackers, each guessing uniformly at random until one guess hits.

    The guesses up to the first hit are drawn at once (a geometric count). Checked at ``hours``
    (by default the closed form's time to 50%).
    """
    rng = checks.rng(rng)
    trials = checks.count(trials, "trials", low=2)
    odds = guessing_odds(policy, ips, attacker_rate)
    horizon = odds.hours_to_half if hours is None else checks.positive(hours, "hours")
    needed = rng.geometric(odds.p_guess, size=trials)
    broke_in_at = needed / odds.guesses_per_hour
    estimate = float(np.mean(broke_in_at <= horizon))
    closed = float(odds.p_within(horizon))
    return MonteCarlo(
        policy=odds.policy,
        trials=trials,
        hours=horizon,
        closed_form=closed,
        estimate=estimate,
        standard_error=math.sqrt(max(closed * (1 - closed), 1e-12) / trials),
        median_hours=float(np.median(broke_in_at)),
        title=odds.title,
    )
