"""otpauth:// key URIs, the text inside every enrollment QR code: strict to read, exact to write."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote, unquote_to_bytes

from .errors import InvalidInput, MalformedUri
from .otp import ALGORITHMS, OtpParams, normalize_secret

MAX_URI_LENGTH = 2048
_KNOWN_TYPES = ("totp", "hotp")


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
            raise MalformedUri("type", f"must be totp or hotp, not {self.type!r}")
        if not isinstance(self.account, str) or not self.account.strip():
            raise MalformedUri("label", "the account name is empty")
        if ":" in self.account:
            raise MalformedUri("label", "the account name must not contain ':'")
        if self.issuer is not None and (not isinstance(self.issuer, str) or not self.issuer):
            raise MalformedUri("issuer", "the issuer, when given, must be non-empty text")
        if self.type == "hotp":
            if not isinstance(self.counter, int) or isinstance(self.counter, bool):
                raise MalformedUri("counter", "an hotp URI needs a counter (a whole number >= 0)")
            if self.counter < 0:
                raise MalformedUri("counter", f"must be >= 0, not {self.counter}")
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
        else:
            query.append(("period", str(self.params.period)))
        return f"otpauth://{self.type}/{label}?" + "&".join(f"{k}={v}" for k, v in query)


def _decode(text: str, part: str) -> str:
    try:
        return unquote_to_bytes(text).decode("utf-8")
    except UnicodeDecodeError:
        raise MalformedUri(part, "its percent-encoding is not valid UTF-8") from None


def _whole_number(text: str, part: str, low: int, high: int | None) -> int:
    if not (text.isascii() and text.isdigit()) or len(text) > 12:
        raise MalformedUri(part, f"must be a whole number, not {text!r}")
    value = int(text)
    if value < low or (high is not None and value > high):
        limits = f"from {low} to {high}" if high is not None else f">= {low}"
        raise MalformedUri(part, f"must be {limits}, not {value}")
    return value


def _split_query(query: str) -> dict[str, str]:
    params: dict[str, str] = {}
    for piece in query.split("&") if query else []:
        if not piece:
            continue
        name, sep, value = piece.partition("=")
        name = _decode(name, "query").lower()
        if not sep:
            raise MalformedUri(name or "query", "a parameter has no '=' and no value")
        if name in params:
            raise MalformedUri(name, "the parameter is given twice")
        params[name] = _decode(value, name)
    return params


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
    text = text.strip()
    scheme, sep, rest = text.partition("://")
    if not sep or scheme.lower() != "otpauth":
        raise MalformedUri("scheme", f"must be otpauth://, not {scheme[:20]!r}")
    path, _, query = rest.partition("?")
    if "#" in query:
        query = query.partition("#")[0]
    otp_type, slash, raw_label = path.partition("/")
    otp_type = otp_type.lower()
    if otp_type not in _KNOWN_TYPES:
        raise MalformedUri("type", f"must be totp or hotp, not {otp_type[:20]!r}")
    if not slash or not raw_label:
        raise MalformedUri("label", "the URI has no account label")
    label = _decode(raw_label, "label")
    issuer_in_label, colon, account = label.rpartition(":")
    account = account.lstrip(" ")
    if colon and not issuer_in_label:
        raise MalformedUri("label", "the issuer before ':' is empty")
    if not account:
        raise MalformedUri("label", "the account name is empty")
    params = _split_query(query)
    if "secret" not in params or not params["secret"]:
        raise MalformedUri("secret", "the URI has no secret")
    algorithm = params.get("algorithm", "SHA1").upper()
    if algorithm not in ALGORITHMS:
        raise MalformedUri(
            "algorithm", f"must be one of {', '.join(ALGORITHMS)}, not {algorithm!r}"
        )
    digits = _whole_number(params.get("digits", "6"), "digits", 6, 10)
    period = _whole_number(params.get("period", "30"), "period", 1, 120)
    counter = None
    if otp_type == "hotp":
        if "counter" not in params:
            raise MalformedUri("counter", "an hotp URI needs a counter")
        counter = _whole_number(params["counter"], "counter", 0, None)
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
