"""The exercises of notebooks 05 (attacks and defences) and 08 (when things go wrong): each is
answered right, and wrong the way a learner plausibly would, and the feedback says why."""

from __future__ import annotations

import pytest

from otpkit import exercises
from otpkit.exercises import ChoiceExercise, Lesson, MatchExercise, NumberExercise


@pytest.fixture(scope="module")
def ex() -> dict[str, exercises.Exercise]:
    return {i: exercises.build(i) for i in exercises.ids("05") + exercises.ids("08")}


def test_each_notebook_has_its_exercises(ex) -> None:  # type: ignore[no-untyped-def]
    assert exercises.ids("05") == ["05.1", "05.2", "05.3", "05.4"]
    assert exercises.ids("08") == ["08.1", "08.2", "08.3", "08.4", "08.5"]


# --- notebook 05 -------------------------------------------------------------------------------


def test_05_1_odds_per_hour(ex) -> None:  # type: ignore[no-untyped-def]
    e = ex["05.1"]
    assert isinstance(e, NumberExercise)
    for right in ("3e-5", "0.00003", "3.0E-05", 3e-5):
        assert e.check(right).correct, right
    old = e.check("1.1e-4")  # Misskey 2023.9-2026.5's window
    assert not old.correct and "Misskey 2023.9-2026.5" in old.message and "window 5" in old.message
    one = e.check("3e-6")  # the chance of one guess, not of an hour
    assert not one.correct and "one guess" in one.message
    s_one = e.check("1e-5")  # s = 1
    assert not s_one.correct and "2 × 1 + 1 = 3" in s_one.message
    assert "3 × 10 / 10^6" in e.why
    assert not e.check("3 × 10^-5").correct  # not a number it can read: it says so
    assert "is not a number" in e.check("3 × 10^-5").message


def test_05_2_replay_forty_seconds_later(ex) -> None:  # type: ignore[no-untyped-def]
    e = ex["05.2"]
    assert isinstance(e, MatchExercise)
    assert e.check("misskey=refused, misskey-2025=accepted").correct
    assert e.check("Misskey-2025 = accepted; misskey = refused").correct
    # The old belief: a code inside the window is accepted by both.
    both = e.check("misskey=accepted, misskey-2025=accepted")
    assert not both.correct
    assert "1 of 2 wrong" in both.message and "already used" in both.message
    assert "used-step guard" in both.message and "90 s" in both.message
    # Thinking the old server refused it.
    old = e.check("misskey=refused, misskey-2025=refused")
    assert "keeps no record of used codes" in old.message
    assert "misskey-2025" in e.check("misskey=refused").message  # one item missing


def test_05_3_match_attack_to_defence(ex) -> None:  # type: ignore[no-untyped-def]
    e = ex["05.3"]
    assert isinstance(e, MatchExercise)
    right = "guessing=limit, replay=guard, relay=webauthn, database=hash, qr-photo=re-enrol, backup-race=atomic"
    assert e.check(right).correct
    # The common mistake: the used-step guard stops phishing too.
    relay = e.check(right.replace("relay=webauthn", "relay=guard"))
    assert not relay.correct and "starting with relay" in relay.message
    assert "first use" in relay.message and "WebAuthn" in relay.message
    assert "59 s" in relay.message  # measured on today's Misskey
    # Hashing the database also protects the TOTP secret? No: a photo needs a new secret.
    qr = e.check(right.replace("qr-photo=re-enrol", "qr-photo=hash"))
    assert "a year later" in qr.message and "new" in qr.message
    race = e.check(right.replace("backup-race=atomic", "backup-race=guard"))
    assert "lets both in" in race.message
    guess = e.check(right.replace("guessing=limit", "guessing=guard"))
    assert "2.6 years" in guess.message and "263 days" in guess.message
    db = e.check(right.replace("database=hash", "database=re-enrol"))
    assert "5 of 5" in db.message and "0 of 5" in db.message


def test_05_4_relay_deadline(ex) -> None:  # type: ignore[no-untyped-def]
    e = ex["05.4"]
    assert isinstance(e, NumberExercise)
    assert e.check("50").correct and e.check("50 s").correct and e.check(49).correct
    assert "Misskey 2023.9-2026.5" in e.check(170).message
    assert "start of the step" in e.check(60).message
    assert "own step" in e.check(20).message
    assert "guard remembers" in e.check(90).message
    assert "too high" in e.check(120).message


# --- notebook 08 -------------------------------------------------------------------------------


def test_08_1_token_for_register(ex) -> None:  # type: ignore[no-untyped-def]
    e = ex["08.1"]
    assert isinstance(e, ChoiceExercise)
    assert e.check("c").correct and e.check("one of her backup codes").correct
    nothing = e.check("a")
    assert not nothing.correct
    assert "Misskey 2026.6+ answered HTTP 500" in nothing.message
    assert "authentication failed" in nothing.message
    assert "no secret yet" in e.check("d").message
    assert "lost" in e.check("b").message


def test_08_2_codes_left_after_a_typo(ex) -> None:  # type: ignore[no-untyped-def]
    e = ex["08.2"]
    assert isinstance(e, NumberExercise)
    assert e.check("3").correct
    kept = e.check(4)  # "the request was refused, so nothing was used"
    assert not kept.correct and "before the password" in kept.message
    assert "used up too" in e.check(5).message
    assert "5 − 1 (sign-in) − 1 (register) = 3" in e.why


def test_08_3_old_codes_after_a_new_phone(ex) -> None:  # type: ignore[no-untyped-def]
    e = ex["08.3"]
    assert e.check("0").correct
    two = e.check("2")  # "the two I never used"
    assert not two.correct and "replaced the whole list" in two.message
    assert "5 fresh" in e.why


def test_08_4_seconds_behind(ex) -> None:  # type: ignore[no-untyped-def]
    e = ex["08.4"]
    assert isinstance(e, NumberExercise)
    # Step -3 with the server 20 s into its step: more than 80 s and at most 110 s behind.
    for right in (80, 90, 95, "100 s", 110):
        assert e.check(right).correct, right
    assert "in steps" in e.check(3).message
    assert "positive" in e.check(-90).message
    assert "further back" in e.check(30).message
    assert not e.check(120).correct and not e.check(75).correct
    assert "20 s into its step" in e.prompt


def test_08_5_which_misskey_accepts(ex) -> None:  # type: ignore[no-untyped-def]
    e = ex["08.5"]
    assert isinstance(e, ChoiceExercise)
    assert e.check("b").correct and e.check("only Misskey 2023.9-2026.5").correct
    both = e.check("a")  # "a few steps off is always fine"
    assert not both.correct and "Misskey 2026.6+ accepts 1 step each way" in both.message
    assert "refused" in both.message
    assert "accepted" in e.check("d").message
    assert not e.check("c").correct


def test_answers_follow_the_lesson() -> None:
    # At a moment 5 s into a step, the same hand-set clock is further behind the server's step.
    later = exercises.build("08.4", Lesson(at=1_700_000_000 - 15))
    assert "5 s into its step" in later.prompt
    assert later.check(later.answer).correct
