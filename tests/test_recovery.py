"""otpkit.recovery: lost phone, new phone, wrong clock, and the two voices of each answer."""

from __future__ import annotations

import pytest

import otpkit
from otpkit import recovery
from otpkit.exercises import Lesson
from otpkit.recovery import attempt

LESSON = Lesson()
DAY = 86_400.0


@pytest.fixture
def alice() -> recovery.Story:
    return recovery.story(LESSON)


def test_the_story_is_the_lessons_account_and_secret(alice: recovery.Story) -> None:
    kept = alice.server.stored(alice.user)
    assert kept["two_factor_enabled"] and kept["secret"] == LESSON.secret
    assert alice.phone.code() == otpkit.code_at(LESSON.secret, LESSON.at)
    assert len(alice.backup_codes) == 5 == alice.codes_left()
    assert alice.server.policy is otpkit.MISSKEY


def test_attempt_keeps_both_voices_of_a_refusal(alice: recovery.Story) -> None:
    refused = attempt(alice.server.register, alice.user, alice.password)
    assert not refused.ok and refused.status == 500 and refused.endpoint == "i/2fa/register"
    assert isinstance(refused.error, otpkit.InvalidToken)
    said = refused.server_said()
    assert said.startswith("Misskey 2026.6+ answered HTTP 500, INTERNAL_ERROR")
    assert "'authentication failed'" in said
    assert "backup code is needed" in refused.kit_says()
    assert str(refused) == f"{said}.\notpkit explains: {refused.kit_says()}"


def test_attempt_describes_successes_as_the_real_server_answers(alice: recovery.Story) -> None:
    asked = attempt(alice.server.sign_in, alice.user, alice.password)
    assert asked.ok and asked.status == 200 and "next: 'totp'" in asked.server_said()
    alice.next_day()
    off = attempt(alice.server.unregister, alice.user, alice.password, alice.phone.code())
    assert off.ok and off.status == 204 and off.server_said() == "Misskey 2026.6+ answered HTTP 204"
    assert "2FA is off" in off.kit_says()


def test_a_comparison_policy_reply_is_marked_as_the_kits(alice: recovery.Story) -> None:
    other = recovery.story(LESSON, otpkit.HARDENED)
    refused = attempt(other.server.register, other.user, other.password)
    assert refused.server_said().startswith("otpkit answered")
    ok = attempt(other.server.sign_in, other.user, other.password)
    assert ok.who.startswith("otpkit")


def test_attempt_refuses_what_is_not_a_server_verb(alice: recovery.Story) -> None:
    with pytest.raises(otpkit.InvalidInput):
        attempt(print, "x")
    with pytest.raises(otpkit.InvalidInput):
        attempt(alice.server.stored, alice.user)


def test_lost_phone_recovery_counts() -> None:
    run = recovery.lost_phone(LESSON)
    assert (run.issued, run.left_after_sign_in) == (5, 4)
    assert run.register_without_code.status == 500
    # Misskey checks the token before the password: the mistyped password still costs a code.
    assert run.left_after_wrong_password == 3
    assert run.left_after_register == 2
    assert run.new_phone_confirmed and run.new_phone_works and not run.old_phone_works
    assert (run.old_codes_tried, run.old_codes_that_work, run.fresh_codes) == (2, 0, 5)


def test_a_policy_that_checks_the_password_first_keeps_the_code() -> None:
    run = recovery.lost_phone(LESSON, otpkit.HARDENED)
    assert run.left_after_wrong_password == run.left_after_sign_in


def test_moving_phone_with_the_code_just_used_is_refused_today(alice: recovery.Story) -> None:
    alice.next_day()
    shown = alice.phone.code()
    assert alice.server.sign_in(alice.user, alice.password, shown).ok
    alice.clock.advance(5)
    again = attempt(alice.server.register, alice.user, alice.password, token=shown)
    assert isinstance(again.error, otpkit.TokenReplayed) and again.status == 500
    alice.clock.advance(alice.phone.seconds_left())
    fresh = attempt(alice.server.register, alice.user, alice.password, alice.phone.code())
    assert fresh.ok
    newer = recovery.new_phone(alice, fresh.value)
    assert newer.name == "new phone" and newer.code() != alice.phone.code()
    assert attempt(alice.server.confirm_details, alice.user, newer.code()).ok


