"""The batch code generator matches pyotp (through otpkit.code_for_step) and the RFC vectors."""

from __future__ import annotations

import base64

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import otpkit
from otpkit import sim
from otpkit.errors import InvalidInput

SEEDS = {
    "SHA1": b"12345678901234567890",
    "SHA256": b"12345678901234567890123456789012",
    "SHA512": b"1234567890" * 6 + b"1234",
}
RFC6238 = {
    59: ("94287082", "46119246", "90693936"),
    1111111109: ("07081804", "68084774", "25091201"),
    1111111111: ("14050471", "67062674", "99943326"),
    1234567890: ("89005924", "91819424", "93441116"),
    2000000000: ("69279037", "90698825", "38618901"),
    20000000000: ("65353130", "77737706", "47863826"),
}
RFC4226 = "755224 287082 359152 969429 338314 254676 287922 162583 399871 520489".split()


def b32(raw: bytes) -> str:
    return base64.b32encode(raw).decode().rstrip("=")


@pytest.mark.parametrize("column", [0, 1, 2])
def test_rfc6238_vectors(column):
    algorithm = ("SHA1", "SHA256", "SHA512")[column]
    params = otpkit.OtpParams(algorithm=algorithm, digits=8)
    times = np.array(list(RFC6238))
    codes = sim.as_text(sim.batch_codes_at(b32(SEEDS[algorithm]), times, params), 8)
    assert codes == [row[column] for row in RFC6238.values()]


def test_rfc4226_vectors():
    codes = sim.batch_codes(b32(SEEDS["SHA1"]), np.arange(10))
    assert sim.as_text(codes) == RFC4226


secrets = st.binary(min_size=1, max_size=150).map(b32)  # longer than a block: key is hashed
params = st.builds(
    otpkit.OtpParams,
    algorithm=st.sampled_from(["SHA1", "SHA256", "SHA512"]),
    digits=st.integers(6, 10),
    period=st.integers(1, 120),
)


@given(secret=secrets, steps=st.lists(st.integers(0, 2**63 - 1), min_size=1, max_size=20), p=params)
@settings(max_examples=80, deadline=None)
def test_matches_pyotp_code_for_code(secret, steps, p):
    got = sim.as_text(sim.batch_codes(secret, np.array(steps, dtype=np.uint64), p), p.digits)
    assert got == [otpkit.code_for_step(secret, s, p) for s in steps]


@given(secret=secrets, times=st.lists(st.floats(0, 4e9), min_size=1, max_size=10), p=params)
@settings(max_examples=60, deadline=None)
def test_times_match_code_at(secret, times, p):
    got = sim.as_text(sim.batch_codes_at(secret, times, p), p.digits)
    assert got == [otpkit.code_at(secret, t, p) for t in times]


def test_many_secrets_at_many_steps():
    rng = otpkit.DemoRandom(4)
    keys = [otpkit.new_secret(rng) for _ in range(5)]
    steps = np.arange(56_666_660, 56_666_670)
    grid = sim.batch_codes(keys, steps)
    assert grid.shape == (5, 10)
    for i, key in enumerate(keys):
        assert sim.as_text(grid[i]) == [otpkit.code_for_step(key, int(s)) for s in steps]
    one_step = sim.batch_codes(keys, 56_666_666)
    assert one_step.shape == (5,)
    assert np.array_equal(one_step, grid[:, 6])


def test_shape_follows_the_steps():
    secret = otpkit.new_secret(otpkit.DemoRandom(1))
    grid = sim.batch_codes(secret, np.arange(12).reshape(3, 4))
    assert grid.shape == (3, 4)
    assert sim.as_text(grid[2, 3]) == [otpkit.code_for_step(secret, 11)]


def test_as_text_pads_with_zeros():
    assert sim.as_text([7, 123456], 6) == ["000007", "123456"]
    assert sim.as_text(np.array([5]), 8) == ["00000005"]


@pytest.mark.parametrize(
    ("secret", "steps", "message"),
    [
        ("JBSWY3DPEHPK3PXP", [-1], "from 0"),
        ("JBSWY3DPEHPK3PXP", [1.5], "whole numbers"),
        ("JBSWY3DPEHPK3PXP", [np.nan], "NaN"),
        ("JBSWY3DPEHPK3PXP", ["7"], "whole numbers"),
        ("not base32!", [1], "base32"),
        (["JBSWY3DPEHPK3PXP"], np.zeros((2, 2), dtype=int), "1-D"),
    ],
)
def test_bad_input_is_explained(secret, steps, message):
    with pytest.raises(InvalidInput, match=message):
        sim.batch_codes(secret, steps)


def test_bad_times_and_codes_are_explained():
    with pytest.raises(InvalidInput, match="1970"):
        sim.batch_codes_at("JBSWY3DPEHPK3PXP", [-30.0])
    with pytest.raises(InvalidInput, match="from 0 to 999999"):
        sim.as_text([1_000_000], 6)
