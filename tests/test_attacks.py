"""Simulated attacks: closed forms, their Monte Carlo and real-server checks, and bad input."""

from __future__ import annotations

import math
import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest

import otpkit
from otpkit import attacks
from otpkit.errors import InvalidInput
from otpkit.policy import Backoff, RateLimit

FAST_MISSKEY = replace(otpkit.MISSKEY, bcrypt_rounds=4)


def test_import_otpkit_does_not_load_numpy_or_attacks() -> None:
    code = "import sys, otpkit; print('numpy' in sys.modules, 'otpkit.attacks' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


# --- the lesson's account, and results that name their version ------------------------------


def test_the_victim_is_the_lessons_account() -> None:
    from otpkit.exercises import Lesson

    lesson = Lesson()
    victim = attacks.enrolled(otpkit.MISSKEY, lesson.at, lesson.seed)
    assert (attacks.USER, attacks.PASSWORD) == (lesson.user, lesson.password)
    assert victim.secret == lesson.secret
    assert victim.server.sign_in(lesson.user, lesson.password).next == "totp"


def test_every_result_names_the_version_it_was_measured_on() -> None:
    today, old = otpkit.MISSKEY, otpkit.MISSKEY_2025
    assert attacks.guessing_odds(today).title == "Misskey 2026.6+"
    assert attacks.guessing_odds(otpkit.RFC6238).title == "rfc6238"
    (replay,) = attacks.replay_on_server(old, delays=(5,))
    assert (replay.policy, replay.title) == ("misskey-2025", "Misskey 2023.9-2026.5")
    assert attacks.relay_on_server(today, phases=(0,)).title == today.title
    assert attacks.leak_through_storage(FAST_MISSKEY).title == today.title
    run = attacks.guess_on_server(today, np.random.default_rng(1), hours=0.01)
    assert run.title == today.title and run.paced
    check = attacks.guessing_monte_carlo(today, np.random.default_rng(1), trials=100)
    assert check.title == today.title


def test_policy_overview_is_a_table_of_titles_and_summaries() -> None:
    text = attacks.policy_overview(otpkit.POLICIES.values(), width=90)
    lines = text.splitlines()
    assert lines[0].startswith("policy") and "summary" in lines[0]
    assert all(len(line) <= 90 for line in lines)
    assert lines[2].startswith("Misskey 2026.6+  ")
    assert any(line.startswith("Misskey 2023.9-2026.5  ") for line in lines)
    # Every word of every summary is there, in order.
    words = " ".join(line[len("Misskey 2023.9-2026.5  ") :] for line in lines[2:]).split()
    assert words == " ".join(p.summary for p in otpkit.POLICIES.values()).split()
    with pytest.raises(InvalidInput):
        attacks.policy_overview([])
    with pytest.raises(InvalidInput):
        attacks.policy_overview(["misskey"])  # type: ignore[list-item]


# --- guessing: closed form ------------------------------------------------------------------


def test_misskey_today_odds_are_3e_5_per_hour_per_ip() -> None:
    odds = attacks.guessing_odds(otpkit.MISSKEY)
    assert (odds.accepted, odds.guesses_per_hour) == (3, 10)
    assert odds.p_hour == pytest.approx(3e-5, rel=1e-12)
    # 0.5 = (1 - 3e-6)^n: about 231,000 guesses, 10 an hour: about 963 days.
    assert 962.6 < odds.days_to_half < 962.8


def test_misskey_2025_odds_are_1_1e_4_per_hour_per_ip() -> None:
    odds = attacks.guessing_odds(otpkit.MISSKEY_2025)
    assert odds.accepted == 11
    assert odds.guesses_per_hour == 10
    assert odds.p_hour == pytest.approx(1.1e-4, rel=1e-12)
    assert odds.limited_by == "the rate limit per IP address"


def test_rfc4226_formula() -> None:
    assert attacks.rfc4226_odds(3, 10, 6) == pytest.approx(3e-5)
    assert attacks.rfc4226_odds(11, 0, 6) == 0
    assert attacks.accepted_codes(0) == 1
    assert attacks.accepted_codes(5) == 11


