"""Hostile inputs for every public entry point: each must be refused with an OtpkitError.

Every entry here is malformed for the entry points it is fed to (a well-formed but wrong code is
not hostile: under HARDENED it rightly counts as a failed try). ``(label, value)`` pairs, grouped
in categories (``CATEGORIES``); a label is unique within its category.

Some entries cannot be plain values: ``CODE_FORMS`` turns the right code of the moment into a
hostile form of it, and ``POLICY_FIELDS`` builds its bad parts (a ``RateLimit(max_requests=0)``
raises when made) only when asked.
"""

from __future__ import annotations

import io
import ipaddress
import math
import struct
import zlib
from collections.abc import Callable
from decimal import Decimal
from functools import cache
from typing import Any

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
BIG = "9" * 10_000

TOKENS: list[tuple[str, Any]] = [
    ("space before", " 123456"),
    ("space after", "123456 "),
    ("space inside", "123 456"),
    ("tab inside", "123\t456"),
    ("newline", "123456\n"),
    ("letters", "abcdef"),
    ("hex-ish", "12ab56"),
    ("five digits", "12345"),
    ("seven digits", "1234567"),
    ("eight digits", "12345678"),
    ("one digit", "1"),
    ("full-width digits", "１２３４５６"),
    ("arabic-indic digits", "١٢٣٤٥٦"),
    ("devanagari digits", "१२३४५६"),
    ("superscript digits", "¹²³⁴⁵⁶"),
    ("minus sign", "-12345"),
    ("plus sign", "+12345"),
    ("decimal point", "12345.6"),
    ("float text", "1e5000"),
    ("10 kB of digits", BIG),
    ("257 characters", "1" * 257),
    ("NUL inside", "123\x00456"),
    ("NUL only", "\x00"),
    ("NUL padded", "123456\x00"),
    ("RTL mark", "\u200f123456"),
    ("LTR override", "\u202d123456"),
    ("zero-width space", "123\u200b456"),
    ("BOM", "\ufeff123456"),
    ("emoji", "😀😀😀😀😀😀"),
    ("emoji keycaps", "1️⃣2️⃣3️⃣4️⃣5️⃣6️⃣"),
    ("lone surrogate", "12345\ud800"),
    ("SQL or", "' OR '1'='1"),
    ("SQL drop", "1; DROP TABLE accounts;--"),
    ("SQL comment", "123456'--"),
    ("JSON", '{"token": "123456"}'),
    ("percent-encoded", "%31%32%33%34%35%36"),
    ("HTML", "<script>alert(1)</script>"),
    ("format string", "%s%s%s%n"),
    ("backup code lower case", SECRET.lower()),
    ("backup code too short", SECRET[:31]),
    ("backup code too long", SECRET + "A"),
    ("backup code with space", SECRET[:16] + " " + SECRET[16:]),
    ("backup code with 0 and 1", "0" * 16 + "1" * 16),
    ("int", 123456),
    ("zero int", 0),
    ("float", 123456.0),
    ("bool", True),
    ("bytes", b"123456"),
    ("bytearray", bytearray(b"123456")),
    ("list", ["123456"]),
    ("tuple", ("1", "2", "3", "4", "5", "6")),
    ("dict", {"token": "123456"}),
    ("set", {"123456"}),
    ("object", object()),
    ("NaN", float("nan")),
    # White space: Misskey trims or removes JavaScript's (/\s/), which is not Python's isspace():
    # U+FEFF is white space only in JavaScript, U+001C-U+001F and U+0085 only in Python.
    ("BOM after", "123456\ufeff"),
    ("BOM inside", "123\ufeff456"),
    ("only BOMs", "\ufeff" * 6),
    ("U+001C before", "\x1c123456"),
    ("U+001D after", "123456\x1d"),
    ("U+001E inside", "123\x1e456"),
    ("U+001F before", "\x1f123456"),
    ("NEL before", "\x85123456"),
    ("NEL after", "123456\x85"),
    ("only U+001C", "\x1c" * 6),
    ("no-break space inside", "123\xa0456"),
    ("ideographic space before", "\u3000123456"),
    ("line separator after", "123456\u2028"),
    ("vertical tab inside", "123\x0b456"),
    ("Mongolian vowel separator", "\u180e123456"),
    ("word joiner inside", "123\u2060456"),
    ("only spaces", " " * 6),
    # Digits that are not ASCII: str.isdigit() and int() accept every one of these.
    ("Persian digits", "۱۲۳۴۵۶"),
    ("Bengali digits", "১২৩৪৫৬"),
    ("Thai digits", "๑๒๓๔๕๖"),
    ("Mongolian digits", "᠑᠒᠓᠔᠕᠖"),
    ("NKo digits", "߁߂߃߄߅߆"),
    ("mathematical bold digits", "𝟏𝟐𝟑𝟒𝟓𝟔"),
    ("circled digits", "①②③④⑤⑥"),
    ("subscript digits", "₁₂₃₄₅₆"),
    ("half full-width", "123４５６"),
    ("Roman numerals", "ⅠⅡⅢⅣⅤⅥ"),
    # Huge.
    ("1 MB of digits", "1" * 1_000_000),
    ("100 kB of letters", "a" * 100_000),
    ("10 kB of spaces", " " * 10_000),
    ("256 digits", "1" * 256),
    ("a code inside 10 kB of BOMs", "\ufeff" * 5000 + "123456" + "\ufeff" * 5000),
    # Not text.
    ("negative int", -123456),
    ("huge int", 10**400),
    ("complex", 123456 + 0j),
    ("memoryview", memoryview(b"123456")),
    ("frozenset", frozenset({"123456"})),
    ("list of ints", [1, 2, 3, 4, 5, 6]),
]


