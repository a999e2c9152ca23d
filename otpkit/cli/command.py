"""``otpkit``'s entry point: parse, run the command, and turn every failure into an exit status.

Every bad invocation prints one line to stderr, ``otpkit: <what is wrong>``, and exits with
status 2; output cut short by a closed pipe (``otpkit walkthrough | head``) ends quietly.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Sequence
from typing import TextIO

from ..core.errors import OtpkitError
from .arguments import EXIT_USAGE, build_parser, joined_numbers
from .terminal import complain, quiet_stdout
from .walkthrough import walkthrough

EXIT_BROKEN_PIPE = 128 + 13  # what a shell reports for a process killed by SIGPIPE
EXIT_INTERRUPTED = 128 + 2  # ... and by SIGINT (Ctrl-C)


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
        complain(str(exc))
        return EXIT_USAGE
    except BrokenPipeError:
        if out is sys.stdout:
            quiet_stdout()
        return EXIT_BROKEN_PIPE
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED


def _run(argv: Sequence[str] | None, out: TextIO) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(joined_numbers(sys.argv[1:] if argv is None else argv))
        if args.command is None:
            parser.error("choose a command: walkthrough or present")
    except SystemExit as exit_:  # --help (0), or a usage error already told (2)
        return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
    if args.command == "walkthrough":
        return walkthrough(args, out)
    from .present import serve  # Voila is imported only for this command

    return serve(port=args.port, dark=args.dark)