def test_time_to_half_solves_the_closed_form() -> None:
    odds = attacks.guessing_odds(otpkit.MISSKEY_2025)
    assert odds.p_within(odds.hours_to_half) == pytest.approx(0.5, abs=1e-12)
    # 0.5 = (1 - 11e-6)^n  ->  about 63,000 guesses, 10 an hour: about 263 days.
    assert 262.5 < odds.days_to_half < 262.6
    assert odds.p_within(0.0) == 0


def test_window_and_digits_change_the_odds_as_expected() -> None:
    wide = attacks.guessing_odds(otpkit.MISSKEY_2025)
    narrow = attacks.guessing_odds(otpkit.RFC6238)
    assert wide.hours_to_half < narrow.hours_to_half
    assert narrow.hours_to_half / wide.hours_to_half == pytest.approx(11 / 3, rel=1e-4)
    eight = replace(otpkit.MISSKEY_2025, params=otpkit.OtpParams(digits=8))
    assert attacks.guessing_odds(eight).hours_to_half == pytest.approx(
        100 * wide.hours_to_half, rel=1e-3
    )


def test_per_ip_limit_falls_to_a_botnet_but_back_off_does_not() -> None:
    one = attacks.guessing_odds(otpkit.MISSKEY, ips=1)
    many = attacks.guessing_odds(otpkit.MISSKEY, ips=100)
    assert many.hours_to_half == pytest.approx(one.hours_to_half / 100)
    hardened = [attacks.guessing_odds(otpkit.HARDENED, ips=n) for n in (1, 10_000)]
    assert hardened[0].hours_to_half == hardened[1].hours_to_half
    assert hardened[1].limited_by == "the back-off per account"
    unlimited = attacks.guessing_odds(otpkit.DEVISE, ips=1, attacker_rate=10)
    assert unlimited.guesses_per_hour == 36_000
    assert unlimited.limited_by == "the attacker's own speed"


def test_per_ip_rate_takes_the_tighter_of_count_and_spacing() -> None:
    assert attacks.per_ip_rate(RateLimit(10, 3600, 1)) == 10
    assert attacks.per_ip_rate(RateLimit(10_000, 3600, 2)) == 1800


# --- guessing: Monte Carlo ------------------------------------------------------------------


@pytest.mark.parametrize("policy", [otpkit.MISSKEY, otpkit.RFC6238, otpkit.DEVISE])
def test_monte_carlo_agrees_with_the_closed_form(policy: otpkit.Policy) -> None:
    check = attacks.guessing_monte_carlo(policy, np.random.default_rng(7), trials=20_000)
    assert check.closed_form == pytest.approx(0.5)
    assert abs(check.z) < 4
    odds = attacks.guessing_odds(policy)
    assert check.median_hours == pytest.approx(odds.hours_to_half, rel=0.05)


def test_monte_carlo_at_another_horizon_and_is_reproducible() -> None:
    old = otpkit.MISSKEY_2025
    a = attacks.guessing_monte_carlo(old, np.random.default_rng(3), 5_000, hours=1000)
    b = attacks.guessing_monte_carlo(old, np.random.default_rng(3), 5_000, hours=1000)
    assert a == b
    assert a.closed_form == pytest.approx(1 - (1 - 11e-6) ** 10_000)
    assert abs(a.z) < 4


def test_monte_carlo_can_fail() -> None:
    # A closed form that is wrong by a factor of 2 in time is many standard errors off.
    check = attacks.guessing_monte_carlo(
        otpkit.MISSKEY,
        np.random.default_rng(7),
        20_000,
        hours=2 * attacks.guessing_odds(otpkit.MISSKEY).hours_to_half,
    )
    assert abs((check.estimate - 0.5) / check.standard_error) > 20


# --- guessing against a real server ---------------------------------------------------------


def test_real_misskey_server_lets_ten_guesses_an_hour() -> None:
    run = attacks.guess_on_server(otpkit.MISSKEY, np.random.default_rng(7), hours=3)
    assert run.within(1) == 10
    # The probe that found the limit each hour was recorded too, and costs a guess later.
    assert 27 <= run.count <= 30
    assert all(
        sum(1 for t in run.guesses if start <= t < start + attacks.HOUR) <= 10
        for start in run.guesses
    )
    assert not run.broke_in
    assert run.refused > 0
    assert run.within(1) == attacks.guessing_odds(otpkit.MISSKEY).guesses_per_hour


