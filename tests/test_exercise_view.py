"""The exercise widget, clicked through in plain pytest."""

from __future__ import annotations

from otpkit.exercises import EXERCISES
from otpkit.widgets import ExerciseView, Score


def test_check_hint_solution_and_score():
    score = Score(total=3)
    view = ExerciseView(EXERCISES["02.3"], score)
    assert view.feedback.value == "" and "0 of 3 right" in score.value
    view.check_button.click()
    assert "Type an answer first" in view.feedback.value
    view.answer.value = "20"  # Enter (a value change) checks too
    assert "Not yet" in view.feedback.value and "already been shown" in view.feedback.value
    assert "0 of 3 right" in score.value
    view.hint_button.click()
    assert "Hint" in view.feedback.value
    view.answer.value = "10"
    assert "Right" in view.feedback.value and "1 of 3 right" in score.value
    view.answer.value = "11"
    assert "1 of 3 right" in score.value  # a right answer stays counted
    view.solution_button.click()
    assert "Solution" in view.feedback.value and "10 s" in view.feedback.value


def test_the_prompt_and_placeholder_come_from_the_exercise():
    ex = EXERCISES["02.2"]
    view = ExerciseView(ex)
    assert "02.2" in view.prompt.value and view.answer.placeholder == "000000"
