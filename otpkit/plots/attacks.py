"""Pictures of the simulated attacks in :mod:`otpkit.attacks`. Every function returns a ``Figure``.

Like :mod:`otpkit.plots`, figures are drawn from their inputs alone (no pyplot state), so the same
call draws the same pixels every time. Every figure is the kit's simulation, and says so in its
title; legends and labels name each policy by its title, so a Misskey is always named with its
version ("Misskey 2026.6+"). Policies whose curves would lie on top of each other share one line
and one legend entry, so no entry names a line that cannot be seen.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, NullLocator

from ..attacks import (
    DAY,
    HOUR,
    YEAR,
    GuessingOdds,
    OfflineCrack,
    RelayWindow,
    Replay,
    ServerGuessing,
    guessing_odds,
)
from ..core.errors import InvalidInput
from ..core.report import duration
from ..server.policy import Policy
from .style import ACCEPT, COLOURS, NEUTRAL, REJECT

_MARKS = ((HOUR, "an hour"), (DAY, "a day"), (YEAR, "a year"))
T = TypeVar("T")


def _name(item: object) -> str:
    """What a result is called in a figure: its policy's title (with the version), else its name."""
    return str(getattr(item, "title", "") or getattr(item, "policy", "") or item)


def _same(items: Sequence[T], key: Callable[[T], Hashable]) -> list[tuple[str, T]]:
    """Items that would draw the same line, merged: (their names joined, the first of them)."""
    groups: dict[Hashable, list[T]] = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    return [(" = ".join(_name(i) for i in group), group[0]) for group in groups.values()]


def _needs(items: Sequence[object], what: str) -> None:
    if len(items) == 0:
        raise InvalidInput(f"nothing to draw: give at least one {what}")


def _time_marks(ax, seconds_per_unit: float, vertical: bool) -> None:  # type: ignore[no-untyped-def]
    for seconds, label in _MARKS:
        value = seconds / seconds_per_unit
        line = ax.axvline if vertical else ax.axhline
        line(value, color=NEUTRAL, linewidth=0.8, linestyle=":")
        if vertical:
            ax.annotate(
                label,
                (value, 0.02),
                xycoords=("data", "axes fraction"),
                fontsize=8,
                color="dimgray",
                rotation=90,
                ha="right",
                va="bottom",
            )
        else:
            ax.annotate(
                label,
                (0.99, value),
                xycoords=("axes fraction", "data"),
                fontsize=8,
                color="dimgray",
                ha="right",
                va="bottom",
            )


def _log(ax, which: str) -> None:  # type: ignore[no-untyped-def]
    # Plain labels and no minor ticks: mathtext labels ($10^{3}$) and hundreds of minor tick
    # lines cost more to draw than the whole plot.
    getattr(ax, f"set_{which}scale")("log")
    axis = getattr(ax, f"{which}axis")
    axis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    axis.set_minor_locator(NullLocator())


def _legend_below(ax, entries: int) -> None:  # type: ignore[no-untyped-def]
    """The legend under the axes, where it can cover no data."""
    ax.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, -0.16),
        ncol=2 if entries > 2 else 1,
        fontsize=8,
        frameon=False,
    )


def compromise_curves(odds: Sequence[GuessingOdds]) -> Figure:
    """Chance of a break-in by random guessing against time, one curve per policy."""
    _needs(odds, "GuessingOdds")
    longest = max(o.hours_to_half for o in odds)
    hours = np.logspace(-1, np.log10(longest * 20), 400)
    fig = Figure(figsize=(8, 5.2))
    ax = fig.add_subplot()
    lines = _same(odds, lambda o: (o.guesses_per_hour, o.p_guess, o.ips))
    for i, (names, o) in enumerate(lines):
        colour = COLOURS[i % len(COLOURS)]
        ips = f"{o.ips} IP{'s' if o.ips > 1 else ''}"
        label = f"{names} ({ips}): 50% in {duration(o.hours_to_half * HOUR)}"
        ax.plot(hours, o.p_within(hours), color=colour, label=label)
        ax.plot([o.hours_to_half], [0.5], "o", color=colour)
    ax.axhline(0.5, color=NEUTRAL, linewidth=0.8)
    _time_marks(ax, HOUR, vertical=True)
    _log(ax, "x")
    ax.set_ylim(0, 1)
    ax.set_xlabel("hours of guessing (log scale)")
    ax.set_ylabel("chance the attacker is in")
    ax.set_title("Random guessing of the one-time password (the kit's model, RFC 4226)")
    _legend_below(ax, len(lines))
    fig.tight_layout()
    return fig


def time_to_half_by_ips(
    policies: Sequence[Policy], ips: Sequence[int] = (1, 10, 100, 1_000, 10_000, 100_000)
) -> Figure:
    """Time to a 50% chance of a break-in as the attacker adds addresses (a botnet)."""
    _needs(policies, "Policy")
    _needs(ips, "number of addresses")
    fig = Figure(figsize=(8, 5.2))
    ax = fig.add_subplot()
    curves = [tuple(guessing_odds(p, n).hours_to_half for n in ips) for p in policies]
    named = {id(p): c for p, c in zip(policies, curves, strict=True)}
    for i, (names, policy) in enumerate(_same(policies, lambda p: named[id(p)])):
        hours = named[id(policy)]
        ax.plot(ips, hours, "o-", color=COLOURS[i % len(COLOURS)], label=names)
    _time_marks(ax, HOUR, vertical=False)
    _log(ax, "x")
    _log(ax, "y")
    ax.set_xlabel("attacker's IP addresses (log scale)")
    ax.set_ylabel("hours to a 50% chance (log scale)")
    ax.set_title(
        "A per-IP rate limit shrinks with a botnet; a per-account back-off does not (kit's model)"
    )
    _legend_below(ax, len(ax.lines))
    fig.tight_layout()
    return fig


