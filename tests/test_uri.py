"""otpauth URIs: exact output in Misskey's form, strict parsing, round trips."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import otpkit
from otpkit.errors import InvalidInput, MalformedUri
from otpkit.otp import normalize_secret, secret_bytes

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


@settings(deadline=None)
@given(keys)
def test_build_then_parse_round_trips(key):
    assert otpkit.parse_uri(key.to_uri()) == key


def parses_strictly_and_round_trips(text: str) -> None:
    """parse_uri raises only MalformedUri, and what it accepts survives to_uri and back."""
    try:
        key = otpkit.parse_uri(text)
    except MalformedUri as exc:
        assert exc.part and exc.message
        return
    again = otpkit.parse_uri(key.to_uri())
    assert again == key
    assert again.to_uri() == key.to_uri()


@settings(deadline=None)
@given(st.text(max_size=300))
def test_parse_never_raises_anything_but_malformed_uri(text):
    parses_strictly_and_round_trips(text)


@settings(deadline=None)
@given(st.text(alphabet="otpauh:/?&=%3Aisecrdgmly0123456789ABCJKLMNOPQRSTUVWXYZ-_ ", max_size=120))
def test_parse_of_near_uris_never_raises_anything_else(text):
    parses_strictly_and_round_trips("otpauth://" + text)


# Pieces that come close to a valid URI, with the traps: look-alikes that upper-case into base32,
# '%' sequences good and bad, '#', spaces, colons.
TRAPS = [
    "\u0131",
    "\u017f",
    "\ufb05",
    "\ufb06",
    "\u0130",
    "\u212a",
    "é",
    "%",
    "%4",
    "%ZZ",
    "%20",
    "%3A",
    "%23",
    "%C3%A9",
    "%FF",
    "#",
    ":",
    " ",
    "\t",
    "+",
    "=",
]
trap_label = st.lists(
    st.sampled_from(["alice", "misskey.example", "a", *TRAPS]), min_size=1, max_size=5
).map("".join)
plain_label = st.sampled_from(
    ["alice", "misskey.example:alice", "Example:%20alice", "a%23b", "%C3%A9l%C3%A8ve", "a/b"]
)
secrets = st.sampled_from(
    [
        f"secret={SECRET}",
        "secret=jbswy3dp",
        "secret=SIMPLESECRETISOK",
        "secret=JBSWY3DP====",
        "secret=\u017fIMPLE\u017fECRETI\u017fOK",
        "secret=AAAAAAAAAAAAAA",
        "secret=%4A%42",
        "secret=%ZZ",
        "\u017fecret=JBSWY3DP",
    ]
)
others = st.lists(
    st.sampled_from(
        [
            "algorithm=SHA1",
            "algorithm=sha256",
            "algorithm=\u017fha1",
            "algorithm=SHA512",
            "digits=6",
            "digits=08",
            "period=60",
            "period=0",
            "counter=7",
            "counter=%37",
            "issuer=misskey.example",
            "issuer=a%3Ab",
            "issuer=%20x",
            "issuer=",
            "issuer=%",
            "x=%ZZ",
            "image=https%3A%2F%2Fe.example%2Fa.png",
            "#x",
            "",
        ]
    ),
    max_size=4,
    unique=True,
)
near_uris = st.builds(
    lambda scheme, kind, label, secret, rest, tail: (
        f"{scheme}://{kind}/{label}?" + "&".join([secret, *rest]) + tail
    ),
    st.sampled_from(["otpauth", "OTPAUTH"]),
    st.sampled_from(["totp", "totp", "hotp", "TOTP", "t\u00f6tp"]),
    plain_label | trap_label,
    secrets,
    others,
    st.just("") | st.sampled_from(["#", "#frag", " ", "%", "&"]),
)


@settings(deadline=None, max_examples=300)
@given(near_uris)
def test_near_uris_with_traps_parse_strictly_and_round_trip(text):
    parses_strictly_and_round_trips(text)


SIMPLE = "SIMPLESECRETISOK"  # holds I and S, which look-alikes upper-case into


@pytest.mark.parametrize(
    "secret",
    [
        SIMPLE.replace("S", "\u017f"),  # long s: 'ſ'.upper() == 'S'
        SIMPLE.replace("I", "\u0131"),  # dotless i: 'ı'.upper() == 'I'
        "\ufb05" + SIMPLE[2:],  # ligature: 'ﬅ'.upper() == 'ST'
        "\ufb06" + SIMPLE[2:],
        SIMPLE.lower().replace("i", "\u0131"),
        "\u3000" + SIMPLE,  # an ideographic space that str.strip() would drop
        SIMPLE + "\u00a0",
    ],
)
def test_non_ascii_look_alikes_are_not_base32(secret):
    with pytest.raises(InvalidInput, match="not base32"):
        normalize_secret(secret)
    with pytest.raises(MalformedUri) as caught:
        otpkit.parse_uri(f"otpauth://totp/a?secret={secret}")
    assert caught.value.part == "secret"
    with pytest.raises(MalformedUri):
        otpkit.KeyUri(secret=secret, account="a")
    assert otpkit.parse_uri(f"otpauth://totp/a?secret={SIMPLE.lower()}").secret == SIMPLE


@pytest.mark.parametrize("name", ["\u017fha1", "\u017fHA256", "SHA\u0661", "\uff33HA1"])
def test_algorithm_look_alikes_are_refused(name):
    with pytest.raises(MalformedUri) as caught:
        otpkit.parse_uri(f"otpauth://totp/a?secret={SECRET}&algorithm={name}")
    assert caught.value.part == "algorithm"
    assert otpkit.parse_uri(f"otpauth://totp/a?secret={SECRET}&algorithm=sha256").params == (
        otpkit.OtpParams("SHA256")
    )


def test_parameter_names_must_be_ascii():
    with pytest.raises(MalformedUri) as caught:
        otpkit.parse_uri("otpauth://totp/a?\u017fecret=JBSWY3DP")
    assert caught.value.part == "query"
    assert otpkit.parse_uri(f"otpauth://totp/a?SECRET={SECRET}").secret == SECRET


@pytest.mark.parametrize(
    "uri",
    [
        f"otpauth://totp/a#b?secret={SECRET}",
        f"otpauth://totp/a?secret={SECRET}#",
        f"otpauth://totp/a?secret={SECRET}#issuer=evil",
        f"otpauth://totp/evil.example:alice#?secret={SECRET}",
        f"otpauth://totp/a?issuer=x#y&secret={SECRET}",
    ],
)
def test_a_fragment_is_refused(uri):
    with pytest.raises(MalformedUri) as caught:
        otpkit.parse_uri(uri)
    assert caught.value.part == "fragment"


def test_an_encoded_hash_is_text():
    key = otpkit.parse_uri(f"otpauth://totp/Team%23one:a%23b?secret={SECRET}")
    assert key.issuer == "Team#one" and key.account == "a#b"
    assert "#" not in key.to_uri() and otpkit.parse_uri(key.to_uri()) == key


@pytest.mark.parametrize("bad", ["%ZZ", "%", "%4", "%4G", "%%41", "%G1"])
@pytest.mark.parametrize(
    ("template", "part"),
    [
        ("otpauth://totp/al{bad}ice?secret=" + SECRET, "label"),
        ("otpauth://totp/Iss{bad}:alice?secret=" + SECRET, "label"),
        ("otpauth://totp/alice?secret=" + SECRET + "&issuer=a{bad}", "issuer"),
        ("otpauth://totp/alice?secret=" + SECRET + "{bad}", "secret"),
        ("otpauth://totp/alice?secret=" + SECRET + "&digits=6{bad}", "digits"),
        ("otpauth://totp/alice?secret=" + SECRET + "&x{bad}=1", "query"),
    ],
)
def test_invalid_percent_escapes_are_refused(template, part, bad):
    with pytest.raises(MalformedUri) as caught:
        otpkit.parse_uri(template.format(bad=bad))
    assert caught.value.part == part
    assert "percent-escape" in caught.value.message


@pytest.mark.parametrize(
    ("label", "issuer_param", "part"),
    [
        ("%20alice", None, "label"),
        ("alice%20", None, "label"),
        ("alice%09", None, "label"),
        ("%E3%80%80alice", None, "label"),  # ideographic space
        ("Example:alice%20", None, "label"),
        ("%20Example:alice", None, "label"),
        ("Example%20:alice", None, "label"),
        ("alice", "%20Example", "issuer"),
        ("alice", "Example%20", "issuer"),
    ],
)
def test_names_with_outer_white_space_are_refused(label, issuer_param, part):
    query = f"secret={SECRET}" + (f"&issuer={issuer_param}" if issuer_param else "")
    with pytest.raises(MalformedUri) as caught:
        otpkit.parse_uri(f"otpauth://totp/{label}?{query}")
    assert caught.value.part == part
    assert "white space" in caught.value.message


def test_spaces_after_the_issuer_colon_are_the_format_s_own():
    key = otpkit.parse_uri(f"otpauth://totp/Example:%20%20alice?secret={SECRET}")
    assert key.account == "alice" and key.issuer == "Example"


@pytest.mark.parametrize(
    "kwargs",
    [{"account": " alice"}, {"account": "alice\n"}, {"issuer": " Example"}, {"issuer": "x\u3000"}],
)
def test_key_uri_refuses_outer_white_space(kwargs):
    with pytest.raises(MalformedUri, match="white space"):
        otpkit.KeyUri(**{"secret": SECRET, "account": "alice", **kwargs})


@pytest.mark.parametrize("length", [1, 3, 6, 9, 11, 14, 17, 19, 22])
def test_base32_lengths_no_byte_count_has_are_refused(length):
    secret = "A" * length
    for call in (normalize_secret, secret_bytes, lambda s: otpkit.code_at(s, 1e9)):
        with pytest.raises(InvalidInput, match="length"):
            call(secret)
    with pytest.raises(MalformedUri) as caught:
        otpkit.parse_uri(f"otpauth://totp/a?secret={secret}")
    assert caught.value.part == "secret"


def test_hotp_counter_and_period_round_trip():
    key = otpkit.parse_uri(f"otpauth://hotp/x?secret={SECRET}&counter=18446744073709551615")
    assert key.counter == 2**64 - 1 and otpkit.parse_uri(key.to_uri()) == key
    with pytest.raises(MalformedUri) as caught:
        otpkit.parse_uri(f"otpauth://hotp/x?secret={SECRET}&counter=18446744073709551616")
    assert caught.value.part == "counter"
    key = otpkit.parse_uri(f"otpauth://hotp/x?secret={SECRET}&counter=1&period=60")
    assert otpkit.parse_uri(key.to_uri()) == key
    with pytest.raises(MalformedUri):
        otpkit.KeyUri(secret=SECRET, account="x", type="hotp", counter=2**64)
    with pytest.raises(MalformedUri):
        otpkit.KeyUri(secret=SECRET, account="x", params="SHA1")


@pytest.mark.parametrize(
    ("digits", "message"),
    [
        ("six", "digits: must be a whole number, not 'six'"),
        ("6.0", "digits: must be a whole number, not '6.0'"),
        ("x" * 40, "digits: must be a whole number, not '" + "x" * 30 + "'"),
        ("5", "digits: must be from 6 to 10, not 5"),
        ("9" * 20, "digits: must be from 6 to 10, not " + "9" * 20),
        ("9" * 21, "digits: is 21 digits long; at most 20"),
    ],
)
def test_a_bad_number_in_a_uri_is_named_exactly(digits, message):
    with pytest.raises(MalformedUri) as caught:
        otpkit.parse_uri(f"otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP&digits={digits}")
    assert str(caught.value) == message
    assert caught.value.part == "digits"


def test_empty_pieces_of_a_query_are_skipped_not_the_end_of_it():
    uri = otpkit.parse_uri("otpauth://totp/alice?&secret=JBSWY3DPEHPK3PXP&&digits=8&")
    assert (uri.secret, uri.params.digits) == ("JBSWY3DPEHPK3PXP", 8)


def test_a_parameter_without_a_value_is_named():
    with pytest.raises(MalformedUri) as caught:
        otpkit.parse_uri("otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP&digits")
    assert str(caught.value) == "digits: a parameter has no '=' and no value"
