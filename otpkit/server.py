"""A sign-in server with authenticator-app 2FA that behaves as its Policy says (MISSKEY by default)."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from .backup import backup_file_name, backup_file_text
from .clock import Clock
from .errors import (
    IncorrectPassword,
    InvalidInput,
    InvalidToken,
    NoSuchUser,
    RateLimited,
    SetupNotStarted,
    TokenReplayed,
    TwoFactorNotEnabled,
)
from .hashing import bcrypt_hash, bcrypt_matches
from .otp import is_well_formed_code, matching_offset, new_secret, step_at
from .policy import MISSKEY, Policy
from .randomness import RandomSource
from .report import duration
from .store import Account, MemoryStore, SqliteStore
from .uri import KeyUri

USERNAME = re.compile(r"[A-Za-z0-9_]{1,20}")
MAX_PASSWORD = 1024
MAX_TOKEN = 256
CLOCK_BACK_TOLERANCE = 1.0  # seconds a clock may step back unremarked (NTP corrections)
CLOCK_JUMP = 6 * 3600.0  # a longer silence is logged, in case the clock jumped

Then = Callable[[Account], Account]


@dataclass(frozen=True)
class Registration:
    """What ``register`` hands back, as Misskey's i/2fa/register does: {qr, url, secret, label, issuer}."""

    secret: str
    uri: str
    label: str
    issuer: str
    key_uri: KeyUri = field(repr=False)

    @cached_property
    def qr_png(self) -> bytes:
        """The QR code of ``uri`` as a PNG image, drawn on first use (it takes a while)."""
        from .qr import qr_png

        return qr_png(self.uri)


@dataclass(frozen=True)
class SignInResult:
    """The outcome of one sign-in request."""

    ok: bool
    next: str | None = None
    used_backup_code: bool = False
    offset: int | None = None
    warning: str | None = None


