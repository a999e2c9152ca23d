"""Server policies: what a server checks and stores, as plain data. MISSKEY is the real one."""

from __future__ import annotations

from dataclasses import dataclass, field

from .backup import BackupScheme
from .errors import InvalidInput
from .otp import OtpParams


@dataclass(frozen=True)
class RateLimit:
    """At most ``max_requests`` sign-in requests per ``period`` seconds per IP, ``min_interval`` apart."""

    max_requests: int = 10
    period: float = 3600.0
    min_interval: float = 1.0


@dataclass(frozen=True)
class Backoff:
    """After n consecutive wrong codes, refuse all codes for ``base * 2**(n-1)`` seconds."""

    base: float = 1.0
    cap: float = 3600.0

    def delay(self, failures: int) -> float:
        return 0.0 if failures <= 0 else min(self.cap, self.base * 2 ** min(failures - 1, 40))


@dataclass(frozen=True)
class Policy:
    """Everything a server decides about one-time passwords, as data."""

    name: str
    params: OtpParams = field(default_factory=OtpParams)
    secret_nbytes: int = 20
    window: int = 5
    refuse_replay: bool = False
    track_drift: bool = False
    backup: BackupScheme = field(default_factory=BackupScheme)
    atomic_backup_use: bool = False
    rate_limit: RateLimit | None = field(default_factory=RateLimit)
    backoff: Backoff | None = None
    token_before_password: bool = True
    keeps_pending_secret: bool = True
    # HTTP status of a wrong code in the settings (confirm, register, unregister): Misskey
    # throws a plain error there, which the API answers with 500.
    wrong_code_status: int = 500
    bcrypt_rounds: int = 8
    summary: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.window, int) or not 0 <= self.window <= 100:
            raise InvalidInput(
                f"window must be a whole number of steps from 0 to 100, not {self.window!r}"
            )
        if not 4 <= self.bcrypt_rounds <= 31:
            raise InvalidInput(f"bcrypt_rounds must be from 4 to 31, not {self.bcrypt_rounds!r}")
        if not 1 <= self.secret_nbytes <= 128:
            raise InvalidInput(f"secret_nbytes must be from 1 to 128, not {self.secret_nbytes!r}")


MISSKEY = Policy(
    name="misskey",
    summary="Misskey as it is: window 5 (+-150 s), no replay protection, 5 plain-text backup "
    "codes consumed by read-filter-write, 10 sign-ins per hour per IP.",
)

RFC6238 = Policy(
    name="rfc6238",
    window=1,
    refuse_replay=True,
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

POLICIES: dict[str, Policy] = {p.name: p for p in (MISSKEY, RFC6238, HARDENED, DJANGO_OTP, DEVISE)}


def policy_named(name: str) -> Policy:
    """The preset called ``name`` (case-insensitive)."""
    try:
        return POLICIES[str(name).lower()]
    except KeyError:
        raise InvalidInput(
            f"no policy called {name!r}; choose one of {', '.join(POLICIES)}"
        ) from None
