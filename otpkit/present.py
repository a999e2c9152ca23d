"""Presenter mode: serve the enrollment walkthrough as a Voila app on this machine only.

Voila runs the presenter notebook and shows its widgets without the code. The server listens on
127.0.0.1 only; open the printed address in the browser on the projector.
"""

from __future__ import annotations

import errno
import importlib.util
import os
import socket
import subprocess
import sys
from pathlib import Path

from .errors import InvalidInput

NOTEBOOK = "07-presenter-mode.ipynb"
HOST = "127.0.0.1"


def notebook_path() -> Path:
    """The presenter notebook in the repository's ``notebooks/`` folder."""
    path = Path(__file__).resolve().parent.parent / "notebooks" / NOTEBOOK
    if not path.is_file():
        raise InvalidInput(
            f"{path} is missing: presenter mode runs from a checkout of the otpkit repository "
            "(pip install -e .)"
        )
    return path


def voila_command(port: int, dark: bool = False, notebook: Path | None = None) -> list[str]:
    """The command line that serves ``notebook`` (the presenter notebook by default) with Voila."""
    if not isinstance(port, int) or isinstance(port, bool) or not 1 <= port <= 65535:
        raise InvalidInput(f"port must be a whole number from 1 to 65535, not {port!r}")
    path = notebook_path() if notebook is None else notebook
    return [
        sys.executable,
        "-m",
        "voila",
        str(path),
        "--no-browser",
        f"--port={port}",
        f"--Voila.ip={HOST}",
        "--Voila.port_retries=0",
        f"--theme={'dark' if dark else 'light'}",
    ]


def url(port: int) -> str:
    """Where the app answers."""
    return f"http://{HOST}:{port}/"


def check_port_free(port: int) -> None:
    """Raise InvalidInput unless ``port`` can be listened on at 127.0.0.1 now.

    Voila binds the port a moment later, with the same options (SO_REUSEADDR, as Tornado does).
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        if os.name != "nt":
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise InvalidInput(f"port {port} is in use: choose another with --port") from None
            raise InvalidInput(
                f"cannot listen on {HOST}:{port} ({exc.strerror or exc}): "
                "choose another port with --port"
            ) from None


def check_voila_installed() -> None:
    """Raise InvalidInput unless Voila can be imported."""
    if importlib.util.find_spec("voila") is None:
        raise InvalidInput("presenter mode needs Voila: pip install -e '.[lab]'")


def serve(port: int = 8866, dark: bool = False) -> int:
    """Run Voila in the foreground until Ctrl-C; returns its exit status.

    Everything that can be checked first is: the port, the notebook, Voila itself, and whether
    the port is free; only then is the address printed.
    """
    command = voila_command(port, dark)
    check_voila_installed()
    check_port_free(port)
    print(f"otpkit presenter mode: open {url(port)} (Ctrl-C stops it)", flush=True)
    print("keys: Right / Page Down = Next, Left / Page Up = Back; Tab + Enter reach every button")
    process = subprocess.Popen(command)
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        return 0
