"""What an exercise is: a prompt, ``check(answer) -> Feedback``, a hint and a solution.

Answers are computed by the kit (from the lesson's clock, seed and secret), never typed in.
``check`` takes what a learner would type (text with spaces, or a number) and answers anything
else with feedback too, never a traceback. Each kind of question is its own small class.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..core.otp import OtpParams, code_for_step


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer: right or not, and why (the kit's explanation)."""

    correct: bool
    message: str

    def __bool__(self) -> bool:
        return self.correct

    def __str__(self) -> str:
        return ("Right. " if self.correct else "Not yet. ") + self.message


def _text(answer: object) -> str | None:
    """What the learner typed, as text; None for something that is not an answer at all."""
    if isinstance(answer, bool):
        return None
    if isinstance(answer, (int, float, str)):
        return " ".join(str(answer).split())
    return None


def _kind(answer: object) -> str:
    return "nothing" if answer is None else f"a {type(answer).__name__}"


@dataclass(frozen=True)
class Exercise:
    """The common part: an id such as "02.3", the prompt, a hint, and why the answer is right."""

    id: str
    prompt: str
    hint_text: str
    why: str

    def check(self, answer: object) -> Feedback:
        raise NotImplementedError

    @property
    def answer_text(self) -> str:
        """The right answer, as a learner would type it."""
        raise NotImplementedError

    @property
    def example(self) -> str:
        """What a well-formed answer looks like, for the text box's placeholder."""
        raise NotImplementedError

    def hint(self) -> str:
        return self.hint_text

    def solution(self) -> str:
        return f"The answer is {self.answer_text}. {self.why}"

    @property
    def choices(self) -> str:
        """The choices a learner picks from, for a view to show ("" when the answer is free)."""
        return ""

    @property
    def kind(self) -> str:
        return type(self).__name__


@dataclass(frozen=True)
class CodeExercise(Exercise):
    """Compute the code of time step ``step`` for ``secret``; a near miss is named by its step."""

    secret: str = ""
    step: int = 0
    params: OtpParams = field(default_factory=OtpParams)

    @property
    def answer_text(self) -> str:
        return code_for_step(self.secret, self.step, self.params)

    @property
    def example(self) -> str:
        return "0" * self.params.digits

    def check(self, answer: object) -> Feedback:
        typed = _text(answer)
        digits = self.params.digits
        if typed is None:
            return Feedback(False, f"type the code as {digits} digits, not {_kind(answer)}")
        typed = typed.replace(" ", "")
        if isinstance(answer, int):
            typed = typed.zfill(digits)  # 012345 typed as a number loses its leading zero
        if not (typed.isascii() and typed.isdigit()) or len(typed) != digits:
            return Feedback(False, f"a code is exactly {digits} digits 0-9; {typed!r} is not")
        if typed == self.answer_text:
            return Feedback(True, self.why)
        period = self.params.period
        for offset in sorted(range(-10, 11), key=abs):
            step = self.step + offset
            if offset and step >= 0 and code_for_step(self.secret, step, self.params) == typed:
                way = "before" if offset < 0 else "after"
                return Feedback(
                    False,
                    f"that is the code of the step {abs(offset)} {way} this one (offset "
                    f"{offset:+d}): a clock {abs(offset) * period} s "
                    f"{'behind' if offset < 0 else 'ahead'} gives it. Use step {self.step}.",
                )
        return Feedback(False, "that is not the code of this step, nor of a step near it")


@dataclass(frozen=True)
class ChoiceExercise(Exercise):
    """Pick one of ``options`` (key -> text); each wrong key has its own explanation."""

    options: Mapping[str, str] = field(default_factory=dict)
    answer: str = ""
    wrong: Mapping[str, str] = field(default_factory=dict)

    @property
    def answer_text(self) -> str:
        return self.answer

    @property
    def example(self) -> str:
        return " or ".join(self.options)

    def solution(self) -> str:
        return f"The answer is {self.answer}: {self.options[self.answer]}. {self.why}"

    def _key(self, typed: str) -> str | None:
        lowered = typed.lower().strip()
        forms = {lowered, lowered.rstrip("."), lowered.rstrip(".)").rstrip()}  # "b", "b.", "b)"
        for key, text in self.options.items():
            if forms & {key.lower(), text.lower()}:
                return key
        return None

    @property
    def choices(self) -> str:
        return "; ".join(f"{key}: {text}" for key, text in self.options.items())

    def check(self, answer: object) -> Feedback:
        typed = _text(answer)
        choices = ", ".join(self.options)
        if typed is None:
            return Feedback(False, f"answer with one of {choices}, not {_kind(answer)}")
        key = self._key(typed)
        if key is None:
            return Feedback(False, f"{typed!r} is not one of the choices {choices}")
        if key == self.answer:
            return Feedback(True, self.why)
        return Feedback(False, self.wrong.get(key, "that is not it"))


