"""Which authenticator apps enroll against which servers: the compatibility table, run live.

Each cell is a real enrollment: a Server whose policy issues unusual parameters, a Phone with
the app scanning the server's QR image, and the documented flow up to the backup codes. The apps
are the kit's models of published behaviour (``otpkit.apps``); a failed enrollment keeps both
voices: what the server answered (``Outcome.answer``) and the kit's reading of why (``reason``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from ..core import demo
from ..core.clock import FixedClock
from ..core.errors import InvalidToken, ServerAnswer, UnsupportedByApp
from ..core.otp import OtpParams
from ..core.randomness import DemoRandom
from ..server import Server
from ..server.policy import MISSKEY, Policy, cheap_hashing
from . import apps
from .apps import AppProfile
from .flow import EnrollmentFlow
from .phone import Phone

WORKS, WRONG_CODE, REFUSED = "works", "wrong code", "refused"
AS_SENT = "SHA1/6/30"  # the variant that is the server as it is


def server_variants(base: Policy = MISSKEY) -> dict[str, Policy]:
    """``base`` as it is, and with one unusual choice each (password hashing kept cheap).

    "SHA1/6/30" is what both Misskey versions send (``MISSKEY`` and ``MISSKEY_2025`` have the same
    ``params``); the others are what a server could choose instead.
    """
    fast = cheap_hashing(base)
    changes: dict[str, dict] = {
        "SHA256": {"params": OtpParams(algorithm="SHA256")},
        "8 digits": {"params": OtpParams(digits=8)},
        "60 s": {"params": OtpParams(period=60)},
        "80-bit secret": {"secret_nbytes": 10},
    }
    # A changed server is no real release: its title says what was changed ("Misskey 2026.6+
    # with SHA256"), and so do the answers it gives.
    return {
        AS_SENT: fast,
        **{
            name: replace(fast, version=f"{base.title} with {name}", **change)
            for name, change in changes.items()
        },
    }


@dataclass(frozen=True)
class Outcome:
    """One app against one server: did enrollment finish, and if not, why."""

    app: str
    server: str
    result: str
    reason: str  # the kit's explanation
    ignored: tuple[str, ...] = ()
    answer: ServerAnswer | None = None  # the server's own answer to the app's code, if refused

    @property
    def ok(self) -> bool:
        return self.result == WORKS


def try_app(
    app: AppProfile,
    policy: Policy,
    server_name: str = "",
    at: float = demo.AT,
    seed: int = 0,
) -> Outcome:
    """Enroll ``app`` against a fresh Server with ``policy`` (QR scanned, code typed at once)."""
    clock = FixedClock(at)
    server = Server(policy, clock, rng=DemoRandom(seed))
    server.sign_up(demo.USER, demo.PASSWORD)
    flow = EnrollmentFlow(server, Phone(clock, app), demo.USER, demo.PASSWORD)
    name = server_name or policy.name
    try:
        flow.run()
    except UnsupportedByApp as exc:
        return Outcome(app.title, name, REFUSED, f"the app refuses: {exc.message}")
    except InvalidToken as exc:
        assert flow.entry is not None
        ignored = flow.entry.ignored
        why = "; ".join(ignored) if ignored else "unknown"
        return Outcome(
            app.title,
            name,
            WRONG_CODE,
            f"the app ignores {why}, so its codes never match the server's",
            ignored,
            exc.answer,
        )
    assert flow.entry is not None
    return Outcome(app.title, name, WORKS, "codes match", flow.entry.ignored)


def compatibility(
    app_profiles: Sequence[AppProfile] = apps.ALL,
    variants: Mapping[str, Policy] | None = None,
    at: float = demo.AT,
    seed: int = 0,
) -> list[Outcome]:
    """try_app for every app against every server variant (rows app by app)."""
    variants = server_variants() if variants is None else variants
    return [
        try_app(app, policy, name, at, seed)
        for app in app_profiles
        for name, policy in variants.items()
    ]


def matrix_text(outcomes: Sequence[Outcome]) -> str:
    """The outcomes as an app-by-server grid of works / wrong code / refused."""
    from ..core.report import text_table

    servers = list(dict.fromkeys(o.server for o in outcomes))
    by_app: dict[str, dict[str, str]] = {}
    for o in outcomes:
        by_app.setdefault(o.app, {})[o.server] = o.result
    rows = [[app, *(cells.get(s, "-") for s in servers)] for app, cells in by_app.items()]
    return text_table(["app", *servers], rows)


@dataclass(frozen=True)
class Summary:
    """What a compatibility table adds up to (the sentence notebook 06 prints under it)."""

    pairs: int
    silent: int  # failures the user only sees as wrong codes
    refused: int  # failures the app or server says out loud
    apps: tuple[str, ...]  # every app, in table order
    everywhere: tuple[str, ...]  # apps that enroll with every server
    breaking: tuple[str, ...]  # servers that break at least one app
    changed: int  # servers that differ from the one as it is
    as_sent_ok: int  # apps that enroll with the server as it is

    @property
    def failing(self) -> int:
        return self.silent + self.refused


def summary(outcomes: Sequence[Outcome]) -> Summary:
    """Add up ``compatibility()``'s outcomes by app and by server."""
    by_app: dict[str, list[bool]] = {}
    by_server: dict[str, list[bool]] = {}
    for o in outcomes:
        by_app.setdefault(o.app, []).append(o.ok)
        by_server.setdefault(o.server, []).append(o.ok)
    return Summary(
        pairs=len(outcomes),
        silent=sum(o.result == WRONG_CODE for o in outcomes),
        refused=sum(o.result == REFUSED for o in outcomes),
        apps=tuple(by_app),
        everywhere=tuple(app for app, oks in by_app.items() if all(oks)),
        breaking=tuple(name for name, oks in by_server.items() if not all(oks)),
        changed=sum(name != AS_SENT for name in by_server),
        as_sent_ok=sum(by_server.get(AS_SENT, [])),
    )
