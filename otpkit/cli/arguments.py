"""The ``otpkit`` command line: its options, and the types that check each one.

Each argument type turns a string into a value, or says in one line what is wrong with it.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Sequence
from typing import NoReturn

from ..core import demo
from ..core.errors import OtpkitError
from ..enrollment import apps
from ..server.policy import POLICIES, Policy, policy_named
from .terminal import complain

LAST_TIME = 253_402_300_799  # 9999-12-31 23:59:59 UTC
MAX_OFFSET = int(demo.DAY)  # one day, either way
PORTS = (1024, 65535)  # from the first unprivileged port to the last
NUMERIC_OPTIONS = ("--at", "--offset", "--seed", "--port")
EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors are one line: ``otpkit: <message> (see ... --help)``."""

    def error(self, message: str) -> NoReturn:
        complain(f"{message} (see {self.prog} --help)")
        self.exit(EXIT_USAGE)


def _shown(text: str, limit: int = 40) -> str:
    """``text`` quoted for a message, cut short when long."""
    return repr(text) if len(text) <= limit else repr(text[:limit]) + "..."


def _number(text: str, what: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{what} must be a number, not {_shown(text)}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{what} must be a finite number, not {_shown(text)}")
    return value


def unix_time(text: str) -> float:
    """A Unix time in seconds, from 0 (1970-01-01) to the last second of the year 9999."""
    value = _number(text, "the time")
    if not 0 <= value <= LAST_TIME:
        raise argparse.ArgumentTypeError(
            f"the time is Unix seconds from 0 (1970-01-01) to {LAST_TIME} (the end of 9999), "
            f"not {_shown(text)}"
        )
    return value


def clock_offset(text: str) -> float:
    """A phone clock offset in seconds, at most one day either way."""
    value = _number(text, "the offset")
    if not -MAX_OFFSET <= value <= MAX_OFFSET:
        raise argparse.ArgumentTypeError(
            f"the offset is seconds from -{MAX_OFFSET} to {MAX_OFFSET} (one day either way), "
            f"not {_shown(text)}"
        )
    return value


def seed(text: str) -> int:
    """A whole number that seeds a lesson's generator."""
    if len(text) > 100:
        raise argparse.ArgumentTypeError(f"the seed is at most 100 digits, not {_shown(text)}")
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"the seed must be a whole number, not {_shown(text)}"
        ) from None


def port(text: str) -> int:
    """A TCP port a user may listen on: 1024 to 65535."""
    low, high = PORTS
    try:
        value = int(text)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise argparse.ArgumentTypeError(
            f"the port must be a whole number from {low} to {high}, not {_shown(text)}"
        )
    return value


def policy(text: str) -> Policy:
    """The policy preset called ``text``, in any case (``HARDENED``, ``Misskey``...)."""
    try:
        return policy_named(text.strip())
    except OtpkitError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def app(text: str) -> apps.AppProfile:
    """The app called ``text``, in any case, with spaces or hyphens ("Google Authenticator")."""
    name = "-".join(text.replace("_", " ").replace("-", " ").split())
    try:
        return apps.app_named(name)
    except OtpkitError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def printable(value: str) -> str:
    """Printable text: no control characters, nor bytes the terminal's encoding could not decode."""
    if not value.isprintable():  # control characters, and undecodable bytes (surrogates)
        raise argparse.ArgumentTypeError(
            f"{_shown(value)} holds control characters or bytes that are not valid text"
        )
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="otpkit", description="Learn how authenticator-app two-factor sign-in works."
    )
    commands = parser.add_subparsers(dest="command", title="commands")
    walk = commands.add_parser("walkthrough", help="run the nine enrollment stages in the terminal")
    walk.add_argument(
        "--at",
        type=unix_time,
        metavar="SECONDS",
        help=f"Unix time to fix the clock at, 0 to {LAST_TIME} (default: now)",
    )
    walk.add_argument("--seed", type=seed, help="seed for a reproducible secret (lessons only)")
    walk.add_argument(
        "--app",
        type=app,
        default=apps.GOOGLE_AUTHENTICATOR.name,
        metavar="NAME",
        help="the phone's authenticator app, any case: "
        + ", ".join(a.name for a in apps.ALL)
        + " (default: %(default)s)",
    )
    walk.add_argument(
        "--policy",
        type=policy,
        default="misskey",
        metavar="NAME",
        help="the server's policy, any case: " + ", ".join(POLICIES) + " (default: %(default)s)",
    )
    walk.add_argument(
        "--offset",
        type=clock_offset,
        default=0.0,
        metavar="SECONDS",
        help=f"phone clock offset in seconds, -{MAX_OFFSET} to {MAX_OFFSET} (default: 0)",
    )
    walk.add_argument(
        "--user", type=printable, default="alice", help="the username (default: %(default)s)"
    )
    walk.add_argument(
        "--host", type=printable, default="misskey.example", help="the server's host name"
    )
    walk.add_argument(
        "--light", action="store_true", help="draw the QR code for a light terminal background"
    )
    present = commands.add_parser("present", help="serve the walkthrough for a room (Voila)")
    present.add_argument(
        "--port",
        type=port,
        default=8866,
        help=f"port on 127.0.0.1, {PORTS[0]} to {PORTS[1]} (default: %(default)s)",
    )
    present.add_argument("--dark", action="store_true", help="dark theme")
    return parser


def joined_numbers(argv: Sequence[str]) -> list[str]:
    """``--offset -1e3`` as ``--offset=-1e3``: argparse takes ``-1e3`` or ``-inf`` for an option."""
    joined: list[str] = []
    tokens = iter(argv)
    for token in tokens:
        numeric = len(token) > 2 and any(o.startswith(token) for o in NUMERIC_OPTIONS)
        if numeric and "=" not in token:
            value = next(tokens, None)
            if value is None:
                joined.append(token)
            elif value.startswith("-") and not value.startswith("--") and value != "-h":
                joined.append(f"{token}={value}")
            else:
                joined += [token, value]
        else:
            joined.append(token)
    return joined
