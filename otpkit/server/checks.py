"""Checks at the server's door: every argument is refused here, typed, before anything changes."""

from __future__ import annotations

import ipaddress
import re

from ..core.clock import check_time
from ..core.errors import InvalidInput
from ..core.hashing import MAX_BYTES

MAX_PASSWORD = 1024
MAX_TOKEN = 256

# JavaScript's white space (what /\s/ and String.prototype.trim match), which is not Python's:
# U+FEFF is white space in JavaScript only; U+001C-U+001F and U+0085 in Python only.
JS_WHITESPACE = frozenset(
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_HOST = re.compile(
    r"(?=.{1,253}(:|$))[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:[0-9]{1,5})?"
)


def encodable(text: str) -> bool:
    """False for text holding lone surrogates, which no file or database can store."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def text_argument(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise InvalidInput(f"the {what} must be text, not {type(value).__name__}")
    if not encodable(value):
        raise InvalidInput(f"the {what} holds characters that are not valid text")
    return value


def username_for_sign_up(username: object, rule: str) -> str:
    """A new username must follow the policy's rule (Misskey: ASCII letters, digits, '_', 1-20)."""
    text = text_argument(username, "username")
    if not re.fullmatch(rule, text, flags=re.ASCII):
        raise InvalidInput(
            f"{text[:40]!r} breaks the username rule {rule}: "
            "a username is 1 to 20 ASCII letters (a-z, A-Z), digits or underscores"
        )
    return text


def lookup_key(username: object, rule: str) -> str:
    """The key an account is found by: the name lower-cased, as Misskey's usernameLower.

    A name that breaks the rule is refused before the look-up, so that a look-alike (the Kelvin
    sign lower-cases to 'k') cannot reach another account.
    """
    return username_for_sign_up(username, rule).lower()


def password(value: object, allow_empty: bool) -> str:
    text = text_argument(value, "password")
    if not text and not allow_empty:
        raise InvalidInput("the password is empty")
    if len(text) > MAX_PASSWORD:
        raise InvalidInput(f"the password is {len(text)} characters; at most {MAX_PASSWORD}")
    return text


def password_is_cut(text: str) -> bool:
    """Whether bcrypt will read only the first 72 bytes of this password (the rest never counts)."""
    return len(text.encode("utf-8")) > MAX_BYTES


def token_or_none(value: object) -> str | None:
    """A token argument: None or text, as the endpoints' schemas allow."""
    if value is None:
        return None
    text = text_argument(value, "code")
    return text


def whitespace(token: str, rule: str) -> str:
    """Apply a policy's white-space rule to a code: "keep", "trim" the ends, or "remove" all."""
    if rule == "remove":
        return "".join(ch for ch in token if ch not in JS_WHITESPACE)
    if rule == "trim":
        start, end = 0, len(token)
        while start < end and token[start] in JS_WHITESPACE:
            start += 1
        while end > start and token[end - 1] in JS_WHITESPACE:
            end -= 1
        return token[start:end]
    return token


def client_address(ip: object) -> str:
    """The client's address in canonical form; an IPv4-mapped IPv6 address is its IPv4 one."""
    if not isinstance(ip, str) or len(ip) > 64:
        raise InvalidInput(f"ip must be an IP address such as '203.0.113.1', not {ip!r:.60}")
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        raise InvalidInput(
            f"{ip!r} is not an IP address: write it as '203.0.113.1' or '2001:db8::1', "
            "with no spaces and no leading zeros"
        ) from None
    if isinstance(address, ipaddress.IPv6Address) and address.scope_id is not None:
        raise InvalidInput(
            f"{ip!r} names a network interface after '%': a client's address has no zone"
        )
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return str(address)


def host(value: object) -> str:
    """A server's host name, with an optional port, as Misskey's config URL gives it."""
    if not isinstance(value, str) or not encodable(value) or not _HOST.fullmatch(value):
        raise InvalidInput(
            "host must be an ASCII host name with an optional port, like 'misskey.example' or "
            f"'localhost:3000', not {value!r:.60}"
        )
    _, _, port = value.partition(":")
    if port and not 1 <= int(port) <= 65535:
        raise InvalidInput(f"the port in {value!r} must be from 1 to 65535")
    return value


def clock_reading(value: object) -> float:
    """A time the server's clock gave, refused when it is not a usable Unix time."""
    return check_time(value, "the server's clock")