def _digits(zero: int) -> Callable[[str], str]:
    """The code written in the digits of another script (``zero`` is that script's 0)."""
    return lambda code: "".join(chr(zero + int(d)) for d in code)


def _table(ten: str) -> Callable[[str], str]:
    """The code written with the ten characters ``ten`` for 0-9."""
    return lambda code: code.translate(str.maketrans("0123456789", ten))


# The right code of the moment, made hostile: a server that cleans input the Python way, or reads
# codes with int(), accepts some of these. No policy may accept any (white space that JavaScript
# strips, and so Misskey too, is left out: it is checked apart).
CODE_FORMS: list[tuple[str, Callable[[str], Any]]] = [
    ("U+001C before", lambda c: "\x1c" + c),
    ("U+001D before", lambda c: "\x1d" + c),
    ("U+001E after", lambda c: c + "\x1e"),
    ("U+001F after", lambda c: c + "\x1f"),
    ("U+001C inside", lambda c: c[:3] + "\x1c" + c[3:]),
    ("NEL before", lambda c: "\x85" + c),
    ("NEL after", lambda c: c + "\x85"),
    ("NUL before", lambda c: "\x00" + c),
    ("NUL after", lambda c: c + "\x00"),
    ("zero-width space inside", lambda c: c[:3] + "\u200b" + c[3:]),
    ("zero-width joiner after", lambda c: c + "\u200d"),
    ("word joiner before", lambda c: "\u2060" + c),
    ("soft hyphen inside", lambda c: c[:3] + "\xad" + c[3:]),
    ("Mongolian vowel separator before", lambda c: "\u180e" + c),
    ("RTL mark before", lambda c: "\u200f" + c),
    ("full-width digits", _digits(0xFF10)),
    ("Arabic-Indic digits", _digits(0x0660)),
    ("Persian digits", _digits(0x06F0)),
    ("Devanagari digits", _digits(0x0966)),
    ("Bengali digits", _digits(0x09E6)),
    ("Thai digits", _digits(0x0E50)),
    ("NKo digits", _digits(0x07C0)),
    ("Mongolian digits", _digits(0x1810)),
    ("mathematical bold digits", _digits(0x1D7CE)),
    ("mathematical monospace digits", _digits(0x1D7F6)),
    ("superscript digits", _table("⁰¹²³⁴⁵⁶⁷⁸⁹")),
    ("subscript digits", _digits(0x2080)),
    ("circled digits", _table("⓪①②③④⑤⑥⑦⑧⑨")),
    ("last digit full-width", lambda c: c[:-1] + chr(0xFF10 + int(c[-1]))),
    ("with a plus", lambda c: "+" + c),
    ("with a minus", lambda c: "-" + c),
    ("as decimal text", lambda c: c + ".0"),
    ("with underscores", lambda c: c[:3] + "_" + c[3:]),
    ("with a seventh digit", lambda c: c + "0"),
    ("twice", lambda c: c + c),
    ("as int", int),
    ("as float", float),
    ("as bytes", str.encode),
    ("as a list", lambda c: [c]),
    ("as a tuple of digits", tuple),
]

# None and "" mean "no token yet" on sign-in (next == "totp"), so they are checked apart.
EMPTY_TOKENS: list[tuple[str, Any]] = [("None", None), ("empty", "")]

