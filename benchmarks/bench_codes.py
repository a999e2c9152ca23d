"""Batch code generator vs pyotp one code at a time vs a plain hmac loop (100,000 codes)."""

from __future__ import annotations

import hmac
import struct

import _common
import numpy as np
import pyotp

from otpkit import OtpParams, sim
from otpkit.otp import secret_bytes

N = 100_000
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
START = 1_700_000_000 // 30


def with_pyotp() -> list[str]:
    totp = pyotp.TOTP(SECRET)
    return [totp.generate_otp(s) for s in range(START, START + N)]


def with_hmac_loop() -> list[str]:
    key = secret_bytes(SECRET)
    out = []
    for s in range(START, START + N):
        d = hmac.digest(key, struct.pack(">Q", s), "sha1")
        o = d[-1] & 0x0F
        out.append(f"{(int.from_bytes(d[o:o + 4], 'big') & 0x7FFFFFFF) % 1_000_000:06d}")
    return out


def with_batch() -> np.ndarray:
    return sim.batch_codes(SECRET, np.arange(START, START + N), OtpParams())


def main() -> None:
    assert sim.as_text(with_batch()) == with_pyotp() == with_hmac_loop()
    rows = [("pyotp, one code per call", with_pyotp), ("hmac.digest loop", with_hmac_loop),
            ("sim.batch_codes", with_batch)]
    times = {name: _common.timed(fn, repeats=3) for name, fn in rows}
    base = times["sim.batch_codes"][0]
    print(f"{N:,} codes of one secret (median of 3)")
    for name, (median, _best) in times.items():
        print(f"  {name:28s} {median * 1e3:8.1f} ms  {median / N * 1e6:6.2f} us/code  "
              f"{median / base:5.2f}x batch")


if __name__ == "__main__":
    main()
