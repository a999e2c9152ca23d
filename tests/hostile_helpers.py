"""The harness of the hostile-input tests (the test_hostile_inputs_*.py files).

Every test runs under all six policies. ``World.refuses`` is the one check: the call must raise an
OtpkitError (InvalidInput where the input is malformed, not merely wrong), and the accounts, the
flow and the phone must be as they were. ``World.each`` walks a corpus category and records what
it fed, so that ``test_every_policy_meets_the_whole_corpus`` can show each policy meets all of it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import pytest

import otpkit
from otpkit.errors import OtpkitError

from . import hostile_corpus as corpus
from .conftest import AT, PASSWORD, fast


def cheap(policy: otpkit.Policy) -> otpkit.Policy:
    """``fast``, and the cheapest bcrypt cost for backup codes too (DEVISE hashes them)."""
    policy = fast(policy)
    return replace(policy, backup=replace(policy.backup, bcrypt_rounds=4))


ALL = [cheap(p) for p in otpkit.POLICIES.values()]
POLICIES = pytest.mark.parametrize("policy", ALL, ids=[p.name for p in ALL])
USERS = ("alice", "bob", "carol", "dave", "kate")

# While test_every_policy_meets_the_whole_corpus counts, Worlds record what they would feed and
# call nothing.
_census: set[tuple[str, str]] | None = None


@contextmanager
def census() -> Iterator[set[tuple[str, str]]]:
    """While open, Worlds record in the set it gives what they would feed, and call nothing."""
    global _census
    _census = set()
    try:
        yield _census
    finally:
        _census = None


class World:
    """alice has 2FA, bob a pending secret, carol and kate no 2FA, dave is midway through
    the flow."""

    def __init__(self, policy: otpkit.Policy):
        self.policy = policy
        self.dry = _census is not None
        self.fed: set[tuple[str, str]] = set() if _census is None else _census
        self.clock = otpkit.ManualClock(AT)
        self.server = otpkit.Server(policy=policy, clock=self.clock, rng=otpkit.DemoRandom(9))
        for user in USERS:
            self.server.sign_up(user, PASSWORD)
        reg = self.server.register("alice", PASSWORD)
        self.secret = reg.secret
        self.codes = self.server.confirm("alice", self.code())
        self.bob_secret = self.server.register("bob", PASSWORD).secret
        self.phone = otpkit.Phone(clock=self.clock)
        self.flow = otpkit.EnrollmentFlow(self.server, self.phone, "dave", PASSWORD)
        while self.flow.stage != otpkit.Stage.ENTER_CODE:
            self.flow.advance()
        self.calls = self.ips = 0
        self.failures: list[str] = []

    def code(self, secret: str | None = None) -> str:
        """The right code now for ``secret`` (alice's by default)."""
        secret = self.secret if secret is None else secret
        return otpkit.code_at(secret, self.clock.now(), self.policy.params)

    def each(self, category: str) -> Iterator[tuple[Any, ...]]:
        """The entries of a corpus category, recorded as fed."""
        for entry in corpus.categories()[category]:
            self.fed.add((category, entry[0]))
            yield entry

    def state(self) -> Any:
        # A wrong code may be counted against the account (a back-off's failure count): that is
        # the defence working, not a change the input made.
        stored = {user: self.server.stored(user) for user in USERS}
        for kept in stored.values():
            kept.pop("consecutive_failures", None)
        flow = (self.flow.stage, len(self.flow.history), self.flow.code, self.flow.backup_codes)
        return stored, self.server.store.usernames(), len(self.phone.entries), flow

    def ip(self) -> str:
        """A fresh address for every request, so that the limiter never steps in."""
        self.ips += 1
        n = self.ips
        return f"10.{n // 60000}.{n // 250 % 240}.{n % 250}"

    def unblock(self) -> None:
        """Move the clock past every back-off, so that each input reaches the checks themselves."""
        accounts = [self.server.store.get(user) for user in USERS]
        latest = max(a.blocked_until for a in accounts if a is not None)
        if latest > self.clock.now():
            self.clock.set(latest)

    def refuses(
        self, label: str, call: Callable[[], Any], kind: type[OtpkitError] = OtpkitError
    ) -> None:
        """``call`` must raise ``kind`` (an OtpkitError) and leave every account as it was."""
        self.calls += 1
        if self.dry:
            return
        self.unblock()
        before = self.state()
        try:
            outcome = call()
        except OtpkitError as exc:
            if not isinstance(exc, kind):
                self.failures.append(f"{label}: {type(exc).__name__}, not {kind.__name__}")
        except BaseException as exc:  # noqa: BLE001 - the point of the test
            self.failures.append(f"{label}: {type(exc).__name__}: {exc!s:.80}")
            return
        else:
            self.failures.append(f"{label}: accepted, gave {outcome!r:.60}")
        if self.state() != before:
            self.failures.append(f"{label}: changed the stored state")

    def check(self) -> None:
        assert not self.failures, f"{len(self.failures)} failures:\n" + "\n".join(self.failures)