USERNAMES: list[tuple[str, Any]] = [
    ("empty", ""),
    ("space", " "),
    ("spaces around", " alice "),
    ("21 characters", "a" * 21),
    ("10 kB", "a" * 10_000),
    ("with space", "al ice"),
    ("with dot", "al.ice"),
    ("with at", "alice@misskey.example"),
    ("with dash", "al-ice"),
    ("non-ASCII letters", "ålïce"),
    ("full-width", "ａｌｉｃｅ"),
    ("Cyrillic look-alike", "аlice"),
    ("NUL", "ali\x00ce"),
    ("RTL mark", "\u200falice"),
    ("emoji", "alice😀"),
    ("lone surrogate", "ali\udc00ce"),
    ("SQL", "alice'; DROP TABLE accounts;--"),
    ("SQL or", "' OR 1=1 --"),
    ("path", "../../etc/passwd"),
    ("newline", "alice\n"),
    ("int", 42),
    ("None", None),
    ("bytes", b"alice"),
    ("list", ["alice"]),
    ("bool", False),
    # Misskey's rule is /^\w{1,20}$/ over ASCII; these break it, some by looking like a name that
    # exists: the Kelvin sign lower-cases to 'k', so U+212A 'ate' must not reach kate.
    ("Kelvin sign", "\u212aate"),
    ("Kelvin sign alone", "\u212a"),
    ("Angstrom sign", "\u212bsa"),
    ("dotted capital I", "İ"),
    ("dotted capital I in a name", "İrem"),
    ("dotless i", "ırem"),
    ("sharp s", "ß"),
    ("sharp s in a name", "straße"),
    ("capital sharp s", "ẞ"),
    ("long s", "ſam"),
    ("fi ligature", "ﬁona"),
    ("full-width kate", "ｋａｔｅ"),
    ("full-width digit", "kate１"),
    ("mathematical bold", "𝐤𝐚𝐭𝐞"),
    ("Greek kappa", "κate"),
    ("superscript digit", "kate¹"),
    ("Arabic-Indic digit", "kate٣"),
    ("combining acute", "kate\u0301"),
    ("zero-width joiner", "ka\u200dte"),
    ("soft hyphen", "ka\xadte"),
    ("BOM", "\ufeffkate"),
    ("space after", "kate "),
    ("tab after", "kate\t"),
    ("U+001C after", "kate\x1c"),
    ("NEL after", "kate\x85"),
    ("NUL after", "kate\x00"),
    ("NUL only", "\x00"),
    ("lone surrogate only", "\udc00"),
    ("reversed surrogate pair", "kate\udc00\ud800"),
    ("22 characters", "k" * 22),
    ("21 underscores", "_" * 21),
    ("20 characters and a newline", "k" * 20 + "\n"),
    ("1000 accented letters", "é" * 1000),
    ("float", 1.0),
    ("bytearray", bytearray(b"kate")),
    ("tuple", ("kate",)),
    ("dict", {"username": "kate"}),
    ("object", object()),
]

PASSWORDS: list[tuple[str, Any]] = [
    ("empty", ""),
    ("10 kB", "p" * 10_000),
    ("1025 characters", "p" * 1025),
    ("lone surrogate", "pass\ud800word"),
    ("int", 1234),
    ("bytes", b"password"),
    ("list", ["password"]),
    ("bool", True),
    ("float", 1.5),
    ("None", None),  # "no password yet" at sign-in only: refused everywhere else
    ("zero", 0),
    ("NaN", float("nan")),
    ("bytearray", bytearray(b"password")),
    ("tuple", ("password",)),
    ("dict", {"password": "password"}),
    ("object", object()),
    ("lone low surrogate", "\udc80"),
    ("surrogate after the right one", "correct horse battery staple\udfff"),
    ("two high surrogates", "\ud83d\ud83d"),
    ("2000 characters", "p" * 2000),
    ("1025 emoji", "🔑" * 1025),
    ("1025 NULs", "\x00" * 1025),
    ("1 MB", "p" * 1_000_000),
]
# Strings that are fine as a new password but wrong for an existing account.
WRONG_PASSWORDS: list[tuple[str, Any]] = [
    ("almost", "correct horse battery stapl"),
    ("upper case", "CORRECT HORSE BATTERY STAPLE"),
    ("NUL", "correct horse\x00battery staple"),
    ("RTL mark", "\u200fcorrect horse battery staple"),
    ("SQL", "' OR '1'='1"),
    ("emoji", "🐴🔋📎"),
    ("space", " "),
    ("right one and a space", "correct horse battery staple "),
    ("right one and a BOM", "correct horse battery staple\ufeff"),
    ("right one and a NUL", "correct horse battery staple\x00"),
    ("right one with no-break spaces", "correct\xa0horse\xa0battery\xa0staple"),
    ("right one full-width", "ｃｏｒｒｅｃｔ ｈｏｒｓｅ ｂａｔｔｅｒｙ ｓｔａｐｌｅ"),
]