def test_an_attacker_that_ignores_the_wait_locks_itself_out() -> None:
    # Misskey's limiter records refused requests too: one request a minute keeps the sliding
    # hour over its 10 requests for good, so only the first 10 guesses are ever examined.
    careless = attacks.guess_on_server(
        otpkit.MISSKEY, np.random.default_rng(7), hours=24, attacker_rate=1 / 60, paced=False
    )
    assert not careless.paced
    assert careless.count == 10 == careless.within(1)
    assert careless.requests == 24 * 60 and careless.refused == 24 * 60 - 10
    paced = attacks.guess_on_server(otpkit.MISSKEY, np.random.default_rng(7), hours=24)
    assert paced.count == 240 and paced.refused == 24
    with pytest.raises(InvalidInput):
        attacks.guess_on_server(otpkit.MISSKEY, np.random.default_rng(7), paced="no")  # type: ignore[arg-type]


def test_real_server_with_many_addresses_gets_more_guesses() -> None:
    run = attacks.guess_on_server(otpkit.MISSKEY, np.random.default_rng(7), hours=1, ips=5)
    assert run.count == 50
    # IPv4 addresses count one by one; an IPv6 attacker would need five /64 networks.


def test_real_server_back_off_matches_the_closed_form() -> None:
    policy = otpkit.DJANGO_OTP  # back-off only, no per-IP limit
    run = attacks.guess_on_server(policy, np.random.default_rng(7), hours=24)
    assert run.within(1) == attacks.backoff_guesses(policy.backoff, attacks.HOUR) == 12
    assert run.count == attacks.backoff_guesses(policy.backoff, attacks.DAY) == 35


def test_guessing_can_break_in_when_the_odds_allow() -> None:
    # Window 100 and no limits: 201 of a million codes accepted. Generator seed 266 hits on its
    # 18th guess (found by trying seeds); the hit must be reported as a break-in and end the run.
    easy = replace(otpkit.DEVISE, window=100, backup=otpkit.MISSKEY.backup)
    run = attacks.guess_on_server(easy, np.random.default_rng(266), hours=1, max_guesses=40)
    assert run.broke_in and run.count == 18
    miss = attacks.guess_on_server(easy, np.random.default_rng(0), hours=1, max_guesses=18)
    assert not miss.broke_in and miss.count == 18


def test_backoff_guesses() -> None:
    b = Backoff(base=1, cap=3600)
    # Guesses at 0, 1, 3, 7, ..., 2047 (12 in the first hour), 4095, then one an hour.
    assert [attacks.backoff_guesses(b, s) for s in (0, 0.5, 1, 1.5, 3600)] == [0, 1, 1, 2, 12]
    assert attacks.backoff_guesses(b, 4095) == 12
    assert attacks.backoff_guesses(b, 4095.5) == 13
    assert attacks.backoff_guesses(b, attacks.DAY) == 13 + math.ceil((86_400 - 4095) / 3600) - 1
    assert attacks.backoff_guesses(Backoff(base=1, cap=1), 10) == 10


# --- replay and relay -----------------------------------------------------------------------


def test_replay_accepted_by_misskey_2025_refused_by_today_hardened_and_rfc6238() -> None:
    old = attacks.replay_on_server(otpkit.MISSKEY_2025, delays=(5, 170, 200))
    assert [r.outcome for r in old] == ["accepted", "accepted", "refused: outside the window"]
    assert all(r.victim_ok for r in old)
    today = attacks.replay_on_server(otpkit.MISSKEY, delays=(5, 40, 80))
    assert [r.outcome for r in today] == ["refused: already used"] * 2 + [
        "refused: outside the window"
    ]
    for policy in (otpkit.HARDENED, otpkit.RFC6238):
        (early,) = attacks.replay_on_server(policy, delays=(5,))
        assert early.victim_ok and early.outcome == "refused: already used"


