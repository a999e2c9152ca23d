"""Hostile codes: tokens typed where a code or backup code goes, the right code of the moment
in a hostile form (``CODE_FORMS``), and the empty tokens that mean "no token yet"."""

from __future__ import annotations

from collections.abc import Callable
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
