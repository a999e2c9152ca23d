"""Server policies: what a server checks and stores, as plain data.

``MISSKEY`` is today's Misskey (2026.6 and later) and ``MISSKEY_2025`` the one before it
(2023.9 to 2026.5); docs/misskey-sources.md cites Misskey's source for every value. The other
presets are the kit's comparisons, modelled on RFC 6238, django-otp and devise-two-factor.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace

from ..core.backup import BackupScheme
from ..core.errors import InvalidInput
from ..core.otp import OtpParams

WHITESPACE_RULES = ("keep", "trim", "remove")
DIALECTS = ("kit", "misskey")


def _whole(value: object, what: str, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInput(f"{what} must be a whole number from {low} to {high}, not {value!r}")


def _seconds(value: object, what: str, low: float, high: float) -> None:
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or not low <= value <= high
    ):
        raise InvalidInput(
            f"{what} must be a number of seconds from {low:g} to {high:g}, not {value!r}"
        )


@dataclass(frozen=True)
class RateLimit:
    """At most ``max_requests`` sign-in requests per ``period`` seconds per address, and
    ``min_interval`` seconds apart.

    Every request is recorded, refused ones too (as Misskey's limiter does), so a client that
    keeps retrying stays out. IPv6 addresses share one limit per ``/ipv6_prefix`` network.
    """

    max_requests: int = 10
    period: float = 3600.0
    min_interval: float = 1.0
    ipv6_prefix: int = 64

    def __post_init__(self) -> None:
        _whole(self.max_requests, "max_requests", 1, 1_000_000)
        _seconds(self.period, "period", 1.0, 366 * 86_400.0)
        _seconds(self.min_interval, "min_interval", 0.0, 86_400.0)
        _whole(self.ipv6_prefix, "ipv6_prefix", 1, 128)


@dataclass(frozen=True)
class Backoff:
    """After n consecutive wrong codes, refuse all codes for ``base * 2**(n-1)`` seconds."""

    base: float = 1.0
    cap: float = 3600.0

    def __post_init__(self) -> None:
        _seconds(self.base, "base", 0.001, 86_400.0)
        _seconds(self.cap, "cap", self.base, 366 * 86_400.0)

    def delay(self, failures: int) -> float:
        return 0.0 if failures <= 0 else min(self.cap, self.base * 2 ** min(failures - 1, 40))


@dataclass(frozen=True)
class UsedStepGuard:
    """Misskey's guard against replay (2026.6+): a key per user, secret and time step, set only
    if absent and kept ``ttl`` seconds; a code whose key is already set is refused.

    Backup codes are not covered; the enrollment code at confirm is marked used too.
    """

    ttl: float = 90.0

    def __post_init__(self) -> None:
        _seconds(self.ttl, "ttl", 1.0, 86_400.0)


@dataclass(frozen=True)
class Policy:
    """Everything a server decides about one-time passwords, as data.

    ``window`` is the sign-in window (steps each way), ``confirm_window`` the one at enrollment.
    ``sign_in_whitespace`` and ``confirm_whitespace`` say what happens to white space in a code
    ("keep", "trim" the ends, or "remove" all of it, by JavaScript's definition of white space).
    ``dialect`` says whose answers errors carry: "misskey" (the real server's statuses, error ids
    and messages) or "kit" (the kit's own, for the comparison policies).
    """

    name: str
    params: OtpParams = field(default_factory=OtpParams)
    secret_nbytes: int = 20
    window: int = 1
    confirm_window: int = 1
    sign_in_whitespace: str = "keep"
    confirm_whitespace: str = "remove"
    refuse_replay: bool = False
    used_step_guard: UsedStepGuard | None = None
    track_drift: bool = False
    backup: BackupScheme = field(default_factory=BackupScheme)
    atomic_backup_use: bool = False
    rate_limit: RateLimit | None = field(default_factory=RateLimit)
    backoff: Backoff | None = None
    token_before_password: bool = True
    keeps_pending_secret: bool = True
    # HTTP status of a wrong code in the settings (confirm, register, unregister) for policies
    # that speak the kit's dialect; Misskey's plain errors there are 500s.
    wrong_code_status: int = 500
    bcrypt_rounds: int = 8
    username_rule: str = r"[A-Za-z0-9_]{1,20}"
    dialect: str = "kit"
    version: str = ""
    summary: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not re.fullmatch(
            r"[a-z0-9][a-z0-9-]{0,39}", self.name
        ):
            raise InvalidInput(
                f"a policy name is 1 to 40 lower-case letters, digits or '-', not {self.name!r}"
            )
        if not isinstance(self.params, OtpParams):
            raise InvalidInput(f"params must be an otpkit.OtpParams, not {self.params!r}")
        if not isinstance(self.backup, BackupScheme):
            raise InvalidInput(f"backup must be an otpkit.BackupScheme, not {self.backup!r}")
        _whole(self.window, "window", 0, 100)
        _whole(self.confirm_window, "confirm_window", 0, 100)
        _whole(self.bcrypt_rounds, "bcrypt_rounds", 4, 31)
        _whole(self.secret_nbytes, "secret_nbytes", 1, 128)
        _whole(self.wrong_code_status, "wrong_code_status", 400, 599)
        for what, rule in (
            ("sign_in_whitespace", self.sign_in_whitespace),
            ("confirm_whitespace", self.confirm_whitespace),
        ):
            if rule not in WHITESPACE_RULES:
                raise InvalidInput(f"{what} must be one of {WHITESPACE_RULES}, not {rule!r}")
        if self.dialect not in DIALECTS:
            raise InvalidInput(f"dialect must be one of {DIALECTS}, not {self.dialect!r}")
        for what, value, kind in (
            ("rate_limit", self.rate_limit, RateLimit),
            ("backoff", self.backoff, Backoff),
            ("used_step_guard", self.used_step_guard, UsedStepGuard),
        ):
            if value is not None and not isinstance(value, kind):
                raise InvalidInput(
                    f"{what} must be an otpkit {kind.__name__} or None, not {value!r}"
                )
        for what, flag in (
            ("refuse_replay", self.refuse_replay),
            ("track_drift", self.track_drift),
            ("atomic_backup_use", self.atomic_backup_use),
            ("token_before_password", self.token_before_password),
            ("keeps_pending_secret", self.keeps_pending_secret),
        ):
            if not isinstance(flag, bool):
                raise InvalidInput(f"{what} must be True or False, not {flag!r}")
        try:
            re.compile(self.username_rule)
        except (re.error, TypeError):
            raise InvalidInput(
                f"username_rule is not a regular expression: {self.username_rule!r}"
            ) from None

    @property
    def title(self) -> str:
        """The name a lesson shows: the version for Misskey, else the policy's name."""
        return self.version or self.name

    @property
    def refuses_replays(self) -> bool:
        """Whether a code already used is refused, by either mechanism."""
        return self.refuse_replay or self.used_step_guard is not None


MISSKEY_2025 = Policy(
    name="misskey-2025",
    version="Misskey 2023.9-2026.5",
    dialect="misskey",
    window=5,
    confirm_window=5,
    sign_in_whitespace="keep",
    summary="Misskey 2023.9 to 2026.5: window 5 (+-150 s) at sign-in, no replay protection, 5 "
    "plain-text backup codes consumed by read-filter-write, 10 sign-ins per hour per IP.",
)

MISSKEY = Policy(
    name="misskey",
    version="Misskey 2026.6+",
    dialect="misskey",
    window=1,
    confirm_window=1,
    sign_in_whitespace="trim",
    used_step_guard=UsedStepGuard(ttl=90.0),
    summary="Misskey today (2026.6 and later): window 1 (+-30 s), each code's time step refused "
    "a second time for 90 s, 5 plain-text backup codes (racy, not covered by that guard), "
    "10 sign-ins per hour per IP.",
)

RFC6238 = Policy(
    name="rfc6238",
    window=1,
    refuse_replay=True,
    # Keeping the pending secret would let a second confirm replace the backup codes.
    keeps_pending_secret=False,
    summary="RFC 6238's advice: window 1 (one step each way) and a used step is refused.",
)

HARDENED = Policy(
    name="hardened",
    window=1,
    refuse_replay=True,
    track_drift=True,
    backup=BackupScheme(storage="sha256"),
    atomic_backup_use=True,
    backoff=Backoff(),
    token_before_password=False,
    keeps_pending_secret=False,
    wrong_code_status=403,
    summary="Window 1 centred on the recorded drift, replays refused, backup codes hashed and "
    "used atomically, exponential back-off after wrong codes, password checked first.",
)

DJANGO_OTP = Policy(
    name="django-otp",
    window=1,
    refuse_replay=True,
    track_drift=True,
    backup=BackupScheme(count=10, nbytes=5, alphabet="base32-lower"),
    atomic_backup_use=True,
    rate_limit=None,
    backoff=Backoff(),
    token_before_password=False,
    keeps_pending_secret=False,
    wrong_code_status=403,
    summary="django-otp with django-two-factor-auth: tolerance 1 with drift, last_t against "
    "replay, 10 static 8-character codes (40 bits) in plain text, 2^(n-1) s delays.",
)

DEVISE = Policy(
    name="devise",
    window=1,
    refuse_replay=True,
    backup=BackupScheme(count=10, nbytes=16, alphabet="hex", storage="bcrypt", bcrypt_rounds=4),
    atomic_backup_use=True,
    rate_limit=None,
    token_before_password=False,
    keeps_pending_secret=False,
    wrong_code_status=403,
    summary="devise-two-factor as Mastodon uses it: 30 s drift allowance, consumed_timestep "
    "against replay, 10 codes of 32 hex characters stored bcrypt-hashed.",
)

POLICIES: dict[str, Policy] = {
    p.name: p for p in (MISSKEY, MISSKEY_2025, RFC6238, HARDENED, DJANGO_OTP, DEVISE)
}


def cheap_hashing(policy: Policy) -> Policy:
    """The same policy with bcrypt's cheapest cost for passwords and hashed backup codes: for
    simulations and tests that sign in hundreds of times (the attacker knows the password, so
    its cost plays no part in what they measure)."""
    backup = policy.backup
    if backup.storage == "bcrypt":
        backup = replace(backup, bcrypt_rounds=4)
    return replace(policy, bcrypt_rounds=4, backup=backup)


def policy_named(name: str) -> Policy:
    """The preset called ``name`` (case-insensitive; "_" may stand for "-")."""
    key = name.strip().lower().replace("_", "-") if isinstance(name, str) else None
    if key not in POLICIES:
        raise InvalidInput(f"no policy called {name!r}; choose one of {', '.join(POLICIES)}")
    return POLICIES[key]
