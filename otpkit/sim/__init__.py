"""Simulations of code windows and clock drift, vectorised with numpy.

What's where (everything public is re-exported here, so ``sim.batch_codes`` etc. work):

* :mod:`.checks`: input checks shared by the modules below and by plots and widgets
  (``window_of`` is public).
* :mod:`.device_clocks`: ``DAY``, ``ClockPopulation``, ``clocks``, ``random_clocks``.
* :mod:`.sign_ins`: one sign-in accepted or not: ``Delay``, ``step_delta``,
  ``simulate_sign_ins``, ``SignIns``, ``draw_sign_ins``.
* :mod:`.acceptance`: the chance of acceptance: ``acceptance_probability`` (closed form),
  ``Estimate``, ``acceptance_monte_carlo``.
* :mod:`.drift`: drift over days: ``DriftStudy``, ``drift_study``, ``FailureTimes``,
  ``time_to_failure``.
* :mod:`.code_stats`: statistics of real codes: ``ChiSquare``, ``chi_square_uniformity``,
  ``TruncationBias``, ``truncation_bias``, ``consecutive_repeats``.
* :mod:`.batch`: the batch code generator: ``batch_codes``, ``batch_codes_at``, ``as_text``.

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

from .acceptance import Estimate, acceptance_monte_carlo, acceptance_probability
from .batch import as_text, batch_codes, batch_codes_at
from .checks import window_of
from .code_stats import (
    ChiSquare,
    TruncationBias,
    chi_square_uniformity,
    consecutive_repeats,
    truncation_bias,
)
from .device_clocks import DAY, ClockPopulation, clocks, random_clocks
from .drift import DriftStudy, FailureTimes, drift_study, time_to_failure
from .sign_ins import Delay, SignIns, draw_sign_ins, simulate_sign_ins, step_delta

__all__ = [
    "DAY",
    "ChiSquare",
    "ClockPopulation",
    "Delay",
    "DriftStudy",
    "Estimate",
    "FailureTimes",
    "SignIns",
    "TruncationBias",
    "acceptance_monte_carlo",
    "acceptance_probability",
    "as_text",
    "batch_codes",
    "batch_codes_at",
    "chi_square_uniformity",
    "clocks",
    "consecutive_repeats",
    "draw_sign_ins",
    "drift_study",
    "random_clocks",
    "simulate_sign_ins",
    "step_delta",
    "time_to_failure",
    "truncation_bias",
    "window_of",
]
