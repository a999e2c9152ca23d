"""What every endpoint shares: the server's parts, its clock, accounts and passwords, the token
check in the policy's order, and the views lessons read (warning, stored, backup download)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..core.backup import backup_file_name, backup_file_text
from ..core.clock import Clock
from ..core.errors import (
    IncorrectPassword,
    InvalidInput,
    InvalidToken,
    NoSuchUser,
    OtpkitError,
    RateLimited,
    TokenReplayed,
    TwoFactorNotEnabled,
)
from ..core.hashing import bcrypt_hash, bcrypt_matches
from ..core.otp import is_well_formed_code, step_at
from ..core.randomness import RandomSource
from . import checks
from .answers import answer
from .events import EventLog
from .policy import MISSKEY, Policy
from .results import SignInResult, SignUpResult
from .store import Account, MemoryStore, SqliteStore
from .two_factor import Outcome, Then, TwoFactorCheck

SIGNIN, REGISTER, DONE, UNREGISTER = "signin", "i/2fa/register", "i/2fa/done", "i/2fa/unregister"


class ServerBase:
    """The state and the shared steps of a server; the endpoints are in enrollment and signin."""

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
        if clock is None or isinstance(clock, type) or not callable(getattr(clock, "now", None)):
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
            self.events.add(
                now, "token.wrong", account.username, f"backup code refused ({spent.kind})"
            )
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
                f"code either; {describe_token(code)}"
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


def describe_token(token: str) -> str:
    if not token:
        return "nothing was entered"
    if not token.isascii():
        return "it holds characters that are not plain ASCII digits"
    if not token.isdigit():
        return "it holds characters that are not digits"
    return f"this has {len(token)}"
