"""How long an explorer takes to redraw after a slider moves (target: under 150 ms)."""

from __future__ import annotations

import statistics
import time

import _common  # noqa: F401  (makes the repo importable)

import otpkit
from otpkit.widgets.explorers import DriftExplorer, WindowExplorer

MOVES = 15


def measure(slider, values) -> tuple[float, float, float]:
    wall, cpu = [], []
    for value in values:
        w0, c0 = time.perf_counter(), time.process_time()
        slider.value = value  # the observer redraws synchronously
        wall.append(time.perf_counter() - w0)
        cpu.append(time.process_time() - c0)
    return statistics.median(wall), min(wall), statistics.median(cpu)


def main() -> None:
    secret = otpkit.new_secret(otpkit.DemoRandom(7))
    window = WindowExplorer(secret, otpkit.FixedClock(1_700_000_000), window=5)
    drift = DriftExplorer(days=60)
    cases = {
        "WindowExplorer offset slider": (window.offset, [float(v) for v in range(-140, 141, 20)]),
        "WindowExplorer window slider": (window.window, [0, 1, 2, 3, 5, 8, 10] * 2 + [5]),
        "WindowExplorer delay slider": (window.delay, [float(v) for v in range(0, 57, 4)]),
        "DriftExplorer skew slider": (drift.skew, [float(v) for v in range(-280, 281, 40)]),
        "DriftExplorer days slider": (drift.days, list(range(8, 121, 8))),
    }
    print(f"redraw per slider move, {MOVES} moves (target < 150 ms)")
    for name, (slider, values) in cases.items():
        median, best, cpu = measure(slider, values[:MOVES])
        print(
            f"  {name:30s} median {median * 1e3:6.1f} ms  best {best * 1e3:6.1f} ms  "
            f"cpu median {cpu * 1e3:6.1f} ms"
        )


if __name__ == "__main__":
    main()
