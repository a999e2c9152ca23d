"""Hostile inputs for every public entry point: each must be refused with an OtpkitError.

Every entry here is malformed for the entry points it is fed to (a well-formed but wrong code is
not hostile: under HARDENED it rightly counts as a failed try). ``(label, value)`` pairs.
"""

from __future__ import annotations

import io
import struct
import zlib
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


def count() -> int:
    """How many distinct hostile inputs the corpus holds."""
    lists = [TOKENS, EMPTY_TOKENS, USERNAMES, PASSWORDS, WRONG_PASSWORDS, URIS, SECRETS, TIMES]
    lists += [PARAMS, PARAM_FIELDS, images(), images_for_apps()]
    return sum(len(items) for items in lists)
