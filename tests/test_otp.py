"""Codes against the RFC vectors, pyotp itself, and Debian's oathtool."""

from __future__ import annotations

import base64
import random
import subprocess

import pyotp
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import otpkit
from otpkit.errors import InvalidInput
from otpkit.otp import matching_offset, normalize_secret, secret_bits

from .conftest import require_tool

SEEDS = {
    "SHA1": b"12345678901234567890",
    "SHA256": b"12345678901234567890123456789012",
    "SHA512": b"1234567890" * 6 + b"1234",
}
RFC6238 = [
    (59, "94287082", "46119246", "90693936"),
    (1111111109, "07081804", "68084774", "25091201"),
    (1111111111, "14050471", "67062674", "99943326"),
    (1234567890, "89005924", "91819424", "93441116"),
    (2000000000, "69279037", "90698825", "38618901"),
    (20000000000, "65353130", "77737706", "47863826"),
]
RFC4226 = "755224 287082 359152 969429 338314 254676 287922 162583 399871 520489".split()


def b32(raw: bytes) -> str:
    return base64.b32encode(raw).decode()


@pytest.mark.parametrize("row", RFC6238, ids=lambda r: str(r[0]))
@pytest.mark.parametrize("column", [1, 2, 3], ids=["SHA1", "SHA256", "SHA512"])
def test_rfc6238_appendix_b(row, column):
    algorithm = ["SHA1", "SHA256", "SHA512"][column - 1]
    params = otpkit.OtpParams(algorithm=algorithm, digits=8)
    assert otpkit.code_at(b32(SEEDS[algorithm]), row[0], params) == row[column]


@pytest.mark.parametrize("counter", range(10))
def test_rfc4226_appendix_d(counter):
    assert otpkit.hotp_code(b32(SEEDS["SHA1"]), counter) == RFC4226[counter]


def test_step_and_seconds_left():
    assert otpkit.step_at(59) == 1
    assert otpkit.step_at(60) == 2
    assert otpkit.seconds_left(1_700_000_000) == 10
    assert otpkit.seconds_left(1_700_000_010, period=60) == 30


def test_new_secret_is_misskey_shaped_and_seeded_secret_repeats():
    secret = otpkit.new_secret()
    assert len(secret) == 32 and set(secret) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    assert otpkit.new_secret(otpkit.DemoRandom(1)) == otpkit.new_secret(otpkit.DemoRandom(1))
    assert otpkit.new_secret(otpkit.DemoRandom(1)) != otpkit.new_secret(otpkit.DemoRandom(2))
    assert secret_bits(secret) == 160


def test_secret_accepted_with_padding_and_lower_case():
    secret = "jbswy3dpehpk3pxp"
    assert otpkit.code_at(secret + "====", 1e9) == otpkit.code_at(secret.upper(), 1e9)


@pytest.mark.parametrize(
    "secret", ["", "  ", "JBSWY3DP1", "ABC", "JBSW Y3DP", "é", "A" * 9, None, b"JBSWY3DP"]
)
def test_bad_secrets_are_refused(secret):
    with pytest.raises(InvalidInput):
        otpkit.code_at(secret, 1e9)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"digits": 5},
        {"digits": 11},
        {"period": 0},
        {"period": -30},
        {"period": 121},
        {"algorithm": "MD5"},
        {"digits": True},
        {"period": 30.5},
    ],
)
def test_bad_params_are_refused(kwargs):
    with pytest.raises(InvalidInput):
        otpkit.OtpParams(**kwargs)


@pytest.mark.parametrize(
    "t", [-1, float("nan"), float("inf"), "now", None, True, 1e300, 253402300800, 10**400]
)
def test_bad_times_are_refused(t):
    with pytest.raises(InvalidInput):
        otpkit.code_at("JBSWY3DPEHPK3PXP", t)


@pytest.mark.parametrize("period", [0, -30, True, 30.0, "30", None])
def test_step_functions_refuse_bad_periods_instead_of_dividing_by_them(period):
    for call in (otpkit.step_at, otpkit.seconds_left):
        with pytest.raises(InvalidInput, match="period"):
            call(1_700_000_000, period)


