"""The explorers redraw when a slider moves, and say the right thing (no kernel needed)."""

from __future__ import annotations

import numpy as np
import pytest

import otpkit
from otpkit import plots
from otpkit.widgets.explorers import DPI, DriftExplorer, WindowExplorer

from .conftest import AT

SECRET = otpkit.new_secret(otpkit.DemoRandom(7))


def test_window_explorer_redraws_when_the_offset_moves(capsys):
    explorer = WindowExplorer(SECRET, otpkit.FixedClock(AT), window=1, delay=0.0)
    before, count = explorer.image.value, explorer.redraws
    assert bytes(before).startswith(b"\x89PNG") and "accepted" in explorer.summary.value

    explorer.offset.value = 100.0  # 100 s ahead: 4 steps, outside window 1
    assert explorer.redraws == count + 1
    assert explorer.image.value != before
    assert "refused" in explorer.summary.value
    assert otpkit.code_at(SECRET, AT + 100) in explorer.summary.value

    explorer.window.value = 5
    assert explorer.redraws == count + 2
    assert "accepted" in explorer.summary.value
    assert capsys.readouterr().out == ""  # callbacks set widgets, they never print


def test_window_explorer_verdict_uses_the_delay():
    explorer = WindowExplorer(SECRET, otpkit.FixedClock(AT), window=0, delay=0.0)
    assert explorer.verdict()[1]
    explorer.delay.value = 15.0  # AT is 20 s into its step: 15 s later the server is a step on
    assert not explorer.verdict()[1]
    assert "refused" in explorer.summary.value


def test_window_explorer_follows_a_moving_clock():
    clock = otpkit.ManualClock(AT)
    explorer = WindowExplorer(SECRET, clock)
    clock.advance(30)
    explorer.redraw()
    assert otpkit.code_at(SECRET, AT + 30) in explorer.summary.value


def test_drift_explorer_shows_when_a_skewed_phone_starts_failing():
    explorer = DriftExplorer(skew_ppm=300.0, days=30, policy="misskey-2025")
    first = explorer.study.first_failure_day[0]
    assert 5 <= first <= 7  # 150 s at 25.9 s a day
    assert f"day {first:g}" in explorer.summary.value
    image, count = explorer.image.value, explorer.redraws

    explorer.skew.value = 100.0  # 8.6 s a day: window 5 lasts 17 days
    assert explorer.redraws == count + 1
    assert explorer.image.value != image
    assert 17 <= explorer.study.first_failure_day[0] <= 21

    explorer.policy.value = "hardened"  # window 1, but centred on the drift it records
    assert explorer.study.track_drift and explorer.study.window == 1
    assert "no code refused" in explorer.summary.value


def test_drift_explorer_is_deterministic():
    one = DriftExplorer(skew_ppm=120.0, days=20, policy="rfc6238", seed=3)
    two = DriftExplorer(skew_ppm=120.0, days=20, policy="rfc6238", seed=3)
    assert one.image.value == two.image.value
    assert one.summary.value == two.summary.value
    assert repr(one) == "DriftExplorer(skew_ppm=120, days=20, policy='rfc6238')"


def test_window_explorer_redraws_the_same_bytes_for_the_same_values():
    """Redraws move one figure's artists: going A -> B -> A must leave nothing of B behind."""
    explorer = WindowExplorer(SECRET, otpkit.FixedClock(AT), window=2, offset=-40.0, delay=5.0)
    first = explorer.image.value
    assert first == plots.png(
        plots.code_windows(SECRET, AT, window=2, offset=-40.0, delay=5.0), dpi=DPI
    )  # the same picture as the notebooks' function draws
    explorer.offset.value = 250.0  # many more steps drawn
    explorer.window.value = 9  # a new legend entry
    explorer.delay.value = 0.0  # no "server checks" line
    assert explorer.image.value != first
    explorer.delay.value = 5.0
    explorer.window.value = 2
    explorer.offset.value = -40.0
    assert explorer.image.value == first
    fresh = WindowExplorer(SECRET, otpkit.FixedClock(AT), window=2, offset=-40.0, delay=5.0)
    assert fresh.image.value == first


