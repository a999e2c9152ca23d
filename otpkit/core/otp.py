"""One-time passwords: parameters, secrets, and codes, computed by pyotp."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import numbers
import re
from dataclasses import dataclass
from typing import Any

import pyotp

from .clock import check_time
from .errors import InvalidInput
from .randomness import RandomSource, default_rng

ALGORITHMS: dict[str, Any] = {
    "SHA1": hashlib.sha1,
    "SHA256": hashlib.sha256,
    "SHA512": hashlib.sha512,
}
_BASE32 = re.compile(r"[A-Z2-7]+")
_ASCII_SPACE = " \t\r\n"
# Lengths (mod 8) that a whole number of bytes can have in unpadded base32.
_BASE32_LENGTHS = {0, 2, 4, 5, 7}


def brief(value: object, limit: int = 40) -> str:
    """``repr(value)`` for an error message, cut to ``limit``; never raises (e.g. for 10**5000)."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 128:
        return f"an integer of about {int(value.bit_length() * 0.30103) + 1} digits"
    try:
        text = repr(value)
    except Exception:
        return f"a {type(value).__name__}"
    return text if len(text) <= limit else text[: limit - 3] + "..."


@dataclass(frozen=True)
class OtpParams:
    """How codes are made: hash algorithm, number of digits, and step length in seconds."""

    algorithm: str = "SHA1"
    digits: int = 6
    period: int = 30

    def __post_init__(self) -> None:
        if not isinstance(self.algorithm, str) or self.algorithm not in ALGORITHMS:
            raise InvalidInput(
                f"algorithm must be one of {', '.join(ALGORITHMS)}, not {brief(self.algorithm)}"
            )
        if not _is_int(self.digits) or not 6 <= self.digits <= 10:
            raise InvalidInput(
                f"digits must be a whole number from 6 to 10, not {brief(self.digits)}"
            )
        if not _is_int(self.period) or not 1 <= self.period <= 120:
            raise InvalidInput(
                f"period must be a whole number of seconds from 1 to 120, not {brief(self.period)}"
            )


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class _TOTP(pyotp.TOTP):
    # pyotp refuses secrets under 112 bits (NIST's floor). The kit must still be able to show
    # what an app does with a weak secret, so the floor here is one byte; servers and apps
    # apply their own minimum.
    min_secret_length_bits = 8


def normalize_secret(secret: object) -> str:
    """A base32 secret in canonical form: upper case, no padding, no spaces.

    Accepts padding or none and either case; raises InvalidInput saying what is wrong.
    """
    if not isinstance(secret, str):
        raise InvalidInput(f"the secret must be base32 text, not {type(secret).__name__}")
    # Refuse non-ASCII before any case folding: "ı".upper() == "I", "ſ".upper() == "S" and
    # "ﬅ".upper() == "ST" would otherwise turn look-alikes into a different, valid secret.
    if not secret.isascii():
        bad = next(ch for ch in secret if not ch.isascii())
        raise InvalidInput(
            f"the secret is not base32: {bad!r} is not one of the letters A-Z and digits 2-7"
        )
    text = secret.strip(_ASCII_SPACE).rstrip("=").upper()
    if not text:
        raise InvalidInput("the secret is empty")
    if not _BASE32.fullmatch(text):
        bad = next(ch for ch in text if not _BASE32.fullmatch(ch))
        raise InvalidInput(
            f"the secret is not base32: {bad!r} is not one of the letters A-Z and digits 2-7"
        )
    if len(text) % 8 not in _BASE32_LENGTHS:
        raise InvalidInput(
            f"the secret has {len(text)} base32 characters, a length no whole number of bytes has"
        )
    return text


def secret_bytes(secret: str) -> bytes:
    """The raw key bytes of a base32 secret."""
    text = normalize_secret(secret)
    try:
        return base64.b32decode(text + "=" * (-len(text) % 8))
    except binascii.Error as exc:  # pragma: no cover - normalize_secret already checked
        raise InvalidInput(f"the secret is not valid base32 ({exc})") from exc