def test_relay_deadlines_match_the_window() -> None:
    cases = (
        (otpkit.MISSKEY_2025, (150, 180)),
        (otpkit.MISSKEY, (30, 60)),
        (otpkit.HARDENED, (30, 60)),
    )
    for policy, (low, high) in cases:
        relay = attacks.relay_on_server(policy, phases=(0, 15, 29))
        assert relay.closed_form == (low, high)
        # Typed at second p of a step, the code dies at the end of step +window.
        assert relay.deadlines == (high, high - 15, high - 29)


# --- leaks ----------------------------------------------------------------------------------


def test_a_photo_of_the_qr_code_gives_every_future_code() -> None:
    leak = attacks.leak_through_qr(otpkit.HARDENED, later=(attacks.DAY, attacks.YEAR))
    assert leak.uri.startswith("otpauth://totp/")
    assert all(leak.accepted)
    assert leak.predicted == tuple(otpkit.code_at(leak.secret, t) for t in leak.times)


def test_stolen_storage() -> None:
    misskey = attacks.leak_through_storage(FAST_MISSKEY)
    assert misskey.storage == "plain"
    assert misskey.backup_codes_that_work == 5 and misskey.secret_works
    hardened = attacks.leak_through_storage(otpkit.HARDENED)
    assert hardened.backup_codes_that_work == 0
    assert all(c.startswith("sha256$") for c in hardened.stolen_backup_codes)
    # The TOTP secret cannot be hashed: the server needs it to compute codes.
    assert hardened.secret_works


def test_offline_cracking() -> None:
    weak = attacks.offline_crack(40, "SHA-256")
    assert weak.expected_seconds == pytest.approx(2**39 / 1e10)
    assert weak.expected_seconds < attacks.HOUR
    assert attacks.offline_crack(40, "bcrypt (cost 10)").expected_seconds > attacks.YEAR
    assert attacks.offline_crack(160, "SHA-256").expected_seconds > 1e20 * attacks.YEAR
    table = attacks.cracking_table([otpkit.DJANGO_OTP.backup, otpkit.MISSKEY.backup])
    assert [(c.bits, c.hash_name) for c in table] == [
        (40, "SHA-256"),
        (40, "bcrypt (cost 10)"),
        (160, "SHA-256"),
        (160, "bcrypt (cost 10)"),
    ]


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda: attacks.rfc4226_odds(11, -1, 6),
        lambda: attacks.rfc4226_odds(0, 10, 6),
        lambda: attacks.rfc4226_odds(11, float("nan"), 6),
        lambda: attacks.accepted_codes(-1),
        lambda: attacks.accepted_codes(True),
        lambda: attacks.guessing_odds("misskey"),  # type: ignore[arg-type]
        lambda: attacks.guessing_odds(otpkit.MISSKEY, ips=0),
        lambda: attacks.guessing_odds(otpkit.MISSKEY).p_within(-1.0),
        lambda: attacks.guessing_odds(otpkit.MISSKEY, attacker_rate=-1),
        lambda: attacks.guessing_monte_carlo(otpkit.MISSKEY, 7),  # type: ignore[arg-type]
        lambda: attacks.guessing_monte_carlo(otpkit.MISSKEY, np.random.default_rng(1), trials=-5),
        lambda: attacks.guessing_monte_carlo(otpkit.MISSKEY, np.random.default_rng(1), hours=0),
        lambda: attacks.guess_on_server(otpkit.MISSKEY, np.random.default_rng(1), hours=-1),
        lambda: attacks.guess_on_server(otpkit.MISSKEY, np.random.default_rng(1), max_guesses=-1),
        lambda: attacks.backoff_guesses(Backoff(), -1),
        lambda: attacks.backoff_guesses(Backoff(base=0), 10),
        lambda: attacks.replay_on_server(FAST_MISSKEY, delays=(-5,)),
        lambda: attacks.relay_on_server(FAST_MISSKEY, phases=(30,)),
        lambda: attacks.relay_on_server(FAST_MISSKEY, phases=(-1,)),
        lambda: attacks.offline_crack(40, "md5"),
        lambda: attacks.offline_crack(-40, "SHA-256"),
    ],
)
def test_bad_input_raises_invalid_input(call) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput):
        call()


def test_a_policy_with_a_negative_window_cannot_be_made() -> None:
    with pytest.raises(InvalidInput):
        replace(otpkit.MISSKEY, window=-1)
