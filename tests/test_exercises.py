"""Every exercise can be answered right and wrong through check(), and nothing a learner types
(or passes) raises: a wrong type gets feedback too."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from otpkit import exercises
from otpkit.exercises import (
    EXERCISES,
    ChoiceExercise,
    CodeExercise,
    Lesson,
    MatchExercise,
    NumberExercise,
)
from otpkit.otp import code_for_step

IDS = exercises.ids()
NOTEBOOKS = ("01", "02", "03", "04", "05", "06", "08")


def wrong_answers(ex) -> list[object]:
    """Answers that must be judged wrong, of every form a learner might type."""
    if isinstance(ex, CodeExercise):
        before = code_for_step(ex.secret, ex.step - 1, ex.params)
        return [before, "000000" if ex.answer_text != "000000" else "111111"]
    if isinstance(ex, ChoiceExercise):
        return [key for key in ex.options if key != ex.answer]
    if isinstance(ex, NumberExercise):
        return [ex.answer + 10 * ex.tolerance + 1, str(ex.answer - 10 * ex.tolerance - 1)]
    if isinstance(ex, MatchExercise):
        item = next(iter(ex.expected))
        other = next(v for v in ex.values if v != ex.expected[item])
        return [{**ex.expected, item: other}]
    raise AssertionError(f"no wrong answers known for {type(ex).__name__}")


def test_enough_exercises_in_every_lesson():
    assert len(EXERCISES) >= 21
    for notebook in NOTEBOOKS:
        assert len(exercises.ids(notebook)) >= 3, notebook


@pytest.mark.parametrize("exercise_id", IDS)
def test_the_right_answer_is_right(exercise_id):
    ex = EXERCISES[exercise_id]
    verdict = ex.check(ex.answer_text)
    assert verdict.correct, verdict.message
    assert ex.answer_text in ex.solution() and ex.hint() and ex.prompt


@pytest.mark.parametrize("exercise_id", IDS)
def test_wrong_answers_are_wrong_and_say_why(exercise_id):
    ex = EXERCISES[exercise_id]
    for answer in wrong_answers(ex):
        verdict = ex.check(answer)
        assert not verdict.correct, answer
        assert verdict.message and verdict.message != ex.why


@pytest.mark.parametrize("exercise_id", IDS)
def test_forms_a_learner_types_are_accepted(exercise_id):
    ex = EXERCISES[exercise_id]
    assert ex.check(f"  {ex.answer_text}  ").correct
    if isinstance(ex, NumberExercise) and float(ex.answer).is_integer():
        assert ex.check(int(ex.answer)).correct
    if isinstance(ex, ChoiceExercise):
        assert ex.check(ex.answer.upper()).correct and ex.check(ex.options[ex.answer]).correct
    if isinstance(ex, MatchExercise):
        assert ex.check(dict(ex.expected)).correct


@settings(max_examples=300, deadline=None)
@given(
    exercise_id=st.sampled_from(IDS),
    answer=st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=80),
        st.binary(max_size=20),
        st.lists(st.integers(), max_size=3),
        st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=3),
    ),
)
def test_any_answer_gets_feedback_never_a_traceback(exercise_id, answer):
    verdict = EXERCISES[exercise_id].check(answer)
    assert isinstance(verdict.correct, bool) and isinstance(verdict.message, str)
    assert verdict.message


def test_a_near_miss_code_names_its_step():
    ex = EXERCISES["02.2"]
    earlier = code_for_step(ex.secret, ex.step - 1)
    assert "step 1 before" in ex.check(earlier).message


def test_answers_follow_the_lesson_not_a_typed_value():
    ours, other = exercises.build("02.2"), exercises.build("02.2", Lesson(seed=8))
    assert ours.secret != other.secret and ours.answer_text != other.answer_text
    later = exercises.build("02.3", Lesson(at=1_700_000_005))
    assert later.check("5").correct and not later.check("10").correct


def test_unknown_exercise_is_a_typed_error():
    import otpkit

    with pytest.raises(otpkit.InvalidInput, match="there is no exercise"):
        exercises.build("99.9")
    with pytest.raises(KeyError):
        EXERCISES["99.9"]


def test_choice_and_match_answers_in_the_forms_people_type():
    choice = ChoiceExercise(
        id="99.1", prompt="p", hint_text="h", why="w",
        options={"a": "one (1)", "b": "two"}, answer="a",
    )  # fmt: skip
    for typed in ("a", "A.", "a)", " one (1) ", "ONE (1)"):
        assert choice.check(typed).correct, typed
    assert "a: one (1)" in choice.choices
    match = MatchExercise(
        id="99.2", prompt="p", hint_text="h", why="w",
        expected={"#1": "used", "#2": "valid"}, values={"used": "used up", "valid": "valid"},
    )  # fmt: skip
    assert match.check("1=used, #2=valid").correct and match.check({"#1": "used", "2": "valid"})
    assert "items #1, #2" in match.choices
