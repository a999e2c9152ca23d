"""QR codes: draw one with qrcode, print one in a terminal, read one back with zxing-cpp.

The imaging libraries are imported on first use so that ``import otpkit`` stays light.
"""

from __future__ import annotations

import importlib
import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

from .errors import InvalidInput, QrDecodeError

MAX_QR_TEXT = 2048
MAX_IMAGE_BYTES = 10_000_000
MAX_IMAGE_PIXELS = 25_000_000
# The raster formats read_qr opens (WEBP when Pillow has libwebp). Nothing else is ever decoded:
# EPS runs Ghostscript, and the rarer plugins are not worth their risk for a QR code.
SAFE_FORMATS = ("PNG", "JPEG", "GIF", "BMP", "WEBP")
# Formats Pillow does not read but people do send, named in the refusal.
_OTHER_KINDS = ((b"%PDF", "PDF"), (b"<svg", "SVG"), (b"<?xml", "SVG"), (b"%!PS", "PostScript"))
_PLUGINS = {
    "PNG": "PngImagePlugin",
    "JPEG": "JpegImagePlugin",
    "GIF": "GifImagePlugin",
    "BMP": "BmpImagePlugin",
    "WEBP": "WebPImagePlugin",
}


def _check_text(text: object) -> str:
    if not isinstance(text, str) or not text:
        raise InvalidInput("a QR code needs non-empty text")
    if len(text) > MAX_QR_TEXT:
        raise InvalidInput(
            f"the text is {len(text)} characters; a QR code here holds {MAX_QR_TEXT}"
        )
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput("the text holds characters that are not valid text") from None
    return text


def _matrix(text: str) -> list[list[bool]]:
    import qrcode

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(text)
    code.make(fit=True)
    return code.get_matrix()


def qr_png(text: str, box_size: int = 6) -> bytes:
    """A PNG image (bytes) of a QR code holding ``text``; the same text gives the same bytes."""
    import qrcode

    _check_text(text)
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box_size, border=4
    )
    code.add_data(text)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").save(buffer)
    return buffer.getvalue()


def qr_terminal(text: str, light_on_dark: bool = True) -> str:
    """The QR code as lines of half-block characters, two modules a character cell.

    By default the light modules (and the quiet zone) print as blocks, so the code scans off a
    dark terminal; ``light_on_dark=False`` prints the dark modules for a light one.
    """
    rows = _matrix(_check_text(text))
    if light_on_dark:
        rows = [[not cell for cell in row] for row in rows]
    if len(rows) % 2:
        rows.append([False] * len(rows[0]))
    glyph = {
        (False, False): " ",
        (True, False): "\u2580",
        (False, True): "\u2584",
        (True, True): "\u2588",
    }
    lines = []
    for top, bottom in zip(rows[0::2], rows[1::2], strict=True):
        lines.append("".join(glyph[(a, b)] for a, b in zip(top, bottom, strict=True)))
    return "\n".join(lines)


def _reason(exc: BaseException) -> str:
    """A one-line account of a library's exception, for the QrDecodeError that replaces it."""
    try:
        lines = str(exc).strip().splitlines()
    except Exception:
        lines = []
    return f"{type(exc).__name__}: {lines[0][:120]}" if lines else type(exc).__name__


@cache
def _safe_formats() -> tuple[str, ...]:
    """The raster formats read_qr opens: of SAFE_FORMATS, those this Pillow can read."""
    from PIL import Image

    found = []
    for name in SAFE_FORMATS:
        try:
            plugin = importlib.import_module(f"PIL.{_PLUGINS[name]}")
        except ImportError:
            continue
        if name in Image.OPEN and getattr(plugin, "SUPPORTED", True):
            found.append(name)
    return tuple(found)


def _sniff(data: bytes, allowed: tuple[str, ...]) -> str | None:
    """The format Pillow would take ``data`` for, by its magic bytes alone (nothing is opened)."""
    from PIL import Image

    Image.init()
    prefix = data[:16]
    for name in (*allowed, *Image.ID):
        accept = Image.OPEN.get(name, (None, None))[1]
        try:
            verdict = accept is not None and accept(prefix)
        except Exception:  # a plugin's check is only a hint for the message
            continue
        if verdict and not isinstance(verdict, str):
            return name
    return next((kind for magic, kind in _OTHER_KINDS if prefix.startswith(magic)), None)


@contextmanager
def _bombs_are_errors() -> Iterator[None]:
    from PIL import Image

    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        yield


