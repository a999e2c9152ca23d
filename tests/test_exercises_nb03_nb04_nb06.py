"""The exercises of notebooks 03, 04 and 06, each answered right and with the wrong answer a
learner would plausibly give; the feedback must say why. Also the lesson helpers they share with
their notebooks (otpkit.exercises.nb03, nb04, nb06)."""

from __future__ import annotations

import numpy as np
import pytest

import otpkit
from otpkit import apps, compat, sim
from otpkit.exercises import Lesson, build, ids, nb03, nb04, nb06

LESSON = Lesson()


@pytest.fixture(scope="module")
def ex():
    """Every exercise of the three notebooks, built once from the default lesson."""
    return {i: build(i, LESSON) for i in ids("03") + ids("04") + ids("06")}


def test_each_notebook_has_at_least_three_exercises():
    for notebook in ("03", "04", "06"):
        assert len(ids(notebook)) >= 3, notebook


# -- 03 Clock drift ------------------------------------------------------------------------


def test_03_1_drift_after_a_week(ex):
    e = ex["03.1"]
    assert e.check("32.2").correct and e.check("32.24 s").correct
    forgot_the_start = e.check("30.2")
    assert not forgot_the_start.correct and "started 2 s fast" in forgot_the_start.message
    per_day_misread = e.check("352")
    assert not per_day_misread.correct and "millionths" in per_day_misread.message
    one_day = e.check("6.3")
    assert not one_day.correct and "one day" in one_day.message


def test_03_1_follows_the_drifting_clock_model():
    world = otpkit.ManualClock(LESSON.at)
    phone = otpkit.DriftingClock(world, offset=2.0, skew_ppm=50.0)
    world.advance(7 * 86_400)
    assert build("03.1").answer == pytest.approx(phone.error(), abs=0.01)


def test_03_2_a_phone_70_s_slow(ex):
    e = ex["03.2"]
    assert dict(e.expected) == {
        "misskey": "refused",
        "misskey-2025": "accepted",
        "rfc6238": "refused",
    }
    assert e.check("misskey=refused, misskey-2025=accepted, rfc6238=refused").correct
    assert "2 to 10 s" in e.prompt  # the typing delay the lesson assumes is said
    # The learner who still thinks Misskey accepts 5 steps each way:
    old_news = e.check("misskey=accepted, misskey-2025=accepted, rfc6238=refused")
    assert not old_news.correct
    assert "Misskey 2026.6+ accepts steps -1 to +1" in old_news.message
    assert "2 or 3 steps behind" in old_news.message
    # The learner who thinks it depends on the read moment:
    hedged = e.check("misskey=depends, misskey-2025=accepted, rfc6238=depends")
    assert not hedged.correct and "always outside" in hedged.message


def test_03_2_the_model_and_real_sign_ins_agree():
    """The exercise's answer comes from the acceptance model; a real server sign-in agrees."""
    for policy in (otpkit.MISSKEY, otpkit.MISSKEY_2025, otpkit.RFC6238, otpkit.DJANGO_OTP):
        run = nb03.slow_phone_sign_in(LESSON, policy, offset=-70.0)
        assert run.verdict in ("accepted", "refused")
        assert run.accepted == (run.verdict == "accepted"), policy.name
    refused = nb03.slow_phone_sign_in(LESSON, otpkit.MISSKEY, offset=-70.0)
    assert "HTTP 403" in refused.answer and "cdf1235b" in refused.answer  # Misskey's own voice
    assert refused.answer.startswith(otpkit.MISSKEY.title)
    accepted = nb03.slow_phone_sign_in(LESSON, otpkit.MISSKEY_2025, offset=-70.0)
    assert accepted.step in (-2, -3)


def test_03_2_a_phone_40_s_slow_depends_on_the_read_moment():
    run = nb03.slow_phone_sign_in(LESSON, otpkit.MISSKEY, offset=-40.0)
    assert run.verdict == "depends" and 0 < run.chance < 1


def test_03_3_first_failure_day(ex):
    e = ex["03.3"]
    bound = sim.time_to_failure(100.0, otpkit.MISSKEY, delay=nb03.TYPING_DELAY)
    assert e.check(f"{bound.first_possible_days:.2f}").correct
    no_delay = e.check("3.47")
    assert not no_delay.correct and "travels" in no_delay.message
    old_window = e.check("17.94")
    assert not old_window.correct and "window 5" in old_window.message
    all_fail = e.check("7.52")
    assert not all_fail.correct and "every code fails" in all_fail.message


def test_03_4_which_server_refuses_most(ex):
    e = ex["03.4"]
    assert e.answer == "a" and e.check("a").correct
    wide = e.check("b")
    assert not wide.correct and "eleven steps" in wide.message
    tracking = e.check("c")
    assert not tracking.correct and "re-centres" in tracking.message


def test_offset_limits_match_the_acceptance_model():
    x = np.arange(-250.0, 250.0, 0.5)
    for policy in (otpkit.MISSKEY, otpkit.MISSKEY_2025):
        lim = nb03.offset_limits(policy)
        p = sim.acceptance_probability(x, policy, nb03.typing_delay())
        assert (x[p == 1].min(), x[p == 1].max()) == (lim.sure_low, lim.sure_high)
        assert x[p > 0].min() > lim.never_below and x[p > 0].max() < lim.never_above
        assert p[x <= lim.never_below].max() == 0 and p[x >= lim.never_above].max() == 0


def test_the_drifting_phone_diary():
    diary = nb03.drifting_phone(LESSON)
    assert [d.day for d in diary] == [0, 7, 14, 21, 28]
    assert diary[0].shown == diary[0].servers_code
    assert diary[1].ahead == pytest.approx(build("03.1").answer)
    today = [d.verdicts[otpkit.MISSKEY.title] for d in diary]
    before = [d.verdicts[otpkit.MISSKEY_2025.title] for d in diary]
    assert today.count("refused") > before.count("refused")