_OK = f"secret={SECRET}&issuer=misskey.example"
URIS: list[tuple[str, Any]] = [
    ("no secret", "otpauth://totp/misskey.example:alice?issuer=misskey.example"),
    ("empty secret", "otpauth://totp/alice?secret="),
    ("bad base32 0", "otpauth://totp/alice?secret=0OIL0OIL"),
    ("bad base32 1", "otpauth://totp/alice?secret=ABCDEFG1"),
    ("base32 bad length", "otpauth://totp/alice?secret=ABC"),
    ("base32 punctuation", "otpauth://totp/alice?secret=JBSW-Y3DP"),
    ("secret NUL", "otpauth://totp/alice?secret=JBSW%00Y3DP"),
    ("algorithm MD5", f"otpauth://totp/alice?{_OK}&algorithm=MD5"),
    ("algorithm SHA3", f"otpauth://totp/alice?{_OK}&algorithm=SHA3-256"),
    ("algorithm empty", f"otpauth://totp/alice?{_OK}&algorithm="),
    ("digits 5", f"otpauth://totp/alice?{_OK}&digits=5"),
    ("digits 11", f"otpauth://totp/alice?{_OK}&digits=11"),
    ("digits 0", f"otpauth://totp/alice?{_OK}&digits=0"),
    ("digits text", f"otpauth://totp/alice?{_OK}&digits=six"),
    ("digits full-width", f"otpauth://totp/alice?{_OK}&digits=%EF%BC%96"),
    ("digits float", f"otpauth://totp/alice?{_OK}&digits=6.0"),
    ("period 0", f"otpauth://totp/alice?{_OK}&period=0"),
    ("period negative", f"otpauth://totp/alice?{_OK}&period=-30"),
    ("period 121", f"otpauth://totp/alice?{_OK}&period=121"),
    ("period huge", f"otpauth://totp/alice?{_OK}&period=99999999999999999999"),
    ("period float", f"otpauth://totp/alice?{_OK}&period=30.5"),
    ("scheme http", f"http://totp/alice?{_OK}"),
    ("scheme otpauth-migration", "otpauth-migration://offline?data=CjEKCkhlbGxvId"),
    ("scheme missing", f"totp/alice?{_OK}"),
    ("scheme javascript", "javascript:alert(1)"),
    ("type steam", f"otpauth://steam/alice?{_OK}"),
    ("type empty", f"otpauth:///alice?{_OK}"),
    ("hotp without counter", f"otpauth://hotp/alice?{_OK}"),
    ("hotp negative counter", f"otpauth://hotp/alice?{_OK}&counter=-1"),
    ("hotp text counter", f"otpauth://hotp/alice?{_OK}&counter=one"),
    ("3 kB long", f"otpauth://totp/{'a' * 3000}?{_OK}"),
    ("3 kB secret", "otpauth://totp/alice?secret=" + "A" * 3000),
    ("duplicate secret", f"otpauth://totp/alice?{_OK}&secret={SECRET}"),
    ("duplicate digits", f"otpauth://totp/alice?{_OK}&digits=6&digits=8"),
    ("duplicate case", f"otpauth://totp/alice?{_OK}&SECRET={SECRET}"),
    ("no label", f"otpauth://totp/?{_OK}"),
    ("no slash", f"otpauth://totp?{_OK}"),
    ("issuer only label", f"otpauth://totp/misskey.example:?{_OK}"),
    ("empty issuer prefix", f"otpauth://totp/:alice?{_OK}"),
    ("issuer mismatch", f"otpauth://totp/evil.example:alice?{_OK}"),
    ("bad percent UTF-8", f"otpauth://totp/%FF%FE?{_OK}"),
    ("param without =", f"otpauth://totp/alice?{_OK}&digits"),
    ("empty", ""),
    ("spaces", "   "),
    ("NUL", "\x00"),
    ("lone surrogate", f"otpauth://totp/al\ud800ice?{_OK}"),
    ("None", None),
    ("bytes", f"otpauth://totp/alice?{_OK}".encode()),
    ("int", 42),
    ("list", [f"otpauth://totp/alice?{_OK}"]),
    ("period full-width", f"otpauth://totp/alice?{_OK}&period=%EF%BC%93%EF%BC%90"),
    ("period with spaces", f"otpauth://totp/alice?{_OK}&period=%20%2030"),
    ("digits with a plus", f"otpauth://totp/alice?{_OK}&digits=+6"),
    ("digits Arabic-Indic", f"otpauth://totp/alice?{_OK}&digits=%D9%A6"),
    ("digits with NUL", f"otpauth://totp/alice?{_OK}&digits=6%00"),
    ("secret with a space", "otpauth://totp/alice?secret=JBSWY3DP%20EHPK3PXP"),
    ("fragment", f"otpauth://totp/alice?{_OK}#fragment"),
]

