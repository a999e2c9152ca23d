"""Damaged and foreign images: read_qr and Phone.scan raise QrDecodeError and nothing else, fast.

Seeds are made here with Pillow: a real QR code in each raster format, and small images in the
other formats Pillow knows. Hypothesis then truncates, flips, splices and rewrites them.
"""

from __future__ import annotations

import io
import struct
import subprocess
import time
import warnings
import zlib
from functools import cache

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from PIL import EpsImagePlugin, Image

import otpkit
from otpkit.errors import QrDecodeError
from otpkit.qr import SAFE_FORMATS

URI = "otpauth://totp/misskey.example:alice?secret=JBSWY3DPEHPK3PXP&issuer=misskey.example"
LIMIT = 1.0  # seconds: an upper bound on a pathological hang, not a speed benchmark
FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
EPS_HEADER = (
    b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 64 64\n%%EndComments\n"
    b"/Times-Roman findfont 12 scalefont setfont 10 10 moveto (hello) show showpage\n%%EOF\n"
)
# A DOS EPS binary header: magic, offset and length of the PostScript section.
DOS_EPS = b"\xc5\xd0\xd3\xc6" + struct.pack("<II", 30, len(EPS_HEADER)) + b"\0" * 18 + EPS_HEADER


def saved(image: Image.Image, fmt: str) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


@cache
def raster_seeds() -> dict[str, bytes]:
    """A readable QR code in each raster format (kept small so each scan is quick)."""
    qr = Image.open(io.BytesIO(otpkit.qr_png(URI, box_size=2))).convert("L")
    seeds = {fmt: saved(qr, fmt) for fmt in ("PNG", "JPEG", "GIF", "BMP", "TIFF")}
    try:
        seeds["WEBP"] = saved(qr, "WEBP")
    except (KeyError, OSError):  # Pillow built without libwebp
        pass
    return seeds


@cache
def foreign_seeds() -> dict[str, bytes]:
    """Images in formats read_qr must refuse: what Pillow can write, plus hand-made headers."""
    grey = Image.new("L", (16, 16), 255)
    seeds = {
        "EPS": saved(grey, "EPS"),
        "EPS header": EPS_HEADER,
        "DOS EPS": DOS_EPS,
        "PDF": saved(grey, "PDF"),
        "ICO": saved(grey, "ICO"),
        "TIFF": saved(grey, "TIFF"),
        "PPM": saved(grey, "PPM"),
        "XBM": saved(grey.convert("1"), "XBM"),
        "SGI": saved(grey, "SGI"),
        "PCX": saved(grey, "PCX"),
        "TGA": saved(grey, "TGA"),
        "MSP": saved(grey.convert("1"), "MSP"),
        "DIB": saved(grey, "DIB"),
        "QOI": saved(grey.convert("RGB"), "QOI"),
        "SPIDER": saved(grey.convert("F"), "SPIDER"),
        "DDS": saved(grey.convert("RGB"), "DDS"),
        "PSD header": b"8BPS\x00\x01" + b"\x00" * 6 + b"\x00\x01" + struct.pack(">II", 16, 16),
        "SVG": b"<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'/>",
    }
    try:
        seeds["JPEG2000"] = saved(grey, "JPEG2000")
    except OSError:  # Pillow built without OpenJPEG
        pass
    return seeds


def all_seeds() -> dict[str, bytes]:
    return {**{f"raster {k}": v for k, v in raster_seeds().items()}, **foreign_seeds()}


def fix_png_crcs(data: bytes) -> bytes:
    """Recompute every chunk's CRC, so that damage reaches the decoder behind the checksum."""
    out, at = bytearray(data[:8]), 8
    while at + 12 <= len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        end = at + 8 + length
        if end + 4 > len(data):
            break
        out += data[at:end] + struct.pack(">I", zlib.crc32(data[at + 4 : end]))
        at = end + 4
    return bytes(out + data[at:])


