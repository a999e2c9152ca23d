"""What a store keeps for one user (``Account``), and the checks that every row read back or
written is what the kit writes; shared helpers of both stores."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from typing import Any, TypeVar

from ...core.errors import InvalidInput, StoreError

T = TypeVar("T")
Hits = tuple[float, ...]
SCHEMA = 1  # the layout of a store file this kit writes (the ``schema`` row of its meta table)


@dataclass(frozen=True)
class Account:
    """What the server stores for one user (field names follow the kit, not Misskey's columns)."""

    username: str
    password_hash: str
    two_factor: bool = False
    secret: str | None = None
    pending_secret: str | None = None
    backup_codes: tuple[str, ...] = ()
    backup_codes_issued: int = 0
    last_step: int | None = None
    drift: int = 0
    failures: int = 0
    blocked_until: float = 0.0
    password_less: bool = False

    @property
    def key(self) -> str:
        return self.username.lower()

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: object) -> Account:
        """The account ``to_json`` wrote; StoreError says what is wrong with anything else."""
        if not isinstance(text, str):
            raise StoreError(f"an account record is JSON text, not {type(text).__name__}")
        try:
            data = json.loads(text, parse_constant=_no_constant)
        except (ValueError, RecursionError) as exc:
            raise StoreError(f"an account record is not JSON ({str(exc)[:80]})") from None
        if not isinstance(data, dict):
            raise StoreError(f"an account record is a JSON object, not {type(data).__name__}")
        problem = _problem(data)
        if problem:
            raise StoreError(f"an account record {problem}")
        data["backup_codes"] = tuple(data.get("backup_codes", ()))
        if "blocked_until" in data:
            data["blocked_until"] = float(data["blocked_until"])
        return cls(**data)


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number otpkit writes")


def _text(value: object) -> bool:
    """True for a str that any file or database can store (no lone surrogates)."""
    if not isinstance(value, str):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _int(value: object) -> bool:
    return type(value) is int  # bool is not a count


def _real(value: object) -> bool:
    """A finite int or float (not a bool), small enough to be a float."""
    if type(value) is int:
        return abs(value) < 2**1000
    return type(value) is float and math.isfinite(value)


# Each annotation of Account, and what its values must be (a new field needs a line here).
_KINDS: dict[str, tuple[str, Callable[[object], bool]]] = {
    "str": ("text", _text),
    "str | None": ("text or null", lambda v: v is None or _text(v)),
    "bool": ("true or false", lambda v: type(v) is bool),
    "int": ("a whole number", _int),
    "int | None": ("a whole number or null", lambda v: v is None or _int(v)),
    "float": ("a finite number", _real),
    "tuple[str, ...]": (
        "a list of texts",
        lambda v: isinstance(v, (list, tuple)) and all(_text(c) for c in v),
    ),
}
_FIELDS = {f.name: _KINDS[str(f.type)] for f in fields(Account)}
_REQUIRED = {"username", "password_hash"}


def _problem(data: dict[str, object]) -> str | None:
    """What is wrong with the fields of an account, or None."""
    unknown = sorted(repr(str(k)[:40]) for k in data if k not in _FIELDS)
    if unknown:
        return f"has fields otpkit does not know: {', '.join(unknown[:5])}"
    missing = sorted(_REQUIRED - set(data))
    if missing:
        return f"lacks the fields {', '.join(missing)}"
    for name, value in data.items():
        described, ok = _FIELDS[name]
        if not ok(value):
            return f"has {name} = {type(value).__name__}, where it should be {described}"
    return None


def _check_account(account: object, key: str | None = None) -> Account:
    """The account a caller asks to write, refused (InvalidInput) when it could not be read back."""
    if not isinstance(account, Account):
        raise InvalidInput(f"the store keeps Account objects, not {type(account).__name__}")
    problem = _problem({name: getattr(account, name) for name in _FIELDS})
    if problem:
        raise InvalidInput(f"the account {problem}")
    if key is not None and account.key != key:
        raise InvalidInput(f"an update of {key!r} cannot make it {account.key!r}")
    return account


def _split(outcome: object) -> tuple[Any, Any]:
    """The (new value, result) a change returned; InvalidInput for anything else."""
    if not isinstance(outcome, tuple) or len(outcome) != 2:
        raise InvalidInput(f"a change returns (new value, result), not {_shown(outcome)}")
    return outcome


def _check_hits(hits: object) -> str | None:
    if not isinstance(hits, (list, tuple)):
        return f"is {type(hits).__name__}, where it should be a list of times"
    if not all(_real(t) for t in hits):
        return "holds something that is not a finite time"
    return None


def _shown(value: object) -> str:
    """A short description of a value that may be anything (even an int too long to print)."""
    if isinstance(value, (str, bytes, float, bool)) or value is None:
        return repr(value)[:40]
    return type(value).__name__


def _check_key(key: object, what: str = "a store key") -> str:
    if not _text(key) or not key:
        raise InvalidInput(f"{what} is non-empty text, not {_shown(key)}")
    return key  # type: ignore[return-value]


def _check_mark(key: object, now: object, ttl: object) -> float:
    """The expiry of a mark set at ``now`` for ``ttl`` seconds; InvalidInput when nonsense."""
    _check_key(key)
    if not _real(now) or not _real(ttl) or ttl <= 0:  # type: ignore[operator]
        raise InvalidInput(
            f"now and ttl are finite numbers of seconds, ttl > 0, not {_shown(now)}, {_shown(ttl)}"
        )
    expires = float(now) + float(ttl)  # type: ignore[arg-type]
    if not math.isfinite(expires):
        raise InvalidInput("now + ttl is too large")
    return expires


def _other_policy(made_for: str, name: str, what: str) -> StoreError:
    return StoreError(
        f"this store was made for policy {made_for!r}; a server with policy {name!r} cannot "
        f"share it (its accounts and counters follow {made_for!r}): use a new {what} or the "
        "same policy"
    )


AccountChange = Callable[[Account], tuple[Account, T]]
HitsChange = Callable[[Hits], tuple[Hits, T]]