# Client addresses: Misskey's limiter counts by the address text, so text that is not the
# canonical form of one address is refused, never stripped or guessed at.
IPS: list[tuple[str, Any]] = [
    ("space before", " 203.0.113.9"),
    ("leading zeros", "203.000.113.009"),
    ("space after", "203.0.113.9 "),
    ("mapped junk", "::ffff:zz"),
    ("three parts", "1.2.3"),
    ("empty", ""),
    ("host name", "localhost"),
    ("IPv6 zone", "2001:db8::1%eth0"),
    ("IPv6 in brackets", "[2001:db8::1]"),
    ("link-local zone number", "fe80::1%1"),
    ("mapped with a zone", "::ffff:203.0.113.9%eth0"),
    ("newline after", "203.0.113.9\n"),
    ("tab before", "\t203.0.113.9"),
    ("NUL after", "203.0.113.9\x00"),
    ("zero-width space", "203\u200b.0.113.9"),
    ("octet 256", "203.0.113.256"),
    ("negative octet", "203.0.113.-1"),
    ("five parts", "203.0.113.9.1"),
    ("one leading zero", "203.0.113.09"),
    ("hex octet", "0x7f.0.0.1"),
    ("short form", "127.1"),
    ("one number", "2130706433"),
    ("with a prefix", "203.0.113.9/32"),
    ("with a port", "203.0.113.9:443"),
    ("bracketed with a port", "[2001:db8::1]:443"),
    ("IPv6 with a prefix", "2001:db8::1/64"),
    ("triple colon", "2001:db8:::1"),
    ("two double colons", "2001:db8::1::2"),
    ("not hex", "2001:db8::g"),
    ("five hex digits", "2001:db8::00001"),
    ("mapped octet 256", "::ffff:203.0.113.256"),
    ("mapped three parts", "::ffff:203.0.113"),
    ("full-width digits", "２０３.０.１１３.９"),
    ("Arabic-Indic digits", "٢٠٣.٠.١١٣.٩"),
    ("lone surrogate", "\ud800"),
    ("URL", "http://203.0.113.9/"),
    ("the word None", "None"),
    ("110 characters", "203.0.113.9" * 10),
    ("None", None),
    ("int", 3405803785),
    ("bytes", b"203.0.113.9"),
    ("an IPv4Address, not text", ipaddress.ip_address("203.0.113.9")),
    ("list", ["203.0.113.9"]),
    ("tuple with a port", ("203.0.113.9", 443)),
]

# Server(host=...): an ASCII host name with an optional port, as Misskey's config URL gives it.
HOSTS: list[tuple[str, Any]] = [
    ("lone surrogate", "miss\ud800key.example"),
    ("non-ASCII", "misskéy.example"),
    ("Cyrillic", "мисски.example"),
    ("full-width", "ｍｉｓｓｋｅｙ.example"),
    ("ideographic full stop", "misskey。example"),
    ("space before", " misskey.example"),
    ("space after", "misskey.example "),
    ("space inside", "miss key.example"),
    ("tab after", "misskey.example\t"),
    ("newline after", "misskey.example\n"),
    ("NUL after", "misskey.example\x00"),
    ("slash after", "misskey.example/"),
    ("a path", "misskey.example/notes"),
    ("a/b", "a/b"),
    ("user at host", "alice@misskey.example"),
    ("at sign only", "@"),
    ("empty", ""),
    ("port only", ":99999"),
    ("port 99999", "misskey.example:99999"),
    ("port 65536", "misskey.example:65536"),
    ("port 0", "misskey.example:0"),
    ("empty port", "misskey.example:"),
    ("two ports", "misskey.example:80:80"),
    ("port with a plus", "misskey.example:+80"),
    ("Arabic-Indic port", "misskey.example:٨٠"),
    ("colon only", ":"),
    ("300 characters", "a" * 300),
    ("300 characters in labels", ".".join(["a" * 60] * 5)),
    ("with a scheme", "https://misskey.example"),
    ("with a query", "misskey.example?x=1"),
    ("with a fragment", "misskey.example#x"),
    ("leading dot", ".misskey.example"),
    ("double dot", "misskey..example"),
    ("leading dash", "-misskey.example"),
    ("label ending in a dash", "misskey-.example"),
    ("underscore", "miss_key.example"),
    ("percent-encoded dot", "misskey%2Eexample"),
    ("backslash", "misskey.example\\evil"),
    ("None", None),
    ("int", 443),
    ("bytes", b"misskey.example"),
    ("list", ["misskey.example"]),
]


