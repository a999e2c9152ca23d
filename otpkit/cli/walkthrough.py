"""``otpkit walkthrough``: the nine enrollment stages, printed as the user, server and phone act."""

from __future__ import annotations

import argparse
from typing import TextIO

from ..core import demo
from ..core.clock import DriftingClock, FixedClock, SystemClock
from ..core.qr import qr_terminal
from ..core.randomness import DemoRandom
from ..enrollment.flow import EnrollmentFlow, Stage
from ..enrollment.phone import Phone
from ..server import Server
from .terminal import ascii_qr, can_write, fit


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
        print(fit(text, out), file=out)

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
            say(drawing if can_write(drawing, out) else ascii_qr(drawing))
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
