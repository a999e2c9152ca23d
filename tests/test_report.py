"""Plain-text tables and durations."""

from __future__ import annotations

import pytest

from otpkit.report import duration, text_table


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0 seconds"),
        (55.0, "55 seconds"),
        (90, "1.5 minutes"),
        (6301 * 3600, "263 days"),
        (2.3e30 * 365.25 * 86400, "2.3e+30 years"),
        (float("inf"), "never"),
    ],
)
def test_duration(seconds: float, text: str) -> None:
    assert duration(seconds) == text


def test_duration_refuses_negative_time() -> None:
    with pytest.raises(ValueError):
        duration(-1)


def test_text_table_aligns_numbers_right_and_text_left() -> None:
    text = text_table(["name", "n", "ok"], [["a", 1.0, True], ["bbb", 36000.0, False]])
    assert text.splitlines() == [
        "name       n  ok",
        "----  ------  ---",
        "a          1  yes",
        "bbb   36,000  no",
    ]
    assert text_table(["p"], [[1.1e-4], [1e10]]).splitlines()[2:] == ["1.10e-04", "1.00e+10"]


def test_text_table_refuses_ragged_rows() -> None:
    with pytest.raises(ValueError):
        text_table(["a", "b"], [["only one"]])
