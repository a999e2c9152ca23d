"""Exercises for the learner: predict, compute, check, get told why.

Notebook authors: read docs/lesson-guide.md first (how lessons, exercises and checks work).

What's where:

- ``core``: ``Exercise`` and its kinds (a code to compute, a choice, a number, a matching), and
  ``Feedback``.
- ``lesson``: ``Lesson``, the clock time, seed and account every notebook shares.
- ``registry``: ``EXERCISES`` (id such as "02.3" -> exercise), ``build(id, lesson)``, ``ids()``.
- ``nb01`` ... ``nb08``: the exercises of each notebook, numbered "NN.k".

``otpkit.widgets.ExerciseView`` shows one in a notebook; ``otpkit.widgets.Score`` counts them.
"""

from .core import ChoiceExercise, CodeExercise, Exercise, Feedback, MatchExercise, NumberExercise
from .lesson import Enrolled, Lesson
from .registry import EXERCISES, build, exercise, ids

__all__ = [
    "EXERCISES",
    "ChoiceExercise",
    "CodeExercise",
    "Enrolled",
    "Exercise",
    "Feedback",
    "Lesson",
    "MatchExercise",
    "NumberExercise",
    "build",
    "exercise",
    "ids",
]
