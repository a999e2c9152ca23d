"""Exercises of notebook 02, Inside a one-time password: a code computed by hand."""

from __future__ import annotations

import hmac

from ..otp import OtpParams, seconds_left, secret_bytes, step_at
from .core import CodeExercise, NumberExercise
from .lesson import Lesson
from .registry import exercise


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