def secret_bits(secret: str) -> int:
    """How many bits of key a base32 secret holds."""
    return len(secret_bytes(secret)) * 8


def new_secret(rng: RandomSource | None = None, nbytes: int = 20) -> str:
    """A fresh secret of ``nbytes`` random bytes, as base32 without padding (20 bytes -> 32 chars)."""
    if not _is_int(nbytes) or not 1 <= nbytes <= 1024:
        raise InvalidInput(f"nbytes must be a whole number from 1 to 1024, not {brief(nbytes)}")
    raw = default_rng(rng).token_bytes(nbytes)
    return base64.b32encode(raw).decode("ascii").rstrip("=")


MAX_PERIOD = 86_400  # step_at and seconds_left take any step length up to a day


def _check_period(period: object) -> int:
    if (
        isinstance(period, bool)
        or not isinstance(period, numbers.Integral)
        or not 1 <= period <= MAX_PERIOD
    ):
        raise InvalidInput(
            f"period must be a whole number of seconds from 1 to {MAX_PERIOD}, not {brief(period)}"
        )
    return int(period)


def step_at(t: float, period: int = 30) -> int:
    """The index of the time step that contains Unix time ``t`` (RFC 6238's T)."""
    period = _check_period(period)
    return int(check_time(t) // period)


def seconds_left(t: float, period: int = 30) -> float:
    """Seconds until the code that is valid at ``t`` is replaced by the next one."""
    period = _check_period(period)
    return period - (check_time(t) % period)


def _totp(secret: str, params: OtpParams) -> _TOTP:
    return _TOTP(
        normalize_secret(secret),
        digits=params.digits,
        digest=ALGORITHMS[params.algorithm],
        interval=params.period,
    )


def _check_params(params: object) -> None:
    if not isinstance(params, OtpParams):
        raise InvalidInput(f"params must be an otpkit.OtpParams, not {type(params).__name__}")


def code_at(secret_b32: str, t: float, params: OtpParams = OtpParams()) -> str:
    """The TOTP code for ``secret_b32`` at Unix time ``t``."""
    _check_params(params)
    return code_for_step(secret_b32, step_at(t, params.period), params)


def code_for_step(secret_b32: str, step: int, params: OtpParams = OtpParams()) -> str:
    """The code of time step ``step`` (the same as HOTP with counter ``step``)."""
    _check_params(params)
    if not _is_int(step) or not 0 <= step < 2**64:
        raise InvalidInput(
            f"the step (counter) must be a whole number from 0 to 2**64 - 1 (RFC 4226's "
            f"8-byte counter), not {brief(step)}"
        )
    return _totp(secret_b32, params).generate_otp(step)


def hotp_code(secret_b32: str, counter: int, params: OtpParams = OtpParams()) -> str:
    """The HOTP code (RFC 4226) for ``counter``; ``params.period`` plays no part."""
    return code_for_step(secret_b32, counter, params)


def is_well_formed_code(token: str, digits: int) -> bool:
    """True when ``token`` is exactly ``digits`` ASCII digits."""
    return len(token) == digits and token.isascii() and token.isdigit()


def matching_offset(
    secret_b32: str, token: str, t: float, params: OtpParams, window: int
) -> int | None:
    """Which step offset (-window..+window, nearest first) has ``token`` as its code, if any.

    The comparison is constant-time per candidate. ``token`` must already be well formed.
    """
    current = step_at(t, params.period)
    totp = _totp(secret_b32, params)
    found: int | None = None
    for offset in sorted(range(-window, window + 1), key=lambda d: (abs(d), d)):
        step = current + offset
        if step < 0:
            continue
        # No early exit: every candidate is computed, whether or not one matched.
        if hmac.compare_digest(totp.generate_otp(step), token) and found is None:
            found = offset
    return found
