"""Exercises of notebook 02, Inside a one-time password: a code computed by hand, which step a
code belongs to and which Misskey accepts it, and what a chi-square test's p-value says.

The pattern for every notebook's exercises; docs/lesson-guide.md says how lessons use them.
"""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING

from ..core.errors import InvalidToken
from ..core.otp import OtpParams, code_at, seconds_left, secret_bytes, step_at
from ..server.policy import MISSKEY, MISSKEY_2025, Policy
from .core import ChoiceExercise, CodeExercise, MatchExercise, NumberExercise
from .lesson import Lesson
from .registry import exercise

if TYPE_CHECKING:
    from ..sim import ChiSquare

SLOW = 100  # seconds: how far behind the phone's clock is in 02.4 and 02.5
# Notebook 02's test of the codes' spread: the codes of this many steps from the lesson's step,
# counted in this many equal ranges, judged at this significance level.
SPREAD_STEPS = 200_000
SPREAD_BINS = 20
SIGNIFICANCE = 0.05


def _digest(lesson: Lesson, step: int) -> bytes:
    return hmac.digest(secret_bytes(lesson.secret), step.to_bytes(8, "big"), "sha1")


@exercise("02.1")
def truncation_start(lesson: Lesson) -> NumberExercise:
    step = step_at(lesson.at) + 1
    last = _digest(lesson, step)[-1]
    return NumberExercise(
        id="02.1",
        prompt=(
            f"The HMAC-SHA1 of the next step (T = {step}) ends with the byte 0x{last:02x}. "
            "At which byte does dynamic truncation start reading its 4 bytes?"
        ),
        hint_text="Keep only the low 4 bits of the last byte: last & 0x0F, a number from 0 to 15.",
        why=f"0x{last:02x} & 0x0F = {last & 0x0F}: the 4 bytes start at byte {last & 0x0F}.",
        answer=last & 0x0F,
        misses=((last, "that is the whole last byte; keep only its low 4 bits"),),
    )


@exercise("02.2")
def code_by_hand(lesson: Lesson) -> CodeExercise:
    step = step_at(lesson.at) + 2
    return CodeExercise(
        id="02.2",
        prompt=(
            f"Compute by hand (with hmac.digest, as above) the code of step T = {step}, one minute "
            "after the lesson's time. Type the 6 digits."
        ),
        hint_text=(
            "Message = T as 8 bytes, big-endian; HMAC-SHA1 with the secret's bytes; start at "
            "last byte & 0x0F; 4 bytes, top bit cleared; modulo 1,000,000, padded to 6 digits."
        ),
        why="HMAC-SHA1 of the step, dynamic truncation, then the last 6 decimal digits.",
        secret=lesson.secret,
        step=step,
        params=OtpParams(),
    )


@exercise("02.3")
def seconds_still_valid(lesson: Lesson) -> NumberExercise:
    left = seconds_left(lesson.at)
    shown = 30 - left
    return NumberExercise(
        id="02.3",
        prompt=(
            f"At the lesson's time (Unix {lesson.at:.0f}), for how many more seconds does the app "
            "keep showing the same code?"
        ),
        hint_text="A step lasts 30 s and starts at a multiple of 30: how far into it is AT?",
        why=(
            f"{lesson.at:.0f} % 30 = {shown:g} s into the step, so {left:g} s are left "
            "before the next step starts."
        ),
        answer=left,
        unit="s",
        misses=((shown, "that is how long the code has already been shown, not what is left"),),
    )


def _slow_phone(lesson: Lesson) -> tuple[str, int, int]:
    """The code a phone ``SLOW`` s behind shows at the lesson's time, its step and its offset."""
    phone_step = step_at(lesson.at - SLOW)
    return code_at(lesson.secret, lesson.at - SLOW), phone_step, phone_step - step_at(lesson.at)


