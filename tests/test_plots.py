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
    for delta in (
        -1,
        0,
        1,
        2,
        3,
    ):  # the window, and the phone 60 s ahead (AT is 20 s into its step)
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
    fig = plots.acceptance_curves(
        (0, otpkit.MISSKEY, otpkit.MISSKEY_2025), delay=sim.Delay(2.0, 10.0)
    )
    lines = [line for line in fig.axes[0].lines if len(line.get_xdata()) > 100]
    assert [line.get_label() for line in lines] == [
        "window 0",
        "window 1 (Misskey 2026.6+)",
        "window 5 (Misskey 2023.9-2026.5)",
    ]
    colours = [line.get_color() for line in lines]
    assert colours[1:] == [plots.POLICY_COLOURS["misskey"], plots.POLICY_COLOURS["misskey-2025"]]
    assert colours[0] not in plots.POLICY_COLOURS.values()
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
    rejected = next(line for line in ax.lines if line.get_label() == "code refused")
    assert len(rejected.get_xdata()) == (~failing.accepted[0]).sum() > 0

    fine = sim.drift_study(sim.clocks(0.0, 1.0), 20, 1, np.random.default_rng(1))
    assert not any(t.startswith("first failure") for t in texts(plots.drift_over_days(fine)))


def test_population_histograms_and_code_distribution():
    pop = sim.random_clocks(300, np.random.default_rng(2), skew_sd_ppm=80.0, unsynced=0.5)
    studies = {f"window {w}": sim.drift_study(pop, 20, w, np.random.default_rng(3)) for w in (1, 5)}
    fig = plots.population_histograms(studies)
    assert len(fig.axes) == 3
    labels = [line.get_label() for line in fig.axes[1].lines]
    assert [label.split(":")[0] for label in labels] == list(studies)
    ever = np.isfinite(studies["window 1"].first_failure_day).mean()
    assert labels[0] == f"window 1: {ever:.2%} of phones ever refused"
    # Curves that coincide stay visible: each has its own line style.
    assert len({line.get_linestyle() for line in fig.axes[1].lines}) == 2
    legend = fig.legends[0]  # above the panels, not over a histogram
    plots.png(fig)
    for ax in fig.axes:
        assert not extent(legend, fig).overlaps(extent(ax, fig))
    with pytest.raises(InvalidInput, match="one colour per study"):
        plots.population_histograms(studies, colours=["#000000"])

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
    plots.render._TextCachingRenderer._cache.clear()
    first = plots.png(fig)  # every text rasterised afresh
    assert plots.png(fig) == first  # every text from the cache
    assert plots.png(plots.code_windows(SECRET, AT, window=3, offset=10.0)) == first


# -- what a learner can read: nothing crosses a code, no empty legend entry, readable units -----


def extent(artist, fig):
    return artist.get_window_extent(fig.canvas.get_renderer())


def test_no_line_or_legend_crosses_a_code():
    for at, offset in ((AT, -40.0), (AT - 5, 0.0), (AT + 7, -290.0), (AT, 290.0)):
        fig = plots.code_windows(SECRET, at, window=otpkit.MISSKEY, offset=offset, delay=5.0)
        plots.png(fig)
        ax = fig.axes[0]
        boxes = next(c for c in ax.collections if isinstance(c, PatchCollection))
        codes = [t for t in ax.texts if t.get_visible() and t.get_text().isdigit()]
        assert codes
        # The lines run beneath the boxes, whose white faces cover them; codes sit on top.
        for line in ax.lines:
            assert line.get_zorder() < boxes.get_zorder()
        assert all(t.get_zorder() > boxes.get_zorder() for t in codes)
        assert tuple(boxes.get_facecolor()[0]) == (1.0, 1.0, 1.0, 1.0)
        # The legend is outside the axes, above them; the phone's label is above the boxes.
        legend, frame = extent(ax.get_legend(), fig), extent(ax, fig)
        assert legend.y0 >= frame.y1 - 1
        phone = extent(plots_phone_label(ax), fig)
        for code in codes:
            box = extent(code, fig)
            assert not box.overlaps(legend) and not box.overlaps(phone)
            assert frame.x0 <= box.x0 and box.x1 <= frame.x1
        assert frame.x0 - 1 <= phone.x0 and phone.x1 <= frame.x1 + 1  # never cut off at an edge


def plots_phone_label(ax):
    return next(t for t in ax.texts if t.get_text().startswith("phone shows"))


def test_code_windows_names_the_policy_in_the_legend():
    fig = plots.code_windows(SECRET, AT, window=otpkit.MISSKEY_2025)
    labels = fig.axes[0].get_legend_handles_labels()[1]
    assert labels[0] == "accepted by Misskey 2023.9-2026.5: 11 steps (window 5)"
    assert "server checks" not in labels  # no delay: no dashed line, and no entry for it


def legend_labels(fig):
    return [t.get_text() for ax in fig.axes if ax.get_legend() for t in ax.get_legend().texts]