@pytest.mark.parametrize(
    "secret", ["\u017fIMPLESECRETISOK", "S\u0131MPLESECRETISOK", "\ufb05MPLESECRETISOK"]
)
def test_look_alikes_that_upper_case_into_base32_are_refused(secret):
    assert secret.upper().isascii()  # the trap: upper() would make these valid base32
    with pytest.raises(InvalidInput, match="not base32"):
        otpkit.code_at(secret, 1e9)


@pytest.mark.parametrize("length", [1, 3, 6, 9, 14])
def test_lengths_no_whole_number_of_bytes_has_are_refused(length):
    with pytest.raises(InvalidInput, match="length"):
        otpkit.normalize_secret("A" * length)


@settings(deadline=None)
@given(
    raw=st.binary(min_size=14, max_size=64),
    t=st.integers(min_value=0, max_value=2**33),
    algorithm=st.sampled_from(["SHA1", "SHA256", "SHA512"]),
    digits=st.integers(6, 10),
    period=st.integers(1, 120),
)
def test_matches_pyotp(raw, t, algorithm, digits, period):
    params = otpkit.OtpParams(algorithm, digits, period)
    reference = pyotp.TOTP(
        b32(raw), digits=digits, digest=otpkit.otp.ALGORITHMS[algorithm], interval=period
    )
    assert otpkit.code_at(b32(raw), t, params) == reference.at(t)


def test_matching_offset_finds_the_nearest_step_within_the_window():
    secret = b32(SEEDS["SHA1"])
    params = otpkit.OtpParams()
    for offset in range(-5, 6):
        token = otpkit.code_at(secret, 1_700_000_000 + 30 * offset)
        assert matching_offset(secret, token, 1_700_000_000, params, 5) == offset
    token = otpkit.code_at(secret, 1_700_000_000 + 30 * 6)
    assert matching_offset(secret, token, 1_700_000_000, params, 5) is None


def test_codes_agree_with_oathtool_over_many_random_cases():
    oathtool = require_tool("oathtool")
    chance = random.Random(2026)
    for _ in range(60):
        raw = chance.randbytes(chance.choice([16, 20, 32, 64]))
        t = chance.randrange(0, 4_000_000_000)
        algorithm = chance.choice(["SHA1", "SHA256", "SHA512"])
        digits = chance.choice([6, 7, 8])
        period = chance.choice([15, 30, 60, 90])
        out = subprocess.run(
            [
                oathtool,
                f"--totp={algorithm.lower()}",
                "-d",
                str(digits),
                "-s",
                f"{period}s",
                "-N",
                f"@{t}",
                raw.hex(),
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        assert otpkit.code_at(b32(raw), t, otpkit.OtpParams(algorithm, digits, period)) == out


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"algorithm": "MD5"}, "algorithm must be one of SHA1, SHA256, SHA512, not 'MD5'"),
        ({"digits": 5}, "digits must be a whole number from 6 to 10, not 5"),
        ({"digits": "6"}, "digits must be a whole number from 6 to 10, not '6'"),
        ({"period": 0}, "period must be a whole number of seconds from 1 to 120, not 0"),
        ({"period": 30.0}, "period must be a whole number of seconds from 1 to 120, not 30.0"),
    ],
    ids=["algorithm", "digits", "digits-text", "period", "period-float"],
)
def test_otp_params_name_what_is_wrong(kwargs, message):
    with pytest.raises(otpkit.errors.InvalidInput) as caught:
        otpkit.OtpParams(**kwargs)
    assert str(caught.value) == message


def test_seconds_left_counts_in_thirty_second_steps_by_default():
    from otpkit.core.otp import seconds_left

    assert seconds_left(1_700_000_000.0) == 10.0  # 1_700_000_000 is 20 s into its step
    assert seconds_left(1_700_000_010.5) == 29.5


# Two steps four apart that share a code: found by searching this secret's steps.
TWIN_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
TWIN_STEPS, TWIN_CODE = (56_250_532, 56_250_536), "972520"


def test_the_nearest_of_two_matching_steps_wins():
    params = otpkit.OtpParams()
    assert [otpkit.code_at(TWIN_SECRET, s * 30, params) for s in TWIN_STEPS] == [TWIN_CODE] * 2
    # At step ...535 the twins are 3 steps back and 1 step ahead: the nearer one is reported.
    assert matching_offset(TWIN_SECRET, TWIN_CODE, 56_250_535 * 30, params, 3) == 1
    # Halfway between them, the earlier one is reported.
    assert matching_offset(TWIN_SECRET, TWIN_CODE, 56_250_534 * 30, params, 2) == -2