def _bad_parts() -> dict[str, Any]:
    from otpkit.backup import BackupScheme
    from otpkit.policy import Backoff, RateLimit, UsedStepGuard

    return {
        "BackupScheme": BackupScheme,
        "Backoff": Backoff,
        "RateLimit": RateLimit,
        "UsedStepGuard": UsedStepGuard,
    }


def _part(kind: str, **fields: Any) -> Callable[[], Any]:
    return lambda: _bad_parts()[kind](**fields)


def _value(value: Any) -> Callable[[], Any]:
    return lambda: value


# dataclasses.replace(policy, field=make()) must raise InvalidInput: a policy is data, and bad
# data is refused when it is made, not when a server first trips over it.
POLICY_FIELDS: list[tuple[str, str, Callable[[], Any]]] = [
    ("window True", "window", _value(True)),
    ("window -1", "window", _value(-1)),
    ("window 101", "window", _value(101)),
    ("window 1.5", "window", _value(1.5)),
    ("window text", "window", _value("1")),
    ("window None", "window", _value(None)),
    ("confirm_window -1", "confirm_window", _value(-1)),
    ("confirm_window True", "confirm_window", _value(True)),
    ("params None", "params", _value(None)),
    ("params text", "params", _value("SHA1")),
    ("params dict", "params", _value({"digits": 6})),
    ("bcrypt_rounds text", "bcrypt_rounds", _value("8")),
    ("bcrypt_rounds 3", "bcrypt_rounds", _value(3)),
    ("bcrypt_rounds 32", "bcrypt_rounds", _value(32)),
    ("bcrypt_rounds float", "bcrypt_rounds", _value(8.0)),
    ("bcrypt_rounds None", "bcrypt_rounds", _value(None)),
    ("secret_nbytes 0", "secret_nbytes", _value(0)),
    ("secret_nbytes 129", "secret_nbytes", _value(129)),
    ("secret_nbytes True", "secret_nbytes", _value(True)),
    ("name with a space", "name", _value("Bad Name")),
    ("name empty", "name", _value("")),
    ("name None", "name", _value(None)),
    ("name upper case", "name", _value("Misskey")),
    ("name with a bang", "name", _value("misskey!")),
    ("name 41 characters", "name", _value("a" * 41)),
    ("name leading dash", "name", _value("-misskey")),
    ("name lone surrogate", "name", _value("miss\ud800key")),
    ("sign_in_whitespace strip", "sign_in_whitespace", _value("strip")),
    ("sign_in_whitespace None", "sign_in_whitespace", _value(None)),
    ("confirm_whitespace upper case", "confirm_whitespace", _value("TRIM")),
    ("dialect mastodon", "dialect", _value("mastodon")),
    ("dialect None", "dialect", _value(None)),
    ("rate_limit max_requests 0", "rate_limit", _part("RateLimit", max_requests=0)),
    ("rate_limit max_requests True", "rate_limit", _part("RateLimit", max_requests=True)),
    ("rate_limit period 0", "rate_limit", _part("RateLimit", period=0)),
    ("rate_limit period NaN", "rate_limit", _part("RateLimit", period=math.nan)),
    ("rate_limit min_interval -1", "rate_limit", _part("RateLimit", min_interval=-1)),
    ("rate_limit ipv6_prefix 129", "rate_limit", _part("RateLimit", ipv6_prefix=129)),
    ("rate_limit text", "rate_limit", _value("10/hour")),
    ("rate_limit dict", "rate_limit", _value({"max_requests": 10})),
    ("backoff base NaN", "backoff", _part("Backoff", base=math.nan)),
    ("backoff base -1", "backoff", _part("Backoff", base=-1.0)),
    ("backoff base infinity", "backoff", _part("Backoff", base=math.inf)),
    ("backoff cap below base", "backoff", _part("Backoff", base=10.0, cap=1.0)),
    ("backoff number", "backoff", _value(1.0)),
    ("used_step_guard ttl 0", "used_step_guard", _part("UsedStepGuard", ttl=0)),
    ("used_step_guard ttl NaN", "used_step_guard", _part("UsedStepGuard", ttl=math.nan)),
    ("used_step_guard True", "used_step_guard", _value(True)),
    ("used_step_guard number", "used_step_guard", _value(90)),
    ("refuse_replay text", "refuse_replay", _value("yes")),
    ("refuse_replay 1", "refuse_replay", _value(1)),
    ("track_drift None", "track_drift", _value(None)),
    ("atomic_backup_use 0", "atomic_backup_use", _value(0)),
    ("token_before_password text", "token_before_password", _value("true")),
    ("keeps_pending_secret None", "keeps_pending_secret", _value(None)),
    ("wrong_code_status 200", "wrong_code_status", _value(200)),
    ("wrong_code_status 600", "wrong_code_status", _value(600)),
    ("wrong_code_status text", "wrong_code_status", _value("403")),
    ("username_rule not a pattern", "username_rule", _value("[")),
    ("username_rule None", "username_rule", _value(None)),
    ("username_rule int", "username_rule", _value(42)),
    ("backup None", "backup", _value(None)),
    ("backup text", "backup", _value("plain")),
    ("backup count -1", "backup", _part("BackupScheme", count=-1)),
    ("backup count True", "backup", _part("BackupScheme", count=True)),
    ("backup nbytes 0", "backup", _part("BackupScheme", nbytes=0)),
    ("backup nbytes 2.5", "backup", _part("BackupScheme", nbytes=2.5)),
    ("backup storage md5", "backup", _part("BackupScheme", storage="md5")),
    ("backup alphabet emoji", "backup", _part("BackupScheme", alphabet="emoji")),
    ("backup bcrypt_rounds 3", "backup", _part("BackupScheme", storage="bcrypt", bcrypt_rounds=3)),
    ("backup bcrypt_rounds text", "backup", _part("BackupScheme", bcrypt_rounds="4")),
]

