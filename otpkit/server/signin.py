"""Sign-in, as Misskey's signin endpoint: limiter, username, password, then the token."""

from __future__ import annotations

from ..core.errors import (
    RateLimited,
)
from . import checks
from .base import SIGNIN, ServerBase
from .results import SignInResult
from .throttle import limiter_key, record_request


class SignIn(ServerBase):
    """One sign-in request."""

    def sign_in(
        self,
        username: str,
        password: str | None = None,
        token: str | None = None,
        ip: str = "203.0.113.1",
    ) -> SignInResult:
        """One sign-in request: limiter, username, then password, then (with 2FA) the token.

        Without a password the answer is ``next == "password"`` on an account with 2FA and
        ``"captcha"`` without; with the right password on an account with 2FA and no token,
        ``next == "totp"``.
        """
        address = checks.client_address(ip)
        key = checks.lookup_key(username, self.policy.username_rule)
        text = None if password is None else checks.password(password, allow_empty=True)
        token = checks.token_or_none(token)
        now = self._now()
        self._rate_limit(address, now)
        account = self._account(key, SIGNIN, username)
        if text is None:
            return SignInResult(ok=False, next="password" if account.two_factor else "captcha")
        if not self._password_matches(account, text):
            raise self._wrong_password(SIGNIN, account, now)
        if not account.two_factor:
            self.events.add(now, "sign_in.ok", account.username, "signed in (no 2FA)")
            return SignInResult(ok=True)
        if not token:
            return SignInResult(ok=False, next="totp")
        result = self._authenticate(SIGNIN, account, token, now)
        how = "a backup code" if result.used_backup_code else "a code"
        self.events.add(now, "sign_in.ok", account.username, f"signed in with {how}", result.offset)
        return result

    def _rate_limit(self, address: str, now: float) -> None:
        limit = self.policy.rate_limit
        if limit is None:
            return
        who = limiter_key(address, limit)
        wait = self.store.update_hits(who, lambda hits: record_request(hits, limit, now))
        if wait > 0:
            self.events.add(now, "rate_limited", None, f"{who} must wait {wait:.0f} s")
            raise self._refuse(
                SIGNIN,
                "rate_limited",
                RateLimited,
                f"too many sign-in requests from {who}: every request counts, refused ones too, "
                f"so wait {wait:.0f} s before the next",
                retry_after=wait,
            )
