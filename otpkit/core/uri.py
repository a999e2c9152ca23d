"""otpauth:// key URIs, the text inside every enrollment QR code: strict to read, exact to write."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import quote, unquote_to_bytes

from .errors import InvalidInput, MalformedUri
from .otp import ALGORITHMS, OtpParams, brief, normalize_secret

MAX_URI_LENGTH = 2048
MAX_COUNTER = 2**64 - 1  # RFC 4226's 8-byte counter
_KNOWN_TYPES = ("totp", "hotp")
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_ASCII_SPACE = " \t\r\n"


def _check_no_outer_space(text: str, part: str, what: str) -> None:
    if text != text.strip():
        raise MalformedUri(
            part,
            f"{what} {brief(text)} starts or ends with white space; apps trim it, so two accounts "
            "would look the same: remove it",
        )


def urlencode_component(text: str) -> str:
    """Percent-encode like JavaScript's encodeURIComponent, as Misskey's otpauth library does."""
    return quote(text, safe="!~*'()")


@dataclass(frozen=True)
class KeyUri:
    """One account as an authenticator app receives it."""

    secret: str
    account: str
    issuer: str | None = None
    type: str = "totp"
    params: OtpParams = field(default_factory=OtpParams)
    counter: int | None = None

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "secret", normalize_secret(self.secret))
        except InvalidInput as exc:
            raise MalformedUri("secret", exc.message) from None
        if self.type not in _KNOWN_TYPES:
            raise MalformedUri("type", f"must be totp or hotp, not {brief(self.type)}")
        if not isinstance(self.params, OtpParams):
            raise MalformedUri("params", f"must be an otpkit.OtpParams, not {brief(self.params)}")
        if not isinstance(self.account, str) or not self.account.strip():
            raise MalformedUri("label", "the account name is empty")
        if ":" in self.account:
            raise MalformedUri("label", "the account name must not contain ':'")
        _check_no_outer_space(self.account, "label", "the account name")
        if self.issuer is not None:
            if not isinstance(self.issuer, str) or not self.issuer.strip():
                raise MalformedUri("issuer", "the issuer, when given, must be non-empty text")
            _check_no_outer_space(self.issuer, "issuer", "the issuer")
        if self.type == "hotp":
            if not isinstance(self.counter, int) or isinstance(self.counter, bool):
                raise MalformedUri("counter", "an hotp URI needs a counter (a whole number >= 0)")
            if not 0 <= self.counter <= MAX_COUNTER:
                raise MalformedUri(
                    "counter", f"must be from 0 to 2**64 - 1 (8 bytes), not {brief(self.counter)}"
                )
        elif self.counter is not None:
            raise MalformedUri("counter", "only hotp URIs have a counter")

    @property
    def label(self) -> str:
        """The label as an app lists it: ``issuer:account``, or just the account."""
        return f"{self.issuer}:{self.account}" if self.issuer else self.account

    def to_uri(self) -> str:
        """The URI in Misskey's form: issuer in label and as a parameter, all parameters written."""
        label = urlencode_component(self.account)
        query = []
        if self.issuer:
            label = f"{urlencode_component(self.issuer)}:{label}"
            query.append(("issuer", urlencode_component(self.issuer)))
        query += [
            ("secret", self.secret),
            ("algorithm", self.params.algorithm),
            ("digits", str(self.params.digits)),
        ]
        if self.type == "hotp":
            query.append(("counter", str(self.counter)))
        # An hotp code ignores the period; it is written only when not the default, to round-trip.
        if self.type == "totp" or self.params.period != OtpParams().period:
            query.append(("period", str(self.params.period)))
        return f"otpauth://{self.type}/{label}?" + "&".join(f"{k}={v}" for k, v in query)


def _decode(text: str, part: str) -> str:
    bad = _BAD_ESCAPE.search(text)
    if bad:
        snippet = text[bad.start() : bad.start() + 3]
        raise MalformedUri(
            part,
            f"{snippet!r} is not a percent-escape: '%' must be followed by two hex digits "
            "(write %25 for '%' itself)",
        )
    try:
        return unquote_to_bytes(text).decode("utf-8")
    except UnicodeDecodeError:
        raise MalformedUri(part, "its percent-encoding is not valid UTF-8") from None


def _ascii_folded(text: str, part: str, upper: bool = False) -> str:
    """``text`` in one case, refused first when not ASCII: 'ſ'.upper() is 'S', 'ı'.upper() 'I'."""
    if not text.isascii():
        raise MalformedUri(part, f"must be ASCII letters and digits, not {text[:20]!r}")
    return text.upper() if upper else text.lower()


