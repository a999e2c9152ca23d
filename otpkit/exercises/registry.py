"""Where exercises are registered: each notebook's module adds builders with ``@exercise(id)``."""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping

from ..core.errors import InvalidInput
from .core import Builder, Exercise
from .lesson import Lesson

NOTEBOOK_MODULES = ("nb01", "nb02", "nb03", "nb04", "nb05", "nb06", "nb08")
_BUILDERS: dict[str, Builder] = {}


def exercise(exercise_id: str):
    """Register a builder ``(lesson) -> Exercise`` under ``exercise_id`` ("NN.k")."""

    def register(builder: Builder) -> Builder:
        if exercise_id in _BUILDERS:
            raise ValueError(f"exercise {exercise_id} is registered twice")
        _BUILDERS[exercise_id] = builder
        return builder

    return register


def _load() -> dict[str, Builder]:
    for name in NOTEBOOK_MODULES:
        importlib.import_module(f"{__package__}.{name}")
    return _BUILDERS


def ids(notebook: str | None = None) -> list[str]:
    """Every exercise id, in order; or those of one notebook ("02")."""
    found = sorted(_load(), key=lambda i: tuple(int(p) for p in i.split(".")))
    return [i for i in found if notebook is None or i.split(".")[0] == notebook]


def build(exercise_id: str, lesson: Lesson | None = None) -> Exercise:
    """The exercise ``exercise_id``, its answer computed from ``lesson`` (the default one)."""
    builders = _load()
    if exercise_id not in builders:
        raise InvalidInput(f"there is no exercise {exercise_id!r}; there are {', '.join(ids())}")
    built = builders[exercise_id](Lesson() if lesson is None else lesson)
    assert built.id == exercise_id, f"builder for {exercise_id} made {built.id}"
    return built


class _Exercises(Mapping[str, Exercise]):
    """Every exercise of the default lesson, built on first use."""

    def __init__(self) -> None:
        self._built: dict[str, Exercise] = {}

    def __getitem__(self, exercise_id: str) -> Exercise:
        if exercise_id not in self._built:
            if exercise_id not in _load():
                raise KeyError(exercise_id)
            self._built[exercise_id] = build(exercise_id)
        return self._built[exercise_id]

    def __iter__(self) -> Iterator[str]:
        return iter(ids())

    def __len__(self) -> int:
        return len(_load())


EXERCISES: Mapping[str, Exercise] = _Exercises()
