"""The batch code generator: HMAC (RFC 2104) and dynamic truncation by hand, many codes at once."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..core.errors import InvalidInput
from ..core.otp import OtpParams, secret_bytes
from . import checks


def _hmac_states(key: bytes, algorithm: str) -> tuple[Any, Any]:
    """The hash states after the inner and outer key blocks of HMAC (RFC 2104).

    Computing these once per secret and copying them for each message is what makes the batch
    generator fast; the result is checked against pyotp and the RFC vectors in the tests.
    """
    name = algorithm.lower()
    block = hashlib.new(name).block_size
    if len(key) > block:
        key = hashlib.new(name, key).digest()
    key = key.ljust(block, b"\0")
    inner = hashlib.new(name, bytes(b ^ 0x36 for b in key))
    outer = hashlib.new(name, bytes(b ^ 0x5C for b in key))
    return inner, outer


def _steps(steps: Any) -> np.ndarray:
    arr = np.asarray(steps)
    if arr.dtype.kind == "f":
        if not np.all(np.isfinite(arr)) or np.any(arr != np.floor(arr)):
            raise InvalidInput("steps must be whole numbers (no NaN, no fractions)")
    elif arr.dtype.kind not in "iu":
        raise InvalidInput("steps must be whole numbers")
    if np.any(arr < 0) or np.any(arr >= 2**63):
        raise InvalidInput("steps (counters) must be from 0 to 2**63 - 1")
    return arr.astype(np.uint64)


def _truncate(digests: bytes, size: int, digits: int) -> np.ndarray:
    d = np.frombuffer(digests, dtype=np.uint8).reshape(-1, size)
    start = (d[:, -1] & 0x0F).astype(np.intp)
    four = np.take_along_axis(d, start[:, None] + np.arange(4), axis=1).astype(np.uint32)
    value = ((four[:, 0] & 0x7F) << 24) | (four[:, 1] << 16) | (four[:, 2] << 8) | four[:, 3]
    return (value % np.uint32(10**digits) if digits < 10 else value).astype(np.int64)


def _codes_for_key(key: bytes, steps: np.ndarray, params: OtpParams) -> np.ndarray:
    inner, outer = _hmac_states(key, params.algorithm)
    icopy, ocopy = inner.copy, outer.copy
    messages = steps.astype(">u8").tobytes()
    digests = []
    append = digests.append
    for i in range(0, len(messages), 8):
        h = icopy()
        h.update(messages[i : i + 8])
        o = ocopy()
        o.update(h.digest())
        append(o.digest())
    return _truncate(b"".join(digests), inner.digest_size, params.digits)


def batch_codes(
    secrets: str | Sequence[str], steps: Any, params: OtpParams | None = None
) -> np.ndarray:
    """Codes as integers (format with :func:`as_text`), the same as pyotp's, many at a time.

    One secret: an array shaped like ``steps``. A sequence of S secrets: shape (S,) for one step,
    (S, T) for a 1-D array of T steps (every secret at every step).
    """
    params = OtpParams() if params is None else params
    if not isinstance(params, OtpParams):
        raise InvalidInput("params must be an OtpParams")
    arr = _steps(steps)
    if isinstance(secrets, str):
        flat = _codes_for_key(secret_bytes(secrets), arr.ravel(), params)
        return flat.reshape(arr.shape)
    if arr.ndim > 1:
        raise InvalidInput("with several secrets, steps must be one step or a 1-D array")
    keys = [secret_bytes(s) for s in secrets]
    rows = [_codes_for_key(k, arr.ravel(), params) for k in keys]
    out = np.array(rows, dtype=np.int64).reshape(len(keys), arr.size)
    return out[:, 0] if arr.ndim == 0 else out


def batch_codes_at(
    secrets: str | Sequence[str], times: Any, params: OtpParams | None = None
) -> np.ndarray:
    """Like :func:`batch_codes`, for Unix times instead of steps."""
    t = checks.array(times, "the times")
    if np.any(t < 0):
        raise InvalidInput("the times must not be before 1970 (Unix time 0)")
    params = OtpParams() if params is None else params
    return batch_codes(secrets, np.floor(t / params.period).astype(np.int64), params)


def as_text(codes: Any, digits: int = 6) -> list[str]:
    """Integer codes as the zero-padded strings an app shows."""
    values = checks.codes(codes, digits)
    return [f"{v:0{digits}d}" for v in values.tolist()]
