"""Local server processes for the browser tests: start on a free loopback port, wait, stop."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

HOST = "127.0.0.1"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def answers(port: int) -> bool:
    """Whether something accepts connections on 127.0.0.1:port."""
    try:
        with socket.create_connection((HOST, port), timeout=0.5):
            return True
    except OSError:
        return False


class LocalServer:
    """A server process in its own process group, with its output in a log file."""

    def __init__(
        self,
        command: Sequence[str],
        port: int,
        log: Path,
        cwd: Path | None = None,
        env: dict[str, str] | None = None,
    ):
        self.command = list(command)
        self.port = port
        self.log = log
        self.cwd = cwd
        self.env = env
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/"

    def start(self, timeout: float = 60.0) -> LocalServer:
        """Start the process and wait until its port answers; fail with its log otherwise."""
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen(
                self.command,
                cwd=self.cwd,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while not answers(self.port):
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.command[:4]} exited early:\n{self.tail()}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"nothing answered on port {self.port}:\n{self.tail()}")
            time.sleep(0.1)
        return self

    def stop(self) -> None:
        """Ask the process group to end, then kill it if it does not within 15 s."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def tail(self, lines: int = 40) -> str:
        """The end of the server's log, for failure messages."""
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def jupyterlab(root: Path, home: Path, log: Path) -> LocalServer:
    """JupyterLab over ``root`` on a free loopback port, no token, with its settings, workspaces
    and runtime files under ``home`` (so a developer's own set-up changes nothing, and the news
    question is answered "never"). Start it with ``with jupyterlab(...) as server``."""
    settings = home / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True, exist_ok=True)
    (settings / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false"}))
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
    }
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--allow-root",
        f"--ServerApp.ip={HOST}",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={root}",
        "--IdentityProvider.token=",
        "--ServerApp.password=",
    ]
    return LocalServer(command, port, log, cwd=root, env=env)


def presenter(log: Path, cwd: Path, dark: bool = False) -> LocalServer:
    """``otpkit present`` (Voila serving notebook 07) on a free loopback port."""
    port = free_port()
    command = [sys.executable, "-m", "otpkit.cli", "present", "--port", str(port)]
    return LocalServer([*command, "--dark"] if dark else command, port, log, cwd=cwd)
