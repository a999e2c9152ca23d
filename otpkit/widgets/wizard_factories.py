"""How the wizard's flows are made: simulated (fixed clock, seeded secrets) or live (a real phone).

Each maker returns ``(make_flow, intro)``: ``make_flow()`` builds a fresh ``EnrollmentFlow``
(``EnrollmentWizard.reset()`` calls it again), and ``intro`` is the first message the wizard shows.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

from ..core import demo
from ..core.clock import Clock, DriftingClock, ManualClock, SystemClock
from ..core.randomness import DemoRandom
from ..enrollment import apps
from ..enrollment.apps import AppProfile
from ..enrollment.flow import EnrollmentFlow
from ..enrollment.phone import Phone
from ..server import Server
from ..server.policy import MISSKEY, Policy
from ..server.store import SqliteStore

DEMO_PASSWORD = demo.PASSWORD
LIVE_PATH = "otpkit-live.sqlite3"
LIVE_HOST = "otpkit.localhost"

FlowMaker = Callable[[], EnrollmentFlow]


def simulated(
    at: float = demo.AT,
    seed: int = demo.SEED,
    app: AppProfile = apps.GOOGLE_AUTHENTICATOR,
    username: str = demo.USER,
    password: str = DEMO_PASSWORD,
    policy: Policy = MISSKEY,
    host: str = demo.HOST,
    phone_offset: float = 0.0,
) -> tuple[FlowMaker, str]:
    """A replayable flow: the clock stands at ``at``; secrets come from ``DemoRandom(seed)``.
    Nothing reads the machine's clock, so every run shows the same page."""

    def make() -> EnrollmentFlow:
        clock = ManualClock(at)
        server = Server(policy=policy, clock=clock, host=host, rng=DemoRandom(seed))
        server.sign_up(username, password)
        phone = Phone(clock=DriftingClock(clock, offset=phone_offset), app=app)
        return EnrollmentFlow(server, phone, username, password)

    intro = (
        f"Simulated: the clock stands still at Unix {at:.0f} until you move it, and secrets "
        f"come from DemoRandom({seed}), so every run shows the same codes. The demo account "
        f"is <b>{html.escape(username)}</b>, password <code>{html.escape(password)}</code>. "
        "Press <b>Next ▶</b> to begin."
    )
    return make, intro


def live_server(
    path: str | Path = LIVE_PATH,
    host: str = LIVE_HOST,
    clock: Clock | None = None,
    policy: Policy = MISSKEY,
) -> Server:
    """The live server: the machine's clock, secrets from the OS, accounts in the SQLite file
    ``path``. Notebook 01 enrolls a phone on it; notebook 08 signs in on the same file."""
    now = SystemClock() if clock is None else clock
    return Server(policy=policy, clock=now, host=host, rng=None, store=SqliteStore(path))


def live(
    path: str | Path = LIVE_PATH,
    *,
    username: str,
    password: str,
    host: str = LIVE_HOST,
    app: AppProfile = apps.GOOGLE_AUTHENTICATOR,
    clock: Clock | None = None,
    policy: Policy = MISSKEY,
) -> tuple[FlowMaker, str]:
    """A real enrollment: the learner's phone, the machine's clock, a fresh secret from the OS,
    and the account kept in the SQLite file ``path`` (created when missing)."""

    def make() -> EnrollmentFlow:
        server = live_server(path, host, clock, policy)
        if server.store.get(username.lower()) is None:
            server.sign_up(username, password)
        # The flow needs a phone; the learner's own phone is the one that matters here.
        phone = Phone(clock=DriftingClock(server.clock), app=app, name="kit phone")
        return EnrollmentFlow(server, phone, username, password)

    intro = (
        f"Live: a real secret from the operating system, the machine's clock, and the account "
        f"<b>{html.escape(username)}</b> kept in <code>{html.escape(str(path))}</code>. "
        "Use your own phone's authenticator app, and press <b>Next ▶</b> to begin."
    )
    return make, intro
