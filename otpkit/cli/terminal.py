"""Writing to a terminal that may not cope: a stream's encoding, a closed pipe, a closed stderr."""

from __future__ import annotations

import os
import sys
from typing import TextIO

# QR half blocks (see otpkit.qr.qr_terminal): the (top, bottom) modules each one draws.
_HALF_BLOCKS = {
    " ": (False, False),
    "\u2580": (True, False),
    "\u2584": (False, True),
    "\u2588": (True, True),
}


# --------------------------------------------------------------------------------------


def fit(text: str, stream: TextIO, errors: str = "replace") -> str:
    """``text`` with what ``stream``'s encoding cannot write replaced (by "?" by default)."""
    encoding = getattr(stream, "encoding", None)
    if not encoding:
        return text
    try:
        text.encode(encoding)
        return text
    except (UnicodeEncodeError, LookupError):
        pass
    try:
        return text.encode(encoding, errors).decode(encoding)
    except LookupError:
        return text.encode("ascii", errors).decode("ascii")


def can_write(text: str, stream: TextIO) -> bool:
    """Whether ``stream`` can write ``text`` as it is."""
    return fit(text, stream) == text


def ascii_qr(blocks: str) -> str:
    """A half-block QR drawing redrawn in ASCII: "##" a module, two lines a row of cells."""
    lines = []
    for row in blocks.splitlines():
        cells = [_HALF_BLOCKS[char] for char in row]
        for half in (0, 1):
            lines.append("".join("##" if cell[half] else "  " for cell in cells).rstrip())
    return "\n".join(lines)


def complain(message: str) -> None:
    """One line on stderr: ``otpkit: message``."""
    line = "otpkit: " + " ".join(str(message).split())
    if sys.stderr is None:  # closed before the start: nothing left to tell
        return
    try:
        print(fit(line, sys.stderr, "backslashreplace"), file=sys.stderr, flush=True)
    except (OSError, ValueError):  # stderr closed: nothing left to tell
        pass


def quiet_stdout() -> None:
    """After a broken pipe, point stdout at devnull so Python's final flush stays silent."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # stdout is not a real file: nothing to flush
        pass
