"""1,000,000 simulated sign-ins (target: under 1 s), drawing the inputs included."""

from __future__ import annotations

import _common
import numpy as np

from otpkit import sim

N = 1_000_000


def main() -> None:
    rng = np.random.default_rng(7)
    batch = sim.draw_sign_ins(N, rng, offset_sd=60.0)
    decide, decide_best = _common.timed(lambda: batch.accepted(1))
    whole, whole_best = _common.timed(
        lambda: sim.draw_sign_ins(N, rng, offset_sd=60.0).accepted(1)
    )
    print(f"{N:,} sign-ins, window 1 (median of 5; target < 1000 ms)")
    print(f"  decide only            {decide * 1e3:7.1f} ms (best {decide_best * 1e3:.1f})")
    print(f"  draw inputs + decide   {whole * 1e3:7.1f} ms (best {whole_best * 1e3:.1f})")
    print(f"  accepted: {batch.accepted(1).mean():.4f}")


if __name__ == "__main__":
    main()