@dataclass(frozen=True)
class Event:
    """One line of the server's log: what happened, to whom, at what time by the server's clock."""

    t: float
    kind: str
    username: str | None
    message: str
    offset: int | None = None


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
        if not isinstance(host, str) or not host or any(c in host for c in "/?#@ "):
            raise InvalidInput(f"host must be a host name like 'misskey.example', not {host!r}")
        if store is not None and not isinstance(store, (MemoryStore, SqliteStore)):
            raise InvalidInput(f"store must be a MemoryStore or a SqliteStore, not {store!r}")
        self.policy = policy
        self.clock = clock
        self.host = host
        self.rng = rng
        self.store = MemoryStore() if store is None else store
        self.events: list[Event] = []
        # Lessons set this to run code between Misskey's read and write of the backup codes.
        self.between_read_and_write: Callable[[], None] | None = None
        self._last_seen: float | None = None
        self._clock_lock = threading.Lock()

    def _now(self) -> float:
        """The server's time for one request; a step back or a long jump is logged."""
        now = self.clock.now()
        with self._clock_lock:
            last, self._last_seen = self._last_seen, now
        if last is None:
            return now
        if now < last - CLOCK_BACK_TOLERANCE:
            self._log(
                "clock.back",
                None,
                f"the server's clock went back {duration(last - now)} since the last request: "
                "the apps' codes will not match until it is put right, and codes already used "
                "stay refused under replay protection",
                t=now,
            )
        elif now - last > CLOCK_JUMP:
            self._log(
                "clock.jump",
                None,
                f"the server's clock moved {duration(now - last)} forward since the last "
                "request: if nothing happened meanwhile that is fine; if the clock jumped, the "
                "apps' codes will not match until it is put right",
                t=now,
            )
        return now

    # -- accounts -------------------------------------------------------------------------

    def sign_up(self, username: str, password: str) -> None:
        """Create an account (no 2FA yet)."""
        _check_username(username)
        _check_password(password, allow_empty=False)
        now = self._now()
        account = Account(username=username, password_hash=self._hash_password(password))
        self.store.create(account)
        self._log("sign_up", username, "account created", t=now)

    def _account(self, username: object) -> Account:
        key = _lookup_key(username)
        account = self.store.get(key)
        if account is None:
            raise NoSuchUser(f"there is no account called {username!r}")
        return account

    def _hash_password(self, password: str) -> str:
        return bcrypt_hash(password, self.policy.bcrypt_rounds, self.rng)

    def _password_matches(self, account: Account, password: object) -> bool:
        _check_password(password, allow_empty=True)
        assert isinstance(password, str)
        return bool(password) and bcrypt_matches(password, account.password_hash)

    def _wrong_password(self, account: Account, now: float | None = None) -> None:
        self._log("password.wrong", account.username, "wrong password", t=now)
        raise IncorrectPassword("the password is not right for this account")

    def _check_password(self, account: Account, password: object, now: float | None = None) -> None:
        if not self._password_matches(account, password):
            self._wrong_password(account, now)

    # -- enrollment ----------------------------------------------------------------------

    def register(self, username: str, password: str, token: str | None = None) -> Registration:
        """Start (or restart) enrollment: a new pending secret, returned as URI, QR and text.

        On an account that already has 2FA a valid token is needed too; Misskey checks it
        before the password (so a backup code is used up even when the password is wrong).
        Using the token and storing the new pending secret are one transaction.
        """
        now = self._now()
        account = self._account(username)
        drawn: list[str] = []

        def set_pending(a: Account) -> Account:
            # Drawn only once the checks have passed, so a refused request uses no randomness.
            if not drawn:
                drawn.append(new_secret(self.rng, self.policy.secret_nbytes))
            return replace(a, pending_secret=drawn[0])

        if account.two_factor:
            self._token_and_password(account, password, token, now, set_pending)
        else:
            self._check_password(account, password)

            def start(a: Account) -> tuple[Account, None]:
                if a.two_factor:
                    raise InvalidToken("2FA was turned on meanwhile: register again with a code")
                return set_pending(a), None

            self.store.update_account(account.key, start)
        secret = drawn[0]
        key_uri = KeyUri(
            secret=secret, account=account.username, issuer=self.host, params=self.policy.params
        )
        uri = key_uri.to_uri()
        self._log("register", account.username, "new pending secret issued", t=now)
        return Registration(
            secret=secret,
            uri=uri,
            label=key_uri.label,
            issuer=self.host,
            key_uri=key_uri,
        )

    def confirm(self, username: str, token: str) -> list[str]:
        """Finish enrollment with a code from the app; returns the backup codes (shown once)."""
        now = self._now()
        account = self._account(username)
        if account.pending_secret is None:
            raise SetupNotStarted("2FA setup has not been started: register the app first")
        status = self.policy.wrong_code_status
        if not isinstance(token, str):
            raise InvalidInput(f"the code must be text, not {type(token).__name__}")
        if len(token) > MAX_TOKEN:
            raise InvalidToken("that is far too long to be a one-time password", status=status)
        cleaned = re.sub(r"\s", "", token)
        digits = self.policy.params.digits
        if not is_well_formed_code(cleaned, digits):
            raise InvalidToken(
                f"a one-time password is {digits} digits (0-9); {_describe(cleaned)}",
                status=status,
            )
        params = self.policy.params
        offset = matching_offset(account.pending_secret, cleaned, now, params, self.policy.window)
        if offset is None:
            self._log("confirm.wrong", account.username, "code not verified", t=now)
            raise InvalidToken(
                "not verified: the code matches none of the accepted time steps "
                f"(now and {self.policy.window} each way); check the phone's clock",
                status=status,
            )
        codes = self.policy.backup.generate(self.rng)
        stored = tuple(self.policy.backup.protect(code, self.rng) for code in codes)
        step = step_at(now, params.period) + offset
        policy = self.policy

        def enable(a: Account) -> tuple[Account, None]:
            if a.pending_secret != account.pending_secret:
                raise SetupNotStarted("the setup was restarted meanwhile: scan the new QR code")
            return replace(
                a,
                two_factor=True,
                secret=a.pending_secret,
                pending_secret=a.pending_secret if policy.keeps_pending_secret else None,
                backup_codes=stored,
                backup_codes_issued=len(stored),
                last_step=step if policy.refuse_replay else None,
                drift=offset if policy.track_drift else 0,
                failures=0,
                blocked_until=0.0,
            ), None

        self.store.update_account(account.key, enable)
        self._log(
            "confirm.ok", account.username, f"2FA enabled; step offset {offset:+d}", offset, t=now
        )
        return codes

    def unregister(self, username: str, password: str, token: str) -> None:
        """Turn 2FA off: needs the password and a valid token (checked first under Misskey).

        Misskey clears the secret and the backup codes but leaves the pending secret; policies
        that drop the pending secret on confirmation drop it here too.
        """
        now = self._now()
        account = self._account(username)
        if not account.two_factor:
            raise TwoFactorNotEnabled("this account has no authenticator app registered")
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
            )

        self._token_and_password(account, password, token, now, turn_off)
        self._log("unregister", account.username, "2FA turned off", t=now)

    def _token_and_password(
        self, account: Account, password: object, token: object, now: float, then: Then
    ) -> SignInResult:
        """Check token and password in the policy's order; ``then`` is applied with the token.

        Under Misskey's order a right token followed by a wrong password is still used up, as
        on the real server: the token's use is committed and ``then`` is not applied.
        """
        if self.policy.token_before_password:
            password_ok = self._password_matches(account, password)
            result = self._settings_token(account, token, now, then if password_ok else None)
            if not password_ok:
                self._wrong_password(account, now)
        else:
            self._check_password(account, password, now)
            result = self._settings_token(account, token, now, then)
        return result

    def _settings_token(
        self, account: Account, token: object, now: float, then: Then | None
    ) -> SignInResult:
        """A token given to a settings endpoint; a wrong one carries the policy's status."""
        try:
            return self._authenticate(account, token, now, then)
        except InvalidToken as exc:
            exc.status = self.policy.wrong_code_status
            raise

    # -- sign-in -------------------------------------------------------------------------

    def sign_in(
        self,
        username: str,
        password: str | None = None,
        token: str | None = None,
        ip: str = "203.0.113.1",
    ) -> SignInResult:
        """One sign-in request: username, then password, then (with 2FA) the token.

        Without a password the answer is ``next == "password"`` (Misskey's first step); with
        the right password on an account with 2FA and no token, ``next == "totp"``.
        """
        if not isinstance(ip, str) or not ip or len(ip) > 64 or not _encodable(ip):
            raise InvalidInput("ip must be a short text such as '203.0.113.1'")
        _lookup_key(username)
        if password is not None:
            _check_password(password, allow_empty=True)
        if token is not None and not isinstance(token, str):
            raise InvalidInput(f"the code must be text, not {type(token).__name__}")
        now = self._now()
        # Like Misskey, every well-typed request counts against the limit, failed or not.
        self._rate_limit(ip, now)
        account = self._account(username)
        if password is None:
            return SignInResult(ok=False, next="password")
        self._check_password(account, password, now)
        if not account.two_factor:
            self._log("sign_in.ok", account.username, "signed in (no 2FA)", t=now)
            return SignInResult(ok=True)
        if token is None or token == "":
            return SignInResult(ok=False, next="totp")
        result = self._authenticate(account, token, now)
        self._log(
            "sign_in.ok",
            account.username,
            "signed in with a backup code" if result.used_backup_code else "signed in with a code",
            result.offset,
            t=now,
        )
        return result

    def _rate_limit(self, ip: str, now: float) -> None:
        limit = self.policy.rate_limit
        if limit is None:
            return

        def count(hits: tuple[float, ...]) -> tuple[tuple[float, ...], float]:
            recent = tuple(t for t in hits if now - limit.period < t)
            if any(t > now for t in recent):
                # The clock went back: keep counting the requests from "the future".
                self._log(
                    "clock.back", None, f"rate limit for {ip}: requests dated after now", t=now
                )
            earlier = [t for t in recent if t <= now]
            if earlier and now - max(earlier) < limit.min_interval:
                return hits, limit.min_interval - (now - max(earlier))
            if len(recent) >= limit.max_requests:
                return hits, min(recent) + limit.period - now
            return recent + (now,), 0.0

        wait = self.store.update_hits(ip, count)
        if wait > 0:
            self._log("rate_limited", None, f"{ip} must wait {wait:.0f} s", t=now)
            raise RateLimited(
                f"too many sign-in attempts from this address: try again in {wait:.0f} s",
                retry_after=wait,
            )

    def _authenticate(
        self, account: Account, token: object, now: float, then: Then | None = None
    ) -> SignInResult:
        """Misskey's twoFactorAuthenticate: a backup code first, else a TOTP code.

        Accepting the token (using the backup code, recording the step and drift) and
        ``then`` (the change the token was asked for) are written in one transaction.
        """
        if token is None or token == "":
            raise InvalidToken("this account has 2FA: a one-time password is needed")
        if not isinstance(token, str):
            raise InvalidInput(f"the code must be text, not {type(token).__name__}")
        if len(token) > MAX_TOKEN:
            raise InvalidToken("that is far too long to be a one-time password or backup code")
        if self.policy.backup.looks_like_code(token):
            if self.policy.atomic_backup_use:
                used = self._use_backup_code_atomically(account, token, now, then)
            else:
                used = self._use_backup_code(account, token, now, then)
            if used:
                self._log("backup_code.used", account.username, "a backup code was used up", t=now)
                return SignInResult(
                    ok=True, used_backup_code=True, warning=self.warning(account.username)
                )
        return self._check_totp(account, token, now, then)

    def _use_backup_code(self, account: Account, token: str, now: float, then: Then | None) -> bool:
        """Misskey's way: read the list, filter it, write it back; two requests can interleave."""
        scheme = self.policy.backup
        fresh = self._account(account.username)
        blocked = self._blocked(fresh, now)[1]
        if blocked is not None:
            raise blocked
        codes = fresh.backup_codes
        kept = tuple(c for c in codes if not scheme.matches(c, token))
        if len(kept) == len(codes):
            return False
        if self.between_read_and_write is not None:
            self.between_read_and_write()

        def write(a: Account) -> tuple[Account, None]:
            written = replace(a, backup_codes=kept)
            return (written if then is None else then(written)), None

        self.store.update_account(account.key, write)
        return True

    def _use_backup_code_atomically(
        self, account: Account, token: str, now: float, then: Then | None
    ) -> bool:
        scheme = self.policy.backup
        digits = self.policy.params.digits

        def consume(a: Account) -> tuple[Account, Any]:
            a, blocked = self._blocked(a, now)
            if blocked is not None:
                return a, blocked
            kept = tuple(c for c in a.backup_codes if not scheme.matches(c, token))
            if len(kept) == len(a.backup_codes):
                if is_well_formed_code(token, digits):
                    return a, False  # it may still be a one-time password
                return self._failure(a, now), InvalidToken(
                    "that is not one of this account's unused backup codes"
                )
            written = replace(a, backup_codes=kept, failures=0, blocked_until=0.0)
            return (written if then is None else then(written)), True

        return self._settle(account, self.store.update_account(account.key, consume), now)

    def _check_totp(
        self, account: Account, token: str, now: float, then: Then | None = None
    ) -> SignInResult:
        digits = self.policy.params.digits
        if not is_well_formed_code(token, digits):
            if self.policy.backup.looks_like_code(token):
                raise InvalidToken(
                    "this looks like a backup code, but it is not one of this account's "
                    "unused backup codes (each works only once)"
                )
            raise InvalidToken(
                f"a one-time password is {digits} digits (0-9), and this is not a backup code "
                f"either; {_describe(token)}"
            )
        policy = self.policy
        params = policy.params

        def check(a: Account) -> tuple[Account, Any]:
            if a.secret is None or not a.two_factor:
                return a, TwoFactorNotEnabled("2FA was turned off meanwhile")
            a, blocked = self._blocked(a, now)
            if blocked is not None:
                return a, blocked
            centre = now + (a.drift * params.period if policy.track_drift else 0)
            offset = matching_offset(a.secret, token, centre, params, policy.window)
            if offset is None:
                return self._failure(a, now), InvalidToken(
                    "wrong code: it matches none of the accepted time steps "
                    f"(now and {policy.window} each way)"
                )
            step = step_at(centre, params.period) + offset
            if policy.refuse_replay and a.last_step is not None and step <= a.last_step:
                ahead = a.last_step - step_at(now, params.period)
                if ahead > policy.window:
                    self._log(
                        "clock.back",
                        a.username,
                        f"the last code accepted was for a time step {ahead} steps "
                        f"({ahead * params.period} s) after the server's time now: the clock "
                        "was ahead then or is behind now; codes are refused until it passes "
                        "that step",
                        t=now,
                    )
                return self._failure(a, now), TokenReplayed(
                    "this code (or an older one) was already used: wait for the next code"
                )
            updated = replace(
                a,
                last_step=step if policy.refuse_replay else a.last_step,
                drift=(a.drift + offset) if policy.track_drift else 0,
                failures=0,
                blocked_until=0.0,
            )
            return (updated if then is None else then(updated)), step - step_at(now, params.period)

        offset = self._settle(account, self.store.update_account(account.key, check), now)
        return SignInResult(ok=True, offset=offset)

    def _settle(self, account: Account, outcome: Any, now: float) -> Any:
        """Raise the error a transaction decided on (after it committed), or return its result."""
        if isinstance(outcome, Exception):
            self._log("token.wrong", account.username, str(outcome), t=now)
            raise outcome
        return outcome

    def _blocked(self, account: Account, now: float) -> tuple[Account, RateLimited | None]:
        """Whether back-off refuses codes now; a lockout never outlasts its own delay."""
        backoff = self.policy.backoff
        if backoff is None or account.blocked_until <= now:
            return account, None
        wait = account.blocked_until - now
        longest = backoff.delay(account.failures)
        if wait > longest:
            # The clock went back: keep the lockout as long as it was meant to be, no longer.
            account = replace(account, blocked_until=now + longest)
            wait = longest
        return account, RateLimited(
            f"too many wrong codes: the next try is allowed in {wait:.0f} s", retry_after=wait
        )

    def _failure(self, account: Account, now: float) -> Account:
        """Count a wrong code, where the policy keeps count (Misskey keeps none)."""
        if self.policy.backoff is None:
            return account
        failures = account.failures + 1
        return replace(
            account, failures=failures, blocked_until=now + self.policy.backoff.delay(failures)
        )

    # -- what lessons look at -------------------------------------------------------------

    def warning(self, username: str) -> str | None:
        """Misskey's settings warning: "partial" after a backup code is used, "none" when all are."""
        account = self._account(username)
        if not account.two_factor or account.backup_codes_issued == 0:
            return None
        left = len(account.backup_codes)
        if left == 0:
            return "none"
        return "partial" if left < account.backup_codes_issued else None

    def stored(self, username: str) -> dict[str, Any]:
        """Everything the server keeps for an account, as it keeps it."""
        account = self._account(username)
        return {
            "username": account.username,
            "password_hash": account.password_hash,
            "two_factor_enabled": account.two_factor,
            "secret": account.secret,
            "pending_secret": account.pending_secret,
            "backup_codes": list(account.backup_codes),
            "last_used_step": account.last_step,
            "drift_steps": account.drift,
            "consecutive_failures": account.failures,
        }

    def backup_download(self, username: str, codes: list[str]) -> tuple[str, str]:
        """The backup-code file as the browser saves it: (file name, text)."""
        account = self._account(username)
        if not isinstance(codes, (list, tuple)) or not all(isinstance(c, str) for c in codes):
            raise InvalidInput("codes must be the list of backup codes that confirm() returned")
        return backup_file_name(account.username, self.host), backup_file_text(list(codes))

    def _log(
        self,
        kind: str,
        username: str | None,
        message: str,
        offset: int | None = None,
        t: float | None = None,
    ) -> None:
        self.events.append(
            Event(self.clock.now() if t is None else t, kind, username, message, offset)
        )


