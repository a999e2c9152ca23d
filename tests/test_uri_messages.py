"""The exact words of every MalformedUri that otpkit/core/uri.py raises, and the part it names.

A learner reads ``str(error)`` ("part: message") to find out what is wrong with a key URI, and
code reads ``error.part``. So a changed message is a changed interface, not a cosmetic one. Mutation
testing showed that tests checking only ``part`` or a word of the message let a message turn into
None, go upper case, lose or gain a character of a quoted snippet (``text[:30]`` vs
``text[:31]``), or name the wrong part without failing. The tables below reach each
``raise MalformedUri(...)`` in uri.py (through ``otpkit.parse_uri`` for text and through
``otpkit.KeyUri(...)`` for the dataclass checks) and compare the whole text. Where a message
quotes a cut of the input, the input is longer than the cut, so a cut one character longer or
shorter shows. Messages already pinned exactly in test_uri.py (a bad ``digits`` number, a
``digits`` parameter without '=') are not repeated here. The dataclass's own checks are in
test_key_uri_messages.py.
"""

from __future__ import annotations

import pytest

import otpkit
from otpkit.core.uri import MAX_URI_LENGTH
from otpkit.errors import MalformedUri

S = "JBSWY3DPEHPK3PXP"
OK = f"otpauth://totp/alice?secret={S}"
TRIM = (
    "starts or ends with white space; apps trim it, so two accounts would look the same: remove it"
)
ESCAPE = (
    "is not a percent-escape: '%' must be followed by two hex digits (write %25 for '%' itself)"
)
BASE32 = "is not one of the letters A-Z and digits 2-7"
LIMIT = 2048  # written out, so a changed MAX_URI_LENGTH shows in the messages too
PREFIX = "otpauth://totp/"
SUFFIX = f"?secret={S}"
PAD = LIMIT - len(PREFIX) - len(SUFFIX)  # an account name this long makes a URI LIMIT long


def at_length(length: int) -> str:
    """A valid URI of exactly ``length`` characters (its account name pads it)."""
    return PREFIX + "a" * (length - len(PREFIX) - len(SUFFIX)) + SUFFIX