# -- 04 Backup codes and sign-in -------------------------------------------------------------


def test_04_1_which_backup_codes_are_left(ex):
    e = ex["04.1"]
    assert dict(e.expected) == {
        "#1": "used",
        "#2": "used",
        "#3": "valid",
        "#4": "valid",
        "#5": "valid",
    }
    assert e.check("#1=used, #2=used, #3=valid, #4=valid, #5=valid").correct
    # A failed request changes nothing, the learner thinks:
    failed_means_unused = e.check("#1=valid, #2=used, #3=valid, #4=valid, #5=valid")
    assert not failed_means_unused.correct
    assert "although that request failed" in failed_means_unused.message
    assert "before the password" in failed_means_unused.message
    # The learner who thinks giving a code always uses it:
    given_means_used = e.check("#1=used, #2=used, #3=used, #4=valid, #5=valid")
    assert not given_means_used.correct and "password first" in given_means_used.message


def test_04_1_script_shows_both_voices():
    run = nb04.run_script(LESSON)
    assert run.left == (3, 4, 5) and run.warning == "partial"
    day2, day3, day4 = run.results[1:4]
    assert "cdf1235b" in day2.answer and "backup code" in day2.explanation
    assert "932c904e" in day3.answer  # the wrong password, at sign-in
    assert "7add0395" in day4.answer and day4.used_up == (1,)  # unregister: code first
    text = run.describe()
    assert "otpkit explains:" in text and "server: Misskey 2026.6+" in text
    assert nb04.run_script(LESSON, otpkit.MISSKEY_2025).left == run.left  # both versions


def test_04_2_two_sign_ins_one_code(ex):
    e = ex["04.2"]
    assert e.check(2).correct
    atomic = e.check("1")
    assert not atomic.correct and "in both versions" in atomic.message
    assert nb04.race(LESSON, otpkit.MISSKEY) == (True, True)
    assert nb04.race(LESSON, otpkit.MISSKEY_2025) == (True, True)
    assert nb04.race(LESSON, otpkit.HARDENED) == (True, False)


def test_04_3_retries_that_pass_the_limiter(ex):
    e = ex["04.3"]
    assert e.check("10").correct
    forgetful = e.check("30")
    assert not forgetful.correct and "refused requests were not recorded" in forgetful.message
    every = e.check("36")
    assert not every.correct and "per hour" in every.message


def test_the_limiter_records_refused_requests_and_groups_ipv6():
    often = nb04.retries(LESSON, every=300, hours=3)
    assert [r.limited for r in often] == [False] * 10 + [True] * 26
    assert "429" in often[-1].answer and "TOO_MANY_AUTHENTICATION_FAILURES" in often[-1].answer
    assert not any(r.limited for r in nb04.retries(LESSON, every=360, hours=3))
    rows = nb04.neighbours(LESSON)
    assert [r.limited for r in rows] == [False] * 10 + [True, False]
    assert {r.counted_as for r in rows[:11]} == {"2001:db8:5:1::/64"}
    assert rows[-1].counted_as == "2001:db8:5:2::/64"


def test_04_4_years_to_crack(ex):
    e = ex["04.4"]
    assert e.check("1.7").correct and e.check("1.74 years").correct
    everything = e.check("3.5")
    assert not everything.correct and "halfway" in everything.message


# -- 06 Authenticator apps -------------------------------------------------------------------


def test_06_1_the_legacy_app_and_sha256(ex):
    e = ex["06.1"]
    assert e.answer == "sha1" and e.check("sha1").correct
    hopeful = e.check("sha256")
    assert not hopeful.correct and "does not" in hopeful.message
    refusal = e.check("refuses")
    assert not refusal.correct and "reads the secret alone" in refusal.message


def test_06_2_pairs_before_the_table(ex):
    e = ex["06.2"]
    table = {(o.app, o.server): o.ok for o in compat.compatibility(at=LESSON.at, seed=LESSON.seed)}
    for name, (app, server) in nb06.PAIRS.items():
        assert e.expected[name] == ("works" if table[(app.title, server)] else "fails"), name
    assert e.check(e.answer_text).correct
    # "A big app like Google Authenticator handles anything":
    trusting = dict(e.expected, **{"google/60s": "works"})
    verdict = e.check(trusting)
    assert not verdict.correct and "ignores period 60 s" in verdict.message
    # "Authy cannot take a short secret" (it is FreeOTP that refuses those):
    wary = dict(e.expected, **{"authy/80bit": "fails"})
    verdict = e.check(wary)
    assert not verdict.correct and "codes match" in verdict.message


def test_06_3_what_misskey_answers(ex):
    e = ex["06.3"]
    assert e.check("500").correct
    sign_in_thinking = e.check("403")
    assert not sign_in_thinking.correct and "plain Error" in sign_in_thinking.message
    malformed = e.check("400")
    assert not malformed.correct and "well formed" in malformed.message
    outcome = nb06.enroll(LESSON, apps.GOOGLE_AUTHENTICATOR_LEGACY, "SHA256")
    assert outcome.answer is not None and outcome.answer.describe() in e.why


def test_answers_follow_the_lesson():
    """Another seed gives another secret, yet the same verdicts; another time moves 03.2's real
    sign-in but not the model's answer."""
    other = Lesson(seed=8)
    assert other.secret != LESSON.secret
    assert build("04.1", other).expected == build("04.1", LESSON).expected
    later = Lesson(at=LESSON.at + 17)
    assert build("03.2", later).expected == build("03.2", LESSON).expected