def _check_size(picture: Any) -> None:
    width, height = picture.size
    if width <= 0 or height <= 0:
        raise QrDecodeError(f"the image is empty ({width}x{height} pixels)")
    if width * height > MAX_IMAGE_PIXELS:
        raise QrDecodeError(
            f"the image is {width}x{height} pixels; at most {MAX_IMAGE_PIXELS} pixels are scanned"
        )


def _open_bytes(buffer: bytes | bytearray | memoryview) -> Any:
    from PIL import Image, UnidentifiedImageError

    size = buffer.nbytes if isinstance(buffer, memoryview) else len(buffer)
    if not size:
        raise QrDecodeError("the image is empty (no bytes)")
    if size > MAX_IMAGE_BYTES:
        raise QrDecodeError(f"the image is {size} bytes; at most {MAX_IMAGE_BYTES}")
    data = bytes(buffer)
    allowed = _safe_formats()
    names = ", ".join(allowed)
    try:
        # Only the allow-listed decoders ever see the bytes: EPS (Ghostscript), PDF and the
        # rarer formats are never handed untrusted input.
        picture = Image.open(io.BytesIO(data), formats=allowed)
    except UnidentifiedImageError:
        kind = _sniff(data, allowed)
        if kind is None:
            raise QrDecodeError(f"these bytes are not an image; send one of {names}") from None
        if kind in allowed:
            raise QrDecodeError(f"the {kind} image is damaged and cannot be read") from None
        raise QrDecodeError(
            f"{kind} images are not scanned; send the QR code as one of {names}"
        ) from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise QrDecodeError(
            f"the image has too many pixels; at most {MAX_IMAGE_PIXELS} are scanned"
        ) from None
    except Exception as exc:  # Pillow raises many kinds (SyntaxError, struct.error, ...)
        raise QrDecodeError(f"the image cannot be read ({_reason(exc)})") from None
    _check_size(picture)
    try:
        picture.load()
    except Exception as exc:
        raise QrDecodeError(
            f"the {picture.format} image is damaged and cannot be read ({_reason(exc)})"
        ) from None
    return picture


def _check_pil_image(picture: Any) -> Any:
    # A lazily opened file whose pixels are not read yet would be decoded by its own plugin
    # (Ghostscript for EPS): only the allow-listed ones may be.
    allowed = _safe_formats()
    if getattr(picture, "tile", None) and picture.format not in allowed:
        kind = picture.format or type(picture).__name__
        raise QrDecodeError(
            f"{kind} images are not scanned; send the QR code as one of {', '.join(allowed)}"
        )
    _check_size(picture)
    try:
        picture.load()
    except Exception as exc:
        raise QrDecodeError(f"the image cannot be read ({_reason(exc)})") from None
    return picture


def _as_image(image: Any) -> Any:
    """A loaded grey (mode L) PIL image to scan; anything unusable raises QrDecodeError."""
    from PIL import Image

    with _bombs_are_errors():
        if isinstance(image, Image.Image):
            picture = _check_pil_image(image)
        elif isinstance(image, (bytes, bytearray, memoryview)):
            picture = _open_bytes(image)
        else:
            raise QrDecodeError(f"expected image bytes or a PIL image, not {type(image).__name__}")
        if picture.mode == "L":
            return picture
        # zxing reads luminance only; grey is also the quickest for it to scan. Pillow cannot
        # convert every mode to L directly (e.g. "La"): go through RGBA, or give up.
        for route in (("L",), ("RGBA", "L")):
            try:
                converted = picture
                for mode in route:
                    converted = converted.convert(mode)
                return converted
            except Exception:
                continue
    raise QrDecodeError(f"images of mode {picture.mode!r} cannot be scanned")


def read_qr(image: Any) -> str:
    """The text of the QR code in ``image`` (image bytes or a PIL image), read by zxing-cpp.

    Bytes are opened only as one of SAFE_FORMATS; every failure raises QrDecodeError.
    """
    import zxingcpp

    picture = _as_image(image)
    try:
        found = zxingcpp.read_barcodes(picture, formats=zxingcpp.BarcodeFormat.QRCode)
        texts = [result.text for result in found if result.valid and result.text]
    except Exception as exc:
        raise QrDecodeError(f"the image could not be scanned ({_reason(exc)})") from None
    if not texts:
        raise QrDecodeError("no QR code was found in the image")
    if len(set(texts)) > 1:
        raise QrDecodeError(f"the image holds {len(texts)} different QR codes; show only one")
    return texts[0]
