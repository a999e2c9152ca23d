"""The server's public verbs, thin as Misskey's endpoints: sign_up, register (i/2fa/register),
confirm (i/2fa/done), unregister (i/2fa/unregister) and sign_in (signin).

Each verb checks its arguments at the door, reads the clock once, and leaves the work to the
small parts its policy names (checks, two_factor, throttle, used_steps, answers, events).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from ..backup import backup_file_name, backup_file_text
from ..clock import Clock
from ..errors import (
    IncorrectPassword,
    InvalidInput,
    InvalidToken,
    NoSuchUser,
    OtpkitError,
    RateLimited,
    SetupNotStarted,
    TokenReplayed,
    TwoFactorNotEnabled,
)
from ..hashing import bcrypt_hash, bcrypt_matches
from ..otp import is_well_formed_code, new_secret, step_at
from ..policy import MISSKEY, Policy
from ..randomness import RandomSource
from ..store import Account, MemoryStore, SqliteStore
from ..uri import KeyUri
from . import checks
from .answers import answer
from .events import EventLog
from .results import Confirmation, Registration, SignInResult, SignUpResult
from .throttle import limiter_key, record_request
from .two_factor import Outcome, Then, TwoFactorCheck

SIGNIN, REGISTER, DONE, UNREGISTER = "signin", "i/2fa/register", "i/2fa/done", "i/2fa/unregister"


class Server:
    """A server that enrolls authenticator apps and signs users in, following ``policy``."""

    def __init__(
        self,
        policy: Policy = MISSKEY,
        clock: Clock | None = None,
        host: str = "misskey.example",
        rng: RandomSource | None = None,
        store: MemoryStore | SqliteStore | None = None,
    ):
        if not isinstance(policy, Policy):
            raise InvalidInput(f"policy must be a Policy such as otpkit.MISSKEY, not {policy!r}")
        if clock is None or not callable(getattr(clock, "now", None)):
            raise InvalidInput("the server needs a clock, e.g. otpkit.FixedClock(1700000000)")
        if rng is not None and not callable(getattr(rng, "token_bytes", None)):
            raise InvalidInput(
                f"rng must have token_bytes(n), like otpkit.DemoRandom(7), not {rng!r}"
            )
        if store is not None and not isinstance(store, (MemoryStore, SqliteStore)):
            raise InvalidInput(f"store must be a MemoryStore or a SqliteStore, not {store!r}")
        self.policy = policy
        self.clock = clock
        self.host = checks.host(host)
        self.rng = rng
        self.store = MemoryStore() if store is None else store
        self.store.attach(policy.name)
        self.events = EventLog()
        # Lessons set this to run code between Misskey's read and write of the backup codes.
        self.between_read_and_write: Callable[[], None] | None = None
        self._two_factor = TwoFactorCheck(policy, self.store, lambda: self.between_read_and_write)

    def _now(self) -> float:
        """The server's time for one request, checked, and watched for steps and jumps."""
        now = checks.clock_reading(self.clock.now())
        self.events.watch_clock(now)
        return now

    def _refuse(
        self, endpoint: str, kind: str, error: type[OtpkitError], message: str, **extra: Any
    ) -> OtpkitError:
        """The error ``policy``'s server answers at ``endpoint``, with the kit's ``message``."""
        return error(message, answer=answer(self.policy, endpoint, kind, error), **extra)

    # -- accounts -------------------------------------------------------------------------

    def sign_up(self, username: str, password: str) -> SignUpResult:
        """Create an account (no 2FA yet). ``password_cut`` tells when bcrypt will read only the
        password's first 72 bytes, as Misskey's bcryptjs does, silently."""
        name = checks.username_for_sign_up(username, self.policy.username_rule)
        text = checks.password(password, allow_empty=False)
        now = self._now()
        hashed = bcrypt_hash(text, self.policy.bcrypt_rounds, self.rng)
        self.store.create(Account(username=name, password_hash=hashed))
        cut = checks.password_is_cut(text)
        note = "; only the first 72 bytes of the password count" if cut else ""
        self.events.add(now, "sign_up", name, "account created" + note)
        return SignUpResult(name, password_cut=cut)

    def _account(self, key: str, endpoint: str, shown: str) -> Account:
        account = self.store.get(key)
        if account is None:
            raise self._refuse(
                endpoint, "no_such_user", NoSuchUser, f"there is no account called {shown!r}"
            )
        return account

    def _password_matches(self, account: Account, password: str) -> bool:
        return bool(password) and bcrypt_matches(password, account.password_hash)

    def _wrong_password(self, endpoint: str, account: Account, now: float) -> OtpkitError:
        self.events.add(now, "password.wrong", account.username, "wrong password")
        return self._refuse(
            endpoint,
            "wrong_password",
            IncorrectPassword,
            "the password is not right for this account",
        )

    # -- enrollment ----------------------------------------------------------------------

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
                f"a one-time password is {digits} digits (0-9); {_describe(code)}",
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

    def _token_and_password(
        self,
        endpoint: str,
        account: Account,
        password: str,
        token: str | None,
        now: float,
        then: Then,
    ) -> None:
        """Check token and password in the policy's order; ``then`` is applied with the token.

        Under Misskey's order a right token followed by a wrong password is still used up, as
        on the real server: the token's use is committed and ``then`` is not applied.
        """
        if self.policy.token_before_password:
            password_ok = self._password_matches(account, password)
            self._authenticate(endpoint, account, token, now, then if password_ok else None)
            if not password_ok:
                raise self._wrong_password(endpoint, account, now)
        else:
            if not self._password_matches(account, password):
                raise self._wrong_password(endpoint, account, now)
            self._authenticate(endpoint, account, token, now, then)

    # -- sign-in -------------------------------------------------------------------------

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

    def _authenticate(
        self,
        endpoint: str,
        account: Account,
        token: str | None,
        now: float,
        then: Then | None = None,
    ) -> SignInResult:
        """Misskey's twoFactorAuthenticate: a backup code first, else a one-time password."""
        if not token:
            raise self._refuse(
                endpoint,
                "wrong_token",
                InvalidToken,
                "this account has 2FA: a one-time password or a backup code is needed",
            )
        if len(token) > checks.MAX_TOKEN:
            raise self._refuse(
                endpoint,
                "wrong_token",
                InvalidToken,
                "that is far too long to be a one-time password or backup code",
            )
        spent = self._two_factor.use_backup_code(account.key, token, now, then)
        if spent is not None and spent.ok:
            self.events.add(now, "backup_code.used", account.username, "a backup code was used up")
            return SignInResult(
                ok=True, used_backup_code=True, warning=self.warning(account.username)
            )
        if spent is not None:
            raise self._refusal(endpoint, spent, self.policy.window, token)
        code = checks.whitespace(token, self.policy.sign_in_whitespace)
        outcome = self._two_factor.check_code(
            account.key,
            lambda a: a.secret if a.two_factor else None,
            code,
            now,
            self.policy.window,
            then,
        )
        if not outcome.ok:
            self.events.add(now, "token.wrong", account.username, f"code refused ({outcome.kind})")
            self._note_clock_behind(account, outcome, now)
            raise self._refusal(endpoint, outcome, self.policy.window, code)
        return SignInResult(ok=True, offset=outcome.offset)

    def _note_clock_behind(self, account: Account, outcome: Outcome, now: float) -> None:
        """A replay measured against a step far after now means the clock was ahead then, or is
        behind now: say so in the log, since every code will be refused until it passes."""
        if outcome.kind != "replayed" or outcome.last_step is None:
            return
        period = self.policy.params.period
        ahead = outcome.last_step - step_at(now, period)
        if ahead > self.policy.window:
            self.events.add(
                now,
                "clock.back",
                account.username,
                f"the last code accepted was for a time step {ahead} steps ({ahead * period} s) "
                "after the server's time now: the clock was ahead then or is behind now; codes "
                "are refused until it passes that step",
            )

    def _refusal(
        self, endpoint: str, outcome: Outcome, window: int, code: str | None = None
    ) -> OtpkitError:
        """The error for a refused token, with the kit's explanation of why."""
        if outcome.kind == "blocked":
            return RateLimited(
                f"too many wrong codes: the next try is allowed in {outcome.wait:.0f} s",
                retry_after=outcome.wait,
            )
        if outcome.kind == "off":
            return TwoFactorNotEnabled("2FA was turned off meanwhile")
        if outcome.kind == "replayed":
            return self._refuse(
                endpoint,
                "replayed",
                TokenReplayed,
                "this code's time step was already used: wait for the next code",
            )
        digits = self.policy.params.digits
        if code is not None and not is_well_formed_code(code, digits):
            why = (
                "this looks like a backup code, but it is not one of this account's unused "
                "backup codes (each works only once)"
                if self.policy.backup.looks_like_code(code)
                else f"a one-time password is {digits} digits (0-9), and this is not a backup "
                f"code either; {_describe(code)}"
            )
        else:
            why = (
                "wrong code: it matches none of the accepted time steps "
                f"(now and {window} each way); check the phone's clock"
            )
        return self._refuse(endpoint, "wrong_token", InvalidToken, why)

    # -- what lessons look at -------------------------------------------------------------

    def warning(self, username: str) -> str | None:
        """Misskey's settings warning: "partial" after a backup code is used, "none" when all are."""
        account = self._account(
            checks.lookup_key(username, self.policy.username_rule), SIGNIN, username
        )
        if not account.two_factor or account.backup_codes_issued == 0:
            return None
        left = len(account.backup_codes)
        if left == 0:
            return "none"
        return "partial" if left < account.backup_codes_issued else None

    def stored(self, username: str) -> dict[str, Any]:
        """What this server keeps for an account, as it keeps it: a policy that keeps no used
        step, drift or failure count shows none."""
        account = self._account(
            checks.lookup_key(username, self.policy.username_rule), SIGNIN, username
        )
        kept: dict[str, Any] = {
            "username": account.username,
            "password_hash": account.password_hash,
            "two_factor_enabled": account.two_factor,
            "secret": account.secret,
            "pending_secret": account.pending_secret,
            "backup_codes": list(account.backup_codes),
            "password_less_login": account.password_less,
        }
        if self.policy.refuse_replay:
            kept["last_used_step"] = account.last_step
        if self.policy.track_drift:
            kept["drift_steps"] = account.drift
        if self.policy.backoff is not None:
            kept["consecutive_failures"] = account.failures
        return kept

    def backup_download(self, username: str, codes: list[str]) -> tuple[str, str]:
        """The backup-code file as the browser saves it: (file name, text)."""
        account = self._account(
            checks.lookup_key(username, self.policy.username_rule), SIGNIN, username
        )
        if not isinstance(codes, (list, tuple)) or not all(isinstance(c, str) for c in codes):
            raise InvalidInput("codes must be the list of backup codes that confirm() returned")
        return backup_file_name(account.username), backup_file_text(list(codes))


def _describe(token: str) -> str:
    if not token:
        return "nothing was entered"
    if not token.isascii():
        return "it holds characters that are not plain ASCII digits"
    if not token.isdigit():
        return "it holds characters that are not digits"
    return f"this has {len(token)}"