def test_drift_explorer_redraws_the_same_bytes_for_the_same_values():
    explorer = DriftExplorer(skew_ppm=200.0, days=40, policy="misskey")
    first = explorer.image.value
    assert np.isfinite(explorer.study.first_failure_day[0])
    assert first == plots.png(plots.drift_over_days(explorer.study), dpi=DPI)
    explorer.skew.value = 5.0  # no failure: no first-failure line or note
    assert not np.isfinite(explorer.study.first_failure_day[0])
    explorer.policy.value = "hardened"  # another legend label
    explorer.days.value = 90
    assert explorer.image.value != first
    explorer.days.value = 40
    explorer.policy.value = "misskey"
    explorer.skew.value = 200.0
    assert explorer.image.value == first
    assert DriftExplorer(skew_ppm=200.0, days=40, policy="misskey").image.value == first


def test_the_offset_slider_can_hit_every_value():
    """600 s on a slider only 64 px long could not be hit: now it has a row of its own, a
    width, a 5 s step and its unit in its label."""
    explorer = WindowExplorer(SECRET, otpkit.FixedClock(AT))
    offset = explorer.offset
    assert offset.step == 5 and offset.max - offset.min == 600
    assert (offset.max - offset.min) / offset.step == 120  # every multiple of 5 s is a position
    assert offset.layout.width == "100%" and offset.layout.max_width
    assert "(s" in offset.description and "(s" in explorer.delay.description
    assert offset in explorer.children  # a row of its own, not squeezed into an HBox
    explorer.offset.value = -70.0
    assert "step -3" in explorer.summary.value or "step -2" in explorer.summary.value


def test_window_explorer_shows_todays_misskey_by_default_and_names_it():
    explorer = WindowExplorer(SECRET, otpkit.FixedClock(AT))
    assert explorer.policy.value == "misskey" and explorer.window.value == 1
    assert otpkit.MISSKEY.title in explorer.summary.value
    assert "kit's model" in explorer.summary.value  # whose voice


def test_choosing_a_server_sets_its_window_and_moving_the_window_leaves_it():
    explorer = WindowExplorer(SECRET, otpkit.FixedClock(AT), offset=-70.0)
    assert "refused" in explorer.summary.value  # 70 s slow: 2 or 3 steps behind
    count = explorer.redraws
    explorer.policy.value = "misskey-2025"
    assert explorer.window.value == 5 and explorer.redraws == count + 1  # one redraw, not two
    assert otpkit.MISSKEY_2025.title in explorer.summary.value
    assert "accepted" in explorer.summary.value
    explorer.policy.value = "rfc6238"  # window 5 -> 1
    assert explorer.window.value == 1 and explorer.redraws == count + 2
    explorer.policy.value = "misskey"  # the same window: still a redraw, for the new name
    assert explorer.redraws == count + 3 and otpkit.MISSKEY.title in explorer.summary.value
    explorer.window.value = 3  # no preset has window 3
    assert explorer.policy.value == "" and explorer.server is None
    assert "A server accepts steps -3 to +3" in explorer.summary.value
    assert explorer.redraws == count + 4
    assert repr(explorer) == "WindowExplorer(offset=-70, server='', window=3, delay=5)"


def test_explorers_take_colours_and_policies_from_the_kit():
    import inspect
    import re

    from otpkit.widgets import explorers

    source = inspect.getsource(explorers)
    assert not re.search(r"#[0-9a-fA-F]{6}", source)  # colours come from otpkit.plots
    assert "def policy_named" not in source and "not in POLICIES" not in source
    explorer = WindowExplorer(SECRET, otpkit.FixedClock(AT))
    assert plots.ACCEPT in explorer.summary.value
    explorer.offset.value = 200.0
    assert plots.REJECT in explorer.summary.value


def test_drift_explorer_takes_a_policy_or_its_name():
    by_object = DriftExplorer(skew_ppm=100.0, policy=otpkit.MISSKEY_2025)
    assert by_object.policy.value == "misskey-2025"
    assert DriftExplorer(skew_ppm=100.0, policy="Misskey_2025").policy.value == "misskey-2025"
    assert otpkit.MISSKEY_2025.title in by_object.summary.value
    with pytest.raises(otpkit.InvalidInput, match="no policy called"):
        DriftExplorer(policy="misskey-2019")
    assert DriftExplorer().policy.value == "misskey"  # today's Misskey by default
