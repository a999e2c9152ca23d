"""Notebooks 01 and 02's exercises, answered right and with the wrong answers a learner would
plausibly give; the feedback must say why. Answers for the default lesson are pinned here, so a
change in the server model that changes them shows up."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from otpkit import sim
from otpkit.exercises import EXERCISES, Lesson, build, ids, nb02
from otpkit.otp import code_for_step, step_at

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def wrong(exercise_id: str, answer: object) -> str:
    verdict = EXERCISES[exercise_id].check(answer)
    assert not verdict.correct, answer
    return verdict.message


def right(exercise_id: str, answer: object) -> str:
    verdict = EXERCISES[exercise_id].check(answer)
    assert verdict.correct, verdict.message
    return verdict.message


@pytest.mark.parametrize(
    ("notebook", "name"),
    [("01", "01-enrollment-walkthrough.ipynb"), ("02", "02-inside-a-one-time-password.ipynb")],
)
def test_every_exercise_is_shown_in_its_notebook(notebook, name):
    cells = json.loads((NOTEBOOKS / name).read_text())["cells"]
    source = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    assert len(ids(notebook)) >= 3
    for exercise_id in ids(notebook):
        assert f'build("{exercise_id}", lesson)' in source, exercise_id


# -- 01 -----------------------------------------------------------------------------------


def test_01_1_after_stage_6_only_the_hash_and_the_pending_secret_are_set():
    right("01.1", "password_hash=set, pending_secret=set, secret=empty, backup_codes=empty")
    # The learner who thinks the password turns the secret on at once:
    message = wrong("01.1", "password_hash=set, pending_secret=set, secret=set, backup_codes=empty")
    assert "secret: empty, not set" in message and "stage 8" in message
    # ...or that the backup codes come with the secret:
    message = wrong("01.1", "password_hash=set, pending_secret=set, secret=empty, backup_codes=set")
    assert "backup_codes" in message and "stage 8" in message
    assert "two_factor_enabled is False" in EXERCISES["01.1"].solution()


def test_01_2_after_stage_8_the_pending_secret_is_still_there():
    right(
        "01.2",
        {"password_hash": "set", "pending_secret": "set", "secret": "set", "backup_codes": "set"},
    )
    message = wrong("01.2", "password_hash=set, pending_secret=empty, secret=set, backup_codes=set")
    assert "pending_secret: set, not empty" in message and "never clears" in message
    assert "5 backup codes" in EXERCISES["01.2"].solution()


def test_01_3_today_accepts_3_codes_and_2025_accepted_11():
    right("01.3", "today=3, 2025=11")
    # The window itself, not the number of codes:
    message = wrong("01.3", "today=1, 2025=5")
    assert "count the current step" in message
    assert "today: 3 codes, not 11 codes" in wrong("01.3", "today=11, 2025=3")
    assert "missing: 2025" in wrong("01.3", "today=3")


def test_01_4_a_wrong_password_stops_stage_5_with_misskeys_400():
    assert "HTTP 400 INCORRECT_PASSWORD" in right("01.4", "5")
    assert "opens the dialog" in wrong("01.4", 4)
    assert "checks the code" in wrong("01.4", "8")


def test_01_5_the_enrollment_code_cannot_sign_in_again_today():
    message = right("01.5", "no")
    assert "90 s" in message and "HTTP 403" in message and "2023.9-2026.5" in message
    assert right("01.5", "refused")
    message = wrong("01.5", "yes")
    assert "2023.9-2026.5" in message and "90 s" in message


# -- 02 -----------------------------------------------------------------------------------


def test_02_4_a_phone_100_s_slow_shows_the_code_of_offset_minus_3():
    ex = EXERCISES["02.4"]
    assert ex.answer == -3 and code_for_step(Lesson().secret, step_at(Lesson().at) - 3) in ex.prompt
    right("02.4", "-3")
    assert "negative" in wrong("02.4", "3")
    assert "step's number" in wrong("02.4", str(step_at(Lesson().at) - 3))
    # 10 s later the lesson's time is at the very start of a step: 100 s back is 4 steps back.
    later = build("02.4", Lesson(at=Lesson().at + 10))
    assert later.answer == -4 and later.check("-4").correct


def test_02_5_today_refuses_that_code_and_2025_accepted_it():
    right("02.5", "today=refused, 2025=accepted")
    message = wrong("02.5", "today=accepted, 2025=accepted")
    assert "today: refused, not accepted" in message and "-1 to +1" in message
    message = wrong("02.5", "today=refused, 2025=refused")
    assert "2025: accepted, not refused" in message and "-5 to +5" in message


def test_02_6_the_verdict_is_computed_from_p_against_the_level():
    ex = EXERCISES["02.6"]
    step = step_at(Lesson().at)
    codes = sim.batch_codes(Lesson().secret, np.arange(step, step + 200_000))
    p = sim.chi_square_uniformity(codes, digits=6, bins=20).p_value  # what notebook 02 computes
    assert f"p = {p:.3f}" in ex.prompt and p >= nb02.SIGNIFICANCE
    assert "no evidence of unevenness" in right("02.6", "no")
    assert "not below the level 0.05" in wrong("02.6", "yes")


def test_02_6_a_small_p_makes_yes_the_answer(monkeypatch):
    monkeypatch.setattr(nb02, "code_spread", lambda lesson: sim.ChiSquare(40.0, 19, 0.003))
    ex = build("02.6")
    assert ex.answer == "yes" and "p = 0.003" in ex.prompt
    assert "below the level" in ex.check("yes").message
    assert not ex.check("no").correct and "does call them uneven" in ex.check("no").message