@dataclass(frozen=True)
class NumberExercise(Exercise):
    """A number, right within ``tolerance``; ``misses`` name tempting wrong values and why."""

    answer: float = 0.0
    tolerance: float = 0.0
    unit: str = ""
    misses: Sequence[tuple[float, str]] = ()

    @property
    def answer_text(self) -> str:
        return f"{self.answer:g} {self.unit}".strip()

    @property
    def example(self) -> str:
        return f"a number{f' of {self.unit}' if self.unit else ''}"

    def check(self, answer: object) -> Feedback:
        typed = _text(answer)
        if typed is None:
            return Feedback(False, f"answer with a number, not {_kind(answer)}")
        cleaned = typed.replace(",", "").replace("_", "").strip()
        if self.unit and cleaned.endswith(self.unit):
            cleaned = cleaned[: -len(self.unit)].strip()
        try:
            value = float(cleaned)
        except ValueError:
            return Feedback(False, f"{typed!r} is not a number")
        if value != value or value in (float("inf"), float("-inf")):
            return Feedback(False, "answer with a finite number")
        if abs(value - self.answer) <= self.tolerance:
            return Feedback(True, self.why)
        for miss, why in self.misses:
            if abs(value - miss) <= self.tolerance:
                return Feedback(False, why)
        side = "too high" if value > self.answer else "too low"
        return Feedback(False, f"{value:g} is {side}")


@dataclass(frozen=True)
class MatchExercise(Exercise):
    """Give each item its value: ``expected`` maps item -> value (e.g. policy -> yes/no, or
    attack -> defence). Answers: a dict, or text such as "a=2, b=1"."""

    expected: Mapping[str, str] = field(default_factory=dict)
    values: Mapping[str, str] = field(default_factory=dict)
    reasons: Mapping[str, str] = field(default_factory=dict)

    @property
    def answer_text(self) -> str:
        return ", ".join(f"{item}={value}" for item, value in self.expected.items())

    @property
    def choices(self) -> str:
        values = "; ".join(f"{key}: {text}" for key, text in self.values.items())
        return f"items {', '.join(self.expected)}; values {values}"

    @property
    def example(self) -> str:
        first = next(iter(self.expected), "a")
        return f"{first}={next(iter(self.values), '1')}, ..."

    def _parse(self, answer: object) -> dict[str, str] | str:
        if isinstance(answer, Mapping):
            pairs = [(str(k), str(v)) for k, v in answer.items()]
        else:
            typed = _text(answer)
            if typed is None:
                return f"answer like {self.example!r}, not {_kind(answer)}"
            pairs = []
            for piece in typed.replace(";", ",").split(","):
                item, sep, value = piece.partition("=")
                if not piece.strip():
                    continue
                if not sep:
                    return f"{piece.strip()!r} has no '=': write item=value"
                pairs.append((item, value))
        parsed: dict[str, str] = {}
        items = {k.lower().lstrip("#"): k for k in self.expected}
        values = {v.lower(): v for v in self.values}
        for item, value in pairs:
            key = items.get(item.strip().lower().lstrip("#"))
            val = values.get(value.strip().lower())
            if key is None:
                return f"{item.strip()!r} is not one of {', '.join(self.expected)}"
            if val is None:
                return f"{value.strip()!r} is not one of {', '.join(self.values)}"
            parsed[key] = val
        return parsed

    def check(self, answer: object) -> Feedback:
        parsed = self._parse(answer)
        if isinstance(parsed, str):
            return Feedback(False, parsed)
        missing = [item for item in self.expected if item not in parsed]
        if missing:
            return Feedback(False, f"say something for every item; missing: {', '.join(missing)}")
        wrong = [item for item in self.expected if parsed[item] != self.expected[item]]
        if not wrong:
            return Feedback(True, self.why)
        first = wrong[0]
        reason = self.reasons.get(first, "")
        return Feedback(
            False,
            f"{len(wrong)} of {len(self.expected)} wrong, starting with {first}: "
            f"{self.values[self.expected[first]]}, not {self.values[parsed[first]]}. {reason}".strip(),
        )


Builder = Callable[[Any], Exercise]
