"""QR images: drawn by qrcode, read back by zxing-cpp and by Debian's zbarimg."""

from __future__ import annotations

import io
import subprocess

import pytest
from PIL import Image

import otpkit
from otpkit.errors import InvalidInput, QrDecodeError

from .conftest import require_tool

URI = (
    "otpauth://totp/misskey.example%3A3000:alice?issuer=misskey.example%3A3000"
    "&secret=HC2OMUXEJWT7ENYNTYTA4JYTMVIKJI5G&algorithm=SHA1&digits=6&period=30"
)


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def test_round_trip_through_read_qr():
    data = otpkit.qr_png(URI)
    assert data.startswith(b"\x89PNG")
    assert otpkit.read_qr(data) == URI
    assert otpkit.read_qr(Image.open(io.BytesIO(data))) == URI


def test_same_text_same_bytes():
    assert otpkit.qr_png(URI) == otpkit.qr_png(URI)


def test_round_trip_through_zbarimg(tmp_path):
    zbarimg = require_tool("zbarimg")
    path = tmp_path / "code.png"
    path.write_bytes(otpkit.qr_png(URI))
    out = subprocess.run(
        [zbarimg, "--quiet", "--raw", str(path)], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == URI


def test_terminal_rendering_has_two_modules_per_line():
    art = otpkit.qr_terminal(URI)
    lines = art.splitlines()
    assert len({len(line) for line in lines}) == 1
    assert set(art) <= {" ", "\n", "\u2580", "\u2584", "\u2588"}
    dark = otpkit.qr_terminal(URI, light_on_dark=False)
    assert dark != art and len(dark.splitlines()) == len(lines)


@pytest.mark.parametrize(
    "image",
    [
        b"",
        b"not an image at all",
        png(Image.new("RGB", (200, 200), "white")),
        png(Image.new("L", (50, 50), 0)),
        otpkit.qr_png(URI)[:200],
        None,
        12,
    ],
    ids=["empty", "text", "blank-white", "blank-black", "truncated", "none", "int"],
)
def test_images_without_a_code_raise_qr_decode_error(image):
    with pytest.raises(QrDecodeError):
        otpkit.read_qr(image)


@pytest.mark.parametrize("text", ["", None, "x" * 3000])
def test_qr_png_refuses_bad_text(text):
    with pytest.raises(InvalidInput):
        otpkit.qr_png(text)
