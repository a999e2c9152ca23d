"""The exact words of every MalformedUri that ``otpkit.KeyUri(...)`` raises for its own fields
(the checks a URI's text never reaches, since parse_uri refuses such text earlier), and the part
each names. See test_uri_messages.py for why whole messages are compared.
"""

from __future__ import annotations

import pytest

import otpkit
from otpkit.errors import MalformedUri

from .test_uri_messages import BASE32, TRIM, S

KEY_CASES = [
    pytest.param(
        {"secret": None},
        "secret",
        "the secret must be base32 text, not NoneType",
        id="secret-None",
    ),
    pytest.param({"secret": " \t"}, "secret", "the secret is empty", id="secret-only-spaces"),
    pytest.param(
        {"secret": "\u017fIMPLE"},
        "secret",
        f"the secret is not base32: '\u017f' {BASE32}",
        id="secret-not-ascii",
    ),
    pytest.param(
        {"secret": "ABC"},
        "secret",
        "the secret has 3 base32 characters, a length no whole number of bytes has",
        id="secret-odd-length",
    ),
    pytest.param({"type": "motp"}, "type", "must be totp or hotp, not 'motp'", id="type-motp"),
    pytest.param(
        {"type": "TOTP"}, "type", "must be totp or hotp, not 'TOTP'", id="type-not-lower-cased"
    ),
    pytest.param(
        {"type": "x" * 50},
        "type",
        f"must be totp or hotp, not '{'x' * 36}...",
        id="type-long-cut-by-brief",
    ),
    pytest.param(
        {"params": "SHA1"},
        "params",
        "must be an otpkit.OtpParams, not 'SHA1'",
        id="params-not-otp-params",
    ),
    pytest.param({"account": ""}, "label", "the account name is empty", id="account-empty"),
    pytest.param({"account": " \t"}, "label", "the account name is empty", id="account-spaces"),
    pytest.param({"account": None}, "label", "the account name is empty", id="account-None"),
    pytest.param(
        {"account": "a:b"},
        "label",
        "the account name must not contain ':'",
        id="account-with-colon",
    ),
    pytest.param(
        {"account": " alice"},
        "label",
        f"the account name ' alice' {TRIM}",
        id="account-outer-space",
    ),
    pytest.param(
        {"issuer": ""},
        "issuer",
        "the issuer, when given, must be non-empty text",
        id="issuer-empty",
    ),
    pytest.param(
        {"issuer": 42},
        "issuer",
        "the issuer, when given, must be non-empty text",
        id="issuer-not-text",
    ),
    pytest.param(
        {"issuer": "Example\n"},
        "issuer",
        f"the issuer 'Example\\n' {TRIM}",
        id="issuer-outer-newline",
    ),
    pytest.param(
        {"type": "hotp"},
        "counter",
        "an hotp URI needs a counter (a whole number >= 0)",
        id="hotp-counter-None",
    ),
    pytest.param(
        {"type": "hotp", "counter": True},
        "counter",
        "an hotp URI needs a counter (a whole number >= 0)",
        id="hotp-counter-bool",
    ),
    pytest.param(
        {"type": "hotp", "counter": -1},
        "counter",
        "must be from 0 to 2**64 - 1 (8 bytes), not -1",
        id="hotp-counter-negative",
    ),
    pytest.param(
        {"type": "hotp", "counter": 2**64},
        "counter",
        "must be from 0 to 2**64 - 1 (8 bytes), not 18446744073709551616",
        id="hotp-counter-2-to-the-64",
    ),
    pytest.param(
        {"counter": 0}, "counter", "only hotp URIs have a counter", id="totp-with-counter"
    ),
]


@pytest.mark.parametrize(("kwargs", "part", "message"), KEY_CASES)
def test_key_uri_names_the_part_and_says_exactly_what_is_wrong(kwargs, part, message):
    with pytest.raises(MalformedUri) as caught:
        otpkit.KeyUri(**{"secret": S, "account": "alice", **kwargs})
    assert str(caught.value) == f"{part}: {message}"
    assert caught.value.part == part
