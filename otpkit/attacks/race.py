"""Misskey's backup-code race, shown on demand: two sign-ins, one code, both let in.

Misskey reads the account's backup codes, filters out the one just used and writes the rest
back. A second request that reads the list before the first one writes still finds the code.
Both versions the kit models do this (``MISSKEY`` and ``MISSKEY_2025``): today's used-step guard
marks the time steps of the app's codes, and a backup code never reaches it.
``demonstrate_backup_race`` makes that interleaving happen every time, without threads: it runs
the second sign-in from inside ``Server.between_read_and_write``. Notebook 04 shows it.
"""

from __future__ import annotations

from collections.abc import Callable

from ..core.errors import InvalidInput, OtpkitError
from ..server import Server, SignInResult

FIRST_IP = "203.0.113.1"
SECOND_IP = "198.51.100.7"


def demonstrate_backup_race(
    server: Server,
    username: str,
    password: str,
    code: str,
    ips: tuple[str, str] = (FIRST_IP, SECOND_IP),
) -> tuple[SignInResult, SignInResult | OtpkitError]:
    """Two sign-ins with one backup code, the second slipped in between the first's read and write.

    Returns the first sign-in's result and the second's result, or the error it raised. Under
    MISSKEY and MISSKEY_2025 both are ``ok`` with ``used_backup_code``. Under a policy that uses backup codes
    atomically there is no gap to slip into, so the second sign-in runs after the first and
    gets InvalidToken. The two requests come from different addresses (``ips``), as two
    people would, so that the per-address rate limit does not stop the second one.
    """
    if not isinstance(server, Server):
        raise InvalidInput(f"expected an otpkit.Server, not {type(server).__name__}")
    second: list[SignInResult | OtpkitError] = []

    def sign_in_again() -> None:
        second.append(_attempt(server, username, password, code, ips[1]))

    previous = server.between_read_and_write
    server.between_read_and_write = _once(sign_in_again)
    try:
        first = server.sign_in(username, password, code, ip=ips[0])
    finally:
        server.between_read_and_write = previous
    if not second:  # no gap was opened: the second request simply comes later
        second.append(_attempt(server, username, password, code, ips[1]))
    return first, second[0]


def _attempt(
    server: Server, username: str, password: str, code: str, ip: str
) -> SignInResult | OtpkitError:
    try:
        return server.sign_in(username, password, code, ip=ip)
    except OtpkitError as exc:
        return exc


def _once(action: Callable[[], None]) -> Callable[[], None]:
    """``action`` the first time only: the nested sign-in must not open a gap of its own."""
    done = []

    def hook() -> None:
        if not done:
            done.append(True)
            action()

    return hook
