"""Exercises of notebook 03, Clock drift: how far a phone's clock gets, and which servers still
accept its codes (today's Misskey, window 1, beside the Misskey of 2023.9-2026.5, window 5).

Also the lesson's helpers the notebook calls, so that the notebook and its exercises compute
each answer the same way: ``phone_error``, ``slow_phone_sign_in``, ``population_studies``.

The lesson assumes a code reaches the server ``DELAY`` (2 to 10) seconds after it is read, and
``TYPING_DELAY`` (5) seconds where one number is needed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ..core.clock import DriftingClock, ManualClock
from ..core.demo import DAY
from ..core.errors import OtpkitError
from ..core.otp import code_at, matching_offset
from ..server.policy import HARDENED, MISSKEY, MISSKEY_2025, RFC6238, Policy
from .core import ChoiceExercise, MatchExercise, NumberExercise
from .lesson import Lesson
from .registry import exercise

DELAY = (2.0, 10.0)  # seconds from reading a code to the server checking it: the lesson's range
TYPING_DELAY = 5.0  # the one number used where a range will not do
POPULATION = 10_000  # phones in the population study
UNSYNCED = 0.1  # the share of them that never correct their clocks
DAYS = 30  # days of daily sign-ins in the population study


def typing_delay() -> Any:
    """``DELAY`` as a ``sim.Delay`` (imported here: numpy loads only when a lesson needs it)."""
    from ..sim import Delay

    return Delay(*DELAY)


def phone_error(lesson: Lesson, offset: float, skew_ppm: float, days: float) -> float:
    """How far ahead (seconds) a phone is after ``days``, starting ``offset`` ahead and gaining
    ``skew_ppm`` millionths of the time that passes, as ``DriftingClock`` models it."""
    world = ManualClock(lesson.at)
    phone = DriftingClock(world, offset=offset, skew_ppm=skew_ppm)
    world.advance(days * DAY)
    return round(phone.error(), 6)  # to the microsecond: Unix times carry float noise


@dataclass(frozen=True)
class SlowPhone:
    """One sign-in by a phone whose clock is off, on a real server of the kit, and the kit's
    model of the same: ``chance`` that a code is accepted over every read moment and delay."""

    policy: Policy
    offset: float
    code: str
    accepted: bool
    answer: str  # the server's own voice: "signed in" or its refusal (status, error id)
    step: int | None  # the step the code came from, as the server counted (when accepted)
    chance: float

    @property
    def verdict(self) -> str:
        """ "accepted", "refused", or "depends" (on the moment the code is read)."""
        if self.chance >= 1.0:
            return "accepted"
        return "refused" if self.chance <= 0.0 else "depends"


def slow_phone_sign_in(
    lesson: Lesson, policy: Policy, offset: float = -70.0, delay: float = TYPING_DELAY
) -> SlowPhone:
    """A day after enrolling, Alice signs in with a phone ``offset`` seconds off (negative:
    slow); the code reaches the server ``delay`` seconds after she reads it."""
    from ..sim import acceptance_probability

    enrolled = lesson.enrolled(policy)
    clock = enrolled.clock
    clock.advance(DAY)  # no code of this day was used before
    code = code_at(enrolled.secret, clock.now() + offset, policy.params)
    clock.advance(delay)
    chance = float(acceptance_probability(offset, policy, typing_delay()))
    try:
        result = enrolled.server.sign_in(lesson.user, lesson.password, code)
    except OtpkitError as exc:
        return SlowPhone(policy, offset, code, False, exc.answer.describe(), None, chance)
    answer = f"{policy.title} signed Alice in"
    return SlowPhone(policy, offset, code, result.ok, answer, result.offset, chance)


def kit_check(policy: Policy, secret: str, code: str, t: float) -> str:
    """The kit's model of ``policy``'s check of ``code`` at time ``t`` (its window around the
    server's step; no replay guard, no recorded drift): "accepted" or "refused"."""
    found = matching_offset(secret, code, t, policy.params, policy.window)
    return "refused" if found is None else "accepted"


@dataclass(frozen=True)
class Day:
    """One row of the drifting phone's diary: how far ahead it is, what it shows, what the
    server's own step's code is when the code arrives, and each server's verdict (kit's model)."""

    day: float
    ahead: float
    shown: str
    servers_code: str
    verdicts: dict[str, str]


def drifting_phone(
    lesson: Lesson,
    offset: float = 2.0,
    skew_ppm: float = 50.0,
    days: tuple[float, ...] = (0, 7, 14, 21, 28),
    policies: tuple[Policy, ...] = (MISSKEY, MISSKEY_2025),
) -> list[Day]:
    """Alice's phone on each of ``days``: it starts ``offset`` s fast and gains ``skew_ppm``;
    she reads a code at the lesson's time of day and it arrives ``TYPING_DELAY`` s later."""
    secret = lesson.secret
    rows = []
    for day in days:
        world = ManualClock(lesson.at)
        phone = DriftingClock(world, offset=offset, skew_ppm=skew_ppm)
        world.advance(day * DAY)
        shown = code_at(secret, phone.now())
        arrives = world.now() + TYPING_DELAY
        verdicts = {p.title: kit_check(p, secret, shown, arrives) for p in policies}
        rows.append(Day(day, round(phone.error(), 6), shown, code_at(secret, arrives), verdicts))
    return rows


@dataclass(frozen=True)
class OffsetLimits:
    """For one window and the lesson's ``DELAY``: a phone whose offset (seconds, + = ahead) is
    from ``sure_low`` to ``sure_high`` always has its code accepted; one at or below
    ``never_below`` or at or above ``never_above`` never does; in between, it depends on the
    moment the code is read."""

    window: int
    sure_low: float
    sure_high: float
    never_below: float
    never_above: float


def offset_limits(policy: Any, period: int = 30) -> OffsetLimits:
    """The closed form: the server accepts a code read at moment r of its step (0 <= r < P)
    and checked d s later exactly when -wP <= r + d - offset < (w+1)P."""
    from ..sim import window_of

    w = window_of(policy)
    low, high = DELAY
    return OffsetLimits(
        window=w,
        sure_low=high - w * period,
        sure_high=low + w * period,
        never_below=low - (w + 1) * period,
        never_above=high + (w + 1) * period,
    )


def population_studies(lesson: Lesson, days: int = DAYS) -> dict[Policy, Any]:
    """``POPULATION`` phones (``UNSYNCED`` of them never correct their clocks) signing in once a
    day for ``days`` days under today's Misskey, the 2023.9-2026.5 one and drift tracking."""
    import numpy as np

    from ..sim import drift_study, random_clocks

    phones = random_clocks(POPULATION, np.random.default_rng(lesson.seed), unsynced=UNSYNCED)
    return {
        policy: drift_study(
            phones, days, policy, np.random.default_rng(lesson.seed + 1), delay=typing_delay()
        )
        for policy in (MISSKEY, MISSKEY_2025, HARDENED)
    }


# -- the exercises ---------------------------------------------------------------------------


@exercise("03.1")
def drift_after_a_week(lesson: Lesson) -> NumberExercise:
    offset, skew, days = 2.0, 50.0, 7
    answer = phone_error(lesson, offset, skew, days)
    drift = answer - offset
    per_day = phone_error(lesson, 0.0, skew, 1)
    return NumberExercise(
        id="03.1",
        prompt=(
            f"Alice's phone starts {offset:g} s fast and gains {skew:g} ppm (it never corrects "
            f"its clock). How many seconds fast is it after {days} days? Predict, then run the "
            "table below."
        ),
        hint_text=(
            f"ppm = parts per million: each second that passes, the phone gains {skew:g} "
            f"millionths of a second. A day has {DAY:,.0f} seconds."
        ),
        why=(
            f"{skew:g} ppm of a day is {per_day:.2f} s, so {days} days add {drift:.2f} s to the "
            f"{offset:g} s it started with: {answer:.2f} s."
        ),
        answer=round(answer, 2),
        tolerance=0.5,
        unit="s",
        misses=(
            (drift, f"that is the drift alone: the phone also started {offset:g} s fast"),
            (
                offset + skew * days,
                f"ppm means millionths: {skew:g} ppm of a day is {per_day:.2f} s, not {skew:g} s",
            ),
            (offset + per_day, f"that is after one day; the question asks after {days}"),
        ),
    )


def steps_behind(offset: float, period: int = 30) -> tuple[int, int]:
    """How many steps behind the server's a code arrives (fewest, most) when the phone is
    ``offset`` seconds off, over every read moment and every delay of ``DELAY``."""
    low, high = DELAY
    # The code's step, minus the server's at arrival: -floor((read moment + delay - offset) / P).
    fewest = math.floor((low - offset) / period)
    most = math.floor((period + high - offset) / period - 1e-9)
    return fewest, most


@exercise("03.2")
def seventy_seconds_slow(lesson: Lesson) -> MatchExercise:
    offset = -70.0
    low, high = DELAY
    policies = (MISSKEY, MISSKEY_2025, RFC6238)
    runs = {p.name: slow_phone_sign_in(lesson, p, offset) for p in policies}
    fewest, most = steps_behind(offset, MISSKEY.params.period)
    behind = f"{fewest} or {most}" if fewest != most else f"{fewest}"
    reasons = {}
    for name, run in runs.items():
        w = run.policy.window
        where = {"accepted": "always inside", "refused": "always outside"}.get(
            run.verdict, "inside for some read moments, outside for others"
        )
        reasons[name] = (
            f"{run.policy.title} accepts steps {-w:+d} to {w:+d} (window {w}); the code "
            f"arrives {behind} steps behind the server's: {where}."
        )
    return MatchExercise(
        id="03.2",
        prompt=(
            f"Alice's phone is {abs(offset):g} s slow. The lesson assumes a code reaches the "
            f"server {low:g} to {high:g} s after she reads it. Is her code accepted by each "
            "server? Answer misskey=..., misskey-2025=..., rfc6238=..., each with accepted, "
            "refused or depends. Then check with the explorer below (offset "
            f"{offset:g} s, each server in turn)."
        ),
        hint_text=(
            f"How far behind is the code when it arrives: {abs(offset):g} s plus the delay, "
            "plus up to 30 s if it is read at the end of its step. In steps of 30 s? Today's "
            "Misskey and RFC 6238 accept 1 step each way, Misskey 2023.9-2026.5 accepts 5."
        ),
        why=(
            f"The code arrives {behind} steps behind the server's step, whenever it is read: "
            "outside window 1, inside window 5. Real sign-ins on the kit's servers agree: "
            + "; ".join(
                f"{r.policy.title} {'signed Alice in' if r.accepted else 'refused'}"
                for r in runs.values()
            )
            + "."
        ),
        expected={name: run.verdict for name, run in runs.items()},
        values={
            "accepted": "always accepted",
            "refused": "always refused",
            "depends": "depends on when in its step the code is read",
        },
        reasons=reasons,
    )


@exercise("03.3")
def first_failure_day(lesson: Lesson) -> NumberExercise:
    from ..sim import time_to_failure

    skew, delay = 100.0, TYPING_DELAY
    today = time_to_failure(skew, MISSKEY, delay=delay)
    no_delay = time_to_failure(skew, MISSKEY, delay=0.0)
    history = time_to_failure(skew, MISSKEY_2025, delay=delay)
    per_day = phone_error(lesson, 0.0, skew, 1)
    period = MISSKEY.params.period
    edge = MISSKEY.window * period + delay
    return NumberExercise(
        id="03.3",
        prompt=(
            f"A phone gains {skew:g} ppm and never corrects itself; it was exact on the day "
            f"Alice enrolled. Her code reaches the server {delay:g} s after she reads it. After "
            f"how many days can today's Misskey ({MISSKEY.title}, window {MISSKEY.window}) "
            "first refuse a code (read at the worst moment)? Two decimals."
        ),
        hint_text=(
            f"The phone gains {per_day:.2f} s a day. A code read at the very start of its step "
            f"is accepted while the phone is at most {MISSKEY.window} step ({period} s) plus "
            "the delay ahead: the server's clock catches up while the code travels."
        ),
        why=(
            f"{period} s + {delay:g} s = {edge:g} s of lead, at {per_day:.2f} s a day: "
            f"{today.first_possible_days:.2f} days. Under Misskey 2023.9-2026.5 (window 5) the "
            f"first code could fail only on day {history.first_possible_days:.2f}."
        ),
        answer=round(today.first_possible_days, 2),
        tolerance=0.15,
        unit="days",
        misses=(
            (
                no_delay.first_possible_days,
                f"that leaves out the {delay:g} s the code travels: a fast phone's code is "
                f"{delay:g} s less far ahead when it arrives, so it lasts a little longer",
            ),
            (
                history.first_possible_days,
                f"that is Misskey 2023.9-2026.5's window 5; {MISSKEY.title} accepts one step "
                "each way",
            ),
            (
                today.certain_days,
                "that is when every code fails; a code read at the start of its step fails earlier",
            ),
        ),
    )


@exercise("03.4")
def most_refusals(lesson: Lesson) -> ChoiceExercise:
    studies = population_studies(lesson)
    rates = {p: float(s.failure_rate.mean()) for p, s in studies.items()}
    keys = {MISSKEY: "a", MISSKEY_2025: "b", HARDENED: "c"}
    names = {
        MISSKEY: f"{MISSKEY.title}, window {MISSKEY.window}",
        MISSKEY_2025: f"{MISSKEY_2025.title}, window {MISSKEY_2025.window}",
        HARDENED: f"hardened, window {HARDENED.window} with drift tracking",
    }
    worst = max(rates, key=lambda p: rates[p])
    told = ", ".join(f"{names[p]} {rates[p]:.2%}" for p in studies)
    wrong = {
        MISSKEY: "window 1 refuses any phone more than a minute or so off, and the phones that "
        "never correct their clocks get there within weeks",
        MISSKEY_2025: "window 5 accepts eleven steps: a phone must be about 150 s off first, "
        "which few phones reach in a month",
        HARDENED: "drift tracking re-centres each phone's window on the drift it recorded at "
        "the last sign-in, so slow drift is followed",
    }
    return ChoiceExercise(
        id="03.4",
        prompt=(
            f"{POPULATION:,} phones sign in once a day for {DAYS} days; {UNSYNCED:.0%} of them "
            "never correct their clocks. Which server refuses the largest share of their "
            "sign-ins? "
            + "; ".join(f"{keys[p]}) {names[p]}" for p in studies)
            + ". Predict before running the population study."
        ),
        hint_text=(
            "A phone that corrects its clock daily is never far off. The others drift for the "
            "whole month: which server keeps accepting them longest, and which not at all?"
        ),
        why=f"By the kit's simulation: {told} of sign-ins refused.",
        options={keys[p]: names[p] for p in studies},
        answer=keys[worst],
        wrong={keys[p]: f"{wrong[p]} ({rates[p]:.2%} refused)" for p in studies if p != worst},
    )
