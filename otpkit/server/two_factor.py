"""Checking a token on an account with 2FA, as Misskey's twoFactorAuthenticate does: a backup
code first (compared as typed), else a one-time password (after the policy's white-space rule).

Each check ends in an ``Outcome``; the server turns a refusal into the error its policy answers.
Accepting the token and ``then`` (the change the token was asked for) are written together.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from .policy import Policy
from .store import Account
from .throttle import throttle_increment, throttle_reset, verify_is_allowed
from .used_steps import claim_step
from .verdict import totp_verdict

Then = Callable[[Account], Account]
OUTCOMES = ("ok", "wrong", "replayed", "blocked", "off")


@dataclass(frozen=True)
class Outcome:
    """How a check ended: "ok", "wrong", "replayed", "blocked" (back-off) or "off" (2FA was
    turned off meanwhile); ``offset``/``step`` of a matched code; ``wait`` when blocked;
    ``last_step``, the step a replay was measured against."""

    kind: str
    offset: int | None = None
    step: int | None = None
    wait: float = 0.0
    last_step: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in OUTCOMES:  # a misspelt kind would fall through to "wrong" unseen
            raise ValueError(f"an outcome is one of {', '.join(OUTCOMES)}, not {self.kind!r}")

    @property
    def ok(self) -> bool:
        return self.kind == "ok"


def _apply(then: Then | None, account: Account) -> Account:
    return account if then is None else then(account)


class TwoFactorCheck:
    """The token check of one server: its policy, its store, and the lessons' race hook."""

    def __init__(self, policy: Policy, store, race_hook: Callable[[], Callable | None]):
        self.policy = policy
        self.store = store
        self._race_hook = race_hook

    # -- backup codes ------------------------------------------------------------------

    def use_backup_code(
        self, key: str, token: str, now: float, then: Then | None
    ) -> Outcome | None:
        """Spend ``token`` if it is one of the account's unused backup codes; None if it is not."""
        if not self.policy.backup.looks_like_code(token):
            return None
        if self.policy.atomic_backup_use:
            return self._use_atomically(key, token, now, then)
        return self._use_by_read_filter_write(key, token, now, then)

    def _use_by_read_filter_write(
        self, key: str, token: str, now: float, then: Then | None
    ) -> Outcome | None:
        """Misskey's way: read the list, filter it, write it back; two requests can interleave."""
        scheme = self.policy.backup
        fresh = self.store.get(key)
        if fresh is None or not fresh.two_factor:
            return None
        _, wait = verify_is_allowed(fresh, self.policy.backoff, now)
        if wait:
            return Outcome("blocked", wait=wait)
        kept = tuple(c for c in fresh.backup_codes if not scheme.matches(c, token))
        if len(kept) == len(fresh.backup_codes):
            return None
        hook = self._race_hook()
        if hook is not None:
            hook()
        self.store.update_account(
            key, lambda a: (_apply(then, throttle_reset(replace(a, backup_codes=kept))), None)
        )
        return Outcome("ok")

    def _use_atomically(
        self, key: str, token: str, now: float, then: Then | None
    ) -> Outcome | None:
        scheme, policy = self.policy.backup, self.policy

        def consume(a: Account) -> tuple[Account, Outcome | None]:
            if not a.two_factor:
                return a, Outcome("off")
            a, wait = verify_is_allowed(a, policy.backoff, now)
            if wait:
                return a, Outcome("blocked", wait=wait)
            kept = tuple(c for c in a.backup_codes if not scheme.matches(c, token))
            if len(kept) == len(a.backup_codes):
                if token.isdigit():  # it has a backup code's shape, so no white space
                    return a, None  # it may still be a one-time password
                return throttle_increment(a, policy.backoff, now), Outcome("wrong")
            spent = throttle_reset(replace(a, backup_codes=kept))
            return _apply(then, spent), Outcome("ok")

        return self.store.update_account(key, consume)

    # -- one-time passwords --------------------------------------------------------------

    def check_code(
        self,
        key: str,
        secret_of: Callable[[Account], str | None],
        code: str,
        now: float,
        window: int,
        then: Then | None,
    ) -> Outcome:
        """Check a one-time password against the secret ``secret_of(account)`` picks."""
        if self.policy.used_step_guard is not None:
            return self._check_with_used_step_guard(key, secret_of, code, now, window, then)
        return self._check_in_one_transaction(key, secret_of, code, now, window, then)

    def _check_with_used_step_guard(
        self,
        key: str,
        secret_of: Callable[[Account], str | None],
        code: str,
        now: float,
        window: int,
        then: Then | None,
    ) -> Outcome:
        """Misskey today: match the code, then mark its step used (a replay finds it marked);
        the mark lives beside the account, as Redis does beside the database."""
        guard, params, backoff = (
            self.policy.used_step_guard,
            self.policy.params,
            self.policy.backoff,
        )
        account = self.store.get(key)
        secret = secret_of(account) if account is not None else None
        if secret is None:
            return Outcome("off")
        _, wait = verify_is_allowed(account, backoff, now)
        if wait:
            return Outcome("blocked", wait=wait)
        verdict = totp_verdict(secret, code, now, params, window)
        assert guard is not None
        claimed = verdict.step is not None and claim_step(
            self.store, guard, key, secret, verdict.step, now
        )
        if not claimed:
            if backoff is not None:  # Misskey keeps no count; a policy that adds a back-off does
                self.store.update_account(
                    key, lambda a: (throttle_increment(a, backoff, now), None)
                )
            if not verdict.matched:
                return Outcome("wrong")
            return Outcome("replayed", verdict.offset, verdict.step)
        if then is not None or backoff is not None:
            self.store.update_account(key, lambda a: (_apply(then, throttle_reset(a)), None))
        return Outcome("ok", verdict.offset, verdict.step)

    def _check_in_one_transaction(
        self,
        key: str,
        secret_of: Callable[[Account], str | None],
        code: str,
        now: float,
        window: int,
        then: Then | None,
    ) -> Outcome:
        policy, params = self.policy, self.policy.params

        def check(a: Account) -> tuple[Account, Outcome]:
            secret = secret_of(a)
            if secret is None:
                return a, Outcome("off")
            a, wait = verify_is_allowed(a, policy.backoff, now)
            if wait:
                return a, Outcome("blocked", wait=wait)
            same_secret = secret == a.secret
            last = a.last_step if policy.refuse_replay and same_secret else None
            drift = a.drift if policy.track_drift and same_secret else 0
            verdict = totp_verdict(secret, code, now, params, window, drift, last)
            if not verdict.matched:
                return throttle_increment(a, policy.backoff, now), Outcome("wrong")
            if verdict.replayed:
                return throttle_increment(a, policy.backoff, now), Outcome(
                    "replayed", verdict.offset, verdict.step, last_step=last
                )
            assert verdict.step is not None  # a matched verdict has its step
            accepted = throttle_reset(
                replace(
                    a,
                    last_step=verdict.step if policy.refuse_replay else a.last_step,
                    drift=verdict.offset if policy.track_drift else 0,
                )
            )
            return _apply(then, accepted), Outcome("ok", verdict.offset, verdict.step)

        return self.store.update_account(key, check)