def test_diagnose_a_hand_set_clock(alice: recovery.Story) -> None:
    alice.next_day()
    alice.phone.clock.offset = recovery.HAND_SET_CLOCK  # type: ignore[attr-defined]
    code = alice.phone.code()
    reading = recovery.diagnose_clock(LESSON.secret, code, alice.clock.now())
    # 100 s behind, 20 s into the server's step: the phone's time is in step -3.
    assert reading.offset == -3 and reading.phase == 20
    assert reading.error_range == (-110, -80)
    assert reading.behind_range == (80, 110)
    assert reading.accepted_by == {"Misskey 2026.6+": False, "Misskey 2023.9-2026.5": True}
    assert "80 to 110 s behind" in str(reading)
    refused = attempt(alice.server.sign_in, alice.user, alice.password, code)
    assert not refused.ok and refused.status == 403
    alice.phone.clock.offset = 0.0  # type: ignore[attr-defined]
    alice.clock.advance(30)
    assert attempt(alice.server.sign_in, alice.user, alice.password, alice.phone.code()).ok


@pytest.mark.parametrize("offset", [-3, -1, 0, 1, 4])
def test_the_windows_model_matches_the_real_servers(offset: int) -> None:
    for policy in (otpkit.MISSKEY, otpkit.MISSKEY_2025):
        s = recovery.story(LESSON, policy)
        s.next_day()
        s.phone.clock.offset = offset * 30.0  # type: ignore[attr-defined]
        code = s.phone.code()
        reading = recovery.diagnose_clock(LESSON.secret, code, s.clock.now())
        assert reading.offset == offset
        ok = attempt(s.server.sign_in, s.user, s.password, code).ok
        assert reading.accepted_by[policy.title] == ok


def test_diagnosis_of_codes_that_are_not_a_clock_problem() -> None:
    far = recovery.diagnose_clock(LESSON.secret, "not a code", LESSON.at)
    assert far.offset is None and far.error_range is None and far.behind_range is None
    assert "not a clock problem" in str(far)
    right = recovery.diagnose_clock(
        LESSON.secret, otpkit.code_at(LESSON.secret, LESSON.at), LESSON.at
    )
    assert right.offset == 0 and "20 s behind and 10 s ahead" in str(right)
    with pytest.raises(otpkit.InvalidInput):
        recovery.diagnose_clock(LESSON.secret, 123456, LESSON.at)  # type: ignore[arg-type]


def test_sign_in_report_counts_backup_codes_and_reads_the_clock(tmp_path) -> None:  # type: ignore[no-untyped-def]
    clock = otpkit.ManualClock(LESSON.at)
    path = tmp_path / "live.sqlite3"
    store = otpkit.SqliteStore(path)
    server = otpkit.Server(clock=clock, store=store, host="otpkit.localhost")
    server.sign_up("learner", "pw of the learner")
    reg = server.register("learner", "pw of the learner")
    codes = server.confirm("learner", otpkit.code_at(reg.secret, clock.now()))
    # A second server on the same file, as notebook 08's live mode opens it.
    live = otpkit.Server(clock=clock, store=otpkit.SqliteStore(path), host="otpkit.localhost")
    clock.advance(DAY)
    used = recovery.sign_in_report(live, "learner", "pw of the learner", codes[0])
    assert used.ok and "4 backup codes left" in used.kit_says()
    clock.advance(60)
    late = otpkit.code_at(reg.secret, clock.now() + 95)
    refused = recovery.sign_in_report(live, "learner", "pw of the learner", late)
    assert refused.status == 403 and "step +3" in refused.kit_says() and "ahead" in str(refused)
    clock.advance(60)
    asked = recovery.sign_in_report(live, "learner", "pw of the learner", "")
    assert asked.ok and "next: 'totp'" in asked.server_said()
    clock.advance(60)
    nobody = recovery.sign_in_report(live, "nobody", "x", "123456")
    assert nobody.status == 404 and "notebook 01" in nobody.kit_says()
    clock.advance(60)
    wrong = recovery.sign_in_report(live, "learner", "pw of the learner", "000000")
    assert wrong.status == 403 and "reading" not in wrong.kit_says()
