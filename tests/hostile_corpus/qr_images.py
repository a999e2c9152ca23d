"""Hostile images: ones holding no usable QR code, and readable QR codes no app accepts.

Both lists are built on first use (Pillow is not light).
"""

from __future__ import annotations

import io
import struct
import zlib
from functools import cache
from typing import Any

from .otpauth import OK_QUERY

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

    good = qr_png(f"otpauth://totp/alice?{OK_QUERY}")
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
        ("QR of hotp without counter", qr_png(f"otpauth://hotp/alice?{OK_QUERY}")),
        ("QR of digits 11", qr_png(f"otpauth://totp/alice?{OK_QUERY}&digits=11")),
        ("QR of plain text", qr_png("123456")),
        ("two different QR codes", _saved(two)),
    ]
