"""Exercises of notebook 08, When things go wrong: a lost phone, a new phone, a wrong clock.

Every answer comes from the scenario played on a simulated server at the lesson's clock and seed
(``otpkit.recovery``), never typed in.
"""

from __future__ import annotations

from ..enrollment.recovery import HAND_SET_CLOCK, Story, attempt, diagnose_clock, lost_phone, story
from ..server.policy import MISSKEY, MISSKEY_2025, Policy
from .core import ChoiceExercise, NumberExercise
from .lesson import Lesson
from .registry import exercise


@exercise("08.1")
def token_for_register(lesson: Lesson) -> ChoiceExercise:
    blocked = lost_phone(lesson).register_without_code
    assert not blocked.ok
    return ChoiceExercise(
        id="08.1",
        prompt=(
            f"Alice's phone is lost and {MISSKEY.title} still has 2FA on for her account. She "
            "wants to register a new phone. What must she send to i/2fa/register besides her "
            "password? a) nothing more, b) a code from the lost phone, c) one of her backup "
            "codes, d) a code from the new phone"
        ),
        hint_text=(
            "On an account with 2FA, register asks for the same proof as sign-in. Which proofs "
            "does Alice still hold?"
        ),
        why=(
            "a backup code works wherever a code from the app does, register included; it is "
            "used up like at sign-in."
        ),
        options={
            "a": "nothing more",
            "b": "a code from the lost phone",
            "c": "one of her backup codes",
            "d": "a code from the new phone",
        },
        answer="c",
        wrong={
            "a": f"{blocked.server_said()}: with 2FA on, the password alone is not enough",
            "b": "that would work, but the phone is lost: nobody can read its codes",
            "d": (
                "the new phone has no secret yet: the secret it needs comes from this very "
                "register call"
            ),
        },
    )


@exercise("08.2")
def codes_left_after_typo(lesson: Lesson) -> NumberExercise:
    run = lost_phone(lesson)
    return NumberExercise(
        id="08.2",
        prompt=(
            f"Alice had {run.issued} backup codes and signed in with one. Now she calls "
            f"register with a second backup code as the token, and mistypes her password: "
            f"{MISSKEY.title} refuses with INCORRECT_PASSWORD. How many backup codes does the "
            "server still keep for her?"
        ),
        hint_text=(
            "Misskey's register checks the token first and the password after. What happens to "
            "a backup code once the token check has accepted it?"
        ),
        why=(
            f"{run.issued} − {run.issued - run.left_after_sign_in} (sign-in) − "
            f"{run.left_after_sign_in - run.left_after_wrong_password} (register) = "
            f"{run.left_after_wrong_password}: "
            "Misskey checks the token before the password, and a backup code the token check "
            "accepted is used up, even though the password then failed."
        ),
        answer=run.left_after_wrong_password,
        misses=(
            (
                run.left_after_sign_in,
                "the refused register call still used up the second code: the token is "
                "checked (and the backup code spent) before the password",
            ),
            (run.issued, "the code that signed her in is used up too"),
        ),
    )


@exercise("08.3")
def old_codes_after_new_phone(lesson: Lesson) -> NumberExercise:
    run = lost_phone(lesson)
    return NumberExercise(
        id="08.3",
        prompt=(
            f"Alice registered with a third backup code and confirmed her new phone. "
            f"{run.old_codes_tried} codes in her old backup-code file were never used. How "
            "many of them still sign her in?"
        ),
        hint_text="What does i/2fa/done hand back when it turns 2FA on, and what does it replace?",
        why=(
            f"{run.old_codes_that_work}: confirming the new phone gave {run.fresh_codes} fresh "
            "backup codes and replaced the whole old list. Throw the old file away and keep the "
            "new codes."
        ),
        answer=run.old_codes_that_work,
        misses=(
            (
                run.old_codes_tried,
                "confirming the new phone replaced the whole list with fresh codes",
            ),
        ),
    )


def _hand_set_code(lesson: Lesson, policy: Policy = MISSKEY) -> tuple[Story, str]:
    """The lesson's account a day later, and the code its phone (clock set by hand) shows."""
    s = story(lesson, policy)
    s.next_day()
    s.phone.clock.offset = HAND_SET_CLOCK  # type: ignore[attr-defined]
    return s, s.phone.code()


@exercise("08.4")
def seconds_behind(lesson: Lesson) -> NumberExercise:
    s, code = _hand_set_code(lesson)
    now = s.clock.now()
    secret = s.server.stored(s.user)["secret"]
    reading = diagnose_clock(secret, code, now, s.server.policy.params)
    assert reading.offset is not None and reading.offset < 0 and reading.behind_range
    low, high = reading.behind_range
    period = reading.period
    steps = -reading.offset
    return NumberExercise(
        id="08.4",
        prompt=(
            f"Alice's code is refused. The kit finds it is the code of step {reading.offset:+d}: "
            f"{steps} steps before the server's own, and the server's clock is "
            f"{reading.phase:g} s into its step. About how many seconds behind is her phone's "
            "clock? (Any value that fits is right.)"
        ),
        hint_text=(
            f"Each step is {period} s. Step {reading.offset:+d} began {steps} × {period} + "
            f"{reading.phase:g} s ago and ended {steps - 1} × {period} + {reading.phase:g} s ago."
        ),
        why=(
            f"her clock reads a time inside step {reading.offset:+d}, so it is more than "
            f"{low:g} s and at most {high:g} s behind."
        ),
        answer=(low + high) / 2,
        tolerance=(high - low) / 2,
        unit="s",
        misses=(
            (steps, f"that is in steps; each step is {period} s"),
            (-(low + high) / 2, "the question asks how far behind, as a positive number"),
            (period, "one step is not enough: the code is from further back"),
        ),
    )


@exercise("08.5")
def which_misskey_accepts(lesson: Lesson) -> ChoiceExercise:
    verdicts: dict[str, bool] = {}
    offset = 0
    for policy in (MISSKEY, MISSKEY_2025):
        s, code = _hand_set_code(lesson, policy)
        verdicts[policy.name] = attempt(s.server.sign_in, s.user, s.password, code).ok
        offset = diagnose_clock(s.server.stored(s.user)["secret"], code, s.clock.now()).offset or 0
    answer = {(True, True): "a", (False, True): "b", (True, False): "c", (False, False): "d"}[
        (verdicts["misskey"], verdicts["misskey-2025"])
    ]
    measured = "; ".join(
        f"{p.title} accepts {p.window} step{'s' if p.window > 1 else ''} each way, so step "
        f"{offset:+d} is {'accepted' if verdicts[p.name] else 'refused'}"
        for p in (MISSKEY, MISSKEY_2025)
    )
    options = {
        "a": "both",
        "b": f"only {MISSKEY_2025.title}",
        "c": f"only {MISSKEY.title}",
        "d": "neither",
    }
    return ChoiceExercise(
        id="08.5",
        prompt=(
            f"Alice's phone shows the code of step {offset:+d}. Which Misskey lets her sign in "
            f"with it? a) both, b) only {MISSKEY_2025.title}, c) only {MISSKEY.title}, "
            "d) neither"
        ),
        hint_text="Compare the step of the code with each version's sign-in window.",
        why=f"{measured} (each tried on a simulated server).",
        options=options,
        answer=answer,
        wrong={key: f"not {text}: {measured}" for key, text in options.items() if key != answer},
    )
