"""The ``otpkit`` command: a terminal walkthrough of the nine stages, and presenter mode."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TextIO

from . import apps
from .clock import DriftingClock, FixedClock, SystemClock
from .errors import OtpkitError
from .flow import EnrollmentFlow, Stage
from .phone import Phone
from .policy import POLICIES, policy_named
from .qr import qr_terminal
from .randomness import DemoRandom
from .server import Server


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="otpkit", description="Learn how authenticator-app two-factor sign-in works."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    walk = commands.add_parser("walkthrough", help="run the nine enrollment stages in the terminal")
    walk.add_argument("--at", type=float, help="Unix time to fix the clock at (default: now)")
    walk.add_argument("--seed", type=int, help="seed for a reproducible secret (lessons only)")
    walk.add_argument(
        "--app", default=apps.GOOGLE_AUTHENTICATOR.name, choices=[a.name for a in apps.ALL]
    )
    walk.add_argument("--policy", default="misskey", choices=sorted(POLICIES))
    walk.add_argument("--offset", type=float, default=0.0, help="phone clock offset in seconds")
    walk.add_argument("--user", default="alice")
    walk.add_argument("--host", default="misskey.example")
    walk.add_argument(
        "--light", action="store_true", help="draw the QR code for a light terminal background"
    )
    present = commands.add_parser("present", help="serve the walkthrough for a room (Voila)")
    present.add_argument("--port", type=int, default=8866)
    present.add_argument("--dark", action="store_true", help="dark theme")
    return parser


def walkthrough(args: argparse.Namespace, out: TextIO) -> int:
    """Run every stage, printing what the user, the server and the phone do."""
    clock = SystemClock() if args.at is None else FixedClock(args.at)
    rng = None if args.seed is None else DemoRandom(args.seed)
    server = Server(policy=policy_named(args.policy), clock=clock, host=args.host, rng=rng)
    password = "correct horse battery staple"
    server.sign_up(args.user, password)
    phone = Phone(clock=DriftingClock(clock, offset=args.offset), app=apps.app_named(args.app))
    flow = EnrollmentFlow(server, phone, args.user, password)

    def say(text: str = "") -> None:
        print(text, file=out)

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
            say(qr_terminal(flow.registration.uri, light_on_dark=not args.light))
            say(f"  link for desktop programs: {flow.registration.uri}")
            say(f"  the app added {result.label!r}")
            for ignored in result.ignored:
                say(f"  the app ignored {ignored}")
        elif stage == Stage.READ_CODE:
            left = phone.seconds_left(flow.entry)
            say(f"  the phone shows {result} ({left:.0f} s left)")
        elif stage == Stage.ENTER_CODE:
            offset = server.events[-1].offset
            say(
                f"  server: verified, matching step offset {offset:+d} (window +-{server.policy.window})"
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
    """Entry point of the ``otpkit`` console script."""
    args = _parser().parse_args(argv)
    out = sys.stdout if out is None else out
    try:
        if args.command == "walkthrough":
            return walkthrough(args, out)
        from .present import serve

        return serve(port=args.port, dark=args.dark)
    except OtpkitError as exc:
        print(f"otpkit: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
