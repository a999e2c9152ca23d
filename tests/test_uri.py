"""otpauth URIs: exact output in Misskey's form, strict parsing, round trips."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import otpkit
from otpkit.errors import MalformedUri

SECRET = "HC2OMUXEJWT7ENYNTYTA4JYTMVIKJI5G"


def test_misskey_form_with_port_in_host():
    key = otpkit.KeyUri(secret=SECRET, account="alice", issuer="misskey.example:3000")
    assert key.to_uri() == (
        "otpauth://totp/misskey.example%3A3000:alice?issuer=misskey.example%3A3000"
        f"&secret={SECRET}&algorithm=SHA1&digits=6&period=30"
    )
    assert otpkit.parse_uri(key.to_uri()) == key


def test_parse_defaults_and_lenient_spellings():
    key = otpkit.parse_uri("OTPAUTH://TOTP/Example:bob@example.com?secret=jbswy3dpehpk3pxp====")
    assert key.issuer == "Example" and key.account == "bob@example.com"
    assert key.secret == "JBSWY3DPEHPK3PXP"
    assert key.params == otpkit.OtpParams()


def test_hotp_with_counter():
    key = otpkit.parse_uri(f"otpauth://hotp/x?secret={SECRET}&counter=7")
    assert key.type == "hotp" and key.counter == 7
    assert otpkit.parse_uri(key.to_uri()) == key


@pytest.mark.parametrize(
    ("uri", "part"),
    [
        ("http://totp/a?secret=JBSWY3DP", "scheme"),
        ("otpauth:/totp/a?secret=JBSWY3DP", "scheme"),
        ("otpauth://motp/a?secret=JBSWY3DP", "type"),
        ("otpauth://totp/a", "secret"),
        ("otpauth://totp/a?secret=", "secret"),
        ("otpauth://totp/a?secret=JBSWY3D1", "secret"),
        ("otpauth://totp/a?secret=ABC", "secret"),
        ("otpauth://totp/a?secret=JBSWY3DP&algorithm=MD5", "algorithm"),
        ("otpauth://totp/a?secret=JBSWY3DP&digits=5", "digits"),
        ("otpauth://totp/a?secret=JBSWY3DP&digits=11", "digits"),
        ("otpauth://totp/a?secret=JBSWY3DP&digits=six", "digits"),
        ("otpauth://totp/a?secret=JBSWY3DP&period=0", "period"),
        ("otpauth://totp/a?secret=JBSWY3DP&period=-30", "period"),
        ("otpauth://totp/a?secret=JBSWY3DP&period=121", "period"),
        ("otpauth://totp/a?secret=JBSWY3DP&period=30.5", "period"),
        ("otpauth://hotp/a?secret=JBSWY3DP", "counter"),
        ("otpauth://hotp/a?secret=JBSWY3DP&counter=-1", "counter"),
        ("otpauth://totp/A:a?secret=JBSWY3DP&issuer=B", "issuer"),
        ("otpauth://totp/?secret=JBSWY3DP", "label"),
        ("otpauth://totp/A:?secret=JBSWY3DP", "label"),
        ("otpauth://totp/a?secret=JBSWY3DP&secret=JBSWY3DP", "secret"),
        ("otpauth://totp/%FF?secret=JBSWY3DP", "label"),
        ("otpauth://totp/a?secret=JBSWY3DP&" + "x" * 2048, "uri"),
    ],
)
def test_each_rejection_names_the_part(uri, part):
    with pytest.raises(MalformedUri) as caught:
        otpkit.parse_uri(uri)
    assert caught.value.part == part
    assert str(caught.value).startswith(part)


def test_non_text_is_malformed():
    for value in (None, 42, b"otpauth://totp/a?secret=JBSWY3DP"):
        with pytest.raises(MalformedUri):
            otpkit.parse_uri(value)


def test_weak_but_well_formed_secret_parses():
    assert otpkit.parse_uri("otpauth://totp/a?secret=JBSWY3DP").secret == "JBSWY3DP"


names = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters=":"), min_size=1, max_size=30
).filter(lambda s: s.strip() == s and s.strip())
keys = st.builds(
    otpkit.KeyUri,
    secret=st.binary(min_size=1, max_size=40).map(
        lambda raw: __import__("base64").b32encode(raw).decode().rstrip("=")
    ),
    account=names,
    issuer=st.one_of(st.none(), names | st.just("misskey.example:3000")),
    params=st.builds(
        otpkit.OtpParams,
        algorithm=st.sampled_from(["SHA1", "SHA256", "SHA512"]),
        digits=st.integers(6, 10),
        period=st.integers(1, 120),
    ),
)


@given(keys)
def test_build_then_parse_round_trips(key):
    assert otpkit.parse_uri(key.to_uri()) == key


@given(st.text(max_size=300))
def test_parse_never_raises_anything_but_malformed_uri(text):
    try:
        otpkit.parse_uri(text)
    except MalformedUri:
        pass


@given(st.text(alphabet="otpauh:/?&=%3Aisecrdgmly0123456789ABCJKLMNOPQRSTUVWXYZ-_ ", max_size=120))
def test_parse_of_near_uris_never_raises_anything_else(text):
    try:
        otpkit.parse_uri("otpauth://" + text)
    except MalformedUri:
        pass
