"""Plain-text tables and durations, so lessons print results the same way every run."""

from __future__ import annotations

import math
from collections.abc import Sequence

_UNITS = (
    ("years", 365.25 * 86_400.0),
    ("days", 86_400.0),
    ("hours", 3_600.0),
    ("minutes", 60.0),
    ("seconds", 1.0),
)


def duration(seconds: float) -> str:
    """A length of time in the largest unit that fits, to 2 significant figures: '262 days'."""
    if math.isnan(seconds) or seconds < 0:
        raise ValueError(f"a duration must be >= 0 seconds, not {seconds!r}")
    if math.isinf(seconds):
        return "never"
    for unit, size in _UNITS:
        if seconds >= size or unit == "seconds":
            value = seconds / size
            if value >= 1e6:
                return f"{value:.1e} {unit}"
            if value >= 100:
                return f"{value:,.0f} {unit}"
            text = f"{value:.2g}" if value < 10 else f"{value:.0f}"
            return f"{text} {unit[:-1] if text == '1' else unit}"
    raise AssertionError("unreachable")  # pragma: no cover


def text_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Columns padded to their widest cell; numbers right-aligned, text left-aligned."""
    cells = [[str(c) for c in header]] + [[_cell(c) for c in row] for row in rows]
    width = len(header)
    if any(len(row) != width for row in cells):
        raise ValueError("every row needs one cell per header")
    sizes = [max(len(row[i]) for row in cells) for i in range(width)]
    numeric = [bool(rows) and all(_is_number(row[i]) for row in rows) for i in range(width)]

    def line(row: list[str]) -> str:
        parts = [
            cell.rjust(size) if num else cell.ljust(size)
            for cell, size, num in zip(row, sizes, numeric, strict=True)
        ]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * size for size in sizes)
    return "\n".join([line(cells[0]), rule, *(line(row) for row in cells[1:])])


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _cell(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e6:
            return f"{value:,.0f}"
        if 1e-3 <= abs(value) < 1e6:
            return f"{value:,.4g}"
        return f"{value:.2e}"
    return str(value)