def _whole_number(text: str, part: str, low: int, high: int) -> int:
    if not (text.isascii() and text.isdigit()):
        raise MalformedUri(part, f"must be a whole number, not {text[:30]!r}")
    if len(text) > 20:  # no field needs more, and int() of a very long text is slow
        raise MalformedUri(part, f"is {len(text)} digits long; at most 20")
    value = int(text)
    if not low <= value <= high:
        raise MalformedUri(part, f"must be from {low} to {high}, not {value}")
    return value


def _split_query(query: str) -> dict[str, str]:
    params: dict[str, str] = {}
    for piece in query.split("&"):
        if not piece:  # "a=1&&b=2", a trailing "&", or no query at all
            continue
        name, sep, value = piece.partition("=")
        name = _ascii_folded(_decode(name, "query"), "query")
        if not sep:
            raise MalformedUri(name, "a parameter has no '=' and no value")  # name is not empty
        if name in params:
            raise MalformedUri(name, "the parameter is given twice")
        params[name] = _decode(value, name)
    return params


def _split_label(raw_label: str) -> tuple[str, str]:
    """(issuer or "", account) from the label; spaces after the issuer's ':' are dropped."""
    label = _decode(raw_label, "label")
    issuer, colon, account = label.rpartition(":")
    if colon:
        if not issuer:
            raise MalformedUri("label", "the issuer before ':' is empty")
        _check_no_outer_space(issuer, "label", "the issuer")
        account = account.lstrip(" ")  # Google's Key URI format allows spaces after the ':'
    if not account:
        raise MalformedUri("label", "the account name is empty")
    _check_no_outer_space(account, "label", "the account name")
    return issuer, account


def parse_uri(text: object) -> KeyUri:
    """Read an otpauth:// URI strictly; anything wrong raises MalformedUri naming the part."""
    if not isinstance(text, str):
        raise MalformedUri("uri", f"must be text, not {type(text).__name__}")
    if len(text) > MAX_URI_LENGTH:
        raise MalformedUri("uri", f"is {len(text)} characters long; at most {MAX_URI_LENGTH}")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise MalformedUri("uri", "holds characters that are not valid text") from None
    text = text.strip(_ASCII_SPACE)
    scheme, sep, rest = text.partition("://")
    if not sep:
        raise MalformedUri("scheme", "the URI must start with otpauth://")
    if not scheme.isascii() or scheme.lower() != "otpauth":
        raise MalformedUri("scheme", f"must be otpauth://, not {scheme[:20]!r}")
    if "#" in rest:
        # RFC 3986: everything after '#' is a fragment, which an app would silently drop.
        raise MalformedUri("fragment", "the URI has a '#' fragment; write '#' in a name as %23")
    path, _, query = rest.partition("?")
    otp_type, slash, raw_label = path.partition("/")
    otp_type = _ascii_folded(otp_type, "type")
    if otp_type not in _KNOWN_TYPES:
        raise MalformedUri("type", f"must be totp or hotp, not {otp_type[:20]!r}")
    if not slash or not raw_label:
        raise MalformedUri("label", "the URI has no account label")
    issuer_in_label, account = _split_label(raw_label)
    params = _split_query(query)
    if "secret" not in params or not params["secret"]:
        raise MalformedUri("secret", "the URI has no secret")
    algorithm = _ascii_folded(params.get("algorithm", "SHA1"), "algorithm", upper=True)
    if algorithm not in ALGORITHMS:
        raise MalformedUri(
            "algorithm", f"must be one of {', '.join(ALGORITHMS)}, not {algorithm[:20]!r}"
        )
    digits = _whole_number(params.get("digits", "6"), "digits", 6, 10)
    period = _whole_number(params.get("period", "30"), "period", 1, 120)
    counter = None
    if otp_type == "hotp":
        if "counter" not in params:
            raise MalformedUri("counter", "an hotp URI needs a counter (a whole number >= 0)")
        counter = _whole_number(params["counter"], "counter", 0, MAX_COUNTER)
    issuer = params.get("issuer")
    if issuer is not None and issuer_in_label and issuer != issuer_in_label:
        raise MalformedUri(
            "issuer",
            f"the label says {issuer_in_label!r} but the issuer parameter says {issuer!r}",
        )
    return KeyUri(
        secret=params["secret"],
        account=account,
        issuer=issuer or issuer_in_label or None,
        type=otp_type,
        params=OtpParams(algorithm, digits, period),
        counter=counter,
    )