URI_CASES = [
    # parse_uri: what the text is
    pytest.param(None, "uri", "must be text, not NoneType", id="uri-None"),
    pytest.param(OK.encode(), "uri", "must be text, not bytes", id="uri-bytes"),
    pytest.param(
        at_length(LIMIT + 1), "uri", "is 2049 characters long; at most 2048", id="uri-one-too-long"
    ),
    pytest.param(
        " " * (LIMIT + 1), "uri", "is 2049 characters long; at most 2048", id="uri-long-in-spaces"
    ),
    pytest.param(
        f"otpauth://totp/a\ud800?secret={S}",
        "uri",
        "holds characters that are not valid text",
        id="uri-lone-surrogate",
    ),
    # parse_uri: scheme, fragment, type
    pytest.param(
        f"http://totp/a?secret={S}", "scheme", "must be otpauth://, not 'http'", id="scheme-http"
    ),
    pytest.param(
        f"otpauth:/totp/alice?secret={S}",
        "scheme",
        "the URI must start with otpauth://",
        id="scheme-no-separator",
    ),
    pytest.param(
        f"{'x' * 25}://totp/a?secret={S}",
        "scheme",
        f"must be otpauth://, not '{'x' * 20}'",
        id="scheme-long-cut-at-20",
    ),
    pytest.param(
        f"{OK}#x",
        "fragment",
        "the URI has a '#' fragment; write '#' in a name as %23",
        id="fragment",
    ),
    pytest.param(
        f"otpauth://motp/a?secret={S}", "type", "must be totp or hotp, not 'motp'", id="type-motp"
    ),
    pytest.param(
        f"otpauth://ABCDEFGHIJKLMNOPQRSTUVWXYZ/a?secret={S}",
        "type",
        "must be totp or hotp, not 'abcdefghijklmnopqrst'",  # lower-cased, cut at 20
        id="type-unknown-cut-at-20",
    ),
    pytest.param(
        f"otpauth://T\u00d6TP{'X' * 20}/a?secret={S}",
        "type",
        "must be ASCII letters and digits, not 'T\u00d6TP" + "X" * 16 + "'",
        id="type-not-ascii-cut-at-20",
    ),
    # parse_uri: the label
    pytest.param(
        f"otpauth://totp?secret={S}", "label", "the URI has no account label", id="label-no-slash"
    ),
    pytest.param(
        f"otpauth://totp/?secret={S}", "label", "the URI has no account label", id="label-empty"
    ),
    pytest.param(
        f"otpauth://totp/al%4Gice?secret={S}",
        "label",
        f"'%4G' {ESCAPE}",
        id="label-bad-escape-snippet-is-3",
    ),
    pytest.param(
        f"otpauth://totp/alice%?secret={S}", "label", f"'%' {ESCAPE}", id="label-bad-escape-at-end"
    ),
    pytest.param(
        f"otpauth://totp/al%C3ice?secret={S}",
        "label",
        "its percent-encoding is not valid UTF-8",
        id="label-not-utf8",
    ),
    pytest.param(
        f"otpauth://totp/:alice?secret={S}",
        "label",
        "the issuer before ':' is empty",
        id="label-issuer-empty",
    ),
    pytest.param(
        f"otpauth://totp/Example%20:alice?secret={S}",
        "label",
        f"the issuer 'Example ' {TRIM}",
        id="label-issuer-outer-space",
    ),
    pytest.param(
        f"otpauth://totp/Example:%20%20?secret={S}",
        "label",
        "the account name is empty",
        id="label-account-only-spaces-after-colon",
    ),
    pytest.param(
        f"otpauth://totp/alice%09?secret={S}",
        "label",
        f"the account name 'alice\\t' {TRIM}",
        id="label-account-outer-tab",
    ),
    pytest.param(
        f"otpauth://totp/{'a' * 50}%20?secret={S}",
        "label",
        f"the account name '{'a' * 36}... {TRIM}",  # brief() cuts the repr at 40
        id="label-account-outer-space-long",
    ),
    # parse_uri: the query
    pytest.param(
        f"{OK}&x%ZZy=1", "query", f"'%ZZ' {ESCAPE}", id="query-name-bad-escape-snippet-is-3"
    ),
    pytest.param(
        f"{OK}&%FF=1", "query", "its percent-encoding is not valid UTF-8", id="query-name-not-utf8"
    ),
    pytest.param(
        f"{OK}&issuer=a%4Gbc",
        "issuer",
        f"'%4G' {ESCAPE}",
        id="query-value-bad-escape-snippet-is-3",
    ),
    pytest.param(
        f"{OK}&issuer=%FF",
        "issuer",
        "its percent-encoding is not valid UTF-8",
        id="query-value-not-utf8",
    ),
    pytest.param(
        f"{OK}&\u017fECRET{'e' * 25}=1",
        "query",
        "must be ASCII letters and digits, not '\u017fECRET" + "e" * 14 + "'",
        id="query-name-not-ascii-cut-at-20",
    ),
    pytest.param(
        f"{OK}&Perio%64",
        "period",
        "a parameter has no '=' and no value",
        id="query-no-equals-names-decoded-folded-name",
    ),
    pytest.param(
        f"{OK}&SECRET={S}", "secret", "the parameter is given twice", id="query-given-twice"
    ),
    # parse_uri: each parameter
    pytest.param(
        "otpauth://totp/alice", "secret", "the URI has no secret", id="secret-missing-no-query"
    ),
    pytest.param(
        "otpauth://totp/alice?secret=", "secret", "the URI has no secret", id="secret-empty"
    ),
    pytest.param(
        "otpauth://totp/alice?secret=JBSWY3D1",
        "secret",
        f"the secret is not base32: '1' {BASE32}",
        id="secret-not-base32",
    ),
    pytest.param(
        f"{OK}&algorithm=md5",
        "algorithm",
        "must be one of SHA1, SHA256, SHA512, not 'MD5'",
        id="algorithm-md5-upper-cased",
    ),
    pytest.param(
        f"{OK}&algorithm={'sha1' * 6}",
        "algorithm",
        "must be one of SHA1, SHA256, SHA512, not 'SHA1SHA1SHA1SHA1SHA1'",
        id="algorithm-unknown-cut-at-20",
    ),
    pytest.param(
        f"{OK}&algorithm=" + "\u017fha1" * 6,
        "algorithm",
        "must be ASCII letters and digits, not '" + "\u017fha1" * 5 + "'",
        id="algorithm-not-ascii-cut-at-20",
    ),
    pytest.param(f"{OK}&digits=11", "digits", "must be from 6 to 10, not 11", id="digits-above-10"),
    pytest.param(
        f"{OK}&period={'1' * 20}{'x' * 20}",
        "period",
        f"must be a whole number, not '{'1' * 20}{'x' * 10}'",
        id="period-not-a-number-cut-at-30",
    ),
    pytest.param(f"{OK}&period=0", "period", "must be from 1 to 120, not 0", id="period-0"),
    pytest.param(f"{OK}&period=121", "period", "must be from 1 to 120, not 121", id="period-121"),
    pytest.param(
        f"{OK}&period={'0' * 17}121",
        "period",
        "must be from 1 to 120, not 121",
        id="period-20-digits-read-as-a-number",
    ),
    pytest.param(
        f"{OK}&period={'0' * 18}121",
        "period",
        "is 21 digits long; at most 20",
        id="period-21-digits",
    ),
    pytest.param(
        f"otpauth://hotp/alice?secret={S}",
        "counter",
        "an hotp URI needs a counter (a whole number >= 0)",
        id="counter-missing-hotp",
    ),
    pytest.param(
        f"otpauth://hotp/alice?secret={S}&counter=-1",
        "counter",
        "must be a whole number, not '-1'",
        id="counter-negative",
    ),
    pytest.param(
        f"otpauth://hotp/alice?secret={S}&counter=18446744073709551616",
        "counter",
        "must be from 0 to 18446744073709551615, not 18446744073709551616",
        id="counter-2-to-the-64",
    ),
    pytest.param(
        f"otpauth://hotp/alice?secret={S}&counter={'1' * 21}",
        "counter",
        "is 21 digits long; at most 20",
        id="counter-21-digits",
    ),
    pytest.param(
        f"otpauth://totp/A:alice?secret={S}&issuer=B",
        "issuer",
        "the label says 'A' but the issuer parameter says 'B'",
        id="issuer-label-and-parameter-differ",
    ),
    pytest.param(
        f"{OK}&issuer=%20Example",
        "issuer",
        f"the issuer ' Example' {TRIM}",
        id="issuer-parameter-outer-space",
    ),
]


