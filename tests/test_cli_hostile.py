"""The ``otpkit`` command under hostile conditions, run as a real process.

A closed pipe, an ASCII-only terminal, a port in use and bad arguments: each ends with at most
one line on stderr, never a traceback. Voila is never started here.
"""

from __future__ import annotations

import os
import shlex
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import require_tool

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
WALK = ["walkthrough", "--at", "1700000000", "--seed", "7"]


def otpkit(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m otpkit.cli args`` from the checkout; never longer than 30 s."""
    return subprocess.run(
        [sys.executable, "-m", "otpkit.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=30,
    )


def assert_one_line_usage_error(done: subprocess.CompletedProcess[str]) -> str:
    """Exit status 2 and exactly one line on stderr, ``otpkit: ...``; returns that line."""
    assert "Traceback" not in done.stderr + done.stdout
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("otpkit: "), done.stderr
    assert done.returncode == 2
    return lines[0]


# -- a reader that stops early ---------------------------------------------------------------


def test_piped_into_head_stops_quietly():
    require_tool("head")
    command = " ".join(shlex.quote(a) for a in [sys.executable, "-m", "otpkit.cli", *WALK])
    done = subprocess.run(
        ["bash", "-c", f'{command} | head -n 3; echo "status ${{PIPESTATUS[0]}}" >&2'],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},  # every line written at once: EPIPE early
        timeout=30,
    )
    assert done.stdout.splitlines()[0].startswith("otpkit walkthrough: alice")
    assert len(done.stdout.splitlines()) == 3
    assert done.stderr.splitlines() in (["status 0"], ["status 141"]), done.stderr


@pytest.mark.parametrize(
    "args, statuses",
    [
        (WALK, {141}),
        # argparse swallows the OSError of its own help output: a quiet 0 is fine too
        (["--help"], {0, 141}),
        (["walkthrough", "--help"], {0, 141}),
    ],
)
def test_stdout_closed_before_the_first_line(args, statuses):
    process = subprocess.Popen(
        [sys.executable, "-m", "otpkit.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    process.stdout.close()  # nobody reads: every write fails with EPIPE
    try:
        err = process.stderr.read()
        status = process.wait(timeout=30)
    finally:
        process.stderr.close()
    assert err == ""
    assert status in statuses


# -- a terminal that knows only ASCII ----------------------------------------------------------


def test_an_ascii_terminal_gets_an_ascii_walkthrough():
    env = {**os.environ, "LC_ALL": "C", "PYTHONIOENCODING": "ascii"}
    env.pop("PYTHONUTF8", None)
    done = otpkit(*WALK, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout.isascii()
    assert "Stage 9/9" in done.stdout and "##" in done.stdout


def test_an_ascii_terminal_gets_errors_it_can_show():
    env = {**os.environ, "LC_ALL": "C", "PYTHONIOENCODING": "ascii:strict"}
    line = assert_one_line_usage_error(otpkit("walkthrough", "--app", "\u00e9", env=env))
    assert "\\xe9" in line


# -- presenter mode on a port in use -----------------------------------------------------------


def test_a_port_in_use_is_refused_before_the_address_is_printed():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = otpkit("present", "--port", str(port))
    line = assert_one_line_usage_error(done)
    assert line == f"otpkit: port {port} is in use: choose another with --port"
    assert done.stdout == ""


# -- bad invocations ---------------------------------------------------------------------------

BAD = [
    (["walkthrough", "--at", "1e300"], "9999"),
    (["walkthrough", "--at", "nan"], "finite number"),
    (["walkthrough", "--at", "-5"], "1970"),
    (["walkthrough", "--at", "inf"], "finite number"),
    (["walkthrough", "--at", "tomorrow"], "must be a number"),
    (["walkthrough", "--at"], "expected one argument"),
    (["walkthrough", "--offset", "-1e308"], "-86400 to 86400"),
    (["walkthrough", "--offset=1e308"], "-86400 to 86400"),
    (["walkthrough", "--offset", "-nan"], "finite number"),
    (["walkthrough", "--seed", "seven"], "whole number"),
    (["walkthrough", "--seed", "9" * 5000], "at most 100 digits"),
    (["present", "--port", "0"], "1024 to 65535"),
    (["present", "--port", "70000"], "1024 to 65535"),
    (["present", "--port", "abc"], "1024 to 65535"),
    (["present", "--port", "80"], "1024 to 65535"),
    (["present", "--port", "-1"], "1024 to 65535"),
    (["walkthrough", "--policy", "paranoid"], "no policy called 'paranoid'"),
    (["walkthrough", "--app", "lastpass"], "no app called 'lastpass'"),
    (["walkthrough", "--user", "Bad-User!"], "username"),
    (["walkthrough", "--user", ""], "username"),
    (["walkthrough", "--user", "a" * 21], "username"),
    (["walkthrough", "--user", "a\nb"], "control characters"),
    (["walkthrough", "--host", "a/b"], "host"),
    ([*WALK, "--offset", "-75", "--policy", "rfc6238"], "clock"),
    (["teleport"], "invalid choice: 'teleport'"),
    ([], "choose a command"),
    (["walkthrough", "extra"], "unrecognized arguments: extra"),
    (["walkthrough", "--bogus"], "unrecognized arguments: --bogus"),
]


@pytest.mark.parametrize("args, says", BAD, ids=[" ".join(a)[:40] or "(none)" for a, _ in BAD])
def test_a_bad_invocation_is_one_line_and_status_2(args, says):
    line = assert_one_line_usage_error(otpkit(*args))
    assert says in line


GOOD = [
    ["--policy", "HARDENED"],
    ["--policy", "Misskey"],
    ["--app", "google authenticator"],
    ["--app", "Google Authenticator"],
    ["--app", "GOOGLE-AUTHENTICATOR"],
    ["--offset", "-1e1"],
]


@pytest.mark.parametrize("args", GOOD, ids=[" ".join(a) for a in GOOD])
def test_names_in_any_case_and_negative_exponents_are_accepted(args):
    done = otpkit(*WALK, *args)
    assert done.returncode == 0, done.stderr
    assert done.stderr == "" and "Stage 9/9" in done.stdout
