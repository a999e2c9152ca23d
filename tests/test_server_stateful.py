"""A model-checked server: random sequences of enrollment, sign-in, unregister and clock moves.

The machine keeps its own model of what the server should hold and predicts each answer. Beside
that, it checks the invariants directly: a backup code works at most once; an account with 2FA
never signs in without a valid code or an unused backup code; a pending secret signs no one in;
under every policy that refuses replays no time step of a secret is accepted twice, whether at
sign-in, at confirm, or at register and unregister, whatever the clock does.
"""

from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

import otpkit
from otpkit.errors import (
    IncorrectPassword,
    InvalidToken,
    RateLimited,
    SetupNotStarted,
)
from otpkit.otp import code_for_step, step_at

from .conftest import AT, PASSWORD

SETTINGS = settings(
    max_examples=30,
    stateful_step_count=20,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
TOKEN_KINDS = [
    "now",
    "next",
    "previous",
    "three ahead",
    "replay",
    "wrong",
    "pending",
    "backup unused",
    "backup used",
    "none",
]
CLOCK_MOVES = [1, 2, 15, 30, 31, 90, 151, 600, 86_400, -1, -30, -90, -3600]


class ServerMachine(RuleBasedStateMachine):
    """One account, "alice", on a server whose every answer is predicted by a model."""

    policy = otpkit.MISSKEY

    def __init__(self) -> None:
        super().__init__()
        policy = replace(self.policy, bcrypt_rounds=4, rate_limit=None)
        self.p = policy
        self.clock = otpkit.ManualClock(AT)
        self.server = otpkit.Server(policy=policy, clock=self.clock, rng=otpkit.DemoRandom(4))
        self.server.sign_up("alice", PASSWORD)
        # The model.
        self.enabled = False
        self.secret: str | None = None
        self.pending: str | None = None
        self.unused: list[str] = []
        self.dead: set[str] = set()  # every backup code ever issued and no longer valid
        self.last_step: int | None = None
        self.drift = 0
        self.last_accepted: tuple[str, int] | None = None  # (code, step) of the last TOTP used
        self.marks: dict[tuple[str, int], float] = {}  # Misskey's used-step keys and expiries
        self.drift_seen = False
        # What happened, for the invariants.
        self.backup_uses: dict[str, int] = {}
        self.accepted_steps: list[tuple[str, int]] = []

    # -- the model's predictions ---------------------------------------------------------

    def step(self) -> int:
        return step_at(self.clock.now(), self.p.params.period)

    def totp_valid(self, secret: str | None, step: int) -> bool:
        if not self.enabled or secret is None or secret != self.secret:
            return False
        if abs(step - (self.step() + self.drift)) > self.p.window:
            return False
        return not self.replayed(secret, step)

    def replayed(self, secret: str, step: int) -> bool:
        """Whether the policy refuses this step of ``secret`` as already used."""
        if self.p.used_step_guard is not None:
            return self.marks.get((secret, step), -1.0) > self.clock.now()
        same = secret == self.secret
        return bool(
            self.p.refuse_replay and same and self.last_step is not None and step <= self.last_step
        )

    def accept_step(self, secret: str, step: int) -> None:
        """The model after the server accepted ``step`` of ``secret``."""
        if self.p.refuses_replays:
            assert (secret, step) not in self.accepted_steps, "a time step was accepted twice"
        if self.p.refuse_replay:
            self.last_step = step
        if self.p.used_step_guard is not None:
            self.marks[(secret, step)] = self.clock.now() + self.p.used_step_guard.ttl
        self.accepted_steps.append((secret, step))

    def token(self, kind: str) -> tuple[str | None, str, object]:
        """A token of ``kind``: (text, what it is, its secret-and-step or its backup code)."""
        now = self.step()
        if kind == "none":
            return None, "none", None
        if kind in ("backup unused", "backup used"):
            pool = self.unused if kind == "backup unused" else sorted(self.dead)
            if not pool:
                return self.token("wrong")
            return pool[0], "backup", pool[0]
        if kind == "replay":
            if self.last_accepted is None or self.secret is None:
                return self.token("now")
            code, step = self.last_accepted
            return code, "totp", (self.secret, step)
        if kind == "pending":
            if self.pending is None:
                return self.token("wrong")
            return code_for_step(self.pending, now), "totp", (self.pending, now)
        if kind == "wrong":
            return self._wrong(), "wrong", None
        secret = self.secret or self.pending
        if secret is None:
            return self._wrong(), "wrong", None
        step = now + {"now": 0, "next": 1, "previous": -1, "three ahead": 3}[kind]
        return code_for_step(secret, step), "totp", (secret, step)

    def _wrong(self) -> str:
        taken = set()
        for secret in {self.secret, self.pending} - {None}:
            for s in range(self.step() - 8 - abs(self.drift), self.step() + 9 + abs(self.drift)):
                taken.add(code_for_step(secret, s))
        return next(
            c for c in (f"{n:06d}" for n in range(100_000, 999_999, 7919)) if c not in taken
        )

    def token_valid(self, what: str, detail: object) -> bool:
        if what == "backup":
            return self.enabled and detail in self.unused
        if what == "totp":
            secret, step = detail  # type: ignore[misc]
            return self.totp_valid(secret, step)
        return False

    def token_used(self, text: str, what: str, detail: object) -> None:
        """The model's account after the server accepted the token."""
        if what == "backup":
            self.unused.remove(text)
            self.dead.add(text)
            self.backup_uses[text] = self.backup_uses.get(text, 0) + 1
            assert self.backup_uses[text] == 1, "a backup code worked twice"
            return
        secret, step = detail  # type: ignore[misc]
        self.accept_step(secret, step)
        if self.p.track_drift:
            self.drift = step - self.step()
        self.last_accepted = (text, step)

    def expect_refused(self, exc: Exception, valid: bool) -> None:
        if isinstance(exc, RateLimited):
            assert self.p.backoff is not None, "rate limited without a back-off policy"
            assert 0 < exc.retry_after <= self.p.backoff.cap
            # Wait the back-off out, so that the next steps reach the code checks (and the drift
            # tracking behind them) instead of meeting the same refusal again.
            self.clock.advance(exc.retry_after)
            self.drift_seen = self.drift_seen or self.drift != 0
            return
        assert not valid, f"a valid token was refused: {exc!r}"
        assert isinstance(exc, InvalidToken), repr(exc)

    # -- rules ---------------------------------------------------------------------------

    @rule(kind=st.sampled_from(TOKEN_KINDS), right_password=st.booleans())
    def register(self, kind: str, right_password: bool) -> None:
        password = PASSWORD if right_password else "wrong"
        text, what, detail = self.token(kind) if self.enabled else (None, "none", None)
        valid = self.token_valid(what, detail)
        token_first = self.p.token_before_password
        try:
            reg = self.server.register("alice", password, text)
        except IncorrectPassword:
            assert not right_password
            if self.enabled and token_first and valid:
                self.token_used(text, what, detail)  # Misskey: used up all the same
            return
        except (InvalidToken, RateLimited) as exc:
            assert self.enabled
            if not right_password and not token_first:
                raise AssertionError("the password should have been checked first") from exc
            self.expect_refused(exc, valid)
            return
        assert right_password and (not self.enabled or valid)
        if self.enabled:
            self.token_used(text, what, detail)
        assert reg.secret not in (self.secret, self.pending)
        self.pending = reg.secret

    @rule(
        kind=st.sampled_from(
            ["pending now", "pending next", "pending previous", "pending far", "active", "wrong"]
        )
    )
    def confirm(self, kind: str) -> None:
        now = self.step()
        secret = self.secret if kind == "active" else self.pending
        offset = {"pending next": 1, "pending previous": -1, "pending far": 6}.get(kind, 0)
        if secret is None or kind == "wrong":
            token = self._wrong()
        else:
            token = code_for_step(secret, now + offset)
        valid = (
            self.pending is not None
            and secret == self.pending
            and kind != "wrong"
            and abs(offset) <= self.p.confirm_window
            and not self.replayed(self.pending, now + offset)
        )
        try:
            codes = self.server.confirm("alice", token)
        except SetupNotStarted:
            assert self.pending is None
            return
        except (InvalidToken, RateLimited) as exc:
            self.expect_refused(exc, valid)
            return
        assert valid, "confirm accepted a code that is not the pending secret's, or a replay"
        assert self.pending is not None
        if self.pending != self.secret:
            self.last_step = None  # a new secret: nothing of it was used yet
        self.dead.update(self.unused)
        self.enabled, self.secret = True, self.pending
        self.pending = self.pending if self.p.keeps_pending_secret else None
        self.unused = list(codes)
        self.accept_step(self.secret, now + offset)
        self.drift = offset if self.p.track_drift else 0
        self.last_accepted = (token, now + offset)

    @rule(kind=st.sampled_from(TOKEN_KINDS), right_password=st.booleans())
    def sign_in(self, kind: str, right_password: bool) -> None:
        password = PASSWORD if right_password else "wrong"
        text, what, detail = self.token(kind)
        valid = self.token_valid(what, detail)
        try:
            result = self.server.sign_in("alice", password, text)
        except IncorrectPassword:
            assert not right_password
            return
        except (InvalidToken, RateLimited) as exc:
            assert right_password and self.enabled
            self.expect_refused(exc, valid)
            return
        assert right_password
        if not self.enabled:
            assert result.ok
            return
        if text is None:
            assert (result.ok, result.next) == (False, "totp")
            return
        assert result.ok and valid, f"signed in with an invalid {kind} token"
        assert result.used_backup_code == (what == "backup")
        self.token_used(text, what, detail)

    @rule(kind=st.sampled_from(TOKEN_KINDS), right_password=st.booleans())
    def unregister(self, kind: str, right_password: bool) -> None:
        password = PASSWORD if right_password else "wrong"
        text, what, detail = self.token(kind)
        valid = self.token_valid(what, detail)
        token_first = self.p.token_before_password
        try:
            self.server.unregister("alice", password, text)
        except IncorrectPassword:
            assert not right_password
            if token_first and valid:
                self.token_used(text, what, detail)
            return
        except (InvalidToken, RateLimited) as exc:
            assert right_password or token_first
            self.expect_refused(exc, valid)
            return
        assert right_password
        if not self.enabled:  # with 2FA off, the password alone turns it "off" again
            self.pending = self.pending if self.p.keeps_pending_secret else None
            return
        assert valid
        if what == "backup":
            self.backup_uses[text] = self.backup_uses.get(text, 0) + 1
        elif what == "totp":
            self.accept_step(*detail)  # type: ignore[misc]
        self.dead.update(self.unused)
        self.enabled, self.secret, self.unused = False, None, []
        self.pending = self.pending if self.p.keeps_pending_secret else None
        self.last_step, self.drift, self.last_accepted = None, 0, None

    @rule(seconds=st.sampled_from(CLOCK_MOVES))
    def move_clock(self, seconds: int) -> None:
        self.clock.advance(seconds)

    @precondition(lambda self: self.enabled and bool(self.unused))
    @rule()
    def dead_codes_stay_dead(self) -> None:
        for code in sorted(self.dead)[:3]:
            try:
                self.server.sign_in("alice", PASSWORD, code)
            except (InvalidToken, RateLimited):
                continue
            raise AssertionError("a used or replaced backup code signed in")

    # -- invariants ----------------------------------------------------------------------

    @invariant()
    def server_holds_what_the_model_says(self) -> None:
        stored = self.server.stored("alice")
        assert stored["two_factor_enabled"] == self.enabled
        assert stored["secret"] == self.secret
        assert stored["pending_secret"] == self.pending
        assert len(stored["backup_codes"]) == len(self.unused)
        if self.p.backup.storage == "plain":
            assert stored["backup_codes"] == self.unused
        if self.p.refuse_replay:
            assert stored["last_used_step"] == self.last_step
        if self.p.track_drift:
            assert stored["drift_steps"] == self.drift

    @invariant()
    def each_backup_code_worked_at_most_once(self) -> None:
        assert all(n <= 1 for n in self.backup_uses.values())

    @invariant()
    def no_step_twice_under_replay_protection(self) -> None:
        if self.p.refuses_replays:
            assert len(set(self.accepted_steps)) == len(self.accepted_steps)


def machine_for(policy: otpkit.Policy) -> type[ServerMachine]:
    machine = type(f"{policy.name.title().replace('-', '')}Machine", (ServerMachine,), {})
    machine.policy = policy
    test = machine.TestCase
    test.settings = SETTINGS
    return test


TestMisskey = machine_for(otpkit.MISSKEY)
TestMisskey2025 = machine_for(otpkit.MISSKEY_2025)
TestRfc6238 = machine_for(otpkit.RFC6238)
TestHardened = machine_for(otpkit.HARDENED)
TestDjangoOtp = machine_for(otpkit.DJANGO_OTP)
TestDevise = machine_for(otpkit.DEVISE)


def test_the_machines_reach_drift_tracking():
    """The random walks above must get past the back-off to where drift is learnt: run one
    walk by hand through the machine's own rules and see drift recorded."""
    machine = type("Walk", (ServerMachine,), {"policy": otpkit.HARDENED})()
    machine.register("none", True)
    machine.confirm("pending next")
    assert machine.drift == 1 and machine.server.stored("alice")["drift_steps"] == 1
    machine.move_clock(31)
    machine.sign_in("wrong", True)  # a failure: the back-off starts
    machine.sign_in("now", True)  # refused by the back-off, waited out
    machine.sign_in("next", True)
    machine.server_holds_what_the_model_says()
    machine.teardown()