def test_no_legend_entry_for_markers_that_are_not_drawn():
    fine = sim.drift_study(sim.clocks(0.0, 1.0), 20, 1, np.random.default_rng(1))
    assert "code refused" not in legend_labels(plots.drift_over_days(fine))
    assert "code accepted" in legend_labels(plots.drift_over_days(fine))
    lost = sim.drift_study(sim.clocks(200.0, 0.0), 10, 1, np.random.default_rng(1))
    labels = legend_labels(plots.drift_over_days(lost))
    assert "code accepted" not in labels and "code refused" in labels


@pytest.mark.parametrize(
    ("skew", "days", "policy"),
    [
        (100.0, 30, otpkit.MISSKEY_2025),  # day 21 of 30, the case the lesson shows
        (100.0, 30, otpkit.MISSKEY),  # early
        (-100.0, 30, otpkit.MISSKEY_2025),  # falling
        (70.0, 30, otpkit.MISSKEY_2025),  # late: on the last day
        (300.0, 120, otpkit.HARDENED),  # tracking, drawn in minutes
        (-250.0, 60, otpkit.MISSKEY),
    ],
)
def test_the_first_failure_note_does_not_cover_the_curve(skew, days, policy):
    study = sim.drift_study(sim.clocks(0.0, skew), days, policy, np.random.default_rng(7))
    assert np.isfinite(study.first_failure_day[0])
    fig = plots.drift_over_days(study, title="a title")
    plots.png(fig)
    ax = fig.axes[0]
    note = next(t for t in ax.texts if t.get_text().startswith("first failure"))
    box = extent(note, fig)
    curve = ax.transData.transform(np.column_stack(ax.lines[0].get_data()))
    inside = (
        (curve[:, 0] >= box.x0 - 3)
        & (curve[:, 0] <= box.x1 + 3)
        & (curve[:, 1] >= box.y0 - 3)
        & (curve[:, 1] <= box.y1 + 3)
    )
    assert not inside.any(), f"the note covers the curve at days {study.days[inside]}"
    assert extent(ax, fig).contains(box.x0, box.y0) and extent(ax, fig).contains(box.x1, box.y1)
    legend = extent(ax.get_legend(), fig)
    assert legend.y0 >= extent(ax, fig).y1 - 1  # above the axes, clear of the data
    assert not legend.overlaps(extent(fig.texts[0], fig))  # nor under the title


def test_large_clock_errors_are_drawn_in_minutes():
    small = sim.drift_study(sim.clocks(0.0, 100.0), 30, 5, np.random.default_rng(1))
    large = sim.drift_study(sim.clocks(0.0, 300.0), 120, 5, np.random.default_rng(1))
    assert plots.drift_over_days(small).axes[0].get_ylabel().endswith("(s)")
    ax = plots.drift_over_days(large).axes[0]
    assert ax.get_ylabel().endswith("(min)")
    assert ax.lines[0].get_ydata()[-1] == pytest.approx(large.error[0, -1] / 60)


def test_drift_comparison_puts_servers_side_by_side_on_one_scale():
    fast = sim.clocks(0.0, 100.0)
    studies = {
        p.title: sim.drift_study(fast, 30, p, np.random.default_rng(7))
        for p in (otpkit.MISSKEY, otpkit.MISSKEY_2025, otpkit.HARDENED)
    }
    fig = plots.drift_comparison(studies)
    assert [ax.get_title() for ax in fig.axes] == list(studies)
    assert len({ax.get_ylim() for ax in fig.axes}) == 1  # one scale
    labels = [t.get_text() for t in fig.legends[0].texts]
    assert len(labels) == len(set(labels))
    assert labels == [
        "accepted by that panel's server",
        "phone clock error",
        "code accepted",
        "code refused",
    ]
    notes = [t.get_text() for ax in fig.axes for t in ax.texts]
    first = {name: s.first_failure_day[0] for name, s in studies.items()}
    assert f"first failure: day {first[otpkit.MISSKEY.title]:g}" in notes
    with pytest.raises(InvalidInput, match="DriftStudy"):
        plots.drift_comparison({})


def test_days_until_failure_reads_in_days_weeks_and_years():
    fig = plots.days_until_failure([otpkit.MISSKEY, otpkit.MISSKEY_2025])
    plots.png(fig)
    ax = fig.axes[0]
    ticks = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert "1 day" in ticks and "1 year" in ticks
    assert not any(t.replace(".", "").isdigit() for t in ticks)  # words, not bare seconds
    solid = [line for line in ax.lines if line.get_linestyle() == "-"]
    assert [line.get_label() for line in solid] == [
        "Misskey 2026.6+, window 1",
        "Misskey 2023.9-2026.5, window 5",
    ]
    x, y = solid[0].get_data()
    bound = sim.time_to_failure(x[0], otpkit.MISSKEY, delay=5.0)
    assert y[0] == pytest.approx(bound.first_possible_days)
    with pytest.raises(InvalidInput, match="tracks drift"):
        plots.days_until_failure([otpkit.HARDENED])


def test_colour_of_keeps_one_colour_per_policy():
    assert plots.colour_of(otpkit.MISSKEY, 3) == plots.POLICY_COLOURS["misskey"]
    assert plots.colour_of(5, 0) not in plots.POLICY_COLOURS.values()
    assert set(plots.POLICY_COLOURS) == set(otpkit.POLICIES)
