"""ipywidgets views of the kit: the enrollment wizard, the phone, the clock, and the explorers.

Each name loads its module (and ipywidgets) on first use.
"""

from __future__ import annotations

import importlib
from typing import Any

_WHERE = {
    "EnrollmentWizard": "wizard",
    "PhoneView": "phone_view",
    "ClockControl": "clock_control",
    "WindowExplorer": "explorers",
    "DriftExplorer": "explorers",
    "SignInForm": "sign_in_form",
    "ExerciseView": "exercise_view",
    "Score": "exercise_view",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module 'otpkit.widgets' has no attribute {name!r}")
