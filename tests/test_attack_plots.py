"""Attack figures: they draw, deterministically, and refuse empty input."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest
from matplotlib.figure import Figure

import otpkit
from otpkit import attack_plots, attacks
from otpkit.errors import InvalidInput
from otpkit.plots import png


@pytest.fixture(scope="module")
def data() -> dict[str, object]:
    policies = [otpkit.MISSKEY, otpkit.HARDENED]
    return {
        "odds": attacks.guessing_table(policies),
        "policies": policies,
        "runs": [attacks.guess_on_server(otpkit.DJANGO_OTP, np.random.default_rng(1), hours=3)],
        "replays": attacks.replay_on_server(otpkit.HARDENED, delays=(5, 200)),
        "relays": [attacks.relay_on_server(otpkit.RFC6238, phases=(0, 20))],
        "cracks": [attacks.offline_crack(40, "SHA-256")],
    }


def _figures(data: dict) -> list[Figure]:  # type: ignore[type-arg]
    return [
        attack_plots.compromise_curves(data["odds"]),
        attack_plots.time_to_half_by_ips(data["policies"], ips=(1, 100)),
        attack_plots.guess_schedules(data["runs"]),
        attack_plots.replay_grid(data["replays"]),
        attack_plots.relay_windows(data["relays"]),
        attack_plots.cracking_times(data["cracks"]),
    ]


def test_figures_draw_and_are_deterministic(data: dict) -> None:  # type: ignore[type-arg]
    first = [hashlib.sha256(png(f, dpi=30)).hexdigest() for f in _figures(data)]
    second = [hashlib.sha256(png(f, dpi=30)).hexdigest() for f in _figures(data)]
    assert first == second
    assert len(set(first)) == len(first)


def test_curves_have_one_line_and_marker_per_policy() -> None:
    fig = attack_plots.compromise_curves(
        attacks.guessing_table([otpkit.MISSKEY_2025, otpkit.RFC6238])
    )
    (ax,) = fig.axes
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert labels[0].startswith("Misskey 2023.9-2026.5 (1 IP): 50% in 263 days")
    assert labels[1].startswith("rfc6238 (1 IP): 50% in 2.6 years")
    assert len(ax.lines) >= 4


def test_curves_that_coincide_share_one_line_and_one_legend_entry() -> None:
    same = [otpkit.MISSKEY, otpkit.RFC6238, otpkit.MISSKEY_2025]
    fig = attack_plots.compromise_curves(attacks.guessing_table(same))
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels[0].startswith("Misskey 2026.6+ = rfc6238 (1 IP): 50% in 2.6 years")
    assert len(labels) == 2
    fig = attack_plots.time_to_half_by_ips(same, ips=(1, 10))
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels == ["Misskey 2026.6+ = rfc6238", "Misskey 2023.9-2026.5"]


def test_every_figure_names_the_misskey_version() -> None:
    versions = [otpkit.MISSKEY_2025, otpkit.MISSKEY]
    rng = np.random.default_rng(1)
    runs = [attacks.guess_on_server(p, rng, hours=1) for p in versions]
    runs.append(
        attacks.guess_on_server(otpkit.MISSKEY, rng, hours=1, attacker_rate=0.01, paced=False)
    )
    fig = attack_plots.guess_schedules(runs)
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels[0] == "Misskey 2023.9-2026.5 = Misskey 2026.6+: 10 guesses"
    assert labels[1].startswith("Misskey 2026.6+ (ignoring the wait)")
    replays = [r for p in versions for r in attacks.replay_on_server(p, delays=(5,))]
    ticks = [t.get_text() for t in attack_plots.replay_grid(replays).axes[0].get_yticklabels()]
    assert ticks == ["Misskey 2023.9-2026.5", "Misskey 2026.6+"]
    relays = [attacks.relay_on_server(p, phases=(0,)) for p in versions]
    ticks = [t.get_text() for t in attack_plots.relay_windows(relays).axes[0].get_yticklabels()]
    assert ticks == ["Misskey 2023.9-2026.5 (window 5)", "Misskey 2026.6+ (window 1)"]


def test_replay_grid_colours_outcomes() -> None:
    fig = attack_plots.replay_grid(attacks.replay_on_server(otpkit.MISSKEY_2025, delays=(5, 200)))
    colours = [p.get_facecolor() for p in fig.axes[0].patches]
    assert len(colours) == 2 and colours[0] != colours[1]


@pytest.mark.parametrize(
    "draw",
    [
        attack_plots.compromise_curves,
        attack_plots.guess_schedules,
        attack_plots.replay_grid,
        attack_plots.relay_windows,
        attack_plots.cracking_times,
        attack_plots.time_to_half_by_ips,
    ],
)
def test_empty_input_is_refused(draw) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput):
        draw([])