def png_ending_inside_a_chunk_header() -> bytes:
    """Image data damaged near its end, the file cut after the next chunk's length: SyntaxError."""
    good = bytearray(raster_seeds()["PNG"])
    iend = good.index(b"IEND") - 4
    good[iend - 19] ^= 0x55
    return bytes(good[: iend + 4])


def png_with_bad_crc() -> bytes:
    good = raster_seeds()["PNG"]
    return good[:30] + bytes([good[30] ^ 0xFF]) + good[31:]


def png_claiming_4g_pixels() -> bytes:
    good = raster_seeds()["PNG"]
    return fix_png_crcs(good[:16] + struct.pack(">II", 0xFFFF_FFFF, 1) + good[24:])


def dds_with_unknown_pixel_format() -> bytes:
    """Pillow's DDS reader raised NotImplementedError while opening this."""
    dds = foreign_seeds()["DDS"]
    return dds[:80] + b"\0\0\0\0" + dds[84:]


KNOWN_BAD = {
    "PNG ending inside a chunk header": png_ending_inside_a_chunk_header,
    "PNG with a bad CRC": png_with_bad_crc,
    "PNG claiming 4G pixels": png_claiming_4g_pixels,
    "PNG truncated in half": lambda: raster_seeds()["PNG"][: len(raster_seeds()["PNG"]) // 2],
    "DDS with an unknown pixel format": dds_with_unknown_pixel_format,
    "EPS": lambda: foreign_seeds()["EPS"],
}


EXTREMES = [0, 1, 0x7F, 0xFF, 0xFFFF, 0x7FFF_FFFF, 0xFFFF_FFFF, 5000, 30_000]


@st.composite
def damaged(draw: st.DrawFn) -> bytes:
    seeds = all_seeds()
    data = bytearray(seeds[draw(st.sampled_from(sorted(seeds)))])
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        how = draw(st.sampled_from(["truncate", "flip", "splice", "repeat", "number"]))
        if how == "truncate":
            del data[at:]
        elif how == "flip":
            data[at] ^= draw(st.integers(1, 255))
        elif how == "splice":
            other = seeds[draw(st.sampled_from(sorted(seeds)))]
            start = draw(st.integers(0, len(other)))
            piece = other[start : start + draw(st.integers(1, 200))]
            cut = draw(st.integers(0, 64))
            data[at : at + cut] = piece
        elif how == "repeat":
            data[at:at] = data[at : at + draw(st.integers(1, 32))] * draw(st.integers(1, 50))
        else:  # a width, height, length or offset field set to an extreme
            value = draw(st.sampled_from(EXTREMES))
            form = draw(st.sampled_from([">I", "<I", ">H", "<H"]))
            packed = struct.pack(form, value & (0xFFFF if "H" in form else 0xFFFF_FFFF))
            data[at : at + len(packed)] = packed
    if data.startswith(b"\x89PNG") and draw(st.booleans()):
        return fix_png_crcs(bytes(data))
    return bytes(data)


def scan_within_limit(call, value) -> None:
    """``call(value)`` returns or raises QrDecodeError within LIMIT; no bomb warning gets out."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        started = time.monotonic()
        try:
            call(value)
        except QrDecodeError as exc:
            assert exc.message
        elapsed = time.monotonic() - started
    assert elapsed < LIMIT, f"{elapsed:.2f} s"
    assert not [w for w in caught if issubclass(w.category, Image.DecompressionBombWarning)]


def test_undamaged_seeds_behave():
    for fmt, data in raster_seeds().items():
        if fmt in SAFE_FORMATS:
            assert otpkit.read_qr(data) == URI, fmt
        else:
            with pytest.raises(QrDecodeError, match=fmt):
                otpkit.read_qr(data)


@pytest.mark.parametrize("name", sorted(foreign_seeds()))
def test_other_formats_are_refused_naming_the_allowed_ones(name):
    with pytest.raises(QrDecodeError) as caught:
        otpkit.read_qr(foreign_seeds()[name])
    assert "PNG, JPEG, GIF, BMP" in caught.value.message
    kind = name.split()[0].replace("DOS", "EPS")
    if kind not in ("TGA", "SPIDER"):  # no magic bytes: Pillow finds them only by trying
        assert kind in caught.value.message


@FUZZ
@given(damaged())
@example(png_ending_inside_a_chunk_header())
@example(dds_with_unknown_pixel_format())
def test_damaged_bytes_raise_only_qr_decode_error(data):
    scan_within_limit(otpkit.read_qr, data)


@FUZZ
@given(damaged())
@example(foreign_seeds()["TGA"])
@example(png_ending_inside_a_chunk_header())
def test_damaged_images_opened_by_pillow_raise_only_qr_decode_error(data):
    try:  # the caller's own Image.open, any format, pixels not read yet
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            picture = Image.open(io.BytesIO(data))
    except Exception:
        return
    scan_within_limit(otpkit.read_qr, picture)


@settings(max_examples=40, deadline=None)
@given(damaged())
def test_phone_scan_of_damaged_bytes_changes_nothing(data):
    phone = otpkit.Phone(clock=otpkit.FixedClock(1_700_000_000))
    try:
        phone.scan(data)
    except otpkit.OtpkitError:  # QrDecodeError, or MalformedUri/UnsupportedByApp for its text
        assert phone.entries == []


@pytest.fixture
def no_ghostscript(monkeypatch):
    """Fail the test if anything tries to run Ghostscript or any other program."""

    def forbidden(*args, **kwargs):
        pytest.fail(f"a program was started: {args!r}")

    monkeypatch.setattr(EpsImagePlugin, "Ghostscript", forbidden)
    monkeypatch.setattr(EpsImagePlugin, "has_ghostscript", lambda: True)
    for name in ("Popen", "run", "call", "check_call", "check_output"):
        monkeypatch.setattr(subprocess, name, forbidden)


@pytest.mark.parametrize("name", ["EPS", "EPS header", "DOS EPS"])
def test_eps_is_refused_without_ghostscript(no_ghostscript, name):
    data = foreign_seeds()[name]
    with pytest.raises(QrDecodeError, match="EPS images are not scanned.*PNG"):
        otpkit.read_qr(data)
    picture = Image.open(io.BytesIO(data))  # lazily opened: loading it would run Ghostscript
    assert picture.format == "EPS"
    with pytest.raises(QrDecodeError, match="EPS"):
        otpkit.read_qr(picture)
    phone = otpkit.Phone(clock=otpkit.FixedClock(1_700_000_000))
    with pytest.raises(QrDecodeError, match="EPS"):
        phone.scan(data)
    assert phone.entries == []


@pytest.mark.parametrize("name", sorted(KNOWN_BAD))
def test_inputs_that_once_escaped_raise_qr_decode_error(name):
    with pytest.raises(QrDecodeError):
        otpkit.read_qr(KNOWN_BAD[name]())


def test_decompression_bomb_warning_is_an_error():
    header = struct.pack(">IIBBBBB", 10_000, 10_000, 8, 0, 0, 0, 0)  # 1e8 pixels: Pillow warns
    chunks = [(b"IHDR", header), (b"IDAT", zlib.compress(b"\0" * 64)), (b"IEND", b"")]
    data = b"\x89PNG\r\n\x1a\n" + b"".join(
        struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        for kind, body in chunks
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(QrDecodeError, match="pixels"):
            otpkit.read_qr(data)


@pytest.mark.parametrize(
    "picture",
    [
        Image.new("L", (0, 0)),
        Image.new("RGB", (0, 10)),
        Image.new("L", (6000, 6000)),
        Image.new("LAB", (10, 10)),
        Image.new("La", (10, 10)),
        Image.new("I;16", (10, 10)),
    ],
    ids=["0x0", "0x10", "too many pixels", "LAB", "La", "I;16"],
)
def test_pil_images_are_checked_for_size_and_mode(picture):
    with pytest.raises(QrDecodeError):
        otpkit.read_qr(picture)


def test_memoryview_and_bytearray_are_read():
    data = raster_seeds()["PNG"]
    assert otpkit.read_qr(bytearray(data)) == URI
    assert otpkit.read_qr(memoryview(data)) == URI