def _encodable(text: str) -> bool:
    """False for text holding lone surrogates, which no file or database can store."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _lookup_key(username: object) -> str:
    if not isinstance(username, str):
        raise InvalidInput(f"the username must be text, not {type(username).__name__}")
    if not _encodable(username):
        raise InvalidInput("the username holds characters that are not valid text")
    if not username or len(username) > 128:
        raise NoSuchUser(f"there is no account called {username[:40]!r}")
    return username.lower()


def _check_username(username: object) -> None:
    if not isinstance(username, str):
        raise InvalidInput(f"the username must be text, not {type(username).__name__}")
    if not USERNAME.fullmatch(username):
        raise InvalidInput(
            "a username is 1 to 20 letters (a-z, A-Z), digits or underscores; "
            f"{username[:40]!r} is not"
        )


def _check_password(password: object, allow_empty: bool) -> None:
    if not isinstance(password, str):
        raise InvalidInput(f"the password must be text, not {type(password).__name__}")
    if not password and not allow_empty:
        raise InvalidInput("the password is empty")
    if len(password) > MAX_PASSWORD:
        raise InvalidInput(f"the password is {len(password)} characters; at most {MAX_PASSWORD}")
    if not _encodable(password):
        raise InvalidInput("the password holds characters that are not valid text")


def _describe(token: str) -> str:
    if not token:
        return "nothing was entered"
    if not token.isascii():
        return "it holds characters that are not plain ASCII digits"
    if not token.isdigit():
        return "it holds characters that are not digits"
    return f"this has {len(token)}"
