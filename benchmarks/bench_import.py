"""``import otpkit`` vs ``import pyotp`` in fresh interpreters (target: within 1.5x)."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

import _common

REPEATS = 9
CASES = {
    "import pyotp": "import pyotp",
    "import otpkit": "import otpkit",
    "import pyotp + first code": "import pyotp; pyotp.TOTP('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP').at(1700000000)",
    "import otpkit + code_at": "import otpkit; otpkit.code_at('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', 1700000000)",
    "python -c pass": "pass",
}


def run(code: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, cwd=_common.ROOT)
    return time.perf_counter() - started


def main() -> None:
    medians = {}
    for _ in range(REPEATS):  # interleaved, so a busy moment hurts every case alike
        for name, code in CASES.items():
            medians.setdefault(name, []).append(run(code))
    medians = {name: statistics.median(runs) for name, runs in medians.items()}
    bare = medians.pop("python -c pass")
    print(f"fresh interpreter, median of {REPEATS} (interpreter start-up {bare * 1e3:.0f} ms "
          "included below)")
    for name, value in medians.items():
        print(f"  {name:28s} {value * 1e3:7.1f} ms   (+{(value - bare) * 1e3:5.1f} ms over bare)")
    for ours, theirs in (("import otpkit", "import pyotp"),
                         ("import otpkit + code_at", "import pyotp + first code")):
        print(f"  {ours} / {theirs}: {medians[ours] / medians[theirs]:.2f}x total, "
              f"{(medians[ours] - bare) / (medians[theirs] - bare):.2f}x over bare "
              "(target <= 1.5x)")


if __name__ == "__main__":
    main()