def guess_schedules(runs: Sequence[ServerGuessing]) -> Figure:
    """Guesses a real server examined over time, one staircase per run."""
    _needs(runs, "ServerGuessing")
    fig = Figure(figsize=(8, 5.2))
    ax = fig.add_subplot()
    for i, (names, run) in enumerate(_same(runs, lambda r: (r.guesses, r.hours))):
        times = np.array((0.0, *run.guesses, run.hours * HOUR)) / HOUR
        counts = np.arange(len(times))
        counts[-1] = counts[-2]
        ax.step(
            times,
            counts,
            where="post",
            color=COLOURS[i % len(COLOURS)],
            label=f"{names}{'' if run.paced else ' (ignoring the wait)'}: {run.count} guesses",
        )
    ax.set_yscale("symlog", linthresh=10)
    ax.set_xlabel("hours since the first guess")
    ax.set_ylabel("guesses examined\n(linear to 10, log above)")
    ax.set_title("Guesses a simulated server let through (one attacker, one IP address)")
    _legend_below(ax, len(ax.lines))
    fig.tight_layout()
    return fig


def replay_grid(replays: Sequence[Replay]) -> Figure:
    """Accepted (green) or refused (red) replays, policies down, delays across."""
    _needs(replays, "Replay")
    policies = list(dict.fromkeys(_name(r) for r in replays))
    delays = sorted({r.delay for r in replays})
    fig = Figure(figsize=(1.3 * len(delays) + 2.5, 0.6 * len(policies) + 1.4))
    ax = fig.add_subplot()
    for r in replays:
        x, y = delays.index(r.delay), policies.index(_name(r))
        ax.add_patch(_cell(x, y, ACCEPT if r.accepted else REJECT))
        text = "accepted" if r.accepted else r.outcome.removeprefix("refused: ")
        ax.text(x, y, text, ha="center", va="center", fontsize=7, color="white")
    ax.set_xlim(-0.5, len(delays) - 0.5)
    ax.set_ylim(len(policies) - 0.5, -0.5)
    ax.set_xticks(range(len(delays)), [f"{d:g} s" for d in delays])
    ax.set_yticks(range(len(policies)), policies)
    ax.set_xlabel("replayed this long after the victim used the code")
    ax.set_title("Replaying a code that was already used (simulated servers)")
    fig.tight_layout()
    return fig


def _cell(x: float, y: float, colour: str):  # type: ignore[no-untyped-def]
    from matplotlib.patches import Rectangle

    return Rectangle((x - 0.48, y - 0.45), 0.96, 0.9, color=colour)


def relay_windows(windows: Sequence[RelayWindow]) -> Figure:
    """How long a phished code stays good: the closed-form range as a bar, measured deadlines as dots."""
    _needs(windows, "RelayWindow")
    fig = Figure(figsize=(8, 0.7 * len(windows) + 1.5))
    ax = fig.add_subplot()
    for y, w in enumerate(windows):
        low, high = w.closed_form
        ax.barh(y, high - low, left=low, height=0.5, color=COLOURS[y % len(COLOURS)], alpha=0.35)
        ax.plot(w.deadlines, [y] * len(w.deadlines), "o", color=COLOURS[y % len(COLOURS)])
        ax.annotate(
            f"{low}-{high} s",
            (high, y),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    ax.set_yticks(range(len(windows)), [f"{_name(w)} (window {w.window})" for w in windows])
    ax.set_ylim(len(windows) - 0.5, -0.5)
    ax.set_xlim(0, max(w.closed_form[1] for w in windows) * 1.15)
    ax.set_xlabel("seconds the attacker has to relay the phished code")
    ax.set_title("Real-time phishing on simulated servers: bar = closed form, dots = measured")
    fig.tight_layout()
    return fig


def cracking_times(cracks: Sequence[OfflineCrack]) -> Figure:
    """Expected time to recover one backup code from its stored hash (log scale)."""
    _needs(cracks, "OfflineCrack")
    fig = Figure(figsize=(8, 0.6 * len(cracks) + 1.6))
    ax = fig.add_subplot()
    seconds = [c.expected_seconds for c in cracks]
    labels = [f"{c.bits}-bit code, {c.hash_name}" for c in cracks]
    colours = [REJECT if s < YEAR else ACCEPT for s in seconds]
    ax.barh(range(len(cracks)), seconds, color=colours)
    for y, s in enumerate(seconds):
        ax.annotate(
            duration(s), (s, y), xytext=(4, 0), textcoords="offset points", va="center", fontsize=8
        )
    _log(ax, "x")
    ax.set_xlim(1, max(seconds) * 1e4)
    ax.set_yticks(range(len(cracks)), labels)
    ax.set_ylim(len(cracks) - 0.5, -0.5)
    ax.set_xlabel("expected seconds to find the code (log scale)")
    ax.set_title("Offline brute force of a stolen, hashed backup code")
    fig.tight_layout()
    return fig
