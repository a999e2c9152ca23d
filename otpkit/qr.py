"""QR codes: draw one with qrcode, print one in a terminal, read one back with zxing-cpp.

The imaging libraries are imported on first use so that ``import otpkit`` stays light.
"""

from __future__ import annotations

import io
from typing import Any

from .errors import InvalidInput, QrDecodeError

MAX_QR_TEXT = 2048
MAX_IMAGE_BYTES = 10_000_000
MAX_IMAGE_PIXELS = 25_000_000


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


def _as_image(image: Any) -> Any:
    from PIL import Image, UnidentifiedImageError

    if isinstance(image, Image.Image):
        picture = image
    elif isinstance(image, (bytes, bytearray, memoryview)):
        data = bytes(image)
        if not data:
            raise QrDecodeError("the image is empty (no bytes)")
        if len(data) > MAX_IMAGE_BYTES:
            raise QrDecodeError(f"the image is {len(data)} bytes; at most {MAX_IMAGE_BYTES}")
        try:
            picture = Image.open(io.BytesIO(data))
            if picture.width * picture.height > MAX_IMAGE_PIXELS:
                raise QrDecodeError("the image is too large to scan")
            picture.load()
        except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
            raise QrDecodeError("these bytes are not an image (PNG, JPEG, ...)") from None
    else:
        raise QrDecodeError(f"expected image bytes or a PIL image, not {type(image).__name__}")
    if picture.width * picture.height > MAX_IMAGE_PIXELS:
        raise QrDecodeError("the image is too large to scan")
    if picture.mode not in ("L", "RGB", "RGBA"):
        try:
            picture = picture.convert("RGB")
        except (ValueError, OSError):
            # Pillow cannot convert every mode directly (e.g. "La"); go through "RGBA" or give up.
            try:
                picture = picture.convert("RGBA")
            except (ValueError, OSError):
                raise QrDecodeError(f"images of mode {picture.mode!r} cannot be scanned") from None
    return picture


def read_qr(image: Any) -> str:
    """The text of the QR code in ``image`` (PNG/JPEG bytes or a PIL image), read by zxing-cpp."""
    import zxingcpp

    picture = _as_image(image)
    try:
        found = zxingcpp.read_barcodes(picture, formats=zxingcpp.BarcodeFormat.QRCode)
    except (ValueError, RuntimeError) as exc:
        raise QrDecodeError(f"the image could not be scanned ({exc})") from None
    texts = [result.text for result in found if result.valid and result.text]
    if not texts:
        raise QrDecodeError("no QR code was found in the image")
    if len(set(texts)) > 1:
        raise QrDecodeError(f"the image holds {len(texts)} different QR codes; show only one")
    return texts[0]
