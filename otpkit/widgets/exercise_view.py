"""One exercise on one line (text box, Check, Hint, Show solution), and a notebook's score."""

from __future__ import annotations

import html

import ipywidgets as widgets

from ..exercises import Exercise, build
from ..exercises.lesson import Lesson
from . import panels


class Score(widgets.HTML):
    """ "3 of 5 right": counts the exercises of one notebook answered right at least once."""

    def __init__(self, total: int):
        super().__init__()
        self.total = total
        self.right: set[str] = set()
        self.add_class("otpkit-score")
        self._show()

    def record(self, exercise_id: str, correct: bool) -> None:
        if correct:
            self.right.add(exercise_id)
        self._show()

    def _show(self) -> None:
        self.value = f"<b>Score:</b> {len(self.right)} of {self.total} right"


class ExerciseView(widgets.VBox):
    """The prompt, then one line: the answer box, Check, Hint and Show solution; feedback below.

    Enter in the box checks the answer too.
    """

    def __init__(self, exercise: Exercise, score: Score | None = None):
        super().__init__()
        self.exercise = exercise
        self.score = score
        choices = (
            f"<br><small>Choose from: {html.escape(exercise.choices)}</small>"
            if exercise.choices
            else ""
        )
        self.prompt = widgets.HTML(
            f"<b>Exercise {html.escape(exercise.id)}.</b> {html.escape(exercise.prompt)}{choices}"
        )
        self.answer = widgets.Text(
            placeholder=exercise.example,
            description="Answer",
            layout=widgets.Layout(width="22em"),
        )
        self.check_button = widgets.Button(description="Check", button_style="primary")
        self.hint_button = widgets.Button(description="Hint")
        self.solution_button = widgets.Button(description="Show solution")
        self.feedback = widgets.HTML()
        self.check_button.on_click(lambda _: self.check())
        self.hint_button.on_click(lambda _: self.show_hint())
        self.solution_button.on_click(lambda _: self.show_solution())
        self.answer.continuous_update = False
        self.answer.observe(lambda _: self.check(), names="value")
        self.add_class("otpkit-exercise")
        self.children = [
            self.prompt,
            widgets.HBox([self.answer, self.check_button, self.hint_button, self.solution_button]),
            self.feedback,
        ]

    def check(self) -> None:
        if not self.answer.value.strip():
            self.feedback.value = panels.message("Type an answer first.", "info")
            return
        verdict = self.exercise.check(self.answer.value)
        kind = "ok" if verdict.correct else "error"
        self.feedback.value = panels.message(html.escape(str(verdict)), kind)
        if self.score is not None:
            self.score.record(self.exercise.id, verdict.correct)

    def show_hint(self) -> None:
        self.feedback.value = panels.message(
            "<b>Hint:</b> " + html.escape(self.exercise.hint()), "info"
        )

    def show_solution(self) -> None:
        self.feedback.value = panels.message(
            "<b>Solution:</b> " + html.escape(self.exercise.solution()), "info"
        )


def exercise_view(exercise_id: str, lesson: Lesson | None = None, score: Score | None = None):
    """The view of exercise ``exercise_id`` of ``lesson`` (the default lesson)."""
    return ExerciseView(build(exercise_id, lesson), score)
