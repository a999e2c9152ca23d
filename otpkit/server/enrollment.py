"""Enrollment, as Misskey's i/2fa/register, i/2fa/done and i/2fa/unregister endpoints."""

from __future__ import annotations

from dataclasses import replace

from ..core.errors import (
    InvalidInput,
    InvalidToken,
    SetupNotStarted,
)
from ..core.otp import is_well_formed_code, new_secret
from ..core.uri import KeyUri
from . import checks
from .base import DONE, REGISTER, UNREGISTER, ServerBase, describe_token
from .results import Confirmation, Registration
from .store import Account


class Enrollment(ServerBase):
    """register (start, or restart), confirm (i/2fa/done) and unregister."""

    def register(self, username: str, password: str, token: str | None = None) -> Registration:
        """Start (or restart) enrollment: a new pending secret, returned as URI, QR and text.

        On an account that already has 2FA a valid token is needed too; Misskey checks it
        before the password (so a backup code is used up even when the password is wrong).
        Using the token and storing the new pending secret are one transaction.
        """
        key = checks.lookup_key(username, self.policy.username_rule)
        text = checks.password(password, allow_empty=True)
        token = checks.token_or_none(token)
        now = self._now()
        account = self._account(key, REGISTER, username)
        made: list[KeyUri] = []

        def set_pending(a: Account) -> Account:
            # Drawn only once the checks have passed, so a refused request uses no randomness;
            # the URI is made before anything is stored, so a failure stores nothing.
            if not made:
                secret = new_secret(self.rng, self.policy.secret_nbytes)
                made.append(
                    KeyUri(
                        secret=secret,
                        account=a.username,
                        issuer=self.host,
                        params=self.policy.params,
                    )
                )
            return replace(a, pending_secret=made[0].secret)

        if account.two_factor:
            self._token_and_password(REGISTER, account, text, token, now, set_pending)
        else:
            if not self._password_matches(account, text):
                raise self._wrong_password(REGISTER, account, now)

            def start(a: Account) -> tuple[Account, None]:
                if a.two_factor:
                    raise self._refuse(
                        REGISTER,
                        "wrong_token",
                        InvalidToken,
                        "2FA was turned on meanwhile: register again with a code",
                    )
                return set_pending(a), None

            self.store.update_account(key, start)
        key_uri = made[0]
        self.events.add(now, "register", account.username, "new pending secret issued")
        return Registration(
            secret=key_uri.secret,
            uri=key_uri.to_uri(),
            label=account.username,
            issuer=self.host,
            key_uri=key_uri,
        )

    def confirm(self, username: str, token: str) -> list[str]:
        """Finish enrollment with a code from the app; returns the backup codes (shown once)."""
        return self.confirm_details(username, token).backup_codes

    def confirm_details(self, username: str, token: str) -> Confirmation:
        """``confirm``, also saying which time step the code matched (for lessons and wizards)."""
        key = checks.lookup_key(username, self.policy.username_rule)
        if not isinstance(token, str):
            raise self._refuse(
                DONE, "invalid", InvalidInput, f"the code must be text, not {type(token).__name__}"
            )
        checks.text_argument(token, "code")
        now = self._now()
        account = self._account(key, DONE, username)
        pending = account.pending_secret
        if pending is None:
            raise self._refuse(
                DONE,
                "not_started",
                SetupNotStarted,
                "2FA setup has not been started: register the app first",
            )
        code = checks.whitespace(token, self.policy.confirm_whitespace)
        digits = self.policy.params.digits
        if len(token) > checks.MAX_TOKEN or not is_well_formed_code(code, digits):
            self.events.add(now, "confirm.wrong", account.username, "code not verified")
            raise self._refuse(
                DONE,
                "wrong_token",
                InvalidToken,
                f"a one-time password is {digits} digits (0-9); {describe_token(code)}",
            )
        policy = self.policy
        issued: list[tuple[list[str], tuple[str, ...]]] = []

        def enable(a: Account) -> Account:
            if a.pending_secret != pending:
                raise self._refuse(
                    DONE,
                    "not_started",
                    SetupNotStarted,
                    "the setup was restarted meanwhile: scan the new QR code",
                )
            # Drawn only once the code is verified, so a refused code uses no randomness.
            if not issued:
                codes = policy.backup.generate(self.rng)
                issued.append((codes, tuple(policy.backup.protect(c, self.rng) for c in codes)))
            stored = issued[0][1]
            return replace(
                a,
                two_factor=True,
                secret=pending,
                pending_secret=pending if policy.keeps_pending_secret else None,
                backup_codes=stored,
                backup_codes_issued=len(stored),
            )

        outcome = self._two_factor.check_code(
            key, lambda a: a.pending_secret, code, now, policy.confirm_window, enable
        )
        if not outcome.ok:
            self.events.add(
                now, "confirm.wrong", account.username, f"code refused ({outcome.kind})"
            )
            raise self._refusal(DONE, outcome, policy.confirm_window)
        assert outcome.offset is not None and outcome.step is not None
        self.events.add(
            now,
            "confirm.ok",
            account.username,
            f"2FA enabled; step offset {outcome.offset:+d}",
            outcome.offset,
        )
        return Confirmation(issued[0][0], outcome.offset, outcome.step)

    def unregister(self, username: str, password: str, token: str | None = None) -> None:
        """Turn 2FA off: a valid token (checked first under Misskey) and the password.

        With 2FA already off only the password is checked, and the call succeeds. It also turns
        off password-less sign-in. Misskey keeps the pending secret; policies that drop the
        pending secret on confirmation drop it here too.
        """
        key = checks.lookup_key(username, self.policy.username_rule)
        text = checks.password(password, allow_empty=True)
        token = checks.token_or_none(token)
        now = self._now()
        account = self._account(key, UNREGISTER, username)
        keeps_pending = self.policy.keeps_pending_secret

        def turn_off(a: Account) -> Account:
            return replace(
                a,
                two_factor=False,
                secret=None,
                pending_secret=a.pending_secret if keeps_pending else None,
                backup_codes=(),
                backup_codes_issued=0,
                last_step=None,
                drift=0,
                failures=0,
                blocked_until=0.0,
                password_less=False,
            )

        if account.two_factor:
            self._token_and_password(UNREGISTER, account, text, token, now, turn_off)
        elif not self._password_matches(account, text):
            raise self._wrong_password(UNREGISTER, account, now)
        else:
            self.store.update_account(key, lambda a: (turn_off(a), None))
        self.events.add(now, "unregister", account.username, "2FA turned off")
