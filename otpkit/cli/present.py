"""Presenter mode: serve the enrollment walkthrough as a Voila app on this machine only.

Voila runs the presenter notebook and shows its widgets without the code. The server listens on
127.0.0.1 only; open the printed address in the browser on the projector. The page asks nothing
of the network: Voila renders it with the kit's own template (``otpkit-presenter``, shipped in
``otpkit/widgets/static/jupyter``), which leaves out the stylesheet links that Voila's default
template points at a CDN.
"""

from __future__ import annotations

import errno
import importlib.util
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from ..core.errors import InvalidInput

NOTEBOOK = "07-presenter-mode.ipynb"
HOST = "127.0.0.1"
TEMPLATE = "otpkit-presenter"
# A Jupyter data directory holding voila/templates/otpkit-presenter; Voila finds it on JUPYTER_PATH.
PACKAGE = Path(__file__).resolve().parent.parent  # otpkit/
JUPYTER_DATA = PACKAGE / "widgets" / "static" / "jupyter"


def notebook_path() -> Path:
    """The presenter notebook in the repository's ``notebooks/`` folder."""
    path = Path(__file__).resolve().parents[2] / "notebooks" / NOTEBOOK
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
        f"--template={TEMPLATE}",
    ]


def voila_env(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment Voila runs in: ``base`` (this process's by default) with the kit's
    template directory first on JUPYTER_PATH."""
    env = dict(os.environ if base is None else base)
    paths = [str(JUPYTER_DATA), *filter(None, env.get("JUPYTER_PATH", "").split(os.pathsep))]
    env["JUPYTER_PATH"] = os.pathsep.join(dict.fromkeys(paths))
    return env


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
    """Run Voila in the foreground until Ctrl-C (or SIGTERM); returns its exit status.

    Everything that can be checked first is: the port, the notebook, Voila itself, and whether
    the port is free; only then is the address printed. Stopping this process stops Voila too.
    """
    command = voila_command(port, dark)
    check_voila_installed()
    check_port_free(port)
    print(f"otpkit presenter mode: open {url(port)} (Ctrl-C stops it)", flush=True)
    print(
        "keys: Page Down / Right = Next, Page Up / Left = Back (a clicker's keys); "
        "Tab + Enter reach every button"
    )
    process = subprocess.Popen(command, env=voila_env())
    previous = _stop_on_sigterm()
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
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _stop_on_sigterm():
    """Make SIGTERM stop Voila as Ctrl-C does (not leave it running); the old handler, or None
    where no handler can be set (not the main thread)."""

    def stop(_signum, _frame):
        raise KeyboardInterrupt

    try:
        return signal.signal(signal.SIGTERM, stop)
    except ValueError:
        return None