@exercise("02.4")
def which_step(lesson: Lesson) -> NumberExercise:
    code, phone_step, offset = _slow_phone(lesson)
    server_step = step_at(lesson.at)
    return NumberExercise(
        id="02.4",
        prompt=(
            f"At the lesson's time a phone whose clock is {SLOW} s slow shows {code}. Which time "
            "step made that code? Give its offset from the server's step (0 = the server's step "
            "now, -1 = the one before)."
        ),
        hint_text=(
            "Compare the code with otpkit.code_for_step(secret, step + k) for k from -5 to 5 "
            "(or find it in the figures above). A slow clock is behind, so its step comes first."
        ),
        why=(
            f"The phone reads {lesson.at - SLOW:.0f}, which is in step {phone_step}; the server "
            f"is in step {server_step}: offset {offset:+d}."
        ),
        answer=offset,
        misses=(
            (
                -offset,
                "a slow clock is behind: its step comes before the server's, so the offset "
                "is negative",
            ),
            (phone_step, "that is the step's number T; give its offset from the server's step"),
        ),
    )


def _accepts(lesson: Lesson, policy: Policy, code: str) -> bool:
    """Whether ``policy``'s server, with the lesson's account enrolled, lets ``code`` sign in."""
    enrolled = lesson.enrolled(policy)
    try:
        return enrolled.server.sign_in(lesson.user, lesson.password, code).ok
    except InvalidToken:
        return False


@exercise("02.5")
def which_misskey_accepts(lesson: Lesson) -> MatchExercise:
    code, _, offset = _slow_phone(lesson)
    versions = {"today": MISSKEY, "2025": MISSKEY_2025}
    verdicts = {
        item: "accepted" if _accepts(lesson, p, code) else "refused" for item, p in versions.items()
    }
    return MatchExercise(
        id="02.5",
        prompt=(
            f"alice signs in with that code ({code}, offset {offset:+d}). Which Misskey accepts "
            f"it: today's ({MISSKEY.title}) and the one called 2025 here ({MISSKEY_2025.title})? "
            "Answer like today=accepted, 2025=refused."
        ),
        hint_text="A window of w accepts offsets -w to +w. What is each version's window?",
        why="; ".join(
            f"{p.title} has window {p.window}, so offset {offset:+d} is {verdicts[item]}"
            for item, p in versions.items()
        )
        + ".",
        expected=verdicts,
        values={"accepted": "accepted", "refused": "refused"},
        reasons={
            item: f"{p.title} accepts offsets -{p.window} to +{p.window} at sign-in."
            for item, p in versions.items()
        },
    )


def code_spread(lesson: Lesson) -> ChiSquare:
    """The chi-square test of notebook 02 on the lesson's secret (``SPREAD_STEPS`` codes)."""
    import numpy as np

    from .. import sim

    step = step_at(lesson.at)
    codes = sim.batch_codes(lesson.secret, np.arange(step, step + SPREAD_STEPS))
    return sim.chi_square_uniformity(codes, digits=6, bins=SPREAD_BINS)


@exercise("02.6")
def spread_verdict(lesson: Lesson) -> ChoiceExercise:
    from .. import sim

    p = code_spread(lesson).p_value
    uneven = p < SIGNIFICANCE
    excess = sim.truncation_bias(6).relative_excess
    compared = f"p = {p:.3f} is {'below' if uneven else 'not below'} the level {SIGNIFICANCE:g}"
    return ChoiceExercise(
        id="02.6",
        prompt=(
            f"The chi-square test counts the codes of {SPREAD_STEPS:,} steps in {SPREAD_BINS} "
            f"equal ranges and gives p = {p:.3f}. At the significance level {SIGNIFICANCE:g}, "
            "does it show that the codes are spread unevenly? yes or no."
        ),
        hint_text=(
            "The p-value is how likely counts at least this uneven are when the codes really "
            "are even. The test calls them uneven only when p is below the level."
        ),
        why=(
            f"{compared}, so the test "
            + (
                "finds the counts too uneven to be chance."
                if uneven
                else "finds no evidence of unevenness. That does not prove the spread even: "
                f"the exact bias of dynamic truncation ({excess:.3%}) is real, but far too small "
                f"to show in {SPREAD_STEPS:,} codes."
            )
        ),
        options={"yes": "uneven", "no": "no evidence of unevenness"},
        answer="yes" if uneven else "no",
        wrong={
            "no" if uneven else "yes": f"{compared}: "
            + ("the test does call them uneven" if uneven else "that is not evidence of unevenness")
        },
    )
