"""The kit's one colour table and line styles: figures and widgets take colours from here."""

from __future__ import annotations

from typing import Any

# The kit's one colour table: figures and widgets (explorers, attack plots) take colours from here.
ACCEPT = "#2e7d32"
REJECT = "#c62828"
PHONE = "#1565c0"
NEUTRAL = "#9e9e9e"
COLOURS = ("#1565c0", "#ef6c00", "#2e7d32", "#6a1b9a", "#c62828", "#00838f")
# Each policy keeps its colour in every figure, so today's Misskey is always blue and the
# Misskey of 2023.9-2026.5 always orange.
POLICY_COLOURS = {
    "misskey": "#1565c0",
    "misskey-2025": "#ef6c00",
    "rfc6238": "#6a1b9a",
    "hardened": "#00838f",
    "django-otp": "#827717",
    "devise": "#6d4c41",
}


# Curves that are no policy (a bare window number) take these, never a policy's colour.
OTHER_COLOURS = ("#424242", "#c2185b", "#8d6e63", "#9e9d24")


def colour_of(policy: Any, index: int = 0) -> str:
    """A policy's colour from ``POLICY_COLOURS``; anything else ``OTHER_COLOURS[index]``."""
    name = getattr(policy, "name", None)
    if name in POLICY_COLOURS:
        return POLICY_COLOURS[name]
    return OTHER_COLOURS[index % len(OTHER_COLOURS)]


def _who(policy: Any) -> str | None:
    """The name a figure gives a policy (its version for Misskey), or None for a bare window."""
    return getattr(policy, "title", None) or getattr(policy, "name", None)


def _legend_above(ax: Any, ncols: int = 4) -> Any:
    """A legend outside the axes, above them, holding only the labels that are drawn."""
    return ax.legend(
        loc="lower left",
        bbox_to_anchor=(0.0, 1.0),
        borderaxespad=0.2,
        fontsize=8,
        ncols=ncols,
        frameon=False,
    )