@pytest.mark.parametrize(("text", "part", "message"), URI_CASES)
def test_parse_uri_names_the_part_and_says_exactly_what_is_wrong(text, part, message):
    with pytest.raises(MalformedUri) as caught:
        otpkit.parse_uri(text)
    assert str(caught.value) == f"{part}: {message}"
    assert caught.value.part == part


def test_the_edges_next_to_the_refusals_are_accepted():
    """The other side of each boundary above: the longest URI, the smallest and largest counter."""
    assert MAX_URI_LENGTH == LIMIT
    longest = at_length(LIMIT)
    assert len(longest) == LIMIT
    assert otpkit.parse_uri(longest).account == "a" * PAD
    for counter in (0, 2**64 - 1):
        key = otpkit.KeyUri(secret=S, account="alice", type="hotp", counter=counter)
        assert key.counter == counter


def test_only_spaces_after_the_issuers_colon_are_dropped():
    uri = otpkit.parse_uri("otpauth://totp/Example:%20%20alice?secret=JBSWY3DPEHPK3PXP")
    assert (uri.issuer, uri.account) == ("Example", "alice")
    with pytest.raises(MalformedUri) as caught:  # a tab is not what the format allows there
        otpkit.parse_uri("otpauth://totp/Example:%09alice?secret=JBSWY3DPEHPK3PXP")
    assert caught.value.part == "label"


def test_a_scheme_separator_later_in_the_uri_is_only_text():
    uri = otpkit.parse_uri("otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP&issuer=https://example")
    assert (uri.account, uri.issuer) == ("alice", "https://example")
