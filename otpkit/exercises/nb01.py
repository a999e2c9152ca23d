"""Exercises of notebook 01, Enrollment walkthrough: what the server keeps at each stage, which
codes it takes, where a wrong password stops, and what today's Misskey does with a used code.

Every answer comes from running the lesson's own flow on the kit's server, never from a typed
value: change the policy's numbers and the answers follow.
"""

from __future__ import annotations

from typing import Any

from ..core.clock import DriftingClock
from ..core.errors import IncorrectPassword, InvalidToken
from ..core.otp import code_at
from ..enrollment.flow import EnrollmentFlow, Stage
from ..enrollment.phone import Phone
from ..server.policy import MISSKEY, MISSKEY_2025
from .core import ChoiceExercise, MatchExercise, NumberExercise
from .lesson import Enrolled, Lesson
from .registry import exercise

# The stored fields the two "what does the server keep" exercises ask about.
FIELDS = ("password_hash", "pending_secret", "secret", "backup_codes")
SET_OR_EMPTY = {"set": "set", "empty": "empty"}


def _flow_until(lesson: Lesson, stage: Stage) -> EnrollmentFlow:
    """The lesson's enrollment on today's Misskey, every stage before ``stage`` done."""
    server = lesson.server()
    flow = EnrollmentFlow(server, Phone(DriftingClock(server.clock)), lesson.user, lesson.password)
    while flow.stage < stage:
        flow.advance()
    return flow


def _filled(stored: dict[str, Any]) -> dict[str, str]:
    return {name: "set" if stored[name] else "empty" for name in FIELDS}


def _fields_prompt(after: str) -> str:
    return (
        f"{after}, which of alice's stored fields hold something? Answer set or empty for each: "
        f"{', '.join(FIELDS)} (like password_hash=set, pending_secret=..., ...)."
    )


@exercise("01.1")
def stored_after_setup(lesson: Lesson) -> MatchExercise:
    flow = _flow_until(lesson, Stage.READ_CODE)
    stored = flow.server.stored(lesson.user)
    return MatchExercise(
        id="01.1",
        prompt=_fields_prompt(
            "After stage 6 (the app has the secret; no code has been entered yet)"
        ),
        hint_text=(
            "Stage 5 was the first to change anything on the server. What did it make, and "
            "what waits for a code to prove the app has it?"
        ),
        why=(
            "Only the password hash (from sign-up) and the pending secret (from stage 5) are "
            f"set; two_factor_enabled is {stored['two_factor_enabled']}. The phone has the "
            "secret, but the server does not know that yet: nothing is switched on until a code "
            "proves it, at stage 8."
        ),
        expected=_filled(stored),
        values=SET_OR_EMPTY,
        reasons={
            "password_hash": "It has been there since sign-up; enrolling never removes it.",
            "pending_secret": "The right password at stage 5 made the secret and stored it as "
            "pending; stage 6 only carried it to the phone.",
            "secret": "The pending secret becomes the active one only when a code matches, at "
            "stage 8.",
            "backup_codes": "Backup codes are made at stage 8, when 2FA turns on.",
        },
    )


@exercise("01.2")
def stored_after_confirm(lesson: Lesson) -> MatchExercise:
    flow = _flow_until(lesson, Stage.DOWNLOAD_BACKUP_CODES)
    stored = flow.server.stored(lesson.user)
    kept = stored["pending_secret"] == stored["secret"]
    return MatchExercise(
        id="01.2",
        prompt=_fields_prompt("After stage 8 (the code matched and 2FA is on)"),
        hint_text=(
            "Stage 8 copies the pending secret to the active one and makes the backup codes. "
            "Does it clear the pending secret afterwards?"
        ),
        why=(
            f"All four are set and two_factor_enabled is {stored['two_factor_enabled']}. "
            f"{len(stored['backup_codes'])} backup codes are kept in plain text, and the pending "
            + (
                "secret is still there, equal to the active one: Misskey never clears it, not "
                "even when 2FA is turned off."
                if kept
                else "secret is kept too."
            )
        ),
        expected=_filled(stored),
        values=SET_OR_EMPTY,
        reasons={
            "password_hash": "It has been there since sign-up; enrolling never removes it.",
            "pending_secret": "Misskey copies the pending secret to the active one and never "
            "clears it.",
            "secret": "The code matched, so the pending secret became the active secret.",
            "backup_codes": "Stage 8 made the backup codes when it turned 2FA on; stage 9 only "
            "downloads them.",
        },
    )


def _count(window: int) -> int:
    return 2 * window + 1


def _codes(n: int) -> str:
    return f"{n} code{'' if n == 1 else 's'}"