# What a server's clock may answer to now(): each is refused by every verb, and nothing is stored.
CLOCK_READINGS: list[tuple[str, Any]] = [
    ("NaN", math.nan),
    ("infinity", math.inf),
    ("minus infinity", -math.inf),
    ("-1", -1),
    ("half a second before 1970", -0.5),
    ("1e20", 1e20),
    ("one second after 9999", 253_402_300_800.0),
    ("an int too large for a float", 10**400),
    ("None", None),
    ("text", "1700000000"),
    ("the text nan", "nan"),
    ("bytes", b"1700000000"),
    ("True", True),
    ("complex", complex(1_700_000_000, 0)),
    ("Decimal", Decimal("1700000000")),
    ("list", [1_700_000_000.0]),
    ("object", object()),
]

_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png_header(width: int, height: int) -> bytes:
    header = _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
    return _PNG_MAGIC + header + _chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + _chunk(b"IEND", b"")


def _saved(image: Any, fmt: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


@cache
def images() -> list[tuple[str, Any]]:
    """Images holding no QR code an app can use (built on first use: Pillow is not light)."""
    import random

    from PIL import Image, ImageDraw

    from otpkit import qr_png

    good = qr_png(f"otpauth://totp/alice?{_OK}")
    noise = Image.frombytes("L", (120, 120), random.Random(1).randbytes(120 * 120))
    drawn = Image.new("RGB", (200, 200), "white")
    ImageDraw.Draw(drawn).rectangle((40, 40, 160, 160), fill="black")
    return [
        ("empty bytes", b""),
        ("not an image", b"this is not an image at all"),
        ("NUL bytes", b"\x00" * 1024),
        ("PNG magic only", _PNG_MAGIC),
        ("truncated PNG (half)", good[: len(good) // 2]),
        ("truncated PNG (header)", good[:40]),
        ("corrupted PNG data", good[:120] + b"\x00" * 200 + good[320:]),
        ("huge dimensions header", _png_header(100_000, 100_000)),
        ("wide dimensions header", _png_header(1, 30_000_000)),
        ("zero dimensions header", _png_header(0, 0)),
        ("blank white PNG", _saved(Image.new("L", (200, 200), 255))),
        ("blank black PNG", _saved(Image.new("L", (200, 200), 0))),
        ("noise PNG", _saved(noise)),
        ("square, no QR", _saved(drawn)),
        ("blank JPEG", _saved(Image.new("RGB", (64, 64), "white"), "JPEG")),
        ("blank GIF", _saved(Image.new("P", (64, 64)), "GIF")),
        ("truncated JPEG", _saved(Image.new("RGB", (64, 64)), "JPEG")[:100]),
        ("GIF magic only", b"GIF89a"),
        ("SVG text", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
        ("PIL blank", Image.new("RGB", (100, 100), "white")),
        ("PIL 1x1", Image.new("L", (1, 1))),
        ("PIL mode La", Image.new("La", (40, 40))),
        ("PIL mode I;16", Image.new("I;16", (40, 40))),
        ("PIL mode F", Image.new("F", (40, 40))),
        ("PIL mode CMYK", Image.new("CMYK", (40, 40))),
        ("None", None),
        ("text", "otpauth://totp/alice?secret=JBSWY3DP"),
        ("int", 7),
        ("list of bytes", [good]),
    ]


@cache
def images_for_apps() -> list[tuple[str, Any]]:
    """Readable QR codes whose text no authenticator app accepts (read_qr itself succeeds)."""
    from PIL import Image

    from otpkit import qr_png

    two = Image.new("RGB", (700, 350), "white")
    for i, text in enumerate(
        ("otpauth://totp/a?secret=JBSWY3DP", "otpauth://totp/b?secret=GEZDGNBV")
    ):
        two.paste(Image.open(io.BytesIO(qr_png(text))), (i * 350, 0))
    return [
        ("QR of a web link", qr_png("https://misskey.example/settings")),
        ("QR of a bad secret", qr_png("otpauth://totp/alice?secret=0189")),
        ("QR of hotp without counter", qr_png(f"otpauth://hotp/alice?{_OK}")),
        ("QR of digits 11", qr_png(f"otpauth://totp/alice?{_OK}&digits=11")),
        ("QR of plain text", qr_png("123456")),
        ("two different QR codes", _saved(two)),
    ]


SECRETS: list[tuple[str, Any]] = [
    ("empty", ""),
    ("not base32", "0189"),
    ("bad length", "ABC"),
    ("lower-case junk", "hello world"),
    ("NUL", "JBSW\x00Y3DP"),
    ("None", None),
    ("bytes", b"JBSWY3DP"),
    ("int", 12345),
]
TIMES: list[tuple[str, Any]] = [
    ("negative", -1),
    ("NaN", float("nan")),
    ("infinity", float("inf")),
    ("beyond the 8-byte counter", 1e300),
    ("text", "1700000000"),
    ("None", None),
    ("bool", True),
]
PARAMS: list[tuple[str, Any]] = [
    ("text", "SHA1"),
    ("None", None),
    ("dict", {"algorithm": "SHA1"}),
    ("tuple", ("SHA1", 6, 30)),
]
PARAM_FIELDS: list[tuple[str, dict[str, Any]]] = [
    ("algorithm lower case", {"algorithm": "sha1"}),
    ("algorithm MD5", {"algorithm": "MD5"}),
    ("algorithm list", {"algorithm": ["SHA1"]}),
    ("algorithm None", {"algorithm": None}),
    ("digits 5", {"digits": 5}),
    ("digits 11", {"digits": 11}),
    ("digits text", {"digits": "6"}),
    ("digits float", {"digits": 6.0}),
    ("digits bool", {"digits": True}),
    ("period 0", {"period": 0}),
    ("period negative", {"period": -30}),
    ("period 121", {"period": 121}),
    ("period float", {"period": 30.5}),
    ("period None", {"period": None}),
]


def categories() -> dict[str, list[tuple[Any, ...]]]:
    """Every category of the corpus by name; each entry starts with its label."""
    return {
        "tokens": TOKENS,
        "empty tokens": EMPTY_TOKENS,
        "code forms": CODE_FORMS,
        "usernames": USERNAMES,
        "passwords": PASSWORDS,
        "wrong passwords": WRONG_PASSWORDS,
        "uris": URIS,
        "images": images(),
        "images for apps": images_for_apps(),
        "secrets": SECRETS,
        "times": TIMES,
        "params": PARAMS,
        "param fields": PARAM_FIELDS,
        "ips": IPS,
        "hosts": HOSTS,
        "policy fields": POLICY_FIELDS,
        "clock readings": CLOCK_READINGS,
    }


def inputs() -> set[tuple[str, str]]:
    """Every distinct hostile input, as (category, label)."""
    return {(name, entry[0]) for name, entries in categories().items() for entry in entries}


def count() -> int:
    """How many distinct hostile inputs the corpus holds."""
    return len(inputs())
