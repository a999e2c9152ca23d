"""otpkit.sim: clocks, acceptance (closed form vs Monte Carlo), drift, code statistics."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import otpkit
from otpkit import sim
from otpkit.errors import InvalidInput
from otpkit.otp import matching_offset
from otpkit.sim.code_stats import _gamma_q

from .conftest import AT

P = 30
BASE = AT - AT % P  # a step boundary


def rng(seed: int = 7) -> np.random.Generator:
    return np.random.default_rng(seed)


# --- acceptance ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("offset", "window", "delay", "expected"),
    [
        (0.0, 0, 0.0, 1.0),  # perfect clock, instant check: always the same step
        (15.0, 0, 0.0, 0.5),  # half a step ahead: half the read moments land in the next step
        (-15.0, 0, 0.0, 0.5),
        (0.0, 0, 10.0, 2 / 3),  # 10 s of typing crosses the boundary a third of the time
        (30.0, 1, 0.0, 1.0),
        (45.0, 1, 0.0, 0.5),
        (60.0, 1, 0.0, 0.0),
        (150.0, 5, 0.0, 1.0),
        (165.0, 5, 0.0, 0.5),
        (-165.0, 5, 0.0, 0.5),
    ],
)
def test_closed_form_known_values(offset, window, delay, expected):
    assert sim.acceptance_probability(offset, window, delay) == pytest.approx(expected)


def test_closed_form_is_a_trapezoid_that_integrates_to_the_window_width():
    offsets = np.linspace(-400, 400, 80_001)
    for w in (0, 1, 5):
        p = sim.acceptance_probability(offsets, w, 7.0)
        area = p.sum() * (offsets[1] - offsets[0])
        assert area == pytest.approx((2 * w + 1) * P, rel=1e-3)
        assert p.min() >= 0 and p.max() <= 1


@pytest.mark.parametrize("window", [0, 1, 5])
@pytest.mark.parametrize("delay", [0.0, 8.0, sim.Delay(2.0, 10.0), sim.Delay(0.0, 45.0)])
def test_monte_carlo_agrees_with_closed_form(window, delay):
    offsets = np.array([-200.0, -160.0, -50.0, -20.0, 0.0, 12.5, 40.0, 95.0, 155.0, 170.0])
    exact = sim.acceptance_probability(offsets, window, delay)
    est = sim.acceptance_monte_carlo(offsets, window, rng(11), delay, n=40_000)
    assert np.all(np.abs(est.value - exact) < 4 * est.stderr), (est.value, exact)


def test_monte_carlo_would_notice_a_wrong_window():
    exact_w1 = sim.acceptance_probability(45.0, 1, 0.0)
    est_w0 = sim.acceptance_monte_carlo(45.0, 0, rng(), 0.0, n=20_000)
    assert abs(est_w0.value - exact_w1) > 4 * est_w0.stderr


def test_centre_shifts_the_window():
    # Drift tracking: a phone 2 steps ahead is accepted by window 1 centred on +2.
    assert sim.acceptance_probability(60.0, 1, 0.0, centre=2) == 1.0
    assert sim.acceptance_probability(60.0, 1, 0.0, centre=0) == 0.0


def test_simulated_sign_ins_agree_with_real_codes_checked_by_the_core():
    secret = otpkit.new_secret(otpkit.DemoRandom(3))
    params = otpkit.OtpParams()
    g = rng(5)
    batch = sim.draw_sign_ins(300, g, offset_sd=80.0, delay=sim.Delay(0.0, 40.0))
    for window in (0, 1, 5):
        accepted = batch.accepted(window)
        for i in range(len(accepted)):
            phone_time = BASE + batch.phases[i]  # the phase is the time into the phone's step
            true_time = phone_time - batch.offsets[i]
            token = otpkit.code_at(secret, phone_time, params)
            found = matching_offset(secret, token, true_time + batch.delays[i], params, window)
            assert (found is not None) == accepted[i], (window, i)
        assert 0 < accepted.mean() < 1  # both outcomes exercised


def test_step_delta_matches_step_arithmetic():
    g = rng(2)
    offsets = g.normal(0, 100, 1000)
    phases = g.random(1000) * P
    delays = g.random(1000) * 20
    delta = sim.step_delta(offsets, phases, delays)
    phone = np.floor((BASE + phases) / P)
    server = np.floor((BASE + phases - offsets + delays) / P)
    assert np.array_equal(delta, (phone - server).astype(int))


def test_a_million_sign_ins_are_vectorised():
    batch = sim.draw_sign_ins(1_000_000, rng(), offset_sd=60.0)
    ok = batch.accepted(1)
    assert ok.shape == (1_000_000,) and ok.dtype == bool
    expected = sim.acceptance_probability(batch.offsets[:2000], 1, sim.Delay(2.0, 10.0)).mean()
    assert ok[:2000].mean() == pytest.approx(expected, abs=0.05)


def test_policies_are_read_by_their_window():
    assert sim.window_of(otpkit.MISSKEY_2025) == 5
    assert sim.window_of(otpkit.MISSKEY) == 1
    assert sim.window_of(otpkit.RFC6238) == 1
    assert sim.acceptance_probability(100.0, otpkit.MISSKEY_2025) == 1.0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: sim.acceptance_probability(0.0, -1), "window"),
        (lambda: sim.acceptance_probability(float("nan"), 1), "NaN"),
        (lambda: sim.acceptance_probability(0.0, 1.5), "window"),
        (lambda: sim.acceptance_probability(0.0, 1, -3.0), "delay"),
        (lambda: sim.acceptance_monte_carlo(0.0, 1, 42), "default_rng"),
        (lambda: sim.acceptance_monte_carlo(0.0, 1, rng(), n=0), "at least 1"),
        (lambda: sim.draw_sign_ins(-5, rng()), "at least 1"),
        (lambda: sim.simulate_sign_ins([0.0], [31.0], [0.0], 1), "read moment"),
        (lambda: sim.simulate_sign_ins([np.nan], [1.0], [0.0], 1), "NaN"),
        (lambda: sim.Delay(10.0, 2.0), "shorter"),
        (lambda: sim.random_clocks(10, rng(), unsynced=2.0), "fraction"),
        (lambda: sim.time_to_failure(float("inf"), 1), "finite"),
        (lambda: sim.drift_study(sim.clocks(), 10, 1, rng(), sign_ins_per_day=0), "at least 1"),
    ],
)
def test_bad_input_is_explained(call, message):
    with pytest.raises(InvalidInput, match=message):
        call()


# --- clocks and drift ------------------------------------------------------------------------


def test_clock_error_grows_with_skew_and_resets_when_synced():
    pop = sim.clocks(offset=[0.5, 0.5], skew_ppm=[100.0, 100.0], sync_every=[np.inf, sim.DAY])
    days = np.array([0.5, 1.5, 10.0]) * sim.DAY
    err = pop.error(days)
    assert err[0] == pytest.approx(0.5 + 8.64 * np.array([0.5, 1.5, 10.0]))
    assert err[1] == pytest.approx([0.5 + 4.32, 0.5 + 4.32, 0.5])


def test_population_is_reproducible_and_seeded():
    a = sim.random_clocks(500, rng(1), unsynced=0.3)
    b = sim.random_clocks(500, rng(1), unsynced=0.3)
    c = sim.random_clocks(500, rng(2), unsynced=0.3)
    assert np.array_equal(a.skew_ppm, b.skew_ppm)
    assert not np.array_equal(a.skew_ppm, c.skew_ppm)
    assert 0.2 < np.isinf(a.sync_every).mean() < 0.4


def test_time_to_failure_closed_form():
    # 100 ppm gains 8.64 s a day: window 1 tolerates 30 s, window 5 tolerates 150 s.
    t0, t1, t5 = (sim.time_to_failure(100.0, w) for w in (0, 1, 5))
    assert t0.first_possible_days == 0.0
    assert t0.certain_days == pytest.approx(30 / 8.64)
    assert t1.first_possible_days == pytest.approx(30 / 8.64)
    assert t1.certain_days == pytest.approx(60 / 8.64)
    assert t5.first_possible_days == pytest.approx(150 / 8.64)
    assert sim.time_to_failure(-100.0, 5).first_possible_days == pytest.approx(150 / 8.64)
    assert math.isinf(sim.time_to_failure(0.0, 1).first_possible_days)


@given(
    skew=st.floats(-500, 500).filter(lambda s: abs(s) > 1),
    window=st.integers(0, 6),
    delay=st.floats(0, 20),
)
@settings(max_examples=60, deadline=None)
def test_time_to_failure_agrees_with_the_acceptance_probability(skew, window, delay):
    f = sim.time_to_failure(skew, window, delay=delay)

    def p(days: float) -> float:
        return float(sim.acceptance_probability(skew * 1e-6 * days * sim.DAY, window, delay))

    if f.first_possible_days > 0:
        assert p(f.first_possible_days * 0.999) == pytest.approx(1.0)
    assert p(f.first_possible_days * 1.001 + 1e-6) < 1.0
    assert p(f.certain_days * 1.001 + 1e-6) == 0.0
    assert p(f.certain_days * 0.999) > 0.0


def test_drift_study_without_tracking_fails_within_the_closed_form_bounds():
    study = sim.drift_study(sim.clocks(0.0, 100.0), 30, 1, rng(), delay=5.0)
    bound = sim.time_to_failure(100.0, 1, delay=5.0)
    first = study.first_failure_day[0]
    assert bound.first_possible_days <= first <= math.ceil(bound.certain_days)
    assert not study.accepted[0, study.days > bound.certain_days].any()


def test_drift_tracking_follows_a_skewed_clock():
    pop = sim.clocks(offset=np.zeros(200), skew_ppm=np.full(200, 100.0))
    fixed = sim.drift_study(pop, 42, 1, rng(3), track_drift=False)
    tracked = sim.drift_study(pop, 42, 1, rng(3), track_drift=True)
    assert fixed.failure_rate[-1] == 1.0
    assert tracked.failure_rate.mean() < 0.05
    assert tracked.centre[:, -1].mean() > 10  # the recorded drift grew with the clock
    assert np.all(fixed.centre == 0)


def test_drift_study_reads_track_drift_from_a_policy():
    pop = sim.clocks(0.0, 200.0)
    assert sim.drift_study(pop, 5, otpkit.HARDENED, rng()).track_drift
    assert not sim.drift_study(pop, 5, otpkit.MISSKEY, rng()).track_drift


def test_window_five_outlasts_window_one_in_a_population():
    pop = sim.random_clocks(2000, rng(4), skew_sd_ppm=60.0, unsynced=0.5)
    w1 = sim.drift_study(pop, 30, 1, rng(5))
    w5 = sim.drift_study(pop, 30, 5, rng(5))
    assert w5.failure_rate.sum() < w1.failure_rate.sum()
    ever1 = np.isfinite(w1.first_failure_day).mean()
    ever5 = np.isfinite(w5.first_failure_day).mean()
    assert ever5 < ever1


# --- statistics of codes ---------------------------------------------------------------------


def test_truncation_bias_numbers():
    b = sim.truncation_bias(6)
    assert (b.full, b.remainder) == (2147, 483_648)
    assert b.probability(0) == b.p_common > b.p_rare == b.probability(999_999)
    assert b.probability(483_647) == b.p_common and b.probability(483_648) == b.p_rare
    total = b.remainder * b.p_common + (10**6 - b.remainder) * b.p_rare
    assert total == 1
    ten = sim.truncation_bias(10)
    assert ten.full == 0 and ten.probability(2**31) == 0 and ten.probability(2**31 - 1) > 0


@pytest.mark.parametrize("digits", [1, 2, 3, 4])
def test_digit_probabilities_match_brute_force(digits):
    b = sim.truncation_bias(digits)
    codes = np.arange(10**digits)
    weights = np.array([float(b.probability(int(c))) for c in codes])
    table = b.digit_probabilities()
    for position in range(digits):
        digit = codes // 10 ** (digits - 1 - position) % 10
        brute = np.bincount(digit, weights=weights, minlength=10)
        assert table[position] == pytest.approx(brute, rel=1e-12)
    assert b.repeat_probability() == pytest.approx(float(np.sum(weights**2)), rel=1e-12)


def test_ten_digit_codes_never_start_with_3_to_9():
    first = sim.truncation_bias(10).digit_probabilities()[0]
    assert first[3:].sum() == 0 and first.sum() == pytest.approx(1.0)


def test_chi_square_tells_even_codes_from_skewed_ones():
    secret = otpkit.new_secret(otpkit.DemoRandom(9))
    codes = sim.batch_codes(secret, np.arange(20_000))
    even = sim.chi_square_uniformity(codes, 6, bins=10)
    assert even.dof == 9 and even.p_value > 0.001
    skewed = sim.chi_square_uniformity(codes // 2, 6, bins=10)  # squeezed into the lower half
    assert skewed.p_value < 1e-12


def test_chi_square_p_value_matches_textbook_critical_values():
    # The 5 % critical value of chi-square with 9 degrees of freedom is 16.919; with 1, 3.841.
    assert _gamma_q(9 / 2, 16.919 / 2) == pytest.approx(0.05, abs=1e-4)
    assert _gamma_q(1 / 2, 3.841 / 2) == pytest.approx(0.05, abs=1e-4)
    assert _gamma_q(9 / 2, 2.088 / 2) == pytest.approx(0.99, abs=1e-4)


def test_consecutive_repeats():
    assert sim.consecutive_repeats([1, 1, 2, 3, 3, 3]) == 3
    assert sim.consecutive_repeats([]) == 0
