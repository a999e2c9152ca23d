"""otpkit.plots: each function returns a Figure with the artists it promises, the same every run."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

import otpkit
from otpkit import plots, sim
from otpkit.errors import InvalidInput

from .conftest import AT

SECRET = otpkit.new_secret(otpkit.DemoRandom(7))


def texts(fig: Figure) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts]


def test_code_windows_labels_each_step_with_its_code():
    fig = plots.code_windows(SECRET, AT, window=1, offset=60.0)
    assert isinstance(fig, Figure)
    step = otpkit.step_at(AT)
    shown = texts(fig)
    for delta in (-1, 0, 1, 2, 3):  # the window, and the phone 60 s ahead (AT is 20 s into its step)
        assert otpkit.code_for_step(SECRET, step + delta) in shown
    boxes = next(c for c in fig.axes[0].collections if isinstance(c, PatchCollection))
    widths = list(boxes.get_linewidths())
    phone_box = widths.index(max(widths))
    labels = [t for t in shown if t.startswith(("+", "-"))]
    assert labels[phone_box] == "+2"  # the thick box is the step the phone shows


def test_code_windows_shades_the_window_and_marks_now():
    fig = plots.code_windows(SECRET, AT, window=5, delay=8.0)
    ax = fig.axes[0]
    span = next(p for p in ax.patches if "accepted" in p.get_label())
    assert (span.get_x(), span.get_width()) == (-150, 11 * 30)
    lines = {line.get_label(): line.get_xdata()[0] for line in ax.lines}
    assert lines["server checks"] - lines["now (true time)"] == 8.0
    assert lines["now (true time)"] == AT % 30


def test_figures_are_pixel_for_pixel_reproducible():
    one = plots.png(plots.code_windows(SECRET, AT, window=5, offset=-40.0, delay=5.0))
    two = plots.png(plots.code_windows(SECRET, AT, window=5, offset=-40.0, delay=5.0))
    other = plots.png(plots.code_windows(SECRET, AT, window=5, offset=40.0, delay=5.0))
    assert one == two != other
    assert one.startswith(b"\x89PNG")


def test_countdown_shows_the_seconds_left():
    assert "10 s" in texts(plots.countdown(AT))  # AT is 20 s into its step
    assert "30 s" in texts(plots.countdown(AT - 20))


def test_acceptance_curves_draw_the_closed_form():
    fig = plots.acceptance_curves((0, 1, otpkit.MISSKEY_2025), delay=sim.Delay(2.0, 10.0))
    lines = [line for line in fig.axes[0].lines if len(line.get_xdata()) > 100]
    assert [line.get_label() for line in lines] == ["window 0", "window 1", "window 5 (misskey-2025)"]
    x, y = lines[2].get_data()
    assert np.allclose(y, sim.acceptance_probability(x, 5, sim.Delay(2.0, 10.0)))


def test_acceptance_curves_can_add_monte_carlo_points():
    fig = plots.acceptance_curves((1,), rng=np.random.default_rng(1), samples=2000)
    dots = [line for line in fig.axes[0].lines if line.get_marker() == "o"]
    assert len(dots) == 1 and len(dots[0].get_xdata()) == 25


def test_drift_over_days_marks_the_first_failure():
    failing = sim.drift_study(sim.clocks(0.0, 150.0), 20, 1, np.random.default_rng(1))
    fig = plots.drift_over_days(failing)
    ax = fig.axes[0]
    first = failing.first_failure_day[0]
    assert any(t.startswith("first failure: day") for t in texts(fig))
    assert any(isinstance(line, Line2D) and line.get_xdata()[0] == first for line in ax.lines)
    rejected = next(line for line in ax.lines if line.get_label() == "code rejected")
    assert len(rejected.get_xdata()) == (~failing.accepted[0]).sum() > 0

    fine = sim.drift_study(sim.clocks(0.0, 1.0), 20, 1, np.random.default_rng(1))
    assert not any(t.startswith("first failure") for t in texts(plots.drift_over_days(fine)))


def test_population_histograms_and_code_distribution():
    pop = sim.random_clocks(300, np.random.default_rng(2), skew_sd_ppm=80.0, unsynced=0.5)
    studies = {f"window {w}": sim.drift_study(pop, 20, w, np.random.default_rng(3)) for w in (1, 5)}
    fig = plots.population_histograms(studies)
    assert len(fig.axes) == 3
    assert [line.get_label() for line in fig.axes[1].lines] == list(studies)

    codes = sim.batch_codes(SECRET, np.arange(5000))
    fig = plots.code_distribution(codes)
    assert len(fig.axes) == 2
    assert fig.axes[1].get_title() == "2^31 = 2,147 x 10^6 + 483,648"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: plots.code_windows(SECRET, AT, window=-1), "window"),
        (lambda: plots.code_windows(SECRET, AT, offset=float("nan")), "finite"),
        (lambda: plots.code_windows(SECRET, AT, window=30), "steps"),
        (lambda: plots.acceptance_curves(()), "at least one"),
        (lambda: plots.drift_over_days("not a study"), "DriftStudy"),
        (lambda: plots.code_distribution([-3, 5]), "from 0"),
        (lambda: plots.countdown(AT, period=0), "period"),
    ],
)
def test_bad_input_is_explained(call, message):
    with pytest.raises(InvalidInput, match=message):
        call()


def test_code_windows_plot_redraws_in_place_without_leftovers():
    plot = plots.CodeWindowsPlot(SECRET)
    wanted = plots.png(plots.code_windows(SECRET, AT, window=1, offset=60.0))
    assert plots.png(plot.update(AT, window=1, offset=60.0)) == wanted
    fig = plot.update(AT, window=10, offset=-290.0, delay=20.0)
    assert otpkit.code_for_step(SECRET, otpkit.step_at(AT) - 10) in texts(fig)
    assert plots.png(fig) != wanted
    assert plot.update(AT, window=1, offset=60.0) is fig  # the same figure, moved
    assert plots.png(fig) == wanted
    shown = [t.get_text() for t in fig.axes[0].texts if t.get_visible()]
    assert sorted(t for t in texts(fig) if t) == sorted(shown)  # hidden slots hold no text
    assert otpkit.code_for_step(SECRET, otpkit.step_at(AT) - 10) not in shown
    with pytest.raises(InvalidInput, match="steps"):
        plot.update(AT, window=30)


def test_drift_plot_redraws_in_place_without_leftovers():
    failing = sim.drift_study(sim.clocks(0.0, 150.0), 20, 1, np.random.default_rng(1))
    fine = sim.drift_study(sim.clocks(0.0, 1.0), 30, 5, np.random.default_rng(1))
    plot = plots.DriftPlot()
    wanted = plots.png(plots.drift_over_days(failing))
    assert plots.png(plot.update(failing)) == wanted
    fig = plot.update(fine)
    assert not any(t.startswith("first failure") for t in texts(fig))
    assert len(fig.axes[0].lines) == 3  # no first-failure line either
    assert plots.png(fig) == plots.png(plots.drift_over_days(fine))
    assert plots.png(plot.update(failing)) == wanted


def test_png_is_the_same_whether_its_texts_were_seen_before():
    fig = plots.code_windows(SECRET, AT, window=3, offset=10.0)
    plots._TextCachingRenderer._cache.clear()
    first = plots.png(fig)  # every text rasterised afresh
    assert plots.png(fig) == first  # every text from the cache
    assert plots.png(plots.code_windows(SECRET, AT, window=3, offset=10.0)) == first
