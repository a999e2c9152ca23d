"""Leaks: a photo of the enrollment QR code, a copy of what the server stores, and offline
cracking of hashed backup codes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..core.backup import BackupScheme
from ..core.errors import InvalidInput
from ..core.otp import code_at
from ..core.qr import read_qr
from ..core.uri import parse_uri
from ..server.policy import Policy
from ..sim import checks
from .constants import AT, ATTACKER_IP, DAY, HOUR, USER, YEAR

# --- leaks ------------------------------------------------------------------------------------
from .victim import attempt, days_later, enrolled


@dataclass(frozen=True)
class QrLeak:
    """Someone photographed the enrollment QR code: every future code follows from it."""

    uri: str
    secret: str
    times: tuple[float, ...]
    predicted: tuple[str, ...]
    accepted: tuple[bool, ...]


def leak_through_qr(
    policy: Policy,
    later: Sequence[float] = (HOUR, DAY, 30 * DAY, YEAR),
    at: float = AT,
    seed: int = 0,
) -> QrLeak:
    """Read the victim's QR image, compute the codes for ``later`` seconds on, and sign in."""
    victim = enrolled(policy, at, seed)
    server, clock = victim.server, victim.clock
    uri = read_qr(victim.qr_png)
    key = parse_uri(uri)
    times, predicted, accepted = [], [], []
    for seconds in later:
        t = clock.set(at + checks.positive(seconds, "later"))
        times.append(t)
        predicted.append(code_at(key.secret, t, key.params))
        accepted.append(attempt(server, predicted[-1], ATTACKER_IP) == "accepted")
    return QrLeak(uri, key.secret, tuple(times), tuple(predicted), tuple(accepted))


@dataclass(frozen=True)
class StorageLeak:
    """Someone copied what the server stores for the account (a backup, a dump, a log)."""

    policy: str
    storage: str
    stolen_backup_codes: tuple[str, ...]
    backup_codes_that_work: int
    secret_works: bool
    title: str = ""


def leak_through_storage(policy: Policy, at: float = AT, seed: int = 0) -> StorageLeak:
    """Try each stolen backup-code entry as a code, then a code computed from the stolen secret."""
    victim = enrolled(policy, at, seed)
    server, clock = victim.server, victim.clock
    stolen = server.stored(USER)
    working = 0
    for entry in stolen["backup_codes"]:
        days_later(clock, server.policy.params.period, 0)
        working += attempt(server, entry, ATTACKER_IP) == "accepted"
    t = days_later(clock, server.policy.params.period, 0)
    works = attempt(server, code_at(stolen["secret"], t, server.policy.params), ATTACKER_IP)
    return StorageLeak(
        policy=server.policy.name,
        storage=server.policy.backup.storage,
        stolen_backup_codes=tuple(stolen["backup_codes"]),
        backup_codes_that_work=working,
        secret_works=works == "accepted",
        title=server.policy.title,
    )


# --- offline cracking of hashed backup codes --------------------------------------------------

# Round numbers, stated as assumptions (orders of magnitude for one current GPU), not measured.
HASH_RATES: dict[str, float] = {"SHA-256": 1e10, "bcrypt (cost 10)": 1e4}


@dataclass(frozen=True)
class OfflineCrack:
    """Expected work to recover one backup code from its stored hash by trying every code."""

    bits: int
    hash_name: str
    guesses_per_second: float

    @property
    def expected_guesses(self) -> float:
        return 2.0 ** (self.bits - 1)

    @property
    def expected_seconds(self) -> float:
        return self.expected_guesses / self.guesses_per_second


def offline_crack(
    bits: int, hash_name: str, guesses_per_second: float | None = None
) -> OfflineCrack:
    """OfflineCrack for a code of ``bits`` bits (rate from HASH_RATES unless given)."""
    rate = HASH_RATES.get(hash_name) if guesses_per_second is None else guesses_per_second
    if rate is None:
        raise InvalidInput(f"no assumed rate for {hash_name!r}: pass guesses_per_second")
    return OfflineCrack(
        checks.count(bits, "bits", low=1), hash_name, checks.positive(rate, "guesses_per_second")
    )


def cracking_table(schemes: Iterable[BackupScheme]) -> list[OfflineCrack]:
    """offline_crack for each scheme's code size under each hash in HASH_RATES."""
    return [offline_crack(s.bits, name) for s in schemes for name in HASH_RATES]