@exercise("01.3")
def codes_accepted_at_confirm(lesson: Lesson) -> MatchExercise:
    versions = {"today": MISSKEY, "2025": MISSKEY_2025}
    counts = {item: _count(p.confirm_window) for item, p in versions.items()}
    windows = {p.confirm_window for p in versions.values()}
    choices = sorted(set(counts.values()) | windows)
    return MatchExercise(
        id="01.3",
        prompt=(
            f"At stage 8 each Misskey compares the code with the codes of the steps in its window. "
            f"How many different codes does each accept: today's ({MISSKEY.title}) and the one "
            f"called 2025 here ({MISSKEY_2025.title})? Answer like today=?, 2025=?"
        ),
        hint_text=(
            "A window of w accepts the current step and w steps on each side: how many steps "
            "is that?"
        ),
        why=(
            f"Today's window is {MISSKEY.confirm_window}, so {_codes(counts['today'])} "
            f"(offsets -{MISSKEY.confirm_window}..+{MISSKEY.confirm_window}); the 2025 one's "
            f"was {MISSKEY_2025.confirm_window}, so {_codes(counts['2025'])}."
        ),
        expected={item: str(n) for item, n in counts.items()},
        values={str(n): _codes(n) for n in choices},
        reasons={
            item: f"{p.title} has window {p.confirm_window} at i/2fa/done: count the current "
            f"step and the {p.confirm_window} on each side."
            for item, p in versions.items()
        },
    )


@exercise("01.4")
def where_a_wrong_password_stops(lesson: Lesson) -> NumberExercise:
    flow = _flow_until(lesson, Stage.ENTER_PASSWORD)
    try:
        flow.enter_password("not the password")
    except IncorrectPassword as error:
        refused = error
    else:  # pragma: no cover - the model would have to accept a wrong password
        raise AssertionError("a wrong password was accepted")
    stage = flow.stage
    return NumberExercise(
        id="01.4",
        prompt=(
            "alice mistypes her password when the server asks for it. At which stage (1-9) "
            "does the enrollment stop?"
        ),
        hint_text="Which stage sends the password to the server? Stages 2 to 4 only find a page.",
        why=(
            f"Stage {int(stage)} ({stage.title}) sends the password, and {refused.answer.who} "
            f"answers HTTP {refused.status} {refused.code}. The flow stays at stage {int(stage)} "
            "and no secret is made."
        ),
        answer=int(stage),
        misses=(
            (int(Stage.REGISTER_APP), "stage 4 only opens the dialog; nothing reaches the server"),
            (int(Stage.ENTER_CODE), "stage 8 checks the code; the password was checked before"),
        ),
    )


def _signs_in_with(
    enrolled: Enrolled, lesson: Lesson, code: str
) -> tuple[bool, InvalidToken | None]:
    """Whether ``code`` signs the lesson's account in now, and the refusal when not."""
    try:
        return enrolled.server.sign_in(lesson.user, lesson.password, code).ok, None
    except InvalidToken as error:
        return False, error


@exercise("01.5")
def enrollment_code_signs_in(lesson: Lesson) -> ChoiceExercise:
    verdicts: dict[str, tuple[bool, InvalidToken | None]] = {}
    for policy in (MISSKEY, MISSKEY_2025):
        enrolled = lesson.enrolled(policy)
        enrolled.clock.advance(1)
        code = code_at(enrolled.secret, lesson.at, policy.params)
        verdicts[policy.name] = _signs_in_with(enrolled, lesson, code)
    (today, refusal), (then, _) = verdicts[MISSKEY.name], verdicts[MISSKEY_2025.name]
    guard = MISSKEY.used_step_guard
    assert guard is not None and not today and refusal is not None and then, (
        "01.5's text assumes today's Misskey refuses the enrollment code and 2025's accepts it"
    )
    return ChoiceExercise(
        id="01.5",
        prompt=(
            "One second after stage 8, alice signs in with her password and the very code she "
            f"typed at stage 8. Does today's Misskey ({MISSKEY.title}) accept "
            "it? yes or no."
        ),
        hint_text=(
            "Today's Misskey remembers something about every code it accepts, the enrollment "
            "code included. What, and for how long?"
        ),
        why=(
            f"{MISSKEY.title} marks the time step of every code it accepts as used for "
            f"{guard.ttl:g} s, the enrollment code's too, so the same code is refused like a "
            f"wrong one (HTTP {refusal.status}). {MISSKEY_2025.title} kept no such mark and "
            "accepted it."
        ),
        options={"yes": "accepted", "no": "refused"},
        answer="yes" if today else "no",
        wrong={
            "yes": f"that was so up to {MISSKEY_2025.title}, which kept no record of used "
            f"steps; today's marks each used step for {guard.ttl:g} s"
        },
    )
