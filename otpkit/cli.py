"""The ``otpkit`` command: a terminal walkthrough of the nine stages, and presenter mode.

Every bad invocation prints one line to stderr, ``otpkit: <what is wrong>``, and exits with
status 2; output cut short by a closed pipe (``otpkit walkthrough | head``) ends quietly; and a
terminal that cannot show the QR code's block characters gets one drawn in ASCII.
"""

from __future__ import annotations

import argparse
import io
import math
import os
import sys
from collections.abc import Sequence
from typing import NoReturn, TextIO

from .core import demo
from .core.clock import DriftingClock, FixedClock, SystemClock
from .core.errors import OtpkitError
from .core.qr import qr_terminal
from .core.randomness import DemoRandom
from .enrollment import apps
from .enrollment.flow import EnrollmentFlow, Stage
from .enrollment.phone import Phone
from .server import Server
from .server.policy import POLICIES, Policy, policy_named

LAST_TIME = 253_402_300_799  # 9999-12-31 23:59:59 UTC
MAX_OFFSET = int(demo.DAY)  # one day, either way
PORTS = (1024, 65535)  # from the first unprivileged port to the last
NUMERIC_OPTIONS = ("--at", "--offset", "--seed", "--port")
EXIT_USAGE = 2
EXIT_BROKEN_PIPE = 128 + 13  # what a shell reports for a process killed by SIGPIPE
EXIT_INTERRUPTED = 128 + 2  # ... and by SIGINT (Ctrl-C)

# QR half blocks (see otpkit.qr.qr_terminal): the (top, bottom) modules each one draws.
_HALF_BLOCKS = {
    " ": (False, False),
    "\u2580": (True, False),
    "\u2584": (False, True),
    "\u2588": (True, True),
}


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors are one line: ``otpkit: <message> (see ... --help)``."""

    def error(self, message: str) -> NoReturn:
        _complain(f"{message} (see {self.prog} --help)")
        self.exit(EXIT_USAGE)


# -- argument types: each turns a string into a value, or says in one line what is wrong --------


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


def _parser() -> argparse.ArgumentParser:
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


def _joined_numbers(argv: Sequence[str]) -> list[str]:
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


# -- output --------------------------------------------------------------------------------------


def _fit(text: str, stream: TextIO, errors: str = "replace") -> str:
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


def _can_write(text: str, stream: TextIO) -> bool:
    """Whether ``stream`` can write ``text`` as it is."""
    return _fit(text, stream) == text


def _ascii_qr(blocks: str) -> str:
    """A half-block QR drawing redrawn in ASCII: "##" a module, two lines a row of cells."""
    lines = []
    for row in blocks.splitlines():
        cells = [_HALF_BLOCKS[char] for char in row]
        for half in (0, 1):
            lines.append("".join("##" if cell[half] else "  " for cell in cells).rstrip())
    return "\n".join(lines)


def _complain(message: str) -> None:
    """One line on stderr: ``otpkit: message``."""
    line = "otpkit: " + " ".join(str(message).split())
    if sys.stderr is None:  # closed before the start: nothing left to tell
        return
    try:
        print(_fit(line, sys.stderr, "backslashreplace"), file=sys.stderr, flush=True)
    except (OSError, ValueError):  # stderr closed: nothing left to tell
        pass


def _quiet_stdout() -> None:
    """After a broken pipe, point stdout at devnull so Python's final flush stays silent."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # stdout is not a real file: nothing to flush
        pass


# -- commands ------------------------------------------------------------------------------------


def walkthrough(args: argparse.Namespace, out: TextIO) -> int:
    """Run every stage, printing what the user, the server and the phone do."""
    clock = SystemClock() if args.at is None else FixedClock(args.at)
    rng = None if args.seed is None else DemoRandom(args.seed)
    server = Server(policy=args.policy, clock=clock, host=args.host, rng=rng)
    password = demo.PASSWORD
    server.sign_up(args.user, password)
    phone = Phone(clock=DriftingClock(clock, offset=args.offset), app=args.app)
    flow = EnrollmentFlow(server, phone, args.user, password)

    def say(text: str = "") -> None:
        print(_fit(text, out), file=out)

    say(f"otpkit walkthrough: {args.user} on {args.host}, policy {server.policy.name}")
    if args.seed is not None:
        say(f"(seeded with {args.seed}: a lesson secret, never use it for a real account)")
    while flow.stage != Stage.DONE:
        stage = flow.stage
        say()
        say(f"Stage {int(stage)}/9  {stage.title}")
        say(f"  {stage.explanation}")
        result = flow.advance()
        if stage == Stage.INSTALL_APP:
            say(f"  app: {result}: {phone.app.note}")
        elif stage in (Stage.OPEN_SETTINGS, Stage.OPEN_SECURITY, Stage.REGISTER_APP):
            say("  path: " + " > ".join(result))
        elif stage == Stage.ENTER_PASSWORD:
            say("  password accepted; the server keeps a pending secret")
            say(f"  secret: {result.secret}")
        elif stage == Stage.SET_UP_APP:
            drawing = qr_terminal(flow.registration.uri, light_on_dark=not args.light)
            say(drawing if _can_write(drawing, out) else _ascii_qr(drawing))
            say(f"  link for desktop programs: {flow.registration.uri}")
            say(f"  the app added {result.label!r}")
            for ignored in result.ignored:
                say(f"  the app ignored {ignored}")
        elif stage == Stage.READ_CODE:
            left = phone.seconds_left(flow.entry)
            say(f"  the phone shows {result} ({left:.0f} s left)")
        elif stage == Stage.ENTER_CODE:
            offset = flow.confirmation.offset
            say(
                f"  server: verified, matching step offset {offset:+d} "
                f"(window +-{server.policy.confirm_window})"
            )
        elif stage == Stage.DOWNLOAD_BACKUP_CODES:
            name, text = result
            for number, code in enumerate(text.split(), start=1):
                say(f"  #{number} {code}")
            say(f"  download file name: {name}")
    say()
    say(f"Stage {Stage.DONE.name}: {Stage.DONE.explanation}")
    return 0


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Entry point of the ``otpkit`` console script; returns the exit status.

    A usage error or an OtpkitError returns 2 after one line on stderr; ``--help`` returns 0; a
    closed stdout returns 141 without a word.
    """
    if out is None:
        out = sys.stdout if sys.stdout is not None else io.StringIO()  # None: stdout was closed
    try:
        try:
            return _run(argv, out)
        finally:
            out.flush()  # a pipe closed early fails here, not in Python's flush at exit
    except OtpkitError as exc:
        _complain(str(exc))
        return EXIT_USAGE
    except BrokenPipeError:
        if out is sys.stdout:
            _quiet_stdout()
        return EXIT_BROKEN_PIPE
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED


def _run(argv: Sequence[str] | None, out: TextIO) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(_joined_numbers(sys.argv[1:] if argv is None else argv))
        if args.command is None:
            parser.error("choose a command: walkthrough or present")
    except SystemExit as exit_:  # --help (0), or a usage error already told (2)
        return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
    if args.command == "walkthrough":
        return walkthrough(args, out)
    from .present import serve

    return serve(port=args.port, dark=args.dark)


if __name__ == "__main__":
    sys.exit(main())