def test_steps_before_1970_are_skipped_not_the_end_of_the_search():
    params = otpkit.OtpParams()
    secret = "JBSWY3DPEHPK3PXP"
    assert matching_offset(secret, otpkit.code_at(secret, 0, params), 30, params, 1) == -1
    assert matching_offset(secret, otpkit.code_at(secret, 30, params), 0, params, 2) == 1


class FixedBytes:
    def __init__(self, data: bytes):
        self.data = data

    def token_bytes(self, nbytes: int) -> bytes:
        assert nbytes == len(self.data)
        return self.data


@pytest.mark.parametrize(
    ("data", "secret"),
    [
        (b"\x00\x00\x00\x00\x17", "AAAAAAAX"),  # ends in X, with no padding to strip
        (b"\xff", "74"),  # one byte: two characters once the six '=' are stripped
        (b"\x00" * 1024, "A" * 1639),  # the largest secret: 8192 bits, 1639 characters
    ],
    ids=["ends-in-x", "one-byte", "1024-bytes"],
)
def test_a_new_secret_is_its_bytes_in_base32_without_padding(data, secret):
    assert otpkit.new_secret(FixedBytes(data), nbytes=len(data)) == secret


@pytest.mark.parametrize("nbytes", [0, 1025, True, 20.0, "20"])
def test_a_new_secret_of_no_sensible_size_is_refused(nbytes):
    with pytest.raises(InvalidInput) as caught:
        otpkit.new_secret(nbytes=nbytes)
    assert str(caught.value).startswith("nbytes must be a whole number from 1 to 1024, not ")


def test_a_step_code_is_hotp_with_a_64_bit_counter():
    from otpkit.core.otp import code_for_step

    assert code_for_step("JBSWY3DPEHPK3PXP", 2**64 - 1) == "939986"
    for step in (2**64, -1, 1.0, True):
        with pytest.raises(InvalidInput) as caught:
            code_for_step("JBSWY3DPEHPK3PXP", step)
        assert str(caught.value) == (
            "the step (counter) must be a whole number from 0 to 2**64 - 1 (RFC 4226's 8-byte "
            f"counter), not {step!r}"
        )


def test_a_sixty_second_code_counts_sixty_second_steps():
    from otpkit.core.otp import code_for_step

    sixty = otpkit.OtpParams(period=60)
    secret = "JBSWY3DPEHPK3PXP"
    assert otpkit.code_at(secret, 1_700_000_000, sixty) == code_for_step(secret, 28_333_333)
    assert otpkit.code_at(secret, 1_700_000_000, sixty) != otpkit.code_at(secret, 1_700_000_000)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: otpkit.code_at("JBSWY3DPEHPK3PXP", 1.0, "SHA1"),
            "params must be an otpkit.OtpParams, not str",
        ),
        (
            lambda: otpkit.step_at(1.0, 0),
            "period must be a whole number of seconds from 1 to 86400, not 0",
        ),
        (
            lambda: normalize_secret(123),
            "the secret must be base32 text, not int",
        ),
        (
            lambda: normalize_secret("\u00a0JBSWY3DPEHPK3PXP"),
            "the secret is not base32: '\\xa0' is not one of the letters A-Z and digits 2-7",
        ),
        (
            lambda: normalize_secret("\x0cJBSWY3DPEHPK3PXP"),
            "the secret is not base32: '\\x0c' is not one of the letters A-Z and digits 2-7",
        ),
    ],
    ids=["params", "period", "secret-int", "secret-nbsp", "secret-form-feed"],
)
def test_bad_arguments_to_the_code_functions_are_named(call, message):
    with pytest.raises(InvalidInput) as caught:
        call()
    assert str(caught.value) == message


def test_a_secret_loses_only_ascii_spaces_and_padding():
    assert normalize_secret(" jbswy3dpehpk3pxx== ") == "JBSWY3DPEHPK3PXX"
    assert normalize_secret("\tJBSWY3DPEHPK3PXX==\r\n") == "JBSWY3DPEHPK3PXX"
